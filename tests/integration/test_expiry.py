"""Patents past their statutory term expire every night; the pools holding them are re-checked and
their managers warned."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.models import (AllianceMembership, Notification, OutboxEmail, Patent, Pool, PoolAlert, PoolMember,
                        PoolPatent, Role)
from app.services import expiry, pools
from app.services.transaction import transaction
from tests.conftest import make_center, make_org, make_patent, make_user


def test_expiry_rechecks_the_pool_and_warns(app, db):
    center = make_center()
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    orgs = [make_org() for _ in range(3)]
    lead_admin = make_user(org=orgs[0], role=Role.ORG_ADMIN)
    pool = Pool(center_id=center.id, lead_org_id=orgs[0].id, name="碳纤维专利池", industry="carbon_materials")
    db.session.add(pool)
    db.session.flush()
    for o in orgs:
        db.session.add(PoolMember(pool_id=pool.id, org_id=o.id, status="joined"))
        db.session.add(AllianceMembership(center_id=center.id, org_id=o.id, status="approved"))
    db.session.commit()
    old = None
    for i in range(100):
        o = orgs[i % 3]
        # one invention filed 2006-12-01 ends its 20 years on 2026-12-01; one partly invalidated stays valid
        kw = {"filing_date": date(2006, 12, 1), "year": 2006} if i == 0 else {}
        if i == 1:
            kw["legal_status"] = "partly_invalidated"
        p = make_patent(o, patent_type="invention" if i < 50 else "utility_model", **kw)
        old = p if i == 0 else old
        db.session.add(PoolPatent(pool_id=pool.id, patent_id=p.id, contributor_org_id=o.id, consent_by_id=lead_admin.id))
    utility = make_patent(orgs[0], patent_type="utility_model", filing_date=date(2016, 12, 2), year=2016)
    design_old = make_patent(orgs[0], patent_type="design", filing_date=date(2016, 11, 30), year=2016)
    design_new = make_patent(orgs[0], patent_type="design", filing_date=date(2021, 6, 1), year=2021)
    with transaction():  # built row by row above, so checked once here
        pools.recheck(pool, (pools.REASON_CONTRIBUTION, {}))
    assert db.session.get(Pool, pool.id).compliant and not db.session.scalar(sa.select(PoolAlert.id))

    assert expiry.expire_patents(date(2026, 11, 30))["expired"] == 1  # the 2016-11-30 design (10 years)
    db.session.expire_all()
    assert db.session.get(Pool, pool.id).compliant
    result = expiry.expire_patents(date(2026, 12, 1))
    assert result["expired"] == 1
    db.session.expire_all()
    assert db.session.get(Patent, old.id).legal_status == "expired"
    assert db.session.get(Patent, utility.id).legal_status == "granted"  # 10 years end on 2026-12-02
    assert db.session.get(Patent, design_old.id).legal_status == "expired"
    assert db.session.get(Patent, design_new.id).legal_status == "granted"  # 15 years: until 2036
    # 99 valid patents, 49 inventions (the partly invalidated one still counts): below the rule
    assert not db.session.get(Pool, pool.id).compliant
    alert = db.session.scalar(sa.select(PoolAlert).where(PoolAlert.pool_id == pool.id))
    assert alert.shortfalls == "patents,inventions" and alert.figures["inventions"] == 49
    notes = db.session.scalars(sa.select(Notification).where(Notification.kind == "pool")).all()
    assert {n.org_id for n in notes} == {orgs[0].id, center.org_id}
    mails = {m.to_address: m for m in db.session.scalars(sa.select(OutboxEmail))}
    assert set(mails) == {lead_admin.email, staff.email}
    assert "49 件有效发明专利" in mails[staff.email].body and "inventions" not in mails[staff.email].body
    # running again changes nothing
    assert expiry.expire_patents(date(2026, 12, 1))["expired"] == 0
    # the pool page names the shortfall in words
    from tests.conftest import login

    c = app.test_client()
    login(c, staff)
    html = c.get(f"/pools/{pool.id}").get_data(as_text=True)
    assert "部分无效" in html and "below the rule on" not in html


def test_next_run_is_one_in_the_morning_beijing():
    assert expiry.next_run(datetime(2026, 12, 1, 16, 0, tzinfo=UTC)) == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert expiry.next_run(datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


def test_cli_expire_patents(app, db):
    make_patent(patent_type="utility_model", filing_date=date(2010, 1, 1), year=2010)
    out = app.test_cli_runner().invoke(args=["expire-patents", "--on", "2026-12-01"])
    assert out.exit_code == 0 and "'expired': 1" in out.output
    bad = app.test_cli_runner().invoke(args=["expire-patents", "--on", "yesterday"])
    assert bad.exit_code != 0


def test_the_worker_books_the_nightly_run_once(app, db, job_queue):
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    from app import jobs

    jobs.schedule_daily(app)
    jobs.schedule_daily(app)  # a second worker start books nothing more
    registry = ScheduledJobRegistry(queue=job_queue)
    assert sorted(registry.get_job_ids()) == [f"{job_queue.name}-daily-expire-patents",
                                              f"{job_queue.name}-daily-lifecycle-reminders"]
    for job_id in registry.get_job_ids():
        job = Job.fetch(job_id, connection=job_queue.connection)
        assert job.args == ("app.jobs:run_daily", job_id.removeprefix(f"{job_queue.name}-"))
        assert registry.get_scheduled_time(job).replace(tzinfo=UTC) == expiry.next_run()
        job.delete()


def test_a_nightly_run_does_its_task_and_books_the_next_night(app, db, job_queue, monkeypatch):
    from rq.registry import ScheduledJobRegistry

    from app import jobs
    from app.services import lifecycle

    sent = []
    monkeypatch.setattr(lifecycle, "send_reminders", lambda: sent.append(1) or 0)
    with app.test_request_context():
        jobs.run_daily("daily-lifecycle-reminders")
    assert sent == [1]
    registry = ScheduledJobRegistry(queue=job_queue)
    assert registry.get_job_ids() == [f"{job_queue.name}-daily-lifecycle-reminders"]
    for job_id in registry.get_job_ids():
        job_queue.fetch_job(job_id).delete()
