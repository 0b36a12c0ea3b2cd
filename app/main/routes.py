from __future__ import annotations


import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..models import AllianceMembership, Center, Listing, MembershipStatus, Need, Organisation, Patent, Role
from ..navigation import TODO_LABELS, menu, report_year
from ..route_helpers import safe_next
from ..services import todo
from . import bp




@bp.route("/")
def index():
    published = PublicationStatus.PUBLISHED
    stats = {
        "patents": db.session.scalar(sa.select(sa.func.count(Patent.id))),
        "listings": db.session.scalar(sa.select(sa.func.count(Listing.id)).where(Listing.status == published)),
        "needs": db.session.scalar(sa.select(sa.func.count(Need.id)).where(Need.status == published)),
        "organisations": db.session.scalar(sa.select(sa.func.count(Organisation.id))),
    }
    latest_listings = db.session.scalars(
        sa.select(Listing).where(Listing.status == published).order_by(Listing.published_at.desc(), Listing.id.desc())
        .limit(6).options(joinedload(Listing.org), selectinload(Listing.patents))
    ).all()
    latest_needs = db.session.scalars(
        sa.select(Need).where(Need.status == published).order_by(Need.published_at.desc(), Need.id.desc())
        .limit(6).options(joinedload(Need.org))
    ).all()
    centers = db.session.scalars(sa.select(Center).order_by(Center.id)).all()
    return render_template(
        "main/index.html", stats=stats, latest_listings=latest_listings, latest_needs=latest_needs, centers=centers
    )


@bp.route("/workspace")
@login_required
def workspace():
    """Where each role lands after login: what waits for the user, and the role's pages."""
    todos, state = todo.summary(current_user)
    centers = []
    if current_user.role in (Role.BUREAU_STAFF, Role.PLATFORM_ADMIN):
        centers = db.session.scalars(sa.select(Center).order_by(Center.id)).all()
    alliances = db.session.scalars(
        sa.select(AllianceMembership).where(AllianceMembership.org_id == current_user.org_id,
                                            AllianceMembership.status == MembershipStatus.APPROVED)
        .options(joinedload(AllianceMembership.center)).order_by(AllianceMembership.center_id)).all()
    return render_template("main/workspace.html", todos=todos, labels=TODO_LABELS, groups=menu(current_user, state),
                           centers=centers, report_year=report_year, alliances=alliances,
                           own_center=db.session.get(Center, state.center_id) if state.center_id else None)


@bp.route("/lang/<code>")
def set_language(code: str):
    """Switch the interface language (kept in the session cookie only)."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("main.index")))


@bp.route("/healthz")
def healthz():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
