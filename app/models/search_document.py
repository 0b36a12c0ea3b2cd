"""The PostgreSQL search backend's index: derived data, rebuilt by `flask search-reindex`.

The Whoosh backend keeps its index in files and leaves these tables empty.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
KEYS = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")  # text[] where it matters


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        sa.UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object"),
        sa.Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
        sa.Index("ix_search_documents_keys", "keys", postgresql_using="gin"),
        # a filter-only search's first page, newest first, without sorting every match (the PostgreSQL
        # backend's; SQLite cannot write NULLS LAST in an index)
        sa.Index("ix_search_documents_recent", sa.text("sort_date DESC NULLS LAST"), sa.text("id DESC")).ddl_if(
            dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # patent | listing | need
    object_id: Mapped[int]
    org_id: Mapped[int | None] = mapped_column(index=True)  # owner, sees non-public documents
    public: Mapped[bool] = mapped_column(default=True)
    number: Mapped[str] = mapped_column(sa.String(40), default="", index=True)
    title: Mapped[str] = mapped_column(sa.Text, default="")
    text: Mapped[str] = mapped_column(sa.Text, default="")  # original text for snippets
    sort_date: Mapped[date | None] = mapped_column(index=True)
    # jieba-segmented title (weight A) and body (weight B) in the 'simple' configuration
    tsv: Mapped[str] = mapped_column(TSVECTOR, default="")
    # "type=invention", "applicant=…" …: counted for the facets, read where the matches are read
    facets: Mapped[list[str]] = mapped_column(KEYS, default=list)
    # the facets and the keyword values ("ipc=H01M10", "number=cn…"): what filters test with && (GIN)
    keys: Mapped[list[str]] = mapped_column(KEYS, default=list)
