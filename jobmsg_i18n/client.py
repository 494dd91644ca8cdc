"""Fetching job messages from the iTwin Platform v2 jobs APIs over HTTP.

One :class:`JobsClient` holds one connection pool and one rate-limit budget; share it between
threads. Every call is retried on 429, 502, 503, 504, connection errors and timeouts, honours
``Retry-After``, and is bounded by a deadline; every failure is one of the exceptions of
:mod:`jobmsg_i18n.errors`.

>>> from jobmsg_i18n.emulator import FAILED_JOB_ID, Emulator
>>> with Emulator() as emulator:
...     client = JobsClient("any-token", base_url=emulator.base_url)
...     client.get_messages(FAILED_JOB_ID).errors[0].params
("DJI_0385.JPG'.",)
"""

from __future__ import annotations

import contextlib
import email.utils
import heapq
import ipaddress
import logging
import random
import re
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple, TypeAlias, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import requests
import requests.adapters
import requests.auth
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions

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
from jobmsg_i18n.job import Job
from jobmsg_i18n.models import JobMessages

__all__ = ["API_NAMES", "FetchResult", "InvalidTokenError", "JobsClient"]

logger = logging.getLogger("jobmsg_i18n.client")

Api: TypeAlias = Literal["reality-analysis", "reality-modeling", "reality-conversion"]
API_NAMES: Final = ("reality-analysis", "reality-modeling", "reality-conversion")
ACCEPT: Final = "application/vnd.bentley.itwin-platform.v2+json"
USER_AGENT: Final = f"jobmsg-i18n/{__version__} python-requests/{requests.__version__}"

