"""The center program: who sees it, the records behind tasks 1, 3 and 7–10, and the
board that computes every task's state from data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..domain import patent_numbers
from ..domain import program as rules
from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import (
    AllianceMembership,
    Award,
    Center,
    Deal,
    DisputeRequest,
    FinancingOffer,
    FinancingRequest,
    Listing,
    MembershipStatus,
    NavigationProject,
    Organisation,
    Patent,
    PatentGrade,
    PatentProduct,
    PctFiling,
    PlanVersion,
    Pool,
    PoolPatent,
    Role,
    Standard,
    TrainingEvent,
    User,
)
from . import audit, clock
from . import targets as target_service
from . import pools as pool_service
from .centers import is_center_staff
from .permissions import Forbidden, NotFound
from .transaction import use_case

# ---- who ----------------------------------------------------------------------------------


def is_bureau(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in (Role.BUREAU_STAFF, Role.PLATFORM_ADMIN))


def can_view_program(user: User | None, center: Center) -> bool:
    """The center's own staff and the bureau see a center's program; nobody else does."""
    return is_bureau(user) or is_center_staff(user, center)


def require_view_program(user: User | None, center: Center) -> None:
    if not can_view_program(user, center):
        raise NotFound(N_("not found"))


def require_edit_program(user: User | None, center: Center) -> None:
    """Only the center's staff keep its records; the bureau reads them."""
    require_view_program(user, center)
    if not is_center_staff(user, center):
        raise Forbidden(N_("only this center's staff may do this"))


def is_member(user: User | None, center: Center) -> bool:
    """An approved alliance member's own people (members and administrators)."""
    if user is None or not user.is_authenticated or user.role not in (Role.MEMBER, Role.ORG_ADMIN):
        return False
    return db.session.scalar(
        sa.select(AllianceMembership.id).where(AllianceMembership.center_id == center.id,
                                               AllianceMembership.org_id == user.org_id,
                                               AllianceMembership.status == MembershipStatus.APPROVED)
    ) is not None


# ---- shared input checks ------------------------------------------------------------------


def split_numbers(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,；，\n]+", text or "") if p.strip()]


def patents_by_numbers(text: str, field: str = "patents") -> list[Patent]:
    """Patents in the database named by application numbers (any written form); unknown ones are refused."""
    numbers: list[str] = []
    for part in split_numbers(text):
        try:
            number = patent_numbers.normalize(part, today=clock.today())
        except patent_numbers.PatentNumberError as err:
            raise DomainError(N_("patent {text}: {reason}"), field=field, text=part, reason=err) from err
        if number not in numbers:
            numbers.append(number)
    if len(numbers) > 500:
        raise DomainError(N_("at most {n} patents"), field=field, n=500)
    found = {p.application_number: p for p in db.session.scalars(
        sa.select(Patent).where(Patent.application_number.in_(numbers)))} if numbers else {}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise DomainError(N_("not in the patent database: {numbers}"), field=field, numbers=", ".join(unknown[:5]))
    return [found[n] for n in numbers]


