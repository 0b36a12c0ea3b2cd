"""Listings: patents offered for transfer or licence; and technology needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..domain import ipc, patent_numbers
from ..domain.errors import DomainError, N_
from ..domain.lifecycle import EDITABLE, TRANSITIONS, PublicationStatus, TransitionError, check_transition
from ..extensions import db
from ..models import Industry, Listing, Need, Notification, Patent, Role, User
from ..models._types import utcnow
from . import audit, clock
from .matching import can_see_listing_matches, can_see_need_matches
from .permissions import Forbidden, can_edit, require_edit, same_org
from .transaction import use_case

DEAL_KINDS = ("transfer", "exclusive", "sole", "ordinary")


@dataclass
class ListingData:
    title: str
    patent_ids: list[int]
    deal_kinds: list[str]
    trl: int
    industry: str
    price_fen: int | None = None  # None = negotiable
    region: str = ""
    description: str = ""
    is_tech_offer: bool = False
    tech_summary: str = ""


@dataclass
class NeedData:
    title: str
    industry: str
    description: str = ""
    ipc_hints: str = ""
    budget_min_fen: int | None = None
    budget_max_fen: int | None = None
    region: str = ""
    deadline: date | None = None
    kinds_wanted: tuple[str, ...] = ()
    min_trl: int | None = None


PARTY_ROLES = (Role.MEMBER, Role.ORG_ADMIN)
# the status change a button asks for -> the target state of ``change_status``
STATUS_ACTIONS = {PublicationStatus.PUBLISHED: "publish", PublicationStatus.CLOSED: "close",
                  PublicationStatus.WITHDRAWN: "withdraw", PublicationStatus.DRAFT: "redraft"}


def _require_member(by: User) -> None:
    if not is_member(by):
        raise Forbidden(N_("only members of an organisation publish offers and needs"))


def is_member(user: User | None) -> bool:
    """Members and administrators of an organisation write listings and needs, express interest and buy."""
    return bool(user and user.is_authenticated and user.role in PARTY_ROLES)


# ---- what a detail page offers -----------------------------------------------------------------


def _owner_actions(user: User | None, item: Listing | Need, may_see_matches: bool) -> set[str]:
    actions = set()
    if may_see_matches and item.status == PublicationStatus.PUBLISHED:
        actions.add("matches")
    if can_edit(user, item):  # change_status's and update_*'s rule
        if item.status in EDITABLE:
            actions.add("edit")
        actions |= {STATUS_ACTIONS[target] for target in TRANSITIONS[PublicationStatus(item.status)]}
    return actions


def may_approve(user: User | None, listing: Listing) -> bool:
    """``decide_approval``'s rule: an administrator of the listing's organisation, for a listing waiting for it."""
    return bool(same_org(user, listing.org_id) and user.role == Role.ORG_ADMIN and listing.submitted_at is not None
                and listing.status == PublicationStatus.DRAFT)


def may_take_up(user: User | None, listing: Listing) -> bool:
    """Express interest in or start a deal on a listing (negotiation.start_thread, deals.start_from_listing):
    members of another organisation, while it is published."""
    return (is_member(user) and user.org_id != listing.org_id
            and listing.status == PublicationStatus.PUBLISHED)


def listing_actions(user: User | None, listing: Listing) -> frozenset[str]:
    """What the listing's page offers ``user``: the rules this service and its neighbours apply."""
    actions = _owner_actions(user, listing, can_see_listing_matches(user, listing))
    if "edit" in actions:
        actions.add("confidential")  # negotiation.set_confidential: require_edit
    if may_approve(user, listing):
        actions |= {"approve", "return"}
    if may_take_up(user, listing):
        actions |= {"express_interest", "start_deal"}
    return frozenset(actions)


def need_actions(user: User | None, need: Need) -> frozenset[str]:
    """What the need's page offers ``user``."""
    actions = _owner_actions(user, need, can_see_need_matches(user, need))
    if is_member(user) and user.org_id != need.org_id and need.status == PublicationStatus.PUBLISHED:
        actions.add("offer_patent")  # create_listing's rule
    return frozenset(actions)


