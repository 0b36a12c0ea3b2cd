"""Operation centers: set-up, targets, alliance membership."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..domain.errors import DomainError, N_
from ..extensions import db
from ..models import AllianceMembership, Center, CenterTarget, Industry, MembershipStatus, Organisation, OrgKind, Role, User
from ..models._types import utcnow
from . import audit
from .permissions import Forbidden, is_center_staff, require_center_staff  # noqa: F401  (callers read them here)
from .transaction import use_case


def can_create_centers(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in (Role.PLATFORM_ADMIN, Role.BUREAU_STAFF))


@use_case
def create_center(by: User, *, org: Organisation, name: str, industry: str, approval_date: date | None,
                  description: str = "", founders: list[Organisation] = ()) -> Center:
    if not can_create_centers(by):
        raise Forbidden(N_("only the bureau and platform administrators set up centers"))
    if org.kind != OrgKind.CENTER:
        raise DomainError(N_("the center must be run by an organisation of kind operation center"), field="org_id")
    industry = Industry(industry)
    if db.session.scalar(sa.select(Center.id).where(Center.industry == industry)):
        raise DomainError(N_("this industry already has an operation center"), field="industry")
    if db.session.scalar(sa.select(Center.id).where(Center.org_id == org.id)):
        raise DomainError(N_("this organisation already runs a center"), field="org_id")
    if db.session.scalar(sa.select(Center.id).where(Center.name == name.strip())):
        raise DomainError(N_("a center with this name exists"), field="name")
    center = Center(org=org, name=name.strip(), industry=industry, approval_date=approval_date,
                    description=description.strip(), founders=list(founders))
    db.session.add(center)
    db.session.flush()  # its id for the caller; approving an application joins the approval's transaction
    return center


@use_case
def set_targets(by: User, center: Center, targets: list[int]) -> None:
    """Set yearly targets; a center may raise them but never go below the notice's rule."""
    require_center_staff(by, center)
    from ..domain.targets import yearly_targets

    minimum = yearly_targets(years=len(targets))
    for year, (value, floor) in enumerate(zip(targets, minimum), start=1):
        if value < floor:
            raise DomainError(N_("year {year}: the target may not be below the rule's {floor}"), field=f"year_{year}", year=year, floor=floor)
    existing = {t.year: t for t in center.targets}
    for year, value in enumerate(targets, start=1):
        if year in existing:
            existing[year].target = value
        else:
            center.targets.append(CenterTarget(year=year, target=value))
    audit.record(by, "center.targets_set", "center", center.id, targets=list(targets))


def may_apply(user: User | None, membership: AllianceMembership | None) -> bool:
    """``request_membership``'s rule: an administrator of an organisation that is neither a center nor the
    bureau, whose organisation has no pending or approved membership (``membership``: its current one)."""
    return bool(user and user.is_authenticated and user.can_manage_org
                and user.org.kind not in (OrgKind.CENTER, OrgKind.BUREAU)
                and (membership is None or membership.status in (MembershipStatus.REJECTED, MembershipStatus.LEFT)))


def may_leave(user: User | None, membership: AllianceMembership) -> bool:
    """``leave_alliance``'s rule: the member's administrators or the center's staff, for an approved membership."""
    return bool(user and user.is_authenticated and membership.status == MembershipStatus.APPROVED
                and ((user.can_manage_org and user.org_id == membership.org_id) or is_center_staff(user, membership.center)))


def membership_actions(user: User | None, own_membership: AllianceMembership | None) -> frozenset[str]:
    """What the center's page offers ``user`` about its own organisation's membership: "join", "leave"."""
    actions = set()
    if may_apply(user, own_membership):
        actions.add("join")
    if own_membership is not None and may_leave(user, own_membership):
        actions.add("leave")
    return frozenset(actions)


@use_case
def request_membership(by: User, center: Center, message: str = "") -> AllianceMembership:
    if not by.can_manage_org:
        raise Forbidden(N_("only organisation administrators may apply to join an alliance"))
    if by.org.kind in (OrgKind.CENTER, OrgKind.BUREAU):
        raise DomainError(N_("centers and the bureau do not join alliances"))
    membership = db.session.scalar(
        sa.select(AllianceMembership).where(
            AllianceMembership.center_id == center.id, AllianceMembership.org_id == by.org_id
        )
    )
    if membership is not None and membership.status in (MembershipStatus.PENDING, MembershipStatus.APPROVED):
        raise DomainError(N_("your organisation has already applied to this alliance"))
    if membership is None:
        membership = AllianceMembership(center_id=center.id, org_id=by.org_id)
        db.session.add(membership)
    membership.status = MembershipStatus.PENDING
    membership.message = message.strip()
    membership.requested_at = utcnow()
    membership.decided_at = None
    membership.decided_by_id = None
    db.session.flush()
    return membership


@use_case
def decide_membership(by: User, membership: AllianceMembership, approve: bool) -> None:
    require_center_staff(by, membership.center)
    if membership.status != MembershipStatus.PENDING:
        raise DomainError(N_("this application has already been decided"))
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
    membership.decided_at = utcnow()
    membership.decided_by_id = by.id


@use_case
def leave_alliance(by: User, membership: AllianceMembership) -> None:
    if not (by.can_manage_org and by.org_id == membership.org_id) and not is_center_staff(by, membership.center):
        raise Forbidden(N_("you may not end this membership"))
    if membership.status != MembershipStatus.APPROVED:
        raise DomainError(N_("only approved members can leave"))
    membership.status = MembershipStatus.LEFT
    membership.decided_at = utcnow()
    membership.decided_by_id = by.id


def member_centers(org_id: int) -> list[Center]:
    return list(
        db.session.scalars(
            sa.select(Center)
            .join(AllianceMembership)
            .where(AllianceMembership.org_id == org_id, AllianceMembership.status == MembershipStatus.APPROVED)
            .order_by(Center.id)
        )
    )
