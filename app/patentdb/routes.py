"""The industry patent database: search, imports, analysis, trademarks."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import jobs
from ..formkit import EmptyForm, apply_error
from ..domain.errors import DomainError
from ..extensions import db
from ..labels import INDUSTRY, LEGAL_STATUS, OFFICE, PATENT_TYPE, label
from ..models import Center, ImportJob, Industry, Patent, Trademark
from ..search import query as query_language
from ..services import analysis as analysis_service
from ..services import imports as import_service
from ..services import search as search_service
from ..services.permissions import Forbidden
from ..route_helpers import get_or_404, page_arg, permission_errors
from . import bp
from .forms import ImportForm


def translate(template: str, params: dict | None) -> str:
    """A stored English template, translated, then filled."""
    text = _(template) if template else ""
    try:
        return text.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template.format(**(params or {})) if params else template


# ---- search -------------------------------------------------------------------------------


@bp.route("/search")
def search():
    if request.args.get("adv") == "1":
        return redirect(url_for("patentdb.search", q=_advanced_query(request.args), sort=request.args.get("sort") or None))
    q = (request.args.get("q") or "").strip()[:500]
    filters = search_service.clean_filters(request.args)
    sort = request.args.get("sort", "relevance")
    result = None
    error = None
    if q or filters:
        try:
            result = search_service.search(current_user, q, filters=filters, sort=sort, page=page_arg(),
                                           per_page=current_app.config.get("PAGE_SIZE", 20))
        except Exception:  # noqa: BLE001 - an engine failure must not be a 500 for the searcher
            current_app.logger.exception("search failed for %r", q)
            error = _("Search is unavailable at the moment. Please try again in a minute.")
    warnings = [translate(t, p) for t, p in ((result.query.warnings + result.result.notes) if result else [])]
    return render_template("patentdb/search.html", q=q, result=result, filters=filters, sort=sort,
                           warnings=warnings, error=error, type_choices=PATENT_TYPE, status_choices=LEGAL_STATUS,
                           open_advanced=not q and not filters)


def _advanced_query(args) -> str:
    """The advanced-search form's fields as search-box text; a year that is not one is left out, with a note."""
    years = []
    for name in ("a_year_from", "a_year_to"):
        raw = (args.get(name) or "").strip()
        if raw and not (raw.isdigit() and 1985 <= int(raw) <= 2100):
            flash(_("“%(value)s” is not a year; it was left out.", value=raw[:10]), "warning")
            raw = ""
        years.append(int(raw) if raw else None)
    return query_language.build(
        words=args.get("a_words", ""), phrase=args.get("a_phrase", ""), title=args.get("a_title", ""),
        applicant=args.get("a_applicant", ""), ipc=args.get("a_ipc", ""), year_from=years[0], year_to=years[1],
        patent_type=args.get("a_type") if args.get("a_type") in PATENT_TYPE else "",
        status=args.get("a_status") if args.get("a_status") in LEGAL_STATUS else "", exclude=args.get("a_exclude", ""))


# ---- overview and trademarks ----------------------------------------------------------------


@bp.route("/database/")
def index():
    centers = db.session.scalars(sa.select(Center).order_by(Center.id)).all()
    counts = {(k.value if k else None): n for k, n in db.session.execute(
        sa.select(Patent.industry, sa.func.count()).group_by(Patent.industry)).all()}
    trademarks = db.session.scalar(sa.select(sa.func.count(Trademark.id))) or 0
    return render_template("patentdb/index.html", centers=centers, counts=counts, trademarks=trademarks,
                           industries=list(Industry), can_import=import_service.can_import(current_user))


@bp.route("/database/trademarks")
def trademarks():
    q = (request.args.get("q") or "").strip()[:100]
    industry = request.args.get("industry") or None
    nice = request.args.get("class", type=int)
    stmt = sa.select(Trademark)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(sa.or_(Trademark.name.ilike(like), Trademark.registrant.ilike(like),
                                 Trademark.registration_number == q))
    if industry in {i.value for i in Industry}:
        stmt = stmt.where(Trademark.industry == Industry(industry))
    if nice and 1 <= nice <= 45:
        stmt = stmt.where(Trademark.nice_class == nice)
    page = db.paginate(stmt.order_by(Trademark.registration_number), page=page_arg(),
                       per_page=current_app.config.get("PAGE_SIZE", 20), error_out=False)
    return render_template("patentdb/trademarks.html", page=page, q=q, industry=industry, nice=nice,
                           industries=list(Industry))


# ---- imports -------------------------------------------------------------------------------


def _require_importer() -> None:
    if not import_service.can_import(current_user):
        raise Forbidden("only center staff import files")


@bp.route("/database/imports/")
@login_required
def imports():
    with permission_errors():
        _require_importer()
    import_service.give_up_stale_jobs()
    jobs = [j for j in db.session.scalars(sa.select(ImportJob).order_by(ImportJob.id.desc()).limit(200))
            if import_service.can_see_job(current_user, j)][:50]
    return render_template("patentdb/imports.html", jobs=jobs)


