"""``jobmsg demo``: the whole path over real HTTP, against the bundled emulator, offline."""

from __future__ import annotations

import argparse
import sys

from jobmsg_i18n.cli import EXIT_OK, add_command
from jobmsg_i18n.cli.localize import add_output_options, make_localizer

# Not a job of the emulator: shows how a failed job reads.
UNKNOWN_JOB_ID = "00000000-0000-4000-8000-000000000000"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "demo",
        run,
        help="fetch the emulator's sample jobs over HTTP and print them localized (offline)",
        description="Start the jobs API emulator on a free loopback port, fetch its sample jobs "
        "(and one unknown job) through JobsClient over HTTP, and print their messages "
        "localized. Needs no network and no account.",
    )
    add_output_options(parser)


def run(args: argparse.Namespace) -> int:
    from jobmsg_i18n.cli.fetch import enable_debug_logging, print_outcomes
    from jobmsg_i18n.client import JobsClient
    from jobmsg_i18n.emulator import Emulator

    if args.debug:
        enable_debug_logging()
    localizer = make_localizer(args)
    with Emulator() as emulator, JobsClient("demo-token", base_url=emulator.base_url) as client:
        print(f"Emulator at {emulator.base_url}; locale {localizer.locale}", file=sys.stderr)
        job_ids = [*emulator.jobs, UNKNOWN_JOB_ID]
        headers = {}
        for job_id in emulator.jobs:
            job = client.get_job(job_id)
            headers[job_id] = f"{job.id} · {job.name} · {job.state}"
        headers[UNKNOWN_JOB_ID] = f"{UNKNOWN_JOB_ID} · (not a job of the emulator)"
        print_outcomes(client.fetch_many(job_ids), localizer, args, headers, report_errors=False)
        from jobmsg_i18n.cli.report import write_demo_report

        report = write_demo_report(client, job_ids, localizer)
    print(f"HTML report of these jobs: {report}", file=sys.stderr)
    return EXIT_OK
