"""How money and times read on pages: exact amounts in the reader's language, Beijing time."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from flask import session
from flask_babel import refresh

from app.templating import yuan


@pytest.fixture
def in_language(app):
    def use(lang):
        ctx = app.test_request_context("/")
        ctx.push()
        session["lang"] = lang
        refresh()
        return ctx
    pushed = []
    yield lambda lang: pushed.append(use(lang))
    for ctx in reversed(pushed):
        ctx.pop()


def _value_in_yuan(text: str) -> Decimal:
    """Read a shown amount back as a number of yuan."""
    text = text.replace(",", "").replace(" ", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("-")
    if text.endswith("亿元"):
        return sign * Decimal(text[:-2]) * 100_000_000
    if text.endswith("万元"):
        return sign * Decimal(text[:-2]) * 10_000
    assert text.startswith("¥"), text
    return sign * Decimal(text[1:])


def test_every_price_from_1_to_100_wan_reads_back_as_itself(in_language):
    in_language("zh_CN")
    for whole in range(10_000, 1_000_001, 100):
        fen = whole * 100
        assert _value_in_yuan(yuan(fen)) == whole, (whole, yuan(fen))
    for fen in (1, 99, 12345, 999_999, 1_000_001, 1_015_000, 12_345_678_901, -5_000_000, -12_345):
        assert _value_in_yuan(yuan(fen)) == Decimal(fen) / 100, (fen, yuan(fen))


def test_chinese_compact_forms_and_boundaries(in_language):
    in_language("zh_CN")
    assert yuan(12_500_000) == "12.5 万元"
    assert yuan(1_010_000) == "1.01 万元"
    assert yuan(1_000_000) == "1 万元"
    assert yuan(999_900) == "¥9,999.00"          # below 1 万元: in full
    assert yuan(1_015_000) == "¥10,150.00"       # 1.015 万 would need three decimals
    assert yuan(1_000_001) == "¥10,000.01"
    assert yuan(12_500_000_000) == "1.25 亿元"
    assert yuan(12_510_000_000) == "12,510 万元"  # 1.251 亿 would need three decimals
    assert yuan(-12_345) == "-¥123.45"
    assert yuan(-5_000_000) == "-5 万元"
    assert yuan(None) == "面议"
    assert yuan(12_500_000, compact=False) == "¥125,000.00"


def test_english_amounts_say_cny(in_language):
    in_language("en")
    assert yuan(12_500_000) == "CN¥125,000.00"
    assert yuan(-12_345) == "-CN¥123.45"
    assert yuan(None) == "Negotiable"


def test_deal_page_speaks_peoples_words_in_beijing_time(app, db):
    import sqlalchemy as sa

    from app.models import AuditRecord, Deal, LedgerTransaction
    from tests.conftest import login
    from tests.integration.test_deal_views import act, setup_world

    center, staff, seller, buyer, listing = setup_world(db)
    b, s = app.test_client(), app.test_client()
    login(b, buyer)
    login(s, seller)
    b.post(f"/deals/new?listing={listing.id}", data={"kind": "ordinary", "price": "50000", "payment_terms": "一次付清"})
    deal = db.session.scalar(sa.select(Deal))
    act(s, deal.id, "sign")
    act(b, deal.id, "sign")
    act(b, deal.id, "fund")
    fund = db.session.scalar(sa.select(LedgerTransaction).where(LedgerTransaction.kind == "fund"))
    fund.created_at = datetime(2026, 11, 2, 17, 30)  # stored UTC: 01:30 the next morning in Beijing
    db.session.execute(sa.update(AuditRecord).where(AuditRecord.action == "deal.fund")
                       .values(at=datetime(2026, 11, 2, 16, 5)))
    db.session.commit()
    html = b.get(f"/deals/{deal.id}").get_data(as_text=True)
    for code in (f"escrow:deal:{deal.id}", f"external:org:{buyer.org_id}", "deal.sign", "deal.fund", "UTC",
                 f"/listings/{listing.id}\">#", "· fund", "5 万元"):
        assert code not in html, code
    for words in ("付款方", "托管账户", "买方付款至托管账户", "签署合同", "-¥50,000.00", "¥50,000.00", listing.title,
                  "2026-11-03 01:30", "2026-11-03 00:05", "北京时间"):
        assert words in html, words
    steps = html[html.index('aria-label="进度"'):]
    assert steps.index("草稿") < steps.index("已签署") < steps.index("资金到位") < steps.index("已备案") < steps.index("已完成\n")
    assert 'deal-step-current" aria-current="step"' in html
    act(s, deal.id, "record", recordal_number="X2026110000321", recordal_date="2026-11-02")
    act(b, deal.id, "complete")
    html = b.get(f"/deals/{deal.id}").get_data(as_text=True)
    assert "平台服务费" in html and "收款方" in html and "revenue:" not in html and "payable:" not in html


def test_offline_deal_shows_offline_record_instead_of_signatures(app, db):
    from app.models import Deal, DealOrigin
    from app.domain.deals import DealKind, DealStatus
    from tests.conftest import login
    from tests.integration.test_deal_views import setup_world

    center, staff, seller, buyer, listing = setup_world(db)
    deal = Deal(origin=DealOrigin.OFFLINE, seller_org_id=seller.org_id, buyer_org_id=buyer.org_id, seller_name="甲",
                buyer_name="乙", center_id=center.id, kind=DealKind.TRANSFER, price_fen=100_000, status=DealStatus.COMPLETED)
    db.session.add(deal)
    db.session.commit()
    c = app.test_client()
    login(c, staff)
    html = c.get(f"/deals/{deal.id}").get_data(as_text=True)
    assert "线下登记" in html and "卖方：—" not in html and 'aria-label="进度"' not in html


def test_stored_utc_times_render_in_the_display_zone(app, in_language):
    from app.templating import local_time

    in_language("zh_CN")
    assert local_time(datetime(2026, 4, 17, 16, 0)) == "2026-04-18 00:00"
    assert local_time(datetime(2026, 4, 17, 16, 0), "date") == "2026-04-18"
    assert local_time(date(2026, 4, 17)) == "2026-04-17"
    assert local_time(None) == "—"
    app.config["DISPLAY_TIMEZONE"] = "Europe/Berlin"
    try:
        assert local_time(datetime(2026, 7, 1, 12, 0)) == "2026-07-01 14:00"
    finally:
        app.config["DISPLAY_TIMEZONE"] = "Asia/Shanghai"


def test_project_year_ends_the_day_before_its_anniversary_on_every_page(app, db, monkeypatch):
    from datetime import UTC

    from app.domain.targets import project_year_last_day
    from app.models import Role
    from tests.conftest import login, make_center, make_user

    assert project_year_last_day(date(2026, 4, 18), 1) == date(2027, 4, 17)
    assert project_year_last_day(date(2024, 2, 29), 1) == date(2025, 2, 28)
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    center = make_center(approval_date=date(2026, 4, 18))
    c = app.test_client()
    login(c, make_user(org=center.org, role=Role.CENTER_STAFF))
    dashboard = c.get(f"/targets/centers/{center.id}").get_data(as_text=True)
    assert "2026-04-18 – 2027-04-17" in dashboard
    for html in (dashboard, c.get(f"/centers/{center.id}").get_data(as_text=True)):
        assert re.search(r"2026-04-18</td>\s*<td>(\d{4}-\d\d-\d\d)</td>", html).group(1) == "2027-04-17"


def test_breadcrumbs_name_things_not_ids(app, db):
    from app.models import ImportJob, Role
    from tests.conftest import login, make_center, make_user

    center = make_center()
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    for _ in range(3):  # the job's id is not one of the visible numbers by chance
        db.session.add(ImportJob(kind="patents", filename="x.csv", center_id=center.id, created_by_id=staff.id))
    job = ImportJob(kind="patents", filename="碳材料专利2026.xlsx", center_id=center.id, created_by_id=staff.id)
    db.session.add(job)
    db.session.commit()
    c = app.test_client()
    login(c, staff)
    html = c.get(f"/database/imports/{job.id}").get_data(as_text=True)
    crumbs = html[html.index('class="breadcrumb"'):html.index("</ol>")]
    assert "碳材料专利2026.xlsx" in crumbs and f">{job.id}<" not in crumbs
    assert f"导入 {job.id}" not in html and 'aria-label="breadcrumb"' not in html


def test_import_command_speaks_the_configured_language(app, db, tmp_path):
    import csv

    from app.domain import patent_numbers

    good = patent_numbers.make(2021, "1", 610001)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # the check character is wrong
    path = tmp_path / "专利.csv"
    path.write_text("申请号,名称,摘要,专利类型,IPC分类号,申请人,申请日,法律状态\n"
                    f"{good},一种碳化硅单晶衬底的制备方法,碳化硅。,发明,C30B 29/36,山西烁科晶体有限公司,2021-03-02,授权\n"
                    f"{bad},一种碳化硅外延片,碳化硅。,发明,C30B 29/36,山西烁科晶体有限公司,2021-03-02,授权\n",
                    encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-patents", str(path)])
    assert result.exit_code == 0, result.output
    assert "共 2 行：新增 1" in result.output and "错误明细已写入" in result.output
    rows = list(csv.reader((tmp_path / "专利.errors.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["行", "列", "值", "原因"], rows[0]
    reason = rows[1][-1]
    assert "校验位应为" in reason, reason
    english = runner.invoke(args=["import-patents", str(path), "--lang", "en", "--errors", str(tmp_path / "en.csv")])
    assert "2 rows: 0 new" in english.output and "1 unchanged" in english.output
    assert "check character" in (tmp_path / "en.csv").read_text(encoding="utf-8-sig")
    assert runner.invoke(args=["import-patents", str(path), "--lang", "fr"]).exit_code != 0


def test_create_admin_refuses_a_weak_password_in_the_configured_language(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "ops@example.cn", "--password", "123"])
    assert result.exit_code != 0
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.output), result.output
