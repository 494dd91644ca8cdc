"""Localized messages as HTML: the text escaped, each param escaped and in an element of its own.

The HTML is built from the template and the raw params, never by escaping the formatted text, so
the page can style and isolate each param: by default ``<bdi class="param">``, which keeps a file
name or a number in its own direction inside right-to-left text (where plain text needs FSI/PDI).
A :class:`markupsafe.Markup` is what Jinja2, Flask, Django (through ``__html__``) and markupsafe
itself insert without escaping it again.

>>> from jobmsg_i18n import JobMessage, Localizer
>>> msg = JobMessage("Scan_Failed", "Scan failed", 'Read "%1" & %L2 more', ("<b>", "1200"))
>>> print(Localizer("en").localize_message(msg).html())
Read &#34;<bdi class="param">&lt;b&gt;</bdi>&#34; &amp; <bdi class="param">1,200</bdi> more
>>> html_lang("zh_Hant"), html_dir("ar_EG"), html_dir("pt_BR")
('zh-Hant', 'rtl', 'ltr')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from jobmsg_i18n.locales import LocaleTagError, is_rtl, parse_tag
from jobmsg_i18n.params import ParamStyle, fill
from jobmsg_i18n.placeholders import CompiledTemplate, compile_template

__all__ = ["PARAM_ATTRS", "html_dir", "html_lang", "template_html"]

PARAM_ATTRS: Mapping[str, str] = {"class": "param"}
"""The attributes of each param's element unless told otherwise."""

_ELEMENT = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTRIBUTE = re.compile(r"[A-Za-z_:][A-Za-z0-9_.:-]*")


def template_html(
    template: CompiledTemplate,
    params: Sequence[str],
    style: ParamStyle,
    code: str = "",
    *,
    element: str | None = "bdi",
    attrs: Mapping[str, str] | None = None,
) -> Markup:
    """``template`` as HTML: its text escaped, each param escaped and wrapped in ``element``.

    ``attrs`` are the element's attributes (default ``class="param"``; values are escaped).
    ``element=None`` inserts the escaped params bare: then nothing isolates them, so prefer
    ``bdi`` or an element with ``dir="auto"``. Numbers (``%L1``) and glossary terms are shown as
    in plain text; FSI/PDI are not used, the element does their work. Raises ValueError for an
    element or attribute name that is not a plain HTML name.
    """
    before, after = _wrapper(element, tuple((attrs if attrs is not None else PARAM_ATTRS).items()))
    escaped = _escaped(template.source)
    if not template.localized and not style.glossary:
        # The common case: every param shown as it is, so no Python call per param.
        shown = [f"{before}{escape(param)}{after}" for param in params]
        return Markup(escaped.format(shown))  # noqa: S704 (escaped piece by piece)

    def show(param: str, localized: bool) -> str:
        return f"{before}{escape(style.value(param, localized, code))}{after}"

    # Safe to mark: the template's text was escaped by _escaped() and each param by show().
    return Markup(fill(escaped, params, show))  # noqa: S704


@lru_cache(maxsize=4096)
def _escaped(source: str) -> CompiledTemplate:
    # Escaping keeps every marker: "%", "L" and digits are not escaped, and no entity has a "%".
    return compile_template(str(escape(source)))


@lru_cache(maxsize=64)
def _wrapper(element: str | None, attrs: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """The HTML before and after each param."""
    if element is None:
        return "", ""
    if not _ELEMENT.fullmatch(element):
        raise ValueError(f"not an HTML element name: {element!r}")
    return f"<{element}{_attributes(dict(attrs))}>", f"</{element}>"


def _attributes(attrs: Mapping[str, str]) -> str:
    parts = []
    for name, value in attrs.items():
        if not _ATTRIBUTE.fullmatch(name):
            raise ValueError(f"not an HTML attribute name: {name!r}")
        parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


def html_lang(locale: str) -> str:
    """The ``lang`` attribute for a locale: BCP 47 (``pt_BR`` -> ``pt-BR``); ``en`` if malformed."""
    try:
        return parse_tag(locale).replace("_", "-")
    except LocaleTagError:
        return "en"


def html_dir(locale: str) -> str:
    """The ``dir`` attribute for a locale: ``"rtl"`` or ``"ltr"``."""
    return "rtl" if is_rtl(locale) else "ltr"
