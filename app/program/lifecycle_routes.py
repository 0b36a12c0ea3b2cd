"""A center's life: the application's conditions, oral defence, bureau list, due diligence,
public notice and objections, false material; after approval the lifecycle page (foundation,
the custodian's equity injections, fund-use reports, acceptance), the public notice and
dishonesty pages and the custodian's list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, translate_domain
from ..domain import center_lifecycle as lc
from ..domain import workdays
from ..domain.errors import DomainError
from ..extensions import db, limiter
from ..models import (
    Acceptance,
    AcceptanceDocument,
    ApplicationStatus,
    Center,
    CenterApplication,
    DiligenceReport,
    FundUseReport,
    NoticeObjection,
    PublicNotice,
    Role,
    User,
)
from ..services import applications as app_service
from ..services import clock, uploads
from ..services import lifecycle as life
from ..services import program as ps
from ..services.centers import is_center_staff
from ..route_helpers import get_or_404, permission_errors
from . import bp
from .forms import (
    AcceptanceDecisionForm,
    AcceptanceDocumentForm,
    AcceptanceForm,
    AcceptanceScoreForm,
    AssignForm,
    AttendanceForm,
    ConditionForm,
    DefenceForm,
    DefenceScoreForm,
    DiligenceForm,
    DiligenceOutcomeForm,
    DiligenceReportForm,
    FalseMaterialForm,
    FundReportForm,
    FundReviewForm,
    InjectionForm,
    NoticeForm,
    ObjectionAnswerForm,
    ObjectionForm,
    ReviewDecisionForm,
)

# ---- shared steps ---------------------------------------------------------------------------


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")


def _post(form, action, back: str, allowed: bool):
    """Who may act is checked first (403); then validate the form, run one service call, flash the
    outcome, go back (POST-redirect-GET)."""
    if not allowed:
        abort(403)
    if form.validate_on_submit():
        with permission_errors():
            try:
                action(form)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Saved."), "success")
    else:
        _flash_errors(form)
    return redirect(back)


def _send(stored: str, filename: str):
    try:
        path = uploads.path_of(stored)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, as_attachment=True, download_name=filename or path.name)


def _upload(form) -> tuple[str, str]:
    if form.file.data and getattr(form.file.data, "filename", ""):
        return uploads.save(form.file.data)
    return "", ""


def _translated(err: DomainError | None) -> str | None:
    return translate_domain(err) if err is not None else None


def _bureau() -> bool:
    return ps.is_bureau(current_user)


def _application(application_id: int) -> CenterApplication:
    application = db.session.get(CenterApplication, application_id)
    with permission_errors():
        app_service.require_view(current_user, application)
    return application


def _back(application: CenterApplication) -> str:
    return url_for("program.application_detail", application_id=application.id)


# ---- the application page's lifecycle part --------------------------------------------------


def lifecycle_context(application: CenterApplication, bureau: bool, applicant: bool) -> dict:
    """What the application page shows of conditions, first review, diligence and notice, and the
    forms the current user may use at this stage."""
    status = application.status
    session = life.defence(application)
    assignment = app_service.assignment_of(application, current_user)
    diligence = life.diligence(application)
    notice = life.notice_of(application)
    first = status == ApplicationStatus.SUBMITTED
    scores = life.defence_scores(application)
    own_score = next((s for s in scores if s.expert_id == current_user.id), None)
    score_form = None
    if assignment and first and session and session.held_at:
        score_form = DefenceScoreForm(prefix="defence", data={"score": own_score.score, "comment": own_score.comment}
                                      if own_score else None)
    defence_form = None
    if bureau and first and not (session and session.held_at):
        local = clock.utc_naive_to_local(session.scheduled_at).replace(tzinfo=None) if session else None
        defence_form = DefenceForm(prefix="schedule", data={"scheduled_at": local, "place": session.place}
                                   if session else None)
    return {
        "stage": lc.APPLICATION_STAGE.get(status),
        "conditions": app_service.conditions(application),
        "condition_form": ConditionForm(prefix="condition") if applicant and status == ApplicationStatus.DRAFT else None,
        "defence": session,
        "defence_scores": scores if bureau else ([own_score] if own_score else []),
        "first_review": life.first_review(application) if bureau and status != ApplicationStatus.DRAFT else None,
        "defence_form": defence_form,
        "attendance_form": AttendanceForm(prefix="attendance") if bureau and first and session and not session.held_at
        else None,
        "defence_score_form": score_form,
        "review_form": ReviewDecisionForm(prefix="review") if bureau and first else None,
        "diligence": diligence if (bureau or applicant) else None,
        "diligence_form": DiligenceForm(prefix="diligence") if bureau and status == ApplicationStatus.REVIEW_PASSED
        else None,
        "diligence_open": bureau and diligence is not None and status == ApplicationStatus.DUE_DILIGENCE
        and diligence.outcome == lc.DiligenceOutcome.PENDING,
        "report_form": DiligenceReportForm(prefix="report"),
        "outcome_form": DiligenceOutcomeForm(prefix="outcome"),
        "notice": notice,
        "notice_form": NoticeForm(prefix="notice", data={"published_on": clock.today(), "working_days": 5})
        if bureau and notice is None and diligence is not None and diligence.outcome == lc.DiligenceOutcome.PASSED
        and status == ApplicationStatus.DUE_DILIGENCE else None,
        "answer_form": ObjectionAnswerForm(prefix="answer") if bureau else None,
        "false_form": FalseMaterialForm(prefix="false") if bureau and ApplicationStatus.DISQUALIFIED in
        lc.TRANSITIONS[status] else None,
        "ban": _translated(app_service.ban_refusal(application)) if applicant and status == ApplicationStatus.DRAFT
        else None,
        "calendar_unknown": workdays.unknown_years(application.window.opens_on, application.window.closes_on),
    }


@bp.route("/applications/<int:application_id>/conditions", methods=["POST"])
@login_required
def set_condition(application_id: int):
    application = _application(application_id)

    def action(form):
        stored, original = _upload(form)
        life.set_condition(current_user, application, form.key.data, form.statement.data, stored, original)

    return _post(ConditionForm(prefix="condition"), action, _back(application),
                 app_service.is_applicant(current_user, application))


@bp.route("/applications/<int:application_id>/conditions/<key>/proof")
@login_required
def condition_proof(application_id: int, key: str):
    application = _application(application_id)
    row = dict(app_service.conditions(application)).get(key)
    if row is None or not row.stored_name:
        abort(404)
    return _send(row.stored_name, row.filename)


@bp.route("/applications/<int:application_id>/defence", methods=["POST"])
@login_required
def schedule_defence(application_id: int):
    application = _application(application_id)
    return _post(DefenceForm(prefix="schedule"), lambda f: life.schedule_defence(
        current_user, application, f.scheduled_at.data, f.place.data), _back(application), _bureau())


@bp.route("/applications/<int:application_id>/defence/attendance", methods=["POST"])
@login_required
def record_attendance(application_id: int):
    application = _application(application_id)
    return _post(AttendanceForm(prefix="attendance"), lambda f: life.record_attendance(
        current_user, application, f.attendance.data), _back(application), _bureau())


@bp.route("/applications/<int:application_id>/defence/score", methods=["POST"])
@login_required
def score_defence(application_id: int):
    application = _application(application_id)
    return _post(DefenceScoreForm(prefix="defence"), lambda f: life.score_defence(
        current_user, application, f.score.data, f.comment.data or ""), _back(application),
        app_service.assignment_of(application, current_user) is not None)


@bp.route("/applications/<int:application_id>/review-decision", methods=["POST"])
@login_required
def decide_review(application_id: int):
    application = _application(application_id)
    return _post(ReviewDecisionForm(prefix="review"), lambda f: life.decide_review(
        current_user, application, f.passed.data == "1", f.note.data or ""), _back(application), _bureau())


@bp.route("/applications/<int:application_id>/diligence", methods=["POST"])
@login_required
def appoint_diligence(application_id: int):
    application = _application(application_id)
    return _post(DiligenceForm(prefix="diligence"), lambda f: life.appoint_diligence(
        current_user, application, f.firm.data), _back(application), _bureau())


@bp.route("/applications/<int:application_id>/diligence/reports", methods=["POST"])
@login_required
def diligence_report(application_id: int):
    application = _application(application_id)

    def action(form):
        stored, original = uploads.save(form.file.data)
        life.add_diligence_report(current_user, application, stored, original)

    return _post(DiligenceReportForm(prefix="report"), action, _back(application), _bureau())


@bp.route("/applications/<int:application_id>/diligence/reports/<int:report_id>")
@login_required
def diligence_report_file(application_id: int, report_id: int):
    application = _application(application_id)
    row = db.session.get(DiligenceReport, report_id)
    diligence = life.diligence(application)
    allowed = ps.is_bureau(current_user) or app_service.is_applicant(current_user, application)
    if row is None or diligence is None or row.diligence_id != diligence.id or not allowed:
        abort(404)
    return _send(row.stored_name, row.filename)


@bp.route("/applications/<int:application_id>/diligence/outcome", methods=["POST"])
@login_required
def diligence_outcome(application_id: int):
    application = _application(application_id)
    return _post(DiligenceOutcomeForm(prefix="outcome"), lambda f: life.conclude_diligence(
        current_user, application, f.findings.data, f.outcome.data), _back(application), _bureau())


@bp.route("/applications/<int:application_id>/notice", methods=["POST"])
@login_required
def publish_notice(application_id: int):
    application = _application(application_id)
    return _post(NoticeForm(prefix="notice"), lambda f: life.publish_notice(
        current_user, application, f.published_on.data, f.working_days.data, f.text.data), _back(application), _bureau())


@bp.route("/applications/<int:application_id>/objections/<int:objection_id>/answer", methods=["POST"])
@login_required
def answer_objection(application_id: int, objection_id: int):
    application = _application(application_id)
    objection = db.session.get(NoticeObjection, objection_id)
    notice = life.notice_of(application)
    if objection is None or notice is None or objection.notice_id != notice.id:
        abort(404)
    return _post(ObjectionAnswerForm(prefix="answer"), lambda f: life.answer_objection(
        current_user, objection, f.answer.data, f.upheld.data), _back(application), _bureau())


@bp.route("/applications/<int:application_id>/false-material", methods=["POST"])
@login_required
def false_material(application_id: int):
    application = _application(application_id)
    return _post(FalseMaterialForm(prefix="false"), lambda f: life.record_false_material(
        current_user, application, f.note.data), _back(application), _bureau())


# ---- public pages: notices and the serious-dishonesty list ------------------------------------


@bp.route("/notices")
def notices():
    return render_template("program/notices.html", notices=life.public_notices(), today=clock.today())


def _objection_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]  # an anonymous public form, like registration


@bp.route("/notices/<int:notice_id>", methods=["GET", "POST"])
@limiter.limit(_objection_limit, exempt_when=lambda: request.method != "POST")
def notice_detail(notice_id: int):
    with permission_errors():
        notice = life.require_public_notice(db.session.get(PublicNotice, notice_id))
    is_open = lc.notice_open(notice.published_on, notice.ends_on, clock.today())
    form = ObjectionForm() if is_open else None
    if form is not None and form.validate_on_submit():
        try:
            life.file_objection(notice, form.name.data, form.contact.data, form.text.data)
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            flash(_("Your objection was received. The bureau will answer it."), "success")
            return redirect(url_for("program.notice_detail", notice_id=notice.id))
    elif form is None and request.method == "POST":
        flash(_("The notice period is over; objections are no longer received."), "danger")
        return redirect(url_for("program.notice_detail", notice_id=notice.id))
    return render_template("program/notice_detail.html", notice=notice, form=form, is_open=is_open,
                           unknown=workdays.unknown_years(notice.published_on, notice.ends_on))


@bp.route("/dishonesty")
def dishonesty():
    """The public serious-dishonesty list; the bureau also sees the whole credit file."""
    bureau = ps.is_bureau(current_user)
    return render_template("program/dishonesty.html", rows=life.dishonesty_list(), today=clock.today(),
                           credit=life.credit_file() if bureau else None)


# ---- after approval: the lifecycle page ---------------------------------------------------------


def _center(center_id: int) -> Center:
    center = get_or_404(Center, center_id)
    with permission_errors():
        life.require_view_lifecycle(current_user, center)
    return center


def _lifecycle_url(center: Center) -> str:
    return url_for("program.lifecycle", center_id=center.id)


@bp.route("/centers/<int:center_id>/lifecycle")
@login_required
def lifecycle(center_id: int):
    center = _center(center_id)
    today = clock.today()
    bureau = ps.is_bureau(current_user)
    staff = is_center_staff(current_user, center)
    custodian = life.is_custodian(current_user, center)
    acc = life.acceptance(center)
    closed = life.closure(center)
    assign_form = None
    if bureau and acc is not None and acc.status == lc.AcceptanceStatus.SUBMITTED:
        taken = {r.expert_id for r in acc.reviews}
        assign_form = AssignForm(prefix="assign")
        experts = db.session.scalars(sa.select(User).where(User.role == Role.EXPERT, User.active.is_(True))
                                     .order_by(User.name)).all()
        assign_form.expert_id.choices = [(u.id, f"{u.name} · {u.org.name}") for u in experts if u.id not in taken]
    ends = lc.construction_ends_on(center.approval_date) if center.approval_date else None
    return render_template(
        "program/lifecycle.html", center=center, today=today, stage=life.stage(center, today), bureau=bureau,
        staff=staff, custodian=custodian, book=app_service.task_book(center), milestones=life.foundation(center),
        injections=life.injections(center), equity_total=life.equity_total(center), reports=life.fund_reports(center),
        closure=closed, acceptance=acc, documents=life.acceptance_documents(center), construction_ends=ends,
        result=life.acceptance_result(acc) if acc else None, project_year=center.project_year(today),
        application=db.session.scalar(sa.select(CenterApplication).where(CenterApplication.center_id == center.id)),
        injection_form=InjectionForm(prefix="inject") if custodian and not closed else None,
        report_form=FundReportForm(prefix="fund", data={"year": max(1, min(5, center.project_year(today)))})
        if staff and not closed else None,
        review_form=FundReviewForm(prefix="review") if bureau else None,
        document_form=AcceptanceDocumentForm(prefix="doc") if staff and acc is None and not closed else None,
        acceptance_form=AcceptanceForm(prefix="acc") if staff and acc is None and not closed and ends and today > ends
        else None,
        assign_form=assign_form,
        decision_form=AcceptanceDecisionForm(prefix="decide") if bureau and acc is not None
        and acc.status == lc.AcceptanceStatus.SUBMITTED else None,
        button=EmptyForm(),
    )


@bp.route("/centers/<int:center_id>/lifecycle/injections", methods=["POST"])
@login_required
def record_injection(center_id: int):
    center = _center(center_id)
    return _post(InjectionForm(prefix="inject"), lambda f: life.record_injection(
        current_user, center, f.amount.data, f.on.data, f.note.data or ""), _lifecycle_url(center),
        life.is_custodian(current_user, center))


@bp.route("/centers/<int:center_id>/lifecycle/fund-reports", methods=["POST"])
@login_required
def file_fund_report(center_id: int):
    center = _center(center_id)

    def action(form):
        stored, original = _upload(form)
        life.file_fund_report(current_user, center, form.year.data, form.used.data, form.summary.data, stored, original)

    return _post(FundReportForm(prefix="fund"), action, _lifecycle_url(center), is_center_staff(current_user, center))


def _fund_report(center: Center, report_id: int) -> FundUseReport:
    row = db.session.get(FundUseReport, report_id)
    if row is None or row.center_id != center.id:
        abort(404)
    return row


@bp.route("/centers/<int:center_id>/lifecycle/fund-reports/<int:fund_report_id>/review", methods=["POST"])
@login_required
def review_fund_report(center_id: int, fund_report_id: int):
    center = _center(center_id)
    report = _fund_report(center, fund_report_id)
    return _post(FundReviewForm(prefix="review"), lambda f: life.review_fund_report(
        current_user, report, f.verdict.data == "misuse", f.note.data or ""), _lifecycle_url(center), _bureau())


@bp.route("/centers/<int:center_id>/lifecycle/fund-reports/<int:fund_report_id>/file")
@login_required
def fund_report_file(center_id: int, fund_report_id: int):
    report = _fund_report(_center(center_id), fund_report_id)
    if not report.stored_name:
        abort(404)
    return _send(report.stored_name, report.filename)


@bp.route("/centers/<int:center_id>/lifecycle/acceptance/documents", methods=["POST"])
@login_required
def acceptance_document(center_id: int):
    center = _center(center_id)

    def action(form):
        stored, original = uploads.save(form.file.data)
        life.add_acceptance_document(current_user, center, form.kind.data, stored, original)

    return _post(AcceptanceDocumentForm(prefix="doc"), action, _lifecycle_url(center),
                 is_center_staff(current_user, center))


@bp.route("/centers/<int:center_id>/lifecycle/acceptance/documents/<int:document_id>")
@login_required
def acceptance_document_file(center_id: int, document_id: int):
    center = get_or_404(Center, center_id)
    row = db.session.get(AcceptanceDocument, document_id)
    if row is None or row.center_id != center.id:
        abort(404)
    acc = life.acceptance(center)
    if not (life.can_view_lifecycle(current_user, center) or (acc and life.acceptance_review_of(acc, current_user))):
        abort(404)
    return _send(row.stored_name, row.filename)


@bp.route("/centers/<int:center_id>/lifecycle/acceptance", methods=["POST"])
@login_required
def submit_acceptance(center_id: int):
    center = _center(center_id)
    return _post(AcceptanceForm(prefix="acc"), lambda f: life.submit_acceptance(current_user, center, f.summary.data),
                 _lifecycle_url(center), is_center_staff(current_user, center))


def _acceptance(acceptance_id: int) -> Acceptance:
    acc = db.session.get(Acceptance, acceptance_id)
    with permission_errors():
        life.require_view_acceptance(current_user, acc)
    return acc


@bp.route("/acceptances/<int:acceptance_id>", methods=["GET", "POST"])
@login_required
def acceptance_review(acceptance_id: int):
    """The acceptance materials for an assigned expert, with their score form."""
    acc = _acceptance(acceptance_id)
    review = life.acceptance_review_of(acc, current_user)
    form = None
    if review is not None and acc.status == lc.AcceptanceStatus.SUBMITTED:
        form = AcceptanceScoreForm(data={"score": review.score, "comment": review.comment}
                                   if request.method == "GET" and review.score is not None else None)
        if form.validate_on_submit():
            with permission_errors():
                try:
                    life.score_acceptance(current_user, acc, form.score.data, form.comment.data or "")
                except DomainError as err:
                    flash(translate_domain(err), "danger")
                else:
                    flash(_("Saved."), "success")
                    return redirect(url_for("program.acceptance_review", acceptance_id=acc.id))
    elif request.method == "POST":
        abort(403)
    return render_template("program/acceptance.html", acceptance=acc, center=acc.center, review=review, form=form,
                           documents=life.acceptance_documents(acc.center))


@bp.route("/acceptances/<int:acceptance_id>/assign", methods=["POST"])
@login_required
def assign_acceptance_expert(acceptance_id: int):
    acc = _acceptance(acceptance_id)
    form = AssignForm(prefix="assign")
    form.expert_id.choices = []
    return _post(form, lambda f: life.assign_acceptance_expert(
        current_user, acc, db.session.get(User, f.expert_id.data) if f.expert_id.data else None),
                 _lifecycle_url(acc.center), _bureau())


@bp.route("/acceptances/<int:acceptance_id>/decide", methods=["POST"])
@login_required
def decide_acceptance(acceptance_id: int):
    acc = _acceptance(acceptance_id)
    return _post(AcceptanceDecisionForm(prefix="decide"), lambda f: life.decide_acceptance(
        current_user, acc, f.passed.data == "1", f.note.data), _lifecycle_url(acc.center), _bureau())


@bp.route("/custodian")
@login_required
def custodian():
    """The custodian's centers: equity injected and the fund-use reports to read."""
    if current_user.role != Role.CUSTODIAN:
        abort(403)
    centers = life.custodian_centers(current_user)
    return render_template("program/custodian.html", rows=[(c, life.equity_total(c), life.fund_reports(c),
                                                            life.stage(c)) for c in centers])
