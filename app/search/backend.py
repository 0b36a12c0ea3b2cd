"""What every search backend offers, and the values passed across that line."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ..domain import applicants as applicant_names
from .query import ParsedQuery

KINDS = ("patent", "listing", "need")
# Facet fields, in the order the page shows them.
FACET_FIELDS = ("kind", "office", "type", "status", "industry", "year", "ipc_section", "ipc_class", "applicant")
SORTS = ("relevance", "date")
# Facets are counted exactly up to this many matches; above it, from a bounded deterministic sample of
# the matches scaled to the total, and shown as estimates ("约 …"). Same rule on every backend.
# 1,000 sampled matches put any value's share within about ±3 percentage points (95 %); a sample of
# 2,000 cost PostgreSQL twice the heap reads for ±2.
FACET_EXACT_MAX = 5000
FACET_SAMPLE = 1000


@dataclass
class SearchDoc:
    """One indexed record, built from the database by :mod:`app.search.documents`."""

    kind: str
    object_id: int
    public: bool
    org_id: int | None
    title: str
    title_seg: str  # analysis.segment(title)
    body_seg: str  # abstract, description … segmented
    applicant_seg: str
    numbers: list[str] = field(default_factory=list)  # lower-case, several written forms
    applicants: list[str] = field(default_factory=list)
    ipc: list[str] = field(default_factory=list)  # ipc keys: H, H01, H01M, H01M10, H01M10/052
    office: str | None = None  # the patent's office (受理局): CN, US, EP …
    patent_type: str | None = None
    legal_status: str | None = None
    industry: str | None = None
    year: int | None = None
    sort_date: date | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"

    def applicant_keys(self) -> list[str]:
        """Every applicant's exact keys: full name and short forms (app.domain.applicants)."""
        found: list[str] = []
        for name in self.applicants:
            found += [k[:200] for k in applicant_names.keys(name) if k[:200] not in found]
        return found

    def facet_values(self) -> list[tuple[str, str]]:
        values = [("kind", self.kind)]
        if self.office:
            values.append(("office", self.office))
        if self.patent_type:
            values.append(("type", self.patent_type))
        if self.legal_status:
            values.append(("status", self.legal_status))
        if self.industry:
            values.append(("industry", self.industry))
        if self.year:
            values.append(("year", str(self.year)))
        for key in self.ipc:
            if len(key) == 1:
                values.append(("ipc_section", key))
            elif len(key) == 3:
                values.append(("ipc_class", key))
        for name in self.applicants:
            values.append(("applicant", name[:200]))
        return values


def group_facets(counts: Iterable[tuple[str, int]], limit: int, scale: float = 1.0) -> dict[str, list[tuple[str, int]]]:
    """``("type=invention", n)`` pairs as the page shows them: by field, the biggest first (years newest
    first), at most ``limit`` values a field (30 years). ``scale``: counts from a sample, multiplied up."""
    grouped: dict[str, list[tuple[str, int]]] = {f: [] for f in FACET_FIELDS}
    for raw, n in counts:
        fname, _, value = raw.partition("=")
        if fname in grouped:
            grouped[fname].append((value, max(1, round(n * scale)) if scale != 1.0 else n))
    for fname, values in grouped.items():
        if fname == "year":
            values.sort(key=lambda x: x[0], reverse=True)
        else:
            values.sort(key=lambda x: (-x[1], x[0]))
        grouped[fname] = values[: limit if fname != "year" else max(limit, 30)]
    return {f: v for f, v in grouped.items() if v}


def sample_of(matches: list, size: int) -> list:
    """``size`` of the matches, the same ones for the same matches (seeded by their number), spread
    at random rather than every k-th (which would alias with any period in the data)."""
    import random

    return random.Random(len(matches)).sample(matches, size) if len(matches) > size else matches


def parse_key(key: str) -> tuple[str, int]:
    kind, _, object_id = key.partition(":")
    return kind, int(object_id)


@dataclass
class SearchRequest:
    query: ParsedQuery
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet field -> values (OR)
    viewer_org_id: int | None = None  # sees its own unpublished listings and needs
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    facet_limit: int = 12
    facet_exact_max: int = FACET_EXACT_MAX
    facet_sample: int = FACET_SAMPLE


@dataclass
class Hit:
    kind: str
    object_id: int
    score: float


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (English template, params) for the page
    applicant_keys: list[str] = field(default_factory=list)  # an applicant the query named, matched by its key
    facets_estimated: bool = False  # counted on a sample of the matches, scaled
    total_estimated: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class SearchBackend(abc.ABC):
    """An index of :class:`SearchDoc`; derived data that can always be rebuilt from the database."""

    name = "base"
    # Whether a rebuild gains from segmenting in worker processes: not when the backend's own
    # writer already keeps the cores busy (Whoosh's writer processes).
    parallel_segmentation = False
    # Whether rebuild() takes documents.PatentBatch values and builds (segments) the documents itself.
    builds_documents = False

    @abc.abstractmethod
    def apply(self, docs: list[SearchDoc], deleted: list[str]) -> None:
        """Add or replace ``docs`` and remove the documents with keys ``deleted``, atomically."""

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResult: ...

    @abc.abstractmethod
    def count(self) -> int:
        """Documents in the index."""

    @abc.abstractmethod
    def keys(self) -> set[str]:
        """The keys of every indexed document (for checks)."""

    @abc.abstractmethod
    def rebuild(self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None) -> int:
        """Replace the whole index with ``docs`` so readers never see a half-built index."""

    @abc.abstractmethod
    def clear(self) -> None: ...

    def generation(self):
        """A value that changes whenever the index does (in any process), cheap to read; None:
        unknown, and results are not cached."""
        return None

    def refresh(self) -> None:
        """Make the latest committed changes visible to this process's searches."""

    def analysis_version(self) -> str | None:
        """The :data:`analysis.VERSION` the index was built with; None when unknown (built before versions)."""
        return None

    def rebuild_lock(self):
        """A context manager: True inside when this process may rebuild (no other rebuild runs)."""
        from contextlib import nullcontext

        return nullcontext(True)

    def segment_cache(self):
        """A :class:`~.segment_cache.SegmentCache` for documents written to this index, or None."""
        return None

    def close(self) -> None:
        pass
