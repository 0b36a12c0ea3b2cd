"""Deals: from a listing (or recorded offline by center staff) to completion, through escrow.

Every money action runs in one transaction: the deal's state, the escrow hold, balanced ledger
entries, target events and the audit record commit together or not at all. Money actions take an
idempotency key: the same key returns the first result, the same key with another body is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import events
from ..domain import attribution as attribution_rules
from ..domain import escrow, money, patent_numbers
from ..domain import targets as target_rules
from ..domain.deals import (DealAction, DealKind, DealStatus, DealTransitionError, clean_recordal, next_status,
                            normalize_recordal)
from ..domain.errors import DomainError, N_
from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..models import (
    AllianceMembership,
    Center,
    Deal,
    DealOrigin,
    DealPatent,
    EscrowHold,
    IdempotencyRecord,
    LedgerEntry,
    LedgerTransaction,
    Listing,
    MembershipStatus,
    Organisation,
    Patent,
    Role,
    TargetEvent,
    User,
)
from ..models._types import utcnow
from . import audit, clock
from . import targets as target_service
from .centers import is_center_staff
from .permissions import Forbidden, NotFound, is_bureau
from .transaction import IdempotencyConflict  # noqa: F401  (callers catch it from here)
from .transaction import record as record_event
from .transaction import remember, replay, request_hash, transaction, use_case

PARTY_ROLES = (Role.MEMBER, Role.ORG_ADMIN)


# ---- who may see and do what -------------------------------------------------------------


def can_view(user: User | None, deal: Deal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.PLATFORM_ADMIN or deal.is_party(user.org_id):
        return True
    if user.role == Role.BUREAU_STAFF:  # the bureau reads the deals the centers count, not open negotiations
        return deal.status in (DealStatus.COMPLETED, DealStatus.REVERSED)
    if deal.center is not None:
        return is_center_staff(user, deal.center)
    # not yet counted anywhere: the staff of a center whose alliance has either party may claim it
    return any(is_center_staff(user, c) for c in _party_centers(deal))


def _party_centers(deal: Deal) -> list[Center]:
    parties = [o for o in (deal.seller_org_id, deal.buyer_org_id) if o is not None]
    return list(db.session.scalars(
        sa.select(Center).join(AllianceMembership)
        .where(AllianceMembership.org_id.in_(parties), AllianceMembership.status == MembershipStatus.APPROVED)
    ).unique())


def require_view(user: User | None, deal: Deal) -> None:
    if not can_view(user, deal):
        raise NotFound(N_("not found"))


def _side(user: User, deal: Deal) -> str | None:
    if user.role not in PARTY_ROLES:
        return None
    if user.org_id == deal.seller_org_id:
        return "seller"
    if user.org_id == deal.buyer_org_id:
        return "buyer"
    return None


def _staff(user: User, deal: Deal) -> bool:
    return user.role == Role.PLATFORM_ADMIN or (deal.center is not None and is_center_staff(user, deal.center))


# action -> who may take it
def may(user: User, deal: Deal, action: DealAction | str) -> bool:
    action = DealAction(action)
    side = _side(user, deal)
    if action in (DealAction.SIGN, DealAction.CANCEL, DealAction.DISPUTE):
        return side is not None
    if action is DealAction.FUND:
        return side == "buyer"
    if action in (DealAction.RECORD, DealAction.COMPLETE):
        return side is not None or _staff(user, deal)
    if action is DealAction.REFUND:
        return side == "seller" or _staff(user, deal)
    return _staff(user, deal)  # resolve, reverse


def may_attach_contract(user: User | None, deal: Deal) -> bool:
    """File the signed contract with the deal: the two organisations."""
    return bool(user and user.is_authenticated and deal.is_party(user.org_id))


def may_reassign(user: User | None) -> bool:
    """Move a deal to another center's count: the bureau (and the platform admin)."""
    return is_bureau(user)


def _require(user: User, deal: Deal, action: DealAction) -> None:
    require_view(user, deal)
    if not may(user, deal, action):
        raise Forbidden(N_("you may not do this on this deal"))


# ---- creation -----------------------------------------------------------------------------


def _party_centers_of(org_id: int | None) -> list[Center]:
    """The centers whose alliances have the organisation as an approved member, by center id."""
    if org_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Center).join(AllianceMembership)
        .where(AllianceMembership.org_id == org_id, AllianceMembership.status == MembershipStatus.APPROVED)
        .order_by(Center.id)))


