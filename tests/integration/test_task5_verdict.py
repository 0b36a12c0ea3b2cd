"""One task-5 verdict for a center and a date, the same on every page, file and API answer."""

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain.targets import Task5State
from app.models import Deal, OrgKind, Role, TargetEvent
from app.reports import pdf, xlsx
from app.services import evaluation, tokens
from app.services import targets as ts
from tests.conftest import login, make_center, make_org, make_user


def auth(user):
    _, token = tokens.create(user, "test")
    return {"Authorization": f"Bearer {token}"}

APPROVAL = date(2023, 3, 1)
NOW = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)  # 2026-04-01 in Beijing: project year 4


def _count(db, center, year: int, n: int, on: date) -> Deal:
    deal = Deal(seller_name="甲", buyer_name="乙", kind="transfer", price_fen=100, status="completed",
                center_id=center.id, completed_on=on)
    db.session.add(deal)
    db.session.flush()
    for i in range(n):
        db.session.add(TargetEvent(center_id=center.id, deal_id=deal.id, application_number=f"N{year}-{i}",
                                   project_year=year, occurred_on=on, delta=1))
    db.session.commit()
    return deal


def _world(app, db, monkeypatch, counts):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    center = make_center(approval_date=APPROVAL)
    for year, n in enumerate(counts, start=1):
        _count(db, center, year, n, date(2022 + year, 6, 1))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    return center, staff, bureau


def _pages(app, center, staff, bureau) -> dict[str, str]:
    s, b = app.test_client(), app.test_client()
    login(s, staff)
    login(b, bureau)
    pages = {
        "dashboard": s.get(f"/targets/centers/{center.id}"),
        "board": s.get(f"/program/centers/{center.id}"),
        "targets_bureau": b.get("/targets/bureau"),
        "program_bureau": b.get("/program/bureau"),
        "report_3": s.get(f"/program/centers/{center.id}/report/3"),
    }
    assert all(r.status_code == 200 for r in pages.values()), {k: r.status_code for k, r in pages.items()}
    return {k: r.get_data(as_text=True) for k, r in pages.items()}


def test_carbon_center_meets_the_rule_everywhere(app, db, monkeypatch):
    # 24, 29, 43: year 2 was below its 26 and the old board said "missing"; 34 % growth meets the rule
    center, staff, bureau = _world(app, db, monkeypatch, [24, 29, 43])
    t5 = ts.task5(center)
    assert t5.state is Task5State.GREEN and round(t5.verdict.growth, 4) == 0.3385
    for name, html in _pages(app, center, staff, bureau).items():
        assert "符合要求" in html, name
        assert "未达标" not in html, name
    api = app.test_client().get(f"/api/v1/centers/{center.id}/targets", headers=auth(bureau)).get_json()
    assert api["state"] == "green" and api["state_label"] == "符合要求"
    assert api["reasons"][0]["kind"] == "rule" and api["targets_source"] == "notice"
    with app.test_request_context():
        ev = evaluation.evaluate(center, 3)
        assert ev.task5.state is Task5State.GREEN  # the year-3 record: 43 counted, 34 % growth
        sheet = load_workbook(io.BytesIO(xlsx.evaluation_report(ev)))["task5"]
        assert "符合要求" in sheet["A2"].value
        reader = PdfReader(io.BytesIO(pdf.evaluation_report(ev)))
        text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
        assert "任务五（按通知规则）：符合要求" in text
    schema = app.test_client().get("/api/v1/openapi.json").get_json()
    props = schema["components"]["schemas"]["TargetsOut"]["properties"]
    assert {"state", "state_label", "reasons", "targets_source"} <= set(props)


def test_shrinking_center_is_at_risk_with_the_need(app, db, monkeypatch):
    center, staff, bureau = _world(app, db, monkeypatch, [40, 30, 35])
    t5 = ts.task5(center)
    assert t5.state is Task5State.AMBER
    # 40 × 1.3^4 = 114.24: year 5 needs 115
    assert t5.verdict.needed_final == 115
    html = _pages(app, center, staff, bureau)["dashboard"]
    assert "有风险" in html and "第 5 项目年度至少需要 115 件/次" in html


