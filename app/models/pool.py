"""Patent pools, their licences and royalty shares; cross-licences; patent grades."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import str_enum, utcnow
from .center import Center, Industry
from .org import Organisation
from .patent import Patent


class RoyaltyKind(enum.StrEnum):
    PER_UNIT = "per_unit"
    LUMP_SUM = "lump_sum"


class SplitRule(enum.StrEnum):
    PER_PATENT = "per_patent"
    BY_GRADE = "by_grade"
    FIXED_SHARES = "fixed_shares"


class PoolMemberStatus(enum.StrEnum):
    INVITED = "invited"
    JOINED = "joined"
    DECLINED = "declined"
    LEFT = "left"


class Pool(db.Model):
    __tablename__ = "pools"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"), index=True)
    lead_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    field: Mapped[str] = mapped_column(sa.Text, default="")  # technology field
    industry: Mapped[Industry] = mapped_column(str_enum(Industry))
    royalty_kind: Mapped[RoyaltyKind] = mapped_column(str_enum(RoyaltyKind), default=RoyaltyKind.LUMP_SUM)
    royalty_fen: Mapped[int | None] = mapped_column(sa.BigInteger)  # per unit or lump sum; NULL = terms not published
    field_of_use: Mapped[str] = mapped_column(sa.Text, default="")
    term_months: Mapped[int | None]
    split_rule: Mapped[SplitRule] = mapped_column(str_enum(SplitRule), default=SplitRule.PER_PATENT)
    compliant: Mapped[bool] = mapped_column(default=False)  # last computed state, for alerts on change
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center | None] = relationship()
    lead_org: Mapped[Organisation] = relationship()
    members: Mapped[list[PoolMember]] = relationship(back_populates="pool", cascade="all, delete-orphan")
    patents: Mapped[list[PoolPatent]] = relationship(back_populates="pool", cascade="all, delete-orphan")


class PoolMember(db.Model):
    __tablename__ = "pool_members"
    __table_args__ = (sa.UniqueConstraint("pool_id", "org_id", name="uq_pool_members_pool_org"),
                      sa.CheckConstraint("fixed_share >= 0", name="share_nonneg"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pools.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    status: Mapped[PoolMemberStatus] = mapped_column(str_enum(PoolMemberStatus), default=PoolMemberStatus.INVITED)
    fixed_share: Mapped[int] = mapped_column(default=0)  # weight under the fixed-shares rule
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None]

    pool: Mapped[Pool] = relationship(back_populates="members")
    org: Mapped[Organisation] = relationship()


class PoolPatent(db.Model):
    __tablename__ = "pool_patents"
    __table_args__ = (sa.UniqueConstraint("pool_id", "patent_id", name="uq_pool_patents_pool_patent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pools.id", ondelete="CASCADE"), index=True)
    patent_id: Mapped[int] = mapped_column(sa.ForeignKey("patents.id"), index=True)
    contributor_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    consent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))  # the owner's consent
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]

    pool: Mapped[Pool] = relationship(back_populates="patents")
    patent: Mapped[Patent] = relationship()
    contributor: Mapped[Organisation] = relationship()


class PoolAlert(db.Model):
    __tablename__ = "pool_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pools.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(sa.String(300))  # what changed
    shortfalls: Mapped[str] = mapped_column(sa.String(100))  # e.g. "patents,inventions"
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    resolved_at: Mapped[datetime | None]


class RoyaltyShare(db.Model):
    """A contributor's share of a pool licence's royalty, in fen; shares sum to the royalty."""

    __tablename__ = "royalty_shares"
    __table_args__ = (sa.UniqueConstraint("deal_id", "org_id", name="uq_royalty_shares_deal_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(sa.ForeignKey("deals.id"), index=True)
    pool_id: Mapped[int] = mapped_column(sa.ForeignKey("pools.id"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    weight: Mapped[int]
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)


class CrossLicence(db.Model):
    __tablename__ = "cross_licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"), index=True)
    org_a_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    org_b_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    patents_a: Mapped[str] = mapped_column(sa.Text, default="")  # "; "-joined application numbers
    patents_b: Mapped[str] = mapped_column(sa.Text, default="")
    signed_on: Mapped[date]
    term_months: Mapped[int | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    org_a: Mapped[Organisation] = relationship(foreign_keys=[org_a_id])
    org_b: Mapped[Organisation] = relationship(foreign_keys=[org_b_id])


class ValuationWeights(db.Model):
    """A center's weights for its industry's grading (defaults in domain/valuation.py)."""

    __tablename__ = "valuation_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"), unique=True)
    weights: Mapped[dict] = mapped_column(sa.JSON)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PatentGrade(db.Model):
    __tablename__ = "patent_grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    patent_id: Mapped[int] = mapped_column(sa.ForeignKey("patents.id", ondelete="CASCADE"), unique=True)
    score: Mapped[float]
    grade: Mapped[str] = mapped_column(sa.String(1), index=True)
    breakdown: Mapped[dict] = mapped_column(sa.JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
