"""Reports in HTML, Markdown and text: plural forms, escaping, marks, dates, layout."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from wcwidth import wcswidth

from jobmsg_i18n import (
    InvalidResponseError,
    Job,
    JobMessage,
    JobMessages,
    JobReport,
    Localizer,
    NotFoundError,
    TransportError,
    render_report,
)

FORMATS = ("html", "markdown", "text")
GENERATED = datetime(2026, 12, 4, 19, 53, tzinfo=UTC)
SCRIPT = "<script>alert(1)</script>"
PIPE_STAR = "a|b*c_d`e"
INVALID = JobMessage(
    "InputData_Invalid",
    "Invalid input data",
    'Invalid input data. Please check the documentation. ("%1")',
    (SCRIPT,),
)
UNKNOWN = JobMessage(
    "Tiling_Adjusted",
    "Tiling adjusted",
    "Tile size %1 was too small for %2 photos; a larger size was used.",
    (PIPE_STAR, "2041"),
)
DETAILS = Job(
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "Quarry north",
    "Reconstruction",
    "Failed",
    datetime(2026, 5, 4, 9, 12, tzinfo=UTC),
    datetime(2026, 5, 4, 9, 15, tzinfo=UTC),
    datetime(2026, 5, 4, 11, 2, tzinfo=UTC),
)


def render(jobs: list[JobReport], locale: str, format: str, **options: object) -> str:
    return render_report(jobs, locale, format, generated=GENERATED, **options)  # type: ignore[arg-type]


def job_with(errors: int, warnings: int, number: int = 0) -> JobReport:
    return JobReport(
        f"job-{number}",
        messages=JobMessages((INVALID,) * errors, (UNKNOWN,) * warnings),
    )


# --- plural forms --------------------------------------------------------------------------------

COUNTS = (0, 1, 2, 5, 22)
# The summary of a job with n errors and one warning, in each language's own plural forms.
SUMMARIES = {
    "fr": (
        "{} et 1 avertissement",
        ["0 erreur", "1 erreur", "2 erreurs", "5 erreurs", "22 erreurs"],
    ),
    "pl": ("{} i 1 ostrzeżenie", ["0 błędów", "1 błąd", "2 błędy", "5 błędów", "22 błędy"]),
    "ja": ("{}、1 件の警告", [f"{n} 件のエラー" for n in COUNTS]),
    "ar": ("{} وتحذير واحد", ["لا أخطاء", "خطأ واحد", "خطآن", "5 أخطاء", "22 خطأً"]),
    "ru": ("{} и 1 предупреждение", ["0 ошибок", "1 ошибка", "2 ошибки", "5 ошибок", "22 ошибки"]),
}


def summary_lines(report: str, format: str) -> list[str]:
    if format == "html":
        return re.findall(r'<p class="counts">(.*?)</p>', report, re.S)
    return report.splitlines()


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("locale", sorted(SUMMARIES))
def test_each_job_counts_its_messages_in_the_plural_forms_of_the_language(
    locale: str, format: str
) -> None:
    jobs = [job_with(n, 1, number) for number, n in enumerate(COUNTS)]
    lines = summary_lines(render(jobs, locale, format), format)
    pattern, errors = SUMMARIES[locale]
    for phrase in errors:
        assert pattern.format(phrase) in lines, (locale, format, phrase)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pl", "5 zadań, 30 błędów i 5 ostrzeżeń"),
        ("ru", "5 заданий, 30 ошибок и 5 предупреждений"),
        ("ar", "5 مهام و30 خطأً و5 تحذيرات"),
        ("fr", "5 tâches, 30 erreurs et 5 avertissements"),
        ("en", "5 jobs, 30 errors, and 5 warnings"),
    ],
)
def test_the_summary_counts_jobs_errors_and_warnings_across_jobs(
    locale: str, expected: str
) -> None:
    jobs = [job_with(n, 1, number) for number, n in enumerate(COUNTS)]
    assert expected in render(jobs, locale, "text").splitlines()


def test_counts_are_written_as_the_locale_writes_numbers() -> None:
    report = render([job_with(1200, 0)], "fr", "text")
    assert "1\u202f200 erreurs" in report


def test_a_job_without_messages_says_so() -> None:
    report = render([JobReport("quiet", messages=JobMessages())], "de", "text")
    assert "Keine Fehler oder Warnungen." in report.splitlines()


# --- values from the server are shown literally --------------------------------------------------


class _Text(HTMLParser):
    """The text of a page and the tags it has."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return parser


NASTY = "<img src=x onerror=alert(2)>|*_`[x](y)&amp;"


