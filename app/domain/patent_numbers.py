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


def parse(text: str, *, today: date) -> ApplicationNumber:
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
    this_year = today.year  # the caller's Beijing date (services.clock.today): no filing in a later year
    if not number.legacy:
        if not 2003 <= number.year <= this_year:
            raise PatentNumberError(N_("filing year {year} is not between 2003 and {this_year}"), year=number.year, this_year=this_year)
    elif number.year > 2004:
        raise PatentNumberError(N_("8-digit numbers were used only before October 2003"))
    expected = check_character(digits)
    if check != expected:
        raise PatentNumberError(N_("check character should be {expected}, not {got}"), expected=expected, got=check)
    return number


def normalize(text: str, *, today: date) -> str:
    """The canonical written form ``YYYYTNNNNNNN.C``; raises on invalid input."""
    return str(parse(text, today=today))


def make(year: int, type_code: str, serial: int) -> str:
    """Build a valid 12-digit number (used by demo data and tests)."""
    digits = f"{year:04d}{type_code}{serial:07d}"
    return f"{digits}.{check_character(digits)}"


# ---- publication numbers of every office ----------------------------------------------------
#
# Written as office code + number + kind code: CN112345678A, US10312345B2, EP3123456A1,
# WO2020123456A1, JP2019123456A, KR102123456B1, DE102019123456A1, GB2512345A, FR3012345A1,
# TWI123456B. Spaces, slashes, commas and hyphens inside are dropped (``WO 2020/123456 A1``).

# office -> (number shapes, kind codes the office uses)
OFFICE_SHAPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "CN": (r"\d{7}|\d{9}", ("A", "B", "C", "U", "Y", "S")),
    "US": (r"\d{11}|\d{6,8}|(?:RE|D|PP|H|T)\d{4,6}",
           ("A", "A1", "A2", "A9", "B1", "B2", "B3", "E", "S", "S1", "P1", "P2", "P3", "P4", "H", "H1")),
    "EP": (r"\d{7}", ("A1", "A2", "A3", "A4", "A8", "A9", "B1", "B2", "B3", "B8", "B9")),
    "WO": (r"\d{10}|\d{7}", ("A1", "A2", "A3", "A4", "A8", "A9")),
    "JP": (r"\d{10}|\d{6,7}|[SHRT]\d{7,8}", ("A", "B", "B1", "B2", "C", "U", "U1", "Y", "Y1", "Y2", "S")),
    "KR": (r"\d{13}|\d{11}|\d{9}|\d{7}", ("A", "B", "B1", "U", "Y", "Y1", "S")),
    "DE": (r"\d{12}|\d{7,8}", ("A", "A1", "A2", "A8", "A9", "B", "B3", "B4", "C", "C1", "C2", "C5", "U", "U1", "T",
                               "T1", "T2", "T5", "T8", "T9")),
    "GB": (r"\d{7}", ("A", "A8", "B", "B8", "C", "U")),
    "FR": (r"\d{7}", ("A", "A1", "A2", "A3", "B", "B1", "B3", "E")),
    "TW": (r"\d{9}|[IMD]\d{6}", ("A", "B", "U", "S")),
}
# Offices whose numbers are only checked loosely (letters then 4–15 digits).
OTHER_OFFICES = frozenset(
    "AP AR AT AU BE BG BR CA CH CL CO CZ DK EA EE ES FI GR HK HR HU ID IE IL IN IS IT LT LU LV MA MX MY NL NO NZ "
    "OA PE PH PL PT RO RS RU SA SE SG SI SK TH TR UA VN ZA".split()
)
OFFICES = frozenset(OFFICE_SHAPES) | OTHER_OFFICES
_PUBLICATION = re.compile(r"^([A-Z]{2})([A-Z]{0,2}?\d+)([A-Z]\d?)?$")
_PUB_STRIP = re.compile(r"[\s/,\-.·]")


@dataclass(frozen=True)
class PublicationNumber:
    office: str  # CN, US, EP, WO …
    number: str
    kind: str  # A1, B2 … ("" when the file gives none)

    @property
    def family_key(self) -> str:
        """Office and number without the kind: ``EP3123456`` (the A1 and B1 are one application)."""
        return f"{self.office}{self.number}"

    def __str__(self) -> str:
        return f"{self.office}{self.number}{self.kind}"


