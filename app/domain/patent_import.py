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

# field -> header spellings (compared after normalise_header: width, case, spaces and brackets do not
# matter). The Chinese spellings are those of CNIPA's patent search and analysis system, incoPat and
# PatSnap (智慧芽) exports; the English ones are their English exports.
PATENT_HEADERS: dict[str, tuple[str, ...]] = {
    "application_number": ("申请号", "application_number", "application number", "application no", "app_no",
                           "appln no", "专利申请号", "申请号码"),
    "publication_number": ("公开(公告)号", "publication_number", "publication number", "publication no", "公开号",
                           "公告号", "授权公告号", "公开公告号", "公开号(公告号)", "pub_no", "patent number", "文献号"),
    "publication_date": ("公开(公告)日", "publication_date", "publication date", "公开日", "公告日", "公开日期",
                         "公开(公告)日期", "pub date"),
    "office": ("受理局", "office", "authority", "country", "国家/地区", "公开国别", "国别", "国家", "country code"),
    "title": ("名称", "title", "标题", "发明名称", "专利名称", "标题(中文)", "中文标题", "名称(中文)", "发明名称(中文)"),
    "abstract": ("摘要", "abstract", "摘要(中文)", "中文摘要"),
    "patent_type": ("专利类型", "patent_type", "patent type", "type", "类型", "专利类别"),
    "ipc_main": ("ipc主分类号", "ipc_main", "main ipc", "ipc main", "主分类号", "主ipc", "ipc主分类", "primary ipc"),
    "ipc": ("ipc分类号", "ipc", "分类号", "ipc codes", "ipc_codes", "ipc分类", "ipc classification"),
    "applicants": ("申请(专利权)人", "applicants", "applicant", "申请人", "专利权人", "权利人", "assignee",
                   "original assignee", "applicant(s)", "申请人名称"),
    "current_owners": ("当前权利人", "current_owners", "current assignee", "current owner", "当前申请(专利权)人",
                       "当前专利权人"),
    "inventors": ("发明(设计)人", "inventors", "inventor", "发明人", "设计人", "inventor(s)"),
    "filing_date": ("申请日", "filing_date", "filing date", "application date", "申请日期"),
    "grant_date": ("授权日", "grant_date", "grant date", "授权公告日", "授权日期", "issue date"),
    "legal_status": ("法律状态/事件", "legal_status", "legal status", "法律状态", "当前法律状态", "legal status/event",
                     "法律事件", "status"),
    "simple_status": ("简单法律状态", "simple_status", "simple legal status", "专利有效性", "有效性"),
    "claims_count": ("权利要求数量", "claims_count", "claims count", "权利要求数", "权利要求项数", "claims",
                     "number of claims", "权利要求个数"),
    "agency": ("代理机构", "agency", "专利代理机构", "agent", "attorney/agent"),
    "industry": ("行业", "industry", "产业"),
}
# A row names its patent by the application number, or only by the publication number.
PATENT_REQUIRED = ("title",)
PATENT_ONE_OF = ("application_number", "publication_number")

TRADEMARK_HEADERS: dict[str, tuple[str, ...]] = {
    "registration_number": ("注册号", "registration_number", "registration number", "申请/注册号", "注册号/申请号",
                            "申请号", "registration no", "application number", "商标注册号"),
    "name": ("商标名称", "name", "trademark", "商标", "trademark name", "商标文字", "mark"),
    "nice_class": ("国际分类", "nice_class", "class", "类别", "类号", "nice class", "国际分类号", "商品/服务类别"),
    "registrant": ("注册人", "registrant", "申请人", "owner", "申请人名称", "申请人名称(中文)", "注册人名称",
                   "applicant", "商标权人"),
    "filing_date": ("申请日", "filing_date", "filing date", "申请日期", "application date"),
    "registration_date": ("注册日", "registration_date", "registration date", "注册日期", "注册公告日",
                          "注册公告日期"),
    "status": ("商标状态", "status", "状态", "法律状态", "当前状态"),
    "industry": ("行业", "industry", "产业"),
}
TRADEMARK_REQUIRED = ("registration_number", "name", "nice_class", "registrant")

