"""Patent value grading, after CNIPA's patent value analysis indicator system (2012).

Patent value = weighted sum of a legal, a technical and an economic value degree; each degree is
the weighted mean of indicators scored 0..1 from data we hold. An indicator we have no data for
gets a neutral 0.5 and is reported as such. Score 0..100 → grade A (≥ 80) / B (≥ 65) / C (≥ 50) / D.
A center may change the weights for its industry; these are the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import patent_terms
from .errors import DomainError, N_

NEUTRAL = 0.5

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "degrees": {"legal": 0.40, "technical": 0.35, "economic": 0.25},
    "legal": {"status": 3, "remaining_term": 2, "claims": 2, "family": 1, "stability": 1, "licensing": 1},
    "technical": {"kind": 2, "ipc_breadth": 1, "citations": 1, "maturity": 2, "recency": 1},
    "economic": {"market_use": 2, "deal_history": 2, "listed": 1, "key_industry": 1},
}

GRADES = (("A", 80.0), ("B", 65.0), ("C", 50.0), ("D", 0.0))
MANAGEMENT = {"A": "core", "B": "important", "C": "general", "D": "to_abandon"}

# Suggested price bands in yuan by patent type and grade — a guide for listings, not a valuation.
PRICE_BANDS = {
    "invention": {"A": (500_000, 3_000_000), "B": (200_000, 800_000), "C": (50_000, 300_000), "D": (10_000, 50_000)},
    "utility_model": {"A": (100_000, 500_000), "B": (50_000, 200_000), "C": (20_000, 80_000), "D": (5_000, 20_000)},
    "design": {"A": (50_000, 200_000), "B": (20_000, 80_000), "C": (10_000, 40_000), "D": (2_000, 10_000)},
}


@dataclass(frozen=True, slots=True)
class PatentFacts:
    patent_type: str
    legal_status: str
    filing_date: date | None
    claims_count: int = 0
    ipc_codes: tuple[str, ...] = ()
    is_pct: bool = False
    citations: int | None = None  # None: not imported
    trl: int | None = None  # highest stage in its listings
    completed_deals: int = 0
    listed: bool = False
    products: int | None = None  # None: no product data yet
    industry: str | None = None


@dataclass
class Valuation:
    score: float
    grade: str
    management: str
    degrees: dict[str, float]
    indicators: dict[str, dict[str, float]]
    neutral: list[str] = field(default_factory=list)
    price_band_yuan: tuple[int, int] | None = None


class WeightError(DomainError):
    pass


def check_weights(weights: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Validate a weight table: every group present, non-negative, not all zero."""
    for group, defaults in DEFAULT_WEIGHTS.items():
        values = weights.get(group)
        if values is None or set(values) != set(defaults):
            raise WeightError(N_("weights for {group} must name exactly: {names}"), group=group,
                              names=", ".join(sorted(defaults)))
        if any(v < 0 for v in values.values()) or sum(values.values()) <= 0:
            raise WeightError(N_("weights for {group} must be non-negative and not all zero"), group=group)
    return weights


def _status(status: str) -> float:
    return {"granted": 1.0, "partly_invalidated": 0.6, "pending": 0.5}.get(status, 0.0)


def indicators(f: PatentFacts, today: date) -> tuple[dict[str, dict[str, float]], list[str]]:
    neutral: list[str] = []

    def maybe(name: str, value: float | None) -> float:
        if value is None:
            neutral.append(name)
            return NEUTRAL
        return value

    term_days = 365.25 * patent_terms.term_years(f.patent_type, f.filing_date or today)
    remaining = patent_terms.remaining_days(f.patent_type, f.filing_date, f.legal_status, today)
    subclasses = {c[:4] for c in f.ipc_codes}
    age = (today - f.filing_date).days / 365.25 if f.filing_date else None
    legal = {
        "status": _status(f.legal_status),
        "remaining_term": min(1.0, remaining / term_days) if f.filing_date else maybe("remaining_term", None),
        "claims": min(1.0, f.claims_count / 15),
        "family": 1.0 if f.is_pct else maybe("family", None),
        "stability": 0.3 if f.legal_status == "partly_invalidated" else maybe("stability", None),
        "licensing": 1.0 if f.completed_deals else (0.7 if f.listed else 0.4),
    }
    technical = {
        "kind": {"invention": 1.0, "utility_model": 0.6, "design": 0.4}[f.patent_type],
        "ipc_breadth": min(1.0, 0.4 + 0.3 * (len(subclasses) - 1)) if subclasses else 0.0,
        "citations": maybe("citations", None if f.citations is None else min(1.0, f.citations / 10)),
        "maturity": maybe("maturity", None if f.trl is None else f.trl / 9),
        "recency": maybe("recency", None if age is None else (1.0 if age <= 5 else 0.7 if age <= 10 else 0.4)),
    }
    economic = {
        "market_use": maybe("market_use", None if f.products is None else min(1.0, 0.6 + 0.2 * f.products)),
        "deal_history": min(1.0, 0.3 + 0.35 * f.completed_deals),
        "listed": 0.8 if f.listed else 0.4,
        "key_industry": 1.0 if f.industry else 0.5,
    }
    return {"legal": legal, "technical": technical, "economic": economic}, neutral


def grade_of(score: float) -> str:
    for grade, floor in GRADES:
        if score >= floor:
            return grade
    return "D"


def evaluate(f: PatentFacts, today: date, weights: dict[str, dict[str, float]] | None = None) -> Valuation:
    w = weights or DEFAULT_WEIGHTS
    table, neutral = indicators(f, today)
    degrees = {}
    for group, values in table.items():
        gw = w[group]
        degrees[group] = sum(values[k] * gw[k] for k in values) / sum(gw.values())
    dw = w["degrees"]
    score = 100 * sum(degrees[g] * dw[g] for g in degrees) / sum(dw.values())
    if not patent_terms.is_valid(f.legal_status) and f.legal_status != "pending":
        score = min(score, 49.0)  # a dead patent is never above D
    score = round(score, 1)
    grade = grade_of(score)
    band = PRICE_BANDS[f.patent_type][grade] if f.legal_status in ("granted", "partly_invalidated", "pending") else None
    return Valuation(score=score, grade=grade, management=MANAGEMENT[grade],
                     degrees={k: round(v * 100, 1) for k, v in degrees.items()},
                     indicators=table, neutral=neutral, price_band_yuan=band)
