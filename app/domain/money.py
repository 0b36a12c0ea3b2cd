"""Money in integer fen; fees computed exactly."""

from __future__ import annotations

from fractions import Fraction


def fee(amount_fen: int, rate_bp: int) -> int:
    """Platform fee for an amount at ``rate_bp`` basis points, rounded half up to the fen."""
    if amount_fen < 0 or rate_bp < 0:
        raise ValueError("amount and rate must not be negative")
    exact = Fraction(amount_fen * rate_bp, 10000)
    return int(exact + Fraction(1, 2)) if exact.denominator != 1 else int(exact)


def split(total_fen: int, weights: list[int]) -> list[int]:
    """Split ``total_fen`` by integer weights exactly (largest remainder, ties to the earliest)."""
    if not weights or sum(weights) <= 0:
        raise ValueError("weights must be positive")
    total_w = sum(weights)
    shares = [total_fen * w // total_w for w in weights]
    remainders = [(total_fen * w % total_w, -i) for i, w in enumerate(weights)]
    for _, neg_i in sorted(remainders, reverse=True)[: total_fen - sum(shares)]:
        shares[-neg_i] += 1
    return shares
