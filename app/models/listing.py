"""Listings (patents offered for transfer or licence) and technology needs."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.lifecycle import PUBLIC, PublicationStatus
from ..extensions import db
from ._types import str_enum, utcnow
from .center import Industry
from .org import Organisation, User
from .patent import Patent

listing_patents = sa.Table(
    "listing_patents",
    db.metadata,
    sa.Column("listing_id", sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("patent_id", sa.ForeignKey("patents.id"), primary_key=True, index=True),
)


class Listing(db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        sa.CheckConstraint("trl BETWEEN 1 AND 9", name="trl_range"),
        sa.CheckConstraint("price_fen IS NULL OR price_fen >= 0", name="price_nonneg"),
        sa.CheckConstraint(
            "offers_transfer OR offers_exclusive OR offers_sole OR offers_ordinary", name="some_deal_kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # A university "technology offer": several patents with a technical summary.
    is_tech_offer: Mapped[bool] = mapped_column(default=False)
    tech_summary: Mapped[str] = mapped_column(sa.Text, default="")
    # shown only to organisations whose NDA the owner accepted in a negotiation thread
    confidential_details: Mapped[str | None] = mapped_column(sa.Text)
    offers_transfer: Mapped[bool] = mapped_column(default=False)
    offers_exclusive: Mapped[bool] = mapped_column(default=False)
    offers_sole: Mapped[bool] = mapped_column(default=False)
    offers_ordinary: Mapped[bool] = mapped_column(default=False)
    price_fen: Mapped[int | None] = mapped_column(sa.BigInteger)  # NULL = negotiable
    trl: Mapped[int]
    industry: Mapped[Industry] = mapped_column(str_enum(Industry), index=True)
    region: Mapped[str] = mapped_column(sa.String(100), default="")
    status: Mapped[PublicationStatus] = mapped_column(
        str_enum(PublicationStatus), default=PublicationStatus.DRAFT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)  # a member asked for approval
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime | None]

    org: Mapped[Organisation] = relationship()
    patents: Mapped[list[Patent]] = relationship(secondary=listing_patents, order_by="Patent.id")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC

    @property
    def negotiable(self) -> bool:
        return self.price_fen is None

    @property
    def deal_kinds(self) -> list[str]:
        kinds = []
        for kind in ("transfer", "exclusive", "sole", "ordinary"):
            if getattr(self, f"offers_{kind}"):
                kinds.append(kind)
        return kinds


class Need(db.Model):
    __tablename__ = "needs"
    __table_args__ = (
        sa.CheckConstraint("budget_min_fen IS NULL OR budget_min_fen >= 0", name="budget_min_nonneg"),
        sa.CheckConstraint(
            "budget_min_fen IS NULL OR budget_max_fen IS NULL OR budget_min_fen <= budget_max_fen",
            name="budget_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    industry: Mapped[Industry] = mapped_column(str_enum(Industry), index=True)
    ipc_hints: Mapped[str] = mapped_column(sa.String(500), default="")  # "; "-joined normalised codes
    budget_min_fen: Mapped[int | None] = mapped_column(sa.BigInteger)
    budget_max_fen: Mapped[int | None] = mapped_column(sa.BigInteger)
    region: Mapped[str] = mapped_column(sa.String(100), default="")
    deadline: Mapped[date | None]
    kinds_wanted: Mapped[str] = mapped_column(sa.String(60), default="")  # ","-joined deal kinds; "" = any
    min_trl: Mapped[int | None]  # the earliest development stage the need can use
    status: Mapped[PublicationStatus] = mapped_column(
        str_enum(PublicationStatus), default=PublicationStatus.DRAFT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    org: Mapped[Organisation] = relationship()

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC

    @property
    def ipc_hint_list(self) -> list[str]:
        return [c for c in self.ipc_hints.split("; ") if c]
