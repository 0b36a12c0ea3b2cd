"""Deals through escrow to the center's count: every money action in one transaction."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.domain.deals import DealTransitionError
from app.domain.errors import DomainError
from app.models import AllianceMembership, AuditRecord, Deal, LedgerEntry, Role, TargetEvent
from app.services import deals as ds
from app.services.deals import IdempotencyConflict
from app.services.permissions import Forbidden, NotFound
from tests.conftest import make_center, make_listing, make_org, make_patent, make_user

TODAY = date(2026, 11, 25)


@pytest.fixture
def world(db):
    center = make_center(approval_date=date(2024, 3, 1))
    seller = make_user(org=make_org("university"))
    buyer = make_user(org=make_org("sme"))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    patents = [make_patent(seller.org), make_patent(seller.org), make_patent(seller.org)]
    listing = make_listing(seller.org, patents, offers_ordinary=True, price_fen=30_000_000)
    return {"center": center, "seller": seller, "buyer": buyer, "staff": staff, "listing": listing}


def open_deal(w, price=30_000_000, kind="ordinary"):
    return ds.start_from_listing(w["buyer"], w["listing"], kind=kind, price_fen=price)


def to_recorded(w, deal):
    ds.sign(w["seller"], deal.id)
    ds.sign(w["buyer"], deal.id)
    ds.fund(w["buyer"], deal.id, key=f"fund-{deal.id}")
    ds.record(w["seller"], deal.id, recordal_number=f"X202611{deal.id:07d}", recordal_date=date(2026, 11, 1))


def escrow_balance(db, deal_id):
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_fen), 0))
                             .where(LedgerEntry.account == f"escrow:deal:{deal_id}"))


def test_full_journey_counts_each_patent_once(world, db):
    deal = open_deal(world)
    assert deal.center_id == world["center"].id  # the seller's alliance
    to_recorded(world, deal)
    result = ds.complete(world["buyer"], deal.id, key="complete-1", today=TODAY)
    assert result == {"counted": 3, "fee_fen": 300_000, "deal_id": deal.id, "status": "completed"}
    assert ds.counts_by_year(world["center"].id) == {3: 3}  # 2026-11-25 is in project year 3
    assert ds.recount_from_deals(world["center"]) == {3: 3}
    balances = ds.ledger_balances()
    assert balances[f"escrow:deal:{deal.id}"] == 0
    assert balances[f"payable:org:{world['seller'].org_id}"] == 29_700_000
    assert balances["revenue:platform_fees"] == 300_000
    assert sum(balances.values()) == 0 and ds.unbalanced_transactions() == []
    actions = db.session.scalars(sa.select(AuditRecord.action).where(AuditRecord.object_id == deal.id)).all()
    assert actions == ["deal.created", "deal.sign", "deal.sign", "deal.fund", "deal.record", "deal.complete"]


def test_retry_with_same_key_never_counts_twice(world, db):
    deal = open_deal(world)
    to_recorded(world, deal)
    first = ds.complete(world["buyer"], deal.id, key="same", today=TODAY)
    second = ds.complete(world["buyer"], deal.id, key="same", today=TODAY)
    assert first == second
    assert db.session.scalar(sa.select(sa.func.count(TargetEvent.id))) == 3
    with pytest.raises(IdempotencyConflict):
        ds.refund(world["seller"], deal.id, key="same")
    # without the key, a second completion is an invalid transition
    with pytest.raises(DealTransitionError):
        ds.complete(world["buyer"], deal.id, today=TODAY)


def test_fund_retry_returns_first_result(world, db):
    deal = open_deal(world)
    ds.sign(world["seller"], deal.id)
    ds.sign(world["buyer"], deal.id)
    a = ds.fund(world["buyer"], deal.id, key="k1")
    b = ds.fund(world["buyer"], deal.id, key="k1")
    assert a == b and escrow_balance(db, deal.id) == 30_000_000


def test_invalid_transitions_change_nothing(world, db):
    deal = open_deal(world)
    for action, kwargs in [(ds.fund, {}), (ds.complete, {"today": TODAY}), (ds.refund, {}),
                           (ds.dispute, {"reason": "x"}), (ds.reverse, {"reason": "x"})]:
        who = world["staff"] if action in (ds.reverse,) else world["buyer"]
        with pytest.raises((DealTransitionError, Forbidden)):
            action(who if action is not ds.refund else world["seller"], deal.id, **kwargs)
        db.session.expire_all()
        assert db.session.get(Deal, deal.id).status == "draft"
    assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))) == 0


def test_funds_only_released_after_recordal(world, db):
    deal = open_deal(world)
    ds.sign(world["seller"], deal.id)
    ds.sign(world["buyer"], deal.id)
    ds.fund(world["buyer"], deal.id)
    with pytest.raises(DealTransitionError):
        ds.complete(world["buyer"], deal.id, today=TODAY)
    assert escrow_balance(db, deal.id) == 30_000_000
    from app.domain.deals import RecordalError

    with pytest.raises(RecordalError):
        ds.record(world["seller"], deal.id, recordal_number="12345", recordal_date=date(2026, 11, 1))
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).status == "funded"


def test_dispute_refund_and_reverse(world, db):
    deal = open_deal(world)
    to_recorded(world, deal)
    ds.dispute(world["buyer"], deal.id, reason="合同争议")
    with pytest.raises(Forbidden):
        ds.resolve_release(world["buyer"], deal.id)
    ds.refund(world["staff"], deal.id, reason="调解退款")
    assert escrow_balance(db, deal.id) == 0
    assert ds.ledger_balances()[f"external:org:{world['buyer'].org_id}"] == 0
    assert ds.counts_by_year(world["center"].id) == {}

    other = open_deal(world)
    to_recorded(world, other)
    ds.complete(world["seller"], other.id, today=TODAY)
    with pytest.raises(Forbidden):
        ds.reverse(world["seller"], other.id, reason="x")
    ds.reverse(world["staff"], other.id, reason="合同解除", today=TODAY)
    assert ds.counts_by_year(world["center"].id) == {3: 0}
    assert ds.recount_from_deals(world["center"]) == {}
    events = db.session.scalars(sa.select(TargetEvent.delta).where(TargetEvent.deal_id == other.id)).all()
    assert sorted(events) == [-1, -1, -1, 1, 1, 1]  # history kept, corrected
    assert sum(ds.ledger_balances().values()) == 0 and ds.unbalanced_transactions() == []


def test_only_parties_and_their_center_see_a_deal(world):
    deal = open_deal(world)
    stranger = make_user()
    other_staff = make_user(org=make_center(industry="it_innovation").org, role=Role.CENTER_STAFF)
    assert ds.can_view(world["seller"], deal) and ds.can_view(world["buyer"], deal)
    assert ds.can_view(world["staff"], deal)
    assert not ds.can_view(stranger, deal) and not ds.can_view(other_staff, deal)
    with pytest.raises(NotFound):
        ds.sign(stranger, deal.id)
    with pytest.raises(Forbidden):
        ds.fund(world["seller"], deal.id)  # only the buyer pays


def test_deal_needs_center_to_complete(world, db):
    deal = open_deal(world)
    deal.center_id = None
    db.session.commit()
    to_recorded(world, deal)
    with pytest.raises(Exception) as err:
        ds.complete(world["buyer"], deal.id, today=TODAY)
    assert "center" in str(err.value)
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).status == "recorded"
    assert escrow_balance(db, deal.id) == 30_000_000
    ds.assign_center(world["staff"], db.session.get(Deal, deal.id), world["center"])
    ds.complete(world["buyer"], deal.id, today=TODAY)
    assert ds.counts_by_year(world["center"].id) == {3: 3}


@pytest.mark.parametrize(
    "completed_on, year",
    [(date(2024, 3, 1), 1), (date(2025, 2, 28), 1), (date(2025, 3, 1), 2), (date(2026, 2, 28), 2)],
)
def test_offline_deals_count_in_their_project_year(world, db, completed_on, year):
    data = ds.OfflineDeal(seller=world["seller"].org.name, buyer="山西某公司", kind="transfer",
                          application_numbers=["202010566088.9", "CN2015109587720", "202010566088.9"],
                          completed_on=completed_on, price_fen=0, recordal_number="ZLBG20240001",
                          contract_filename="合同 2024-001")
    deal = ds.record_offline(world["staff"], world["center"], data, key="off-1")
    assert deal.status == "completed" and len(deal.patents) == 2
    assert ds.counts_by_year(world["center"].id) == {year: 2}
    assert ds.record_offline(world["staff"], world["center"], data, key="off-1").id == deal.id
    assert ds.counts_by_year(world["center"].id) == {year: 2}


def test_offline_deal_validation(world):
    base = dict(seller=world["seller"].org.name, buyer="乙", kind="exclusive", application_numbers=["202010566088.9"],
                completed_on=date(2025, 5, 1), price_fen=100, recordal_number="X2025110000001",
                contract_filename="合同")
    with pytest.raises(Forbidden):
        ds.record_offline(world["buyer"], world["center"], ds.OfflineDeal(**base))  # not staff
    for bad in [{"application_numbers": ["202010566088.1"]}, {"recordal_number": "bad"},
                {"buyer": world["seller"].org.name}, {"seller": "甲"},
                {"completed_on": date(2023, 1, 1)}, {"contract_filename": ""}, {"application_numbers": []}]:
        with pytest.raises(DomainError):
            ds.record_offline(world["staff"], world["center"], ds.OfflineDeal(**{**base, **bad}))
    assert ds.counts_by_year(world["center"].id) == {}


def test_the_assign_form_is_offered_to_exactly_those_the_service_lets_assign(world, db, client):
    from tests.conftest import login

    deal = open_deal(world)
    deal.center_id = None
    db.session.commit()
    center_admin = make_user(org=world["center"].org, role=Role.ORG_ADMIN)
    admin = make_user(org=make_org("agency"), role=Role.PLATFORM_ADMIN)
    deal = db.session.get(Deal, deal.id)
    assert ds.assignable_centers(world["seller"], deal) == []  # a party, not the center's staff
    assert ds.assignable_centers(world["staff"], deal) == [world["center"]]
    assert ds.assignable_centers(center_admin, deal) == [world["center"]]
    login(client, world["seller"])
    assert "center_id" not in client.get(f"/deals/{deal.id}").get_data(as_text=True)
    assert client.post(f"/deals/{deal.id}/center", data={"center_id": world["center"].id}).status_code in (302, 403)
    assert db.session.get(Deal, deal.id).center_id is None
    client.post("/auth/logout")
    login(client, center_admin)  # the page offers it, so the post is honoured
    assert "center_id" in client.get(f"/deals/{deal.id}").get_data(as_text=True)
    assert client.post(f"/deals/{deal.id}/center", data={"center_id": world["center"].id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).center_id == world["center"].id
    deal = db.session.get(Deal, deal.id)
    deal.status = "completed"
    db.session.commit()
    assert ds.assignable_centers(admin, deal) == []  # a completed deal stays with its center


def test_a_completed_deal_is_published_after_its_commit_only(world, db, monkeypatch):
    from app import events
    from app.services.transaction import transaction

    seen = []
    monkeypatch.setattr(events, "HANDLERS", events.HANDLERS + ((seen.extend, (events.DealCompleted,)),))
    deal = open_deal(world)
    to_recorded(world, deal)
    assert seen == []  # signing, funding and the recordal complete nothing
    with pytest.raises(RuntimeError):
        with transaction():
            ds.complete(world["buyer"], deal.id, today=TODAY)
            raise RuntimeError("a later step of the caller fails")
    assert seen == [] and db.session.get(Deal, deal.id).status == "recorded"
    with transaction():
        ds.complete(world["buyer"], deal.id, today=TODAY)
        assert seen == []  # not before the commit
    assert seen == [events.DealCompleted(deal.id)]
    # a deal closed elsewhere, recorded by the center's staff, completes too; a refused one publishes nothing
    data = ds.OfflineDeal(seller=world["seller"].org.name, buyer="山西某公司", kind="transfer",
                          application_numbers=["202010566088.9"], completed_on=date(2025, 5, 1), price_fen=0,
                          recordal_number="ZLBG20250001", contract_filename="合同 2025-001")
    with pytest.raises(Forbidden):
        ds.record_offline(world["buyer"], world["center"], data)
    offline = ds.record_offline(world["staff"], world["center"], data)
    assert seen == [events.DealCompleted(deal.id), events.DealCompleted(offline.id)]
