import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.domain.errors import DomainError
from app.models import Patent, PatentGrade, PoolAlert, Role, RoyaltyShare
from app.services import deals as ds
from app.services import grading
from app.services import patents as patent_service
from app.services import pools as ps
from app.services.permissions import Forbidden
from tests.conftest import login, make_center, make_org, make_patent, make_user

TODAY = date(2026, 11, 25)


@pytest.fixture
def pool_world(db):
    center = make_center(approval_date=date(2024, 3, 1))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    admins = [make_user(org=make_org(k)) for k in ("enterprise", "university", "research_institute")]
    pool = ps.create_pool(staff, name="碳基材料专利池", field="石墨烯", industry="carbon_materials", center=center)
    for a in admins:
        ps.invite(staff, pool, a.org)
        ps.respond(a, pool, accept=True)
    return {"center": center, "staff": staff, "admins": admins, "pool": pool}


def fill(world, inventions=(34, 33, 33), utility=(0, 0, 0)):
    for admin, n_inv, n_um in zip(world["admins"], inventions, utility):
        ids = [make_patent(admin.org).id for _ in range(n_inv)]
        ids += [make_patent(admin.org, patent_type="utility_model").id for _ in range(n_um)]
        if ids:
            ps.contribute(admin, world["pool"], ids)


def edit_status(world, patent, status):
    """The owner's edit of the patent with another legal status (patents.update_patent)."""
    owner = next(a for a in world["admins"] if a.org_id == patent.owner_org_id)
    patent_service.update_patent(owner, patent, patent_service.PatentData(
        application_number=patent.application_number, title=patent.title, patent_type=str(patent.patent_type),
        legal_status=status, abstract=patent.abstract, ipc="; ".join(patent.ipc_list),
        applicants="\n".join(patent.applicant_names), filing_date=patent.filing_date, grant_date=patent.grant_date,
        claims_count=patent.claims_count, industry=str(patent.industry)))


def db_app_zh():
    from flask import current_app

    return current_app.test_request_context(headers={"Accept-Language": "zh-CN"})


def test_compliance_at_the_thresholds_and_alert_on_lapse(pool_world, db):
    fill(pool_world, inventions=(20, 15, 14), utility=(17, 17, 17))  # 100 patents, 49 inventions
    c = ps.compliance(pool_world["pool"])
    assert (c.valid_patents, c.valid_inventions, c.organisations, c.compliant) == (100, 49, 3, False)
    admin = pool_world["admins"][2]
    ps.contribute(admin, pool_world["pool"], [make_patent(admin.org).id])
    db.session.refresh(pool_world["pool"])
    assert pool_world["pool"].compliant  # 101 patents, 50 inventions
    # an invention lapses (its owner edits it): the pool drops below 50 inventions and its managers
    # get the reason, in the edit's own commit
    pp = next(p for p in pool_world["pool"].patents if p.patent.patent_type == "invention")
    edit_status(pool_world, pp.patent, "lapsed")
    db.session.rollback()  # nothing left to commit: the re-check was part of the edit
    db.session.refresh(pool_world["pool"])
    assert not pool_world["pool"].compliant
    alert = db.session.scalar(sa.select(PoolAlert))
    assert alert.shortfalls == "inventions" and pp.patent.application_number in alert.reason
    from app.templating import alert_reason

    with db_app_zh():
        assert alert_reason(alert) == f"专利 {pp.patent.application_number} 发生变化（法律状态、类型或权利人）"
    # it comes back: the alert is resolved
    edit_status(pool_world, pp.patent, "granted")
    db.session.refresh(alert)
    assert alert.resolved_at is not None


def test_two_organisations_are_not_enough(pool_world, db):
    fill(pool_world, inventions=(60, 50, 0))
    c = ps.compliance(pool_world["pool"])
    assert c.organisations == 2 and c.shortfalls() == ["organisations"]


def test_member_leaving_drops_its_patents(pool_world, db):
    fill(pool_world)
    db.session.refresh(pool_world["pool"])
    assert pool_world["pool"].compliant
    ps.leave(pool_world["admins"][1], pool_world["pool"])
    db.session.refresh(pool_world["pool"])
    assert not pool_world["pool"].compliant
    alert = db.session.scalar(sa.select(PoolAlert))
    assert "organisations" in alert.shortfalls and alert.figures["organisations"] == 2


def _pool_notes(db):
    from app.models import Notification

    return {n.org_id for n in db.session.scalars(sa.select(Notification).where(Notification.kind == "pool"))}