def attribution(seller_org_id: int | None, buyer_org_id: int | None,
                industries: list) -> attribution_rules.Attribution:
    """The one rule (domain.attribution) applied to the parties' alliances and the patents' industry."""
    def facts(org_id):
        return [attribution_rules.CenterFact(c.id, str(c.industry.value)) for c in _party_centers_of(org_id)]

    industry = attribution_rules.patents_industry([getattr(i, "value", i) for i in industries])
    return attribution_rules.attribute(industry, facts(seller_org_id), facts(buyer_org_id))


class DuplicateDeal(DomainError):
    """The deal exists already (same recordal number, or same patents, parties and date)."""


def _recordal_clash(number: str, deal_id: int | None = None) -> DuplicateDeal | None:
    number = clean_recordal(number)
    if not number:
        return None
    other = db.session.scalar(sa.select(Deal).where(Deal.recordal_number == number,
                                                    Deal.id != (deal_id or 0)))
    if other is None:
        return None
    return DuplicateDeal(N_("recordal number {number} already belongs to deal #{deal} ({seller} → {buyer}); "
                            "a deal counts once"), field="recordal_number", number=number, deal=other.id,
                         seller=other.seller_name, buyer=other.buyer_name)


def start_from_listing(by: User, listing: Listing, *, kind: str, price_fen: int, payment_terms: str = "") -> Deal:
    """A buyer organisation opens a draft deal on a published listing."""
    with transaction():
        if by.role not in PARTY_ROLES:
            raise Forbidden(N_("only members of an organisation can buy"))
        deal = draft_deal(by, listing, by.org, kind=kind, price_fen=price_fen, payment_terms=payment_terms)
    audit.log_line("deal.created", deal_id=deal.id, user_id=by.id)
    return deal


def draft_deal(by: User, listing: Listing, buyer_org: Organisation, *, kind: str, price_fen: int,
               payment_terms: str = "", **audit_data) -> Deal:
    """Add a draft deal on a published listing between its owner and ``buyer_org``; the caller commits.

    ``by`` may be either side (an accepted negotiation offer opens the draft for both)."""
    if listing.status != PublicationStatus.PUBLISHED:
        raise DomainError(N_("only published listings can be bought"))
    if listing.org_id == buyer_org.id:
        raise DomainError(N_("you cannot buy your own listing"))
    kind = DealKind(kind)
    if kind.value not in listing.deal_kinds:
        raise DomainError(N_("this listing is not offered as {kind}"), field="kind", kind=kind.value)
    if price_fen is None or price_fen <= 0:
        raise DomainError(N_("give a price above zero"), field="price")
    patent_numbers.require_cnipa([(p.office, p.application_number) for p in listing.patents])
    deal = Deal(
        origin=DealOrigin.PLATFORM,
        seller_org_id=listing.org_id, buyer_org_id=buyer_org.id,
        seller_name=listing.org.name, buyer_name=buyer_org.name,
        listing_id=listing.id, kind=kind, price_fen=price_fen, payment_terms=payment_terms.strip(),
        created_by_id=by.id,
    )
    counted = attribution(listing.org_id, buyer_org.id, [p.industry for p in listing.patents] or [listing.industry])
    deal.center_id, deal.center_reason = counted.center_id, counted.reason.value
    deal.patents = [
        DealPatent(application_number=p.application_number, patent_id=p.id, position=i)
        for i, p in enumerate(listing.patents)
    ]
    db.session.add(deal)
    db.session.flush()
    audit.record(by, "deal.created", "deal", deal.id, listing_id=listing.id, price_fen=price_fen, kind=kind.value,
                 **audit_data)
    return deal


def _assign_refusal(by: User, deal: Deal, center: Center, party_centers: list[Center]) -> Exception | None:
    """Why this user may not take the deal into this center's count (None: they may). The one rule
    behind both the deal page's form and ``assign_center``."""
    if not (by.role == Role.PLATFORM_ADMIN or is_center_staff(by, center)):
        return Forbidden(N_("only the center's staff may take a deal into its count"))
    if by.role != Role.PLATFORM_ADMIN and center not in party_centers:
        return Forbidden(N_("neither party is a member of this center's alliance"))
    if deal.status in (DealStatus.COMPLETED, DealStatus.REVERSED):
        return DealTransitionError(N_("a completed deal stays with its center"))
    if deal.center_id is not None and by.role != Role.PLATFORM_ADMIN and deal.center_id != center.id:
        return Forbidden(N_("the deal already counts for another center; only the bureau reassigns it"))
    return None