def nasty_job() -> JobReport:
    details = Job(NASTY, NASTY, NASTY, NASTY, None, None, None)
    messages = JobMessages(
        (INVALID, JobMessage(NASTY, NASTY, NASTY + " %1", (NASTY,))),
        (UNKNOWN,),
    )
    return JobReport(NASTY, details, messages)


@pytest.mark.parametrize("locale", ["en", "fr", "ar", "ja"])
def test_html_escapes_every_value_and_runs_no_script(locale: str) -> None:
    page = render([nasty_job()], locale, "html")
    parsed = parse_html(page)
    text = "".join(parsed.text)
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert SCRIPT in text
    assert PIPE_STAR in text
    assert text.count(NASTY) >= 5  # id, name, type, state, code, title, message, param


def test_html_sets_each_param_apart_and_isolates_it() -> None:
    page = render([job_with(1, 1)], "ar", "html")
    assert '<bdi class="param">&lt;script&gt;alert(1)&lt;/script&gt;</bdi>' in page
    assert f'<bdi class="param">{PIPE_STAR}</bdi>' in page


def markdown_tables(source: str) -> list[list[list[str]]]:
    """Every table of the rendered Markdown, as rows of cell texts; fails on raw HTML or links."""
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    tables: list[list[list[str]]] = []
    row: list[str] = []
    for index, token in enumerate(tokens):
        assert token.type != "html_block"
        for child in token.children or ():
            assert child.type not in ("html_inline", "link_open", "image"), child
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            tables[-1].append(row)
        elif token.type in ("th_open", "td_open"):
            inline = tokens[index + 1]
            children = inline.children or () if inline.type == "inline" else ()
            row.append("".join(child.content for child in children))
    return tables


@pytest.mark.parametrize("locale", ["en", "pl", "ar"])
def test_markdown_renders_as_tables_whose_cells_hold_the_values_literally(locale: str) -> None:
    source = render([nasty_job(), job_with(1, 1, 2)], locale, "markdown")
    tables = markdown_tables(source)
    summary, first, second = tables
    assert len(summary) == 3 and all(len(row) == 4 for row in summary)
    assert summary[1][0] == NASTY
    assert all(len(row) == 4 for row in first + second)
    messages = [row[3] for row in first[1:] + second[1:]]
    assert any(SCRIPT in m for m in messages)
    assert any(PIPE_STAR in m for m in messages)
    assert [row[1] for row in first[1:]] == ["InputData_Invalid", NASTY, "Tiling_Adjusted"]
    rendered = MarkdownIt("commonmark").enable("table").render(source)
    assert "<script>" not in rendered and "<img" not in rendered


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_text_shows_values_literally_without_control_characters(locale: str) -> None:
    job = JobReport(
        "j\x1b[2J1",
        messages=JobMessages((JobMessage("C\u202eode", "T", "M %1", ("x\x07\ny",)),)),
    )
    text = render([job, job_with(1, 1)], locale, "text")
    assert SCRIPT in text and PIPE_STAR in text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "j\ufffd[2J1" in text


# --- marks, errors, dates ------------------------------------------------------------------------


def test_untranslated_messages_are_marked_in_each_format() -> None:
    jobs = [job_with(1, 1)]
    html = render(jobs, "fr", "html")
    assert (
        '<span lang="en" dir="ltr">Tiling adjusted</span> '
        '<span class="untranslated">Non traduit</span>' in html
    )
    assert "Données d’entrée non valides</td>" in html
    markdown = render(jobs, "fr", "markdown")
    assert "| Tiling\\_adjusted \\* |" in markdown.replace("Tiling adjusted", "Tiling\\_adjusted")
    assert "\\* Les messages marqués ne sont pas encore traduits" in markdown
    text = render(jobs, "fr", "text")
    assert "Tiling adjusted *" in text
    assert "* Les messages marqués ne sont pas encore traduits" in text


def test_english_reports_do_not_mark_the_servers_english() -> None:
    html = render([job_with(1, 1)], "en", "html")
    assert "untranslated" not in html.split("</style>")[1]


@pytest.mark.parametrize("format", FORMATS)
def test_a_job_that_could_not_be_fetched_shows_its_error_localized(format: str) -> None:
    jobs = [
        JobReport(
            "gone", error=NotFoundError(404, "JobNotFound", "Requested job is not available.")
        ),
        JobReport("far", error=TransportError("connection refused")),
        job_with(1, 0),
    ]
    report = render(jobs, "fr", format)
    assert "Tâche introuvable" in report
    assert "La tâche demandée n’est pas disponible." in report
    assert "JobNotFound" in report
    assert "Impossible de récupérer cette tâche" in report
    assert "2 tâches n’ont pas pu être récupérées." in report
    assert "connection refused" in report


