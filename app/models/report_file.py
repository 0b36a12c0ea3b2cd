"""A center's yearly evaluation report as a file, made by a background job and kept in the database
(so the web and worker machines need no shared disk)."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import str_enum, utcnow
from .center import Center
from .org import User


class ReportFormat(enum.StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"


class ReportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportFile(db.Model):
    __tablename__ = "report_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(sa.ForeignKey("centers.id"), index=True)
    year: Mapped[int]  # project year
    fmt: Mapped[ReportFormat] = mapped_column(str_enum(ReportFormat))
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus), default=ReportStatus.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # set once done; loaded only when read (a download), never with the lists
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    size_bytes: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.Text, default="")  # English, translated when shown
    locale: Mapped[str] = mapped_column(sa.String(16), default="zh_CN")  # the language the file is written in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    center: Mapped[Center] = relationship()
    requested_by: Mapped[User | None] = relationship()

    # Still queued or running after this long: given up (the worker may have died with the job).
    STALE_AFTER = timedelta(minutes=30)

    @property
    def stale(self) -> bool:
        return (self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
                and self.created_at < utcnow() - self.STALE_AFTER)

    @property
    def pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING) and not self.stale
