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
from collections.abc import Callable, Iterable, Iterator, Sequence
from os import PathLike
from typing import Any, NamedTuple

from jobmsg_i18n._log import INFO, WARNING, log
from jobmsg_i18n.catalogs import CatalogSet, shipped_path
from jobmsg_i18n.errors import JobMessagesError
from jobmsg_i18n.locales import LocaleTagError, candidates, is_rtl, parse_tag
from jobmsg_i18n.models import JobMessage, JobMessages, Severity
from jobmsg_i18n.placeholders import CompiledTemplate, compile_template, param_problems

__all__ = ["LocalizedMessage", "LocalizedMessages", "Localizer"]


# Codes come from the server: bound what a Localizer remembers about them.
_CACHE_LIMIT = 10_000


class LocalizedMessage(NamedTuple):
    """One message in the reader's language.

    ``locale`` is the catalog the text came from (``"en"`` for the server's own text);
    ``translated`` is true when that catalog is in the requested language. ``params`` are the raw
    params as the server sent them; ``problems`` says why a catalog was passed over and which
    markers or params did not match.
    """

    code: str
    severity: Severity
    title: str
    message: str
    params: tuple[str, ...]
    locale: str
    translated: bool
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types: lists for the tuples."""
        return {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "params": list(self.params),
            "locale": self.locale,
            "translated": self.translated,
            "problems": list(self.problems),
        }


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


# A text as the hot path wants it: the text itself when it has no marker, else ``f(*params)``.
_Text = str | Callable[..., str]


class _Resolution(NamedTuple):
    """Where the text of one (code, param count) comes from; ``title`` None means the server's."""

    params_count: int
    title: _Text | None
    message: _Text | None
    locale: str
    translated: bool
    problems: tuple[str, ...]


def _prepare(template: CompiledTemplate, count: int) -> _Text:
    constant = template.constant
    return constant if constant is not None else template.bind(count)


class Localizer:
    """Localizes job messages into one locale. One instance may be shared by many threads.

    ``catalog_dirs`` are folders laid out like ``locales/`` whose entries win over the shipped
    ones. An unknown or malformed ``locale`` falls back to English and says so in ``problems``.
    ``on_missing(locale, code)`` is called the first time a code has no text in the requested
    language.
    """

    def __init__(
        self,
        locale: str = "en",
        *,
        catalog_dirs: Iterable[str | PathLike[str]] = (),
        on_missing: Callable[[str, str], object] | None = None,
    ) -> None:
        self.requested = locale
        self.problems: list[str] = []
        try:
            self.locale = parse_tag(locale)
            names = candidates(locale)
        except LocaleTagError as exc:
            self.problems.append(f"{exc}; using English")
            self.locale = "en"
            names = candidates("en")
        self._language = self.locale.split("_", 1)[0]
        self._catalogs = CatalogSet([*catalog_dirs, shipped_path()])
        self.chain: tuple[str, ...] = tuple(name for name in names if self._catalogs.files(name))
        if self._language != "en" and not any(
            name.split("_", 1)[0] == self._language for name in self.chain
        ):
            self.problems.append(f"no catalog for locale {self.locale!r}; using English")
        for problem in self.problems:
            log("jobmsg_i18n", WARNING, "%s", problem)
        self.rtl = is_rtl(self.locale)
        self._on_missing = on_missing
        # By code, the resolution for the param count seen last; by (code, count), every one.
        self._by_code: dict[str, _Resolution] = {}
        self._resolved: dict[tuple[str, int], _Resolution] = {}
        self._missing: Counter[str] = Counter()
        self._missing_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Localizer({self.locale!r}, chain={self.chain!r})"

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
        # The hot path: one dict lookup and two C-level str.format calls per message. The result is
        # built with tuple.__new__, which skips the generated NamedTuple.__new__ (a Python frame).
        by_code = self._by_code
        new = tuple.__new__
        cls = LocalizedMessage
        out: list[LocalizedMessage] = []
        append = out.append
        for m in messages:
            code, _, _, params = m
            r = by_code.get(code)
            if r is None or r.params_count != len(params):
                r = self._resolve(code, len(params))
            _, title, text, locale, translated, problems = r
            if title is not None and text is not None:
                append(
                    new(
                        cls,
                        (
                            code,
                            severity,
                            title if isinstance(title, str) else title(*params),
                            text if isinstance(text, str) else text(*params),
                            params,
                            locale,
                            translated,
                            problems,
                        ),
                    )
                )
                if translated:
                    continue
            else:
                # No catalog has it: the server's English is the template.
                server_title = compile_template(m.title)
                server_text = compile_template(m.message)
                markers = server_title.markers | server_text.markers
                append(
                    LocalizedMessage(
                        code,
                        severity,
                        server_title.format(params),
                        server_text.format(params),
                        params,
                        "en",
                        False,
                        problems + param_problems(markers, len(params)),
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
            translated = locale.split("_", 1)[0] == self._language
            found = _Resolution(
                count,
                _prepare(title, count),
                _prepare(message, count),
                locale,
                translated,
                (*problems, *param_problems(title.markers | message.markers, count)),
            )
            break
        if found is None:
            found = _Resolution(count, None, None, "en", False, tuple(problems))
        return found

    def _count_missing(self, code: str) -> None:
        with self._missing_lock:
            first = code not in self._missing
            self._missing[code] += 1
        if first:
            log("jobmsg_i18n.missing", INFO, "no %s text for code %r", self.locale, code)
            if self._on_missing is not None:
                self._on_missing(self.locale, code)