def assignable_centers(by: User, deal: Deal) -> list[Center]:
    """The centers this user may take the deal into, by id (empty: the page shows no form)."""
    if not can_view(by, deal):
        return []
    party_centers = _party_centers(deal)
    candidates = db.session.scalars(sa.select(Center).order_by(Center.id)) if by.role == Role.PLATFORM_ADMIN \
        else party_centers
    return [c for c in candidates if _assign_refusal(by, deal, c, party_centers) is None]


@use_case
def assign_center(by: User, deal: Deal, center: Center) -> None:
    """A center's staff take an open deal the rule found no center for into their count."""
    require_view(by, deal)
    refusal = _assign_refusal(by, deal, center, _party_centers(deal))
    if refusal is not None:
        raise refusal
    deal.center = center
    deal.center_reason = attribution_rules.AttributionReason.ASSIGNED.value
    audit.record(by, "deal.center_assigned", "deal", deal.id, center_id=center.id)


@use_case
def attach_contract(by: User, deal: Deal, stored: str, original: str) -> None:
    """A party files the signed contract with the deal (a new file replaces the old)."""
    if not may_attach_contract(by, deal):
        raise Forbidden(N_("you may not do this on this deal"))
    deal.contract_file, deal.contract_filename = stored, original
    audit.record(by, "deal.contract_uploaded", "deal", deal.id, filename=original)


@use_case
def reassign_center(by: User, deal: Deal, center: Center, *, note: str) -> int:
    """The bureau moves a deal to another center, completed or not: its count moves with it, in
    the new center's project year of the completion date. Audited with the reason."""
    require_view(by, deal)
    if not may_reassign(by):
        raise Forbidden(N_("only the bureau reassigns a deal's center"))
    if not note.strip():
        raise DomainError(N_("say why the deal counts for another center"), field="note")
    if deal.center_id == center.id:
        raise DomainError(N_("the deal already counts for this center"), field="center_id")
    moved = 0
    if deal.status in (DealStatus.COMPLETED, DealStatus.REVERSED):
        if center.approval_date is None or deal.completed_on is None or deal.completed_on < center.approval_date:
            raise DomainError(N_("the deal completed before that center's approval date, so it cannot count there"),
                              field="center_id")
        year = target_rules.project_year(center.approval_date, deal.completed_on)
        for event in db.session.scalars(sa.select(TargetEvent).where(TargetEvent.deal_id == deal.id)):
            # one row per deal patent and sign: the count moves, it is never doubled
            event.center_id, event.project_year = center.id, year
            moved += 1
    previous = deal.center_id
    deal.center = center
    deal.center_reason = attribution_rules.AttributionReason.BUREAU.value
    audit.record(by, "deal.center_reassigned", "deal", deal.id, center_id=center.id, previous_center_id=previous,
                 events_moved=moved, note=note.strip()[:500])
    db.session.flush()
    return moved


# ---- the machinery: locking, idempotency, escrow, ledger, targets -------------------------


def _lock(deal_id: int) -> Deal:
    deal = db.session.get(Deal, deal_id, with_for_update=True, populate_existing=True)
    if deal is None:
        raise NotFound(N_("not found"))
    return deal


def _run(by: User, deal_id: int, action: DealAction, body: dict, key: str | None, work) -> dict:
    """Lock the deal, check the action, do the work, commit once; replay by idempotency key."""
    scope = f"deal:{deal_id}:{action.value}"
    hashed = request_hash({"scope": scope, **body})
    if key:
        key = key.strip()[:100]
        previous = replay(key, hashed)
        if previous is not None:
            return previous
    try:
        with transaction():
            deal = _lock(deal_id)
            _require(by, deal, action)
            result = work(deal)
            result.setdefault("deal_id", deal.id)
            result["status"] = deal.status.value
            if key:
                remember(key, scope, hashed, result, by.id)
    except (IntegrityError, StaleDataError):
        if key:  # the same request raced us and won: answer as it did
            previous = replay(key, hashed)
            if previous is not None:
                return previous
        clash = _recordal_clash(body.get("recordal_number") or "", deal_id)
        if clash is not None:  # another deal took the number at the same moment
            raise clash from None
        raise DealTransitionError(N_("the deal was changed at the same moment; reload and try again"))
    audit.log_line(f"deal.{action.value}", deal_id=deal_id, user_id=by.id, status=result["status"])
    return result


