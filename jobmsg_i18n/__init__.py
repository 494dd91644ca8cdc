"""jobmsg-i18n: localized titles and messages for the job messages of the iTwin v2 jobs APIs.

This module only re-exports; the offline path (reading and localizing saved messages) imports
neither requests nor jinja2.
"""

from jobmsg_i18n._version import __version__
from jobmsg_i18n.errors import (
    ApiError,
    AuthenticationError,
    ErrorDetail,
    InsecureTransportError,
    InvalidRequestError,
    InvalidResponseError,
    JobMessagesError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
)
from jobmsg_i18n.localizer import LocalizedMessage, LocalizedMessages, Localizer
from jobmsg_i18n.models import JobMessage, JobMessages
from jobmsg_i18n.placeholders import CompiledTemplate, compile_template, format_params, placeholders

TYPE_CHECKING = False
if TYPE_CHECKING:
    from jobmsg_i18n.client import FetchResult, JobsClient
    from jobmsg_i18n.jinja import install_localization
    from jobmsg_i18n.job import Job
    from jobmsg_i18n.negotiation import available_locales, negotiate_locale
    from jobmsg_i18n.report import JobReport, collect_reports, render_report

# Loaded on first use, so that ``import jobmsg_i18n`` never imports requests or jinja2.
_LAZY = {
    "FetchResult": "jobmsg_i18n.client",
    "Job": "jobmsg_i18n.job",
    "JobReport": "jobmsg_i18n.report",
    "JobsClient": "jobmsg_i18n.client",
    "available_locales": "jobmsg_i18n.negotiation",
    "collect_reports": "jobmsg_i18n.report",
    "install_localization": "jobmsg_i18n.jinja",
    "negotiate_locale": "jobmsg_i18n.negotiation",
    "render_report": "jobmsg_i18n.report",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'jobmsg_i18n' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ApiError",
    "AuthenticationError",
    "CompiledTemplate",
    "ErrorDetail",
    "FetchResult",
    "InsecureTransportError",
    "InvalidRequestError",
    "InvalidResponseError",
    "Job",
    "JobMessage",
    "JobMessages",
    "JobMessagesError",
    "JobReport",
    "JobsClient",
    "LocalizedMessage",
    "LocalizedMessages",
    "Localizer",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "__version__",
    "available_locales",
    "collect_reports",
    "compile_template",
    "format_params",
    "install_localization",
    "negotiate_locale",
    "placeholders",
    "render_report",
]
