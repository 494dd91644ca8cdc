"""``jobmsg catalog check``, and ``pybabel compile`` through the entry point, on faulty catalogs.

Each catalog is built in memory with Babel, written out like a translator's tools would, then
checked by the real commands.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from jobmsg_i18n.cli import main

PYBABEL = Path(sys.executable).with_name("pybabel")
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+)$")

# (code, English title, English message) of the template.
CODES = [
    ("InputData_Invalid", "Invalid input data", 'Invalid input data. ("%1")'),
    ("Tiling_Adjusted", "Tiling adjusted", "Tile size %1 was too small for %2 photos."),
    ("Took", "Took long", "Took %L1 s"),
]
GERMAN = {
    "InputData_Invalid": ("Ungültige Eingabedaten", 'Ungültige Eingabedaten. ("%1")'),
    "Tiling_Adjusted": ("Kachelung angepasst", "Kachelgröße %1 war zu klein für %2 Fotos."),
    "Took": ("Dauerte lange", "Dauerte %L1 s"),
}


def template() -> Catalog:
    catalog = Catalog(project="t", version="1", fuzzy=True)
    for code, title, message in CODES:
        catalog.add(title, context=f"{code}.title", flags=["qt-format"])
        catalog.add(message, context=f"{code}.message", flags=["qt-format"])
    return catalog


def german(translations: dict[str, tuple[str, str]] | None = None) -> Catalog:
    catalog = Catalog(locale="de", project="t", version="1", fuzzy=False)
    for code, title, message in CODES:
        german_title, german_message = (translations or GERMAN).get(code, ("", ""))
        catalog.add(title, german_title, context=f"{code}.title", flags=["qt-format"])
        catalog.add(message, german_message, context=f"{code}.message", flags=["qt-format"])
    return catalog


def save(root: Path, catalog: Catalog, locale: str | None = "de", *, compiled: bool = True) -> Path:
    """Write ``catalog`` as the template (locale None) or a locale's .po, and its .mo."""
    where = "jobmsg.pot" if locale is None else f"{locale}/LC_MESSAGES/jobmsg.po"
    path = root / where
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    path.write_bytes(buffer.getvalue())
    if locale is not None and compiled:
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
    return path


def folder(root: Path, locale_catalog: Catalog | None = None) -> Path:
    save(root, template(), None)
    return save(root, locale_catalog or german())


def check(
    root: Path, *options: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, str]]]:
    code = main(["catalog", "check", str(root), *options])
    out = capsys.readouterr().out.splitlines()
    parsed = [LINE.match(line) for line in out]
    assert all(parsed), out  # every finding is file:line: severity: message
    return code, [m.groupdict() for m in parsed if m]


def line_of(po: Path, context: str) -> int:
    with po.open("rb") as handle:
        for message in read_po(handle):
            if message.context == context:
                return int(message.lineno or 0)
    raise AssertionError(context)


def messages_at(findings: Iterable[dict[str, str]], line: int) -> str:
    return " | ".join(f["message"] for f in findings if int(f["line"]) == line)


def test_a_clean_folder_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder(tmp_path)
    code = main(["catalog", "check", str(tmp_path), "--strict"])
    captured = capsys.readouterr()
    assert (code, captured.out) == (0, "")
    assert "no problems" in captured.err


# Each entry of this catalog has one placeholder fault; the text expected in both reports.
PLACEHOLDER_FAULTS = {
    "InputData_Invalid.message": ("Ungültige Eingabedaten.", "the translation drops %1"),
    "Tiling_Adjusted.message": ("Größe %1, %2 Fotos, %3", "the translation adds %3"),
    "Took.message": ("Dauerte %1 s", "%L1 (a number in the reader's format) is written %1"),
    "Took.title": ("Dauerte %0", "%0 is not a marker"),
    "Tiling_Adjusted.title": ("Kachelung %1", "the translation adds %1"),
}


def faulty_german() -> Catalog:
    catalog = german()
    for message in catalog:
        if message.context in PLACEHOLDER_FAULTS:
            message.string = PLACEHOLDER_FAULTS[message.context][0]
    return catalog


def test_placeholder_faults_are_reported_by_catalog_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = folder(tmp_path, faulty_german())
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 7
    for context, (_, expected) in PLACEHOLDER_FAULTS.items():
        at = messages_at(findings, line_of(po, context))
        assert f"msgctxt '{context}'" in at
        assert expected in at
    assert {f["severity"] for f in findings} == {"error"}
    assert {f["path"] for f in findings} == {str(po)}


