"""The demo shows the whole program: one center meets the record-keeping tasks, one part of them, one
has only begun; members have financing offers, a fired early warning, consultations and events."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import Center, DisputeRequest, EventSignup, FinancingOffer, WarningWatch
from app.services import member_support as support
from app.services import program as ps

RECORD_TASKS = (1, 3, 7, 8, 9, 10)  # plan, navigation, products, PCT, standards, awards


def test_demo_program_tasks_green_mixed_and_begun(app, db):
    from app.demo.seed import TODAY, seed_demo

    from app.demo.activity import seed_activity

    seed_demo(db.session, password_hash="pbkdf2:sha256:1000$x$y", patents=600, listings=120, needs=20)
    counts = seed_activity()  # the program's tasks follow the deals and the pool
    assert counts["pct"] == 24 and counts["standards"] == 4 and counts["awards"] == 2

    def lights(industry):
        center = db.session.scalar(sa.select(Center).where(Center.industry == industry))
        tasks, _overall = ps.board(center, TODAY)
        return {t.number: t.met for t in tasks if t.number in RECORD_TASKS}

    assert all(lights("carbon_materials").values())
    mixed = lights("high_end_equipment")
    assert any(mixed.values()) and not all(mixed.values())
    assert not any(lights("new_energy_vehicles").values())

    assert db.session.scalar(sa.select(sa.func.count(FinancingOffer.id))) >= 2
    assert any(support.new_hit_count(w) > 0 for w in db.session.scalars(sa.select(WarningWatch)))
    statuses = {d.status.value for d in db.session.scalars(sa.select(DisputeRequest))}
    assert statuses == {"open", "answered"}
    assert db.session.scalar(sa.select(sa.func.count(EventSignup.id))) >= 3
