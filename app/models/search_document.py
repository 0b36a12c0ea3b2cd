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


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        sa.UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object"),
        sa.Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
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


class SearchFacet(db.Model):
    """One facet value of a document (a patent has several applicants and IPC classes)."""

    __tablename__ = "search_facets"
    __table_args__ = (sa.Index("ix_search_facets_field_value", "field", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("search_documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(sa.String(20))
    value: Mapped[str] = mapped_column(sa.String(200))
