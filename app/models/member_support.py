"""What a center offers its alliance members: financing and insurance matchmaking, early-warning
watches, dispute consultations, training and events."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import str_enum, utcnow
from .center import Center
from .org import Organisation, User


class FinancingKind(enum.StrEnum):
    PLEDGE_LOAN = "pledge_loan"  # 知识产权质押融资
    EQUITY = "equity"
    INSURANCE = "insurance"
    MERGER = "merger"  # M&A


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class ProviderKind(enum.StrEnum):
    BANK = "bank"
    INSURER = "insurer"
    INVESTOR = "investor"
    OTHER = "other"


class OfferStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class FinancingRequest(db.Model):
    __tablename__ = "financing_requests"
    __table_args__ = (sa.CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="amount_nonneg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[FinancingKind] = mapped_column(str_enum(FinancingKind))
    amount_fen: Mapped[int | None] = mapped_column(sa.BigInteger)
    patents: Mapped[str] = mapped_column(sa.Text, default="")  # "; "-joined application numbers offered as collateral
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus), default=RequestStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    center: Mapped[Center] = relationship()
    org: Mapped[Organisation] = relationship()
    offers: Mapped[list[FinancingOffer]] = relationship(back_populates="request", order_by="FinancingOffer.id",
                                                        cascade="all, delete-orphan")


class FinancingOffer(db.Model):
    """A bank's, insurer's or investor's offer on a request, recorded by the center's staff."""

    __tablename__ = "financing_offers"
    __table_args__ = (sa.CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="amount_nonneg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("financing_requests.id", ondelete="CASCADE"), index=True)
    provider_name: Mapped[str] = mapped_column(sa.String(200))
    provider_kind: Mapped[ProviderKind] = mapped_column(str_enum(ProviderKind))
    amount_fen: Mapped[int | None] = mapped_column(sa.BigInteger)
    terms: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.PROPOSED)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    request: Mapped[FinancingRequest] = relationship(back_populates="offers")


class WarningWatch(db.Model):
    """A member's early-warning watch: patents in the database under its IPC codes or from its competitors."""

    __tablename__ = "warning_watches"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    ipc_codes: Mapped[str] = mapped_column(sa.String(500), default="")  # "; "-joined normalised codes/subclasses
    competitors: Mapped[str] = mapped_column(sa.String(2000), default="")  # "; "-joined names
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # patents added after this are "new"

    center: Mapped[Center] = relationship()
    org: Mapped[Organisation] = relationship()

    @property
    def code_list(self) -> list[str]:
        return [c for c in self.ipc_codes.split("; ") if c]

    @property
    def competitor_list(self) -> list[str]:
        return [c for c in self.competitors.split("; ") if c]


class DisputeKind(enum.StrEnum):
    ACCUSED = "accused"  # we are accused of infringing
    INFRINGED = "infringed"  # someone infringes our patent
    OWNERSHIP = "ownership"
    CONTRACT = "contract"
    OTHER = "other"


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class DisputeRequest(db.Model):
    __tablename__ = "dispute_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[DisputeKind] = mapped_column(str_enum(DisputeKind))
    subject: Mapped[str] = mapped_column(sa.String(300))
    counterparty: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[DisputeStatus] = mapped_column(str_enum(DisputeStatus), default=DisputeStatus.OPEN, index=True)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()
    org: Mapped[Organisation] = relationship()


class EventKind(enum.StrEnum):
    TRAINING = "training"
    SEMINAR = "seminar"
    MATCHMAKING = "matchmaking"
    ROADSHOW = "roadshow"


class TrainingEvent(db.Model):
    __tablename__ = "training_events"
    __table_args__ = (sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    starts_at: Mapped[datetime] = mapped_column(index=True)  # UTC
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()
    signups: Mapped[list[EventSignup]] = relationship(back_populates="event", order_by="EventSignup.id",
                                                      cascade="all, delete-orphan")


class EventSignup(db.Model):
    __tablename__ = "event_signups"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_event_signups_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("training_events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[TrainingEvent] = relationship(back_populates="signups")
    user: Mapped[User] = relationship()
    org: Mapped[Organisation] = relationship()
