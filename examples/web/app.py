"""A small web UI for job messages: each reader sees them in the language the browser asks for.

Against the local emulator (no account needed), on http://127.0.0.1:8000/:

    python examples/web/app.py --emulator

Against the iTwin Platform, with a token of scope ``itwin-platform``:

    JOBMSG_TOKEN=... python examples/web/app.py --api reality-modeling --job ID --job ID

The language is ``?lang=`` when a reader picks one (kept in a cookie), else negotiated from the
browser's ``Accept-Language``. Messages are inserted with ``LocalizedMessage.html()``: text and
params escaped, each param in a ``<bdi>``, so a file name keeps its direction in Arabic and a
param holding markup is shown, never run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_datetime
from flask import Flask, Response, make_response, render_template, request

from jobmsg_i18n import (
    Job,
    JobMessages,
    JobMessagesError,
    JobsClient,
    LocalizedMessage,
    LocalizedMessages,
    Localizer,
    available_locales,
    negotiate_locale,
)
from jobmsg_i18n.html import html_dir, html_lang

COOKIE = "lang"
HERE = Path(__file__).resolve().parent

# The page's own few words. A larger app keeps them in its own gettext domain, beside jobmsg.
UI: dict[str, dict[str, str]] = {
    "en": {"title": "Job messages", "errors": "Errors", "warnings": "Warnings",
           "none": "No messages", "language": "Language", "created": "Created"},
    "de": {"title": "Auftragsmeldungen", "errors": "Fehler", "warnings": "Warnungen",
           "none": "Keine Meldungen", "language": "Sprache", "created": "Erstellt"},
    "fr": {"title": "Messages des tâches", "errors": "Erreurs", "warnings": "Avertissements",
           "none": "Aucun message", "language": "Langue", "created": "Créée le"},
    "es": {"title": "Mensajes de los trabajos", "errors": "Errores", "warnings": "Advertencias",
           "none": "Sin mensajes", "language": "Idioma", "created": "Creado"},
    "it": {"title": "Messaggi dei processi", "errors": "Errori", "warnings": "Avvisi",
           "none": "Nessun messaggio", "language": "Lingua", "created": "Creato"},
    "pt": {"title": "Mensagens dos trabalhos", "errors": "Erros", "warnings": "Avisos",
           "none": "Nenhuma mensagem", "language": "Idioma", "created": "Criado em"},
    "ja": {"title": "ジョブのメッセージ", "errors": "エラー", "warnings": "警告",
           "none": "メッセージはありません", "language": "言語", "created": "作成日時"},
    "ko": {"title": "작업 메시지", "errors": "오류", "warnings": "경고",
           "none": "메시지 없음", "language": "언어", "created": "생성 일시"},
    "zh_Hans": {"title": "作业消息", "errors": "错误", "warnings": "警告",
                "none": "无消息", "language": "语言", "created": "创建时间"},
    "zh_Hant": {"title": "作業訊息", "errors": "錯誤", "warnings": "警告",
                "none": "無訊息", "language": "語言", "created": "建立時間"},
    "ru": {"title": "Сообщения заданий", "errors": "Ошибки", "warnings": "Предупреждения",
           "none": "Нет сообщений", "language": "Язык", "created": "Создано"},
    "pl": {"title": "Komunikaty zadań", "errors": "Błędy", "warnings": "Ostrzeżenia",
           "none": "Brak komunikatów", "language": "Język", "created": "Utworzono"},
    "ar": {"title": "رسائل المهام", "errors": "الأخطاء", "warnings": "التحذيرات",
           "none": "لا توجد رسائل", "language": "اللغة", "created": "تاريخ الإنشاء"},
}  # fmt: skip

# Defence in depth: even a param that escaped escaping could run no script.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class JobRow(NamedTuple):
    """What the page shows of one job: the job (None if it could not be read) and its messages."""

    id: str
    job: Job | None
    messages: LocalizedMessages | None
    error: LocalizedMessage | None
    created: str


def create_app(
    client: JobsClient,
    job_ids: Sequence[str],
    catalog_dirs: Sequence[str | os.PathLike[str]] = (),
) -> Flask:
    """The Flask app showing the messages of ``job_ids``, fetched with ``client``."""
    app = Flask(__name__, template_folder=str(HERE / "templates"))
    locales = available_locales(catalog_dirs)
    languages = [(code, name) for code in locales if (name := _native_name(code))]
    languages.sort(key=lambda pair: pair[1].casefold())

    @cache
    def localizer(locale: str) -> Localizer:
        # One per locale, shared by every request and thread: it caches what it has resolved.
        return Localizer(locale, catalog_dirs=catalog_dirs)

    @app.get("/")
    def jobs() -> Response:
        header = request.headers.get("Accept-Language")
        negotiated = negotiate_locale(header, locales)
        picked = request.args.get("lang") or request.cookies.get(COOKIE)
        locale = negotiate_locale(picked, locales, default=negotiated) if picked else negotiated
        loc = localizer(locale)
        rows = [_row(client, job_id, loc) for job_id in job_ids]
        page = render_template(
            "jobs.html",
            locale=locale,
            lang=html_lang(locale),
            dir=html_dir(locale),
            ui=_ui(locale),
            languages=languages,
            rows=rows,
            html_lang=html_lang,
            html_dir=html_dir,
        )
        response = make_response(page)
        response.headers["Content-Language"] = html_lang(locale)
        response.vary.update(("Accept-Language", "Cookie"))
        response.headers.update(SECURITY_HEADERS)
        if request.args.get("lang"):
            response.set_cookie(COOKIE, locale, max_age=365 * 86400, httponly=True, samesite="Lax")
        return response

    return app


def _row(client: JobsClient, job_id: str, localizer: Localizer) -> JobRow:
    try:
        job = client.get_job(job_id)
        messages: JobMessages = client.get_messages(job_id)
    except JobMessagesError as exc:
        return JobRow(job_id, None, None, localizer.localize_error(exc), "")
    created = _date(job.created, localizer.locale)
    return JobRow(job_id, job, localizer.localize(messages), None, created)


def _ui(locale: str) -> dict[str, str]:
    return UI.get(locale) or UI.get(locale.split("_", 1)[0]) or UI["en"]


def _babel_locale(locale: str) -> Locale | None:
    for name in (locale, locale.split("_", 1)[0]):
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    return None


def _native_name(locale: str) -> str:
    """The locale's name in its own language (``français``); empty for pseudo-locales."""
    try:
        name = Locale.parse(locale).display_name
    except (UnknownLocaleError, ValueError):
        return ""
    return name[:1].upper() + name[1:] if name else ""


