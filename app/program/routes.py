"""The program board, the records behind the tasks, the yearly report, the bureau's table and
the exit monitor. Only the center's staff and the bureau see a center's program (others: 404)."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.files import download_name
from ..domain import program as rules
from ..domain.errors import DomainError
from ..extensions import db
from ..formkit import apply_error, translate_domain
from ..models import (
    Award,
    Center,
    NavigationProject,
    PatentProduct,
    PctFiling,
    PlanVersion,
    ReportFile,
    ReportFormat,
    ReportStatus,
    Standard,
)
from ..reports import xlsx
from ..services import applications as application_service
from ..services import clock, evaluation, report_jobs, uploads
from ..services import lifecycle as lifecycle_service
from ..services import program as ps
from ..services.permissions import is_center_staff, require_center_staff
from ..route_helpers import get_or_404, permission_errors
from . import bp
from .forms import (
    AwardForm,
    CloseCaseForm,
    EquityForm,
    ExitCaseForm,
    NavigationForm,
    PctForm,
    PlanForm,
    ProductForm,
    StandardForm,
    TaskBookForm,
)


def _center(center_id: int) -> Center:
    center = get_or_404(Center, center_id)
    with permission_errors():
        ps.require_view_program(current_user, center)
    return center


def _numbers(patents) -> str:
    return "\n".join(p.application_number for p in patents)


# ---- the board ------------------------------------------------------------------------------


@bp.route("/centers/<int:center_id>")
@login_required
def board(center_id: int):
    center = _center(center_id)
    today = clock.today()
    tasks, overall = ps.board(center, today)
    return render_template("program/board.html", center=center, tasks=tasks, overall=overall, today=today,
                           staff=is_center_staff(current_user, center), years=evaluation.years_available(center, today),
                           warnings=application_service.exit_warnings(center, today),
                           bureau=ps.is_bureau(current_user), stage=lifecycle_service.stage(center, today),
                           acceptance=lifecycle_service.acceptance(center))


# ---- task 1: the plan -----------------------------------------------------------------------


@bp.route("/centers/<int:center_id>/plan", methods=["GET", "POST"])
@login_required
def plan(center_id: int):
    center = _center(center_id)
    staff = is_center_staff(current_user, center)
    current = ps.latest_plan(center)
    form = PlanForm(data=current.sections if current and request.method == "GET" else None) if staff else None
    if form is not None and form.validate_on_submit():
        sections = {key: getattr(form, key).data for key in rules.PLAN_SECTIONS}
        with permission_errors():
            try:
                version = ps.save_plan(current_user, center, sections, form.note.data or "")
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Version %(n)s saved.", n=version.version), "success")
                return redirect(url_for("program.plan", center_id=center.id))
    versions = db.session.scalars(sa.select(PlanVersion).where(PlanVersion.center_id == center.id)
                                  .order_by(PlanVersion.version.desc())).all()
    return render_template("program/plan.html", center=center, current=current, versions=versions, form=form,
                           sections=rules.PLAN_SECTIONS)


@bp.route("/centers/<int:center_id>/plan/<int:version>")
@login_required
def plan_version(center_id: int, version: int):
    center = _center(center_id)
    shown = db.session.scalar(sa.select(PlanVersion).where(PlanVersion.center_id == center.id,
                                                           PlanVersion.version == version))
    if shown is None:
        abort(404)
    return render_template("program/plan_version.html", center=center, shown=shown, sections=rules.PLAN_SECTIONS)


# ---- tasks 3, 7, 8, 9, 10: records ----------------------------------------------------------


def _nav_data(form):
    return ps.NavigationData(form.title.data, form.kind.data, form.client_name.data or "", form.status.data,
                             form.started_on.data, form.completed_on.data, form.deliverables.data or "")


def _product_data(form):
    stored = original = ""
    if form.evidence.data and getattr(form.evidence.data, "filename", ""):
        stored, original = uploads.save(form.evidence.data)
    return ps.ProductData(form.name.data, form.owner.data, form.patents.data, form.description.data or "",
                          form.product_revenue.data, form.total_revenue.data, form.status.data, form.applied_on.data,
                          form.identified_on.data, form.certificate_number.data or "", stored, original)


def _pct_data(form):
    return ps.PctData(form.applicant.data, form.title.data, form.pct_number.data, form.phase.data, form.filed_on.data,
                      form.country.data or "")


def _standard_data(form):
    return ps.StandardData(form.code.data, form.title.data, form.level.data, form.status.data, form.patents.data or "",
                           form.published_on.data)


def _award_data(form):
    return ps.AwardData(form.name.data, form.level.data, form.status.data, form.winner_name.data or "",
                        form.patent.data or "", form.product_id.data or None, form.awarded_on.data)


def _fill_product(form, product):
    form.patents.data = _numbers(product.patents)
    form.owner.data = product.owner_name
    form.product_revenue.data = product.product_revenue_fen
    form.total_revenue.data = product.total_revenue_fen


def _fill_standard(form, standard):
    form.patents.data = _numbers(standard.patents)


def _fill_pct(form, filing):
    form.applicant.data = filing.applicant_name


def _fill_award(form, award):
    form.patent.data = award.patent.application_number if award.patent else ""
    form.product_id.data = award.product_id or 0


RECORDS = {
    "navigation": dict(model=NavigationProject, form=NavigationForm, data=_nav_data, fill=None,
                       add=ps.add_navigation, update=ps.update_navigation, order=NavigationProject.id.desc()),
    "products": dict(model=PatentProduct, form=ProductForm, data=_product_data, fill=_fill_product,
                     add=ps.add_product, update=ps.update_product, order=PatentProduct.id.desc()),
    "pct": dict(model=PctFiling, form=PctForm, data=_pct_data, fill=_fill_pct, add=ps.add_pct, update=ps.update_pct,
                order=PctFiling.filed_on.desc()),
    "standards": dict(model=Standard, form=StandardForm, data=_standard_data, fill=_fill_standard,
                      add=ps.add_standard, update=ps.update_standard, order=Standard.id.desc()),
    "awards": dict(model=Award, form=AwardForm, data=_award_data, fill=_fill_award, add=ps.add_award,
                   update=ps.update_award, order=Award.id.desc()),
}
TASK_OF = {"navigation": 3, "products": 7, "pct": 8, "standards": 9, "awards": 10}
KINDS = "navigation, products, pct, standards, awards"


def _prepare(kind: str, form, center: Center) -> None:
    if kind == "awards":
        products = db.session.scalars(sa.select(PatentProduct).where(PatentProduct.center_id == center.id)
                                      .order_by(PatentProduct.name)).all()
        form.product_id.choices = [(0, _("— none —"))] + [(p.id, p.name) for p in products]


def _save(kind: str, form, center: Center, record=None):
    spec = RECORDS[kind]
    with permission_errors():
        try:
            data = spec["data"](form)
            if record is None:
                spec["add"](current_user, center, data)
            else:
                spec["update"](current_user, center, record, data)
        except DomainError as err:
            apply_error(form, err)
            return False
    return True


@bp.route(f"/centers/<int:center_id>/<any({KINDS}):kind>", methods=["GET", "POST"])
@login_required
def records(center_id: int, kind: str):
    center = _center(center_id)
    spec = RECORDS[kind]
    staff = is_center_staff(current_user, center)
    form = spec["form"]() if staff else None
    if form is not None:
        _prepare(kind, form, center)
        if form.validate_on_submit() and _save(kind, form, center):
            flash(_("Saved."), "success")
            return redirect(url_for("program.records", center_id=center.id, kind=kind))
    elif request.method == "POST":
        abort(403)
    rows = db.session.scalars(sa.select(spec["model"]).where(spec["model"].center_id == center.id)
                              .order_by(spec["order"])).all()
    task = next(t for t in ps.board(center)[0] if t.number == TASK_OF[kind])
    return render_template("program/records.html", center=center, kind=kind, rows=rows, form=form, task=task,
                           staff=staff)


@bp.route(f"/centers/<int:center_id>/<any({KINDS}):kind>/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_record(center_id: int, kind: str, record_id: int):
    center = _center(center_id)
    spec = RECORDS[kind]
    record = db.session.get(spec["model"], record_id)
    if record is None or record.center_id != center.id:
        abort(404)
    with permission_errors():
        require_center_staff(current_user, center)
    form = spec["form"](obj=record if request.method == "GET" else None)
    _prepare(kind, form, center)
    if request.method == "GET" and spec["fill"]:
        spec["fill"](form, record)
    if form.validate_on_submit() and _save(kind, form, center, record):
        flash(_("Saved."), "success")
        return redirect(url_for("program.records", center_id=center.id, kind=kind))
    return render_template("program/record_edit.html", center=center, kind=kind, record=record, form=form)


@bp.route("/centers/<int:center_id>/products/<int:record_id>/evidence")
@login_required
def product_evidence(center_id: int, record_id: int):
    center = _center(center_id)
    product = db.session.get(PatentProduct, record_id)
    if product is None or product.center_id != center.id or not product.evidence_file:
        abort(404)
    try:
        path = uploads.path_of(product.evidence_file)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, as_attachment=True, download_name=download_name(product.evidence_filename, path.name))


# ---- the yearly report ----------------------------------------------------------------------


def _report_center(center_id: int, year: int) -> Center:
    """The center, if the user may see its report of ``year`` and that year has begun."""
    center = _center(center_id)
    if year not in evaluation.years_available(center, clock.today()):
        abort(404)
    return center


def _evaluation(center_id: int, year: int):
    return evaluation.evaluate(_report_center(center_id, year), year)


@bp.route("/centers/<int:center_id>/report/<int:year>")
@login_required
def report(center_id: int, year: int):
    ev = _evaluation(center_id, year)
    files = report_jobs.reports_for(ev.center, year)
    response = make_response(render_template(
        "program/report.html", ev=ev, center=ev.center, rows=evaluation.task_rows(ev), files=files,
        years=evaluation.years_available(ev.center, clock.today())))
    if any(f.pending for f in files):
        response.headers["Refresh"] = "3"  # until the file is made (no script: the CSP forbids inline ones)
    return response


def _flash_requested(row: ReportFile) -> None:
    if row.pending:
        flash(_("The file is being made. It appears below when it is ready."), "info")
    elif row.status == ReportStatus.DONE:
        flash(_("The file is ready: download it below."), "success")
    else:
        flash(_("The file could not be made; the reason is shown below."), "danger")


@bp.route("/centers/<int:center_id>/report/<int:year>/files", methods=["POST"])
@login_required
def request_report_file(center_id: int, year: int):
    center = _report_center(center_id, year)
    fmt = request.form.get("fmt", "")
    if fmt in {f.value for f in ReportFormat}:
        _flash_requested(report_jobs.request_report(current_user, center, year, fmt))
    else:
        flash(_("Choose XLSX or PDF."), "danger")
    return redirect(url_for("program.report", center_id=center.id, year=year))


MIMETYPES = {
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
}


@bp.route("/centers/<int:center_id>/report/<int:year>/files/<int:file_id>")
@login_required
def download_report_file(center_id: int, year: int, file_id: int):
    center = _report_center(center_id, year)
    row = db.session.get(ReportFile, file_id)
    if row is None or row.center_id != center.id or row.year != year or row.status != ReportStatus.DONE:
        abort(404)
    return send_file(io.BytesIO(row.content), as_attachment=True, mimetype=MIMETYPES[row.fmt],
                     download_name=f"center-{center.id}-year-{year}-evaluation.{row.fmt.value}")


def _newest_file(center_id: int, year: int, fmt: ReportFormat):
    """The old download links lead to the newest file made; they never make one (a GET changes nothing)."""
    center = _report_center(center_id, year)
    row = report_jobs.newest_done(center, year, fmt)
    if row is None:
        flash(_("No file yet: make one below."), "info")
        return redirect(url_for("program.report", center_id=center.id, year=year))
    return redirect(url_for("program.download_report_file", center_id=center.id, year=year, file_id=row.id))


@bp.route("/centers/<int:center_id>/report/<int:year>.xlsx")
@login_required
def report_xlsx(center_id: int, year: int):
    return _newest_file(center_id, year, ReportFormat.XLSX)


@bp.route("/centers/<int:center_id>/report/<int:year>.pdf")
@login_required
def report_pdf(center_id: int, year: int):
    return _newest_file(center_id, year, ReportFormat.PDF)


# ---- the bureau -----------------------------------------------------------------------------


def _require_bureau():
    if not ps.is_bureau(current_user):
        abort(403)


@bp.route("/bureau")
@login_required
def bureau():
    _require_bureau()
    return render_template("program/bureau.html", rows=evaluation.bureau_rows(), today=clock.today(),
                           stages=lifecycle_service.stages(), pipeline=lifecycle_service.pipeline())


@bp.route("/bureau/export.xlsx")
@login_required
def bureau_export():
    _require_bureau()
    return send_file(io.BytesIO(xlsx.bureau_table(evaluation.bureau_rows())), as_attachment=True,
                     download_name="centers-program.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---- task book and exit monitor -------------------------------------------------------------


@bp.route("/centers/<int:center_id>/exit")
@login_required
def exit_monitor(center_id: int):
    center = _center(center_id)
    bureau = ps.is_bureau(current_user)
    book = application_service.task_book(center)
    return render_template(
        "program/exit.html", center=center, book=book, bureau=bureau,
        warnings=application_service.exit_warnings(center),
        first_business=ps.first_business_on(center, clock.today()),
        cases=application_service.exit_cases(center),
        book_form=TaskBookForm(prefix="book") if bureau and book is None else None,
        equity_form=EquityForm(prefix="equity") if bureau and book is not None else None,
        case_form=ExitCaseForm(prefix="case") if bureau else None,
        close_form=CloseCaseForm(prefix="close") if bureau else None,
    )


def _exit_action(center_id: int, form_cls, prefix: str, action):
    center = _center(center_id)
    _require_bureau()
    form = form_cls(prefix=prefix)
    if form.validate_on_submit():
        with permission_errors():
            try:
                action(center, form)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Saved."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for("program.exit_monitor", center_id=center.id))


@bp.route("/centers/<int:center_id>/exit/task-book", methods=["POST"])
@login_required
def record_task_book(center_id: int):
    return _exit_action(center_id, TaskBookForm, "book", lambda center, form: application_service.record_task_book(
        current_user, center, signed_on=form.signed_on.data, custodian=form.custodian.data or "",
        equity_fen=form.equity.data))


@bp.route("/centers/<int:center_id>/exit/equity", methods=["POST"])
@login_required
def record_equity(center_id: int):
    def action(center, form):
        book = application_service.task_book(center)
        if book is None:
            abort(404)
        application_service.record_equity_agreement(current_user, book, form.signed_on.data)

    return _exit_action(center_id, EquityForm, "equity", action)


@bp.route("/centers/<int:center_id>/exit/cases", methods=["POST"])
@login_required
def open_case(center_id: int):
    return _exit_action(center_id, ExitCaseForm, "case", lambda center, form: application_service.open_exit_case(
        current_user, center, reason=form.reason.data, note=form.note.data, opened_on=form.opened_on.data))


@bp.route("/centers/<int:center_id>/exit/cases/<int:case_id>/close", methods=["POST"])
@login_required
def close_case(center_id: int, case_id: int):
    def action(center, form):
        case = next((c for c in application_service.exit_cases(center) if c.id == case_id), None)
        if case is None:
            abort(404)
        application_service.close_exit_case(current_user, case, form.note.data or "")

    return _exit_action(center_id, CloseCaseForm, "close", action)

