"""The web example end to end: the app on loopback against the emulator, read by a real browser.

A headless Chromium with ``--lang=fr`` and with Arabic must show the French page and the
right-to-left Arabic page, checked through the DOM it built: language, direction, a translated
title, and a param holding a script shown as text and never run. The same page is also checked
through Flask's test client, which needs no browser.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import pytest
from browser import CHROMIUM, FLAGS, SKIP_REASON
from werkzeug.serving import make_server

from jobmsg_i18n import JobMessage, JobMessages, JobsClient, Localizer
from jobmsg_i18n.emulator import FAILED_JOB_ID, EmulatedJob, Emulator, sample_jobs

APP = Path(__file__).resolve().parent.parent / "examples" / "web" / "app.py"
SCRIPT = "<script>document.title='pwned';document.documentElement.dataset.pwned='1'</script>"
EVIL_NAME = "<img src=x onerror=\"document.title='pwned'\"> Survey"
EVIL_JOB = EmulatedJob(
    "e0f1a2b3-0000-4000-8000-000000000bad",
    EVIL_NAME,
    JobMessages(
        errors=(
            JobMessage(
                "InputData_Invalid",
                "Invalid input data",
                'Invalid input data. Please check the documentation. ("%1")',
                (SCRIPT,),
            ),
        )
    ),
    state="Failed",
)
JOBS = (*sample_jobs(), EVIL_JOB)
MISSING_JOB = "00000000-0000-4000-8000-000000000000"
INVALID_INPUT = JOBS[0].messages.warnings[0]


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("jobmsg_web_example", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class Site(NamedTuple):
    url: str
    app: Any


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    example = load_example()
    with Emulator(jobs=JOBS) as emulator:
        client = JobsClient("emulator-token", base_url=emulator.base_url)
        app = example.create_app(client, [job.id for job in JOBS] + [MISSING_JOB])
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Site(f"http://127.0.0.1:{server.port}/", app)
        finally:
            server.shutdown()
            thread.join(10)
            client.close()


class Dom(HTMLParser):
    """What the checks need of a page: the root's attributes, elements, texts, the title."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict[str, str | None] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.params: list[str] = []
        self.title = ""
        self._open: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.root = attributes
        self.tags.append((tag, attributes))
        if tag not in ("meta", "link", "br", "img", "input"):
            self._open.append(tag if attributes.get("class") != "param" else "param")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._open and self._open[-1] == "title":
            self.title += data
        if self._open and self._open[-1] == "param":
            self.params.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def check_page(dom: Dom, locale: str, direction: str, page_title: str) -> None:
    assert (dom.root.get("lang"), dom.root.get("dir")) == (locale, direction)
    assert "data-pwned" not in dom.root
    assert dom.title == page_title
    # A translated message title and message, from the shipped catalog of that language.
    translated = Localizer(locale, isolate_params=False).localize_message(INVALID_INPUT)
    assert translated.translated and translated.title != INVALID_INPUT.title
    assert translated.title in dom.text
    assert translated.message in dom.text
    # The script and the markup from the server are text on the page, not elements.
    assert dom.count("script") == 0 and dom.count("img") == 0
    assert SCRIPT in dom.params and EVIL_NAME in dom.text
    assert "\u2068" not in dom.text  # HTML isolates with <bdi>, not with FSI/PDI


# --- through Flask's test client -----------------------------------------------------------------


def get(site: Site, path: str = "/", **headers: str) -> tuple[Any, Dom]:
    response = site.app.test_client().get(path, headers=headers)
    assert response.status_code == 200
    return response, Dom(response.get_data(as_text=True))


def test_the_page_is_in_the_language_the_browser_asks_for(site: Site) -> None:
    response, dom = get(site, **{"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"})
    check_page(dom, "fr", "ltr", "Messages des tâches")
    assert response.headers["Content-Language"] == "fr"
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    assert "script-src" not in response.headers["Content-Security-Policy"]  # none at all


