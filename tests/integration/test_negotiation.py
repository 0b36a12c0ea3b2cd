"""Negotiation threads: who sees them, messages and attachments, versioned offers, NDA gating, deal drafts."""

from __future__ import annotations

import io
import logging
import re

import pytest
import sqlalchemy as sa

from app.domain.errors import DomainError
from app.models import (
    AllianceMembership,
    AuditRecord,
    Deal,
    NdaStatus,
    Notification,
    OfferState,
    Role,
    Thread,
    ThreadMessage,
    ThreadOffer,
    ThreadStatus,
)
from app.services import negotiation as ns
from app.services.permissions import Forbidden, NotFound
from tests.conftest import login, make_center, make_listing, make_org, make_patent, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "SECRET-recipe 烧结温度 1350 ℃"


@pytest.fixture
def parties(db):
    seller = make_user(make_org(name="太原理工大学测试"), Role.MEMBER)
    buyer = make_user(make_org(name="山西某新材料公司"), Role.MEMBER)
    third = make_user(make_org(name="无关企业"), Role.ORG_ADMIN)
    listing = make_listing(seller.org, [make_patent(seller.org)], offers_ordinary=True, price_fen=20_000_000)
    return seller, buyer, third, listing


def _thread(parties, message="想了解许可条件") -> Thread:
    seller, buyer, third, listing = parties
    return ns.start_thread(buyer, listing, message=message)


def _terms(**kw) -> ns.OfferTerms:
    base = dict(kind="ordinary", price_fen=15_000_000, payment="lump_sum", territory="中国大陆", term_months=36)
    base.update(kw)
    return ns.OfferTerms(**base)


# ---- opening a thread ----------------------------------------------------------------------


def test_express_interest_opens_one_thread_per_organisation(client, db, parties):
    seller, buyer, third, listing = parties
    login(client, buyer)
    assert client.get(f"/threads/start?listing={listing.id}").status_code == 200
    response = client.post("/threads/start", data={"listing_id": listing.id, "message": "请报价"})
    assert response.status_code == 302
    thread = db.session.scalar(sa.select(Thread))
    assert (thread.seller_org_id, thread.buyer_org_id) == (seller.org_id, buyer.org_id)
    assert thread.messages[0].body == "请报价"
    # again: the same thread, no second one
    again = client.post("/threads/start", data={"listing_id": listing.id, "message": ""})
    assert again.headers["Location"].endswith(f"/threads/{thread.id}")
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 1
    # the owner is told
    assert db.session.scalar(sa.select(Notification.org_id).where(Notification.kind == "negotiation")) == seller.org_id


def test_express_interest_refuses_own_listing_drafts_and_bad_input(client, db, parties):
    seller, buyer, third, listing = parties
    with pytest.raises(DomainError):
        ns.start_thread(seller, listing)
    draft = make_listing(seller.org, [make_patent(seller.org)], status="draft")
    with pytest.raises(NotFound):
        ns.start_thread(buyer, draft)
    login(client, buyer)
    assert client.post("/threads/start", data={"listing_id": "abc"}).status_code == 404
    assert client.post("/threads/start", data={"listing_id": "99999999999999"}).status_code == 404
    assert client.get("/threads/start?listing=x").status_code == 404
    assert client.get(f"/threads/start?listing={draft.id}").status_code == 404


# ---- who sees a thread ---------------------------------------------------------------------


