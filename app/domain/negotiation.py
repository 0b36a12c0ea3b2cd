"""The rules of a negotiation's offers: what valid terms are, and what a new version does to the last.

Plain Python, no Flask. An offer is a version of the terms (deal kind, lump sum or royalty, price,
territory, term). A new version from the other side *counters* the open offer; a new version from
the same side *withdraws* (replaces) it. Only the other side accepts or declines an open offer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .deals import DealKind
from .errors import DomainError, N_

MAX_TERM_MONTHS = 600
MAX_TERRITORY = 200


class OfferState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COUNTERED = "countered"  # the other side answered with a new version
    WITHDRAWN = "withdrawn"  # the same side replaced it with a new version


class PaymentKind(enum.StrEnum):
    LUMP_SUM = "lump_sum"
    ROYALTY = "royalty"


@dataclass
class OfferTerms:
    kind: str
    price_fen: int | None  # the lump sum, or the up-front fee that comes with a royalty (> 0: escrow holds it)
    payment: str = PaymentKind.LUMP_SUM.value
    royalty_bp: int | None = None  # basis points of sales: 250 = 2.5 %
    territory: str = ""
    term_months: int | None = None
    note: str = ""


def check_terms(terms: OfferTerms, offered_kinds: list[str] | tuple[str, ...]) -> None:
    """Raise DomainError (naming the field) unless the terms are valid for a listing offering ``offered_kinds``."""
    try:
        kind = DealKind(terms.kind)
    except ValueError:
        raise DomainError(N_("choose the deal kind"), field="kind") from None
    if kind.value not in offered_kinds:
        raise DomainError(N_("this listing is not offered as {kind}"), field="kind", kind=kind.value)
    try:
        payment = PaymentKind(terms.payment)
    except ValueError:
        raise DomainError(N_("choose lump sum or royalty"), field="payment") from None
    # Above zero even with a royalty: the up-front fee is what the deal's escrow holds.
    if terms.price_fen is None or terms.price_fen <= 0:
        raise DomainError(N_("give a price (or, with a royalty, an up-front fee) above zero"), field="price")
    if payment is PaymentKind.ROYALTY and (terms.royalty_bp is None or not 0 < terms.royalty_bp <= 10000):
        raise DomainError(N_("a royalty is above 0 % and at most 100 %"), field="royalty_percent")
    if terms.term_months is not None and not 1 <= terms.term_months <= MAX_TERM_MONTHS:
        raise DomainError(N_("the term is 1 to {n} months"), field="term_months", n=MAX_TERM_MONTHS)
    if kind is DealKind.TRANSFER and terms.term_months is not None:
        raise DomainError(N_("a transfer has no term; leave it empty"), field="term_months")
    if len(terms.territory or "") > MAX_TERRITORY:
        raise DomainError(N_("the territory is at most {n} characters"), field="territory", n=MAX_TERRITORY)


def superseded_state(previous_from_org: int, new_from_org: int) -> OfferState:
    """What the open offer becomes when a new version arrives."""
    return OfferState.WITHDRAWN if previous_from_org == new_from_org else OfferState.COUNTERED


def check_answer(state: OfferState, offer_from_org: int, answering_org: int) -> None:
    """Only an open offer is answered, and only by the other side."""
    if state is not OfferState.OPEN:
        raise DomainError(N_("this offer was already answered or replaced"))
    if offer_from_org == answering_org:
        raise DomainError(N_("the other side answers your offer; you can replace it with a new version"))


def terms_text(payment: str, price_fen: int, royalty_bp: int | None, territory: str, term_months: int | None,
               thread_id: int, version: int) -> str:
    """The agreed terms as a deal's payment-terms text (English keys: a stable record)."""
    parts = [f"payment: {payment}", f"price_fen: {price_fen}"]
    if royalty_bp is not None:
        parts.append(f"royalty: {royalty_bp / 100:g} %")
    if territory:
        parts.append(f"territory: {territory}")
    if term_months:
        parts.append(f"term: {term_months} months")
    parts.append(f"negotiated in thread {thread_id}, offer version {version}")
    return "; ".join(parts)
