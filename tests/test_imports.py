"""The offline path stays light: no requests, no jinja2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "job-messages.json"
HEAVY = ("requests", "jinja2", "urllib3")


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(out.stdout.split("\n")[-2].split())


def test_import_loads_neither_requests_nor_jinja2() -> None:
    modules = loaded_after("import jobmsg_i18n")
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_localizing_a_saved_file_loads_neither() -> None:
    code = (
        "import io, contextlib\n"
        "from jobmsg_i18n.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['localize', {str(EXAMPLE)!r}, '--locale', 'fr', '--format', 'json'])\n"
        "assert code == 0"
    )
    modules = loaded_after(code)
    assert "jobmsg_i18n.localizer" in modules
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
