"""Reading job messages: the 200 body, the bare object, and every kind of damage."""

from __future__ import annotations

import json

import pytest

from jobmsg_i18n import InvalidResponseError, JobMessage, JobMessages

DOC_EXAMPLE = {
    "messages": {
        "errors": [
            {
                "code": "InputData_Invalid",
                "message": 'Invalid input data. Please check the documentation. ("%1")',
                "title": "Invalid input data",
                "params": ["Scene"],
            }
        ],
        "warnings": [],
    }
}


def test_reads_the_documented_example() -> None:
    messages = JobMessages.from_json(json.dumps(DOC_EXAMPLE))
    assert messages.errors == (
        JobMessage(
            "InputData_Invalid",
            "Invalid input data",
            'Invalid input data. Please check the documentation. ("%1")',
            ("Scene",),
        ),
    )
    assert messages.warnings == ()
    assert messages.problems == ()


def test_reads_bytes_and_the_bare_object() -> None:
    bare = json.dumps(DOC_EXAMPLE["messages"]).encode("utf-8")
    assert JobMessages.from_json(bare) == JobMessages.from_dict(DOC_EXAMPLE)


def test_round_trips_through_to_dict() -> None:
    messages = JobMessages.from_dict(DOC_EXAMPLE)
    assert messages.to_dict() == DOC_EXAMPLE


def test_models_are_immutable() -> None:
    message = JobMessage("c", "t", "m", ("p",))
    with pytest.raises(AttributeError):
        message.code = "other"  # type: ignore[misc]


def test_unknown_fields_are_ignored_without_a_problem() -> None:
    doc = {
        "messages": {
            "errors": [dict(DOC_EXAMPLE["messages"]["errors"][0], extra=1)],  # type: ignore[index]
            "warnings": [],
            "more": True,
        },
        "meta": {},
    }
    assert JobMessages.from_dict(doc).problems == ()


def _one(entry: object, key: str = "errors") -> JobMessages:
    other = "warnings" if key == "errors" else "errors"
    return JobMessages.from_dict({"messages": {key: [entry], other: []}})


@pytest.mark.parametrize(
    ("entry", "expected", "problem"),
    [
        (
            {"code": "C", "title": "T", "message": "M %1", "params": [3]},
            JobMessage("C", "T", "M %1", ("3",)),
            "messages.errors[0].params[0]: expected string, got number",
        ),
        (
            {"code": "C", "title": "T", "message": "M", "params": [None]},
            JobMessage("C", "T", "M", ("",)),
            "messages.errors[0].params[0]: expected string, got null",
        ),
        (
            {"code": "C", "title": "T", "message": "M", "params": [True, 1.5]},
            JobMessage("C", "T", "M", ("true", "1.5")),
            "messages.errors[0].params[0]: expected string, got boolean",
        ),
        (
            {"code": "C", "message": "M", "params": []},
            JobMessage("C", "", "M", ()),
            "messages.errors[0].title: missing",
        ),
        (
            {"code": "C", "title": "T", "params": []},
            JobMessage("C", "T", "", ()),
            "messages.errors[0].message: missing",
        ),
        (
            {"code": "C", "title": "T", "message": "M"},
            JobMessage("C", "T", "M", ()),
            "messages.errors[0].params: missing",
        ),
        (
            {"title": "T", "message": "M", "params": []},
            JobMessage("", "T", "M", ()),
            "messages.errors[0].code: missing",
        ),
        (
            {"code": 42, "title": None, "message": "M", "params": []},
            JobMessage("42", "", "M", ()),
            "messages.errors[0].code: expected string, got number",
        ),
        (
            {"code": "C", "title": "T", "message": "M", "params": "Scene"},
            JobMessage("C", "T", "M", ("Scene",)),
            "messages.errors[0].params: expected array, got string",
        ),
        (
            {"code": "C", "title": "T", "message": "M", "params": [{"a": 1}]},
            JobMessage("C", "T", "M", ('{"a":1}',)),
            "messages.errors[0].params[0]: expected string, got object",
        ),
        (
            "Processing failed",
            JobMessage("", "", "Processing failed", ()),
            "messages.errors[0]: expected object, got string (kept as the message text)",
        ),
    ],
)
def test_a_damaged_message_is_kept_and_its_problem_named(
    entry: object, expected: JobMessage, problem: str
) -> None:
    messages = _one(entry)
    assert messages.errors == (expected,)
    assert problem in messages.problems


@pytest.mark.parametrize("entry", [None, 5, ["a"], True])
def test_an_entry_that_is_no_object_is_left_out_and_named(entry: object) -> None:
    messages = _one(entry, "warnings")
    assert messages.warnings == ()
    assert messages.problems[0].startswith("messages.warnings[0]: expected object, got ")


def test_one_bad_message_never_hides_the_good_ones() -> None:
    good = DOC_EXAMPLE["messages"]["errors"][0]  # type: ignore[index]
    doc = {
        "messages": {
            "errors": [good, 17, dict(good, params=["A"]), {"code": "X"}, dict(good, params=["B"])],
            "warnings": [dict(good, params=[1]), dict(good, params=["W"])],
        }
    }
    messages = JobMessages.from_dict(doc)
    assert [m.params for m in messages.errors] == [("Scene",), ("A",), (), ("B",)]
    assert [m.params for m in messages.warnings] == [("1",), ("W",)]
    assert messages.problems == (
        "messages.errors[1]: expected object, got number (left out)",
        "messages.errors[3].title: missing",
        "messages.errors[3].message: missing",
        "messages.errors[3].params: missing",
        "messages.warnings[0].params[0]: expected string, got number",
    )


def test_strict_raises_one_error_listing_every_problem() -> None:
    doc = {"errors": [{"code": "C", "title": "T", "message": "M", "params": [1, None]}]}
    with pytest.raises(InvalidResponseError) as caught:
        JobMessages.from_dict(doc, strict=True)
    assert caught.value.problems == (
        "errors[0].params[0]: expected string, got number",
        "errors[0].params[1]: expected string, got null",
        "warnings: missing",
    )
    assert str(caught.value).startswith("3 problems in job messages: errors[0].params[0]: ")


def test_strict_accepts_clean_input() -> None:
    assert JobMessages.from_dict(DOC_EXAMPLE, strict=True).problems == ()


def test_a_list_that_is_not_a_list_is_named() -> None:
    messages = JobMessages.from_dict({"messages": {"errors": {"code": "C"}, "warnings": None}})
    assert messages.problems == (
        "messages.errors: expected array, got object",
        "messages.warnings: expected array, got null",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html>Bad gateway</html>", "not JSON: Expecting value at line 1 column 1"),
        (b'{"messages": {"errors": [', "not JSON: Expecting value at line 1 column 26"),
        (b"\xff\xfe\xfa", "not JSON"),
        (b"[]", "expected a JSON object, got array"),
        (b'{"jobs": []}', "no errors and no warnings: this is not a job messages response"),
        (b'{"messages": []}', "messages: expected object, got array"),
        (b'{"messages": {}}', "no messages.errors and no messages.warnings"),
        (
            b'{"error": {"code": "JobNotFound", "message": "Requested job is not available."}}',
            "this is an API error response, not job messages: JobNotFound: Requested job",
        ),
        (b"[" * 100_000, "not JSON"),
    ],
)
def test_input_that_is_not_job_messages_raises_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidResponseError) as caught:
        JobMessages.from_json(data)
    assert reason in str(caught.value)
