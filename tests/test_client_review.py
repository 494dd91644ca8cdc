"""Review findings of the HTTP client, each against a real server on 127.0.0.1."""

from __future__ import annotations

import gc
import gzip
import socket
import threading
import time
import types

import pytest
import requests
from faultserver import FaultServer, Recorded, Reply, refused_url

from jobmsg_i18n import InvalidResponseError, JobsClient, ServerError, TransportError

TOKEN = "tok-review-DISTINCTIVE-4b7d"

# Objects whose contents are not the exception's: code, modules, and the frames of the
# traceback (whose locals legitimately hold the token while the call runs).
_NOT_HELD = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    types.FrameType,
    types.TracebackType,
)


def holders_of_the_token(root: object) -> list[str]:
    """Paths from ``root`` to every string or bytes holding TOKEN, outside tracebacks."""
    seen: set[int] = set()
    todo: list[tuple[object, str]] = [(root, type(root).__name__)]
    found: list[str] = []
    while todo:
        obj, path = todo.pop()
        if id(obj) in seen or isinstance(obj, _NOT_HELD):
            continue
        seen.add(id(obj))
        if isinstance(obj, str | bytes | bytearray):
            needle = TOKEN if isinstance(obj, str) else TOKEN.encode()
            if needle in obj:  # type: ignore[operator]
                found.append(path)
            continue
        todo.extend((ref, f"{path}>{type(ref).__name__}") for ref in gc.get_referents(obj))
    return found


@pytest.mark.parametrize("where", ["refused", "timeout"])
def test_a_transport_errors_chain_holds_no_request_with_the_token(where: str) -> None:
    with FaultServer(Reply(delay=1.0)) as server:
        url = refused_url() if where == "refused" else server.url
        client = JobsClient(TOKEN, base_url=url, timeout=0.2, max_retries=0)
        with pytest.raises(TransportError) as caught:
            client.get_messages("job")
    exc = caught.value
    assert exc.__cause__ is not None  # the cause is kept, for --debug; only the request goes
    assert holders_of_the_token(exc) == []


def test_a_200_of_another_type_that_echoes_the_token_does_not_show_it() -> None:
    def echo(request: Recorded) -> Reply:
        echoed = request.headers.get("Authorization", "")
        return Reply(200, f"Authorization: {echoed}".encode(), content_type="text/plain")

    with FaultServer(respond=echo) as server, pytest.raises(InvalidResponseError) as caught:
        JobsClient(TOKEN, base_url=server.url).get_messages("job")
    assert "expected JSON, got text/plain" in str(caught.value)
    assert TOKEN not in str(caught.value) and "[token]" in str(caught.value)


def test_plain_http_to_loopback_never_goes_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A caller's session trusts the environment; a proxy (anywhere) would get the token in clear.
    with FaultServer() as proxy, FaultServer() as server, requests.Session() as session:
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("ALL_PROXY", proxy.url)
        JobsClient(TOKEN, base_url=server.url, session=session).get_messages("a")
        session.proxies = {"http": proxy.url, "all": proxy.url}
        JobsClient(TOKEN, base_url=server.url, session=session).get_messages("b")
    assert proxy.requests == []
    assert [r.headers["Authorization"] for r in server.requests] == [f"Bearer {TOKEN}"] * 2


def test_a_compressed_body_too_large_once_decoded_does_not_claim_a_size_under_the_cap() -> None:
    body = b'{"messages": {"errors": [], "warnings": [], "pad": "' + b"x" * 400_000 + b'"}}'
    packed = gzip.compress(body)
    reply = Reply(200, packed, headers={"Content-Encoding": "gzip"})
    with FaultServer(reply) as server, pytest.raises(InvalidResponseError) as caught:
        JobsClient(TOKEN, base_url=server.url, max_body_size=100_000).get_messages("job")
    assert "too large" in str(caught.value)
    assert f"{len(packed)} bytes" not in str(caught.value)


def test_headers_dripped_a_byte_at_a_time_do_not_outlive_the_deadline() -> None:
    # Each recv returns within the read timeout, so only the deadline can end this exchange.
    stop = threading.Event()
    with socket.create_server(("127.0.0.1", 0)) as listener:

        def drip() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                for _ in range(60):  # 3 s of drip: well past the deadline, and then it ends
                    if stop.wait(0.05):
                        return
                    try:
                        conn.sendall(b"X")
                    except OSError:
                        return

        thread = threading.Thread(target=drip, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        client = JobsClient(TOKEN, base_url=url, timeout=0.5, deadline=1.0, max_retries=0)
        started = time.monotonic()
        try:
            with pytest.raises(TransportError) as caught:
                client.get_messages("job")
        finally:
            stop.set()
            thread.join(5)
    assert time.monotonic() - started < 2.0
    assert caught.value.timeout and "deadline of 1 s passed" in str(caught.value)


@pytest.mark.parametrize("filler", [b"<", b"<script", b"<style "])
def test_an_error_page_of_unclosed_tags_is_excerpted_in_linear_time(filler: bytes) -> None:
    body = filler * (60_000 // len(filler))
    reply = Reply(503, body, content_type="text/html")
    with FaultServer(reply) as server:
        client = JobsClient(TOKEN, base_url=server.url, max_retries=0)
        started = time.monotonic()
        with pytest.raises(ServerError) as caught:
            client.get_messages("job")
        elapsed = time.monotonic() - started
    assert elapsed < 0.5  # the quadratic regexes took seconds of CPU here
    assert len(str(caught.value)) < 300


def test_script_and_style_are_still_cut_from_an_error_excerpt() -> None:
    body = b"<SCRIPT>var t = 1;</script >Gateway<style>p{}</STYLE> down <b>now</b><script>x"
    with (
        FaultServer(Reply(502, body, content_type="text/html")) as server,
        pytest.raises(ServerError) as caught,
    ):
        JobsClient(TOKEN, base_url=server.url, max_retries=0).get_messages("job")
    assert "Gateway down now" in str(caught.value)
    assert "var t" not in str(caught.value) and "p{}" not in str(caught.value)
    assert "x" not in str(caught.value).split("Gateway down now")[1]


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://127.0.0.1:abc"])
def test_a_base_url_with_a_bad_port_is_refused_when_the_client_is_made(url: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        JobsClient(TOKEN, base_url=url)


@pytest.mark.parametrize("location", ["http://[::1/x", "http://127.0.0.1:99999/x"])
def test_a_malformed_redirect_fails_its_job_only(location: str) -> None:
    def respond(request: Recorded) -> Reply:
        if "/bad/" in request.path:
            return Reply(302, b"", {"Location": location})
        return Reply()

    with FaultServer(respond=respond) as server:
        client = JobsClient(TOKEN, base_url=server.url, max_retries=0)
        results = list(client.fetch_many(["ok-1", "bad", "ok-2"]))
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, InvalidResponseError)
