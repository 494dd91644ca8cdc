"""``jobmsg emulator``: serve the jobs API emulator until interrupted."""

from __future__ import annotations

import argparse
import sys

from jobmsg_i18n.cli import EXIT_OK, EXIT_USAGE, add_command, print_error


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "emulator",
        run,
        help="serve an emulator of the jobs APIs' job and messages endpoints on loopback",
        description="Serve GET /{api}/jobs/{id} and GET /{api}/jobs/{id}/messages of the three "
        "v2 jobs APIs with sample jobs, until interrupted. Prints the base URL on stdout; "
        "one access-log line per request on stderr.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=None,
        metavar="N",
        help="answer 429 RateLimitExceeded beyond N requests per second",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="delay every answer, like the real API's round trip (e.g. 0.05)",
    )
    parser.add_argument("--token", default=None, help="accept only this token (default: any)")
    parser.add_argument("--quiet", action="store_true", help="no access log")


def run(args: argparse.Namespace) -> int:
    from jobmsg_i18n.emulator import Emulator

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        emulator = Emulator(
            args.host,
            args.port,
            rate_limit=args.rate_limit,
            latency=args.latency,
            token=args.token,
            log=None if args.quiet else log,
        )
    except (ValueError, OSError) as exc:
        print_error(f"cannot start the emulator: {exc}")
        return EXIT_USAGE
    print(emulator.base_url, flush=True)
    first = next(iter(emulator.jobs))
    print(
        f"serving {len(emulator.jobs)} sample jobs ({', '.join(emulator.jobs)}); try:\n"
        f"  curl -H 'Authorization: Bearer x' {emulator.base_url}/reality-analysis/jobs/{first}"
        "/messages\n"
        f"  ITWIN_ACCESS_TOKEN=x jobmsg fetch --base-url {emulator.base_url} {first}\n"
        "Ctrl-C stops it.",
        file=sys.stderr,
        flush=True,
    )
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return EXIT_OK
