"""JobsClient against real servers on 127.0.0.1: the emulator and a fault-injecting server."""

from __future__ import annotations

import logging
import traceback
from email.utils import formatdate

import pytest
import requests
from faultserver import MESSAGES, FakeTime, FaultServer, Recorded, Reply, error, refused_url

from jobmsg_i18n import (
    ApiError,
    AuthenticationError,
    InsecureTransportError,
    InvalidRequestError,
    InvalidResponseError,
    JobMessages,
    JobsClient,
    Localizer,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
)
from jobmsg_i18n.emulator import FAILED_JOB_ID, SUCCEEDED_JOB_ID, Emulator

TOKEN = "tok-3xq9-DISTINCTIVE-secret-7c1e"


def client_for(url: str, time: FakeTime | None = None, **options: object) -> JobsClient:
    time = time or FakeTime()
    options.setdefault("token", TOKEN)
    return JobsClient(base_url=url, clock=time.clock, sleep=time.sleep, **options)  # type: ignore[arg-type]


# -- the happy path and what every request carries ------------------------------------------------


def test_messages_and_job_from_the_emulator_for_each_api() -> None:
    with Emulator() as emulator:
        for api in ("reality-analysis", "reality-modeling", "reality-conversion"):
            with JobsClient(TOKEN, api=api, base_url=emulator.base_url) as client:
                messages = client.get_messages(FAILED_JOB_ID)
                job = client.get_job(FAILED_JOB_ID)
            assert messages.errors[0].code == "InputData_Invalid"
            assert messages.errors[0].params == ("DJI_0385.JPG'.",)
            assert (job.id, job.state, job.name) == (
                FAILED_JOB_ID,
                "Failed",
                "Bridge inspection, pier 4",
            )
            assert job.created is not None and job.ended is not None


def test_every_request_sends_bearer_accept_and_user_agent() -> None:
    with FaultServer() as server:
        client_for(server.url).get_messages("job-1")
    (request,) = server.requests
    assert request.path == "/reality-analysis/jobs/job-1/messages"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/vnd.bentley.itwin-platform.v2+json"
    assert request.headers["User-Agent"].startswith("jobmsg-i18n/")


def test_netrc_cannot_replace_the_token(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password other\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with FaultServer() as server, requests.Session() as session:
        assert session.trust_env
        client_for(server.url, session=session).get_messages("job-1")
    assert server.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_connections_are_reused() -> None:
    with FaultServer() as server:
        client = client_for(server.url)
        for _ in range(5):
            client.get_messages("job")
    assert len(server.requests) == 5
    assert len({r.peer for r in server.requests}) == 1  # one TCP connection served them all


@pytest.mark.parametrize(
    ("job_id", "path"),
    [
        ("../x", "/reality-analysis/jobs/..%2Fx/messages"),
        ("a/b", "/reality-analysis/jobs/a%2Fb/messages"),
        ("a?b#c", "/reality-analysis/jobs/a%3Fb%23c/messages"),
        ("été 1", "/reality-analysis/jobs/%C3%A9t%C3%A9%201/messages"),
    ],
)
def test_a_job_id_is_one_path_segment(job_id: str, path: str) -> None:
    with FaultServer() as server:
        client_for(server.url).get_messages(job_id)
    assert server.requests[0].path == path


@pytest.mark.parametrize("job_id", ["", ".", "..", " "])
def test_ids_that_are_no_segment_are_refused(job_id: str) -> None:
    with pytest.raises(ValueError, match="not a job id"):
        JobsClient(TOKEN).get_messages(job_id)


# -- errors by status ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "InvalidRealityAnalysisRequest", InvalidRequestError),
        (401, "HeaderNotFound", AuthenticationError),
        (403, "InsufficientPermissions", PermissionDeniedError),
        (404, "JobNotFound", NotFoundError),
        (404, "ResourceNotFound", NotFoundError),
        (409, "DetectorVersionExists", InvalidRequestError),
        (422, "InvalidRealityAnalysisRequest", InvalidRequestError),
        (418, "Teapot", ApiError),
        (500, "InternalError", ServerError),
    ],
)
def test_each_error_status_gives_its_class_and_is_not_retried(
    status: int, code: str, cls: type[ApiError]
) -> None:
    reply = error(status, code, "Said the server.", **{"X-Correlation-Id": "corr-42"})
    time = FakeTime()
    with FaultServer(reply) as server, pytest.raises(cls) as caught:
        client_for(server.url, time).get_messages("job")
    exc = caught.value
    assert type(exc) is cls
    assert (exc.status, exc.code, exc.message, exc.request_id) == (
        status,
        code,
        "Said the server.",
        "corr-42",
    )
    assert str(exc) == f"HTTP {status} {code}: Said the server. [request id corr-42]"
    assert len(server.requests) == 1 and time.sleeps == []


