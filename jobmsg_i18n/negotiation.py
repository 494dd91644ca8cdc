"""Choosing the locale to show a reader from what the reader's browser asks for.

:func:`negotiate_locale` reads an ``Accept-Language`` header (or a list of tags) and picks the
best of the available catalogs. For each language range, in the reader's order of preference:

1. the range itself or one of its parents: ``de-AT`` -> ``de``, ``zh-TW`` -> ``zh_Hant``,
   ``zh-SG`` -> ``zh_Hans`` (the script comes from CLDR's likely subtags, so Traditional and
   Simplified Chinese never stand in for each other);
2. else a sibling: the same language in the same script, the language's most likely region first
   (``pt-PT`` -> ``pt_BR`` when there is no ``pt``).

Only then is the next range tried, so ``pt-PT, en;q=0.5`` gives Brazilian Portuguese rather than
English. A range with ``q=0`` rules that exact locale out. ``*`` is ignored, as RFC 4647's lookup
does: any language is acceptable, and English, the default, is what is shown when nothing matches.
Nothing raises, whatever the header holds.

>>> negotiate_locale("de-AT,de;q=0.9,en;q=0.8")
'de'
>>> negotiate_locale("pt-PT,pt;q=0.9")
'pt_BR'
>>> negotiate_locale("zh-HK, en;q=0.5")
'zh_Hant'
>>> negotiate_locale("pt-PT", ["pt", "pt_BR"])
'pt'
>>> negotiate_locale("tlh, q=;;;,")
'en'
>>> negotiate_locale(["fr-CA", "en"])
'fr'
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from os import PathLike

from jobmsg_i18n.catalogs import CatalogSet, shipped_path
from jobmsg_i18n.locales import LocaleTagError, candidates, parse_tag

__all__ = ["AcceptLanguage", "available_locales", "negotiate_locale", "preferred_languages"]

AcceptLanguage = str | Iterable[str | tuple[str, float]] | None
"""What :func:`negotiate_locale` reads: a header value, tags in order of preference, or
``(tag, quality)`` pairs such as Werkzeug's and Flask's ``request.accept_languages``."""

# A real browser sends well under 200 characters and 10 ranges. Longer input is cut, so that a
# hostile header costs a bounded amount of work.
_MAX_HEADER = 4096
_MAX_RANGES = 32


def negotiate_locale(
    accept_language: AcceptLanguage,
    available: Iterable[str] | None = None,
    *,
    default: str = "en",
) -> str:
    """The best of ``available`` for a reader who asks for ``accept_language``; never raises.

    ``accept_language`` is an ``Accept-Language`` header value (``"fr-CH, fr;q=0.9, *;q=0.5"``), a
    list of tags in order of preference, or ``(tag, quality)`` pairs; None or empty means no
    preference. ``available`` defaults to the locales that have a shipped catalog; its entries
    may be spelled either way (``pt-BR`` or ``pt_BR``) and the match is returned as spelled there.
    ``default`` is returned when nothing matches.
    """
    if available is None:
        offered = _offered(_shipped_locales())
    else:
        offered = _offered(tuple(name for name in available if isinstance(name, str)))
    wanted, refused = _ranges(accept_language)
    for tag in wanted:
        match = _match(tag, offered, refused)
        if match is not None:
            return match
    return default


def preferred_languages(accept_language: AcceptLanguage) -> tuple[str, ...]:
    """The language tags the reader accepts, canonical and best first; malformed ones left out.

    >>> preferred_languages("en;q=0.5, fr-ch, xx-!!, de;q=0")
    ('fr_CH', 'en')
    """
    return _ranges(accept_language)[0]


def available_locales(catalog_dirs: Iterable[str | PathLike[str]] = ()) -> tuple[str, ...]:
    """The locales that have a job-message catalog: those in ``catalog_dirs``, then the shipped.

    >>> {"en", "fr", "pt_BR", "zh_Hant", "ar"} <= set(available_locales())
    True
    """
    extra = [name for folder in catalog_dirs for name in _locales_in(os.fspath(folder))]
    return tuple(dict.fromkeys([*extra, *_shipped_locales()]))


@lru_cache(maxsize=1)
def _shipped_locales() -> tuple[str, ...]:
    return _locales_in(shipped_path())


def _locales_in(folder: str) -> tuple[str, ...]:
    return tuple(sorted(CatalogSet([folder]).available()))


# An offered locale: (as the caller spelled it, canonical, language, script).
_Offer = tuple[str, str, str, str]


@lru_cache(maxsize=64)
def _offered(available: tuple[str, ...]) -> tuple[_Offer, ...]:
    offers: list[_Offer] = []
    for name in available:
        try:
            canonical = parse_tag(name)
        except LocaleTagError:
            continue
        offers.append((name, canonical, canonical.split("_", 1)[0], _script(canonical)))
    return tuple(offers)


def _script(tag: str) -> str:
    """The script of ``tag``, stated or likely (``zh_TW`` -> ``Hant``), or ``""`` if unknown."""
    # The first candidate is the tag with its likely script filled in (see locales.candidates).
    return next((p for p in candidates(tag)[0].split("_")[1:] if len(p) == 4), "")


def _match(tag: str, offered: tuple[_Offer, ...], refused: frozenset[str]) -> str | None:
    by_canonical = {
        canonical: name for name, canonical, _, _ in offered if canonical not in refused
    }
    language = tag.split("_", 1)[0]
    chain = candidates(tag)
    if language != "en":
        chain = chain[:-1]  # candidates() ends with English, which is the default's business
    for name in chain:
        if name in by_canonical:
            return by_canonical[name]
    script = _script(tag)
    siblings = {
        canonical: name
        for name, canonical, offer_language, offer_script in offered
        if offer_language == language and offer_script == script and canonical not in refused
    }
    if not siblings:
        return None
    # The language's own likely region first (pt -> pt_BR, zh_Hant -> zh_Hant_TW), else the
    # first offered.
    for name in candidates(f"{language}_{script}" if script else language):
        if name in siblings:
            return siblings[name]
    return next(iter(siblings.values()))


def _ranges(accept_language: AcceptLanguage) -> tuple[tuple[str, ...], frozenset[str]]:
    """The acceptable tags, canonical and best first, and the tags refused with ``q=0``."""
    if not accept_language:
        return (), frozenset()
    if isinstance(accept_language, str):
        return _parse_header(accept_language[:_MAX_HEADER])
    pairs: list[tuple[str, float]] = []
    try:
        for item in accept_language:
            if isinstance(item, str):
                pairs.append((item, 1.0))
            elif (
                isinstance(item, tuple)
                and len(item) == 2
                and isinstance(item[0], str)
                and isinstance(item[1], int | float)
            ):
                pairs.append((item[0], float(item[1])))
            if len(pairs) >= _MAX_RANGES:
                break
    except TypeError:  # not iterable after all
        return (), frozenset()
    return _rank(tuple(pairs))


@lru_cache(maxsize=512)
def _parse_header(header: str) -> tuple[tuple[str, ...], frozenset[str]]:
    # Werkzeug's parser (Pallets, RFC 9110) drops items with a malformed q and keeps going; it is
    # imported here so that only a web process that reads a header pays for the import.
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    try:
        parsed = parse_accept_header(header, LanguageAccept)
    except Exception:  # hostile input must not become a server error
        return (), frozenset()
    # Werkzeug keeps parameters other than q in the value ("de; foo=bar"): the tag comes first.
    pairs = tuple((value.split(";", 1)[0].strip(), float(q)) for value, q in parsed)
    return _rank(pairs[:_MAX_RANGES])


def _rank(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    wanted: dict[str, float] = {}
    refused: set[str] = set()
    for tag, quality in pairs:
        if tag == "*" or not tag:
            continue
        try:
            canonical = parse_tag(tag)
        except LocaleTagError:
            continue
        if not quality > 0:  # also NaN
            refused.add(canonical)
        elif canonical not in wanted:
            wanted[canonical] = quality
    refused.difference_update(wanted)
    # sorted() is stable: ranges of equal quality keep the reader's order.
    ranked = sorted(wanted, key=lambda tag: -wanted[tag])
    return tuple(ranked), frozenset(refused)