def _provider() -> escrow.MockEscrowProvider:
    return escrow.MockEscrowProvider(current_app.config["ESCROW_SECRET"].encode())


def _escrow(deal: Deal, method: str) -> escrow.EscrowEvent:
    """Ask the provider to move the deal's hold; verify the signed event before trusting it."""
    provider = _provider()
    row = deal.hold
    if row is None:
        hold, event = provider.create_hold(
            escrow.CreateHold(deal_id=deal.id, amount_fen=deal.price_fen,
                              payer=f"org:{deal.buyer_org_id}", payee=f"org:{deal.seller_org_id}")
        )
        escrow.verify(event, current_app.config["ESCROW_SECRET"].encode())
        row = EscrowHold(deal=deal, provider_ref=hold.hold_id, amount_fen=hold.amount_fen, status=hold.status)
        db.session.add(row)
    provider.load(escrow.Hold(hold_id=row.provider_ref, deal_id=deal.id, amount_fen=row.amount_fen, status=row.status))
    hold, event = getattr(provider, method)(escrow.HoldAction(hold_id=row.provider_ref, amount_fen=row.amount_fen))
    escrow.verify(event, current_app.config["ESCROW_SECRET"].encode())
    row.status = hold.status
    return event


def _post(deal: Deal, kind: str, lines: list[tuple[str, int]], event_id: str | None = None, memo: str = "") -> None:
    """A balanced ledger transaction; refuses anything that does not sum to zero."""
    lines = [(account, amount) for account, amount in lines if amount != 0]
    if sum(amount for _, amount in lines) != 0:
        raise ValueError("unbalanced ledger transaction")
    txn = LedgerTransaction(deal_id=deal.id, kind=kind, provider_event_id=event_id, memo=memo)
    txn.entries = [LedgerEntry(account=a, amount_fen=amt) for a, amt in lines]
    db.session.add(txn)
    escrow_account = f"escrow:deal:{deal.id}"
    db.session.flush()
    balance = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_fen), 0)).where(LedgerEntry.account == escrow_account)
    )
    if balance < 0:
        raise ValueError("escrow would go negative")


def waiting_for(org_id: int | None, staff_center_ids: list[int]):
    """Deals whose next step is this organisation's (a SQL condition): its signature on a draft,
    the buyer's funding, the seller's CNIPA recordal, either party's completion, and a dispute
    in a center the user staffs."""
    seller, buyer = Deal.seller_org_id == org_id, Deal.buyer_org_id == org_id
    S = DealStatus
    return sa.or_(
        sa.and_(Deal.status == S.DRAFT, sa.or_(sa.and_(seller, Deal.seller_signed_at.is_(None)),
                                               sa.and_(buyer, Deal.buyer_signed_at.is_(None)))),
        sa.and_(Deal.status == S.SIGNED, buyer),
        sa.and_(Deal.status == S.FUNDED, seller),
        sa.and_(Deal.status == S.RECORDED, sa.or_(seller, buyer)),
        sa.and_(Deal.status == S.DISPUTED, Deal.center_id.in_(staff_center_ids)),
    )


def account_owner(account: str) -> tuple[str, int | None]:
    """What a ledger account code stands for, for people: ('payer' | 'escrow' | 'payee' | 'fees',
    the organisation's id or None). The codes are the ones ``accounts`` and the pool shares write."""
    head, _, rest = account.partition(":")
    kind = {"external": "payer", "escrow": "escrow", "payable": "payee", "revenue": "fees"}.get(head, "other")
    org_id = int(rest.removeprefix("org:")) if rest.startswith("org:") and rest[4:].isdigit() else None
    return kind, org_id


def accounts(deal: Deal) -> dict[str, str]:
    return {
        "buyer": f"external:org:{deal.buyer_org_id}",
        "escrow": f"escrow:deal:{deal.id}",
        "seller": f"payable:org:{deal.seller_org_id}",
        "fees": "revenue:platform_fees",
    }


def _fee(deal: Deal) -> int:
    return money.fee(deal.price_fen, current_app.config["PLATFORM_FEE_BP"])


