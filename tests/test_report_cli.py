"""`jobmsg report`: saved responses offline, and jobs fetched from the emulator over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli import run_jobmsg

from jobmsg_i18n import JobsClient, NotFoundError
from jobmsg_i18n.emulator import FAILED_JOB_ID, QUIET_JOB_ID, SUCCEEDED_JOB_ID, Emulator
from jobmsg_i18n.report import collect_reports

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "job-messages.json"
TOKEN = "tok-report-7c1d"


def jobmsg(
    *args: str, token: str | None = TOKEN, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return run_jobmsg(*args, token=token, cwd=cwd)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with Emulator() as emulator:
        yield emulator.base_url


def test_a_saved_response_becomes_a_text_report_on_stdout() -> None:
    result = jobmsg("report", "--input", str(EXAMPLE), "--locale", "pl", "--width", "100")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Raport komunikatów zadań"
    assert "1 błąd i 2 ostrzeżenia" in lines
    assert "job-messages" in result.stdout  # the file's name stands for the job id
    assert max(len(line) for line in lines) <= 100


def test_the_format_follows_the_output_files_suffix(tmp_path: Path) -> None:
    for name, start in [
        ("r.html", "<!DOCTYPE html>"),
        ("r.md", "# Job messages report"),
        ("r.txt", "Job messages report\n==="),
    ]:
        out = tmp_path / name
        result = jobmsg("report", "-i", str(EXAMPLE), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_text(encoding="utf-8").startswith(start)
        assert f"report written to {out}" in result.stderr
        assert oct(out.stat().st_mode & 0o077) != "0o0"  # readable by others, like any new file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.md", "r.txt"]


def test_an_unreadable_input_is_in_the_report_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"messages": ', encoding="utf-8")
    out = tmp_path / "report.md"
    result = jobmsg(
        "report",
        "-i",
        str(EXAMPLE),
        "-i",
        str(broken),
        "-i",
        str(tmp_path / "absent.json"),
        "-l",
        "fr",
        "-o",
        str(out),
    )
    assert result.returncode == 2
    report = out.read_text(encoding="utf-8")
    assert "2 tâches n’ont pas pu être récupérées." in report
    assert "## broken" in report and "## absent" in report
    assert "Réponse non valide" in report or "InvalidResponse" in report
    assert "broken: " in result.stderr and "absent.json" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "at least one JOB_ID or --input"),
        (("-i", str(EXAMPLE), "--timezone", "Mars/Olympus"), "unknown time zone"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    result = jobmsg("report", *args)
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""


def test_fetched_jobs_and_a_failed_one_make_one_report(base_url: str, tmp_path: Path) -> None:
    out = tmp_path / "jobs.html"
    ids = [SUCCEEDED_JOB_ID, FAILED_JOB_ID, "no-such-job", QUIET_JOB_ID]
    result = jobmsg("report", *ids, "--base-url", base_url, "-l", "ar", "-o", str(out))
    assert result.returncode == 4  # not found, as in the README's table
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "لم يتم العثور على المهمة" in page  # JobNotFound, localized
    assert page.count('<section class="job"') == 4
    assert "DJI_0385.JPG" in page


def test_fetching_without_a_token_exits_3(base_url: str) -> None:
    result = jobmsg("report", FAILED_JOB_ID, "--base-url", base_url, token=None)
    assert result.returncode == 3
    assert "ITWIN_ACCESS_TOKEN" in result.stderr


def test_collect_reports_keeps_the_order_details_and_errors(base_url: str) -> None:
    done: list[str] = []
    with JobsClient(TOKEN, base_url=base_url) as client:
        reports = list(
            collect_reports(
                client,
                [FAILED_JOB_ID, "nope", SUCCEEDED_JOB_ID],
                on_done=lambda r: done.append(r.job_id),
            )
        )
    assert [r.job_id for r in reports] == [FAILED_JOB_ID, "nope", SUCCEEDED_JOB_ID]
    assert sorted(done) == sorted(r.job_id for r in reports)
    failed, missing, succeeded = reports
    assert failed.details is not None and failed.details.state == "Failed"
    assert failed.messages is not None and failed.messages.errors
    assert isinstance(missing.error, NotFoundError) and missing.messages is None
    assert succeeded.error is None and succeeded.details is not None


def test_demo_writes_an_html_report_and_prints_its_path(tmp_path: Path) -> None:
    env_tmp = {"TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "jobmsg_i18n", "demo", "--locale", "ja"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **env_tmp},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    paths = [
        line.split(": ", 1)[1]
        for line in (result.stdout + result.stderr).splitlines()
        if "report" in line.lower() and ".html" in line
    ]
    assert paths, result.stdout + result.stderr
    page = Path(paths[-1].strip()).read_text(encoding="utf-8")
    assert '<html lang="ja" dir="ltr">' in page
    assert "ジョブ メッセージ レポート" in page


def test_a_report_of_many_files_keeps_their_order(tmp_path: Path) -> None:
    names = []
    for index in range(3):
        path = tmp_path / f"job-{index}.json"
        path.write_text(
            json.dumps(
                {
                    "job": {"id": f"id-{index}", "name": f"Job {index}"},
                    **json.loads(EXAMPLE.read_text()),
                }
            ),
            encoding="utf-8",
        )
        names += ["-i", str(path)]
    result = jobmsg("report", *names, "-f", "markdown")
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("## Job")]
    assert headings == ["## Job 0", "## Job 1", "## Job 2"]
