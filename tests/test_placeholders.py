"""The %n formatter: its rules, and properties checked against a reference written here."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobmsg_i18n import compile_template, format_params, placeholders


def reference_format(template: str, params: list[str]) -> str:
    """A straightforward reading of the rules, one character at a time."""
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        nxt = template[i + 1 : i + 2]
        if nxt == "%":
            out.append("%")
            i += 2
            continue
        localized = nxt == "L"
        j = i + 2 if localized else i + 1
        digits = template[j : j + 1]
        if digits and digits in "123456789":
            if template[j + 1 : j + 2].isdigit() and template[j + 1 : j + 2].isascii():
                digits = template[j : j + 2]
            n = int(digits)
            out.append(params[n - 1] if n <= len(params) else template[i : j + len(digits)])
            i = j + len(digits)
            continue
        out.append("%")
        i += 1
    return "".join(out)


templates = st.text(alphabet=st.sampled_from(list("%%%L0123456789{}ab é")), max_size=30)
params_lists = st.lists(
    st.text(alphabet=st.sampled_from(list("%1L2{}x ")), max_size=5), max_size=12
)


@given(templates, params_lists)
def test_matches_the_reference_and_never_raises(template: str, params: list[str]) -> None:
    assert format_params(template, params) == reference_format(template, params)


@given(params_lists)
def test_each_param_appears_verbatim_where_its_marker_stood(params: list[str]) -> None:
    template = "|".join(f"%{n}" for n in range(1, len(params) + 1))
    assert format_params(template, params).split("|") == (params if params else [""])


@given(st.lists(st.text(), min_size=2, max_size=2))
def test_inserted_values_are_never_scanned_again(params: list[str]) -> None:
    assert format_params("%1%2", params) == params[0] + params[1]


@given(st.text(), st.lists(st.text(), max_size=3))
def test_any_text_and_params_format_without_error(template: str, params: list[str]) -> None:
    assert isinstance(format_params(template, params), str)


@pytest.mark.parametrize(
    ("template", "params", "expected"),
    [
        ('Invalid input data. ("%1")', ["Scene"], 'Invalid input data. ("Scene")'),
        ("%1 %2", ["%2", "x"], "%2 x"),
        ("%2, %1, %2", ["a", "b"], "b, a, b"),
        ("%10 %1", [str(i) for i in range(1, 11)], "10 1"),
        ("%100", [str(i) for i in range(1, 11)], "100"),
        ("%1%", ["x"], "x%"),
        ("100%% %1", ["x"], "100% x"),
        ("%%1", ["x"], "%1"),
        ("%0 %x % %", ["x"], "%0 %x % %"),
        ("%3 missing", ["a"], "%3 missing"),
        ("{0} {} %1 {x}", ["y"], "{0} {} y {x}"),
        ("%L1 apples", ["1234.5"], "1234.5 apples"),
        ("%L2", ["a"], "%L2"),
        ("", [], ""),
        ("no markers", ["unused"], "no markers"),
        ("%٣", ["x"], "%٣"),  # only ASCII digits make a marker
    ],
)
def test_rules(template: str, params: list[str], expected: str) -> None:
    assert format_params(template, params) == expected


def test_placeholders_lists_marker_numbers() -> None:
    assert placeholders("%2 of %1, %2 again, %%3, %L4") == frozenset({1, 2, 4})
    assert placeholders("nothing %0 %") == frozenset()


def test_check_reports_missing_and_unused_params() -> None:
    template = compile_template("%1 and %3")
    assert template.check(["a", "b"]) == ("%3 has no param (2 given)", "param 2 is not used")
    assert template.check(["a", "b", "c"]) == ("param 2 is not used",)


def test_localized_markers_use_the_number_formatter() -> None:
    template = compile_template("%L1 / %1 / %L2")
    assert template.format(["1234.5"], number=lambda v: f"<{v}>") == "<1234.5> / 1234.5 / %L2"
    assert template.localized == frozenset({1, 2})


def test_compiled_form_is_cached() -> None:
    assert compile_template("cached %1") is compile_template("cached %1")


def test_reference_agrees_with_the_documented_marker_pattern() -> None:
    # Weblate's Qt check uses %L?\d{1,2}; ours excludes a leading 0 (as Qt does).
    assert re.findall(r"%L?[1-9]\d?", "%1 %L12 %03") == ["%1", "%L12"]
    assert placeholders("%1 %L12 %03") == frozenset({1, 12})


@given(templates, params_lists)
def test_the_printf_form_formats_like_the_template(template: str, params: list[str]) -> None:
    compiled = compile_template(template)
    if compiled.printf is not None and len(params) == len(compiled.markers):
        assert compiled.printf % tuple(params) == compiled.format(params)


@pytest.mark.parametrize(
    ("template", "printf"),
    [
        ("a %1 b %2 100%% x%", "a %s b %s 100%% x%%"),
        ("50% of %1", "50%% of %s"),
        ("no markers", "no markers"),
        ("%2 %1", None),  # out of order
        ("%1 %1", None),  # repeated
        ("%1 and %3", None),  # a gap
        ("%L1", None),  # a number to localize
    ],
)
def test_printf_form_only_for_markers_in_order(template: str, printf: str | None) -> None:
    assert compile_template(template).printf == printf
