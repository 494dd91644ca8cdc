"""Building compiled catalogs in a temporary folder, the way translators' tools would."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo


def write_catalog(
    root: Path, locale: str, entries: dict[str, tuple[str, str]], domain: str = "jobmsg"
) -> Path:
    """``root/<locale>/LC_MESSAGES/<domain>.mo`` holding ``{code: (title, message)}``."""
    catalog = Catalog(locale=None, domain=domain)
    for code, (title, message) in entries.items():
        catalog.add(f"English title of {code}", title, context=f"{code}.title", flags=["qt-format"])
        catalog.add(f"English message of {code}", message, context=f"{code}.message")
    folder = root / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{domain}.mo"
    with path.open("wb") as handle:
        write_mo(handle, catalog)
    return path
