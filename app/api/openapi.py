"""The OpenAPI 3.1 document, generated from the pydantic models."""

from __future__ import annotations

from pydantic.json_schema import models_json_schema

from ..converters import MAX_ID
from ..domain.errors import N_
from . import schemas

REF = "#/components/schemas/{model}"
MODELS = [schemas.Error, schemas.PatentOut, schemas.ListingIn, schemas.ListingOut, schemas.NeedIn, schemas.NeedOut,
          schemas.DealOut, schemas.MatchesOut, schemas.DealActionIn, schemas.DealActionOut, schemas.TargetsOut,
          schemas.Page[schemas.PatentOut], schemas.Page[schemas.ListingOut], schemas.Page[schemas.NeedOut],
          schemas.Page[schemas.DealOut]]


_KEYS, _DEFS = models_json_schema([(m, "validation") for m in MODELS], ref_template=REF)


def _ref(model) -> dict:
    return dict(_KEYS[(model, "validation")])


def _json(model, description=N_("OK")) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


ERRORS = {"401": _json(schemas.Error, N_("no or bad token")), "404": _json(schemas.Error, N_("not found")),
          "422": _json(schemas.Error, N_("invalid request; error.fields has paths"))}
PAGE_PARAMS = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": schemas.MAX_PAGE}},
               {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": schemas.MAX_PER_PAGE}}]

MINE = {"name": "mine", "in": "query", "description": N_("1: every one of my organisation's, drafts included"),
        "schema": {"type": "string", "enum": ["0", "1"]}}


def _id(name):
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def document() -> dict:
    components = _DEFS.get("$defs", {})
    forbidden = {"403": _json(schemas.Error, N_("forbidden"))}
    get = lambda model, summary, params=(), extra=None: {  # noqa: E731
        "summary": summary, "parameters": list(params), "responses": {"200": _json(model), **ERRORS, **(extra or {})}}
    post = lambda model_in, model_out, summary, params=(), code="201": {  # noqa: E731
        "summary": summary, "parameters": list(params),
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(model_in)}}},
        "responses": {code: _json(model_out), **ERRORS, **forbidden,
                      "409": _json(schemas.Error, N_("not allowed in the current state"))}}
    paths = {
        "/api/v1/patents": {"get": get(schemas.Page[schemas.PatentOut], N_("Search patents"), PAGE_PARAMS + [
            {"name": "q", "in": "query", "schema": {"type": "string"}},
            {"name": "ipc", "in": "query", "schema": {"type": "string"}}])},
        "/api/v1/patents/{patent_id}": {"get": get(schemas.PatentOut, N_("One patent"), [_id("patent_id")])},
        "/api/v1/listings": {"get": get(schemas.Page[schemas.ListingOut], N_("Published listings (mine=1: my organisation's)"),
                                        PAGE_PARAMS + [MINE]),
                             "post": post(schemas.ListingIn, schemas.ListingOut, N_("Create a listing"))},
        "/api/v1/listings/{listing_id}": {"get": get(schemas.ListingOut, N_("One listing"), [_id("listing_id")])},
        "/api/v1/needs": {"get": get(schemas.Page[schemas.NeedOut], N_("Published needs (mine=1: my organisation's)"),
                                     PAGE_PARAMS + [MINE]),
                          "post": post(schemas.NeedIn, schemas.NeedOut, N_("Post a need"))},
        "/api/v1/needs/{need_id}": {"get": get(schemas.NeedOut, N_("One need"), [_id("need_id")])},
        "/api/v1/needs/{need_id}/matches": {"get": get(
            schemas.MatchesOut, N_("The offers matched with my organisation's need, best first, with each factor"),
            [_id("need_id")])},
        "/api/v1/deals": {"get": get(schemas.Page[schemas.DealOut], N_("Deals I am party to or my center counts"), PAGE_PARAMS)},
        "/api/v1/deals/{deal_id}": {"get": get(schemas.DealOut, N_("One deal"), [_id("deal_id")])},
        "/api/v1/deals/{deal_id}/actions/{action}": {"post": post(
            schemas.DealActionIn, schemas.DealActionOut, N_("Take an action on a deal"), [
                _id("deal_id"),
                {"name": "action", "in": "path", "required": True, "schema": {"type": "string", "enum": [
                    "sign", "fund", "record", "complete", "cancel", "dispute", "resolve_release", "refund", "reverse"]}},
                {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
            ], code="200")},
        "/api/v1/centers/{center_id}/targets": {"get": get(
            schemas.TargetsOut, N_("A center's targets and counts (its staff and the bureau)"), [_id("center_id")],
            extra=forbidden)},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": N_("IP Alliance Exchange API"), "version": "1.0.0",
                 "description": N_("Money in integer fen. Instants (e.g. published_at) are RFC 3339 date-times in UTC, "
                                   "written with their offset (…Z); dates are plain YYYY-MM-DD days (Beijing). "
                                   "Errors: {error: {code, message, fields: [{path, message}]}}; 401 answers carry "
                                   "WWW-Authenticate: Bearer, 405 answers an Allow header.")},
        "servers": [{"url": "/"}],
        "components": {"schemas": components,
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "security": [{"token": []}],
        "paths": paths,
    }
