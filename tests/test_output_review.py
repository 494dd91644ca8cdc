"""Reports and UI output against hostile or unusual values from the server."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from wcwidth import wcswidth

from jobmsg_i18n import Job, JobMessage, JobMessages, JobReport, Localizer, render_report
from jobmsg_i18n.cli import main
from jobmsg_i18n.columns import wrap

GENERATED = datetime(2026, 12, 4, 19, 53, tzinfo=UTC)
ISOLATES = "\u2066\u2067\u2068"
PDI = "\u2069"


def report(job: JobReport, locale: str, format: str, width: int = 100) -> str:
    return render_report([job], locale, format, generated=GENERATED, width=width)  # type: ignore[arg-type]


def unbalanced(line: str) -> bool:
    depth = 0
    for char in line:
        if char in ISOLATES:
            depth += 1
        elif char == PDI:
            if depth == 0:
                return True
            depth -= 1
    return depth != 0


def one_message(*params: str, title: str = "Bad %1", text: str = "File %1 is missing") -> JobReport:
    return JobReport("job-1", messages=JobMessages((JobMessage("X_Y", title, text, params),), ()))


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("format", ["text", "markdown"])
@pytest.mark.parametrize("param", ["\u2067abc.jpg", "abc\u2069.jpg", "\u2066a\u2068b\u2069"])
def test_an_unpaired_isolate_in_a_param_cannot_take_in_the_rest_of_the_line(
    locale: str, format: str, param: str
) -> None:
    out = report(one_message(param), locale, format)
    assert "is missing" in out
    assert not [line for line in out.splitlines() if unbalanced(line)]


def test_a_param_cut_across_lines_keeps_each_terminal_line_isolated() -> None:
    long = "very long file name with spaces in it.jpg"
    out = report(one_message(long), "ar", "text", width=60)
    assert "\u2068it.jpg\u2069" in out  # the param was wrapped
    assert not [line for line in out.splitlines() if unbalanced(line)]


@pytest.mark.parametrize("value", ["1e27", "99999999999999999999999999999", "-1.5e99", "1e-99"])
@pytest.mark.parametrize("locale", ["fr", "ar", "de"])
def test_a_big_or_tiny_number_in_a_localized_marker_is_written_not_raised(
    value: str, locale: str
) -> None:
    # No catalog has this code: the server's English text, which writes numbers the English way.
    message = JobMessage("X_Y", "Size", "About %L1 points", (value,))
    localized = Localizer(locale).localize_message(message)
    with localcontext() as context:
        context.prec = 300
        expected = format_decimal(Decimal(value), locale="en", decimal_quantization=False)
    assert expected in localized.message
    assert "About" in report(JobReport("j", messages=JobMessages((message,), ())), locale, "html")


@pytest.mark.parametrize("format", ["html", "markdown", "text"])
@pytest.mark.parametrize("name", ["   ", "\t"])
def test_a_job_named_with_spaces_alone_is_headed_by_its_id(format: str, name: str) -> None:
    job = JobReport("3fa85f64-job", Job("3fa85f64-job", name, "Reconstruction", "Failed"))
    out = report(job, "en", format)
    heading = {"html": "<bdi>3fa85f64-job</bdi></h2>", "markdown": "## 3fa85f64-job\n"}
    expected = heading.get(format, "3fa85f64-job\n------------")
    assert expected in out


def test_the_cli_keeps_the_servers_escape_sequences_off_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "job.json"
    saved.write_text('{"error": {"code": "\\u001b[31mJobNotFound", "message": "\\u001b[2Jgone"}}')
    broken = tmp_path / "broken.json"
    broken.write_text('{"errors": [], "warnings": {"\\u001b[2J": 1}}')
    main(["report", "--input", str(saved), "--input", str(broken), "--format", "text"])
    captured = capsys.readouterr()
    assert "gone" in captured.err
    assert "\x1b" not in captured.err and "\x1b" not in captured.out


@pytest.mark.parametrize("columns", [2, 3, 4, 5])
def test_wrapping_never_splits_a_character_from_its_variation_selector(columns: int) -> None:
    text = "\u2764\ufe0f" * 6 + "e\u0301" * 5
    lines = wrap(text, columns)
    assert "".join(lines) == text
    assert all(wcswidth(line) <= columns for line in lines)


def test_a_text_report_of_emoji_params_stays_within_its_width() -> None:
    out = report(one_message("\u2764\ufe0f" * 60), "en", "text", width=60)
    assert max(wcswidth(line) for line in out.splitlines()) <= 60


@pytest.mark.parametrize("param", ["abc\u2069.jpg", "\u2067abc.jpg", "a\u2069\u2066b"])
def test_a_param_cannot_break_out_of_its_isolation_in_right_to_left_text(param: str) -> None:
    message = JobMessage("X_Y", "Bad %1", "File %1 is missing", (param,))
    localized = Localizer("ar").localize_message(message)
    text = localized.message
    assert text.startswith("File \u2068") and text.endswith("\u2069 is missing")
    assert not unbalanced(text)
    assert localized.to_dict()["params"] == [param]  # the data stays raw
