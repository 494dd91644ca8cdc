"""Headless Chromium for the tests that check pages in a real browser."""

from __future__ import annotations

import shutil

CHROMIUM = next(
    (path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None
)
SKIP_REASON = "Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)"

# How this machine runs Chromium as root with no network: without the background-networking
# flags it keeps trying to reach Google's hosts.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
