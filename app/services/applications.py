"""Applications to found a center (申报), expert review, approval (立项) with the task book,
and the exit monitor.

Who sees an application: its applicant organisation; once submitted, the bureau and the experts
assigned to it. Everyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..domain import center_lifecycle as lc
from ..domain import credit_code
from ..domain import program as rules
from ..domain import targets as target_rules
from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import (
    ApplicationDocument,
    ApplicationStatus,
    ApplicationWindow,
    ApplicationCondition,
    Center,
    CenterApplication,
    CreditRecord,
    DueDiligence,
    ExitCase,
    ExpertAssignment,
    ExpertScore,
    Industry,
    Organisation,
    OrgKind,
    PublicNotice,
    ReviewCriterion,
    Role,
    TaskBook,
    User,
)
from ..models._types import utcnow
from . import audit, clock
from .centers import create_center
from .permissions import Forbidden, NotFound
from .program import first_business_on, is_bureau
from .transaction import use_case

APPLICANT_ROLES = (Role.MEMBER, Role.ORG_ADMIN)


def _require_bureau(by: User) -> None:
    if not is_bureau(by):
        raise Forbidden(N_("only the bureau may do this"))


# ---- windows and criteria ------------------------------------------------------------------


def window_rule(window: ApplicationWindow) -> rules.Window:
    return rules.Window(window.opens_on, window.closes_on, rules.parse_hours(window.hours), window.weekdays_only,
                        rules.parse_dates(window.closed_dates))


def window_open_now(window: ApplicationWindow) -> bool:
    return rules.window_refusal(window_rule(window), clock.local_now()) is None


@dataclass
class WindowData:
    title: str
    opens_on: date
    closes_on: date
    hours: str = "09:00-11:30, 15:00-17:30"
    weekdays_only: bool = True
    closed_dates: str = ""


def _apply_window(window: ApplicationWindow, data: WindowData) -> None:
    if not (data.title or "").strip():
        raise DomainError(N_("this field is required"), field="title")
    if data.opens_on is None or data.closes_on is None:
        raise DomainError(N_("this field is required"), field="opens_on")
    if data.closes_on < data.opens_on:
        raise DomainError(N_("the window cannot close before it opens"), field="closes_on")
    hours = rules.parse_hours(data.hours)
    days = rules.parse_dates(data.closed_dates)
    window.title = data.title.strip()[:200]
    window.opens_on, window.closes_on, window.weekdays_only = data.opens_on, data.closes_on, data.weekdays_only
    window.hours = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in hours)
    window.closed_dates = ", ".join(sorted(d.isoformat() for d in days))


@use_case
def create_window(by: User, data: WindowData, criteria: list[tuple[str, int, int]] = ()) -> ApplicationWindow:
    _require_bureau(by)
    window = ApplicationWindow(created_by_id=by.id)
    _apply_window(window, data)
    db.session.add(window)
    _set_criteria(window, criteria)
    db.session.flush()
    audit.record(by, "application.window_created", "application_window", window.id)
    db.session.flush()
    return window


@use_case
def update_window(by: User, window: ApplicationWindow, data: WindowData) -> None:
    _require_bureau(by)
    _apply_window(window, data)
    audit.record(by, "application.window_updated", "application_window", window.id)


def _scored(window: ApplicationWindow) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(ExpertScore.id)).join(ReviewCriterion).where(ReviewCriterion.window_id == window.id)
    ) > 0 if window.id else False


def _set_criteria(window: ApplicationWindow, criteria) -> None:
    clean = []
    for name, max_score, weight in criteria:
        name = (name or "").strip()
        if not name:
            continue
        if max_score is None or not 1 <= max_score <= 1000 or weight is None or not 0 <= weight <= 1000:
            raise DomainError(N_("a criterion needs a maximum of 1–1000 points and a weight of 0–1000"),
                              field="criteria")
        clean.append((name[:200], max_score, weight))
    if criteria and not clean:
        raise DomainError(N_("name at least one criterion"), field="criteria")
    if clean and sum(w for _, _, w in clean) == 0:
        raise DomainError(N_("at least one criterion needs a weight above 0"), field="criteria")
    window.criteria = [ReviewCriterion(name=n, max_score=m, weight=w, position=i) for i, (n, m, w) in enumerate(clean)]


@use_case
def set_criteria(by: User, window: ApplicationWindow, criteria: list[tuple[str, int, int]]) -> None:
    """The bureau's scoring criteria; fixed once an expert has scored against them."""
    _require_bureau(by)
    if _scored(window):
        raise DomainError(N_("experts have already scored against these criteria"), field="criteria")
    _set_criteria(window, criteria)
    if not window.criteria:
        raise DomainError(N_("name at least one criterion"), field="criteria")
    audit.record(by, "application.criteria_set", "application_window", window.id, count=len(window.criteria))


