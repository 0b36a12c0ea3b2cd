"""Patent pool compliance (task 4): ≥ 100 valid patents, ≥ 50 of them inventions, ≥ 3 organisations."""

from __future__ import annotations

from dataclasses import dataclass

from . import patent_terms

MIN_PATENTS = 100
MIN_INVENTIONS = 50
MIN_ORGS = 3


@dataclass(frozen=True)
class PoolPatent:
    patent_type: str
    legal_status: str
    contributor_org_id: int


@dataclass(frozen=True)
class Compliance:
    valid_patents: int
    valid_inventions: int
    organisations: int
    pending: int
    lapsed: int

    @property
    def checks(self) -> list[tuple[str, int, int, bool]]:
        return [
            ("patents", self.valid_patents, MIN_PATENTS, self.valid_patents >= MIN_PATENTS),
            ("inventions", self.valid_inventions, MIN_INVENTIONS, self.valid_inventions >= MIN_INVENTIONS),
            ("organisations", self.organisations, MIN_ORGS, self.organisations >= MIN_ORGS),
        ]

    @property
    def compliant(self) -> bool:
        return all(ok for *_, ok in self.checks)

    def shortfalls(self) -> list[str]:
        return [name for name, _, _, ok in self.checks if not ok]


def compliance(patents: list[PoolPatent]) -> Compliance:
    """Only valid (granted, in force) patents count; organisations count when they contribute one."""
    valid = [p for p in patents if patent_terms.is_valid(p.legal_status)]
    return Compliance(
        valid_patents=len(valid),
        valid_inventions=sum(1 for p in valid if p.patent_type == "invention"),
        organisations=len({p.contributor_org_id for p in valid}),
        pending=sum(1 for p in patents if p.legal_status == "pending"),
        lapsed=sum(1 for p in patents if p.legal_status not in ("pending",) and not patent_terms.is_valid(p.legal_status)),
    )
