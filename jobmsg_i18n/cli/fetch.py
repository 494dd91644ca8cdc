"""``jobmsg fetch``: fetch the messages of jobs over HTTP and print them localized."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from jobmsg_i18n.cli import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_USAGE,
    add_command,
    at_least,
    exit_code_for,
    print_error,
)
from jobmsg_i18n.cli.localize import add_output_options, format_text, make_localizer, write_json
from jobmsg_i18n.errors import ApiError, JobMessagesError

if TYPE_CHECKING:
    from jobmsg_i18n.client import FetchResult, JobsClient
    from jobmsg_i18n.localizer import Localizer

T = TypeVar("T")
TOKEN_VARIABLE = "ITWIN_ACCESS_TOKEN"  # noqa: S105 (the name of a variable, not a token)
APIS = ("reality-analysis", "reality-modeling", "reality-conversion")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "fetch",
        run,
        help="fetch the messages of jobs from the iTwin Platform and print them localized",
        description="Fetch GET .../jobs/{id}/messages for each job id and print the messages "
        f"localized. The access token is read from the environment variable {TOKEN_VARIABLE}. "
        "The exit code is the highest among the jobs' outcomes.",
    )
    parser.add_argument("job_ids", nargs="+", metavar="JOB_ID", help="the id of a job")
    add_output_options(parser)
    add_client_options(parser)


def add_client_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """The options of the HTTP client, shared by every command that fetches."""
    parser.add_argument("--api", choices=APIS, default="reality-analysis", help="which jobs API")
    parser.add_argument(
        "--base-url",
        default="https://api.bentley.com",
        help="the API's address (default: %(default)s); plain http only to loopback",
    )
    parser.add_argument(
        "--concurrency",
        type=at_least(1),
        default=8,
        metavar="N",
        help="how many jobs to fetch at once (default: %(default)s)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=4,
        metavar="N",
        help="retries of a job after 429, 502, 503, 504 or a network error (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="read timeout of one request (default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    client = make_client(args)
    if isinstance(client, int):
        return client
    localizer = make_localizer(args)
    with client:
        outcomes = client.fetch_many(args.job_ids, concurrency=args.concurrency)
        return print_outcomes(with_progress(outcomes, len(args.job_ids)), localizer, args)


def make_client(args: argparse.Namespace) -> JobsClient | int:
    """The client that the options and the environment ask for, or the exit code of a refusal.

    The token comes from the environment only, never from the command line (where other users
    of the machine could read it); the job ids are checked before anything is sent.
    """
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        print_error(
            f"no access token: set the environment variable {TOKEN_VARIABLE} "
            "(an OAuth token with the itwin-platform scope)"
        )
        return EXIT_AUTH
    if args.debug:
        enable_debug_logging()
    from jobmsg_i18n.client import InvalidTokenError, JobsClient

    try:
        client = JobsClient(
            token,
            api=args.api,
            base_url=args.base_url,
            timeout=(10.0, args.timeout),
            max_retries=args.retries,
            max_connections=args.concurrency,
        )
        for job_id in args.job_ids:
            client.job_url(job_id)
    except InvalidTokenError as exc:
        print_error(f"{TOKEN_VARIABLE}: {exc}")
        return EXIT_AUTH
    except ValueError as exc:
        print_error(str(exc))
        return EXIT_USAGE
    return client


def enable_debug_logging() -> None:
    """Requests (method, URL, status, attempt, wait) on stderr: never headers, never the token."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("jobmsg: %(name)s: %(message)s"))
    for name in ("jobmsg_i18n", "urllib3"):
        log = logging.getLogger(name)
        log.setLevel(logging.DEBUG)
        log.addHandler(handler)


def with_progress(outcomes: Iterable[T], total: int) -> Iterator[T]:
    """The outcomes, with a progress bar on stderr when it is a terminal and there are several."""
    if total < 2 or not sys.stderr.isatty():
        yield from outcomes
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="job", file=sys.stderr, leave=False) as bar:
        for outcome in outcomes:
            bar.update(1)
            yield outcome


def print_outcomes(
    outcomes: Iterable[FetchResult],
    localizer: Localizer,
    args: argparse.Namespace,
    headers: dict[str, str] | None = None,
    report_errors: bool = True,
) -> int:
    """Print each job's localized messages or error; the highest exit code among them.

    ``headers`` gives, per job id, text for the job's title line instead of the bare id.
    ``report_errors`` also says each failure on stderr, in English, with its details.
    """
    documents: list[dict[str, Any]] = []
    worst = EXIT_OK
    first = True
    for outcome in outcomes:
        if outcome.error is not None:
            worst = max(worst, exit_code_for(outcome.error))
            if report_errors:
                print_error(f"{outcome.job_id}: {outcome.error}")
            if args.debug:
                print_error(f"{outcome.job_id}: {error_detail(outcome.error)}")
        else:
            assert outcome.messages is not None
            for problem in outcome.messages.problems:
                print_error(f"{outcome.job_id}: {problem}")
        if args.format == "json":
            documents.append(job_document(outcome, localizer))
            continue
        title = (headers or {}).get(outcome.job_id, outcome.job_id)
        sys.stdout.write(("" if first else "\n") + f"Job {title}\n")
        sys.stdout.write(job_text(outcome, localizer))
        first = False
    if args.format == "json":
        write_json(documents)
    return worst


def job_text(outcome: FetchResult, localizer: Localizer) -> str:
    """A job's messages as ``jobmsg localize`` prints them, or its localized error."""
    from jobmsg_i18n.localizer import LocalizedMessages

    if outcome.error is not None:
        error = localizer.localize_error(outcome.error)
        return format_text(LocalizedMessages(localizer.locale, errors=(error,)))
    assert outcome.messages is not None
    return format_text(localizer.localize(outcome.messages))


def job_document(outcome: FetchResult, localizer: Localizer) -> dict[str, Any]:
    """``{"job_id", ...}`` plus the shape of ``jobmsg localize --format json``, or ``"error"``."""
    if outcome.error is None:
        assert outcome.messages is not None
        return {"job_id": outcome.job_id, **localizer.localize(outcome.messages).to_dict()}
    error = localizer.localize_error(outcome.error).to_dict()
    error["status"] = outcome.error.status if isinstance(outcome.error, ApiError) else None
    error["detail"] = str(outcome.error)
    return {"job_id": outcome.job_id, "locale": localizer.locale, "error": error}


def error_detail(error: JobMessagesError) -> str:
    """For --debug: the error's class and fields, and what it was caused by (never a header)."""
    parts = [repr(error)]
    if isinstance(error, ApiError):
        if error.request_id:
            parts.append(f"request id {error.request_id}")
        if error.details:
            parts.append("details: " + "; ".join(f"{d.code}: {d.message}" for d in error.details))
    url = getattr(error, "url", None)
    if url:
        parts.append(f"url {url}")
    cause = error.__cause__
    if cause is not None:
        parts.append(f"caused by {type(cause).__name__}: {cause}")
    return ", ".join(parts)
