"""Turning job messages into localized titles and messages.

For each message the :class:`Localizer` looks up its ``code`` in the catalogs of the requested
locale, then of its parents (``pt_BR`` -> ``pt``), then of English, and when none has it, uses the
server's own English title and message. Whichever text wins is a ``%n`` template filled with the
message's params. A catalog text that needs a param the message does not carry (``%2`` with one
param) is passed over for that message, and the next in the chain is tried.

>>> from jobmsg_i18n.models import JobMessage
>>> fr = Localizer("fr-FR")
>>> msg = JobMessage("InputData_Invalid", "Invalid input data",
...                  'Invalid input data. Please check the documentation. ("%1")', ("Scene",))
>>> fr.localize_message(msg).locale
'fr'
>>> Localizer("en").localize_message(msg).message
'Invalid input data. Please check the documentation. ("Scene")'
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from os import PathLike
from typing import TYPE_CHECKING, Any, NamedTuple

from jobmsg_i18n._log import INFO, WARNING, log
from jobmsg_i18n.catalogs import CatalogSet, shipped_path
from jobmsg_i18n.errors import JobMessagesError
from jobmsg_i18n.locales import LocaleTagError, catalog_chain, is_rtl, language_of, parse_tag
from jobmsg_i18n.models import JobMessage, JobMessages, Severity
from jobmsg_i18n.params import MessageTemplates, ParamStyle, load_glossary
from jobmsg_i18n.placeholders import CompiledTemplate, compile_template, param_problems

if TYPE_CHECKING:
    from markupsafe import Markup

    from jobmsg_i18n.negotiation import AcceptLanguage

__all__ = ["LocalizedMessage", "LocalizedMessages", "Localizer"]


# Codes come from the server: bound what a Localizer remembers about them.
_CACHE_LIMIT = 10_000


@cache
def _template_html() -> Callable[..., Markup]:
    """:func:`jobmsg_i18n.html.template_html`, imported on first use (it needs markupsafe)."""
    from jobmsg_i18n.html import template_html

    return template_html


class LocalizedMessage(NamedTuple):
    """One message in the reader's language.

    ``locale`` is the catalog the text came from (``"en"`` for the server's own text);
    ``translated`` is true when that catalog is in the requested language. ``params`` are the raw
    params as the server sent them; ``problems`` says why a catalog was passed over and which
    markers or params did not match.

    ``title`` and ``message`` are plain text for display: ``%L1`` numbers written for the locale,
    and in a right-to-left locale each param isolated with FSI/PDI (see :mod:`jobmsg_i18n.params`).
    :meth:`to_dict` is the data, without isolation marks; :meth:`html` is the HTML form.
    ``templates`` keeps what the text was made from, for those two; it takes no part in ``==``.
    """

    code: str
    severity: Severity
    title: str
    message: str
    params: tuple[str, ...]
    locale: str
    translated: bool
    problems: tuple[str, ...] = ()
    templates: MessageTemplates | None = None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LocalizedMessage):
            return self[:8] == other[:8]
        if isinstance(other, tuple):
            return self[:8] == other
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self[:8])

    def __repr__(self) -> str:
        fields = zip(self._fields[:8], self[:8], strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in fields)
        return f"LocalizedMessage({shown})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types: lists for the tuples. No FSI/PDI: the data stays as it is."""
        title, message = self.title, self.message
        t = self.templates
        if t is not None and t.style.isolate and self.params:
            title = t.style.fill(t.title, self.params, self.code, isolate=False)
            message = t.style.fill(t.message, self.params, self.code, isolate=False)
        return {
            "code": self.code,
            "severity": self.severity,
            "title": title,
            "message": message,
            "params": list(self.params),
            "locale": self.locale,
            "translated": self.translated,
            "problems": list(self.problems),
        }

    def html(
        self,
        part: str = "message",
        *,
        element: str | None = "bdi",
        attrs: Mapping[str, str] | None = None,
    ) -> Markup:
        """The ``"message"`` or the ``"title"`` as HTML (:class:`markupsafe.Markup`).

        The text is escaped and each param escaped and wrapped in ``<bdi class="param">``, or
        ``element`` with ``attrs`` (see :func:`jobmsg_i18n.html.template_html`). A message built
        by hand, without ``templates``, gives its text escaped.
        """
        t = self.templates
        if t is None:
            from markupsafe import escape

            if part not in ("title", "message"):
                raise ValueError(f"part must be 'title' or 'message', not {part!r}")
            return escape(self.message if part == "message" else self.title)
        return _template_html()(
            t.template(part), self.params, t.style, self.code, element=element, attrs=attrs
        )

    def __html__(self) -> str:
        """The message as HTML, so that Jinja2 and markupsafe insert ``{{ msg }}`` as such."""
        return str(self.html())


class LocalizedMessages:
    """The localized errors and warnings of one job, in the server's order. Immutable.

    ``locale`` is the requested locale, normalized (``pt_BR``); ``problems`` are those of the input
    the messages were read from (see :class:`JobMessages`). Iterating gives the errors, then the
    warnings.
    """

    __slots__ = ("errors", "locale", "problems", "warnings")
    locale: str
    errors: tuple[LocalizedMessage, ...]
    warnings: tuple[LocalizedMessage, ...]
    problems: tuple[str, ...]

    def __init__(
        self,
        locale: str,
        errors: Iterable[LocalizedMessage] = (),
        warnings: Iterable[LocalizedMessage] = (),
        problems: Iterable[str] = (),
    ) -> None:
        object.__setattr__(self, "locale", locale)
        object.__setattr__(self, "errors", tuple(errors))
        object.__setattr__(self, "warnings", tuple(warnings))
        object.__setattr__(self, "problems", tuple(problems))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"LocalizedMessages is immutable: cannot set {name!r}")

    def __reduce__(self) -> tuple[type[LocalizedMessages], tuple[Any, ...]]:
        # Pickle and deepcopy rebuild through __init__, since attributes cannot be set later.
        return LocalizedMessages, (self.locale, self.errors, self.warnings, self.problems)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LocalizedMessages):
            return NotImplemented
        return (self.locale, self.errors, self.warnings, self.problems) == (
            other.locale,
            other.errors,
            other.warnings,
            other.problems,
        )

    def __hash__(self) -> int:
        return hash((self.locale, self.errors, self.warnings))

    def __repr__(self) -> str:
        return (
            f"LocalizedMessages(locale={self.locale!r}, errors={self.errors!r}, "
            f"warnings={self.warnings!r})"
        )

    def __iter__(self) -> Iterator[LocalizedMessage]:
        yield from self.errors
        yield from self.warnings

    def __len__(self) -> int:
        return len(self.errors) + len(self.warnings)

    def to_dict(self) -> dict[str, Any]:
        """``{"locale", "errors", "warnings"}``, messages as in :meth:`LocalizedMessage.to_dict`."""
        return {
            "locale": self.locale,
            "errors": [m.to_dict() for m in self.errors],
            "warnings": [m.to_dict() for m in self.warnings],
        }


