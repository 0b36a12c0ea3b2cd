"""Patent pools (task 4): members, contributions with owner consent, live compliance, licences."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from .. import events
from ..domain import money, patent_numbers
from ..domain import pools as pool_rules
from ..domain.deals import DealKind
from ..domain.errors import DomainError, N_
from ..extensions import db
from ..models import (
    Center,
    CrossLicence,
    Deal,
    DealOrigin,
    DealPatent,
    Organisation,
    OrgKind,
    Patent,
    PatentGrade,
    Pool,
    PoolAlert,
    PoolMember,
    PoolMemberStatus,
    PoolPatent,
    Role,
    RoyaltyKind,
    RoyaltyShare,
    SplitRule,
    User,
)
from ..models._types import utcnow
from . import audit, clock
from .centers import is_center_staff
from .permissions import Forbidden
from .transaction import record as record_event
from .transaction import use_case

GRADE_WEIGHTS = {"A": 4, "B": 3, "C": 2, "D": 1}


# ---- who ----------------------------------------------------------------------------------


def is_manager(user: User | None, pool: Pool) -> bool:
    """The lead organisation's administrators and the pool's center staff manage a pool."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.PLATFORM_ADMIN:
        return True
    if user.org_id == pool.lead_org_id and user.role == Role.ORG_ADMIN:
        return True
    return pool.center is not None and is_center_staff(user, pool.center)


def _require_manager(user: User, pool: Pool) -> None:
    if not is_manager(user, pool):
        raise Forbidden(N_("only the pool's managers may do this"))


def membership(pool: Pool, org_id: int) -> PoolMember | None:
    return next((m for m in pool.members if m.org_id == org_id), None)


def may_contribute(user: User | None, pool: Pool) -> bool:
    """Members and administrators of a joined organisation contribute its patents."""
    if user is None or not user.is_authenticated or user.role not in (Role.MEMBER, Role.ORG_ADMIN):
        return False
    member = membership(pool, user.org_id)
    return member is not None and member.status == PoolMemberStatus.JOINED


def may_withdraw(user: User | None, pool: Pool, pool_patent: PoolPatent) -> bool:
    """The contributor's members and administrators, or the pool's managers, withdraw a patent."""
    if user is None or not user.is_authenticated:
        return False
    return (user.org_id == pool_patent.contributor_org_id and user.role in (Role.MEMBER, Role.ORG_ADMIN)) \
        or is_manager(user, pool)


def may_take_licence(user: User | None, pool: Pool) -> bool:
    """Members and administrators of an organisation other than the lead, once terms are published."""
    return bool(user is not None and user.is_authenticated and user.role in (Role.MEMBER, Role.ORG_ADMIN)
                and pool.royalty_fen is not None and user.org_id != pool.lead_org_id)


# ---- set-up -------------------------------------------------------------------------------


@use_case
def create_pool(by: User, *, name: str, field: str, industry: str, center: Center | None) -> Pool:
    if center is not None:
        if not is_center_staff(by, center):
            raise Forbidden(N_("only the center's staff create a pool for the center"))
        lead_org_id = center.org_id
    else:
        if by.role != Role.ORG_ADMIN or by.org.kind in (OrgKind.CENTER, OrgKind.BUREAU):
            raise Forbidden(N_("a lead member's administrator or a center creates pools"))
        lead_org_id = by.org_id
    name = name.strip()
    if not name:
        raise DomainError(N_("give the pool a name"), field="name")
    if db.session.scalar(sa.select(Pool.id).where(Pool.name == name)):
        raise DomainError(N_("a pool with this name exists"), field="name")
    pool = Pool(name=name, field=field.strip(), industry=industry, center=center, lead_org_id=lead_org_id,
                created_by_id=by.id)
    pool.members.append(PoolMember(org_id=lead_org_id, status=PoolMemberStatus.JOINED, joined_at=utcnow()))
    db.session.add(pool)
    db.session.flush()
    audit.record(by, "pool.created", "pool", pool.id, name=name)
    recheck(pool, (REASON_MEMBERSHIP, {}))
    return pool


