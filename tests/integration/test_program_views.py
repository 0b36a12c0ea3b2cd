"""The center program's pages: who sees what, forms end to end, report downloads, no 500s."""

import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app import create_app
from app.domain import credit_code
from app.domain import program as rules
from app.models import (
    AllianceMembership,
    ApplicationStatus,
    Center,
    CenterApplication,
    FinancingRequest,
    NavigationProject,
    OrgKind,
    PlanVersion,
    Role,
    TaskBook,
    TrainingEvent,
)
from app.services import member_support as support
from tests.conftest import login, make_center, make_org, make_patent, make_user
from tests.lifecycle_support import meet_conditions

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db):
    center = make_center(approval_date=date(2024, 3, 1))
    people = {
        "staff": make_user(org=center.org, role=Role.CENTER_STAFF),
        "bureau": make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF),
        "member": make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.MEMBER),
        "member2": make_user(org=make_org(OrgKind.SME), role=Role.ORG_ADMIN),
        "outsider": make_user(org=make_org(OrgKind.UNIVERSITY), role=Role.ORG_ADMIN),
    }
    for key in ("member", "member2"):
        db.session.add(AllianceMembership(center_id=center.id, org_id=people[key].org_id, status="approved"))
    db.session.commit()
    other = make_center(industry="hydrogen")
    people["other_staff"] = make_user(org=other.org, role=Role.CENTER_STAFF)
    return center, people


def client_for(app, user):
    c = app.test_client()
    login(c, user)
    return c


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert " style=" not in html, "inline style"


def test_board_is_for_staff_and_bureau_only(app, world):
    center, people = world
    for key in ("staff", "bureau"):
        response = client_for(app, people[key]).get(f"/program/centers/{center.id}")
        assert response.status_code == 200, key
        html = response.get_data(as_text=True)
        no_inline_code(html)
        assert "Construction plan" in html or "建设方案" in html
    for key in ("member", "outsider", "other_staff"):
        assert client_for(app, people[key]).get(f"/program/centers/{center.id}").status_code == 404, key
    assert app.test_client().get(f"/program/centers/{center.id}").status_code == 302  # to the login page
    assert client_for(app, people["staff"]).get("/program/centers/99999").status_code == 404


def test_plan_versions_through_the_form(app, db, world):
    center, people = world
    staff = client_for(app, people["staff"])
    data = {key: f"{key} 的内容" for key in rules.PLAN_SECTIONS} | {"note": "初稿"}
    assert staff.post(f"/program/centers/{center.id}/plan", data=data).status_code == 302
    assert staff.post(f"/program/centers/{center.id}/plan", data={**data, "budget": "五年预算 5000 万元"}).status_code == 302
    assert [v.version for v in db.session.scalars(sa.select(PlanVersion).order_by(PlanVersion.version))] == [1, 2]
    page = staff.get(f"/program/centers/{center.id}/plan/1").get_data(as_text=True)
    assert "budget 的内容" in page
    assert staff.get(f"/program/centers/{center.id}/plan/9").status_code == 404
    # the bureau reads but cannot write; the board shows task 1 met
    bureau = client_for(app, people["bureau"])
    assert bureau.get(f"/program/centers/{center.id}/plan").status_code == 200
    bureau.post(f"/program/centers/{center.id}/plan", data=data)
    assert db.session.scalar(sa.select(sa.func.count(PlanVersion.id))) == 2
    assert client_for(app, people["member"]).post(f"/program/centers/{center.id}/plan", data=data).status_code == 404


