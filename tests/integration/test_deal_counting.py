"""Each deal counts once, for one center: recordal numbers, offline duplicates, attribution,
the alliance rule for offline deals, the bureau's reassignment and the offline form."""

import io
import os
import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.domain.errors import DomainError
from app.extensions import db as _db
from app.models import AllianceMembership, AuditRecord, Deal, Industry, OrgKind, Role, TargetEvent
from app.services import deals as ds
from app.services import tokens
from app.services.permissions import Forbidden
from tests.conftest import _truncate_all, login, make_center, make_listing, make_org, make_patent, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def _member(db, center, kind="enterprise"):
    user = make_user(org=make_org(kind))
    db.session.add(AllianceMembership(center_id=center.id, org_id=user.org_id, status="approved"))
    db.session.commit()
    return user


@pytest.fixture
def two_centers(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    carbon = make_center(Industry.CARBON_MATERIALS, date(2024, 3, 1))
    semi = make_center(Industry.SEMICONDUCTORS, date(2024, 3, 1))
    return {
        "carbon": carbon, "semi": semi,
        "carbon_staff": make_user(org=carbon.org, role=Role.CENTER_STAFF),
        "semi_staff": make_user(org=semi.org, role=Role.CENTER_STAFF),
        "seller": _member(db, carbon, "university"), "buyer": _member(db, carbon, "sme"),
        "bureau": make_user(org=make_org(OrgKind.BUREAU), role=Role.BUREAU_STAFF),
    }


def offline(w, **kw):
    base = dict(seller=w["seller"].org.name, buyer="山西某公司", kind="transfer",
                application_numbers=[make_patent().application_number], completed_on=date(2025, 6, 1),
                price_fen=100, recordal_number="ZLBG2025000001", recordal_date=date(2025, 5, 20),
                contract_filename="合同 HT-1")
    return ds.OfflineDeal(**{**base, **kw})


def test_a_recordal_number_belongs_to_one_deal(two_centers, db):
    w = two_centers
    first = ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, recordal_number="zlbg-2025 000001"))
    assert first.recordal_number == "ZLBG2025000001"
    with pytest.raises(ds.DuplicateDeal) as err:  # another form, other patents, the same number written differently
        ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, recordal_number="ZLBG2025000001 "))
    assert err.value.params["deal"] == first.id and err.value.field == "recordal_number"
    assert ds.counts_by_year(w["carbon"].id) == {2: 1}
    # the database refuses it too, whatever the service checks
    db.session.add(Deal(seller_name="甲", buyer_name="乙", kind="transfer", price_fen=1, recordal_number="ZLBG2025000001"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_same_patents_parties_and_day_are_one_deal(two_centers, db):
    w = two_centers
    numbers = [make_patent().application_number, make_patent().application_number]
    first = ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, application_numbers=numbers))
    with pytest.raises(ds.DuplicateDeal) as err:
        ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, application_numbers=list(reversed(numbers)),
                                                                   recordal_number="ZLBG2025000002",
                                                                   buyer=" 山西某公司 "))
    assert err.value.params["deal"] == first.id
    # another completion date is another deal
    ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, application_numbers=numbers,
                                                              recordal_number="ZLBG2025000003",
                                                              completed_on=date(2025, 7, 1)))
    assert ds.counts_by_year(w["carbon"].id) == {2: 4}


def test_platform_record_refuses_a_used_number_web_and_api(app, two_centers, db):
    w = two_centers
    ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, kind="ordinary", recordal_number="X2025110000001"))
    listing = make_listing(w["seller"].org, [make_patent(w["seller"].org)], offers_ordinary=True)
    deal = ds.start_from_listing(w["buyer"], listing, kind="ordinary", price_fen=100)
    ds.sign(w["seller"], deal.id)
    ds.sign(w["buyer"], deal.id)
    ds.fund(w["buyer"], deal.id)
    c = app.test_client()
    login(c, w["seller"])
    r = c.post(f"/deals/{deal.id}/record", data={"record-idempotency_key": "r1", "record-recordal_number": "X2025110000001",
                                                  "record-recordal_date": "2026-11-01"})
    assert "已属于交易" in r.get_data(as_text=True) or r.status_code in (302, 422)
    _, token = tokens.create(w["seller"], "t")
    api = c.post(f"/api/v1/deals/{deal.id}/actions/record", headers={"Authorization": f"Bearer {token}"},
                 json={"recordal_number": "X2025110000001", "recordal_date": "2026-11-01"})
    assert api.status_code == 422 and "already belongs to deal" in api.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).status == "funded"


