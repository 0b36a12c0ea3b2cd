"""Which center a deal counts for (task 5): one written rule, so no deal counts twice.

1. the center whose alliance has the seller or the buyer as an approved member AND whose
   industry is the patents' industry;
2. else the seller's center (the first alliance the seller is an approved member of);
3. else the buyer's center;
4. else none (center staff or the bureau assign one).
The bureau may reassign a deal; that is recorded as its own reason.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass

from .errors import N_


class AttributionReason(enum.StrEnum):
    INDUSTRY_MEMBER = "industry_member"
    SELLER_CENTER = "seller_center"
    BUYER_CENTER = "buyer_center"
    BUREAU = "bureau"  # reassigned by the bureau
    ASSIGNED = "assigned"  # taken by a center's staff when the rule found none
    NONE = "none"


# the sentence shown on the deal: "计入：… 中心 — <reason>"
REASON_TEXT = {
    AttributionReason.INDUSTRY_MEMBER: N_("a party is an approved member of its alliance and the patents are in its industry"),
    AttributionReason.SELLER_CENTER: N_("the seller is an approved member of its alliance (no center of the patents' industry has a party)"),
    AttributionReason.BUYER_CENTER: N_("the buyer is an approved member of its alliance (no center of the patents' industry has a party, nor of the seller)"),
    AttributionReason.BUREAU: N_("reassigned by the bureau"),
    AttributionReason.ASSIGNED: N_("taken into its count by the center's staff"),
    AttributionReason.NONE: N_("neither party is an approved member of a center's alliance"),
}


@dataclass(frozen=True)
class CenterFact:
    id: int
    industry: str


@dataclass(frozen=True)
class Attribution:
    center_id: int | None
    reason: AttributionReason


def patents_industry(industries: list[str | None]) -> str | None:
    """The patents' industry: the one most of the known patents share (None when unknown or tied)."""
    counts = Counter(i for i in industries if i)
    if not counts:
        return None
    (top, n), *rest = counts.most_common(2) + [(None, 0)]
    return top if not rest or rest[0][1] < n else None


def attribute(industry: str | None, seller_centers: list[CenterFact], buyer_centers: list[CenterFact]) -> Attribution:
    """Apply the rule to the centers whose alliances have each party as an approved member
    (each list in the order the memberships should be tried: by center id)."""
    for center in [*seller_centers, *buyer_centers]:
        if industry is not None and center.industry == industry:
            return Attribution(center.id, AttributionReason.INDUSTRY_MEMBER)
    if seller_centers:
        return Attribution(seller_centers[0].id, AttributionReason.SELLER_CENTER)
    if buyer_centers:
        return Attribution(buyer_centers[0].id, AttributionReason.BUYER_CENTER)
    return Attribution(None, AttributionReason.NONE)
