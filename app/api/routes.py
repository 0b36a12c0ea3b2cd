"""JSON API /api/v1: token auth, pydantic models, JSON errors with field paths."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import g, jsonify, request
from pydantic import BaseModel, ValidationError

from ..domain.deals import DealAction, DealTransitionError
from ..domain.errors import DomainError
from ..domain.lifecycle import PublicationStatus
from ..extensions import csrf, db
from ..labels import label, reason_text
from ..models import Center, Deal, Listing, Need, Patent, PatentApplicant, PatentIPC, Role
from ..services import deals as deal_service
from ..services import listings as listing_service
from ..services import targets as target_service
from ..services import tokens
from ..services.centers import is_center_staff
from ..services.permissions import AccessDenied, Forbidden, NotFound, can_view_published_item, may_read_center
from . import bp, schemas
from .openapi import document

csrf.exempt(bp)


class ApiError(Exception):
    def __init__(self, code: int, message: str, fields: list[dict] | None = None):
        self.code, self.message, self.fields = code, message, fields or []


def error(code: int, message: str, fields=None):
    body = schemas.Error(error=schemas.ErrorBody(code=code, message=message, fields=fields or []))
    return jsonify(body.model_dump()), code


@bp.errorhandler(ApiError)
def api_error(err: ApiError):
    return error(err.code, err.message, err.fields)


@bp.errorhandler(ValidationError)
def validation_error(err: ValidationError):
    fields = [{"path": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in err.errors()]
    return error(422, "invalid request", fields)


@bp.errorhandler(DealTransitionError)
def conflict(err: DealTransitionError):
    return error(409, err.message)


@bp.errorhandler(DomainError)
def domain_error(err: DomainError):
    return error(422, err.message, [{"path": err.field, "message": err.message}] if err.field else [])


@bp.errorhandler(AccessDenied)
def access_denied(err: AccessDenied):
    return error(404, "not found") if isinstance(err, NotFound) else error(403, "forbidden")


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.startswith("Bearer ") else ""
        user = tokens.authenticate(token)
        if user is None:
            response = error(401, "a valid API token is required (Authorization: Bearer ipx_…)")
            response[0].headers["WWW-Authenticate"] = "Bearer"
            return response
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


def body(model: type[BaseModel]) -> BaseModel:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(422, "the body must be a JSON object", [{"path": "body", "message": "a JSON object"}])
    return model.model_validate(data)


def _query_int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ApiError(422, f"{name} is an integer from {low} to {high}",
                       [{"path": name, "message": f"an integer from {low} to {high}"}])
    return value


def paging() -> tuple[int, int]:
    return _query_int("page", 1, 1, schemas.MAX_PAGE), _query_int("per_page", 20, 1, schemas.MAX_PER_PAGE)


def page_of(stmt, convert) -> dict:
    page, per_page = paging()
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return {"items": [convert(x).model_dump(mode="json") for x in result.items], "page": page, "per_page": per_page,
            "total": result.total, "pages": result.pages}


def patent_out(p: Patent) -> schemas.PatentOut:
    return schemas.PatentOut(
        id=p.id, application_number=p.application_number, publication_number=p.publication_number, title=p.title,
        abstract=p.abstract, patent_type=p.patent_type.value, legal_status=p.legal_status.value,
        filing_date=p.filing_date, grant_date=p.grant_date, claims_count=p.claims_count,
        industry=p.industry.value if p.industry else None, ipc=p.ipc_list, applicants=p.applicant_names,
        remaining_years=p.remaining_years(),
    )


def listing_out(l: Listing) -> schemas.ListingOut:
    return schemas.ListingOut(
        id=l.id, org_id=l.org_id, org_name=l.org.name, title=l.title, description=l.description, status=l.status.value,
        deal_kinds=l.deal_kinds, price_fen=l.price_fen, trl=l.trl, industry=l.industry.value, region=l.region,
        is_tech_offer=l.is_tech_offer, patent_ids=[p.id for p in l.patents], published_at=l.published_at,
    )


def need_out(n: Need) -> schemas.NeedOut:
    return schemas.NeedOut(
        id=n.id, org_id=n.org_id, org_name=n.org.name, title=n.title, description=n.description, status=n.status.value,
        industry=n.industry.value, ipc_hints=n.ipc_hint_list, budget_min_fen=n.budget_min_fen,
        budget_max_fen=n.budget_max_fen, region=n.region, deadline=n.deadline,
    )


def deal_out(d: Deal) -> schemas.DealOut:
    return schemas.DealOut(
        id=d.id, origin=d.origin.value, status=d.status.value, kind=d.kind.value, seller=d.seller_name,
        buyer=d.buyer_name, center_id=d.center_id, price_fen=d.price_fen,
        patents=[p.application_number for p in d.patents], recordal_number=d.recordal_number,
        completed_on=d.completed_on,
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/docs")
def docs():
    """The API reference, rendered on the server from the same OpenAPI document (no scripts, no CDN)."""
    from flask import render_template
    from flask_babel import gettext

    doc = document()
    operations = [(path, method.upper(), op) for path, methods in doc["paths"].items() for method, op in methods.items()]
    # the document's texts are data (some hold a bare "%"): translated, never %-formatted as the template's _() does
    return render_template("api/docs.html", doc=doc, operations=operations,
                           schemas=doc["components"]["schemas"], text_of=gettext)


@bp.get("/patents")
@token_required
def patents():
    stmt = sa.select(Patent).order_by(Patent.id)
    q = (request.args.get("q") or "").strip()[:200]
    if q:
        like = f"%{q}%"
        stmt = stmt.where(sa.or_(Patent.title.ilike(like), Patent.application_number.contains(q),
                                 Patent.id.in_(sa.select(PatentApplicant.patent_id).where(PatentApplicant.name.ilike(like)))))
    ipc = (request.args.get("ipc") or "").strip().upper()[:20]
    if ipc:
        stmt = stmt.where(Patent.id.in_(sa.select(PatentIPC.patent_id).where(PatentIPC.code.startswith(ipc))))
    return jsonify(page_of(stmt, patent_out))


@bp.get("/patents/<int:patent_id>")
@token_required
def patent(patent_id: int):
    p = db.session.get(Patent, patent_id)
    if p is None:
        raise ApiError(404, "not found")
    return jsonify(patent_out(p).model_dump(mode="json"))


def _published_page(model, convert):
    """Published listings or needs; ``mine=1``: every one of the caller's organisation, drafts included."""
    mine = request.args.get("mine", "0")
    if mine not in ("0", "1"):
        raise ApiError(422, "mine is 0 or 1", [{"path": "mine", "message": "0 or 1"}])
    if mine == "1":
        stmt = sa.select(model).where(model.org_id == g.api_user.org_id)
    else:
        stmt = sa.select(model).where(model.status == PublicationStatus.PUBLISHED)
    return jsonify(page_of(stmt.order_by(model.id.desc()), convert))