def test_error_details_and_target_are_kept() -> None:
    body = {
        "error": {
            "code": "InvalidRealityAnalysisRequest",
            "message": "Invalid request.",
            "target": "job",
            "details": [{"code": "InvalidValue", "message": "Bad value.", "target": "type"}],
        }
    }
    with FaultServer(Reply(422, body)) as server, pytest.raises(InvalidRequestError) as caught:
        client_for(server.url).get_messages("job")
    assert caught.value.target == "job"
    assert [(d.code, d.target) for d in caught.value.details] == [("InvalidValue", "type")]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_then_raised(status: int) -> None:
    time = FakeTime()
    with FaultServer(error(status, "Busy")) as server, pytest.raises(ServerError):
        client_for(server.url, time, max_retries=3).get_messages("job")
    assert len(server.requests) == 4
    assert len(time.sleeps) == 3
    # exponential backoff with jitter: each wait between half and all of 0.5 x 2^n
    for n, pause in enumerate(time.sleeps):
        assert 0.25 * 2**n <= pause <= 0.5 * 2**n


def test_a_503_then_a_200_succeeds() -> None:
    time = FakeTime()
    with FaultServer(error(503, "Busy"), Reply()) as server:
        messages = client_for(server.url, time).get_messages("job")
    assert messages == JobMessages.from_dict(MESSAGES)
    assert len(server.requests) == 2 and len(time.sleeps) == 1


def test_503_with_an_html_body_is_a_server_error_with_a_clean_excerpt() -> None:
    html = (
        b"<html><head><style>body{color:red}</style><title>503</title></head><body>\n"
        b"<h1>Service   Unavailable</h1>\n<p>The gateway\tis down.</p></body></html>"
    )
    reply = Reply(503, html, content_type="text/html")
    with FaultServer(reply) as server, pytest.raises(ServerError) as caught:
        client_for(server.url, max_retries=0).get_messages("job")
    exc = caught.value
    assert (exc.status, exc.code, exc.params) == (503, "ServerError", ("503",))
    assert "<" not in str(exc) and "\n" not in str(exc) and "color:red" not in str(exc)
    assert "503 Service Unavailable The gateway is down." in str(exc)
    localized = Localizer("en").localize_error(exc)
    assert "HTTP status 503" in localized.message
    assert Localizer("fr").localize_error(exc).translated


@pytest.mark.parametrize(
    ("status", "body", "cls", "code"),
    [
        (404, b"", NotFoundError, "NotFound"),
        (401, b"<html>nope</html>", AuthenticationError, "Unauthorized"),
        (403, b'{"error": {"code": "Insuff', PermissionDeniedError, "Forbidden"),
        (400, b'{"message": "not our shape"}', InvalidRequestError, "InvalidRequest"),
        (500, b"x" * 10_000, ServerError, "ServerError"),
    ],
)
def test_error_bodies_that_are_not_the_json_shape_still_give_the_class(
    status: int, body: bytes, cls: type[ApiError], code: str
) -> None:
    reply = Reply(status, body, content_type="text/plain")
    with FaultServer(reply) as server, pytest.raises(cls) as caught:
        client_for(server.url, max_retries=0).get_messages("job")
    assert caught.value.code == code
    assert len(str(caught.value)) < 300 and "\n" not in str(caught.value)


