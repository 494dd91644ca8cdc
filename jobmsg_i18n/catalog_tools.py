"""Checking, measuring, extending and pseudo-translating the catalogs of a locales folder.

The folder is laid out like the shipped ``locales/``: one template ``<domain>.pot`` per domain,
and ``<locale>/LC_MESSAGES/<domain>.po`` with its compiled ``.mo`` per language. Every function
here handles every domain it finds (a domain is a ``.pot`` file, or a ``.po`` that lacks one).

* :func:`check_folder` lists every problem, ``file:line: severity: message``;
* :func:`coverage` counts translated, fuzzy and missing entries per locale and domain;
* :func:`harvest` adds to a template the codes of saved job messages responses that it lacks;
* :func:`write_pseudo` writes a pseudo-locale catalog (``en_XA``, ``ar_XB``) from the templates.

This module imports Babel's catalog code at once: import it only where it is needed.
"""

from __future__ import annotations

import gettext
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Literal

from babel.core import UnknownLocaleError
from babel.messages import checkers as babel_checkers
from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from jobmsg_i18n._version import __version__
from jobmsg_i18n.catalogs import read_mo_entries
from jobmsg_i18n.checkers import FLAG, message_problems, qt_format
from jobmsg_i18n.errors import InvalidResponseError
from jobmsg_i18n.locales import LocaleTagError, parse_tag
from jobmsg_i18n.models import JobMessages
from jobmsg_i18n.placeholders import placeholders

__all__ = [
    "PSEUDO_LOCALES",
    "Coverage",
    "HarvestResult",
    "Problem",
    "check_folder",
    "coverage",
    "domains",
    "harvest",
    "pseudolocalize",
    "write_pseudo",
]

Severity = Literal["error", "warning"]
StrPath = str | PathLike[str]

PSEUDO_LOCALES = ("en_XA", "ar_XB")
"""The pseudo-locales :func:`write_pseudo` knows: accented and longer text; right-to-left text."""

# Numbers at which two plural expressions must agree to be the same rule.
_PLURAL_SAMPLES = (*range(1200), 10**6, 10**6 + 1, 2 * 10**6, 10**7, 10**9)
_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of :func:`check_folder`, printed as ``file:line: severity: message``."""

    path: Path
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of one domain's template a locale's catalog translates."""

    locale: str
    domain: str
    translated: int
    fuzzy: int
    missing: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    @property
    def percent(self) -> float:
        """Translated share, rounded down to a tenth so that 100.0 means every entry."""
        if not self.total:
            return 100.0
        return math.floor(self.translated * 1000 / self.total) / 10

    def to_dict(self) -> dict[str, str | int | float]:
        return {
            "locale": self.locale,
            "domain": self.domain,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "missing": self.missing,
            "total": self.total,
            "percent": self.percent,
        }


@dataclass(slots=True)
class HarvestResult:
    """What :func:`harvest` did: the codes it added, and what it noticed on the way."""

    added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False


# -- the folder ----------------------------------------------------------------------------------


def domains(directory: StrPath) -> list[str]:
    """The domains in ``directory``: each ``.pot`` file, and each ``.po`` name that lacks one."""
    root = Path(directory)
    found = {p.stem for p in root.glob("*.pot")}
    found |= {p.stem for p in root.glob("*/LC_MESSAGES/*.po")}
    return sorted(found)


def _locales(root: Path, domain: str, suffix: str = ".po") -> list[str]:
    return sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{domain}{suffix}"))


def _entries(catalog: Catalog) -> Iterator[Message]:
    """The entries of a catalog, without the header."""
    return (message for message in catalog if message.id)


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _label(message: Message) -> str:
    """How a message is named in a finding: ``msgctxt 'Code.title'``, else by its text."""
    context = message.context
    if context and context.endswith((".title", ".message")):
        return f"msgctxt {context!r}"  # a code: unique by itself
    text = _key(message)[0]
    short = f"msgid {text[:40] + '...' if len(text) > 40 else text!r}"
    return f"msgctxt {context!r} {short}" if context else short


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, str):
        return [message.string]
    return list(message.string or ())