def _one_visible(model, object_id: int, convert):
    item = db.session.get(model, object_id)
    if item is None or not can_view_published_item(g.api_user, item):
        raise ApiError(404, "not found")
    return jsonify(convert(item).model_dump(mode="json"))


@bp.get("/listings")
@token_required
def listings():
    return _published_page(Listing, listing_out)


@bp.get("/listings/<int:listing_id>")
@token_required
def listing(listing_id: int):
    return _one_visible(Listing, listing_id, listing_out)


@bp.post("/listings")
@token_required
def create_listing():
    data = body(schemas.ListingIn)
    listing = listing_service.create_listing(g.api_user, listing_service.ListingData(
        title=data.title, patent_ids=data.patent_ids, deal_kinds=list(data.deal_kinds), trl=data.trl,
        industry=data.industry, price_fen=data.price_fen, region=data.region, description=data.description,
        is_tech_offer=data.is_tech_offer, tech_summary=data.tech_summary), publish=data.publish)
    return jsonify(listing_out(listing).model_dump(mode="json")), 201


@bp.get("/needs")
@token_required
def needs():
    return _published_page(Need, need_out)


@bp.get("/needs/<int:need_id>")
@token_required
def need(need_id: int):
    return _one_visible(Need, need_id, need_out)


@bp.get("/needs/<int:need_id>/matches")
@token_required
def need_matches(need_id: int):
    from ..services import matching

    n = db.session.get(Need, need_id)
    if n is None or not matching.can_see_need_matches(g.api_user, n):
        raise ApiError(404, "not found")
    items = [schemas.MatchOut(
        id=m.id, need_id=m.need_id, listing=listing_out(m.listing), score=m.score,
        factors=[schemas.MatchFactor(**{k: f.get(k) for k in schemas.MatchFactor.model_fields if k in f})
                 for f in m.explanation],
    ) for m in matching.matches_for_need(n)]
    return jsonify(schemas.MatchesOut(need_id=n.id, items=items).model_dump(mode="json"))