# -- 429 and Retry-After ------------------------------------------------------------------------


def rate_limited(retry_after: str | None) -> Reply:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return error(429, "RateLimitExceeded", "Too many.", **headers)


@pytest.mark.parametrize(("value", "wait"), [("3", 3.0), ("1.5", 1.5), ("0", 0.0)])
def test_429_then_200_waits_as_told(value: str, wait: float) -> None:
    time = FakeTime()
    with FaultServer(rate_limited(value), Reply()) as server:
        client_for(server.url, time).get_messages("job")
    assert len(server.requests) == 2
    assert time.sleeps == ([pytest.approx(wait, abs=0.05)] if wait else [])
    assert server.requests[1].at - server.requests[0].at < 1.0  # the wait was not really slept


def test_retry_after_date_against_the_date_header() -> None:
    import time as real

    stamp = int(real.time())
    reply = rate_limited(formatdate(stamp + 4, usegmt=True))
    time = FakeTime()
    with FaultServer(reply, Reply()) as server:
        # a local clock decades off: the wait counts from the answer's own Date header
        client_for(server.url, time, wall_clock=lambda: 0.0).get_messages("job")
    assert len(time.sleeps) == 1 and 2.0 <= time.sleeps[0] <= 4.0


@pytest.mark.parametrize("value", [None, "soon", "-3", "1e3", "Thu, 99 Foo 2026"])
def test_a_missing_or_unreadable_retry_after_falls_back_to_backoff(value: str | None) -> None:
    time = FakeTime()
    with FaultServer(rate_limited(value), Reply()) as server:
        client_for(server.url, time).get_messages("job")
    assert len(server.requests) == 2
    assert len(time.sleeps) == 1 and 0.25 <= time.sleeps[0] <= 0.5


def test_a_retry_after_beyond_max_retry_wait_raises_at_once_without_sleeping() -> None:
    time = FakeTime()
    with FaultServer(rate_limited("100000"), Reply()) as server:
        client = client_for(server.url, time)
        with pytest.raises(RateLimitError) as caught:
            client.get_messages("job")
        assert caught.value.retry_after == 100000
        assert "retry after 100000 s" in str(caught.value)
        assert time.sleeps == [] and len(server.requests) == 1
        # the budget is shared: another call of the same client does not hammer the server
        with pytest.raises(RateLimitError):
            client.get_messages("other")
        assert len(server.requests) == 1


def test_the_deadline_bounds_all_attempts_together() -> None:
    time = FakeTime()
    with FaultServer(rate_limited("4")) as server, pytest.raises(RateLimitError):
        client_for(server.url, time, deadline=10.0).get_messages("job")
    assert time.sleeps == [pytest.approx(4.0, abs=0.05)] * 2
    assert len(server.requests) == 3


def test_429_without_retry_after_counts_against_max_retries() -> None:
    time = FakeTime()
    with FaultServer(rate_limited(None)) as server, pytest.raises(RateLimitError) as caught:
        client_for(server.url, time, max_retries=2).get_messages("job")
    assert caught.value.retry_after is None
    assert len(server.requests) == 3


# -- 200 answers that are not job messages ------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(200, b"{not json"), "not JSON"),
        (Reply(200, b'{"messages": {"errors": [{"code": "A", "tit'), "not JSON"),
        (Reply(200, b'{"jobs": []}'), "not job messages"),
        (Reply(200, b"[1, 2]"), "expected a JSON object"),
        (
            Reply(200, b"<html>login</html>", content_type="text/html"),
            "expected JSON, got text/html",
        ),
    ],
)
def test_a_200_that_is_not_job_messages_is_an_invalid_response(reply: Reply, words: str) -> None:
    with FaultServer(reply) as server, pytest.raises(InvalidResponseError) as caught:
        client_for(server.url).get_messages("job")
    assert words in str(caught.value)
    assert len(server.requests) == 1