def _date(value: datetime | None, locale: str) -> str:
    babel_locale = _babel_locale(locale)
    if value is None or babel_locale is None:
        return ""
    return format_datetime(value, "medium", tzinfo=value.tzinfo, locale=babel_locale)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--emulator", action="store_true", help="serve the local emulator's jobs")
    parser.add_argument("--base-url", default="https://api.bentley.com")
    parser.add_argument(
        "--api",
        default="reality-analysis",
        choices=("reality-analysis", "reality-modeling", "reality-conversion"),
    )
    parser.add_argument("--job", action="append", default=[], help="a job id (repeatable)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    args = parser.parse_args(argv)
    emulator = None
    if args.emulator:
        from jobmsg_i18n.emulator import Emulator, sample_jobs

        emulator = Emulator().start()
        base_url, token = emulator.base_url, "emulator"
        job_ids = args.job or [job.id for job in sample_jobs()]
    else:
        base_url, token = args.base_url, os.environ.get("JOBMSG_TOKEN", "")
        job_ids = args.job
        if not token or not job_ids:
            parser.error("set JOBMSG_TOKEN and give at least one --job (or use --emulator)")
    app = create_app(JobsClient(token, api=args.api, base_url=base_url), job_ids)
    print(f"serving on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        app.run(host="127.0.0.1", port=args.port)
    finally:
        if emulator is not None:
            emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
