"""Services a center offers its alliance members: financing and insurance matchmaking,
early-warning watches, dispute consultations, training and events.

Members see their own organisation's requests and watches; the center's staff see all of the
center's; the bureau reads them. Everything else is hidden (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..domain import program as rules
from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import (
    Center,
    DisputeKind,
    DisputeRequest,
    DisputeStatus,
    EventKind,
    EventSignup,
    FinancingKind,
    FinancingOffer,
    FinancingRequest,
    OfferStatus,
    OrgKind,
    Patent,
    PatentApplicant,
    PatentIPC,
    ProviderKind,
    RequestStatus,
    Role,
    TrainingEvent,
    User,
    WarningWatch,
)
from ..models._types import utcnow
from . import audit, clock
from .centers import is_center_staff
from .permissions import Forbidden, NotFound
from .program import is_bureau, is_member, patents_by_numbers
from .transaction import use_case


def _require_member(by: User, center: Center) -> None:
    if not is_member(by, center):
        raise Forbidden(N_("only members of this center's alliance may ask for this service"))


def _require_staff(by: User, center: Center) -> None:
    if not is_center_staff(by, center):
        raise Forbidden(N_("only this center's staff may do this"))


def can_view_request(user: User | None, item) -> bool:
    """Financing requests, disputes and watches: the asking organisation, the center's staff, the bureau."""
    if user is None or not user.is_authenticated:
        return False
    return user.org_id == item.org_id or is_center_staff(user, item.center) or is_bureau(user)


def require_view_request(user: User | None, item) -> None:
    if item is None or not can_view_request(user, item):
        raise NotFound(N_("not found"))


def _own(by: User, item) -> bool:
    return by.org_id == item.org_id and by.role in (Role.MEMBER, Role.ORG_ADMIN)


def visible_requests(user: User, center: Center, model):
    """The rows of ``model`` for ``center`` that ``user`` may see, newest first."""
    query = sa.select(model).where(model.center_id == center.id).order_by(model.id.desc())
    if not (is_center_staff(user, center) or is_bureau(user)):
        query = query.where(model.org_id == user.org_id)
    return db.session.scalars(query).all()


# ---- financing and insurance ---------------------------------------------------------------


@use_case
def request_financing(by: User, center: Center, *, kind: str, amount_fen: int | None, patents: str,
                      description: str) -> FinancingRequest:
    _require_member(by, center)
    numbers = [p.application_number for p in patents_by_numbers(patents)]
    if kind == FinancingKind.PLEDGE_LOAN and not numbers:
        raise DomainError(N_("a pledge loan needs the patents offered as collateral"), field="patents")
    if not (description or "").strip():
        raise DomainError(N_("this field is required"), field="description")
    item = FinancingRequest(center_id=center.id, org_id=by.org_id, created_by_id=by.id, kind=FinancingKind(kind),
                            amount_fen=amount_fen, patents="; ".join(numbers), description=description.strip())
    db.session.add(item)
    db.session.flush()
    audit.record(by, "service.financing_requested", "financing_request", item.id, center_id=center.id)
    db.session.flush()
    return item


@use_case
def add_offer(by: User, item: FinancingRequest, *, provider_name: str, provider_kind: str, amount_fen: int | None,
              terms: str) -> FinancingOffer:
    """The center brings a bank's, insurer's or investor's offer to the member."""
    require_view_request(by, item)
    _require_staff(by, item.center)
    if item.status != RequestStatus.OPEN:
        raise DomainError(N_("the request is no longer open"))
    if not (provider_name or "").strip():
        raise DomainError(N_("this field is required"), field="provider_name")
    offer = FinancingOffer(request=item, provider_name=provider_name.strip()[:200],
                           provider_kind=ProviderKind(provider_kind), amount_fen=amount_fen,
                           terms=(terms or "").strip(), created_by_id=by.id)
    db.session.add(offer)
    db.session.flush()
    audit.record(by, "service.offer_added", "financing_offer", offer.id, request_id=item.id)
    db.session.flush()
    return offer


@use_case
def decide_offer(by: User, offer: FinancingOffer, accept: bool) -> None:
    """The member accepts one offer (the request is matched, the others declined) or declines it."""
    item = offer.request
    require_view_request(by, item)
    if not _own(by, item):
        raise Forbidden(N_("only the requesting organisation decides on offers"))
    if item.status != RequestStatus.OPEN or offer.status != OfferStatus.PROPOSED:
        raise DomainError(N_("this offer has already been decided"))
    now = utcnow()
    offer.status, offer.decided_at = (OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED), now
    if accept:
        item.status = RequestStatus.MATCHED
        for other in item.offers:
            if other is not offer and other.status == OfferStatus.PROPOSED:
                other.status, other.decided_at = OfferStatus.DECLINED, now
    audit.record(by, "service.offer_decided", "financing_offer", offer.id, accepted=accept)


