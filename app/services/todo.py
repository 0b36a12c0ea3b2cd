"""What waits for a user ("待我处理"): deals to sign, fund, record or complete, offers and NDAs to
answer, new matches, pool invitations and alerts, join requests, member requests, exit deadlines,
reviews assigned. Each kind is counted for the roles that act on it, with the one object to open
when there is exactly one (else the list where they are done).

``summary`` counts everything in one SELECT of scalar subqueries; for a center's staff and the
bureau one more reads the task books, and only a center that has one runs the exit-deadline rule. ``nav_state`` is what the navbar needs on
every page — the to-do total, the unread notifications and the user's own center — kept per user
until the next database commit of this process (at most ``NAV_SECONDS`` for commits of others).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..domain.deals import DealStatus
from ..domain.negotiation import OfferState
from ..extensions import db
from ..models import (
    AllianceMembership,
    ApplicationStatus,
    Center,
    CenterApplication,
    Deal,
    DisputeRequest,
    ExpertAssignment,
    FinancingOffer,
    FinancingRequest,
    MembershipStatus,
    NdaStatus,
    Notification,
    OfferStatus,
    Pool,
    PoolAlert,
    PoolMember,
    PoolMemberStatus,
    Role,
    TaskBook,
    Thread,
    ThreadOffer,
    ThreadStatus,
    User,
)
from ..models.member_support import DisputeStatus, RequestStatus
from . import clock
from .deals import PARTY_ROLES  # the roles that act for their organisation in deals
CENTER_ROLES = (Role.CENTER_STAFF, Role.ORG_ADMIN)  # services/centers.is_center_staff
NAV_SECONDS = 30


@dataclass(frozen=True)
class Todo:
    key: str  # a TODO_LABELS key
    count: int
    endpoint: str  # where it is done: the one object when there is one, else the list
    values: dict


@dataclass(frozen=True)
class NavState:
    todo: int
    unread: int
    center_id: int | None
    center_approved_on: date | None


def _count(stmt):
    """count(*) and min(id) of a select of ids, as two scalar subqueries."""
    sub = stmt.subquery()
    return (sa.select(sa.func.count()).select_from(sub).scalar_subquery(),
            sa.select(sa.func.min(sub.c[0])).scalar_subquery())


def _queries(user: User, center_id_sql) -> list[tuple[str, sa.Select, str, str, str]]:
    """(key, select of ids, endpoint for one, its id argument, endpoint for many) for the user's roles."""
    org = user.org_id
    out = []
    if user.role in PARTY_ROLES:
        def deals(*where):
            return sa.select(Deal.id).where(*where)

        out += [
            ("deals_to_sign", deals(Deal.status == DealStatus.DRAFT, sa.or_(
                sa.and_(Deal.seller_org_id == org, Deal.seller_signed_at.is_(None)),
                sa.and_(Deal.buyer_org_id == org, Deal.buyer_signed_at.is_(None)))),
             "deals.detail", "deal_id", "deals.index?status=draft"),
            ("deals_to_fund", deals(Deal.status == DealStatus.SIGNED, Deal.buyer_org_id == org),
             "deals.detail", "deal_id", "deals.index?status=signed"),
            ("deals_to_record", deals(Deal.status == DealStatus.FUNDED, Deal.seller_org_id == org),
             "deals.detail", "deal_id", "deals.index?status=funded"),
            ("deals_to_complete", deals(Deal.status == DealStatus.RECORDED, Deal.buyer_org_id == org),
             "deals.detail", "deal_id", "deals.index?status=recorded"),
            ("offers_to_answer", sa.select(ThreadOffer.thread_id).join(Thread).where(
                Thread.status == ThreadStatus.OPEN, ThreadOffer.state == OfferState.OPEN, ThreadOffer.from_org_id != org,
                sa.or_(Thread.seller_org_id == org, Thread.buyer_org_id == org)),
             "negotiation.detail", "thread_id", "negotiation.index"),
            ("ndas_to_answer", sa.select(Thread.id).where(
                Thread.status == ThreadStatus.OPEN, Thread.nda_status == NdaStatus.REQUESTED, Thread.seller_org_id == org),
             "negotiation.detail", "thread_id", "negotiation.index"),
            ("new_matches", sa.select(Notification.id).where(
                Notification.org_id == org, Notification.kind == "match", Notification.read_at.is_(None)),
             "matching.notifications", "", "matching.notifications"),
            ("pool_invitations", sa.select(PoolMember.pool_id).where(
                PoolMember.org_id == org, PoolMember.status == PoolMemberStatus.INVITED),
             "pools.detail", "pool_id", "pools.index"),
            ("financing_offers", sa.select(FinancingOffer.request_id).join(FinancingRequest).where(
                FinancingRequest.org_id == org, FinancingRequest.status == RequestStatus.OPEN,
                FinancingOffer.status == OfferStatus.PROPOSED),
             "program.financing_detail", "item_id", "program.financing_detail"),
        ]
    if user.role in CENTER_ROLES:
        center = center_id_sql
        out += [
            ("join_requests", sa.select(AllianceMembership.center_id).where(
                AllianceMembership.center_id == center, AllianceMembership.status == MembershipStatus.PENDING),
             "centers.detail", "center_id", "centers.detail"),
            ("pool_alerts", sa.select(PoolAlert.pool_id).join(Pool).where(
                Pool.center_id == center, PoolAlert.resolved_at.is_(None)),
             "pools.detail", "pool_id", "pools.index"),
            ("disputes_to_answer", sa.select(DisputeRequest.id).where(
                DisputeRequest.center_id == center, DisputeRequest.status == DisputeStatus.OPEN),
             "program.dispute_detail", "item_id", "program.disputes"),
            ("financing_to_match", sa.select(FinancingRequest.id).where(
                FinancingRequest.center_id == center, FinancingRequest.status == RequestStatus.OPEN,
                ~FinancingRequest.offers.any()),
             "program.financing_detail", "item_id", "program.financing"),
            ("deals_disputed", sa.select(Deal.id).where(Deal.center_id == center, Deal.status == DealStatus.DISPUTED),
             "deals.detail", "deal_id", "deals.index?status=disputed"),
        ]
    if user.role in (Role.BUREAU_STAFF, Role.PLATFORM_ADMIN):
        out.append(("applications_to_decide", sa.select(CenterApplication.id).where(
            CenterApplication.status == ApplicationStatus.SUBMITTED),
            "program.application_detail", "application_id", "program.applications"))
    if user.role == Role.EXPERT:
        out.append(("reviews_assigned", sa.select(ExpertAssignment.application_id).join(CenterApplication).where(
            ExpertAssignment.expert_id == user.id, ExpertAssignment.submitted_at.is_(None),
            CenterApplication.status == ApplicationStatus.SUBMITTED),
            "program.score", "application_id", "program.applications"))
    return out


