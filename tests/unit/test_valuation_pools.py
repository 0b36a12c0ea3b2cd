from datetime import date

import pytest

from app.domain import pools, valuation
from app.domain.valuation import PatentFacts

TODAY = date(2026, 11, 25)


def facts(**kw):
    base = dict(patent_type="invention", legal_status="granted", filing_date=date(2020, 5, 1), claims_count=12,
                ipc_codes=("H01M 10/052", "H01M 4/58", "C01B 32/184"), is_pct=False, citations=None, trl=7,
                completed_deals=1, listed=True, products=None, industry="new_energy_vehicles")
    base.update(kw)
    return PatentFacts(**base)


def test_hand_checked_patent():
    v = valuation.evaluate(facts(), TODAY)
    # legal: status 1×3, term (2040-05-01 − today)/(20×365.25) = 4904/7305 = 0.6713×2, claims 12/15=0.8×2,
    # family 0.5 (no data), stability 0.5 (no data), licensing 1.0 → (3 + 1.3427 + 1.6 + .5 + .5 + 1)/10 = 0.7943
    assert v.degrees["legal"] == 79.4
    # technical: kind 1×2, breadth 2 subclasses → 0.7, citations 0.5, maturity 7/9×2,
    # recency 0.7 (filed 6.6 years ago) → 5.4556/7 = 0.7794
    assert v.degrees["technical"] == 77.9
    # economic: market 0.5×2, deals 0.65×2, listed 0.8, key industry 1 → 4.1/6
    assert v.degrees["economic"] == 68.3
    # 0.40 × 79.43 + 0.35 × 77.94 + 0.25 × 68.33 = 76.13
    assert v.score == 76.1
    assert v.grade == "B" and v.management == "important"
    assert v.neutral == ["family", "stability", "citations", "market_use"]
    assert v.price_band_yuan == (200_000, 800_000)


def test_dead_patents_are_grade_d_without_price_band():
    v = valuation.evaluate(facts(legal_status="lapsed"), TODAY)
    assert v.grade == "D" and v.score <= 49 and v.price_band_yuan is None


def test_strong_and_weak():
    strong = facts(claims_count=20, is_pct=True, citations=15, trl=9, completed_deals=3, products=2,
                   filing_date=date(2024, 1, 1))
    assert valuation.evaluate(strong, TODAY).grade == "A"
    weak = facts(patent_type="utility_model", claims_count=1, ipc_codes=("E21C 35/24",), trl=None, completed_deals=0,
                 listed=False, industry=None, filing_date=date(2017, 1, 1))
    assert valuation.evaluate(weak, TODAY).grade == "D"


def test_weights_change_the_score_and_are_checked():
    w = {k: dict(v) for k, v in valuation.DEFAULT_WEIGHTS.items()}
    w["degrees"] = {"legal": 0, "technical": 0, "economic": 1}
    assert valuation.evaluate(facts(), TODAY, valuation.check_weights(w)).score == 68.3
    with pytest.raises(valuation.WeightError):
        valuation.check_weights({**w, "legal": {"status": 1}})
    with pytest.raises(valuation.WeightError):
        valuation.check_weights({**w, "degrees": {"legal": 0, "technical": 0, "economic": 0}})


def pool(n_valid, n_inv, orgs, pending=0, lapsed=0):
    items = []
    for i in range(n_valid):
        items.append(pools.PoolPatent("invention" if i < n_inv else "utility_model", "granted", i % orgs))
    items += [pools.PoolPatent("invention", "pending", 0)] * pending
    items += [pools.PoolPatent("invention", "lapsed", 0)] * lapsed
    return pools.compliance(items)


@pytest.mark.parametrize(
    "args, ok, short",
    [
        ((100, 50, 3), True, []),
        ((99, 50, 3), False, ["patents"]),
        ((100, 49, 3), False, ["inventions"]),
        ((100, 50, 2), False, ["organisations"]),
        ((100, 50, 3, 20, 5), True, []),
        ((99, 49, 2, 30), False, ["patents", "inventions", "organisations"]),
    ],
)
def test_pool_thresholds(args, ok, short):
    c = pool(*args)
    assert c.compliant is ok and c.shortfalls() == short


def test_pending_and_lapsed_do_not_count():
    c = pool(99, 60, 3, pending=10, lapsed=4)
    assert (c.valid_patents, c.pending, c.lapsed, c.compliant) == (99, 10, 4, False)