def test_records_add_edit_and_refuse_outsiders(app, db, world):
    center, people = world
    staff = client_for(app, people["staff"])
    url = f"/program/centers/{center.id}/navigation"
    form = {"title": "碳基新材料产业专利导航", "kind": "industry_planning", "client_name": "太原市工信局",
            "status": "completed", "started_on": "2024-04-01", "completed_on": "2024-10-01", "deliverables": "报告"}
    assert staff.post(url, data=form).status_code == 302
    bad = staff.post(url, data={**form, "completed_on": ""})
    assert bad.status_code == 200 and "已完成的项目须填写完成日期" in bad.get_data(as_text=True)
    project = db.session.scalar(sa.select(NavigationProject))
    edit = f"{url}/{project.id}/edit"
    assert staff.get(edit).status_code == 200
    assert staff.post(edit, data={**form, "title": "改名"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(NavigationProject, project.id).title == "改名"
    assert client_for(app, people["other_staff"]).get(edit).status_code == 404
    assert client_for(app, people["bureau"]).post(edit, data=form).status_code == 403
    assert client_for(app, people["bureau"]).post(url, data=form).status_code == 403
    # a product with linked patents and evidence
    patent = make_patent(people["member"].org)
    product = {"name": "石墨烯导热膜", "owner": people["member"].org.name, "patents": patent.application_number,
               "product_revenue": "600000", "total_revenue": "1000000", "status": "applied", "applied_on": "2025-01-01",
               "evidence": (io.BytesIO(PDF), "审计报告.pdf")}
    response = staff.post(f"/program/centers/{center.id}/products", data=product, content_type="multipart/form-data")
    assert response.status_code == 302
    page = staff.get(f"/program/centers/{center.id}/products").get_data(as_text=True)
    assert "60.0 %" in page and "审计报告.pdf" in page
    for kind in ("pct", "standards", "awards"):
        assert staff.get(f"/program/centers/{center.id}/{kind}").status_code == 200
    assert staff.post(f"/program/centers/{center.id}/pct", data={
        "applicant": "x", "title": "y", "pct_number": "PCT/CN2024/000001", "phase": "international",
        "filed_on": "2024-06-01"}).status_code == 302


def test_report_downloads(app, db, world, monkeypatch):
    center, people = world
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2025, 6, 1, 2, 0, tzinfo=UTC))
    staff = client_for(app, people["staff"])
    html = staff.get(f"/program/centers/{center.id}/report/2")
    assert html.status_code == 200
    no_inline_code(html.get_data(as_text=True))
    assert f'action="/program/centers/{center.id}/report/2/files"' in html.get_data(as_text=True)
    for fmt in ("pdf", "xlsx"):  # made in the background (at once in the tests), then downloaded
        made = staff.post(f"/program/centers/{center.id}/report/2/files", data={"fmt": fmt})
        assert made.status_code == 302 and made.headers["Location"].endswith(f"/program/centers/{center.id}/report/2")
    no_inline_code(staff.get(f"/program/centers/{center.id}/report/2").get_data(as_text=True))  # with the files listed
    pdf = staff.get(f"/program/centers/{center.id}/report/2.pdf", follow_redirects=True)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    xlsx = staff.get(f"/program/centers/{center.id}/report/2.xlsx", follow_redirects=True)
    assert load_workbook(io.BytesIO(xlsx.data))["targets"]["D2"].value == 20
    assert staff.get(f"/program/centers/{center.id}/report/3.pdf").status_code == 404  # year 3 not begun
    assert staff.post(f"/program/centers/{center.id}/report/3/files", data={"fmt": "pdf"}).status_code == 404
    member = client_for(app, people["member"])
    assert member.get(f"/program/centers/{center.id}/report/1.pdf").status_code == 404
    assert member.post(f"/program/centers/{center.id}/report/1/files", data={"fmt": "pdf"}).status_code == 404
    bureau = client_for(app, people["bureau"])
    page = bureau.get("/program/bureau")
    assert page.status_code == 200 and center.name in page.get_data(as_text=True)
    table = load_workbook(io.BytesIO(bureau.get("/program/bureau/export.xlsx").data)).active
    assert table.max_row == 1 + db.session.scalar(sa.select(sa.func.count(Center.id)))
    assert staff.get("/program/bureau").status_code == 403