RETRIED_STATUSES: Final = frozenset({429, 502, 503, 504})
MAX_REDIRECTS: Final = 5
_EXCERPT_LENGTH = 160
_CHUNK = 64 * 1024
# Headers that carry the id a support desk asks for, most specific first.
_REQUEST_ID_HEADERS = ("X-Correlation-Id", "X-Request-Id", "Request-Id", "X-Ms-Request-Id")
_ERROR_CLASSES: dict[int, type[ApiError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: InvalidRequestError,
    422: InvalidRequestError,
    429: RateLimitError,
}
# When an error body is not the API's JSON shape, the code says what the status means.
_STATUS_CODES = {
    400: "InvalidRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    422: "InvalidRequest",
    429: "RateLimitExceeded",
}

Token: TypeAlias = str | Callable[[], str]
_END: Final[Any] = object()
Timeout: TypeAlias = float | tuple[float, float]


_Doc = TypeVar("_Doc")


class FetchResult(NamedTuple):
    """The outcome of one job of :meth:`JobsClient.fetch_many`: its messages, or its error."""

    job_id: str
    messages: JobMessages | None
    error: JobMessagesError | None

    @property
    def ok(self) -> bool:
        return self.error is None


class _BearerAuth(requests.auth.AuthBase):
    """Sets ``Authorization`` at the last moment, so ``~/.netrc`` cannot replace it."""

    __slots__ = ("_header",)

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request

    def redact(self, data: bytes) -> bytes:
        """``data`` without the token, should a server or proxy have echoed it back."""
        token = self._header[7:].encode("ascii")
        return data.replace(token, b"[token]") if token in data else data

    def __repr__(self) -> str:
        return "<bearer token>"


class _TokenSource:
    """The current token: a fixed string, or the last value a callable returned."""

    def __init__(self, token: Token) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        if callable(token):
            self._supplier: Callable[[], str] | None = token
            self._auth: _BearerAuth | None = None
        else:
            self._supplier = None
            self._auth = _BearerAuth(_clean_token(token))

    @property
    def refreshable(self) -> bool:
        return self._supplier is not None

    def current(self) -> tuple[_BearerAuth, int]:
        with self._lock:
            if self._auth is None:
                self._fetch()
            assert self._auth is not None
            return self._auth, self._generation

    def refresh(self, seen_generation: int) -> None:
        """A fresh token after a 401, unless another thread already got one."""
        with self._lock:
            if self._generation == seen_generation:
                self._fetch()

    def _fetch(self) -> None:
        assert self._supplier is not None
        self._auth = _BearerAuth(_clean_token(self._supplier()))
        self._generation += 1

    def __repr__(self) -> str:
        return "<token>"


class InvalidTokenError(ValueError):
    """The token cannot be sent at all (empty, or characters not allowed in a header)."""


def _clean_token(token: object) -> str:
    # Never echo the value: a bad token must not end up in a log through its error message.
    if not isinstance(token, str):
        raise TypeError(f"the token must be a string, not {type(token).__name__}")
    token = token.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    if not token:
        raise InvalidTokenError("the token is empty")
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise InvalidTokenError(
            "the token contains characters that cannot travel in an HTTP header"
        )
    return token


class _RateBudget:
    """The rate-limit budget shared by every request of one client.

    When the server answers 429 with a wait, no request of this client starts before that wait
    is over, in whichever thread it runs.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._resume_at = 0.0

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, self._clock() + seconds)

    def wait_needed(self) -> float:
        with self._lock:
            return max(0.0, self._resume_at - self._clock())


@dataclass(slots=True)
class _Attempt:
    """What one HTTP exchange gave: a status, its headers and the body read within the cap."""

    url: str
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes
    too_large: bool
    length: int | None


class JobsClient:
    """A client of ``GET .../jobs/{id}`` and ``GET .../jobs/{id}/messages``.

    ``token`` is the OAuth access token (scope ``itwin-platform``), or a callable returning one:
    it is called when the first request needs it and once more after a 401, for a fresh token.

    ``timeout`` is the connect and read timeout of one attempt in seconds (one number for both, or
    a pair). ``deadline`` bounds one call, every attempt and wait included. ``max_retries`` bounds
    the retries of a call after 502, 503, 504, a 429 without a usable ``Retry-After``, a
    connection error or a timeout; a 429 whose ``Retry-After`` is at most ``max_retry_wait`` is
    waited out and retried until the deadline. A longer ``Retry-After`` raises
    :class:`RateLimitError` at once. Bodies longer than ``max_body_size`` bytes are refused.

    ``clock`` (monotonic seconds), ``sleep`` and ``wall_clock`` (Unix time, for HTTP dates) can be
    replaced, so that tests of long waits run instantly. ``session`` is a ``requests.Session`` of
    your own (its adapters, proxies and certificates); the client then does not close it.
    """

    def __init__(
        self,
        token: Token,
        *,
        api: Api = "reality-analysis",
        base_url: str = "https://api.bentley.com",
        timeout: Timeout = (10.0, 30.0),
        deadline: float = 120.0,
        max_retries: int = 4,
        max_retry_wait: float = 60.0,
        backoff: float = 0.5,
        max_body_size: int = 4 * 1024 * 1024,
        max_connections: int = 16,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if api not in API_NAMES:
            raise ValueError(f"unknown api {api!r}: expected one of {', '.join(API_NAMES)}")
        self.api: Api = api
        self.base_url = _check_base_url(base_url)
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        if connect <= 0 or read <= 0 or deadline <= 0:
            raise ValueError("timeouts and the deadline must be positive")
        self.timeout = (float(connect), float(read))
        self.deadline = float(deadline)
        if max_retries < 0 or max_retry_wait < 0 or backoff < 0:
            raise ValueError("max_retries, max_retry_wait and backoff cannot be negative")
        self.max_retries = max_retries
        self.max_retry_wait = float(max_retry_wait)
        self.backoff = float(backoff)
        if max_body_size < 1 or max_connections < 1:
            raise ValueError("max_body_size and max_connections must be at least 1")
        self.max_body_size = max_body_size
        self.max_connections = max_connections
        self._token = _TokenSource(token)
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._random = random.Random()  # noqa: S311 (jitter, not secrets)
        self._budget = _RateBudget(clock)
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(
                pool_connections=4, pool_maxsize=max_connections, max_retries=0
            )
            # The read timeout bounds each recv, not the headers as a whole: a server dripping
            # a header byte at a time would hold a call past its deadline without the watchdog.
            adapter.poolmanager.pool_classes_by_scheme = {
                "http": _WatchedHTTPPool,
                "https": _WatchedHTTPSPool,
            }
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            if _is_loopback(urlsplit(self.base_url).hostname or ""):
                # A local emulator: no proxy from the environment stands in between.
                session.trust_env = False
        self._session = session

    def __repr__(self) -> str:
        return f"JobsClient(api={self.api!r}, base_url={self.base_url!r})"

    def __enter__(self) -> JobsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections (only of a session the client created)."""
        if self._owns_session:
            self._session.close()

    def job_url(self, job_id: str, suffix: str = "") -> str:
        """The URL of a job; the id is one percent-encoded path segment.

        >>> JobsClient("t").job_url("a/b", "/messages")
        'https://api.bentley.com/reality-analysis/jobs/a%2Fb/messages'
        """
        if not isinstance(job_id, str):
            raise TypeError(f"a job id is a string, not {type(job_id).__name__}")
        if job_id.strip() in ("", ".", ".."):
            raise ValueError(f"not a job id: {job_id!r}")
        return f"{self.base_url}/{self.api}/jobs/{quote(job_id, safe='')}{suffix}"

    def get_messages(self, job_id: str) -> JobMessages:
        """The errors and warnings of one job (``GET .../jobs/{id}/messages``)."""
        return self._get_document(
            self.job_url(job_id, "/messages"), JobMessages.from_json, "job messages"
        )

    def get_job(self, job_id: str) -> Job:
        """The job itself: id, name, type, state and dates (``GET .../jobs/{id}``)."""
        return self._get_document(self.job_url(job_id), Job.from_json, "a job")

    def _get_document(self, url: str, parse: Callable[[bytes], _Doc], what: str) -> _Doc:
        """``parse`` of the body of ``GET url``; a body it refuses is an error naming the URL."""
        body = self._get(url)
        try:
            return parse(body)
        except InvalidResponseError as exc:
            raise InvalidResponseError(
                f"GET {url}: the answer is not {what}: {exc}", exc.problems, url=url
            ) from None

    def fetch_many(
        self, job_ids: Iterable[str], concurrency: int = 8
    ) -> Generator[FetchResult, None, None]:
        """The messages of many jobs, fetched by up to ``concurrency`` threads.

        Yields one :class:`FetchResult` per job, in the order of ``job_ids``, as soon as it and
        every job before it are done. A job that fails carries its error and never stops the
        others; all share this client's connections and rate-limit budget. Ids are read lazily,
        so a long iterable is never held in memory at once.
        """
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        workers = min(concurrency, self.max_connections)
        pending: deque[tuple[str, Future[JobMessages]]] = deque()
        executor = ThreadPoolExecutor(workers, thread_name_prefix="jobmsg-fetch")
        ids: Iterator[str] = iter(job_ids)
        interrupted = False
        try:
            while True:
                while len(pending) < 2 * workers:
                    job_id = next(ids, _END)
                    if job_id is _END:
                        break
                    self.job_url(job_id)  # a malformed id is the caller's bug: raise it here
                    pending.append((job_id, executor.submit(self.get_messages, job_id)))
                if not pending:
                    return
                job_id, future = pending.popleft()
                try:
                    yield FetchResult(job_id, future.result(), None)
                except JobMessagesError as exc:
                    yield FetchResult(job_id, None, exc)
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            # Ctrl-C does not wait for the requests in flight; stopping early does.
            executor.shutdown(wait=not interrupted, cancel_futures=True)

    # -- the wire --------------------------------------------------------------------------------

    def _get(self, url: str) -> bytes:
        """The body of a 200 answer to ``GET url``, after retries; raises the typed errors."""
        deadline = self._clock() + self.deadline
        retries = 0
        refreshed = False
        attempt = 0
        rate_limited = 0
        last_error: JobMessagesError | None = None
        while True:
            shared_wait = self._budget.wait_needed()
            if shared_wait > 0:
                limit_error = last_error if isinstance(last_error, RateLimitError) else None
                self._wait(shared_wait, deadline, url, attempt, "rate limit", limit_error, True)
            attempt += 1
            auth, generation = self._token.current()
            try:
                result = self._exchange(url, auth, deadline)
            except TransportError as exc:
                if retries >= self.max_retries:
                    raise
                retries += 1
                logger.debug("GET %s: attempt %d failed: %s", url, attempt, exc)
                self._wait(self._backoff(retries), deadline, url, attempt, "transport", exc, False)
                last_error = exc
                continue
            if 200 <= result.status < 300:
                return self._success_body(result, auth)
            # An error body ends up in exception text: cut out the token, should it be echoed.
            result.body = auth.redact(result.body)
            retry_after = None
            if result.status in RETRIED_STATUSES:
                retry_after = _parse_retry_after(
                    result.headers.get("Retry-After"),
                    result.headers.get("Date"),
                    self._wall_clock(),
                )
            error = _api_error(result, retry_after)
            last_error = error
            if result.status == 401 and self._token.refreshable and not refreshed:
                refreshed = True
                logger.debug("GET %s -> 401: asking for a fresh token", url)
                self._token.refresh(generation)
                continue
            if result.status not in RETRIED_STATUSES:
                raise error
            if result.status == 429 and retry_after is not None:
                # The server said when: every request of this client waits that long, and the
                # retry does not count against max_retries (the deadline bounds it).
                if retry_after > self.max_retry_wait or self._clock() + retry_after >= deadline:
                    self._budget.pause(retry_after)
                    raise error
                # A server that keeps saying "now" is not hammered: 0, 0.05, 0.1, ... s at least.
                pause = max(retry_after, 0.05 * rate_limited)
                rate_limited += 1
                logger.debug("GET %s -> 429: Retry-After %.3f s", url, retry_after)
                self._budget.pause(pause)
                continue
            if retries >= self.max_retries:
                raise error
            retries += 1
            if retry_after is not None:
                self._wait(
                    retry_after, deadline, url, attempt, f"HTTP {result.status}", error, True
                )
            else:
                pause = self._backoff(retries)
                self._wait(pause, deadline, url, attempt, f"HTTP {result.status}", error, False)

    def _wait(
        self,
        seconds: float,
        deadline: float,
        url: str,
        attempt: int,
        reason: str,
        error: JobMessagesError | None,
        server_asked: bool,
    ) -> None:
        """Sleep before the next attempt, or raise ``error`` when the wait cannot be afforded."""
        too_long = server_asked and seconds > self.max_retry_wait
        if too_long or self._clock() + seconds >= deadline:
            if error is not None:
                raise error
            raise RateLimitError(
                429,
                "RateLimitExceeded",
                f"GET {url}: rate limited, and the wait of {seconds:.3g} s "
                + ("is longer than max_retry_wait" if too_long else "passes the call's deadline"),
                retry_after=seconds,
                url=url,
            )
        logger.debug(
            "GET %s: waiting %.3f s before attempt %d (%s)", url, seconds, attempt + 1, reason
        )
        self._sleep(seconds)

    def _backoff(self, retry: int) -> float:
        """Exponential backoff with jitter: between half and all of backoff x 2^(retry-1)."""
        ceiling = min(self.backoff * 2.0 ** (retry - 1), 30.0)
        return ceiling * (0.5 + 0.5 * self._random.random())

    def _exchange(self, url: str, auth: _BearerAuth, deadline: float) -> _Attempt:
        """One GET, following redirects by hand so the token only goes where it belongs."""
        origin = _origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            same_origin = _origin(url) == origin
            remaining = deadline - self._clock()
            timeout = (
                max(0.001, min(self.timeout[0], remaining)),
                max(0.001, min(self.timeout[1], remaining)),
            )
            started = self._clock()
            _deadline.at = time.monotonic() + remaining
            try:
                response = self._session.get(
                    url,
                    headers={"Accept": ACCEPT, "User-Agent": USER_AGENT},
                    auth=auth if same_origin else None,
                    timeout=timeout,
                    allow_redirects=False,
                    stream=True,
                    proxies=_no_proxy(url),
                )
            except requests.RequestException as exc:
                error = _transport_error(exc, url, timeout)
                if self._clock() >= deadline:
                    error = _deadline_error(url, self.deadline, "no complete answer came")
                raise error from exc
            except ValueError as exc:
                # requests parses a redirect's Location even when it does not follow it.
                raise InvalidResponseError(
                    f"GET {url}: the answer could not be read: {exc}", url=url
                ) from None
            finally:
                _deadline.at = None
            try:
                if response.is_redirect and "Location" in response.headers:
                    target = urljoin(url, response.headers["Location"])
                    logger.debug(
                        "GET %s -> %d, redirected to %s", url, response.status_code, target
                    )
                    if urlsplit(target).scheme not in ("http", "https"):
                        raise InvalidResponseError(
                            f"GET {url}: redirected to an unsupported URL scheme", url=url
                        )
                    url = target
                    continue
                result = self._read(response, url, timeout, deadline)
            finally:
                response.close()
            logger.debug(
                "GET %s -> %d in %.3f s%s",
                url,
                result.status,
                self._clock() - started,
                "" if same_origin else " (redirected; no token sent)",
            )
            return result
        raise InvalidResponseError(f"GET {url}: more than {MAX_REDIRECTS} redirects", url=url)

    def _read(
        self, response: requests.Response, url: str, timeout: tuple[float, float], deadline: float
    ) -> _Attempt:
        """The body, at most ``max_body_size`` bytes, within the deadline."""
        status = response.status_code
        headers = response.headers
        cap = self.max_body_size
        length = _content_length(headers.get("Content-Length"))
        if length is not None and length > cap:
            return _Attempt(url, status, headers, b"", True, length)
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = response.raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > cap:
                    return _Attempt(url, status, headers, b"".join(chunks)[:cap], True, length)
                if self._clock() > deadline:
                    raise _deadline_error(url, self.deadline)
        except (urllib3.exceptions.HTTPError, OSError, requests.RequestException) as exc:
            raise _transport_error(exc, url, timeout) from exc
        return _Attempt(url, status, headers, b"".join(chunks), False, length)

    def _success_body(self, result: _Attempt, auth: _BearerAuth) -> bytes:
        url = result.url
        if result.too_large:
            # A compressed body can announce a length under the cap and still decode past it.
            known = result.length is not None and result.length > self.max_body_size
            size = f"{result.length} bytes" if known else "more"
            raise InvalidResponseError(
                f"GET {url}: the answer is too large ({size}; the limit is "
                f"{self.max_body_size} bytes)",
                url=url,
            )
        content_type = result.headers.get("Content-Type", "")
        if content_type and not _is_json_type(content_type):
            raise InvalidResponseError(
                f"GET {url}: expected JSON, got {content_type.split(';')[0].strip()}: "
                f"{_excerpt(auth.redact(result.body))!r}",
                url=url,
            )
        return result.body


def _deadline_error(
    url: str, deadline: float, what: str = "the answer was still arriving"
) -> TransportError:
    return TransportError(
        f"GET {url}: {what} when the call's deadline of {deadline:g} s passed",
        url=url,
        timeout=True,
    )


class _Deadline(threading.local):
    at: float | None = None  # time.monotonic() by which the current thread's exchange must end


_deadline = _Deadline()


class _Watchdog:
    """Shuts down the socket of an exchange still waiting for its headers at its deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, socket.socket]] = []
        self._live: set[int] = set()
        self._ticket = 0
        self._thread: threading.Thread | None = None

    def watch(self, at: float, sock: socket.socket) -> int:
        with self._cond:
            self._ticket += 1
            heapq.heappush(self._heap, (at, self._ticket, sock))
            self._live.add(self._ticket)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="jobmsg-deadline", daemon=True
                )
                self._thread.start()
            elif self._heap[0][1] == self._ticket:
                self._cond.notify()
            return self._ticket

    def unwatch(self, ticket: int) -> bool:
        """Stop watching; False when the deadline came first and the socket was shut down."""
        with self._cond:
            if ticket in self._live:
                self._live.remove(ticket)
                return True
            return False

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][1] not in self._live:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                at, ticket, sock = self._heap[0]
                if time.monotonic() < at:
                    self._cond.wait(at - time.monotonic())
                    continue
                heapq.heappop(self._heap)
                self._live.discard(ticket)
                with contextlib.suppress(OSError):
                    # socket's own shutdown: SSLSocket's would also drop its TLS state under
                    # the reading thread.
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


_WATCHDOG = _Watchdog()


def _watched(
    sock: socket.socket | None, get: Callable[[], urllib3.response.HTTPResponse]
) -> urllib3.response.HTTPResponse:
    """``get()`` (the answer's status and headers), cut short at the thread's deadline."""
    at = _deadline.at
    if at is None or sock is None:
        return get()
    ticket = _WATCHDOG.watch(at, sock)
    try:
        response = get()
    finally:
        in_time = _WATCHDOG.unwatch(ticket)
    if not in_time:  # what was read may be cut anywhere: not an answer
        response.close()
        raise TimeoutError("the call's deadline passed before the answer's headers ended")
    return response


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def getresponse(self) -> urllib3.response.HTTPResponse:  # type: ignore[override]
        return _watched(self.sock, super().getresponse)


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def getresponse(self) -> urllib3.response.HTTPResponse:  # type: ignore[override]
        return _watched(self.sock, super().getresponse)


class _WatchedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def _check_base_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) base URL: {base_url!r}")
    try:
        parts.port  # noqa: B018 (raises on a port out of range or not a number)
    except ValueError as exc:
        raise ValueError(f"not an http(s) base URL: {base_url!r} ({exc})") from None
    if parts.username or parts.password:
        raise ValueError("the base URL must not carry a user name or password")
    if parts.query or parts.fragment:
        raise ValueError("the base URL must not carry a query or a fragment")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise InsecureTransportError(
            f"refusing to send a token over plain http to {parts.hostname}: "
            "use https (plain http is allowed only to a loopback address)"
        )
    return base_url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _no_proxy(url: str) -> dict[str, Any] | None:  # None values: typeshed says str
    """For plain http (loopback only): no proxy of a session or the environment stands between.

    A proxy there would receive the token in clear text, wherever it is. A None value removes
    the session's and the environment's proxy for that key.
    """
    parts = urlsplit(url)
    if parts.scheme != "http":
        return None
    host = (parts.hostname or "").lower()
    keys = ("http", f"http://{host}", "all", f"all://{host}")
    return dict.fromkeys(keys, None)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def _is_json_type(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _parse_retry_after(value: str | None, date: str | None, now: float) -> float | None:
    """Seconds to wait: ``Retry-After`` as integer or decimal seconds, or an HTTP date.

    A date is taken relative to the response's own ``Date`` when it has one, so a skewed local
    clock does not matter. Anything unreadable gives None.

    >>> _parse_retry_after("1.5", None, 0.0)
    1.5
    >>> _parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 0.0)
    10.0
    >>> _parse_retry_after("soon", None, 0.0) is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{1,12}(\.\d{1,9})?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    reference = now
    if date:
        try:
            reference = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError, IndexError):
            reference = now
    return max(0.0, when.timestamp() - reference)


