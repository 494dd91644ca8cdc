"""``jobmsg localize``: localize a saved job messages response."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from jobmsg_i18n.cli import EXIT_OK, EXIT_USAGE, add_command, print_error
from jobmsg_i18n.errors import InvalidResponseError
from jobmsg_i18n.localizer import LocalizedMessages, Localizer
from jobmsg_i18n.models import JobMessages


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "localize",
        run,
        help="localize a saved GET .../jobs/{id}/messages response",
    )
    parser.add_argument("file", nargs="?", default="-", help="the saved response (default: stdin)")
    add_output_options(parser)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse input with any problem instead of repairing it",
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--locale``, ``--catalog-dir`` and ``--format text|json``, shared with ``fetch``."""
    add_locale_options(parser)
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text")


def add_locale_options(parser: argparse.ArgumentParser) -> None:
    """``--locale`` and ``--catalog-dir``, which every command that localizes takes."""
    parser.add_argument(
        "--locale", "-l", default="en", help="the reader's locale (fr, pt-BR, zh-TW, ...)"
    )
    parser.add_argument(
        "--catalog-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of your own catalogs, laid out like locales/, winning over the shipped ones",
    )


def make_localizer(args: argparse.Namespace) -> Localizer:
    """The Localizer the options ask for; its locale problems go to stderr."""
    localizer = Localizer(args.locale, catalog_dirs=args.catalog_dir)
    for problem in localizer.problems:
        print_error(problem)
    return localizer


def run(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        print_error(f"cannot read {name}: {exc.strerror or exc}")
        return EXIT_USAGE
    try:
        messages = JobMessages.from_json(data, strict=args.strict)
    except InvalidResponseError as exc:
        print_error(f"{name}: {exc}")
        return EXIT_USAGE
    for problem in messages.problems:
        print_error(f"{name}: {problem}")
    localized = make_localizer(args).localize(messages)
    if args.format == "json":
        write_json(localized.to_dict())
    else:
        sys.stdout.write(format_text(localized))
    return EXIT_OK


def write_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def format_text(localized: LocalizedMessages) -> str:
    """Plain text, a message in two lines: severity, title and code, then the message."""
    if not len(localized):
        return "No errors or warnings.\n"
    lines = []
    for m in localized:
        mark = "" if m.translated else f"  [{m.locale}]"
        lines.append(f"{m.severity.upper():<8}{m.title} ({m.code or 'no code'}){mark}")
        lines.append(f"{'':<8}{m.message}")
    return "\n".join(lines) + "\n"