PATENT_TYPES = {
    "invention": PatentType.INVENTION, "发明": PatentType.INVENTION, "发明专利": PatentType.INVENTION,
    "发明申请": PatentType.INVENTION, "发明授权": PatentType.INVENTION, "发明公开": PatentType.INVENTION,
    "i": PatentType.INVENTION, "invention patent": PatentType.INVENTION, "invention application": PatentType.INVENTION,
    "invention grant": PatentType.INVENTION, "patent": PatentType.INVENTION, "utility patent": PatentType.INVENTION,
    "utility_model": PatentType.UTILITY_MODEL, "utility model": PatentType.UTILITY_MODEL,
    "实用新型": PatentType.UTILITY_MODEL, "实用新型专利": PatentType.UTILITY_MODEL, "u": PatentType.UTILITY_MODEL,
    "design": PatentType.DESIGN, "外观设计": PatentType.DESIGN, "外观设计专利": PatentType.DESIGN,
    "外观": PatentType.DESIGN, "d": PatentType.DESIGN, "s": PatentType.DESIGN, "design patent": PatentType.DESIGN,
}
_PENDING, _GRANTED = LegalStatus.PENDING, LegalStatus.GRANTED
LEGAL_STATUSES = {
    **dict.fromkeys(("pending", "审中", "在审", "审查中", "实质审查", "实审", "实质审查的生效", "公开", "申请中",
                     "待审", "under examination", "published", "examination"), _PENDING),
    **dict.fromkeys(("granted", "授权", "有效", "维持", "专利权维持", "授权公告", "有权", "权利恢复", "in force",
                     "active", "alive", "valid", "grant"), _GRANTED),
    **dict.fromkeys(("lapsed", "失效", "未缴年费", "未缴年费终止", "未缴年费专利权终止", "专利权终止", "权利终止",
                     "终止", "放弃", "主动放弃", "避重放弃", "inactive", "dead", "ceased"), LegalStatus.LAPSED),
    **dict.fromkeys(("expired", "期限届满", "届满", "专利权期限届满", "期满终止"), LegalStatus.EXPIRED),
    **dict.fromkeys(("invalidated", "无效", "全部无效", "宣告无效", "专利权全部无效", "invalid"),
                    LegalStatus.INVALIDATED),
    **dict.fromkeys(("partly_invalidated", "部分无效", "专利权部分无效", "partly invalidated"),
                    LegalStatus.PARTLY_INVALIDATED),
    **dict.fromkeys(("withdrawn", "撤回", "视为撤回", "主动撤回", "申请撤回", "撤回专利申请", "视撤"),
                    LegalStatus.WITHDRAWN),
    **dict.fromkeys(("rejected", "驳回", "申请驳回", "驳回申请", "refused"), LegalStatus.REJECTED),
}
# Events a 法律状态/事件 cell lists beside the status, which say nothing about it.
LEGAL_EVENTS_WITHOUT_STATUS = frozenset(
    ("权利转移", "专利权的转移", "著录事项变更", "变更", "质押", "专利权质押", "质押的生效", "质押的注销", "许可", "实施许可",
     "专利实施许可", "转让", "保全", "复审", "无效宣告请求", "transfer", "assignment", "change", "pledge", "license",
     "licence"))
