"""Logging, set up in one place: the app factory calls ``configure_logging(app)``, so the web
processes, the CLI and ``flask worker`` (which builds its app through the factory) log alike.

One handler on the root logger writes every line to stderr (gunicorn's and the worker's output)
as ``2026-12-01T09:00:00.123+08:00 WARNING app.jobs: …``: an ISO 8601 time in DISPLAY_TIMEZONE
(Beijing time by default), with its offset. The app's own loggers (``app.*``) and the worker's
(``rq.worker``) log from LOG_LEVEL up (default INFO); libraries from WARNING, so that SQLAlchemy,
for one, does not log every statement. Audit lines (``ipx.audit``, JSON in UTC) are always kept:
in the AUDIT_LOG file when it is set, else on stderr with the rest.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
APP_LOGGERS = ("app", "rq.worker")  # logged from LOG_LEVEL up
AUDIT_LOGGER = "ipx.audit"
LIBRARY_LEVEL = logging.WARNING


class LocalTimeFormatter(logging.Formatter):
    """Times as ISO 8601 in one time zone, with milliseconds and the offset."""

    def __init__(self, zone, fmt: str = FORMAT):
        super().__init__(fmt)
        self.zone = zone

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return datetime.fromtimestamp(record.created, self.zone).isoformat(timespec="milliseconds")


class _StderrHandler(logging.StreamHandler):
    """The one handler configure_logging puts on the root logger (found again on the next call). It
    writes to whatever ``sys.stderr`` is at the time, as logging's own last-resort handler does."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass  # always the current sys.stderr


class _AuditFileHandler(logging.FileHandler):
    """The AUDIT_LOG file's handler (replaced when another app names another file)."""


def level_of(name) -> int:
    """``"info"``, ``"WARNING"``, ``20`` -> the logging level; anything else is a ValueError."""
    if isinstance(name, int):
        return name
    level = logging.getLevelName(str(name).strip().upper())
    if not isinstance(level, int):
        raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {name!r}")
    return level


def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        from .services.clock import BEIJING  # no tz database: the project's fixed Beijing offset

        return BEIJING


def configure_logging(app: Flask) -> None:
    """Set the levels, the stderr handler and the audit file from ``app.config`` (LOG_LEVEL,
    DISPLAY_TIMEZONE, AUDIT_LOG). Called again (another app in the same process), it replaces its
    own handlers instead of adding more."""
    level = level_of(app.config.get("LOG_LEVEL", "INFO"))
    formatter = LocalTimeFormatter(_zone(app.config.get("DISPLAY_TIMEZONE", "Asia/Shanghai")))

    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _StderrHandler)), None)
    if handler is None:
        handler = _StderrHandler()
        root.addHandler(handler)
    handler.setFormatter(formatter)
    root.setLevel(max(level, LIBRARY_LEVEL))
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(level)

    audit = logging.getLogger(AUDIT_LOGGER)
    audit.setLevel(logging.INFO)
    path = app.config.get("AUDIT_LOG")
    wanted = os.path.abspath(path) if path else None
    for old in [h for h in audit.handlers if isinstance(h, _AuditFileHandler)]:
        if old.baseFilename != wanted:
            audit.removeHandler(old)
            old.close()
    if wanted and not any(isinstance(h, _AuditFileHandler) for h in audit.handlers):
        file_handler = _AuditFileHandler(wanted, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter("%(message)s"))  # the line is the JSON record
        audit.addHandler(file_handler)
    audit.propagate = wanted is None  # in the file, or with the rest on stderr
