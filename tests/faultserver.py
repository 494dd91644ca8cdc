"""A fault-injecting HTTP server on 127.0.0.1, for what the emulator does not do.

Each request is answered by a function of the recorded request (or by the next reply of a
script); a :class:`Reply` can stall, lie about its length, or close the connection mid-body.
Also: :class:`FakeTime`, a clock whose sleeps return at once, and :func:`refused_url`.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MESSAGES = {
    "messages": {
        "errors": [
            {
                "code": "InputData_Invalid",
                "title": "Invalid input data",
                "message": 'Invalid input data. Please check the documentation. ("%1")',
                "params": ["Scene"],
            }
        ],
        "warnings": [],
    }
}


@dataclass
class Reply:
    """One answer. ``body`` may be bytes or a JSON-able object."""

    status: int = 200
    body: Any = field(default_factory=lambda: MESSAGES)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/json"
    delay: float = 0.0
    """Seconds to wait before answering at all."""
    stall: float = 0.0
    """Send the headers and half the body, then wait this long before the rest."""
    announce: int | None = None
    """A Content-Length to announce instead of the real one (then the connection closes)."""
    chunked: bool = False

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


def error(status: int, code: str, message: str = "Something failed.", **headers: str) -> Reply:
    """A reply in the API's JSON error shape."""
    return Reply(status, {"error": {"code": code, "message": message}}, headers)


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    at: float
    peer: tuple[str, int]


Responder = Callable[[Recorded], Reply]


class FaultServer:
    """``with FaultServer(Reply(...), Reply(...)) as server: ... server.url ...``.

    Replies are used in order, the last one repeating; or pass ``respond=`` a function of the
    recorded request. ``requests`` lists what the server received.
    """

    def __init__(
        self, *replies: Reply, respond: Responder | None = None, host: str = "127.0.0.1"
    ) -> None:
        self._script = list(replies) or [Reply()]
        self._respond = respond
        self._lock = threading.Lock()
        self.requests: list[Recorded] = []
        self._server = ThreadingHTTPServer((host, 0), _Handler)
        self._server.daemon_threads = True
        self._server.fault = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply_to(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._respond is not None:
                return self._respond(request)
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        fault: FaultServer = self.server.fault  # type: ignore[attr-defined]
        recorded = Recorded(
            self.command,
            self.path,
            dict(self.headers.items()),
            time.monotonic(),
            self.client_address[:2],
        )
        reply = fault.reply_to(recorded)
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.encoded()
        head = [
            f"HTTP/1.1 {reply.status} {_phrase(reply.status)}",
            f"Date: {formatdate(usegmt=True)}",
        ]
        if reply.content_type:
            head.append(f"Content-Type: {reply.content_type}")
        if reply.chunked:
            head.append("Transfer-Encoding: chunked")
        else:
            length = reply.announce if reply.announce is not None else len(body)
            head.append(f"Content-Length: {length}")
        head += [f"{k}: {v}" for k, v in reply.headers.items()]
        if reply.announce is not None:
            head.append("Connection: close")
            self.close_connection = True
        raw_head = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        if reply.chunked:
            body = (
                b"".join(
                    f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in _parts(body, 65536)
                )
                + b"0\r\n\r\n"
            )
        try:
            if reply.stall:
                half = len(body) // 2
                self.wfile.write(raw_head + body[:half])
                time.sleep(reply.stall)
                self.wfile.write(body[half:])
            else:
                self.wfile.write(raw_head + body)
        except OSError:
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _parts(data: bytes, size: int) -> Iterable[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


class FakeTime:
    """A monotonic clock and a sleep that returns at once, moving the clock on by the wait."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.offset += seconds


def refused_url() -> str:
    """A loopback URL where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
