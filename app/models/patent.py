"""Patents: the industry database and what members own."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import patent_terms
from ..domain.patent_terms import LegalStatus, PatentType
from ..extensions import db
from ._types import str_enum, utcnow
from .center import Industry
from .org import Organisation


class Patent(db.Model):
    __tablename__ = "patents"
    __table_args__ = (sa.CheckConstraint("claims_count >= 0", name="claims_nonneg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # CN: canonical written form YYYYTNNNNNNN.C (or legacy YYTNNNNN.C); other offices (or a CN
    # record known only by its publication): office + number, e.g. US16123456, EP3123456
    application_number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    publication_number: Mapped[str] = mapped_column(sa.String(30), default="")
    # the office that received the application (受理局): CN, US, EP, WO, JP … and the kind code of
    # the publication (A, B2, A1 …; "" when unknown)
    office: Mapped[str] = mapped_column(sa.String(2), default="CN", server_default="CN", index=True)
    kind_code: Mapped[str] = mapped_column(sa.String(4), default="", server_default="")
    publication_date: Mapped[date | None]
    inventors: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # "；"-separated
    agency: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    title: Mapped[str] = mapped_column(sa.String(500))
    abstract: Mapped[str] = mapped_column(sa.Text, default="")
    patent_type: Mapped[PatentType] = mapped_column(str_enum(PatentType), index=True)
    legal_status: Mapped[LegalStatus] = mapped_column(str_enum(LegalStatus), index=True)
    filing_date: Mapped[date | None] = mapped_column(index=True)
    grant_date: Mapped[date | None]
    claims_count: Mapped[int] = mapped_column(default=0)
    industry: Mapped[Industry | None] = mapped_column(str_enum(Industry), index=True)
    # The organisation that manages this record on the platform (may list it). NULL for
    # records that only come from the industry database.
    owner_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner_org: Mapped[Organisation | None] = relationship()
    ipc_codes: Mapped[list[PatentIPC]] = relationship(
        order_by="PatentIPC.position", cascade="all, delete-orphan", back_populates="patent"
    )
    applicants: Mapped[list[PatentApplicant]] = relationship(
        order_by="PatentApplicant.position", cascade="all, delete-orphan", back_populates="patent"
    )

    @property
    def ipc_list(self) -> list[str]:
        return [c.code for c in self.ipc_codes]

    @property
    def applicant_names(self) -> list[str]:
        return [a.name for a in self.applicants]

    @property
    def display_number(self) -> str:
        """The number people know the patent by: CN's application number, else the publication number."""
        return self.application_number if self.office == "CN" or not self.publication_number else self.publication_number

    @property
    def is_cn(self) -> bool:
        """Recorded by CNIPA: only these can be licensed, transferred or pooled on the platform."""
        return self.office == "CN"

    @property
    def is_valid(self) -> bool:
        return patent_terms.is_valid(self.legal_status)

    def remaining_years(self, today: date | None = None) -> float:
        return patent_terms.remaining_years(
            self.patent_type, self.filing_date, self.legal_status, today or date.today()
        )

    def expiry_date(self) -> date | None:
        return patent_terms.expiry_date(self.patent_type, self.filing_date) if self.filing_date else None


class PatentIPC(db.Model):
    __tablename__ = "patent_ipc"
    __table_args__ = (sa.UniqueConstraint("patent_id", "code", name="uq_patent_ipc_patent_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patent_id: Mapped[int] = mapped_column(sa.ForeignKey("patents.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20), index=True)
    position: Mapped[int] = mapped_column(default=0)

    patent: Mapped[Patent] = relationship(back_populates="ipc_codes")


class PatentApplicant(db.Model):
    """An applicant/owner: an organisation on the platform, or just a name."""

    __tablename__ = "patent_applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    patent_id: Mapped[int] = mapped_column(sa.ForeignKey("patents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    patent: Mapped[Patent] = relationship(back_populates="applicants")
    org: Mapped[Organisation | None] = relationship()
