from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.errors import DomainError
from ..domain.patent_terms import LegalStatus, PatentType
from ..extensions import db
from ..formkit import apply_error
from ..labels import choices
from ..models import Industry, Listing, Patent, PatentApplicant, PatentIPC, listing_patents
from ..services import patents as patent_service
from ..services import permissions
from ..services.permissions import can_view_published_item, require_edit
from ..route_helpers import get_or_404, page_arg, permission_errors
from . import bp
from .forms import PatentForm


def _enum_arg(name: str, enum_cls):
    value = request.args.get(name) or None
    return value if value in {e.value for e in enum_cls} else None


@bp.route("/")
def index():
    q = (request.args.get("q") or "").strip()[:200]
    ptype = _enum_arg("type", PatentType)
    status = _enum_arg("status", LegalStatus)
    industry = _enum_arg("industry", Industry)
    ipc = (request.args.get("ipc") or "").strip().upper()[:20]
    mine = request.args.get("mine") == "1" and current_user.is_authenticated
    stmt = sa.select(Patent)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(
            sa.or_(
                Patent.title.ilike(like),
                Patent.application_number.contains(q.upper().replace("CN", "").replace("ZL", "")),
                Patent.id.in_(sa.select(PatentApplicant.patent_id).where(PatentApplicant.name.ilike(like))),
            )
        )
    if ptype:
        stmt = stmt.where(Patent.patent_type == ptype)
    if status:
        stmt = stmt.where(Patent.legal_status == status)
    if industry:
        stmt = stmt.where(Patent.industry == industry)
    if ipc:
        stmt = stmt.where(Patent.id.in_(sa.select(PatentIPC.patent_id).where(PatentIPC.code.startswith(ipc))))
    if mine:
        stmt = stmt.where(Patent.owner_org_id == current_user.org_id)
    stmt = stmt.order_by(Patent.filing_date.desc().nulls_last(), Patent.id.desc())
    page = db.paginate(stmt, page=page_arg(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "patents/index.html", page=page, q=q, ptype=ptype, status=status, industry=industry, ipc=ipc, mine=mine,
        type_choices=choices("patent_type"), status_choices=choices("legal_status"),
        industry_choices=choices("industry"),
    )


@bp.route("/<int:patent_id>")
def detail(patent_id: int):
    patent = get_or_404(Patent, patent_id)
    listing_stmt = (
        sa.select(Listing).join(listing_patents).where(listing_patents.c.patent_id == patent.id).order_by(Listing.id)
    )
    listings = [l for l in db.session.scalars(listing_stmt) if can_view_published_item(current_user, l)]
    can_edit = permissions.can_edit(current_user, patent)
    return render_template("patents/detail.html", patent=patent, listings=listings, can_edit=can_edit, today=date.today())


def _data(form: PatentForm) -> patent_service.PatentData:
    return patent_service.PatentData(
        application_number=form.application_number.data,
        publication_number=form.publication_number.data or "",
        title=form.title.data,
        abstract=form.abstract.data or "",
        patent_type=form.patent_type.data,
        legal_status=form.legal_status.data,
        ipc=form.ipc.data,
        applicants=form.applicants.data,
        filing_date=form.filing_date.data,
        grant_date=form.grant_date.data,
        claims_count=form.claims_count.data or 0,
        industry=form.industry.data or None,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = PatentForm()
    if request.method == "GET":
        form.applicants.data = current_user.org.name
    if form.validate_on_submit():
        with permission_errors():
            try:
                patent = patent_service.create_patent(current_user, _data(form))
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Patent %(number)s saved.", number=patent.application_number), "success")
                return redirect(url_for("patents.detail", patent_id=patent.id))
    return render_template("patents/form.html", form=form, patent=None)


@bp.route("/<int:patent_id>/edit", methods=["GET", "POST"])
@login_required
def edit(patent_id: int):
    patent = get_or_404(Patent, patent_id)
    with permission_errors():
        require_edit(current_user, patent)
    form = PatentForm(obj=patent)
    if request.method == "GET":
        form.ipc.data = "; ".join(patent.ipc_list)
        form.applicants.data = "\n".join(patent.applicant_names)
        form.industry.data = patent.industry.value if patent.industry else ""
        form.patent_type.data = patent.patent_type.value
        form.legal_status.data = patent.legal_status.value
    if form.validate_on_submit():
        with permission_errors():
            try:
                patent_service.update_patent(current_user, patent, _data(form))
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("patents.detail", patent_id=patent.id))
    return render_template("patents/form.html", form=form, patent=patent)