# Builds one message from (code, severity, params); made once per (code, param count).
_Maker = Callable[[str, Severity, tuple[str, ...]], LocalizedMessage]


class _Resolution(NamedTuple):
    """Where the text of one (code, param count) comes from; ``make`` None means the server's."""

    params_count: int
    make: _Maker | None
    translated: bool
    problems: tuple[str, ...]


def _maker(
    title: CompiledTemplate,
    message: CompiledTemplate,
    count: int,
    style: ParamStyle,
    code: str,
    locale: str,
    translated: bool,
    problems: tuple[str, ...],
) -> _Maker:
    """The function that builds a message from a catalog's title and message templates.

    The hot path. The result is built with ``tuple.__new__``, which skips the Python frame of the
    generated ``NamedTuple.__new__``. In the common case (a title with no marker, a message whose
    markers run ``%1`` to ``%n`` in order) a message costs one ``%`` operation; otherwise each
    text is a ``str.format`` bound to its compiled pattern, or the style's slower path when it
    writes numbers, isolates params or looks them up in a glossary.
    """
    new = tuple.__new__
    cls = LocalizedMessage
    templates = MessageTemplates(title, message, style)
    head = title.constant
    printf = message.printf
    if (
        head is not None
        and printf is not None
        and count == len(message.markers)
        and not (count and style.changes(message))
    ):

        def make_common(code: str, severity: Severity, params: tuple[str, ...]) -> LocalizedMessage:
            if params.__class__ is not tuple:
                params = tuple(params)  # "%" would print a list as one value
            return new(
                cls,
                (
                    code,
                    severity,
                    head,
                    printf % params,
                    params,
                    locale,
                    translated,
                    problems,
                    templates,
                ),
            )

        return make_common
    title_format = _prepare(title, count, style, code)
    message_format = _prepare(message, count, style, code)

    def make(code: str, severity: Severity, params: tuple[str, ...]) -> LocalizedMessage:
        return new(
            cls,
            (
                code,
                severity,
                title_format(*params),
                message_format(*params),
                params,
                locale,
                translated,
                problems,
                templates,
            ),
        )

    return make


