"""The Localizer: the fallback chain, locale spellings, user catalogs, params, threads."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from catalog_factory import write_catalog
from shipped import SHIPPED_LOCALES

from jobmsg_i18n import (
    JobMessage,
    JobMessages,
    LocalizedMessage,
    Localizer,
    NotFoundError,
    TransportError,
)
from jobmsg_i18n.catalogs import shipped_dir

INVALID = JobMessage(
    "InputData_Invalid",
    "Invalid input data",
    'Invalid input data. Please check the documentation. ("%1")',
    ("Scene",),
)
UNKNOWN = JobMessage(
    "Tiling_Adjusted", "Tiling adjusted", "Tile size %1 for %2 photos.", ("16", "40")
)
SHIPPED = list(SHIPPED_LOCALES)


def shipped_codes() -> list[str]:
    with (shipped_dir() / "jobmsg.pot").open("rb") as handle:
        template = read_po(handle)
    return sorted({str(m.context).rpartition(".")[0] for m in template if m.id and m.context})


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_shipped_locale_translates_every_code_with_markers_intact(locale: str) -> None:
    localizer = Localizer(locale)
    assert localizer.problems == []
    for code in shipped_codes():
        result = localizer.localize_message(JobMessage(code, "t", "m", ("P1",)))
        assert result.translated, (locale, code)
        assert result.locale == locale
        assert "%" not in result.message.replace("%%", ""), (locale, code, result.message)
        if code in ("InputData_Invalid", "ServerError"):
            assert "P1" in result.message


@pytest.mark.parametrize(
    ("requested", "normalized", "source"),
    [
        ("fr", "fr", "fr"),
        ("fr-CA", "fr_CA", "fr"),
        ("pt-BR", "pt_BR", "pt_BR"),
        ("pt_br", "pt_BR", "pt_BR"),
        ("PT-br", "pt_BR", "pt_BR"),
        ("pt", "pt", "pt_BR"),
        ("zh-TW", "zh_TW", "zh_Hant"),
        ("zh-HK", "zh_HK", "zh_Hant"),
        ("zh_Hant_TW", "zh_Hant_TW", "zh_Hant"),
        ("zh-hant", "zh_Hant", "zh_Hant"),
        ("zh-CN", "zh_CN", "zh_Hans"),
        ("zh-SG", "zh_SG", "zh_Hans"),
        ("zh", "zh", "zh_Hans"),
        ("de_DE.UTF-8", "de_DE", "de"),
        ("de-AT", "de_AT", "de"),
        ("ja-JP-u-ca-japanese", "ja_JP", "ja"),
        ("ar-EG", "ar_EG", "ar"),
        ("sr-Latn-RS", "sr_Latn_RS", "en"),
        ("C", "en", "en"),
        ("en-GB", "en_GB", "en"),
    ],
)
def test_locale_spellings_and_parents(requested: str, normalized: str, source: str) -> None:
    localizer = Localizer(requested)
    result = localizer.localize_message(INVALID)
    assert localizer.locale == normalized
    assert result.locale == source
    assert result.translated == (source.split("_")[0] == normalized.split("_")[0])


def test_pt_pt_does_not_take_brazilian_text() -> None:
    assert Localizer("pt-PT").localize_message(INVALID).locale == "en"


def test_zh_hant_never_falls_to_simplified(tmp_path: Path) -> None:
    write_catalog(tmp_path, "zh", {"Only_Zh": ("简体标题", "简体消息")})
    message = JobMessage("Only_Zh", "T", "M", ())
    assert Localizer("zh-TW", catalog_dirs=[tmp_path]).localize_message(message).locale == "en"
    assert Localizer("zh-CN", catalog_dirs=[tmp_path]).localize_message(message).title == "简体标题"


@pytest.mark.parametrize("bad", ["", "!!", "klingon-language-x", "../../etc/passwd", "x", "12"])
def test_a_malformed_locale_falls_back_to_english_and_says_so(
    bad: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="jobmsg_i18n"):
        localizer = Localizer(bad)
    result = localizer.localize_message(INVALID)
    assert (localizer.locale, result.locale, result.translated) == ("en", "en", True)
    assert localizer.problems and "not a locale tag" in localizer.problems[0]
    assert "not a locale tag" in caplog.text


def test_an_unknown_locale_falls_back_to_english_and_says_so() -> None:
    localizer = Localizer("xx-YY")
    result = localizer.localize_message(INVALID)
    assert (result.locale, result.translated) == ("en", False)
    assert localizer.problems == ["no catalog for locale 'xx_YY'; using English"]


def test_an_unknown_code_uses_the_servers_english_with_params_substituted() -> None:
    result = Localizer("fr").localize_message(UNKNOWN, "warning")
    assert result == LocalizedMessage(
        "Tiling_Adjusted",
        "warning",
        "Tiling adjusted",
        "Tile size 16 for 40 photos.",
        ("16", "40"),
        "en",
        False,
        (),
    )


def test_server_text_with_too_few_params_keeps_the_marker_visible_and_reports_it() -> None:
    message = JobMessage("Nope", "Failed %1", "Failed %1 at %2", ("step",))
    result = Localizer("de").localize_message(message)
    assert (result.title, result.message) == ("Failed step", "Failed step at %2")
    assert result.problems == ("%2 has no param (1 given)",)


def test_unused_params_are_reported() -> None:
    message = JobMessage("Nope", "T", "M %1", ("a", "b"))
    assert Localizer("de").localize_message(message).problems == ("param 2 is not used",)


def test_a_translation_needing_a_missing_param_is_passed_over(tmp_path: Path) -> None:
    write_catalog(tmp_path, "fr", {"InputData_Invalid": ("Données", "%1 et %2")})
    localizer = Localizer("fr-CA", catalog_dirs=[tmp_path])
    result = localizer.localize_message(INVALID)
    # The user's fr text needs %2; the shipped fr text, next in line, is used instead.
    assert result.locale == "fr"
    assert "«\u00a0Scene\u00a0»" in result.message
    assert result.problems == (
        "the fr text of InputData_Invalid needs %2 but the message has 1 param; not used",
    )
    two = INVALID._replace(params=("A", "B"))
    assert localizer.localize_message(two).message == "A et B"


def test_a_translation_needing_a_missing_param_falls_to_the_server_text(tmp_path: Path) -> None:
    write_catalog(tmp_path, "de", {"Custom": ("Titel %2", "Nachricht %1 %2")})
    message = JobMessage("Custom", "Title", "Message %1", ("x",))
    result = Localizer("de", catalog_dirs=[tmp_path]).localize_message(message)
    assert (result.title, result.message, result.locale) == ("Title", "Message x", "en")
    assert "needs %2" in result.problems[0]


def test_user_catalogs_win_and_add_codes(tmp_path: Path) -> None:
    write_catalog(
        tmp_path,
        "fr",
        {
            "InputData_Invalid": ("Entrée refusée", "Refusé : %1"),
            "Tiling_Adjusted": ("Tuilage ajusté", "%2 photos, tuile %1"),
        },
    )
    localizer = Localizer("fr", catalog_dirs=[tmp_path])
    first, second = localizer.localize(JobMessages(errors=(INVALID, UNKNOWN)))
    assert (first.title, first.message) == ("Entrée refusée", "Refusé : Scene")
    assert (second.message, second.translated) == ("40 photos, tuile 16", True)
    # The shipped fr catalog still serves the codes the user did not translate.
    other = localizer.localize_message(JobMessage("JobNotFound", "", "", ()))
    assert (
        other.title == Localizer("fr").localize_message(JobMessage("JobNotFound", "", "", ())).title
    )


def test_earlier_user_folders_win_over_later_ones(tmp_path: Path) -> None:
    write_catalog(tmp_path / "a", "fr", {"X": ("A", "from a")})
    write_catalog(tmp_path / "b", "fr", {"X": ("B", "from b")})
    localizer = Localizer("fr", catalog_dirs=[tmp_path / "a", tmp_path / "b"])
    assert localizer.localize_message(JobMessage("X", "", "", ())).message == "from a"


def test_a_broken_user_catalog_is_skipped_not_fatal(tmp_path: Path) -> None:
    broken = tmp_path / "fr" / "LC_MESSAGES" / "jobmsg.mo"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\xde\x12\x04\x95garbage")
    localizer = Localizer("fr", catalog_dirs=[tmp_path])
    assert localizer.localize_message(INVALID).locale == "fr"
    assert localizer._catalogs.problems == [
        f"{broken}: truncated compiled catalog (catalog skipped)"
    ]


def test_localize_keeps_order_and_severity() -> None:
    messages = JobMessages(errors=(INVALID, UNKNOWN), warnings=(UNKNOWN, INVALID))
    result = Localizer("ja").localize(messages)
    assert [(m.severity, m.code) for m in result] == [
        ("error", "InputData_Invalid"),
        ("error", "Tiling_Adjusted"),
        ("warning", "Tiling_Adjusted"),
        ("warning", "InputData_Invalid"),
    ]
    assert result.locale == "ja"
    assert result.to_dict()["errors"][0] == {
        "code": "InputData_Invalid",
        "severity": "error",
        "title": result.errors[0].title,
        "message": result.errors[0].message,
        "params": ["Scene"],
        "locale": "ja",
        "translated": True,
        "problems": [],
    }


def test_localize_error_codes_and_exceptions() -> None:
    fr = Localizer("fr")
    by_code = fr.localize_error("JobNotFound", "Requested job is not available.")
    assert (by_code.locale, by_code.translated) == ("fr", True)
    error = NotFoundError(404, "JobNotFound", "Requested job is not available.")
    assert fr.localize_error(error).message == by_code.message
    unknown = fr.localize_error("BrandNewCode", "Something new.")
    assert (unknown.title, unknown.message, unknown.locale) == (
        "BrandNewCode",
        "Something new.",
        "en",
    )
    timeout = fr.localize_error(TransportError("timed out", timeout=True))
    assert (timeout.code, timeout.locale) == ("Timeout", "fr")


def test_missing_codes_are_counted_and_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[tuple[str, str]] = []
    localizer = Localizer("fr", on_missing=lambda locale, code: seen.append((locale, code)))
    with caplog.at_level(logging.INFO, logger="jobmsg_i18n.missing"):
        localizer.localize(JobMessages(errors=(UNKNOWN, INVALID, UNKNOWN), warnings=(UNKNOWN,)))
    assert seen == [("fr", "Tiling_Adjusted")]
    assert localizer.missing() == {"Tiling_Adjusted": 3}
    assert caplog.text.count("Tiling_Adjusted") == 1


def test_one_localizer_shared_by_threads_gives_the_same_results_as_one_thread() -> None:
    codes = [*[c for c in shipped_codes()], "Unknown_A", "Unknown_B"]
    messages = [
        JobMessage(code, f"T {code} %1", f"M {code} %1 %2", (f"p{i}", f"q{i}"))
        for i, code in enumerate(codes * 20)
    ]
    batch = JobMessages(errors=tuple(messages[::2]), warnings=tuple(messages[1::2]))
    locales = ["fr", "ar", "zh-TW", "pl", "pt", "xx"]
    expected = {locale: Localizer(locale).localize(batch) for locale in locales}
    shared = {locale: Localizer(locale) for locale in locales}
    barrier = threading.Barrier(8)

    def work(index: int) -> list[tuple[str, object]]:
        barrier.wait()
        out = []
        for round_ in range(30):
            locale = locales[(index + round_) % len(locales)]
            out.append((locale, shared[locale].localize(batch)))
        return out

    with ThreadPoolExecutor(8) as pool:
        results = [r for chunk in pool.map(work, range(8)) for r in chunk]
    assert len(results) == 240
    for locale, result in results:
        assert result == expected[locale]


def test_a_pseudo_locale_is_a_language_of_its_own(tmp_path: Path) -> None:
    write_catalog(tmp_path, "en", {"Only_En": ("English title", "English message")})
    localizer = Localizer("en-XA", catalog_dirs=[tmp_path])
    pseudo = localizer.localize_message(INVALID)
    assert (pseudo.locale, pseudo.translated) == ("en_XA", True)
    english = localizer.localize_message(JobMessage("Only_En", "", "", ()))
    assert (english.locale, english.translated) == ("en", False)
    assert localizer.missing() == {"Only_En": 1}


@pytest.mark.parametrize(
    "available",
    [
        frozenset(SHIPPED) | {"en_XA", "ar_XB"},
        frozenset({"fr", "fr_CA", "pt", "pt_PT", "zh", "zh_TW", "de_AT", "en", "sr_Latn"}),
        frozenset({"en"}),
    ],
)
@pytest.mark.parametrize(
    "tag",
    [
        "fr",
        "fr-CA",
        "de",
        "de-AT",
        "pt",
        "pt-BR",
        "pt-PT",
        "zh",
        "zh-TW",
        "zh-Hant",
        "zh-HK",
        "zh-SG",
        "sr",
        "sr-Latn",
        "en",
        "en-GB",
        "en-XA",
        "ar",
        "ar-XB",
        "ja",
        "xx",
        "xx-YY",
    ],
)
def test_the_chain_without_cldr_data_is_the_full_chain(tag: str, available: frozenset[str]) -> None:
    from jobmsg_i18n.locales import candidates, catalog_chain

    full = tuple(name for name in candidates(tag) if name in available)
    assert catalog_chain(tag, available) == full


def test_params_given_as_a_list_format_like_a_tuple() -> None:
    as_list = JobMessage(INVALID.code, INVALID.title, INVALID.message, ["Scene"])  # type: ignore[arg-type]
    fr = Localizer("fr")
    assert fr.localize_message(as_list).message == fr.localize_message(INVALID).message


def test_every_way_of_formatting_a_catalog_text_agrees(tmp_path: Path) -> None:
    entries = {
        "InOrder": ("Titre", "Fichier %1, étape %2"),
        "Reordered": ("Titre %1", "Étape %2 du fichier %1"),
        "Repeated": ("Titre", "%1 et encore %1"),
        "Percent": ("Titre", "100 %% de %1"),
    }
    write_catalog(tmp_path, "fr", entries)
    localizer = Localizer("fr", catalog_dirs=[tmp_path])
    got = [
        localizer.localize_message(JobMessage(code, "", "", ("a.laz", "b"))).message
        for code in entries
    ]
    assert got == [
        "Fichier a.laz, étape b",
        "Étape b du fichier a.laz",
        "a.laz et encore a.laz",
        "100 % de a.laz",
    ]
