"""Compiled gettext catalogs of job-message texts, keyed by message code.

Each code has two entries, told apart by their context: ``msgctxt "<code>.title"`` and
``msgctxt "<code>.message"``; the ``msgid`` is the English text, so that translators see it in
their PO editor, but lookups go by code alone, so a reworded English text on the server does not
lose its translation.

Catalogs are read from the compiled ``.mo`` files in ``<dir>/<locale>/LC_MESSAGES/<domain>.mo``:
reading one is a few slices of a byte string, and each file is read once per process.
"""

from __future__ import annotations

import os
import struct
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from os import PathLike
from typing import TYPE_CHECKING

from jobmsg_i18n._log import WARNING, log

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "DOMAIN",
    "CatalogError",
    "CatalogSet",
    "read_mo",
    "read_mo_entries",
    "shipped_dir",
    "shipped_path",
]

DOMAIN = "jobmsg"
_CONTEXT_SEP = "\x04"
_MO_MAGIC = {b"\xde\x12\x04\x95": "<", b"\x95\x04\x12\xde": ">"}


class CatalogError(ValueError):
    """A compiled catalog that cannot be read; the message names the file."""


def shipped_dir() -> Path:
    """The folder of the catalogs that ship with the package."""
    from pathlib import Path

    return Path(shipped_path())


@lru_cache(maxsize=1)
def shipped_path() -> str:
    """:func:`shipped_dir` as a string (no pathlib import on the offline path)."""
    here = os.path.dirname(os.path.realpath(__file__))
    installed = os.path.join(here, "locales")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(here), "locales")


def read_mo_entries(data: bytes, source: str = "<bytes>") -> dict[bytes, bytes]:
    """Every entry of a GNU ``.mo`` file but the header, as raw ``{msgid: msgstr}`` bytes.

    A context stays joined to its msgid by ``\x04`` and plural forms by ``\x00``, as in the file.
    The stdlib's ``gettext.GNUTranslations`` parses the same format but offers no public way to
    list the entries, which a lookup by context alone needs.
    """
    order = _MO_MAGIC.get(data[:4])
    if order is None:
        raise CatalogError(f"{source}: not a compiled gettext catalog (bad magic number)")
    try:
        _, count, originals, translations = struct.unpack_from(order + "4I", data, 4)
        entries: dict[bytes, bytes] = {}
        for index in range(count):
            o_len, o_off = struct.unpack_from(order + "2I", data, originals + 8 * index)
            t_len, t_off = struct.unpack_from(order + "2I", data, translations + 8 * index)
            if o_off + o_len > len(data) or t_off + t_len > len(data):
                raise CatalogError(f"{source}: entry {index} lies beyond the end of the file")
            if o_len:  # the header has an empty msgid
                entries[data[o_off : o_off + o_len]] = data[t_off : t_off + t_len]
    except struct.error:
        raise CatalogError(f"{source}: truncated compiled catalog") from None
    return entries


def read_mo(data: bytes, source: str = "<bytes>") -> dict[str, str]:
    """The entries of a GNU ``.mo`` file as ``{"context\x04msgid" or "msgid": msgstr}``.

    Plural entries keep their singular msgid and first form; the header is left out.
    """
    try:
        return {
            msgid.split(b"\x00", 1)[0].decode("utf-8"): msgstr.split(b"\x00", 1)[0].decode("utf-8")
            for msgid, msgstr in read_mo_entries(data, source).items()
        }
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{source}: text is not UTF-8 ({exc.reason})") from None


_file_cache: dict[str, Mapping[str, tuple[str, str]]] = {}
_file_lock = threading.Lock()


def _load_file(path: str) -> Mapping[str, tuple[str, str]]:
    """``{code: (title, message)}`` from one ``.mo`` file; read once per process."""
    cached = _file_cache.get(path)
    if cached is not None:
        return cached
    with _file_lock:
        cached = _file_cache.get(path)
        if cached is None:
            with open(path, "rb") as handle:
                raw = read_mo(handle.read(), path)
            halves: dict[str, dict[str, str]] = {}
            for key, text in raw.items():
                context, sep, _ = key.partition(_CONTEXT_SEP)
                code, dot, part = context.rpartition(".")
                if sep and dot and part in ("title", "message") and text:
                    halves.setdefault(code, {})[part] = text
            cached = {
                code: (parts["title"], parts["message"])
                for code, parts in halves.items()
                if len(parts) == 2
            }
            _file_cache[path] = cached
    return cached


def _locales_in(folder: str, domain: str) -> frozenset[str]:
    """The locales that ``folder`` has a compiled catalog of ``domain`` for."""
    try:
        names = os.listdir(folder)
    except OSError:
        return frozenset()  # a folder that is missing or unreadable has no catalogs
    mo = os.path.join("LC_MESSAGES", f"{domain}.mo")
    return frozenset(name for name in names if os.path.isfile(os.path.join(folder, name, mo)))


@lru_cache(maxsize=8)
def _shipped_locales(domain: str) -> frozenset[str]:
    # The shipped catalogs do not change while the process runs: list them once.
    return _locales_in(shipped_path(), domain)


class CatalogSet:
    """The catalogs of one domain in a list of folders, the first folder's entries winning.

    Safe to share between threads: each locale is loaded once, under a lock, then only read.
    A file that cannot be read is skipped, and the reason kept in ``problems`` and logged.
    """

    def __init__(self, dirs: Iterable[str | PathLike[str]], domain: str = DOMAIN) -> None:
        self.dirs = tuple(os.fspath(d) for d in dirs)
        self.domain = domain
        self._available: frozenset[str] | None = None
        self._layers: dict[str, tuple[Mapping[str, tuple[str, str]], ...]] = {}
        self._lock = threading.Lock()
        self.problems: list[str] = []

    def available(self) -> frozenset[str]:
        """The names of the locales that some folder has a compiled catalog for."""
        if self._available is None:
            shipped = shipped_path()
            self._available = frozenset().union(
                *(
                    _shipped_locales(self.domain)
                    if folder == shipped
                    else _locales_in(folder, self.domain)
                    for folder in self.dirs
                )
            )
        return self._available

    def files(self, locale: str) -> list[str]:
        """The compiled catalogs for ``locale``, highest priority first."""
        paths = (os.path.join(d, locale, "LC_MESSAGES", f"{self.domain}.mo") for d in self.dirs)
        return [path for path in paths if os.path.isfile(path)]

    def layers(self, locale: str) -> tuple[Mapping[str, tuple[str, str]], ...]:
        """``{code: (title, message)}`` of each folder that has ``locale``, the first winning."""
        try:
            return self._layers[locale]
        except KeyError:
            pass
        with self._lock:
            if locale not in self._layers:
                found = []
                for path in self.files(locale):
                    try:
                        found.append(_load_file(path))
                    except (OSError, CatalogError) as exc:
                        reason = exc if isinstance(exc, CatalogError) else f"{path}: {exc.strerror}"
                        self.problems.append(f"{reason} (catalog skipped)")
                        log("jobmsg_i18n", WARNING, "%s", self.problems[-1])
                self._layers[locale] = tuple(found)
            return self._layers[locale]
