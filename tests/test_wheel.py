"""A non-editable install finds its catalogs: build the wheel, install it in a fresh venv."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "job-messages.json"


@pytest.mark.slow
def test_installed_wheel_localizes_a_file_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = dist.glob("jobmsg_i18n-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "jobmsg_i18n/locales/fr/LC_MESSAGES/jobmsg.mo" in names
    assert "jobmsg_i18n/locales/jobmsg.pot" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "response.json").write_bytes(EXAMPLE.read_bytes())
    result = subprocess.run(
        [str(venv / "bin" / "jobmsg"), "localize", "response.json", "-l", "ja", "-f", "json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    document = json.loads(result.stdout)
    assert document["errors"][0]["locale"] == "ja"
    assert document["errors"][0]["translated"] is True
    where = subprocess.run(
        [str(python), "-c", "import jobmsg_i18n.catalogs as c; print(c.shipped_path())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(venv)), where
