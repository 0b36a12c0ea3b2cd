from __future__ import annotations


import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import FloatField
from wtforms.validators import InputRequired, NumberRange

from ..formkit import EmptyForm, apply_error, translate_domain
from ..domain import valuation
from ..domain.errors import DomainError
from ..extensions import db
from ..labels import LEGAL_STATUS, PATENT_TYPE
from ..models import (Center, CrossLicence, Organisation, OrgKind, Patent, PatentGrade, Pool, PoolAlert, PoolMemberStatus,
                      PoolPatent, ValuationWeights)
from ..services import grading
from ..services import pools as pool_service
from ..services.permissions import is_center_staff, require_center_or_bureau, require_center_staff
from ..route_helpers import get_or_404, page_arg, permission_errors
from . import bp
from .forms import ContributeForm, CrossLicenceForm, InviteMemberForm, LicenceForm, PoolForm, TermsForm, WeightsForm


@bp.route("/")
def index():
    pools = db.session.scalars(sa.select(Pool).order_by(Pool.id)).all()
    return render_template("pools/index.html", pools=pools, figures={p.id: pool_service.compliance(p) for p in pools})


@bp.route("/<int:pool_id>")
def detail(pool_id: int):
    pool = get_or_404(Pool, pool_id)
    manager = pool_service.is_manager(current_user, pool)
    member = pool_service.membership(pool, current_user.org_id) if current_user.is_authenticated else None
    page, filters = _pool_patents_page(pool)
    alerts = db.session.scalars(sa.select(PoolAlert).where(PoolAlert.pool_id == pool.id)
                                .order_by(PoolAlert.id.desc()).limit(20)).all() if manager else []
    contribute_form = None
    if pool_service.may_contribute(current_user, pool):
        contribute_form = ContributeForm()
        in_pool = set(db.session.scalars(sa.select(PoolPatent.patent_id).where(
            PoolPatent.pool_id == pool.id, PoolPatent.withdrawn_at.is_(None))))
        own = db.session.scalars(sa.select(Patent).where(Patent.owner_org_id == current_user.org_id)
                                 .order_by(Patent.id)).all()
        contribute_form.patent_ids.choices = [(p.id, f"{p.application_number} {p.title}") for p in own if p.id not in in_pool]
    invite_form = None
    if manager:
        invite_form = InviteMemberForm()
        taken = {m.org_id for m in pool.members if m.status in (PoolMemberStatus.INVITED, PoolMemberStatus.JOINED)}
        orgs = db.session.scalars(sa.select(Organisation).where(Organisation.kind.not_in([OrgKind.CENTER, OrgKind.BUREAU]))
                                  .order_by(Organisation.name)).all()
        invite_form.org_id.choices = [(o.id, o.name) for o in orgs if o.id not in taken]
    terms_form = TermsForm(obj=pool) if manager else None
    if terms_form is not None and request.method == "GET":
        terms_form.royalty.data = pool.royalty_fen
    licence_form = LicenceForm() if pool_service.may_take_licence(current_user, pool) else None
    withdrawable = {pp.id for pp in page.items if pool_service.may_withdraw(current_user, pool, pp)}
    return render_template(
        "pools/detail.html", pool=pool, compliance=pool_service.compliance(pool), page=page, filters=filters,
        sorts=POOL_PATENT_SORTS, manager=manager, withdrawable=withdrawable,
        member=member, alerts=alerts, contribute_form=contribute_form, invite_form=invite_form,
        terms_form=terms_form, licence_form=licence_form, button=EmptyForm(),
    )


POOL_PAGE_SIZE = 50
POOL_PATENT_SORTS = {
    "number": (Patent.application_number,),
    "title": (Patent.title, Patent.id),
    "status": (Patent.legal_status, Patent.application_number),
    "contributor": (Organisation.name, Patent.application_number),
    "newest": (PoolPatent.consent_at.desc(), PoolPatent.id.desc()),
}


