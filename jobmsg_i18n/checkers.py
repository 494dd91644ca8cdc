"""A Babel checker for ``%n`` (``qt-format``) translations.

Registered under the ``babel.checkers`` entry point group, so ``pybabel compile`` and every call
of ``Catalog.check()`` run it next to Babel's own checkers. It looks only at entries flagged
``qt-format`` and uses :mod:`jobmsg_i18n.placeholders`, so the check and the runtime agree on what
a marker is. A translation is refused when it

* drops a marker of the source, or adds one the source does not have (renumbering does both);
* writes ``%Ln`` where the source has ``%n``, or ``%n`` where it has ``%Ln``;
* contains ``%0`` or ``%L0`` that the source does not (GNU ``msgfmt -c`` reads them as markers).

Plural entries: the source is the union of ``msgid`` and ``msgid_plural``, and every form must
keep every marker, as GNU ``msgfmt -c`` wants for ``qt-format`` (a form for "one" that leaves out
the count drops a param the message carries).

>>> from babel.messages.catalog import Message
>>> qt_format(None, Message("Retry %1 of %2", "Versuch %2 von %1", flags=["qt-format"]))
>>> qt_format(None, Message("Retry %1 of %2", "Versuch %1", flags=["qt-format"]))
Traceback (most recent call last):
  ...
babel.messages.catalog.TranslationError: the translation drops %2
>>> marker_problems("%1 files", "%1 Dateien, %3 neu")
['the translation adds %3, which the source does not have']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from babel.messages.catalog import Catalog, Message, TranslationError

from jobmsg_i18n.placeholders import compile_template

__all__ = ["FLAG", "marker_problems", "message_problems", "qt_format"]

FLAG = "qt-format"

# What GNU reads as a marker numbered 0, and the runtime leaves as text.
_ZERO = re.compile(r"%L?0[0-9]?")


def qt_format(catalog: Catalog | None, message: Message) -> None:
    """Babel checker: raise :class:`TranslationError` for a ``%n`` mismatch in ``message``."""
    problems = message_problems(message)
    if problems:
        raise TranslationError("; ".join(problems))


def message_problems(message: Message) -> list[str]:
    """Every ``%n`` problem of one catalog entry; none unless it is flagged ``qt-format``."""
    if FLAG not in message.flags or not message.id:
        return []
    if isinstance(message.id, str):
        if isinstance(message.string, str) and message.string:
            return marker_problems(message.id, message.string)
        return []
    source = " ".join(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
    return [
        f"form {index}: {problem}"
        for index, text in enumerate(strings)
        if text
        for problem in marker_problems(source, text)
    ]


def marker_problems(source: str, translation: str) -> list[str]:
    """How the markers of ``translation`` differ from those of ``source``."""
    src, out = compile_template(source), compile_template(translation)
    problems: list[str] = []
    dropped = sorted(src.markers - out.markers)
    added = sorted(out.markers - src.markers)
    if dropped:
        problems.append(f"the translation drops {_names(dropped)}")
    if added:
        verb = "do" if len(added) > 1 else "does"
        problems.append(f"the translation adds {_names(added)}, which the source {verb} not have")
    for n in sorted(src.markers & out.markers):
        if n in src.localized and n not in out.localized:
            problems.append(f"%L{n} (a number in the reader's format) is written %{n}")
        elif n in out.localized and n not in src.localized:
            problems.append(f"%{n} is written %L{n}, but the source does not mark it a number")
    stray = sorted(set(_ZERO.findall(translation)) - set(_ZERO.findall(source)))
    if stray:
        verb = "are not markers" if len(stray) > 1 else "is not a marker"
        problems.append(f"{_names(stray, prefix='')} {verb} (markers start at %1)")
    return problems


def _names(items: Sequence[int | str], prefix: str = "%") -> str:
    names = [f"{prefix}{item}" for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
