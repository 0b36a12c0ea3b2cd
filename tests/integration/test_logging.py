"""Logging is configured in one place (app/logging_setup.py): levels from LOG_LEVEL, one stderr
handler with ISO times in the display time zone, audit lines in their file or with the rest."""

import json
import logging
from datetime import UTC, datetime

import pytest
from flask import Flask

from app import create_app
from app.logging_setup import AUDIT_LOGGER, configure_logging, level_of


def _app(**config) -> Flask:
    app = Flask("logging-test")
    app.config.update({"LOG_LEVEL": "INFO", "DISPLAY_TIMEZONE": "Asia/Shanghai", "AUDIT_LOG": None, **config})
    return app


@pytest.fixture(autouse=True)
def restore_logging(app):
    yield
    configure_logging(app)  # the suite's app: as every other test expects it


def _ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if type(h).__name__ == "_StderrHandler"]


@pytest.mark.parametrize("written, level", [
    ("INFO", logging.INFO), ("debug", logging.DEBUG), (" warning ", logging.WARNING), ("ERROR", logging.ERROR),
    (logging.CRITICAL, logging.CRITICAL),
])
def test_log_level_names(written, level):
    assert level_of(written) == level


@pytest.mark.parametrize("written", ["LOUD", "", "Level 5"])
def test_an_unknown_log_level_is_refused(written):
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        level_of(written)


def test_the_factory_refuses_an_unknown_log_level():
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        create_app("testing", LOG_LEVEL="LOUD")


@pytest.mark.parametrize("level, app_level, root_level", [
    ("DEBUG", logging.DEBUG, logging.WARNING),  # the app's debug lines, but not every SQL statement
    ("INFO", logging.INFO, logging.WARNING),
    ("ERROR", logging.ERROR, logging.ERROR),
])
def test_levels_come_from_the_config(level, app_level, root_level):
    configure_logging(_app(LOG_LEVEL=level))
    assert logging.getLogger("app").level == app_level and logging.getLogger("rq.worker").level == app_level
    assert logging.getLogger().level == root_level
    assert logging.getLogger("app.jobs").isEnabledFor(app_level)
    assert not logging.getLogger("sqlalchemy.engine").isEnabledFor(logging.INFO)


def test_the_factory_sets_the_level_and_adds_one_handler_however_many_apps_are_made():
    create_app("testing", LOG_LEVEL="WARNING")
    create_app("testing", LOG_LEVEL="WARNING")
    assert logging.getLogger("app").level == logging.WARNING
    assert len(_ours()) == 1


@pytest.mark.parametrize("zone, expected", [
    ("Asia/Shanghai", "2026-12-01T09:00:00.250+08:00 WARNING app.jobs: could not queue"),
    ("UTC", "2026-12-01T01:00:00.250+00:00 WARNING app.jobs: could not queue"),
])
def test_a_line_has_an_iso_time_in_the_display_zone_the_level_and_the_logger(zone, expected):
    configure_logging(_app(DISPLAY_TIMEZONE=zone))
    record = logging.LogRecord("app.jobs", logging.WARNING, __file__, 1, "could not queue", None, None)
    record.created = datetime(2026, 12, 1, 1, 0, 0, 250000, tzinfo=UTC).timestamp()
    [handler] = _ours()
    assert handler.format(record) == expected


def test_app_lines_reach_stderr_and_library_info_does_not(capsys):
    configure_logging(_app())
    logging.getLogger("app.jobs").info("a task ran")
    logging.getLogger("sqlalchemy.engine.Engine").info("SELECT 1")
    err = capsys.readouterr().err
    assert "INFO app.jobs: a task ran" in err and "SELECT 1" not in err


def test_audit_lines_go_to_their_file_else_to_stderr(tmp_path, capsys):
    path = tmp_path / "audit.log"
    audit = logging.getLogger(AUDIT_LOGGER)
    configure_logging(_app(AUDIT_LOG=str(path), LOG_LEVEL="ERROR"))
    audit.info(json.dumps({"action": "login.failed"}))
    for handler in audit.handlers:
        handler.flush()
    assert json.loads(path.read_text(encoding="utf-8")) == {"action": "login.failed"}  # the bare JSON line
    assert "login.failed" not in capsys.readouterr().err
    configure_logging(_app(AUDIT_LOG=None, LOG_LEVEL="ERROR"))  # audit lines are kept whatever LOG_LEVEL says
    assert audit.handlers == []  # the file is let go
    audit.info(json.dumps({"action": "login"}))
    assert 'ipx.audit: {"action": "login"}' in capsys.readouterr().err
    assert path.read_text(encoding="utf-8").count("\n") == 1
