"""%L1: numbers written for the reader's locale, checked against Babel's own format_decimal.

Also the optional jobmsg-params glossary, the other way a param is shown differently.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.numbers import format_decimal
from catalog_factory import write_catalog
from shipped import SHIPPED_LOCALES

from jobmsg_i18n import JobMessage, Localizer
from jobmsg_i18n.params import FSI, PDI, format_number

SHIPPED = list(SHIPPED_LOCALES)
NUMBERS = [
    "1234.5",
    "-1234567.125",
    "0",
    "7",
    "1000000",
    "0.000123",
    "1e3",
    "1.5e-07",
    "12345.678901",
]
NOT_NUMBERS = ["12 kg", "1,5", "NaN", "Infinity", "007", "+5", "1.", ".5", "0x1F", "", "1" * 40]

PHOTOS = JobMessage("Photos_Counted", "Photos counted", "%L1 photos (%1 as sent)", ("?",))


def babel(value: str, locale: str) -> str:
    return format_decimal(Decimal(value), locale=locale, decimal_quantization=False)


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped locale with one text that uses %L1 and %1 on the same param."""
    root = tmp_path_factory.mktemp("numbers")
    for locale in SHIPPED:
        write_catalog(root, locale, {"Photos_Counted": (f"[{locale}]", f"{locale}: %L1 / %1")})
    return root


@pytest.mark.parametrize("value", NUMBERS)
@pytest.mark.parametrize("locale", SHIPPED)
def test_percent_l_writes_a_number_as_babel_does_for_the_locale(
    catalogs: Path, locale: str, value: str
) -> None:
    message = JobMessage(PHOTOS.code, PHOTOS.title, PHOTOS.message, (value,))
    result = Localizer(locale, catalog_dirs=[catalogs]).localize_message(message)
    expected = f"{locale}: {babel(value, locale)} / {value}"
    if locale == "ar":
        expected = f"{locale}: {FSI}{babel(value, locale)}{PDI} / {FSI}{value}{PDI}"
    assert (result.locale, result.message) == (locale, expected)
    assert result.to_dict()["params"] == [value]
    assert f'<bdi class="param">{babel(value, locale)}</bdi>' in result.html()


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_param_that_is_not_a_number_is_inserted_verbatim(
    catalogs: Path, locale: str, value: str
) -> None:
    message = JobMessage(PHOTOS.code, PHOTOS.title, PHOTOS.message, (value,))
    result = Localizer(locale, catalog_dirs=[catalogs], isolate_params=False).localize_message(
        message
    )
    assert result.message == f"{locale}: {value} / {value}"


def test_known_examples() -> None:
    assert format_number("1234.5", "fr") == "1\u202f234,5"  # the issue's own example
    assert format_number("1234.5", "de") == "1.234,5"
    assert format_number("1234.5", "en") == "1,234.5"
    assert format_number("1234.5", "pt_BR") == "1.234,5"
    assert format_number("1234.5", "ru") == "1\xa0234,5"
    assert format_number("0.1234567", "en") == "0.1234567"  # no rounding to three decimals


def test_a_regional_reader_gets_regional_numbers_in_the_languages_text(catalogs: Path) -> None:
    # The text is the de catalog's; the numbers are Switzerland's.
    message = JobMessage(PHOTOS.code, PHOTOS.title, PHOTOS.message, ("1234.5",))
    result = Localizer("de-CH", catalog_dirs=[catalogs]).localize_message(message)
    assert (result.locale, result.message) == ("de", f"de: {babel('1234.5', 'de_CH')} / 1234.5")
    assert babel("1234.5", "de_CH") != babel("1234.5", "de")


def test_an_unknown_region_falls_back_to_the_languages_numbers(catalogs: Path) -> None:
    message = JobMessage(PHOTOS.code, PHOTOS.title, PHOTOS.message, ("1234.5",))
    result = Localizer("fr-XK", catalog_dirs=[catalogs]).localize_message(message)
    assert result.message == f"fr: {babel('1234.5', 'fr')} / 1234.5"


def test_an_english_fallback_sentence_writes_english_numbers() -> None:
    # No catalog has the code: the server's English is shown, with English numbers.
    message = JobMessage("Points_Found", "Points found", "Found %L1 tie points.", ("1234567",))
    result = Localizer("fr").localize_message(message)
    assert (result.locale, result.message) == ("en", "Found 1,234,567 tie points.")