def test_financing_requests_are_private_to_the_member(app, db, world):
    center, people = world
    patent = make_patent(people["member"].org)
    member = client_for(app, people["member"])
    response = member.post(f"/program/centers/{center.id}/financing", data={
        "kind": "pledge_loan", "amount": "5,000,000", "patents": patent.application_number, "description": "以三件发明专利作押的融资说明"})
    assert response.status_code == 302
    item = db.session.scalar(sa.select(FinancingRequest))
    assert item.amount_fen == 500_000_000
    assert client_for(app, people["member2"]).get(f"/program/financing/{item.id}").status_code == 404
    assert client_for(app, people["outsider"]).get(f"/program/financing/{item.id}").status_code == 404
    listing = client_for(app, people["member2"]).get(f"/program/centers/{center.id}/financing").get_data(as_text=True)
    assert "以三件发明专利作押的融资说明" not in listing and people["member"].org.name not in listing
    # outsiders cannot ask
    assert client_for(app, people["outsider"]).post(f"/program/centers/{center.id}/financing", data={
        "kind": "insurance", "description": "x"}).status_code == 403
    staff = client_for(app, people["staff"])
    assert staff.post(f"/program/financing/{item.id}", data={"provider_name": "晋商银行", "provider_kind": "bank",
                                                             "amount": "4000000", "terms": "3.5%"}).status_code == 302
    offer = item.offers[0]
    assert client_for(app, people["member2"]).post(f"/program/offers/{offer.id}/accept").status_code == 404
    assert member.post(f"/program/offers/{offer.id}/accept").status_code == 302
    db.session.expire_all()
    assert db.session.get(FinancingRequest, item.id).status == "matched"


def test_watch_and_alerts(app, db, world):
    center, people = world
    make_patent(make_org(name="竞争对手股份有限公司"))
    member = client_for(app, people["member"])
    assert member.post(f"/program/centers/{center.id}/watches", data={
        "name": "对手", "ipc_codes": "", "competitors": "竞争对手"}).status_code == 302
    watch = support.my_watches(people["member"])[0][0]
    page = member.get(f"/program/watches/{watch.id}").get_data(as_text=True)
    assert "竞争对手股份有限公司" in page
    assert client_for(app, people["member2"]).get(f"/program/watches/{watch.id}").status_code == 404
    assert member.get("/program/alerts").status_code == 200
    bad = member.post(f"/program/centers/{center.id}/watches", data={"name": "x", "ipc_codes": "ZZZ", "competitors": ""})
    assert bad.status_code == 200


def test_disputes_and_events(app, db, world, monkeypatch):
    center, people = world
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2030, 1, 1, 2, 0, tzinfo=UTC))
    member = client_for(app, people["member"])
    assert member.post(f"/program/centers/{center.id}/disputes", data={
        "kind": "accused", "subject": "律师函", "counterparty": "", "description": ""}).status_code == 302
    staff = client_for(app, people["staff"])
    assert staff.post(f"/program/centers/{center.id}/events", data={
        "title": "专利导航培训", "kind": "training", "starts_at": "2030-01-02T09:30", "location": "太原",
        "capacity": "30", "description": ""}).status_code == 302
    event = db.session.scalar(sa.select(TrainingEvent))
    assert event.starts_at == datetime(2030, 1, 2, 1, 30)
    assert app.test_client().get(f"/program/events/{event.id}").status_code == 200
    assert member.post(f"/program/events/{event.id}/signup").status_code == 302
    assert member.post(f"/program/events/{event.id}/signup").status_code == 302  # twice: refused with a message
    assert len(db.session.get(TrainingEvent, event.id).signups) == 1
    assert member.post(f"/program/events/{event.id}/cancel").status_code == 403