def _allow_large_imports():
    # An import file may be far larger than other uploads (MAX_CONTENT_LENGTH). This must run before
    # any other hook reads the form (CSRF protection does): the body is parsed once, under the limit
    # in force then. Werkzeug writes file parts beyond a small buffer to a temporary file, so a large
    # upload streams to disk.
    if request.endpoint == "patentdb.new_import" and request.method == "POST":
        request.max_content_length = current_app.config.get("IMPORT_MAX_BYTES", 200 * 1024 * 1024)


@bp.record_once
def _first_hook(state) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, _allow_large_imports)


@bp.route("/database/imports/new", methods=["GET", "POST"])
@login_required
def new_import():
    with permission_errors():
        _require_importer()
    centers = import_service.importable_centers(current_user)
    if not centers and current_user.role.value == "platform_admin":
        centers = list(db.session.scalars(sa.select(Center).order_by(Center.id)))
    form = ImportForm()
    form.center.choices = [(str(c.id), f"{c.name} · {INDUSTRY.get(c.industry.value, c.industry.value)}") for c in centers]
    if form.validate_on_submit():
        center = db.session.get(Center, int(form.center.data)) if form.center.data.isdigit() else None
        try:
            with permission_errors():
                job = import_service.create_job(current_user, form.kind.data, form.file.data, center)
        except DomainError as err:
            apply_error(form, err)
        else:
            jobs.enqueue_import(current_app._get_current_object(), job.id)
            flash(_("The file is being imported. You can leave this page; the import goes on."), "success")
            return redirect(url_for("patentdb.import_detail", job_id=job.id))
    return render_template("patentdb/import_new.html", form=form, no_centers=not centers)


def _job_for_user(job_id: int) -> ImportJob:
    import_service.give_up_stale_jobs()
    job = get_or_404(ImportJob, job_id)
    if not import_service.can_see_job(current_user, job):
        abort(404)
    return job


@bp.route("/database/imports/<int:job_id>")
@login_required
def import_detail(job_id: int):
    job = _job_for_user(job_id)
    errors = job.errors.limit(100).all()
    return render_template("patentdb/import_detail.html", job=job, errors=errors, translate=translate,
                           can_retry=import_service.can_retry(current_user, job), retry_form=EmptyForm())


@bp.route("/database/imports/<int:job_id>/retry", methods=["POST"])
@login_required
def import_retry(job_id: int):
    job = _job_for_user(job_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with permission_errors():
            import_service.retry_job(current_user, job.id)
    except DomainError as err:
        flash(translate(err.template, err.params), "danger")
    else:
        jobs.enqueue_import(current_app._get_current_object(), job.id)
        flash(_("The import starts again. Rows already imported are not doubled."), "success")
    return redirect(url_for("patentdb.import_detail", job_id=job.id))


@bp.route("/database/imports/<int:job_id>/progress")
@login_required
def import_progress(job_id: int):
    job = _job_for_user(job_id)
    return jsonify(
        id=job.id, status=job.status.value, status_label=label("import_status", job.status),
        finished=job.finished, percent=job.percent, total=job.total_rows, processed=job.processed_rows,
        created=job.created_rows, updated=job.updated_rows, unchanged=job.unchanged_rows, errors=job.error_rows,
        errors_not_kept=job.errors_not_kept,
        message=translate(job.message, job.message_params) if job.message else "",
    )


@bp.route("/database/imports/<int:job_id>/errors.csv")
@login_required
def import_errors(job_id: int):
    job = _job_for_user(job_id)
    header = [_("Line"), _("Column"), _("Value"), _("Reason")]
    rows = import_service.error_rows(job, translate)
    body = stream_with_context(import_service.csv_lines(header, rows))
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="import-{job.id}-errors.csv"'})


# ---- analysis ------------------------------------------------------------------------------


def _industry_arg() -> str | None:
    value = request.args.get("industry") or None
    if value is not None and value not in {i.value for i in Industry}:
        abort(404)
    return value


def _cell_label(key: str, value):
    if key == "status":
        return str(LEGAL_STATUS.get(value, value))
    if key == "types":
        return str(PATENT_TYPE.get(value, value))
    if key == "offices":
        return str(OFFICE.get(value, value))
    return value


@bp.route("/database/analysis")
@login_required
def analysis():
    industry = _industry_arg()
    tables = analysis_service.all_tables(industry)
    charts = []
    for t in tables:
        labels = [str(_cell_label(t.key, r[0])) for r in t.rows]
        series = [{"label": label("analysis_header", h), "data": [r[i + 1] for r in t.rows]}
                  for i, h in enumerate(t.headers[1:])]
        charts.append({"type": t.chart, "labels": labels, "series": series})
    return render_template("patentdb/analysis.html", industry=industry, tables=tables, charts=charts,
                           summary=analysis_service.summary(industry), industries=list(Industry),
                           cell_label=_cell_label)


@bp.route("/database/analysis/export.xlsx")
@login_required
def analysis_export():
    industry = _industry_arg()
    key = request.args.get("table")
    if key is not None and key not in analysis_service.TABLES:
        abort(404)
    tables = [analysis_service.BUILDERS[key](industry)] if key else analysis_service.all_tables(industry)
    data = analysis_service.xlsx(
        tables,
        translate_header=lambda h: label("analysis_header", h),
        translate_cell=_cell_label,
        sheet_title=lambda k: label("analysis_table", k).replace("/", " "),
    )
    name = f"analysis-{industry or 'all'}{'-' + key if key else ''}.xlsx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