def _count(deal: Deal, today: date, recorded_on: date | None = None) -> int:
    """Write the +1 target events of a completed deal (one per patent) in its project year.

    A deal recorded after its project year ended (``recorded_on``, an offline deal entered late)
    is dated the day it was recorded: the finished year's report shows it as a dated correction."""
    center = deal.center
    if center is None or center.approval_date is None:
        raise DomainError(N_("the deal has no center with an approval date to count for; center staff assign one"))
    year = target_rules.project_year(center.approval_date, today)
    if year < 1:
        raise DomainError(N_("the deal completes before the center's approval date"))
    late = recorded_on is not None and target_rules.project_year(center.approval_date, recorded_on) > year
    for p in deal.patents:
        db.session.add(TargetEvent(center_id=center.id, deal_id=deal.id, application_number=p.application_number,
                                   project_year=year, occurred_on=recorded_on if late else today, delta=1))
    deal.completed_on = today
    return len(deal.patents)


def _uncount(deal: Deal, today: date) -> int:
    events = db.session.scalars(
        sa.select(TargetEvent).where(TargetEvent.deal_id == deal.id, TargetEvent.delta == 1)
    ).all()
    for e in events:
        db.session.add(TargetEvent(center_id=e.center_id, deal_id=deal.id, application_number=e.application_number,
                                   project_year=e.project_year, occurred_on=today, delta=-1))
    return len(events)


# ---- the actions --------------------------------------------------------------------------


def sign(by: User, deal_id: int, *, key: str | None = None) -> dict:
    def work(deal: Deal) -> dict:
        next_status(deal.status, DealAction.SIGN)
        side = _side(by, deal)
        now = utcnow()
        if side == "seller" and deal.seller_signed_at is None:
            deal.seller_signed_at = now
        elif side == "buyer" and deal.buyer_signed_at is None:
            deal.buyer_signed_at = now
        else:
            raise DealTransitionError(N_("your side has already signed"))
        if deal.seller_signed_at and deal.buyer_signed_at:
            deal.status = DealStatus.SIGNED
        audit.record(by, "deal.sign", "deal", deal.id, side=side)
        return {"signed_by": side}

    return _run(by, deal_id, DealAction.SIGN, {}, key, work)


def fund(by: User, deal_id: int, *, key: str | None = None) -> dict:
    def work(deal: Deal) -> dict:
        deal.status = next_status(deal.status, DealAction.FUND)
        event = _escrow(deal, "fund")
        acc = accounts(deal)
        _post(deal, "fund", [(acc["buyer"], -deal.price_fen), (acc["escrow"], deal.price_fen)], event.event_id)
        audit.record(by, "deal.fund", "deal", deal.id, amount_fen=deal.price_fen, event_id=event.event_id)
        return {"amount_fen": deal.price_fen, "event_id": event.event_id}

    return _run(by, deal_id, DealAction.FUND, {}, key, work)


def record(by: User, deal_id: int, *, recordal_number: str, recordal_date: date | None,
           key: str | None = None) -> dict:
    def work(deal: Deal) -> dict:
        deal.status = next_status(deal.status, DealAction.RECORD)
        deal.recordal_number = normalize_recordal(deal.kind, recordal_number)
        clash = _recordal_clash(deal.recordal_number, deal.id)
        if clash is not None:
            raise clash
        if recordal_date is None:
            raise DomainError(N_("give the recordal date"), field="recordal_date")
        if recordal_date > clock.today():
            raise DomainError(N_("the recordal date is in the future"), field="recordal_date")
        deal.recordal_date = recordal_date
        audit.record(by, "deal.record", "deal", deal.id, recordal_number=deal.recordal_number)
        return {"recordal_number": deal.recordal_number}

    body = {"recordal_number": recordal_number, "recordal_date": recordal_date}
    return _run(by, deal_id, DealAction.RECORD, body, key, work)


def complete(by: User, deal_id: int, *, key: str | None = None, today: date | None = None) -> dict:
    """Release escrow to the seller (minus the platform fee) and count the deal for its center."""
    today = today or clock.today()

    def work(deal: Deal) -> dict:
        deal.status = next_status(deal.status, DealAction.COMPLETE)
        if not deal.recordal_number:
            raise DealTransitionError(N_("funds are released only after the CNIPA recordal"))
        counted = _count(deal, today)
        event = _escrow(deal, "release")
        acc, fee = accounts(deal), _fee(deal)
        if deal.pool_id is not None:  # a pool licence: the royalty goes to the contributors by the pool's rule
            from .pools import record_shares

            payees = [(f"payable:org:{s.org_id}", s.amount_fen) for s in record_shares(deal, deal.price_fen - fee)]
        else:
            payees = [(acc["seller"], deal.price_fen - fee)]
        _post(deal, "release", [(acc["escrow"], -deal.price_fen), *payees, (acc["fees"], fee)], event.event_id)
        audit.record(by, "deal.complete", "deal", deal.id, counted=counted, fee_fen=fee, event_id=event.event_id)
        record_event(events.DealCompleted(deal.id))
        return {"counted": counted, "fee_fen": fee}

    return _run(by, deal_id, DealAction.COMPLETE, {"today": today}, key, work)