def test_job_details_and_dates_follow_the_locale_and_the_time_zone() -> None:
    job = JobReport(DETAILS.id, DETAILS, JobMessages((INVALID,)))
    text = render([job], "fr", "text", tz="Europe/Paris")
    assert "Création\u00a0: 4 mai 2026, 11:12:00" in text
    assert "État\u00a0: Échec" in text
    assert "Généré le 4 décembre 2026, 20:53:00 +0100" in text
    html = render([job], "ar", "html")
    assert '<time datetime="2026-05-04T09:12:00+00:00">' in html
    assert "04\u200f/05\u200f/2026، 9:12:00 ص" in html
    assert "فشلت" in html


def test_html_is_one_self_contained_accessible_page() -> None:
    page = render(
        [JobReport(DETAILS.id, DETAILS, JobMessages((INVALID,), (UNKNOWN,)))], "pt-BR", "html"
    )
    assert page.startswith('<!DOCTYPE html>\n<html lang="pt-BR" dir="ltr">')
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for fetch in ("<script", "<link", "src=", "@import", "url(", "http://", "https://"):
        assert fetch not in page
    assert '<th scope="col">Gravidade</th>' in page
    assert '<th scope="row">' in page
    assert '<span class="severity error">Erro</span>' in page  # a word, not a colour alone


@pytest.mark.parametrize(
    ("locale", "lang", "direction", "title"),
    [
        ("ar", "ar", "rtl", "تقرير رسائل المهام"),
        ("ar-EG", "ar-EG", "rtl", "تقرير رسائل المهام"),
        ("zh-TW", "zh-TW", "ltr", "作業訊息報告"),
        ("de-AT", "de-AT", "ltr", "Bericht über Auftragsmeldungen"),
        ("sv", "en", "ltr", "Job messages report"),
        ("not a locale", "en", "ltr", "Job messages report"),
    ],
)
def test_the_page_language_and_direction(
    locale: str, lang: str, direction: str, title: str
) -> None:
    page = render([], locale, "html")
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert f"<h1>{title}</h1>" in page


# --- text layout ---------------------------------------------------------------------------------


def test_text_columns_align_by_display_width_and_long_messages_wrap() -> None:
    long = JobMessage("InputData_Invalid", "T", "x %1", ("パラメーター" * 20,))
    job = JobReport("j", messages=JobMessages((INVALID, long), (UNKNOWN,)))
    text = render([job], "ja", "text", width=72)
    lines = text.splitlines()
    assert all(wcswidth(line) <= 72 for line in lines), [
        line for line in lines if wcswidth(line) > 72
    ]
    header = next(i for i, line in enumerate(lines) if line.startswith("重大度"))
    rule = lines[header + 1]
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    table = lines[header : lines.index("", header)]
    for line in table:
        # Every cell starts at its column's display position (or the line is shorter).
        for start in starts[1:]:
            prefix_width = 0
            for index, _ in enumerate(line):
                if wcswidth(line[:index]) >= start:
                    prefix_width = wcswidth(line[:index])
                    break
            assert prefix_width in (0, start), (line, start)
    assert sum(1 for line in table if line.startswith("エラー") or line.startswith("警告")) == 3
    assert len(table) > 5  # the long message wrapped onto several lines


def test_markdown_and_text_name_the_job_by_its_name_or_its_id() -> None:
    jobs = [
        JobReport(DETAILS.id, DETAILS, JobMessages()),
        JobReport("bare-id", messages=JobMessages()),
    ]
    text = render(jobs, "en", "text")
    assert "Quarry north\n------------" in text
    assert "bare-id\n-------" in text


# --- the input model -----------------------------------------------------------------------------


def test_a_saved_messages_response_reads_as_a_job_report() -> None:
    report = JobReport.from_json(b'{"messages": {"errors": [], "warnings": []}}', "saved")
    assert report == JobReport("saved", None, JobMessages())


def test_a_saved_job_with_its_messages_brings_its_details_and_id() -> None:
    data = (
        '{"job": {"id": "7f3a", "name": "Quarry", "state": "Success"},'
        ' "messages": {"errors": [], "warnings": []}}'
    )
    report = JobReport.from_json(data, "file-name")
    assert report.job_id == "7f3a"
    assert report.details is not None and report.details.name == "Quarry"
    assert report.messages == JobMessages()


@pytest.mark.parametrize("data", [b"{", b"[]", b'{"error": {"code": "JobNotFound"}}', b"\xff"])
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidResponseError):
        JobReport.from_json(data, "x")


def test_a_localizer_can_be_given_and_its_catalogs_are_used() -> None:
    localizer = Localizer("es")
    report = render_report([job_with(1, 0)], localizer, "text", generated=GENERATED)
    assert "Datos de entrada no válidos" in report or "no válid" in report
    assert "Informe de mensajes de trabajos" in report


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render_report([], "en", "pdf")  # type: ignore[arg-type]