# When a cell lists several events, the later stage wins: an application (审中) is granted (授权),
# a granted patent ends (失效, 期限届满 …).
_STATUS_STAGE = {_PENDING: 0, _GRANTED: 1, LegalStatus.PARTLY_INVALIDATED: 2}
TRADEMARK_STATUSES = {
    "pending": TrademarkStatus.PENDING, "申请中": TrademarkStatus.PENDING, "初审公告": TrademarkStatus.PENDING,
    "待审": TrademarkStatus.PENDING, "等待实质审查": TrademarkStatus.PENDING, "商标申请中": TrademarkStatus.PENDING,
    "等待驳回复审": TrademarkStatus.PENDING, "审查中": TrademarkStatus.PENDING, "初审": TrademarkStatus.PENDING,
    "registered": TrademarkStatus.REGISTERED, "已注册": TrademarkStatus.REGISTERED, "注册": TrademarkStatus.REGISTERED,
    "注册商标": TrademarkStatus.REGISTERED, "有效": TrademarkStatus.REGISTERED, "商标已注册": TrademarkStatus.REGISTERED,
    "live": TrademarkStatus.REGISTERED,
    "expired": TrademarkStatus.EXPIRED, "已过期": TrademarkStatus.EXPIRED, "过期": TrademarkStatus.EXPIRED,
    "已失效": TrademarkStatus.EXPIRED, "失效": TrademarkStatus.EXPIRED, "商标无效": TrademarkStatus.EXPIRED,
    "dead": TrademarkStatus.EXPIRED,
    "cancelled": TrademarkStatus.CANCELLED, "撤销": TrademarkStatus.CANCELLED, "注销": TrademarkStatus.CANCELLED,
    "已注销": TrademarkStatus.CANCELLED, "已撤销": TrademarkStatus.CANCELLED, "商标已注销": TrademarkStatus.CANCELLED,
    "invalidated": TrademarkStatus.INVALIDATED, "无效": TrademarkStatus.INVALIDATED,
    "无效宣告": TrademarkStatus.INVALIDATED, "宣告无效": TrademarkStatus.INVALIDATED,
    "rejected": TrademarkStatus.REJECTED, "驳回": TrademarkStatus.REJECTED, "已驳回": TrademarkStatus.REJECTED,
    "商标驳回": TrademarkStatus.REJECTED,
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


_HEADER_NOISE = re.compile(r"[\s_\-.:：·*]+")


def normalise_header(text) -> str:
    """A header or a wording as compared: full-width forms made half-width, lower case, brackets of
    every kind made round, and spaces, ``_``, ``-``, ``.`` and colons dropped
    (``公开（公告）号`` = ``公开(公告)号`` = ``公开 (公告) 号``; ``Publication No.`` = ``publication_no``)."""
    text = unicodedata.normalize("NFKC", str(text or "")).lstrip("\ufeff").strip().lower()
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    text = _HEADER_NOISE.sub("", text)
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1]  # 【IPC主分类号】
    return text


@dataclass
class HeaderMap:
    columns: dict[str, int]  # field -> column index
    names: dict[str, str]  # field -> header as written
    unknown: list[str]


def map_headers(row: list, spellings: dict[str, tuple[str, ...]], required: tuple[str, ...],
                one_of: tuple[str, ...] = ()) -> HeaderMap:
    """Match the first row to fields; raises ImportRowError naming missing required columns
    (``one_of``: at least one of these columns)."""
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
    missing = [f"{spellings[f][0]}/{spellings[f][1]}" for f in required if f not in columns]
    if one_of and not any(f in columns for f in one_of):
        missing.append(" | ".join(f"{spellings[f][0]}/{spellings[f][1]}" for f in one_of))
    if missing:
        raise ImportRowError(N_("the first row must name the columns; missing: {columns}"), columns=", ".join(missing))
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


_NORMALISED_CHOICES: dict[int, dict] = {}


def _normalised(choices: dict) -> dict:
    table = _NORMALISED_CHOICES.get(id(choices))
    if table is None:
        table = _NORMALISED_CHOICES[id(choices)] = {normalise_header(k): v for k, v in choices.items()}
    return table


def parse_choice(value, choices: dict, message: str):
    text = cell_text(value)
    key = normalise_header(text)
    table = _normalised(choices)
    if key in table:
        return table[key]
    raise ImportRowError(message, value=text)


LEGAL_STATUS_MESSAGE = N_("unknown legal status “{value}”: write 审中/审查中/实质审查/公开 (pending), 有效/授权/维持 "
                          "(granted), 失效/未缴年费 (lapsed), 期限届满 (expired), 无效 (invalidated), 部分无效 (partly "
                          "invalidated), 撤回 (withdrawn) or 驳回 (rejected)")
