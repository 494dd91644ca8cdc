"""Pseudo-locales: every marker kept, text longer and marked, and usable through the Localizer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from hypothesis import given
from hypothesis import strategies as st

from jobmsg_i18n import JobMessage, Localizer, compile_template
from jobmsg_i18n.catalog_tools import pseudolocalize, write_pseudo
from jobmsg_i18n.catalogs import shipped_dir
from jobmsg_i18n.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "job-messages.json"
INVALID = JobMessage(
    "InputData_Invalid",
    "Invalid input data",
    'Invalid input data. Please check the documentation. ("%1")',
    ("Sample_scan",),
)

pieces = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["%1", "%2", "%L1", "%10", "%99", "%%", "%", "%0", "{name}", "<b>", "&amp;"]),
)


@pytest.mark.parametrize("locale", ["en_XA", "ar_XB"])
@given(parts=st.lists(pieces, max_size=8))
def test_every_marker_is_kept(locale: str, parts: list[str]) -> None:
    text = "".join(parts)
    source, pseudo = compile_template(text), compile_template(pseudolocalize(text, locale))
    assert (pseudo.markers, pseudo.localized) == (source.markers, source.localized)


def test_en_xa_is_accented_longer_and_bracketed() -> None:
    text = "Tile size %1 was too small for %2 photos; a larger size was used."
    pseudo = pseudolocalize(text)
    assert pseudo.startswith("[Ŧīŀḗ şīẑḗ %1 ẇȧş ŧǿǿ şḿȧŀŀ ƒǿř %2 ƥħǿŧǿş;")
    assert pseudo.endswith("]")
    assert 1.35 <= (len(pseudo) - 2) / len(text) < 1.5
    assert not any("a" <= c <= "z" for c in pseudo.split(" one")[0])
    assert pseudolocalize("") == ""
    assert (
        pseudolocalize("Job <b>%1</b> &amp; {name}") == "[Ĵǿƀ <b>%1</b> &amp; {name} one two three]"
    )
    # Python-format fields survive in entries that are not qt-format.
    assert "%(count)d" in pseudolocalize("%(count)d files", qt=False)


def test_ar_xb_writes_each_word_right_to_left() -> None:
    assert pseudolocalize("Bad %1 input", "ar_XB") == (
        "\u200f\u202eBad\u202c\u200f %1 \u200f\u202einput\u202c\u200f"
    )


def test_unknown_pseudo_locale_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match="not a pseudo-locale"):
        pseudolocalize("x", "fr")
    with pytest.raises(ValueError, match="not a pseudo-locale"):
        write_pseudo(tmp_path, "fr")
    assert main(["catalog", "pseudo", str(tmp_path), "--locale", "fr"]) == 2
    assert main(["catalog", "pseudo", str(tmp_path), "--locale", "!!"]) == 2
    assert main(["catalog", "pseudo", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "known: en_XA, ar_XB" in err
    assert "no templates" in err


def test_a_message_localized_in_en_xa_carries_its_params() -> None:
    localizer = Localizer("en-XA")
    assert localizer.problems == []
    result = localizer.localize_message(INVALID)
    assert (result.locale, result.translated) == ("en_XA", True)
    assert result.message.startswith("[Īƞṽȧŀīḓ īƞƥŭŧ ḓȧŧȧ.")
    assert '("Sample_scan")' in result.message
    assert result.title.startswith("[") and result.title.endswith("]")
    assert not localizer.rtl
    assert localizer.missing() == {}


def test_ar_xb_is_right_to_left_and_carries_its_params() -> None:
    localizer = Localizer("ar-XB")
    result = localizer.localize_message(INVALID)
    assert (result.locale, localizer.rtl) == ("ar_XB", True)
    assert "Sample_scan" in result.message and "\u202e" in result.message


def test_localize_command_with_the_pseudo_locale(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["localize", str(EXAMPLE), "--locale", "en-XA", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["errors"][0]
    assert first["locale"] == "en_XA"
    assert "DJI_0385.JPG'." in first["message"] and first["message"].startswith("[")


def test_pseudo_catalogs_are_written_for_every_domain_and_are_stable(tmp_path: Path) -> None:
    shutil.copy(shipped_dir() / "jobmsg.pot", tmp_path)
    report = Catalog(fuzzy=True)
    report.add(("%(count)d error", "%(count)d errors"), flags=["python-format"])
    with (tmp_path / "jobmsg_report.pot").open("wb") as handle:
        write_po(handle, report)
    written = write_pseudo(tmp_path, "ar_XB")
    assert sorted(p.name for p in written) == [
        "jobmsg.mo",
        "jobmsg.po",
        "jobmsg_report.mo",
        "jobmsg_report.po",
    ]
    first = [p.read_bytes() for p in written]
    assert [p.read_bytes() for p in write_pseudo(tmp_path, "ar_XB")] == first
    with (tmp_path / "ar_XB" / "LC_MESSAGES" / "jobmsg_report.po").open("rb") as handle:
        plural = next(m for m in read_po(handle) if m.id)
    assert len(plural.string) == 6  # Arabic has six plural forms
    assert all("%(count)d" in form for form in plural.string)
    assert main(["catalog", "check", str(tmp_path), "--strict"]) == 0


def test_a_stale_pseudo_catalog_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(shipped_dir() / "jobmsg.pot", tmp_path)
    assert main(["catalog", "pseudo", str(tmp_path)]) == 0
    pot = tmp_path / "jobmsg.pot"
    pot.write_text(
        pot.read_text("utf-8").replace('msgid "Invalid input data"', 'msgid "Bad input"'), "utf-8"
    )
    capsys.readouterr()
    assert main(["catalog", "check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "pseudo-locale out of date: run jobmsg catalog pseudo --locale en_XA" in out


def test_a_pseudo_locale_missing_a_domain_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(shipped_dir() / "jobmsg.pot", tmp_path)
    assert main(["catalog", "pseudo", str(tmp_path)]) == 0
    with (tmp_path / "jobmsg_report.pot").open("wb") as handle:
        write_po(handle, Catalog(fuzzy=True))
    capsys.readouterr()
    assert main(["catalog", "check", str(tmp_path), "--strict"]) == 7
    assert "en_XA/LC_MESSAGES/jobmsg_report.po:1: warning: pseudo-locale without this domain" in (
        capsys.readouterr().out
    )
