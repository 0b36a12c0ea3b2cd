"""Searching patents, listings and needs: one query, the hits loaded from the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..domain.lifecycle import SEARCHABLE
from ..extensions import db
from ..models import Listing, Need, Patent, User
from ..search import state as search_state
from ..search import highlight
from ..search.backend import FACET_FIELDS, SORTS, SearchRequest, SearchResult
from ..search.query import ParsedQuery, parse, relax


@dataclass
class Found:
    kind: str
    obj: object
    title: object  # Markup
    snippet: object  # Markup
    score: float


@dataclass
class SearchPage:
    query: ParsedQuery
    result: SearchResult
    items: list[Found] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    # best match: fewer than FALLBACK_BELOW results held every word, these are the ones holding enough
    partial: bool = False
    exact_total: int = 0  # how many held every word

    # the interface templates/_partials/macros.html pagination() expects
    @property
    def page(self) -> int:
        return self.result.page

    @property
    def pages(self) -> int:
        return self.result.pages

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self):
        last = None
        for n in range(1, self.pages + 1):
            if n <= 2 or n > self.pages - 2 or abs(n - self.page) <= 2:
                if last is not None and n - last > 1:
                    yield None
                yield n
                last = n


MAX_PAGE = 500  # deep pages cost the engine; nobody reads page 501
FALLBACK_BELOW = 3  # fewer results holding every word than this: search by best match instead


def clean_filters(args) -> dict[str, list[str]]:
    """Facet filters from the query string: ``f_type=invention&f_year=2020`` (values OR-ed)."""
    filters = {}
    for name in FACET_FIELDS:
        values = [v.strip()[:200] for v in args.getlist(f"f_{name}") if v.strip()][:20]
        if values:
            filters[name] = values
    return filters


def visible(kind: str, obj, viewer: User | None) -> bool:
    """Search shows others' listings and needs while they are open (closed and withdrawn ones stay
    readable by their address); an organisation finds its own in any state."""
    if kind == "patent":
        return True
    org_id = getattr(viewer, "org_id", None) if viewer is not None and viewer.is_authenticated else None
    return obj.status in SEARCHABLE or (org_id is not None and obj.org_id == org_id)


def search(viewer: User | None, text: str, *, filters: dict[str, list[str]] | None = None, sort: str = "relevance",
           page: int = 1, per_page: int = 20, facets: bool = True) -> SearchPage:
    parsed = parse(text)
    filters = filters or {}
    sort = sort if sort in SORTS else "relevance"
    page = max(1, min(page, MAX_PAGE))
    org_id = viewer.org_id if viewer is not None and getattr(viewer, "is_authenticated", False) else None
    search_state().check_analysis()
    request = SearchRequest(query=parsed, filters=filters, viewer_org_id=org_id, sort=sort, page=page,
                            per_page=per_page, facets=facets)
    result = search_state().search(request)
    out = SearchPage(query=parsed, result=result, filters=filters, sort=sort, exact_total=result.total)
    # few hits holding every word: best match, unless the words named an applicant that was found by its key
    relaxed = relax(parsed) if result.total < FALLBACK_BELOW and not result.applicant_keys else None
    if relaxed is not None:
        request.query = relaxed
        wider = search_state().search(request)
        if wider.total > result.total:
            out.result, out.partial = wider, True
            result = wider
    objects = _load(result)
    terms = parsed.highlight_terms()
    for hit in result.hits:
        obj = objects.get((hit.kind, hit.object_id))
        # the index may lag the database by a moment: skip rows gone or no longer visible
        if obj is None or not visible(hit.kind, obj, viewer):
            continue
        out.items.append(Found(hit.kind, obj, highlight.mark(obj.title, terms), highlight.snippet(_text_of(hit.kind, obj), terms),
                               hit.score))
    return out


def _text_of(kind: str, obj) -> str:
    if kind == "patent":
        return obj.abstract or ""
    if kind == "listing":
        return " ".join(x for x in (obj.description, obj.tech_summary) if x)
    return obj.description or ""


def _load(result: SearchResult) -> dict[tuple[str, int], object]:
    ids: dict[str, list[int]] = {}
    for hit in result.hits:
        ids.setdefault(hit.kind, []).append(hit.object_id)
    found: dict[tuple[str, int], object] = {}
    specs = {
        "patent": (Patent, (selectinload(Patent.applicants), selectinload(Patent.ipc_codes))),
        "listing": (Listing, (selectinload(Listing.org),)),
        "need": (Need, (selectinload(Need.org),)),
    }
    for kind, id_list in ids.items():
        model, options = specs[kind]
        for obj in db.session.scalars(sa.select(model).where(model.id.in_(id_list)).options(*options)):
            found[(kind, obj.id)] = obj
    return found