# ---- who sees an application ----------------------------------------------------------------


def assignment_of(application: CenterApplication, user: User | None) -> ExpertAssignment | None:
    if user is None or not user.is_authenticated:
        return None
    return next((a for a in application.assignments if a.expert_id == user.id), None)


def is_applicant(user: User | None, application: CenterApplication) -> bool:
    return bool(user and user.is_authenticated and user.org_id == application.org_id and user.role in APPLICANT_ROLES)


def can_view(user: User | None, application: CenterApplication) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.org_id == application.org_id:
        return True
    if application.status == ApplicationStatus.DRAFT:
        return False
    return is_bureau(user) or assignment_of(application, user) is not None


def require_view(user: User | None, application: CenterApplication | None) -> CenterApplication:
    if application is None or not can_view(user, application):
        raise NotFound(N_("not found"))
    return application


def _require_editable(by: User, application: CenterApplication) -> None:
    require_view(by, application)
    if not is_applicant(by, application):
        raise Forbidden(N_("only the applicant organisation may change its application"))
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(N_("a submitted application can no longer be changed"))


def visible_applications(user: User) -> list[CenterApplication]:
    query = sa.select(CenterApplication).order_by(CenterApplication.id.desc())
    if is_bureau(user):
        query = query.where(sa.or_(CenterApplication.status != ApplicationStatus.DRAFT,
                                   CenterApplication.org_id == user.org_id))
    else:
        assigned = sa.select(ExpertAssignment.application_id).where(ExpertAssignment.expert_id == user.id)
        query = query.where(sa.or_(CenterApplication.org_id == user.org_id,
                                   sa.and_(CenterApplication.id.in_(assigned),
                                           CenterApplication.status != ApplicationStatus.DRAFT)))
    return list(db.session.scalars(query))


# ---- the applicant's side --------------------------------------------------------------------


@dataclass
class ApplicationData:
    proposed_name: str
    industry: str
    contact_person: str = ""
    phone: str = ""
    partners: str = ""
    capital_plan: str = ""
    targets: str = ""
    feasibility: dict | None = None
    legal_representative: str = ""


def _apply_application(application: CenterApplication, data: ApplicationData) -> None:
    application.proposed_name = (data.proposed_name or "").strip()[:200]
    application.industry = Industry(data.industry)
    application.contact_person = (data.contact_person or "").strip()[:100]
    application.phone = (data.phone or "").strip()[:40]
    application.legal_representative = (data.legal_representative or "").strip()[:100]
    application.partners = (data.partners or "").strip()
    application.capital_plan = (data.capital_plan or "").strip()
    application.targets = (data.targets or "").strip()
    sections = data.feasibility or {}
    application.feasibility = {key: (sections.get(key) or "").strip()[:50000] for key in rules.FEASIBILITY_SECTIONS}


@use_case
def start_application(by: User, window: ApplicationWindow, data: ApplicationData) -> CenterApplication:
    """A draft may be prepared at any time; only submission is held to the window."""
    if by.role not in APPLICANT_ROLES or by.org.kind == OrgKind.BUREAU:
        raise Forbidden(N_("only applicant organisations' members may apply"))
    if clock.today() > window.closes_on:
        raise DomainError(N_("the application window closed on {day}"), day=window.closes_on.isoformat())
    application = CenterApplication(window_id=window.id, org_id=by.org_id, created_by_id=by.id)
    _apply_application(application, data)
    db.session.add(application)
    db.session.flush()
    audit.record(by, "application.started", "center_application", application.id)
    db.session.flush()
    return application


@use_case
def update_application(by: User, application: CenterApplication, data: ApplicationData) -> None:
    _require_editable(by, application)
    _apply_application(application, data)


@use_case
def add_document(by: User, application: CenterApplication, kind: str, stored_name: str, filename: str) -> ApplicationDocument:
    """``stored_name``/``filename`` come from uploads.save (content sniffed as PDF, PNG or JPEG)."""
    _require_editable(by, application)
    if kind not in rules.DOCUMENT_KINDS:
        raise DomainError(N_("choose what the document is"), field="kind")
    document = ApplicationDocument(application=application, kind=kind, stored_name=stored_name, filename=filename,
                                   uploaded_by_id=by.id)
    db.session.add(document)
    db.session.flush()
    return document


@use_case
def remove_document(by: User, application: CenterApplication, document: ApplicationDocument) -> None:
    _require_editable(by, application)
    if document.application_id != application.id:
        raise NotFound(N_("not found"))
    db.session.delete(document)


