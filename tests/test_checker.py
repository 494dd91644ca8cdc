"""The %n checker on single entries, and its registration under ``babel.checkers``."""

from __future__ import annotations

import pytest
from babel.messages import checkers as babel_checkers
from babel.messages.catalog import Catalog, Message, TranslationError

from jobmsg_i18n.checkers import marker_problems, message_problems, qt_format


def qt(source: str | tuple[str, str], translation: str | tuple[str, ...]) -> Message:
    return Message(source, translation, flags=["qt-format"])


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("Bad %1 and %2", "Schlecht: %1", ["the translation drops %2"]),
        (
            "Bad %1",
            "Schlecht: %1 (%2)",
            ["the translation adds %2, which the source does not have"],
        ),
        (
            "Bad %1",
            "Schlecht: %2",
            ["the translation drops %1", "the translation adds %2, which the source does not have"],
        ),
        ("Took %L1 s", "Dauerte %1 s", ["%L1 (a number in the reader's format) is written %1"]),
        ("In %1", "In %L1", ["%1 is written %L1, but the source does not mark it a number"]),
        ("Done", "Fertig %0", ["%0 is not a marker (markers start at %1)"]),
        # "%%" is a literal percent: "%%1" is not a marker, so %1 is gone.
        ("At %1", "Bei %%1", ["the translation drops %1"]),
        # Greedy two digits: %10 is the tenth param, not %1 and "0".
        (
            "x %1",
            "x %10",
            [
                "the translation drops %1",
                "the translation adds %10, which the source does not have",
            ],
        ),
    ],
)
def test_marker_faults_are_named(source: str, translation: str, expected: list[str]) -> None:
    assert marker_problems(source, translation) == expected
    with pytest.raises(TranslationError) as caught:
        qt_format(None, qt(source, translation))
    assert str(caught.value) == "; ".join(expected)


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("%1 of %2", "%2 von %1"),  # reordering is what positional markers are for
        ("%1 then %1", "%1"),  # a repeated marker need only appear once
        ("100%% of %1", "%1 : 100 %%"),
        ("Took %L1 s", "%L1 s"),
        ("Retry in %1s", "Erneut in %1 s"),  # Babel would call this python-format
    ],
)
def test_good_translations_pass(source: str, translation: str) -> None:
    assert qt_format(None, qt(source, translation)) is None


def test_untranslated_and_unflagged_entries_are_not_checked() -> None:
    assert message_problems(qt("Bad %1", "")) == []
    assert message_problems(Message("Bad %1", "Schlecht")) == []
    assert message_problems(Message("Bad %1", "Schlecht", flags=["no-qt-format"])) == []


def test_python_format_text_is_left_to_babel() -> None:
    message = Message("%(count)d files in %s", "%(count)d Dateien", flags=["python-format"])
    assert message_problems(message) == []
    qt_format(None, message)


def test_every_plural_form_keeps_every_marker() -> None:
    good = qt(("%1 file", "%1 files"), ("%1 Datei", "%1 Dateien"))
    assert message_problems(good) == []
    # GNU msgfmt -c refuses a qt-format form for "one" that leaves out %1: so does the checker.
    one = qt(("%1 file", "%1 files"), ("eine Datei", "%1 Dateien"))
    assert message_problems(one) == ["form 0: the translation drops %1"]
    added = qt(("%1 file", "%1 files"), ("%1 Datei", "%1 Dateien", "%1 %2"))
    assert message_problems(added) == [
        "form 2: the translation adds %2, which the source does not have"
    ]
    # The source of a plural entry is both texts: "%1" in msgid_plural only is still a marker.
    assert message_problems(qt(("One file", "%1 files"), ("Datei", "%1 Dateien"))) == [
        "form 0: the translation drops %1"
    ]


def test_the_checker_is_registered_for_babel() -> None:
    assert qt_format in babel_checkers.checkers
    catalog = Catalog(locale="de")
    catalog.add("Bad %1", "Schlecht", context="X.message", flags=["qt-format"])
    catalog.add("Good %1", "Gut %1", context="Y.message", flags=["qt-format"])
    found = {message.context: [str(e) for e in errors] for message, errors in catalog.check()}
    assert found == {"X.message": ["the translation drops %1"]}