@use_case
def invite(by: User, pool: Pool, org: Organisation, fixed_share: int = 0) -> PoolMember:
    _require_manager(by, pool)
    if org.kind in (OrgKind.CENTER, OrgKind.BUREAU):
        raise DomainError(N_("centers and the bureau do not contribute patents"), field="org_id")
    member = membership(pool, org.id)
    if member is not None and member.status in (PoolMemberStatus.INVITED, PoolMemberStatus.JOINED):
        raise DomainError(N_("this organisation is already invited or a member"), field="org_id")
    if member is None:
        member = PoolMember(org_id=org.id)
        pool.members.append(member)
    member.status, member.fixed_share, member.invited_at = PoolMemberStatus.INVITED, max(0, fixed_share), utcnow()
    audit.record(by, "pool.invited", "pool", pool.id, org_id=org.id)
    db.session.flush()
    return member


@use_case
def respond(by: User, pool: Pool, accept: bool) -> None:
    member = membership(pool, by.org_id)
    if member is None or member.status != PoolMemberStatus.INVITED or by.role != Role.ORG_ADMIN:
        raise Forbidden(N_("there is no invitation for your organisation to answer"))
    member.status = PoolMemberStatus.JOINED if accept else PoolMemberStatus.DECLINED
    member.joined_at = utcnow() if accept else None
    recheck(pool, (REASON_MEMBERSHIP, {}))


@use_case
def leave(by: User, pool: Pool) -> None:
    member = membership(pool, by.org_id)
    if member is None or member.status != PoolMemberStatus.JOINED or by.role != Role.ORG_ADMIN:
        raise Forbidden(N_("your organisation is not a member"))
    if by.org_id == pool.lead_org_id:
        raise DomainError(N_("the lead organisation cannot leave its pool"))
    member.status = PoolMemberStatus.LEFT
    for pp in pool.patents:
        if pp.contributor_org_id == by.org_id and pp.withdrawn_at is None:
            pp.withdrawn_at = utcnow()
    audit.record(by, "pool.left", "pool", pool.id, org_id=by.org_id)
    recheck(pool, (REASON_MEMBERSHIP, {}))


@use_case
def contribute(by: User, pool: Pool, patent_ids: list[int]) -> int:
    """A member contributes its own patents; the contributing user's consent is recorded per patent."""
    if not may_contribute(by, pool):
        raise Forbidden(N_("only members of the pool contribute patents"))
    patents = db.session.scalars(sa.select(Patent).where(Patent.id.in_(patent_ids))).all()
    if len(patents) != len(set(patent_ids)) or not patents:
        raise DomainError(N_("choose your organisation's patents"), field="patent_ids")
    foreign = [p.application_number for p in patents if p.owner_org_id != by.org_id]
    if foreign:
        raise DomainError(N_("only the owner can contribute: {numbers}"), field="patent_ids",
                          numbers=", ".join(foreign))
    patent_numbers.require_cnipa([(p.office, p.application_number) for p in patents], field="patent_ids")
    active = {pp.patent_id: pp for pp in pool.patents}
    added = 0
    for p in patents:
        existing = active.get(p.id)
        if existing is not None and existing.withdrawn_at is None:
            continue
        if existing is not None:
            existing.withdrawn_at, existing.consent_by_id, existing.consent_at = None, by.id, utcnow()
            existing.contributor_org_id = by.org_id
        else:
            pool.patents.append(PoolPatent(patent_id=p.id, contributor_org_id=by.org_id, consent_by_id=by.id))
        added += 1
    audit.record(by, "pool.contributed", "pool", pool.id, patents=[p.id for p in patents])
    recheck(pool, (REASON_CONTRIBUTION, {}))
    return added