def _pool_patents_page(pool: Pool):
    """One page of the pool's patents, filtered (number or title, type, legal status, contributor)
    and sorted by the query arguments; unknown values are ignored."""
    args = request.args
    filters = {"q": (args.get("q") or "").strip()[:100], "type": args.get("type") or "",
               "status": args.get("status") or "", "contributor": args.get("contributor", type=int),
               "sort": args.get("sort") if args.get("sort") in POOL_PATENT_SORTS else "number"}
    stmt = (sa.select(PoolPatent).join(Patent, Patent.id == PoolPatent.patent_id)
            .join(Organisation, Organisation.id == PoolPatent.contributor_org_id)
            .where(PoolPatent.pool_id == pool.id, PoolPatent.withdrawn_at.is_(None)))
    if filters["q"]:
        like = f"%{filters['q']}%"
        stmt = stmt.where(sa.or_(Patent.application_number.ilike(like), Patent.title.ilike(like)))
    if filters["type"] in PATENT_TYPE:
        stmt = stmt.where(Patent.patent_type == filters["type"])
    if filters["status"] in LEGAL_STATUS:
        stmt = stmt.where(Patent.legal_status == filters["status"])
    if filters["contributor"]:
        stmt = stmt.where(PoolPatent.contributor_org_id == filters["contributor"])
    stmt = stmt.order_by(*POOL_PATENT_SORTS[filters["sort"]]).options(
        joinedload(PoolPatent.patent), joinedload(PoolPatent.contributor))
    page = db.paginate(stmt, page=page_arg(), per_page=POOL_PAGE_SIZE, error_out=False)
    filters["contributors"] = db.session.execute(
        sa.select(Organisation.id, Organisation.name).join(PoolPatent, PoolPatent.contributor_org_id == Organisation.id)
        .where(PoolPatent.pool_id == pool.id, PoolPatent.withdrawn_at.is_(None)).distinct().order_by(Organisation.name)).all()
    return page, filters


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = PoolForm()
    centers = [c for c in db.session.scalars(sa.select(Center).order_by(Center.id)) if is_center_staff(current_user, c)]
    form.center_id.choices = [(0, _("— my organisation leads it —"))] + [(c.id, c.name) for c in centers]
    if form.validate_on_submit():
        center = db.session.get(Center, form.center_id.data) if form.center_id.data else None
        with permission_errors():
            try:
                pool = pool_service.create_pool(current_user, name=form.name.data, field=form.field.data,
                                                industry=form.industry.data, center=center)
            except DomainError as err:
                apply_error(form, err)
            else:
                flash(_("Pool created. Invite members next."), "success")
                return redirect(url_for("pools.detail", pool_id=pool.id))
    return render_template("pools/new.html", form=form)


def _back(pool: Pool):
    return redirect(url_for("pools.detail", pool_id=pool.id))


@bp.route("/<int:pool_id>/invite", methods=["POST"])
@login_required
def invite(pool_id: int):
    pool = get_or_404(Pool, pool_id)
    form = InviteMemberForm()
    form.org_id.choices = [(o, o) for o in db.session.scalars(sa.select(Organisation.id))]
    if form.validate_on_submit():
        with permission_errors():
            try:
                pool_service.invite(current_user, pool, get_or_404(Organisation, form.org_id.data),
                                    form.fixed_share.data or 0)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Invitation sent."), "success")
    return _back(pool)


@bp.route("/<int:pool_id>/<any(accept, decline):answer>", methods=["POST"])
@login_required
def respond(pool_id: int, answer: str):
    pool = get_or_404(Pool, pool_id)
    if EmptyForm().validate_on_submit():
        with permission_errors():
            pool_service.respond(current_user, pool, answer == "accept")
        flash(_("Answer recorded."), "success")
    return _back(pool)


@bp.route("/<int:pool_id>/leave", methods=["POST"])
@login_required
def leave(pool_id: int):
    pool = get_or_404(Pool, pool_id)
    if EmptyForm().validate_on_submit():
        with permission_errors():
            try:
                pool_service.leave(current_user, pool)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Your organisation left the pool; its patents were withdrawn."), "info")
    return _back(pool)


@bp.route("/<int:pool_id>/contribute", methods=["POST"])
@login_required
def contribute(pool_id: int):
    pool = get_or_404(Pool, pool_id)
    form = ContributeForm()
    form.patent_ids.choices = [(p, p) for p in db.session.scalars(
        sa.select(Patent.id).where(Patent.owner_org_id == current_user.org_id))]
    if form.validate_on_submit():
        with permission_errors():
            try:
                n = pool_service.contribute(current_user, pool, form.patent_ids.data)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("%(n)s patents contributed.", n=n), "success")
    else:
        flash(_("Choose at least one of your patents."), "danger")
    return _back(pool)


@bp.route("/<int:pool_id>/patents/<int:pp_id>/withdraw", methods=["POST"])
@login_required
def withdraw(pool_id: int, pp_id: int):
    pool = get_or_404(Pool, pool_id)
    pp = get_or_404(PoolPatent, pp_id)
    if pp.pool_id != pool.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        with permission_errors():
            pool_service.withdraw(current_user, pool, pp)
        flash(_("Patent withdrawn from the pool."), "info")
    return _back(pool)


@bp.route("/<int:pool_id>/terms", methods=["POST"])
@login_required
def terms(pool_id: int):
    pool = get_or_404(Pool, pool_id)
    form = TermsForm()
    if form.validate_on_submit():
        with permission_errors():
            try:
                pool_service.publish_terms(current_user, pool, royalty_kind=form.royalty_kind.data,
                                           royalty_fen=form.royalty.data, field_of_use=form.field_of_use.data or "",
                                           term_months=form.term_months.data, split_rule=form.split_rule.data)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Licence terms published."), "success")
    else:
        for errors in form.errors.values():
            flash("; ".join(str(e) for e in errors), "danger")
    return _back(pool)