_EVENT_SPLIT = re.compile(r"[;；,，、|/\n]+")


def parse_legal_status(value) -> LegalStatus:
    """A legal-status cell to the stored status: one wording (``实质审查``, ``未缴年费``), or a list of
    events (``授权；权利转移；未缴年费``) of which the latest stage counts; events such as 权利转移 or
    质押 say nothing about the status and are passed over."""
    text = cell_text(value)
    table = _normalised(LEGAL_STATUSES)
    key = normalise_header(text)
    if key in table:
        return table[key]
    found: list[LegalStatus] = []
    events = _normalised(dict.fromkeys(LEGAL_EVENTS_WITHOUT_STATUS))
    for part in _EVENT_SPLIT.split(text):
        k = normalise_header(part)
        if not k or k in events:
            continue
        if k not in table:
            raise ImportRowError(LEGAL_STATUS_MESSAGE, value=text)
        found.append(table[k])
    if not found:
        raise ImportRowError(LEGAL_STATUS_MESSAGE, value=text)
    ended = [s for s in found if s not in _STATUS_STAGE]
    if ended:
        return ended[-1]
    return max(found, key=_STATUS_STAGE.__getitem__)


def split_names(text: str) -> list[str]:
    names: list[str] = []
    for part in re.split(r"[;；|\n]+", text or ""):
        part = part.strip()
        if part and part not in names:
            names.append(part[:200])
    return names


# ---- rows ----------------------------------------------------------------------------------


@dataclass
class PatentRecord:
    application_number: str  # the record's key: a CN application number, or office + number
    title: str
    patent_type: PatentType
    legal_status: LegalStatus
    office: str = "CN"
    kind_code: str = ""
    publication_number: str = ""
    publication_key: str = ""  # office + number of the publication, the key of a row without an application number
    publication_date: date | None = None
    abstract: str = ""
    ipc: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    inventors: list[str] = field(default_factory=list)
    agency: str = ""
    filing_date: date | None = None
    grant_date: date | None = None
    claims_count: int = 0
    industry: str | None = None


PATENT_TYPE_MESSAGE = N_("unknown patent type “{value}”: write 发明 (invention), 实用新型 (utility model) or "
                         "外观设计 (design)")


@dataclass
class Cells:
    """One data row read by field: the cells of the columns the file has, and the errors found so far."""

    row: list
    headers: HeaderMap
    errors: list[RowError] = field(default_factory=list)

    def has(self, fname: str) -> bool:
        return fname in self.headers.columns

    def raw(self, fname: str):
        i = self.headers.columns.get(fname)
        return self.row[i] if i is not None and i < len(self.row) else None

    def text(self, fname: str) -> str:
        return cell_text(self.raw(fname))

    def column(self, fname: str) -> str:
        """The header as written in the file."""
        return self.headers.names.get(fname, fname)

    def flag(self, fname: str, shown: str, reason: str, params: dict | None = None) -> None:
        self.errors.append(RowError(self.column(fname), shown, reason, params or {}))

    def fail(self, fname: str, exc: DomainError) -> None:
        """The cell of ``fname`` cannot be read: ``exc`` says why."""
        self.flag(fname, self.text(fname)[:500], exc.template, exc.params)


# ---- a patent row, column by column ---------------------------------------------------------


def publication_of(cells: Cells) -> patent_numbers.PublicationNumber | None:
    """The publication number (公开(公告)号), checked per office; None when blank or wrong."""
    if not cells.text("publication_number"):
        return None
    try:
        return patent_numbers.parse_publication(cells.text("publication_number"))
    except patent_numbers.PatentNumberError as exc:
        cells.fail("publication_number", exc)
        return None


