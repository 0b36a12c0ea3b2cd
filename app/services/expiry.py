"""Patents past their statutory term become expired: a daily job (the worker's scheduler) and
``flask expire-patents``. Each batch is one transaction: the pools holding a changed patent are
re-checked in it (services/pools.py), and a pool that falls below the rule warns its managers and
the center's staff."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ..domain import patent_terms as terms
from ..extensions import db
from ..models import Patent
from . import audit, clock, pools
from .transaction import transaction

BATCH = 500
RUN_AT = time(1, 0)  # Beijing


def expire_patents(today: date | None = None) -> dict[str, int]:
    """Set EXPIRED on every patent in force (or pending) whose term ended by ``today`` (Beijing)."""
    today = today or clock.today()
    alive = [s.value for s in terms.ALIVE_STATUSES]
    latest = terms.filed_on_or_before(today, min(terms.term_years(k, date(2000, 1, 1)) for k in terms.PatentType))
    checked = expired = 0
    last_id = 0
    while True:
        with transaction():  # one batch
            patents = db.session.scalars(
                sa.select(Patent).where(Patent.id > last_id, Patent.legal_status.in_(alive),
                                        Patent.filing_date <= latest)
                .order_by(Patent.id).limit(BATCH)).all()
            if not patents:
                break
            changed = []
            for patent in patents:
                checked += 1
                status = terms.expiring_status(patent.legal_status, patent.patent_type, patent.filing_date, today)
                if status is not None:
                    patent.legal_status = status
                    changed.append(patent)
            expired += len(changed)
            pools.recheck_pools_holding(changed)
            last_id = patents[-1].id
    if expired:
        with transaction():
            audit.record(None, "patents.expired", "patent", None, count=expired, on=today.isoformat())
    audit.log_line("patents.expired", checked=checked, expired=expired, on=today.isoformat())
    return {"checked": checked, "expired": expired}


def next_run(now: datetime | None = None) -> datetime:
    """The next 01:00 in Beijing after ``now``, as an aware UTC time."""
    local = (now or clock.now()).astimezone(clock.BEIJING)
    run = datetime.combine(local.date(), RUN_AT, tzinfo=clock.BEIJING)
    if run <= local:
        run += timedelta(days=1)
    return run.astimezone(UTC)
