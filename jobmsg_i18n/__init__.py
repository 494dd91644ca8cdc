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

__all__ = [
    "ApiError",
    "AuthenticationError",
    "CompiledTemplate",
    "ErrorDetail",
    "InsecureTransportError",
    "InvalidRequestError",
    "InvalidResponseError",
    "JobMessage",
    "JobMessages",
    "JobMessagesError",
    "LocalizedMessage",
    "LocalizedMessages",
    "Localizer",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "__version__",
    "compile_template",
    "format_params",
    "placeholders",
]
