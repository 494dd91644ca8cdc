"""Running ``jobmsg`` as a user would: a real process, its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_jobmsg(
    *args: str,
    token: str | None = None,
    stdin: bytes | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m jobmsg_i18n ARGS``; ``token`` is ``ITWIN_ACCESS_TOKEN`` (None: not set)."""
    env = {k: v for k, v in os.environ.items() if k != "ITWIN_ACCESS_TOKEN"}
    if token is not None:
        env["ITWIN_ACCESS_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "jobmsg_i18n", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=60,
    )
