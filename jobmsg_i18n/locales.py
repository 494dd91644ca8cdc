"""Locale tags: reading BCP 47 and POSIX spellings, and the chain of catalogs to look in.

>>> parse_tag("pt-br"), parse_tag("zh_hant_tw"), parse_tag("de_DE.UTF-8@euro"), parse_tag("C")
('pt_BR', 'zh_Hant_TW', 'de_DE', 'en')
>>> candidates("zh-TW")
('zh_Hant_TW', 'zh_TW', 'zh_Hant', 'en')
>>> candidates("pt")
('pt_Latn', 'pt', 'pt_Latn_BR', 'pt_BR', 'en')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

__all__ = [
    "LocaleTagError",
    "candidates",
    "catalog_chain",
    "is_rtl",
    "language_of",
    "parse_tag",
]

_SUBTAG = re.compile(r"[A-Za-z0-9]{1,8}")
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"}
)
_PSEUDO_REGIONS = frozenset({"XA", "XB", "XC"})
_RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg"})


class LocaleTagError(ValueError):
    """A string that is not a locale tag in any spelling this library reads."""


@lru_cache(maxsize=256)
def parse_tag(tag: str) -> str:
    """The canonical POSIX-style spelling of a BCP 47 or POSIX locale tag: ``pt-br`` -> ``pt_BR``.

    The language is lower case, a script title case, a region upper case; variants and extensions
    (``-u-nu-latn``, ``@euro``) and a POSIX charset (``.UTF-8``) are dropped. ``C`` and ``POSIX``
    mean English. Raises :class:`LocaleTagError` for anything else.
    """
    text = tag.strip().split(".", 1)[0].split("@", 1)[0]
    if text in ("C", "POSIX"):
        return "en"
    parts = re.split(r"[-_]", text)
    if not parts or not all(_SUBTAG.fullmatch(p) for p in parts):
        raise LocaleTagError(f"not a locale tag: {tag!r}")
    language = parts[0]
    if not (language.isalpha() and 2 <= len(language) <= 3):
        raise LocaleTagError(f"not a locale tag: {tag!r} (the language must be 2 or 3 letters)")
    out = [language.lower()]
    rest = parts[1:]
    if rest and len(rest[0]) == 4 and rest[0].isalpha():
        out.append(rest.pop(0).title())
    if rest and (
        (len(rest[0]) == 2 and rest[0].isalpha()) or (len(rest[0]) == 3 and rest[0].isdigit())
    ):
        out.append(rest.pop(0).upper())
    return "_".join(out)


def _split(tag: str) -> tuple[str, str, str]:
    language, *rest = tag.split("_")
    script = rest.pop(0) if rest and len(rest[0]) == 4 else ""
    region = rest[0] if rest else ""
    return language, script, region


@lru_cache(maxsize=256)
def _likely(tag: str) -> tuple[str, str, str]:
    """CLDR's likely subtags for ``tag`` (``zh_TW`` -> ``zh_Hant_TW``), or the tag as it is."""
    from babel.core import get_global  # imported here: only a locale not seen before pays for it

    likely: Mapping[str, str] = get_global("likely_subtags")
    language, script, region = _split(tag)
    for key in (tag, f"{language}_{region}" if region else "", language):
        if key and key in likely:
            _, l_script, l_region = _split(likely[key])
            return language, script or l_script, region or l_region
    return language, script, region


@lru_cache(maxsize=256)
def candidates(tag: str) -> tuple[str, ...]:
    """Every catalog name to try for ``tag``, most specific first, ending with English.

    The requested tag, then its parents (``pt_BR`` -> ``pt``, ``zh_Hant_TW`` -> ``zh_Hant``; never
    from a script to a language written in another script by default, so ``zh_Hant`` does not
    fall to ``zh``), then the likely region for a bare language (``pt`` -> ``pt_BR``), then ``en``.
    Raises :class:`LocaleTagError` for a malformed tag.
    """
    canonical = parse_tag(tag)
    language, script, region = _split(canonical)
    if region in _PSEUDO_REGIONS:
        return (canonical, "en")  # a language of its own, made from English (see language_of)
    full_script = _likely(canonical)[1]
    default_script = _likely(language)[1]
    same_script = full_script == default_script or not full_script
    names: list[str] = []
    if region:
        names.append("_".join(p for p in (language, full_script, region) if p))
        if same_script or not script:
            names.append(f"{language}_{region}")
    if full_script:
        names.append(f"{language}_{full_script}")
    if same_script:
        names.append(language)
    if not region:
        _, likely_script, likely_region = _likely(names[0] if full_script else language)
        if likely_region:
            names.append("_".join(p for p in (language, likely_script, likely_region) if p))
            if same_script:
                names.append(f"{language}_{likely_region}")
    names.append("en")
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=256)
def catalog_chain(tag: str, available: frozenset[str]) -> tuple[str, ...]:
    """The catalogs of ``available`` to look in for ``tag``: :func:`candidates`, filtered.

    When no catalog of the tag's language exists but the tag itself, the answer needs no CLDR
    data, and Babel (about 20 ms to load) is not loaded: the common case of a tool asked for
    ``fr`` when ``fr`` is all there is of French.
    """
    canonical = parse_tag(tag)
    own = language_of(canonical)
    if all(name == canonical for name in available if language_of(name) == own):
        return tuple(dict.fromkeys(n for n in (canonical, "en") if n in available))
    return tuple(name for name in candidates(canonical) if name in available)


def language_of(tag: str) -> str:
    """The language a canonical tag is written in: ``pt_BR`` -> ``pt``.

    A pseudo-locale (CLDR's regions ``XA``, ``XB``, ``XC``: ``en_XA``, ``ar_XB``) is a language
    of its own, so that English text shown for ``en_XA`` counts as untranslated.
    """
    language, _, region = _split(tag)
    return f"{language}_{region}" if region in _PSEUDO_REGIONS else language


def is_rtl(tag: str) -> bool:
    """Whether text in ``tag`` runs right to left (Arabic, Hebrew, Persian, Urdu, ...)."""
    try:
        language, script, _ = _split(parse_tag(tag))
    except LocaleTagError:
        return False
    if script:
        return script in _RTL_SCRIPTS
    return language in _RTL_LANGUAGES
