"""Exceptions raised by jobmsg-i18n.

The tree, so that callers catch by meaning rather than by status number::

    JobMessagesError
    ├── ApiError(status, code, message, target, details, request_id)
    │   ├── AuthenticationError        401
    │   ├── PermissionDeniedError      403
    │   ├── NotFoundError              404 (JobNotFound; ResourceNotFound: wrong Accept version)
    │   ├── InvalidRequestError        400, 409, 422
    │   ├── RateLimitError             429, ``retry_after`` in seconds
    │   └── ServerError                5xx
    ├── TransportError                 connection refused or reset, timeout, TLS
    ├── InvalidResponseError           a body that is not JSON, not the schema, or too large
    └── InsecureTransportError         a token would travel over plain http to a non-loopback host

Every exception's ``str()`` is one line a person can act on. None of them ever holds a token.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

__all__ = [
    "ApiError",
    "AuthenticationError",
    "ErrorDetail",
    "InsecureTransportError",
    "InvalidRequestError",
    "InvalidResponseError",
    "JobMessagesError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TransportError",
]


class JobMessagesError(Exception):
    """Base of every error this library raises.

    ``code`` names the error in the words of the API (``JobNotFound``) or, for errors that happen
    on this side of the wire, of this library (``ConnectionFailed``, ``InvalidResponse``); it is the
    key that :meth:`jobmsg_i18n.Localizer.localize_error` translates.
    """

    code: str = "UnknownError"
    params: tuple[str, ...] = ()


class ErrorDetail(NamedTuple):
    """One entry of an API error's ``details`` list."""

    code: str
    message: str
    target: str | None = None


class ApiError(JobMessagesError):
    """The API answered with an error status (4xx or 5xx)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        target: str | None = None,
        details: Sequence[ErrorDetail] = (),
        request_id: str | None = None,
        url: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.details = tuple(details)
        self.request_id = request_id
        self.url = url
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = f"HTTP {self.status} {self.code}: {self.message}"
        if self.target:
            text += f" (target: {self.target})"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class AuthenticationError(ApiError):
    """401: the token is missing, expired, or lacks the ``itwin-platform`` scope."""


class PermissionDeniedError(ApiError):
    """403: the token is valid but may not see this job."""


class NotFoundError(ApiError):
    """404: no such job (``JobNotFound``), or no such operation (``ResourceNotFound``).

    ``ResourceNotFound`` usually means a wrong API path or a wrong version in the Accept header.
    """


class InvalidRequestError(ApiError):
    """400, 409 or 422: the request was refused as invalid."""


class RateLimitError(ApiError):
    """429: too many requests. ``retry_after`` is the server's wait in seconds, when it gave one."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: float | None = None,
        target: str | None = None,
        details: Sequence[ErrorDetail] = (),
        request_id: str | None = None,
        url: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            status, code, message, target=target, details=details, request_id=request_id, url=url
        )

    def _describe(self) -> str:
        text = super()._describe()
        if self.retry_after is not None:
            text += f"; retry after {self.retry_after:g} s"
        return text


class ServerError(ApiError):
    """5xx: the service failed."""


class TransportError(JobMessagesError):
    """The request did not get an HTTP answer: connection refused or reset, timeout, TLS failure."""

    code = "ConnectionFailed"

    def __init__(self, message: str, *, url: str | None = None, timeout: bool = False) -> None:
        self.url = url
        self.timeout = timeout
        if timeout:
            self.code = "Timeout"
        super().__init__(message)


class InvalidResponseError(JobMessagesError):
    """A response or a saved file could not be read as job messages.

    ``problems`` lists every problem found, each naming its JSON path
    (``messages.errors[2].params[0]: expected string, got number``).
    """

    code = "InvalidResponse"

    def __init__(
        self, message: str, problems: Sequence[str] = (), *, url: str | None = None
    ) -> None:
        self.problems = tuple(problems)
        self.url = url
        super().__init__(message)


class InsecureTransportError(JobMessagesError):
    """A token would have been sent over plain http to a host that is not loopback."""

    code = "InsecureTransport"
