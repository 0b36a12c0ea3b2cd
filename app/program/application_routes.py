"""Applications (申报): the bureau's windows and criteria, the applicant's form, feasibility
report and uploads, expert scoring, and the bureau's decision."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, apply_error, translate_domain
from ..domain import program as rules
from ..domain import workdays
from ..domain.center_lifecycle import UNDER_WAY
from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import (
    ApplicationDocument,
    ApplicationStatus,
    ApplicationWindow,
    CenterApplication,
    Organisation,
    OrgKind,
    Role,
    User,
)
from ..services import applications as app_service
from ..services import clock, uploads
from ..services import lifecycle as life
from ..services import program as ps
from ..route_helpers import get_or_404, permission_errors
from . import bp
from .lifecycle_routes import lifecycle_context
from .forms import (
    ApplicationForm,
    ApproveForm,
    AssignForm,
    CriteriaForm,
    DocumentForm,
    RejectForm,
    WindowForm,
    score_form,
)


def parse_criteria(text: str) -> list[tuple[str, int, int]]:
    """``name | max | weight`` a line (full-width ｜ too)."""
    criteria = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        try:
            name, max_score, weight = parts[0], int(parts[1]), int(parts[2]) if len(parts) > 2 else 1
        except (IndexError, ValueError) as err:
            raise DomainError(N_("line {n}: write name | maximum points | weight"), field="criteria", n=n) from err
        criteria.append((name, max_score, weight))
    return criteria


def _window_data(form) -> app_service.WindowData:
    return app_service.WindowData(form.title.data, form.opens_on.data, form.closes_on.data, form.hours.data or "",
                                  form.weekdays_only.data, form.closed_dates.data or "")


# ---- windows (the bureau) --------------------------------------------------------------------


@bp.route("/windows", methods=["GET", "POST"])
@login_required
def windows():
    bureau = ps.is_bureau(current_user)
    form = WindowForm() if bureau else None
    if form is not None and form.validate_on_submit():
        with permission_errors():
            try:
                window = app_service.create_window(current_user, _window_data(form), parse_criteria(form.criteria.data))
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Window saved."), "success")
                return redirect(url_for("program.window_detail", window_id=window.id))
    elif form is None and request.method == "POST":
        abort(403)
    rows = db.session.scalars(sa.select(ApplicationWindow).order_by(ApplicationWindow.opens_on.desc())).all()
    return render_template("program/windows.html", windows=rows, form=form, bureau=bureau,
                           is_open=app_service.window_open_now, today=clock.today())


@bp.route("/windows/<int:window_id>", methods=["GET", "POST"])
@login_required
def window_detail(window_id: int):
    window = get_or_404(ApplicationWindow, window_id)
    bureau = ps.is_bureau(current_user)
    form = criteria_form = None
    if bureau:
        form = WindowForm(prefix="window", obj=window if request.method == "GET" else None)
        criteria_form = CriteriaForm(prefix="criteria")
        if request.method == "GET":
            criteria_form.criteria.data = "\n".join(f"{c.name} | {c.max_score} | {c.weight}" for c in window.criteria)
        target = form if "window-submit" in request.form else criteria_form
        if request.method == "POST" and target.validate_on_submit():
            with permission_errors():
                try:
                    if target is form:
                        app_service.update_window(current_user, window, _window_data(form))
                    else:
                        app_service.set_criteria(current_user, window, parse_criteria(criteria_form.criteria.data))
                except DomainError as err:
                    apply_error(target, err)
                else:
                    flash(_("Saved."), "success")
                    return redirect(url_for("program.window_detail", window_id=window.id))
    elif request.method == "POST":
        abort(403)
    applications = []
    if bureau:
        applications = db.session.scalars(sa.select(CenterApplication).where(
            CenterApplication.window_id == window.id, CenterApplication.status != ApplicationStatus.DRAFT)
            .order_by(CenterApplication.id)).all()
    return render_template("program/window_detail.html", window=window, form=form, criteria_form=criteria_form,
                           bureau=bureau, applications=applications, is_open=app_service.window_open_now(window),
                           results={a.id: app_service.results(a) for a in applications}, today=clock.today(),
                           ranking=life.window_ranking(window) if bureau else {},
                           calendar_unknown=workdays.unknown_years(window.opens_on, window.closes_on))


# ---- the applicant ---------------------------------------------------------------------------


def _application(application_id: int) -> CenterApplication:
    application = db.session.get(CenterApplication, application_id)
    with permission_errors():
        app_service.require_view(current_user, application)
    return application


def _application_data(form) -> app_service.ApplicationData:
    return app_service.ApplicationData(
        form.proposed_name.data, form.industry.data, form.contact_person.data or "", form.phone.data or "",
        form.partners.data or "", form.capital_plan.data or "", form.targets.data or "",
        {key: getattr(form, key).data or "" for key in rules.FEASIBILITY_SECTIONS},
        legal_representative=form.legal_representative.data or "")


@bp.route("/applications")
@login_required
def applications():
    return render_template("program/applications.html", applications=app_service.visible_applications(current_user),
                           bureau=ps.is_bureau(current_user))


@bp.route("/windows/<int:window_id>/apply", methods=["GET", "POST"])
@login_required
def apply(window_id: int):
    window = get_or_404(ApplicationWindow, window_id)
    if current_user.role not in app_service.APPLICANT_ROLES or current_user.org.kind == OrgKind.BUREAU:
        abort(403)
    form = ApplicationForm()
    if form.validate_on_submit():
        with permission_errors():
            try:
                application = app_service.start_application(current_user, window, _application_data(form))
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Draft saved. Upload the materials, then submit within the window."), "success")
                return redirect(url_for("program.application_detail", application_id=application.id))
    return render_template("program/application_form.html", window=window, form=form, application=None,
                           sections=rules.FEASIBILITY_SECTIONS)


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def edit_application(application_id: int):
    application = _application(application_id)
    if not app_service.is_applicant(current_user, application):
        abort(403)
    form = ApplicationForm(obj=application if request.method == "GET" else None)
    if request.method == "GET":
        for key in rules.FEASIBILITY_SECTIONS:
            getattr(form, key).data = (application.feasibility or {}).get(key, "")
    if form.validate_on_submit():
        with permission_errors():
            try:
                app_service.update_application(current_user, application, _application_data(form))
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Draft saved."), "success")
                return redirect(url_for("program.application_detail", application_id=application.id))
    return render_template("program/application_form.html", window=application.window, form=form,
                           application=application, sections=rules.FEASIBILITY_SECTIONS)


def _translated_refusal(application: CenterApplication) -> str | None:
    refusal = app_service.approval_refusal(application)
    return translate_domain(refusal) if refusal is not None else None


@bp.route("/applications/<int:application_id>")
@login_required
def application_detail(application_id: int):
    application = _application(application_id)
    bureau = ps.is_bureau(current_user)
    applicant = app_service.is_applicant(current_user, application)
    status = application.status
    assign_form = approve_form = reject_form = None
    if bureau and status == ApplicationStatus.SUBMITTED:
        assign_form = AssignForm(prefix="assign")
        taken = {a.expert_id for a in application.assignments}
        experts = db.session.scalars(sa.select(User).where(User.role == Role.EXPERT, User.active.is_(True))
                                     .order_by(User.name)).all()
        assign_form.expert_id.choices = [(u.id, f"{u.name} · {u.org.name}") for u in experts
                                         if u.id not in taken and u.org_id != application.org_id]
    if bureau and status == ApplicationStatus.PUBLIC_NOTICE:
        approve_form = ApproveForm(prefix="approve")
        orgs = db.session.scalars(sa.select(Organisation).where(Organisation.kind == OrgKind.CENTER)
                                  .order_by(Organisation.name)).all()
        approve_form.center_org_id.choices = [(0, _("— found a new company —"))] + [(o.id, o.name) for o in orgs]
        custodians = db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(
            sa.select(User.org_id).where(User.role == Role.CUSTODIAN))).order_by(Organisation.name)).all()
        approve_form.custodian_org_id.choices = [(0, _("— none —"))] + [(o.id, o.name) for o in custodians]
    if bureau and status in UNDER_WAY:
        reject_form = RejectForm(prefix="reject")
    draft = application.status == ApplicationStatus.DRAFT
    return render_template(
        "program/application_detail.html", application=application, bureau=bureau, applicant=applicant,
        missing=app_service.missing(application) if draft else [], sections=rules.FEASIBILITY_SECTIONS,
        required=rules.REQUIRED_DOCUMENTS, document_form=DocumentForm() if applicant and draft else None,
        window_open=app_service.window_open_now(application.window),
        assignment=app_service.assignment_of(application, current_user),
        results=app_service.results(application) if (bureau and not draft) else None,
        assign_form=assign_form, approve_form=approve_form, reject_form=reject_form, button=EmptyForm(),
        approval_refusal=_translated_refusal(application) if approve_form else None,
        life=lifecycle_context(application, bureau, applicant),
    )


@bp.route("/applications/<int:application_id>/documents", methods=["POST"])
@login_required
def upload_document(application_id: int):
    application = _application(application_id)
    form = DocumentForm()
    if form.validate_on_submit():
        with permission_errors():
            try:
                if not app_service.is_applicant(current_user, application):
                    abort(403)
                stored, original = uploads.save(form.file.data)
                app_service.add_document(current_user, application, form.kind.data, stored, original)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Document uploaded."), "success")
    else:
        flash(_("Choose the document and a file."), "danger")
    return redirect(url_for("program.application_detail", application_id=application.id))


def _document(application: CenterApplication, document_id: int) -> ApplicationDocument:
    document = db.session.get(ApplicationDocument, document_id)
    if document is None or document.application_id != application.id:
        abort(404)
    return document


@bp.route("/applications/<int:application_id>/documents/<int:document_id>")
@login_required
def download_document(application_id: int, document_id: int):
    document = _document(_application(application_id), document_id)
    try:
        path = uploads.path_of(document.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, as_attachment=True, download_name=document.filename or path.name)


def _one_click(application: CenterApplication, action, success: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        try:
            action()
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            flash(success, "success")
    return redirect(url_for("program.application_detail", application_id=application.id))


@bp.route("/applications/<int:application_id>/documents/<int:document_id>/delete", methods=["POST"])
@login_required
def delete_document(application_id: int, document_id: int):
    application = _application(application_id)
    document = _document(application, document_id)
    return _one_click(application, lambda: app_service.remove_document(current_user, application, document),
                      _("Document removed."))


@bp.route("/applications/<int:application_id>/submit", methods=["POST"])
@login_required
def submit_application(application_id: int):
    application = _application(application_id)
    return _one_click(application, lambda: app_service.submit(current_user, application),
                      _("Application submitted. The bureau will review it."))


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@login_required
def withdraw_application(application_id: int):
    application = _application(application_id)
    return _one_click(application, lambda: app_service.withdraw(current_user, application), _("Application withdrawn."))


# ---- review and decision ---------------------------------------------------------------------


@bp.route("/applications/<int:application_id>/assign", methods=["POST"])
@login_required
def assign_expert(application_id: int):
    application = _application(application_id)
    form = AssignForm(prefix="assign")
    if form.validate_on_submit():
        with permission_errors():
            try:
                app_service.assign_expert(current_user, application, db.session.get(User, form.expert_id.data))
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Expert assigned."), "success")
    return redirect(url_for("program.application_detail", application_id=application.id))


@bp.route("/applications/<int:application_id>/score", methods=["GET", "POST"])
@login_required
def score(application_id: int):
    application = _application(application_id)
    assignment = app_service.assignment_of(application, current_user)
    if assignment is None:
        abort(403)
    criteria = application.window.criteria
    data = None
    if request.method == "GET":
        data = {}
        for s in assignment.scores:
            data[f"c_{s.criterion_id}"] = s.score
            data[f"comment_{s.criterion_id}"] = s.comment
    form = score_form(criteria, data)
    if form.validate_on_submit():
        scores = {c.id: form[f"c_{c.id}"].data for c in criteria}
        comments = {c.id: form[f"comment_{c.id}"].data or "" for c in criteria}
        with permission_errors():
            try:
                app_service.score(current_user, application, scores, comments)
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Scores saved."), "success")
                return redirect(url_for("program.application_detail", application_id=application.id))
    total = rules.expert_total({s.criterion_id: s.score for s in assignment.scores},
                               app_service.criteria_of(application))
    return render_template("program/score.html", application=application, form=form, criteria=criteria, total=total)


@bp.route("/applications/<int:application_id>/approve", methods=["POST"])
@login_required
def approve(application_id: int):
    application = _application(application_id)
    form = ApproveForm(prefix="approve")
    if form.validate_on_submit():
        with permission_errors():
            try:
                center = app_service.approve(current_user, application, app_service.Approval(
                    approval_date=form.approval_date.data, task_book_signed_on=form.task_book_signed_on.data,
                    center_org_id=form.center_org_id.data or None, new_org_name=form.new_org_name.data or "",
                    new_org_credit_code=form.new_org_credit_code.data or "", custodian=form.custodian.data or "",
                    equity_fen=form.equity.data, note=form.note.data or "",
                    custodian_org_id=form.custodian_org_id.data or None))
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Approved: the center and its task book are created."), "success")
                return redirect(url_for("program.board", center_id=center.id))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for("program.application_detail", application_id=application.id))


@bp.route("/applications/<int:application_id>/reject", methods=["POST"])
@login_required
def reject(application_id: int):
    application = _application(application_id)
    form = RejectForm(prefix="reject")
    if form.validate_on_submit():
        with permission_errors():
            try:
                app_service.reject(current_user, application, form.note.data)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Application rejected."), "info")
    else:
        flash(_("Give the reason."), "danger")
    return redirect(url_for("program.application_detail", application_id=application.id))
