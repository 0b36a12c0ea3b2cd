"""Patents that members register on the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ..domain import ipc, patent_numbers
from ..domain.errors import DomainError, N_
from ..domain.patent_terms import LegalStatus, PatentType
from ..extensions import db
from ..models import Organisation, Patent, PatentApplicant, PatentIPC, Role, User
from . import clock, pools
from .permissions import Forbidden, require_edit
from .transaction import use_case


@dataclass
class PatentData:
    application_number: str
    title: str
    patent_type: str
    legal_status: str
    abstract: str = ""
    ipc: str = ""
    applicants: str = ""  # ";"-separated names
    filing_date: date | None = None
    grant_date: date | None = None
    claims_count: int = 0
    industry: str | None = None
    publication_number: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)


def _split_names(text: str) -> list[str]:
    import re

    names: list[str] = []
    for part in re.split(r"[;；\n]+", text or ""):
        part = part.strip()
        if part and part not in names:
            names.append(part)
    return names


def validate(data: PatentData, *, existing_id: int | None = None) -> tuple[str, list[str], list[str]]:
    """Check a patent's fields against each other; returns (number, ipc codes, applicant names)."""
    try:
        number = patent_numbers.parse(data.application_number, today=clock.today())
    except patent_numbers.PatentNumberError as err:
        raise DomainError(err.template, field="application_number", **err.params) from err
    kind = PatentType(data.patent_type)
    if number.patent_type != kind.value:
        raise DomainError(
            N_("the number's type code {code} does not match the patent type"),
            field="patent_type",
            code=number.type_code,
        )
    status = LegalStatus(data.legal_status)
    if data.filing_date and data.filing_date.year != number.year:
        raise DomainError(N_("the filing date is not in {year}, the year in the number"), field="filing_date", year=number.year)
    if data.grant_date and data.filing_date and data.grant_date < data.filing_date:
        raise DomainError(N_("the grant date is before the filing date"), field="grant_date")
    if status == LegalStatus.PENDING and data.grant_date:
        raise DomainError(N_("a pending application has no grant date"), field="grant_date")
    try:
        codes = ipc.parse_list(data.ipc)
    except ipc.IPCError as err:
        raise DomainError(err.template, field="ipc", **err.params) from err
    if not codes:
        raise DomainError(N_("give at least one IPC code"), field="ipc")
    names = _split_names(data.applicants)
    if not names:
        raise DomainError(N_("give at least one applicant"), field="applicants")
    dup = db.session.scalar(sa.select(Patent.id).where(Patent.application_number == str(number)))
    if dup is not None and dup != existing_id:
        raise DomainError(N_("patent {number} is already in the database"), field="application_number", number=str(number))
    return str(number), codes, names


def _apply(patent: Patent, data: PatentData, number: str, codes: list[str], names: list[str]) -> None:
    patent.application_number = number
    patent.publication_number = data.publication_number.strip()
    patent.title = data.title.strip()
    patent.abstract = data.abstract.strip()
    patent.patent_type = PatentType(data.patent_type)
    patent.legal_status = LegalStatus(data.legal_status)
    patent.filing_date = data.filing_date
    patent.grant_date = data.grant_date
    patent.claims_count = data.claims_count or 0
    patent.industry = data.industry or None
    if patent.ipc_list != codes:
        if patent.id is not None and patent.ipc_codes:
            # delete the old rows first: the unit of work would insert before deleting, and
            # (patent, code) is unique
            patent.ipc_codes = []
            db.session.flush()
        patent.ipc_codes = [PatentIPC(code=c, position=i) for i, c in enumerate(codes)]
    orgs = {
        o.name: o.id
        for o in db.session.scalars(sa.select(Organisation).where(Organisation.name.in_(names)))
    }
    patent.applicants = [PatentApplicant(name=n, org_id=orgs.get(n), position=i) for i, n in enumerate(names)]


@use_case
def create_patent(by: User, data: PatentData) -> Patent:
    """A member registers one of its own patents; its organisation must be an applicant."""
    if by.role not in (Role.MEMBER, Role.ORG_ADMIN):
        raise Forbidden(N_("only members of an owning organisation register patents"))
    number, codes, names = validate(data)
    if by.org.name not in names:
        raise DomainError(N_("your organisation ({org}) must be one of the applicants"), field="applicants", org=by.org.name)
    patent = Patent(owner_org_id=by.org_id)
    _apply(patent, data, number, codes, names)
    db.session.add(patent)
    db.session.flush()
    return patent


@use_case
def update_patent(by: User, patent: Patent, data: PatentData) -> None:
    require_edit(by, patent)
    number, codes, names = validate(data, existing_id=patent.id)
    if by.org.name not in names:
        raise DomainError(N_("your organisation ({org}) must stay one of the applicants"), field="applicants", org=by.org.name)
    facts = pool_facts(patent)
    _apply(patent, data, number, codes, names)
    if pool_facts(patent) != facts:
        pools.recheck_pools_holding([patent])


def pool_facts(patent: Patent) -> tuple:
    """What a pool's compliance reads of a patent: a change to it re-checks the pools holding it."""
    return (str(patent.legal_status), str(patent.patent_type), patent.owner_org_id)
