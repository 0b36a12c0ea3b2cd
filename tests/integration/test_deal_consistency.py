"""Invariants under concurrency (PostgreSQL) and under random action sequences (hypothesis)."""

import os
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from app.domain.deals import MONEY_HELD, DealTransitionError
from app.domain.errors import DomainError
from app.extensions import db as _db
from app.models import AllianceMembership, Deal, LedgerEntry, Role, TargetEvent
from app.services import deals as ds
from app.services.permissions import AccessDenied
from tests.conftest import _truncate_all, make_center, make_listing, make_org, make_patent, make_user

TODAY = date(2026, 11, 25)


def _world():
    center = make_center(approval_date=date(2024, 3, 1))
    seller = make_user(org=make_org("enterprise"))
    buyer = make_user(org=make_org("sme"))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    _db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    _db.session.commit()
    return center, seller, buyer, staff


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="the concurrent close runs against PostgreSQL (set TEST_DATABASE_URL; make test does)")
def test_200_concurrent_closes_count_exactly(app):
    center, seller, buyer, staff = _world()
    deal_ids = []
    for i in range(200):
        patent = make_patent(seller.org)
        listing = make_listing(seller.org, [patent], offers_ordinary=True, price_fen=1_000_000 + i)
        deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=1_000_000 + i)
        ds.sign(seller, deal.id)
        ds.sign(buyer, deal.id)
        ds.fund(buyer, deal.id)
        ds.record(seller, deal.id, recordal_number=f"X2026{i:09d}", recordal_date=date(2026, 11, 1))
        deal_ids.append(deal.id)
    user_ids = {"seller": seller.id, "buyer": buyer.id, "staff": staff.id}
    errors = []

    def worker(ids, who, key_prefix):
        with app.app_context():
            from app.models import User

            user = _db.session.get(User, user_ids[who])
            for deal_id in ids:
                try:
                    # the same key from two threads: exactly one completion, one replay
                    ds.complete(user, deal_id, key=f"{key_prefix}-{deal_id}", today=TODAY)
                except DealTransitionError:
                    pass  # the other thread won with its own key: refused, nothing changed
                except Exception as err:  # noqa: BLE001
                    errors.append(repr(err))
            _db.session.remove()

    threads = [
        threading.Thread(target=worker, args=(deal_ids, "buyer", "same")),
        threading.Thread(target=worker, args=(deal_ids, "seller", "same")),
        threading.Thread(target=worker, args=(list(reversed(deal_ids)), "staff", "staff")),
        threading.Thread(target=worker, args=(deal_ids[::2], "buyer", "other")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _db.session.expire_all()
    completed = _db.session.scalar(sa.select(sa.func.count(Deal.id)).where(Deal.status == "completed"))
    assert completed == 200
    assert ds.counts_by_year(center.id) == {3: 200} == ds.recount_from_deals(center)
    assert _db.session.scalar(sa.select(sa.func.count(TargetEvent.id))) == 200
    assert ds.unbalanced_transactions() == []
    balances = ds.ledger_balances()
    assert all(v == 0 for a, v in balances.items() if a.startswith("escrow:"))
    assert sum(balances.values()) == 0


class DealMachine(RuleBasedStateMachine):
    """Random sequences of actions by random people; the books and the counts must always agree."""

    @initialize()
    def setup(self):
        _truncate_all()
        self.center, self.seller, self.buyer, self.staff = _world()
        self.deals = []
        for price in (1, 99_999, 12_345_678):
            patents = [make_patent(self.seller.org) for _ in range(1 + price % 3)]
            listing = make_listing(self.seller.org, patents, offers_ordinary=True, price_fen=price)
            self.deals.append(ds.start_from_listing(self.buyer, listing, kind="ordinary", price_fen=price).id)

    def _try(self, fn, *args, **kwargs):
        try:
            fn(*args, **kwargs)
        except (DomainError, AccessDenied):
            pass

    def _who(self, i):
        return (self.seller, self.buyer, self.staff)[i]

    @rule(d=st.integers(0, 2), who=st.integers(0, 2))
    def sign(self, d, who):
        self._try(ds.sign, self._who(who), self.deals[d])

    @rule(d=st.integers(0, 2), who=st.integers(0, 2), key=st.sampled_from([None, "k1", "k2"]))
    def fund(self, d, who, key):
        self._try(ds.fund, self._who(who), self.deals[d], key=key and f"{key}-{d}")

    @rule(d=st.integers(0, 2), who=st.integers(0, 2))
    def record(self, d, who):
        self._try(ds.record, self._who(who), self.deals[d], recordal_number="X2026110000001",
                  recordal_date=date(2026, 11, 1))

    @rule(d=st.integers(0, 2), who=st.integers(0, 2), key=st.sampled_from([None, "c1"]))
    def complete(self, d, who, key):
        self._try(ds.complete, self._who(who), self.deals[d], key=key and f"{key}-{d}", today=TODAY)

    @rule(d=st.integers(0, 2), who=st.integers(0, 2))
    def dispute(self, d, who):
        self._try(ds.dispute, self._who(who), self.deals[d], reason="争议")

    @rule(d=st.integers(0, 2), who=st.integers(0, 2))
    def refund(self, d, who):
        self._try(ds.refund, self._who(who), self.deals[d], reason="退款")

    @rule(d=st.integers(0, 2))
    def resolve(self, d):
        self._try(ds.resolve_release, self.staff, self.deals[d])

    @rule(d=st.integers(0, 2), who=st.integers(0, 2))
    def cancel(self, d, who):
        self._try(ds.cancel, self._who(who), self.deals[d])

    @rule(d=st.integers(0, 2))
    def reverse(self, d):
        self._try(ds.reverse, self.staff, self.deals[d], reason="撤销", today=TODAY)

    @invariant()
    def books_balance_and_counts_agree(self):
        if not getattr(self, "deals", None):
            return
        _db.session.expire_all()
        assert ds.unbalanced_transactions() == []
        balances = ds.ledger_balances()
        for deal_id in self.deals:
            deal = _db.session.get(Deal, deal_id)
            held = balances.get(f"escrow:deal:{deal_id}", 0)
            assert held >= 0
            assert held == (deal.price_fen if deal.status in MONEY_HELD else 0), deal.status
        assert {y: n for y, n in ds.counts_by_year(self.center.id).items() if n} == ds.recount_from_deals(self.center)
        assert _db.session.scalar(sa.select(sa.func.count(LedgerEntry.id)).where(LedgerEntry.amount_fen == 0)) == 0

    def teardown(self):
        _db.session.rollback()


TestDealMachine = DealMachine.TestCase
TestDealMachine.settings = settings(
    max_examples=15, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
