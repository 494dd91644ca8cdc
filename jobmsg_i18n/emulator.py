"""A local emulator of the v2 jobs APIs' job and job-messages endpoints, for demos, tests and UIs.

A real HTTP/1.1 server on loopback that speaks the contract of ``GET .../jobs/{id}`` and
``GET .../jobs/{id}/messages`` for the three APIs (``reality-analysis``, ``reality-modeling``,
``reality-conversion``), with a few sample jobs (:func:`sample_jobs`), and the API's errors:

* no or malformed ``Authorization: Bearer ...`` -> 401 ``HeaderNotFound`` (a wrong token, when
  the emulator was given one, -> 401 ``InvalidToken``);
* an ``Accept`` asking for another version than v2 -> 404 ``ResourceNotFound``;
* an unknown job -> 404 ``JobNotFound``; an unknown path -> 404 ``ResourceNotFound``;
* with ``rate_limit=N``, more than N requests in one second -> 429 ``RateLimitExceeded`` with
  ``Retry-After`` in (decimal) seconds until the next second starts;
* ``latency`` seconds of delay on every answer, standing in for the real API's round trip.

Start it from Python (``with Emulator() as emulator: ...emulator.base_url...``) or from the
command line (``jobmsg emulator``).
"""

from __future__ import annotations

import json
import logging
import math
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from jobmsg_i18n.models import JobMessage, JobMessages

__all__ = [
    "APIS",
    "FAILED_JOB_ID",
    "QUIET_JOB_ID",
    "SUCCEEDED_JOB_ID",
    "EmulatedJob",
    "Emulator",
    "sample_jobs",
]

logger = logging.getLogger("jobmsg_i18n.emulator")

APIS = ("reality-analysis", "reality-modeling", "reality-conversion")
SUCCEEDED_JOB_ID = "5f0c2b1e-8a4d-4c6e-9b1a-3d2e7f4a6c10"
FAILED_JOB_ID = "a3e9d4b7-1c2f-4e5a-8d6b-7f0e1a2b3c21"
QUIET_JOB_ID = "c81f6e2d-9b3a-4d7c-a5e4-0b1c2d3e4f32"

_INVALID_INPUT = ("InputData_Invalid", "Invalid input data")
_INVALID_INPUT_TEXT = 'Invalid input data. Please check the documentation. ("%1")'


@dataclass(frozen=True, slots=True)
class EmulatedJob:
    """A job the emulator knows: what ``GET .../jobs/{id}`` and ``.../messages`` answer."""

    id: str
    name: str
    messages: JobMessages
    state: str = "Success"
    type: str = "Full"
    created: str = "2026-05-04T09:12:00Z"
    started: str | None = "2026-05-04T09:14:31Z"
    ended: str | None = "2026-05-04T10:02:07Z"

    def job_document(self) -> dict[str, Any]:
        execution = {
            key: value
            for key, value in (("startedDateTime", self.started), ("endedDateTime", self.ended))
            if value
        }
        return {
            "job": {
                "id": self.id,
                "name": self.name,
                "type": self.type,
                "state": self.state,
                "iTwinId": "f3e2d1c0-b9a8-4765-9432-10fedcba9876",
                "createdDateTime": self.created,
                "executionInfo": execution,
            }
        }


def sample_jobs() -> tuple[EmulatedJob, ...]:
    """The emulator's sample jobs: with warnings, failed with messy params, without messages."""
    return (
        EmulatedJob(
            SUCCEEDED_JOB_ID,
            "Quarry survey, May",
            JobMessages(
                warnings=(
                    JobMessage(*_INVALID_INPUT, _INVALID_INPUT_TEXT, ("Scene",)),
                    JobMessage(
                        "Tiling_Adjusted",
                        "Tiling adjusted",
                        "Tile size %1 was too small for %2 photos; a larger size was used.",
                        ("16", "2041"),
                    ),
                )
            ),
        ),
        EmulatedJob(
            FAILED_JOB_ID,
            "Bridge inspection, pier 4",
            JobMessages(
                errors=(JobMessage(*_INVALID_INPUT, _INVALID_INPUT_TEXT, ("DJI_0385.JPG'.",)),),
                warnings=(
                    JobMessage(
                        "Photo_Blurred",
                        "Blurred photos",
                        "%1 photos are too blurred to be used and were left out.",
                        ("12",),
                    ),
                ),
            ),
            state="Failed",
            ended="2026-05-04T09:20:45Z",
        ),
        EmulatedJob(
            QUIET_JOB_ID,
            "Site model, weekly",
            JobMessages(),
            state="Active",
            created="2026-05-05T07:00:00Z",
            started="2026-05-05T07:01:12Z",
            ended=None,
        ),
    )