def office_of(cells: Cells, publication: patent_numbers.PublicationNumber | None) -> str | None:
    """The office (受理局) as written, else the publication's, else the application number's prefix,
    else CN; it must agree with the publication number's."""
    application_text = cells.text("application_number")
    office = None
    try:
        if cells.text("office"):
            office = patent_numbers.parse_office(cells.text("office"))
        elif publication is not None:
            office = publication.office
        elif application_text[:2].upper() in patent_numbers.OFFICES:
            office = application_text[:2].upper()
        else:
            office = "CN"
    except patent_numbers.PatentNumberError as exc:
        cells.fail("office", exc)
    if publication is not None and office is not None and publication.office != office:
        cells.flag("publication_number", str(publication),
                   N_("the publication number is of office {pub_office}, the row says {office}"),
                   {"pub_office": publication.office, "office": office})
    return office


def number_of(cells: Cells, office: str | None, publication: patent_numbers.PublicationNumber | None,
              today: date | None = None) -> tuple[patent_numbers.ApplicationNumber | None, str | None]:
    """The CN application number (checked to its check character, else None) and the record's key:
    that number, a foreign application number with its office, or the publication's office + number."""
    if office is None:
        return None, None
    application_text = cells.text("application_number")
    try:
        if application_text and office == "CN":
            number = patent_numbers.parse(application_text, today=today)
            return number, str(number)
        if application_text:
            return None, patent_numbers.foreign_application(application_text, office)
        if publication is not None:
            return None, publication.family_key
        if not cells.has("publication_number"):
            raise patent_numbers.PatentNumberError(N_("application number is required"))
        raise patent_numbers.PatentNumberError(N_("give the application number or the publication number"))
    except patent_numbers.PatentNumberError as exc:
        cells.fail("application_number" if cells.has("application_number") else "publication_number", exc)
        return None, None


TITLE_LENGTH = 500


def title_of(cells: Cells) -> str:
    title = cells.text("title")
    if not title:
        cells.flag("title", "", N_("the title is empty"))
    elif len(title) > TITLE_LENGTH:
        cells.flag("title", title[:60] + "…", N_("the title is longer than {n} characters"), {"n": TITLE_LENGTH})
    return title


def type_of(cells: Cells, office: str | None, number: patent_numbers.ApplicationNumber | None,
            publication: patent_numbers.PublicationNumber | None) -> PatentType | None:
    """The patent type as written (发明, 实用新型 …), else the CN number's type code, else the
    publication's kind code; a written type must agree with the number's."""
    kind = None
    if cells.text("patent_type"):
        try:
            kind = parse_choice(cells.raw("patent_type"), PATENT_TYPES, PATENT_TYPE_MESSAGE)
        except ImportRowError as exc:
            cells.fail("patent_type", exc)
    elif number is not None:
        kind = PatentType(number.patent_type)
    elif office is not None:
        kind = PatentType(patent_numbers.type_from_kind(office, publication.kind if publication else ""))
    if kind is not None and number is not None and number.patent_type != kind.value:
        cells.flag("patent_type", cells.text("patent_type"),
                   N_("the number's type code {code} does not match the patent type"), {"code": number.type_code})
    return kind


PATENT_DATES = ("filing_date", "grant_date", "publication_date")


def dates_of(cells: Cells) -> dict[str, date | None]:
    """The filing, grant and publication dates (None when blank or wrong)."""
    dates: dict[str, date | None] = {}
    for fname in PATENT_DATES:
        try:
            dates[fname] = parse_date(cells.raw(fname))
        except ImportRowError as exc:
            cells.fail(fname, exc)
            dates[fname] = None
    return dates


def status_of(cells: Cells, grant: date | None) -> LegalStatus | None:
    """The detailed legal status (法律状态/事件), else the simple one if that is blank; a row with
    neither is granted when it has a grant date, else pending."""
    for fname in ("legal_status", "simple_status"):
        if cells.text(fname):
            try:
                return parse_legal_status(cells.raw(fname))
            except ImportRowError as exc:
                cells.fail(fname, exc)
                return None
    return LegalStatus.GRANTED if grant else LegalStatus.PENDING