@use_case
def close_financing(by: User, item: FinancingRequest, *, withdraw: bool) -> None:
    require_view_request(by, item)
    if withdraw:
        if not _own(by, item):
            raise Forbidden(N_("only the requesting organisation may withdraw its request"))
        if item.status != RequestStatus.OPEN:
            raise DomainError(N_("only open requests can be withdrawn"))
        item.status = RequestStatus.WITHDRAWN
    else:
        if not (_own(by, item) or is_center_staff(by, item.center)):
            raise Forbidden(N_("you may not close this request"))
        if item.status in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN):
            raise DomainError(N_("the request is already closed"))
        item.status = RequestStatus.CLOSED
    audit.record(by, "service.financing_closed", "financing_request", item.id, status=item.status.value)


# ---- early-warning watches -----------------------------------------------------------------


@use_case
def create_watch(by: User, center: Center, *, name: str, ipc_codes: str, competitors: str) -> WarningWatch:
    _require_member(by, center)
    codes, names = rules.parse_watch(ipc_codes, competitors)
    if not (name or "").strip():
        raise DomainError(N_("this field is required"), field="name")
    watch = WarningWatch(center_id=center.id, org_id=by.org_id, created_by_id=by.id, name=name.strip()[:200],
                         ipc_codes="; ".join(codes), competitors="; ".join(names))
    db.session.add(watch)
    db.session.flush()
    audit.record(by, "service.watch_created", "warning_watch", watch.id, center_id=center.id)
    db.session.flush()
    return watch


@dataclass(frozen=True)
class Hit:
    patent: Patent
    reasons: list[str]
    new: bool


def watch_hits(watch: WarningWatch, limit: int = 200) -> list[Hit]:
    """Patents in the database that match the watch, newest first; ``new`` when added after the
    member last looked. The member's own patents are left out. Computed on demand."""
    codes, names = watch.code_list, watch.competitor_list
    conditions = []
    for code in codes:
        conditions.append(PatentIPC.code.startswith(code) if len(code) == 4 else PatentIPC.code == code)
    ipc_ids = sa.select(PatentIPC.patent_id).where(sa.or_(*conditions)) if conditions else None
    name_conditions = [PatentApplicant.name.icontains(n, autoescape=True) for n in names]
    name_ids = sa.select(PatentApplicant.patent_id).where(sa.or_(*name_conditions)) if name_conditions else None
    wanted = [Patent.id.in_(q) for q in (ipc_ids, name_ids) if q is not None]
    if not wanted:
        return []
    patents = db.session.scalars(
        sa.select(Patent).where(sa.or_(*wanted), sa.or_(Patent.owner_org_id.is_(None), Patent.owner_org_id != watch.org_id))
        .order_by(Patent.created_at.desc(), Patent.id.desc()).limit(limit)
    ).all()
    hits = []
    for patent in patents:
        reasons = rules.watch_reasons(codes, names, patent.ipc_list, patent.applicant_names)
        if reasons:
            hits.append(Hit(patent, reasons, patent.created_at > watch.last_seen_at))
    return hits


def new_hit_count(watch: WarningWatch) -> int:
    return sum(1 for h in watch_hits(watch) if h.new)


def my_watches(user: User) -> list[tuple[WarningWatch, int]]:
    """The in-app notification list: the organisation's watches with their new matches."""
    watches = db.session.scalars(sa.select(WarningWatch).where(WarningWatch.org_id == user.org_id,
                                                               WarningWatch.active.is_(True))
                                 .order_by(WarningWatch.id)).all()
    return [(w, new_hit_count(w)) for w in watches]


@use_case
def mark_seen(by: User, watch: WarningWatch) -> None:
    require_view_request(by, watch)
    if by.org_id != watch.org_id:
        raise Forbidden(N_("only the watching organisation marks its alerts as seen"))
    watch.last_seen_at = clock.utc_naive(clock.now())


@use_case
def stop_watch(by: User, watch: WarningWatch) -> None:
    require_view_request(by, watch)
    if not _own(by, watch):
        raise Forbidden(N_("only the watching organisation may stop its watch"))
    watch.active = False
    audit.record(by, "service.watch_stopped", "warning_watch", watch.id)


# ---- dispute consultations -----------------------------------------------------------------


@use_case
def request_consultation(by: User, center: Center, *, kind: str, subject: str, counterparty: str,
                         description: str) -> DisputeRequest:
    _require_member(by, center)
    if not (subject or "").strip():
        raise DomainError(N_("this field is required"), field="subject")
    item = DisputeRequest(center_id=center.id, org_id=by.org_id, created_by_id=by.id, kind=DisputeKind(kind),
                          subject=subject.strip()[:300], counterparty=(counterparty or "").strip()[:200],
                          description=(description or "").strip())
    db.session.add(item)
    db.session.flush()
    audit.record(by, "service.dispute_requested", "dispute_request", item.id, center_id=center.id)
    db.session.flush()
    return item


