"""Reading rows of a patent or trademark file: headers in Chinese or English, cells to values.

Pure rules, no Flask and no database: a row becomes a record or a list of (column, value,
reason) errors. Readers (CSV, XLSX) and the upsert live in app/services/imports.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import ipc as ipc_rules
from . import patent_numbers, trademarks
from .errors import DomainError, N_
from .patent_terms import LegalStatus, PatentType
from .trademarks import TrademarkStatus

# field -> header spellings (compared after normalise_header)
PATENT_HEADERS: dict[str, tuple[str, ...]] = {
    "application_number": ("申请号", "application_number", "application number", "app_no", "专利申请号"),
    "publication_number": ("公开号", "publication_number", "publication number", "公开(公告)号", "公告号",
                           "授权公告号", "pub_no"),
    "title": ("名称", "title", "发明名称", "专利名称", "标题"),
    "abstract": ("摘要", "abstract"),
    "patent_type": ("专利类型", "type", "patent_type", "patent type", "类型"),
    "ipc": ("ipc分类号", "ipc", "分类号", "ipc codes", "ipc_codes", "ipc主分类号"),
    "applicants": ("申请人", "applicants", "applicant", "专利权人", "申请(专利权)人", "权利人"),
    "filing_date": ("申请日", "filing_date", "filing date", "application date", "申请日期"),
    "grant_date": ("授权日", "grant_date", "grant date", "授权公告日", "授权日期"),
    "legal_status": ("法律状态", "legal_status", "legal status", "status", "当前法律状态"),
    "claims_count": ("权利要求数", "claims_count", "claims", "权利要求项数", "claims count"),
    "industry": ("行业", "industry", "产业"),
}
PATENT_REQUIRED = ("application_number", "title")

TRADEMARK_HEADERS: dict[str, tuple[str, ...]] = {
    "registration_number": ("注册号", "registration_number", "registration number", "申请/注册号", "申请号"),
    "name": ("商标名称", "name", "trademark", "商标", "trademark name"),
    "nice_class": ("类别", "class", "nice_class", "国际分类", "类号", "nice class"),
    "registrant": ("注册人", "registrant", "申请人", "owner", "申请人名称"),
    "filing_date": ("申请日", "filing_date", "filing date", "申请日期"),
    "registration_date": ("注册日", "registration_date", "registration date", "注册日期", "注册公告日"),
    "status": ("状态", "status", "商标状态", "法律状态"),
    "industry": ("行业", "industry", "产业"),
}
TRADEMARK_REQUIRED = ("registration_number", "name", "nice_class", "registrant")

PATENT_TYPES = {
    "invention": PatentType.INVENTION, "发明": PatentType.INVENTION, "发明专利": PatentType.INVENTION,
    "发明申请": PatentType.INVENTION, "发明授权": PatentType.INVENTION, "i": PatentType.INVENTION,
    "utility_model": PatentType.UTILITY_MODEL, "utility model": PatentType.UTILITY_MODEL,
    "实用新型": PatentType.UTILITY_MODEL, "实用新型专利": PatentType.UTILITY_MODEL, "u": PatentType.UTILITY_MODEL,
    "design": PatentType.DESIGN, "外观设计": PatentType.DESIGN, "外观设计专利": PatentType.DESIGN,
    "外观": PatentType.DESIGN, "d": PatentType.DESIGN, "s": PatentType.DESIGN,
}
LEGAL_STATUSES = {
    "pending": LegalStatus.PENDING, "审中": LegalStatus.PENDING, "在审": LegalStatus.PENDING,
    "实质审查": LegalStatus.PENDING, "实审": LegalStatus.PENDING, "公开": LegalStatus.PENDING,
    "granted": LegalStatus.GRANTED, "授权": LegalStatus.GRANTED, "有效": LegalStatus.GRANTED,
    "in force": LegalStatus.GRANTED, "专利权维持": LegalStatus.GRANTED,
    "lapsed": LegalStatus.LAPSED, "未缴年费": LegalStatus.LAPSED, "未缴年费终止": LegalStatus.LAPSED,
    "未缴年费专利权终止": LegalStatus.LAPSED, "权利终止": LegalStatus.LAPSED,
    "expired": LegalStatus.EXPIRED, "期限届满": LegalStatus.EXPIRED, "届满": LegalStatus.EXPIRED,
    "invalidated": LegalStatus.INVALIDATED, "全部无效": LegalStatus.INVALIDATED, "无效": LegalStatus.INVALIDATED,
    "partly_invalidated": LegalStatus.PARTLY_INVALIDATED, "部分无效": LegalStatus.PARTLY_INVALIDATED,
    "withdrawn": LegalStatus.WITHDRAWN, "撤回": LegalStatus.WITHDRAWN, "视为撤回": LegalStatus.WITHDRAWN,
    "rejected": LegalStatus.REJECTED, "驳回": LegalStatus.REJECTED,
}
TRADEMARK_STATUSES = {
    "pending": TrademarkStatus.PENDING, "申请中": TrademarkStatus.PENDING, "初审公告": TrademarkStatus.PENDING,
    "待审": TrademarkStatus.PENDING, "等待实质审查": TrademarkStatus.PENDING,
    "registered": TrademarkStatus.REGISTERED, "已注册": TrademarkStatus.REGISTERED, "注册": TrademarkStatus.REGISTERED,
    "注册商标": TrademarkStatus.REGISTERED, "有效": TrademarkStatus.REGISTERED,
    "expired": TrademarkStatus.EXPIRED, "已过期": TrademarkStatus.EXPIRED, "过期": TrademarkStatus.EXPIRED,
    "已失效": TrademarkStatus.EXPIRED, "失效": TrademarkStatus.EXPIRED,
    "cancelled": TrademarkStatus.CANCELLED, "撤销": TrademarkStatus.CANCELLED, "注销": TrademarkStatus.CANCELLED,
    "已注销": TrademarkStatus.CANCELLED, "已撤销": TrademarkStatus.CANCELLED,
    "invalidated": TrademarkStatus.INVALIDATED, "无效": TrademarkStatus.INVALIDATED, "无效宣告": TrademarkStatus.INVALIDATED,
    "rejected": TrademarkStatus.REJECTED, "驳回": TrademarkStatus.REJECTED, "已驳回": TrademarkStatus.REJECTED,
}
INDUSTRY_ALIASES = {
    "碳基新材料": "carbon_materials", "高端装备": "high_end_equipment", "新能源汽车": "new_energy_vehicles",
    "信创": "it_innovation", "第三代半导体": "semiconductors", "半导体": "semiconductors",
    "不锈钢": "special_steel", "特钢": "special_steel", "节能环保": "energy_environment",
    "生物医药": "biomedicine", "氢能": "hydrogen",
}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ImportRowError(DomainError):
    """A cell cannot be read; ``field`` names the column's field."""


