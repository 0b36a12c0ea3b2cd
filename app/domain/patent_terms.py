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
