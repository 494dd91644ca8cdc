"""Accept-Language negotiation: headers as browsers and proxies send them, well formed or not."""

from __future__ import annotations

import subprocess
import sys

import pytest
from catalog_factory import write_catalog
from hypothesis import given, settings
from hypothesis import strategies as st
from shipped import SHIPPED_LOCALES

import jobmsg_i18n
from jobmsg_i18n import JobMessage, Localizer, available_locales, negotiate_locale
from jobmsg_i18n.negotiation import preferred_languages

SHIPPED = set(SHIPPED_LOCALES)

# (Accept-Language header, the locale negotiated against the shipped catalogs)
HEADERS = [
    # What browsers send.
    ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
    ("de-AT", "de"),
    ("de-CH, de;q=0.9, en;q=0.8", "de"),
    ("en-GB,en;q=0.9", "en"),
    ("en-US", "en"),
    ("ja-JP,ja;q=0.9", "ja"),
    ("ko-KR", "ko"),
    ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
    ("pl", "pl"),
    ("it-CH", "it"),
    ("es-419,es;q=0.9", "es"),
    ("es-MX", "es"),
    ("ar-EG,ar;q=0.9,en;q=0.8", "ar"),
    ("ar", "ar"),
    # Portuguese: Brazil's catalog stands in for Portugal's, as a sibling.
    ("pt-PT,pt;q=0.9", "pt_BR"),
    ("pt-BR", "pt_BR"),
    ("pt", "pt_BR"),
    # Chinese: the script decides, never the bare language.
    ("zh-TW", "zh_Hant"),
    ("zh-HK", "zh_Hant"),
    ("zh-MO", "zh_Hant"),
    ("zh-CN", "zh_Hans"),
    ("zh-SG", "zh_Hans"),
    ("zh", "zh_Hans"),
    ("zh-Hant", "zh_Hant"),
    ("zh-Hant-TW", "zh_Hant"),
    ("zh-Hans-HK", "zh_Hans"),
    ("zh-hk", "zh_Hant"),
    ("yue-HK, zh-HK;q=0.8", "zh_Hant"),
    # q-values order the ranges; the header's order breaks ties.
    ("en;q=0.5, fr;q=0.8, de;q=0.7", "fr"),
    ("de;q=0.5, ja;q=0.5", "de"),
    ("ja;q=0.5, de;q=0.5", "ja"),
    ("xx, tlh;q=0.9, it;q=0.1", "it"),
    ("sv-SE, nb;q=0.9, fi;q=0.8", "en"),
    # A parent of the preferred range beats the next range.
    ("fr-CA, en;q=0.9", "fr"),
    ("pt-PT, en;q=0.5", "pt_BR"),
    # q=0 refuses a locale; * is any language (and English is the default).
    ("de-CH, de;q=0", "en"),
    ("fr;q=0, it", "it"),
    ("*", "en"),
    ("*, fr;q=0.5", "fr"),
    ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
    ("en;q=0", "en"),
    # Spellings: case, underscores, spaces, extensions.
    ("FR-fr", "fr"),
    ("pt_BR", "pt_BR"),
    ("  de  ,  fr ", "de"),
    ("de-DE-u-co-phonebk", "de"),
    ("sr-Latn-RS, ru;q=0.5", "ru"),
    # Malformed: never an error, the valid parts still count.
    ("", "en"),
    (",,,", "en"),
    (";;;", "en"),
    ("q=0.5", "en"),
    ("fr;q=abc, de", "de"),
    ("fr;q=2, it", "it"),
    ("fr;q=-1, es", "es"),
    ("fr;q=.5, ko;q=0.4", "ko"),
    ("fr;;q=0.7", "fr"),
    ("de; foo=bar; q=0.3, ja;q=0.2", "de"),
    ("i-klingon, x-private, 12-34, ja", "ja"),
    ("\x00\x01\x7f", "en"),
    ("日本語, ja", "ja"),
    ('"fr", ko', "fr"),  # a quoted string is unquoted
    ("fr" + ";q=0.5" * 500, "fr"),
    ("xx-" + "a" * 5000, "en"),
    (", ".join(f"l{i:02d}" for i in range(100)) + ", fr", "en"),
]


@pytest.mark.parametrize(("header", "expected"), HEADERS)
def test_header_negotiates_to(header: str, expected: str) -> None:
    assert negotiate_locale(header) == expected


@pytest.mark.parametrize(("header", "expected"), HEADERS)
def test_for_request_builds_a_localizer_for_the_negotiated_locale(
    header: str, expected: str
) -> None:
    assert Localizer.for_request(header).locale == expected


def test_the_shipped_locales_are_available() -> None:
    assert set(available_locales()) >= SHIPPED


def test_a_list_of_tags_is_read_in_order_and_pairs_by_quality() -> None:
    assert negotiate_locale(["fr-CA", "de"]) == "fr"
    assert negotiate_locale(["tlh", "not a tag", "", "ko-KR"]) == "ko"
    assert negotiate_locale([("de", 0.5), ("ja", 0.9), ("fr", 0)]) == "ja"
    assert negotiate_locale([("fr", 0.0), ("fr-CA", 1.0)]) == "en"  # fr refused: not a parent
    assert negotiate_locale(()) == "en"
    assert negotiate_locale(None) == "en"


