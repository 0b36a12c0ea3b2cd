"""Negotiation threads: express interest, talk, exchange offers, NDA, confidential details."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, apply_error, translate_domain
from ..domain.errors import DomainError
from ..extensions import db
from ..labels import choices
from ..models import Listing, Need, Thread
from ..services import negotiation as service
from ..services import uploads
from ..services.permissions import can_view_published_item, require_edit
from ..route_helpers import get_or_404, permission_errors
from . import bp
from .forms import ConfidentialForm, MessageForm, NdaForm, OfferForm, StartForm


def _load(thread_id: int) -> Thread:
    thread = get_or_404(Thread, thread_id)
    with permission_errors():
        service.require_view(current_user, thread)
    return thread


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _offer_form(thread: Thread) -> OfferForm:
    form = OfferForm(prefix="offer")
    form.kind.choices = choices("deal_kind", set(thread.listing.deal_kinds))
    return form


def _render(thread: Thread, **forms):
    forms.setdefault("confidential", service.owner_confidential(current_user, thread))
    forms.setdefault("message_form", MessageForm(prefix="msg"))
    forms.setdefault("offer_form", _offer_form(thread))
    forms.setdefault("nda_form", NdaForm(prefix="nda"))
    return render_template(
        "negotiation/thread.html", thread=thread, button=EmptyForm(),
        actions=service.thread_actions(current_user, thread), side=thread.side_of(current_user.org_id),
        open_offer=service.open_offer(thread),
        **forms,
    )


@bp.route("/")
@login_required
def index():
    return render_template("negotiation/index.html", threads=service.threads_for(current_user))


@bp.route("/start", methods=["GET", "POST"])
@login_required
def start():
    form = StartForm()
    listing_id = _int(form.listing_id.data if request.method == "POST" else request.args.get("listing"))
    need_id = _int(form.need_id.data if request.method == "POST" else request.args.get("need"))
    listing = get_or_404(Listing, listing_id or 0)
    need = db.session.get(Need, need_id) if need_id else None  # optional: opened from a match
    if need is not None and not can_view_published_item(current_user, need):
        need = None  # someone else's draft: not even its title
    form.listing_id.data, form.need_id.data = listing.id, need.id if need else ""
    if form.validate_on_submit():
        with permission_errors():
            try:
                thread = service.start_thread(current_user, listing, need=need, message=form.message.data or "")
            except DomainError as err:
                apply_error(form, err)
            else:
                return redirect(url_for("negotiation.detail", thread_id=thread.id))
    else:
        with permission_errors():
            service.require_item_view(current_user, listing)
    return render_template("negotiation/start.html", form=form, listing=listing, need=need)


@bp.route("/<int:thread_id>")
@login_required
def detail(thread_id: int):
    return _render(_load(thread_id))


@bp.route("/<int:thread_id>/messages", methods=["POST"])
@login_required
def post_message(thread_id: int):
    thread = _load(thread_id)
    form = MessageForm(prefix="msg")
    if form.validate_on_submit():
        with permission_errors():
            try:
                service.post_message(current_user, thread, form.body.data or "", form.attachment.data)
            except DomainError as err:
                apply_error(form, err)
            else:
                return redirect(url_for("negotiation.detail", thread_id=thread.id) + "#messages")
    with permission_errors():
        service.require_act(current_user, thread)
    return _render(thread, message_form=form), 422


@bp.route("/<int:thread_id>/messages/<int:message_id>/file")
@login_required
def download(thread_id: int, message_id: int):
    thread = _load(thread_id)
    with permission_errors():
        msg = service.attachment(current_user, thread, message_id)
    try:
        path = uploads.path_of(msg.attachment_file)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    # the type is the one sniffed at upload (the stored name's extension), never the uploaded name's
    mimetype = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}.get(path.suffix.lstrip("."))
    if mimetype is None:
        abort(404)
    return send_file(path, mimetype=mimetype, as_attachment=True,
                     download_name=msg.attachment_name or msg.attachment_file)


@bp.route("/<int:thread_id>/offers", methods=["POST"])
@login_required
def make_offer(thread_id: int):
    thread = _load(thread_id)
    with permission_errors():
        service.require_act(current_user, thread)
    form = _offer_form(thread)
    if form.validate_on_submit():
        royalty = form.royalty_percent.data
        terms = service.OfferTerms(
            kind=form.kind.data, price_fen=form.price.data, payment=form.payment.data,
            royalty_bp=int(royalty * 100) if royalty is not None else None, territory=form.territory.data or "",
            term_months=form.term_months.data, note=form.note.data or "",
        )
        with permission_errors():
            try:
                offer = service.make_offer(current_user, thread, terms)
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Offer version %(v)s sent.", v=offer.version), "success")
                return redirect(url_for("negotiation.detail", thread_id=thread.id) + "#offers")
    return _render(thread, offer_form=form), 422


@bp.route("/<int:thread_id>/offers/<int:offer_id>/<any(accept,decline):action>", methods=["POST"])
@login_required
def decide_offer(thread_id: int, offer_id: int, action: str):
    thread = _load(thread_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        try:
            if action == "accept":
                deal = service.accept_offer(current_user, thread, offer_id)
                flash(_("Offer accepted. A draft deal is open; both sides sign it next."), "success")
                return redirect(url_for("deals.detail", deal_id=deal.id))
            service.decline_offer(current_user, thread, offer_id)
            flash(_("Offer declined."), "info")
        except DomainError as err:
            flash(translate_domain(err), "danger")
    return redirect(url_for("negotiation.detail", thread_id=thread.id) + "#offers")


@bp.route("/<int:thread_id>/close", methods=["POST"])
@login_required
def close(thread_id: int):
    thread = _load(thread_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        try:
            service.close_thread(current_user, thread)
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            flash(_("Negotiation closed."), "info")
    return redirect(url_for("negotiation.detail", thread_id=thread.id))


@bp.route("/<int:thread_id>/nda", methods=["POST"])
@login_required
def request_nda(thread_id: int):
    thread = _load(thread_id)
    form = NdaForm(prefix="nda")
    with permission_errors():
        service.require_act(current_user, thread)
        if form.validate_on_submit():
            try:
                service.request_nda(current_user, thread, form.text.data)
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("NDA sent to the owner."), "success")
                return redirect(url_for("negotiation.detail", thread_id=thread.id) + "#nda")
    return _render(thread, nda_form=form), 422


@bp.route("/<int:thread_id>/nda/<any(accept,decline):decision>", methods=["POST"])
@login_required
def decide_nda(thread_id: int, decision: str):
    thread = _load(thread_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        try:
            service.decide_nda(current_user, thread, decision == "accept")
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            flash(_("NDA accepted: they can now read the confidential details.") if decision == "accept"
                  else _("NDA declined."), "info")
    return redirect(url_for("negotiation.detail", thread_id=thread.id) + "#nda")


@bp.route("/<int:thread_id>/confidential", methods=["POST"])
@login_required
def reveal_confidential(thread_id: int):
    """Show the listing's confidential details in the thread page; each showing is audited."""
    thread = _load(thread_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        text = service.reveal_confidential(current_user, thread)
    return _render(thread, confidential=text)


@bp.route("/listings/<int:listing_id>/confidential", methods=["GET", "POST"])
@login_required
def confidential(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    with permission_errors():
        require_edit(current_user, listing)
    form = ConfidentialForm()
    if request.method == "GET":
        form.body.data = service.confidential_text(listing)
    if form.validate_on_submit():
        with permission_errors():
            try:
                service.set_confidential(current_user, listing, form.body.data or "")
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Confidential details saved."), "success")
                return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("negotiation/confidential.html", form=form, listing=listing)