def parse_publication(text: str) -> PublicationNumber:
    """``US 10,312,345 B2`` -> PublicationNumber('US', '10312345', 'B2'); the shape is checked per office.

    Raises :class:`PatentNumberError` with a readable reason."""
    raw = _PUB_STRIP.sub("", str(text or "").strip().upper())
    if not raw:
        raise PatentNumberError(N_("publication number is required"))
    m = _PUBLICATION.match(raw)
    if not m:
        raise PatentNumberError(
            N_("“{value}” is not a publication number: write the office, the number and the kind code, e.g. "
               "CN112345678A, US10312345B2, EP3123456A1"), value=text)
    office, number, kind = m.group(1), m.group(2), m.group(3) or ""
    if office not in OFFICES:
        raise PatentNumberError(N_("unknown patent office “{office}” (CN, US, EP, WO, JP, KR, DE, GB, FR, TW …)"),
                                office=office)
    shape, kinds = OFFICE_SHAPES.get(office, (r"[A-Z]{0,2}\d{4,15}", ()))
    if not re.fullmatch(shape, number):
        raise PatentNumberError(N_("“{value}” does not look like a publication number of office {office}"),
                                value=text, office=office)
    if kind and kinds and kind not in kinds:
        raise PatentNumberError(N_("{kind} is not a kind code of office {office} ({kinds})"),
                                kind=kind, office=office, kinds=", ".join(kinds))
    return PublicationNumber(office, number, kind)


_FOREIGN_APPLICATION = re.compile(r"^[A-Z0-9]{3,18}$")


def foreign_application(text: str, office: str) -> str:
    """A non-CN application number as stored: office prefix, then letters and digits
    (``16/123,456`` of US -> ``US16123456``, ``10-2019-0123456`` of KR -> ``KR1020190123456``)."""
    raw = _PUB_STRIP.sub("", str(text or "").strip().upper())
    if raw.startswith(office):
        raw = raw[len(office):]
    if not _FOREIGN_APPLICATION.match(raw) or not any(ch.isdigit() for ch in raw):
        raise PatentNumberError(N_("“{value}” is not an application number of office {office}"),
                                value=text, office=office)
    return f"{office}{raw}"


# The office's name as export tools write it in a 受理局 / country column.
OFFICE_NAMES = {
    "中国": "CN", "中国大陆": "CN", "china": "CN", "美国": "US", "usa": "US", "united states": "US",
    "欧洲": "EP", "欧专局": "EP", "欧洲专利局": "EP", "epo": "EP", "世界知识产权组织": "WO", "wipo": "WO",
    "pct": "WO", "日本": "JP", "japan": "JP", "韩国": "KR", "korea": "KR", "德国": "DE", "germany": "DE",
    "英国": "GB", "uk": "GB", "法国": "FR", "france": "FR", "中国台湾": "TW", "台湾": "TW",
}


def parse_office(text: str) -> str:
    """``US``, ``美国``, ``United States`` -> ``US``."""
    raw = str(text or "").strip()
    code = OFFICE_NAMES.get(raw.lower(), raw.upper())
    if code not in OFFICES:
        raise PatentNumberError(N_("unknown patent office “{office}” (CN, US, EP, WO, JP, KR, DE, GB, FR, TW …)"),
                                office=raw)
    return code


def type_from_kind(office: str, kind: str) -> str:
    """The patent kind a kind code says: utility models (CN U/Y, JP/KR/DE U/Y …), designs (S), else invention."""
    letter = (kind or "")[:1]
    if office == "US":
        return "design" if letter == "S" else "invention"
    if letter in ("U", "Y"):
        return "utility_model"
    if letter == "S":
        return "design"
    return "invention"


def require_cnipa(patents: list[tuple[str, str]], field: str | None = None) -> None:
    """Licences, transfers and pools on the platform are recorded with CNIPA, and the centers'
    targets count such deals: every patent in one must be a CN patent. ``patents``: (office,
    number) pairs. Raises :class:`PatentNumberError` naming the others."""
    others = [number for office, number in patents if office != "CN"]
    if others:
        raise PatentNumberError(N_("only CN patents (recorded by CNIPA) can be listed, traded, pooled or counted "
                                   "towards targets here; not: {numbers}"), field=field, numbers=", ".join(others))
