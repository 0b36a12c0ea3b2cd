from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from openpyxl import Workbook
from sqlalchemy.orm import selectinload

from ..domain.files import download_name
from ..domain.deals import DealAction, DealTransitionError, allowed_actions, progress
from ..domain.errors import DomainError
from ..extensions import db
from ..formkit import apply_error, translate_domain
from ..labels import choices, label
from ..models import AuditRecord, Center, Deal, LedgerEntry, LedgerTransaction, Listing, Organisation, Pool, Role, User
from ..services import deals as deal_service
from ..services import negotiation
from ..services import uploads
from ..services.centers import is_center_staff
from ..services.permissions import require_view as require_listing_view
from ..templating import local_time
from ..route_helpers import get_or_404, page_arg, permission_errors, spreadsheet_text, xlsx_response
from . import bp
from .forms import ActionForm, AssignCenterForm, ContractForm, ReasonForm, ReassignCenterForm, RecordForm, StartDealForm

REASON_ACTIONS = {DealAction.DISPUTE, DealAction.REVERSE, DealAction.REFUND}


def _load(deal_id: int) -> Deal:
    deal = get_or_404(Deal, deal_id)
    with permission_errors():
        deal_service.require_view(current_user, deal)
    return deal


DEAL_SORTS = {
    "newest": (Deal.created_at.desc(), Deal.id.desc()),
    "oldest": (Deal.created_at, Deal.id),
    "updated": (Deal.updated_at.desc(), Deal.id.desc()),
    "price_desc": (Deal.price_fen.desc(), Deal.id.desc()),
    "price_asc": (Deal.price_fen, Deal.id),
}


def _deals_query():
    """The deals the user may see, filtered and sorted by the query arguments."""
    stmt = sa.select(Deal)
    staff_centers = [c.id for c in db.session.scalars(sa.select(Center).where(Center.org_id == current_user.org_id))
                     if is_center_staff(current_user, c)]
    if current_user.role != Role.PLATFORM_ADMIN:
        stmt = stmt.where(sa.or_(Deal.seller_org_id == current_user.org_id, Deal.buyer_org_id == current_user.org_id,
                                 Deal.center_id.in_(staff_centers)))
    args = request.args
    filters = {"status": args.get("status") if args.get("status") in {s.value for s in deal_service.DealStatus} else "",
               "waiting": args.get("waiting") == "1",
               "sort": args.get("sort") if args.get("sort") in DEAL_SORTS else "newest"}
    if filters["status"]:
        stmt = stmt.where(Deal.status == filters["status"])
    if filters["waiting"]:
        stmt = stmt.where(deal_service.waiting_for(current_user.org_id, staff_centers))
    return stmt.order_by(*DEAL_SORTS[filters["sort"]]), filters


@bp.route("/")
@login_required
def index():
    stmt, filters = _deals_query()
    page = db.paginate(stmt, page=page_arg(), per_page=20, error_out=False)
    return render_template("deals/index.html", page=page, filters=filters, status=filters["status"])


@bp.route("/export.xlsx")
@login_required
def export():
    """The deals of the list (same filters and order) as a spreadsheet, at most 5,000 rows."""
    stmt, _filters = _deals_query()
    wb = Workbook()
    ws = wb.active
    ws.title = "deals"
    ws.append([_("Deal"), _("Created on"), _("Seller"), _("Buyer"), _("Kind"), _("Patents"), _("Price (yuan)"),
               _("Status"), _("Origin"), _("Completed on"), _("Recordal number")])
    for deal in db.session.scalars(stmt.options(selectinload(Deal.patents)).limit(5000)):
        ws.append([deal.id, local_time(deal.created_at, "date"), spreadsheet_text(deal.seller_name),
                   spreadsheet_text(deal.buyer_name), label("deal_kind", deal.kind), deal.patent_count,
                   Decimal(deal.price_fen) / 100, label("deal_status", deal.status), label("deal_origin", deal.origin),
                   deal.completed_on, spreadsheet_text(deal.recordal_number)])
    return xlsx_response(wb, "deals.xlsx")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    listing = get_or_404(Listing, request.args.get("listing", type=int) or 0)
    with permission_errors():
        require_listing_view(current_user, listing)
    form = StartDealForm()
    form.kind.choices = choices("deal_kind", set(listing.deal_kinds))
    if request.method == "GET" and listing.price_fen:
        form.price.data = listing.price_fen
    if form.validate_on_submit():
        with permission_errors():
            try:
                deal = deal_service.start_from_listing(
                    current_user, listing, kind=form.kind.data, price_fen=form.price.data,
                    payment_terms=form.payment_terms.data or "",
                )
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Deal opened. Both sides sign it next."), "success")
                return redirect(url_for("deals.detail", deal_id=deal.id))
    return render_template("deals/new.html", form=form, listing=listing)


