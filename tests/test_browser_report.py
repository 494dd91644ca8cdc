"""The HTML report in a real headless Chromium, driven through the DevTools protocol.

For several locales, Arabic among them: the page loads with no console error (a blocked fetch, a
CSP violation, a script error would all log one), no script exists or ran (the param
``<script>alert(1)</script>`` is text in the DOM, and no dialog opened), the document direction
is right to left for Arabic with the table laid out from the right, and a screenshot is taken.
Set ``JOBMSG_SCREENSHOT_DIR`` to keep the screenshots.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, SKIP_REASON
from browser import FLAGS as CHROMIUM_FLAGS

from jobmsg_i18n import Job, JobMessage, JobMessages, JobReport, NotFoundError, render_report

pytestmark = pytest.mark.slow

websocket = pytest.importorskip("websocket", reason="websocket-client is a dev dependency")

BROWSER = CHROMIUM
SCRIPT = "<script>alert(1)</script>"
FLAGS = [*CHROMIUM_FLAGS, "--remote-debugging-port=0"]


class DevTools:
    """Just enough of the Chrome DevTools protocol: calls, and the events seen meanwhile."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=15, suppress_origin=True)
        self.events: list[dict[str, Any]] = []
        self._id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        self.socket.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self._id:
                assert "error" not in message, message
                return message.get("result", {})  # type: ignore[no-any-return]
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            self.events.append(message)
            if message.get("method") == method:
                return message
        raise TimeoutError(method)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"]["value"]

    def close(self) -> None:
        self.socket.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A headless Chromium; yields the address of its DevTools HTTP endpoint."""
    if BROWSER is None:
        pytest.skip(SKIP_REASON)
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 30
        endpoint = None
        while time.monotonic() < deadline and endpoint is None:
            line = process.stderr.readline()
            if not line and process.poll() is not None:
                break
            if line.startswith("DevTools listening on ws://"):
                endpoint = "http://" + line.split("ws://", 1)[1].split("/", 1)[0]
        if endpoint is None:
            pytest.skip(f"Chromium did not start (exit code {process.poll()})")
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def open_page(endpoint: str) -> DevTools:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    request = urllib.request.Request(f"{endpoint}/json/new?about:blank", method="PUT")
    with opener.open(request, timeout=15) as response:
        target = json.load(response)
    page = DevTools(target["webSocketDebuggerUrl"])
    for domain in ("Page", "Runtime", "Log"):
        page.call(f"{domain}.enable")
    page.call(
        "Emulation.setDeviceMetricsOverride",
        width=1200,
        height=1000,
        deviceScaleFactor=1,
        mobile=False,
    )
    return page


def report_jobs() -> list[JobReport]:
    details = Job(
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "Quarry north",
        "Reconstruction",
        "Failed",
        datetime(2026, 5, 4, 9, 12, tzinfo=UTC),
        datetime(2026, 5, 4, 9, 15, tzinfo=UTC),
        datetime(2026, 5, 4, 11, 2, tzinfo=UTC),
    )
    messages = JobMessages(
        (
            JobMessage(
                "InputData_Invalid",
                "Invalid input data",
                'Invalid input data. Please check the documentation. ("%1")',
                (SCRIPT,),
            ),
            JobMessage(
                "InputData_Invalid", "Invalid input data", "Invalid (%1)", ("DJI_0385.JPG",)
            ),
        ),
        (
            JobMessage(
                "Tiling_Adjusted",
                "Tiling adjusted",
                "Tile size %1 was too small for %2 photos; a larger size was used.",
                ("a|b*c", "2041"),
            ),
        ),
    )
    missing = NotFoundError(404, "JobNotFound", "Requested job is not available.")
    return [JobReport(details.id, details, messages), JobReport("no-such-job", error=missing)]


PROBE = """JSON.stringify({
  lang: document.documentElement.lang,
  dir: document.documentElement.dir,
  direction: getComputedStyle(document.body).direction,
  scripts: document.scripts.length,
  params: [...document.querySelectorAll("bdi.param")].map((e) => e.textContent),
  headings: [...document.querySelectorAll("table.messages th")].map((e) => {
    const box = e.getBoundingClientRect();
    return [e.textContent, box.left, box.right];
  }),
  width: document.documentElement.scrollWidth,
})"""


@pytest.mark.parametrize(
    ("locale", "direction"), [("ar", "rtl"), ("en", "ltr"), ("ja", "ltr"), ("pl", "ltr")]
)
def test_the_report_in_chromium(browser: str, tmp_path: Path, locale: str, direction: str) -> None:
    page_file = tmp_path / f"report-{locale}.html"
    page_file.write_text(
        render_report(report_jobs(), locale, "html", generated=datetime(2026, 12, 4, tzinfo=UTC)),
        encoding="utf-8",
    )
    page = open_page(browser)
    try:
        page.call("Page.navigate", url=page_file.as_uri())
        page.wait_for("Page.loadEventFired")
        state = json.loads(page.evaluate(PROBE))
        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        png = base64.b64decode(shot["data"])
        problems = [
            event
            for event in page.events
            if event.get("method") in ("Runtime.exceptionThrown", "Page.javascriptDialogOpening")
            or (
                event.get("method") == "Runtime.consoleAPICalled"
                and event["params"]["type"] in ("error", "assert")
            )
            or (
                event.get("method") == "Log.entryAdded"
                and event["params"]["entry"]["level"] == "error"
            )
        ]
    finally:
        page.close()

    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    (tmp_path / f"report-{locale}.png").write_bytes(png)
    keep = os.environ.get("JOBMSG_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / f"report-{locale}.png").write_bytes(png)

    assert problems == []
    assert state["scripts"] == 0
    assert SCRIPT in state["params"] and "a|b*c" in state["params"]
    assert state["lang"] == locale
    assert state["dir"] == direction and state["direction"] == direction
    assert state["width"] <= 1200  # nothing overflows the page sideways
    (_, first_left, first_right), *_, (_, last_left, last_right) = state["headings"]
    if direction == "rtl":
        assert first_left > last_right  # the severity column is on the right
    else:
        assert first_right < last_left
