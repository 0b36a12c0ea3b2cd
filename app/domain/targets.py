"""Task 5: yearly transfer/licence targets and project years."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

FIRST_YEAR = 20
GROWTH = Fraction(13, 10)  # 30 % a year
YEARS = 5


def yearly_targets(base: int = FIRST_YEAR, growth: Fraction | float = GROWTH, years: int = YEARS) -> list[int]:
    """Year n target = ceil(base × growth^(n−1)): 20, 26, 34, 44, 58.

    Computed with exact fractions so that ceil never rounds up a float error.
    """
    g = growth if isinstance(growth, Fraction) else Fraction(str(growth))
    return [math.ceil(base * g ** (n - 1)) for n in range(1, years + 1)]


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a non-leap year: the year turns on 1 March
        return date(start.year + years, 3, 1)


def project_year(approval: date, on: date) -> int:
    """Project year of a day: year 1 starts on the approval date (0 before it)."""
    if on < approval:
        return 0
    n = on.year - approval.year
    if on < _anniversary(approval, n):
        n -= 1
    return n + 1


def project_year_span(approval: date, year: int) -> tuple[date, date]:
    """First day and the day after the last day of project year ``year``."""
    return _anniversary(approval, year - 1), _anniversary(approval, year)


def project_year_last_day(approval: date, year: int) -> date:
    """The last day of project year ``year``: a year from 2026-04-18 ends on 2027-04-17."""
    return project_year_span(approval, year)[1] - timedelta(days=1)


def average_growth(counts: list[int]) -> float | None:
    """Average yearly growth from year 1 to the last year given: (c_n / c_1)^(1/(n−1)) − 1."""
    if len(counts) < 2 or counts[0] <= 0:
        return None
    return (counts[-1] / counts[0]) ** (1 / (len(counts) - 1)) - 1


def progress(approval: date, targets: list[int], counts: dict[int, int], today: date) -> dict:
    """Each project year's count against its target, the current year's projection from its pace,
    and the growth achieved over the finished years (pure: the caller supplies counts)."""
    current = project_year(approval, today)
    years = []
    for n, target in enumerate(targets, start=1):
        start, end = project_year_span(approval, n)
        count = counts.get(n, 0)
        row = {"year": n, "start": start, "end": end, "last": project_year_last_day(approval, n),
               "target": target, "count": count,
               "met": count >= target, "finished": n < current, "current": n == current}
        if n == current:
            elapsed = (today - start).days + 1
            length = (end - start).days
            row["projection"] = math.floor(count * length / elapsed) if elapsed > 0 else count
            row["at_risk"] = row["projection"] < target
            row["elapsed_share"] = round(elapsed / length, 3)
        years.append(row)
    finished = [counts.get(n, 0) for n in range(1, min(current, len(targets) + 1))]
    return {
        "current_year": current,
        "years": years,
        "growth": average_growth(finished),
        "growth_rule": float(GROWTH - 1),
        "total": sum(counts.values()),
    }
