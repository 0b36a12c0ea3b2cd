"""The time the program's rules see. Tests set ``app.config["CLOCK"]`` to a callable that
returns an aware datetime; everything else reads the real clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from flask import current_app, has_app_context

# Beijing time has had no daylight saving since 1991: a fixed offset needs no tz database.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> datetime:
    """Aware UTC now (or the configured clock's)."""
    fn = current_app.config.get("CLOCK") if has_app_context() else None
    value = fn() if fn else datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def local_now() -> datetime:
    return now().astimezone(BEIJING)


def today() -> date:
    """Today in Beijing: the day that deadlines and windows are about."""
    return local_now().date()


def utc_naive(moment: datetime) -> datetime:
    """How the database stores times: naive UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_to_utc_naive(local: datetime) -> datetime:
    """A naive Beijing wall-clock time (from a form) as stored naive UTC."""
    return (local.replace(tzinfo=BEIJING) if local.tzinfo is None else local).astimezone(UTC).replace(tzinfo=None)


def utc_naive_to_local(stored: datetime) -> datetime:
    return stored.replace(tzinfo=UTC).astimezone(BEIJING)