@bp.route("/<int:deal_id>")
@login_required
def detail(deal_id: int):
    deal = _load(deal_id)
    actions = [a for a in allowed_actions(deal.status) if deal_service.may(current_user, deal, a)]
    forms = {}
    for action in actions:
        if action is DealAction.RECORD:
            forms[action.value] = RecordForm(prefix=action.value)
        elif action in REASON_ACTIONS:
            forms[action.value] = ReasonForm(prefix=action.value)
        else:
            forms[action.value] = ActionForm(prefix=action.value)
    ledger = db.session.execute(
        sa.select(LedgerTransaction, LedgerEntry).join(LedgerEntry).where(LedgerTransaction.deal_id == deal.id)
        .order_by(LedgerTransaction.id, LedgerEntry.id)
    ).all()
    owners = {entry.account: deal_service.account_owner(entry.account) for _txn, entry in ledger}
    org_names = dict(db.session.execute(sa.select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({org_id for _kind, org_id in owners.values() if org_id}))).all())
    ledger = [(txn, entry, owners[entry.account][0], org_names.get(owners[entry.account][1], "")) for txn, entry in ledger]
    history = db.session.execute(
        sa.select(AuditRecord, User.name).outerjoin(User, User.id == AuditRecord.actor_id)
        .where(AuditRecord.object_type == "deal", AuditRecord.object_id == deal.id)
        .order_by(AuditRecord.id)
    ).all()
    steps = progress(deal.status, signed=bool(deal.seller_signed_at and deal.buyer_signed_at),
                     funded=any(txn.kind == "fund" for txn, *_ in ledger), recorded=bool(deal.recordal_number))
    listing = db.session.get(Listing, deal.listing_id) if deal.listing_id else None
    pool = db.session.get(Pool, deal.pool_id) if deal.pool_id else None
    assign_form = None
    centers = deal_service.assignable_centers(current_user, deal)
    if centers:
        assign_form = AssignCenterForm()
        assign_form.center_id.choices = [(c.id, c.name) for c in centers]
    reassign_form = None
    if deal_service.may_reassign(current_user):
        reassign_form = ReassignCenterForm(prefix="reassign")
        reassign_form.center_id.choices = [(c.id, c.name) for c in db.session.scalars(sa.select(Center).order_by(Center.id))
                                           if c.id != deal.center_id]
    reassigned = [record for record, _name in history if record.action == "deal.center_reassigned"]
    return render_template(
        "deals/detail.html", deal=deal, forms=forms, ledger=ledger, history=history, steps=steps, listing=listing, pool=pool,
        reassign_form=reassign_form, reassigned=reassigned[-1] if reassigned else None,
        contract_form=ContractForm() if deal_service.may_attach_contract(current_user, deal) else None,
        assign_form=assign_form, agreed=negotiation.agreed_offer(deal),
    )


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/<int:deal_id>/<any(sign, fund, record, complete, cancel, dispute, resolve_release, refund, reverse):action>",
          methods=["POST"])
@login_required
def act(deal_id: int, action: str):
    deal = _load(deal_id)
    action = DealAction(action)
    if not deal_service.may(current_user, deal, action):
        abort(403)  # before the form: someone who may read the deal (the bureau) may not act on it
    if action is DealAction.RECORD:
        form = RecordForm(prefix=action.value)
    elif action in REASON_ACTIONS:
        form = ReasonForm(prefix=action.value)
    else:
        form = ActionForm(prefix=action.value)
    if not form.validate_on_submit():
        for field_errors in form.errors.values():
            for message in field_errors:
                flash(str(message), "danger")
        return redirect(url_for("deals.detail", deal_id=deal.id))
    kwargs = {"key": f"web:{current_user.id}:{form.idempotency_key.data}"}
    if action is DealAction.RECORD:
        kwargs.update(recordal_number=form.recordal_number.data, recordal_date=form.recordal_date.data)
    elif action in REASON_ACTIONS:
        kwargs["reason"] = form.reason.data
    with permission_errors():
        try:
            deal_service.ACTIONS[action](current_user, deal.id, **kwargs)
        except DealTransitionError as err:
            flash(translate_domain(err), "danger")
            return redirect(url_for("deals.detail", deal_id=deal.id)), 409
        except DomainError as err:
            flash(translate_domain(err), "danger")
            return redirect(url_for("deals.detail", deal_id=deal.id))
    flash(_("Done."), "success")
    return redirect(url_for("deals.detail", deal_id=deal.id))


@bp.route("/<int:deal_id>/contract", methods=["POST"])
@login_required
def upload_contract(deal_id: int):
    deal = _load(deal_id)
    if not deal_service.may_attach_contract(current_user, deal):
        abort(403)  # before the upload is stored
    form = ContractForm()
    if form.validate_on_submit():
        try:
            stored, original = uploads.save(form.contract.data)
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            with permission_errors():
                deal_service.attach_contract(current_user, deal, stored, original)
            flash(_("Contract uploaded."), "success")
    return redirect(url_for("deals.detail", deal_id=deal.id))


@bp.route("/<int:deal_id>/contract")
@login_required
def download_contract(deal_id: int):
    deal = _load(deal_id)
    if not deal.contract_file:
        abort(404)
    try:
        path = uploads.path_of(deal.contract_file)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, as_attachment=True, download_name=download_name(deal.contract_filename, path.name))


@bp.route("/<int:deal_id>/reassign", methods=["POST"])
@login_required
def reassign_center(deal_id: int):
    deal = _load(deal_id)
    form = ReassignCenterForm(prefix="reassign")
    form.center_id.choices = [(c.id, c.name) for c in db.session.scalars(sa.select(Center))]
    if form.validate_on_submit():
        center = get_or_404(Center, form.center_id.data)
        with permission_errors():
            try:
                deal_service.reassign_center(current_user, deal, center, note=form.note.data)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("The deal now counts for %(center)s.", center=center.name), "success")
    else:
        flash(_("Choose the center and say why."), "danger")
    return redirect(url_for("deals.detail", deal_id=deal.id))


@bp.route("/<int:deal_id>/center", methods=["POST"])
@login_required
def assign_center(deal_id: int):
    deal = _load(deal_id)
    form = AssignCenterForm()
    form.center_id.choices = [(c.id, c.name) for c in db.session.scalars(sa.select(Center))]
    if form.validate_on_submit():
        center = get_or_404(Center, form.center_id.data)
        with permission_errors():
            try:
                deal_service.assign_center(current_user, deal, center)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("The deal now counts for %(center)s.", center=center.name), "success")
    return redirect(url_for("deals.detail", deal_id=deal.id))