def test_missed_year_one_is_red_on_its_own_report(app, db, monkeypatch):
    # the year-1 report said "in progress" for a finished, missed year
    center, staff, bureau = _world(app, db, monkeypatch, [19, 40, 60])
    with app.test_request_context():
        ev = evaluation.evaluate(center, 1)
    assert ev.task5.state is Task5State.RED
    assert ev.task5.verdict.reasons[0].params == {"count": 19, "floor": 20}
    s = app.test_client()
    login(s, staff)
    html = s.get(f"/program/centers/{center.id}/report/1").get_data(as_text=True)
    assert "未达标" in html and "第 1 项目年度计数 19，低于通知要求的 20" in html


def test_a_later_correction_is_a_dated_line_not_a_silent_change(app, db, monkeypatch):
    center, staff, bureau = _world(app, db, monkeypatch, [21, 30, 40])
    year1 = db.session.query(Deal).order_by(Deal.id).first()
    # two patents of a year-1 deal are taken off in year 3 (the deal was undone)
    for i in range(2):
        db.session.add(TargetEvent(center_id=center.id, deal_id=year1.id, application_number=f"N1-{i}",
                                   project_year=1, occurred_on=date(2025, 9, 1), delta=-1))
    db.session.commit()
    with app.test_request_context():
        ev = evaluation.evaluate(center, 1)
        lines = evaluation.task5_lines(ev)
    # the year-1 record keeps its 21 (green); the correction is listed with its date
    assert ev.progress["years"][0]["count"] == 21 and ev.task5.state is Task5State.GREEN
    assert [(c.on, c.year, c.delta) for c in ev.corrections] == [(date(2025, 9, 1), 1, -1)] * 2
    assert any("2025-09-01" in line for line in lines)
    s = app.test_client()
    login(s, staff)
    html = s.get(f"/program/centers/{center.id}/report/1").get_data(as_text=True)
    assert "年度结束后的更正" in html and "2025-09-01" in html and "更正后：19" in html
    # today's verdict counts the corrected 19: year 1 is now below 20
    assert ts.task5(center).state is Task5State.RED


def test_before_approval_not_started(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    center = make_center(approval_date=None)
    bureau = make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF)
    assert ts.task5(center).state is Task5State.NOT_STARTED
    api = app.test_client().get(f"/api/v1/centers/{center.id}/targets", headers=auth(bureau)).get_json()
    assert api["state"] == "not_started" and api["years"] == []


def test_own_series_says_where_it_comes_from(app, db, monkeypatch):
    from app.services import centers as center_service

    center, staff, bureau = _world(app, db, monkeypatch, [24])
    center_service.set_targets(staff, center, [25, 33, 43, 56, 73])
    source = ts.target_source(center)
    assert source.own and source.set_by == staff.name and source.targets == (25, 33, 43, 56, 73)
    s = app.test_client()
    login(s, staff)
    html = s.get(f"/targets/centers/{center.id}").get_data(as_text=True)
    assert "中心自定的目标序列" in html and staff.name in html


def test_a_deal_recorded_after_its_year_ended_is_a_dated_correction(app, db, monkeypatch):
    from app.models import AllianceMembership
    from app.services import deals as ds

    center, staff, bureau = _world(app, db, monkeypatch, [21, 30, 40])
    seller = make_user(org=make_org("university"))
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    # closed in year 1 (2023), entered in year 4 (2026-04-01): year 1 now counts 22, its record stays 21
    ds.record_offline(staff, center, ds.OfflineDeal(
        seller=seller.org.name, buyer="外部公司", kind="transfer", application_numbers=["202010566088.9"],
        completed_on=date(2023, 9, 1), price_fen=1, recordal_number="ZLBG2023123456", contract_filename="合同"))
    assert ts.counts_by_year(center.id)[1] == 22
    with app.test_request_context():
        ev = evaluation.evaluate(center, 1)
    assert ev.progress["years"][0]["count"] == 21
    assert [(c.on, c.year, c.delta) for c in ev.corrections] == [(date(2026, 4, 1), 1, 1)]
