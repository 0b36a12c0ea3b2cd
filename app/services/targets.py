"""Task 5 for one center on one date: the counts, the per-year guidance and the verdict by the
notice's rule. Every page, file and API answer that shows task 5 asks here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from ..domain import targets as rules
from ..extensions import db
from ..models import AuditRecord, Center, Deal, TargetEvent, User
from . import clock


@dataclass(frozen=True)
class TargetSource:
    """Where the per-year series comes from: the notice's rule, or the center's own figures."""

    own: bool
    targets: tuple[int, ...]
    set_by: str = ""
    set_at: object = None  # Beijing datetime of the last change, when recorded


@dataclass(frozen=True)
class Correction:
    """A count taken off a finished year after the year ended (e.g. a reversed deal)."""

    on: date
    year: int
    deal_id: int
    application_number: str
    delta: int


@dataclass
class Task5:
    center: Center
    on: date
    verdict: rules.Verdict
    progress: dict | None  # targets.progress(): per-year rows, projection, growth
    source: TargetSource
    corrections: list[Correction] = field(default_factory=list)

    @property
    def state(self) -> rules.Task5State:
        return self.verdict.state


def counts_by_year(center_id: int, as_of: date | None = None) -> dict[int, int]:
    """The center's count per project year from its target events (up to ``as_of`` when given)."""
    query = (sa.select(TargetEvent.project_year, sa.func.sum(TargetEvent.delta))
             .where(TargetEvent.center_id == center_id).group_by(TargetEvent.project_year))
    if as_of is not None:
        query = query.where(TargetEvent.occurred_on <= as_of)
    return {year: int(total) for year, total in db.session.execute(query).all()}


def series(center: Center) -> list[int]:
    return [center.target_for(n) for n in range(1, rules.YEARS + 1)]


def target_source(center: Center) -> TargetSource:
    targets = tuple(series(center))
    if list(targets) == rules.yearly_targets():
        return TargetSource(False, targets)
    row = db.session.execute(
        sa.select(AuditRecord.at, User.name).outerjoin(User, User.id == AuditRecord.actor_id)
        .where(AuditRecord.action == "center.targets_set", AuditRecord.object_id == center.id)
        .order_by(AuditRecord.at.desc()).limit(1)).first()
    if row is None:
        return TargetSource(True, targets)
    return TargetSource(True, targets, row.name or "", clock.utc_naive_to_local(row.at).replace(tzinfo=None))


def corrections_after(center: Center, year: int, after: date) -> list[Correction]:
    """Corrections dated after ``after`` to project years up to ``year``."""
    rows = db.session.execute(
        sa.select(TargetEvent).where(TargetEvent.center_id == center.id, TargetEvent.occurred_on > after,
                                     TargetEvent.project_year <= year)
        .order_by(TargetEvent.occurred_on, TargetEvent.id)).scalars()
    return [Correction(e.occurred_on, e.project_year, e.deal_id, e.application_number, e.delta) for e in rows]


def task5(center: Center, on: date | None = None, *, counted_until: date | None = None) -> Task5:
    """Center's task-5 state on ``on`` (Beijing today by default), counting events up to that day
    (or up to ``counted_until``, for a finished year judged on the day after it ended)."""
    on = on or clock.today()
    targets = series(center)
    counts = counts_by_year(center.id, as_of=counted_until or on)
    progress = (rules.progress(center.approval_date, targets, counts, on)
                if center.approval_date is not None and on >= center.approval_date else None)
    verdict = rules.verdict(center.approval_date, targets, counts, on, running=counted_until is None)
    return Task5(center, on, verdict, progress, target_source(center))


def year_record(center: Center, year: int, today: date | None = None) -> tuple[Task5, list[Correction]]:
    """Task 5 as a finished year's report records it (as of the year's last day) and the dated
    corrections made since; for the running year, as of today with no corrections."""
    today = today or clock.today()
    if center.approval_date is None or year < 1:
        return task5(center, today), []
    end = rules.project_year_span(center.approval_date, year)[1]
    if today < end:  # the year is still running
        return task5(center, today), []
    last = end - timedelta(days=1)
    record = task5(center, end, counted_until=last)
    record.corrections = [c for c in corrections_after(center, year, last) if c.on <= today]
    return record, record.corrections


def deals_in_year(center: Center, year: int, as_of: date | None = None) -> list[tuple[Deal, int]]:
    """The deals counted in project year ``year`` with their count (up to ``as_of``)."""
    query = (sa.select(Deal, sa.func.sum(TargetEvent.delta)).join(TargetEvent, TargetEvent.deal_id == Deal.id)
             .where(TargetEvent.center_id == center.id, TargetEvent.project_year == year)
             .group_by(Deal.id).order_by(Deal.completed_on, Deal.id))
    if as_of is not None:
        query = query.where(TargetEvent.occurred_on <= as_of)
    return [(d, int(n or 0)) for d, n in db.session.execute(query).all()]
