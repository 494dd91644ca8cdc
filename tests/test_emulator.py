"""The emulator, spoken to over HTTP as any client would (plain requests and raw sockets)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from jobmsg_i18n.emulator import (
    APIS,
    FAILED_JOB_ID,
    QUIET_JOB_ID,
    SUCCEEDED_JOB_ID,
    Emulator,
    sample_jobs,
)

V2 = "application/vnd.bentley.itwin-platform.v2+json"
AUTH = {"Authorization": "Bearer anything", "Accept": V2}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with Emulator() as emulator:
        yield emulator.base_url


def get(url: str, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.get(url, headers=AUTH if headers is None else headers, timeout=5)


@pytest.mark.parametrize("api", APIS)
def test_each_api_serves_the_sample_jobs_and_their_messages(base_url: str, api: str) -> None:
    answer = get(f"{base_url}/{api}/jobs/{FAILED_JOB_ID}/messages")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert set(body) == {"messages"} and set(body["messages"]) == {"errors", "warnings"}
    (error,) = body["messages"]["errors"]
    assert error == {
        "code": "InputData_Invalid",
        "title": "Invalid input data",
        "message": 'Invalid input data. Please check the documentation. ("%1")',
        "params": ["DJI_0385.JPG'."],
    }
    job = get(f"{base_url}/{api}/jobs/{FAILED_JOB_ID}").json()["job"]
    assert job["id"] == FAILED_JOB_ID and job["state"] == "Failed"


def test_the_sample_jobs_cover_the_cases_a_ui_meets() -> None:
    jobs = {job.id: job for job in sample_jobs()}
    succeeded = jobs[SUCCEEDED_JOB_ID]
    assert succeeded.state == "Success" and succeeded.messages.warnings
    assert not succeeded.messages.errors
    assert any(len(m.params) == 2 for m in succeeded.messages.warnings)
    codes = {
        m.code for job in jobs.values() for m in (*job.messages.errors, *job.messages.warnings)
    }
    assert "Photo_Blurred" in codes  # a code no shipped catalog knows
    assert len(jobs[QUIET_JOB_ID].messages) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Basic dXNlcjpwdw=="},
        {"Authorization": "Bearer"},
    ],
)
def test_a_missing_or_malformed_authorization_is_401_header_not_found(
    base_url: str, headers: dict[str, str]
) -> None:
    answer = get(f"{base_url}/reality-analysis/jobs/{FAILED_JOB_ID}/messages", headers)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "HeaderNotFound"


def test_a_wrong_accept_version_is_404_resource_not_found(base_url: str) -> None:
    headers = {**AUTH, "Accept": "application/vnd.bentley.itwin-platform.v1+json"}
    answer = get(f"{base_url}/reality-analysis/jobs/{FAILED_JOB_ID}/messages", headers)
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["code"] == "ResourceNotFound"
    assert error["details"][0]["code"] == "OperationNotFound"


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/reality-analysis/jobs/unknown/messages", "JobNotFound"),
        ("/reality-analysis/jobs/unknown", "JobNotFound"),
        ("/reality-nothing/jobs/x/messages", "ResourceNotFound"),
        (f"/reality-analysis/jobs/{FAILED_JOB_ID}/progress-bar", "ResourceNotFound"),
        ("/", "ResourceNotFound"),
    ],
)
def test_unknown_jobs_and_paths_are_404(base_url: str, path: str, code: str) -> None:
    answer = get(base_url + path)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == code


def test_other_methods_are_405(base_url: str) -> None:
    answer = requests.delete(
        f"{base_url}/reality-analysis/jobs/{FAILED_JOB_ID}", headers=AUTH, timeout=5
    )
    assert answer.status_code == 405


def test_a_percent_encoded_id_is_one_segment(base_url: str) -> None:
    assert get(f"{base_url}/reality-analysis/jobs/..%2F..%2Fetc/messages").status_code == 404


def test_the_rate_limit_answers_429_with_a_retry_after() -> None:
    with Emulator(rate_limit=3) as emulator, requests.Session() as session:
        url = f"{emulator.base_url}/reality-modeling/jobs/{FAILED_JOB_ID}/messages"
        answers = [session.get(url, headers=AUTH, timeout=5) for _ in range(5)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    limited = answers[3]
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "RateLimitExceeded"
    assert 0 < float(limited.headers["Retry-After"]) <= 1.0
    assert emulator.rate_limited == 2


def test_a_token_can_be_required() -> None:
    with Emulator(token="the-one") as emulator:
        url = f"{emulator.base_url}/reality-analysis/jobs/{FAILED_JOB_ID}"
        assert get(url, {"Authorization": "Bearer the-one"}).status_code == 200
        wrong = get(url, {"Authorization": "Bearer another"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "InvalidToken"


def test_headers_and_body_leave_in_one_write(base_url: str) -> None:
    # Two writes on a keep-alive connection meet Nagle against delayed ACK: ~40 ms per request.
    host, port = base_url.removeprefix("http://").split(":")
    request = (
        f"GET /reality-analysis/jobs/{FAILED_JOB_ID}/messages HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer x\r\nAccept: {V2}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        for _ in range(3):
            sock.sendall(request)
            first = sock.recv(65536)
            head, _, body = first.partition(b"\r\n\r\n")
            length = int(
                next(
                    line
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ).split(b":")[1]
            )
            assert len(body) == length  # the whole answer arrived in the first read
            assert (
                sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            )  # ours, not the server's


def test_the_access_log_goes_to_the_given_function() -> None:
    lines: list[str] = []
    with Emulator(log=lines.append) as emulator:
        get(f"{emulator.base_url}/reality-analysis/jobs/{FAILED_JOB_ID}")
    assert (
        len(lines) == 1 and f'"GET /reality-analysis/jobs/{FAILED_JOB_ID} HTTP/1.1" 200' in lines[0]
    )


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        Emulator(rate_limit=0)
    with pytest.raises(ValueError):
        Emulator(latency=-1)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_the_emulator_command_prints_its_url_serves_and_stops_on_interrupt() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "jobmsg_i18n", "emulator", "--port", "0", "--rate-limit", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        answer = get(f"{url}/reality-conversion/jobs/{SUCCEEDED_JOB_ID}/messages")
        assert answer.status_code == 200
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    assert process.returncode == 0
    assert "200" in err and "Ctrl-C" in err


def test_the_latency_delays_every_answer() -> None:
    from jobmsg_i18n import JobsClient, TransportError

    with Emulator(latency=1.0) as emulator:
        client = JobsClient("t", base_url=emulator.base_url, timeout=0.1, max_retries=0)
        with pytest.raises(TransportError) as caught:
            client.get_messages(FAILED_JOB_ID)
    assert caught.value.code == "Timeout"
