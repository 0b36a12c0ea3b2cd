"""Analysis of an industry's patent database: read-only queries, one table each.

Every table is (key, title, headers, rows); the page draws a chart from it and offers it as XLSX.
Read-only dashboard queries skip the domain model (Cosmic Python).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.patent_import import spreadsheet_safe
from ..domain.patent_terms import VALID_STATUSES, PatentType
from ..extensions import db
from ..models import Industry, Organisation, Patent, PatentApplicant, PatentIPC

TABLES = ("by_year", "applicants", "ipc", "status", "types", "offices", "valid_inventions")
TOP = 20


@dataclass
class Table:
    key: str
    headers: list[str]  # English msgids; the page translates them
    rows: list[list]
    chart: str  # bar | line | doughnut | hbar


def _scope(stmt, industry: str | None):
    return stmt.where(Patent.industry == Industry(industry)) if industry else stmt


def _year(column):
    if db.engine.dialect.name == "postgresql":
        return sa.cast(sa.extract("year", column), sa.Integer)
    return sa.cast(sa.func.strftime("%Y", column), sa.Integer)


def by_year(industry: str | None) -> Table:
    filed = dict(db.session.execute(_scope(
        sa.select(_year(Patent.filing_date).label("y"), sa.func.count()).where(Patent.filing_date.is_not(None))
        .group_by("y"), industry)).all())
    granted = dict(db.session.execute(_scope(
        sa.select(_year(Patent.grant_date).label("y"), sa.func.count()).where(Patent.grant_date.is_not(None))
        .group_by("y"), industry)).all())
    years = sorted(set(filed) | set(granted))
    return Table("by_year", ["Year", "Filings", "Grants"], [[y, filed.get(y, 0), granted.get(y, 0)] for y in years], "line")


def top_applicants(industry: str | None, limit: int = TOP) -> Table:
    valid = sa.func.sum(sa.case((Patent.legal_status.in_(VALID_STATUSES), 1), else_=0))
    rows = db.session.execute(_scope(
        sa.select(PatentApplicant.name, sa.func.count(sa.distinct(Patent.id)).label("n"), valid)
        .join(Patent, Patent.id == PatentApplicant.patent_id)
        .group_by(PatentApplicant.name).order_by(sa.desc("n"), PatentApplicant.name).limit(limit), industry)).all()
    return Table("applicants", ["Applicant", "Patents", "Valid patents"], [list(r) for r in rows], "hbar")


def ipc_distribution(industry: str | None, limit: int = TOP) -> Table:
    sub = sa.func.substr(PatentIPC.code, 1, 4).label("subclass")
    rows = db.session.execute(_scope(
        sa.select(sub, sa.func.count(sa.distinct(PatentIPC.patent_id)).label("n"))
        .join(Patent, Patent.id == PatentIPC.patent_id)
        .group_by(sub).order_by(sa.desc("n"), sub).limit(limit), industry)).all()
    return Table("ipc", ["IPC subclass", "Patents"], [list(r) for r in rows], "bar")


def legal_status(industry: str | None) -> Table:
    rows = db.session.execute(_scope(
        sa.select(Patent.legal_status, sa.func.count()).group_by(Patent.legal_status)
        .order_by(sa.func.count().desc()), industry)).all()
    return Table("status", ["Legal status", "Patents"], [[str(s.value), n] for s, n in rows], "doughnut")


def type_mix(industry: str | None) -> Table:
    rows = db.session.execute(_scope(
        sa.select(Patent.patent_type, sa.func.count()).group_by(Patent.patent_type)
        .order_by(sa.func.count().desc()), industry)).all()
    return Table("types", ["Patent type", "Patents"], [[str(t.value), n] for t, n in rows], "doughnut")


def offices(industry: str | None) -> Table:
    """Patents by the office that received them (受理局): CN beside US, EP, WO, JP …"""
    valid = sa.func.sum(sa.case((Patent.legal_status.in_(VALID_STATUSES), 1), else_=0))
    rows = db.session.execute(_scope(
        sa.select(Patent.office, sa.func.count().label("n"), valid).group_by(Patent.office)
        .order_by(sa.desc("n"), Patent.office), industry)).all()
    return Table("offices", ["Office", "Patents", "Valid patents"], [list(r) for r in rows], "bar")


def valid_inventions(industry: str | None, limit: int = 50) -> Table:
    """Valid invention patents per organisation on the platform (as applicant)."""
    rows = db.session.execute(_scope(
        sa.select(Organisation.name, sa.func.count(sa.distinct(Patent.id)).label("n"))
        .join(PatentApplicant, PatentApplicant.org_id == Organisation.id)
        .join(Patent, Patent.id == PatentApplicant.patent_id)
        .where(Patent.patent_type == PatentType.INVENTION, Patent.legal_status.in_(VALID_STATUSES))
        .group_by(Organisation.name).order_by(sa.desc("n"), Organisation.name).limit(limit), industry)).all()
    return Table("valid_inventions", ["Organisation", "Valid invention patents"], [list(r) for r in rows], "hbar")


BUILDERS: dict[str, Callable[[str | None], Table]] = {
    "by_year": by_year, "applicants": top_applicants, "ipc": ipc_distribution, "status": legal_status,
    "types": type_mix, "offices": offices, "valid_inventions": valid_inventions,
}


def summary(industry: str | None) -> dict:
    total = db.session.scalar(_scope(sa.select(sa.func.count(Patent.id)), industry)) or 0
    valid = db.session.scalar(_scope(sa.select(sa.func.count(Patent.id)).where(Patent.legal_status.in_(VALID_STATUSES)), industry)) or 0
    inventions = db.session.scalar(_scope(sa.select(sa.func.count(Patent.id)).where(
        Patent.patent_type == PatentType.INVENTION, Patent.legal_status.in_(VALID_STATUSES)), industry)) or 0
    return {"patents": total, "valid": valid, "valid_inventions": inventions}


def all_tables(industry: str | None) -> list[Table]:
    return [BUILDERS[k](industry) for k in TABLES]


def xlsx(tables: list[Table], translate_header: Callable[[str], str], translate_cell: Callable[[str, object], object],
         sheet_title: Callable[[str], str]) -> bytes:
    """An XLSX workbook with one sheet per table; text cells never become formulas."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for table in tables:
        ws = wb.create_sheet(sheet_title(table.key)[:31])
        ws.append([spreadsheet_safe(translate_header(h)) for h in table.headers])
        for row in table.rows:
            ws.append([spreadsheet_safe(translate_cell(table.key, c)) if i == 0 else c for i, c in enumerate(row)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