def _required(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(N_("this field is required"), field=field)
    return text


def _not_future(day: date | None, field: str, today: date) -> None:
    if day is not None and day > today:
        raise DomainError(N_("the date is in the future"), field=field)


def _owned(record, center: Center):
    if record is None or record.center_id != center.id:
        raise NotFound(N_("not found"))
    return record


# ---- task 1: construction plan ------------------------------------------------------------


def latest_plan(center: Center) -> PlanVersion | None:
    return db.session.scalar(sa.select(PlanVersion).where(PlanVersion.center_id == center.id)
                             .order_by(PlanVersion.version.desc()).limit(1))


@use_case
def save_plan(by: User, center: Center, sections: dict[str, str], note: str = "") -> PlanVersion:
    """Every save is a new version; older versions stay readable."""
    require_edit_program(by, center)
    clean = {key: (sections.get(key) or "").strip()[:20000] for key in rules.PLAN_SECTIONS}
    if not any(clean.values()):
        raise DomainError(N_("write at least one section"), field="ideas")
    current = latest_plan(center)
    if current is not None and current.sections == clean:
        raise DomainError(N_("nothing changed since version {n}"), n=current.version)
    version = PlanVersion(center_id=center.id, version=(current.version + 1) if current else 1, sections=clean,
                          note=(note or "").strip()[:300], created_by_id=by.id)
    db.session.add(version)
    db.session.flush()
    audit.record(by, "program.plan_saved", "plan_version", version.id, center_id=center.id, version=version.version)
    db.session.flush()
    return version


# ---- task 3: navigation projects ----------------------------------------------------------


@dataclass
class NavigationData:
    title: str
    kind: str
    client_name: str = ""
    status: str = "planned"
    started_on: date | None = None
    completed_on: date | None = None
    deliverables: str = ""


def _apply_navigation(project: NavigationProject, data: NavigationData, today: date) -> None:
    status = rules.ProjectStatus(data.status)
    if status is rules.ProjectStatus.COMPLETED and data.completed_on is None:
        raise DomainError(N_("a completed project needs its completion date"), field="completed_on")
    if status is not rules.ProjectStatus.COMPLETED and data.completed_on is not None:
        raise DomainError(N_("only completed projects have a completion date"), field="completed_on")
    if data.started_on and data.completed_on and data.completed_on < data.started_on:
        raise DomainError(N_("the project cannot end before it starts"), field="completed_on")
    _not_future(data.completed_on, "completed_on", today)
    project.title = _required(data.title, "title")[:300]
    project.kind = rules.NavKind(data.kind)
    project.client_name = (data.client_name or "").strip()[:200]
    project.status = status
    project.started_on = data.started_on
    project.completed_on = data.completed_on
    project.deliverables = (data.deliverables or "").strip()



@use_case
def _add_record(by: User, center: Center, row, apply, data, today: date | None, name: str, object_type: str):
    """Add one of the center's program records (validated by ``apply``), audited, in one transaction."""
    require_edit_program(by, center)
    apply(row, data, today or clock.today())
    db.session.add(row)
    db.session.flush()
    audit.record(by, f"program.{name}_added", object_type, row.id, center_id=center.id)
    db.session.flush()
    return row


@use_case
def _update_record(by: User, center: Center, row, apply, data, today: date | None, name: str, object_type: str) -> None:
    require_edit_program(by, center)
    _owned(row, center)
    apply(row, data, today or clock.today())
    audit.record(by, f"program.{name}_updated", object_type, row.id, center_id=center.id)


def add_navigation(by: User, center: Center, data: NavigationData, *, today: date | None = None) -> NavigationProject:
    return _add_record(by, center, NavigationProject(center_id=center.id, created_by_id=by.id), _apply_navigation, data, today,
                       "navigation", "navigation_project")


def update_navigation(by: User, center: Center, project: NavigationProject, data: NavigationData, *,
                      today: date | None = None) -> None:
    _update_record(by, center, project, _apply_navigation, data, today, "navigation", "navigation_project")


# ---- task 7: patent-intensive products ----------------------------------------------------


@dataclass
class ProductData:
    name: str
    owner: str  # an organisation name on the platform, or any name
    patents: str  # application numbers
    description: str = ""
    product_revenue_fen: int | None = None
    total_revenue_fen: int | None = None
    status: str = "applied"
    applied_on: date | None = None
    identified_on: date | None = None
    certificate_number: str = ""
    evidence_file: str = ""
    evidence_filename: str = ""


def _apply_product(product: PatentProduct, data: ProductData, today: date) -> None:
    status = rules.ProductStatus(data.status)
    product.name = _required(data.name, "name")[:200]
    owner = _required(data.owner, "owner")[:200]
    patents = patents_by_numbers(data.patents)
    if not patents:
        raise DomainError(N_("link at least one patent the product uses"), field="patents")
    if (data.product_revenue_fen is not None and data.total_revenue_fen is not None
            and data.product_revenue_fen > data.total_revenue_fen):
        raise DomainError(N_("the product's revenue cannot exceed the total revenue"), field="product_revenue")
    if status is rules.ProductStatus.IDENTIFIED and data.identified_on is None:
        raise DomainError(N_("an identified product needs its identification date"), field="identified_on")
    _not_future(data.applied_on, "applied_on", today)
    _not_future(data.identified_on, "identified_on", today)
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == owner))
    product.owner_name = owner
    product.owner_org_id = org.id if org else None
    product.patents = patents
    product.description = (data.description or "").strip()
    product.product_revenue_fen = data.product_revenue_fen
    product.total_revenue_fen = data.total_revenue_fen
    product.status = status
    product.applied_on = data.applied_on
    product.identified_on = data.identified_on if status is rules.ProductStatus.IDENTIFIED else None
    product.certificate_number = (data.certificate_number or "").strip()[:100]
    if data.evidence_file:
        product.evidence_file, product.evidence_filename = data.evidence_file, data.evidence_filename


