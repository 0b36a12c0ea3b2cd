"""A center's life around the application (conditions, oral defence, the bureau's list, due
diligence, public notice and objections, false material) and after approval (foundation
milestones, the custodian's equity injections, yearly fund-use reports and their review,
termination with the serious-dishonesty ban, final acceptance), and the deadline reminders.

Who sees what: the applicant its application; the bureau everything from submission on; the
experts the applications and acceptances they are assigned to; a center's staff, the bureau and
the custodian named on its task book the center's lifecycle page. Everyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..domain import center_lifecycle as lc
from ..domain import program as rules
from ..domain import workdays
from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import (
    Acceptance,
    AcceptanceDocument,
    AcceptanceReview,
    ApplicationCondition,
    ApplicationStatus,
    ApplicationWindow,
    Center,
    CenterApplication,
    CenterClosure,
    CreditRecord,
    DefenceScore,
    DefenceSession,
    DiligenceReport,
    DueDiligence,
    EquityInjection,
    FundUseReport,
    NoticeObjection,
    Notification,
    Organisation,
    OrgKind,
    OutboxEmail,
    PublicNotice,
    Role,
    TaskBook,
    User,
)
from . import audit, clock
from .applications import _require_bureau, assignment_of, require_view, results, task_book
from .centers import is_center_staff
from .permissions import Forbidden, NotFound
from .program import first_business_on, is_bureau
from .transaction import use_case


def utcnow() -> datetime:
    """The program clock's now, as stored (naive UTC): what the records say happened when."""
    return clock.utc_naive(clock.now())


def _text(value: str | None, field: str, limit: int = 20000) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(N_("this field is required"), field=field)
    return text[:limit]


def _move(application: CenterApplication, target: ApplicationStatus) -> None:
    application.status = lc.check_transition(application.status, target)


# ---- application conditions ----------------------------------------------------------------


@use_case
def set_condition(by: User, application: CenterApplication, key: str, statement: str,
                  stored_name: str = "", filename: str = "") -> ApplicationCondition:
    """The applicant states how it meets a condition and attaches proof (a new file replaces the old)."""
    from .applications import _require_editable

    _require_editable(by, application)
    if key not in lc.CONDITIONS:
        raise DomainError(N_("choose the condition"), field="key")
    row = db.session.scalar(sa.select(ApplicationCondition).where(ApplicationCondition.application_id == application.id,
                                                                  ApplicationCondition.key == key))
    if row is None:
        row = ApplicationCondition(application_id=application.id, key=key)
        db.session.add(row)
    row.statement = _text(statement, "statement", 5000)
    if stored_name:
        row.stored_name, row.filename = stored_name, filename
    row.updated_by_id, row.updated_at = by.id, utcnow()
    db.session.flush()
    audit.record(by, "application.condition_set", "center_application", application.id, key=key,
                 evidence=bool(row.stored_name))
    db.session.flush()
    return row


# ---- first review: the oral defence and the bureau's list ----------------------------------


def defence(application: CenterApplication) -> DefenceSession | None:
    return db.session.scalar(sa.select(DefenceSession).where(DefenceSession.application_id == application.id))


def defence_scores(application: CenterApplication) -> list[DefenceScore]:
    return list(db.session.scalars(sa.select(DefenceScore).where(DefenceScore.application_id == application.id)
                                   .order_by(DefenceScore.id)))


