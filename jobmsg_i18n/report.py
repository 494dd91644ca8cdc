r"""Reports of the messages of many jobs, in the reader's language: HTML, Markdown or plain text.

A report has a heading, the time it was made, a summary across all jobs, then for each job its
details, its counts of errors and warnings (in the plural forms of the reader's language) and a
table of its messages; a job that could not be fetched shows its error instead. Words, numbers,
dates and lists follow the locale; untranslated messages are marked.

>>> from datetime import datetime
>>> from jobmsg_i18n.models import JobMessage, JobMessages
>>> job = JobReport("7f3a", messages=JobMessages(errors=(
...     JobMessage("InputData_Invalid", "Invalid input data", 'Bad input ("%1")', ("a|b",)),)))
>>> text = render_report([job], "en", "markdown", generated=datetime(2026, 5, 4))
>>> print(text.splitlines()[0])
# Job messages report
>>> print(next(line for line in text.splitlines() if line.startswith("| Error")))
... # doctest: +ELLIPSIS
| Error | InputData\_Invalid | Invalid input data | Invalid input data. ... ("a\|b") |
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cache
from os import PathLike
from typing import Any, Literal, NamedTuple, Protocol, get_args

from babel.dates import get_timezone
from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from jobmsg_i18n._version import __version__
from jobmsg_i18n.columns import display_width, table, wrap
from jobmsg_i18n.errors import (
    AuthenticationError,
    JobMessagesError,
    NotFoundError,
    PermissionDeniedError,
)
from jobmsg_i18n.jinja import (
    FLAVORS,
    HTML,
    Flavor,
    ReportLanguage,
    escape_markdown,
    html_text,
    render_message,
    report_language,
)
from jobmsg_i18n.job import Job
from jobmsg_i18n.locales import is_rtl
from jobmsg_i18n.localizer import LocalizedMessage, Localizer
from jobmsg_i18n.models import JobMessages, parse_json

__all__ = [
    "REPORT_FORMATS",
    "JobReport",
    "JobSource",
    "ReportFormat",
    "collect_reports",
    "render_report",
]

ReportFormat = Literal["html", "markdown", "text"]
REPORT_FORMATS: tuple[str, ...] = get_args(ReportFormat)
_TEMPLATES = {"html": "report.html", "markdown": "report.md", "text": "report.txt"}


@dataclass(frozen=True, slots=True)
class JobReport:
    """One job of a report: its id, and its details, messages, or the error that kept them away.

    ``details`` is what ``GET .../jobs/{id}`` said (name, type, state, dates), when known.
    ``messages`` None means they were not fetched; ``error`` is why, shown localized in the
    report. A job may have both: details fetched, messages refused.
    """

    job_id: str
    details: Job | None = None
    messages: JobMessages | None = None
    error: BaseException | None = None

    @classmethod
    def from_json(cls, data: str | bytes, job_id: str = "") -> JobReport:
        """A saved response: job messages (``{"messages": ...}``), or a job and its messages.

        ``{"job": {...}, "messages": {...}}`` brings the job's details too; the job's own id wins
        over ``job_id``. Raises :class:`InvalidResponseError` for anything else.
        """
        obj = parse_json(data)
        details = None
        if isinstance(obj, dict) and isinstance(obj.get("job"), dict):
            details = Job.from_dict(obj["job"])
            job_id = details.id
            obj = {key: value for key, value in obj.items() if key != "job"}
            if not obj:
                return cls(job_id, details)
        return cls(job_id, details, JobMessages.from_dict(obj))


class JobSource(Protocol):
    """What :func:`collect_reports` needs of a client: :class:`~jobmsg_i18n.JobsClient` has it."""

    def get_job(self, job_id: str) -> Job: ...
    def get_messages(self, job_id: str) -> JobMessages: ...


def collect_reports(
    client: JobSource,
    job_ids: Iterable[str],
    *,
    concurrency: int = 8,
    details: bool = True,
    on_done: Callable[[JobReport], object] | None = None,
) -> Iterator[JobReport]:
    """Fetch each job's details and messages with ``client`` (a :class:`~jobmsg_i18n.JobsClient`).

    Yields one :class:`JobReport` per id, in the order given; a job whose details or messages
    could not be fetched carries the error, and never stops the others. ``on_done`` is called
    as each job finishes, in any order (for progress).
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")

    def fetch(job_id: str) -> JobReport:
        job: Job | None = None
        messages: JobMessages | None = None
        error: JobMessagesError | None = None
        if details:
            try:
                job = client.get_job(job_id)
            except JobMessagesError as exc:
                error = exc
        if error is None or not isinstance(error, _FATAL):
            try:
                messages = client.get_messages(job_id)
            except JobMessagesError as exc:
                error = error or exc
        report = JobReport(job_id, job, messages, error)
        if on_done is not None:
            on_done(report)
        return report

    with ThreadPoolExecutor(concurrency, thread_name_prefix="jobmsg-report") as executor:
        yield from executor.map(fetch, job_ids)


