"""Rendering an HTML report: its cost over the floor of localizing the messages and printing them.

A report of 100 jobs with 100 messages each (errors and warnings, known and unknown codes, one
or two params) is rendered with ``render_report(jobs, localizer, "html")``. The baseline, measured
in the same run with the same warmed Localizer, is what any report must do at least: localize the
same messages, then print the same rows with a bare Jinja2 loop (autoescape on, four cells).

Target: report / baseline <= 1.5, in each locale measured.

    python benchmarks/bench_report.py [--jobs 100] [--messages 100] [--repeat 7] [--locale fr ar]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from jinja2 import Environment

from jobmsg_i18n import JobMessage, JobMessages, Localizer
from jobmsg_i18n.job import Job
from jobmsg_i18n.report import JobReport, render_report

TARGET = 1.5

BARE_LOOP = (
    "{% for m in rows %}<tr><td>{{ m.severity }}</td><td>{{ m.code }}</td>"
    "<td>{{ m.title }}</td><td>{{ m.message }}</td></tr>\n{% endfor %}"
)

KNOWN = [
    (
        "InputData_Invalid",
        "Invalid input data",
        'Invalid input data. Please check the documentation. ("%1")',
    ),
    ("JobNotFound", "Job not found", "Requested job is not available."),
    ("InvalidValue", "Invalid value", "The value %1 of %2 is not valid."),
]


def sample_jobs(count: int, per_job: int, seed: int = 4) -> list[JobReport]:
    rng = random.Random(seed)
    unknown = [
        (f"Engine_Warning{i}", f"Engine warning {i}", f"Tile %1 of %2 needed step {i}.")
        for i in range(30)
    ]
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    jobs = []
    for number in range(count):
        messages = []
        for index in range(per_job):
            code, title, text = rng.choice(KNOWN if rng.random() < 0.6 else unknown)
            params = (f"DJI_{number:04d}_{index:03d}.JPG", str(rng.randrange(10_000)))
            messages.append(JobMessage(code, title, text, params[: max(1, text.count("%"))]))
        split = per_job // 4
        job_id = f"{number:08d}-5717-4562-b3fc-2c963f66afa6"
        details = Job(
            job_id,
            f"Survey block {number}",
            "Reconstruction",
            "Failed" if number % 3 else "Success",
            start + timedelta(hours=number),
            start + timedelta(hours=number, minutes=3),
            start + timedelta(hours=number + 1),
        )
        jobs.append(
            JobReport(
                job_id, details, JobMessages(tuple(messages[:split]), tuple(messages[split:]))
            )
        )
    return jobs


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(locale: str, jobs: list[JobReport], repeat: int) -> tuple[float, float, int]:
    localizer = Localizer(locale)
    bare = Environment(autoescape=True).from_string(BARE_LOOP)
    generated = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)

    def baseline() -> str:
        rows = []
        for job in jobs:
            assert job.messages is not None
            rows.extend(localizer.localize(job.messages))
        return bare.render(rows=rows)

    def report() -> str:
        return render_report(jobs, localizer, "html", generated=generated)

    size = len(report())  # warm up both: catalogs, templates, caches
    baseline()
    base_times, report_times = [], []
    for _ in range(repeat):  # interleaved, so that both see the same machine
        base_times.append(best(baseline, 1))
        report_times.append(best(report, 1))
    return min(base_times), min(report_times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--locale", nargs="+", default=["fr", "ar"])
    args = parser.parse_args(argv)
    jobs = sample_jobs(args.jobs, args.messages)
    total = args.jobs * args.messages
    print(f"HTML report of {args.jobs} jobs x {args.messages} messages ({total} rows)")
    worst = 0.0
    for locale in args.locale:
        base, report, size = measure(locale, jobs, args.repeat)
        ratio = report / base
        worst = max(worst, ratio)
        print(
            f"  {locale:5}  baseline (localize + bare loop) {base * 1e3:7.1f} ms"
            f" ({base / total * 1e6:.2f} us/row)   report {report * 1e3:7.1f} ms"
            f" ({report / total * 1e6:.2f} us/row, {size / 1e6:.1f} MB)   ratio {ratio:.2f}"
        )
    verdict = "met" if worst <= TARGET else "MISSED"
    print(f"target report/baseline <= {TARGET}: {verdict} (worst {worst:.2f})")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