def test_a_vendor_json_content_type_and_none_at_all_are_accepted() -> None:
    replies = (
        Reply(content_type="application/vnd.bentley.itwin-platform.v2+json; charset=utf-8"),
        Reply(content_type=None),
    )
    with FaultServer(*replies) as server:
        client = client_for(server.url)
        assert len(client.get_messages("a")) == 1
        assert len(client.get_messages("b")) == 1


def test_an_oversized_body_is_refused_by_its_length() -> None:
    big = {"messages": {"errors": [], "warnings": [], "pad": "x" * 5000}}
    with FaultServer(Reply(200, big)) as server, pytest.raises(InvalidResponseError) as caught:
        client_for(server.url, max_body_size=4096).get_messages("job")
    assert "too large" in str(caught.value)


def test_an_oversized_chunked_body_is_refused_while_reading() -> None:
    big = b'{"messages": {"errors": [], "warnings": [], "pad": "' + b"x" * 300_000 + b'"}}'
    with FaultServer(Reply(200, big, chunked=True)) as server:
        with pytest.raises(InvalidResponseError, match="too large"):
            client_for(server.url, max_body_size=100_000).get_messages("job")
        # under the cap the same body reads fine
        assert client_for(server.url).get_messages("job") == JobMessages()


def test_a_body_cut_short_of_its_content_length_is_retried_then_a_transport_error() -> None:
    reply = Reply(200, b'{"messages": {"err', announce=500)
    time = FakeTime()
    with FaultServer(reply) as server, pytest.raises(TransportError) as caught:
        client_for(server.url, time, max_retries=1).get_messages("job")
    assert "broke before the whole answer arrived" in str(caught.value)
    assert caught.value.code == "ConnectionFailed"
    assert len(server.requests) == 2


# -- transport ----------------------------------------------------------------------------------


def test_an_answer_that_never_comes_times_out() -> None:
    with FaultServer(Reply(delay=2.0)) as server, pytest.raises(TransportError) as caught:
        client_for(server.url, timeout=0.2, max_retries=0).get_messages("job")
    assert caught.value.timeout and caught.value.code == "Timeout"
    assert "did not answer within 0.2 s" in str(caught.value)


def test_a_body_that_stalls_past_the_timeout_times_out() -> None:
    body = {"messages": {"errors": [], "warnings": [], "pad": "x" * 1000}}
    with (
        FaultServer(Reply(200, body, stall=2.0)) as server,
        pytest.raises(TransportError) as caught,
    ):
        client_for(server.url, timeout=0.2, max_retries=0).get_messages("job")
    assert caught.value.code == "Timeout"


def test_connection_refused_is_retried_then_a_transport_error() -> None:
    time = FakeTime()
    with pytest.raises(TransportError) as caught:
        client_for(refused_url(), time, max_retries=2).get_messages("job")
    assert caught.value.code == "ConnectionFailed" and not caught.value.timeout
    assert "refused the connection" in str(caught.value)
    assert len(time.sleeps) == 2
    assert Localizer("de").localize_error(caught.value).translated


# -- security -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://10.0.0.1:8080",
        "http://api.bentley.com",
        "http://127.0.0.1.nip.io",
    ],
)
def test_a_token_is_never_sent_over_plain_http_to_a_remote_host(url: str) -> None:
    with pytest.raises(InsecureTransportError, match="plain http"):
        JobsClient(TOKEN, base_url=url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1",
        "http://127.8.9.10",
        "http://localhost:8080",
        "http://[::1]:9",
        "https://example.com",
    ],
)
def test_loopback_http_and_https_anywhere_are_accepted(url: str) -> None:
    assert JobsClient(TOKEN, base_url=url).base_url == url


def test_a_cross_host_redirect_never_carries_the_token() -> None:
    with FaultServer() as other:
        target = f"http://localhost:{other.port}/elsewhere"
        with FaultServer(Reply(302, b"", {"Location": target})) as first:
            messages = client_for(first.url).get_messages("job")
    assert len(messages) == 1
    assert first.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in other.requests[0].headers
    assert other.requests[0].path == "/elsewhere"


