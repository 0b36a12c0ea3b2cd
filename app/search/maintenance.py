"""Rebuilding and checking the index (``flask search-reindex``, ``flask search-check``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Listing, Need, Patent
from ..models._types import utcnow
from . import analysis, documents, state

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    backend: str
    index_count: int
    database_count: int
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, no longer in the database
    stale: bool = False  # built with another analysis (dictionaries, glossary …): needs a rebuild

    @property
    def ok(self) -> bool:
        return self.index_count == self.database_count and not self.missing and not self.extra and not self.stale


def reindex(progress: Callable[[int], None] | None = None) -> dict:
    """Build a complete new index from the database and swap it in; then catch up with rows
    that changed while it was being built (the live indexer wrote those to the old index)."""
    st = state()
    st.indexer.flush(timeout=30)
    started = utcnow() - timedelta(seconds=1)
    procs = int(st.app.config.get("SEARCH_BUILD_PROCS", 1)) if st.backend.parallel_segmentation else 1
    with Session(db.engine) as session:
        source = documents.iter_all(session, procs=procs, deferred=st.backend.builds_documents)
        n = st.backend.rebuild(source, progress=progress)
    caught_up = sync(changed_since=started)
    return {"documents": n, "caught_up": caught_up}


def is_stale() -> bool:
    """Whether the index holds documents segmented by another analysis than this code's
    (:data:`analysis.VERSION`): queries would be cut differently from the documents."""
    backend = state().backend
    return backend.count() > 0 and backend.analysis_version() != analysis.VERSION


def reindex_if_stale() -> dict | None:
    """Rebuild when the index is stale and no other process is rebuilding it; the result, or None."""
    backend = state().backend
    with backend.rebuild_lock() as mine:
        if not mine or not is_stale():
            return None
        log.warning("search index built with analysis %s, this code has %s: rebuilding",
                    backend.analysis_version(), analysis.VERSION)
        return reindex()


def check(details: bool = True) -> CheckReport:
    st = state()
    st.indexer.flush(timeout=30)
    backend = st.backend
    backend.refresh()
    with Session(db.engine) as session:
        report = CheckReport(backend=backend.name, index_count=backend.count(),
                             database_count=documents.db_count(session), stale=is_stale())
        if details or report.index_count != report.database_count:
            in_db = documents.db_keys(session)
            in_index = backend.keys()
            report.missing = sorted(in_db - in_index)
            report.extra = sorted(in_index - in_db)
    return report


def sync(changed_since=None) -> int:
    """Write what differs between the database and the index; returns the documents written."""
    backend = state().backend
    backend.refresh()
    with Session(db.engine) as session:
        in_db = documents.db_keys(session)
        in_index = backend.keys()
        keys = (in_db - in_index) | (in_index - in_db)
        if changed_since is not None:
            for kind, model in (("patent", Patent), ("listing", Listing), ("need", Need)):
                keys.update(f"{kind}:{i}" for i in session.scalars(sa.select(model.id).where(model.updated_at >= changed_since)))
        if not keys:
            return 0
        docs, deleted = documents.load(session, keys, backend.segment_cache())
    backend.apply(docs, deleted)
    return len(keys)
