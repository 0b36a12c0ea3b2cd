"""A center's program records (tasks 1, 3, 7–10), its task book and exit cases."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.program import (
    AwardLevel,
    AwardStatus,
    ExitReason,
    NavKind,
    PctPhase,
    ProductStatus,
    ProjectStatus,
    StandardLevel,
    StandardStatus,
)
from ..extensions import db
from ._types import str_enum, utcnow
from .center import Center
from .org import Organisation
from .patent import Patent


class PlanVersion(db.Model):
    """One version of the construction plan (task 1); the highest version is the plan in force."""

    __tablename__ = "plan_versions"
    __table_args__ = (sa.UniqueConstraint("center_id", "version", name="uq_plan_versions_center_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    sections: Mapped[dict] = mapped_column(sa.JSON)  # PLAN_SECTIONS key -> text
    note: Mapped[str] = mapped_column(sa.String(300), default="")  # what changed
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by = relationship("User")


class NavigationProject(db.Model):
    """A patent navigation project (task 3, GB/T 39551-2020 types)."""

    __tablename__ = "navigation_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[NavKind] = mapped_column(str_enum(NavKind))
    client_name: Mapped[str] = mapped_column(sa.String(200), default="")  # the government body or innovator served
    status: Mapped[ProjectStatus] = mapped_column(str_enum(ProjectStatus), default=ProjectStatus.PLANNED)
    started_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    deliverables: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


product_patents = sa.Table(
    "product_patents",
    db.metadata,
    sa.Column("product_id", sa.ForeignKey("patent_products.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("patent_id", sa.ForeignKey("patents.id"), primary_key=True, index=True),
)


class PatentProduct(db.Model):
    """A product put forward for patent-intensive product identification (task 7)."""

    __tablename__ = "patent_products"
    __table_args__ = (
        sa.CheckConstraint("product_revenue_fen IS NULL OR product_revenue_fen >= 0", name="product_revenue_nonneg"),
        sa.CheckConstraint("total_revenue_fen IS NULL OR total_revenue_fen >= 0", name="total_revenue_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    owner_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    owner_name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # revenue share: the product's revenue against the owner's total, for the same year
    product_revenue_fen: Mapped[int | None] = mapped_column(sa.BigInteger)
    total_revenue_fen: Mapped[int | None] = mapped_column(sa.BigInteger)
    evidence_file: Mapped[str] = mapped_column(sa.String(300), default="")
    evidence_filename: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[ProductStatus] = mapped_column(str_enum(ProductStatus), default=ProductStatus.APPLIED)
    applied_on: Mapped[date | None]
    identified_on: Mapped[date | None]
    certificate_number: Mapped[str] = mapped_column(sa.String(100), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner_org: Mapped[Organisation | None] = relationship()
    patents: Mapped[list[Patent]] = relationship(secondary=product_patents, order_by="Patent.id")

    @property
    def revenue_share(self) -> float | None:
        if not self.total_revenue_fen or self.product_revenue_fen is None:
            return None
        return self.product_revenue_fen / self.total_revenue_fen


class PctFiling(db.Model):
    """A PCT application the center helped file (international phase) or a national-phase entry (task 8)."""

    __tablename__ = "pct_filings"
    __table_args__ = (sa.UniqueConstraint("center_id", "pct_number", "phase", "country",
                                          name="uq_pct_filings_center_number_phase_country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300))
    pct_number: Mapped[str] = mapped_column(sa.String(20), index=True)  # PCT/CN2024/123456
    phase: Mapped[PctPhase] = mapped_column(str_enum(PctPhase))
    country: Mapped[str] = mapped_column(sa.String(10), default="")  # office entered, national phase only
    filed_on: Mapped[date]  # international filing date, or national-phase entry date
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


standard_patents = sa.Table(
    "standard_patents",
    db.metadata,
    sa.Column("standard_id", sa.ForeignKey("standards.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("patent_id", sa.ForeignKey("patents.id"), primary_key=True, index=True),
)


class Standard(db.Model):
    """A standard with essential patents from the industry (task 9)."""

    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(60))  # e.g. GB/T 39551-2020, IEC 62660-1
    title: Mapped[str] = mapped_column(sa.String(300))
    level: Mapped[StandardLevel] = mapped_column(str_enum(StandardLevel))
    status: Mapped[StandardStatus] = mapped_column(str_enum(StandardStatus), default=StandardStatus.DRAFTING)
    published_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patents: Mapped[list[Patent]] = relationship(secondary=standard_patents, order_by="Patent.id")


class Award(db.Model):
    """An award for a patent or a patented product (task 10)."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))  # e.g. 中国专利奖 银奖
    level: Mapped[AwardLevel] = mapped_column(str_enum(AwardLevel))
    status: Mapped[AwardStatus] = mapped_column(str_enum(AwardStatus), default=AwardStatus.NOMINATED)
    awarded_on: Mapped[date | None]
    winner_name: Mapped[str] = mapped_column(sa.String(200), default="")
    patent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patents.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patent_products.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patent: Mapped[Patent | None] = relationship()
    product: Mapped[PatentProduct | None] = relationship()


class TaskBook(db.Model):
    """The project task book the bureau and the center sign after approval (立项)."""

    __tablename__ = "task_books"
    __table_args__ = (sa.CheckConstraint("equity_fen IS NULL OR equity_fen >= 0", name="equity_nonneg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), unique=True)
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("center_applications.id"))
    signed_on: Mapped[date]
    custodian: Mapped[str] = mapped_column(sa.String(200), default="")  # 代持机构
    custodian_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    equity_fen: Mapped[int | None] = mapped_column(sa.BigInteger)
    equity_agreement_signed_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()


class ExitCase(db.Model):
    """An exit case of the equity investment opened by the bureau (any of the notice's eight)."""

    __tablename__ = "exit_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    reason: Mapped[ExitReason] = mapped_column(str_enum(ExitReason))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    opened_on: Mapped[date]
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_on: Mapped[date | None]
    closure_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
