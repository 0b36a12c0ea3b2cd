import pytest

from app.domain.attribution import AttributionReason as R
from app.domain.attribution import CenterFact, attribute, patents_industry

CARBON, SEMI, IT = CenterFact(1, "carbon_materials"), CenterFact(5, "semiconductors"), CenterFact(4, "it_innovation")


@pytest.mark.parametrize(
    "industry, seller, buyer, center, reason",
    [
        # both parties in the carbon alliance, a carbon patent: carbon, whoever records it
        ("carbon_materials", [CARBON], [CARBON], 1, R.INDUSTRY_MEMBER),
        # seller first in the semiconductor alliance, but the patents are carbon and the buyer is a carbon member
        ("carbon_materials", [SEMI], [CARBON], 1, R.INDUSTRY_MEMBER),
        # the seller is in two alliances: the one of the patents' industry wins over the first
        ("carbon_materials", [SEMI, CARBON], [], 1, R.INDUSTRY_MEMBER),
        # no center of the patents' industry has a party: the seller's center
        ("biomedicine", [SEMI], [IT], 5, R.SELLER_CENTER),
        (None, [IT, SEMI], [CARBON], 4, R.SELLER_CENTER),
        # an outside seller: the buyer's center
        ("biomedicine", [], [IT], 4, R.BUYER_CENTER),
        ("carbon_materials", [], [], None, R.NONE),
    ],
)
def test_attribution_rule(industry, seller, buyer, center, reason):
    result = attribute(industry, seller, buyer)
    assert (result.center_id, result.reason) == (center, reason)


@pytest.mark.parametrize(
    "industries, expected",
    [
        (["carbon_materials", "carbon_materials", None], "carbon_materials"),
        (["carbon_materials", "semiconductors", "semiconductors"], "semiconductors"),
        (["carbon_materials", "semiconductors"], None),  # tied: no single industry
        ([None, None], None),
        ([], None),
    ],
)
def test_patents_industry(industries, expected):
    assert patents_industry(industries) == expected
