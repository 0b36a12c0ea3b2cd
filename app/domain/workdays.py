"""Working days in mainland China: the statutory holidays and the adjusted working days (调休)
from the ``chinesecalendar`` package. For a year the package does not know yet, Monday–Friday
is used and the answer says so, so that a page can warn that the dates may still move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


def known(year: int) -> bool:
    """Whether the State Council's holiday arrangement for ``year`` is in the package."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date) -> bool:
    """A statutory working day; Monday–Friday for a year the package does not know."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


@dataclass(frozen=True)
class Count:
    """The answer of a working-day count, and whether it had to assume Monday–Friday."""

    day: date
    fallback_years: tuple[int, ...] = ()

    @property
    def fallback(self) -> bool:
        return bool(self.fallback_years)


def _years(start: date, end: date) -> tuple[int, ...]:
    return tuple(y for y in range(min(start, end).year, max(start, end).year + 1) if not known(y))


def nth_working_day(start: date, n: int) -> Count:
    """The ``n``-th working day counting ``start`` itself when it is one (n ≥ 1): a notice of 5
    working days published on a Monday without holidays ends on that Friday."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == n:
                return Count(day, _years(start, day))
        day += timedelta(days=1)


def working_days_between(first: date, last: date) -> int:
    """Working days from ``first`` to ``last``, both included (0 when ``last`` is before ``first``)."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def unknown_years(first: date, last: date) -> tuple[int, ...]:
    """Years in the span the package has no holiday data for (Monday–Friday assumed there)."""
    return _years(first, last)
