"""Task 5: yearly transfer/licence targets and project years."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from .errors import N_

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


# ---- the task-5 verdict (the notice's rule) ------------------------------------------------

class Task5State(enum.StrEnum):
    NOT_STARTED = "not_started"
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


@dataclass(frozen=True)
class Reason:
    """One sentence of the verdict: an English template (translated by the caller) and its figures.
    ``kind`` is ``rule`` (why the state is what it is), ``need`` (what the remaining years need)
    or ``warning`` (a per-year target the pace is below: guidance, not the verdict)."""

    kind: str
    template: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    state: Task5State
    reasons: tuple[Reason, ...] = ()
    current_year: int = 0
    finished_years: int = 0  # 0..5
    year1: int | None = None  # year 1's count once it is finished
    growth: float | None = None  # compound growth from year 1 to the latest finished year
    needed_final: int | None = None  # the year-5 count that reaches 30 % over the period
    needed_growth: float | None = None  # the yearly growth the remaining years need to get there
    projection: int | None = None  # the running year's count at its present pace

    @property
    def reason_templates(self) -> list[str]:
        return [r.template for r in self.reasons]


def _grows_enough(first: int, last: int, steps: int) -> bool:
    """(last / first)^(1/steps) ≥ 1.3, in integers: last × 10^steps ≥ first × 13^steps."""
    return last * GROWTH.denominator ** steps >= first * GROWTH.numerator ** steps


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"


def judge(finished: list[int], *, started: bool = True, running_count: int | None = None,
          projection: int | None = None, targets: list[int] | None = None) -> Verdict:
    """Task 5 by the notice's rule: year 1 ≥ 20, and average yearly growth (compound, from year 1
    to the latest finished year; after year 5 over the whole period) ≥ 30 %.

    ``finished`` are the counts of the finished project years in order (years past the fifth are
    ignored); ``running_count``/``projection`` describe the year under way, if any; ``targets`` are
    the per-year guidance figures (20, 26, 34, 44, 58 or the center's own) for the warnings.

    red: a finished year 1 below 20, or five years ended below 30 %; amber: year 1 under way with
    a projection below its target, or growth so far below 30 % (with what the remaining years
    need); green: year 1 ≥ 20 and growth so far ≥ 30 % (or year 1 under way and on track).
    """
    targets = list(targets or yearly_targets())
    if not started:
        return Verdict(Task5State.NOT_STARTED,
                       (Reason("rule", N_("the project has not been approved yet, so year 1 has not begun")),))
    finished = list(finished[:YEARS])
    n = len(finished)
    current = n + 1
    reasons: list[Reason] = []
    running = n < YEARS and running_count is not None
    if running and projection is not None and projection < targets[n]:
        reasons.append(Reason("warning", N_("year {year} so far: {count}, heading for {projection} against the "
                                            "year's target of {target}"),
                              {"year": current, "count": running_count, "projection": projection,
                               "target": targets[n]}))
    if n == 0:
        if projection is not None and projection < FIRST_YEAR:
            reasons.insert(0, Reason("rule", N_("year 1 is under way and heading for {projection}, below the {floor} "
                                                "the notice requires"), {"projection": projection, "floor": FIRST_YEAR}))
            if targets[0] <= FIRST_YEAR:  # the warning would repeat the rule
                reasons = [r for r in reasons if r.kind != "warning"]
            return Verdict(Task5State.AMBER, tuple(reasons), current, 0, projection=projection)
        reasons.insert(0, Reason("rule", N_("year 1 is under way and on track: heading for {projection} of the {floor} "
                                            "required"), {"projection": projection or 0, "floor": FIRST_YEAR}))
        return Verdict(Task5State.GREEN, tuple(reasons), current, 0, projection=projection)
    first, last = finished[0], finished[-1]
    growth = ((last / first) ** (1 / (n - 1)) - 1) if n >= 2 and first > 0 else None
    common = {"current_year": current, "finished_years": n, "year1": first, "growth": growth,
              "projection": projection if running else None}
    if first < FIRST_YEAR:
        reasons.insert(0, Reason("rule", N_("year 1 counted {count}, below the {floor} the notice requires"),
                                 {"count": first, "floor": FIRST_YEAR}))
        return Verdict(Task5State.RED, tuple(reasons), **common)
    head = Reason("rule", N_("year 1 counted {count} (at least {floor} required)"), {"count": first, "floor": FIRST_YEAR})
    if n == 1:
        reasons[:0] = [head, Reason("rule", N_("growth is measured from year 2 on"))]
        return Verdict(Task5State.GREEN, tuple(reasons), **common)
    ok = _grows_enough(first, last, n - 1)
    words = {"growth": _pct(growth), "from": 1, "to": n, "rule": _pct(float(GROWTH - 1))}
    if n == YEARS:
        text = (N_("the five years ended with average yearly growth of {growth} (year {from} to {to}), at least {rule}")
                if ok else N_("the five years ended with average yearly growth of {growth}, below the {rule} required"))
        return Verdict(Task5State.GREEN if ok else Task5State.RED, (head, Reason("rule", text, words)), **common)
    if ok:
        reasons[:0] = [head, Reason("rule", N_("average yearly growth so far {growth} (year {from} to {to}), at least "
                                               "{rule}"), words)]
        return Verdict(Task5State.GREEN, tuple(reasons), **common)
    final = math.ceil(first * GROWTH ** (YEARS - 1))
    left = YEARS - n
    needed = (final / last) ** (1 / left) - 1 if last > 0 else None
    reasons[:0] = [head, Reason("rule", N_("average yearly growth so far {growth} (year {from} to {to}), below the "
                                           "{rule} required"), words)]
    if needed is None:
        reasons.append(Reason("need", N_("year 5 needs at least {final}"), {"final": final}))
    else:
        reasons.append(Reason("need", N_("year 5 needs at least {final}: from {last} in year {to} that is {needed} "
                                         "a year over the remaining {left} years"),
                              {"final": final, "last": last, "to": n, "needed": _pct(needed), "left": left}))
    return Verdict(Task5State.AMBER, tuple(reasons), needed_final=final, needed_growth=needed, **common)


def verdict(approval: date | None, targets: list[int], counts: dict[int, int], today: date,
            *, running: bool = True) -> Verdict:
    """The verdict on ``today`` from the counts per project year (the caller reads them).
    ``running=False`` judges the finished years alone (a finished year's record, on the day after)."""
    if approval is None or today < approval:
        return judge([], started=False)
    p = progress(approval, targets, counts, today)
    current = p["current_year"]
    finished = [counts.get(n, 0) for n in range(1, min(current, YEARS + 1))]
    row = next((y for y in p["years"] if y["current"]), None) if running else None
    return judge(finished, running_count=row["count"] if row else None,
                 projection=row["projection"] if row else None, targets=targets)
