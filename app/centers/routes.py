from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, apply_error, translate_domain
from ..domain import targets as target_rules
from ..domain.errors import DomainError
from ..extensions import db
from ..models import AllianceMembership, Center, MembershipStatus, Organisation, OrgKind
from ..services import centers as center_service
from ..services import clock
from ..services.permissions import require_center_staff
from ..route_helpers import get_or_404, permission_errors
from . import bp
from .forms import CenterForm, JoinForm, TargetsForm


@bp.route("/")
def index():
    centers = db.session.scalars(sa.select(Center).order_by(Center.id)).all()
    counts = dict(
        db.session.execute(
            sa.select(AllianceMembership.center_id, sa.func.count())
            .where(AllianceMembership.status == MembershipStatus.APPROVED)
            .group_by(AllianceMembership.center_id)
        ).all()
    )
    return render_template(
        "centers/index.html", centers=centers, counts=counts, today=clock.today(),
        can_create=center_service.can_create_centers(current_user),
    )


@bp.route("/<int:center_id>")
def detail(center_id: int):
    center = get_or_404(Center, center_id)
    today = clock.today()
    staff = center_service.is_center_staff(current_user, center)
    members = [m for m in center.memberships if m.status == MembershipStatus.APPROVED]
    members.sort(key=lambda m: (m.org.kind, m.org.name))
    by_kind = Counter(m.org.kind.value for m in members)
    pending = [m for m in center.memberships if m.status == MembershipStatus.PENDING] if staff else []
    own_membership = None
    if current_user.is_authenticated:
        own_membership = next((m for m in center.memberships if m.org_id == current_user.org_id), None)
    years = []
    if center.approval_date:
        for n in range(1, 6):
            start, end = target_rules.project_year_span(center.approval_date, n)
            years.append({"year": n, "start": start, "end": end, "target": center.target_for(n),
                          "last": target_rules.project_year_last_day(center.approval_date, n)})
    return render_template(
        "centers/detail.html", center=center, members=members, by_kind=by_kind, pending=pending, staff=staff,
        years=years, current_year=center.project_year(today), own_membership=own_membership,
        actions=center_service.membership_actions(current_user, own_membership),
        join_form=JoinForm(), button=EmptyForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not center_service.can_create_centers(current_user):
        abort(403)
    form = CenterForm()
    center_orgs = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrgKind.CENTER).order_by(Organisation.name)
    ).all()
    form.org_id.choices = [(o.id, o.name) for o in center_orgs]
    others = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind.not_in([OrgKind.CENTER, OrgKind.BUREAU])).order_by(Organisation.name)
    ).all()
    form.founder_ids.choices = [(o.id, o.name) for o in others]
    if form.validate_on_submit():
        founders = [db.session.get(Organisation, i) for i in form.founder_ids.data or []]
        with permission_errors():
            try:
                center = center_service.create_center(
                    current_user, org=db.session.get(Organisation, form.org_id.data), name=form.name.data,
                    industry=form.industry.data, approval_date=form.approval_date.data,
                    description=form.description.data or "", founders=[f for f in founders if f],
                )
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Center created."), "success")
                return redirect(url_for("centers.detail", center_id=center.id))
    return render_template("centers/new.html", form=form)


@bp.route("/<int:center_id>/targets", methods=["GET", "POST"])
@login_required
def targets(center_id: int):
    center = get_or_404(Center, center_id)
    with permission_errors():
        require_center_staff(current_user, center)
    form = TargetsForm()
    if request.method == "GET":
        for n in range(1, 6):
            getattr(form, f"year_{n}").data = center.target_for(n)
    if form.validate_on_submit():
        values = [getattr(form, f"year_{n}").data for n in range(1, 6)]
        try:
            center_service.set_targets(current_user, center, values)
        except DomainError as err:
            apply_error(form, err)
        else:
            flash(_("Targets saved."), "success")
            return redirect(url_for("centers.detail", center_id=center.id))
    return render_template("centers/targets.html", form=form, center=center, rule=target_rules.yearly_targets())


@bp.route("/<int:center_id>/join", methods=["POST"])
@login_required
def join(center_id: int):
    center = get_or_404(Center, center_id)
    form = JoinForm()
    if form.validate_on_submit():
        with permission_errors():
            try:
                center_service.request_membership(current_user, center, form.message.data or "")
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Application sent. The center will review it."), "success")
    return redirect(url_for("centers.detail", center_id=center.id))


@bp.route("/memberships/<int:membership_id>/<any(approve, reject):decision>", methods=["POST"])
@login_required
def decide(membership_id: int, decision: str):
    membership = get_or_404(AllianceMembership, membership_id)
    if not center_service.is_center_staff(current_user, membership.center):
        abort(404 if membership.org_id != current_user.org_id else 403)
    if EmptyForm().validate_on_submit():
        try:
            center_service.decide_membership(current_user, membership, decision == "approve")
        except DomainError as err:
            flash(translate_domain(err), "danger")
        else:
            flash(_("Decision recorded."), "success")
    return redirect(url_for("centers.detail", center_id=membership.center_id))


@bp.route("/memberships/<int:membership_id>/leave", methods=["POST"])
@login_required
def leave(membership_id: int):
    membership = get_or_404(AllianceMembership, membership_id)
    if membership.org_id != current_user.org_id and not center_service.is_center_staff(current_user, membership.center):
        abort(404)
    if EmptyForm().validate_on_submit():
        with permission_errors():
            try:
                center_service.leave_alliance(current_user, membership)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Membership ended."), "info")
    return redirect(url_for("centers.detail", center_id=membership.center_id))
