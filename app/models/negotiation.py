"""Negotiation between two organisations about a listing: threads, messages, versioned offers, NDAs.

A thread joins the listing's owner (seller) and one interested organisation (buyer); only they
and their centers' staff (read-only) see it. The listing's ``confidential_details``
are shown to the buyer only after the owner accepts the buyer's NDA in the thread.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.deals import DealKind
from ..domain.negotiation import OfferState, PaymentKind
from ..extensions import db
from ._types import str_enum, utcnow
from .listing import Listing, Need
from .org import Organisation, User


class ThreadStatus(enum.StrEnum):
    OPEN = "open"
    AGREED = "agreed"  # an offer was accepted and a deal draft opened
    CLOSED = "closed"


class NdaStatus(enum.StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Thread(db.Model):
    __tablename__ = "negotiation_threads"
    __table_args__ = (
        sa.UniqueConstraint("listing_id", "buyer_org_id", name="uq_negotiation_threads_listing_buyer"),
        sa.CheckConstraint("seller_org_id <> buyer_org_id", name="distinct_parties"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(sa.ForeignKey("needs.id"))  # when opened from a match
    seller_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    buyer_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[ThreadStatus] = mapped_column(str_enum(ThreadStatus), default=ThreadStatus.OPEN)
    nda_status: Mapped[NdaStatus] = mapped_column(str_enum(NdaStatus), default=NdaStatus.NONE)
    nda_text: Mapped[str] = mapped_column(sa.Text, default="")
    nda_requested_at: Mapped[datetime | None]
    nda_decided_at: Mapped[datetime | None]
    nda_decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    deal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deals.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    listing: Mapped[Listing] = relationship()
    need: Mapped[Need | None] = relationship()
    seller_org: Mapped[Organisation] = relationship(foreign_keys=[seller_org_id])
    buyer_org: Mapped[Organisation] = relationship(foreign_keys=[buyer_org_id])
    messages: Mapped[list[ThreadMessage]] = relationship(
        back_populates="thread", order_by="ThreadMessage.id", cascade="all, delete-orphan")
    offers: Mapped[list[ThreadOffer]] = relationship(
        back_populates="thread", order_by="ThreadOffer.version", cascade="all, delete-orphan")

    def side_of(self, org_id: int | None) -> str | None:
        if org_id == self.seller_org_id:
            return "seller"
        if org_id == self.buyer_org_id:
            return "buyer"
        return None


class ThreadMessage(db.Model):
    __tablename__ = "negotiation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiation_threads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    attachment_file: Mapped[str] = mapped_column(sa.String(300), default="")  # stored name under UPLOAD_DIR
    attachment_name: Mapped[str] = mapped_column(sa.String(300), default="")  # the name it was uploaded with
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[Thread] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class ThreadOffer(db.Model):
    """One version of the terms; a new version answers (counters) or replaces the previous one."""

    __tablename__ = "negotiation_offers"
    __table_args__ = (
        sa.UniqueConstraint("thread_id", "version", name="uq_negotiation_offers_thread_version"),
        sa.CheckConstraint("price_fen >= 0", name="price_nonneg"),
        sa.CheckConstraint("royalty_bp IS NULL OR (royalty_bp >= 0 AND royalty_bp <= 10000)", name="royalty_range"),
        sa.CheckConstraint("term_months IS NULL OR term_months > 0", name="term_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiation_threads.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    from_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[DealKind] = mapped_column(str_enum(DealKind))
    payment: Mapped[PaymentKind] = mapped_column(str_enum(PaymentKind), default=PaymentKind.LUMP_SUM)
    price_fen: Mapped[int] = mapped_column(sa.BigInteger)  # lump sum, or the up-front fee with a royalty
    royalty_bp: Mapped[int | None]  # royalty in basis points of sales
    territory: Mapped[str] = mapped_column(sa.String(200), default="")
    term_months: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[OfferState] = mapped_column(str_enum(OfferState), default=OfferState.OPEN)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[Thread] = relationship(back_populates="offers")