def test_werkzeug_request_accept_languages_can_be_passed_as_they_are() -> None:
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    accept = parse_accept_header("pt-PT,ja;q=0.8", LanguageAccept)
    assert negotiate_locale(accept) == "pt_BR"


@pytest.mark.parametrize(
    "nonsense",
    [
        42,
        4.2,
        object(),
        [None, 3, ("fr",), ("fr", "high"), ("fr", 1, 2)],
        b"fr",
        {"fr": "yes"}.items(),
    ],
)
def test_nonsense_input_gives_the_default_rather_than_raising(nonsense: object) -> None:
    assert negotiate_locale(nonsense) == "en"  # type: ignore[arg-type]


def test_available_is_matched_whatever_its_spelling_and_returned_as_given() -> None:
    assert negotiate_locale("pt-PT", ["en", "pt-br"]) == "pt-br"
    assert negotiate_locale("pt-PT", ["en", "pt-BR", "pt"]) == "pt"
    assert negotiate_locale("zh-TW", ["zh-Hans", "zh-TW"]) == "zh-TW"
    assert negotiate_locale("zh-HK", ["zh_CN", "en"]) == "en"  # Simplified never stands in
    assert negotiate_locale("de", ["not!a!tag", "de_DE"]) == "de_DE"
    assert negotiate_locale("fr", []) == "en"


def test_a_sibling_prefers_the_languages_likely_region() -> None:
    assert negotiate_locale("pt-AO", ["pt_PT", "pt_BR"]) == "pt_BR"
    assert negotiate_locale("es-AR", ["es_MX", "es_ES"]) == "es_ES"
    assert negotiate_locale("es-AR", ["es_MX", "es_CO"]) == "es_MX"  # else the first offered
    assert negotiate_locale("de-CH", ["de_AT", "de_DE"]) == "de_DE"


def test_the_default_is_returned_when_nothing_matches() -> None:
    assert negotiate_locale("sv", default="de") == "de"
    assert negotiate_locale("sv, fr;q=0.1", default="de") == "fr"


def test_english_variants_match_english_but_english_is_not_a_parent_of_the_others() -> None:
    # English is the default, not a fallback candidate of French: the next range goes first.
    assert negotiate_locale("fr-CA, ja;q=0.5", ["en", "ja"]) == "ja"
    assert negotiate_locale("en-AU, ja;q=0.5", ["en", "ja"]) == "en"


def test_preferred_languages_lists_the_acceptable_tags() -> None:
    assert preferred_languages("de;q=0.2, fr-ch, *, en;q=0, x!") == ("fr_CH", "de")
    assert preferred_languages(None) == ()


def test_locales_of_the_callers_own_catalogs_are_available(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    write_catalog(root, "sv", {"InputData_Invalid": ("Ogiltiga indata", 'Ogiltiga indata ("%1")')})
    assert available_locales([root])[0] == "sv"
    localizer = Localizer.for_request("sv-SE, fr;q=0.5", catalog_dirs=[root])
    assert localizer.locale == "sv"
    message = JobMessage("InputData_Invalid", "Invalid input data", 'Invalid ("%1")', ("x",))
    assert localizer.localize_message(message).message == 'Ogiltiga indata ("x")'
    # Without the folder, Swedish is not available and French is next.
    assert Localizer.for_request("sv-SE, fr;q=0.5").locale == "fr"


def test_for_request_passes_the_localizers_options_on() -> None:
    localizer = Localizer.for_request("ar", isolate_params=False)
    assert (localizer.locale, localizer.rtl, localizer.isolate_params) == ("ar", True, False)


def test_the_package_exports_the_negotiation() -> None:
    assert jobmsg_i18n.negotiate_locale is negotiate_locale
    assert {"negotiate_locale", "available_locales"} <= set(jobmsg_i18n.__all__)


def test_the_header_parser_is_imported_only_when_a_header_is_read() -> None:
    probe = (
        "import sys\n"
        "import jobmsg_i18n\n"
        "from jobmsg_i18n import JobMessage, Localizer\n"
        "Localizer('ar').localize_message(JobMessage('X', 'X', 'Tile %1', ('16',))).to_dict()\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "assert not loaded & {'werkzeug', 'markupsafe', 'flask'}, loaded\n"
        "assert 'jobmsg_i18n.negotiation' not in sys.modules\n"
        "assert jobmsg_i18n.negotiate_locale(['de-AT']) == 'de'\n"
        "assert 'werkzeug' not in sys.modules\n"
        "assert jobmsg_i18n.negotiate_locale('de-AT') == 'de'\n"
        "assert 'werkzeug' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)


@settings(max_examples=300, deadline=None)
@given(
    header=st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(["de-AT", "pt-PT", "zh-HK", "*", "x", ";q=0", ",", " ", "q=0.5", "ar"])
        ).map("".join),
    ),
    available=st.one_of(st.none(), st.lists(st.sampled_from(["fr", "pt_BR", "zh-Hant", "!!"]))),
)
def test_any_header_gives_an_available_locale_or_the_default(
    header: str, available: list[str] | None
) -> None:
    result = negotiate_locale(header, available, default="default")
    assert result == "default" or result in (available or available_locales())
