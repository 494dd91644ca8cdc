"""The ``jobmsg`` command: one sub-command per module of this package.

Exit codes, shared by every sub-command:

== ==========================================================
0  success
1  anything unexpected (a bug: please report it)
2  usage error, or input that could not be read at all
3  authentication or permission (401, 403, no token)
4  not found (404)
5  rate limited after retries (429)
6  network or server failure (connection, timeout, 5xx, a 200 that is not job messages)
7  ``jobmsg catalog check`` found problems (or ``catalog stats --fail-under`` was not met)
== ==========================================================
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from jobmsg_i18n._version import __version__
from jobmsg_i18n.errors import JobMessagesError

__all__ = ["EXIT_CODES", "add_command", "at_least", "exit_code_for", "main", "print_error"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND, EXIT_RATE_LIMITED, EXIT_SERVICE = (
    range(7)
)
EXIT_CODES = {
    "ok": EXIT_OK,
    "unexpected": EXIT_UNEXPECTED,
    "usage": EXIT_USAGE,
    "auth": EXIT_AUTH,
    "not_found": EXIT_NOT_FOUND,
    "rate_limited": EXIT_RATE_LIMITED,
    "service": EXIT_SERVICE,
}

# Modules of jobmsg_i18n.cli, each with ``register(subparsers)``; imported only to build the parser,
# so none of them may import requests or jinja2 at module level.
COMMANDS = ("localize", "catalog", "fetch", "demo", "emulator", "report")

Handler = Callable[[argparse.Namespace], int]


def add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Handler,
    help: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A sub-command parser with the options every command shares (``--debug``)."""
    parser = subparsers.add_parser(name, help=help, description=description or help)
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks and request details (never the token)"
    )
    parser.set_defaults(handler=handler)
    return parser


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number no smaller than ``minimum``."""

    def whole_number(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return whole_number


def exit_code_for(error: BaseException) -> int:
    """The exit code for an error, by its meaning (see the module's table)."""
    from jobmsg_i18n import errors

    if isinstance(error, errors.AuthenticationError | errors.PermissionDeniedError):
        return EXIT_AUTH
    if isinstance(error, errors.NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(error, errors.RateLimitError):
        return EXIT_RATE_LIMITED
    if isinstance(
        error,
        errors.ServerError | errors.TransportError | errors.InvalidResponseError | errors.ApiError,
    ):
        return EXIT_SERVICE
    if isinstance(error, errors.InsecureTransportError):
        return EXIT_USAGE
    return EXIT_UNEXPECTED


def print_error(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"jobmsg: {message}", file=sys.stderr)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``jobmsg`` parser. Given ``argv``, only the command it names is fully built.

    Each command's module is imported only when that command runs (or for help), so that
    ``jobmsg localize`` starts without loading what ``fetch`` or ``report`` need.
    """
    parser = argparse.ArgumentParser(
        prog="jobmsg",
        description="Localized job messages of the iTwin Platform v2 jobs APIs.",
        epilog="Exit codes: 0 ok, 1 unexpected, 2 usage or unreadable input, 3 authentication, "
        "4 not found, 5 rate limited, 6 network or server failure, 7 catalog check failed.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # prog given, so that argparse need not build a help formatter (and import shutil) to run.
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", prog="jobmsg"
    )
    words = [word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")]
    chosen = words[0] if words and words[0] in COMMANDS else None
    for name in COMMANDS:
        if chosen is None or name == chosen:
            importlib.import_module(f"jobmsg_i18n.cli.{name}").register(subparsers)
        else:
            subparsers.add_parser(name)  # a name only: this run does not use it
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``jobmsg`` with ``argv`` (default: the command line) and return the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() != "utf-8":
            reconfigure(errors="backslashreplace")
    args = build_parser(argv).parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except JobMessagesError as exc:
        if args.debug:
            raise
        print_error(str(exc))
        return exit_code_for(exc)
    except KeyboardInterrupt:
        print_error("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        print_error(f"unexpected error: {type(exc).__name__}: {exc} (run again with --debug)")
        return EXIT_UNEXPECTED
