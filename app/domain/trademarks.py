"""Chinese trademarks: registration numbers, Nice classes, status."""

from __future__ import annotations

import enum
import re

from .errors import DomainError, N_


class TrademarkStatus(enum.StrEnum):
    PENDING = "pending"  # 申请中 / 初审公告
    REGISTERED = "registered"  # 已注册 / 注册商标
    EXPIRED = "expired"  # 已过期 (not renewed)
    CANCELLED = "cancelled"  # 撤销 / 注销
    INVALIDATED = "invalidated"  # 无效宣告
    REJECTED = "rejected"  # 驳回


VALID_STATUSES = frozenset({TrademarkStatus.REGISTERED})


class TrademarkError(DomainError):
    """The text is not a valid trademark field."""


_DIGITS = re.compile(r"^\d{1,10}$")


def normalize_number(text: str) -> str:
    """A registration (or application) number: 1–10 digits; spaces and a trailing 号 are dropped."""
    raw = re.sub(r"[\s,，]", "", str(text or "")).removesuffix("号")
    if raw.upper().startswith("TM"):
        raw = raw[2:]
    if not raw:
        raise TrademarkError(N_("registration number is required"))
    if not _DIGITS.match(raw):
        raise TrademarkError(N_("“{value}” is not a registration number (1 to 10 digits)"), value=text)
    return raw.lstrip("0") or "0"


def parse_class(text: str | int) -> int:
    """A Nice class 1–45: ``9``, ``09``, ``第9类``."""
    raw = str(text or "").strip().removeprefix("第").removesuffix("类").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 45:
        raise TrademarkError(N_("“{value}” is not a Nice class (1 to 45)"), value=text)
    return int(raw)