def test_missing_params_and_repeated_markers(tmp_path: Path) -> None:
    write_catalog(tmp_path, "fr", {"Repeated": ("R", "%L1 %L1 %1 %L2")})
    localizer = Localizer("fr", catalog_dirs=[tmp_path])
    message = JobMessage("Repeated", "R", "%L1 %L1 %1", ("1000",))
    # The French text needs %L2: it is passed over for the server's, in English.
    result = localizer.localize_message(message)
    assert (result.locale, result.message) == ("en", "1,000 1,000 1000")
    message = JobMessage("Unknown", "U", "%L1 %L1 %L2 %1", ("1000",))
    assert localizer.localize_message(message).message == "1,000 1,000 %L2 1000"


def test_babel_is_imported_only_when_a_percent_l_marker_meets_a_number() -> None:
    probe = (
        "import sys\n"
        "from jobmsg_i18n import JobMessage, Localizer\n"
        "fr = Localizer('fr')\n"
        "fr.localize_message(JobMessage('X', 'X', 'Tile %1', ('16',)))\n"
        "assert 'babel.numbers' not in sys.modules\n"
        "fr.localize_message(JobMessage('X', 'X', 'Tile %L1', ('16',)))\n"
        "assert 'babel.numbers' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)


# --- the jobmsg-params glossary ------------------------------------------------------------------


def write_glossary(root: Path, locale: str, entries: dict[tuple[str | None, str], str]) -> None:
    catalog = Catalog(locale=locale, domain="jobmsg-params")
    for (context, term), translation in entries.items():
        catalog.add(term, translation, context=context)
    folder = root / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "jobmsg-params.mo").open("wb") as handle:
        write_mo(handle, catalog)


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    write_glossary(
        tmp_path,
        "fr",
        {
            (None, "Scene"): "Scène",
            (None, "Point cloud"): "Nuage de points",
            (None, "Sample_scan"): "Échantillon",  # not a term: never looked up
            (None, "Scene.laz"): "Scène.laz",
            ("Tiling_Adjusted", "Scene"): "Scène de tuilage",
            (None, "Mesh"): "",  # untranslated
        },
    )
    return tmp_path


INVALID = 'Invalid input data. Please check the documentation. ("%1")'


def localized(localizer: Localizer, param: str, code: str = "InputData_Invalid") -> str:
    return localizer.localize_message(JobMessage(code, "Invalid", INVALID, (param,))).message


def test_the_glossary_is_off_by_default(glossary: Path) -> None:
    assert "«\xa0Scene\xa0»" in localized(Localizer("fr", catalog_dirs=[glossary]), "Scene")


@pytest.mark.parametrize(
    ("param", "shown"),
    [
        ("Scene", "Scène"),
        ("Point cloud", "Nuage de points"),
        ("Sample_scan", "Sample_scan"),
        ("Scene.laz", "Scene.laz"),
        ("scene", "scene"),
        ("Mesh", "Mesh"),
        ("Unknown term", "Unknown term"),
        ("C:\\data\\Scene", "C:\\data\\Scene"),
    ],
)
def test_the_glossary_translates_terms_never_names(glossary: Path, param: str, shown: str) -> None:
    localizer = Localizer("fr", catalog_dirs=[glossary], param_glossary=True)
    result = localizer.localize_message(
        JobMessage("InputData_Invalid", "Invalid", INVALID, (param,))
    )
    assert f"«\xa0{shown}\xa0»" in result.message
    assert f'<bdi class="param">{shown}</bdi>' in result.html().replace("&#39;", "'")
    assert result.params == (param,) and result.to_dict()["params"] == [param]


def test_a_glossary_entry_for_one_code_wins_for_that_code(glossary: Path) -> None:
    write_catalog(glossary, "fr", {"Tiling_Adjusted": ("Tuilage", "%1")})
    localizer = Localizer("fr", catalog_dirs=[glossary], param_glossary=True)
    assert (
        localizer.localize_message(JobMessage("Tiling_Adjusted", "T", "%1", ("Scene",))).message
        == "Scène de tuilage"
    )


def test_the_glossary_applies_only_to_text_in_the_readers_language(glossary: Path) -> None:
    # German reader: no German glossary, and the French one is not used.
    localizer = Localizer("de", catalog_dirs=[glossary], param_glossary=True)
    assert "Scene" in localized(localizer, "Scene")
    # French reader, but the code has no French text: the English sentence keeps English terms.
    fr = Localizer("fr", catalog_dirs=[glossary], param_glossary=True)
    assert fr.localize_message(JobMessage("Nope", "N", "Input %1", ("Scene",))).message == (
        "Input Scene"
    )


def test_an_unreadable_glossary_is_skipped_and_said(tmp_path: Path) -> None:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "jobmsg-params.mo").write_bytes(b"not a catalog")
    localizer = Localizer("fr", catalog_dirs=[tmp_path], param_glossary=True)
    assert any("glossary skipped" in problem for problem in localizer.problems)
    assert "«\xa0Scene\xa0»" in localized(localizer, "Scene")
