"""Matches between needs and listings, their dismissals, in-app notifications and the e-mail outbox."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import str_enum, utcnow
from .listing import Listing, Need
from .org import Organisation, User


class DismissReason(enum.StrEnum):
    TOO_EARLY = "too_early"
    PRICE = "price"
    FIELD_MISMATCH = "field_mismatch"
    UNCLEAR_BENEFIT = "unclear_benefit"
    OTHER = "other"


class Match(db.Model):
    """A need and a listing that fit, with the score's explanation; refreshed after edits.

    A dismissed match keeps its reason through later refreshes (the listing's owner sees the reasons
    in aggregate); the other matches of a need or listing are replaced by each refresh."""

    __tablename__ = "matches"
    __table_args__ = (sa.UniqueConstraint("need_id", "listing_id", name="uq_matches_need_listing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]
    explanation: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[datetime | None]
    dismissed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    dismiss_reason: Mapped[DismissReason | None] = mapped_column(str_enum(DismissReason))
    dismiss_note: Mapped[str] = mapped_column(sa.String(500), default="")

    need: Mapped[Need] = relationship()
    listing: Mapped[Listing] = relationship()


class Notification(db.Model):
    """An in-app notice for an organisation; the message is an English template translated on display."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    message: Mapped[str] = mapped_column(sa.String(300))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    org: Mapped[Organisation] = relationship()


class OutboxEmail(db.Model):
    """An e-mail waiting to be sent (written in the same transaction as what caused it)."""

    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)

    to_user: Mapped[User | None] = relationship()