def test_a_redirect_to_another_port_never_carries_the_token() -> None:
    with (
        FaultServer() as other,
        FaultServer(Reply(307, b"", {"Location": f"{other.url}/x"})) as first,
    ):
        client_for(first.url).get_messages("job")
    assert "Authorization" not in other.requests[0].headers


def test_a_same_origin_redirect_keeps_the_token() -> None:
    with FaultServer(Reply(301, b"", {"Location": "/moved"}), Reply()) as server:
        client_for(server.url).get_messages("job")
    assert [r.path for r in server.requests] == ["/reality-analysis/jobs/job/messages", "/moved"]
    assert server.requests[1].headers["Authorization"] == f"Bearer {TOKEN}"


def test_endless_redirects_stop() -> None:
    reply = Reply(302, b"", {"Location": "/again"})
    with FaultServer(reply) as server, pytest.raises(InvalidResponseError, match="redirects"):
        client_for(server.url).get_messages("job")
    assert len(server.requests) == 6


def test_a_callable_token_is_refreshed_once_after_a_401() -> None:
    tokens = iter(["stale-token", "fresh-token", "never-asked"])
    calls: list[str] = []

    def token() -> str:
        calls.append("call")
        return next(tokens)

    def respond(request: Recorded) -> Reply:
        if request.headers.get("Authorization") == "Bearer fresh-token":
            return Reply()
        return error(401, "InvalidToken", "Expired.")

    with FaultServer(respond=respond) as server:
        client = client_for(server.url, token=token)
        client.get_messages("a")
        client.get_messages("b")
    assert len(calls) == 2
    assert [r.headers["Authorization"] for r in server.requests] == [
        "Bearer stale-token",
        "Bearer fresh-token",
        "Bearer fresh-token",
    ]


def test_a_401_after_the_refresh_is_an_authentication_error() -> None:
    with FaultServer(error(401, "InvalidToken")) as server, pytest.raises(AuthenticationError):
        client_for(server.url, token=lambda: "always-bad").get_messages("a")
    assert len(server.requests) == 2


def test_a_fixed_token_is_not_retried_after_a_401() -> None:
    with FaultServer(error(401, "HeaderNotFound")) as server, pytest.raises(AuthenticationError):
        client_for(server.url).get_messages("a")
    assert len(server.requests) == 1


@pytest.mark.parametrize("token", ["", "  ", "two words", "new\nline", "tab\there", "ünïcode"])
def test_a_token_that_cannot_be_a_header_is_refused_without_echoing_it(token: str) -> None:
    with pytest.raises(ValueError) as caught:
        JobsClient(token)
    assert token.strip() == "" or token not in str(caught.value)


def test_a_bearer_prefix_and_surrounding_space_are_tolerated() -> None:
    with FaultServer() as server:
        client_for(server.url, token=f"  Bearer {TOKEN}\n").get_messages("a")
    assert server.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"


def echo_authorization(request: Recorded) -> Reply:
    echoed = request.headers.get("Authorization", "")
    return Reply(
        400, f"<pre>Bad request: Authorization: {echoed}</pre>".encode(), content_type="text/html"
    )


FAILURES = [
    ("401", lambda: error(401, "HeaderNotFound")),
    ("403", lambda: error(403, "InsufficientPermissions")),
    ("404", lambda: error(404, "JobNotFound")),
    ("429", lambda: error(429, "RateLimitExceeded", **{"Retry-After": "100000"})),
    ("503 html", lambda: Reply(503, b"<h1>down</h1>", content_type="text/html")),
    ("bad json", lambda: Reply(200, b"{oops")),
    ("html 200", lambda: Reply(200, b"<html/>", content_type="text/html")),
    ("too large", lambda: Reply(200, b"x" * 5000)),
    ("timeout", lambda: Reply(delay=1.0)),
    ("cut short", lambda: Reply(200, b"{", announce=99)),
]


