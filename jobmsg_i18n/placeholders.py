"""Positional ``%n`` placeholders, as the iTwin jobs APIs write them.

The rules, which the runtime and the catalog checker share:

* A marker is ``%`` and then one or two digits, the first of them 1-9, read greedily: ``%1`` to
  ``%99``. ``%n`` takes ``params[n-1]``; ``%10`` is the tenth param, and ``%100`` is the tenth
  param followed by a literal ``0``.
* ``%L`` before the digits (``%L1``) marks a number to be written in the reader's locale; without a
  number formatter it is inserted like ``%1``.
* ``%%`` is a literal ``%``. Any other ``%`` (a lone ``%``, ``%x``, ``%0``, a trailing ``%``) stays
  as it is.
* One pass: a param is inserted verbatim and never scanned again. Markers may repeat and may come
  in any order.
* A marker with no param stays visible as written, and params that no marker uses are left out;
  :meth:`CompiledTemplate.check` reports both. Nothing raises, whatever the template and params.

>>> format_params('Invalid input data. ("%1")', ["Scene"])
'Invalid input data. ("Scene")'
>>> format_params("%2 before %1, 100%% done", ["a", "b"])
'b before a, 100% done'
>>> format_params("%1 %2", ["%2", "x"])
'%2 x'
>>> format_params("%1 of %3", ["one"])
'one of %3'
>>> format_params("%100 and %0 and 5% and %", ["x"] * 10)
'x0 and %0 and 5% and %'
>>> sorted(placeholders("%2 %L1 %2 %%3"))
[1, 2]
>>> compile_template("%1 of %3").check(["one", "two"])
('%3 has no param (2 given)', 'param 2 is not used')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

__all__ = [
    "CompiledTemplate",
    "compile_template",
    "format_params",
    "param_problems",
    "placeholders",
]

# Group 1: "%%"; group 2: "L" or ""; group 3: the marker's number.
_TOKEN = re.compile(r"%(?:(%)|(L?)([1-9][0-9]?))")


class CompiledTemplate:
    """A template parsed once into a ``str.format`` pattern, so formatting does no parsing.

    Literal braces are escaped and every marker becomes a positional field, which keeps the
    single-pass rule: ``str.format`` never looks inside the values it inserts.
    """

    __slots__ = ("_fmt", "_plain", "_size", "localized", "markers", "printf", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        # (literal text before, marker number or 0 for "%%", localized?)
        tokens: list[tuple[str, int, bool]] = []
        position = 0
        for match in _TOKEN.finditer(source):
            number = 0 if match.group(1) else int(match.group(3))
            tokens.append((source[position : match.start()], number, bool(match.group(2))))
            position = match.end()
        self.markers = frozenset(number for _, number, _ in tokens if number)
        self.localized = frozenset(number for _, number, localized in tokens if localized)
        self._size = size = max(self.markers, default=0)
        self._plain = not tokens  # no marker and no "%%": the text is the result
        pieces: list[str] = []
        for literal, number, localized in tokens:
            pieces.append(_escape_braces(literal))
            if not number:
                pieces.append("%")
            else:
                # Localized fields come after the plain ones, so one param may appear both ways.
                pieces.append(f"{{{size + number - 1 if localized else number - 1}}}")
        pieces.append(_escape_braces(source[position:]))
        self._fmt = "".join(pieces)
        numbers = [number for _, number, _ in tokens if number]
        self.printf: str | None = None
        """When the markers are ``%1`` to ``%n``, once each and in order, with no ``%Ln``: the same
        template as a printf pattern, so that ``printf % params`` (n params exactly, a tuple)
        formats it with a single operator: the fastest way CPython has."""
        if numbers == list(range(1, size + 1)) and not self.localized:
            literals = [literal.replace("%", "%%") for literal, _, _ in tokens]
            marks = ["%%" if not number else "%s" for _, number, _ in tokens]
            tail = source[position:].replace("%", "%%")
            self.printf = "".join(a + b for a, b in zip(literals, marks, strict=True)) + tail

    def format(self, params: Sequence[str], number: Callable[[str], str] | None = None) -> str:
        """The template with each marker replaced by its param.

        ``number``, when given, writes the value of each ``%Ln`` marker (a locale's number format).
        """
        if self._plain:
            return self.source
        fmt = self._fmt
        size = self._size
        if len(params) >= size and not self.localized:
            return fmt.format(*params)
        values = [*params[:size], *(f"%{n}" for n in range(len(params) + 1, size + 1))]
        if self.localized:
            written = list(values)
            for n in self.localized:
                if n <= len(params):
                    written[n - 1] = number(params[n - 1]) if number else params[n - 1]
                else:
                    written[n - 1] = f"%L{n}"
            values.extend(written)
        return fmt.format(*values)

    @property
    def constant(self) -> str | None:
        """The text itself when it has no marker and no ``%%``, whatever the params; else None."""
        return self.source if self._plain else None

    def bind(self, count: int, number: Callable[[str], str] | None = None) -> Callable[..., str]:
        """A function of ``count`` params (``f(*params)``) that formats this template.

        For the common case, enough params and no ``%Ln``, it is ``str.format`` itself: the
        Localizer resolves a code once per param count and then formats with no Python-level call.
        """
        if count >= self._size and not self.localized:
            return self._fmt.format
        return lambda *params: self.format(params, number)

    def check(self, params: Sequence[str]) -> tuple[str, ...]:
        """Problems in formatting this template with ``params``: missing and unused params."""
        return param_problems(self.markers, len(params))

    def __repr__(self) -> str:
        return f"CompiledTemplate({self.source!r})"


def param_problems(markers: frozenset[int], count: int) -> tuple[str, ...]:
    """Markers with no param and params with no marker, given ``count`` params."""
    problems = [f"%{n} has no param ({count} given)" for n in sorted(markers) if n > count]
    problems += [f"param {n} is not used" for n in range(1, count + 1) if n not in markers]
    return tuple(problems)


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@lru_cache(maxsize=4096)
def compile_template(template: str) -> CompiledTemplate:
    """The compiled form of ``template``, cached (thread-safe) so each text is parsed once."""
    return CompiledTemplate(template)


def format_params(template: str, params: Sequence[str]) -> str:
    """``template`` with each ``%n`` replaced by ``params[n-1]`` (see the module's rules)."""
    return compile_template(template).format(params)


def placeholders(template: str) -> frozenset[int]:
    """The numbers of the markers in ``template``: ``{1, 2}`` for ``"%2 of %1"``."""
    return compile_template(template).markers