def add_product(by: User, center: Center, data: ProductData, *, today: date | None = None) -> PatentProduct:
    return _add_record(by, center, PatentProduct(center_id=center.id, created_by_id=by.id), _apply_product, data, today,
                       "product", "patent_product")


def update_product(by: User, center: Center, product: PatentProduct, data: ProductData, *,
                   today: date | None = None) -> None:
    _update_record(by, center, product, _apply_product, data, today, "product", "patent_product")


# ---- task 8: PCT --------------------------------------------------------------------------


@dataclass
class PctData:
    applicant: str
    title: str
    pct_number: str
    phase: str
    filed_on: date | None
    country: str = ""


def _apply_pct(filing: PctFiling, center: Center, data: PctData, today: date) -> None:
    phase = rules.PctPhase(data.phase)
    number = rules.normalize_pct_number(data.pct_number)
    country = (data.country or "").strip().upper()
    if phase is rules.PctPhase.NATIONAL:
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise DomainError(N_("name the office entered with its two-letter code, e.g. US, EP, JP"), field="country")
    else:
        country = ""
    if data.filed_on is None:
        raise DomainError(N_("this field is required"), field="filed_on")
    _not_future(data.filed_on, "filed_on", today)
    clash = db.session.scalar(sa.select(PctFiling.id).where(
        PctFiling.center_id == center.id, PctFiling.pct_number == number, PctFiling.phase == phase,
        PctFiling.country == country, PctFiling.id != (filing.id or 0)))
    if clash:
        raise DomainError(N_("this filing is already recorded"), field="pct_number")
    applicant = _required(data.applicant, "applicant")[:200]
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == applicant))
    filing.applicant_name, filing.org_id = applicant, (org.id if org else None)
    filing.title = _required(data.title, "title")[:300]
    filing.pct_number, filing.phase, filing.country, filing.filed_on = number, phase, country, data.filed_on


def add_pct(by: User, center: Center, data: PctData, *, today: date | None = None) -> PctFiling:
    return _add_record(by, center, PctFiling(center_id=center.id, created_by_id=by.id),
                       lambda row, d, day: _apply_pct(row, center, d, day), data, today,
                       "pct", "pct_filing")


def update_pct(by: User, center: Center, filing: PctFiling, data: PctData, *,
               today: date | None = None) -> None:
    _update_record(by, center, filing, lambda row, d, day: _apply_pct(row, center, d, day), data, today, "pct", "pct_filing")


# ---- task 9: standards --------------------------------------------------------------------


@dataclass
class StandardData:
    code: str
    title: str
    level: str
    status: str
    patents: str = ""
    published_on: date | None = None


