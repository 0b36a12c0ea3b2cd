from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ..formkit import EmptyForm, apply_error, translate_domain
from ..domain.errors import DomainError
from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..domain.patent_terms import ALIVE_STATUSES, VALID_STATUSES
from ..labels import choices, label
from ..models import Industry, Listing, Patent, Role
from ..services import listings as listing_service
from ..services.permissions import require_edit, require_view
from ..route_helpers import get_or_404, page_arg, permission_errors, save_edit, status_change
from . import bp
from .forms import ListingForm

SORTS = {
    "new": (Listing.published_at.desc().nulls_last(), Listing.id.desc()),
    "price_asc": (Listing.price_fen.asc().nulls_last(), Listing.id.desc()),
    "price_desc": (Listing.price_fen.desc().nulls_last(), Listing.id.desc()),
    "trl": (Listing.trl.desc(), Listing.id.desc()),
}


@bp.route("/")
def index():
    q = (request.args.get("q") or "").strip()[:200]
    industry = request.args.get("industry") or None
    kind = request.args.get("kind") or None
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "new"
    mine = request.args.get("mine") == "1" and current_user.is_authenticated
    try:
        trl_min = int(request.args.get("trl_min") or 0)
    except ValueError:
        trl_min = 0
    stmt = sa.select(Listing)
    if mine:
        stmt = stmt.where(Listing.org_id == current_user.org_id)
    else:
        stmt = stmt.where(Listing.status == PublicationStatus.PUBLISHED)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(sa.or_(Listing.title.ilike(like), Listing.description.ilike(like)))
    if industry in {i.value for i in Industry}:
        stmt = stmt.where(Listing.industry == industry)
    if kind in listing_service.DEAL_KINDS:
        stmt = stmt.where(getattr(Listing, f"offers_{kind}").is_(True))
    if 1 <= trl_min <= 9:
        stmt = stmt.where(Listing.trl >= trl_min)
    if request.args.get("tech_offer") == "1":
        stmt = stmt.where(Listing.is_tech_offer.is_(True))
    # the cards show each listing's organisation and patent count: load them with the page, not one by one
    stmt = stmt.order_by(*SORTS[sort]).options(joinedload(Listing.org), selectinload(Listing.patents))
    page = db.paginate(stmt, page=page_arg(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "listings/index.html", page=page, q=q, industry=industry, kind=kind, sort=sort, mine=mine,
        trl_min=trl_min, industry_choices=choices("industry"), kind_choices=choices("deal_kind"),
        awaiting=listing_service.awaiting_approval(current_user.org_id)
        if current_user.is_authenticated and current_user.role == Role.ORG_ADMIN else [],
    )


@bp.route("/<int:listing_id>")
def detail(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    with permission_errors():
        require_view(current_user, listing)
    own = current_user.is_authenticated and current_user.org_id == listing.org_id  # the notices' wording only
    return render_template("listings/detail.html", listing=listing, own=own, button=EmptyForm(),
                           actions=listing_service.listing_actions(current_user, listing))


def _own_patents() -> list[Patent]:
    return list(db.session.scalars(
        sa.select(Patent).where(Patent.owner_org_id == current_user.org_id).order_by(Patent.filing_date.desc(), Patent.id)
    ))


def _form_with_patents(form: ListingForm) -> tuple[ListingForm, list[Patent]]:
    patents = _own_patents()
    form.patent_ids.choices = [(p.id, f"{p.application_number} {p.title}") for p in patents]
    return form, patents


def _warn_if_not_in_force(listing: Listing) -> None:
    lapsed = [p for p in listing.patents if p.legal_status not in ALIVE_STATUSES]
    if lapsed:
        flash(_("Not in force, buyers will see it: %(patents)s",
                patents="; ".join(f"{p.application_number} ({label('legal_status', p.legal_status)})" for p in lapsed)),
              "warning")


def _data(form: ListingForm) -> listing_service.ListingData:
    return listing_service.ListingData(
        title=form.title.data or "",
        patent_ids=form.patent_ids.data or [],
        deal_kinds=form.deal_kinds.data or [],
        trl=form.trl.data,
        industry=form.industry.data,
        price_fen=None if form.negotiable.data else form.price.data,
        region=form.region.data or "",
        description=form.description.data or "",
        is_tech_offer=bool(form.is_tech_offer.data),
        tech_summary=form.tech_summary.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form, patents = _form_with_patents(ListingForm())
    if request.method == "GET":
        form.region.data = current_user.org.region
        chosen = next((p for p in patents if str(p.id) == request.args.get("patent", "")), None)
        if chosen:
            form.patent_ids.data = [chosen.id]
            form.title.data = chosen.title
    if not form.patent_ids.choices:
        flash(_("Register your organisation's patents first; a listing offers one or more of them."), "info")
    if form.validate_on_submit():
        with permission_errors():
            try:
                listing = listing_service.create_listing(current_user, _data(form), publish=form.publish.data)
            except DomainError as err:
                apply_error(form, err)
            else:
                _warn_if_not_in_force(listing)
                if listing.submitted_at:
                    flash(_("Sent to your organisation's administrator, who publishes it after approval."), "info")
                else:
                    flash(_("Listing published.") if form.publish.data else _("Draft saved."), "success")
                return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("listings/form.html", form=form, listing=None, patents=patents, valid_statuses=VALID_STATUSES, alive_statuses=ALIVE_STATUSES)


@bp.route("/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def edit(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    with permission_errors():
        require_edit(current_user, listing)
    form, patents = _form_with_patents(ListingForm(obj=listing))
    if request.method == "GET":
        form.patent_ids.data = [p.id for p in listing.patents]
        form.deal_kinds.data = listing.deal_kinds
        form.negotiable.data = listing.negotiable
        form.price.data = listing.price_fen
        form.industry.data = listing.industry.value
    if form.validate_on_submit():
        done = save_edit(form, listing, lambda: listing_service.update_listing(current_user, listing, _data(form)),
                         url_for("listings.detail", listing_id=listing.id))
        if done is not None:
            _warn_if_not_in_force(listing)
            return done
    return render_template("listings/form.html", form=form, listing=listing, patents=patents, valid_statuses=VALID_STATUSES, alive_statuses=ALIVE_STATUSES)


@bp.route("/<int:listing_id>/approval/<any(approve, return):decision>", methods=["POST"])
@login_required
def decide_approval(listing_id: int, decision: str):
    """An organisation administrator publishes a member's listing or sends it back as a draft."""
    listing = get_or_404(Listing, listing_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        require_view(current_user, listing)
        try:
            listing_service.decide_approval(current_user, listing, approve=decision == "approve")
        except DomainError as err:
            flash(translate_domain(err), "danger")
            return redirect(url_for("listings.detail", listing_id=listing.id)), 303
    flash(_("Listing approved and published.") if decision == "approve" else _("Listing sent back as a draft."), "success")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.route("/<int:listing_id>/status/<any(published, closed, withdrawn, draft):target>", methods=["POST"])
@login_required
def change_status(listing_id: int, target: str):
    listing = get_or_404(Listing, listing_id)
    return status_change(listing, listing_service.change_status, target, url_for("listings.detail", listing_id=listing.id))
