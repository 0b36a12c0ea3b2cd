"""Importing patent and trademark files (CSV, XLSX) into a center's industry database.

A job reads the file as a stream (csv.reader / openpyxl read-only), checks each row with
app.domain.patent_import, upserts good rows in batches by application (registration) number
and keeps every bad cell as an ImportRowError. Bad rows never stop a job; re-importing the
same file changes nothing. The web page hands the job to app.jobs (the imports' queue, or a
thread without one) and polls its progress; `flask import-patents` runs it in the foreground
with a progress bar.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import secrets
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from ..domain import patent_import as rules
from ..domain.errors import DomainError, N_
from ..extensions import db
from ..models import (
    Center,
    ImportJob,
    ImportKind,
    ImportRowError,
    ImportStatus,
    Industry,
    Organisation,
    Patent,
    PatentApplicant,
    PatentIPC,
    Role,
    Trademark,
    User,
)
from ..models._types import utcnow
from . import clock, pools
from . import patents as patent_service
from .centers import is_center_staff
from .permissions import Forbidden
from .transaction import transaction, use_case

log = logging.getLogger(__name__)

BATCH = 500
EXTENSIONS = ("csv", "xlsx")
INDUSTRIES = frozenset(i.value for i in Industry)


# ---- who may import ------------------------------------------------------------------------


def importable_centers(user: User | None) -> list[Center]:
    """The centers whose database ``user`` may load files into."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    centers = db.session.scalars(sa.select(Center).order_by(Center.id)).all()
    return [c for c in centers if is_center_staff(user, c)]


def can_import(user: User | None) -> bool:
    if user is not None and getattr(user, "is_authenticated", False) and user.role == Role.PLATFORM_ADMIN:
        return True
    return bool(importable_centers(user))


def can_see_job(user: User | None, job: ImportJob) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.PLATFORM_ADMIN or job.created_by_id == user.id:
        return True
    return job.center is not None and is_center_staff(user, job.center)


# ---- reading files -------------------------------------------------------------------------


class FileFormatError(DomainError):
    """The file as a whole cannot be read."""