@use_case
def answer_consultation(by: User, item: DisputeRequest, answer: str) -> None:
    require_view_request(by, item)
    _require_staff(by, item.center)
    if item.status == DisputeStatus.CLOSED:
        raise DomainError(N_("the consultation is closed"))
    if not (answer or "").strip():
        raise DomainError(N_("this field is required"), field="answer")
    item.answer, item.status = answer.strip(), DisputeStatus.ANSWERED
    item.answered_by_id, item.answered_at = by.id, utcnow()
    audit.record(by, "service.dispute_answered", "dispute_request", item.id)


@use_case
def close_consultation(by: User, item: DisputeRequest) -> None:
    require_view_request(by, item)
    if not (_own(by, item) or is_center_staff(by, item.center)):
        raise Forbidden(N_("you may not close this consultation"))
    if item.status == DisputeStatus.CLOSED:
        raise DomainError(N_("the consultation is closed"))
    item.status = DisputeStatus.CLOSED


# ---- training and events -------------------------------------------------------------------


@use_case
def create_event(by: User, center: Center, *, title: str, kind: str, starts_at: datetime, location: str,
                 capacity: int | None, description: str) -> TrainingEvent:
    """``starts_at`` is Beijing wall-clock time as typed; it is stored in UTC."""
    _require_staff(by, center)
    starts = clock.local_to_utc_naive(starts_at)
    if starts <= clock.utc_naive(clock.now()):
        raise DomainError(N_("the event must start in the future"), field="starts_at")
    if not (title or "").strip():
        raise DomainError(N_("this field is required"), field="title")
    event = TrainingEvent(center_id=center.id, title=title.strip()[:300], kind=EventKind(kind), starts_at=starts,
                          location=(location or "").strip()[:300], capacity=capacity or None,
                          description=(description or "").strip(), created_by_id=by.id)
    db.session.add(event)
    db.session.flush()
    audit.record(by, "service.event_created", "training_event", event.id, center_id=center.id)
    db.session.flush()
    return event


def signup_of(event: TrainingEvent, user: User | None) -> EventSignup | None:
    if user is None or not user.is_authenticated:
        return None
    return next((s for s in event.signups if s.user_id == user.id), None)


@use_case
def sign_up(by: User, event: TrainingEvent) -> EventSignup:
    if by.org.kind == OrgKind.BUREAU:
        raise Forbidden(N_("the bureau does not sign up for events"))
    if event.cancelled:
        raise DomainError(N_("the event was cancelled"))
    if event.starts_at <= clock.utc_naive(clock.now()):
        raise DomainError(N_("the event has started; sign-up is closed"))
    if signup_of(event, by) is not None:
        raise DomainError(N_("you have already signed up"))
    if event.capacity is not None and len(event.signups) >= event.capacity:
        raise DomainError(N_("the event is full"))
    signup = EventSignup(event=event, user_id=by.id, org_id=by.org_id)
    db.session.add(signup)
    db.session.flush()
    return signup


@use_case
def cancel_signup(by: User, event: TrainingEvent) -> None:
    signup = signup_of(event, by)
    if signup is None:
        raise DomainError(N_("you have not signed up"))
    if event.starts_at <= clock.utc_naive(clock.now()):
        raise DomainError(N_("the event has started; sign-up is closed"))
    db.session.delete(signup)


@use_case
def cancel_event(by: User, event: TrainingEvent) -> None:
    _require_staff(by, event.center)
    if event.cancelled:
        raise DomainError(N_("the event was cancelled"))
    event.cancelled = True
    audit.record(by, "service.event_cancelled", "training_event", event.id)


def service_counts(center: Center) -> dict[str, int]:
    """Figures for the yearly report and the bureau's table."""
    def count(query) -> int:
        return int(db.session.scalar(query) or 0)

    return {
        "financing_requests": count(sa.select(sa.func.count(FinancingRequest.id)).where(FinancingRequest.center_id == center.id)),
        "financing_matched": count(sa.select(sa.func.count(FinancingRequest.id)).where(
            FinancingRequest.center_id == center.id, FinancingRequest.status == RequestStatus.MATCHED)),
        "financing_matched_fen": count(sa.select(sa.func.sum(FinancingOffer.amount_fen))
                                       .join(FinancingRequest, FinancingRequest.id == FinancingOffer.request_id)
                                       .where(FinancingRequest.center_id == center.id,
                                              FinancingOffer.status == OfferStatus.ACCEPTED)),
        "watches": count(sa.select(sa.func.count(WarningWatch.id)).where(WarningWatch.center_id == center.id,
                                                                         WarningWatch.active.is_(True))),
        "consultations": count(sa.select(sa.func.count(DisputeRequest.id)).where(DisputeRequest.center_id == center.id)),
        "consultations_answered": count(sa.select(sa.func.count(DisputeRequest.id)).where(
            DisputeRequest.center_id == center.id, DisputeRequest.answered_at.is_not(None))),
        "events": count(sa.select(sa.func.count(TrainingEvent.id)).where(TrainingEvent.center_id == center.id,
                                                                         TrainingEvent.cancelled.is_(False))),
        "event_signups": count(sa.select(sa.func.count(EventSignup.id)).join(TrainingEvent)
                               .where(TrainingEvent.center_id == center.id, TrainingEvent.cancelled.is_(False))),
    }