def test_withdrawing_a_patent_warns_in_the_same_commit(pool_world, db):
    fill(pool_world)  # 100 inventions from three organisations: exactly the rule
    pool = pool_world["pool"]
    db.session.refresh(pool)
    assert pool.compliant and not _pool_notes(db)
    contributor = pool_world["admins"][0]
    pp = next(p for p in pool.patents if p.contributor_org_id == contributor.org_id)
    ps.withdraw(contributor, pool, pp)
    db.session.rollback()  # nothing left to commit: the re-check was part of the withdrawal
    db.session.refresh(pool)
    assert not pool.compliant
    alert = db.session.scalar(sa.select(PoolAlert))
    assert alert.shortfalls == "patents" and alert.figures["reason"]["template"] == ps.REASON_CONTRIBUTION
    assert _pool_notes(db) == {pool.lead_org_id, pool_world["center"].org_id}


def test_a_member_rejoining_and_contributing_again_resolves_the_alert(pool_world, db):
    fill(pool_world)
    pool, leaver = pool_world["pool"], pool_world["admins"][1]
    ps.leave(leaver, pool)
    alert = db.session.scalar(sa.select(PoolAlert))
    assert alert.resolved_at is None and alert.figures["reason"]["template"] == ps.REASON_MEMBERSHIP
    ps.invite(pool_world["staff"], pool, leaver.org)
    ps.respond(leaver, pool, accept=True)
    db.session.refresh(alert)
    assert alert.resolved_at is None  # its patents were withdrawn when it left
    ps.contribute(leaver, pool, [make_patent(leaver.org).id for _ in range(33)])
    db.session.rollback()
    db.session.refresh(alert)
    assert alert.resolved_at is not None and db.session.get(type(pool), pool.id).compliant


def test_an_import_that_changes_a_pool_patents_status_rechecks_the_pool(pool_world, db):
    import io

    from werkzeug.datastructures import FileStorage

    from app.services import imports

    fill(pool_world)
    pool = pool_world["pool"]
    patent = next(p.patent for p in pool.patents)
    text = f"申请号,名称,法律状态/事件\n{patent.application_number},{patent.title},未缴年费\n"
    job = imports.create_job(pool_world["staff"], "patents", FileStorage(io.BytesIO(text.encode()), filename="p.csv"),
                             pool_world["center"])
    job = imports.run_job(job.id)
    assert (job.status.value, job.updated_rows) == ("done", 1), job.message
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Patent, patent.id).legal_status == "lapsed"
    alert = db.session.scalar(sa.select(PoolAlert))
    assert alert.shortfalls == "patents" and patent.application_number in alert.reason
    assert _pool_notes(db) == {pool.lead_org_id, pool_world["center"].org_id}
    # the same file again changes nothing and warns nobody twice
    job = imports.run_job(imports.create_job(pool_world["staff"], "patents",
                                             FileStorage(io.BytesIO(text.encode()), filename="p.csv"),
                                             pool_world["center"]).id)
    assert job.unchanged_rows == 1 and db.session.scalar(sa.select(sa.func.count(PoolAlert.id))) == 1


def test_a_change_to_a_pools_facts_is_published_after_its_commit_only(pool_world, db, monkeypatch):
    from app import events
    from app.services.transaction import transaction

    seen = []
    monkeypatch.setattr(events, "HANDLERS", events.HANDLERS + ((seen.extend, (events.PoolChanged,)),))
    admin, pool = pool_world["admins"][0], pool_world["pool"]
    ids = [make_patent(admin.org).id]
    with pytest.raises(RuntimeError):
        with transaction():
            ps.contribute(admin, pool, ids)
            raise RuntimeError("a later step fails")
    assert seen == []
    with transaction():
        ps.contribute(admin, pool, ids)
        assert seen == []  # not before the commit
    assert seen == [events.PoolChanged(pool.id)]


def test_only_owners_contribute_and_only_managers_invite(pool_world):
    outsider = make_user()
    with pytest.raises(Forbidden):
        ps.contribute(outsider, pool_world["pool"], [make_patent(outsider.org).id])
    member = pool_world["admins"][0]
    with pytest.raises(DomainError):
        ps.contribute(member, pool_world["pool"], [make_patent(make_org()).id])
    with pytest.raises(Forbidden):
        ps.invite(member, pool_world["pool"], make_org())


@pytest.mark.parametrize("rule", ["per_patent", "fixed_shares", "by_grade"])
def test_pool_licence_counts_and_splits_royalties_exactly(pool_world, db, rule):
    fill(pool_world, inventions=(3, 2, 2))
    pool = pool_world["pool"]
    for m, share in zip(sorted(pool.members, key=lambda m: m.org_id), (0, 1, 1, 1)):
        m.fixed_share = share
    db.session.commit()
    if rule == "by_grade":
        grading.grade_patents(today=TODAY)
    ps.publish_terms(pool_world["staff"], pool, royalty_kind="per_unit", royalty_fen=33_333, field_of_use="动力电池",
                     term_months=36, split_rule=rule)
    licensee = make_user(org=make_org("sme"))
    deal = ps.take_licence(licensee, pool, units=3)
    assert deal.price_fen == 99_999 and len(deal.patents) == 7 and deal.center_id == pool_world["center"].id
    lead_admin = make_user(org=pool.lead_org, role=Role.ORG_ADMIN)
    ds.sign(lead_admin, deal.id)
    ds.sign(licensee, deal.id)
    ds.fund(licensee, deal.id)
    ds.record(lead_admin, deal.id, recordal_number="X2026110000777", recordal_date=date(2026, 11, 20))
    ds.complete(licensee, deal.id, today=TODAY)
    shares = db.session.scalars(sa.select(RoyaltyShare).order_by(RoyaltyShare.org_id)).all()
    fee = 1_000  # 1 % of 99,999 = 999.99 → 1,000
    assert sum(s.amount_fen for s in shares) == 99_999 - fee
    if rule == "per_patent":
        assert [s.weight for s in shares] == [3, 2, 2]
        # 98,999 × 3/7 = 42,428.1; × 2/7 = 28,285.4 twice; the 1 fen left goes to the larger remainder,
        # ties to the lower organisation id
        assert [s.amount_fen for s in shares] == [42_428, 28_286, 28_285]
    if rule == "fixed_shares":
        assert [s.amount_fen for s in shares] == [33_000, 33_000, 32_999]  # 98,999 / 3, 2 fen left over
    assert ds.counts_by_year(pool_world["center"].id) == {3: 7}
    assert ds.unbalanced_transactions() == []
    ds.reverse(pool_world["staff"], deal.id, reason="解除", today=TODAY)
    assert sum(ds.ledger_balances().values()) == 0
    assert all(v == 0 for a, v in ds.ledger_balances().items() if a.startswith("payable:"))


def test_grading_batch_and_weights(pool_world, db):
    fill(pool_world, inventions=(5, 5, 5))
    result = grading.grade_patents(today=TODAY)
    assert result["patents"] == 15
    assert db.session.scalar(sa.select(sa.func.count(PatentGrade.id))) == 15
    before = db.session.scalar(sa.select(PatentGrade.score).limit(1))
    weights = {k: dict(v) for k, v in __import__("app.domain.valuation", fromlist=["x"]).DEFAULT_WEIGHTS.items()}
    weights["degrees"] = {"legal": 0, "technical": 1, "economic": 0}
    with pytest.raises(Forbidden):
        grading.set_weights(pool_world["admins"][0], pool_world["center"], weights)
    grading.set_weights(pool_world["staff"], pool_world["center"], weights)
    grading.grade_patents(today=TODAY)
    after = db.session.scalar(sa.select(PatentGrade.score).limit(1))
    assert before != after
    assert db.session.scalar(sa.select(sa.func.count(PatentGrade.id))) == 15  # replaced, not duplicated


def test_grading_page_lists_graded_patents(app, pool_world, db):
    fill(pool_world, inventions=(3, 0, 0))
    grading.grade_patents(industry="carbon_materials", today=TODAY)
    grades = db.session.scalars(sa.select(PatentGrade)).all()
    for g in grades[:2]:  # whatever the scores, two patents in grade A with a price band
        g.grade, g.breakdown = "A", {**g.breakdown, "price_band_yuan": [200_000, 800_000]}
    db.session.commit()
    c = app.test_client()
    login(c, pool_world["staff"])
    r = c.get(f"/pools/grades/{pool_world['center'].id}?grade=A")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for g in grades[:2]:
        assert db.session.get(Patent, g.patent_id).application_number in html
    assert "20 万元" in html and "80 万元" in html


def test_pool_page_pages_filters_and_sorts_its_patents(app, pool_world, db):
    fill(pool_world, inventions=(30, 20, 10), utility=(5, 0, 0))  # 65 patents
    pool = pool_world["pool"]
    c = app.test_client()
    login(c, pool_world["staff"])
    first = c.get(f"/pools/{pool.id}").get_data(as_text=True)
    rows = lambda html: len(re.findall(r'href="/patents/\d+"', html))  # noqa: E731
    assert rows(first) == 50 and "(65)" in first and 'aria-label="分页"' in first
    assert "joined" not in first and "已加入" in first
    assert rows(c.get(f"/pools/{pool.id}?page=2").get_data(as_text=True)) == 15
    assert rows(c.get(f"/pools/{pool.id}?type=utility_model").get_data(as_text=True)) == 5
    some = db.session.scalars(sa.select(Patent).order_by(Patent.id.desc())).first()
    only = c.get(f"/pools/{pool.id}?q={some.application_number}").get_data(as_text=True)
    assert rows(only) == 1 and some.application_number in only
    contributor = pool_world["admins"][2].org
    by_org = c.get(f"/pools/{pool.id}?contributor={contributor.id}&sort=title").get_data(as_text=True)
    assert rows(by_org) == 10
    titles = re.findall(r'<td class="cell-title">([^<]+)</td>', by_org)
    assert titles == sorted(titles)
    assert c.get(f"/pools/{pool.id}?sort=nonsense&page=abc&contributor=x").status_code == 200
