"""JobsClient.fetch_many: many jobs, one pool, one rate-limit budget, order kept, none lost."""

from __future__ import annotations

import threading

import pytest
from faultserver import FaultServer, Recorded, Reply, error, refused_url

from jobmsg_i18n import FetchResult, JobMessage, JobMessages, JobsClient, NotFoundError, ServerError
from jobmsg_i18n.emulator import FAILED_JOB_ID, SUCCEEDED_JOB_ID, EmulatedJob, Emulator

TOKEN = "tok-fetch-many-DISTINCTIVE-91"


def numbered_jobs(count: int) -> list[EmulatedJob]:
    return [
        EmulatedJob(
            f"job-{n:04d}",
            f"Job {n}",
            JobMessages(warnings=(JobMessage("Numbered", "Numbered", "Number %1", (str(n),)),)),
        )
        for n in range(count)
    ]


def test_200_jobs_under_the_emulators_rate_limit_are_all_fetched_in_order() -> None:
    jobs = numbered_jobs(200)
    with Emulator(jobs=jobs, rate_limit=100) as emulator:
        with JobsClient(TOKEN, base_url=emulator.base_url) as client:
            results = list(client.fetch_many([job.id for job in jobs], concurrency=8))
        assert emulator.rate_limited > 0  # the limit was hit, and waited out
    assert [r.job_id for r in results] == [job.id for job in jobs]
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    assert [r.messages.warnings[0].params for r in results if r.messages] == [
        (str(n),) for n in range(200)
    ]


def test_a_failed_job_never_stops_the_others() -> None:
    ids = [SUCCEEDED_JOB_ID, "no-such-job", FAILED_JOB_ID, "another-missing"]
    with Emulator() as emulator, JobsClient(TOKEN, base_url=emulator.base_url) as client:
        results = list(client.fetch_many(ids, concurrency=3))
    assert [r.job_id for r in results] == ids
    assert [r.ok for r in results] == [True, False, True, False]
    assert isinstance(results[1].error, NotFoundError) and results[1].messages is None
    assert results[2].messages is not None and results[2].messages.errors[0].params == (
        "DJI_0385.JPG'.",
    )


def test_order_is_kept_when_later_jobs_finish_first() -> None:
    def respond(request: Recorded) -> Reply:
        # the first job is the slowest
        return Reply(delay=0.3 if "/slow/" in request.path else 0.0)

    ids = ["slow", "a", "b", "c"]
    with FaultServer(respond=respond) as server:
        results = list(JobsClient(TOKEN, base_url=server.url).fetch_many(ids, concurrency=4))
    assert [r.job_id for r in results] == ids


def test_every_job_of_one_fetch_shares_the_connections() -> None:
    with FaultServer() as server:
        client = JobsClient(TOKEN, base_url=server.url)
        results = list(client.fetch_many([f"j{n}" for n in range(60)], concurrency=3))
    assert all(r.ok for r in results)
    assert len({r.peer for r in server.requests}) <= 3


def test_at_most_concurrency_requests_are_in_flight() -> None:
    # The server's responder runs under its lock, so the overlap is measured from the arrival
    # times: each answer is held back 0.1 s (outside that lock), so a request arriving within
    # 0.09 s of another's arrival was in flight at the same time.
    delay = 0.1
    with FaultServer(Reply(delay=delay)) as server:
        client = JobsClient(TOKEN, base_url=server.url)
        assert all(r.ok for r in client.fetch_many([f"j{n}" for n in range(12)], concurrency=3))
    starts = sorted(r.at for r in server.requests)
    in_flight = max(sum(1 for s in starts if t <= s < t + 0.9 * delay) for t in starts)
    assert in_flight == 3


def test_a_server_error_is_carried_by_its_job() -> None:
    def respond(request: Recorded) -> Reply:
        return error(500, "Boom") if "/j2/" in request.path else Reply()

    with FaultServer(respond=respond) as server:
        results = list(JobsClient(TOKEN, base_url=server.url).fetch_many(["j1", "j2", "j3"]))
    assert [type(r.error) for r in results] == [type(None), ServerError, type(None)]
    assert results[1] == FetchResult("j2", None, results[1].error)


def test_stopping_early_leaves_nothing_running() -> None:
    with FaultServer() as server:
        client = JobsClient(TOKEN, base_url=server.url)
        results = client.fetch_many(iter(f"j{n}" for n in range(10_000)), concurrency=2)
        first = next(results)
        results.close()
    assert first.ok
    assert len(server.requests) < 100  # ids are read lazily, a few ahead of the workers
    assert not [t for t in threading.enumerate() if t.name.startswith("jobmsg-fetch")]


def test_a_malformed_id_is_the_callers_error() -> None:
    client = JobsClient(TOKEN, base_url=refused_url(), max_retries=0)
    with pytest.raises(ValueError, match="not a job id"):
        list(client.fetch_many(["ok", ".."]))
    with pytest.raises(ValueError, match="concurrency"):
        list(client.fetch_many(["ok"], concurrency=0))