def test_application_journey(app, db, world, monkeypatch):
    center, people = world
    bureau = client_for(app, people["bureau"])
    expert_user = make_user(org=people["bureau"].org, role=Role.EXPERT)
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2022, 8, 17, 2, 0, tzinfo=UTC))  # the day before
    assert bureau.post("/program/windows", data={
        "title": "2022年申报", "opens_on": "2022-08-18", "closes_on": "2022-09-19", "hours": "09:00-11:30, 15:00-17:30",
        "weekdays_only": "y", "closed_dates": "2022-09-12", "criteria": "建设基础 | 40 | 40\n实施方案 | 60 | 60"}).status_code == 302
    window_id = db.session.scalar(sa.select(sa.func.max(sa.text("id"))).select_from(sa.table("application_windows")))
    applicant = client_for(app, people["outsider"])
    form = {"proposed_name": "太原市新能源汽车产业知识产权运营中心", "industry": "new_energy_vehicles",
            "contact_person": "李四", "phone": "0351-7654321", "partners": "", "capital_plan": "资金计划",
            "targets": "目标", "legal_representative": "李四"} | {k: "内容" for k in rules.FEASIBILITY_SECTIONS}
    assert applicant.post(f"/program/windows/{window_id}/apply", data=form).status_code == 302
    application = db.session.scalar(sa.select(CenterApplication))
    for kind in rules.REQUIRED_DOCUMENTS:
        applicant.post(f"/program/applications/{application.id}/documents",
                       data={"kind": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")}, content_type="multipart/form-data")
    disguised = applicant.post(f"/program/applications/{application.id}/documents",
                               data={"kind": "other", "file": (io.BytesIO(b"MZ\x90"), "x.pdf")},
                               content_type="multipart/form-data", follow_redirects=True)
    assert "仅接受 PDF、PNG 或 JPEG 文件" in disguised.get_data(as_text=True)
    assert len(application.documents) == len(rules.REQUIRED_DOCUMENTS)
    # the five conditions, each with a statement and proof; the page shows which are met
    from app.domain import center_lifecycle as lc

    for key in lc.CONDITIONS:
        assert applicant.post(f"/program/applications/{application.id}/conditions", data={
            "condition-key": key, "condition-statement": f"{key} 说明",
            "condition-file": (io.BytesIO(PDF), f"{key}.pdf")}, content_type="multipart/form-data").status_code == 302
    page = applicant.get(f"/program/applications/{application.id}").get_data(as_text=True)
    assert page.count("✓ 已达标") == 5 and "good_standing.pdf" in page
    # drafts are private
    assert bureau.get(f"/program/applications/{application.id}").status_code == 404
    # before the window: refused
    page = applicant.post(f"/program/applications/{application.id}/submit", follow_redirects=True).get_data(as_text=True)
    assert "2022-08-18" in page
    db.session.expire_all()
    assert db.session.get(CenterApplication, application.id).status == ApplicationStatus.DRAFT
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2022, 8, 18, 1, 30, tzinfo=UTC))  # 09:30 Beijing
    assert applicant.post(f"/program/applications/{application.id}/submit").status_code == 302
    db.session.expire_all()
    assert db.session.get(CenterApplication, application.id).status == ApplicationStatus.SUBMITTED
    assert client_for(app, expert_user).get(f"/program/applications/{application.id}").status_code == 404
    assert bureau.post(f"/program/applications/{application.id}/assign",
                       data={"assign-expert_id": expert_user.id}).status_code == 302
    expert = client_for(app, expert_user)
    score_page = expert.get(f"/program/applications/{application.id}/score")
    assert score_page.status_code == 200
    criteria = db.session.get(CenterApplication, application.id).window.criteria
    bad = expert.post(f"/program/applications/{application.id}/score",
                      data={f"c_{criteria[0].id}": "41", f"c_{criteria[1].id}": "60"})
    assert bad.status_code == 200
    assert expert.post(f"/program/applications/{application.id}/score",
                       data={f"c_{criteria[0].id}": "30", f"c_{criteria[1].id}": "45"}).status_code == 302
    detail = bureau.get(f"/program/applications/{application.id}").get_data(as_text=True)
    assert "75.00" in detail
    no_inline_code(detail)
    aid = application.id
    # the oral defence: scheduled, held, scored; then the bureau's list, due diligence and the notice
    assert bureau.post(f"/program/applications/{aid}/defence", data={
        "schedule-scheduled_at": "2022-08-18T09:00", "schedule-place": "市局三楼"}).status_code == 302
    assert bureau.post(f"/program/applications/{aid}/defence/attendance", data={
        "attendance-attendance": "申报单位：李四"}).status_code == 302
    assert expert.post(f"/program/applications/{aid}/defence/score", data={
        "defence-score": "85", "defence-comment": ""}).status_code == 302
    assert "80.00" in bureau.get(f"/program/windows/{window_id}").get_data(as_text=True)  # combined (75 + 85) / 2
    bureau.post(f"/program/applications/{aid}/review-decision", data={"review-passed": "1", "review-note": ""})
    bureau.post(f"/program/applications/{aid}/diligence", data={"diligence-firm": "山西某会计师事务所"})
    bureau.post(f"/program/applications/{aid}/diligence/reports",
                data={"report-file": (io.BytesIO(PDF), "尽调报告.pdf")}, content_type="multipart/form-data")
    bureau.post(f"/program/applications/{aid}/diligence/outcome", data={"outcome-outcome": "passed",
                                                                       "outcome-findings": "无重大问题"})
    bureau.post(f"/program/applications/{aid}/notice", data={"notice-published_on": "2022-08-18",
                                                             "notice-working_days": "5", "notice-text": "拟立项公示"})
    db.session.expire_all()
    assert db.session.get(CenterApplication, aid).status == ApplicationStatus.PUBLIC_NOTICE
    notice_id = db.session.scalar(sa.select(sa.func.max(sa.text("id"))).select_from(sa.table("public_notices")))
    public = app.test_client()  # anyone, not logged in
    assert "2022-08-24" in public.get(f"/program/notices/{notice_id}").get_data(as_text=True)
    assert public.post(f"/program/notices/{notice_id}", data={"name": "王某", "contact": "1380000", "text": "异议"}
                       ).status_code == 302
    refused = bureau.post(f"/program/applications/{aid}/approve", follow_redirects=True, data={
        "approve-approval_date": "2022-11-01", "approve-task_book_signed_on": "2022-11-10", "approve-center_org_id": "0",
        "approve-new_org_name": "x", "approve-new_org_credit_code": "", "approve-custodian_org_id": "0"})
    assert "公示期至 2022-08-24" in refused.get_data(as_text=True)
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2022, 8, 25, 2, 0, tzinfo=UTC))
    objection_id = db.session.scalar(sa.select(sa.func.max(sa.text("id"))).select_from(sa.table("notice_objections")))
    assert bureau.post(f"/program/applications/{aid}/objections/{objection_id}/answer", data={
        "answer-answer": "异议不成立"}).status_code == 302
    code = credit_code.make("91140100MA0000077")
    response = bureau.post(f"/program/applications/{application.id}/approve", data={
        "approve-approval_date": "2022-11-01", "approve-task_book_signed_on": "2022-11-10", "approve-center_org_id": "0",
        "approve-new_org_name": "太原新能源汽车知识产权运营有限公司", "approve-new_org_credit_code": code,
        "approve-custodian": "市国投", "approve-equity": "10000000", "approve-note": "", "approve-custodian_org_id": "0"})
    assert response.status_code == 302 and "/program/centers/" in response.headers["Location"]
    new_center = db.session.scalar(sa.select(Center).where(Center.industry == "new_energy_vehicles"))
    assert new_center.approval_date == date(2022, 11, 1)
    book = db.session.scalar(sa.select(TaskBook).where(TaskBook.center_id == new_center.id))
    assert book.equity_fen == 1_000_000_000
    lifecycle = bureau.get(f"/program/centers/{new_center.id}/lifecycle").get_data(as_text=True)
    assert "基础建设期" in lifecycle
    no_inline_code(lifecycle)
    exit_page = bureau.get(f"/program/centers/{new_center.id}/exit").get_data(as_text=True)
    assert "2022-12-10" in exit_page  # the equity agreement was due a month after the task book


