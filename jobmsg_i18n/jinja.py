"""Job messages and the report's own words in Jinja2 templates, escaped for their output.

:func:`install_localization` puts into any ``jinja2.Environment``:

* a ``localize`` filter bound to a :class:`~jobmsg_i18n.Localizer`: ``{{ message|localize }}``
  writes a job message in the reader's language; under autoescape every param is escaped and set
  apart as ``<bdi class="param">...</bdi>``, so a Latin file name keeps its order inside Arabic;
* ``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` reading the report's gettext
  domain (``jobmsg_report``), which ``{% trans %}`` blocks use too when the environment has
  ``jinja2.ext.i18n``.

The translator's text is never trusted as HTML: it is escaped like any value, and its
``%(name)s`` placeholders are filled without Python's ``%`` operator, so a stray ``%`` cannot
break a page. Job messages never go through gettext here: their ``%1`` markers are the
:class:`~jobmsg_i18n.Localizer`'s business.

>>> from jinja2 import Environment
>>> from jobmsg_i18n import JobMessage, Localizer
>>> env = Environment(autoescape=True)
>>> install_localization(env, Localizer("en"))
>>> message = JobMessage("InputData_Invalid", "Invalid input data",
...                      'Invalid input data. Please check the documentation. ("%1")', ("<b>",))
>>> env.from_string("{{ m|localize }}").render(m=message)
'Invalid input data. Please check the documentation. (&#34;<bdi class="param">&lt;b&gt;</bdi>&#34;)'
>>> env.from_string("{{ ngettext('%(num)s error', '%(num)s errors', 1200) }}").render()
'1,200 errors'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any, NamedTuple

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from jobmsg_i18n.catalogs import shipped_dir
from jobmsg_i18n.errors import JobMessagesError
from jobmsg_i18n.locales import LocaleTagError, candidates, is_rtl, parse_tag
from jobmsg_i18n.localizer import LocalizedMessage, Localizer
from jobmsg_i18n.models import JobMessage, Severity
from jobmsg_i18n.params import ISOLATE_CONTROLS, balance_isolates
from jobmsg_i18n.placeholders import CompiledTemplate

__all__ = [
    "FLAVORS",
    "REPORT_DOMAIN",
    "Flavor",
    "MarkdownText",
    "ReportLanguage",
    "as_localized",
    "clean_text",
    "escape_markdown",
    "html_text",
    "install_localization",
    "interpolate",
    "message_html",
    "render_message",
    "report_language",
]

REPORT_DOMAIN = "jobmsg_report"

# --- output flavors: what "escaped" means for HTML, Markdown and plain text ----------------------

# Control characters (C0, DEL, C1) and the bidi embeddings and overrides: a value from the server
# must not move a terminal's cursor or reorder the text around it. Isolates (U+2066-2069) stay
# when paired: the Localizer puts a param between FSI and PDI in right-to-left text, and they
# reorder nothing outside themselves.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
# An isolate initiator (LRI, RLI, FSI) without its PDI runs to the end of the line and takes
# in all the text after it; a PDI without its initiator could close one of the Localizer's.
_ISOLATES = re.compile(ISOLATE_CONTROLS)
_LINE_BREAKS = re.compile(r"\s*[\r\n\t\f\v\u2028\u2029]+\s*")
# Characters that could start Markdown syntax inside a line of text or a table cell.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&#!{}$]")


def clean_text(value: str) -> str:
    """``value`` on one line, with control characters and unpaired isolates shown as U+FFFD.

    >>> clean_text("a\\n b\\x1b[2J\\u202ec")
    'a b\\ufffd[2J\\ufffdc'
    """
    text = _UNSAFE_CHARS.sub("\ufffd", _LINE_BREAKS.sub(" ", value))
    return balance_isolates(text) if _ISOLATES.search(text) else text


class MarkdownText(str):
    """Markdown source that may be inserted as it is: every value in it was escaped."""

    __slots__ = ()


def escape_markdown(value: object) -> MarkdownText:
    r"""``value`` as Markdown text that renders as exactly those characters, on one line.

    >>> print(escape_markdown("a|b *c* <x> `d`"))
    a\|b \*c\* \<x\> \`d\`
    """
    if isinstance(value, MarkdownText):
        return value
    text = clean_text(value if isinstance(value, str) else str(value))
    return MarkdownText(_MARKDOWN_SPECIAL.sub(r"\\\g<0>", text))


class Flavor(NamedTuple):
    """What "escaped" means for one output format: HTML, Markdown or plain text."""

    name: str
    escape: Callable[[object], str]
    """A value (or text already escaped for this format, passed through) as safe output."""
    join: Callable[[Iterable[str]], str]
    """Parts already escaped, as one safe piece."""


def _plain(value: object) -> str:
    return clean_text(value if isinstance(value, str) else str(value))


HTML = Flavor("html", escape, Markup("").join)
MARKDOWN = Flavor("markdown", escape_markdown, lambda parts: MarkdownText("".join(parts)))
TEXT = Flavor("text", _plain, "".join)
FLAVORS = {flavor.name: flavor for flavor in (HTML, MARKDOWN, TEXT)}

# --- the report's own words ----------------------------------------------------------------------

_NAMED = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)s|%%")


def interpolate(flavor: Flavor, text: str, variables: Mapping[str, object]) -> str | None:
    """``text`` with its ``%(name)s`` filled, all escaped for ``flavor``; None for an unknown name.

    Only ``%(name)s`` and ``%%`` are read; any other ``%`` stays as it is.

    >>> interpolate(HTML, "<%(who)s> 100%% & %d", {"who": "<b>"})
    Markup('&lt;&lt;b&gt;&gt; 100% &amp; %d')
    """
    if "%" not in text:
        return flavor.escape(text)
    parts: list[str] = []
    position = 0
    for match in _NAMED.finditer(text):
        if match.start() > position:
            parts.append(flavor.escape(text[position : match.start()]))
        name = match.group(1)
        if name is None:
            parts.append(flavor.escape("%"))
        elif name in variables:
            parts.append(flavor.escape(variables[name]))
        else:
            return None
        position = match.end()
    parts.append(flavor.escape(text[position:]))
    return flavor.join(parts)


class ReportLanguage:
    """The report's words, numbers, dates and lists in one language.

    Made by :func:`report_language`; immutable, so one instance serves many threads.
    """

    def __init__(self, locale: str, translations: NullTranslations) -> None:
        self.locale = locale
        """The POSIX-style locale of the words (``pt_BR``); ``en`` when none were found."""
        self.tag = locale.replace("_", "-")
        """The same as a BCP 47 tag, for ``<html lang>``."""
        self.language = locale.split("_", 1)[0]
        self.rtl = is_rtl(locale)
        self.translations = translations
        try:
            self.babel = Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            try:
                self.babel = Locale.parse(self.language)
            except (UnknownLocaleError, ValueError):
                self.babel = Locale.parse("en")

    def __repr__(self) -> str:
        return f"ReportLanguage({self.locale!r})"

    def format_number(self, number: float) -> str:
        """``1200`` as the locale writes it (``1 200`` in French)."""
        return format_decimal(number, locale=self.babel)

    def format_datetime(
        self, value: datetime, format: str = "medium", tz: tzinfo | None = None
    ) -> str:
        """A date and time as the locale writes it; a naive ``value`` is UTC."""
        return format_datetime(value, format, tzinfo=tz, locale=self.babel)

    def functions(self, flavor: Flavor) -> dict[str, Callable[..., str]]:
        """``_``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext`` and ``format_list``.

        Their results are escaped for ``flavor``. ``ngettext`` and ``npgettext`` fill ``num``
        with the count written for the locale; other ``%(name)s`` come from keyword arguments.
        """
        t = self.translations

        def finish(translated: str, source: str, variables: Mapping[str, object]) -> str:
            result = interpolate(flavor, translated, variables)
            if result is None:  # a translation naming an unknown placeholder: use the source
                result = interpolate(flavor, source, variables)
            return flavor.escape(source) if result is None else result

        def gettext(message: str, /, **variables: object) -> str:
            return finish(t.gettext(message), message, variables)

        def ngettext(singular: str, plural: str, n: int, /, **variables: object) -> str:
            variables.setdefault("num", self.format_number(n))
            return finish(
                t.ngettext(singular, plural, n), plural if n != 1 else singular, variables
            )

        def pgettext(context: str, message: str, /, **variables: object) -> str:
            return finish(str(t.pgettext(context, message)), message, variables)

        def npgettext(
            context: str, singular: str, plural: str, n: int, /, **variables: object
        ) -> str:
            variables.setdefault("num", self.format_number(n))
            translated = t.npgettext(context, singular, plural, n)
            return finish(translated, plural if n != 1 else singular, variables)

        patterns = self.babel.list_patterns["standard"]

        def format_list(items: Sequence[object]) -> str:
            """Items joined as the locale joins a list: ``a, b and c``."""
            escaped = [flavor.escape(item) for item in items]
            if len(escaped) < 2:
                return escaped[0] if escaped else flavor.escape("")
            if len(escaped) == 2 and "2" in patterns:
                return _fill(flavor, patterns["2"], escaped)
            result = _fill(flavor, patterns["start"], escaped[:2])
            for item in escaped[2:-1]:
                result = _fill(flavor, patterns["middle"], [result, item])
            return _fill(flavor, patterns["end"], [result, escaped[-1]])

        return {
            "_": gettext,
            "gettext": gettext,
            "ngettext": ngettext,
            "pgettext": pgettext,
            "npgettext": npgettext,
            "format_list": format_list,
        }


def _fill(flavor: Flavor, pattern: str, items: Sequence[str]) -> str:
    """A CLDR pattern (``{0} and {1}``) with escaped items."""
    parts: list[str] = []
    for index, piece in enumerate(re.split(r"\{([01])\}", pattern)):
        parts.append(items[int(piece)] if index % 2 else flavor.escape(piece))
    return flavor.join(parts)


def report_language(
    locale: str | Localizer = "en", catalog_dirs: Iterable[str | PathLike[str]] = ()
) -> ReportLanguage:
    """The report's language for a locale tag (``fr``, ``pt-BR``) or a Localizer's locale.

    The words come from ``<dir>/<locale>/LC_MESSAGES/jobmsg_report.mo`` in ``catalog_dirs`` then
    in the shipped catalogs, following the locale's chain (``pt_BR`` -> ``pt`` -> ``en``) entry by
    entry. A locale with no catalog of its language gives an English report.
    """
    tag = locale.locale if isinstance(locale, Localizer) else locale
    return _report_language(tag, tuple(Path(d) for d in catalog_dirs))


_load_lock = threading.Lock()


@lru_cache(maxsize=64)
def _report_language(tag: str, dirs: tuple[Path, ...]) -> ReportLanguage:
    try:
        locale = parse_tag(tag)
        names = candidates(locale)
    except LocaleTagError:
        locale, names = "en", ("en",)
    search = (*dirs, shipped_dir())
    found = [
        (name, path)
        for name in names
        for folder in search
        if (path := folder / name / "LC_MESSAGES" / f"{REPORT_DOMAIN}.mo").is_file()
    ]
    language = locale.split("_", 1)[0]
    if not any(name.split("_", 1)[0] == language for name, _ in found):
        locale = "en"
        found = [(name, path) for name, path in found if name == "en"]
    chain: NullTranslations | None = None
    with _load_lock:
        for _, path in found:
            with path.open("rb") as handle:
                translations = Translations(handle, domain=REPORT_DOMAIN)
            # Babel's own loader stops at the first catalog: chain them, most specific first.
            if chain is None:
                chain = translations
            else:
                chain.add_fallback(translations)
    return ReportLanguage(locale, chain if chain is not None else NullTranslations())


# --- job messages --------------------------------------------------------------------------------


def as_localized(
    localizer: Localizer,
    value: JobMessage | LocalizedMessage | JobMessagesError | str,
    severity: Severity = "error",
) -> LocalizedMessage:
    """A job message, an API error code or an exception of this library, localized."""
    if isinstance(value, LocalizedMessage):
        return value
    if isinstance(value, JobMessage):
        return localizer.localize_message(value, severity)
    if isinstance(value, JobMessagesError | str):
        return localizer.localize_error(value)
    raise TypeError(
        "localize needs a JobMessage, a LocalizedMessage, an error code or a JobMessagesError, "
        f"not {type(value).__name__}"
    )


def render_message(message: LocalizedMessage, flavor: Flavor, part: str = "message") -> str:
    """The title or the message escaped for ``flavor``; in HTML each param in its ``<bdi>``."""
    if part not in ("message", "title"):
        raise ValueError(f"part must be 'message' or 'title', not {part!r}")
    if flavor is HTML:
        return message_html(message, part)
    return flavor.escape(message.message if part == "message" else message.title)


# Each param is rendered once per template as a character of Supplementary Private Use Area-A;
# the HTML of the template is then kept in pieces around them, and a message's HTML is those
# pieces joined with its escaped params: the same result as LocalizedMessage.html(), for the
# cost of a join, which a report of many thousand rows needs. That holds while the HTML of a
# template depends on its style only through %L numbers and the glossary, which take the slow
# path; tests/test_report_jinja.py checks that the two agree.
_FIRST = 0xF0000
_SENTINELS = tuple(chr(_FIRST + index) for index in range(99))
_SENTINEL = re.compile(f"([{chr(_FIRST)}-{chr(_FIRST + 98)}])")
_SKELETON_LIMIT = 4096


class _Skeleton(NamedTuple):
    constant: str | None
    """The whole HTML, when the template has no param."""
    literals: tuple[str, ...]
    """The HTML between the params, one more than ``params``."""
    params: tuple[int, ...]
    """The index of the param that goes after each literal but the last."""
    needed: int
    """How many params the template needs."""


_skeletons: dict[CompiledTemplate, _Skeleton | None] = {}


def _skeleton(template: CompiledTemplate, message: LocalizedMessage, part: str) -> _Skeleton | None:
    if _SENTINEL.search(template.source):
        return None  # the text brings sentinels of its own: no shortcut
    needed = max(template.markers, default=0)
    probe = message._replace(params=_SENTINELS[:needed])
    pieces = _SENTINEL.split(str(probe.html(part)))
    literals = tuple(pieces[0::2])
    indexes = tuple(ord(piece) - _FIRST for piece in pieces[1::2])
    return _Skeleton(None if indexes else literals[0], literals, indexes, needed)


def _escape(text: str) -> str:
    # What markupsafe.escape does, without making a Markup of each param.
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def html_text(message: LocalizedMessage, part: str = "message") -> str:
    """``str(message.html(part))``, made fast for the many messages of the same template."""
    templates = message.templates
    if templates is None or templates.style.glossary:
        return str(message.html(part))
    template = templates.message if part == "message" else templates.title
    if template.localized:
        return str(message.html(part))  # numbers written for the locale: no shortcut
    try:
        skeleton = _skeletons[template]
    except KeyError:
        skeleton = _skeleton(template, message, part)
        if len(_skeletons) >= _SKELETON_LIMIT:
            _skeletons.clear()
        _skeletons[template] = skeleton
    if skeleton is None:
        return str(message.html(part))
    if skeleton.constant is not None:
        return skeleton.constant
    params = message.params
    if len(params) < skeleton.needed:
        return str(message.html(part))  # a marker without its param stays visible
    literals = skeleton.literals
    out = [literals[0]]
    append = out.append
    for index, literal in zip(skeleton.params, literals[1:], strict=True):
        append(_escape(params[index]))
        append(literal)
    return "".join(out)


def message_html(message: LocalizedMessage, part: str = "message") -> Markup:
    """The same HTML as ``message.html(part)``, made faster for messages of the same template."""
    return Markup(html_text(message, part))  # noqa: S704 (escaped piece by piece)


# --- installing into an environment --------------------------------------------------------------


def install_localization(
    env: Environment,
    localizer: Localizer,
    *,
    catalog_dirs: Iterable[str | PathLike[str]] = (),
) -> None:
    """Install the ``localize`` filter and the report domain's words into ``env``.

    ``{{ message|localize }}`` writes a :class:`~jobmsg_i18n.JobMessage` in the Localizer's
    language (``{{ message|localize("title") }}`` its title; ``severity="warning"`` for a
    warning); it also takes a :class:`~jobmsg_i18n.LocalizedMessage`, an API error code
    (``"JobNotFound"``) or an exception of this library. Under autoescape the result is escaped
    HTML with each param in ``<bdi class="param">``; otherwise it is plain text.

    ``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` become globals reading the
    ``jobmsg_report`` domain in the same language, escaped under autoescape; ``ngettext`` fills
    ``%(num)s`` with the count written for the locale. When the environment has
    ``jinja2.ext.i18n``, ``{% trans %}`` blocks use them too. Install before loading templates.
    """
    language = report_language(localizer.locale, catalog_dirs)
    html = language.functions(HTML)
    text = language.functions(TEXT)

    def pick(name: str) -> Callable[..., str]:
        as_html, as_text = html[name], text[name]

        @pass_eval_context
        def call(eval_ctx: EvalContext, *args: Any, **kwargs: Any) -> str:
            return (as_html if eval_ctx.autoescape else as_text)(*args, **kwargs)

        call.__name__ = call.__qualname__ = name
        return call

    env.globals.update({name: pick(name) for name in html if name != "format_list"})

    @pass_eval_context
    def localize(
        eval_ctx: EvalContext,
        value: JobMessage | LocalizedMessage | JobMessagesError | str,
        part: str = "message",
        severity: Severity = "error",
    ) -> str:
        localized = as_localized(localizer, value, severity)
        return render_message(localized, HTML if eval_ctx.autoescape else TEXT, part)

    env.filters["localize"] = localize
    if "jinja2.ext.InternationalizationExtension" in env.extensions:
        # Newstyle: {% trans %} then calls the functions above with its variables as keyword
        # arguments and leaves escaping to them (they never apply Python's % operator).
        env.newstyle_gettext = True  # type: ignore[attr-defined]
