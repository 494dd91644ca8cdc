"""``jobmsg catalog harvest``: new server codes into the template, nothing else touched."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from jobmsg_i18n.catalogs import shipped_dir
from jobmsg_i18n.cli import main

PYBABEL = Path(sys.executable).with_name("pybabel")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "job-messages.json"


def response(path: Path, *messages: tuple[str, str, str, list[str]]) -> Path:
    errors = [{"code": c, "title": t, "message": m, "params": p} for c, t, m, p in messages]
    path.write_text(json.dumps({"messages": {"errors": errors, "warnings": []}}), "utf-8")
    return path


def entries(pot: Path) -> dict[str | None, tuple[str, list[str], set[str]]]:
    with pot.open("rb") as handle:
        return {
            m.context: (str(m.id), list(m.auto_comments), set(m.flags))
            for m in read_po(handle)
            if m.id
        }


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the shipped catalogs, to be changed."""
    folder = tmp_path / "locales"
    shutil.copytree(shipped_dir(), folder)
    return folder


def test_new_codes_are_added_with_source_text_flag_and_origin(
    locales: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pot = locales / "jobmsg.pot"
    before = pot.read_bytes()
    saved = response(
        tmp_path / "job-17.json",
        ("InputData_Invalid", "Invalid input data", "Reworded on the server (%1)", ["x"]),
        ("Mesh_TooLarge", "Mesh too large", "The mesh has %1 faces; the limit is %2.", ["9", "5"]),
        ("Retry_Later", "Retry later", "Retry in %1s", ["30"]),
    )
    assert main(["catalog", "harvest", str(saved), "--pot", str(pot)]) == 0
    out, err = capsys.readouterr()
    assert "added 2 codes: Mesh_TooLarge, Retry_Later" in out
    # A known code whose English changed on the server is left alone, and said so.
    assert "InputData_Invalid: the server's English differs from the template's" in err
    after = pot.read_bytes()
    assert after.startswith(before)  # existing entries byte for byte
    found = entries(pot)
    text, comments, flags = found["Mesh_TooLarge.message"]
    assert text == "The mesh has %1 faces; the limit is %2."
    assert flags == {"qt-format"}
    assert f"First seen in {saved} (messages.errors[1])." in " ".join(comments)
    assert 'In that message %1 was "9", %2 was "5".' in " ".join(comments)
    assert found["Mesh_TooLarge.title"][0] == "Mesh too large"
    # Babel would guess python-format from "%1s": harvested entries are qt-format only.
    assert '#, qt-format\nmsgctxt "Retry_Later.message"' in pot.read_text("utf-8")
    assert main(["catalog", "check", str(locales)]) == 0


def test_harvest_is_idempotent(locales: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pot = locales / "jobmsg.pot"
    assert main(["catalog", "harvest", str(EXAMPLE), "--pot", str(pot)]) == 0
    once = pot.read_bytes()
    assert main(["catalog", "harvest", str(EXAMPLE), str(EXAMPLE), "--pot", str(pot)]) == 0
    assert pot.read_bytes() == once
    assert "nothing changed" in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.skipif(not PYBABEL.exists(), reason="pybabel is not installed next to this Python")
def test_pybabel_update_then_keeps_every_existing_translation(locales: Path) -> None:
    pot = locales / "jobmsg.pot"
    french = locales / "fr" / "LC_MESSAGES" / "jobmsg.po"
    with french.open("rb") as handle:
        before = {m.context: m.string for m in read_po(handle) if m.id}
    assert main(["catalog", "harvest", str(EXAMPLE), "--pot", str(pot)]) == 0
    subprocess.run(
        [str(PYBABEL), "update", "-i", str(pot), "-d", str(locales), "-D", "jobmsg"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    with french.open("rb") as handle:
        after = {m.context: (m.string, m.fuzzy) for m in read_po(handle) if m.id}
    assert {c: after[c][0] for c in before} == before
    assert not any(fuzzy for _, fuzzy in after.values())
    assert after["Tiling_Adjusted.message"] == ("", False)


def test_a_missing_template_is_created(tmp_path: Path) -> None:
    pot = tmp_path / "mine" / "jobmsg.pot"
    assert main(["catalog", "harvest", str(EXAMPLE), "--pot", str(pot)]) == 0
    assert set(entries(pot)) == {
        f"{code}.{part}"
        for code in ("InputData_Invalid", "Tiling_Adjusted")
        for part in ("title", "message")
    }


def test_unreadable_responses_change_nothing(
    locales: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pot = locales / "jobmsg.pot"
    before = pot.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    assert main(["catalog", "harvest", str(EXAMPLE), str(broken), "--pot", str(pot)]) == 2
    assert main(["catalog", "harvest", str(tmp_path / "absent.json"), "--pot", str(pot)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}: not JSON" in err
    assert "absent.json: cannot be read" in err
    assert pot.read_bytes() == before


def test_messages_without_code_or_text_are_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pot = tmp_path / "jobmsg.pot"
    saved = response(
        tmp_path / "r.json",
        ("", "No code", "No code at all", []),
        ("NoTitle", "", "Text", []),
    )
    assert main(["catalog", "harvest", str(saved), "--pot", str(pot)]) == 0
    assert not pot.exists()
    err = capsys.readouterr().err
    assert "(messages.errors[0]): a message without a code cannot be translated" in err
    assert "NoTitle has no English title; left out" in err
