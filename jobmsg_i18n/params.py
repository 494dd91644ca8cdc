"""How the params of a message are shown to a reader: numbers, glossary terms, bidi isolation.

A param is text from the server, and ``%1`` inserts it as it is. Three things may change how it
is *shown*; none changes the data (``LocalizedMessage.params`` and ``to_dict()`` keep it raw):

* ``%L1`` writes a param that is a number (``1234.5``, ``-3``, ``1.5e-07``: JSON's syntax) the way
  the reader's locale writes numbers, with Babel; any other param is inserted as it is. Babel is
  imported only when a ``%L`` marker meets a number.
* the ``jobmsg-params`` glossary, when a :class:`~jobmsg_i18n.Localizer` is asked to use it,
  translates params that are terms (an input type such as ``Scene``). Only a whole param made of
  words (letters, spaces, hyphens, apostrophes) is looked up, so a file name, a path or an id is
  never translated.
* in right-to-left locales each param is isolated between FSI (U+2068) and PDI (U+2069), so a
  file name or a number keeps its own direction inside Arabic or Hebrew text.

>>> from jobmsg_i18n.placeholders import compile_template
>>> template = compile_template("%1: %L2 photos")
>>> ParamStyle("fr").fill(template, ["a.jpg", "2041.5"])
'a.jpg: 2\\u202f041,5 photos'
>>> ParamStyle("ar", isolate=True).fill(template, ["a.jpg", "many"])
'\\u2068a.jpg\\u2069: \\u2068many\\u2069 photos'
>>> format_number("-1234567.5", "de"), format_number("12 kg", "de")
('-1.234.567,5', None)
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING

from jobmsg_i18n.catalogs import CatalogError, read_mo
from jobmsg_i18n.placeholders import CompiledTemplate

if TYPE_CHECKING:
    from babel.core import Locale

__all__ = [
    "FSI",
    "GLOSSARY_DOMAIN",
    "ISOLATE_CONTROLS",
    "PDI",
    "MessageTemplates",
    "ParamStyle",
    "balance_isolates",
    "fill",
    "format_number",
    "load_glossary",
]

FSI = "\u2068"
"""FIRST STRONG ISOLATE: starts a run of text that takes its direction from its own letters."""
PDI = "\u2069"
"""POP DIRECTIONAL ISOLATE: ends the run FSI started."""
ISOLATE_CONTROLS = "[\u2066-\u2069]"
"""A pattern of the isolate controls: LRI, RLI, FSI and PDI."""
GLOSSARY_DOMAIN = "jobmsg-params"
"""The gettext domain of the glossary: ``<dir>/<locale>/LC_MESSAGES/jobmsg-params.mo``."""

# JSON's number syntax, bounded: a longer digit string is more likely an id than a quantity.
_NUMBER = r"-?(?:0|[1-9][0-9]{0,29})(?:\.[0-9]{1,30})?(?:[eE][-+]?[0-9]{1,2})?"
# A term: words of letters, joined by single spaces, hyphens or apostrophes.
_TERM = r"[^\W\d_]+(?:[ '\u2019-][^\W\d_]+)*"
_CONTEXT_SEP = "\x04"
_EMPTY: Mapping[str, str] = MappingProxyType({})


def balance_isolates(text: str) -> str:
    """``text`` with each isolate control that has no partner shown as U+FFFD.

    An initiator (LRI, RLI, FSI) left open runs to the end of the paragraph; a PDI without its
    initiator would close the FSI that isolates a param, letting the rest of it out.

    >>> balance_isolates("a\u2069 \u2068b\u2069 \u2067c")
    'a\ufffd \u2068b\u2069 \ufffdc'
    """
    opened: list[int] = []
    unpaired: list[int] = []
    for match in _pattern(ISOLATE_CONTROLS).finditer(text):
        if match.group() != PDI:
            opened.append(match.start())
        elif opened:
            opened.pop()
        else:
            unpaired.append(match.start())
    unpaired += opened
    if not unpaired:
        return text
    chars = list(text)
    for index in unpaired:
        chars[index] = "\ufffd"
    return "".join(chars)


def _isolated(param: str) -> str:
    if _pattern(ISOLATE_CONTROLS).search(param):
        param = balance_isolates(param)
    return f"{FSI}{param}{PDI}"


def format_number(value: str, locale: str) -> str | None:
    """``value`` written as a number of ``locale`` (``1234.5`` -> ``1.234,5`` in ``de``), or None.

    None when ``value`` is not a number in JSON's syntax (``1,5``, ``12 kg``, ``NaN``, ``007``).
    All the digits are kept (no rounding to three decimals). An unknown locale falls back to
    its language, then to English.
    """
    if len(value) > 64 or not _pattern(_NUMBER).fullmatch(value):
        return None
    from decimal import Decimal, localcontext

    from babel.numbers import format_decimal

    # Babel quantizes in the current decimal context, 28 digits by default: "1e27" would raise.
    # The syntax above bounds a number to 30 + 99 integer digits and 30 + 99 decimal ones.
    with localcontext() as context:
        context.prec = 300
        return format_decimal(
            Decimal(value), locale=_babel_locale(locale), decimal_quantization=False
        )


@cache
def _pattern(source: str) -> re.Pattern[str]:
    # Compiled on first use: the offline path that never meets %L or a glossary skips the cost.
    return re.compile(source)


@lru_cache(maxsize=64)
def _babel_locale(tag: str) -> Locale:
    from babel.core import Locale, UnknownLocaleError

    for name in (tag, tag.split("_", 1)[0]):
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


class ParamStyle:
    """How params are shown in one locale: the locale of numbers, isolation, a glossary.

    ``glossary`` maps a param to its translation (key ``"Scene"``), or, for one code only, with
    the code as a gettext context (key ``"InputData_Invalid\\x04Scene"``), as :func:`load_glossary`
    reads it.
    """

    __slots__ = ("glossary", "isolate", "number_locale")

    number_locale: str
    isolate: bool
    glossary: Mapping[str, str]

    def __init__(
        self,
        number_locale: str = "en",
        *,
        isolate: bool = False,
        glossary: Mapping[str, str] = _EMPTY,
    ) -> None:
        object.__setattr__(self, "number_locale", number_locale)
        object.__setattr__(self, "isolate", isolate)
        object.__setattr__(self, "glossary", glossary)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ParamStyle is immutable: cannot set {name!r}")

    def __reduce__(self) -> tuple[Callable[..., ParamStyle], tuple[str, bool, dict[str, str]]]:
        # Pickle and deepcopy (a message kept in a cache, sent to another process) go through
        # __init__: the attributes cannot be set afterwards, and a mappingproxy cannot be pickled.
        return _param_style, (self.number_locale, self.isolate, dict(self.glossary))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParamStyle):
            return NotImplemented
        return (self.number_locale, self.isolate, self.glossary) == (
            other.number_locale,
            other.isolate,
            other.glossary,
        )

    def __hash__(self) -> int:
        return hash((self.number_locale, self.isolate, len(self.glossary)))

    def __repr__(self) -> str:
        glossary = f", glossary=<{len(self.glossary)} terms>" if self.glossary else ""
        return f"ParamStyle({self.number_locale!r}, isolate={self.isolate}{glossary})"

    def changes(self, template: CompiledTemplate) -> bool:
        """Whether :meth:`fill` may differ from ``template.format`` (if not, the fast path)."""
        return bool(template.localized) or (
            bool(template.markers) and (self.isolate or bool(self.glossary))
        )

    def value(self, param: str, localized: bool = False, code: str = "") -> str:
        """How one param is shown, before isolation or escaping."""
        if localized:
            number = format_number(param, self.number_locale)
            if number is not None:
                return number
        glossary = self.glossary
        if glossary and _pattern(_TERM).fullmatch(param):
            return glossary.get(f"{code}{_CONTEXT_SEP}{param}") or glossary.get(param) or param
        return param

    def fill(
        self,
        template: CompiledTemplate,
        params: Sequence[str],
        code: str = "",
        *,
        isolate: bool | None = None,
    ) -> str:
        """``template`` as plain text, each param shown as this style says.

        ``isolate`` overrides the style's own choice (``to_dict()`` passes False).
        """
        if isolate is None:
            isolate = self.isolate
        if not template.localized and not self.glossary:
            # The common right-to-left case: isolation alone, without a Python call per param.
            if isolate:
                return template.format([_isolated(p) for p in params])
            return template.format(params)

        def show(param: str, localized: bool) -> str:
            text = self.value(param, localized, code)
            return _isolated(text) if isolate else text

        return fill(template, params, show)

    def bind(self, template: CompiledTemplate, code: str) -> Callable[..., str]:
        """``f(*params)`` for :meth:`fill`, the form the Localizer's hot path calls."""
        return lambda *params: self.fill(template, params, code)


