"""How fast jobmsg-i18n localizes, as ratios to baselines measured in the same run.

1. 10,000 messages (200 codes, 1-2 params) localized in French, microseconds per message:
   - naive: gettext ``pgettext`` for title and message, then ``re.sub`` with a lambda, per message;
   - fluent.runtime ``format_pattern`` on the same strings;
   - jobmsg-i18n ``Localizer.localize`` over the whole batch.
   Targets: at least 3x faster than naive, at least 8x faster than fluent.runtime.
2. Wall time of ``jobmsg localize examples/job-messages.json --locale fr --format json`` as a
   ratio to ``python -c "import gettext, json, re"``. Target: at most 3x.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_localize.py``).
"""

from __future__ import annotations

import compileall
import gettext
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from fluent.runtime import FluentBundle, FluentResource

from jobmsg_i18n import JobMessage, JobMessages, Localizer

ROOT = Path(__file__).resolve().parent.parent
CODES, MESSAGES, REPEATS = 200, 10_000, 15


def make_data(folder: Path) -> tuple[list[JobMessage], gettext.GNUTranslations, FluentBundle]:
    rng = random.Random(42)
    catalog = Catalog(locale="fr", domain="jobmsg")
    ftl: list[str] = []
    english: dict[str, tuple[str, str, int]] = {}
    for i in range(CODES):
        code, count = f"Bench_Code{i}", 1 + i % 2
        title = f"Problem number {i}"
        if count == 1:
            message, fr_message = f"Step {i} failed for %1.", f"L’étape {i} a échoué pour %1."
        else:
            message = f"Step {i}: %1 failed after %2 tries."
            fr_message = f"Étape {i} : %1 a échoué après %2 essais."
        fr_title = f"Problème numéro {i}"
        catalog.add(title, fr_title, context=f"{code}.title", flags=["qt-format"])
        catalog.add(message, fr_message, context=f"{code}.message", flags=["qt-format"])
        ftl.append(f"{code}-title = {fr_title}")
        ftl.append(f"{code}-message = " + re.sub(r"%(\d)", r"{ $p\1 }", fr_message))
        english[code] = (title, message, count)
    mo = folder / "fr" / "LC_MESSAGES" / "jobmsg.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    bundle = FluentBundle(["fr"], use_isolating=False)
    bundle.add_resource(FluentResource("\n".join(ftl) + "\n"))
    messages = []
    for n in range(MESSAGES):
        code = f"Bench_Code{rng.randrange(CODES)}"
        title, message, count = english[code]
        params = tuple(f"scan_{n}_{k}.laz" for k in range(count))
        messages.append(JobMessage(code, title, message, params))
    return messages, translations, bundle


def naive(
    messages: list[JobMessage], translations: gettext.GNUTranslations
) -> list[tuple[str, str]]:
    out = []
    for m in messages:
        title = translations.pgettext(f"{m.code}.title", m.title)
        text = translations.pgettext(f"{m.code}.message", m.message)
        params = m.params

        def param(match: re.Match[str], params: tuple[str, ...] = params) -> str:
            return params[int(match.group(1)) - 1]

        title = re.sub(r"%(\d\d?)", param, title)
        text = re.sub(r"%(\d\d?)", param, text)
        out.append((title, text))
    return out


def fluent(messages: list[JobMessage], bundle: FluentBundle) -> list[tuple[str, str]]:
    out = []
    for m in messages:
        args = {f"p{k}": v for k, v in enumerate(m.params, 1)}
        title = bundle.format_pattern(bundle.get_message(f"{m.code}-title").value, args)[0]
        text = bundle.format_pattern(bundle.get_message(f"{m.code}-message").value, args)[0]
        out.append((title, text))
    return out


def best_of(run: Callable[[], object]) -> float:
    """Microseconds per message, the best of REPEATS runs (the least disturbed by other load)."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) / MESSAGES * 1e6


def wall_times(command: list[str], runs: int = 15) -> float:
    # As a user runs it: with the bytecode cache that pip writes at install time.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        messages, translations, bundle = make_data(Path(tmp))
        localizer = Localizer("fr", catalog_dirs=[tmp])
        batch = JobMessages(errors=tuple(messages))
        ours = localizer.localize(batch)
        expected = naive(messages, translations)
        assert [(m.title, m.message) for m in ours] == expected, "results differ from the baseline"
        assert fluent(messages, bundle) == expected, "fluent results differ"

        t_naive = best_of(lambda: naive(messages, translations))
        t_fluent = best_of(lambda: fluent(messages, bundle))
        t_ours = best_of(lambda: localizer.localize(batch))
    print(f"Localizing {MESSAGES:,} messages ({CODES} codes, 1-2 params) in fr, best of {REPEATS}:")
    print(f"  naive pgettext + re.sub   {t_naive:6.2f} µs/message")
    print(f"  fluent.runtime            {t_fluent:6.2f} µs/message")
    print(f"  jobmsg-i18n Localizer     {t_ours:6.2f} µs/message")
    print(f"  speed-up vs naive   {t_naive / t_ours:5.1f}x (target >= 3)")
    print(f"  speed-up vs fluent  {t_fluent / t_ours:5.1f}x (target >= 8)")

    script = shutil.which("jobmsg", path=str(Path(sys.executable).parent))
    cli = [script] if script else [sys.executable, "-m", "jobmsg_i18n"]
    example = str(ROOT / "examples" / "job-messages.json")
    command = [*cli, "localize", example, "--locale", "fr", "--format", "json"]
    baseline = [sys.executable, "-c", "import gettext, json, re"]
    compileall.compile_dir(str(ROOT / "jobmsg_i18n"), quiet=1)
    wall_times(command, 3)  # warm the file cache
    t_base = wall_times(baseline)
    t_cli = wall_times(command)
    print("Wall time, median of 15 runs:")
    print(f"  python -c 'import gettext, json, re'    {t_base * 1e3:6.1f} ms")
    print(f"  jobmsg localize ... --format json        {t_cli * 1e3:6.1f} ms")
    print(f"  ratio {t_cli / t_base:4.2f}x (target <= 3)")


if __name__ == "__main__":
    main()