def test_arabic_is_right_to_left_with_isolated_params(site: Site) -> None:
    _, dom = get(site, **{"Accept-Language": "ar-EG,ar;q=0.9"})
    check_page(dom, "ar", "rtl", "رسائل المهام")
    assert "DJI_0385.JPG'." in dom.params
    # A message with no Arabic text is marked as English, left to right, inside the Arabic page.
    english = [attrs for tag, attrs in dom.tags if tag == "li" and attrs.get("lang") == "en"]
    assert english and all(attrs.get("dir") == "ltr" for attrs in english)


def test_a_picked_language_wins_and_is_remembered(site: Site) -> None:
    client = site.app.test_client()
    picked = client.get("/?lang=ja", headers={"Accept-Language": "fr"})
    assert Dom(picked.get_data(as_text=True)).root.get("lang") == "ja"
    assert "lang=ja" in picked.headers["Set-Cookie"]
    later = client.get("/", headers={"Accept-Language": "fr"})
    assert Dom(later.get_data(as_text=True)).root.get("lang") == "ja"


def test_a_nonsense_pick_falls_back_to_the_browsers_language(site: Site) -> None:
    _, dom = get(site, "/?lang=%3Cscript%3E", **{"Accept-Language": "de-AT"})
    assert dom.root.get("lang") == "de"


def test_the_language_switcher_names_each_language_in_itself(site: Site) -> None:
    _, dom = get(site)
    links = {attrs.get("href"): attrs.get("lang") for tag, attrs in dom.tags if tag == "a"}
    assert links["?lang=fr"] == "fr" and links["?lang=zh_Hant"] == "zh-Hant"
    assert {"Français", "العربية", "中文 (繁體)", "Deutsch"} <= set(dom.texts)


def test_a_job_that_cannot_be_fetched_shows_the_localized_error(site: Site) -> None:
    _, dom = get(site, **{"Accept-Language": "de"})
    error = Localizer("de").localize_error("JobNotFound", "Requested job is not available.")
    assert error.translated and error.title in dom.text


def test_dates_are_written_for_the_reader(site: Site) -> None:
    _, dom = get(site, **{"Accept-Language": "fr"})
    assert "4 mai 2026" in dom.text
    _, dom = get(site, **{"Accept-Language": "de"})
    assert "04.05.2026" in dom.text


def test_the_failed_job_shows_its_messy_param_escaped(site: Site) -> None:
    response, dom = get(site, **{"Accept-Language": "en"})
    assert "DJI_0385.JPG&#39;." in response.get_data(as_text=True)
    assert any(attrs.get("data-job") == FAILED_JOB_ID for _, attrs in dom.tags)


# --- through a real browser ----------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON)


def chromium(url: str, lang: str, accept: str, tmp_path: Path, *extra: str) -> str:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{lang}"
    command = [
        CHROMIUM,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--lang={lang}",
        # Headless Chromium on Linux sends its Accept-Language from this switch, not from --lang.
        f"--accept-lang={accept}",
        *extra,
        url,
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=90,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.slow
@needs_chromium
def test_chromium_in_french_shows_the_french_page(site: Site, tmp_path: Path) -> None:
    dom = Dom(chromium(site.url, "fr", "fr-FR,fr", tmp_path, "--dump-dom"))
    check_page(dom, "fr", "ltr", "Messages des tâches")


@pytest.mark.slow
@needs_chromium
def test_chromium_in_arabic_shows_the_right_to_left_page(site: Site, tmp_path: Path) -> None:
    dom = Dom(chromium(site.url, "ar", "ar-EG,ar", tmp_path, "--dump-dom"))
    check_page(dom, "ar", "rtl", "رسائل المهام")
    screenshot = tmp_path / "arabic.png"
    chromium(
        site.url, "ar", "ar-EG,ar", tmp_path, f"--screenshot={screenshot}", "--window-size=1000,900"
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