@use_case
def withdraw(by: User, pool: Pool, pool_patent: PoolPatent) -> None:
    if not may_withdraw(by, pool, pool_patent):
        raise Forbidden(N_("only the contributor or the pool's managers withdraw a patent"))
    pool_patent.withdrawn_at = utcnow()
    audit.record(by, "pool.withdrawn", "pool", pool.id, patent_id=pool_patent.patent_id)
    recheck(pool, (REASON_CONTRIBUTION, {}))


# ---- compliance, re-checked by every use case that changes what it depends on -------------


def active_patents(pool_id: int):
    return db.session.execute(
        sa.select(Patent.patent_type, Patent.legal_status, PoolPatent.contributor_org_id, Patent.owner_org_id)
        .join(PoolPatent, PoolPatent.patent_id == Patent.id)
        .where(PoolPatent.pool_id == pool_id, PoolPatent.withdrawn_at.is_(None))
    ).all()


def compliance(pool: Pool) -> pool_rules.Compliance:
    rows = active_patents(pool.id)
    joined = {m.org_id for m in pool.members if m.status == PoolMemberStatus.JOINED}
    # a patent counts while its contributor still owns it and is still a member
    return pool_rules.compliance([
        pool_rules.PoolPatent(t.value if hasattr(t, "value") else t, s.value if hasattr(s, "value") else s, c)
        for t, s, c, owner in rows if owner == c and c in joined
    ])


REASON_PATENT = N_("patent {number} changed (legal status, type or owner)")
REASON_MEMBERSHIP = N_("an organisation joined or left the pool")
REASON_CONTRIBUTION = N_("patents contributed or withdrawn")


def recheck(pool: Pool, reason: tuple[str, dict]) -> pool_rules.Compliance:
    """Recompute; a pool that falls below a threshold gets an alert naming the reason (an English
    template and its figures: kept filled in for the record, translated where it is shown).

    An explicit step of every use case that changes the pool's facts, inside its transaction."""
    db.session.flush()  # the counts are read by a query
    result = compliance(pool)
    if pool.compliant and not result.compliant:
        template, params = reason
        db.session.add(PoolAlert(pool_id=pool.id, reason=template.format(**params)[:300],
                                 shortfalls=",".join(result.shortfalls()),
                                 figures={"patents": result.valid_patents, "inventions": result.valid_inventions,
                                          "organisations": result.organisations,
                                          "reason": {"template": template, "params": params}}))
        _warn_below(pool, result)
    elif result.compliant and not pool.compliant:
        for alert in db.session.scalars(sa.select(PoolAlert).where(PoolAlert.pool_id == pool.id,
                                                                   PoolAlert.resolved_at.is_(None))):
            alert.resolved_at = utcnow()
    pool.compliant = result.compliant
    record_event(events.PoolChanged(pool.id))
    return result


BELOW_RULE = N_("Pool “%(pool)s” no longer meets the rule: %(patents)s valid patents (at least 100), "
                "%(inventions)s valid invention patents (at least 50), %(organisations)s organisations (at least 3).")


def _warn_below(pool: Pool, result: pool_rules.Compliance) -> None:
    """Tell the pool's managers (the lead organisation's administrators and the center's staff),
    in the app and by e-mail, in each reader's language."""
    from flask_babel import force_locale, gettext

    from ..models import Center, Notification, OutboxEmail

    params = {"pool": pool.name, "patents": result.valid_patents, "inventions": result.valid_inventions,
              "organisations": result.organisations}
    link = f"/pools/{pool.id}"
    center = db.session.get(Center, pool.center_id) if pool.center_id else None
    orgs = [pool.lead_org_id] + ([center.org_id] if center and center.org_id != pool.lead_org_id else [])
    for org_id in orgs:
        db.session.add(Notification(org_id=org_id, kind="pool", message=BELOW_RULE, params=params, link=link))
    readers = db.session.scalars(sa.select(User).where(
        sa.or_(sa.and_(User.org_id == pool.lead_org_id, User.role == Role.ORG_ADMIN),
               sa.and_(User.org_id == (center.org_id if center else -1), User.role == Role.CENTER_STAFF)),
        User.active.is_(True)).order_by(User.id)).all()
    for user in readers:
        with force_locale(user.locale or "zh_CN"):
            body = gettext(BELOW_RULE, **params)
            subject = gettext("Pool below the rule: %(pool)s", pool=pool.name)
        db.session.add(OutboxEmail(to_user_id=user.id, to_address=user.email, subject=subject[:300],
                                   body=body + f"\n\n{link}"))