def _apply_standard(standard: Standard, data: StandardData, today: date) -> None:
    status = rules.StandardStatus(data.status)
    if status is rules.StandardStatus.PUBLISHED and data.published_on is None:
        raise DomainError(N_("a published standard needs its publication date"), field="published_on")
    _not_future(data.published_on, "published_on", today)
    standard.code = _required(data.code, "code")[:60]
    standard.title = _required(data.title, "title")[:300]
    standard.level = rules.StandardLevel(data.level)
    standard.status = status
    standard.published_on = data.published_on if status is rules.StandardStatus.PUBLISHED else None
    standard.patents = patents_by_numbers(data.patents)


def add_standard(by: User, center: Center, data: StandardData, *, today: date | None = None) -> Standard:
    return _add_record(by, center, Standard(center_id=center.id, created_by_id=by.id), _apply_standard, data, today,
                       "standard", "standard")


def update_standard(by: User, center: Center, standard: Standard, data: StandardData, *,
                    today: date | None = None) -> None:
    _update_record(by, center, standard, _apply_standard, data, today, "standard", "standard")


# ---- task 10: awards ----------------------------------------------------------------------


@dataclass
class AwardData:
    name: str
    level: str
    status: str
    winner_name: str = ""
    patent: str = ""  # one application number, optional
    product_id: int | None = None
    awarded_on: date | None = None


def _apply_award(award: Award, center: Center, data: AwardData, today: date) -> None:
    status = rules.AwardStatus(data.status)
    if status is rules.AwardStatus.WON and data.awarded_on is None:
        raise DomainError(N_("an award won needs its date"), field="awarded_on")
    _not_future(data.awarded_on, "awarded_on", today)
    patents = patents_by_numbers(data.patent, field="patent")
    if len(patents) > 1:
        raise DomainError(N_("name one patent; record an award per patent"), field="patent")
    product = None
    if data.product_id:
        product = db.session.get(PatentProduct, data.product_id)
        if product is None or product.center_id != center.id:
            raise DomainError(N_("choose one of this center's products"), field="product_id")
    if not patents and product is None:
        raise DomainError(N_("an award counts for a patent or a patented product: name one"), field="patent")
    award.name = _required(data.name, "name")[:200]
    award.level = rules.AwardLevel(data.level)
    award.status = status
    award.awarded_on = data.awarded_on if status is rules.AwardStatus.WON else None
    award.winner_name = (data.winner_name or "").strip()[:200]
    award.patent = patents[0] if patents else None
    award.product = product


def add_award(by: User, center: Center, data: AwardData, *, today: date | None = None) -> Award:
    return _add_record(by, center, Award(center_id=center.id, created_by_id=by.id),
                       lambda row, d, day: _apply_award(row, center, d, day), data, today,
                       "award", "award")


def update_award(by: User, center: Center, award: Award, data: AwardData, *,
                 today: date | None = None) -> None:
    _update_record(by, center, award, lambda row, d, day: _apply_award(row, center, d, day), data, today, "award", "award")


# ---- the board ----------------------------------------------------------------------------


def center_pools(center: Center) -> list[Pool]:
    return list(db.session.scalars(sa.select(Pool).where(Pool.center_id == center.id).order_by(Pool.id)))


def member_kinds(center: Center) -> list[str]:
    return [k.value if hasattr(k, "value") else k for k in db.session.scalars(
        sa.select(Organisation.kind).join(AllianceMembership, AllianceMembership.org_id == Organisation.id)
        .where(AllianceMembership.center_id == center.id, AllianceMembership.status == MembershipStatus.APPROVED))]