def test_xlsx_import_refuses_duplicates_row_by_row(app, two_centers, db):
    w = two_centers
    c = app.test_client()
    login(c, w["carbon_staff"])
    wb = Workbook()
    ws = wb.active
    ws.append(["卖方", "买方", "类型", "专利号", "价格(元)", "完成日期", "备案号", "备案日期", "合同编号"])
    a, b = make_patent().application_number, make_patent().application_number
    ws.append([w["seller"].org.name, "乙公司", "转让", a, "1000", "2025-07-01", "ZLBG20250100", "", "HT-1"])
    ws.append([w["seller"].org.name, "丙公司", "转让", b, "1000", "2025-07-02", "ZLBG-2025-0100", "", "HT-2"])
    ws.append([w["seller"].org.name, "乙公司", "转让", a, "1000", "2025-07-01", "ZLBG20250101", "", "HT-3"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    r = c.post(f"/targets/centers/{w['carbon'].id}/offline/import", data={"bulk-file": (buf, "deals.xlsx")},
               content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert ds.counts_by_year(w["carbon"].id) == {2: 1}
    first = db.session.scalar(sa.select(Deal.id).where(Deal.recordal_number == "ZLBG20250100"))
    assert html.count(f"#{first}") >= 2  # both duplicate rows name the existing deal
    assert "<td>国家知识产权局备案号</td>" in html or "<td>备案号</td>" in html
    assert "<td>recordal_number</td>" not in html


def test_a_foreign_center_cannot_count_the_deal(two_centers, db):
    w = two_centers
    carbon_patent = make_patent(industry=Industry.CARBON_MATERIALS)
    # both parties in the carbon alliance, a carbon patent: the semiconductor staff are refused, with the reason
    with pytest.raises(DomainError) as err:
        ds.record_offline(w["semi_staff"], w["semi"], offline(w, buyer=w["buyer"].org.name,
                                                              application_numbers=[carbon_patent.application_number]))
    assert "semiconductor" not in err.value.message and err.value.field == "seller"  # no party is theirs
    # a party in both alliances still counts for the center of the patents' industry
    db.session.add(AllianceMembership(center_id=w["semi"].id, org_id=w["seller"].org_id, status="approved"))
    db.session.commit()
    with pytest.raises(DomainError) as err:
        ds.record_offline(w["semi_staff"], w["semi"], offline(w, application_numbers=[carbon_patent.application_number]))
    assert err.value.params["center"] == w["carbon"].name
    assert ds.counts_by_year(w["semi"].id) == {}
    deal = ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, application_numbers=[carbon_patent.application_number]))
    assert deal.center_id == w["carbon"].id and deal.center_reason == "industry_member"


def test_platform_deal_counts_for_the_patents_center(two_centers, db):
    w = two_centers
    # the seller's first alliance is the semiconductor one; the patents are carbon and the buyer a carbon member
    seller = make_user(org=make_org("enterprise"))
    db.session.add(AllianceMembership(center_id=w["semi"].id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    listing = make_listing(seller.org, [make_patent(seller.org, industry=Industry.CARBON_MATERIALS)], offers_ordinary=True)
    deal = ds.start_from_listing(w["buyer"], listing, kind="ordinary", price_fen=100)
    assert (deal.center_id, deal.center_reason) == (w["carbon"].id, "industry_member")


def test_bureau_reassigns_a_completed_deal_and_the_count_moves(app, two_centers, db):
    w = two_centers
    deal = ds.record_offline(w["carbon_staff"], w["carbon"], offline(w))
    with pytest.raises(Forbidden):
        ds.reassign_center(w["carbon_staff"], deal, w["semi"], note="x")
    with pytest.raises(DomainError):
        ds.reassign_center(w["bureau"], deal, w["semi"], note=" ")
    c = app.test_client()
    login(c, w["bureau"])
    r = c.post(f"/deals/{deal.id}/reassign", data={"reassign-center_id": w["semi"].id,
                                                   "reassign-note": "专利实际属于第三代半导体产业"})
    assert r.status_code == 302
    db.session.expire_all()
    assert ds.counts_by_year(w["carbon"].id) == {} and ds.counts_by_year(w["semi"].id) == {2: 1}
    assert db.session.scalar(sa.select(sa.func.count(TargetEvent.id)).where(TargetEvent.deal_id == deal.id)) == 1
    assert db.session.scalar(sa.select(AuditRecord.data).where(AuditRecord.action == "deal.center_reassigned"))["note"]
    page = c.get(f"/deals/{deal.id}").get_data(as_text=True)
    assert "专利实际属于第三代半导体产业" in page and "由市局重新指定" in page


def test_dates_are_checked(two_centers):
    w = two_centers
    with pytest.raises(DomainError) as err:  # completes before its recordal
        ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, completed_on=date(2025, 5, 1)))
    assert err.value.field == "completed_on"
    with pytest.raises(DomainError):  # 26 November in Beijing is still the future at 10:00 on the 25th
        ds.record_offline(w["carbon_staff"], w["carbon"], offline(w, completed_on=date(2026, 11, 26),
                                                                  recordal_date=None))


def test_offline_form_keeps_the_contract_and_translates_the_error(app, two_centers, db):
    w = two_centers
    c = app.test_client()
    login(c, w["carbon_staff"])
    url = f"/targets/centers/{w['carbon'].id}/offline"
    page = c.get(url).get_data(as_text=True)
    assert page.count('class="text-danger" aria-hidden="true">*</span>') >= 7  # required fields are marked
    assert w["seller"].org.name in page  # the alliance's organisations to pick from
    form = {"idempotency_key": "k1", "seller": w["seller"].org.name, "buyer": "山西某公司", "kind": "transfer",
            "patents": "202010566088.1", "price": "1000", "completed_on": "2025-06-01",
            "recordal_number": "ZLBG2025000009", "recordal_date": "2025-05-01", "submit": "1"}
    r = c.post(url, data={**form, "contract": (io.BytesIO(PDF), "合同.pdf", "application/pdf")},
               content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "校验位应为 9，而不是 1" in html and "check character" not in html
    assert "合同.pdf" in html
    token = html.split('name="contract_token" type="hidden" value="')[1].split('"')[0]
    r = c.post(url, data={**form, "patents": "202010566088.9", "contract_token": token},
               content_type="multipart/form-data")
    assert r.status_code == 302
    deal = db.session.scalar(sa.select(Deal).where(Deal.recordal_number == "ZLBG2025000009"))
    assert deal.contract_filename == "合同.pdf" and deal.contract_file.endswith(".pdf")
    # a token is the user's own: another staff member cannot use it to attach the file
    other = make_user(org=w["carbon"].org, role=Role.CENTER_STAFF)
    c2 = app.test_client()
    login(c2, other)
    r = c2.post(url, data={**form, "idempotency_key": "k2", "patents": "202010566088.9",
                           "recordal_number": "ZLBG2025000010", "contract_token": token},
                content_type="multipart/form-data")
    assert r.status_code == 200 and "合同.pdf" not in r.get_data(as_text=True)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="two concurrent submissions race on PostgreSQL (set TEST_DATABASE_URL)")
def test_two_concurrent_submissions_of_one_recordal_number(app):
    _db.session.remove()
    _truncate_all()
    carbon = make_center(Industry.CARBON_MATERIALS, date(2024, 3, 1))
    staff = [make_user(org=carbon.org, role=Role.CENTER_STAFF) for _ in range(2)]
    seller = make_user(org=make_org("university"))
    _db.session.add(AllianceMembership(center_id=carbon.id, org_id=seller.org_id, status="approved"))
    _db.session.commit()
    numbers = [make_patent().application_number for _ in range(2)]
    ids, seller_name = [u.id for u in staff], seller.org.name
    barrier, results = threading.Barrier(2, timeout=30), []

    def submit(i):
        with app.app_context():
            from app.models import Center, User

            user, center = _db.session.get(User, ids[i]), _db.session.get(Center, carbon.id)
            data = ds.OfflineDeal(seller=seller_name, buyer=f"外部公司{i}", kind="transfer",
                                  application_numbers=[numbers[i]], completed_on=date(2025, 6, 1), price_fen=1,
                                  recordal_number="ZLBG2025777777", contract_filename="合同")
            barrier.wait()
            try:
                results.append(ds.record_offline(user, center, data).id)
            except Exception as err:  # noqa: BLE001 - the assertion below shows what went wrong
                results.append(err)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deals = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ds.DuplicateDeal)]
    assert len(deals) == 1 and len(refused) == 1 and refused[0].params["deal"] == deals[0], results
    assert ds.counts_by_year(carbon.id) == {2: 1}
    _db.session.remove()  # TRUNCATE waits for every open transaction, this thread's too
    _truncate_all()