def _excerpt(body: bytes) -> str:
    """A short, one-line, printable excerpt of a body that was not the expected JSON."""
    text = _drop_scripts(body[:65536].decode("utf-8", "replace"))
    # [^<>], not [^>]: each "<" without its ">" would otherwise scan to the end (quadratic).
    text = re.sub(r"<[^<>]*>", " ", text)
    text = "".join(c if c.isprintable() else " " for c in text)
    text = " ".join(text.split())
    if len(text) > _EXCERPT_LENGTH:
        text = text[: _EXCERPT_LENGTH - 1].rstrip() + "…"
    return text


_SCRIPT_OPEN = re.compile(r"<(script|style)\b", re.IGNORECASE)
_SCRIPT_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}


def _drop_scripts(text: str) -> str:
    """``text`` without ``<script>`` and ``<style>`` elements (an unclosed one runs to the end).

    In one pass: a lazy ``<(script|style).*?</\\1>`` rescans the rest of the text from each
    unclosed opening tag, seconds of CPU for an error page of ``<script`` repeated.
    """
    parts: list[str] = []
    pos = 0
    while (opening := _SCRIPT_OPEN.search(text, pos)) is not None:
        parts.append(text[pos : opening.start()])
        closing = _SCRIPT_CLOSE[opening.group(1).lower()].search(text, opening.end())
        if closing is None:
            return " ".join(parts)
        parts.append(" ")
        pos = closing.end()
    parts.append(text[pos:])
    return "".join(parts)


