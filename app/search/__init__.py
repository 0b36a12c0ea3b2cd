"""Full-text search over patents, listings and needs.

The index is derived data: the database is the truth, the index follows it after each commit
(:mod:`.indexer`) and ``flask search-reindex`` rebuilds it. Two backends answer the same
:class:`~.backend.SearchRequest`: Whoosh files (``SEARCH_BACKEND = "whoosh"``, the default) and
PostgreSQL full-text search over jieba-segmented text (``"postgres"``).

Settings (environment variables of the same name override the defaults):
``SEARCH_BACKEND`` whoosh | postgres; ``SEARCH_INDEX_DIR`` (instance/search; a fresh temporary
directory under TESTING); ``SEARCH_WRITER`` queue | thread | sync | off (off under TESTING; queue when JOB_QUEUE_URL is set,
else thread);
``SEARCH_BUILD_PROCS`` processes for a rebuild (Whoosh: writer processes; PostgreSQL: jieba
segmentation processes); ``SEARCH_RESULT_CACHE`` entries of the per-process result cache (0: off);
``SEARCH_PG_RUM`` auto | off (rank inside a RUM index when the extension is installed);
``SEARCH_PG_WORK_MEM`` the ``work_mem`` of a search's transaction (64MB; empty: the server's).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile

from flask import Flask, current_app

from .backend import FACET_FIELDS, Hit, SearchBackend, SearchDoc, SearchRequest, SearchResult  # noqa: F401


class SearchState:
    """Per-app search objects: the backend (one per process) and the indexer."""

    def __init__(self, app: Flask) -> None:
        from .indexer import Indexer
        from .result_cache import ResultCache

        self.app = app
        self._backend: SearchBackend | None = None
        self._analysis_checked = False
        self.results = ResultCache(size=int(app.config.get("SEARCH_RESULT_CACHE", 512)))
        self.indexer = Indexer(app, self)

    @property
    def backend(self) -> SearchBackend:
        if self._backend is None:
            self._backend = make_backend(self.app.config)
        return self._backend

    def check_analysis(self) -> None:
        """Searches call this: an index built by an older analysis is rebuilt in the background (checked
        once per process; the rebuild lock keeps other processes from doing the same); until the swap
        searches use the old one."""
        if self._analysis_checked or self.app.testing or self.app.config.get("SEARCH_WRITER") in ("off", "sync"):
            return
        self._analysis_checked = True
        try:
            from . import analysis

            if self.backend.count() and self.backend.analysis_version() != analysis.VERSION:
                from .. import jobs
                from .maintenance import reindex_if_stale

                jobs.enqueue(self.app, reindex_if_stale, queue=jobs.LONG_QUEUE,
                             timeout=jobs.IMPORT_TIMEOUT, description="search index rebuild (analysis changed)")
        except Exception:  # noqa: BLE001 - a search must not fail because the check could not run
            import logging

            logging.getLogger(__name__).warning("could not check the search index's analysis version", exc_info=True)

    def reset_backend(self) -> None:
        """Forget the backend (tests switch SEARCH_BACKEND)."""
        if self._backend is not None:
            self._backend.close()
        self._backend = None
        self.results.clear()

    def search(self, request: SearchRequest) -> SearchResult:
        """The backend's answer, from this process's result cache while the index is unchanged."""
        return self.results.search(self.backend, request)


def make_backend(config) -> SearchBackend:
    name = config.get("SEARCH_BACKEND", "whoosh")
    if name == "whoosh":
        from .whoosh_backend import WhooshBackend

        return WhooshBackend(config["SEARCH_INDEX_DIR"], procs=int(config.get("SEARCH_BUILD_PROCS", 1)))
    if name == "postgres":
        from .postgres_backend import PostgresBackend

        return PostgresBackend()
    raise ValueError(f"unknown SEARCH_BACKEND {name!r} (whoosh or postgres)")


def init_app(app: Flask) -> None:
    app.config.setdefault("SEARCH_BACKEND", os.environ.get("SEARCH_BACKEND", "whoosh"))
    index_dir = os.environ.get("SEARCH_INDEX_DIR")
    if not index_dir and app.testing:
        index_dir = tempfile.mkdtemp(prefix="ipx-search-")
        atexit.register(shutil.rmtree, index_dir, True)
    app.config.setdefault("SEARCH_INDEX_DIR", index_dir or os.path.join(app.instance_path, "search"))
    default_writer = "off" if app.testing else "queue" if app.config.get("JOB_QUEUE_URL") else "thread"
    app.config.setdefault("SEARCH_WRITER", os.environ.get("SEARCH_WRITER", default_writer))
    app.config.setdefault("SEARCH_BUILD_PROCS", int(os.environ.get("SEARCH_BUILD_PROCS", "1")))
    app.config.setdefault("SEARCH_RESULT_CACHE", int(os.environ.get("SEARCH_RESULT_CACHE", "512")))
    app.config.setdefault("SEARCH_PG_RUM", os.environ.get("SEARCH_PG_RUM", "auto"))
    app.config.setdefault("SEARCH_PG_WORK_MEM", os.environ.get("SEARCH_PG_WORK_MEM", "64MB"))
    if not re.fullmatch(r"(\d+\s*(kB|MB|GB)?)?", app.config["SEARCH_PG_WORK_MEM"]):
        raise ValueError(f"SEARCH_PG_WORK_MEM: {app.config['SEARCH_PG_WORK_MEM']!r} is not a size such as 64MB")
    app.extensions["search"] = SearchState(app)


def state() -> SearchState:
    return current_app.extensions["search"]


def backend() -> SearchBackend:
    return state().backend
