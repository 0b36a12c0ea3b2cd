"""Patent kinds, legal status and protection terms."""

from __future__ import annotations

import enum
from datetime import date


class PatentType(enum.StrEnum):
    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


class LegalStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    LAPSED = "lapsed"  # annuity not paid
    EXPIRED = "expired"
    INVALIDATED = "invalidated"
    PARTLY_INVALIDATED = "partly_invalidated"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


# A partly invalidated patent remains in force for its remaining claims.
VALID_STATUSES = frozenset({LegalStatus.GRANTED, LegalStatus.PARTLY_INVALIDATED})
ALIVE_STATUSES = VALID_STATUSES | {LegalStatus.PENDING}

DESIGN_15_YEARS_FROM = date(2021, 6, 1)


def term_years(kind: PatentType | str, filing: date) -> int:
    kind = PatentType(kind)
    if kind is PatentType.INVENTION:
        return 20
    if kind is PatentType.UTILITY_MODEL:
        return 10
    return 15 if filing >= DESIGN_15_YEARS_FROM else 10


def expiry_date(kind: PatentType | str, filing: date) -> date:
    years = term_years(kind, filing)
    try:
        return filing.replace(year=filing.year + years)
    except ValueError:
        return date(filing.year + years, 3, 1)


def remaining_days(kind: PatentType | str, filing: date | None, status: LegalStatus | str, today: date) -> int:
    """Days of protection left; 0 once the patent is no longer alive."""
    if filing is None or LegalStatus(status) not in ALIVE_STATUSES:
        return 0
    return max(0, (expiry_date(kind, filing) - today).days)


def remaining_years(kind: PatentType | str, filing: date | None, status: LegalStatus | str, today: date) -> float:
    return round(remaining_days(kind, filing, status, today) / 365.25, 1)


def is_valid(status: LegalStatus | str) -> bool:
    """有效专利: granted and in force."""
    return LegalStatus(status) in VALID_STATUSES


def term_over(kind: PatentType | str, filing: date | None, today: date) -> bool:
    """The statutory term (invention 20 years, utility model 10, design 10 or, filed from
    2021-06-01, 15 years from the filing date) has ended by ``today``."""
    return filing is not None and expiry_date(kind, filing) <= today


def expiring_status(status: LegalStatus | str, kind: PatentType | str, filing: date | None,
                    today: date) -> LegalStatus | None:
    """EXPIRED when a patent still in force (or pending) has outlived its term; None otherwise.
    A partly invalidated patent is in force for its remaining claims, so it expires too when due."""
    if LegalStatus(status) in ALIVE_STATUSES and term_over(kind, filing, today):
        return LegalStatus.EXPIRED
    return None


def filed_on_or_before(today: date, years: int) -> date:
    """The latest filing date a ``years`` term can have ended by ``today`` (a cheap pre-filter)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return date(today.year - years, 2, 28)
