"""Fetching job messages over HTTP: connection reuse, concurrency and the shared rate limit.

The emulator runs in its own process (its own GIL), on loopback, with a per-request latency that
stands in for the real API's round trip. Each figure is jobs per second and its ratio to (a),
measured in the same run:

(a) a naive loop of ``requests.get``, a new connection each;
(b) ``JobsClient.get_messages`` in a loop (one kept-alive connection);
(c) ``JobsClient.fetch_many(concurrency=8)``.

Targets: at zero latency b/a >= 1.3; at 50 ms latency c/a >= 6; with the emulator limited to
R requests per second, fetch_many over N jobs takes at most 1.15 x N/R and loses nothing.

    python benchmarks/bench_fetch.py [--jobs 500] [--latency 0.05] [--rate 100]
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import requests

from jobmsg_i18n.client import ACCEPT, JobsClient
from jobmsg_i18n.emulator import sample_jobs

TOKEN = "bench-token"  # noqa: S105 (the emulator takes any token)


@contextmanager
def emulator(*options: str) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "jobmsg_i18n", "emulator", "--quiet", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(10)


def job_ids(count: int) -> list[str]:
    return list(itertools.islice(itertools.cycle(job.id for job in sample_jobs()), count))


def naive(base_url: str, ids: list[str]) -> int:
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": ACCEPT}
    done = 0
    for job_id in ids:
        url = f"{base_url}/reality-analysis/jobs/{job_id}/messages"
        response = requests.get(url, headers=headers, timeout=30)
        response.raise_for_status()
        response.json()
        done += 1
    return done


def sequential(base_url: str, ids: list[str]) -> int:
    with JobsClient(TOKEN, base_url=base_url) as client:
        return sum(1 for job_id in ids if client.get_messages(job_id) is not None)


def concurrent(base_url: str, ids: list[str]) -> int:
    with JobsClient(TOKEN, base_url=base_url) as client:
        return sum(1 for result in client.fetch_many(ids, concurrency=8) if result.ok)


def rate(run: Callable[[str, list[str]], int], base_url: str, ids: list[str]) -> tuple[float, int]:
    run(base_url, ids[:20])  # warm up: imports, first connections
    started = time.perf_counter()
    done = run(base_url, ids)
    return len(ids) / (time.perf_counter() - started), done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rate", type=int, default=100, help="the emulator's requests per second")
    args = parser.parse_args()
    ids = job_ids(args.jobs)
    ok = True
    print(f"{args.jobs} jobs per figure; emulator in its own process on loopback\n")
    print(f"{'latency':>8}  {'way':<32} {'jobs/s':>8} {'ratio to a':>10}")
    for latency, target_name, target in ((0.0, "b/a", 1.3), (args.latency, "c/a", 6.0)):
        with emulator("--latency", str(latency)) as base_url:
            figures = {}
            for name, label, run in (
                ("a", "requests.get, new connection", naive),
                ("b", "JobsClient, sequential", sequential),
                ("c", "fetch_many(concurrency=8)", concurrent),
            ):
                per_second, done = rate(run, base_url, ids)
                figures[name] = per_second
                ok &= done == len(ids)
                ratio = per_second / figures["a"]
                print(
                    f"{latency * 1000:>6.0f}ms  ({name}) {label:<28} "
                    f"{per_second:>8.0f} {ratio:>10.2f}"
                )
        got = figures[target_name[0]] / figures["a"]
        passed = got >= target
        ok &= passed
        verdict = "ok" if passed else "MISSED"
        print(f"          target {target_name} >= {target}: {got:.2f} {verdict}\n")
    with emulator("--rate-limit", str(args.rate)) as base_url:
        started = time.perf_counter()
        done = concurrent(base_url, ids)
        elapsed = time.perf_counter() - started
    bound = 1.15 * args.jobs / args.rate
    passed = elapsed <= bound and done == len(ids)
    ok &= passed
    print(
        f"rate limit {args.rate}/s: fetch_many over {args.jobs} jobs took {elapsed:.2f} s "
        f"(N/R = {args.jobs / args.rate:.2f} s, bound {bound:.2f} s), {done}/{len(ids)} fetched: "
        f"{'ok' if passed else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
