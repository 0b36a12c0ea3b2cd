"""The bureau's journey in a real browser: a window, the first review with the oral defence, its
list, due diligence, the public notice across National Day, the refusal before it ends, approval.
The applicant and the experts act through the services; the program's clock is set for each step."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from app.domain import credit_code
from app.domain import program as rules
from app.extensions import db
from app.models import ApplicationStatus, ApplicationWindow, AuditRecord, CenterApplication, OrgKind, Role
from app.services import applications as apps
from app.services import clock
from app.services import lifecycle as life
from tests.conftest import make_org, make_user
from tests.e2e.test_journeys import log_in
from tests.lifecycle_support import meet_conditions


def _clock(monkeypatch, day: date, hour: int = 10) -> None:
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=clock.BEIJING).astimezone(UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)  # the live server runs in this process


def _submit_card(page, action: str, fields: dict[str, str], selects: dict[str, str] | None = None):
    form = page.locator(f"form[action$='{action}']")
    for name, value in fields.items():
        form.locator(f"[name='{name}']").fill(value)
    for name, value in (selects or {}).items():
        form.locator(f"[name='{name}']").select_option(value)
    form.locator("[type=submit]").click()
    page.wait_for_load_state()


def test_bureau_from_window_to_approval(page, live_server, monkeypatch, tmp_path):
    base = live_server
    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    applicant = make_user(org=make_org(OrgKind.ENTERPRISE, name="太原钢铁（集团）测试有限公司"), role=Role.ORG_ADMIN)
    expert = make_user(org=make_org(OrgKind.UNIVERSITY), role=Role.EXPERT, name="张教授")
    custodian = make_user(org=make_org(OrgKind.ENTERPRISE, name="太原市国投测试公司"), role=Role.CUSTODIAN)

    _clock(monkeypatch, date(2022, 8, 11))
    log_in(page, base, bureau.email)
    page.wait_for_url(re.compile(r"/$|/workspace|/orgs|/program"))
    page.goto(f"{base}/program/windows")
    page.fill("input[name=title]", "2022年度运营中心申报")
    page.fill("input[name=opens_on]", "2022-08-18")
    page.fill("input[name=closes_on]", "2022-09-30")
    page.fill("textarea[name=criteria]", "建设基础 | 40 | 40\n实施方案 | 60 | 60")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/program/windows/\d+$"))
    window_id = int(page.url.rsplit("/", 1)[1])

    # the applicant prepares and submits on a working day within the hours
    _clock(monkeypatch, date(2022, 8, 18))
    window = db.session.get(ApplicationWindow, window_id)
    application = apps.start_application(applicant, window, apps.ApplicationData(
        "太原市不锈钢产业知识产权运营中心", "special_steel", "张三", "0351-1234567", "", "资金计划", "目标",
        {k: "内容" for k in rules.FEASIBILITY_SECTIONS}, legal_representative="张三"))
    for kind in rules.REQUIRED_DOCUMENTS:
        apps.add_document(applicant, application, kind, f"{kind}.pdf", f"{kind}.pdf")
    meet_conditions(applicant, application)
    apps.submit(applicant, application)
    aid = application.id
    detail = f"/program/applications/{aid}"

    # the bureau assigns the expert, who scores the materials
    page.goto(f"{base}{detail}")
    assert page.locator("text=✓ 已达标").count() == 5
    _submit_card(page, f"/applications/{aid}/assign", {}, {"assign-expert_id": str(expert.id)})
    criteria = [c.id for c in window.criteria]
    apps.score(expert, db.session.get(CenterApplication, aid), {criteria[0]: 36, criteria[1]: 54})

    # the oral defence: scheduled, held, scored; the bureau puts it on its list
    page.goto(f"{base}{detail}")
    _submit_card(page, f"/applications/{aid}/defence", {"schedule-scheduled_at": "2022-09-27T09:30",
                                                        "schedule-place": "市局三楼会议室"})
    assert "2022-09-27 09:30" in page.inner_text("main")
    _clock(monkeypatch, date(2022, 9, 27), 14)
    _submit_card(page, f"/applications/{aid}/defence/attendance", {"attendance-attendance": "申报单位：张三；专家：张教授"})
    life.score_defence(expert, db.session.get(CenterApplication, aid), 80, "")
    page.goto(f"{base}/program/windows/{window_id}")
    assert "85.00" in page.inner_text("main")  # combined: (90 + 80) / 2, rank 1
    page.goto(f"{base}{detail}")
    _submit_card(page, f"/applications/{aid}/review-decision", {}, {"review-passed": "1"})
    assert "已通过初审" in page.inner_text("main")

    # due diligence by a named third party: report, findings, outcome
    _submit_card(page, f"/applications/{aid}/diligence", {"diligence-firm": "山西正信会计师事务所"})
    report = Path(tmp_path, "report.pdf")
    report.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator(f"form[action$='/applications/{aid}/diligence/reports'] input[type=file]").set_input_files(str(report))
    page.locator(f"form[action$='/applications/{aid}/diligence/reports'] [type=submit]").click()
    page.wait_for_load_state()
    _submit_card(page, f"/applications/{aid}/diligence/outcome", {"outcome-findings": "财务状况良好"},
                 {"outcome-outcome": "passed"})

    # the public notice, published the Thursday before National Day: five working days end on 10 October
    _clock(monkeypatch, date(2022, 9, 29))
    page.goto(f"{base}{detail}")
    _submit_card(page, f"/applications/{aid}/notice", {"notice-published_on": "2022-09-29",
                                                       "notice-working_days": "5", "notice-text": "拟立项公示"})
    assert "至 2022-10-10" in page.inner_text("main")

    # approval before the period ends is refused with the reason
    _clock(monkeypatch, date(2022, 10, 10))
    page.goto(f"{base}{detail}")
    assert "公示期至 2022-10-10" in page.inner_text("main")
    approve = {"approve-approval_date": "2022-10-11", "approve-task_book_signed_on": "2022-10-20",
               "approve-new_org_name": "太原不锈钢知识产权运营有限公司",
               "approve-new_org_credit_code": credit_code.make("91140100MA0LE2E01"), "approve-equity": "30000000"}
    _submit_card(page, f"/applications/{aid}/approve", approve, {"approve-custodian_org_id": str(custodian.org_id)})
    assert "公示期至 2022-10-10" in page.inner_text("main")
    db.session.expire_all()
    assert db.session.get(CenterApplication, aid).status == ApplicationStatus.PUBLIC_NOTICE

    # the day after: approved, the center's board shows its stage
    _clock(monkeypatch, date(2022, 10, 11))
    page.goto(f"{base}{detail}")
    _submit_card(page, f"/applications/{aid}/approve", approve, {"approve-custodian_org_id": str(custodian.org_id)})
    page.wait_for_url(re.compile(r"/program/centers/\d+$"))
    assert "基础建设期" in page.inner_text("main")
    db.session.expire_all()
    center = db.session.get(CenterApplication, aid).center
    assert center is not None and center.approval_date == date(2022, 10, 11)
    assert apps.task_book(center).custodian_org_id == custodian.org_id
    actions = set(db.session.scalars(sa.select(AuditRecord.action)))
    assert {"application.defence_scheduled", "application.notice_published", "application.approved"} <= actions