def cancel(by: User, deal_id: int, *, reason: str = "", key: str | None = None) -> dict:
    def work(deal: Deal) -> dict:
        deal.status = next_status(deal.status, DealAction.CANCEL)
        audit.record(by, "deal.cancel", "deal", deal.id, reason=reason[:500])
        return {}

    return _run(by, deal_id, DealAction.CANCEL, {"reason": reason}, key, work)


def dispute(by: User, deal_id: int, *, reason: str, key: str | None = None) -> dict:
    def work(deal: Deal) -> dict:
        if not reason.strip():
            raise DomainError(N_("say what the dispute is about"), field="reason")
        deal.status = next_status(deal.status, DealAction.DISPUTE)
        _escrow(deal, "dispute")
        audit.record(by, "deal.dispute", "deal", deal.id, reason=reason[:2000])
        return {}

    return _run(by, deal_id, DealAction.DISPUTE, {"reason": reason}, key, work)


def resolve_release(by: User, deal_id: int, *, note: str = "", key: str | None = None) -> dict:
    """Center staff settle a dispute in favour of going on: the hold is funded again."""

    def work(deal: Deal) -> dict:
        deal.status = next_status(deal.status, DealAction.RESOLVE_RELEASE)
        _escrow(deal, "resolve")
        deal.recordal_number, deal.recordal_date = "", None  # record again once settled
        audit.record(by, "deal.resolve", "deal", deal.id, note=note[:2000])
        return {}

    return _run(by, deal_id, DealAction.RESOLVE_RELEASE, {"note": note}, key, work)


def refund(by: User, deal_id: int, *, reason: str = "", key: str | None = None) -> dict:
    def work(deal: Deal) -> dict:
        deal.status = next_status(deal.status, DealAction.REFUND)
        event = _escrow(deal, "refund")
        acc = accounts(deal)
        _post(deal, "refund", [(acc["escrow"], -deal.price_fen), (acc["buyer"], deal.price_fen)], event.event_id)
        audit.record(by, "deal.refund", "deal", deal.id, amount_fen=deal.price_fen, reason=reason[:2000])
        return {"amount_fen": deal.price_fen}

    return _run(by, deal_id, DealAction.REFUND, {"reason": reason}, key, work)


def reverse(by: User, deal_id: int, *, reason: str, key: str | None = None, today: date | None = None) -> dict:
    """Undo a completed deal (e.g. the contract was rescinded): correcting target events, and
    correcting ledger entries for platform deals. History is never deleted."""
    today = today or clock.today()

    def work(deal: Deal) -> dict:
        if not reason.strip():
            raise DomainError(N_("say why the deal is undone"), field="reason")
        deal.status = next_status(deal.status, DealAction.REVERSE)
        corrected = _uncount(deal, today)
        if deal.origin == DealOrigin.PLATFORM:
            acc, fee = accounts(deal), _fee(deal)
            if deal.pool_id is not None:
                from ..models import RoyaltyShare

                shares = db.session.scalars(sa.select(RoyaltyShare).where(RoyaltyShare.deal_id == deal.id)).all()
                payees = [(f"payable:org:{s.org_id}", -s.amount_fen) for s in shares]
            else:
                payees = [(acc["seller"], -(deal.price_fen - fee))]
            _post(deal, "reversal", [*payees, (acc["fees"], -fee), (acc["buyer"], deal.price_fen)], memo=reason[:300])
        audit.record(by, "deal.reverse", "deal", deal.id, corrected=corrected, reason=reason[:2000])
        return {"corrected": corrected}

    return _run(by, deal_id, DealAction.REVERSE, {"reason": reason, "today": today}, key, work)


