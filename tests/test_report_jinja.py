"""``install_localization``: the ``localize`` filter and the report's words in users' templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment

from jobmsg_i18n import JobMessage, Localizer, NotFoundError, install_localization
from jobmsg_i18n.columns import display_width, wrap
from jobmsg_i18n.jinja import html_text, message_html

MESSAGE = JobMessage(
    "InputData_Invalid",
    "Invalid input data",
    'Invalid input data. Please check the documentation. ("%1")',
    ("<b>scan</b>",),
)


def environment(locale: str, autoescape: bool = True, **options: object) -> Environment:
    env = Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])  # noqa: S701
    install_localization(env, Localizer(locale), **options)  # type: ignore[arg-type]
    return env


def test_localize_escapes_the_text_and_isolates_each_param() -> None:
    out = environment("fr").from_string("{{ m|localize }}").render(m=MESSAGE)
    assert out == (
        "Données d’entrée non valides. Consultez la documentation. "
        '(«\u00a0<bdi class="param">&lt;b&gt;scan&lt;/b&gt;</bdi>\u00a0»)'
    )


def test_localize_gives_the_title_and_takes_errors_and_codes() -> None:
    env = environment("de")
    template = env.from_string(
        "{{ m|localize('title') }}|{{ e|localize('title') }}|{{ 'JobNotFound'|localize('title') }}"
    )
    error = NotFoundError(404, "JobNotFound", "Requested job is not available.")
    assert template.render(m=MESSAGE, e=error) == (
        "Ungültige Eingabedaten|Auftrag nicht gefunden|Auftrag nicht gefunden"
    )


def test_without_autoescape_localize_gives_plain_text() -> None:
    out = environment("en", autoescape=False).from_string("{{ m|localize }}").render(m=MESSAGE)
    assert out == 'Invalid input data. Please check the documentation. ("<b>scan</b>")'


def test_the_filter_matches_the_localizers_own_html() -> None:
    localizer = Localizer("ar")
    env = Environment(autoescape=True)
    install_localization(env, localizer)
    for params in [("a.jpg",), ("<x>", "y"), ()]:
        message = JobMessage("Tiling_Adjusted", "Tiling %2", "Tile %1 of %2 (%3) 100%%", params)
        out = env.from_string("{{ m|localize }}{{ m|localize('title') }}").render(m=message)
        expected = localizer.localize_message(message)
        assert out == str(expected.html()) + str(expected.html("title"))


def test_localize_refuses_what_is_not_a_message() -> None:
    with pytest.raises(TypeError, match="localize needs"):
        environment("en").from_string("{{ 3|localize }}").render()


def test_the_report_words_are_globals_in_the_localizers_language() -> None:
    env = environment("pl")
    template = env.from_string(
        "{{ _('Summary') }}/{{ pgettext('severity', 'Error') }}/"
        "{% for n in [0, 1, 2, 5, 22] %}"
        "{{ ngettext('%(num)s error', '%(num)s errors', n) }};"
        "{% endfor %}"
    )
    assert template.render() == "Podsumowanie/Błąd/0 błędów;1 błąd;2 błędy;5 błędów;22 błędy;"


def test_trans_blocks_use_them_and_never_apply_percent_to_job_text() -> None:
    env = environment("en")
    # Jinja2's own newstyle gettext raises on "(%1)"; these functions leave it alone.
    out = env.from_string(
        "{% trans who=name %}Bad (%1) from {{ who }}{% endtrans %} "
        "{% trans count=3 %}{{ count }} error{% pluralize %}{{ count }} errors{% endtrans %}"
    ).render(name="<i>me</i>")
    assert out == "Bad (%1) from &lt;i&gt;me&lt;/i&gt; 3 errors"


def test_translator_text_is_never_trusted_as_html(tmp_path: Path) -> None:
    catalog = Catalog(locale="fr", domain="jobmsg_report")
    catalog.add("Summary", "<b>Résumé</b>")
    catalog.add(
        "Generated on %(date)s", "Généré <i>le</i> %(date)s et %(inconnu)s", flags=["python-format"]
    )
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "jobmsg_report.mo").open("wb") as handle:
        write_mo(handle, catalog)
    env = environment("fr", catalog_dirs=[tmp_path])
    out = env.from_string(
        "{{ _('Summary') }} {{ _('Generated on %(date)s', date='<d>') }}"
    ).render()
    # The unknown placeholder makes the translation unusable: the English text is used instead.
    assert out == "&lt;b&gt;Résumé&lt;/b&gt; Generated on &lt;d&gt;"


PIECES = ["%1", "%2", "%L1", "%%", "%", "<b>", "&", '"', "'", " (%1) ", "x", "\U000f0001", "{0}"]


@settings(max_examples=300, deadline=None)
@given(
    title=st.lists(st.sampled_from(PIECES), max_size=6).map("".join),
    text=st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    params=st.lists(
        st.sampled_from(["a.jpg", "<s>", "1234.5", "%2", "", "\U000f0000"]), max_size=3
    ),
    locale=st.sampled_from(["en", "fr", "ar"]),
)
def test_the_fast_html_of_a_message_is_the_localizers_own(
    title: str, text: str, params: list[str], locale: str
) -> None:
    localized = Localizer(locale).localize_message(
        JobMessage("Prop_Code", title, text, tuple(params)), "warning"
    )
    for part in ("title", "message"):
        assert message_html(localized, part) == localized.html(part)
        assert html_text(localized, part) == str(localized.html(part))


def test_wrap_cuts_a_word_longer_than_the_line_and_keeps_empty_text() -> None:
    assert wrap("", 10) == [""]
    assert wrap("abcdefghij klm", 4) == ["abcd", "efgh", "ij", "klm"]
    assert all(display_width(line) <= 5 for line in wrap("日本語のテキスト、です。" * 3, 5))