def recheck_pools_holding(patents: Iterable[Patent]) -> None:
    """The step of a use case that changed patents' legal status, type or owner: re-check, in its
    transaction, every pool holding one of them (the reason names the first such patent of each)."""
    numbers = {p.id: p.application_number for p in patents if p.id is not None}
    if not numbers:
        return
    db.session.flush()
    order = {pid: i for i, pid in enumerate(numbers)}
    rows = db.session.execute(sa.select(PoolPatent.pool_id, PoolPatent.patent_id)
                              .where(PoolPatent.patent_id.in_(list(numbers)))).all()
    reasons: dict[int, tuple[str, dict]] = {}
    for pool_id, patent_id in sorted(rows, key=lambda r: order[r[1]]):
        reasons.setdefault(pool_id, (REASON_PATENT, {"number": numbers[patent_id]}))
    for pool_id in sorted(reasons):
        recheck(db.session.get(Pool, pool_id), reasons[pool_id])


# ---- licensing ----------------------------------------------------------------------------


@use_case
def publish_terms(by: User, pool: Pool, *, royalty_kind: str, royalty_fen: int, field_of_use: str,
                  term_months: int | None, split_rule: str) -> None:
    _require_manager(by, pool)
    if royalty_fen is None or royalty_fen <= 0:
        raise DomainError(N_("give the royalty"), field="royalty")
    if term_months is not None and not 1 <= term_months <= 600:
        raise DomainError(N_("the term is 1 to 600 months"), field="term_months")
    pool.royalty_kind, pool.royalty_fen = RoyaltyKind(royalty_kind), royalty_fen
    pool.field_of_use, pool.term_months, pool.split_rule = field_of_use.strip(), term_months, SplitRule(split_rule)
    audit.record(by, "pool.terms", "pool", pool.id, royalty_fen=royalty_fen, rule=split_rule)


@use_case
def take_licence(by: User, pool: Pool, units: int = 1) -> Deal:
    """A licence from the pool is an ordinary-licence deal on its valid patents, counted for the center."""
    if by.role not in (Role.MEMBER, Role.ORG_ADMIN):
        raise Forbidden(N_("only members of an organisation take licences"))
    if pool.royalty_fen is None:
        raise DomainError(N_("the pool has not published licence terms"))
    if by.org_id == pool.lead_org_id:
        raise DomainError(N_("the lead organisation cannot license its own pool"))
    if pool.royalty_kind == RoyaltyKind.PER_UNIT and not 1 <= units <= 10_000_000:
        raise DomainError(N_("give the number of units"), field="units")
    patents = db.session.execute(
        sa.select(Patent.id, Patent.application_number, Patent.legal_status)
        .join(PoolPatent, PoolPatent.patent_id == Patent.id)
        .where(PoolPatent.pool_id == pool.id, PoolPatent.withdrawn_at.is_(None))
        .order_by(Patent.id)
    ).all()
    valid = [(pid, num) for pid, num, status in patents if status in ("granted", "partly_invalidated")]
    if not valid:
        raise DomainError(N_("the pool has no valid patents to license"))
    price = pool.royalty_fen * (units if pool.royalty_kind == RoyaltyKind.PER_UNIT else 1)
    lead = db.session.get(Organisation, pool.lead_org_id)
    deal = Deal(origin=DealOrigin.PLATFORM, seller_org_id=pool.lead_org_id, buyer_org_id=by.org_id,
                seller_name=lead.name, buyer_name=by.org.name, pool_id=pool.id, kind=DealKind.ORDINARY,
                price_fen=price, center_id=pool.center_id, created_by_id=by.id,
                payment_terms=f"pool licence: {units} unit(s)" if pool.royalty_kind == RoyaltyKind.PER_UNIT else "")
    deal.patents = [DealPatent(application_number=num, patent_id=pid, position=i) for i, (pid, num) in enumerate(valid)]
    db.session.add(deal)
    db.session.flush()
    audit.record(by, "pool.licence", "deal", deal.id, pool_id=pool.id, units=units)
    db.session.flush()
    return deal


