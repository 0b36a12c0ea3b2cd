"""Trademarks in a center's industry database."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.trademarks import TrademarkStatus
from ..extensions import db
from ._types import str_enum, utcnow
from .center import Industry


class Trademark(db.Model):
    __tablename__ = "trademarks"
    __table_args__ = (sa.CheckConstraint("nice_class BETWEEN 1 AND 45", name="nice_class_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    nice_class: Mapped[int] = mapped_column(index=True)
    registrant: Mapped[str] = mapped_column(sa.String(300), index=True)
    filing_date: Mapped[date | None]
    registration_date: Mapped[date | None]
    status: Mapped[TrademarkStatus] = mapped_column(str_enum(TrademarkStatus), index=True)
    industry: Mapped[Industry | None] = mapped_column(str_enum(Industry), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