@pytest.mark.skipif(not PYBABEL.exists(), reason="pybabel is not installed next to this Python")
def test_placeholder_faults_are_reported_by_pybabel_compile(tmp_path: Path) -> None:
    po = folder(tmp_path, faulty_german())
    run = subprocess.run(
        [str(PYBABEL), "compile", "-d", str(tmp_path), "-D", "jobmsg"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    reported = dict(
        (int(m.group(1)), m.group(2))
        for m in re.finditer(r"^error: .*jobmsg\.po:(\d+): (.*)$", run.stderr, re.M)
    )
    for context, (_, expected) in PLACEHOLDER_FAULTS.items():
        assert expected in reported.pop(line_of(po, context))
    assert reported == {}


@pytest.mark.skipif(not PYBABEL.exists(), reason="pybabel is not installed next to this Python")
def test_pybabel_compile_passes_good_catalogs_and_python_format_text(tmp_path: Path) -> None:
    catalog = german()
    catalog.add(
        "%(count)d files in %(dir)s", "%(count)d Dateien in %(dir)s", flags=["python-format"]
    )
    catalog.add(
        ("%1 file", "%1 files"), ("%1 Datei", "%1 Dateien"), context="N", flags=["qt-format"]
    )
    save(tmp_path, catalog)
    run = subprocess.run(
        [str(PYBABEL), "compile", "-d", str(tmp_path), "-D", "jobmsg"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (run.returncode, "error" in run.stderr) == (0, False), run.stderr


def test_qt_format_text_that_babel_takes_for_python_format_is_not_misread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = template()
    base.add("Retry in %1s", context="Retry.message", flags=["qt-format"])
    save(tmp_path, base, None)
    catalog = german()
    catalog.add("Retry in %1s", "Erneut in %1 s", context="Retry.message", flags=["qt-format"])
    save(tmp_path, catalog)
    # Babel guesses python-format from "%1s", and its own checker then refuses "%1 s" ...
    assert [str(e) for _, errors in catalog.check() for e in errors] == [
        "placeholders are incompatible"
    ]
    # ... but the entry is qt-format, and the placeholders agree: catalog check is silent.
    assert check(tmp_path, "--strict", capsys=capsys) == (0, [])


def test_plural_entries_are_checked_form_by_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = template()
    base.add(("%1 file", "%1 files"), context="Files", flags=["qt-format"])
    save(tmp_path, base, None)
    catalog = german()
    catalog.add(
        ("%1 file", "%1 files"), ("eine Datei", "%1 Dateien"), context="Files", flags=["qt-format"]
    )
    po = save(tmp_path, catalog)
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 7
    assert messages_at(findings, line_of(po, "Files")) == (
        "msgctxt 'Files' msgid '%1 file': form 0: the translation drops %1"
    )


def test_an_entry_with_markers_needs_the_qt_format_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = german()
    for message in catalog:
        if message.context == "Took.message":
            message.flags.discard("qt-format")
    po = folder(tmp_path, catalog)
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 7
    assert "has %n markers but no '#, qt-format' flag" in messages_at(
        findings, line_of(po, "Took.message")
    )
    # An explicit "no-qt-format" says the percent signs are not markers.
    for message in catalog:
        if message.context == "Took.message":
            message.flags.add("no-qt-format")
    save(tmp_path, catalog)
    assert check(tmp_path, "--strict", capsys=capsys) == (0, [])


def test_fuzzy_and_untranslated_entries_warn_and_fail_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = german({"InputData_Invalid": GERMAN["InputData_Invalid"], "Took": GERMAN["Took"]})
    for message in catalog:
        if message.context == "Took.title":
            message.flags.add("fuzzy")
    po = folder(tmp_path, catalog)
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 0
    assert {f["severity"] for f in findings} == {"warning"}
    assert "'Took.title' is fuzzy" in messages_at(findings, line_of(po, "Took.title"))
    for context in ("Tiling_Adjusted.title", "Tiling_Adjusted.message"):
        assert "is not translated" in messages_at(findings, line_of(po, context))
    assert check(tmp_path, "--strict", capsys=capsys)[0] == 7


def test_entries_missing_from_a_locale_or_gone_from_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = german()
    catalog.delete("Took long", context="Took.title")
    catalog.add("Old text", "Alter Text", context="Gone.message", flags=["qt-format"])
    po = folder(tmp_path, catalog)
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 0
    text = [f["message"] for f in findings]
    assert any("'Took.title'" in t and "is missing: run pybabel update" in t for t in text)
    assert "is no longer in" in messages_at(findings, line_of(po, "Gone.message"))


@pytest.mark.parametrize(
    ("plural_forms", "expected"),
    [
        (
            "nplurals=3; plural=(n != 1);",
            "error: Plural-Forms 'nplurals=3; plural=(n != 1);' is wrong for de",
        ),
        ("nplurals=2; plural=(n > 1);", "is wrong for de (CLDR: nplurals=2; plural=(n != 1);)"),
        ("nplurals=2; plural=(n !!= 1);", "error: Plural-Forms cannot be read"),
        ("nplurals=2; plural=(n);", "error: Plural-Forms picks a form beyond nplurals=2"),
        (None, "warning: no Plural-Forms header (CLDR: nplurals=2; plural=(n != 1);)"),
    ],
)
def test_plural_forms_header_is_compared_with_cldr(
    tmp_path: Path, plural_forms: str | None, expected: str
) -> None:
    po = folder(tmp_path)
    text = po.read_text("utf-8")
    header = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    assert header in text
    po.write_text(
        text.replace(header, f'"Plural-Forms: {plural_forms}\\n"\n' if plural_forms else ""),
        "utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "jobmsg_i18n", "catalog", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert expected in run.stdout
    # The finding points at the header line that holds the field.
    number = int(run.stdout.split(":")[1])
    if plural_forms:
        assert "Plural-Forms" in po.read_text("utf-8").splitlines()[number - 1]


def test_plural_forms_of_a_pseudo_locale_follow_its_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save(tmp_path, template(), None)
    main(["catalog", "pseudo", str(tmp_path), "--locale", "ar-XB"])
    po = tmp_path / "ar_XB" / "LC_MESSAGES" / "jobmsg.po"
    assert '"Plural-Forms: nplurals=6;' in po.read_text("utf-8")
    capsys.readouterr()
    assert check(tmp_path, "--strict", capsys=capsys) == (0, [])


def test_header_faults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = german()
    catalog.fuzzy = True
    catalog.locale = "fr"
    po = folder(tmp_path, catalog)
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 7
    text = " | ".join(f["message"] for f in findings)
    assert "the header is marked fuzzy: pybabel compile skips the whole catalog" in text
    assert "Language header says 'fr', the folder 'de'" in text
    assert all(f["path"] == str(po) for f in findings if "header" in f["message"])


def test_a_po_that_cannot_be_read_is_an_error_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = folder(tmp_path)
    po.write_text(po.read_text("utf-8") + '\nmsgctxt "Broken"\nmsgid "x"\nmsgstr "y\n', "utf-8")
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 7
    assert findings[0]["message"].startswith("cannot be read")
    assert int(findings[0]["line"]) > 1


def test_compiled_catalogs_must_match_their_po(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = folder(tmp_path)
    mo = po.with_suffix(".mo")
    # The .po changes after it was compiled: the .mo is older and different.
    catalog = german({**GERMAN, "Took": ("Dauerte sehr lange", "Dauerte %L1 s")})
    save(tmp_path, catalog, compiled=False)
    past = time.time() - 60
    os.utime(mo, (past, past))
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 7
    assert findings == [
        {
            "path": str(mo),
            "line": "1",
            "severity": "error",
            "message": f"older than and different from jobmsg.po (2 entries differ): run pybabel "
            f"compile -d {tmp_path} -D jobmsg -l de",
        }
    ]
    # Compiled again, it passes; an older .mo with the same entries is fine (git keeps no times).
    save(tmp_path, catalog)
    os.utime(mo, (past, past))
    assert check(tmp_path, "--strict", capsys=capsys) == (0, [])
    # A locale left uncompiled while the others are compiled.
    save(tmp_path, catalog, "de_AT", compiled=False)
    code, findings = check(tmp_path, "--strict", capsys=capsys)
    assert code == 7
    assert [(f["severity"], f["message"]) for f in findings if f["path"].endswith(".mo")] == [
        (
            "warning",
            f"not compiled, so not used: run pybabel compile -d {tmp_path} -D jobmsg -l de_AT",
        )
    ]


def test_every_domain_of_the_folder_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder(tmp_path)
    report = Catalog(fuzzy=True)
    report.add(("%(count)d error", "%(count)d errors"), flags=["python-format"])
    report.add("Job report")
    (tmp_path / "jobmsg_report.pot").write_bytes(_po_bytes(report))
    translated = Catalog(locale="de", fuzzy=False)
    translated.add(
        ("%(count)d error", "%(count)d errors"),
        ("%(n)d Fehler", "%(count)d Fehler"),
        flags=["python-format"],
    )
    translated.add("Job report", "")
    po = tmp_path / "de" / "LC_MESSAGES" / "jobmsg_report.po"
    po.write_bytes(_po_bytes(translated))
    code, findings = check(tmp_path, capsys=capsys)
    assert code == 7
    assert [(f["path"], f["severity"], f["message"]) for f in findings] == [
        (str(po), "error", "msgid '%(count)d error': unknown named placeholder 'n'"),
        (str(po), "warning", "msgid 'Job report' is not translated"),
    ]
    assert check(tmp_path, "--domain", "jobmsg", capsys=capsys) == (0, [])


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", str(tmp_path / "nowhere")]) == 2
    assert main(["catalog", "check", str(tmp_path)]) == 2
    assert main(["catalog"]) == 2
    err = capsys.readouterr().err
    assert "no such folder" in err
    assert "no .pot or .po files" in err
