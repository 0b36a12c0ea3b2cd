"""Grade patents in bulk: load the facts with a few queries, score in Python, write in batches."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from ..domain import valuation
from ..domain.errors import N_
from ..extensions import db
from ..models import Center, Deal, DealPatent, Listing, Patent, PatentGrade, PatentIPC, Role, User, ValuationWeights, listing_patents
from ..models._types import utcnow
from . import audit, clock
from .centers import is_center_staff
from .permissions import Forbidden
from .transaction import transaction, use_case

BATCH = 5000


def weights_for(industry: str | None) -> dict:
    if industry:
        row = db.session.scalar(sa.select(ValuationWeights).join(Center).where(Center.industry == industry))
        if row is not None:
            return row.weights
    return valuation.DEFAULT_WEIGHTS


@use_case
def set_weights(by: User, center: Center, weights: dict) -> None:
    if not (by.role == Role.PLATFORM_ADMIN or is_center_staff(by, center)):
        raise Forbidden(N_("only the center's staff set its grading weights"))
    valuation.check_weights(weights)
    row = db.session.scalar(sa.select(ValuationWeights).where(ValuationWeights.center_id == center.id))
    if row is None:
        row = ValuationWeights(center_id=center.id, weights=weights)
        db.session.add(row)
    row.weights, row.updated_by_id = weights, by.id
    audit.record(by, "grading.weights", "center", center.id, weights=weights)


def _facts(ids: list[int]) -> dict[int, valuation.PatentFacts]:
    ipc = defaultdict(list)
    for pid, code in db.session.execute(sa.select(PatentIPC.patent_id, PatentIPC.code).where(PatentIPC.patent_id.in_(ids))):
        ipc[pid].append(code)
    trl = dict(db.session.execute(
        sa.select(listing_patents.c.patent_id, sa.func.max(Listing.trl))
        .join(Listing, Listing.id == listing_patents.c.listing_id)
        .where(listing_patents.c.patent_id.in_(ids), Listing.status.in_(["published", "closed"]))
        .group_by(listing_patents.c.patent_id)
    ).all())
    deals = dict(db.session.execute(
        sa.select(DealPatent.patent_id, sa.func.count(DealPatent.id)).join(Deal)
        .where(DealPatent.patent_id.in_(ids), Deal.status == "completed").group_by(DealPatent.patent_id)
    ).all())
    facts = {}
    rows = db.session.execute(
        sa.select(Patent.id, Patent.patent_type, Patent.legal_status, Patent.filing_date, Patent.claims_count,
                  Patent.application_number, Patent.industry).where(Patent.id.in_(ids))
    )
    for pid, ptype, status, filing, claims, number, industry in rows:
        facts[pid] = valuation.PatentFacts(
            patent_type=str(ptype), legal_status=str(status), filing_date=filing, claims_count=claims or 0,
            ipc_codes=tuple(ipc.get(pid, ())), is_pct=len(number) == 14 and number[4] in "89",
            trl=trl.get(pid), completed_deals=deals.get(pid, 0), listed=pid in trl,
            industry=str(industry) if industry else None,
        )
    return facts


def grade_patents(*, industry: str | None = None, today: date | None = None, progress=None) -> dict:
    """Grade every patent (of an industry); returns {"patents": n, "seconds": s, "per_s": r, grades...}."""
    today = today or clock.today()
    started = time.perf_counter()
    stmt = sa.select(Patent.id).order_by(Patent.id)
    if industry:
        stmt = stmt.where(Patent.industry == industry)
    ids = db.session.scalars(stmt).all()
    weights_cache: dict = {}
    grades = defaultdict(int)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        facts = _facts(chunk)
        now = utcnow()
        rows = []
        for pid, f in facts.items():
            w = weights_cache.get(f.industry)
            if w is None:
                w = weights_cache[f.industry] = weights_for(f.industry)
            v = valuation.evaluate(f, today, w)
            grades[v.grade] += 1
            rows.append({"patent_id": pid, "score": v.score, "grade": v.grade, "computed_at": now,
                         "breakdown": {"degrees": v.degrees, "indicators": v.indicators, "neutral": v.neutral,
                                       "management": v.management, "price_band_yuan": v.price_band_yuan}})
        with transaction():  # one batch
            db.session.execute(sa.delete(PatentGrade).where(PatentGrade.patent_id.in_(chunk)))
            if rows:
                db.session.execute(sa.insert(PatentGrade), rows)
        if progress:
            progress(len(chunk))
    seconds = time.perf_counter() - started
    return {"patents": len(ids), "seconds": round(seconds, 2), "per_s": round(len(ids) / seconds, 1) if seconds else 0,
            **dict(sorted(grades.items()))}


def grade_one(patent: Patent, today: date | None = None) -> valuation.Valuation:
    facts = _facts([patent.id])[patent.id]
    return valuation.evaluate(facts, today or clock.today(), weights_for(facts.industry))