@dataclass
class Share:
    org_id: int
    weight: int
    amount_fen: int


def royalty_split(pool: Pool, amount_fen: int) -> list[Share]:
    """Split an amount among contributors by the pool's rule, exactly, remainders deterministic."""
    rows = db.session.execute(
        sa.select(PoolPatent.contributor_org_id, Patent.id, Patent.legal_status)
        .join(Patent, Patent.id == PoolPatent.patent_id)
        .where(PoolPatent.pool_id == pool.id, PoolPatent.withdrawn_at.is_(None))
    ).all()
    weights: dict[int, int] = {}
    if pool.split_rule == SplitRule.FIXED_SHARES:
        for m in pool.members:
            if m.status == PoolMemberStatus.JOINED and m.fixed_share > 0:
                weights[m.org_id] = m.fixed_share
    else:
        grades = {}
        if pool.split_rule == SplitRule.BY_GRADE:
            ids = [pid for _, pid, _ in rows]
            grades = dict(db.session.execute(sa.select(PatentGrade.patent_id, PatentGrade.grade)
                                             .where(PatentGrade.patent_id.in_(ids))).all())
        for org_id, pid, status in rows:
            if status not in ("granted", "partly_invalidated"):
                continue
            w = GRADE_WEIGHTS.get(grades.get(pid, "C"), 2) if pool.split_rule == SplitRule.BY_GRADE else 1
            weights[org_id] = weights.get(org_id, 0) + w
    if not weights:
        weights = {pool.lead_org_id: 1}
    orgs = sorted(weights)  # deterministic: remainders go by largest remainder, ties to the lowest org id
    amounts = money.split(amount_fen, [weights[o] for o in orgs])
    return [Share(o, weights[o], a) for o, a in zip(orgs, amounts)]


def record_shares(deal: Deal, net_fen: int) -> list[Share]:
    """Called inside the deal's completion transaction for pool licences."""
    pool = db.session.get(Pool, deal.pool_id)
    shares = royalty_split(pool, net_fen)
    for s in shares:
        db.session.add(RoyaltyShare(deal_id=deal.id, pool_id=pool.id, org_id=s.org_id, weight=s.weight,
                                    amount_fen=s.amount_fen))
    return shares


@use_case
def record_cross_licence(by: User, org_b_id: int, patents_a: str, patents_b: str, *, signed_on,
                         term_months: int | None, notes: str = "") -> CrossLicence:
    """A member records a cross-licence between its organisation and another; the patent lists
    are kept as normalised application numbers."""
    if by.role not in (Role.ORG_ADMIN, Role.MEMBER):
        raise Forbidden(N_("only members of an organisation record its cross-licences"))

    def numbers(text: str) -> str:
        return "; ".join(patent_numbers.normalize(x, today=clock.today()) for x in re.split(r"[;；,，\s]+", text or "") if x)

    row = CrossLicence(org_a_id=by.org_id, org_b_id=org_b_id, patents_a=numbers(patents_a),
                       patents_b=numbers(patents_b), signed_on=signed_on, term_months=term_months,
                       notes=notes, created_by_id=by.id)
    db.session.add(row)
    return row
