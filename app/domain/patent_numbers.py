"""CN patent application numbers (CNIPA).

Since October 2003: ``YYYYTNNNNNNN.C`` (12 digits and a check character);
before: ``YYTNNNNN.C`` (8 digits and a check character). The check character
is the weighted digit sum mod 11, with 10 written ``X``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import DomainError, N_

WEIGHTS_12 = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
WEIGHTS_8 = (2, 3, 4, 5, 6, 7, 8, 9)

# type code -> patent kind it files as
TYPE_CODES = {
    "1": "invention",
    "2": "utility_model",
    "3": "design",
    "8": "invention",  # PCT entering the national phase as an invention
    "9": "utility_model",  # PCT entering the national phase as a utility model
}

_STRIP = re.compile(r"[\s.\-·]")


class PatentNumberError(DomainError):
    """The text is not a valid CN application number."""


@dataclass(frozen=True)
class ApplicationNumber:
    digits: str  # 12 (or legacy 8) digits, no check character
    check: str  # '0'-'9' or 'X'

    @property
    def legacy(self) -> bool:
        return len(self.digits) == 8

    @property
    def year(self) -> int:
        if self.legacy:
            yy = int(self.digits[:2])
            return 1900 + yy if yy >= 85 else 2000 + yy
        return int(self.digits[:4])

    @property
    def type_code(self) -> str:
        return self.digits[2] if self.legacy else self.digits[4]

    @property
    def patent_type(self) -> str:
        return TYPE_CODES[self.type_code]

    @property
    def is_pct(self) -> bool:
        return self.type_code in ("8", "9")

    def __str__(self) -> str:
        return f"{self.digits}.{self.check}"


def check_character(digits: str) -> str:
    """The check character for 12 (or legacy 8) digits."""
    if len(digits) == 12:
        weights = WEIGHTS_12
    elif len(digits) == 8:
        weights = WEIGHTS_8
    else:
        raise PatentNumberError(N_("an application number has 12 digits (or 8 before 2003)"))
    total = sum(int(d) * w for d, w in zip(digits, weights))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def parse(text: str, *, today: date | None = None) -> ApplicationNumber:
    """Parse ``202010566088.9``, ``2020105660889``, ``CN…``, ``ZL 2015 1 0958772.0``.

    Raises :class:`PatentNumberError` with a readable reason.
    """
    if text is None:
        raise PatentNumberError(N_("application number is required"))
    raw = str(text).strip().upper()
    if raw.startswith(("CN", "ZL")):
        raw = raw[2:]
    raw = _STRIP.sub("", raw)
    if not raw:
        raise PatentNumberError(N_("application number is required"))
    if not re.fullmatch(r"\d+[\dX]", raw):
        raise PatentNumberError(N_("an application number has only digits and a check character (0-9 or X)"))
    if len(raw) not in (13, 9):
        raise PatentNumberError(
            N_("an application number has 12 digits and a check character, e.g. 202010566088.9 (8 digits before October 2003)")
        )
    digits, check = raw[:-1], raw[-1]
    if "X" in digits:
        raise PatentNumberError(N_("only the check character may be X"))
    number = ApplicationNumber(digits, check)
    if number.type_code not in TYPE_CODES:
        raise PatentNumberError(
            N_("unknown patent type code {code} (1 invention, 2 utility model, 3 design, 8/9 PCT national phase)"),
            code=number.type_code,
        )
    this_year = (today or date.today()).year
    if not number.legacy:
        if not 2003 <= number.year <= this_year:
            raise PatentNumberError(N_("filing year {year} is not between 2003 and {this_year}"), year=number.year, this_year=this_year)
    elif number.year > 2004:
        raise PatentNumberError(N_("8-digit numbers were used only before October 2003"))
    expected = check_character(digits)
    if check != expected:
        raise PatentNumberError(N_("check character should be {expected}, not {got}"), expected=expected, got=check)
    return number


def normalize(text: str) -> str:
    """The canonical written form ``YYYYTNNNNNNN.C``; raises on invalid input."""
    return str(parse(text))


def make(year: int, type_code: str, serial: int) -> str:
    """Build a valid 12-digit number (used by demo data and tests)."""
    digits = f"{year:04d}{type_code}{serial:07d}"
    return f"{digits}.{check_character(digits)}"