def test_odd_input_never_500(app, world):
    center, people = world
    staff = client_for(app, people["staff"])
    for kind in ("navigation", "products", "pct", "standards", "awards"):
        response = staff.post(f"/program/centers/{center.id}/{kind}", data={
            "title": "\x00" * 400, "kind": "zzz", "status": "x", "started_on": "2020-02-30", "name": "x" * 500,
            "patents": "not-a-number", "pct_number": "PCT/", "phase": "x", "filed_on": "9999-99-99", "level": "x",
            "product_id": "abc", "product_revenue": "1e999", "total_revenue": "-1", "owner": "o"})
        assert response.status_code == 200, kind
    bureau = client_for(app, people["bureau"])
    assert bureau.post("/program/windows", data={"title": "x", "opens_on": "2022-09-01", "closes_on": "2022-08-01",
                                                 "hours": "25:00-99:00", "criteria": "a|b|c"}).status_code == 200
    assert bureau.post("/program/windows", data={"title": "x", "opens_on": "2022-08-01", "closes_on": "2022-09-01",
                                                 "hours": "9-5", "criteria": ""}).status_code == 200
    for url in ("/program/applications/abc", "/program/applications/999", "/program/watches/0", "/program/financing/-1",
                "/program/events/999", f"/program/centers/{center.id}/report/0", f"/program/centers/{center.id}/plan/x"):
        assert staff.get(url).status_code == 404, url
    assert staff.post("/program/offers/999/accept").status_code == 404
    assert staff.post(f"/program/centers/{center.id}/events", data={"title": "x", "kind": "training",
                                                                    "starts_at": "yesterday"}).status_code == 200


