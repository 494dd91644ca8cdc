"""HTML-safe and bidi-safe output: escaping, param elements, FSI/PDI, to_dict untouched."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest
from catalog_factory import write_catalog
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from markupsafe import Markup, escape
from shipped import SHIPPED_LOCALES

from jobmsg_i18n import JobMessage, JobMessages, LocalizedMessage, Localizer
from jobmsg_i18n.html import html_dir, html_lang, template_html
from jobmsg_i18n.params import FSI, PDI, ParamStyle
from jobmsg_i18n.placeholders import compile_template

SHIPPED = list(SHIPPED_LOCALES)
RTL = {"ar"}
SCRIPT = "<script>document.title='pwned'</script>"
MESSY = "DJI_0385.JPG'."  # seen in the wild: a stray quote and dot
PARAMS = [SCRIPT, MESSY, 'a "b" & <c>', "ملف.laz", "{0} %1 %%"]


def invalid(param: str) -> JobMessage:
    return JobMessage(
        "InputData_Invalid",
        "Invalid input data",
        'Invalid input data. Please check the documentation. ("%1")',
        (param,),
    )


def bdi(param: str) -> str:
    return f'<bdi class="param">{escape(param)}</bdi>'


@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.parametrize("locale", SHIPPED)
def test_html_escapes_the_text_and_wraps_each_escaped_param(locale: str, param: str) -> None:
    plain = Localizer(locale, isolate_params=False).localize_message(invalid(param))
    result = Localizer(locale).localize_message(invalid(param))
    html = result.html()
    assert isinstance(html, Markup)
    # The catalog's text around the param, escaped; the param escaped, in its element.
    before, _, after = plain.message.partition(param)
    assert str(html) == f"{escape(before)}{bdi(param)}{escape(after)}"
    assert "<script" not in html and FSI not in html and PDI not in html


@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.parametrize("locale", SHIPPED)
def test_plain_text_isolates_params_in_right_to_left_locales_only(locale: str, param: str) -> None:
    result = Localizer(locale).localize_message(invalid(param))
    plain = Localizer(locale, isolate_params=False).localize_message(invalid(param))
    if locale in RTL:
        assert result.message == plain.message.replace(param, f"{FSI}{param}{PDI}")
    else:
        assert result.message == plain.message
        assert FSI not in result.message
    assert result.title == plain.title  # no param in the title


@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.parametrize("locale", SHIPPED)
def test_to_dict_is_unchanged_by_html_and_isolation(locale: str, param: str) -> None:
    result = Localizer(locale).localize_message(invalid(param))
    plain = Localizer(locale, isolate_params=False).localize_message(invalid(param))
    before = result.to_dict()
    result.html()
    result.html("title")
    assert result.to_dict() == before == plain.to_dict()
    assert before["params"] == [param]
    assert FSI not in before["message"] and PDI not in before["message"]
    assert set(before) == {
        "code",
        "severity",
        "title",
        "message",
        "params",
        "locale",
        "translated",
        "problems",
    }


def test_the_servers_own_text_is_isolated_and_escaped_too() -> None:
    message = JobMessage(
        "Tiling_Adjusted", "Tiling <adjusted>", "Tile %1 for %2 photos.", ("16", "<i>")
    )
    result = Localizer("ar").localize_message(message, "warning")
    assert (result.locale, result.translated) == ("en", False)
    assert result.message == f"Tile {FSI}16{PDI} for {FSI}<i>{PDI} photos."
    assert result.to_dict()["message"] == "Tile 16 for <i> photos."
    assert str(result.html()) == f"Tile {bdi('16')} for {bdi('<i>')} photos."
    assert result.html("title") == Markup("Tiling &lt;adjusted&gt;")


def test_isolation_is_configurable_both_ways() -> None:
    fr = Localizer("fr", isolate_params=True).localize_message(invalid("x.laz"))
    assert f"{FSI}x.laz{PDI}" in fr.message
    assert fr.to_dict()["message"] == Localizer("fr").localize_message(invalid("x.laz")).message
    ar = Localizer("ar", isolate_params=False).localize_message(invalid("x.laz"))
    assert FSI not in ar.message and "x.laz" in ar.message
    assert Localizer("he").isolate_params and not Localizer("de").isolate_params


def test_a_message_without_params_is_the_same_in_every_form() -> None:
    message = JobMessage("JobNotFound", "Job not found", "Requested job is not available.")
    result = Localizer("ar").localize_message(message)
    assert FSI not in result.message
    assert result.to_dict()["message"] == result.message
    assert str(result.html()) == str(escape(result.message))


def test_translator_html_in_a_catalog_is_escaped(tmp_path: Path) -> None:
    write_catalog(tmp_path, "fr", {"Bold": ("<b>Gras</b>", '<a href="x">%1</a> &amp; %%')})
    result = Localizer("fr", catalog_dirs=[tmp_path]).localize_message(
        JobMessage("Bold", "Bold", "%1", ("<i>",))
    )
    assert result.message == '<a href="x"><i></a> &amp; %'
    assert str(result.html()) == f"&lt;a href=&#34;x&#34;&gt;{bdi('<i>')}&lt;/a&gt; &amp;amp; %"
    assert result.html("title") == Markup("&lt;b&gt;Gras&lt;/b&gt;")


def test_a_missing_param_stays_visible_and_escaped() -> None:
    result = Localizer("en").localize_message(JobMessage("X", "X", "<%1> and %2", ("a",)))
    assert str(result.html()) == f"&lt;{bdi('a')}&gt; and %2"


def test_the_param_element_and_its_attributes_are_configurable() -> None:
    result = Localizer("en").localize_message(invalid("a<b"))
    assert 'class="file" dir="auto" title="&lt;&#34;&gt;"' in result.html(
        element="span", attrs={"class": "file", "dir": "auto", "title": '<">'}
    )
    assert "<code>a&lt;b</code>" in result.html(element="code", attrs={})
    assert "(&#34;a&lt;b&#34;)" in result.html(element=None)
    for bad in ("b onclick=x", "", "<i>", "1a"):
        with pytest.raises(ValueError, match="element"):
            result.html(element=bad)
    with pytest.raises(ValueError, match="attribute"):
        result.html(attrs={"onclick='x' a": "1"})
    with pytest.raises(ValueError, match="part"):
        result.html("body")


def test_html_is_inserted_as_such_by_jinja2_and_markupsafe() -> None:
    result = Localizer("de").localize_message(invalid(SCRIPT))
    env = Environment(autoescape=True)
    page = env.from_string("<p>{{ m.html() }}</p><p>{{ m }}</p><p>{{ m.message }}</p>").render(
        m=result
    )
    assert page.count(bdi(SCRIPT)) == 2  # html() and __html__, not escaped twice
    assert page.count(str(escape(SCRIPT))) == 3  # and the plain text escaped by Jinja2
    assert "<script" not in page
    assert escape(result) == result.html()
    assert Markup("<li>%s</li>") % result.html() == f"<li>{result.html()}</li>"


def test_a_message_built_by_hand_gives_its_text_escaped() -> None:
    message = LocalizedMessage("C", "error", "T<", "M & <x>", (), "en", True)
    assert message.html() == Markup("M &amp; &lt;x&gt;")
    assert message.html("title") == Markup("T&lt;")


def test_equality_and_hash_ignore_the_templates() -> None:
    produced = Localizer("fr").localize_message(invalid("x"))
    by_hand = LocalizedMessage(*produced[:8])
    assert produced == by_hand
    assert (produced != by_hand) is False
    assert hash(produced) == hash(by_hand)
    assert produced == Localizer("fr").localize_message(invalid("x"))
    assert produced != Localizer("fr").localize_message(invalid("y"))
    assert "templates" not in repr(produced)
    assert produced.templates is not None and by_hand.templates is None


def test_a_whole_job_localizes_to_html_message_by_message() -> None:
    messages = JobMessages(errors=(invalid(SCRIPT),), warnings=(invalid(MESSY),))
    localized = Localizer.for_request("ar-EG,ar;q=0.9").localize(messages)
    assert [m.html().count("<bdi") for m in localized] == [1, 1]
    assert localized.to_dict()["errors"][0]["params"] == [SCRIPT]


def test_template_html_works_without_a_localizer() -> None:
    template = compile_template("%1 of %L2 <ok>")
    html = template_html(template, ["<a>", "1234.5"], ParamStyle("fr"), element="b", attrs={})
    assert html == Markup("<b>&lt;a&gt;</b> of <b>1\u202f234,5</b> &lt;ok&gt;")


@pytest.mark.parametrize(
    ("locale", "lang", "direction"),
    [
        ("pt_BR", "pt-BR", "ltr"),
        ("zh_Hant", "zh-Hant", "ltr"),
        ("ar", "ar", "rtl"),
        ("he-IL", "he-IL", "rtl"),
        ("fa", "fa", "rtl"),
        ("not a tag", "en", "ltr"),
    ],
)
def test_lang_and_dir_attributes(locale: str, lang: str, direction: str) -> None:
    assert (html_lang(locale), html_dir(locale)) == (lang, direction)


@settings(max_examples=150, deadline=None)
@given(
    locale=st.sampled_from(SHIPPED),
    params=st.lists(st.text(max_size=20), min_size=1, max_size=3),
    template=st.text(alphabet="%L123<>&\"' ab{}", max_size=30),
)
def test_html_without_a_wrapper_is_exactly_the_escaped_data_text(
    locale: str, params: list[str], template: str
) -> None:
    message = JobMessage("Hypothesis_Code", template, template, tuple(params))
    result = Localizer(locale).localize_message(message)
    data = result.to_dict()
    assert str(result.html(element=None)) == str(escape(data["message"]))
    assert str(result.html("title", element=None)) == str(escape(data["title"]))
    assert data["params"] == params
    if locale not in RTL:
        assert data["message"] == result.message


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_localized_message_survives_pickle_and_deepcopy(locale: str) -> None:
    result = Localizer(locale).localize_message(invalid(SCRIPT))
    pickled = pickle.loads(pickle.dumps(result))  # noqa: S301 (our own bytes)
    for copied in (pickled, copy.deepcopy(result)):
        assert copied == result
        assert copied.html() == result.html()
        assert copied.to_dict() == result.to_dict()


def test_a_whole_jobs_messages_survive_pickle() -> None:
    messages = JobMessages(errors=(invalid(SCRIPT),), warnings=(invalid(MESSY),), problems=("p",))
    localized = Localizer("ar").localize(messages)
    copied = pickle.loads(pickle.dumps(localized))  # noqa: S301 (our own bytes)
    assert copied == localized and copied.problems == ("p",)
    assert [m.html() for m in copied] == [m.html() for m in localized]