def _check_listing(by: User, data: ListingData) -> list[Patent]:
    if not data.title.strip() and not data.patent_ids:
        raise DomainError(N_("give the listing a title"), field="title")
    kinds = [k for k in data.deal_kinds if k in DEAL_KINDS]
    if not kinds:
        raise DomainError(N_("choose transfer and/or at least one licence kind"), field="deal_kinds")
    if not 1 <= int(data.trl) <= 9:
        raise DomainError(N_("the development stage is TRL 1 to 9"), field="trl")
    Industry(data.industry)
    if data.price_fen is not None and data.price_fen < 0:
        raise DomainError(N_("the price cannot be negative"), field="price")
    ids = list(dict.fromkeys(data.patent_ids))
    if not ids:
        raise DomainError(N_("choose at least one patent"), field="patent_ids")
    patents = list(db.session.scalars(sa.select(Patent).where(Patent.id.in_(ids)).order_by(Patent.id)))
    if len(patents) != len(ids):
        raise DomainError(N_("one of the chosen patents does not exist"), field="patent_ids")
    foreign = [p.application_number for p in patents if p.owner_org_id != by.org_id]
    if foreign:
        raise DomainError(N_("you can only list your organisation's patents: {numbers}"), field="patent_ids", numbers=", ".join(foreign))
    patent_numbers.require_cnipa([(p.office, p.application_number) for p in patents], field="patent_ids")
    if data.is_tech_offer and not data.tech_summary.strip():
        raise DomainError(N_("a technology offer needs a technical summary"), field="tech_summary")
    if not data.title.strip():  # the first patent chosen names the listing
        data.title = next(p for p in patents if p.id == ids[0]).title[:300]
    return patents


def _apply_listing(listing: Listing, data: ListingData, patents: list[Patent]) -> None:
    listing.title = data.title.strip()
    listing.description = data.description.strip()
    listing.is_tech_offer = data.is_tech_offer
    listing.tech_summary = data.tech_summary.strip()
    for kind in DEAL_KINDS:
        setattr(listing, f"offers_{kind}", kind in data.deal_kinds)
    listing.price_fen = data.price_fen
    listing.trl = int(data.trl)
    listing.industry = Industry(data.industry)
    listing.region = data.region.strip()
    listing.patents = patents


@use_case
def create_listing(by: User, data: ListingData, *, publish: bool = False) -> Listing:
    _require_member(by)
    patents = _check_listing(by, data)
    listing = Listing(org_id=by.org_id, created_by_id=by.id)
    _apply_listing(listing, data, patents)
    db.session.add(listing)
    if publish:
        db.session.flush()
        _publish_or_submit(by, listing)
    db.session.flush()
    return listing


def needs_approval(by: User) -> bool:
    """A member's listing waits for the organisation administrator when the organisation says so."""
    return by.role == Role.MEMBER and by.org.listing_approval


def _publish_or_submit(by: User, listing: Listing) -> None:
    """Publish the listing, or ask the organisation's administrators to approve it first."""
    if needs_approval(by):
        listing.submitted_at = utcnow()
        audit.record(by, "listing.submitted", "listing", listing.id)
        db.session.add(Notification(org_id=listing.org_id, kind="listing_approval", link=f"/listings/{listing.id}",
                                    message=N_("“%(listing)s” waits for an administrator's approval before it is published."),
                                    params={"listing": listing.title}))
        return
    listing.status = PublicationStatus.PUBLISHED
    listing.published_at = utcnow()
    listing.submitted_at = None


def awaiting_approval(org_id: int) -> list[Listing]:
    return list(db.session.scalars(sa.select(Listing).where(
        Listing.org_id == org_id, Listing.status == PublicationStatus.DRAFT, Listing.submitted_at.is_not(None))
        .order_by(Listing.submitted_at)))


