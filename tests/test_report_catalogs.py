"""The report's gettext domain: extracted from the templates, complete, compiled, right plurals."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from shipped import SHIPPED_LOCALES

from jobmsg_i18n.catalogs import shipped_dir
from jobmsg_i18n.jinja import REPORT_DOMAIN

ROOT = Path(__file__).resolve().parent.parent
LOCALES = list(SHIPPED_LOCALES)
MSGFMT = shutil.which("msgfmt")


def po_path(locale: str) -> Path:
    return shipped_dir() / locale / "LC_MESSAGES" / f"{REPORT_DOMAIN}.po"


def read(path: Path, locale: str | None = None):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=REPORT_DOMAIN)


def keys(catalog) -> set[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_the_template_is_what_pybabel_extracts_from_the_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "extracted.pot"
    monkeypatch.chdir(ROOT)  # babel.cfg's patterns are relative to the repository
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-c", "Translators:", "-o", str(out), "."]
    )
    extracted = read(out)
    shipped = read(shipped_dir() / f"{REPORT_DOMAIN}.pot")
    assert keys(extracted) == keys(shipped)
    assert len(keys(shipped)) >= 35
    plural = next(m for m in shipped if m.id and m.id[0] == "%(num)s error")
    assert "python-format" in plural.flags


@pytest.mark.parametrize("locale", LOCALES)
def test_every_language_translates_every_word_with_its_cldr_plural_forms(locale: str) -> None:
    catalog = read(po_path(locale), locale)
    template = read(shipped_dir() / f"{REPORT_DOMAIN}.pot")
    assert keys(catalog) == keys(template)
    assert catalog.num_plurals == get_plural(locale).num_plurals
    assert catalog.plural_expr == get_plural(locale).plural_expr
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1)
        assert all(strings), (locale, message.id)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalog_matches_its_source(locale: str) -> None:
    source = read(po_path(locale), locale)
    with po_path(locale).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in source:
        if not message.id:
            continue
        if message.pluralizable:
            for n in (0, 1, 2, 5, 22, 111):
                got = (
                    compiled.npgettext(message.context, message.id[0], message.id[1], n)
                    if message.context
                    else compiled.ngettext(message.id[0], message.id[1], n)
                )
                assert got in message.string, (locale, message.id, n)
        else:
            got = (
                compiled.pgettext(message.context, message.id)
                if message.context
                else compiled.gettext(message.id)
            )
            assert got == message.string, (locale, message.id)


@pytest.mark.skipif(
    MSGFMT is None, reason="GNU msgfmt is not installed (Debian: apt install gettext)"
)
@pytest.mark.parametrize("locale", LOCALES)
def test_gnu_msgfmt_checks_formats_and_plural_headers(locale: str) -> None:
    assert MSGFMT is not None
    run = subprocess.run(
        [
            MSGFMT,
            "--check",
            "--check-format",
            "--statistics",
            "-o",
            "/dev/null",
            str(po_path(locale)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "untranslated" not in run.stderr and "fuzzy" not in run.stderr, run.stderr


@pytest.mark.parametrize(
    ("locale", "forms"),
    [
        ("pl", ["0 błędów", "1 błąd", "2 błędy", "5 błędów", "22 błędy", "100 błędów"]),
        ("ru", ["0 ошибок", "1 ошибка", "2 ошибки", "5 ошибок", "22 ошибки", "100 ошибок"]),
        ("ar", ["لا أخطاء", "خطأ واحد", "خطآن", "5 أخطاء", "22 خطأً", "100 خطأ"]),
        ("fr", ["0 erreur", "1 erreur", "2 erreurs", "5 erreurs", "22 erreurs", "100 erreurs"]),
    ],
)
def test_plural_forms_reach_every_form_of_the_language(locale: str, forms: list[str]) -> None:
    with po_path(locale).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    got = [
        compiled.ngettext("%(num)s error", "%(num)s errors", n) % {"num": n}
        for n in (0, 1, 2, 5, 22, 100)
    ]
    assert got == forms