def ipc_of(cells: Cells) -> list[str]:
    """The IPC codes, the main class first, each once."""
    codes: list[str] = []
    for fname in ("ipc_main", "ipc"):
        try:
            codes += [c for c in ipc_rules.parse_list(cells.text(fname)) if c not in codes]
        except ipc_rules.IPCError as exc:
            cells.fail(fname, exc)
    return codes


def claims_of(cells: Cells) -> int:
    """The number of claims (0 when blank)."""
    text = cells.text("claims_count")
    if not text:
        return 0
    if re.fullmatch(r"\d{1,4}", text):
        return int(text)
    cells.flag("claims_count", text[:500], N_("“{value}” is not a number of claims"), {"value": text})
    return 0


def industry_of(cells: Cells, industries: frozenset[str] = frozenset()) -> str | None:
    """The industry by its key or Chinese name (碳基新材料 …); when ``industries`` is given, one of them."""
    text = cells.text("industry")
    if not text:
        return None
    industry = INDUSTRY_ALIASES.get(text, text.lower())
    if industries and industry not in industries:
        cells.flag("industry", text[:500], N_("unknown industry “{value}”"), {"value": text})
        return None
    return industry


def check_dates(cells: Cells, number: patent_numbers.ApplicationNumber | None, filing: date | None,
                grant: date | None, status: LegalStatus | None) -> None:
    """The dates agree with each other, with the number's year and with the status."""
    if number is not None and filing and filing.year != number.year:
        cells.flag("filing_date", filing.isoformat(), N_("the filing date is not in {year}, the year in the number"),
                   {"year": number.year})
    if grant and filing and grant < filing:
        cells.flag("grant_date", grant.isoformat(), N_("the grant date is before the filing date"))
    if status == LegalStatus.PENDING and grant:
        cells.flag("grant_date", grant.isoformat(), N_("a pending application has no grant date"))


def owners_of(cells: Cells) -> list[str]:
    """The current owners: who can license or sell the patent (the applicants when the file has none)."""
    return split_names(cells.text("current_owners")) or split_names(cells.text("applicants"))


def read_patent_row(row: list, headers: HeaderMap, *, today: date | None = None,
                    industries: frozenset[str] = frozenset()) -> tuple[PatentRecord | None, list[RowError]]:
    """One data row to a record, or the errors that keep it out (every bad cell is reported).

    The patent is named by its application number (CN: checked to the check character; other
    offices: shape), or, when the row has none, by its publication number (office + number)."""
    cells = Cells(row, headers)
    publication = publication_of(cells)
    office = office_of(cells, publication)
    number, key = number_of(cells, office, publication, today)
    title = title_of(cells)
    kind = type_of(cells, office, number, publication)
    dates = dates_of(cells)
    filing, grant = dates["filing_date"], dates["grant_date"]
    status = status_of(cells, grant)
    codes = ipc_of(cells)
    claims = claims_of(cells)
    industry = industry_of(cells, industries)
    check_dates(cells, number, filing, grant, status)
    if cells.errors or key is None or kind is None or status is None:
        return None, cells.errors
    return PatentRecord(
        application_number=key,
        title=title,
        patent_type=kind,
        legal_status=status,
        office=office,
        kind_code=publication.kind if publication else "",
        publication_number=str(publication) if publication else "",
        publication_key=publication.family_key if publication else "",
        publication_date=dates["publication_date"],
        abstract=cells.text("abstract"),
        ipc=codes,
        applicants=owners_of(cells),
        inventors=split_names(cells.text("inventors")),
        agency=cells.text("agency")[:200],
        filing_date=filing,
        grant_date=grant,
        claims_count=claims,
        industry=industry,
    ), []


TRADEMARK_STATUS_MESSAGE = N_("unknown trademark status “{value}”: write 申请中/初审公告 (pending), 已注册/有效 "
                              "(registered), 已失效/过期 (expired), 撤销/注销 (cancelled), 无效宣告 (invalidated) "
                              "or 驳回 (rejected)")


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
            status = parse_choice(raw("status"), TRADEMARK_STATUSES, TRADEMARK_STATUS_MESSAGE)
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
