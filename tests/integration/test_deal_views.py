"""The web side of deals, targets and pools: forms, permissions, exports."""

import io
from datetime import date

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from app.models import AllianceMembership, Deal, Role, TargetEvent
from app.services import deals as ds
from tests.conftest import login, make_center, make_listing, make_org, make_patent, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def setup_world(db):
    center = make_center(approval_date=date(2024, 3, 1))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    seller = make_user(org=make_org("university"))
    buyer = make_user(org=make_org("sme"))
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    listing = make_listing(seller.org, [make_patent(seller.org), make_patent(seller.org)], offers_ordinary=True)
    return center, staff, seller, buyer, listing


def act(client, deal_id, action, **data):
    payload = {f"{action}-idempotency_key": data.pop("key", f"k-{action}")}
    payload.update({f"{action}-{k}": v for k, v in data.items()})
    return client.post(f"/deals/{deal_id}/{action}", data=payload)


def test_buy_from_listing_through_the_web(app, db):
    center, staff, seller, buyer, listing = setup_world(db)
    b, s = app.test_client(), app.test_client()
    login(b, buyer)
    login(s, seller)
    r = b.post(f"/deals/new?listing={listing.id}", data={"kind": "ordinary", "price": "500000", "payment_terms": "一次付清"})
    assert r.status_code == 302
    deal = db.session.scalar(sa.select(Deal))
    assert b.get(f"/deals/{deal.id}").status_code == 200
    assert act(s, deal.id, "sign").status_code == 302
    assert act(b, deal.id, "sign").status_code == 302
    assert act(b, deal.id, "fund").status_code == 302
    assert act(b, deal.id, "fund").status_code == 302  # same form submitted twice: one funding
    assert act(s, deal.id, "complete").status_code == 409  # not recorded yet
    assert act(s, deal.id, "record", recordal_number="X2026110000321", recordal_date="2026-11-02").status_code == 302
    assert act(b, deal.id, "complete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).status == "completed"
    assert db.session.scalar(sa.select(sa.func.count(TargetEvent.id))) == 2
    html = app.test_client()
    login(html, staff)
    page = html.get(f"/targets/centers/{center.id}").get_data(as_text=True)
    assert "2 / 34" in page or ">2<" in page


def test_deal_pages_hidden_from_others(app, db):
    center, staff, seller, buyer, listing = setup_world(db)
    deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100)
    c = app.test_client()
    login(c, make_user())
    assert c.get(f"/deals/{deal.id}").status_code == 404
    assert act(c, deal.id, "sign").status_code == 404
    assert c.get(f"/deals/{deal.id}/contract").status_code == 404
    assert "#" + str(deal.id) not in c.get("/deals/").get_data(as_text=True)


def test_contract_upload_checks_content(app, db):
    center, staff, seller, buyer, listing = setup_world(db)
    deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100)
    c = app.test_client()
    login(c, buyer)
    disguised = {"contract": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "contract.pdf", "application/pdf")}
    c.post(f"/deals/{deal.id}/contract", data=disguised, content_type="multipart/form-data")
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).contract_file == ""
    good = {"contract": (io.BytesIO(PDF), "../../合同.pdf", "application/pdf")}
    c.post(f"/deals/{deal.id}/contract", data=good, content_type="multipart/form-data")
    db.session.expire_all()
    stored = db.session.get(Deal, deal.id)
    assert stored.contract_file.endswith(".pdf") and "/" not in stored.contract_file and stored.contract_filename == "合同.pdf"
    r = c.get(f"/deals/{deal.id}/contract")
    assert r.status_code == 200 and r.data == PDF and "attachment" in r.headers["Content-Disposition"]


def test_dashboard_permissions_and_exports(app, db):
    center, staff, *_ = setup_world(db)
    bureau = make_user(org=make_org("bureau"), role=Role.BUREAU_STAFF)
    outsider = app.test_client()
    login(outsider, make_user())
    assert outsider.get(f"/targets/centers/{center.id}").status_code == 403
    assert outsider.get("/targets/bureau").status_code == 403
    b = app.test_client()
    login(b, bureau)
    assert b.get("/targets/bureau").status_code == 200
    r = b.get("/targets/bureau/export.xlsx")
    wb = load_workbook(io.BytesIO(r.data))
    assert wb.active.max_row == 2
    r = b.get(f"/targets/centers/{center.id}/export.xlsx")
    ws = load_workbook(io.BytesIO(r.data))["counts"]
    assert [ws.cell(row=i, column=4).value for i in range(2, 7)] == [20, 26, 34, 44, 58]


