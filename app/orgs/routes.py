from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..formkit import EmptyForm, apply_error, translate_domain
from ..domain.errors import DomainError
from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..labels import choices
from ..models import AllianceMembership, Invitation, Listing, Need, Organisation, OrgKind, Patent, User
from ..services import accounts, permissions
from ..route_helpers import get_or_404, page_arg
from . import bp
from .forms import InviteForm, OrganisationForm




@bp.route("/")
def index():
    kind = request.args.get("kind") or None
    q = (request.args.get("q") or "").strip()[:100]
    stmt = sa.select(Organisation).order_by(Organisation.kind, Organisation.name)
    if kind in {k.value for k in OrgKind}:
        stmt = stmt.where(Organisation.kind == kind)
    if q:
        stmt = stmt.where(Organisation.name.contains(q))
    page = db.paginate(stmt, page=page_arg(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("orgs/index.html", page=page, kind=kind, q=q, kinds=choices("org_kind"))


@bp.route("/<int:org_id>")
def detail(org_id: int):
    org = get_or_404(Organisation, org_id)
    actions = permissions.org_actions(current_user, org)
    own = permissions.same_org(current_user, org.id) or permissions.is_admin(current_user)
    listing_stmt = sa.select(Listing).where(Listing.org_id == org.id).order_by(Listing.id.desc())
    need_stmt = sa.select(Need).where(Need.org_id == org.id).order_by(Need.id.desc())
    if not own:
        listing_stmt = listing_stmt.where(Listing.status == PublicationStatus.PUBLISHED)
        need_stmt = need_stmt.where(Need.status == PublicationStatus.PUBLISHED)
    listings = db.session.scalars(listing_stmt.limit(20)).all()
    needs = db.session.scalars(need_stmt.limit(20)).all()
    patent_count = db.session.scalar(sa.select(sa.func.count(Patent.id)).where(Patent.owner_org_id == org.id))
    patents = db.session.scalars(
        sa.select(Patent).where(Patent.owner_org_id == org.id).order_by(Patent.filing_date.desc()).limit(10)
    ).all()
    memberships = db.session.scalars(
        sa.select(AllianceMembership).where(AllianceMembership.org_id == org.id).order_by(AllianceMembership.id)
    ).all()
    if not own:
        memberships = [m for m in memberships if m.status.value == "approved"]
    invitations = []
    if "manage_users" in actions:
        invitations = [
            i for i in db.session.scalars(
                sa.select(Invitation).where(Invitation.org_id == org.id).order_by(Invitation.id.desc())
            ) if i.is_open
        ]
    return render_template(
        "orgs/detail.html", org=org, own=own, actions=actions, listings=listings, needs=needs,
        patents=patents, patent_count=patent_count, memberships=memberships, invitations=invitations,
        button=EmptyForm(),
    )


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    org = get_or_404(Organisation, org_id)
    if not permissions.may_manage_org(current_user, org.id):
        abort(403)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        try:
            accounts.update_organisation(
                current_user, org, name_en=form.name_en.data or "", region=form.region.data or "",
                address=form.address.data or "", website=form.website.data or "",
                description=form.description.data or "", listing_approval=form.listing_approval.data,
            )
        except DomainError as err:
            apply_error(form, err)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("orgs.detail", org_id=org.id))
    return render_template("orgs/edit.html", form=form, org=org)


@bp.route("/<int:org_id>/invite", methods=["GET", "POST"])
@login_required
def invite(org_id: int):
    org = get_or_404(Organisation, org_id)
    if not permissions.may_invite(current_user, org.id):
        abort(403)
    form = InviteForm()
    form.role.choices = choices("role", {r.value for r in accounts.invitable_roles(org)})
    link = None
    if form.validate_on_submit():
        try:
            invitation, token = accounts.invite(
                current_user, form.email.data, form.role.data, days=current_app.config["INVITATION_DAYS"]
            )
        except DomainError as err:
            apply_error(form, err)
        else:
            # No mail server yet: the link is shown once, to be passed on by the inviter.
            link = url_for("auth.accept_invitation", token=token, _external=True)
            flash(_("Invitation created. Send this link to %(email)s; it is shown only once.", email=invitation.email), "success")
            form = InviteForm(formdata=None)
            form.role.choices = choices("role", {r.value for r in accounts.invitable_roles(org)})
    return render_template("orgs/invite.html", form=form, org=org, link=link)


@bp.route("/invitations/<int:inv_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(inv_id: int):
    inv = get_or_404(Invitation, inv_id)
    if inv.org_id != current_user.org_id:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            accounts.revoke_invitation(current_user, inv)
        except DomainError as err:
            flash(translate_domain(err), "danger")
            abort(403)
        flash(_("Invitation revoked."), "info")
    return redirect(url_for("orgs.detail", org_id=inv.org_id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@login_required
def set_active(user_id: int):
    user = get_or_404(User, user_id)
    if not (current_user.is_platform_admin or current_user.org_id == user.org_id):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        accounts.set_user_active(current_user, user, active)
    except DomainError as err:
        flash(translate_domain(err), "danger")
        abort(403)
    flash(_("Account enabled.") if active else _("Account disabled; its sessions have ended."), "info")
    return redirect(url_for("orgs.detail", org_id=user.org_id))