def test_program_forms_need_csrf(app, world):
    center, people = world
    from itsdangerous import URLSafeTimedSerializer

    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    with client.session_transaction() as session:  # logged in, with a CSRF secret in the session
        session["_user_id"] = people["staff"].get_id()
        session["_fresh"] = True
        session["csrf_token"] = "raw-token"
    token = URLSafeTimedSerializer(csrf_app.secret_key, salt="wtf-csrf-token").dumps("raw-token")
    data = {key: "x" for key in rules.PLAN_SECTIONS}
    assert client.post(f"/program/centers/{center.id}/plan", data=data).status_code == 400
    assert client.post(f"/program/centers/{center.id}/plan", data={**data, "csrf_token": token}).status_code == 302
    page = client.get(f"/program/centers/{center.id}/plan").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_every_program_page_renders_for_every_role(app, db, world, monkeypatch):
    """Crawl the program's pages with one object of each kind: no 500, no inline code."""
    from app.services import applications as apps
    from app.services import program as ps

    center, people = world
    # Tuesday 10:00 (Monday 2 June 2025 is the Dragon Boat Festival holiday)
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2025, 6, 3, 2, 0, tzinfo=UTC))
    staff, member, bureau = people["staff"], people["member"], people["bureau"]
    patent = make_patent(member.org)
    ps.save_plan(staff, center, {k: "内容\n第二行" for k in rules.PLAN_SECTIONS})
    ps.add_navigation(staff, center, ps.NavigationData("导航", "rd_activity", "某企业", "in_progress", date(2025, 1, 1)))
    product = ps.add_product(staff, center, ps.ProductData("产品", member.org.name, patent.application_number))
    ps.add_pct(staff, center, ps.PctData("申请人", "发明", "PCT/CN2025/000001", "national", date(2025, 5, 1), "US"))
    ps.add_standard(staff, center, ps.StandardData("GB/T 1-2025", "标准", "national", "drafting", patent.application_number))
    ps.add_award(staff, center, ps.AwardData("山西省专利奖", "provincial", "nominated", product_id=product.id))
    item = support.request_financing(member, center, kind="insurance", amount_fen=None, patents="", description="保险")
    support.add_offer(staff, item, provider_name="人保", provider_kind="insurer", amount_fen=100, terms="")
    watch = support.create_watch(member, center, name="监控", ipc_codes="C01B", competitors="")
    dispute = support.request_consultation(member, center, kind="other", subject="咨询", counterparty="", description="")
    event = support.create_event(staff, center, title="培训", kind="training", starts_at=datetime(2025, 7, 1, 9, 0),
                            location="", capacity=None, description="")
    window = apps.create_window(bureau, apps.WindowData("窗口", date(2025, 6, 1), date(2025, 6, 30)), [("基础", 10, 1)])
    applicant = people["outsider"]
    application = apps.start_application(applicant, window, apps.ApplicationData("新中心", "hydrogen"))
    expert = make_user(org=bureau.org, role=Role.EXPERT)
    apps.record_task_book(bureau, center, signed_on=date(2024, 3, 15))
    cid = center.id
    urls = [f"/program/centers/{cid}", f"/program/centers/{cid}/plan", f"/program/centers/{cid}/plan/1",
            f"/program/centers/{cid}/report/1", f"/program/centers/{cid}/report/2", f"/program/centers/{cid}/exit",
            f"/program/centers/{cid}/financing", f"/program/financing/{item.id}", f"/program/centers/{cid}/watches",
            f"/program/watches/{watch.id}", "/program/alerts", f"/program/centers/{cid}/disputes",
            f"/program/disputes/{dispute.id}", f"/program/centers/{cid}/events", f"/program/events/{event.id}",
            "/program/windows", f"/program/windows/{window.id}", "/program/applications",
            f"/program/applications/{application.id}", f"/program/applications/{application.id}/edit",
            f"/program/windows/{window.id}/apply", "/program/bureau", f"/program/centers/{cid}/lifecycle",
            "/program/notices", "/program/dishonesty", "/program/custodian"]
    urls += [f"/program/centers/{cid}/{k}" for k in ("navigation", "products", "pct", "standards", "awards")]
    urls += [f"/program/centers/{cid}/products/{product.id}/edit", f"/program/centers/{cid}/awards/1/edit"]
    for user in (staff, member, bureau, applicant, expert):
        client = client_for(app, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (user.role, url, response.status_code)
            if response.status_code == 200:
                no_inline_code(response.get_data(as_text=True))
    # the applicant submits; the bureau and the expert then see it
    for kind in rules.REQUIRED_DOCUMENTS:
        apps.add_document(applicant, application, kind, "x.pdf", "x.pdf")
    apps.update_application(applicant, application, apps.ApplicationData(
        "新中心", "hydrogen", "王五", "123", "", "资金", "目标", {k: "x" for k in rules.FEASIBILITY_SECTIONS},
        legal_representative="王五"))
    meet_conditions(applicant, application)
    apps.submit(applicant, application)
    apps.assign_expert(bureau, application, expert)
    for user, url in ((bureau, f"/program/applications/{application.id}"), (expert, f"/program/applications/{application.id}"),
                      (expert, f"/program/applications/{application.id}/score"), (bureau, f"/program/windows/{window.id}")):
        response = client_for(app, user).get(url)
        assert response.status_code == 200, url
        no_inline_code(response.get_data(as_text=True))


def test_pdf_without_a_font_falls_back_to_a_message(app, world, monkeypatch):
    from app.reports import pdf

    center, people = world

    def missing():
        raise pdf.FontMissing("no font")

    monkeypatch.setattr(pdf, "_register_font", missing)
    staff = client_for(app, people["staff"])
    staff.get("/lang/en")
    response = staff.post(f"/program/centers/{center.id}/report/1/files", data={"fmt": "pdf"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/program/centers/{center.id}/report/1")
    page = staff.get(f"/program/centers/{center.id}/report/1").get_data(as_text=True)
    assert "no Chinese font is installed on the server" in page
    response = staff.get(f"/program/centers/{center.id}/report/1.pdf")  # still no PDF to download
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/program/centers/{center.id}/report/1")
