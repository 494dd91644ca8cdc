"""`jobmsg localize`, run as a user would: a real process, files and stdin."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli import run_jobmsg

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "job-messages.json"


def jobmsg(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return run_jobmsg(*args, stdin=stdin)


def test_text_output_in_french() -> None:
    result = jobmsg("localize", str(EXAMPLE), "--locale", "fr")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ERROR   Données d’entrée non valides (InputData_Invalid)"
    nbsp = "\u00a0"
    assert lines[1] == (
        "        Données d’entrée non valides. Consultez la documentation. "
        f"(«{nbsp}DJI_0385.JPG'.{nbsp}»)"
    )
    assert lines[-2].endswith("Tiling adjusted (Tiling_Adjusted)  [en]")
    assert result.stderr == ""


def test_json_output_has_the_documented_shape() -> None:
    result = jobmsg("localize", str(EXAMPLE), "--locale", "pt-br", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["locale", "errors", "warnings"]
    assert document["locale"] == "pt_BR"
    assert [m["code"] for m in document["warnings"]] == ["InputData_Invalid", "Tiling_Adjusted"]
    assert document["errors"][0]["params"] == ["DJI_0385.JPG'."]
    assert document["errors"][0]["locale"] == "pt_BR"
    assert document["warnings"][1]["message"] == (
        "Tile size 16 was too small for 2041 photos; a larger size was used."
    )


def test_reads_stdin_and_reports_problems_on_stderr_without_stopping() -> None:
    doc = {"errors": [{"code": "JobNotFound", "title": "", "message": "", "params": [7]}, 3]}
    result = jobmsg(
        "localize", "--locale", "de", "--format", "json", stdin=json.dumps(doc).encode()
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["errors"][0]["params"] == ["7"]
    assert result.stderr.splitlines() == [
        "jobmsg: <stdin>: errors[0].params[0]: expected string, got number",
        "jobmsg: <stdin>: errors[1]: expected object, got number (left out)",
        "jobmsg: <stdin>: warnings: missing",
    ]


def test_strict_refuses_damaged_input() -> None:
    doc = {"errors": [], "warnings": [{"code": "C"}]}
    result = jobmsg("localize", "-", "--strict", stdin=json.dumps(doc).encode())
    assert result.returncode == 2
    assert result.stderr.startswith("jobmsg: <stdin>: 3 problems in job messages: ")


def test_an_unknown_locale_says_so_and_still_prints_english() -> None:
    result = jobmsg("localize", str(EXAMPLE), "--locale", "tlh")
    assert result.returncode == 0
    assert "no catalog for locale 'tlh'; using English" in result.stderr
    assert "Invalid input data. Please check the documentation." in result.stdout


def test_empty_messages() -> None:
    result = jobmsg("localize", "-", stdin=b'{"errors": [], "warnings": []}')
    assert (result.returncode, result.stdout) == (0, "No errors or warnings.\n")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["localize", "/nonexistent/file.json"], None, "cannot read /nonexistent/file.json"),
        (["localize", "-"], b"<html>502 Bad Gateway</html>", "<stdin>: not JSON"),
        (["localize", "-"], b'{"jobs": 1}', "not a job messages response"),
        (["localize", "--format", "yaml"], b"", "invalid choice: 'yaml'"),
        (["frobnicate"], None, "invalid choice: 'frobnicate'"),
    ],
)
def test_unreadable_input_and_usage_errors_exit_2_with_one_line(
    args: list[str], stdin: bytes | None, message: str
) -> None:
    result = jobmsg(*args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_user_catalog_dir_option(tmp_path: Path) -> None:
    from catalog_factory import write_catalog

    write_catalog(tmp_path, "fr", {"Tiling_Adjusted": ("Tuilage ajusté", "Tuile %1, %2 photos.")})
    result = jobmsg("localize", str(EXAMPLE), "-l", "fr", "--catalog-dir", str(tmp_path))
    assert "Tuile 16, 2041 photos." in result.stdout