def facts(center: Center, today: date, task5: target_service.Task5 | None = None) -> rules.ProgramFacts:
    """Everything the ten rules look at, read from the database in a handful of queries
    (``task5``: the verdict already worked out for this date, e.g. a finished year's record)."""
    plan = latest_plan(center)
    industry_patents = db.session.scalar(sa.select(sa.func.count(Patent.id)).where(Patent.industry == center.industry))
    analysed = db.session.scalar(sa.select(sa.func.count(PatentGrade.id)).join(Patent, Patent.id == PatentGrade.patent_id)
                                 .where(Patent.industry == center.industry))
    nav = db.session.execute(sa.select(NavigationProject.kind, NavigationProject.status, NavigationProject.completed_on)
                             .where(NavigationProject.center_id == center.id)).all()
    pct = db.session.execute(sa.select(PctFiling.pct_number, PctFiling.phase, PctFiling.country, PctFiling.filed_on)
                             .where(PctFiling.center_id == center.id)).all()
    standards = db.session.scalars(sa.select(Standard).where(Standard.center_id == center.id)).all()
    awards = db.session.scalars(sa.select(Award).where(Award.center_id == center.id)).all()
    products = db.session.scalars(sa.select(PatentProduct.status).where(PatentProduct.center_id == center.id)).all()
    pool_patents = set(db.session.scalars(
        sa.select(PoolPatent.patent_id).join(Pool, Pool.id == PoolPatent.pool_id)
        .where(Pool.center_id == center.id, PoolPatent.withdrawn_at.is_(None))))
    return rules.ProgramFacts(
        approval_date=center.approval_date,
        plan_sections=plan.sections if plan else None,
        industry_patents=industry_patents or 0,
        analysed_patents=analysed or 0,
        navigation=[rules.NavFact(k, s, c) for k, s, c in nav],
        pools=[pool_service.compliance(p) for p in center_pools(center)],
        task5=(task5 or target_service.task5(center, today)).verdict,
        member_kinds=member_kinds(center),
        product_statuses=list(products),
        pct=[rules.PctFact(n, p, c, d) for n, p, c, d in pct],
        standards=[rules.StandardFact(s.level, s.status, len(s.patents), s.published_on) for s in standards],
        awards=[rules.AwardFact(a.level, a.status, _award_counts(a, pool_patents), a.awarded_on) for a in awards],
    )


def _award_counts(award: Award, pool_patents: set[int]) -> bool:
    """Task 10 counts an award for a patent in one of the center's pools, or for a product built on one."""
    if award.patent_id is not None and award.patent_id in pool_patents:
        return True
    return award.product is not None and any(p.id in pool_patents for p in award.product.patents)


def board(center: Center, today: date | None = None) -> tuple[list[rules.TaskStatus], rules.Overall]:
    """Every task's state as of ``today`` (Beijing)."""
    today = today or clock.today()
    return rules.board(facts(center, today), as_of=today)


# ---- operation business (for the exit monitor) --------------------------------------------


def first_business_on(center: Center, today: date) -> date | None:
    """The first day the center did IP-operation business: a listing its company published, a
    deal it handles, an offer it brought to a member, an answered consultation, a navigation
    project started, or an event held."""
    candidates = [
        db.session.scalar(sa.select(sa.func.min(Listing.published_at)).where(Listing.org_id == center.org_id)),
        db.session.scalar(sa.select(sa.func.min(Deal.created_at)).where(Deal.center_id == center.id)),
        db.session.scalar(sa.select(sa.func.min(FinancingOffer.created_at))
                          .join(FinancingRequest, FinancingRequest.id == FinancingOffer.request_id)
                          .where(FinancingRequest.center_id == center.id)),
        db.session.scalar(sa.select(sa.func.min(DisputeRequest.answered_at)).where(DisputeRequest.center_id == center.id)),
        db.session.scalar(sa.select(sa.func.min(NavigationProject.started_on))
                          .where(NavigationProject.center_id == center.id)),
        db.session.scalar(sa.select(sa.func.min(TrainingEvent.starts_at))
                          .where(TrainingEvent.center_id == center.id, TrainingEvent.cancelled.is_(False))),
    ]
    days = []
    for value in candidates:
        if value is None:
            continue
        day = clock.utc_naive_to_local(value).date() if hasattr(value, "hour") else value
        if day <= today:
            days.append(day)
    return min(days) if days else None