# Errors of GET .../jobs/{id} that GET .../jobs/{id}/messages would only repeat.
_FATAL = (AuthenticationError, PermissionDeniedError, NotFoundError)


# --- what the templates see ----------------------------------------------------------------------


class _Row(NamedTuple):
    severity: str
    code: str
    title: str
    message: str
    lang: str | None
    """The language of an untranslated row (BCP 47), None when it is in the report's language."""
    dir: str


class _Failure(NamedTuple):
    code: str
    title: str
    message: str
    detail: str


class _Date(NamedTuple):
    iso: str
    text: str


class _Job(NamedTuple):
    number: int
    anchor: str
    id: str
    heading: str
    name: str
    type: str
    state: str
    created: _Date | None
    started: _Date | None
    ended: _Date | None
    fetched: bool
    errors: int
    warnings: int
    errors_text: str
    warnings_text: str
    rows: list[_Row]
    failure: _Failure | None
    untranslated: bool


def _date(value: datetime | None, language: ReportLanguage, tz: tzinfo) -> _Date | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return _Date(value.isoformat(), language.format_datetime(value, "medium", tz))


def _failure(error: BaseException, localizer: Localizer, flavor: Flavor) -> _Failure:
    if isinstance(error, JobMessagesError):
        localized = localizer.localize_error(error)
    else:
        localized = localizer.localize_error(type(error).__name__, str(error))
    return _Failure(
        flavor.escape(localized.code),
        render_message(localized, flavor, "title"),
        render_message(localized, flavor, "message"),
        flavor.escape(str(error)),
    )


def _rows(
    messages: Iterable[LocalizedMessage], language: ReportLanguage, flavor: Flavor
) -> list[_Row]:
    """The table rows of one job, every field escaped for ``flavor`` here.

    report.html prints these rows without escaping them again (the hot loop of a long report),
    so nothing may reach a row unescaped.
    """
    esc = flavor.escape
    html = flavor is HTML
    own = language.language
    # Per report, the same few codes and locales come back on every row: escape each once.
    codes: dict[str, str] = {}
    langs: dict[str, tuple[str | None, str]] = {}
    rows: list[_Row] = []
    append = rows.append
    new = tuple.__new__
    for m in messages:
        code = codes.get(m.code)
        if code is None:
            code = codes[m.code] = esc(m.code)
        lang_dir = langs.get(m.locale)
        if lang_dir is None:
            untranslated = m.locale.split("_", 1)[0] != own
            lang_dir = langs[m.locale] = (
                esc(m.locale.replace("_", "-")) if untranslated else None,
                "rtl" if is_rtl(m.locale) else "ltr",
            )
        if html:
            title, message = html_text(m, "title"), html_text(m, "message")
        else:
            title, message = esc(m.title), esc(m.message)
        lang = None if m.translated else lang_dir[0]
        append(new(_Row, (_SEVERITIES[m.severity], code, title, message, lang, lang_dir[1])))
    return rows


# The severities a LocalizedMessage can have; they are class names and keys in the templates.
_SEVERITIES = {"error": "error", "warning": "warning"}


def _jobs(
    jobs: Iterable[JobReport],
    localizer: Localizer,
    language: ReportLanguage,
    flavor: Flavor,
    tz: tzinfo,
) -> list[_Job]:
    esc = flavor.escape
    views: list[_Job] = []
    for number, job in enumerate(jobs, 1):
        details = job.details
        rows: list[_Row] = []
        errors = warnings = 0
        if job.messages is not None:
            localized = localizer.localize(job.messages)
            errors, warnings = len(localized.errors), len(localized.warnings)
            rows = _rows(localized, language, flavor)
        # A name of spaces alone would leave the job without a visible heading: use its id.
        name = esc(details.name) if details and details.name.strip() else ""
        job_id = esc(job.job_id or (details.id if details else ""))
        views.append(
            _Job(
                number=number,
                anchor=f"job-{number}",
                id=job_id,
                heading=name or job_id,
                name=name,
                type=esc(details.type) if details and details.type else "",
                state=esc(details.state) if details and details.state else "",
                created=_date(details.created, language, tz) if details else None,
                started=_date(details.started, language, tz) if details else None,
                ended=_date(details.ended, language, tz) if details else None,
                fetched=job.messages is not None,
                errors=errors,
                warnings=warnings,
                errors_text=language.format_number(errors),
                warnings_text=language.format_number(warnings),
                rows=rows,
                failure=_failure(job.error, localizer, flavor) if job.error else None,
                untranslated=any(row.lang for row in rows),
            )
        )
    return views


