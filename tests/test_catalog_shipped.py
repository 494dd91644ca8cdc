"""The shipped catalogs: complete, clean for the project's checker and for GNU ``msgfmt -c``.

CI runs these through ``make test``; ``make catalogs-check`` runs the same two tools by hand.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from shipped import SHIPPED_LOCALES

from jobmsg_i18n.catalog_tools import check_folder, coverage
from jobmsg_i18n.catalogs import shipped_dir
from jobmsg_i18n.cli import main

SHIPPED = shipped_dir()
LOCALES = list(SHIPPED_LOCALES)
PSEUDO = ["en_XA", "ar_XB"]
MSGFMT = shutil.which("msgfmt")


def test_every_shipped_catalog_passes_the_strict_check() -> None:
    assert [str(p) for p in check_folder(SHIPPED)] == []


@pytest.mark.skipif(
    MSGFMT is None, reason="GNU msgfmt is not installed (Debian: apt install gettext)"
)
@pytest.mark.parametrize(
    "po",
    sorted(SHIPPED.glob("*/LC_MESSAGES/*.po")),
    ids=lambda p: f"{p.parent.parent.name}/{p.name}",
)
def test_gnu_msgfmt_check_accepts(po: Path) -> None:
    assert MSGFMT is not None
    run = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def test_every_shipped_locale_is_fully_translated() -> None:
    rows = coverage(SHIPPED)
    by_locale = {(r.locale, r.domain): r for r in rows}
    for locale in LOCALES + PSEUDO:
        row = by_locale[(locale, "jobmsg")]
        assert (row.percent, row.fuzzy, row.missing) == (100.0, 0, 0), row
        assert row.total > 0
    assert all(r.percent == 100.0 for r in rows), [r for r in rows if r.percent < 100]


def test_stats_shows_the_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "stats", str(SHIPPED), "--fail-under", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "locale",
        "domain",
        "translated",
        "fuzzy",
        "missing",
        "total",
        "percent",
    ]
    assert any(
        line.split()[:2] == ["pt_BR", "jobmsg"] and line.endswith("100.0%") for line in lines
    )
    assert main(["catalog", "stats", str(SHIPPED), "--format", "json", "--domain", "jobmsg"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["locale"] for r in rows} >= set(LOCALES + PSEUDO)
    assert set(rows[0]) == {
        "locale",
        "domain",
        "translated",
        "fuzzy",
        "missing",
        "total",
        "percent",
    }


def test_stats_counts_fuzzy_and_missing_and_fails_under_a_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SHIPPED / "jobmsg.pot", tmp_path)
    with (SHIPPED / "de" / "LC_MESSAGES" / "jobmsg.po").open("rb") as handle:
        german = read_po(handle)
    entries = [m for m in german if m.id]
    entries[0].flags.add("fuzzy")
    entries[1].string = ""
    german.delete(entries[2].id, entries[2].context)
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "jobmsg.po").open("wb") as handle:
        write_po(handle, german)
    total = len(entries)
    assert main(["catalog", "stats", str(tmp_path), "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["translated"], row["fuzzy"], row["missing"], row["total"]) == (
        total - 3,
        1,
        2,
        total,
    )
    assert row["percent"] == int((total - 3) * 1000 / total) / 10 < 100
    assert main(["catalog", "stats", str(tmp_path), "--fail-under", "99.5"]) == 7
    assert "is below 99.5%" in capsys.readouterr().err