@bp.post("/needs")
@token_required
def create_need():
    data = body(schemas.NeedIn)
    need = listing_service.create_need(g.api_user, listing_service.NeedData(
        title=data.title, description=data.description, industry=data.industry, ipc_hints="; ".join(data.ipc_hints),
        budget_min_fen=data.budget_min_fen, budget_max_fen=data.budget_max_fen, region=data.region,
        deadline=data.deadline), publish=data.publish)
    return jsonify(need_out(need).model_dump(mode="json")), 201


@bp.get("/deals")
@token_required
def deals():
    user = g.api_user
    stmt = sa.select(Deal).order_by(Deal.id.desc())
    if user.role != Role.PLATFORM_ADMIN:
        centers = [c.id for c in db.session.scalars(sa.select(Center).where(Center.org_id == user.org_id))
                   if is_center_staff(user, c)]
        stmt = stmt.where(sa.or_(Deal.seller_org_id == user.org_id, Deal.buyer_org_id == user.org_id,
                                 Deal.center_id.in_(centers)))
    return jsonify(page_of(stmt, deal_out))


@bp.get("/deals/<int:deal_id>")
@token_required
def deal(deal_id: int):
    d = db.session.get(Deal, deal_id)
    if d is None or not deal_service.can_view(g.api_user, d):
        raise ApiError(404, "not found")
    return jsonify(deal_out(d).model_dump(mode="json"))


@bp.post("/deals/<int:deal_id>/actions/<action>")
@token_required
def deal_action(deal_id: int, action: str):
    try:
        action = DealAction(action)
    except ValueError as err:
        raise ApiError(404, "unknown action") from err
    data = body(schemas.DealActionIn) if request.data else schemas.DealActionIn()
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 100):
        raise ApiError(422, "invalid Idempotency-Key", [{"path": "Idempotency-Key", "message": "1 to 100 characters"}])
    kwargs = {"key": f"api:{g.api_user.id}:{key}" if key else None}
    if action is DealAction.RECORD:
        kwargs.update(recordal_number=data.recordal_number or "", recordal_date=data.recordal_date)
    elif action in (DealAction.DISPUTE, DealAction.REVERSE, DealAction.REFUND):
        kwargs["reason"] = data.reason or ""
    result = deal_service.ACTIONS[action](g.api_user, deal_id, **kwargs)
    return jsonify(schemas.DealActionOut(deal_id=result["deal_id"], status=result["status"]).model_dump())


@bp.get("/centers/<int:center_id>/targets")
@token_required
def center_targets(center_id: int):
    user = g.api_user
    center = db.session.get(Center, center_id)
    if center is None:
        raise ApiError(404, "not found")
    if not may_read_center(user, center):
        raise Forbidden("forbidden")
    t5 = target_service.task5(center)
    p, v = t5.progress, t5.verdict
    years = [schemas.TargetYear(**{k: y.get(k) for k in schemas.TargetYear.model_fields}) for y in (p or {}).get("years", [])]
    out = schemas.TargetsOut(
        center_id=center.id, center=center.name, approval_date=center.approval_date,
        current_year=p["current_year"] if p else 0, total=p["total"] if p else 0, growth=v.growth,
        state=v.state.value, state_label=label("task5_state", v.state),
        reasons=[schemas.VerdictReason(kind=r.kind, text=reason_text(r), params=r.params) for r in v.reasons],
        targets_source="center" if t5.source.own else "notice", needed_final=v.needed_final, years=years)
    return jsonify(out.model_dump(mode="json"))