@dataclass
class RowError:
    column: str  # the header as written in the file ("" for the whole row)
    value: str
    reason: str  # English template
    params: dict = field(default_factory=dict)


def normalise_header(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower().lstrip("\ufeff")
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", " ", text)


@dataclass
class HeaderMap:
    columns: dict[str, int]  # field -> column index
    names: dict[str, str]  # field -> header as written
    unknown: list[str]


def map_headers(row: list, spellings: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> HeaderMap:
    """Match the first row to fields; raises ImportRowError naming missing required columns."""
    lookup = {normalise_header(s): f for f, names in spellings.items() for s in names}
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(row):
        key = normalise_header(cell)
        if not key:
            continue
        fname = lookup.get(key)
        if fname is None:
            unknown.append(str(cell))
        elif fname not in columns:
            columns[fname] = i
            names[fname] = str(cell).strip().lstrip("\ufeff")
    missing = [f for f in required if f not in columns]
    if missing:
        wanted = ", ".join(f"{spellings[f][0]}/{spellings[f][1]}" for f in missing)
        raise ImportRowError(N_("the first row must name the columns; missing: {columns}"), columns=wanted)
    return HeaderMap(columns, names, unknown)


# ---- cells ---------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates as ISO, everything stripped.
    Text that looks like a formula (``=…``) stays text: we never evaluate cells."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip() if _needs_nfkc(value) else str(value).strip()


def _needs_nfkc(value) -> bool:
    return isinstance(value, str) and any(ord(ch) >= 0xFF00 for ch in value)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value) -> date | None:
    """``2020-03-01``, ``2020/3/1``, ``2020.03.01``, ``20200301``, ``2020年3月1日``, a date cell, or an
    Excel day number; blank is None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 <= value <= 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial day
    text = cell_text(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
            if not 1900 <= day.year <= 2100:
                break
            return day
    raise ImportRowError(N_("“{value}” is not a date; write it as YYYY-MM-DD"), value=text)


def parse_choice(value, choices: dict, message: str):
    text = cell_text(value)
    key = normalise_header(text)
    if key in choices:
        return choices[key]
    raise ImportRowError(message, value=text)


def split_names(text: str) -> list[str]:
    names: list[str] = []
    for part in re.split(r"[;；\n]+", text or ""):
        part = part.strip()
        if part and part not in names:
            names.append(part[:200])
    return names


# ---- rows ----------------------------------------------------------------------------------


@dataclass
class PatentRecord:
    application_number: str
    title: str
    patent_type: PatentType
    legal_status: LegalStatus
    publication_number: str = ""
    abstract: str = ""
    ipc: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    filing_date: date | None = None
    grant_date: date | None = None
    claims_count: int = 0
    industry: str | None = None


def read_patent_row(row: list, headers: HeaderMap, *, today: date | None = None,
                    industries: frozenset[str] = frozenset()) -> tuple[PatentRecord | None, list[RowError]]:
    """One data row to a record, or the errors that keep it out (every bad cell is reported)."""
    cols, names = headers.columns, headers.names
    errors: list[RowError] = []

    def raw(fname):
        i = cols.get(fname)
        return row[i] if i is not None and i < len(row) else None

    def err(fname, exc: DomainError, value=None):
        shown = cell_text(raw(fname) if value is None else value)
        errors.append(RowError(names.get(fname, fname), shown[:500], exc.template, exc.params))

    number = None
    try:
        number = patent_numbers.parse(cell_text(raw("application_number")), today=today)
    except patent_numbers.PatentNumberError as exc:
        err("application_number", exc)
    title = cell_text(raw("title"))
    if not title:
        errors.append(RowError(names["title"], "", N_("the title is empty")))
    elif len(title) > 500:
        errors.append(RowError(names["title"], title[:60] + "…", N_("the title is longer than {n} characters"), {"n": 500}))

    kind = None
    if "patent_type" in cols and cell_text(raw("patent_type")):
        try:
            kind = parse_choice(raw("patent_type"), PATENT_TYPES,
                                N_("unknown patent type “{value}” (invention/发明, utility_model/实用新型, design/外观设计)"))
        except ImportRowError as exc:
            err("patent_type", exc)
    elif number is not None:
        kind = PatentType(number.patent_type)
    else:
        kind = None
    if kind is not None and number is not None and number.patent_type != kind.value:
        errors.append(RowError(names.get("patent_type", "patent_type"), cell_text(raw("patent_type")),
                               N_("the number's type code {code} does not match the patent type"), {"code": number.type_code}))

    filing = grant = None
    for fname in ("filing_date", "grant_date"):
        try:
            value = parse_date(raw(fname))
        except ImportRowError as exc:
            err(fname, exc)
            continue
        if fname == "filing_date":
            filing = value
        else:
            grant = value

    status = None
    if "legal_status" in cols and cell_text(raw("legal_status")):
        try:
            status = parse_choice(raw("legal_status"), LEGAL_STATUSES,
                                  N_("unknown legal status “{value}” (pending/在审, granted/授权, lapsed/未缴年费, "
                                     "expired/期限届满, invalidated/无效, partly_invalidated/部分无效, withdrawn/撤回, rejected/驳回)"))
        except ImportRowError as exc:
            err("legal_status", exc)
    else:
        status = LegalStatus.GRANTED if grant else LegalStatus.PENDING

    codes: list[str] = []
    try:
        codes = ipc_rules.parse_list(cell_text(raw("ipc")))
    except ipc_rules.IPCError as exc:
        err("ipc", exc)

    claims = 0
    claims_text = cell_text(raw("claims_count"))
    if claims_text:
        if re.fullmatch(r"\d{1,4}", claims_text):
            claims = int(claims_text)
        else:
            errors.append(RowError(names["claims_count"], claims_text[:500],
                                   N_("“{value}” is not a number of claims"), {"value": claims_text}))

    industry = None
    industry_text = cell_text(raw("industry"))
    if industry_text:
        industry = INDUSTRY_ALIASES.get(industry_text, industry_text.lower())
        if industries and industry not in industries:
            errors.append(RowError(names["industry"], industry_text[:500], N_("unknown industry “{value}”"),
                                   {"value": industry_text}))
            industry = None

    if number is not None and filing and filing.year != number.year:
        errors.append(RowError(names.get("filing_date", "filing_date"), filing.isoformat(),
                               N_("the filing date is not in {year}, the year in the number"), {"year": number.year}))
    if grant and filing and grant < filing:
        errors.append(RowError(names.get("grant_date", "grant_date"), grant.isoformat(),
                               N_("the grant date is before the filing date")))
    if status == LegalStatus.PENDING and grant:
        errors.append(RowError(names.get("grant_date", "grant_date"), grant.isoformat(),
                               N_("a pending application has no grant date")))
    if errors or number is None or kind is None or status is None:
        return None, errors
    return PatentRecord(
        application_number=str(number),
        title=title,
        patent_type=kind,
        legal_status=status,
        publication_number=cell_text(raw("publication_number")).upper().replace(" ", "")[:30],
        abstract=cell_text(raw("abstract")),
        ipc=codes,
        applicants=split_names(cell_text(raw("applicants"))),
        filing_date=filing,
        grant_date=grant,
        claims_count=claims,
        industry=industry,
    ), []


@dataclass
class TrademarkRecord:
    registration_number: str
    name: str
    nice_class: int
    registrant: str
    status: TrademarkStatus
    filing_date: date | None = None
    registration_date: date | None = None
    industry: str | None = None


def read_trademark_row(row: list, headers: HeaderMap, *,
                       industries: frozenset[str] = frozenset()) -> tuple[TrademarkRecord | None, list[RowError]]:
    cols, names = headers.columns, headers.names
    errors: list[RowError] = []

    def raw(fname):
        i = cols.get(fname)
        return row[i] if i is not None and i < len(row) else None

    def err(fname, exc: DomainError):
        errors.append(RowError(names.get(fname, fname), cell_text(raw(fname))[:500], exc.template, exc.params))

    number = nice = None
    try:
        number = trademarks.normalize_number(cell_text(raw("registration_number")))
    except trademarks.TrademarkError as exc:
        err("registration_number", exc)
    name = cell_text(raw("name"))
    if not name:
        errors.append(RowError(names["name"], "", N_("the trademark name is empty")))
    try:
        nice = trademarks.parse_class(cell_text(raw("nice_class")))
    except trademarks.TrademarkError as exc:
        err("nice_class", exc)
    registrant = cell_text(raw("registrant"))
    if not registrant:
        errors.append(RowError(names["registrant"], "", N_("the registrant is empty")))
    dates = {}
    for fname in ("filing_date", "registration_date"):
        try:
            dates[fname] = parse_date(raw(fname))
        except ImportRowError as exc:
            err(fname, exc)
    status = None
    if "status" in cols and cell_text(raw("status")):
        try:
            status = parse_choice(raw("status"), TRADEMARK_STATUSES,
                                  N_("unknown trademark status “{value}” (pending/申请中, registered/已注册, "
                                     "expired/已失效, cancelled/撤销, invalidated/无效, rejected/驳回)"))
        except ImportRowError as exc:
            err("status", exc)
    else:
        status = TrademarkStatus.REGISTERED if dates.get("registration_date") else TrademarkStatus.PENDING
    if dates.get("filing_date") and dates.get("registration_date") and dates["registration_date"] < dates["filing_date"]:
        errors.append(RowError(names.get("registration_date", "registration_date"), dates["registration_date"].isoformat(),
                               N_("the registration date is before the filing date")))
    industry = None
    industry_text = cell_text(raw("industry"))
    if industry_text:
        industry = INDUSTRY_ALIASES.get(industry_text, industry_text.lower())
        if industries and industry not in industries:
            errors.append(RowError(names["industry"], industry_text[:500], N_("unknown industry “{value}”"),
                                   {"value": industry_text}))
    if errors or number is None or nice is None or status is None:
        return None, errors
    return TrademarkRecord(number, name[:300], nice, registrant[:300], status, dates.get("filing_date"),
                           dates.get("registration_date"), industry), []


def spreadsheet_safe(value):
    """A value for a CSV/XLSX cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