def test_offline_deal_form_and_bulk_import(app, db):
    center, staff, seller, *_ = setup_world(db)
    c = app.test_client()
    login(c, staff)
    form = {"idempotency_key": "x1", "seller": seller.org.name, "buyer": "山西某新材料公司", "kind": "transfer",
            "patents": "202010566088.9\n201510958772.0", "price": "80000", "completed_on": "2025-06-01",
            "recordal_number": "ZLBG2025000123", "recordal_date": "2025-05-20",
            "contract": (io.BytesIO(PDF), "c.pdf", "application/pdf"), "submit": "1"}
    r = c.post(f"/targets/centers/{center.id}/offline", data=form, content_type="multipart/form-data")
    assert r.status_code == 302
    assert ds.counts_by_year(center.id) == {2: 2}
    wb = Workbook()
    ws = wb.active
    ws.append(["卖方", "买方", "类型", "专利号", "价格(元)", "完成日期", "备案号", "备案日期", "合同编号"])
    member = seller.org.credit_code  # a party picked by its credit code
    ws.append([member, "乙公司", "普通许可", "202322865413.3", "1000", "2025-07-10", "X2025110000001", "2025-07-01", "HT-1"])
    ws.append([member, "乙公司", "赠送", "202322865413.3", "1000", "2025-07-01", "X2025110000001", "", "HT-2"])
    ws.append([member, "乙公司", "转让", "202322865413.1", "1000", "2025-07-01", "ZLBG20250002", "", "HT-3"])
    ws.append([member, "乙公司", "转让", "201811564288.X", "abc", "2025-07-01", "ZLBG20250003", "", "HT-4"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    r = c.post(f"/targets/centers/{center.id}/offline/import", data={"bulk-file": (buf, "deals.xlsx")},
               content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert ds.counts_by_year(center.id) == {2: 3}  # the good row counted, the three bad ones reported
    for line in (">3<", ">4<", ">5<"):
        assert line in html
    member = app.test_client()
    login(member, make_user())
    assert member.get(f"/targets/centers/{center.id}/offline").status_code == 403


def test_pool_pages(app, db):
    center, staff, seller, *_ = setup_world(db)
    c = app.test_client()
    login(c, staff)
    r = c.post("/pools/new", data={"name": "第三代半导体专利池", "field": "碳化硅", "industry": "semiconductors",
                                   "center_id": center.id})
    assert r.status_code == 302
    assert c.get("/pools/").status_code == 200
    assert c.get(r.headers["Location"]).status_code == 200
    assert c.get(f"/pools/grades/{center.id}").status_code == 200
    assert c.get(f"/pools/grades/{center.id}/weights").status_code == 200
    other = app.test_client()
    login(other, seller)
    assert other.get(f"/pools/grades/{center.id}").status_code == 403


def test_deals_list_waiting_for_me_sort_dates_and_export(app, db):
    from datetime import datetime

    center, staff, seller, buyer, listing = setup_world(db)
    draft = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100_000)
    signed_by_seller = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=300_000)
    s = app.test_client()
    login(s, seller)
    act(s, signed_by_seller.id, "sign")
    db.session.execute(sa.update(Deal).where(Deal.id == draft.id).values(created_at=datetime(2026, 3, 1, 20, 0)))
    db.session.commit()
    html = s.get("/deals/?waiting=1").get_data(as_text=True)
    assert f"/deals/{draft.id}\"" in html and f"/deals/{signed_by_seller.id}\"" not in html  # the seller signed that one
    b = app.test_client()
    login(b, buyer)
    both = b.get("/deals/?waiting=1").get_data(as_text=True)
    assert f"/deals/{draft.id}\"" in both and f"/deals/{signed_by_seller.id}\"" in both
    page = b.get("/deals/?sort=price_desc").get_data(as_text=True)
    assert page.index(f"/deals/{signed_by_seller.id}\"") < page.index(f"/deals/{draft.id}\"")
    assert "2026-03-02" in page  # created 20:00 UTC on 1 March: 2 March in Beijing
    r = b.get("/deals/export.xlsx?sort=oldest")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(r.data)).active.values)
    assert rows[0][0] == "交易" and [row[0] for row in rows[1:]] == [draft.id, signed_by_seller.id]
    assert rows[1][6] == 1000 and rows[1][7] == "草稿"
    other = app.test_client()
    login(other, make_user())
    assert len(list(load_workbook(io.BytesIO(other.get("/deals/export.xlsx").data)).active.values)) == 1
