from datetime import date

import pytest

from app.domain import escrow, money, targets
from app.domain.deals import DealTransitionError, RecordalError, allowed_actions, next_status, normalize_recordal

ALL = ["draft", "signed", "funded", "recorded", "completed", "cancelled", "disputed", "refunded", "reversed"]
VALID = {
    ("draft", "sign"): "signed",
    ("signed", "fund"): "funded",
    ("funded", "record"): "recorded",
    ("recorded", "complete"): "completed",
    ("draft", "cancel"): "cancelled",
    ("signed", "cancel"): "cancelled",
    ("funded", "dispute"): "disputed",
    ("recorded", "dispute"): "disputed",
    ("disputed", "resolve_release"): "funded",
    ("funded", "refund"): "refunded",
    ("disputed", "refund"): "refunded",
    ("completed", "reverse"): "reversed",
}
ACTIONS = ["sign", "fund", "record", "complete", "cancel", "dispute", "resolve_release", "refund", "reverse"]


@pytest.mark.parametrize("status", ALL)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_transition(status, action):
    expected = VALID.get((status, action))
    if expected:
        assert next_status(status, action) == expected
        assert action in allowed_actions(status)
    else:
        with pytest.raises(DealTransitionError):
            next_status(status, action)
        assert action not in allowed_actions(status)


def test_recordal_numbers():
    assert normalize_recordal("exclusive", "x 2024 110000123") == "X2024110000123"
    with pytest.raises(RecordalError):
        normalize_recordal("ordinary", "2024110000123")
    with pytest.raises(RecordalError):
        normalize_recordal("ordinary", "X20241100001")
    assert normalize_recordal("transfer", "2024-1234-5678") == "202412345678"
    with pytest.raises(RecordalError):
        normalize_recordal("transfer", "")


def test_fee_and_split_are_exact():
    assert money.fee(100_000, 100) == 1_000
    assert money.fee(150, 100) == 2  # 1.5 fen rounds half up
    assert money.fee(149, 100) == 1
    assert money.split(100, [1, 1, 1]) == [34, 33, 33]
    assert sum(money.split(999_999, [3, 7, 11, 13])) == 999_999


def test_escrow_events_are_signed_and_verified():
    provider = escrow.MockEscrowProvider(b"secret")
    hold, created = provider.create_hold(escrow.CreateHold(deal_id=1, amount_fen=500, payer="a", payee="b"))
    hold, funded = provider.fund(escrow.HoldAction(hold_id=hold.hold_id, amount_fen=500))
    assert escrow.verify(funded, b"secret") is funded
    forged = funded.model_copy(update={"amount_fen": 5})
    with pytest.raises(escrow.SignatureError):
        escrow.verify(forged, b"secret")
    with pytest.raises(escrow.SignatureError):
        escrow.verify(funded, b"other")
    with pytest.raises(escrow.EscrowError):
        provider.fund(escrow.HoldAction(hold_id=hold.hold_id, amount_fen=500))  # already funded
    with pytest.raises(escrow.EscrowError):
        provider.release(escrow.HoldAction(hold_id=hold.hold_id, amount_fen=499))
    provider.release(escrow.HoldAction(hold_id=hold.hold_id, amount_fen=500))


def test_escrow_requests_validate():
    with pytest.raises(ValueError):
        escrow.CreateHold(deal_id=1, amount_fen=0, payer="a", payee="b")
    with pytest.raises(ValueError):
        escrow.CreateHold(deal_id=1, amount_fen=5, payer="a", payee="b", currency="USD")


def test_progress_against_hand_computed_figures():
    approval = date(2024, 3, 1)
    counts = {1: 22, 2: 30}
    p = targets.progress(approval, [20, 26, 34, 44, 58], counts, today=date(2026, 3, 31))
    assert p["current_year"] == 3
    y1, y2, y3 = p["years"][:3]
    assert (y1["count"], y1["met"], y2["count"], y2["met"]) == (22, True, 30, True)
    assert y3["count"] == 0 and y3["projection"] == 0 and y3["at_risk"]
    assert round(p["growth"], 4) == round(30 / 22 - 1, 4)
    # pace: 10 counted in the first 31 days of a 365-day year -> floor(10 * 365 / 31) = 117
    p = targets.progress(approval, [20, 26, 34, 44, 58], {3: 10}, today=date(2026, 3, 31))
    assert p["years"][2]["projection"] == 117 and not p["years"][2]["at_risk"]
    assert p["growth"] is None  # no year-1 deals: growth is undefined, not 0
