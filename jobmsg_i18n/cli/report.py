"""``jobmsg report``: a report of many jobs in the reader's language, as HTML, Markdown or text."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from jobmsg_i18n.cli import EXIT_OK, EXIT_USAGE, add_command, at_least, exit_code_for, print_error
from jobmsg_i18n.cli.localize import add_locale_options, make_localizer
from jobmsg_i18n.errors import InvalidResponseError

if TYPE_CHECKING:
    from jobmsg_i18n.localizer import Localizer
    from jobmsg_i18n.report import JobReport, JobSource, ReportFormat

FORMATS = ("html", "markdown", "text")
_SUFFIXES: dict[str, ReportFormat] = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from jobmsg_i18n.cli.fetch import TOKEN_VARIABLE, add_client_options

    parser = add_command(
        subparsers,
        "report",
        run,
        help="write a report of jobs' messages in the reader's language (HTML, Markdown, text)",
        description="Fetch the details and messages of each JOB_ID (the access token is read "
        f"from {TOKEN_VARIABLE}), or read saved responses with --input, and write one report: "
        "a summary across jobs, then each job's details, counts and messages, localized. Jobs "
        "that could not be fetched or read are in the report with their error; the exit code "
        "is then the highest among them.",
    )
    parser.add_argument("job_ids", nargs="*", metavar="JOB_ID", help="the id of a job to fetch")
    parser.add_argument(
        "--input",
        "-i",
        action="append",
        default=[],
        metavar="FILE",
        help='a saved GET .../jobs/{id}/messages response, or {"job": ..., "messages": ...} '
        "(repeatable; - for stdin); the job id is the job's own, or the file's name",
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        help="default: from the suffix of --output (.html, .md), else text",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the report here (default: standard output)"
    )
    parser.add_argument(
        "--timezone",
        "--tz",
        default="UTC",
        metavar="ZONE",
        help="show dates in this IANA time zone, such as Europe/Paris (default: %(default)s)",
    )
    parser.add_argument(
        "--width",
        type=at_least(40),
        metavar="COLUMNS",
        help="the width of a text report (default: the terminal's, else 100)",
    )
    add_locale_options(parser)
    add_client_options(parser.add_argument_group("fetching (with JOB_ID)"))


def run(args: argparse.Namespace) -> int:
    if not args.job_ids and not args.input:
        print_error("report: give at least one JOB_ID or --input FILE")
        return EXIT_USAGE
    from babel.dates import get_timezone

    try:
        zone = get_timezone(args.timezone)
    except LookupError:
        print_error(f"report: unknown time zone {args.timezone!r} (try Europe/Paris or UTC)")
        return EXIT_USAGE
    format: ReportFormat = args.format or _SUFFIXES.get(
        Path(args.output or "").suffix.lower(), "text"
    )
    width = args.width
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns if _to_terminal(args) else 100

    reports: list[JobReport] = [_read_saved(name) for name in args.input]
    if args.job_ids:
        fetched = _fetch(args)
        if isinstance(fetched, int):
            return fetched
        reports.extend(fetched)

    from jobmsg_i18n.report import render_report

    localizer = make_localizer(args)
    text = render_report(
        reports, localizer, format, tz=zone, width=width, catalog_dirs=args.catalog_dir
    )
    from jobmsg_i18n.jinja import clean_text

    worst = EXIT_OK
    for report in reports:
        # The server's words, on a terminal: no escape sequence of theirs may reach it.
        if report.error is not None:
            worst = max(worst, _exit_code(report.error))
            print_error(clean_text(f"{report.job_id}: {report.error}"))
        elif report.messages is not None:
            for problem in report.messages.problems:
                print_error(clean_text(f"{report.job_id}: {problem}"))
    if args.output:
        write_atomically(Path(args.output), text)
        print_error(f"report written to {args.output}")
    else:
        sys.stdout.write(text)
    return worst


def _to_terminal(args: argparse.Namespace) -> bool:
    return not args.output and sys.stdout.isatty()


def _exit_code(error: BaseException) -> int:
    if isinstance(error, InvalidResponseError) and error.url is None:
        return EXIT_USAGE  # a saved file that could not be read
    return exit_code_for(error)


def _read_saved(name: str) -> JobReport:
    """One --input file as a job of the report; a file that cannot be read carries its error."""
    from jobmsg_i18n.report import JobReport

    job_id = "stdin" if name == "-" else Path(name).stem
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        error = InvalidResponseError(f"cannot read {name}: {exc.strerror or exc}")
        return JobReport(job_id, error=error)
    try:
        return JobReport.from_json(data, job_id)
    except InvalidResponseError as exc:
        return JobReport(job_id, error=InvalidResponseError(f"{name}: {exc}", exc.problems))


def _fetch(args: argparse.Namespace) -> list[JobReport] | int:
    """The jobs of the command line, fetched; an exit code when nothing could be tried."""
    from jobmsg_i18n.cli.fetch import make_client

    client = make_client(args)
    if isinstance(client, int):
        return client
    with client:
        return list(fetch_with_progress(client, args.job_ids, args.concurrency))


def fetch_with_progress(
    client: JobSource, job_ids: Sequence[str], concurrency: int = 8
) -> Iterator[JobReport]:
    """:func:`~jobmsg_i18n.report.collect_reports`, with ``jobmsg fetch``'s progress bar."""
    from jobmsg_i18n.cli.fetch import with_progress
    from jobmsg_i18n.report import collect_reports

    reports = collect_reports(client, job_ids, concurrency=concurrency)
    yield from with_progress(reports, len(job_ids))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a reader never sees half of it."""
    folder = path.resolve().parent
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, before the rename)
        "w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            handle.write(text)
        # NamedTemporaryFile is private to its owner: give the report the mode a new file gets.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_demo_report(
    client: JobSource, job_ids: Iterable[str], localizer: Localizer, folder: Path | None = None
) -> Path:
    """An HTML report of ``job_ids`` fetched with ``client``, written for ``jobmsg demo``."""
    from jobmsg_i18n.report import render_report

    reports = list(fetch_with_progress(client, list(job_ids)))
    folder = folder or Path(tempfile.gettempdir()) / "jobmsg-demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"report-{localizer.locale}.html"
    write_atomically(path, render_report(reports, localizer, "html"))
    return path
