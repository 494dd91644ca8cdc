"""``jobmsg catalog``: check, measure, harvest and pseudo-translate gettext catalogs.

Everything but argparse is imported inside the handlers, so that building the parser for another
command costs nothing (Babel's catalog code, pathlib and json included).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from jobmsg_i18n.cli import EXIT_OK, EXIT_USAGE, add_command, print_error

if TYPE_CHECKING:
    from pathlib import Path

# `catalog check` found errors (or warnings, with --strict); `stats --fail-under` was not met.
EXIT_FINDINGS = 7


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "catalog",
        _usage,
        help="check, measure, harvest and pseudo-translate the gettext catalogs",
        description=(
            "Tools for translators. LOCALES_DIR is laid out like the shipped locales/: "
            "<domain>.pot templates and <locale>/LC_MESSAGES/<domain>.po; it defaults to ./locales "
            "when that folder exists, else to the catalogs shipped with the package."
        ),
    )
    parser.set_defaults(parser=parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    check = add_command(
        actions,
        "check",
        run_check,
        help="report every catalog problem as file:line: severity: message",
        description=(
            "Report %n placeholder mismatches, entries with markers but no qt-format flag, fuzzy "
            "and untranslated entries, entries missing from or no longer in the template, a wrong "
            "or missing Plural-Forms or Language header, and compiled .mo files that differ from "
            "their .po. Exits with 7 on any error (and on warnings with --strict)."
        ),
    )
    _add_folder_options(check)
    check.add_argument("--strict", action="store_true", help="warnings fail too")

    stats = add_command(
        actions,
        "stats",
        run_stats,
        help="translated, fuzzy and missing entries of each locale",
    )
    _add_folder_options(stats)
    stats.add_argument("--format", "-f", choices=("text", "json"), default="text")
    stats.add_argument(
        "--fail-under",
        type=float,
        metavar="PERCENT",
        help="exit with 7 when a locale's coverage is below PERCENT",
    )

    harvest = add_command(
        actions,
        "harvest",
        run_harvest,
        help="add to the template the codes of saved responses that it lacks",
        description=(
            "Read saved GET .../jobs/{id}/messages responses and add each code the template lacks, "
            "the server's English title and message as the source text. Existing entries are left "
            "alone; then run pybabel update to carry the new entries to every locale."
        ),
    )
    harvest.add_argument("responses", nargs="+", metavar="RESPONSE.json")
    harvest.add_argument(
        "--pot",
        default="locales/jobmsg.pot",
        help="the template to extend; created when missing (default: %(default)s)",
    )

    pseudo = add_command(
        actions,
        "pseudo",
        run_pseudo,
        help="write a pseudo-locale catalog (en_XA, ar_XB) from the templates",
        description=(
            "en_XA: accented letters, text about 35% longer, in brackets; ar_XB: every word right "
            "to left. Every %n marker is kept. Writes <locale>/LC_MESSAGES/<domain>.po and .mo "
            "for each template in LOCALES_DIR."
        ),
    )
    pseudo.add_argument("locales_dir", nargs="?", metavar="LOCALES_DIR", help="default: ./locales")
    pseudo.add_argument("--locale", "-l", default="en_XA", help="en_XA (default) or ar_XB")
    pseudo.add_argument("--domain", "-D", action="append", default=[], help="only this domain")


def _add_folder_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "locales_dir", nargs="?", metavar="LOCALES_DIR", help="default: ./locales, else the shipped"
    )
    parser.add_argument(
        "--domain", "-D", action="append", default=[], help="only this domain (repeatable)"
    )


def _usage(args: argparse.Namespace) -> int:
    args.parser.print_help(sys.stderr)
    return EXIT_USAGE


def _folder(args: argparse.Namespace) -> Path | None:
    from pathlib import Path

    if args.locales_dir:
        folder = Path(args.locales_dir)
    elif Path("locales").is_dir():
        folder = Path("locales")
    else:
        from jobmsg_i18n.catalogs import shipped_dir

        folder = shipped_dir()
    if not folder.is_dir():
        print_error(f"no such folder: {folder}")
        return None
    return folder


def run_check(args: argparse.Namespace) -> int:
    from jobmsg_i18n.catalog_tools import check_folder, domains

    folder = _folder(args)
    if folder is None:
        return EXIT_USAGE
    if not domains(folder):
        print_error(f"{folder}: no .pot or .po files")
        return EXIT_USAGE
    problems = check_folder(folder, args.domain)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    failed = errors or (args.strict and warnings)
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    print_error(f"{folder}: {summary}" if problems else f"{folder}: no problems")
    return EXIT_FINDINGS if failed else EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    import json

    from jobmsg_i18n.catalog_tools import coverage

    folder = _folder(args)
    if folder is None:
        return EXIT_USAGE
    rows = coverage(folder, args.domain)
    if args.format == "json":
        json.dump([row.to_dict() for row in rows], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        header = ("locale", "domain", "translated", "fuzzy", "missing", "total", "percent")
        table = [header] + [
            (
                r.locale,
                r.domain,
                str(r.translated),
                str(r.fuzzy),
                str(r.missing),
                str(r.total),
                f"{r.percent:.1f}%",
            )
            for r in rows
        ]
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        for line in table:
            cells = [
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            ]
            print("  ".join(cells).rstrip())
    if args.fail_under is not None:
        low = [r for r in rows if r.percent < args.fail_under]
        for r in low:
            print_error(f"{r.locale} ({r.domain}): {r.percent:.1f}% is below {args.fail_under:g}%")
        if low:
            return EXIT_FINDINGS
    return EXIT_OK


def run_harvest(args: argparse.Namespace) -> int:
    from jobmsg_i18n.catalog_tools import harvest
    from jobmsg_i18n.errors import InvalidResponseError

    try:
        result = harvest(args.pot, args.responses)
    except InvalidResponseError as exc:
        print_error(f"{exc} (the template was not changed)")
        return EXIT_USAGE
    except ValueError as exc:
        print_error(f"{args.pot}: {exc}")
        return EXIT_USAGE
    for note in result.notes:
        print_error(note)
    if result.added:
        count = len(result.added)
        print(
            f"{args.pot}: added {count} code{'' if count == 1 else 's'}: {', '.join(result.added)}"
        )
        print("next: pybabel update, translate, pybabel compile (see the README)")
    else:
        print(f"{args.pot}: every code is already in the template; nothing changed")
    return EXIT_OK


def run_pseudo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmsg_i18n.catalog_tools import PSEUDO_LOCALES, write_pseudo
    from jobmsg_i18n.locales import LocaleTagError, parse_tag

    try:
        locale = parse_tag(args.locale)
    except LocaleTagError as exc:
        print_error(str(exc))
        return EXIT_USAGE
    if locale not in PSEUDO_LOCALES:
        print_error(f"not a pseudo-locale: {args.locale!r} (known: {', '.join(PSEUDO_LOCALES)})")
        return EXIT_USAGE
    folder = Path(args.locales_dir or "locales")
    try:
        written = write_pseudo(folder, locale, args.domain)
    except ValueError as exc:
        print_error(str(exc))
        return EXIT_USAGE
    if not written:
        print_error(f"{folder}: no templates (.pot files) to pseudo-translate")
        return EXIT_USAGE
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK
