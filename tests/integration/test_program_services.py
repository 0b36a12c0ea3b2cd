"""The center program's services on a real database: records, the board, services to members,
applications through approval, the exit monitor and the yearly report files."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain import program as rules
from app.domain.errors import DomainError
from app.models import (
    AllianceMembership,
    ApplicationStatus,
    Center,
    Deal,
    OrgKind,
    PatentGrade,
    Pool,
    PoolMember,
    PoolPatent,
    Role,
    TargetEvent,
    TaskBook,
)
from app.services import applications as apps
from app.services import member_support as support
from app.reports import pdf, xlsx
from app.services import evaluation
from app.services import program as ps
from app.services.permissions import Forbidden, NotFound
from tests.conftest import make_center, make_org, make_patent, make_user
from tests.lifecycle_support import meet_conditions, on_day, on_notice, pass_first_review

TODAY = date(2025, 6, 1)  # project year 2 of a center approved on 2024-03-01


def clock_at(app, monkeypatch, moment: datetime):
    monkeypatch.setitem(app.config, "CLOCK", lambda: moment)


def world(db):
    center = make_center(approval_date=date(2024, 3, 1))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    member = make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.MEMBER)
    db.session.add(AllianceMembership(center_id=center.id, org_id=member.org_id, status="approved"))
    db.session.commit()
    return center, staff, bureau, member


def test_only_staff_edit_and_bureau_reads(app, db):
    center, staff, bureau, member = world(db)
    sections = {k: f"{k} 内容" for k in rules.PLAN_SECTIONS}
    v1 = ps.save_plan(staff, center, {**sections, "budget": ""})
    v2 = ps.save_plan(staff, center, sections, note="补充预算")
    assert (v1.version, v2.version) == (1, 2) and ps.latest_plan(center).id == v2.id
    with pytest.raises(DomainError):
        ps.save_plan(staff, center, sections)  # nothing changed
    with pytest.raises(Forbidden):
        ps.save_plan(bureau, center, sections)
    with pytest.raises(NotFound):
        ps.save_plan(member, center, sections)
    other = make_center(industry="hydrogen")
    with pytest.raises(NotFound):
        ps.save_plan(make_user(org=other.org, role=Role.CENTER_STAFF), center, sections)
    tasks, _ = ps.board(center, TODAY)
    assert tasks[0].light is rules.Light.GREEN


def test_records_feed_the_board(app, db):
    center, staff, bureau, member = world(db)
    patents = [make_patent(member.org) for _ in range(4)]
    for kind, n in (("industry_planning", 1), ("enterprise_operation", 3), ("rd_activity", 1), ("talent_management", 1)):
        for i in range(n):
            ps.add_navigation(staff, center, ps.NavigationData(f"{kind}{i}", kind, "太原市", "completed",
                                                               date(2024, 4, 1), date(2024, 9, 1)), today=TODAY)
    with pytest.raises(DomainError) as err:
        ps.add_navigation(staff, center, ps.NavigationData("x", "rd_activity", "", "completed"), today=TODAY)
    assert err.value.field == "completed_on"
    product = ps.add_product(staff, center, ps.ProductData(
        "石墨烯导热膜", member.org.name, f"{patents[0].application_number}; {patents[1].application_number}",
        product_revenue_fen=60_000_00, total_revenue_fen=100_000_00, status="identified",
        identified_on=date(2025, 1, 5)), today=TODAY)
    assert product.owner_org_id == member.org_id and product.revenue_share == 0.6 and len(product.patents) == 2
    with pytest.raises(DomainError) as err:
        ps.add_product(staff, center, ps.ProductData("x", "y", "CN 202010566088.9"), today=TODAY)
    assert err.value.field == "patents"  # valid number, not in the database
    for i in range(10):
        ps.add_pct(staff, center, ps.PctData(member.org.name, "负极材料", f"PCT/CN2024/{i:06d}", "national",
                                             date(2024, 6, 1), "us"), today=TODAY)
    with pytest.raises(DomainError):
        ps.add_pct(staff, center, ps.PctData("x", "y", "PCT/CN2024/000000", "national", date(2024, 6, 1), "US"),
                   today=TODAY)
    with pytest.raises(DomainError) as err:
        ps.add_pct(staff, center, ps.PctData("x", "y", "PCT/CN2024/000099", "national", date(2024, 6, 1), ""),
                   today=TODAY)
    assert err.value.field == "country"
    ps.add_standard(staff, center, ps.StandardData("IEC 62660-9", "锂离子电池", "international", "published",
                                                   patents[2].application_number, date(2025, 3, 1)), today=TODAY)
    award = ps.add_award(staff, center, ps.AwardData("中国专利奖 银奖", "national", "nominated", member.org.name,
                                                     patents[3].application_number), today=TODAY)
    ps.update_award(staff, center, award, ps.AwardData("中国专利奖 银奖", "national", "won", member.org.name,
                                                       product_id=product.id, awarded_on=date(2025, 5, 1)), today=TODAY)
    with pytest.raises(DomainError):
        ps.add_award(staff, center, ps.AwardData("市奖", "municipal", "won", awarded_on=date(2025, 1, 1)), today=TODAY)
    # the product's patents are in none of the center's pools yet: the award does not count
    assert ps.board(center, TODAY)[0][9].light is rules.Light.AMBER
    pool = Pool(center_id=center.id, lead_org_id=member.org_id, name="导热膜专利池", industry="carbon_materials")
    db.session.add(pool)
    db.session.flush()
    db.session.add(PoolPatent(pool_id=pool.id, patent_id=patents[1].id, contributor_org_id=member.org_id,
                              consent_by_id=member.id))
    db.session.commit()
    tasks, overall = ps.board(center, TODAY)
    lights = {t.number: t.light.value for t in tasks}
    assert lights[3] == "green" and lights[7] == "green" and lights[8] == "green"
    assert lights[9] == "green" and lights[10] == "green"
    assert lights[1] == "red" and lights[4] == "amber" and lights[5] == "red"  # a small pool; year 1 ended with 0 of 20
    assert overall.light is rules.Light.RED and overall.optional_met == 3
    # another center's staff cannot touch these records
    other = make_center(industry="hydrogen")
    other_staff = make_user(org=other.org, role=Role.CENTER_STAFF)
    with pytest.raises(NotFound):
        ps.update_award(other_staff, center, award, ps.AwardData("x", "national", "won"))
    with pytest.raises(NotFound):
        ps.update_award(other_staff, other, award, ps.AwardData("x", "national", "won", patent=patents[0].application_number,
                                                                awarded_on=date(2025, 1, 1)))


def test_alliance_database_pool_and_deals_tasks(app, db):
    center, staff, bureau, member = world(db)
    for kind in ("university", "agency", "association"):
        db.session.add(AllianceMembership(center_id=center.id, org_id=make_org(kind).id, status="approved"))
    db.session.commit()
    tasks, _ = ps.board(center, TODAY)
    assert tasks[5].light is rules.Light.GREEN
    patent = make_patent(member.org)
    assert ps.board(center, TODAY)[0][1].light is rules.Light.AMBER
    db.session.add(PatentGrade(patent_id=patent.id, score=70, grade="B", breakdown={}))
    db.session.commit()
    assert ps.board(center, TODAY)[0][1].light is rules.Light.GREEN
    # a pool with 100 valid patents (50 inventions) from 3 organisations
    orgs = [member.org, make_org(), make_org()]
    pool = Pool(center_id=center.id, lead_org_id=orgs[0].id, name="石墨烯专利池", industry="carbon_materials")
    db.session.add(pool)
    db.session.flush()
    for o in orgs:
        db.session.add(PoolMember(pool_id=pool.id, org_id=o.id, status="joined"))
    db.session.commit()
    for i in range(100):
        o = orgs[i % 3]
        p = make_patent(o, patent_type="invention" if i < 50 else "utility_model")
        db.session.add(PoolPatent(pool_id=pool.id, patent_id=p.id, contributor_org_id=o.id, consent_by_id=member.id))
    db.session.commit()
    assert ps.board(center, TODAY)[0][3].light is rules.Light.GREEN
    # task 5: 20 counted in year 1, 26 in year 2
    deal = Deal(seller_name="甲", buyer_name="乙", kind="transfer", price_fen=100, status="completed",
                center_id=center.id, completed_on=date(2024, 5, 1))
    db.session.add(deal)
    db.session.flush()
    for i in range(20):
        db.session.add(TargetEvent(center_id=center.id, deal_id=deal.id, application_number=f"X{i}", project_year=1,
                                   occurred_on=date(2024, 5, 1), delta=1))
    db.session.commit()
    # year 1 reached 20 and year 2 has not finished: the rule is met so far; the pace is a warning
    task = ps.board(center, TODAY)[0][4]
    assert task.light is rules.Light.GREEN
    assert any(r.kind == "warning" for r in task.figures["verdict"].reasons)
    for i in range(26):
        db.session.add(TargetEvent(center_id=center.id, deal_id=deal.id, application_number=f"Y{i}", project_year=2,
                                   occurred_on=date(2025, 4, 1), delta=1))
    db.session.commit()
    assert ps.board(center, TODAY)[0][4].light is rules.Light.GREEN


def test_financing_matchmaking(app, db):
    center, staff, bureau, member = world(db)
    outsider = make_user()
    patent = make_patent(member.org)
    with pytest.raises(Forbidden):
        support.request_financing(outsider, center, kind="pledge_loan", amount_fen=1, patents=patent.application_number,
                             description="x")
    with pytest.raises(DomainError):
        support.request_financing(member, center, kind="pledge_loan", amount_fen=1, patents="", description="x")
    item = support.request_financing(member, center, kind="pledge_loan", amount_fen=500_000_00,
                                patents=patent.application_number, description="专利质押贷款")
    with pytest.raises(NotFound):
        support.add_offer(outsider, item, provider_name="x", provider_kind="bank", amount_fen=1, terms="")
    with pytest.raises(Forbidden):
        support.add_offer(member, item, provider_name="x", provider_kind="bank", amount_fen=1, terms="")
    a = support.add_offer(staff, item, provider_name="晋商银行", provider_kind="bank", amount_fen=400_000_00, terms="年化3.5%")
    b = support.add_offer(staff, item, provider_name="太原农商行", provider_kind="bank", amount_fen=300_000_00, terms="")
    with pytest.raises(Forbidden):
        support.decide_offer(staff, a, True)
    support.decide_offer(member, a, True)
    assert item.status == "matched" and b.status == "declined"
    with pytest.raises(DomainError):
        support.decide_offer(member, b, True)
    assert [r.id for r in support.visible_requests(outsider, center, type(item))] == []
    assert [r.id for r in support.visible_requests(staff, center, type(item))] == [item.id]
    assert support.service_counts(center)["financing_matched_fen"] == 400_000_00


def test_watches_find_new_matching_patents(app, db, monkeypatch):
    center, staff, bureau, member = world(db)
    clock_at(app, monkeypatch, datetime(2030, 1, 1, tzinfo=UTC))
    old = make_patent(make_org(name="比亚迪股份有限公司"))
    watch = support.create_watch(member, center, name="负极材料", ipc_codes="C01B", competitors="比亚迪")
    assert [h.patent.id for h in support.watch_hits(watch)] == [old.id]
    support.mark_seen(member, watch)
    assert support.new_hit_count(watch) == 0
    monkeypatch.setattr("app.models._types.utcnow", lambda: datetime(2030, 2, 1))
    newer = make_patent(make_org(), created_at=datetime(2030, 2, 1))
    own = make_patent(member.org, created_at=datetime(2030, 2, 1))
    hits = {h.patent.id: h for h in support.watch_hits(watch)}
    assert set(hits) == {old.id, newer.id} and own.id not in hits
    assert hits[newer.id].new and not hits[old.id].new and hits[old.id].reasons == ["ipc:C01B", "applicant:比亚迪"]
    assert support.my_watches(member) == [(watch, 1)]
    with pytest.raises(NotFound):
        support.mark_seen(make_user(), watch)


def test_disputes_and_events(app, db, monkeypatch):
    center, staff, bureau, member = world(db)
    item = support.request_consultation(member, center, kind="accused", subject="收到律师函", counterparty="某公司",
                                   description="")
    with pytest.raises(Forbidden):
        support.answer_consultation(member, item, "x")
    support.answer_consultation(staff, item, "建议先做不侵权分析")
    assert item.status == "answered" and ps.first_business_on(center, date(2100, 1, 1)) is not None
    clock_at(app, monkeypatch, datetime(2030, 1, 1, 2, 0, tzinfo=UTC))  # 10:00 in Beijing
    with pytest.raises(DomainError):
        support.create_event(staff, center, title="x", kind="training", starts_at=datetime(2030, 1, 1, 10, 0),
                        location="", capacity=None, description="")
    event = support.create_event(staff, center, title="专利导航培训", kind="training", starts_at=datetime(2030, 1, 1, 10, 1),
                            location="太原", capacity=1, description="")
    assert event.starts_at == datetime(2030, 1, 1, 2, 1)  # stored in UTC
    support.sign_up(member, event)
    with pytest.raises(DomainError):
        support.sign_up(member, event)
    with pytest.raises(DomainError):
        support.sign_up(make_user(), event)  # full
    with pytest.raises(Forbidden):
        support.sign_up(bureau, event)
    clock_at(app, monkeypatch, datetime(2030, 1, 1, 2, 1, tzinfo=UTC))
    with pytest.raises(DomainError):
        support.cancel_signup(member, event)  # started


# ---- applications -------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def window(bureau, criteria=(("基础条件", 30, 30), ("建设方案", 50, 50), ("团队", 20, 20))):
    return apps.create_window(bureau, apps.WindowData("2022年度运营中心申报", date(2022, 8, 18), date(2022, 9, 19),
                                                      "09:00-11:30, 15:00-17:30", True, "2022-09-12"), list(criteria))


def full_application(applicant, w):
    data = apps.ApplicationData("太原市碳基新材料产业知识产权运营中心", "carbon_materials", "张三", "0351-1234567",
                                "山西大学", "注册资本5000万元", "五年完成技术转移许可150件",
                                {k: f"{k} 内容" for k in rules.FEASIBILITY_SECTIONS}, legal_representative="赵六")
    application = apps.start_application(applicant, w, data)
    for kind in rules.REQUIRED_DOCUMENTS:
        apps.add_document(applicant, application, kind, f"{kind}.pdf", f"{kind}.pdf")
    meet_conditions(applicant, application)
    return application


def test_submission_outside_the_window_is_refused(app, db, monkeypatch):
    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    applicant = make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.ORG_ADMIN)
    clock_at(app, monkeypatch, datetime(2022, 8, 18, 3, 30, tzinfo=UTC))  # Thursday 11:30 Beijing
    w = window(bureau)
    application = full_application(applicant, w)
    with pytest.raises(DomainError) as err:
        apps.submit(applicant, application)
    assert "working hours" in err.value.template
    clock_at(app, monkeypatch, datetime(2022, 8, 20, 2, 0, tzinfo=UTC))  # Saturday 10:00
    with pytest.raises(DomainError):
        apps.submit(applicant, application)
    clock_at(app, monkeypatch, datetime(2022, 9, 19, 10, 0, tzinfo=UTC))  # last day 18:00: too late
    with pytest.raises(DomainError):
        apps.submit(applicant, application)
    assert application.status == ApplicationStatus.DRAFT
    clock_at(app, monkeypatch, datetime(2022, 9, 19, 9, 29, tzinfo=UTC))  # last day 17:29
    apps.submit(applicant, application)
    assert application.status == ApplicationStatus.SUBMITTED


def test_incomplete_application_is_refused_and_drafts_are_private(app, db, monkeypatch):
    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    applicant = make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.ORG_ADMIN)
    clock_at(app, monkeypatch, datetime(2022, 8, 18, 2, 0, tzinfo=UTC))
    w = window(bureau)
    application = apps.start_application(applicant, w, apps.ApplicationData("中心", "carbon_materials"))
    with pytest.raises(DomainError):
        apps.submit(applicant, application)
    assert "phone" in apps.missing(application) and "document:sealed_scan" in apps.missing(application)
    with pytest.raises(NotFound):
        apps.require_view(bureau, application)  # drafts are the applicant's own
    with pytest.raises(NotFound):
        apps.require_view(make_user(), application)


def test_review_scoring_and_approval_create_the_center(app, db, monkeypatch):
    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    applicant = make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.ORG_ADMIN)
    experts = [make_user(org=bureau.org, role=Role.EXPERT) for _ in range(5)]
    clock_at(app, monkeypatch, datetime(2022, 8, 18, 2, 0, tzinfo=UTC))
    w = window(bureau)
    application = full_application(applicant, w)
    apps.submit(applicant, application)
    with pytest.raises(NotFound):
        apps.score(experts[0], application, {})
    for e in experts:
        apps.assign_expert(bureau, application, e)
    with pytest.raises(DomainError):
        apps.assign_expert(bureau, application, experts[0])
    with pytest.raises(DomainError):
        apps.assign_expert(bureau, application, applicant)  # not an expert
    c = [cr.id for cr in w.criteria]
    with pytest.raises(DomainError):
        apps.score(experts[0], application, {c[0]: 31, c[1]: 1, c[2]: 1})
    with pytest.raises(DomainError):
        apps.approve(bureau, application, apps.Approval(date(2022, 11, 1), date(2022, 11, 15),
                                                       new_org_name="太原碳基中心有限公司",
                                                       new_org_credit_code="91140100MA0000001X"))
    # totals 100, 80, 70, 60, 0 -> trimmed mean of 80, 70, 60 = 70
    for e, (a, b, d) in zip(experts, [(30, 50, 20), (24, 40, 16), (21, 35, 14), (18, 30, 12), (0, 0, 0)]):
        apps.score(e, application, {c[0]: a, c[1]: b, c[2]: d})
    result = apps.results(application)
    assert [t for _, t in result.rows] == [100, 80, 70, 60, 0]
    assert result.aggregate == rules.Aggregate(70, 5, True)
    assert result.per_criterion[c[0]] == 18.6
    with pytest.raises(DomainError):
        apps.set_criteria(bureau, w, [("新标准", 10, 1)])  # fixed once scored
    with pytest.raises(Forbidden):
        apps.approve(applicant, application, apps.Approval(date(2022, 11, 1), date(2022, 11, 15)))
    pass_first_review(bureau, application, experts)
    notice = on_notice(bureau, application)
    on_day(app, monkeypatch, notice.ends_on + timedelta(days=1))
    from app.domain import credit_code

    code = credit_code.make("91140100MA0000001")
    center = apps.approve(bureau, application, apps.Approval(date(2022, 11, 1), date(2022, 11, 15),
                                                             new_org_name="太原碳基中心有限公司",
                                                             new_org_credit_code=code, custodian="市国投"))
    assert center.approval_date == date(2022, 11, 1) and center.org.kind == OrgKind.CENTER
    assert center.founders == [applicant.org] and application.status == ApplicationStatus.APPROVED
    book = db.session.scalar(sa.select(TaskBook).where(TaskBook.center_id == center.id))
    assert book.signed_on == date(2022, 11, 15) and book.application_id == application.id
    with pytest.raises(DomainError):
        apps.score(experts[0], application, {c[0]: 1, c[1]: 1, c[2]: 1})  # review over


def test_conditions_are_checked_before_submission(app, db, monkeypatch):
    from app.services import lifecycle as life

    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    applicant = make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.ORG_ADMIN)
    clock_at(app, monkeypatch, datetime(2022, 8, 18, 2, 0, tzinfo=UTC))
    w = window(bureau)
    application = full_application(applicant, w)
    life.set_condition(applicant, application, "capital_plan", "资金计划已明确")  # a new statement keeps the proof
    assert apps.missing(application) == []
    data = apps.ApplicationData("中心二", "hydrogen", "张三", "1", "", "资金", "目标",
                                {k: "x" for k in rules.FEASIBILITY_SECTIONS}, legal_representative="赵六")
    second = apps.start_application(applicant, w, data)
    for kind in rules.REQUIRED_DOCUMENTS:
        apps.add_document(applicant, second, kind, "x.pdf", "x.pdf")
    life.set_condition(applicant, second, "good_standing", "正常经营")  # a statement without proof
    assert apps.missing(second) == [f"condition:{k}" for k in ("good_standing", "key_industry", "innovation_base",
                                                               "legal_person", "capital_plan")]
    with pytest.raises(DomainError, match="incomplete"):
        apps.submit(applicant, second)
    with pytest.raises(DomainError):
        life.set_condition(applicant, second, "nonsense", "x")
    with pytest.raises(NotFound):
        life.set_condition(bureau, second, "good_standing", "x")  # a draft is the applicant's own


def test_exit_warnings_from_the_task_book(app, db, monkeypatch):
    center, staff, bureau, member = world(db)
    clock_at(app, monkeypatch, datetime(2024, 3, 16, 2, 0, tzinfo=UTC))
    book = apps.record_task_book(bureau, center, signed_on=date(2024, 3, 15), custodian="市国投")
    assert [(w.reason, w.overdue) for w in apps.exit_warnings(center, date(2024, 4, 15))] == [
        ("no_equity_agreement", False), ("no_business", False)]
    assert [(w.reason, w.overdue) for w in apps.exit_warnings(center, date(2024, 4, 16))] == [
        ("no_equity_agreement", True), ("no_business", False)]
    clock_at(app, monkeypatch, datetime(2024, 4, 10, 2, 0, tzinfo=UTC))
    apps.record_equity_agreement(bureau, book, date(2024, 4, 10))
    assert [w.reason for w in apps.exit_warnings(center, date(2024, 6, 16))] == ["no_business"]
    assert apps.exit_warnings(center, date(2024, 6, 16))[0].overdue
    # an answered consultation on 1 June counts as business begun in time
    item = support.request_consultation(member, center, kind="other", subject="咨询", counterparty="", description="")
    monkeypatch.setattr("app.services.member_support.utcnow", lambda: datetime(2024, 6, 1, 2, 0))
    support.answer_consultation(staff, item, "答复")
    assert apps.exit_warnings(center, date(2024, 6, 16)) == []
    with pytest.raises(Forbidden):
        apps.open_exit_case(staff, center, reason="major_risk", note="x")
    case = apps.open_exit_case(bureau, center, reason="major_risk", note="资金链风险")
    apps.close_exit_case(bureau, case, "已化解")
    assert case.closed_on is not None


def _report_world(db):
    center, staff, bureau, member = world(db)
    deal = Deal(seller_name="山西大学", buyer_name="太原某材料公司", kind="transfer", price_fen=12_345_600,
                status="completed", center_id=center.id, completed_on=date(2025, 4, 1))
    db.session.add(deal)
    db.session.flush()
    for i, year in enumerate([1] * 21 + [2] * 7):
        db.session.add(TargetEvent(center_id=center.id, deal_id=deal.id, application_number=f"N{i}",
                                   project_year=year, occurred_on=date(2024, 5, 1), delta=1))
    db.session.commit()
    ps.add_pct(staff, center, ps.PctData("太原某材料公司", "石墨烯", "PCT/CN2024/000001", "international",
                                         date(2024, 6, 1)), today=TODAY)
    return center, staff, bureau


def test_yearly_report_xlsx_sums_match(app, db):
    center, staff, bureau = _report_world(db)
    with app.test_request_context():  # labels are translated for the request's locale
        ev = evaluation.evaluate(center, 2, today=TODAY)
        wb = load_workbook(io.BytesIO(xlsx.evaluation_report(ev)))
    assert wb.sheetnames == ["tasks", "targets", "task5", "deals", "pools", "services", "exit"]
    years = list(wb["targets"].iter_rows(min_row=2, values_only=True))
    body, total = years[:-1], years[-1]
    assert [(y[0], y[3], y[4]) for y in body] == [(1, 20, 21), (2, 26, 7), (3, 34, 0), (4, 44, 0), (5, 58, 0)]
    assert total[3] == sum(y[3] for y in body) == 182 and total[4] == sum(y[4] for y in body) == 28
    deals = list(wb["deals"].iter_rows(min_row=2, values_only=True))
    assert deals[0][6] == 7 and deals[-1][6] == 7 and deals[-1][7] == 123456.0
    tasks = list(wb["tasks"].iter_rows(min_row=5, values_only=True))
    pct = next(row for row in tasks if row[0] == 8)
    assert pct[5] == 1 and pct[6] == 20
    assert len({row[0] for row in tasks if row[0]}) == 10


def test_yearly_report_pdf_embeds_chinese_and_the_figures(app, db):
    center, staff, bureau = _report_world(db)
    with app.test_request_context():
        data = pdf.evaluation_report(evaluation.evaluate(center, 1, today=TODAY))
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert center.name in text and "山西大学" in text
    flat = text.replace("\n", " ")
    assert "21 / 20" in flat  # year 1: 21 counted against 20
    assert "0 / 9" in flat and "1 / 20" in flat  # plan sections; one PCT application of 20
    assert "123,456.00" in flat
    pages = len(reader.pages)
    assert pages >= 2
    for n, page in enumerate(reader.pages, start=1):  # every page: the header and its number of the whole
        words = page.extract_text()
        assert f"第 {n} 页，共 {pages} 页" in words and f"{center.name} · 年度考核报告 · " in words, n
    last = reader.pages[-1].extract_text()
    assert "编制人（签字）" in last and "运营中心（盖章）" in last
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                embedded.add((str(font["/BaseFont"]).split("+")[-1], "/FontFile2" in descriptor.get_object()))
    assert embedded and all(flag for _, flag in embedded)  # the CJK TrueType font travels inside the PDF


def test_bureau_table_lists_every_center(app, db):
    center, staff, bureau = _report_world(db)
    make_center(industry="hydrogen", approval_date=None)
    rows = evaluation.bureau_rows(TODAY)
    assert [r.center.id for r in rows] == sorted(c.id for c in db.session.scalars(sa.select(Center)))
    with app.test_request_context():
        wb = load_workbook(io.BytesIO(xlsx.bureau_table(rows)))
    values = list(wb.active.iter_rows(values_only=True))
    assert len(values) == 3 and values[1][0] == center.name and values[1][-2] == 28


def test_missing_cjk_font_is_a_clear_error(app, db, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PDF_CJK_FONT", str(tmp_path / "mine.ttf"))
    assert pdf.font_candidates()[0] == tmp_path / "mine.ttf"  # configuration wins
    monkeypatch.setattr(pdf, "font_candidates", lambda: [tmp_path / "none.ttc"])
    with pytest.raises(pdf.FontMissing) as err:
        pdf.find_cjk_font()
    assert "fonts-wqy-microhei" in str(err.value) and "none.ttc" in str(err.value)