ACTIONS = {
    DealAction.SIGN: sign,
    DealAction.FUND: fund,
    DealAction.RECORD: record,
    DealAction.COMPLETE: complete,
    DealAction.CANCEL: cancel,
    DealAction.DISPUTE: dispute,
    DealAction.RESOLVE_RELEASE: resolve_release,
    DealAction.REFUND: refund,
    DealAction.REVERSE: reverse,
}


# ---- deals closed elsewhere ---------------------------------------------------------------


@dataclass
class OfflineDeal:
    seller: str  # an organisation on the platform (its name or credit code), or an outside party's name
    buyer: str
    kind: str
    application_numbers: list[str]
    completed_on: date
    price_fen: int
    recordal_number: str
    recordal_date: date | None = None
    contract_file: str = ""
    contract_filename: str = ""
    payment_terms: str = ""
    errors: list = field(default_factory=list)


class Party(NamedTuple):
    org: Organisation | None
    name: str


def resolve_party(text: str) -> Party:
    """An organisation on the platform by its unified social credit code or exact name; otherwise
    the text is an outside party's name."""
    text = (text or "").strip()
    code = text.upper()
    org = None
    if len(code) == 18 and code.isalnum():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.credit_code == code))
    if org is None and text:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.name == text))
    return Party(org, org.name if org else text)


def alliance_members(center: Center) -> list[Organisation]:
    """The organisations a center's staff pick a party from: the approved members of its alliance."""
    return list(db.session.scalars(
        sa.select(Organisation).join(AllianceMembership, AllianceMembership.org_id == Organisation.id)
        .where(AllianceMembership.center_id == center.id, AllianceMembership.status == MembershipStatus.APPROVED)
        .order_by(Organisation.name)))


def offline_key(numbers: list[str], seller: Party, buyer: Party, completed_on: date) -> str:
    """The same patents between the same parties completed the same day are one deal."""
    def who(p: Party) -> str:
        return f"org:{p.org.id}" if p.org else "name:" + "".join(p.name.split()).casefold()

    text = "|".join([",".join(sorted(numbers)), who(seller), who(buyer), completed_on.isoformat()])
    return hashlib.sha256(text.encode()).hexdigest()


def _offline_clash(key: str) -> DuplicateDeal | None:
    other = db.session.scalar(sa.select(Deal).where(Deal.offline_key == key))
    if other is None:
        return None
    return DuplicateDeal(N_("deal #{deal} already records these patents between these parties completed on {day}; "
                            "a deal counts once"), deal=other.id, day=other.completed_on.isoformat())


