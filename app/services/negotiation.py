"""Negotiation: an interested organisation opens a thread on a listing; the two sides exchange
messages and attachments, make versioned offers that the other side accepts, counters or
declines, and the buyer may ask for the listing's confidential details under an NDA.

Who sees a thread: members of the two organisations (they act), the staff of a center whose
alliance has either of them and platform administrators (they read). Everyone else gets 404.
An accepted offer opens a draft deal, which the deals service takes from there.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from ..domain import negotiation as rules
from ..domain.deals import DealKind
from ..domain.negotiation import OfferTerms  # noqa: F401  (callers build terms from here)
from ..domain.errors import DomainError, N_
from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..models import (
    AllianceMembership,
    Center,
    Deal,
    Listing,
    MembershipStatus,
    NdaStatus,
    Need,
    Notification,
    OfferState,
    PaymentKind,
    Role,
    Thread,
    ThreadMessage,
    ThreadOffer,
    ThreadStatus,
    User,
)
from ..models._types import utcnow
from . import audit, deals, uploads
from .centers import is_center_staff
from .permissions import Forbidden, NotFound, can_edit, require_edit, require_view as require_item_view
from .transaction import transaction, use_case

PARTY_ROLES = (Role.MEMBER, Role.ORG_ADMIN)
MESSAGE_MAX = 5000


# ---- who may see and do what -------------------------------------------------------------


def _party_centers(thread: Thread) -> list[Center]:
    return list(db.session.scalars(
        sa.select(Center).join(AllianceMembership, AllianceMembership.center_id == Center.id).where(
            AllianceMembership.org_id.in_([thread.seller_org_id, thread.buyer_org_id]),
            AllianceMembership.status == MembershipStatus.APPROVED)
    ).unique())


def can_view(user: User | None, thread: Thread) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.PLATFORM_ADMIN or thread.side_of(user.org_id) is not None:
        return True
    return any(is_center_staff(user, c) for c in _party_centers(thread))


def can_act(user: User | None, thread: Thread) -> bool:
    """Members of the two organisations act; staff and administrators only read."""
    return bool(can_view(user, thread) and user.role in PARTY_ROLES and thread.side_of(user.org_id))


def require_view(user: User | None, thread: Thread) -> None:
    if not can_view(user, thread):
        raise NotFound(N_("not found"))


def require_act(user: User, thread: Thread) -> str:
    require_view(user, thread)
    if not can_act(user, thread):
        raise Forbidden(N_("only the two organisations take part; you can read this thread"))
    return thread.side_of(user.org_id)


def thread_actions(user: User | None, thread: Thread) -> frozenset[str]:
    """What the thread's page offers ``user``, by the rules the use cases below apply: "take_part" (write
    messages), "close" and "offer" while open, "answer_offer" (accept or decline the other side's open
    offer), "request_nda" (the interested side), "decide_nda" (the owner), "reveal_confidential"."""
    if not can_act(user, thread):
        return frozenset()
    side = thread.side_of(user.org_id)
    actions = {"take_part"}
    if thread.status == ThreadStatus.OPEN:
        actions |= {"close", "offer"}
        offer = open_offer(thread)
        if offer is not None and offer.from_org_id != user.org_id:
            actions.add("answer_offer")
    if side == "buyer" and thread.nda_status not in (NdaStatus.REQUESTED, NdaStatus.ACCEPTED):
        actions.add("request_nda")
    if side == "seller" and thread.nda_status == NdaStatus.REQUESTED:
        actions.add("decide_nda")
    if side == "seller" and can_edit(user, thread.listing):
        actions.add("edit_confidential")
    if side == "buyer" and may_read_confidential(user, thread):  # the owner reads them on the page
        actions.add("reveal_confidential")
    return frozenset(actions)


def _lock(thread: Thread) -> Thread:
    """Re-read the thread under a row lock (PostgreSQL): offers and answers on it happen one at a time."""
    locked = db.session.get(Thread, thread.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(N_("not found"))
    return locked


def _require_open(thread: Thread) -> None:
    if thread.status != ThreadStatus.OPEN:
        raise DomainError(N_("this negotiation is over: an offer was accepted or the thread was closed"))


def threads_for(user: User) -> list[Thread]:
    """The threads the user's organisation takes part in (and, for center staff, its members')."""
    stmt = sa.select(Thread)
    if user.role != Role.PLATFORM_ADMIN:
        orgs = [user.org_id]
        centers = db.session.scalars(sa.select(Center).where(Center.org_id == user.org_id)).all()
        for center in centers:
            if is_center_staff(user, center):
                orgs += db.session.scalars(sa.select(AllianceMembership.org_id).where(
                    AllianceMembership.center_id == center.id,
                    AllianceMembership.status == MembershipStatus.APPROVED)).all()
        stmt = stmt.where(sa.or_(Thread.seller_org_id.in_(orgs), Thread.buyer_org_id.in_(orgs)))
    return list(db.session.scalars(stmt.order_by(Thread.updated_at.desc(), Thread.id.desc()).limit(200)))


def _notify(org_id: int, message: str, thread: Thread, **params) -> None:
    db.session.add(Notification(org_id=org_id, kind="negotiation", message=message,
                                params={"listing": thread.listing.title, **params}, link=f"/threads/{thread.id}"))


def _other(thread: Thread, side: str) -> int:
    return thread.buyer_org_id if side == "seller" else thread.seller_org_id


# ---- opening a thread and talking ---------------------------------------------------------


@use_case
def start_thread(by: User, listing: Listing, *, need: Need | None = None, message: str = "") -> Thread:
    """Express interest in a published listing; the same organisation gets its existing thread back.

    The listing's owner may open one too, towards the organisation of a matched published need
    (the need's organisation is then the interested side)."""
    require_item_view(by, listing)
    if by.role not in PARTY_ROLES:
        raise Forbidden(N_("only members of an organisation can express interest"))
    if listing.org_id == by.org_id:
        if need is None or need.org_id == by.org_id or need.status != PublicationStatus.PUBLISHED:
            raise DomainError(N_("this is your own listing"))
        buyer_org_id = need.org_id
    else:
        buyer_org_id = by.org_id
        if need is not None and need.org_id != by.org_id:
            need = None  # a match is opened from one's own need only
    existing = db.session.scalar(sa.select(Thread).where(Thread.listing_id == listing.id,
                                                         Thread.buyer_org_id == buyer_org_id))
    if existing is not None:
        return existing
    if listing.status != PublicationStatus.PUBLISHED:
        raise DomainError(N_("only published listings take expressions of interest"))
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise DomainError(N_("a message is at most {n} characters"), field="message", n=MESSAGE_MAX)
    thread = Thread(listing=listing, need=need, seller_org_id=listing.org_id, buyer_org_id=buyer_org_id,
                    created_by_id=by.id)
    db.session.add(thread)
    if message:
        thread.messages.append(ThreadMessage(author_id=by.id, org_id=by.org_id, body=message))
    try:
        db.session.flush()
    except IntegrityError:  # the same organisation opened it at the same moment (a double click)
        db.session.rollback()
        return db.session.scalar(sa.select(Thread).where(Thread.listing_id == listing.id,
                                                         Thread.buyer_org_id == buyer_org_id))
    if buyer_org_id == by.org_id:
        _notify(listing.org_id, N_("%(org)s is interested in your listing “%(listing)s”."), thread, org=by.org.name)
    else:
        _notify(buyer_org_id, N_("%(org)s proposes its listing “%(listing)s” for your need “%(need)s”."), thread,
                org=by.org.name, need=need.title)
    audit.record(by, "thread.opened", "thread", thread.id, listing_id=listing.id, need_id=need.id if need else None)
    db.session.flush()
    return thread


@use_case
def post_message(by: User, thread: Thread, body: str, upload: FileStorage | None = None) -> ThreadMessage:
    """A message, with at most one attachment (PDF/PNG/JPEG judged by content, size-limited)."""
    side = require_act(by, thread)
    body = (body or "").strip()
    has_file = upload is not None and bool(upload.filename)
    if not body and not has_file:
        raise DomainError(N_("write a message or attach a file"), field="body")
    if len(body) > MESSAGE_MAX:
        raise DomainError(N_("a message is at most {n} characters"), field="body", n=MESSAGE_MAX)
    stored = original = ""
    if has_file:
        try:
            stored, original = uploads.save(upload)
        except DomainError as err:
            raise DomainError(err.template, field="attachment", **err.params) from err
    msg = ThreadMessage(thread=thread, author_id=by.id, org_id=by.org_id, body=body,
                        attachment_file=stored, attachment_name=original)
    db.session.add(msg)
    thread.updated_at = utcnow()
    db.session.flush()
    _notify(_other(thread, side), N_("New message about “%(listing)s”."), thread)
    db.session.flush()
    return msg


def attachment(user: User, thread: Thread, message_id: int) -> ThreadMessage:
    require_view(user, thread)
    msg = db.session.get(ThreadMessage, message_id)
    if msg is None or msg.thread_id != thread.id or not msg.attachment_file:
        raise NotFound(N_("not found"))
    return msg


# ---- offers -------------------------------------------------------------------------------


def open_offer(thread: Thread) -> ThreadOffer | None:
    return next((o for o in reversed(thread.offers) if o.state == OfferState.OPEN), None)


@use_case
def make_offer(by: User, thread: Thread, terms: OfferTerms) -> ThreadOffer:
    """A new version of the terms. It counters the other side's open offer, or replaces one's own."""
    side = require_act(by, thread)
    thread = _lock(thread)
    _require_open(thread)
    rules.check_terms(terms, thread.listing.deal_kinds)
    previous = open_offer(thread)
    if previous is not None:
        previous.state = rules.superseded_state(previous.from_org_id, by.org_id)
        previous.decided_by_id, previous.decided_at = by.id, utcnow()
    version = (db.session.scalar(sa.select(sa.func.max(ThreadOffer.version)).where(
        ThreadOffer.thread_id == thread.id)) or 0) + 1
    payment = PaymentKind(terms.payment)
    offer = ThreadOffer(
        thread=thread, version=version, from_org_id=by.org_id, created_by_id=by.id, kind=DealKind(terms.kind),
        payment=payment, price_fen=terms.price_fen,
        royalty_bp=terms.royalty_bp if payment is PaymentKind.ROYALTY else None,
        territory=terms.territory.strip(), term_months=terms.term_months, note=(terms.note or "").strip()[:MESSAGE_MAX],
    )
    db.session.add(offer)
    thread.updated_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # another version took this number at the same moment (the use case rolls back)
        raise DomainError(N_("the other side acted at the same moment; reload and try again")) from None
    _notify(_other(thread, side), N_("New offer (version %(version)s) about “%(listing)s”."), thread, version=version)
    audit.record(by, "thread.offer", "thread", thread.id, version=version, price_fen=terms.price_fen, kind=terms.kind,
                 countered=previous.version if previous is not None else None)
    db.session.flush()
    return offer


def _decidable(by: User, thread: Thread, offer_id: int) -> tuple[str, ThreadOffer]:
    side = require_act(by, thread)
    thread = _lock(thread)
    offer = db.session.get(ThreadOffer, offer_id, populate_existing=True)
    if offer is None or offer.thread_id != thread.id:
        raise NotFound(N_("not found"))
    _require_open(thread)
    rules.check_answer(offer.state, offer.from_org_id, by.org_id)
    return side, offer


def agreed_offer(deal: Deal) -> ThreadOffer | None:
    """The offer whose acceptance opened ``deal`` (None for a deal started otherwise)."""
    return db.session.scalar(sa.select(ThreadOffer).join(Thread, Thread.id == ThreadOffer.thread_id)
                             .where(Thread.deal_id == deal.id, ThreadOffer.state == OfferState.ACCEPTED))


def payment_terms(offer: ThreadOffer) -> str:
    return rules.terms_text(offer.payment.value, offer.price_fen, offer.royalty_bp, offer.territory,
                            offer.term_months, offer.thread_id, offer.version)


def accept_offer(by: User, thread: Thread, offer_id: int) -> Deal:
    """Accept the other side's open offer: the thread is agreed and a draft deal opens."""
    with transaction():
        side, offer = _decidable(by, thread, offer_id)
        listing = thread.listing
        offer.state, offer.decided_by_id, offer.decided_at = OfferState.ACCEPTED, by.id, utcnow()
        # the deals service opens the draft (same checks as "Start a deal"); this transaction holds both,
        # and a refusal (e.g. the listing was withdrawn meanwhile) rolls back both: the offer stays open
        deal = deals.draft_deal(by, listing, thread.buyer_org, kind=offer.kind.value, price_fen=offer.price_fen,
                                payment_terms=payment_terms(offer), thread_id=thread.id)
        thread.status, thread.deal_id = ThreadStatus.AGREED, deal.id
        _notify(_other(thread, side), N_("Your offer about “%(listing)s” was accepted; a draft deal is open."), thread)
        audit.record(by, "thread.offer_accepted", "thread", thread.id, version=offer.version, deal_id=deal.id)
    audit.log_line("deal.created", deal_id=deal.id, user_id=by.id, thread_id=thread.id)
    return deal


@use_case
def decline_offer(by: User, thread: Thread, offer_id: int) -> ThreadOffer:
    side, offer = _decidable(by, thread, offer_id)
    offer.state, offer.decided_by_id, offer.decided_at = OfferState.DECLINED, by.id, utcnow()
    _notify(_other(thread, side), N_("Your offer about “%(listing)s” was declined."), thread)
    audit.record(by, "thread.offer_declined", "thread", thread.id, version=offer.version)
    db.session.flush()
    return offer


@use_case
def close_thread(by: User, thread: Thread) -> None:
    """Either side ends an open negotiation without a deal; an open offer lapses with it."""
    side = require_act(by, thread)
    thread = _lock(thread)
    _require_open(thread)
    previous = open_offer(thread)
    if previous is not None:
        previous.state = OfferState.WITHDRAWN if previous.from_org_id == by.org_id else OfferState.DECLINED
        previous.decided_by_id, previous.decided_at = by.id, utcnow()
    thread.status = ThreadStatus.CLOSED
    _notify(_other(thread, side), N_("The negotiation about “%(listing)s” was closed."), thread)
    audit.record(by, "thread.closed", "thread", thread.id)


# ---- NDA and confidential details ----------------------------------------------------------


@use_case
def request_nda(by: User, thread: Thread, text: str) -> None:
    """The buyer signs an NDA (its text, as agreed wording) and asks the owner to accept it."""
    side = require_act(by, thread)
    if side != "buyer":
        raise Forbidden(N_("the interested organisation asks for the NDA"))
    if thread.nda_status in (NdaStatus.REQUESTED, NdaStatus.ACCEPTED):
        raise DomainError(N_("the NDA is already {status}"), status=thread.nda_status.value)
    text = (text or "").strip()
    if not text:
        raise DomainError(N_("give the NDA's text or reference"), field="text")
    if len(text) > MESSAGE_MAX:
        raise DomainError(N_("a message is at most {n} characters"), field="text", n=MESSAGE_MAX)
    thread.nda_status, thread.nda_text, thread.nda_requested_at = NdaStatus.REQUESTED, text, utcnow()
    _notify(thread.seller_org_id, N_("An NDA awaits your answer about “%(listing)s”."), thread)
    audit.record(by, "thread.nda_requested", "thread", thread.id)


@use_case
def decide_nda(by: User, thread: Thread, accept: bool) -> None:
    side = require_act(by, thread)
    if side != "seller":
        raise Forbidden(N_("the listing's owner accepts or declines the NDA"))
    if thread.nda_status != NdaStatus.REQUESTED:
        raise DomainError(N_("no NDA is waiting for an answer"))
    thread.nda_status = NdaStatus.ACCEPTED if accept else NdaStatus.DECLINED
    thread.nda_decided_at, thread.nda_decided_by_id = utcnow(), by.id
    _notify(thread.buyer_org_id, N_("Your NDA about “%(listing)s” was accepted.") if accept
            else N_("Your NDA about “%(listing)s” was declined."), thread)
    audit.record(by, "thread.nda_accepted" if accept else "thread.nda_declined", "thread", thread.id)


def confidential_text(listing: Listing) -> str:
    return listing.confidential_details or ""


def may_read_confidential(user: User, thread: Thread) -> bool:
    """The owner always; the buyer's members once their NDA is accepted; nobody else."""
    side = thread.side_of(user.org_id) if can_act(user, thread) else None
    return side == "seller" or (side == "buyer" and thread.nda_status == NdaStatus.ACCEPTED)


def owner_confidential(user: User, thread: Thread) -> str | None:
    """The confidential details as the owner sees them on the thread page (a GET: nothing recorded)."""
    require_view(user, thread)
    if can_act(user, thread) and thread.side_of(user.org_id) == "seller":
        return confidential_text(thread.listing)
    return None


def reveal_confidential(by: User, thread: Thread) -> str:
    """The buyer reads the listing's confidential details under its accepted NDA; every reading is audited.

    Reading is a POST (a button on the thread page) so that the audit row is written by a request
    that may change data, while showing the thread page (a GET) changes nothing."""
    require_view(by, thread)
    if not may_read_confidential(by, thread):
        raise Forbidden(N_("the confidential details are shown once the owner accepts your NDA"))
    text = confidential_text(thread.listing)
    if thread.side_of(by.org_id) == "buyer":
        with transaction():
            audit.record(by, "listing.confidential_viewed", "listing", thread.listing_id, thread_id=thread.id,
                         org_id=by.org_id)
        audit.log_line("listing.confidential_viewed", listing_id=thread.listing_id, thread_id=thread.id,
                       user_id=by.id, org_id=by.org_id)
    return text


@use_case
def set_confidential(by: User, listing: Listing, body: str) -> None:
    require_edit(by, listing)
    body = (body or "").strip()
    if len(body) > 20000:
        raise DomainError(N_("at most {n} characters"), field="body", n=20000)
    listing.confidential_details = body or None
    audit.record(by, "listing.confidential_updated", "listing", listing.id)