def _param_style(number_locale: str, isolate: bool, glossary: dict[str, str]) -> ParamStyle:
    return ParamStyle(number_locale, isolate=isolate, glossary=MappingProxyType(glossary))


def fill(
    template: CompiledTemplate, params: Sequence[str], show: Callable[[str, bool], str]
) -> str:
    """``template`` with each marker replaced by ``show(param, localized)``.

    ``localized`` is true for a ``%Ln`` marker. The rules of :mod:`jobmsg_i18n.placeholders` hold:
    one pass, a marker with no param stays as written.
    """
    markers, localized = template.markers, template.localized
    if not localized:
        return template.format(
            [show(p, False) if i in markers else p for i, p in enumerate(params, 1)]
        )
    shown = [
        _Shown(show(p, False) if i in markers else p, show(p, True) if i in localized else p)
        for i, p in enumerate(params, 1)
    ]
    return template.format(shown, number=_localized_form)


class _Shown(str):
    """A param as a plain marker shows it, carrying how a ``%Ln`` marker shows it."""

    localized: str

    def __new__(cls, plain: str, localized: str) -> _Shown:
        shown = super().__new__(cls, plain)
        shown.localized = localized
        return shown


def _localized_form(value: str) -> str:
    # CompiledTemplate.format hands a %Ln marker's param to ``number``: here, a _Shown.
    return value.localized if isinstance(value, _Shown) else value


