"""The centers' yearly evaluation report files, made by a background job (app.jobs) instead of in the
web request: an evaluation reads the whole program of a center and the PDF embeds a CJK font, which
takes seconds. The file is kept on its row in the database, so the web and worker machines need no
shared disk.

Who may ask for a file is the caller's check (whoever may see the report page). A second request for
the same center, year and format while one is queued or running gets that one: a double click does
the work once. The worker has no request to take a language from, so each file is written in the
language of the user who asked for it (kept on its row); a request in another language makes a file
of its own.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale, get_locale

from .. import jobs
from ..domain.errors import N_
from ..extensions import db
from ..models import Center, ReportFile, ReportFormat, ReportStatus, User
from ..models._types import utcnow
from ..reports import pdf, xlsx
from . import audit, evaluation
from .transaction import transaction, use_case

log = logging.getLogger(__name__)

PENDING = (ReportStatus.QUEUED, ReportStatus.RUNNING)
SHOWN = 10  # files listed on the report page
NO_FONT = N_("The PDF cannot be made: no Chinese font is installed on the server. The XLSX file has the same "
             "figures.")
UNEXPECTED = N_("The file could not be made because of an unexpected error. Please try again later.")
STALE = N_("The file was not made in time (the worker may have stopped). Ask for it again.")


def _of(center: Center, year: int):
    """A query of ``center``'s files of ``year`` (the content stays unloaded: see ReportFile.content)."""
    return sa.select(ReportFile).where(ReportFile.center_id == center.id, ReportFile.year == year)


def _give_up_stale(center: Center, year: int) -> None:
    """Mark failed the files still queued or running after ReportFile.STALE_AFTER (a worker that died
    leaves its row "running"), so that they block no new request. Only on a request (a POST): the
    report page shows such rows as given up without writing anything."""
    with transaction():
        stale = [row for row in db.session.scalars(_of(center, year).where(ReportFile.status.in_(PENDING)))
                 if row.stale]
        for row in stale:
            row.status, row.message, row.finished_at = ReportStatus.FAILED, STALE, utcnow()


def reports_for(center: Center, year: int) -> list[ReportFile]:
    """The latest files of ``center``'s report of ``year``, newest first."""
    return list(db.session.scalars(_of(center, year).order_by(ReportFile.created_at.desc(), ReportFile.id.desc())
                                   .limit(SHOWN)))


def newest_done(center: Center, year: int, fmt: ReportFormat) -> ReportFile | None:
    """The newest finished file of ``fmt``, in the reader's language when there is one."""
    done = _of(center, year).where(ReportFile.fmt == fmt, ReportFile.status == ReportStatus.DONE)
    mine = sa.case((ReportFile.locale == _locale(), 0), else_=1)
    return db.session.scalar(done.order_by(mine, ReportFile.finished_at.desc(), ReportFile.id.desc()).limit(1))


def _locale() -> str:
    """The asking user's language as one of config LANGUAGES' keys (the default outside a request)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    current = str(get_locale() or default)
    return next((key for key in current_app.config["LANGUAGES"] if key.split("_")[0] == current.split("_")[0]),
                default)


def request_report(user: User, center: Center, year: int, fmt: ReportFormat | str) -> ReportFile:
    """Queue a file of ``center``'s evaluation of project ``year``, or return the one on its way."""
    fmt, locale = ReportFormat(fmt), _locale()
    _give_up_stale(center, year)
    with transaction():  # the commit expires the row: read after the enqueue, it shows what the job did so far
        pending = db.session.scalar(_of(center, year).where(ReportFile.fmt == fmt, ReportFile.locale == locale,
                                                            ReportFile.status.in_(PENDING))
                                    .order_by(ReportFile.id.desc()).limit(1))
        if pending is not None:
            return pending
        row = ReportFile(center_id=center.id, year=year, fmt=fmt, status=ReportStatus.QUEUED,
                         requested_by_id=user.id, locale=locale)
        db.session.add(row)
        db.session.flush()
        report_id = row.id
        audit.record(user, "report.requested", "report_file", report_id, fmt=fmt.value, year=year)
    jobs.enqueue(current_app._get_current_object(), build, report_id,
                 description=f"report {report_id}")
    return row


def build(report_id: int) -> None:
    """The task: render the file and keep it on its row. An unexpected error is written on the row and
    raised again, so that the queue keeps the job (and its traceback) in its failed registry."""
    with transaction():
        row = db.session.get(ReportFile, report_id)
        row.status, row.started_at = ReportStatus.RUNNING, utcnow()
    try:
        with transaction():  # reads only; a database error on the way rolls the session back
            content = _render(row)
    except pdf.FontMissing as err:
        log.error("report file %s: %s", report_id, err)
        _finish(report_id, ReportStatus.FAILED, message=NO_FONT)
    except Exception:
        _finish(report_id, ReportStatus.FAILED, message=UNEXPECTED)
        raise
    else:
        _finish(report_id, ReportStatus.DONE, content=content)


def _render(row: ReportFile) -> bytes:
    with force_locale(row.locale):
        ev = evaluation.evaluate(row.center, row.year)
        return pdf.evaluation_report(ev) if row.fmt == ReportFormat.PDF else xlsx.evaluation_report(ev)


@use_case
def _finish(report_id: int, status: ReportStatus, content: bytes | None = None, message: str = "") -> None:
    row = db.session.get(ReportFile, report_id)
    row.status, row.content, row.size_bytes = status, content, len(content or b"")
    row.message, row.finished_at = message, utcnow()