def _is_translated(message: Message) -> bool:
    strings = _strings(message)
    return bool(strings) and all(strings) and not message.fuzzy


# A line of a .po file: a comment, a keyword and a string, or a string continued.
_PO_LINE = re.compile(
    r'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[[0-9]+\])?)?\s*"(?:[^"\\]|\\.)*"\s*)?'
)


def _read(path: Path, problems: list[Problem]) -> Catalog | None:
    """The catalog in ``path``, or None after recording why it cannot be read.

    Babel's reader lets an unterminated string or a stray word pass (and loses the entry), so
    every line is first matched against the shape of PO syntax.
    """
    try:
        text = path.read_text("utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if not _PO_LINE.fullmatch(line):
                problems.append(
                    Problem(
                        path,
                        number,
                        "error",
                        f"cannot be read: not PO syntax: {line.strip()[:60]!r}",
                    )
                )
                return None
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except PoFileError as exc:
        text = str(exc.args[0]) if exc.args else str(exc)
        problems.append(Problem(path, exc.lineno, "error", f"cannot be read: {text}"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, 1, "error", f"cannot be read: not UTF-8 ({exc.reason})"))
    except (OSError, ValueError) as exc:
        problems.append(Problem(path, 1, "error", f"cannot be read: {exc}"))
    return None


# -- check ---------------------------------------------------------------------------------------


def check_folder(directory: StrPath, only: Iterable[str] = ()) -> list[Problem]:
    """Every problem of the catalogs in ``directory`` (of the domains in ``only``, if given).

    Errors: a ``%n`` mismatch (see :mod:`jobmsg_i18n.checkers`), ``%n`` markers without the
    ``qt-format`` flag, what Babel's other registered checkers refuse, a file that is not PO
    syntax, a fuzzy header, a ``Language`` header that contradicts the folder, a wrong or
    unreadable ``Plural-Forms`` (or a missing one in a catalog with plural entries), a ``.mo``
    whose entries differ from what its ``.po`` compiles to. Warnings: fuzzy and untranslated
    entries, template entries missing from a catalog, entries no longer in the template, a
    missing ``Plural-Forms`` or ``Language`` header, a ``.po`` not compiled yet (when its domain
    ships compiled catalogs), and a pseudo-locale that no longer matches its template. A ``.mo``
    older than its ``.po`` but with the same entries is fine: a git checkout keeps no file times.
    """
    root = Path(directory)
    problems: list[Problem] = []
    wanted = set(only)
    for domain in domains(root):
        if wanted and domain not in wanted:
            continue
        template_path = root / f"{domain}.pot"
        template = None
        if template_path.is_file():
            template = _read(template_path, problems)
            if template is not None:
                for message in _entries(template):
                    problems += _flag_problems(template_path, message)
        compiled = bool(_locales(root, domain, ".mo"))
        for locale in _locales(root, domain):
            po_path = root / locale / "LC_MESSAGES" / f"{domain}.po"
            if not template_path.is_file():
                problems.append(
                    Problem(
                        po_path,
                        1,
                        "warning",
                        f"no template {template_path}: missing and stale entries cannot be told",
                    )
                )
            problems += _check_po(po_path, locale, template, template_path, compiled)
        present = {p.parent.parent.name for p in root.glob("*/LC_MESSAGES/*.po")}
        for locale in sorted(set(PSEUDO_LOCALES) & present - set(_locales(root, domain))):
            if template_path.is_file():
                problems.append(
                    Problem(
                        root / locale / "LC_MESSAGES" / f"{domain}.po",
                        1,
                        "warning",
                        "pseudo-locale without this domain: "
                        f"run jobmsg catalog pseudo --locale {locale}",
                    )
                )
        for locale in sorted(set(_locales(root, domain, ".mo")) - set(_locales(root, domain))):
            mo_path = root / locale / "LC_MESSAGES" / f"{domain}.mo"
            problems.append(Problem(mo_path, 1, "warning", "compiled catalog without its .po"))
    return problems


def _check_po(
    path: Path, locale: str, template: Catalog | None, template_path: Path, compiled: bool
) -> list[Problem]:
    problems: list[Problem] = []
    catalog = _read(path, problems)
    if catalog is None:
        return problems
    text = path.read_text("utf-8")
    header = _header_fields(text)
    header_line = header.get("", ("", 1))[1]
    if catalog.fuzzy:
        problems.append(
            Problem(
                path,
                header_line,
                "error",
                "the header is marked fuzzy: pybabel compile skips the whole catalog",
            )
        )
    problems += _language_problems(path, locale, header)
    has_plurals = any(m.pluralizable for m in _entries(catalog))
    problems += _plural_problems(path, locale, header, has_plurals)
    extra = [c for c in babel_checkers.checkers if c is not qt_format]
    for message in _entries(catalog):
        line = message.lineno or 1
        problems += _flag_problems(path, message)
        for problem in message_problems(message):
            problems.append(Problem(path, line, "error", f"{_label(message)}: {problem}"))
        for checker in extra:
            if checker is babel_checkers.python_format and FLAG in message.flags:
                continue  # Babel reads "%1s" as python-format: not for %n texts
            try:
                checker(catalog, message)
            except TranslationError as exc:
                problems.append(Problem(path, line, "error", f"{_label(message)}: {exc}"))
        if message.fuzzy:
            problems.append(
                Problem(
                    path,
                    line,
                    "warning",
                    f"{_label(message)} is fuzzy: it is not compiled, readers get English",
                )
            )
        elif not all(_strings(message)):
            problems.append(Problem(path, line, "warning", f"{_label(message)} is not translated"))
    if template is not None:
        problems += _template_problems(path, catalog, template, template_path)
    problems += _compiled_problems(path, locale, catalog, compiled)
    if locale in PSEUDO_LOCALES and template is not None:
        expected = _pseudo_catalog(template, locale, template_path.stem)
        if _compiled_entries(expected) != _compiled_entries(catalog):
            problems.append(
                Problem(
                    path,
                    1,
                    "warning",
                    f"pseudo-locale out of date: run jobmsg catalog pseudo --locale {locale}",
                )
            )
    return problems


def _flag_problems(path: Path, message: Message) -> list[Problem]:
    """An entry with ``%n`` markers that neither GNU msgfmt nor the checker would look at."""
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    if any(placeholders(text) for text in ids) and not {FLAG, f"no-{FLAG}"} & message.flags:
        return [
            Problem(
                path,
                message.lineno or 1,
                "error",
                f"{_label(message)} has %n markers but no '#, {FLAG}' flag, so no tool "
                f"checks them (write '#, no-{FLAG}' if they are not markers)",
            )
        ]
    return []


def _language_problems(
    path: Path, locale: str, header: dict[str, tuple[str, int]]
) -> list[Problem]:
    value, line = header.get("language", ("", header.get("", ("", 1))[1]))
    if not value:
        return [Problem(path, line, "warning", f"no Language header (the folder says {locale})")]
    try:
        same = parse_tag(value) == parse_tag(locale)
    except LocaleTagError:
        same = False
    if same:
        return []
    return [Problem(path, line, "error", f"Language header says {value!r}, the folder {locale!r}")]


def expected_plural_forms(locale: str) -> tuple[int, str] | None:
    """``(nplurals, plural)`` from Babel's CLDR data for ``locale``, as ``pybabel init`` writes.

    A locale CLDR does not know (``en_XA``) gets its language's rule; None when that is unknown too.
    """
    for name in dict.fromkeys((locale, locale.split("_", 1)[0])):
        try:
            rule = get_plural(name)
        except (UnknownLocaleError, ValueError):
            continue
        return rule.num_plurals, rule.plural_expr
    return None


def _plural_problems(
    path: Path, locale: str, header: dict[str, tuple[str, int]], has_plurals: bool
) -> list[Problem]:
    expected = expected_plural_forms(locale)
    want = f"nplurals={expected[0]}; plural={expected[1]};" if expected else None
    hint = f" (CLDR: {want})" if want else ""
    value, line = header.get("plural-forms", ("", header.get("", ("", 1))[1]))
    if not value:
        severity: Severity = "error" if has_plurals else "warning"
        return [Problem(path, line, severity, f"no Plural-Forms header{hint}")]
    match = _PLURAL_FORMS.match(value)
    try:
        if match is None:
            raise ValueError(value)
        count, expression = int(match.group(1)), match.group(2)
        choose = gettext.c2py(expression)
        picks = [choose(n) for n in _PLURAL_SAMPLES]
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
        return [Problem(path, line, "error", f"Plural-Forms cannot be read: {value!r}{hint}")]
    if any(not 0 <= pick < count for pick in picks):
        return [Problem(path, line, "error", f"Plural-Forms picks a form beyond nplurals={count}")]
    if expected is None:
        return []
    reference = gettext.c2py(expected[1])
    if count != expected[0] or any(
        reference(n) != pick for n, pick in zip(_PLURAL_SAMPLES, picks, strict=True)
    ):
        return [Problem(path, line, "error", f"Plural-Forms {value!r} is wrong for {locale}{hint}")]
    return []


def _template_problems(
    path: Path, catalog: Catalog, template: Catalog, template_path: Path
) -> list[Problem]:
    problems: list[Problem] = []
    have = {_key(m): m for m in _entries(catalog)}
    want = {_key(m): m for m in _entries(template)}
    for key, message in want.items():
        if key not in have:
            problems.append(
                Problem(
                    path,
                    1,
                    "warning",
                    f"{_label(message)} ({template_path}:{message.lineno}) is missing: "
                    "run pybabel update",
                )
            )
    for key, message in have.items():
        if key not in want:
            problems.append(
                Problem(
                    path,
                    message.lineno or 1,
                    "warning",
                    f"{_label(message)} is no longer in {template_path}: run pybabel update",
                )
            )
    return problems


def _compiled_entries(catalog: Catalog) -> dict[bytes, bytes]:
    """The entries the ``.mo`` of ``catalog`` holds, as written by ``pybabel compile``."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return read_mo_entries(buffer.getvalue())


def _compiled_problems(path: Path, locale: str, catalog: Catalog, compiled: bool) -> list[Problem]:
    mo_path = path.with_suffix(".mo")
    command = f"pybabel compile -d {path.parent.parent.parent} -D {path.stem} -l {locale}"
    if not mo_path.is_file():
        if not compiled:
            return []  # this domain ships no compiled catalogs at all
        return [Problem(mo_path, 1, "warning", f"not compiled, so not used: run {command}")]
    try:
        shipped = read_mo_entries(mo_path.read_bytes())
    except (OSError, ValueError) as exc:
        return [Problem(mo_path, 1, "error", f"cannot be read ({exc}): run {command}")]
    expected = _compiled_entries(catalog)
    if shipped == expected:
        return []
    differ = len(set(shipped.items()) ^ set(expected.items()))
    older = mo_path.stat().st_mtime < path.stat().st_mtime
    return [
        Problem(
            mo_path,
            1,
            "error",
            f"{'older than and ' if older else ''}different from {path.name} "
            f"({differ} entr{'y' if differ == 1 else 'ies'} differ): run {command}",
        )
    ]


def _header_fields(text: str) -> dict[str, tuple[str, int]]:
    """The header fields of a ``.po`` text, lower-cased, with the line each starts on.

    Key ``""`` holds the line of the header's ``msgstr``. Babel parses the header but keeps
    neither the line numbers nor whether a field was there at all.
    """
    chunks: list[tuple[int, str]] = []
    msgstr_line = 0
    state = "start"
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if state == "start":
            if not line or line.startswith("#"):
                continue
            if line != 'msgid ""':
                return {}
            state = "msgid"
        elif state == "msgid":
            if line.startswith("msgstr "):
                msgstr_line, state = number, "msgstr"
                chunks.append((number, unescape(line[len("msgstr ") :])))
            elif not line.startswith('"'):
                return {}
        elif line.startswith('"'):
            chunks.append((number, unescape(line)))
        else:
            break
    fields: dict[str, tuple[str, int]] = {"": ("", msgstr_line or 1)}
    current, start = "", 0
    for number, chunk in chunks:
        parts = chunk.split("\n")
        for index, part in enumerate(parts):
            if part and not current:
                start = number
            current += part
            if index < len(parts) - 1 and current:
                name, _, value = current.partition(":")
                fields[name.strip().lower()] = (value.strip(), start)
                current = ""
    if current:
        name, _, value = current.partition(":")
        fields[name.strip().lower()] = (value.strip(), start)
    return fields


# -- stats ---------------------------------------------------------------------------------------


def coverage(directory: StrPath, only: Iterable[str] = ()) -> list[Coverage]:
    """Translated, fuzzy and missing entries for each locale and domain, counted on the template.

    Without a template, a catalog's own entries are the reference. Unreadable catalogs are left
    out (:func:`check_folder` reports them).
    """
    root = Path(directory)
    wanted = set(only)
    rows: list[Coverage] = []
    sink: list[Problem] = []
    for domain in domains(root):
        if wanted and domain not in wanted:
            continue
        template_path = root / f"{domain}.pot"
        template = _read(template_path, sink) if template_path.is_file() else None
        for locale in _locales(root, domain):
            catalog = _read(root / locale / "LC_MESSAGES" / f"{domain}.po", sink)
            if catalog is None:
                continue
            have = {_key(m): m for m in _entries(catalog)}
            keys = [_key(m) for m in _entries(template)] if template is not None else list(have)
            translated = fuzzy = 0
            for key in keys:
                message = have.get(key)
                if message is None:
                    continue
                if message.fuzzy:
                    fuzzy += 1
                elif _is_translated(message):
                    translated += 1
            rows.append(Coverage(locale, domain, translated, fuzzy, len(keys) - translated - fuzzy))
    return rows


# -- harvest -------------------------------------------------------------------------------------


def harvest(template_path: StrPath, responses: Sequence[StrPath]) -> HarvestResult:
    """Add to the template every code of the saved ``responses`` that it lacks.

    Each new code gets a ``<code>.title`` and a ``<code>.message`` entry, the server's English as
    the source text, flagged ``qt-format``, with a comment naming the file and the place it was
    first seen. Existing entries and the rest of the file are left byte for byte as they were, and
    when nothing is new the file is not written at all, so a second run changes nothing. A missing
    template is created. Raises :class:`InvalidResponseError` (naming the file) before writing
    anything if a response cannot be read, and :class:`ValueError` if the template cannot.
    """
    path = Path(template_path)
    result = HarvestResult()
    seen: list[tuple[str, str, str, str, tuple[str, ...]]] = []  # code, title, text, where, params
    for source in responses:
        name = str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InvalidResponseError(f"{name}: cannot be read: {exc.strerror or exc}") from None
        try:
            messages = JobMessages.from_json(data)
        except InvalidResponseError as exc:
            raise InvalidResponseError(f"{name}: {exc}", exc.problems) from None
        prefix = "messages." if b'"messages"' in data else ""
        for kind, items in (("errors", messages.errors), ("warnings", messages.warnings)):
            for index, message in enumerate(items):
                where = f"{name} ({prefix}{kind}[{index}])"
                seen.append((message.code, message.title, message.message, where, message.params))

    exists = path.is_file()
    if exists:
        problems: list[Problem] = []
        template = _read(path, problems)
        if template is None:
            raise ValueError("; ".join(str(p) for p in problems))
    else:
        template = _new_template()
    by_context = {m.context: m for m in _entries(template) if m.context}
    additions = Catalog(fuzzy=False)
    for code, title, text, where, params in seen:
        if not code:
            result.notes.append(f"{where}: a message without a code cannot be translated")
            continue
        if f"{code}.title" in by_context or code in result.added:
            known = by_context.get(f"{code}.message")
            if known is not None and known.id != text and text:
                result.notes.append(
                    f"{where}: {code}: the server's English differs from the template's "
                    f"({text!r}, template {known.id!r}); the template is left as it is"
                )
            continue
        if not title or not text:
            result.notes.append(
                f"{where}: {code} has no English {'title' if not title else 'message'}; left out"
            )
            continue
        result.added.append(code)
        seen_params = ", ".join(f'%{n} was "{value}"' for n, value in enumerate(params, 1))
        _add(
            additions,
            f"{code}.title",
            title,
            [f"Title of the job or API message with code {code}.", f"First seen in {where}."],
        )
        _add(
            additions,
            f"{code}.message",
            text,
            [
                f"Message of code {code}."
                + (f" In that message {seen_params}." if seen_params else ""),
                f"First seen in {where}.",
            ],
        )
    if not result.added:
        return result
    buffer = io.BytesIO()
    if exists:
        write_po(buffer, additions, omit_header=True, width=76)
        old = path.read_bytes()
        separator = b"" if old.endswith(b"\n\n") else b"\n" if old.endswith(b"\n") else b"\n\n"
        path.write_bytes(old + separator + buffer.getvalue().rstrip(b"\n") + b"\n")
    else:
        for entry in _entries(additions):
            template[entry.id] = entry
        write_po(buffer, template, width=76)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())
    result.written = True
    return result


def _new_template() -> Catalog:
    return Catalog(
        project="jobmsg-i18n",
        version=__version__,
        copyright_holder="jobmsg-i18n contributors",
        charset="utf-8",
    )


def _add(catalog: Catalog, context: str, text: str, comments: list[str]) -> None:
    message = catalog.add(text, "", context=context, auto_comments=comments, flags=[FLAG])
    if message is not None:
        message.flags.discard("python-format")  # Babel guesses it from "%1s"; these are %n texts


# -- pseudo-locales ------------------------------------------------------------------------------

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ",
)
_PADDING = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_EXPANSION = 0.35
_QT = r"%(?:%|L?[0-9]{1,2})"
_PYTHON = r"%(?:\([^)]*\))?[-#0 +]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?[hlL]?[diouxXeEfFgGcrs]"
_OTHER = r"\{[^{}\s]*\}|<[^<>]+>|&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);"
# What pseudo-translation must leave untouched: markers, python and brace fields, markup.
_KEEP_QT = re.compile(f"{_QT}|{_PYTHON}|{_OTHER}")
_KEEP_PYTHON = re.compile(f"{_PYTHON}|{_QT}|{_OTHER}")
_WORD = re.compile(r"\S+")
# Each word in a right-to-left override, as Android's ar-XB does: the text reads backwards.
_RLM, _RLO, _PDF = "\u200f", "\u202e", "\u202c"


def pseudolocalize(text: str, locale: str = "en_XA", *, qt: bool = True) -> str:
    """``text`` in a pseudo-locale, every marker and markup left exactly as it was.

    ``en_XA``: letters accented, about 35% longer, in brackets, so that clipped or hard-coded
    text shows. ``ar_XB``: every word written right to left. ``qt=False`` reads ``%1d`` as a
    python-format field rather than ``%1`` then ``d``.

    >>> pseudolocalize('Invalid input data. ("%1")')
    '[Īƞṽȧŀīḓ īƞƥŭŧ ḓȧŧȧ. ("%1") one two three]'
    >>> pseudolocalize("%L1 of %2", "ar_XB") == "%L1 \u200f\u202eof\u202c\u200f %2"
    True
    """
    if locale not in PSEUDO_LOCALES:
        raise ValueError(f"not a pseudo-locale: {locale!r} (known: {', '.join(PSEUDO_LOCALES)})")
    if not text.strip():
        return text
    keep = _KEEP_QT if qt else _KEEP_PYTHON
    pieces: list[str] = []
    position = 0
    for match in keep.finditer(text):
        pieces.append(_pseudo_plain(text[position : match.start()], locale))
        pieces.append(match.group())
        position = match.end()
    pieces.append(_pseudo_plain(text[position:], locale))
    body = "".join(pieces)
    if locale == "ar_XB":
        return body
    extra = math.ceil(len(text) * _EXPANSION)
    padding: list[str] = []
    while len(" ".join(padding)) + 1 < extra:
        padding.append(_PADDING[len(padding) % len(_PADDING)])
    return f"[{body} {' '.join(padding)}]" if padding else f"[{body}]"


def _pseudo_plain(text: str, locale: str) -> str:
    if locale == "ar_XB":
        return _WORD.sub(lambda m: f"{_RLM}{_RLO}{m.group()}{_PDF}{_RLM}", text)
    return text.translate(_ACCENTS)


def _pseudo_catalog(template: Catalog, locale: str, domain: str) -> Catalog:
    language = locale.split("_", 1)[0]
    forms = get_plural(language)
    catalog = Catalog(
        locale=None,
        domain=domain,
        header_comment=(
            f"# Pseudo-locale {locale}, generated from {domain}.pot by `jobmsg catalog pseudo`.\n"
            "# Do not edit: run the command again when the template changes."
        ),
        project=template.project,
        version=template.version,
        copyright_holder=template.copyright_holder,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=template.creation_date,
        last_translator="jobmsg catalog pseudo",
        language_team=f"{locale} (pseudo-locale)",
        charset="utf-8",
        fuzzy=False,
    )
    catalog.mime_headers = [
        ("Language", locale),
        ("Plural-Forms", f"nplurals={forms.num_plurals}; plural={forms.plural_expr};"),
    ]
    one = gettext.c2py(forms.plural_expr)(1)
    for message in _entries(template):
        qt = FLAG in message.flags
        if isinstance(message.id, str):
            string: str | tuple[str, ...] = pseudolocalize(message.id, locale, qt=qt)
        else:
            singular, plural = (pseudolocalize(t, locale, qt=qt) for t in message.id[:2])
            string = tuple(singular if i == one else plural for i in range(forms.num_plurals))
        copy = catalog.add(
            message.id,
            string,
            auto_comments=message.auto_comments,
            flags=message.flags - {"fuzzy"},
            context=message.context,
        )
        if copy is not None and "python-format" not in message.flags:
            copy.flags.discard("python-format")
    return catalog


def write_pseudo(directory: StrPath, locale: str = "en_XA", only: Iterable[str] = ()) -> list[Path]:
    """Write ``<locale>/LC_MESSAGES/<domain>.po`` and ``.mo`` for each template in ``directory``.

    Returns the files written. The output depends only on the templates, so running it again
    on an unchanged template rewrites the same entries.
    """
    if locale not in PSEUDO_LOCALES:
        raise ValueError(f"not a pseudo-locale: {locale!r} (known: {', '.join(PSEUDO_LOCALES)})")
    root = Path(directory)
    wanted = set(only)
    written: list[Path] = []
    for template_path in sorted(root.glob("*.pot")):
        domain = template_path.stem
        if wanted and domain not in wanted:
            continue
        problems: list[Problem] = []
        template = _read(template_path, problems)
        if template is None:
            raise ValueError("; ".join(str(p) for p in problems))
        catalog = _pseudo_catalog(template, locale, domain)
        folder = root / locale / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po_buffer, mo_buffer = io.BytesIO(), io.BytesIO()
        write_po(po_buffer, catalog, width=76)
        write_mo(mo_buffer, catalog)
        for suffix, buffer in ((".po", po_buffer), (".mo", mo_buffer)):
            target = folder / f"{domain}{suffix}"
            target.write_bytes(buffer.getvalue())
            written.append(target)
    return written