def record_offline(by: User, center: Center, data: OfflineDeal, *, key: str | None = None) -> Deal:
    """Center staff record a deal closed outside the platform; it counts the same way, once, and
    only for the center the attribution rule names (a party must be in its alliance)."""
    recordal = fingerprint = None
    try:
        with transaction():
            if not (by.role == Role.PLATFORM_ADMIN or is_center_staff(by, center)):
                raise Forbidden(N_("only the center's staff record deals closed elsewhere"))
            kind = DealKind(data.kind)
            seller, buyer = resolve_party(data.seller), resolve_party(data.buyer)
            if not seller.name:
                raise DomainError(N_("name the seller / licensor"), field="seller")
            if not buyer.name:
                raise DomainError(N_("name the buyer / licensee"), field="buyer")
            if seller.name == buyer.name or (seller.org is not None and seller.org == buyer.org):
                raise DomainError(N_("seller and buyer must differ"), field="buyer")
            numbers: list[str] = []
            for text in data.application_numbers:
                try:
                    number = patent_numbers.normalize(text, today=clock.today())
                except patent_numbers.PatentNumberError as err:
                    raise DomainError(N_("patent {text}: {reason}"), field="patents", text=text, reason=err) from err
                if number not in numbers:
                    numbers.append(number)
            if not numbers:
                raise DomainError(N_("give at least one patent application number"), field="patents")
            if data.price_fen is None or data.price_fen < 0:
                raise DomainError(N_("give the contract price (0 if free)"), field="price")
            today = clock.today()
            if data.completed_on is None:
                raise DomainError(N_("give the completion date"), field="completed_on")
            if data.completed_on > today:
                raise DomainError(N_("the completion date is in the future"), field="completed_on")
            if data.recordal_date is not None:
                if data.recordal_date > today:
                    raise DomainError(N_("the recordal date is in the future"), field="recordal_date")
                if data.completed_on < data.recordal_date:
                    raise DomainError(N_("the deal cannot complete ({completed}) before its CNIPA recordal ({recorded})"),
                                      field="completed_on", completed=data.completed_on.isoformat(),
                                      recorded=data.recordal_date.isoformat())
            recordal = normalize_recordal(kind, data.recordal_number)
            if not (data.contract_file or data.contract_filename.strip()):
                raise DomainError(N_("attach the contract (or give its reference) as evidence"), field="contract")
            if key:
                existing = db.session.scalar(sa.select(IdempotencyRecord).where(IdempotencyRecord.key == key))
                if existing is not None:
                    return db.session.get(Deal, existing.response["deal_id"])
            members = {o.id for o in alliance_members(center)}
            if not ({seller.org.id if seller.org else None, buyer.org.id if buyer.org else None} & members):
                raise DomainError(N_("neither party is an approved member of this center's alliance; pick at least one "
                                     "party from the alliance's organisations (or by credit code)"), field="seller")
            patents = {p.application_number: p for p in db.session.scalars(sa.select(Patent).where(Patent.application_number.in_(numbers)))}
            counted = attribution(seller.org.id if seller.org else None, buyer.org.id if buyer.org else None,
                                  [p.industry for p in patents.values()])
            if counted.center_id != center.id:
                other = db.session.get(Center, counted.center_id)
                raise DomainError(N_("this deal counts for {center} ({reason}); its staff record it"),
                                  center=other.name, reason=attribution_rules.REASON_TEXT[counted.reason])
            fingerprint = offline_key(numbers, seller, buyer, data.completed_on)
            for clash in (_recordal_clash(recordal), _offline_clash(fingerprint)):
                if clash is not None:
                    raise clash
            deal = Deal(
                origin=DealOrigin.OFFLINE, seller_org_id=seller.org.id if seller.org else None,
                buyer_org_id=buyer.org.id if buyer.org else None,
                seller_name=seller.name, buyer_name=buyer.name, center=center, center_reason=counted.reason.value,
                kind=kind, price_fen=data.price_fen, offline_key=fingerprint,
                payment_terms=data.payment_terms, recordal_number=recordal, recordal_date=data.recordal_date,
                contract_file=data.contract_file, contract_filename=data.contract_filename, status=DealStatus.COMPLETED,
                created_by_id=by.id,
            )
            deal.patents = [DealPatent(application_number=n, patent_id=patents[n].id if n in patents else None, position=i)
                            for i, n in enumerate(numbers)]
            db.session.add(deal)
            db.session.flush()
            counted_patents = _count(deal, data.completed_on, recorded_on=today)
            audit.record(by, "deal.offline_recorded", "deal", deal.id, counted=counted_patents, center_id=center.id)
            record_event(events.DealCompleted(deal.id))
            if key:
                db.session.add(IdempotencyRecord(key=key, scope=f"center:{center.id}:offline", request_hash="-",
                                                 response={"deal_id": deal.id}, user_id=by.id))
            db.session.flush()
    except IntegrityError:
        # a concurrent request recorded the same deal first (rolled back): name it
        for clash in (_recordal_clash(recordal), _offline_clash(fingerprint)):
            if clash is not None:
                raise clash from None
        raise
    audit.log_line("deal.offline_recorded", deal_id=deal.id, user_id=by.id)
    return deal


# ---- counts -------------------------------------------------------------------------------


counts_by_year = target_service.counts_by_year


def recount_from_deals(center: Center) -> dict[int, int]:
    """The same counts computed from completed deals alone (for `flask targets-check`)."""
    counts: dict[int, int] = {}
    if center.approval_date is None:
        return counts
    deals = db.session.scalars(
        sa.select(Deal).where(Deal.center_id == center.id, Deal.status == DealStatus.COMPLETED)
    ).all()
    for deal in deals:
        year = target_rules.project_year(center.approval_date, deal.completed_on)
        counts[year] = counts.get(year, 0) + len(deal.patents)
    return counts


def ledger_balances() -> dict[str, int]:
    rows = db.session.execute(
        sa.select(LedgerEntry.account, sa.func.sum(LedgerEntry.amount_fen)).group_by(LedgerEntry.account)
    ).all()
    return {account: int(total) for account, total in rows}


def unbalanced_transactions() -> list[int]:
    rows = db.session.execute(
        sa.select(LedgerEntry.txn_id).group_by(LedgerEntry.txn_id).having(sa.func.sum(LedgerEntry.amount_fen) != 0)
    ).all()
    return [r[0] for r in rows]