@pytest.mark.parametrize(("name", "make"), FAILURES, ids=[name for name, _ in FAILURES])
def test_the_token_never_shows_in_errors_tracebacks_or_debug_logs(
    name: str, make: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    time = FakeTime()
    with FaultServer(make()) as server:  # type: ignore[operator]
        client = client_for(server.url, time, timeout=0.2, max_retries=1, max_body_size=1000)
        with pytest.raises(Exception) as caught:
            client.get_messages("job")
    exc = caught.value
    shown = [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(exc)),
        caplog.text,
        repr(client),
    ]
    for text in shown:
        assert TOKEN not in text
    assert "GET http://127.0.0.1" in caplog.text


def test_a_token_echoed_by_a_proxy_is_cut_from_the_error() -> None:
    with (
        FaultServer(respond=echo_authorization) as server,
        pytest.raises(InvalidRequestError) as caught,
    ):
        client_for(server.url).get_messages("job")
    assert TOKEN not in str(caught.value) and "[token]" in str(caught.value)


def test_a_successful_body_is_never_rewritten() -> None:
    # Redaction is for error text only: a 200 body that happens to hold the token's characters
    # (a short token such as "t") must reach the parser as it was sent.
    body = {"errors": [{"code": "t", "title": "tt", "message": "t %1", "params": ["t"]}]}
    with FaultServer(Reply(200, body)) as server:
        messages = client_for(server.url, token="t").get_messages("job")
    assert messages.errors[0].to_dict() == body["errors"][0]


def test_refused_connection_and_redirect_leak_no_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TransportError) as caught:
        client_for(refused_url(), max_retries=1).get_messages("job")
    assert TOKEN not in "".join(traceback.format_exception(caught.value)) + caplog.text
    with (
        FaultServer() as other,
        FaultServer(Reply(302, b"", {"Location": f"http://localhost:{other.port}/"})) as s,
    ):
        client_for(s.url).get_messages("job")
    assert TOKEN not in caplog.text and "no token sent" in caplog.text


def test_debug_logging_shows_method_url_status_attempt_and_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="jobmsg_i18n")
    time = FakeTime()
    with FaultServer(error(503, "Busy", **{"Retry-After": "2"}), Reply()) as server:
        client_for(server.url, time).get_messages("job")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("jobmsg_i18n")]
    assert any(
        line.startswith(f"GET {server.url}/reality-analysis/jobs/job/messages -> 503")
        for line in lines
    )
    assert any("waiting 2.000 s before attempt 2" in line for line in lines)
    assert any("-> 200" in line for line in lines)


def test_the_client_says_nothing_of_its_token_in_repr() -> None:
    client = JobsClient(lambda: TOKEN)
    assert TOKEN not in repr(client) and TOKEN not in repr(vars(client))


def test_job_and_client_are_exported_lazily() -> None:
    import jobmsg_i18n
    from jobmsg_i18n import client

    assert jobmsg_i18n.JobsClient is client.JobsClient
    assert jobmsg_i18n.FetchResult is client.FetchResult
    with pytest.raises(AttributeError):
        jobmsg_i18n.NoSuchThing  # noqa: B018


def test_the_emulator_answers_the_succeeded_job() -> None:
    with Emulator() as emulator:
        messages = JobsClient(TOKEN, base_url=emulator.base_url).get_messages(SUCCEEDED_JOB_ID)
    assert messages.errors == () and len(messages.warnings) == 2
    assert messages.warnings[1].params == ("16", "2041")


def test_a_server_that_keeps_saying_retry_now_is_not_hammered() -> None:
    time = FakeTime()
    with FaultServer(rate_limited("0")) as server, pytest.raises(RateLimitError):
        client_for(server.url, time, deadline=3.0).get_messages("job")
    assert time.sleeps[:3] == [pytest.approx(w, abs=0.01) for w in (0.05, 0.1, 0.15)]
    assert len(server.requests) < 15
