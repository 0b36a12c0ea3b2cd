"""Fixtures for the search tests: a real index (Whoosh in a temporary directory, or PostgreSQL)
written after each commit, emptied before each test."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.search import state


def _is_postgres() -> bool:
    return _db.engine.dialect.name == "postgresql"


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request, app, tmp_path):
    """The index of every test that searches; the postgres run needs TEST_DATABASE_URL."""
    if request.param == "postgres" and not _is_postgres():
        pytest.skip("the PostgreSQL backend needs TEST_DATABASE_URL (a PostgreSQL test database)")
    saved = {k: app.config[k] for k in ("SEARCH_BACKEND", "SEARCH_WRITER", "SEARCH_INDEX_DIR")}
    app.config.update(SEARCH_BACKEND=request.param, SEARCH_WRITER="sync", SEARCH_INDEX_DIR=str(tmp_path / "index"))
    st = state()
    st.reset_backend()
    st.backend.clear()
    yield st.backend
    st.indexer.flush(timeout=10)
    app.config.update(saved)
    st.reset_backend()


@pytest.fixture
def whoosh_index(app, tmp_path):
    """Whoosh only (tests of the writer thread and the searcher)."""
    saved = {k: app.config[k] for k in ("SEARCH_BACKEND", "SEARCH_WRITER", "SEARCH_INDEX_DIR")}
    app.config.update(SEARCH_BACKEND="whoosh", SEARCH_WRITER="sync", SEARCH_INDEX_DIR=str(tmp_path / "index"))
    st = state()
    st.reset_backend()
    st.backend.clear()
    yield st.backend
    st.indexer.flush(timeout=10)
    app.config.update(saved)
    st.reset_backend()
