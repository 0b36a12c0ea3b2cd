from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, apply_error
from ..domain.errors import DomainError
from ..extensions import db
from ..models import Listing, Match, Need
from ..services import matching as service
from ..services.listings import DEAL_KINDS
from ..route_helpers import get_or_404, page_arg, permission_errors
from . import bp
from .forms import REASONS, DismissForm


def factor_labels() -> dict[str, str]:
    return {
        "text": _("Words in common"), "ipc": _("IPC classes"), "industry": _("Same industry"),
        "alliance": _("Same alliance"), "region": _("Region"), "licence": _("Licence kind wanted"),
        "budget": _("Price and budget"), "stage": _("Development stage"),
    }


@bp.route("/needs/<int:need_id>")
@login_required
def need_matches(need_id: int):
    need = get_or_404(Need, need_id)
    if not service.can_see_need_matches(current_user, need):
        abort(404)
    return _need_page(need)


MATCH_MIN_SCORES = {"50": 0.5, "70": 0.7}


def _need_page(need: Need, bad_form: DismissForm | None = None, bad_match_id: int | None = None, status: int = 200):
    args = request.args
    filters = {"kind": args.get("kind") if args.get("kind") in DEAL_KINDS else "",
               "min": args.get("min") if args.get("min") in MATCH_MIN_SCORES else "",
               "q": (args.get("q") or "").strip()[:100]}
    stmt = service.need_matches_query(need, kind=filters["kind"] or None, min_score=MATCH_MIN_SCORES.get(filters["min"], 0),
                                      words=filters["q"])
    page = db.paginate(stmt, page=page_arg(), per_page=10, error_out=False)
    forms = {m.id: (bad_form if m.id == bad_match_id else DismissForm(prefix=f"m{m.id}")) for m in page.items}
    return render_template("matching/need.html", need=need, page=page, matches=page.items, forms=forms, filters=filters,
                           dismissed=service.matches_for_need(need, dismissed=True), labels=factor_labels(),
                           reasons=dict(REASONS), plain=EmptyForm(),
                           outside_alliances=not service.in_an_alliance(need.org_id)), status


@bp.route("/matches/<int:match_id>/dismiss", methods=["POST"])
@login_required
def dismiss(match_id: int):
    match = get_or_404(Match, match_id)
    if not service.can_see_need_matches(current_user, match.need):
        abort(404)
    form = DismissForm(prefix=f"m{match.id}")
    if form.validate_on_submit():
        with permission_errors():
            try:
                service.dismiss(current_user, match, form.reason.data, form.note.data or "")
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Dismissed. The owner sees only the reason, not who gave it."), "success")
                return redirect(url_for("matching.need_matches", need_id=match.need_id))
    return _need_page(match.need, form, match.id, status=400)


@bp.route("/matches/<int:match_id>/restore", methods=["POST"])
@login_required
def restore(match_id: int):
    match = get_or_404(Match, match_id)
    if not service.can_see_need_matches(current_user, match.need):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        service.restore(current_user, match)
    return redirect(url_for("matching.need_matches", need_id=match.need_id))


@bp.route("/listings/<int:listing_id>")
@login_required
def listing_matches(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if not service.can_see_listing_matches(current_user, listing):
        abort(404)
    return render_template(
        "matching/listing.html", listing=listing, matches=service.matches_for_listing(listing),
        buyers=service.likely_buyers(db.session, listing), reasons=service.dismissal_reasons(listing),
        notes=service.dismissal_notes(listing), reason_labels=dict(REASONS), labels=factor_labels(),
    )


@bp.route("/notifications")
@login_required
def notifications():
    return render_template("matching/notifications.html", items=service.notifications_for(current_user),
                           plain=EmptyForm())


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.mark_all_read(current_user)
    return redirect(url_for("matching.notifications"))
