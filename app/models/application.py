"""Applications to found a center (申报): windows, the form and feasibility report, uploads,
expert review on the bureau's criteria."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.center_lifecycle import ApplicationStatus
from ..extensions import db
from ._types import str_enum, utcnow
from .center import Center, Industry
from .org import Organisation, User


class ApplicationWindow(db.Model):
    """When applications are accepted: dates (inclusive), working hours in Beijing time, working days."""

    __tablename__ = "application_windows"
    __table_args__ = (sa.CheckConstraint("closes_on >= opens_on", name="dates_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    hours: Mapped[str] = mapped_column(sa.String(200), default="")  # "09:00-11:30, 15:00-17:30"; blank = all day
    weekdays_only: Mapped[bool] = mapped_column(default=True)  # statutory working days (chinesecalendar)
    closed_dates: Mapped[str] = mapped_column(sa.Text, default="")  # further closed days of the bureau, ISO dates
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list[ReviewCriterion]] = relationship(back_populates="window", order_by="ReviewCriterion.position",
                                                           cascade="all, delete-orphan")


class ReviewCriterion(db.Model):
    __tablename__ = "review_criteria"
    __table_args__ = (sa.CheckConstraint("max_score > 0", name="max_positive"),
                      sa.CheckConstraint("weight >= 0", name="weight_nonneg"))

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(sa.ForeignKey("application_windows.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    max_score: Mapped[int]
    weight: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    window: Mapped[ApplicationWindow] = relationship(back_populates="criteria")


class CenterApplication(db.Model):
    __tablename__ = "center_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(sa.ForeignKey("application_windows.id"), index=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)  # the lead applicant
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    proposed_name: Mapped[str] = mapped_column(sa.String(200), default="")
    industry: Mapped[Industry] = mapped_column(str_enum(Industry))
    contact_person: Mapped[str] = mapped_column(sa.String(100), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    legal_representative: Mapped[str] = mapped_column(sa.String(100), default="")  # 法定代表人 of the lead applicant
    partners: Mapped[str] = mapped_column(sa.Text, default="")  # co-applicants, one a line
    capital_plan: Mapped[str] = mapped_column(sa.Text, default="")
    targets: Mapped[str] = mapped_column(sa.Text, default="")  # quantified task targets
    feasibility: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # FEASIBILITY_SECTIONS key -> text
    status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus), default=ApplicationStatus.DRAFT,
                                                      index=True)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    window: Mapped[ApplicationWindow] = relationship()
    org: Mapped[Organisation] = relationship()
    center: Mapped[Center | None] = relationship()
    documents: Mapped[list[ApplicationDocument]] = relationship(back_populates="application",
                                                                order_by="ApplicationDocument.id",
                                                                cascade="all, delete-orphan")
    assignments: Mapped[list[ExpertAssignment]] = relationship(back_populates="application",
                                                               order_by="ExpertAssignment.id",
                                                               cascade="all, delete-orphan")


class ApplicationDocument(db.Model):
    __tablename__ = "application_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("center_applications.id", ondelete="CASCADE"),
                                                index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # domain.program.DOCUMENT_KINDS
    stored_name: Mapped[str] = mapped_column(sa.String(300))
    filename: Mapped[str] = mapped_column(sa.String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[CenterApplication] = relationship(back_populates="documents")


class ExpertAssignment(db.Model):
    __tablename__ = "expert_assignments"
    __table_args__ = (sa.UniqueConstraint("application_id", "expert_id", name="uq_expert_assignments_application_expert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("center_applications.id", ondelete="CASCADE"),
                                                index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    application: Mapped[CenterApplication] = relationship(back_populates="assignments")
    expert: Mapped[User] = relationship(foreign_keys=[expert_id])
    scores: Mapped[list[ExpertScore]] = relationship(back_populates="assignment", cascade="all, delete-orphan")


class ExpertScore(db.Model):
    __tablename__ = "expert_scores"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "criterion_id", name="uq_expert_scores_assignment_criterion"),
                      sa.CheckConstraint("score >= 0", name="score_nonneg"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("expert_assignments.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("review_criteria.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    assignment: Mapped[ExpertAssignment] = relationship(back_populates="scores")
