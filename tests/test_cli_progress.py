"""The progress bar of the commands that fetch many jobs: shown on a terminal, never in a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator

import pytest
from cli import run_jobmsg

from jobmsg_i18n.emulator import FAILED_JOB_ID, QUIET_JOB_ID, SUCCEEDED_JOB_ID, Emulator

JOBS = [SUCCEEDED_JOB_ID, FAILED_JOB_ID, QUIET_JOB_ID]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with Emulator() as emulator:
        yield emulator.base_url


def stderr_on_a_terminal(*args: str) -> tuple[int, str]:
    """``jobmsg ARGS`` with stderr on a pseudo-terminal: its exit code and what it drew there."""
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide, and tqdm draws nothing in 0 columns.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "ITWIN_ACCESS_TOKEN": "tok-progress"}
    process = subprocess.Popen(
        [sys.executable, "-m", "jobmsg_i18n", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    drawn = bytearray()
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return process.wait(timeout=60), drawn.decode("utf-8", "replace")


@pytest.mark.parametrize("command", ["fetch", "report"])
def test_a_terminal_gets_a_progress_bar(base_url: str, command: str) -> None:
    code, drawn = stderr_on_a_terminal(command, *JOBS, "--base-url", base_url)
    assert code == 0, drawn
    assert "/3 [" in drawn and "job/s]" in drawn  # tqdm's bar, counting jobs
    assert drawn.endswith("\r")  # and the line is cleared when done


@pytest.mark.parametrize("command", ["fetch", "report"])
def test_a_pipe_gets_no_progress_bar(base_url: str, command: str) -> None:
    result = run_jobmsg(command, *JOBS, "--base-url", base_url, token="tok-progress")
    assert result.returncode == 0, result.stderr
    assert "/3 [" not in result.stderr
