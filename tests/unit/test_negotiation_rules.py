"""Offer rules of a negotiation: valid terms, counter vs replace, who answers, the agreed terms' text."""

import pytest

from app.domain.errors import DomainError
from app.domain.negotiation import OfferState, OfferTerms, check_answer, check_terms, superseded_state, terms_text

KINDS = ("transfer", "ordinary")


def terms(**kw) -> OfferTerms:
    base = dict(kind="ordinary", price_fen=1_000_000, payment="lump_sum", territory="中国", term_months=24)
    base.update(kw)
    return OfferTerms(**base)


@pytest.mark.parametrize("kw", [
    {},
    dict(payment="royalty", royalty_bp=250, price_fen=1),  # mostly royalty, a token fee up front
    dict(payment="royalty", royalty_bp=10000),
    dict(kind="transfer", term_months=None),
    dict(term_months=600, territory=""),
])
def test_valid_terms(kw):
    check_terms(terms(**kw), KINDS)


@pytest.mark.parametrize("kw, field", [
    (dict(kind="exclusive"), "kind"),  # not offered by the listing
    (dict(kind=""), "kind"),
    (dict(payment="shares"), "payment"),
    (dict(price_fen=None), "price"),
    (dict(price_fen=-1), "price"),
    (dict(price_fen=0), "price"),  # a lump sum of nothing
    (dict(payment="royalty", royalty_bp=250, price_fen=0), "price"),  # escrow holds the up-front fee
    (dict(payment="royalty", royalty_bp=None), "royalty_percent"),
    (dict(payment="royalty", royalty_bp=0), "royalty_percent"),
    (dict(payment="royalty", royalty_bp=10001), "royalty_percent"),
    (dict(term_months=0), "term_months"),
    (dict(term_months=601), "term_months"),
    (dict(kind="transfer", term_months=12), "term_months"),  # ownership changes for good
    (dict(territory="x" * 201), "territory"),
])
def test_invalid_terms_name_their_field(kw, field):
    with pytest.raises(DomainError) as err:
        check_terms(terms(**kw), KINDS)
    assert err.value.field == field


def test_a_new_version_counters_the_other_side_and_replaces_ones_own():
    assert superseded_state(previous_from_org=1, new_from_org=2) is OfferState.COUNTERED
    assert superseded_state(previous_from_org=2, new_from_org=2) is OfferState.WITHDRAWN


def test_only_the_other_side_answers_an_open_offer():
    check_answer(OfferState.OPEN, offer_from_org=1, answering_org=2)
    with pytest.raises(DomainError):
        check_answer(OfferState.OPEN, offer_from_org=1, answering_org=1)
    for state in (OfferState.ACCEPTED, OfferState.DECLINED, OfferState.COUNTERED, OfferState.WITHDRAWN):
        with pytest.raises(DomainError):
            check_answer(state, offer_from_org=1, answering_org=2)


def test_terms_text():
    assert terms_text("royalty", 500_000, 250, "山西省", 36, thread_id=7, version=3) == (
        "payment: royalty; price_fen: 500000; royalty: 2.5 %; territory: 山西省; term: 36 months; "
        "negotiated in thread 7, offer version 3")
    assert terms_text("lump_sum", 100, None, "", None, 1, 1) == (
        "payment: lump_sum; price_fen: 100; negotiated in thread 1, offer version 1")