@bp.route("/<int:pool_id>/licence", methods=["POST"])
@login_required
def licence(pool_id: int):
    pool = get_or_404(Pool, pool_id)
    form = LicenceForm()
    if form.validate_on_submit():
        with permission_errors():
            try:
                deal = pool_service.take_licence(current_user, pool, form.units.data)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Licence deal opened; sign it with the pool's lead organisation."), "success")
                return redirect(url_for("deals.detail", deal_id=deal.id))
    return _back(pool)


@bp.route("/cross-licences", methods=["GET", "POST"])
@login_required
def cross_licences():
    form = CrossLicenceForm()
    others = db.session.scalars(sa.select(Organisation).where(Organisation.id != current_user.org_id,
                                                              Organisation.kind.not_in([OrgKind.CENTER, OrgKind.BUREAU]))
                                .order_by(Organisation.name)).all()
    form.org_b_id.choices = [(o.id, o.name) for o in others]
    if form.validate_on_submit():
        with permission_errors():
            try:
                pool_service.record_cross_licence(current_user, form.org_b_id.data, form.patents_a.data,
                                                  form.patents_b.data, signed_on=form.signed_on.data,
                                                  term_months=form.term_months.data, notes=form.notes.data or "")
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                flash(_("Cross-licence recorded."), "success")
                return redirect(url_for("pools.cross_licences"))
    rows = db.session.scalars(sa.select(CrossLicence).where(sa.or_(
        CrossLicence.org_a_id == current_user.org_id, CrossLicence.org_b_id == current_user.org_id))
        .order_by(CrossLicence.id.desc())).all()
    return render_template("pools/cross_licences.html", form=form, rows=rows)


# ---- grading --------------------------------------------------------------------------------


@bp.route("/grades/<int:center_id>")
@login_required
def grades(center_id: int):
    """Graded management lists of a center's industry: core / important / general / to abandon."""
    center = get_or_404(Center, center_id)
    with permission_errors():
        require_center_or_bureau(current_user, center)
    grade = request.args.get("grade") if request.args.get("grade") in ("A", "B", "C", "D") else "A"
    counts = dict(db.session.execute(sa.select(PatentGrade.grade, sa.func.count()).join(Patent)
                                     .where(Patent.industry == center.industry).group_by(PatentGrade.grade)).all())
    # db.paginate yields scalars, the first entity only: page the grades, then fetch their patents.
    stmt = (sa.select(PatentGrade).join(Patent, PatentGrade.patent_id == Patent.id)
            .where(Patent.industry == center.industry, PatentGrade.grade == grade)
            .order_by(PatentGrade.score.desc(), Patent.id))
    page = db.paginate(stmt, page=page_arg(), per_page=30, error_out=False)
    patents = {p.id: p for p in db.session.scalars(sa.select(Patent).where(Patent.id.in_([g.patent_id for g in page.items])))}
    rows = [(patents[g.patent_id], g) for g in page.items]
    return render_template("pools/grades.html", center=center, grade=grade, counts=counts, page=page, rows=rows,
                           management=valuation.MANAGEMENT)


@bp.route("/grades/<int:center_id>/weights", methods=["GET", "POST"])
@login_required
def weights(center_id: int):
    center = get_or_404(Center, center_id)
    with permission_errors():
        require_center_staff(current_user, center)
    row = db.session.scalar(sa.select(ValuationWeights).where(ValuationWeights.center_id == center.id))
    current = row.weights if row else valuation.DEFAULT_WEIGHTS

    class Form(WeightsForm):
        pass

    for group, values in valuation.DEFAULT_WEIGHTS.items():
        for name in values:
            setattr(Form, f"{group}__{name}", FloatField(f"{group}.{name}", validators=[InputRequired(), NumberRange(min=0, max=100)],
                                                          default=current[group][name]))
    form = Form()
    if form.validate_on_submit():
        new = {g: {n: getattr(form, f"{g}__{n}").data for n in values} for g, values in valuation.DEFAULT_WEIGHTS.items()}
        with permission_errors():
            try:
                grading.set_weights(current_user, center, new)
            except DomainError as err:
                flash(translate_domain(err), "danger")
            else:
                result = grading.grade_patents(industry=center.industry.value)
                flash(_("Weights saved; %(n)s patents regraded.", n=result["patents"]), "success")
                return redirect(url_for("pools.grades", center_id=center.id))
    groups = [(g, [getattr(form, f"{g}__{n}") for n in values]) for g, values in valuation.DEFAULT_WEIGHTS.items()]
    return render_template("pools/weights.html", center=center, form=form, groups=groups)
