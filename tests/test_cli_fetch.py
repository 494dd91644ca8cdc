"""`jobmsg fetch`, `jobmsg demo`: real processes against servers on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from cli import run_jobmsg
from faultserver import FaultServer, Reply, error

from jobmsg_i18n.emulator import FAILED_JOB_ID, QUIET_JOB_ID, SUCCEEDED_JOB_ID, Emulator

TOKEN = "tok-cli-DISTINCTIVE-5e2a9"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with Emulator() as emulator:
        yield emulator.base_url


def jobmsg(*args: str, token: str | None = TOKEN) -> subprocess.CompletedProcess[str]:
    return run_jobmsg(*args, token=token)


def test_a_missing_token_is_a_clear_error_with_exit_3(base_url: str) -> None:
    result = jobmsg("fetch", FAILED_JOB_ID, "--base-url", base_url, token=None)
    assert result.returncode == 3
    assert "ITWIN_ACCESS_TOKEN" in result.stderr and result.stdout == ""


def test_fetch_prints_the_messages_localized(base_url: str) -> None:
    result = jobmsg("fetch", FAILED_JOB_ID, "--base-url", base_url, "--locale", "fr")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Job {FAILED_JOB_ID}"
    assert lines[1] == "ERROR   Données d’entrée non valides (InputData_Invalid)"
    assert "DJI_0385.JPG'." in lines[2]
    assert "Blurred photos (Photo_Blurred)  [en]" in result.stdout


def test_json_has_the_shape_of_localize_plus_job_id(base_url: str) -> None:
    ids = [SUCCEEDED_JOB_ID, "no-such-job", QUIET_JOB_ID]
    result = jobmsg("fetch", *ids, "--base-url", base_url, "-f", "json", "--locale", "de")
    document = json.loads(result.stdout)
    assert [job["job_id"] for job in document] == ids
    assert set(document[0]) == {"job_id", "locale", "errors", "warnings"}
    assert document[0]["warnings"][0]["code"] == "InputData_Invalid"
    assert document[0]["warnings"][0]["translated"] is True
    failed = document[1]
    assert set(failed) == {"job_id", "locale", "error"}
    assert failed["error"]["code"] == "JobNotFound" and failed["error"]["status"] == 404
    assert failed["error"]["translated"] is True
    assert document[2]["errors"] == [] and document[2]["warnings"] == []
    assert result.returncode == 4  # the worst outcome among the jobs
    assert "no-such-job: HTTP 404 JobNotFound" in result.stderr


def test_the_same_shape_as_localize_for_the_same_messages(base_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jobmsg_i18n.emulator import sample_jobs

    job = next(j for j in sample_jobs() if j.id == FAILED_JOB_ID)
    saved = tmp_path / "messages.json"
    saved.write_text(json.dumps(job.messages.to_dict()))
    localized = json.loads(jobmsg("localize", str(saved), "-f", "json", "-l", "ja").stdout)
    fetched = json.loads(
        jobmsg("fetch", FAILED_JOB_ID, "--base-url", base_url, "-f", "json", "-l", "ja").stdout
    )
    assert fetched == [{"job_id": FAILED_JOB_ID, **localized}]


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (error(401, "HeaderNotFound"), 3),
        (error(403, "InsufficientPermissions"), 3),
        (error(404, "JobNotFound"), 4),
        (error(429, "RateLimitExceeded", **{"Retry-After": "100000"}), 5),
        (Reply(200, b"<html>proxy login</html>", content_type="text/html"), 6),
        (Reply(200, b"{not json"), 6),
        (error(500, "Boom"), 6),
    ],
)
def test_exit_codes_follow_the_readme_table(reply: Reply, code: int) -> None:
    with FaultServer(reply) as server:
        result = jobmsg("fetch", "job-1", "--base-url", server.url)
    assert result.returncode == code, result.stderr
    assert TOKEN not in result.stdout + result.stderr


def test_connection_refused_is_exit_6() -> None:
    from faultserver import refused_url

    result = jobmsg("fetch", "job-1", "--base-url", refused_url(), "--retries", "1")
    assert result.returncode == 6
    assert "refused the connection" in result.stderr


def test_plain_http_to_a_remote_host_is_refused_before_any_request() -> None:
    result = jobmsg("fetch", "job-1", "--base-url", "http://example.com")
    assert result.returncode == 2
    assert "plain http" in result.stderr


def test_a_malformed_job_id_is_a_usage_error(base_url: str) -> None:
    result = jobmsg("fetch", "..", "--base-url", base_url)
    assert result.returncode == 2 and "not a job id" in result.stderr


def test_debug_adds_detail_but_never_the_token() -> None:
    with FaultServer(error(503, "Busy", **{"X-Correlation-Id": "corr-7"})) as server:
        result = jobmsg("fetch", "job-1", "--base-url", server.url, "--debug", "--retries", "2")
    assert result.returncode == 6
    assert "GET http://127.0.0.1" in result.stderr and "-> 503" in result.stderr
    assert "request id corr-7" in result.stderr and "waiting" in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert len(server.requests) == 3  # retried


def test_several_jobs_without_a_terminal_print_no_progress_bar(base_url: str) -> None:
    result = jobmsg("fetch", SUCCEEDED_JOB_ID, FAILED_JOB_ID, "--base-url", base_url)
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.count("Job ") == 2


def test_the_parser_and_offline_commands_do_not_import_requests() -> None:
    probe = (
        "import sys\nfrom jobmsg_i18n.cli import build_parser\nbuild_parser()\n"
        "heavy = ('requests', 'urllib3', 'tqdm')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_demo_runs_offline_and_prints_localized_messages() -> None:
    result = jobmsg("demo", token=None)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'Invalid input data. Please check the documentation. ("DJI_0385.JPG\'.")' in out
    assert "Tile size 16 was too small for 2041 photos" in out
    assert "Job not found (JobNotFound)" in out
    assert "Emulator at http://127.0.0.1:" in result.stderr


def test_demo_in_japanese_as_json() -> None:
    result = jobmsg("demo", "--locale", "ja", "--format", "json", token=None)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [job["job_id"] for job in document][:3] == [
        SUCCEEDED_JOB_ID,
        FAILED_JOB_ID,
        QUIET_JOB_ID,
    ]
    assert document[1]["errors"][0]["locale"] == "ja"
    assert document[3]["error"]["code"] == "JobNotFound"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_several_jobs_on_a_terminal_show_a_progress_bar_on_stderr(base_url: str) -> None:
    import fcntl
    import pty
    import struct
    import termios

    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "ITWIN_ACCESS_TOKEN": TOKEN}
    ids = [SUCCEEDED_JOB_ID, FAILED_JOB_ID, QUIET_JOB_ID] * 4
    with subprocess.Popen(
        [sys.executable, "-m", "jobmsg_i18n", "fetch", *ids, "--base-url", base_url],
        stdout=subprocess.PIPE,
        stderr=secondary,
        env=env,
        text=True,
    ) as process:
        os.close(secondary)
        out, _ = process.communicate(timeout=60)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.returncode == 0
    assert b"0/12" in shown and b"job/s" in shown  # tqdm draws it; leave=False wipes it
    assert out.count("Job ") == 12 and "/12" not in out


def test_a_token_that_cannot_be_sent_is_exit_3_without_echoing_it(base_url: str) -> None:
    result = jobmsg("fetch", FAILED_JOB_ID, "--base-url", base_url, token="abc def\u00e9")
    assert result.returncode == 3
    assert "ITWIN_ACCESS_TOKEN: the token contains characters" in result.stderr
    assert "abc def" not in result.stderr