class MessageTemplates:
    """The templates one :class:`~jobmsg_i18n.LocalizedMessage` was made from, and its style.

    Read-only by convention. Kept so that the message can be shown again another way (as HTML,
    or without isolation) from the templates and the raw params, never by editing the text.
    """

    __slots__ = ("message", "style", "title")

    title: CompiledTemplate
    message: CompiledTemplate
    style: ParamStyle

    def __init__(
        self, title: CompiledTemplate, message: CompiledTemplate, style: ParamStyle
    ) -> None:
        # Plain stores, not a frozen class: one is made per message the catalogs lack.
        self.title = title
        self.message = message
        self.style = style

    def _key(self) -> tuple[str, str, str, bool]:
        style = self.style
        return (self.title.source, self.message.source, style.number_locale, style.isolate)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MessageTemplates):
            return NotImplemented
        return self._key() == other._key() and self.style == other.style

    def __lt__(self, other: MessageTemplates) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"MessageTemplates({self.title.source!r}, {self.message.source!r}, {self.style!r})"

    def template(self, part: str) -> CompiledTemplate:
        """The ``"title"`` or the ``"message"`` template."""
        if part == "message":
            return self.message
        if part == "title":
            return self.title
        raise ValueError(f"part must be 'title' or 'message', not {part!r}")


_glossary_files: dict[str, Mapping[str, str]] = {}
_glossary_lock = threading.Lock()


def load_glossary(
    dirs: Iterable[str | PathLike[str]], locales: Iterable[str], problems: list[str] | None = None
) -> Mapping[str, str]:
    """The ``jobmsg-params`` entries for ``locales`` in ``dirs``, earlier locales and dirs winning.

    Keys are ``msgid`` (the param as the server sends it), or ``msgctxt + "\\x04" + msgid`` for
    an entry meant for one code; empty translations are left out. A file that cannot be read is
    skipped and named in ``problems``. Each file is read once per process.
    """
    merged: dict[str, str] = {}
    folders = [os.fspath(folder) for folder in dirs]
    paths = [
        os.path.join(folder, locale, "LC_MESSAGES", f"{GLOSSARY_DOMAIN}.mo")
        for locale in locales
        for folder in folders
    ]
    for path in reversed(paths):
        if not os.path.isfile(path):
            continue
        try:
            merged.update(_read_glossary(path))
        except (OSError, CatalogError) as exc:
            if problems is not None:
                reason = exc if isinstance(exc, CatalogError) else f"{path}: {exc.strerror}"
                problems.append(f"{reason} (glossary skipped)")
    return MappingProxyType(merged) if merged else _EMPTY


def _read_glossary(path: str) -> Mapping[str, str]:
    cached = _glossary_files.get(path)
    if cached is None:
        with _glossary_lock:
            cached = _glossary_files.get(path)
            if cached is None:
                with open(path, "rb") as handle:
                    data = handle.read()
                raw = read_mo(data, path)
                cached = {key: text for key, text in raw.items() if text}
                _glossary_files[path] = cached
    return cached
