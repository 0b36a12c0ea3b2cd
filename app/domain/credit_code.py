"""Unified social credit code (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import re

from .errors import DomainError, N_

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class CreditCodeError(DomainError):
    """The text is not a valid unified social credit code."""


def check_character(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS))
    value = 31 - total % 31
    return ALPHABET[0 if value == 31 else value]


def normalize(text: str) -> str:
    """Upper-cased, validated code; raises :class:`CreditCodeError`."""
    code = re.sub(r"\s", "", str(text or "")).upper()
    if len(code) != 18:
        raise CreditCodeError(N_("a unified social credit code has 18 characters, not {count}"), count=len(code))
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        raise CreditCodeError(
            N_("characters not allowed in a credit code: {chars} (I, O, S, V, Z are never used)"), chars=" ".join(bad)
        )
    if not code[2:8].isdigit():
        raise CreditCodeError(N_("characters 3-8 are the region code and must be digits"))
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(N_("check character should be {expected}, not {got}"), expected=expected, got=code[17])
    return code


def make(first17: str) -> str:
    """Append the check character (used by demo data and tests)."""
    return first17 + check_character(first17)