def _api_error(result: _Attempt, retry_after: float | None = None) -> ApiError:
    """The typed error of a 4xx or 5xx answer, whatever its body holds."""
    status = result.status
    cls = _ERROR_CLASSES.get(status) or (ServerError if status >= 500 else ApiError)
    request_id = next(
        (result.headers[h] for h in _REQUEST_ID_HEADERS if result.headers.get(h)), None
    )
    if request_id is not None and not re.fullmatch(r"[\w.:-]{1,100}", request_id):
        request_id = None
    fields = _error_fields(result.body) if not result.too_large else None
    params: tuple[str, ...] = ()
    if fields is not None:
        code, message, target, details = fields
    else:
        details = ()
        target = None
        excerpt = _excerpt(result.body)
        reason = f"HTTP {status}" + (" (no body)" if not excerpt else f": {excerpt}")
        if status >= 500:
            code = "ServerError"
            params = (str(status),)
            message = f"the service failed ({reason})"
        else:
            code = _STATUS_CODES.get(status, f"HTTP{status}")
            message = f"the service refused the request ({reason})"
    error: ApiError
    if cls is RateLimitError:
        error = RateLimitError(
            status,
            code,
            message,
            retry_after=retry_after,
            target=target,
            details=details,
            request_id=request_id,
            url=result.url,
        )
    else:
        error = cls(
            status,
            code,
            message,
            target=target,
            details=details,
            request_id=request_id,
            url=result.url,
        )
    error.params = params
    return error


