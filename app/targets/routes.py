from __future__ import annotations

import re

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from openpyxl import Workbook

from ..domain.errors import DomainError
from ..extensions import db
from ..formkit import apply_error, translate_domain
from ..labels import label, reason_text
from ..models import Center, Deal
from ..services import clock
from ..services import deals as deal_service
from ..services import targets as target_service
from ..services import uploads
from ..services.permissions import is_center_staff, require_bureau, require_center_or_bureau, require_center_staff
from ..services.offline_import import import_offline_deals
from ..route_helpers import get_or_404, permission_errors, spreadsheet_text, xlsx_response
from . import bp
from .forms import OfflineDealForm, OfflineImportForm


@bp.route("/centers/<int:center_id>")
@login_required
def dashboard(center_id: int):
    center = get_or_404(Center, center_id)
    with permission_errors():
        require_center_or_bureau(current_user, center)
    t5 = target_service.task5(center)
    progress = t5.progress
    chart_max = max([max(y["target"], y["count"]) for y in progress["years"]] + [1]) if progress else 1
    return render_template("targets/dashboard.html", center=center, progress=progress, today=t5.on, t5=t5,
                           chart_max=chart_max, staff=is_center_staff(current_user, center))


@bp.route("/centers/<int:center_id>/years/<int:year>")
@login_required
def year_deals(center_id: int, year: int):
    center = get_or_404(Center, center_id)
    with permission_errors():
        require_center_or_bureau(current_user, center)
    return render_template("targets/year.html", center=center, year=year,
                           rows=target_service.deals_in_year(center, year))


@bp.route("/bureau")
@login_required
def bureau():
    with permission_errors():
        require_bureau(current_user)
    today = clock.today()
    centers = db.session.scalars(sa.select(Center).order_by(Center.id)).all()
    return render_template("targets/bureau.html", rows=[target_service.task5(c, today) for c in centers], today=today)


@bp.route("/centers/<int:center_id>/export.xlsx")
@login_required
def export_center(center_id: int):
    center = get_or_404(Center, center_id)
    with permission_errors():
        require_center_or_bureau(current_user, center)
    wb = Workbook()
    ws = wb.active
    ws.title = "counts"
    t5 = target_service.task5(center)
    ws.append([_("Project year"), _("From"), _("Until (inclusive)"), _("Target (guidance)"), _("Count"),
               _("Target reached")])
    for y in (t5.progress or {}).get("years", []):
        ws.append([y["year"], y["start"], y["last"], y["target"], y["count"], _("yes") if y["met"] else _("no")])
    verdict = wb.create_sheet("task5")
    verdict.append([_("Task 5 by the notice's rule"), label("task5_state", t5.state), _("as of %(day)s", day=t5.on)])
    for reason in t5.verdict.reasons:
        verdict.append([None, spreadsheet_text(reason_text(reason))])
    deals = wb.create_sheet("deals")
    deals.append([_("Deal"), _("Origin"), _("Seller"), _("Buyer"), _("Kind"), _("Patents"), _("Price (yuan)"),
                  _("Status"), _("Completed on"), _("Recordal number")])
    for deal in db.session.scalars(sa.select(Deal).where(Deal.center_id == center.id).order_by(Deal.id)):
        deals.append([deal.id, label("deal_origin", deal.origin), spreadsheet_text(deal.seller_name), spreadsheet_text(deal.buyer_name),
                      label("deal_kind", deal.kind), "; ".join(p.application_number for p in deal.patents),
                      deal.price_fen / 100, label("deal_status", deal.status),
                      deal.completed_on, spreadsheet_text(deal.recordal_number)])
    return xlsx_response(wb, f"center-{center.id}-deals.xlsx")


@bp.route("/bureau/export.xlsx")
@login_required
def export_bureau():
    with permission_errors():
        require_bureau(current_user)
    wb = Workbook()
    ws = wb.active
    ws.title = "centers"
    ws.append([_("Center"), _("Industry"), _("Approval date"), _("Current year"), _("Task 5 by the notice's rule")]
              + [f"{_('Year')} {n} {_('target')}" for n in range(1, 6)]
              + [f"{_('Year')} {n} {_('count')}" for n in range(1, 6)] + [_("Reasons")])
    today = clock.today()
    for center in db.session.scalars(sa.select(Center).order_by(Center.id)):
        t5 = target_service.task5(center, today)
        years = t5.progress["years"] if t5.progress else []
        ws.append([spreadsheet_text(center.name), label("industry", center.industry), center.approval_date,
                   t5.verdict.current_year or None, label("task5_state", t5.state)]
                  + [y["target"] for y in years] + [""] * (5 - len(years))
                  + [y["count"] for y in years] + [""] * (5 - len(years))
                  + [" ".join(reason_text(r) for r in t5.verdict.reasons)])
    return xlsx_response(wb, "centers-targets.xlsx")


def _offline_page(center: Center, form: OfflineDealForm, import_form: OfflineImportForm, errors=None,
                  contract: tuple[str, str] | None = None):
    return render_template("targets/offline.html", center=center, form=form, import_form=import_form, errors=errors,
                           contract=contract, members=deal_service.alliance_members(center))


def _may_record(center: Center) -> None:
    with permission_errors():
        require_center_staff(current_user, center)


@bp.route("/centers/<int:center_id>/offline", methods=["GET", "POST"])
@login_required
def offline_new(center_id: int):
    center = get_or_404(Center, center_id)
    _may_record(center)
    form = OfflineDealForm()
    import_form = OfflineImportForm(prefix="bulk")
    contract = None
    if form.submit.data and form.is_submitted():
        # the contract is stored as soon as it arrives, so a refused submission does not lose it
        contract = uploads.kept(form.contract_token.data, current_user.id)
        if form.contract.data:
            try:
                contract = uploads.save(form.contract.data)
            except DomainError as err:
                apply_error(form, err)
        form.contract_token.data = uploads.keep(*contract, current_user.id) if contract else ""
    if form.submit.data and form.validate_on_submit() and not form.contract.errors:
        try:
            stored, original = contract or ("", "")
            data = deal_service.OfflineDeal(
                seller=form.seller.data, buyer=form.buyer.data, kind=form.kind.data,
                application_numbers=[p for p in re.split(r"[;；,，\s]+", form.patents.data) if p.strip()],
                completed_on=form.completed_on.data, price_fen=form.price.data,
                recordal_number=form.recordal_number.data, recordal_date=form.recordal_date.data,
                contract_file=stored, contract_filename=original,
            )
            with permission_errors():
                deal = deal_service.record_offline(current_user, center, data,
                                                   key=f"web:{current_user.id}:{form.idempotency_key.data}")
        except DomainError as err:
            apply_error(form, err)
        else:
            flash(_("Deal recorded; it counts %(n)s.", n=len(deal.patents)), "success")
            return redirect(url_for("deals.detail", deal_id=deal.id))
    return _offline_page(center, form, import_form, contract=contract)


@bp.route("/centers/<int:center_id>/offline/import", methods=["POST"])
@login_required
def offline_import(center_id: int):
    center = get_or_404(Center, center_id)
    _may_record(center)
    form = OfflineDealForm(formdata=None)
    import_form = OfflineImportForm(prefix="bulk")
    errors = None
    if import_form.validate_on_submit():
        try:
            done, errors = import_offline_deals(current_user, center, import_form.file.data.stream)
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            flash(_("%(done)s deals recorded, %(bad)s rows with errors.", done=done, bad=len(errors)),
                  "success" if not errors else "warning")
    return _offline_page(center, form, import_form, errors)