def conditions(application: CenterApplication) -> list[tuple[str, ApplicationCondition | None]]:
    """The five application conditions in the notice's order, with the applicant's statement and proof."""
    rows = {c.key: c for c in db.session.scalars(sa.select(ApplicationCondition).where(
        ApplicationCondition.application_id == application.id))} if application.id else {}
    return [(key, rows.get(key)) for key in lc.CONDITIONS]


def condition_facts(application: CenterApplication) -> list[lc.ConditionFact]:
    return [lc.ConditionFact(key, row.statement, bool(row.stored_name)) for key, row in conditions(application) if row]


def missing(application: CenterApplication) -> list[str]:
    fields = {name: getattr(application, name) for name in rules.APPLICATION_FIELDS}
    gaps = rules.missing_for_submission(fields, application.feasibility, {d.kind for d in application.documents})
    return gaps + [f"condition:{key}" for key in lc.missing_conditions(condition_facts(application))]


def credit_entries(org_id: int | None = None) -> list[lc.CreditEntry]:
    query = sa.select(CreditRecord)
    if org_id is not None:
        query = query.where(CreditRecord.org_id == org_id)
    return [lc.CreditEntry(r.kind, r.org_id, r.legal_representative, r.listed_on, r.banned_until)
            for r in db.session.scalars(query)]


def ban_refusal(application: CenterApplication) -> DomainError | None:
    """Why the applicant may not submit: it, or its legal representative, is on the serious-dishonesty list."""
    return lc.ban_refusal(credit_entries(), application.org_id, application.legal_representative, clock.today())


@use_case
def submit(by: User, application: CenterApplication) -> None:
    """Refused for an organisation (or legal representative) under a ban, outside the window's
    dates, working days and hours (Beijing time), or while a condition or material is missing."""
    _require_editable(by, application)
    banned = ban_refusal(application)
    if banned is not None:
        raise banned
    rules.check_window(window_rule(application.window), clock.local_now())
    gaps = missing(application)
    if gaps:
        raise DomainError(N_("the application is incomplete: {n} items are missing (see the checklist)"), n=len(gaps))
    application.status = lc.check_transition(application.status, ApplicationStatus.SUBMITTED)
    application.submitted_at = clock.utc_naive(clock.now())
    audit.record(by, "application.submitted", "center_application", application.id)


@use_case
def withdraw(by: User, application: CenterApplication) -> None:
    require_view(by, application)
    if not is_applicant(by, application):
        raise Forbidden(N_("only the applicant organisation may withdraw its application"))
    if ApplicationStatus.WITHDRAWN not in lc.TRANSITIONS[application.status]:
        raise DomainError(N_("this application has already been decided"))
    application.status = ApplicationStatus.WITHDRAWN
    audit.record(by, "application.withdrawn", "center_application", application.id)


# ---- review ---------------------------------------------------------------------------------


