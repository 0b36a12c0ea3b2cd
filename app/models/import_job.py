"""Import jobs: a file of patents or trademarks loaded outside the request, with row errors."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import str_enum, utcnow
from .center import Center, Industry
from .org import User


class ImportKind(enum.StrEnum):
    PATENTS = "patents"
    TRADEMARKS = "trademarks"


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # the file as a whole could not be read (rows already saved stay saved)


class ImportJob(db.Model):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind))
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus), default=ImportStatus.QUEUED, index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))  # as uploaded, for display only
    stored_path: Mapped[str] = mapped_column(sa.String(500), default="")
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"), index=True)
    industry: Mapped[Industry | None] = mapped_column(str_enum(Industry))  # given to rows without one
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    total_rows: Mapped[int] = mapped_column(default=0)  # data rows in the file (0 until counted)
    processed_rows: Mapped[int] = mapped_column(default=0)
    created_rows: Mapped[int] = mapped_column(default=0)
    updated_rows: Mapped[int] = mapped_column(default=0)
    unchanged_rows: Mapped[int] = mapped_column(default=0)
    error_rows: Mapped[int] = mapped_column(default=0)
    # rejected cells beyond the ones kept (a job keeps at most IMPORT_MAX_STORED_ERRORS of them)
    errors_not_kept: Mapped[int] = mapped_column(default=0, server_default="0")
    # written by the running job after every batch: a job without one for a few minutes has lost its worker
    heartbeat_at: Mapped[datetime | None]
    message: Mapped[str] = mapped_column(sa.Text, default="")  # English template, see message_params
    message_params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    center: Mapped[Center | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    errors: Mapped[list[ImportRowError]] = relationship(
        back_populates="job", order_by="ImportRowError.id", cascade="all, delete-orphan", lazy="dynamic"
    )

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))


class ImportRowError(db.Model):
    """One rejected cell: the line in the file (header = 1), the column, and why."""

    __tablename__ = "import_row_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True)
    line: Mapped[int]
    column: Mapped[str] = mapped_column(sa.String(100), default="")
    value: Mapped[str] = mapped_column(sa.String(500), default="")
    # English template with {placeholders} and its parameters: translated when shown
    reason: Mapped[str] = mapped_column(sa.String(500))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    job: Mapped[ImportJob] = relationship(back_populates="errors")
