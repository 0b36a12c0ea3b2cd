"""A center's life around the application and the task book: application conditions, the oral
defence, due diligence, the public notice and its objections, the credit file, equity
injections, yearly fund-use reports, the center's closure and the final acceptance."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.center_lifecycle import AcceptanceStatus, CreditKind, DiligenceOutcome, FundReportStatus
from ..extensions import db
from ._types import str_enum, utcnow
from .application import CenterApplication
from .center import Center
from .org import Organisation, User


class ApplicationCondition(db.Model):
    """The applicant's statement and proof for one of the notice's five conditions (申报条件)."""

    __tablename__ = "application_conditions"
    __table_args__ = (sa.UniqueConstraint("application_id", "key", name="uq_application_conditions_application_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("center_applications.id", ondelete="CASCADE"),
                                                index=True)
    key: Mapped[str] = mapped_column(sa.String(40))  # domain.center_lifecycle.CONDITIONS
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    stored_name: Mapped[str] = mapped_column(sa.String(300), default="")
    filename: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DefenceSession(db.Model):
    """The oral defence (现场答辩) of one application: when and where, and who attended."""

    __tablename__ = "defence_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("center_applications.id", ondelete="CASCADE"),
                                                unique=True)
    scheduled_at: Mapped[datetime]  # naive UTC
    place: Mapped[str] = mapped_column(sa.String(200))
    attendance: Mapped[str] = mapped_column(sa.Text, default="")  # who attended for the applicant and the panel
    held_at: Mapped[datetime | None]  # when the attendance was recorded
    scheduled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DefenceScore(db.Model):
    __tablename__ = "defence_scores"
    __table_args__ = (sa.UniqueConstraint("application_id", "expert_id", name="uq_defence_scores_application_expert"),
                      sa.CheckConstraint("score BETWEEN 0 AND 100", name="score_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("center_applications.id", ondelete="CASCADE"),
                                                index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)

    expert: Mapped[User] = relationship()


class DueDiligence(db.Model):
    """Due diligence and investment negotiation (尽职调查、投资谈判) by a named third party."""

    __tablename__ = "due_diligences"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("center_applications.id", ondelete="CASCADE"),
                                                unique=True)
    firm: Mapped[str] = mapped_column(sa.String(200))
    appointed_on: Mapped[date]
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[DiligenceOutcome] = mapped_column(str_enum(DiligenceOutcome), default=DiligenceOutcome.PENDING)
    concluded_on: Mapped[date | None]
    appointed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    reports: Mapped[list[DiligenceReport]] = relationship(order_by="DiligenceReport.id", cascade="all, delete-orphan")


class DiligenceReport(db.Model):
    __tablename__ = "diligence_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    diligence_id: Mapped[int] = mapped_column(sa.ForeignKey("due_diligences.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(300))
    filename: Mapped[str] = mapped_column(sa.String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class PublicNotice(db.Model):
    """The public notice (公示) before approval: published for a number of working days."""

    __tablename__ = "public_notices"
    __table_args__ = (sa.CheckConstraint("ends_on >= published_on", name="dates_ordered"),
                      sa.CheckConstraint("working_days > 0", name="days_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("center_applications.id", ondelete="CASCADE"),
                                                unique=True)
    published_on: Mapped[date]
    working_days: Mapped[int]
    ends_on: Mapped[date]  # the last working day of the period
    calendar_fallback: Mapped[bool] = mapped_column(default=False)  # Monday–Friday was assumed for some year
    text: Mapped[str] = mapped_column(sa.Text, default="")
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[CenterApplication] = relationship()
    objections: Mapped[list[NoticeObjection]] = relationship(order_by="NoticeObjection.id",
                                                             cascade="all, delete-orphan")


class NoticeObjection(db.Model):
    __tablename__ = "notice_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("public_notices.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    contact: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    upheld: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class CreditRecord(db.Model):
    """An entry in an organisation's credit file (诚信档案); serious-dishonesty entries are public and ban."""

    __tablename__ = "credit_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    kind: Mapped[CreditKind] = mapped_column(str_enum(CreditKind), index=True)
    legal_representative: Mapped[str] = mapped_column(sa.String(100), default="")
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("center_applications.id"))
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"))
    note: Mapped[str] = mapped_column(sa.Text)
    listed_on: Mapped[date]
    banned_until: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    org: Mapped[Organisation] = relationship()


class EquityInjection(db.Model):
    """Money the custodian injects into the center company as equity (negative: withdrawn)."""

    __tablename__ = "equity_injections"
    __table_args__ = (sa.CheckConstraint("amount_fen <> 0", name="amount_nonzero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User | None] = relationship()


class FundUseReport(db.Model):
    """The center's yearly report on the use of the funds; the bureau reviews it."""

    __tablename__ = "fund_use_reports"
    __table_args__ = (sa.UniqueConstraint("center_id", "year", name="uq_fund_use_reports_center_year"),
                      sa.CheckConstraint("used_fen >= 0", name="used_nonneg"))

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    used_fen: Mapped[int] = mapped_column(sa.BigInteger)
    summary: Mapped[str] = mapped_column(sa.Text)
    stored_name: Mapped[str] = mapped_column(sa.String(300), default="")
    filename: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[FundReportStatus] = mapped_column(str_enum(FundReportStatus), default=FundReportStatus.FILED)
    filed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_note: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]


class CenterClosure(db.Model):
    """The end of a center's project: terminated for misuse of funds."""

    __tablename__ = "center_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), unique=True)
    closed_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    fund_report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fund_use_reports.id"))
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class Acceptance(db.Model):
    """Final acceptance (项目验收) after the five construction years."""

    __tablename__ = "acceptances"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), unique=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[AcceptanceStatus] = mapped_column(str_enum(AcceptanceStatus), default=AcceptanceStatus.SUBMITTED)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome_note: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    center: Mapped[Center] = relationship()
    documents: Mapped[list[AcceptanceDocument]] = relationship(order_by="AcceptanceDocument.id",
                                                               cascade="all, delete-orphan")
    reviews: Mapped[list[AcceptanceReview]] = relationship(order_by="AcceptanceReview.id",
                                                           cascade="all, delete-orphan")


class AcceptanceDocument(db.Model):
    __tablename__ = "acceptance_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int | None] = mapped_column(sa.ForeignKey("acceptances.id", ondelete="CASCADE"), index=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # domain.center_lifecycle.ACCEPTANCE_DOCUMENTS
    stored_name: Mapped[str] = mapped_column(sa.String(300))
    filename: Mapped[str] = mapped_column(sa.String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AcceptanceReview(db.Model):
    __tablename__ = "acceptance_reviews"
    __table_args__ = (sa.UniqueConstraint("acceptance_id", "expert_id", name="uq_acceptance_reviews_acceptance_expert"),
                      sa.CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(sa.ForeignKey("acceptances.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    scored_at: Mapped[datetime | None]

    expert: Mapped[User] = relationship(foreign_keys=[expert_id])
