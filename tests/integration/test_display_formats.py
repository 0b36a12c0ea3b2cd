"""How money and times read on pages: exact amounts in the reader's language, Beijing time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import session
from flask_babel import refresh

from app.templating import yuan


@pytest.fixture
def in_language(app):
    def use(lang):
        ctx = app.test_request_context("/")
        ctx.push()
        session["lang"] = lang
        refresh()
        return ctx
    pushed = []
    yield lambda lang: pushed.append(use(lang))
    for ctx in reversed(pushed):
        ctx.pop()


def _value_in_yuan(text: str) -> Decimal:
    """Read a shown amount back as a number of yuan."""
    text = text.replace(",", "").replace(" ", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("-")
    if text.endswith("亿元"):
        return sign * Decimal(text[:-2]) * 100_000_000
    if text.endswith("万元"):
        return sign * Decimal(text[:-2]) * 10_000
    assert text.startswith("¥"), text
    return sign * Decimal(text[1:])


def test_every_price_from_1_to_100_wan_reads_back_as_itself(in_language):
    in_language("zh_CN")
    for whole in range(10_000, 1_000_001, 100):
        fen = whole * 100
        assert _value_in_yuan(yuan(fen)) == whole, (whole, yuan(fen))
    for fen in (1, 99, 12345, 999_999, 1_000_001, 1_015_000, 12_345_678_901, -5_000_000, -12_345):
        assert _value_in_yuan(yuan(fen)) == Decimal(fen) / 100, (fen, yuan(fen))


def test_chinese_compact_forms_and_boundaries(in_language):
    in_language("zh_CN")
    assert yuan(12_500_000) == "12.5 万元"
    assert yuan(1_010_000) == "1.01 万元"
    assert yuan(1_000_000) == "1 万元"
    assert yuan(999_900) == "¥9,999.00"          # below 1 万元: in full
    assert yuan(1_015_000) == "¥10,150.00"       # 1.015 万 would need three decimals
    assert yuan(1_000_001) == "¥10,000.01"
    assert yuan(12_500_000_000) == "1.25 亿元"
    assert yuan(12_510_000_000) == "12,510 万元"  # 1.251 亿 would need three decimals
    assert yuan(-12_345) == "-¥123.45"
    assert yuan(-5_000_000) == "-5 万元"
    assert yuan(None) == "面议"
    assert yuan(12_500_000, compact=False) == "¥125,000.00"


def test_english_amounts_say_cny(in_language):
    in_language("en")
    assert yuan(12_500_000) == "CN¥125,000.00"
    assert yuan(-12_345) == "-CN¥123.45"
    assert yuan(None) == "Negotiable"
