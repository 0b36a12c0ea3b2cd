"""A center's life through the real services: first review with the oral defence, due diligence,
public notice and objections, approval and its refusals, false material, the custodian, fund-use
reports, termination with the ban, final acceptance and the deadline reminders."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.domain import center_lifecycle as lc
from app.domain import credit_code
from app.domain import program as rules
from app.domain.errors import DomainError
from app.models import (
    ApplicationStatus,
    AuditRecord,
    CenterApplication,
    CreditRecord,
    EquityInjection,
    Notification,
    OrgKind,
    OutboxEmail,
    Role,
)
from app.services import applications as apps
from app.services import lifecycle as life
from app.services.permissions import Forbidden, NotFound
from tests.conftest import make_org, make_user
from tests.lifecycle_support import meet_conditions, on_day, on_notice, pass_first_review, through_diligence

OPENS = date(2022, 8, 18)  # a Thursday


@pytest.fixture
def people(db):
    bureau_org = make_org(OrgKind.BUREAU)
    return {
        "bureau": make_user(org=bureau_org, role=Role.BUREAU_STAFF),
        "applicant": make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.ORG_ADMIN),
        "experts": [make_user(org=make_org(OrgKind.UNIVERSITY), role=Role.EXPERT) for _ in range(5)],
        "custodian": make_user(org=make_org(OrgKind.ENTERPRISE, name="太原市国有资本投资运营有限公司"),
                               role=Role.CUSTODIAN),
    }


def _window(bureau, opens=OPENS, closes=date(2022, 9, 19), title="2022年度申报"):
    return apps.create_window(bureau, apps.WindowData(title, opens, closes, "09:00-11:30, 15:00-17:30", True),
                              [("建设基础", 40, 40), ("实施方案", 60, 60)])


def _application(applicant, w, industry="carbon_materials", legal="赵六"):
    data = apps.ApplicationData(f"太原市{industry}运营中心", industry, "张三", "0351-1234567", "山西大学", "资金计划",
                                "目标", {k: "内容" for k in rules.FEASIBILITY_SECTIONS}, legal_representative=legal)
    application = apps.start_application(applicant, w, data)
    for kind in rules.REQUIRED_DOCUMENTS:
        apps.add_document(applicant, application, kind, f"{kind}.pdf", f"{kind}.pdf")
    meet_conditions(applicant, application)
    return application


def _reviewed(app, monkeypatch, people, material=((40, 60), (32, 48), (28, 42), (24, 36), (0, 0))):
    on_day(app, monkeypatch, OPENS)
    w = _window(people["bureau"])
    application = _application(people["applicant"], w)
    apps.submit(people["applicant"], application)
    c = [cr.id for cr in w.criteria]
    for expert, (a, b) in zip(people["experts"], material):
        apps.assign_expert(people["bureau"], application, expert)
        apps.score(expert, application, {c[0]: a, c[1]: b})
    return application


def _approval(people, day=date(2022, 11, 1)):
    return apps.Approval(day, day + timedelta(days=10), new_org_name=f"太原运营中心{day:%Y%m%d}有限公司",
                         new_org_credit_code=credit_code.make(f"91140100MA{day:%y%m%d}1"),
                         custodian_org_id=people["custodian"].org_id)


def _approved_center(app, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    pass_first_review(people["bureau"], application, people["experts"])
    notice = on_notice(people["bureau"], application)
    on_day(app, monkeypatch, notice.ends_on + timedelta(days=1))
    return apps.approve(people["bureau"], application, _approval(people, notice.ends_on + timedelta(days=1))), application


# ---- first review ---------------------------------------------------------------------------


def test_oral_defence_combined_score_and_the_bureau_list(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    bureau, experts = people["bureau"], people["experts"]
    with pytest.raises(DomainError, match="defence has not been held"):
        life.decide_review(bureau, application, True)
    with pytest.raises(DomainError, match="schedule the defence"):
        life.record_attendance(bureau, application, "x")
    from app.services import clock

    later = clock.local_now().replace(tzinfo=None) + timedelta(days=3)
    life.schedule_defence(bureau, application, later, "市局三楼")
    with pytest.raises(DomainError, match="not taken place"):
        life.record_attendance(bureau, application, "申报单位两人")
    with pytest.raises(DomainError, match="not been held"):
        life.score_defence(experts[0], application, 90)
    on_day(app, monkeypatch, later.date(), 16)
    life.record_attendance(bureau, application, "申报单位两人；专家五人")
    with pytest.raises(Forbidden):
        life.score_defence(people["applicant"], application, 90)
    with pytest.raises(DomainError, match="between 0 and 100"):
        life.score_defence(experts[0], application, 101)
    for expert, value in zip(experts, (95, 90, 85, 80, 10)):
        life.score_defence(expert, application, value)
    life.score_defence(experts[4], application, 75)  # revised
    review = life.first_review(application)
    # materials: 100, 80, 70, 60, 0 → trimmed 70; defence: 95, 90, 85, 80, 75 → trimmed 85
    assert review.material.score == 70 and review.material.trimmed
    assert review.defence.score == 85 and review.combined == 77.5
    ranking = life.window_ranking(application.window)
    assert ranking[application.id][1] == 1
    life.decide_review(bureau, application, True)
    assert application.status == ApplicationStatus.REVIEW_PASSED
    with pytest.raises(DomainError):
        life.score_defence(experts[0], application, 50)  # the first review is over
    actions = set(db.session.scalars(sa.select(AuditRecord.action).where(AuditRecord.object_id == application.id)))
    assert {"application.defence_scheduled", "application.defence_held", "application.defence_scored",
            "application.review_decided"} <= actions


def test_a_failed_review_or_due_diligence_rejects(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    with pytest.raises(DomainError):
        life.decide_review(people["bureau"], application, False, "")  # the reason is required
    life.decide_review(people["bureau"], application, False, "综合得分排名靠后")
    assert application.status == ApplicationStatus.REJECTED and application.decision_note == "综合得分排名靠后"


def test_due_diligence_needs_a_report_and_a_failed_one_rejects(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    bureau = people["bureau"]
    with pytest.raises(DomainError):
        life.appoint_diligence(bureau, application, "某事务所")  # not on the list yet
    pass_first_review(bureau, application, people["experts"])
    with pytest.raises(DomainError, match="positive outcome"):
        life.publish_notice(bureau, application, None, 5, "公示")
    life.appoint_diligence(bureau, application, "山西某会计师事务所")
    with pytest.raises(DomainError, match="report"):
        life.conclude_diligence(bureau, application, "发现问题", "failed")
    life.add_diligence_report(bureau, application, "r.pdf", "报告.pdf")
    life.conclude_diligence(bureau, application, "资金来源不清", "failed")
    assert application.status == ApplicationStatus.REJECTED


# ---- public notice and approval ---------------------------------------------------------------


def test_approval_before_review_before_the_notice_ends_and_with_an_upheld_objection(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    bureau = people["bureau"]
    with pytest.raises(DomainError, match="first review"):
        apps.approve(bureau, application, _approval(people))
    pass_first_review(bureau, application, people["experts"])
    with pytest.raises(DomainError, match="due diligence"):
        apps.approve(bureau, application, _approval(people))
    on_day(app, monkeypatch, date(2022, 9, 29))  # Thursday before National Day
    through_diligence(bureau, application)
    with pytest.raises(DomainError, match="between|5–30"):
        life.publish_notice(bureau, application, None, 2, "公示")
    notice = life.publish_notice(bureau, application, None, 5, "拟立项公示")
    assert notice.ends_on == date(2022, 10, 10) and not notice.calendar_fallback  # across the holiday
    assert life.public_notices() == [notice]
    objection = life.file_objection(notice, "王某", "13800000000", "申报材料中销售额有误")
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.kind == "objection")) == 1
    on_day(app, monkeypatch, date(2022, 10, 10))
    with pytest.raises(DomainError, match="runs until 2022-10-10"):
        apps.approve(bureau, application, _approval(people))
    on_day(app, monkeypatch, date(2022, 10, 11))
    with pytest.raises(DomainError, match="objections are no longer received"):
        life.file_objection(notice, "李某", "x", "晚到的异议")
    with pytest.raises(DomainError, match="not been answered"):
        apps.approve(bureau, application, _approval(people))
    with pytest.raises(Forbidden):
        life.answer_objection(people["applicant"], objection, "x", False)
    life.answer_objection(bureau, objection, "经核实，销售额以审计报告为准，异议不成立", upheld=False)
    with pytest.raises(DomainError):
        life.answer_objection(bureau, objection, "again", True)
    center = apps.approve(bureau, application, _approval(people, date(2022, 10, 11)))
    assert application.status == ApplicationStatus.APPROVED
    assert apps.task_book(center).custodian_org_id == people["custodian"].org_id
    assert apps.task_book(center).custodian == "太原市国有资本投资运营有限公司"


def test_an_upheld_objection_blocks_approval(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    pass_first_review(people["bureau"], application, people["experts"])
    notice = on_notice(people["bureau"], application)
    objection = life.file_objection(notice, "王某", "x", "合作单位未同意")
    life.answer_objection(people["bureau"], objection, "异议成立", upheld=True)
    on_day(app, monkeypatch, notice.ends_on + timedelta(days=1))
    with pytest.raises(DomainError, match="upheld"):
        apps.approve(people["bureau"], application, _approval(people))
    apps.reject(people["bureau"], application, "公示期异议成立")
    assert application.status == ApplicationStatus.REJECTED


def test_notice_in_a_year_the_calendar_does_not_know_says_so(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    pass_first_review(people["bureau"], application, people["experts"])
    through_diligence(people["bureau"], application)
    notice = life.publish_notice(people["bureau"], application, date(2099, 3, 2), 5, "公示")
    assert notice.ends_on == date(2099, 3, 6) and notice.calendar_fallback
    assert life.public_notices() == []  # not yet published


# ---- false material and the ban --------------------------------------------------------------


def test_false_material_disqualifies_and_enters_the_credit_file(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    pass_first_review(people["bureau"], application, people["experts"])
    with pytest.raises(Forbidden):
        life.record_false_material(people["applicant"], application, "x")
    with pytest.raises(DomainError):
        life.record_false_material(people["bureau"], application, "")
    row = life.record_false_material(people["bureau"], application, "财务报表数据与审计报告不符")
    assert application.status == ApplicationStatus.DISQUALIFIED
    assert row.kind == lc.CreditKind.FALSE_MATERIAL and row.org_id == application.org_id and row.banned_until is None
    assert row.legal_representative == "赵六" and life.credit_file() == [row]
    with pytest.raises(DomainError):
        life.appoint_diligence(people["bureau"], application, "x")  # nothing goes on from there


def test_misuse_terminates_withdraws_lists_and_bans_for_three_years(app, db, monkeypatch, people):
    center, application = _approved_center(app, monkeypatch, people)
    bureau, custodian = people["bureau"], people["custodian"]
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    book = apps.task_book(center)
    on_day(app, monkeypatch, book.signed_on + timedelta(days=5))
    life.record_injection(custodian, center, 50_000_000_00, book.signed_on + timedelta(days=2), "首期注资")
    on_day(app, monkeypatch, center.approval_date + timedelta(days=400))
    report = life.file_fund_report(staff, center, 1, 12_000_000_00, "第一年资金用于数据库建设")
    with pytest.raises(DomainError, match="has been filed"):
        life.file_fund_report(staff, center, 1, 1, "again")
    with pytest.raises(DomainError):
        life.review_fund_report(bureau, report, True, "")  # misuse needs the facts
    today = center.approval_date + timedelta(days=400)
    life.review_fund_report(bureau, report, True, "资金用于购买理财产品，挪用专项资金")
    assert life.stage(center) is lc.Stage.TERMINATED
    assert life.equity_total(center) == 0
    withdrawal = db.session.scalar(sa.select(EquityInjection).where(EquityInjection.amount_fen < 0))
    assert withdrawal.amount_fen == -50_000_000_00 and withdrawal.on == today
    listed = db.session.scalars(sa.select(CreditRecord).where(CreditRecord.kind == lc.CreditKind.SERIOUS_DISHONESTY)).all()
    assert {r.org_id for r in listed} == {center.org_id, application.org_id}
    assert all(r.banned_until == lc.ban_until(today) for r in listed)
    assert next(r for r in listed if r.org_id == application.org_id).legal_representative == "赵六"
    with pytest.raises(DomainError, match="terminated"):
        life.record_injection(custodian, center, 1, today)
    # the founder applies again: refused at submission with the reason, for three years
    on_day(app, monkeypatch, today + timedelta(days=30))
    w = _window(bureau, today, today + timedelta(days=60), "再次申报")
    again = _application(people["applicant"], w, "hydrogen", legal="钱七")
    with pytest.raises(DomainError, match="serious dishonesty list") as err:
        apps.submit(people["applicant"], again)
    assert lc.ban_until(today).isoformat() in err.value.message
    # another company with the same legal representative: refused too
    other = make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.ORG_ADMIN)
    same_person = _application(other, w, "biomedicine", legal="赵 六")
    with pytest.raises(DomainError, match="legal representative"):
        apps.submit(other, same_person)
    assert again.status == ApplicationStatus.DRAFT
    # after the ban (a window on a working day)
    after = lc.ban_until(today) + timedelta(days=1)
    while not __import__("app.domain.workdays", fromlist=["x"]).is_working_day(after):
        after += timedelta(days=1)
    on_day(app, monkeypatch, after)
    later = _window(bureau, after, after + timedelta(days=30), "三年后")
    fresh = _application(people["applicant"], later, "semiconductors", legal="钱七")
    apps.submit(people["applicant"], fresh)
    assert fresh.status == ApplicationStatus.SUBMITTED


# ---- after approval: custodian, fund reports, foundation, acceptance --------------------------


def test_custodian_records_injections_and_sees_fund_reports(app, db, monkeypatch, people):
    center, _ = _approved_center(app, monkeypatch, people)
    custodian, bureau = people["custodian"], people["bureau"]
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    other_custodian = make_user(org=make_org(OrgKind.ENTERPRISE), role=Role.CUSTODIAN)
    assert life.can_view_lifecycle(custodian, center) and life.custodian_centers(custodian) == [center]
    assert not life.can_view_lifecycle(other_custodian, center) and not life.can_view_lifecycle(people["applicant"], center)
    with pytest.raises(NotFound):
        life.require_view_lifecycle(people["experts"][0], center)
    book = apps.task_book(center)
    with pytest.raises(Forbidden):
        life.record_injection(other_custodian, center, 100, book.signed_on)
    with pytest.raises(Forbidden):
        life.record_injection(staff, center, 100, book.signed_on)
    with pytest.raises(DomainError):
        life.record_injection(custodian, center, 100, book.signed_on - timedelta(days=1))
    on_day(app, monkeypatch, book.signed_on + timedelta(days=3))
    life.record_injection(custodian, center, 30_000_000_00, book.signed_on + timedelta(days=1))
    life.record_injection(custodian, center, 20_000_000_00, book.signed_on + timedelta(days=3))
    assert life.equity_total(center) == 50_000_000_00
    assert life.stage(center) is lc.Stage.FOUNDATION
    milestones = {m.key: m for m in life.foundation(center)}
    assert milestones["company_founded"].done_on is not None
    assert milestones["equity_agreement"].due == rules.add_months(book.signed_on, 1)
    with pytest.raises(DomainError, match="has not begun"):
        life.file_fund_report(staff, center, 2, 1, "x")
    with pytest.raises(Forbidden):
        life.file_fund_report(custodian, center, 1, 1, "x")
    report = life.file_fund_report(staff, center, 1, 8_000_000_00, "年度资金使用情况")
    assert life.fund_reports(center) == [report]
    with pytest.raises(Forbidden):
        life.review_fund_report(custodian, report, False, "")
    life.review_fund_report(bureau, report, False, "使用规范")
    assert report.status == lc.FundReportStatus.ACCEPTED
    with pytest.raises(DomainError):
        life.review_fund_report(bureau, report, True, "x")


def test_final_acceptance_after_five_years(app, db, monkeypatch, people):
    center, _ = _approved_center(app, monkeypatch, people)
    bureau, experts = people["bureau"], people["experts"]
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    end = lc.construction_ends_on(center.approval_date)
    on_day(app, monkeypatch, end)
    assert life.stage(center) is lc.Stage.CONSTRUCTION
    life.add_acceptance_document(staff, center, "work_summary", "s.pdf", "工作总结.pdf")
    with pytest.raises(DomainError, match="five construction years"):
        life.submit_acceptance(staff, center, "五年建设工作总结")
    on_day(app, monkeypatch, end + timedelta(days=1))
    assert life.stage(center) is lc.Stage.ACCEPTANCE
    with pytest.raises(DomainError, match="work summary"):
        life.submit_acceptance(staff, center, "五年建设工作总结")
    life.add_acceptance_document(staff, center, "results_proof", "p.pdf", "成果证明.pdf")
    life.add_acceptance_document(staff, center, "policy_documents", "d.pdf", "政策文件.pdf")
    with pytest.raises(Forbidden):
        life.submit_acceptance(people["custodian"], center, "x")
    acc = life.submit_acceptance(staff, center, "五年建设工作总结")
    with pytest.raises(DomainError):
        life.add_acceptance_document(staff, center, "other", "o.pdf", "o.pdf")
    with pytest.raises(DomainError, match="every assigned expert"):
        life.decide_acceptance(bureau, acc, True, "通过")
    for e in experts[:3]:
        life.assign_acceptance_expert(bureau, acc, e)
    with pytest.raises(DomainError):
        life.assign_acceptance_expert(bureau, acc, staff)
    assert life.require_view_acceptance(experts[0], acc) is acc
    with pytest.raises(NotFound):
        life.require_view_acceptance(experts[4], acc)
    for e, value in zip(experts[:2], (88, 92)):
        life.score_acceptance(e, acc, value, "成果显著")
    with pytest.raises(DomainError, match="every assigned expert"):
        life.decide_acceptance(bureau, acc, True, "通过")
    life.score_acceptance(experts[2], acc, 90)
    assert life.acceptance_result(acc).score == 90
    life.decide_acceptance(bureau, acc, True, "验收通过")
    assert acc.status == lc.AcceptanceStatus.PASSED and life.stage(center) is lc.Stage.ENDED
    with pytest.raises(DomainError):
        life.score_acceptance(experts[0], acc, 10)


def test_deadline_reminders_reach_the_people_who_act_once(app, db, monkeypatch, people):
    application = _reviewed(app, monkeypatch, people)
    pass_first_review(people["bureau"], application, people["experts"])
    notice = on_notice(people["bureau"], application)
    assert life.send_reminders(notice.published_on) == 0  # five working days left
    on_day(app, monkeypatch, notice.ends_on - timedelta(days=1))
    assert life.send_reminders() == 1
    assert life.send_reminders() == 0  # not twice
    note = db.session.scalar(sa.select(Notification).where(Notification.kind == "notice_ending"))
    assert note.org_id == people["bureau"].org_id and note.params["day"] == notice.ends_on.isoformat()
    assert db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.to_user_id == people["bureau"].id)) is not None
    on_day(app, monkeypatch, notice.ends_on + timedelta(days=1))
    center = apps.approve(people["bureau"], application, _approval(people, notice.ends_on + timedelta(days=1)))
    due = lc.fund_report_due(center.approval_date, 1)
    on_day(app, monkeypatch, due - timedelta(days=10))
    assert life.send_reminders() == 1
    fund = db.session.scalar(sa.select(Notification).where(Notification.kind == "fund_report_due"))
    assert fund.org_id == center.org_id and fund.params == {"year": 1, "day": due.isoformat()}
    on_day(app, monkeypatch, lc.construction_ends_on(center.approval_date) - timedelta(days=30))
    life.send_reminders()
    assert db.session.scalar(sa.select(Notification).where(Notification.kind == "acceptance_due")).org_id == center.org_id


# ---- the pages after approval, through their forms ---------------------------------------------


def test_lifecycle_page_forms_for_custodian_staff_bureau_and_experts(app, db, monkeypatch, people):
    import io

    from tests.conftest import login

    center, _ = _approved_center(app, monkeypatch, people)
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)

    def client_for(user):
        client = app.test_client()
        login(client, user)
        return client

    custodian, bureau = client_for(people["custodian"]), client_for(people["bureau"])
    center_staff, expert = client_for(staff), client_for(people["experts"][0])
    url = f"/program/centers/{center.id}/lifecycle"
    book = apps.task_book(center)
    on_day(app, monkeypatch, book.signed_on + timedelta(days=5))
    assert custodian.get("/program/custodian").status_code == 200
    assert custodian.post(f"{url}/injections", data={"inject-amount": "30000000", "inject-on": str(book.signed_on),
                                                     "inject-note": "首期"}).status_code == 302
    assert life.equity_total(center) == 3_000_000_000
    assert center_staff.post(f"{url}/injections", data={"inject-amount": "1", "inject-on": "2022-01-01"}).status_code == 403
    assert expert.get(url).status_code == 404
    on_day(app, monkeypatch, center.approval_date + timedelta(days=380))
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert center_staff.post(f"{url}/fund-reports", data={
        "fund-year": "1", "fund-used": "8000000", "fund-summary": "数据库建设",
        "fund-file": (io.BytesIO(pdf), "报告.pdf")}, content_type="multipart/form-data").status_code == 302
    report = life.fund_reports(center)[0]
    assert custodian.get(f"{url}/fund-reports/{report.id}/file").status_code == 200  # the custodian reads it
    assert "8,000,000" in custodian.get(url).get_data(as_text=True) or "800 万元" in custodian.get(url).get_data(as_text=True)
    assert bureau.post(f"{url}/fund-reports/{report.id}/review", data={"review-verdict": "ok",
                                                                       "review-note": "规范"}).status_code == 302
    assert life.fund_reports(center)[0].status == lc.FundReportStatus.ACCEPTED
    # acceptance after the five years
    on_day(app, monkeypatch, lc.construction_ends_on(center.approval_date) + timedelta(days=2))
    for kind in lc.REQUIRED_ACCEPTANCE_DOCUMENTS:
        assert center_staff.post(f"{url}/acceptance/documents", data={
            "doc-kind": kind, "doc-file": (io.BytesIO(pdf), f"{kind}.pdf")},
            content_type="multipart/form-data").status_code == 302
    assert center_staff.post(f"{url}/acceptance", data={"acc-summary": "五年总结"}).status_code == 302
    acc = life.acceptance(center)
    assert bureau.post(f"/program/acceptances/{acc.id}/assign",
                       data={"assign-expert_id": str(people["experts"][0].id)}).status_code == 302
    page = expert.get(f"/program/acceptances/{acc.id}")
    assert page.status_code == 200 and "五年总结" in page.get_data(as_text=True)
    assert expert.post(f"/program/acceptances/{acc.id}", data={"score": "101"}).status_code == 200  # refused on the form
    assert expert.post(f"/program/acceptances/{acc.id}", data={"score": "90", "comment": "好"}).status_code == 302
    assert bureau.post(f"/program/acceptances/{acc.id}/decide", data={"decide-passed": "1",
                                                                      "decide-note": "验收通过"}).status_code == 302
    db.session.expire_all()
    assert life.stage(center) is lc.Stage.ENDED
    board = bureau.get(f"/program/centers/{center.id}").get_data(as_text=True)
    assert "已结束" in board and "项目验收: <strong>通过" in board  # the board shows the stage and the outcome
    assert "已结束" in bureau.get("/program/bureau").get_data(as_text=True)


def test_odd_input_to_the_lifecycle_forms_never_500(app, db, monkeypatch, people):
    from tests.conftest import login

    application = _reviewed(app, monkeypatch, people)
    bureau = app.test_client()
    login(bureau, people["bureau"])
    base = f"/program/applications/{application.id}"
    garbage = {"schedule-scheduled_at": "yesterday", "schedule-place": "x" * 500, "attendance-attendance": "\x00",
               "defence-score": "1e999", "review-passed": "maybe", "diligence-firm": "", "outcome-outcome": "pending",
               "notice-published_on": "2022-02-30", "notice-working_days": "abc", "false-note": "",
               "answer-answer": "", "condition-key": "nonsense"}
    for path in ("/defence", "/defence/attendance", "/defence/score", "/review-decision", "/diligence",
                 "/diligence/outcome", "/notice", "/false-material", "/conditions", "/objections/999/answer"):
        response = bureau.post(base + path, data=garbage, follow_redirects=True)
        assert response.status_code in (200, 403, 404), (path, response.status_code)
    assert db.session.get(CenterApplication, application.id).status == ApplicationStatus.SUBMITTED
    for url in ("/program/notices/999", "/program/notices/abc", "/program/acceptances/1",
                "/program/centers/999/lifecycle", f"{base}/conditions/nonsense/proof"):
        assert bureau.get(url).status_code == 404, url
    anonymous = app.test_client()
    assert anonymous.get("/program/notices").status_code == 200
    assert anonymous.get("/program/dishonesty").status_code == 200
    assert anonymous.get("/program/custodian").status_code in (302, 401)
