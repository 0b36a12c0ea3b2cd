from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, apply_error
from ..domain.errors import DomainError
from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..labels import choices
from ..models import Industry, Need
from ..services import listings as need_service
from ..services.permissions import require_edit, require_view
from ..route_helpers import get_or_404, page_arg, permission_errors, save_edit, status_change
from . import bp
from .forms import NeedForm


@bp.route("/")
def index():
    q = (request.args.get("q") or "").strip()[:200]
    industry = request.args.get("industry") or None
    mine = request.args.get("mine") == "1" and current_user.is_authenticated
    stmt = sa.select(Need)
    if mine:
        stmt = stmt.where(Need.org_id == current_user.org_id)
    else:
        stmt = stmt.where(Need.status == PublicationStatus.PUBLISHED)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(sa.or_(Need.title.ilike(like), Need.description.ilike(like)))
    if industry in {i.value for i in Industry}:
        stmt = stmt.where(Need.industry == industry)
    stmt = stmt.order_by(Need.published_at.desc().nulls_last(), Need.id.desc())
    page = db.paginate(stmt, page=page_arg(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "needs/index.html", page=page, q=q, industry=industry, mine=mine, industry_choices=choices("industry")
    )


@bp.route("/<int:need_id>")
def detail(need_id: int):
    need = get_or_404(Need, need_id)
    with permission_errors():
        require_view(current_user, need)
    own = current_user.is_authenticated and current_user.org_id == need.org_id  # the notices' wording only
    return render_template("needs/detail.html", need=need, own=own, button=EmptyForm(),
                           actions=need_service.need_actions(current_user, need))


def _data(form: NeedForm) -> need_service.NeedData:
    return need_service.NeedData(
        title=form.title.data,
        description=form.description.data or "",
        industry=form.industry.data,
        ipc_hints=form.ipc_hints.data or "",
        budget_min_fen=form.budget_min.data,
        budget_max_fen=form.budget_max.data,
        region=form.region.data or "",
        deadline=form.deadline.data,
        kinds_wanted=tuple(form.kinds_wanted.data or ()),
        min_trl=form.min_trl.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = NeedForm()
    if request.method == "GET":
        form.region.data = current_user.org.region
    if form.validate_on_submit():
        with permission_errors():
            try:
                need = need_service.create_need(current_user, _data(form), publish=form.publish.data)
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Need published.") if form.publish.data else _("Draft saved."), "success")
                return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=None)


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int):
    need = get_or_404(Need, need_id)
    with permission_errors():
        require_edit(current_user, need)
    form = NeedForm(obj=need)
    if request.method == "GET":
        form.budget_min.data = need.budget_min_fen
        form.budget_max.data = need.budget_max_fen
        form.industry.data = need.industry.value
        form.kinds_wanted.data = [k for k in (need.kinds_wanted or "").split(",") if k]
    if form.validate_on_submit():
        done = save_edit(form, need, lambda: need_service.update_need(current_user, need, _data(form)),
                         url_for("needs.detail", need_id=need.id))
        if done is not None:
            return done
    return render_template("needs/form.html", form=form, need=need)


@bp.route("/<int:need_id>/status/<any(published, closed, withdrawn, draft):target>", methods=["POST"])
@login_required
def change_status(need_id: int, target: str):
    need = get_or_404(Need, need_id)
    return status_change(need, need_service.change_status, target, url_for("needs.detail", need_id=need.id))