@use_case
def decide_approval(by: User, listing: Listing, *, approve: bool) -> None:
    """The organisation administrator publishes a member's listing, or sends it back as a draft."""
    if not (by.role == Role.ORG_ADMIN and by.org_id == listing.org_id):
        raise Forbidden(N_("only an administrator of the organisation approves its listings"))
    if not may_approve(by, listing):
        raise TransitionError(N_("this listing is not waiting for approval"))
    if approve:
        check_transition(listing.status, PublicationStatus.PUBLISHED)
        listing.status = PublicationStatus.PUBLISHED
        listing.published_at = utcnow()
        listing.approved_by_id = by.id
    listing.submitted_at = None
    audit.record(by, "listing.approved" if approve else "listing.returned", "listing", listing.id)
    db.session.add(Notification(org_id=listing.org_id, kind="listing_approval", link=f"/listings/{listing.id}",
                                message=N_("“%(listing)s” was approved and published.") if approve
                                else N_("“%(listing)s” was sent back as a draft."), params={"listing": listing.title}))


@use_case
def update_listing(by: User, listing: Listing, data: ListingData) -> None:
    require_edit(by, listing)
    if listing.status not in EDITABLE:
        raise TransitionError(N_("a listing in state {status} cannot be edited"), status=listing.status.value)
    patents = _check_listing(by, data)
    _apply_listing(listing, data, patents)


def _check_need(data: NeedData) -> list[str]:
    if not data.title.strip():
        raise DomainError(N_("give the need a title"), field="title")
    Industry(data.industry)
    try:
        codes = ipc.parse_list(data.ipc_hints, allow_subclass=True)
    except ipc.IPCError as err:
        raise DomainError(err.message, field="ipc_hints") from err
    lo, hi = data.budget_min_fen, data.budget_max_fen
    if (lo is not None and lo < 0) or (hi is not None and hi < 0):
        raise DomainError(N_("a budget cannot be negative"), field="budget_min")
    if lo is not None and hi is not None and lo > hi:
        raise DomainError(N_("the lowest budget is above the highest"), field="budget_max")
    return codes


def _apply_need(need: Need, data: NeedData, codes: list[str]) -> None:
    need.title = data.title.strip()
    need.description = data.description.strip()
    need.industry = Industry(data.industry)
    need.ipc_hints = "; ".join(codes)
    need.budget_min_fen = data.budget_min_fen
    need.budget_max_fen = data.budget_max_fen
    need.region = data.region.strip()
    need.deadline = data.deadline
    need.kinds_wanted = ",".join(k for k in DEAL_KINDS if k in data.kinds_wanted)
    need.min_trl = data.min_trl if data.min_trl in range(1, 10) else None


@use_case
def create_need(by: User, data: NeedData, *, publish: bool = False, today: date | None = None) -> Need:
    _require_member(by)
    codes = _check_need(data)
    if publish:
        _check_deadline(data.deadline, today)
    need = Need(org_id=by.org_id, created_by_id=by.id)
    _apply_need(need, data, codes)
    if publish:
        need.status = PublicationStatus.PUBLISHED
        need.published_at = utcnow()
    db.session.add(need)
    db.session.flush()
    return need


@use_case
def update_need(by: User, need: Need, data: NeedData) -> None:
    require_edit(by, need)
    if need.status not in EDITABLE:
        raise TransitionError(N_("a need in state {status} cannot be edited"), status=need.status.value)
    codes = _check_need(data)
    _apply_need(need, data, codes)


def _check_deadline(deadline: date | None, today: date | None) -> None:
    if deadline is not None and deadline < (today or clock.today()):
        raise DomainError(N_("the deadline has passed; set a later one before publishing"), field="deadline")


@use_case
def change_status(by: User, item: Listing | Need, target: str, *, today: date | None = None) -> None:
    """Publish, close, withdraw or reopen as draft."""
    require_edit(by, item)
    new = check_transition(item.status, target)
    if new == PublicationStatus.PUBLISHED:
        if isinstance(item, Need):
            _check_deadline(item.deadline, today)
        elif not item.patents:
            raise DomainError(N_("a listing needs at least one patent before it is published"))
        else:
            _publish_or_submit(by, item)
            return
        item.published_at = utcnow()
    item.status = new


@use_case
def save_then_publish(by: User, item: Listing | Need, save, publish: bool) -> None:
    """Save an edit (``save()`` writes it) and publish the draft when asked, in one transaction: a
    refused publication keeps nothing of the edit either."""
    save()
    if publish and item.status == PublicationStatus.DRAFT:
        change_status(by, item, PublicationStatus.PUBLISHED)