def detect_format(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(N_("old Excel files (.xls) are not supported; save the sheet as .xlsx or .csv"))
    return "csv"


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else GB18030 (Excel in China)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def count_rows(path: Path, fmt: str) -> int:
    """Data rows, for the progress bar (cheap: a byte scan, or the sheet's stated size)."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        check_xlsx(path)
        try:
            wb = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # noqa: BLE001 - any parse failure means an unreadable file
            raise FileFormatError(N_("the file is not a readable .xlsx workbook")) from exc
        try:
            ws = wb.worksheets[0]
            return max(0, (ws.max_row or 1) - 1)
        finally:
            wb.close()
    lines = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(0, lines - 1)


def iter_rows(path: Path, fmt: str) -> Iterator[tuple[int, list]]:
    """(line, cells) for every row, header first, in bounded memory."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        check_xlsx(path)
        try:
            wb = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # noqa: BLE001 - any parse failure means an unreadable file
            raise FileFormatError(N_("the file is not a readable .xlsx workbook")) from exc
        try:
            ws = wb.worksheets[0]
            for line, row in enumerate(ws.iter_rows(values_only=True), start=1):
                yield line, list(row)
        finally:
            wb.close()
        return
    encoding = _csv_encoding(path)
    with open(path, newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(f, rfc4180_dialect(f.readline()))
        f.seek(0)
        start = 1
        try:
            for row in reader:
                yield start, row
                start = reader.line_num + 1
        except csv.Error as exc:
            raise FileFormatError(N_("the CSV file cannot be read after line {line}: {reason}"),
                                  line=reader.line_num, reason=str(exc)) from exc


class _RFC4180(csv.Dialect):
    """RFC 4180: fields in double quotes may hold the separator, line breaks and ``""`` for a quote."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = False


def rfc4180_dialect(header_line: str) -> type[csv.Dialect]:
    """RFC 4180 with the separator the header row uses most outside quotes: ``,`` (the standard),
    a tab or ``;`` (some spreadsheets' exports)."""
    outside, quoted = [], False
    for ch in header_line.lstrip("\ufeff"):
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(ch)
    counts = {sep: outside.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    if best == ",":
        return _RFC4180
    return type("RFC4180Sep", (_RFC4180,), {"delimiter": best})


def check_xlsx(path: Path) -> None:
    """Refuse a workbook that would expand beyond the configured bounds, from the sizes its zip
    directory declares (Python's zipfile never inflates an entry beyond its declared size), before
    anything is parsed: a zip bomb fails here in milliseconds and a few kilobytes of memory."""
    cfg = current_app.config
    total_limit = cfg.get("IMPORT_XLSX_MAX_EXPANDED", 2 << 30)
    shared_limit = cfg.get("IMPORT_XLSX_MAX_SHARED_STRINGS", 256 << 20)
    max_ratio = cfg.get("IMPORT_XLSX_MAX_RATIO", 100)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileFormatError(N_("the file is not a readable .xlsx workbook")) from exc
    total = 0
    for info in entries:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_packed = info.file_size > (1 << 20) and ratio > max_ratio
        too_many_strings = info.filename.lower().endswith("sharedstrings.xml") and info.file_size > shared_limit
        if too_packed or too_many_strings or total > total_limit:
            raise FileFormatError(N_("the workbook would expand to more than the import allows (“{entry}”: {mb} MB "
                                     "unpacked); save the sheet as .csv or split it"),
                                  entry=info.filename[:100], mb=max(1, info.file_size >> 20))


# ---- jobs# ---- jobs ----------------------------------------------------------------------------------


def import_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@use_case
def create_local_job(kind: str, path: Path, industry: str | None) -> ImportJob:
    """An import of a file already on the server (the command line), queued as the uploads are."""
    job = ImportJob(kind=ImportKind(kind), filename=path.name, stored_path=str(path), industry=industry)
    db.session.add(job)
    return job


@use_case
def create_job(by: User, kind: str, upload: FileStorage, center: Center | None) -> ImportJob:
    """Store an uploaded file and queue its import. Raises Forbidden or DomainError."""
    if center is not None and not is_center_staff(by, center):
        raise Forbidden(N_("only this center's staff may import into its database"))
    if center is None and by.role != Role.PLATFORM_ADMIN:
        raise Forbidden(N_("choose the center whose database this file goes into"))
    original = os.path.basename((upload.filename or "").replace("\\", "/"))[:200]
    ext = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if ext not in EXTENSIONS:
        raise DomainError(N_("upload a .csv or .xlsx file"), field="file")
    stored = import_dir() / f"{secrets.token_hex(16)}.{ext}"
    tmp = stored.with_suffix(".part")
    size = 0
    limit = current_app.config.get("IMPORT_MAX_BYTES", 200 * 1024 * 1024)
    with open(tmp, "wb") as out:
        while chunk := upload.stream.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                tmp.unlink(missing_ok=True)
                raise DomainError(N_("the file is larger than {mb} MB"), field="file", mb=limit // (1024 * 1024))
            out.write(chunk)
    if size == 0:
        tmp.unlink(missing_ok=True)
        raise DomainError(N_("the file is empty"), field="file")
    os.replace(tmp, stored)
    job = ImportJob(kind=ImportKind(kind), filename=original or stored.name, stored_path=str(stored),
                    center_id=center.id if center else None, industry=center.industry if center else None,
                    created_by_id=by.id)
    db.session.add(job)
    db.session.flush()
    return job


class _GivenUp(Exception):
    """The job was given up (no heartbeat) while this worker still ran it: stop without a word."""


STALE_MESSAGE = N_("the import stopped: its worker sent no sign of life for more than {minutes} minutes (it was probably "
                   "restarted). Rows saved so far are kept; press “Retry” to import the file again (rows already "
                   "imported are not doubled)")


def run_job(job_id: int, progress: Callable[[int], None] | None = None, batch_size: int = BATCH) -> ImportJob:
    """Process a queued job to the end. Never raises for bad input: the job records it."""
    with transaction():
        job = db.session.get(ImportJob, job_id)
        if job is None or job.status != ImportStatus.QUEUED:
            return job  # run already, or given up and not retried: a stale copy of the queue entry
        job.status = ImportStatus.RUNNING
        job.started_at = job.heartbeat_at = utcnow()
    try:
        path = Path(job.stored_path)
        if not path.exists():
            raise FileFormatError(N_("the uploaded file is no longer on the server; upload it again"))
        fmt = detect_format(path)
        with transaction():
            job.total_rows = count_rows(path, fmt)
        # each batch of rows commits on its own (_Importer._flush); a failure discards the unfinished one
        importer = _PatentImporter(job) if job.kind == ImportKind.PATENTS else _TrademarkImporter(job)
        importer.run(iter_rows(path, fmt), progress, batch_size)
        outcome = (ImportStatus.DONE, None, None)
    except _GivenUp:
        db.session.rollback()  # the unfinished batch
        return db.session.get(ImportJob, job_id)
    except DomainError as exc:
        db.session.rollback()  # the unfinished batch; the batches before it are kept
        outcome = (ImportStatus.FAILED, exc.template, _jsonable(exc.params))
    except Exception:  # noqa: BLE001 - recorded on the job; the log has the traceback
        log.exception("import job %s failed", job_id)
        db.session.rollback()
        outcome = (ImportStatus.FAILED, N_("the import stopped because of an unexpected error; rows saved so far are kept"), {})
    with transaction():
        job = db.session.get(ImportJob, job_id)
        job.status = outcome[0]
        if outcome[1] is not None:
            job.message, job.message_params = outcome[1], outcome[2]
        job.finished_at = utcnow()
    return job


@use_case
def give_up_stale_jobs(now=None) -> int:
    """Mark running jobs without a heartbeat for IMPORT_STALE_SECONDS as failed (their worker died:
    a restart, an out-of-memory kill) so that nobody waits for them; returns how many."""
    seconds = current_app.config.get("IMPORT_STALE_SECONDS", 300)
    cutoff = (now or utcnow()) - timedelta(seconds=seconds)
    last_sign = sa.func.coalesce(ImportJob.heartbeat_at, ImportJob.started_at, ImportJob.created_at)
    stale = db.session.scalars(sa.select(ImportJob).where(ImportJob.status == ImportStatus.RUNNING,
                                                          last_sign < cutoff)).all()
    for job in stale:
        job.status = ImportStatus.FAILED
        job.message, job.message_params = STALE_MESSAGE, {"minutes": max(1, seconds // 60)}
        job.finished_at = now or utcnow()
    return len(stale)


def can_retry(user: User | None, job: ImportJob) -> bool:
    return (job.status == ImportStatus.FAILED and can_see_job(user, job)
            and (job.center is None or is_center_staff(user, job.center) or user.role == Role.PLATFORM_ADMIN))


@use_case
def retry_job(by: User, job_id: int) -> ImportJob:
    """Queue a failed job again on the same file. Safe: rows are upserted by number, so
    rows the first run saved come back unchanged. Raises Forbidden or DomainError."""
    job = db.session.get(ImportJob, job_id)
    if job is None or not can_see_job(by, job):
        raise Forbidden(N_("you cannot see this import"))
    if not can_retry(by, job):
        if job.status != ImportStatus.FAILED:
            raise DomainError(N_("only a stopped import can be retried"))
        raise Forbidden(N_("only this center's staff may import into its database"))
    if not Path(job.stored_path).exists():
        raise DomainError(N_("the uploaded file is no longer on the server; upload it again"))
    db.session.execute(sa.delete(ImportRowError).where(ImportRowError.job_id == job.id))
    job.status = ImportStatus.QUEUED
    job.processed_rows = job.created_rows = job.updated_rows = job.unchanged_rows = 0
    job.error_rows = job.errors_not_kept = 0
    job.message, job.message_params = "", {}
    job.started_at = job.finished_at = job.heartbeat_at = None
    return job


def _jsonable(params: dict) -> dict:
    return {k: (v if isinstance(v, int | float | str) else str(v)) for k, v in params.items()}


class _Importer:
    headers_spec: dict
    required: tuple

    one_of: tuple = ()

    def __init__(self, job: ImportJob):
        self.job = job
        self.seen: dict[str, int] = {}  # number -> first line, for duplicates within the file
        self.present: set[str] = set()
        self.max_rows = current_app.config.get("IMPORT_MAX_ROWS", 1_000_000)
        self.max_errors = current_app.config.get("IMPORT_MAX_STORED_ERRORS", 1000)
        self.kept_errors = 0

    def run(self, rows: Iterator[tuple[int, list]], progress, batch_size: int) -> None:
        job = self.job
        headers = None
        batch: list[tuple[int, object]] = []
        done = 0
        for line, row in rows:
            if headers is None:
                if not any(rules.cell_text(c) for c in row):
                    continue
                headers = rules.map_headers(row, self.headers_spec, self.required, self.one_of)
                self.present = set(headers.columns)
                continue
            if not any(rules.cell_text(c) for c in row):
                continue
            if done >= self.max_rows:
                self._flush(batch, done, progress, done % batch_size)
                raise FileFormatError(N_("the file has more than {max} rows: the first {max} were imported; put the "
                                         "rest (from line {line}) in another file"), max=self.max_rows, line=line)
            record, errors = self.read(row, headers)
            if record is not None:
                number = self.number_of(record)
                first = self.seen.get(number)
                if first is not None:
                    errors = [rules.RowError(self.number_column(headers), number,
                                             N_("duplicate: {number} is already on line {line} of this file"),
                                             {"number": number, "line": first})]
                    record = None
                else:
                    self.seen[number] = line
            if errors:
                job.error_rows += 1
                for e in errors:
                    if self.kept_errors >= self.max_errors:
                        job.errors_not_kept += 1
                        continue
                    self.kept_errors += 1
                    db.session.add(ImportRowError(job_id=job.id, line=line, column=e.column[:100], value=e.value[:500],
                                                  reason=e.reason[:500], params=_jsonable(e.params)))
            else:
                batch.append((line, record))
            done += 1
            if done % batch_size == 0:
                self._flush(batch, done, progress, batch_size)
                batch = []
        if headers is None:
            raise rules.ImportRowError(N_("the file has no header row"))
        self._flush(batch, done, progress, done % batch_size)

    def number_column(self, headers) -> str:
        return next(headers.names[f] for f in (self.required[0], *self.one_of) if f in headers.names)

    def _flush(self, batch, done: int, progress, step: int) -> None:
        """Commit one batch: its rows, the row errors kept since the last batch, the progress."""
        with transaction():
            # given up meanwhile (this worker looked dead): stop before writing anything more
            status = db.session.scalar(sa.select(ImportJob.status).where(ImportJob.id == self.job.id))
            if status != ImportStatus.RUNNING:
                raise _GivenUp
            if batch:
                self.upsert(batch)
            self.job.processed_rows = done
            self.job.heartbeat_at = utcnow()
        if progress and step:
            progress(step)


class _PatentImporter(_Importer):
    headers_spec = rules.PATENT_HEADERS
    required = rules.PATENT_REQUIRED
    one_of = rules.PATENT_ONE_OF

    def number_column(self, headers) -> str:
        return next(headers.names[f] for f in self.one_of if f in headers.names)

    def __init__(self, job: ImportJob):
        super().__init__(job)
        self.today = clock.today()
        self._orgs: dict[str, int] | None = None

    def read(self, row, headers):
        return rules.read_patent_row(row, headers, today=self.today, industries=INDUSTRIES)

    @staticmethod
    def number_of(record) -> str:
        return record.application_number

    def updatable(self) -> list[str]:
        """Fields a row may change on a patent already in the database: those its file has
        (a file without an abstract column leaves abstracts alone)."""
        attrs = ["title", "patent_type", "office"]  # type and office come from the numbers without a column
        attrs += [a for a in ("publication_number", "publication_date", "abstract", "filing_date", "grant_date",
                              "claims_count", "inventors", "agency") if a in self.present]
        if "publication_number" in self.present:
            attrs.append("kind_code")
        if self.present & {"legal_status", "simple_status", "grant_date"}:
            attrs.append("legal_status")
        return attrs

    def org_ids(self) -> dict[str, int]:
        if self._orgs is None:
            self._orgs = dict(db.session.execute(sa.select(Organisation.name, Organisation.id)).all())
        return self._orgs

    def upsert(self, batch) -> None:
        numbers = [r.application_number for _, r in batch]
        # patents imported earlier by their publication number alone, now given with an application number
        by_publication = {r.publication_key: r.application_number for _, r in batch
                          if r.publication_key and r.publication_key != r.application_number}
        existing = {
            p.application_number: p
            for p in db.session.scalars(
                sa.select(Patent).where(Patent.application_number.in_(numbers + list(by_publication)))
                .options(selectinload(Patent.ipc_codes), selectinload(Patent.applicants))
            )
        }
        for key, number in by_publication.items():
            if key in existing and number not in existing:
                existing[number] = existing.pop(key)
                existing[number].application_number = number
        orgs = self.org_ids()
        job = self.job
        pool_facts_changed = []
        for _, rec in batch:
            patent = existing.get(rec.application_number)
            values = {
                "publication_number": rec.publication_number, "title": rec.title, "abstract": rec.abstract,
                "patent_type": rec.patent_type, "legal_status": rec.legal_status, "filing_date": rec.filing_date,
                "grant_date": rec.grant_date, "claims_count": rec.claims_count, "office": rec.office,
                "kind_code": rec.kind_code, "publication_date": rec.publication_date,
                "inventors": "；".join(rec.inventors), "agency": rec.agency,
            }
            if patent is None:
                patent = Patent(application_number=rec.application_number, industry=rec.industry or job.industry,
                                **values)
                patent.ipc_codes = [PatentIPC(code=c, position=i) for i, c in enumerate(rec.ipc)]
                patent.applicants = [PatentApplicant(name=n, org_id=orgs.get(n), position=i)
                                     for i, n in enumerate(rec.applicants)]
                db.session.add(patent)
                job.created_rows += 1
                continue
            changed = False
            facts = patent_service.pool_facts(patent)
            for attr in self.updatable():
                if getattr(patent, attr) != values[attr]:
                    setattr(patent, attr, values[attr])
                    changed = True
            if patent_service.pool_facts(patent) != facts:
                pool_facts_changed.append(patent)
            industry = rec.industry or patent.industry or job.industry
            if patent.industry != industry:
                patent.industry = industry
                changed = True
            ipc_changed = "ipc" in self.present and patent.ipc_list != rec.ipc
            names_changed = (self.present & {"applicants", "current_owners"}) and patent.applicant_names != rec.applicants
            if ipc_changed or names_changed:
                # delete the old rows first: the unit of work would insert before deleting, and
                # (patent, code) is unique
                if ipc_changed:
                    patent.ipc_codes = []
                if names_changed:
                    patent.applicants = []
                db.session.flush()
                if ipc_changed:
                    patent.ipc_codes = [PatentIPC(code=c, position=i) for i, c in enumerate(rec.ipc)]
                if names_changed:
                    patent.applicants = [PatentApplicant(name=n, org_id=orgs.get(n), position=i)
                                         for i, n in enumerate(rec.applicants)]
                changed = True
            if changed:
                job.updated_rows += 1
            else:
                job.unchanged_rows += 1
        pools.recheck_pools_holding(pool_facts_changed)


class _TrademarkImporter(_Importer):
    headers_spec = rules.TRADEMARK_HEADERS
    required = rules.TRADEMARK_REQUIRED

    def read(self, row, headers):
        return rules.read_trademark_row(row, headers, industries=INDUSTRIES)

    @staticmethod
    def number_of(record) -> str:
        return record.registration_number

    def upsert(self, batch) -> None:
        numbers = [r.registration_number for _, r in batch]
        existing = {t.registration_number: t for t in
                    db.session.scalars(sa.select(Trademark).where(Trademark.registration_number.in_(numbers)))}
        job = self.job
        for _, rec in batch:
            values = {"name": rec.name, "nice_class": rec.nice_class, "registrant": rec.registrant,
                      "status": rec.status, "filing_date": rec.filing_date, "registration_date": rec.registration_date}
            tm = existing.get(rec.registration_number)
            if tm is None:
                db.session.add(Trademark(registration_number=rec.registration_number,
                                         industry=rec.industry or job.industry, **values))
                job.created_rows += 1
                continue
            changed = False
            for attr, value in values.items():
                if attr in ("filing_date", "registration_date", "status") and attr not in self.present:
                    continue
                if getattr(tm, attr) != value:
                    setattr(tm, attr, value)
                    changed = True
            industry = rec.industry or tm.industry or job.industry
            if tm.industry != industry:
                tm.industry = industry
                changed = True
            job.updated_rows += changed
            job.unchanged_rows += not changed


# ---- the error file -------------------------------------------------------------------------


def error_rows(job: ImportJob, translate: Callable[[str, dict], str]) -> Iterator[list]:
    """Header and rows of the error file: line, column, value, reason (translated)."""
    last = 0
    while True:
        chunk = db.session.scalars(
            sa.select(ImportRowError).where(ImportRowError.job_id == job.id, ImportRowError.id > last)
            .order_by(ImportRowError.id).limit(1000)
        ).all()
        if not chunk:
            return
        for e in chunk:
            yield [e.line, e.column, e.value, translate(e.reason, e.params or {})]
        last = chunk[-1].id


def csv_lines(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    """CSV text (UTF-8 with BOM for Excel), every cell made spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow([rules.spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([rules.spreadsheet_safe(c) for c in row])
        if buffer.tell() > 32 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