def test_third_organisation_gets_404_everywhere(client, db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    msg = ns.post_message(buyer, thread, "附件", _upload(PDF, "spec.pdf"))
    offer = ns.make_offer(buyer, thread, _terms())
    login(client, third)
    for url in (f"/threads/{thread.id}", f"/threads/{thread.id}/messages/{msg.id}/file"):
        assert client.get(url).status_code == 404, url
    for url in (f"/threads/{thread.id}/messages", f"/threads/{thread.id}/offers", f"/threads/{thread.id}/nda",
                f"/threads/{thread.id}/offers/{offer.id}/accept", f"/threads/{thread.id}/nda/accept"):
        assert client.post(url, data={"msg-body": "hi"}).status_code == 404, url
    assert "想了解许可条件" not in client.get("/threads/").get_data(as_text=True)
    db.session.refresh(offer)
    assert offer.state == OfferState.OPEN and len(thread.messages) == 2


def test_center_staff_read_only_and_others_of_the_center_not_at_all(client, db, parties):
    seller, buyer, third, listing = parties
    center = make_center()
    db.session.add(AllianceMembership(center_id=center.id, org_id=buyer.org_id, status="approved"))
    db.session.commit()
    staff = make_user(center.org, Role.CENTER_STAFF)
    thread = _thread(parties)
    assert ns.can_view(staff, thread) and not ns.can_act(staff, thread)
    with pytest.raises(Forbidden):
        ns.post_message(staff, thread, "我是中心")
    login(client, staff)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "想了解许可条件" in page and 'name="msg-body"' not in page
    assert "接受你的保密协议" not in page and "your NDA" not in page  # an observer is no party
    assert "仅在权利人接受意向方的保密协议后向意向方展示" in page
    assert client.post(f"/threads/{thread.id}/messages", data={"msg-body": "x"}).status_code == 403
    offer = {"offer-kind": "ordinary", "offer-payment": "lump_sum", "offer-price": "100"}
    assert client.post(f"/threads/{thread.id}/offers", data=offer).status_code == 403
    assert client.post(f"/threads/{thread.id}/nda", data={"nda-text": "x"}).status_code == 403
    assert client.post(f"/threads/{thread.id}/confidential").status_code == 403
    assert client.post(f"/threads/{thread.id}/close").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ThreadOffer.id))) == 0
    # the owner's center (the deal's center) reads it too
    seller_center = make_center(industry="hydrogen")
    db.session.add(AllianceMembership(center_id=seller_center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    seller_staff = make_user(seller_center.org, Role.CENTER_STAFF)
    assert ns.can_view(seller_staff, thread) and not ns.can_act(seller_staff, thread)
    assert thread.id in [t.id for t in ns.threads_for(staff)]
    other_staff = make_user(make_center(industry="biomedicine").org, Role.CENTER_STAFF)
    assert not ns.can_view(other_staff, thread)


# ---- messages and attachments --------------------------------------------------------------


def _upload(data: bytes, name: str, mimetype: str = "application/pdf"):
    from werkzeug.datastructures import FileStorage

    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=mimetype)


def test_messages_with_a_pdf_attachment_and_download(client, db, parties, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    login(client, seller)
    response = client.post(f"/threads/{thread.id}/messages", content_type="multipart/form-data",
                           data={"msg-body": "技术资料见附件", "msg-attachment": (io.BytesIO(PDF), "资料.pdf")})
    assert response.status_code == 302
    msg = db.session.scalar(sa.select(ThreadMessage).where(ThreadMessage.attachment_file != ""))
    assert msg.attachment_name == "资料.pdf" and msg.attachment_file.endswith(".pdf")
    download = client.get(f"/threads/{thread.id}/messages/{msg.id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf" and "attachment" in download.headers["Content-Disposition"]
    download.close()
    assert client.get(f"/threads/{thread.id}/messages/99999/file").status_code == 404


def test_disguised_and_oversized_files_are_refused(client, db, parties, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    login(client, buyer)
    disguised = b"MZ\x90\x00 this is a Windows program, not a PDF"
    response = client.post(f"/threads/{thread.id}/messages", content_type="multipart/form-data",
                           data={"msg-body": "请看合同草稿", "msg-attachment": (io.BytesIO(disguised), "contract.pdf")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "PDF" in page
    # the error sits on the attachment field, and the typed message is kept
    attachment_input = re.search(r'<input[^>]*id="msg-attachment"[^>]*>', page).group(0)
    assert "is-invalid" in attachment_input
    assert "请看合同草稿</textarea>" in page
    html = b"<html><script>alert(1)</script></html>"
    with pytest.raises(DomainError) as err:
        ns.post_message(buyer, thread, "看看", _upload(html, "photo.png", "image/png"))
    assert err.value.field == "attachment"
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    too_big = client.post(f"/threads/{thread.id}/messages", content_type="multipart/form-data",
                          data={"msg-body": "", "msg-attachment": (io.BytesIO(PDF + b"0" * 2048), "big.pdf")})
    assert too_big.status_code == 422 and "MB" in too_big.get_data(as_text=True)
    with pytest.raises(DomainError):
        ns.post_message(buyer, thread, "", _upload(PDF + b"0" * 2048, "big.pdf"))
    with pytest.raises(DomainError):
        ns.post_message(buyer, thread, "   ")
    assert [m.body for m in db.session.scalars(sa.select(ThreadMessage))] == ["想了解许可条件"]
    assert list(tmp_path.iterdir()) == []


# ---- offers --------------------------------------------------------------------------------


def test_offers_are_versioned_countered_replaced_and_answered_by_the_other_side(db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    v1 = ns.make_offer(buyer, thread, _terms(price_fen=10_000_000))
    v2 = ns.make_offer(seller, thread, _terms(price_fen=18_000_000, payment="royalty", royalty_bp=300))
    assert (v1.version, v2.version) == (1, 2)
    assert v1.state == OfferState.COUNTERED and v2.state == OfferState.OPEN
    v3 = ns.make_offer(seller, thread, _terms(price_fen=16_000_000, payment="royalty", royalty_bp=250))
    assert v2.state == OfferState.WITHDRAWN and v3.version == 3
    with pytest.raises(DomainError):
        ns.accept_offer(seller, thread, v3.id)  # not one's own offer
    with pytest.raises(DomainError):
        ns.accept_offer(buyer, thread, v2.id)  # replaced already
    ns.decline_offer(buyer, thread, v3.id)
    assert v3.state == OfferState.DECLINED
    v4 = ns.make_offer(buyer, thread, _terms(price_fen=12_000_000))
    assert v4.version == 4
    assert [o.version for o in thread.offers] == [1, 2, 3, 4]
    assert db.session.scalar(sa.select(sa.func.count(ThreadOffer.id))) == 4


@pytest.mark.parametrize("terms, field", [
    (dict(kind="transfer", term_months=12), "term_months"),  # a transfer has no term
    (dict(kind="exclusive"), "kind"),
    (dict(kind="nonsense"), "kind"),
    (dict(price_fen=None), "price"),
    (dict(price_fen=0), "price"),
    (dict(payment="royalty", royalty_bp=None), "royalty_percent"),
    (dict(payment="royalty", royalty_bp=20000), "royalty_percent"),
    (dict(term_months=0), "term_months"),
    (dict(payment="barter"), "payment"),
])
def test_offer_terms_are_checked(db, parties, terms, field):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    with pytest.raises(DomainError) as err:
        ns.make_offer(buyer, thread, _terms(**terms))
    assert err.value.field == field


def test_offer_form_bad_input_is_422_not_500(client, db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    login(client, buyer)
    for data in ({"offer-kind": "ordinary", "offer-price": "abc"},
                 {"offer-kind": "exclusive", "offer-price": "100"},
                 {"offer-kind": "ordinary", "offer-price": "100", "offer-term_months": "-3"},
                 {"offer-kind": "ordinary", "offer-price": "100", "offer-payment": "royalty", "offer-royalty_percent": "x"},
                 *({"offer-kind": "ordinary", "offer-price": "100", "offer-payment": "royalty", "offer-royalty_percent": v}
                   for v in ("sNaN", "NaN", "Infinity", "1e999", "0", "100.01", "2.555")),
                 {"offer-kind": "ordinary", "offer-price": "1e999"},
                 {"offer-kind": "ordinary", "offer-price": "100", "offer-term_months": "99999999999999999999999"},
                 {}):
        assert client.post(f"/threads/{thread.id}/offers", data=data).status_code == 422, data
    good = {"offer-kind": "ordinary", "offer-payment": "lump_sum", "offer-price": "150000", "offer-territory": "山西省",
            "offer-term_months": "24"}
    assert client.post(f"/threads/{thread.id}/offers", data=good).status_code == 302
    offer = db.session.scalar(sa.select(ThreadOffer))
    assert (offer.price_fen, offer.territory, offer.term_months, offer.version) == (15_000_000, "山西省", 24, 1)
    royalty = dict(good, **{"offer-payment": "royalty", "offer-royalty_percent": "2.5 %", "offer-price": "0.01"})
    assert client.post(f"/threads/{thread.id}/offers", data=royalty).status_code == 302
    latest = db.session.scalar(sa.select(ThreadOffer).where(ThreadOffer.version == 2))
    assert (latest.royalty_bp, latest.price_fen, latest.payment.value) == (250, 1, "royalty")
    assert db.session.get(ThreadOffer, offer.id).state == OfferState.WITHDRAWN  # replaced by its own side
    assert client.post(f"/threads/{thread.id}/offers/{latest.id}/accept").status_code == 302  # own: refused, flashed
    db.session.refresh(latest)
    assert latest.state == OfferState.OPEN


def test_accepted_offer_opens_a_deal_draft(client, db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    ns.make_offer(buyer, thread, _terms(price_fen=12_000_000))
    offer = ns.make_offer(seller, thread, _terms(price_fen=14_000_000, payment="royalty", royalty_bp=200,
                                                 territory="全球", term_months=60))
    login(client, buyer)
    response = client.post(f"/threads/{thread.id}/offers/{offer.id}/accept")
    deal = db.session.scalar(sa.select(Deal))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/deals/{deal.id}")
    assert (deal.status.value, deal.kind.value, deal.price_fen) == ("draft", "ordinary", 14_000_000)
    assert (deal.seller_org_id, deal.buyer_org_id, deal.listing_id) == (seller.org_id, buyer.org_id, listing.id)
    assert [p.application_number for p in deal.patents] == [p.application_number for p in listing.patents]
    assert "royalty: 2 %" in deal.payment_terms and "全球" in deal.payment_terms and "60 months" in deal.payment_terms
    db.session.refresh(thread)
    assert thread.status == ThreadStatus.AGREED and thread.deal_id == deal.id
    assert db.session.get(ThreadOffer, offer.id).state == OfferState.ACCEPTED
    page = client.get(f"/deals/{deal.id}").get_data(as_text=True)
    # the deal shows the accepted terms in the reader's language, not the stored record line
    assert "约定条款" in page and "按销售额提成" in page and "2.00 %" in page and "60 个月" in page
    assert "royalty: 2 %" not in page and f"/threads/{thread.id}#offers" in page
    assert f"/deals/{deal.id}" in client.get(f"/threads/{thread.id}").get_data(as_text=True)  # the thread links it
    with pytest.raises(DomainError):
        ns.make_offer(buyer, thread, _terms())  # the negotiation is over
    actions = set(db.session.scalars(sa.select(AuditRecord.action)))
    assert {"thread.offer_accepted", "deal.created"} <= actions
    # the deals service takes it from there: both sign, the buyer funds the up-front fee into escrow
    from app.services import deals as ds

    ds.sign(seller, deal.id)
    ds.sign(buyer, deal.id)
    assert ds.fund(buyer, deal.id)["amount_fen"] == 14_000_000


def test_owner_accepting_the_buyers_offer_opens_the_same_draft_and_a_withdrawn_listing_refuses(db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    offer = ns.make_offer(buyer, thread, _terms(kind="ordinary", price_fen=9_900_000))
    listing.status = "withdrawn"
    db.session.commit()
    with pytest.raises(DomainError):
        ns.accept_offer(seller, thread, offer.id)
    assert db.session.get(ThreadOffer, offer.id).state == OfferState.OPEN
    assert db.session.scalar(sa.select(sa.func.count(Deal.id))) == 0
    listing.status = "published"
    db.session.commit()
    deal = ns.accept_offer(seller, thread, offer.id)
    assert (deal.seller_org_id, deal.buyer_org_id, deal.price_fen, deal.kind.value) == (
        seller.org_id, buyer.org_id, 9_900_000, "ordinary")
    assert deal.created_by_id == seller.id


# ---- NDA and confidential details ----------------------------------------------------------


def test_confidential_details_only_after_the_owner_accepts_the_nda(client, db, parties, caplog):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    ns.set_confidential(seller, listing, SECRET)
    with pytest.raises(Forbidden):
        ns.set_confidential(buyer, listing, "篡改")

    login(client, buyer)
    assert SECRET not in client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert client.get(f"/threads/listings/{listing.id}/confidential").status_code == 403
    with pytest.raises(Forbidden):
        ns.decide_nda(buyer, thread, True)  # the buyer cannot accept its own NDA
    assert client.post(f"/threads/{thread.id}/nda", data={"nda-text": ""}).status_code == 422
    assert client.post(f"/threads/{thread.id}/nda", data={"nda-text": "双方保密协议 v1，已盖章"}).status_code == 302
    db.session.refresh(thread)
    assert thread.nda_status == NdaStatus.REQUESTED
    assert SECRET not in client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert client.post(f"/threads/{thread.id}/confidential").status_code == 403  # not before the grant

    seller_client = client.application.test_client()
    login(seller_client, seller)
    assert SECRET in seller_client.get(f"/threads/{thread.id}").get_data(as_text=True)  # the owner always
    assert seller_client.post(f"/threads/{thread.id}/nda/accept").status_code == 302
    db.session.refresh(thread)
    assert thread.nda_status == NdaStatus.ACCEPTED

    # the page itself (a GET) still shows no details and records nothing: the buyer asks to see them
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert SECRET not in page and f"/threads/{thread.id}/confidential" in page
    viewed = sa.select(AuditRecord).where(AuditRecord.action == "listing.confidential_viewed")
    assert db.session.scalars(viewed).all() == []
    with caplog.at_level(logging.INFO, logger="ipx.audit"):
        shown = client.post(f"/threads/{thread.id}/confidential")
    assert shown.status_code == 200 and SECRET in shown.get_data(as_text=True)
    assert any("listing.confidential_viewed" in r.getMessage() and f'"thread_id": {thread.id}' in r.getMessage()
               for r in caplog.records)
    client.post(f"/threads/{thread.id}/confidential")
    rows = db.session.scalars(viewed).all()
    assert len(rows) == 2  # each viewing is a row
    assert (rows[0].actor_id, rows[0].object_type, rows[0].object_id) == (buyer.id, "listing", listing.id)
    assert rows[0].data["thread_id"] == thread.id
    assert "thread.nda_accepted" in set(db.session.scalars(sa.select(AuditRecord.action)))

    # a third organisation never sees it, and nor does the buyer on the public listing page
    third_client = client.application.test_client()
    login(third_client, third)
    assert third_client.get(f"/threads/{thread.id}").status_code == 404
    assert third_client.post(f"/threads/{thread.id}/confidential").status_code == 404
    assert SECRET not in third_client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert SECRET not in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_declined_nda_keeps_details_hidden_and_may_be_asked_again(db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    ns.set_confidential(seller, listing, SECRET)
    ns.request_nda(buyer, thread, "保密协议")
    with pytest.raises(DomainError):
        ns.request_nda(buyer, thread, "再次")
    ns.decide_nda(seller, thread, False)
    assert thread.nda_status == NdaStatus.DECLINED
    with pytest.raises(Forbidden):
        ns.reveal_confidential(buyer, thread)
    assert ns.owner_confidential(buyer, thread) is None  # the page shows the buyer nothing by itself
    ns.request_nda(buyer, thread, "修改后的保密协议")
    ns.decide_nda(seller, thread, True)
    assert ns.reveal_confidential(buyer, thread) == SECRET
    assert ns.owner_confidential(seller, thread) == SECRET
    with pytest.raises(NotFound):
        ns.reveal_confidential(third, thread)


def test_each_side_is_notified_in_app(client, db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    offer = ns.make_offer(buyer, thread, _terms())
    ns.accept_offer(seller, thread, offer.id)
    by_org = {}
    for n in db.session.scalars(sa.select(Notification).where(Notification.kind == "negotiation")):
        assert n.link == f"/threads/{thread.id}"
        by_org.setdefault(n.org_id, []).append(n.message)
    assert len(by_org[seller.org_id]) == 2 and len(by_org[buyer.org_id]) == 1  # interest + offer; accepted
    assert third.org_id not in by_org
    login(client, buyer)
    page = client.get("/matching/notifications")
    assert page.status_code == 200 and listing.title in page.get_data(as_text=True)


def test_interest_from_a_match_remembers_the_need(client, db, parties):
    from tests.conftest import make_need

    seller, buyer, third, listing = parties
    need = make_need(buyer.org, title="寻求石墨烯导热膜许可")
    foreign_need = make_need(third.org)
    login(client, buyer)
    page = client.get(f"/threads/start?listing={listing.id}&need={need.id}").get_data(as_text=True)
    assert need.title in page
    client.post("/threads/start", data={"listing_id": listing.id, "need_id": need.id})
    thread = db.session.scalar(sa.select(Thread))
    assert thread.need_id == need.id
    assert ns.start_thread(third, listing, need=need).need_id is None  # only one's own need is kept
    assert foreign_need.id != need.id
    assert need.title in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_listing_page_offers_interest_to_others_and_confidential_editing_to_the_owner(client, db, parties):
    seller, buyer, third, listing = parties
    login(client, buyer)
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f"/threads/start?listing={listing.id}" in page and "/confidential" not in page
    owner = client.application.test_client()
    login(owner, seller)
    page = owner.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f"/threads/listings/{listing.id}/confidential" in page and "/threads/start" not in page
    assert owner.get(f"/threads/listings/{listing.id}/confidential").status_code == 200
    assert owner.post(f"/threads/listings/{listing.id}/confidential", data={"body": SECRET}).status_code == 302
    assert ns.confidential_text(listing) == SECRET
    assert client.get("/listings/%d" % listing.id).status_code == 200
    assert client.application.test_client().get(f"/listings/{listing.id}").status_code == 200  # anonymous


def test_the_owner_may_contact_a_matched_need_but_not_see_drafts(client, db, parties):
    from tests.conftest import make_need

    seller, buyer, third, listing = parties
    need = make_need(buyer.org, title="寻求导热膜量产技术")
    draft = make_need(third.org, status="draft", title="SECRET-draft-need")
    login(client, seller)
    assert "SECRET-draft-need" not in client.get(f"/threads/start?listing={listing.id}&need={draft.id}").get_data(as_text=True)
    assert client.post("/threads/start", data={"listing_id": listing.id, "need_id": draft.id}).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0  # "your own listing": nothing opened
    response = client.post("/threads/start", data={"listing_id": listing.id, "need_id": need.id, "message": "可提供许可"})
    thread = db.session.scalar(sa.select(Thread))
    assert response.headers["Location"].endswith(f"/threads/{thread.id}")
    assert (thread.seller_org_id, thread.buyer_org_id, thread.need_id) == (seller.org_id, buyer.org_id, need.id)
    assert ns.start_thread(buyer, listing).id == thread.id  # the buyer's own interest lands in the same thread
    note = db.session.scalar(sa.select(Notification).where(Notification.org_id == buyer.org_id))
    assert note.params["need"] == need.title


def test_either_side_closes_an_open_negotiation(client, db, parties):
    seller, buyer, third, listing = parties
    thread = _thread(parties)
    offer = ns.make_offer(seller, thread, _terms())
    outsider = client.application.test_client()
    login(outsider, third)
    assert outsider.post(f"/threads/{thread.id}/close").status_code == 404
    login(client, buyer)
    assert client.post(f"/threads/{thread.id}/close").status_code == 302
    db.session.refresh(thread)
    assert thread.status == ThreadStatus.CLOSED
    assert db.session.get(ThreadOffer, offer.id).state == OfferState.DECLINED
    assert "此洽谈已关闭，未达成交易" in client.get(f"/threads/{thread.id}").get_data(as_text=True)
    with pytest.raises(DomainError):
        ns.make_offer(seller, thread, _terms())
    with pytest.raises(DomainError):
        ns.close_thread(seller, thread)