class _RateWindow:
    """At most ``limit`` requests per one-second window, shared by every connection."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._start = -math.inf
        self._count = 0

    def admit(self) -> float | None:
        """None when the request may go on, else the seconds until the next window."""
        with self._lock:
            now = time.monotonic()
            if now - self._start >= 1.0:
                self._start, self._count = now, 0
            if self._count < self.limit:
                self._count += 1
                return None
            return self._start + 1.0 - now


class Emulator:
    """The emulator, on ``host:port`` (port 0: a free one). ``base_url`` is where it listens.

    ``jobs`` replaces the sample jobs; ``token``, when given, is the only token accepted;
    ``log`` receives one access-log line per request.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        jobs: Iterable[EmulatedJob] | None = None,
        rate_limit: int | None = None,
        latency: float = 0.0,
        token: str | None = None,
        log: Callable[[str], object] | None = None,
    ) -> None:
        if rate_limit is not None and rate_limit < 1:
            raise ValueError("rate_limit must be at least 1 request per second")
        if latency < 0:
            raise ValueError("latency cannot be negative")
        self.jobs = {job.id: job for job in (sample_jobs() if jobs is None else jobs)}
        self._bodies = {
            job_id: (_encode(job.job_document()), _encode(job.messages.to_dict()))
            for job_id, job in self.jobs.items()
        }
        self.rate_limit = rate_limit
        self._window = _RateWindow(rate_limit) if rate_limit else None
        self.latency = latency
        self.token = token
        self.log = log
        self._counter_lock = threading.Lock()
        self.requests_served = 0
        self.rate_limited = 0
        self._server = _Server((host, port), _Handler, self)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def start(self) -> Emulator:
        """Serve in a background thread; returns at once."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="jobmsg-emulator", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`stop` or KeyboardInterrupt."""
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _count(self, status: int) -> None:
        with self._counter_lock:
            self.requests_served += 1
            if status == 429:
                self.rate_limited += 1

    def answer(self, method: str, path: str, headers: Any) -> tuple[int, bytes, dict[str, str]]:
        """Status, body and extra headers for one request."""
        if self.latency:
            time.sleep(self.latency)
        if method != "GET":
            return _error(405, "MethodNotAllowed", f"{method} is not served by the emulator.")
        authorization = headers.get("Authorization", "")
        match = re.fullmatch(r"Bearer[ ]+(\S+)", authorization.strip())
        if not match:
            return _error(
                401,
                "HeaderNotFound",
                "Header Authorization was not found in the request. Access denied.",
            )
        if self.token is not None and match.group(1) != self.token:
            return _error(401, "InvalidToken", "The access token is not valid or has expired.")
        if self._window is not None:
            wait = self._window.admit()
            if wait is not None:
                status, body, extra = _error(
                    429,
                    "RateLimitExceeded",
                    "The client sent more requests than allowed by this API for the current "
                    "tier of the client.",
                )
                extra["Retry-After"] = f"{math.ceil(wait * 1000) / 1000:.3f}"
                return status, body, extra
        version = re.search(r"vnd\.bentley\.itwin-platform\.v(\d+)", headers.get("Accept", ""))
        segments = urlsplit(path).path.split("/")
        route = len(segments) in (4, 5) and segments[0] == "" and segments[1] in APIS
        route = route and segments[2] == "jobs" and segments[-1:] != [""]
        if (version and version.group(1) != "2") or not route:
            return _error(
                404,
                "ResourceNotFound",
                "The requested resource was not found. Verify the API URL and the Accept header.",
                details=[{"code": "OperationNotFound", "message": "Operation not found."}],
            )
        if len(segments) == 5 and segments[4] != "messages":
            return _error(
                404,
                "ResourceNotFound",
                "The requested resource was not found. Verify the API URL and the Accept header.",
            )
        bodies = self._bodies.get(unquote(segments[3]))
        if bodies is None:
            return _error(404, "JobNotFound", "Requested job is not available.")
        return 200, bodies[1] if len(segments) == 5 else bodies[0], {}


def _encode(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _error(
    status: int, code: str, message: str, details: list[dict[str, str]] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return status, _encode({"error": error}), {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # bursts of new connections must not meet SYN retransmits

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], emulator: Emulator
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.emulator = emulator
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "jobmsg-emulator"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in one write; no Nagle delay against the client's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        emulator = self.server.emulator
        status, body, extra = emulator.answer(self.command, self.path, self.headers)
        if self.command != "GET":
            self.close_connection = True
        head = [
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
            "Content-Type: application/json; charset=utf-8",
            f"Content-Length: {len(body)}",
            f"Date: {formatdate(usegmt=True)}",
            f"Server: {self.server_version}",
            f"X-Correlation-Id: {uuid.uuid4()}",
            *(f"{name}: {value}" for name, value in extra.items()),
        ]
        if self.close_connection:
            head.append("Connection: close")
        emulator._count(status)
        self.log_request(status, len(body))
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        emulator = self.server.emulator
        line = f'{self.address_string()} "{self.requestline}" {code} {size}'
        if emulator.log is not None:
            emulator.log(line)
        logger.debug("%s", line)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s", format % args)