def _in_first_review(by: User, application: CenterApplication) -> None:
    _require_bureau(by)
    require_view(by, application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(N_("the first review of this application is over"))


@use_case
def schedule_defence(by: User, application: CenterApplication, at_local: datetime | None, place: str) -> DefenceSession:
    """The bureau schedules (or moves) the oral defence; ``at_local`` is Beijing wall-clock time."""
    _in_first_review(by, application)
    if at_local is None:
        raise DomainError(N_("this field is required"), field="scheduled_at")
    session = defence(application)
    if session is not None and session.held_at is not None:
        raise DomainError(N_("the defence has already been held"))
    if session is None:
        session = DefenceSession(application_id=application.id, scheduled_by_id=by.id, created_at=utcnow())
        db.session.add(session)
    session.scheduled_at = clock.local_to_utc_naive(at_local)
    session.place = _text(place, "place", 200)
    db.session.flush()
    audit.record(by, "application.defence_scheduled", "center_application", application.id,
                 at=session.scheduled_at.isoformat(), place=session.place)
    db.session.flush()
    return session


@use_case
def record_attendance(by: User, application: CenterApplication, attendance: str) -> None:
    _in_first_review(by, application)
    session = defence(application)
    if session is None:
        raise DomainError(N_("schedule the defence first"))
    if clock.utc_naive(clock.now()) < session.scheduled_at:
        raise DomainError(N_("the defence has not taken place yet"))
    session.attendance = _text(attendance, "attendance", 5000)
    session.held_at = utcnow()
    audit.record(by, "application.defence_held", "center_application", application.id)


@use_case
def score_defence(by: User, application: CenterApplication, score: int | None, comment: str = "") -> DefenceScore:
    """An expert assigned to the application scores the oral defence (0–100) after it was held."""
    require_view(by, application)
    if assignment_of(application, by) is None:
        raise Forbidden(N_("only the experts assigned to this application score it"))
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(N_("the first review of this application is over"))
    session = defence(application)
    if session is None or session.held_at is None:
        raise DomainError(N_("the defence has not been held yet"))
    lc.check_score_100(score)
    row = db.session.scalar(sa.select(DefenceScore).where(DefenceScore.application_id == application.id,
                                                          DefenceScore.expert_id == by.id))
    if row is None:
        row = DefenceScore(application_id=application.id, expert_id=by.id, score=score)
        db.session.add(row)
    row.score, row.comment, row.scored_at = score, (comment or "").strip()[:2000], utcnow()
    db.session.flush()
    audit.record(by, "application.defence_scored", "center_application", application.id, score=score)
    db.session.flush()
    return row


@dataclass(frozen=True)
class FirstReview:
    material: rules.Aggregate
    defence: rules.Aggregate
    combined: float | None


def first_review(application: CenterApplication) -> FirstReview:
    material = results(application).aggregate
    defence_agg = rules.aggregate([float(s.score) for s in defence_scores(application)])
    return FirstReview(material, defence_agg, lc.combined_score(material.score, defence_agg.score))


def window_ranking(window: ApplicationWindow) -> dict[int, tuple[FirstReview, int | None]]:
    """Each submitted application of the window: its first-review result and its rank by combined score."""
    apps = db.session.scalars(sa.select(CenterApplication).where(
        CenterApplication.window_id == window.id, CenterApplication.status != ApplicationStatus.DRAFT)).all()
    reviews = {a.id: first_review(a) for a in apps}
    ranks = lc.ranking({key: r.combined for key, r in reviews.items()})
    return {key: (r, ranks.get(key)) for key, r in reviews.items()}


@use_case
def decide_review(by: User, application: CenterApplication, passed: bool, note: str = "") -> None:
    """The bureau's list: passed goes on to due diligence; not passed is rejected with the reason."""
    _in_first_review(by, application)
    if passed:
        review = first_review(application)
        session = defence(application)
        lc.check_review_pass(lc.ReviewFacts(review.material.reviews, bool(session and session.held_at),
                                            review.defence.reviews))
        _move(application, ApplicationStatus.REVIEW_PASSED)
    else:
        note = _text(note, "note", 5000)
        _move(application, ApplicationStatus.REJECTED)
        application.decided_at, application.decided_by_id, application.decision_note = utcnow(), by.id, note
    audit.record(by, "application.review_decided", "center_application", application.id, passed=passed)


# ---- due diligence and investment negotiation -----------------------------------------------


def diligence(application: CenterApplication) -> DueDiligence | None:
    return db.session.scalar(sa.select(DueDiligence).where(DueDiligence.application_id == application.id))


@use_case
def appoint_diligence(by: User, application: CenterApplication, firm: str, appointed_on: date | None = None) -> DueDiligence:
    _require_bureau(by)
    require_view(by, application)
    firm = _text(firm, "firm", 200)
    _move(application, ApplicationStatus.DUE_DILIGENCE)
    row = DueDiligence(application_id=application.id, firm=firm, appointed_on=appointed_on or clock.today(),
                       appointed_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    audit.record(by, "application.diligence_appointed", "center_application", application.id, firm=row.firm)
    db.session.flush()
    return row


def _open_diligence(by: User, application: CenterApplication) -> DueDiligence:
    _require_bureau(by)
    require_view(by, application)
    row = diligence(application)
    if row is None or application.status != ApplicationStatus.DUE_DILIGENCE:
        raise DomainError(N_("no due diligence is under way for this application"))
    if row.outcome != lc.DiligenceOutcome.PENDING:
        raise DomainError(N_("the due diligence has concluded"))
    return row


@use_case
def add_diligence_report(by: User, application: CenterApplication, stored_name: str, filename: str) -> DiligenceReport:
    row = _open_diligence(by, application)
    report = DiligenceReport(diligence_id=row.id, stored_name=stored_name, filename=filename, uploaded_by_id=by.id,
                             uploaded_at=utcnow())
    db.session.add(report)
    db.session.flush()
    audit.record(by, "application.diligence_report", "center_application", application.id, filename=filename)
    db.session.flush()
    return report


@use_case
def conclude_diligence(by: User, application: CenterApplication, findings: str, outcome: str) -> None:
    """Findings and outcome of the third party's work; a failed one rejects the application."""
    row = _open_diligence(by, application)
    if outcome not in (lc.DiligenceOutcome.PASSED, lc.DiligenceOutcome.FAILED):
        raise DomainError(N_("choose the outcome"), field="outcome")
    if not row.reports:
        raise DomainError(N_("upload the third party's report first"))
    row.findings = _text(findings, "findings")
    row.outcome, row.concluded_on = lc.DiligenceOutcome(outcome), clock.today()
    if row.outcome == lc.DiligenceOutcome.FAILED:
        _move(application, ApplicationStatus.REJECTED)
        application.decided_at, application.decided_by_id, application.decision_note = utcnow(), by.id, row.findings
    audit.record(by, "application.diligence_concluded", "center_application", application.id, outcome=outcome)


# ---- public notice (公示) ---------------------------------------------------------------------


def notice_of(application: CenterApplication) -> PublicNotice | None:
    return db.session.scalar(sa.select(PublicNotice).where(PublicNotice.application_id == application.id))


@use_case
def publish_notice(by: User, application: CenterApplication, published_on: date | None, working_days: int | None,
                   text: str) -> PublicNotice:
    """After a passed due diligence: on the public page for ``working_days`` statutory working days."""
    _require_bureau(by)
    require_view(by, application)
    row = diligence(application)
    if row is None or row.outcome != lc.DiligenceOutcome.PASSED:
        raise DomainError(N_("the due diligence has not concluded with a positive outcome"))
    published_on = published_on or clock.today()
    if published_on < clock.today():
        raise DomainError(N_("a notice cannot be published in the past"), field="published_on")
    days = lc.check_notice_days(working_days)
    text = _text(text, "text")
    _move(application, ApplicationStatus.PUBLIC_NOTICE)
    end = workdays.nth_working_day(published_on, days)
    notice = PublicNotice(application_id=application.id, published_on=published_on, working_days=days,
                          ends_on=end.day, calendar_fallback=end.fallback, text=text, published_by_id=by.id)
    db.session.add(notice)
    db.session.flush()
    audit.record(by, "application.notice_published", "public_notice", notice.id, application_id=application.id,
                 ends_on=end.day.isoformat(), fallback=end.fallback)
    db.session.flush()
    return notice


def public_notices() -> list[PublicNotice]:
    """Everything ever put on public notice, newest first (the public page)."""
    return list(db.session.scalars(sa.select(PublicNotice).where(PublicNotice.published_on <= clock.today())
                                   .order_by(PublicNotice.published_on.desc(), PublicNotice.id.desc())))


def require_public_notice(notice: PublicNotice | None) -> PublicNotice:
    if notice is None or notice.published_on > clock.today():
        raise NotFound(N_("not found"))
    return notice


@use_case
def file_objection(notice: PublicNotice, name: str, contact: str, text: str) -> NoticeObjection:
    """Anyone may object while the notice is open; the objector names themselves and a contact."""
    require_public_notice(notice)
    if not lc.notice_open(notice.published_on, notice.ends_on, clock.today()):
        raise DomainError(N_("the notice period is over; objections are no longer received"))
    row = NoticeObjection(notice_id=notice.id, name=_text(name, "name", 100), contact=_text(contact, "contact", 200),
                          text=_text(text, "text", 10000), received_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record(None, "application.objection_received", "public_notice", notice.id, objection_id=row.id)
    _notify_orgs(_bureau_orgs(), "objection", N_("An objection was received on the public notice of “%(name)s”."),
                 {"name": notice.application.proposed_name}, f"/program/applications/{notice.application_id}")
    db.session.flush()
    return row


@use_case
def answer_objection(by: User, objection: NoticeObjection, answer: str, upheld: bool) -> None:
    _require_bureau(by)
    if objection.answered_at is not None:
        raise DomainError(N_("this objection has been answered"))
    objection.answer, objection.upheld = _text(answer, "answer", 10000), bool(upheld)
    objection.answered_at, objection.answered_by_id = utcnow(), by.id
    audit.record(by, "application.objection_answered", "notice_objection", objection.id, upheld=objection.upheld)


# ---- false material and the credit file ------------------------------------------------------


@use_case
def record_false_material(by: User, application: CenterApplication, note: str) -> CreditRecord:
    """False material found at any stage: the application is disqualified and the organisation's credit file keeps it."""
    _require_bureau(by)
    require_view(by, application)
    note = _text(note, "note", 5000)
    _move(application, ApplicationStatus.DISQUALIFIED)
    application.decided_at, application.decided_by_id, application.decision_note = utcnow(), by.id, note
    row = CreditRecord(org_id=application.org_id, kind=lc.CreditKind.FALSE_MATERIAL,
                       legal_representative=application.legal_representative, application_id=application.id,
                       note=note, listed_on=clock.today(), recorded_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    audit.record(by, "application.false_material", "center_application", application.id, credit_record_id=row.id)
    db.session.flush()
    return row


def credit_file(kind: str | None = None) -> list[CreditRecord]:
    query = sa.select(CreditRecord).order_by(CreditRecord.listed_on.desc(), CreditRecord.id.desc())
    if kind:
        query = query.where(CreditRecord.kind == kind)
    return list(db.session.scalars(query))


# ---- after approval: who sees a center's lifecycle ------------------------------------------


def is_custodian(user: User | None, center: Center) -> bool:
    if user is None or not user.is_authenticated or user.role != Role.CUSTODIAN:
        return False
    book = task_book(center)
    return bool(book and book.custodian_org_id == user.org_id)


def can_view_lifecycle(user: User | None, center: Center) -> bool:
    return is_bureau(user) or is_center_staff(user, center) or is_custodian(user, center)


def require_view_lifecycle(user: User | None, center: Center) -> None:
    if not can_view_lifecycle(user, center):
        raise NotFound(N_("not found"))


def custodian_centers(user: User) -> list[Center]:
    if user.role != Role.CUSTODIAN:
        return []
    return list(db.session.scalars(sa.select(Center).join(TaskBook, TaskBook.center_id == Center.id)
                                   .where(TaskBook.custodian_org_id == user.org_id).order_by(Center.id)))


def closure(center: Center) -> CenterClosure | None:
    return db.session.scalar(sa.select(CenterClosure).where(CenterClosure.center_id == center.id))


def acceptance(center: Center) -> Acceptance | None:
    return db.session.scalar(sa.select(Acceptance).where(Acceptance.center_id == center.id))


def stage(center: Center, today: date | None = None) -> lc.Stage:
    acc = acceptance(center)
    return lc.center_stage(center.approval_date, today or clock.today(), terminated=closure(center) is not None,
                           acceptance_decided=bool(acc and acc.status != lc.AcceptanceStatus.SUBMITTED))


def stages(today: date | None = None) -> dict[int, lc.Stage]:
    """Every center's stage (the bureau's overview)."""
    today = today or clock.today()
    closed = set(db.session.scalars(sa.select(CenterClosure.center_id)))
    decided = set(db.session.scalars(sa.select(Acceptance.center_id).where(
        Acceptance.status != lc.AcceptanceStatus.SUBMITTED)))
    return {c.id: lc.center_stage(c.approval_date, today, terminated=c.id in closed, acceptance_decided=c.id in decided)
            for c in db.session.scalars(sa.select(Center))}


def pipeline() -> list[tuple[CenterApplication, lc.Stage]]:
    """Applications still on their way to become a center, with their stage."""
    rows = db.session.scalars(sa.select(CenterApplication).where(CenterApplication.status.in_(lc.UNDER_WAY))
                              .order_by(CenterApplication.id)).all()
    return [(a, lc.APPLICATION_STAGE[a.status]) for a in rows]


@dataclass(frozen=True)
class Milestone:
    key: str  # company_founded, equity_agreement, business_started
    done_on: date | None
    due: date | None


def foundation(center: Center) -> list[Milestone]:
    """The foundation year's milestones: the company founded, the equity agreement (exit case 1),
    operation business started (exit case 2)."""
    book = task_book(center)
    founded = clock.utc_naive_to_local(center.org.created_at).date() if center.org and center.org.created_at else None
    return [
        Milestone("company_founded", founded, center.approval_date),
        Milestone("equity_agreement", book.equity_agreement_signed_on if book else None,
                  rules.add_months(book.signed_on, rules.EQUITY_AGREEMENT_MONTHS) if book else None),
        Milestone("business_started", first_business_on(center, clock.today()),
                  rules.add_months(book.signed_on, rules.BUSINESS_START_MONTHS) if book else None),
    ]


# ---- the custodian: equity injections -----------------------------------------------------------


def injections(center: Center) -> list[EquityInjection]:
    return list(db.session.scalars(sa.select(EquityInjection).where(EquityInjection.center_id == center.id)
                                   .order_by(EquityInjection.on, EquityInjection.id)))


def equity_total(center: Center) -> int:
    total = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(EquityInjection.amount_fen), 0))
                              .where(EquityInjection.center_id == center.id))
    return int(total or 0)  # PostgreSQL sums a BIGINT as NUMERIC


@use_case
def record_injection(by: User, center: Center, amount_fen: int | None, on: date | None, note: str = "") -> EquityInjection:
    """The custodian named on the task book records money injected into the center company as equity."""
    if not is_custodian(by, center):
        raise Forbidden(N_("only the custodian of this center may record equity injections"))
    book = task_book(center)
    if closure(center) is not None:
        raise DomainError(N_("the project has been terminated"))
    if not amount_fen or amount_fen <= 0:
        raise DomainError(N_("enter the amount injected"), field="amount")
    if on is None or on > clock.today():
        raise DomainError(N_("the date is in the future") if on else N_("this field is required"), field="on")
    if on < book.signed_on:
        raise DomainError(N_("equity is injected after the task book is signed"), field="on")
    row = EquityInjection(center_id=center.id, amount_fen=amount_fen, on=on, note=(note or "").strip()[:2000],
                          recorded_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    audit.record(by, "center.equity_injected", "equity_injection", row.id, center_id=center.id, amount_fen=amount_fen)
    db.session.flush()
    return row


# ---- post-investment management: fund-use reports -------------------------------------------


def fund_reports(center: Center) -> list[FundUseReport]:
    return list(db.session.scalars(sa.select(FundUseReport).where(FundUseReport.center_id == center.id)
                                   .order_by(FundUseReport.year)))


@use_case
def file_fund_report(by: User, center: Center, year: int | None, used_fen: int | None, summary: str,
                     stored_name: str = "", filename: str = "") -> FundUseReport:
    """The center's staff file the yearly report on the use of the equity funds."""
    if not is_center_staff(by, center):
        raise Forbidden(N_("only this center's staff may do this"))
    if closure(center) is not None:
        raise DomainError(N_("the project has been terminated"))
    if center.approval_date is None:
        raise DomainError(N_("the center has no approval date"))
    year = lc.check_fund_report_year(year, center.approval_date, clock.today())
    if used_fen is None:
        raise DomainError(N_("this field is required"), field="used")
    if db.session.scalar(sa.select(FundUseReport.id).where(FundUseReport.center_id == center.id,
                                                           FundUseReport.year == year)):
        raise DomainError(N_("the report on project year {year} has been filed"), field="year", year=year)
    row = FundUseReport(center_id=center.id, year=year, used_fen=used_fen, summary=_text(summary, "summary"),
                        stored_name=stored_name, filename=filename, filed_by_id=by.id, filed_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record(by, "center.fund_report_filed", "fund_use_report", row.id, center_id=center.id, year=year)
    _notify_orgs(_bureau_orgs(), "fund_report", N_("%(center)s filed its fund-use report on project year %(year)s."),
                 {"center": center.name, "year": year}, f"/program/centers/{center.id}/lifecycle")
    db.session.flush()
    return row


@use_case
def review_fund_report(by: User, report: FundUseReport, misuse: bool, note: str) -> None:
    """The bureau accepts the report, or finds misuse: the project is terminated, the equity withdrawn,
    and the center company and its shareholders go on the serious-dishonesty list with a three-year ban."""
    _require_bureau(by)
    new = lc.check_fund_review(report.status, lc.FundReportStatus.MISUSE if misuse else lc.FundReportStatus.ACCEPTED)
    note = _text(note, "note", 5000) if misuse else (note or "").strip()[:5000]
    report.status, report.review_note, report.reviewed_by_id, report.reviewed_at = new, note, by.id, utcnow()
    audit.record(by, "center.fund_report_reviewed", "fund_use_report", report.id, status=new.value)
    if misuse:
        _terminate(by, db.session.get(Center, report.center_id), report, note)


def _terminate(by: User, center: Center, report: FundUseReport, note: str) -> None:
    today = clock.today()
    db.session.add(CenterClosure(center_id=center.id, closed_on=today, reason=note, fund_report_id=report.id,
                                 closed_by_id=by.id))
    invested = equity_total(center)
    if invested > 0:
        db.session.add(EquityInjection(center_id=center.id, amount_fen=-invested, on=today, recorded_by_id=by.id,
                                       note=note))
    lead = db.session.scalar(sa.select(CenterApplication).where(CenterApplication.center_id == center.id))
    listed = {center.org_id: ""} | {o.id: "" for o in center.founders}
    if lead is not None:
        listed[lead.org_id] = lead.legal_representative
    for org_id, person in listed.items():
        db.session.add(CreditRecord(org_id=org_id, kind=lc.CreditKind.SERIOUS_DISHONESTY, legal_representative=person,
                                    center_id=center.id, note=note, listed_on=today, banned_until=lc.ban_until(today),
                                    recorded_by_id=by.id))
    db.session.flush()
    audit.record(by, "center.terminated", "center", center.id, withdrawn_fen=invested, listed=sorted(listed))
    _notify_orgs([center.org_id], "terminated", N_("The project of %(center)s was terminated for misuse of funds."),
                 {"center": center.name}, f"/program/centers/{center.id}/lifecycle")


def dishonesty_list() -> list[CreditRecord]:
    """The public serious-dishonesty list (严重失信名单) with the ban of each entry."""
    return credit_file(lc.CreditKind.SERIOUS_DISHONESTY)


# ---- final acceptance ---------------------------------------------------------------------


def acceptance_documents(center: Center) -> list[AcceptanceDocument]:
    return list(db.session.scalars(sa.select(AcceptanceDocument).where(AcceptanceDocument.center_id == center.id)
                                   .order_by(AcceptanceDocument.id)))


@use_case
def add_acceptance_document(by: User, center: Center, kind: str, stored_name: str, filename: str) -> AcceptanceDocument:
    if not is_center_staff(by, center):
        raise Forbidden(N_("only this center's staff may do this"))
    if acceptance(center) is not None:
        raise DomainError(N_("the acceptance materials have been submitted"))
    if kind not in lc.ACCEPTANCE_DOCUMENTS:
        raise DomainError(N_("choose what the document is"), field="kind")
    row = AcceptanceDocument(center_id=center.id, kind=kind, stored_name=stored_name, filename=filename,
                             uploaded_by_id=by.id, uploaded_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record(by, "center.acceptance_document", "acceptance_document", row.id, center_id=center.id, kind=kind)
    db.session.flush()
    return row


@use_case
def submit_acceptance(by: User, center: Center, summary: str) -> Acceptance:
    if not is_center_staff(by, center):
        raise Forbidden(N_("only this center's staff may do this"))
    if closure(center) is not None:
        raise DomainError(N_("the project has been terminated"))
    if acceptance(center) is not None:
        raise DomainError(N_("the acceptance materials have been submitted"))
    documents = acceptance_documents(center)
    lc.check_acceptance_submission(center.approval_date, clock.today(), {d.kind for d in documents})
    row = Acceptance(center_id=center.id, summary=_text(summary, "summary"), submitted_by_id=by.id, submitted_at=utcnow())
    db.session.add(row)
    db.session.flush()
    for d in documents:
        d.acceptance_id = row.id
    audit.record(by, "center.acceptance_submitted", "acceptance", row.id, center_id=center.id)
    _notify_orgs(_bureau_orgs(), "acceptance", N_("%(center)s submitted its acceptance materials."),
                 {"center": center.name}, f"/program/centers/{center.id}/lifecycle")
    db.session.flush()
    return row


@use_case
def assign_acceptance_expert(by: User, acc: Acceptance, expert: User | None) -> AcceptanceReview:
    _require_bureau(by)
    if acc.status != lc.AcceptanceStatus.SUBMITTED:
        raise DomainError(N_("the acceptance outcome has already been recorded"))
    if expert is None or expert.role != Role.EXPERT or not expert.active:
        raise DomainError(N_("choose an expert"), field="expert_id")
    center = acc.center
    if expert.org_id == center.org_id or expert.org_id in {o.id for o in center.founders}:
        raise DomainError(N_("an expert may not review their own organisation's application"), field="expert_id")
    if any(r.expert_id == expert.id for r in acc.reviews):
        raise DomainError(N_("this expert is already assigned"), field="expert_id")
    row = AcceptanceReview(acceptance_id=acc.id, expert_id=expert.id, assigned_by_id=by.id, assigned_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record(by, "center.acceptance_expert", "acceptance", acc.id, expert_id=expert.id)
    _notify_orgs([expert.org_id], "acceptance_review", N_("You are asked to score the final acceptance of %(center)s."),
                 {"center": center.name}, f"/program/acceptances/{acc.id}")
    db.session.flush()
    return row


def acceptance_review_of(acc: Acceptance, user: User | None) -> AcceptanceReview | None:
    if user is None or not user.is_authenticated:
        return None
    return next((r for r in acc.reviews if r.expert_id == user.id), None)


def require_view_acceptance(user: User | None, acc: Acceptance | None) -> Acceptance:
    if acc is None or not (can_view_lifecycle(user, acc.center) or acceptance_review_of(acc, user) is not None):
        raise NotFound(N_("not found"))
    return acc


@use_case
def score_acceptance(by: User, acc: Acceptance, score: int | None, comment: str = "") -> AcceptanceReview:
    review = acceptance_review_of(acc, by)
    if review is None:
        raise Forbidden(N_("only the experts assigned to this acceptance score it"))
    if acc.status != lc.AcceptanceStatus.SUBMITTED:
        raise DomainError(N_("the acceptance outcome has already been recorded"))
    lc.check_score_100(score)
    review.score, review.comment, review.scored_at = score, (comment or "").strip()[:5000], utcnow()
    audit.record(by, "center.acceptance_scored", "acceptance", acc.id, score=score)
    db.session.flush()
    return review


def acceptance_result(acc: Acceptance) -> rules.Aggregate:
    return rules.aggregate([float(r.score) if r.score is not None else None for r in acc.reviews])


@use_case
def decide_acceptance(by: User, acc: Acceptance, passed: bool, note: str) -> None:
    _require_bureau(by)
    lc.check_acceptance_decision(acc.status, len(acc.reviews), sum(1 for r in acc.reviews if r.score is not None))
    acc.status = lc.AcceptanceStatus.PASSED if passed else lc.AcceptanceStatus.FAILED
    acc.outcome_note = _text(note, "note", 5000)
    acc.decided_by_id, acc.decided_at = by.id, utcnow()
    audit.record(by, "center.acceptance_decided", "acceptance", acc.id, passed=passed,
                 score=acceptance_result(acc).score)
    _notify_orgs([acc.center.org_id], "acceptance_decided", N_("The bureau recorded the acceptance of %(center)s."),
                 {"center": acc.center.name}, f"/program/centers/{acc.center_id}/lifecycle")


# ---- notifications for deadlines ------------------------------------------------------------

NOTICE_REMINDER_WORKING_DAYS = 2
FUND_REPORT_REMINDER_DAYS = 30
ACCEPTANCE_REMINDER_DAYS = 90
ACTING_ROLES = (Role.BUREAU_STAFF, Role.CENTER_STAFF, Role.ORG_ADMIN, Role.EXPERT, Role.CUSTODIAN)


def _bureau_orgs() -> list[int]:
    return list(db.session.scalars(sa.select(Organisation.id).where(Organisation.kind == OrgKind.BUREAU)))


def _notify_orgs(org_ids, kind: str, message: str, params: dict, link: str) -> int:
    """A notice to each organisation and an e-mail to its people who act on it; nothing twice."""
    sent = 0
    for org_id in dict.fromkeys(org_ids):
        same = db.session.scalars(sa.select(Notification).where(Notification.org_id == org_id, Notification.kind == kind,
                                                                Notification.link == link))
        if any(n.params == params and n.message == message for n in same):
            continue
        db.session.add(Notification(org_id=org_id, kind=kind, message=message, params=params, link=link,
                                    created_at=utcnow()))
        for user in db.session.scalars(sa.select(User).where(User.org_id == org_id, User.active.is_(True),
                                                             User.role.in_(ACTING_ROLES))):
            db.session.add(OutboxEmail(to_user_id=user.id, to_address=user.email, subject="知识产权运营中心 / IP operation centers",
                                       body=(message % params) + f"\n\n{link}"))
        sent += 1
    return sent


@use_case
def send_reminders(today: date | None = None) -> int:
    """Deadline notices: a public notice period ending (the bureau), a fund-use report due (the center),
    acceptance due (the center). Safe to run every day: a reminder goes out once."""
    today = today or clock.today()
    sent = 0
    for notice in db.session.scalars(sa.select(PublicNotice).join(CenterApplication).where(
            CenterApplication.status == ApplicationStatus.PUBLIC_NOTICE)):
        if workdays.working_days_between(today, notice.ends_on) <= NOTICE_REMINDER_WORKING_DAYS:
            sent += _notify_orgs(_bureau_orgs(), "notice_ending",
                                 N_("The public notice of “%(name)s” ends on %(day)s."),
                                 {"name": notice.application.proposed_name, "day": notice.ends_on.isoformat()},
                                 f"/program/applications/{notice.application_id}")
    closed = set(db.session.scalars(sa.select(CenterClosure.center_id)))
    for center in db.session.scalars(sa.select(Center).where(Center.approval_date.is_not(None))):
        if center.id in closed:
            continue
        filed = {r.year for r in fund_reports(center)}
        link = f"/program/centers/{center.id}/lifecycle"
        for year in range(1, lc.CONSTRUCTION_YEARS + 1):
            due = lc.fund_report_due(center.approval_date, year)
            if year not in filed and today <= due + timedelta(days=366) and (due - today).days <= FUND_REPORT_REMINDER_DAYS \
                    and today >= rules.add_months(center.approval_date, 12 * (year - 1)):
                sent += _notify_orgs([center.org_id], "fund_report_due",
                                     N_("The fund-use report on project year %(year)s is due on %(day)s."),
                                     {"year": year, "day": due.isoformat()}, link)
        end = lc.construction_ends_on(center.approval_date)
        if acceptance(center) is None and (end - today).days <= ACCEPTANCE_REMINDER_DAYS:
            sent += _notify_orgs([center.org_id], "acceptance_due",
                                 N_("The construction period ends on %(day)s: submit the acceptance materials."),
                                 {"day": end.isoformat()}, link)
    return sent
