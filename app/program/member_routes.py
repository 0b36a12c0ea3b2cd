"""Services to alliance members: financing and insurance matchmaking, early-warning watches,
dispute consultations, training and events."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, apply_error, translate_domain
from ..domain.errors import DomainError
from ..extensions import db
from ..models import (
    Center,
    DisputeRequest,
    FinancingOffer,
    FinancingRequest,
    TrainingEvent,
    WarningWatch,
)
from ..services import member_support as support
from ..services import clock
from ..services import program as ps
from ..services.centers import is_center_staff
from ..route_helpers import get_or_404, permission_errors
from . import bp
from .forms import AnswerForm, DisputeForm, EventForm, FinancingForm, OfferForm, WatchForm


def _visible(model, item_id: int):
    item = db.session.get(model, item_id)
    with permission_errors():
        support.require_view_request(current_user, item)
    return item


def _act(action, success: str) -> None:
    """Run a one-click service action; broken rules are flashed, missing rights become 403/404."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        try:
            action()
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            flash(success, "success")


def _service_page(center_id: int, model, form_cls, create, template: str, endpoint: str):
    center = get_or_404(Center, center_id)
    member = ps.is_member(current_user, center)
    form = form_cls() if member else None
    if form is not None and form.validate_on_submit():
        with permission_errors():
            try:
                item = create(center, form)
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Sent to the center."), "success")
                return redirect(url_for(endpoint, item_id=item.id))
    elif form is None and request.method == "POST":
        abort(403)
    return render_template(template, center=center, items=support.visible_requests(current_user, center, model), form=form,
                           member=member, staff=is_center_staff(current_user, center))


# ---- financing and insurance ---------------------------------------------------------------


@bp.route("/centers/<int:center_id>/financing", methods=["GET", "POST"])
@login_required
def financing(center_id: int):
    return _service_page(center_id, FinancingRequest, FinancingForm, lambda center, form: support.request_financing(
        current_user, center, kind=form.kind.data, amount_fen=form.amount.data, patents=form.patents.data or "",
        description=form.description.data), "program/financing.html", "program.financing_detail")


@bp.route("/financing/<int:item_id>", methods=["GET", "POST"])
@login_required
def financing_detail(item_id: int):
    item = _visible(FinancingRequest, item_id)
    staff = is_center_staff(current_user, item.center)
    form = OfferForm() if staff and item.status.value == "open" else None
    if form is not None and form.validate_on_submit():
        with permission_errors():
            try:
                support.add_offer(current_user, item, provider_name=form.provider_name.data,
                             provider_kind=form.provider_kind.data, amount_fen=form.amount.data, terms=form.terms.data or "")
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Offer added; the member decides."), "success")
                return redirect(url_for("program.financing_detail", item_id=item.id))
    elif form is None and request.method == "POST":
        abort(403)
    return render_template("program/financing_detail.html", item=item, form=form, staff=staff,
                           own=current_user.org_id == item.org_id, button=EmptyForm())


@bp.route("/offers/<int:offer_id>/<any(accept, decline):answer>", methods=["POST"])
@login_required
def decide_offer(offer_id: int, answer: str):
    offer = db.session.get(FinancingOffer, offer_id)
    item = _visible(FinancingRequest, offer.request_id if offer else 0)
    _act(lambda: support.decide_offer(current_user, offer, answer == "accept"), _("Decision recorded."))
    return redirect(url_for("program.financing_detail", item_id=item.id))


@bp.route("/financing/<int:item_id>/<any(withdraw, close):action>", methods=["POST"])
@login_required
def close_financing(item_id: int, action: str):
    item = _visible(FinancingRequest, item_id)
    _act(lambda: support.close_financing(current_user, item, withdraw=action == "withdraw"), _("Request closed."))
    return redirect(url_for("program.financing_detail", item_id=item.id))


# ---- early-warning watches -----------------------------------------------------------------


@bp.route("/centers/<int:center_id>/watches", methods=["GET", "POST"])
@login_required
def watches(center_id: int):
    return _service_page(center_id, WarningWatch, WatchForm, lambda center, form: support.create_watch(
        current_user, center, name=form.name.data, ipc_codes=form.ipc_codes.data or "",
        competitors=form.competitors.data or ""), "program/watches.html", "program.watch_detail")


@bp.route("/watches/<int:item_id>")
@login_required
def watch_detail(item_id: int):
    watch = _visible(WarningWatch, item_id)
    return render_template("program/watch_detail.html", watch=watch, hits=support.watch_hits(watch), button=EmptyForm(),
                           own=current_user.org_id == watch.org_id)


