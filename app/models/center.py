"""Operation centers, their targets and their alliance."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import targets as target_rules
from ..extensions import db
from ._types import str_enum, utcnow
from .org import Organisation


class Industry(enum.StrEnum):
    """The city's key industries (see DOMAIN.md)."""

    CARBON_MATERIALS = "carbon_materials"
    HIGH_END_EQUIPMENT = "high_end_equipment"
    NEW_ENERGY_VEHICLES = "new_energy_vehicles"
    IT_INNOVATION = "it_innovation"
    SEMICONDUCTORS = "semiconductors"
    SPECIAL_STEEL = "special_steel"
    ENERGY_ENVIRONMENT = "energy_environment"
    BIOMEDICINE = "biomedicine"
    HYDROGEN = "hydrogen"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    LEFT = "left"


center_founders = sa.Table(
    "center_founders",
    db.metadata,
    sa.Column("center_id", sa.ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("org_id", sa.ForeignKey("organisations.id"), primary_key=True),
)


class Center(db.Model):
    __tablename__ = "centers"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    industry: Mapped[Industry] = mapped_column(str_enum(Industry), unique=True)
    approval_date: Mapped[date | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    org: Mapped[Organisation] = relationship(foreign_keys=[org_id])
    founders: Mapped[list[Organisation]] = relationship(secondary=center_founders, order_by="Organisation.id")
    targets: Mapped[list[CenterTarget]] = relationship(
        back_populates="center", order_by="CenterTarget.year", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[AllianceMembership]] = relationship(
        back_populates="center", cascade="all, delete-orphan"
    )

    def target_for(self, year: int) -> int | None:
        """The transfer/licence target of project year ``year`` (default rule when unset)."""
        for t in self.targets:
            if t.year == year:
                return t.target
        defaults = target_rules.yearly_targets()
        return defaults[year - 1] if 1 <= year <= len(defaults) else None

    def project_year(self, on: date) -> int:
        return target_rules.project_year(self.approval_date, on) if self.approval_date else 0


class CenterTarget(db.Model):
    __tablename__ = "center_targets"
    __table_args__ = (
        sa.UniqueConstraint("center_id", "year", name="uq_center_targets_center_year"),
        sa.CheckConstraint("year BETWEEN 1 AND 10", name="year_range"),
        sa.CheckConstraint("target >= 0", name="target_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"))
    year: Mapped[int]
    target: Mapped[int]

    center: Mapped[Center] = relationship(back_populates="targets")


class AllianceMembership(db.Model):
    __tablename__ = "alliance_memberships"
    __table_args__ = (sa.UniqueConstraint("center_id", "org_id", name="uq_alliance_memberships_center_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    status: Mapped[MembershipStatus] = mapped_column(str_enum(MembershipStatus), default=MembershipStatus.PENDING)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    center: Mapped[Center] = relationship(back_populates="memberships")
    org: Mapped[Organisation] = relationship()