@use_case
def assign_expert(by: User, application: CenterApplication, expert: User) -> ExpertAssignment:
    _require_bureau(by)
    require_view(by, application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(N_("only submitted applications are reviewed"))
    if expert is None or expert.role != Role.EXPERT or not expert.active:
        raise DomainError(N_("choose an expert"), field="expert_id")
    if expert.org_id == application.org_id:
        raise DomainError(N_("an expert may not review their own organisation's application"), field="expert_id")
    if assignment_of(application, expert) is not None:
        raise DomainError(N_("this expert is already assigned"), field="expert_id")
    assignment = ExpertAssignment(application=application, expert_id=expert.id, assigned_by_id=by.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record(by, "application.expert_assigned", "center_application", application.id, expert_id=expert.id)
    db.session.flush()
    return assignment


def criteria_of(application: CenterApplication) -> list[rules.Criterion]:
    return [rules.Criterion(c.id, c.max_score, c.weight) for c in application.window.criteria]


@use_case
def score(by: User, application: CenterApplication, scores: dict[int, int | None],
          comments: dict[int, str] | None = None) -> ExpertAssignment:
    """The assigned expert scores every criterion; they may revise until the bureau decides."""
    require_view(by, application)
    assignment = assignment_of(application, by)
    if assignment is None:
        raise Forbidden(N_("only the experts assigned to this application score it"))
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(N_("the review of this application is over"))
    criteria = criteria_of(application)
    if not criteria:
        raise DomainError(N_("the bureau has not set the scoring criteria yet"))
    for criterion in criteria:
        rules.check_score(scores.get(criterion.id), criterion)
    comments = comments or {}
    existing = {s.criterion_id: s for s in assignment.scores}
    for criterion in criteria:
        row = existing.get(criterion.id) or ExpertScore(assignment=assignment, criterion_id=criterion.id, score=0)
        row.score = scores[criterion.id]
        row.comment = (comments.get(criterion.id) or "").strip()[:2000]
        db.session.add(row)
    assignment.submitted_at = utcnow()
    audit.record(by, "application.scored", "center_application", application.id,
                 total=rules.expert_total(dict(scores), criteria))
    db.session.flush()
    return assignment


@dataclass(frozen=True)
class ReviewResult:
    rows: list[tuple[ExpertAssignment, float | None]]  # each expert's total out of 100
    aggregate: rules.Aggregate
    per_criterion: dict[int, float]  # mean score per criterion over complete reviews


def results(application: CenterApplication) -> ReviewResult:
    criteria = criteria_of(application)
    rows = []
    sums: dict[int, list[int]] = {c.id: [] for c in criteria}
    for assignment in application.assignments:
        scores = {s.criterion_id: s.score for s in assignment.scores}
        total = rules.expert_total(scores, criteria)
        rows.append((assignment, total))
        if total is not None:
            for c in criteria:
                sums[c.id].append(scores[c.id])
    return ReviewResult(rows, rules.aggregate([t for _, t in rows]),
                        {cid: round(sum(v) / len(v), 2) for cid, v in sums.items() if v})


# ---- decision: approval creates the center and its task book -----------------------------------


@dataclass
class Approval:
    approval_date: date
    task_book_signed_on: date
    center_org_id: int | None = None  # an existing organisation of kind operation center
    new_org_name: str = ""  # or found the center company now
    new_org_credit_code: str = ""
    custodian: str = ""
    equity_fen: int | None = None
    note: str = ""
    custodian_org_id: int | None = None  # the custodian's organisation: its custodian staff see the center


def approval_facts(application: CenterApplication) -> lc.ApprovalFacts:
    diligence = db.session.scalar(sa.select(DueDiligence).where(DueDiligence.application_id == application.id))
    notice = db.session.scalar(sa.select(PublicNotice).where(PublicNotice.application_id == application.id))
    objections = tuple(lc.ObjectionFact(o.answered_at is not None, o.upheld) for o in (notice.objections if notice else ()))
    return lc.ApprovalFacts(application.status, diligence.outcome if diligence else None,
                            notice.ends_on if notice else None, objections, clock.today())


def approval_refusal(application: CenterApplication) -> DomainError | None:
    return lc.approval_refusal(approval_facts(application))


@use_case
def approve(by: User, application: CenterApplication, data: Approval) -> Center:
    """Only after a passed first review and due diligence, and a public notice that has ended
    with every objection answered and none upheld."""
    _require_bureau(by)
    require_view(by, application)
    refusal = approval_refusal(application)
    if refusal is not None:
        raise refusal
    if data.approval_date is None or data.task_book_signed_on is None:
        raise DomainError(N_("this field is required"), field="approval_date")
    if data.task_book_signed_on < data.approval_date:
        raise DomainError(N_("the task book is signed on or after the approval date"), field="task_book_signed_on")
    if data.center_org_id:
        org = db.session.get(Organisation, data.center_org_id)
        if org is None:
            raise DomainError(N_("choose the center company"), field="center_org_id")
    else:
        name = (data.new_org_name or "").strip()
        if not name:
            raise DomainError(N_("choose the center company or name the new one"), field="new_org_name")
        code = credit_code.normalize(data.new_org_credit_code)
        if db.session.scalar(sa.select(Organisation.id).where(sa.or_(Organisation.name == name,
                                                                     Organisation.credit_code == code))):
            raise DomainError(N_("an organisation with this name or credit code exists; choose it instead"),
                              field="new_org_name")
        org = Organisation(name=name[:200], kind=OrgKind.CENTER, credit_code=code,
                           created_at=clock.utc_naive(clock.now()))  # founded now: the foundation milestone
        db.session.add(org)
        db.session.flush()
    center = create_center(by, org=org, name=application.proposed_name, industry=application.industry,
                           approval_date=data.approval_date, description="", founders=[application.org])
    custodian_org = db.session.get(Organisation, data.custodian_org_id) if data.custodian_org_id else None
    if data.custodian_org_id and custodian_org is None:
        raise DomainError(N_("choose the custodian"), field="custodian_org_id")
    custodian = (data.custodian or "").strip()[:200] or (custodian_org.name if custodian_org else "")
    db.session.add(TaskBook(center=center, application_id=application.id, signed_on=data.task_book_signed_on,
                            custodian=custodian, custodian_org_id=custodian_org.id if custodian_org else None,
                            equity_fen=data.equity_fen, created_by_id=by.id))
    application.status = lc.check_transition(application.status, ApplicationStatus.APPROVED)
    application.center = center
    application.decided_at, application.decided_by_id = utcnow(), by.id
    application.decision_note = (data.note or "").strip()
    db.session.flush()
    audit.record(by, "application.approved", "center_application", application.id, center_id=center.id)
    db.session.flush()
    return center


@use_case
def reject(by: User, application: CenterApplication, note: str) -> None:
    """At any step before approval (a failed review, due diligence or an upheld objection)."""
    _require_bureau(by)
    require_view(by, application)
    if application.status not in lc.UNDER_WAY:
        raise DomainError(N_("only submitted applications can be decided"))
    if not (note or "").strip():
        raise DomainError(N_("give the reason"), field="note")
    application.status = ApplicationStatus.REJECTED
    application.decided_at, application.decided_by_id, application.decision_note = utcnow(), by.id, note.strip()
    audit.record(by, "application.rejected", "center_application", application.id)


# ---- task book and exit monitor ------------------------------------------------------------


def task_book(center: Center) -> TaskBook | None:
    return db.session.scalar(sa.select(TaskBook).where(TaskBook.center_id == center.id))


@use_case
def record_task_book(by: User, center: Center, *, signed_on: date, custodian: str = "",
                     equity_fen: int | None = None) -> TaskBook:
    """For centers set up before the platform ran applications: the bureau records the task book."""
    _require_bureau(by)
    if task_book(center) is not None:
        raise DomainError(N_("this center already has a task book"))
    if signed_on is None:
        raise DomainError(N_("this field is required"), field="signed_on")
    book = TaskBook(center_id=center.id, signed_on=signed_on, custodian=(custodian or "").strip()[:200],
                    equity_fen=equity_fen, created_by_id=by.id)
    db.session.add(book)
    db.session.flush()
    audit.record(by, "program.task_book_recorded", "task_book", book.id, center_id=center.id)
    db.session.flush()
    return book


@use_case
def record_equity_agreement(by: User, book: TaskBook, signed_on: date) -> None:
    _require_bureau(by)
    if signed_on is None:
        raise DomainError(N_("this field is required"), field="signed_on")
    if signed_on < book.signed_on:
        raise DomainError(N_("the agreement cannot predate the task book"), field="signed_on")
    if signed_on > clock.today():
        raise DomainError(N_("the date is in the future"), field="signed_on")
    book.equity_agreement_signed_on = signed_on
    audit.record(by, "program.equity_agreement", "task_book", book.id, signed_on=signed_on.isoformat())


def exit_warnings(center: Center, today: date | None = None) -> list[rules.ExitWarning]:
    """The dated exit cases of the task book, then the construction period's: case 3 for a finished
    project year without a completed deal, case 7 once the five years are over."""
    from . import targets as target_service

    today = today or clock.today()
    book = task_book(center)
    warnings = [] if book is None else rules.exit_warnings(
        book.signed_on, book.equity_agreement_signed_on, first_business_on(center, today), today)
    if center.approval_date is not None:
        current = target_rules.project_year(center.approval_date, today)
        counts = target_service.counts_by_year(center.id, as_of=today)
        warnings += rules.construction_warnings(center.approval_date,
                                                [counts.get(n, 0) for n in range(1, current)], today)
    return warnings


@use_case
def open_exit_case(by: User, center: Center, *, reason: str, note: str, opened_on: date | None = None) -> ExitCase:
    _require_bureau(by)
    if not (note or "").strip():
        raise DomainError(N_("describe the case"), field="note")
    case = ExitCase(center_id=center.id, reason=rules.ExitReason(reason), note=note.strip(),
                    opened_on=opened_on or clock.today(), opened_by_id=by.id)
    db.session.add(case)
    db.session.flush()
    audit.record(by, "program.exit_case_opened", "exit_case", case.id, center_id=center.id, reason=case.reason.value)
    db.session.flush()
    return case


@use_case
def close_exit_case(by: User, case: ExitCase, note: str) -> None:
    _require_bureau(by)
    if case.closed_on is not None:
        raise DomainError(N_("the case is already closed"))
    case.closed_on, case.closure_note = clock.today(), (note or "").strip()
    audit.record(by, "program.exit_case_closed", "exit_case", case.id)


def exit_cases(center: Center) -> list[ExitCase]:
    return list(db.session.scalars(sa.select(ExitCase).where(ExitCase.center_id == center.id)
                                   .order_by(ExitCase.opened_on.desc(), ExitCase.id.desc())))