@bp.route("/watches/<int:item_id>/<any(seen, stop):action>", methods=["POST"])
@login_required
def watch_action(item_id: int, action: str):
    watch = _visible(WarningWatch, item_id)
    if action == "seen":
        _act(lambda: support.mark_seen(current_user, watch), _("Marked as seen."))
    else:
        _act(lambda: support.stop_watch(current_user, watch), _("Watch stopped."))
    return redirect(url_for("program.watch_detail", item_id=watch.id))


@bp.route("/alerts")
@login_required
def alerts():
    """The in-app notification list: new patents matching the organisation's watches."""
    return render_template("program/alerts.html", rows=support.my_watches(current_user))


# ---- dispute consultations -----------------------------------------------------------------


@bp.route("/centers/<int:center_id>/disputes", methods=["GET", "POST"])
@login_required
def disputes(center_id: int):
    return _service_page(center_id, DisputeRequest, DisputeForm, lambda center, form: support.request_consultation(
        current_user, center, kind=form.kind.data, subject=form.subject.data, counterparty=form.counterparty.data or "",
        description=form.description.data or ""), "program/disputes.html", "program.dispute_detail")


@bp.route("/disputes/<int:item_id>", methods=["GET", "POST"])
@login_required
def dispute_detail(item_id: int):
    item = _visible(DisputeRequest, item_id)
    staff = is_center_staff(current_user, item.center)
    form = AnswerForm(obj=item if request.method == "GET" else None) if staff and item.status.value != "closed" else None
    if form is not None and form.validate_on_submit():
        with permission_errors():
            try:
                support.answer_consultation(current_user, item, form.answer.data)
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Answer sent."), "success")
                return redirect(url_for("program.dispute_detail", item_id=item.id))
    elif form is None and request.method == "POST":
        abort(403)
    return render_template("program/dispute_detail.html", item=item, form=form, staff=staff,
                           own=current_user.org_id == item.org_id, button=EmptyForm())


@bp.route("/disputes/<int:item_id>/close", methods=["POST"])
@login_required
def close_dispute(item_id: int):
    item = _visible(DisputeRequest, item_id)
    _act(lambda: support.close_consultation(current_user, item), _("Consultation closed."))
    return redirect(url_for("program.dispute_detail", item_id=item.id))


# ---- training and events (public) -----------------------------------------------------------


@bp.route("/centers/<int:center_id>/events", methods=["GET", "POST"])
def events(center_id: int):
    center = get_or_404(Center, center_id)
    staff = is_center_staff(current_user, center)
    form = EventForm() if staff else None
    if form is not None and form.validate_on_submit():
        with permission_errors():
            try:
                event = support.create_event(current_user, center, title=form.title.data, kind=form.kind.data,
                                        starts_at=form.starts_at.data, location=form.location.data or "",
                                        capacity=form.capacity.data, description=form.description.data or "")
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Event published."), "success")
                return redirect(url_for("program.event_detail", event_id=event.id))
    elif form is None and request.method == "POST":
        abort(403 if current_user.is_authenticated else 401)
    now = clock.utc_naive(clock.now())
    rows = db.session.scalars(sa.select(TrainingEvent).where(TrainingEvent.center_id == center.id)
                              .order_by(TrainingEvent.starts_at.desc())).all()
    return render_template("program/events.html", center=center, events=rows, form=form, now=now)


@bp.route("/events/<int:event_id>")
def event_detail(event_id: int):
    event = get_or_404(TrainingEvent, event_id)
    return render_template("program/event_detail.html", event=event, staff=is_center_staff(current_user, event.center),
                           signup=support.signup_of(event, current_user), now=clock.utc_naive(clock.now()),
                           button=EmptyForm())


@bp.route("/events/<int:event_id>/<any(signup, unsign, cancel):action>", methods=["POST"])
@login_required
def event_action(event_id: int, action: str):
    event = get_or_404(TrainingEvent, event_id)
    if action == "signup":
        _act(lambda: support.sign_up(current_user, event), _("You are signed up."))
    elif action == "unsign":
        _act(lambda: support.cancel_signup(current_user, event), _("Sign-up cancelled."))
    else:
        _act(lambda: support.cancel_event(current_user, event), _("Event cancelled."))
    return redirect(url_for("program.event_detail", event_id=event.id))