# --- plain-text layout, called from report.txt ---------------------------------------------------


def _underline(text: str, char: str = "-") -> str:
    return char * display_width(text)


def _wrapped(text: str, width: int, indent: str = "") -> str:
    """``text`` wrapped to ``width`` display columns, every line starting with ``indent``."""
    room = width - display_width(indent)
    return "\n".join(indent + line for line in wrap(text, room))


def _summary_rows(
    jobs: Sequence[_Job], states: Mapping[str, str], not_fetched: str
) -> list[list[str]]:
    return [
        [
            job.heading,
            not_fetched if job.failure else states.get(job.state, job.state),
            job.errors_text if job.fetched else "",
            job.warnings_text if job.fetched else "",
        ]
        for job in jobs
    ]


def _message_rows(rows: Sequence[_Row], severities: Mapping[str, str]) -> list[list[str]]:
    return [
        [
            severities[row.severity],
            row.code,
            f"{row.title} *" if row.lang else row.title,
            row.message,
        ]
        for row in rows
    ]


# --- rendering -----------------------------------------------------------------------------------


def _finalize_markdown(value: object) -> str:
    return "" if value is None else escape_markdown(value)


def _finalize_text(value: object) -> str:
    return "" if value is None else str(value)


@cache
def _environment(format: str) -> Environment:
    env = Environment(
        loader=PackageLoader("jobmsg_i18n", "templates"),
        # Markdown and text escape in finalize and in the view built here, not as HTML.
        autoescape=format == "html",  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize={"html": None, "markdown": _finalize_markdown, "text": _finalize_text}[format],
    )
    if format == "text":
        env.globals.update(
            table=table,
            underline=_underline,
            wrapped=_wrapped,
            summary_rows=_summary_rows,
            message_rows=_message_rows,
        )
    return env


def _template(format: str) -> Template:
    return _environment(format).get_template(_TEMPLATES[format])


def render_report(
    jobs: Iterable[JobReport],
    locale: str | Localizer = "en",
    format: ReportFormat = "html",
    *,
    generated: datetime | None = None,
    tz: tzinfo | str | None = None,
    width: int = 100,
    catalog_dirs: Iterable[str | PathLike[str]] = (),
) -> str:
    """A report of ``jobs`` in ``locale`` (a tag such as ``pt-BR``, or a Localizer to use).

    ``format`` is ``"html"`` (one self-contained page), ``"markdown"`` or ``"text"`` (columns
    aligned by display width, at most ``width`` of them). Dates are shown in ``tz`` (a
    ``tzinfo`` or an IANA name such as ``"Europe/Paris"``; default UTC); ``generated`` is the
    time the report says it was made (default now). ``catalog_dirs`` hold catalogs of your own
    for the messages and the report's words, laid out like ``locales/``.
    """
    if format not in _TEMPLATES:
        raise ValueError(f"unknown report format {format!r}: expected one of html, markdown, text")
    dirs = tuple(catalog_dirs)
    localizer = locale if isinstance(locale, Localizer) else Localizer(locale, catalog_dirs=dirs)
    language = report_language(localizer.locale, dirs)
    zone: tzinfo = UTC if tz is None else get_timezone(tz) if isinstance(tz, str) else tz
    if generated is None:
        generated = datetime.now(UTC)
    elif generated.tzinfo is None:
        generated = generated.replace(tzinfo=UTC)
    flavor = FLAVORS[format]
    views = _jobs(jobs, localizer, language, flavor, zone)
    context: dict[str, Any] = {
        "lang": language.tag,
        "dir": "rtl" if language.rtl else "ltr",
        "version": __version__,
        "generated": _Date(
            generated.isoformat(), language.format_datetime(generated, "long", zone)
        ),
        "jobs": views,
        "total_errors": sum(job.errors for job in views),
        "total_warnings": sum(job.warnings for job in views),
        "failed": sum(1 for job in views if job.failure is not None),
        "width": width,
        **language.functions(flavor),
    }
    return _template(format).render(context).rstrip("\n") + "\n"