def _error_fields(
    body: bytes,
) -> tuple[str, str, str | None, tuple[ErrorDetail, ...]] | None:
    """``code, message, target, details`` of ``{"error": {...}}``, or None for another body."""
    import json

    try:
        document: Any = json.loads(body)
    except (ValueError, RecursionError):
        return None
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        return None
    code = _one_line(error["code"]) or "UnknownError"
    message = _one_line(error.get("message")) or code
    target = _one_line(error.get("target")) or None
    details: list[ErrorDetail] = []
    raw_details = error.get("details")
    for item in raw_details if isinstance(raw_details, list) else ():
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            details.append(
                ErrorDetail(
                    _one_line(item["code"]),
                    _one_line(item.get("message")),
                    _one_line(item.get("target")) or None,
                )
            )
    return code, message, target, tuple(details)


def _one_line(value: object) -> str:
    if not isinstance(value, str):
        return ""
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return text[:500]


def _transport_error(exc: BaseException, url: str, timeout: tuple[float, float]) -> TransportError:
    """A one-line TransportError saying what happened, from requests' or urllib3's exception."""
    host = urlsplit(url).netloc
    chain = _causes(exc)
    for e in chain:
        # requests' exceptions keep the PreparedRequest, Authorization header and all; the
        # TransportError chains to them, so they must not keep it.
        if isinstance(e, requests.RequestException):
            e.request = None
            e.response = None

    def found(*kinds: type[BaseException]) -> bool:
        return any(isinstance(e, kinds) for e in chain)

    if found(ConnectionRefusedError):
        return TransportError(f"GET {url}: {host} refused the connection", url=url)
    if found(urllib3.exceptions.NameResolutionError, socket.gaierror):
        return TransportError(f"GET {url}: cannot resolve the host name {host}", url=url)
    if found(requests.exceptions.SSLError, urllib3.exceptions.SSLError, ssl.SSLError):
        return TransportError(f"GET {url}: TLS failure with {host}", url=url)
    # urllib3's NewConnectionError is a ConnectTimeoutError too, for history's sake: not a timeout.
    if found(requests.ConnectTimeout) or any(
        isinstance(e, urllib3.exceptions.ConnectTimeoutError)
        and not isinstance(e, urllib3.exceptions.NewConnectionError)
        for e in chain
    ):
        return TransportError(
            f"GET {url}: no connection to {host} within {timeout[0]:g} s", url=url, timeout=True
        )
    if found(requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError):
        return TransportError(
            f"GET {url}: {host} did not answer within {timeout[1]:g} s", url=url, timeout=True
        )
    if found(urllib3.exceptions.ProtocolError, requests.exceptions.ChunkedEncodingError):
        return TransportError(
            f"GET {url}: the connection to {host} broke before the whole answer arrived", url=url
        )
    if found(urllib3.exceptions.DecodeError, requests.exceptions.ContentDecodingError):
        return TransportError(f"GET {url}: the answer from {host} could not be decoded", url=url)
    return TransportError(f"GET {url}: the connection to {host} failed", url=url)


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception it wraps (causes, contexts, args, urllib3 reasons)."""
    found: list[BaseException] = []
    todo = [exc]
    while todo and len(found) < 32:
        e = todo.pop()
        if any(e is f for f in found):
            continue
        found.append(e)
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)
        todo.extend(a for a in e.args if isinstance(a, BaseException))
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
    return found
