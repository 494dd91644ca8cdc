"""Logging without importing :mod:`logging` on the offline path.

A record is only ever sent when :mod:`logging` is already loaded: when nothing has imported it,
nothing can have configured a handler, so the record would reach no one anyway (the library's
``NullHandler`` keeps Python's last-resort handler from printing it).
"""

from __future__ import annotations

import sys

_installed = False


def log(name: str, level: int, message: str, *args: object) -> None:
    """``logging.getLogger(name).log(level, message, *args)``, when anyone could be listening."""
    logging = sys.modules.get("logging")
    if logging is None:
        return
    global _installed
    if not _installed:
        logging.getLogger("jobmsg_i18n").addHandler(logging.NullHandler())
        _installed = True
    logging.getLogger(name).log(level, message, *args)


WARNING = 30
INFO = 20
