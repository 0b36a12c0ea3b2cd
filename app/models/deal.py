"""Deals, the escrow holds behind them, the ledger, target events, idempotency and audit."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.deals import DealKind, DealStatus
from ..domain.escrow import HoldStatus
from ..extensions import db
from ._types import str_enum, utcnow
from .center import Center
from .org import Organisation


class DealOrigin(enum.StrEnum):
    PLATFORM = "platform"
    OFFLINE = "offline"  # closed elsewhere, recorded by center staff with evidence


class Deal(db.Model):
    __tablename__ = "deals"
    __table_args__ = (
        sa.CheckConstraint("price_fen >= 0", name="price_nonneg"),
        sa.CheckConstraint("seller_org_id IS NULL OR buyer_org_id IS NULL OR seller_org_id <> buyer_org_id",
                           name="distinct_parties"),
        # a (normalised) CNIPA recordal number belongs to one deal, platform or offline
        sa.Index("uq_deals_recordal_number", "recordal_number", unique=True,
                 postgresql_where=sa.text("recordal_number <> ''"), sqlite_where=sa.text("recordal_number <> ''")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[DealOrigin] = mapped_column(str_enum(DealOrigin), default=DealOrigin.PLATFORM)
    # Parties: organisations on the platform; offline deals may name outside parties instead.
    seller_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    buyer_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    seller_name: Mapped[str] = mapped_column(sa.String(200))
    buyer_name: Mapped[str] = mapped_column(sa.String(200))
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"), index=True)
    # why the deal counts for its center (domain.attribution.AttributionReason)
    center_reason: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    # offline deals: the same patents, parties and completion date are one deal (a hash of them)
    offline_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id"), index=True)
    pool_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pools.id"), index=True)  # a pool licence
    kind: Mapped[DealKind] = mapped_column(str_enum(DealKind))
    price_fen: Mapped[int] = mapped_column(sa.BigInteger)
    payment_terms: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[DealStatus] = mapped_column(str_enum(DealStatus), default=DealStatus.DRAFT, index=True)
    contract_file: Mapped[str] = mapped_column(sa.String(300), default="")  # stored name under instance/uploads
    contract_filename: Mapped[str] = mapped_column(sa.String(300), default="")  # the name it was uploaded with
    recordal_number: Mapped[str] = mapped_column(sa.String(40), default="")
    recordal_date: Mapped[date | None]
    seller_signed_at: Mapped[datetime | None]
    buyer_signed_at: Mapped[datetime | None]
    completed_on: Mapped[date | None] = mapped_column(index=True)  # the day that counts for the target
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # concurrent updates fail instead of overwriting

    seller_org: Mapped[Organisation | None] = relationship(foreign_keys=[seller_org_id])
    buyer_org: Mapped[Organisation | None] = relationship(foreign_keys=[buyer_org_id])
    center: Mapped[Center | None] = relationship()
    patents: Mapped[list[DealPatent]] = relationship(
        order_by="DealPatent.position", cascade="all, delete-orphan", back_populates="deal"
    )
    hold: Mapped[EscrowHold | None] = relationship(back_populates="deal", uselist=False)

    @property
    def patent_count(self) -> int:
        return len(self.patents)

    def is_party(self, org_id: int | None) -> bool:
        return org_id is not None and org_id in (self.seller_org_id, self.buyer_org_id)


class DealPatent(db.Model):
    """A patent in a deal, by application number (offline deals may name patents not in our database)."""

    __tablename__ = "deal_patents"
    __table_args__ = (sa.UniqueConstraint("deal_id", "application_number", name="uq_deal_patents_deal_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(sa.ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    application_number: Mapped[str] = mapped_column(sa.String(20), index=True)
    patent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patents.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    deal: Mapped[Deal] = relationship(back_populates="patents")


class EscrowHold(db.Model):
    """The platform's copy of the provider's hold."""

    __tablename__ = "escrow_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(sa.ForeignKey("deals.id"), unique=True)
    provider_ref: Mapped[str] = mapped_column(sa.String(64), unique=True)
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[HoldStatus] = mapped_column(str_enum(HoldStatus))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    deal: Mapped[Deal] = relationship(back_populates="hold")


class LedgerTransaction(db.Model):
    """One balanced movement of money: its entries sum to zero. Never updated or deleted."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deals.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # fund, release, refund, reversal
    memo: Mapped[str] = mapped_column(sa.String(300), default="")
    provider_event_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries: Mapped[list[LedgerEntry]] = relationship(back_populates="txn", order_by="LedgerEntry.id")


class LedgerEntry(db.Model):
    """A debit (positive) or credit (negative) on an account such as ``escrow:deal:12``."""

    __tablename__ = "ledger_entries"
    __table_args__ = (sa.CheckConstraint("amount_fen <> 0", name="nonzero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    txn_id: Mapped[int] = mapped_column(sa.ForeignKey("ledger_transactions.id"), index=True)
    account: Mapped[str] = mapped_column(sa.String(60), index=True)
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)

    txn: Mapped[LedgerTransaction] = relationship(back_populates="entries")


class TargetEvent(db.Model):
    """+1 for one patent of a completed deal in the center's project year; −1 corrects it."""

    __tablename__ = "target_events"
    __table_args__ = (
        # at most one count and one correction per patent per deal: retries can never count twice
        sa.UniqueConstraint("deal_id", "application_number", "delta", name="uq_target_events_deal_number_delta"),
        sa.CheckConstraint("delta IN (1, -1)", name="delta_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"), index=True)
    deal_id: Mapped[int] = mapped_column(sa.ForeignKey("deals.id"), index=True)
    application_number: Mapped[str] = mapped_column(sa.String(20))
    project_year: Mapped[int] = mapped_column(index=True)
    occurred_on: Mapped[date]
    delta: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyRecord(db.Model):
    """The first result of a request made with an idempotency key."""

    __tablename__ = "idempotency_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    scope: Mapped[str] = mapped_column(sa.String(100))  # e.g. "deal:12:fund"
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    response: Mapped[dict] = mapped_column(sa.JSON)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditRecord(db.Model):
    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