def _own_center_sql(user: User):
    return sa.select(Center.id).where(Center.org_id == user.org_id).limit(1).scalar_subquery()


def summary(user: User, today: date | None = None) -> tuple[list[Todo], NavState]:
    """Every to-do of the user with its count (only kinds with something waiting), and the navbar's state."""
    queries = _queries(user, _own_center_sql(user))
    columns = [
        sa.select(sa.func.count(Notification.id)).where(Notification.org_id == user.org_id,
                                                        Notification.read_at.is_(None)).scalar_subquery(),
        _own_center_sql(user),
        sa.select(Center.approval_date).where(Center.org_id == user.org_id).limit(1).scalar_subquery(),
    ]
    for _key, stmt, *_ in queries:
        columns.extend(_count(stmt))
    row = db.session.execute(sa.select(*columns)).one()
    unread, center_id, approved_on = row[0], row[1], row[2]
    todos = []
    for i, (key, _stmt, one, arg, many) in enumerate(queries):
        count, first = row[3 + 2 * i], row[4 + 2 * i]
        if not count:
            continue
        if count == 1 and arg:
            todos.append(Todo(key, count, one, {arg: first}))
        else:
            todos.append(_many(key, count, many, first, center_id))
    todos += _exit_deadlines(user, center_id, today)
    state = NavState(sum(t.count for t in todos), unread or 0, center_id if user.role in CENTER_ROLES else None,
                     approved_on if user.role in CENTER_ROLES else None)
    return todos, state


def _many(key: str, count: int, many: str, first, center_id) -> Todo:
    endpoint, _, query = many.partition("?")
    values = dict(p.split("=", 1) for p in query.split("&") if p)
    if endpoint in ("centers.detail", "program.disputes", "program.financing"):
        values["center_id"] = center_id
    elif endpoint == "program.financing_detail":  # offers on more than one request: the first request
        values["item_id"] = first
    return Todo(key, count, endpoint, values)


def _exit_deadlines(user: User, center_id: int | None, today: date | None) -> list[Todo]:
    """Exit warnings (a task book without the equity agreement or operation business in time)."""
    from . import applications

    today = today or clock.today()
    bureau = user.role in (Role.BUREAU_STAFF, Role.PLATFORM_ADMIN)
    if not bureau and not (user.role in CENTER_ROLES and center_id is not None):
        return []
    books = sa.select(TaskBook).options(joinedload(TaskBook.center)).order_by(TaskBook.center_id)
    if not bureau:
        books = books.where(TaskBook.center_id == center_id)
    centers = [book.center for book in db.session.scalars(books)]  # only a center with a task book can be warned
    warned = [c.id for c in centers if applications.exit_warnings(c, today)]
    if not warned:
        return []
    if len(warned) == 1:
        return [Todo("exit_deadlines", 1, "program.exit_monitor", {"center_id": warned[0]})]
    return [Todo("exit_deadlines", len(warned), "program.bureau", {})]


# ---- the navbar's cached state ------------------------------------------------------------

_cache: dict[tuple, tuple[float, int, NavState]] = {}
_generation = [0]
_lock = threading.Lock()


def nav_state(user: User) -> NavState:
    """The navbar's figures: a dictionary lookup, recomputed after any commit of this process (and at
    the latest after NAV_SECONDS, so that other processes' commits show too)."""
    now = time.monotonic()
    key = (id(db.engine), user.id, user.org_id, user.role)  # one process may serve several databases (tests)
    hit = _cache.get(key)
    if hit is not None and hit[0] > now and hit[1] == _generation[0]:
        return hit[2]
    generation = _generation[0]
    _todos, state = summary(user)
    with _lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[key] = (now + NAV_SECONDS, generation, state)
    return state


def forget() -> None:
    with _lock:
        _generation[0] += 1