def _prepare(
    template: CompiledTemplate, count: int, style: ParamStyle, code: str
) -> Callable[..., str]:
    """``f(*params)`` that formats ``template`` for ``count`` params."""
    if count and style.changes(template):
        return style.bind(template, code)  # %L numbers, isolation or glossary: off the fast path
    return template.bind(count)


class Localizer:
    """Localizes job messages into one locale. One instance may be shared by many threads.

    ``catalog_dirs`` are folders laid out like ``locales/`` whose entries win over the shipped
    ones. An unknown or malformed ``locale`` falls back to English and says so in ``problems``.
    ``on_missing(locale, code)`` is called the first time a code has no text in the requested
    language.

    ``isolate_params`` isolates each param with FSI/PDI in the plain text (default: in
    right-to-left locales only). ``param_glossary`` translates params that are terms with the
    ``jobmsg-params`` catalogs (off by default; see :mod:`jobmsg_i18n.params`).
    """

    def __init__(
        self,
        locale: str = "en",
        *,
        catalog_dirs: Iterable[str | PathLike[str]] = (),
        on_missing: Callable[[str, str], object] | None = None,
        isolate_params: bool | None = None,
        param_glossary: bool = False,
    ) -> None:
        self.requested = locale
        self.problems: list[str] = []
        try:
            self.locale = parse_tag(locale)
        except LocaleTagError as exc:
            self.problems.append(f"{exc}; using English")
            self.locale = "en"
        self._language = language_of(self.locale)
        dirs = [*catalog_dirs, shipped_path()]
        self._catalogs = CatalogSet(dirs)
        self.chain: tuple[str, ...] = catalog_chain(self.locale, self._catalogs.available())
        if self._language != "en" and not any(self._is_own(name) for name in self.chain):
            self.problems.append(f"no catalog for locale {self.locale!r}; using English")
        for problem in self.problems:
            log("jobmsg_i18n", WARNING, "%s", problem)
        self.rtl = is_rtl(self.locale)
        self.isolate_params = self.rtl if isolate_params is None else isolate_params
        glossary = (
            load_glossary(dirs, [n for n in self.chain if self._is_own(n)], self.problems)
            if param_glossary
            else {}
        )
        # The style of a text in the reader's language, and of any other (the English fallback).
        self._own_style = ParamStyle(self.locale, isolate=self.isolate_params, glossary=glossary)
        self._styles: dict[str, ParamStyle] = {}
        self._server_style = self._style("en")  # for the server's own English text
        self._on_missing = on_missing
        # By code, the resolution for the param count seen last; by (code, count), every one.
        self._by_code: dict[str, _Resolution] = {}
        self._resolved: dict[tuple[str, int], _Resolution] = {}
        self._missing: Counter[str] = Counter()
        self._missing_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Localizer({self.locale!r}, chain={self.chain!r})"

    @classmethod
    def for_request(
        cls,
        accept_language: AcceptLanguage,
        *,
        catalog_dirs: Iterable[str | PathLike[str]] = (),
        on_missing: Callable[[str, str], object] | None = None,
        isolate_params: bool | None = None,
        param_glossary: bool = False,
    ) -> Localizer:
        """A Localizer for the best locale for an ``Accept-Language`` header (or list of tags).

        The locale is :func:`~jobmsg_i18n.negotiate_locale` over the catalogs in
        ``catalog_dirs`` and the shipped ones. Building one costs some tens of microseconds; a
        server may as well keep one per locale.
        """
        from jobmsg_i18n.negotiation import available_locales, negotiate_locale

        dirs = tuple(catalog_dirs)
        return cls(
            negotiate_locale(accept_language, available_locales(dirs)),
            catalog_dirs=dirs,
            on_missing=on_missing,
            isolate_params=isolate_params,
            param_glossary=param_glossary,
        )

    def localize(self, messages: JobMessages) -> LocalizedMessages:
        """All errors and warnings of ``messages``, localized, in their order."""
        return LocalizedMessages(
            self.locale,
            self._localize_all(messages.errors, "error"),
            self._localize_all(messages.warnings, "warning"),
            messages.problems,
        )

    def localize_message(
        self, message: JobMessage, severity: Severity = "error"
    ) -> LocalizedMessage:
        """One message, localized."""
        return self._localize_all((message,), severity)[0]

    def localize_error(
        self,
        error: str | JobMessagesError,
        message: str | None = None,
        params: Sequence[str] = (),
    ) -> LocalizedMessage:
        """An API error code (``JobNotFound``) or an exception of this library, localized.

        The server's ``message`` is the fallback text; an exception brings its own.
        """
        if isinstance(error, JobMessagesError):
            code = error.code
            text = message if message is not None else getattr(error, "message", None) or str(error)
            params = params or error.params
        else:
            code, text = error, message or ""
        return self.localize_message(JobMessage(code, code, text, tuple(params)), "error")

    def missing(self) -> dict[str, int]:
        """How many messages, by code, had no text in the requested language so far."""
        with self._missing_lock:
            return dict(self._missing)

    def _localize_all(
        self, messages: Sequence[JobMessage], severity: Severity
    ) -> tuple[LocalizedMessage, ...]:
        by_code = self._by_code
        out: list[LocalizedMessage] = []
        append = out.append
        for m in messages:
            code, _, _, params = m
            r = by_code.get(code)
            if r is None or r.params_count != len(params):
                r = self._resolve(code, len(params))
            make = r.make
            if make is not None:
                append(make(code, severity, params))
                if r.translated:
                    continue
            else:
                # No catalog has it: the server's English is the template.
                server_title = compile_template(m.title)
                server_text = compile_template(m.message)
                markers = server_title.markers | server_text.markers
                style = self._server_style
                if params and (style.changes(server_title) or style.changes(server_text)):
                    title = style.fill(server_title, params, code)
                    text = style.fill(server_text, params, code)
                else:
                    title, text = server_title.format(params), server_text.format(params)
                append(
                    LocalizedMessage(
                        code,
                        severity,
                        title,
                        text,
                        params,
                        "en",
                        False,
                        r.problems + param_problems(markers, len(params)),
                        MessageTemplates(server_title, server_text, style),
                    )
                )
            self._count_missing(code)
        return tuple(out)

    def _resolve(self, code: str, count: int) -> _Resolution:
        found = self._resolved.get((code, count))
        if found is None:
            found = self._lookup(code, count)
            if len(self._resolved) >= _CACHE_LIMIT:
                self._resolved.clear()
                self._by_code.clear()
            self._resolved[(code, count)] = found
        self._by_code[code] = found
        return found

    def _lookup(self, code: str, count: int) -> _Resolution:
        problems: list[str] = []
        found: _Resolution | None = None
        layers = ((loc, layer) for loc in self.chain for layer in self._catalogs.layers(loc))
        for locale, layer in layers if code else ():
            entry = layer.get(code)
            if entry is None:
                continue
            title, message = compile_template(entry[0]), compile_template(entry[1])
            need = max(title.markers | message.markers, default=0)
            if need > count:
                problems.append(
                    f"the {locale} text of {code} needs %{need} but the message has "
                    f"{count} param{'' if count == 1 else 's'}; not used"
                )
                continue
            translated = self._is_own(locale)
            style = self._style(locale)
            all_problems = (*problems, *param_problems(title.markers | message.markers, count))
            make = _maker(title, message, count, style, code, locale, translated, all_problems)
            found = _Resolution(count, make, translated, all_problems)
            break
        if found is None:
            found = _Resolution(count, None, False, tuple(problems))
        return found

    def _is_own(self, locale: str) -> bool:
        """Whether a catalog's ``locale`` is in the reader's language."""
        return language_of(locale) == self._language

    def _style(self, text_locale: str) -> ParamStyle:
        """How params are shown in a text from ``text_locale``'s catalog.

        A text in the reader's language writes numbers the reader's way (``de_AT``, not ``de``)
        and uses the glossary; a fallback text (English) writes them its own way, so that a
        sentence does not mix two languages' conventions. Isolation depends on the page alone.
        """
        if self._is_own(text_locale):
            return self._own_style
        style = self._styles.get(text_locale)
        if style is None:
            style = ParamStyle(text_locale, isolate=self.isolate_params)
            self._styles[text_locale] = style
        return style

    def _count_missing(self, code: str) -> None:
        with self._missing_lock:
            first = code not in self._missing
            self._missing[code] += 1
        if first:
            log("jobmsg_i18n.missing", INFO, "no %s text for code %r", self.locale, code)
            if self._on_missing is not None:
                self._on_missing(self.locale, code)
