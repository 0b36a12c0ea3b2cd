"""A patent row, column by column: each reader of app/domain/patent_import with table cases,
in the wordings CNIPA, incoPat and PatSnap exports use, and bad cells with the reason users read."""

from datetime import date, datetime

import pytest

from app.domain import patent_import as rules
from app.domain import patent_numbers
from app.domain.patent_terms import LegalStatus, PatentType

CN = patent_numbers.make(2020, "1", 566088)  # an invention application of 2020
CN_UTILITY = patent_numbers.make(2019, "2", 123456)
CN_DESIGN = patent_numbers.make(2018, "3", 100001)
TODAY = date(2026, 12, 1)


def cells(columns: dict) -> rules.Cells:
    """A row of one cell per header, read by field (no column is required)."""
    headers = rules.map_headers(list(columns), rules.PATENT_HEADERS, ())
    return rules.Cells(list(columns.values()), headers)


def reasons(c: rules.Cells) -> list[tuple[str, str]]:
    return [(e.column, e.reason) for e in c.errors]


# ---- publication number ----------------------------------------------------------------------


@pytest.mark.parametrize("written, expected", [
    ("CN112345678A", "CN112345678A"), ("CN 112345678 A", "CN112345678A"), ("US10312345B2", "US10312345B2"),
    ("US 2019/0123456 A1", "US20190123456A1"), ("EP3123456A1", "EP3123456A1"), ("WO 2020/123456 A1", "WO2020123456A1"),
])
def test_a_publication_number_is_read_per_office(written, expected):
    c = cells({"公开（公告）号": written, "标题": "x"})
    assert str(rules.publication_of(c)) == expected and c.errors == []


def test_a_blank_publication_number_is_none_without_an_error():
    c = cells({"公开（公告）号": "", "标题": "x"})
    assert rules.publication_of(c) is None and c.errors == []
    assert rules.publication_of(cells({"申请号": CN})) is None


@pytest.mark.parametrize("written", ["EP31234567A1", "XX1234567A", "12345"])
def test_a_bad_publication_number_is_reported_on_its_column(written):
    c = cells({"Publication No.": written})
    assert rules.publication_of(c) is None
    [error] = c.errors
    assert error.column == "Publication No." and error.value == written and error.reason


# ---- office ----------------------------------------------------------------------------------


@pytest.mark.parametrize("columns, office", [
    ({"受理局": "美国", "申请号": "16/123,456"}, "US"),  # CNIPA's Chinese country names
    ({"country": "United States"}, "US"),
    ({"国家/地区": "EP"}, "EP"),
    ({"公开（公告）号": "EP3123456A1"}, "EP"),  # from the publication number
    ({"申请号": "US16123456"}, "US"),  # from the application number's prefix
    ({"申请号": CN}, "CN"),  # digits only: CNIPA
    ({"标题": "x"}, "CN"),
])
def test_the_office_comes_from_the_row(columns, office):
    c = cells(columns)
    assert rules.office_of(c, rules.publication_of(c)) == office and c.errors == []


def test_an_unknown_office_is_an_error_naming_the_known_ones():
    c = cells({"受理局": "??"})
    assert rules.office_of(c, None) is None
    [error] = c.errors
    assert error.column == "受理局" and "unknown patent office" in error.reason and error.params == {"office": "??"}


def test_an_office_disagreeing_with_the_publication_number():
    c = cells({"公开（公告）号": "EP3123456A1", "受理局": "US"})
    assert rules.office_of(c, rules.publication_of(c)) == "US"
    [error] = c.errors
    assert error.column == "公开（公告）号" and error.value == "EP3123456A1"
    assert error.params == {"pub_office": "EP", "office": "US"}


# ---- application number: the record's key ----------------------------------------------------


@pytest.mark.parametrize("columns, office, key", [
    ({"申请号": CN}, "CN", CN),
    ({"申请号": "ZL" + CN}, "CN", CN),  # the ZL prefix of a granted patent
    ({"申请号": CN.replace(".", "")}, "CN", CN),  # without the dot before the check character
    ({"申请号": "16/123,456"}, "US", "US16123456"),
    ({"申请号": "", "公开（公告）号": "EP3123456A1"}, "EP", "EP3123456"),  # the publication names the patent
    ({"公开（公告）号": "US10312345B2"}, "US", "US10312345"),
])
def test_the_key_is_the_application_number_else_the_publication(columns, office, key):
    c = cells(columns)
    number, found = rules.number_of(c, office, rules.publication_of(c), TODAY)
    assert found == key and c.errors == []
    assert (number is not None) == (office == "CN")


@pytest.mark.parametrize("columns, column, reason", [
    ({"申请号": CN[:-1] + ("0" if CN[-1] != "0" else "1")}, "申请号", "check character"),
    ({"申请号": "CN12345"}, "申请号", "12 digits and a check character"),
    ({"申请号": "", "公开（公告）号": ""}, "申请号", "give the application number or the publication number"),
    ({"申请号": ""}, "申请号", "application number is required"),
    ({"公开（公告）号": ""}, "公开（公告）号", "give the application number or the publication number"),
])
def test_a_missing_or_wrong_application_number(columns, column, reason):
    c = cells(columns)
    assert rules.number_of(c, "CN", None, TODAY) == (None, None)
    [error] = c.errors
    assert error.column == column and reason in error.reason


def test_without_an_office_there_is_no_key_and_no_second_error():
    c = cells({"申请号": CN})
    assert rules.number_of(c, None, None, TODAY) == (None, None) and c.errors == []


# ---- title -----------------------------------------------------------------------------------


@pytest.mark.parametrize("written, reason", [
    ("一种锂电池", None), ("", "the title is empty"), ("长" * 501, "the title is longer than {n} characters"),
    ("长" * 500, None),
])
def test_the_title(written, reason):
    c = cells({"标题": written})
    assert rules.title_of(c) == written
    assert [e.reason for e in c.errors] == ([reason] if reason else [])


# ---- patent type -----------------------------------------------------------------------------


@pytest.mark.parametrize("written, kind", [
    ("发明", PatentType.INVENTION), ("发明专利", PatentType.INVENTION), ("发明申请", PatentType.INVENTION),  # PatSnap
    ("发明授权", PatentType.INVENTION), ("发明公开", PatentType.INVENTION),  # incoPat
    ("实用新型", PatentType.UTILITY_MODEL), ("实用新型专利", PatentType.UTILITY_MODEL),
    ("外观设计", PatentType.DESIGN), ("外观", PatentType.DESIGN),
    ("Invention Patent", PatentType.INVENTION), ("Utility Model", PatentType.UTILITY_MODEL),
    ("utility_model", PatentType.UTILITY_MODEL), ("Design", PatentType.DESIGN), ("I", PatentType.INVENTION),
    ("U", PatentType.UTILITY_MODEL), ("S", PatentType.DESIGN), ("发明 ", PatentType.INVENTION),
])
def test_patent_type_wordings(written, kind):
    c = cells({"专利类型": written})
    assert rules.type_of(c, "CN", None, None) == kind and c.errors == []


@pytest.mark.parametrize("number, publication, office, kind", [
    (CN, None, "CN", PatentType.INVENTION),  # the type code in the number
    (CN_UTILITY, None, "CN", PatentType.UTILITY_MODEL),
    (CN_DESIGN, None, "CN", PatentType.DESIGN),
    (None, "CN212345678U", "CN", PatentType.UTILITY_MODEL),  # the kind code of the publication
    (None, "USD912345S", "US", PatentType.DESIGN),
    (None, "US10312345B2", "US", PatentType.INVENTION),
    (None, None, "JP", PatentType.INVENTION),  # nothing says otherwise
])
def test_without_a_type_column_the_numbers_say_it(number, publication, office, kind):
    c = cells({"标题": "x"})
    parsed = patent_numbers.parse(number, today=TODAY) if number else None
    pub = patent_numbers.parse_publication(publication) if publication else None
    assert rules.type_of(c, office, parsed, pub) == kind and c.errors == []


def test_without_an_office_or_a_type_there_is_no_type():
    assert rules.type_of(cells({"标题": "x"}), None, None, None) is None


def test_an_unknown_type_lists_the_chinese_wordings():
    c = cells({"专利类型": "奇怪"})
    assert rules.type_of(c, "CN", None, None) is None
    [error] = c.errors
    assert error.column == "专利类型" and error.value == "奇怪" and "实用新型" in error.reason


def test_a_type_disagreeing_with_the_number_s_type_code():
    c = cells({"专利类型": "外观设计"})
    assert rules.type_of(c, "CN", patent_numbers.parse(CN, today=TODAY), None) == PatentType.DESIGN
    [error] = c.errors
    assert error.column == "专利类型" and error.value == "外观设计" and error.params == {"code": "1"}


# ---- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "2020-03-01", "2020/3/1", "2020.03.01", "20200301", "2020年3月1日", "2020-03-01 00:00:00", "２０２０-０３-０１",
    43891, 43891.0, datetime(2020, 3, 1, 0, 0), date(2020, 3, 1),
])
def test_date_spellings_of_the_exports(written):
    c = cells({"申请日": written, "授权日": "", "公开（公告）日": None})
    assert rules.dates_of(c) == {"filing_date": date(2020, 3, 1), "grant_date": None, "publication_date": None}
    assert c.errors == []


@pytest.mark.parametrize("written", ["3/1/2020", "2020-02-30", "1800-01-01", "yesterday", "2020年13月1日"])
def test_a_bad_date_is_reported_and_read_as_none(written):
    c = cells({"授权公告日": written, "申请日": "2020-03-01"})
    assert rules.dates_of(c) == {"filing_date": date(2020, 3, 1), "grant_date": None, "publication_date": None}
    [error] = c.errors
    assert error.column == "授权公告日" and error.reason == "“{value}” is not a date; write it as YYYY-MM-DD"


@pytest.mark.parametrize("number, filing, grant, status, expected", [
    (CN, date(2020, 6, 1), date(2021, 6, 1), LegalStatus.GRANTED, []),
    (CN, date(2019, 12, 31), None, LegalStatus.PENDING,
     [("申请日", "the filing date is not in {year}, the year in the number")]),
    (None, date(2019, 12, 31), None, LegalStatus.PENDING, []),  # a foreign number has no year to agree with
    (CN, date(2020, 6, 1), date(2020, 5, 1), LegalStatus.GRANTED,
     [("授权日", "the grant date is before the filing date")]),
    (CN, date(2020, 6, 1), date(2021, 6, 1), LegalStatus.PENDING, [("授权日", "a pending application has no grant date")]),
    (CN, None, date(2021, 6, 1), LegalStatus.LAPSED, []),
])
def test_the_dates_agree_with_each_other_the_number_and_the_status(number, filing, grant, status, expected):
    c = cells({"申请日": "", "授权日": ""})
    rules.check_dates(c, patent_numbers.parse(number, today=TODAY) if number else None, filing, grant, status)
    assert reasons(c) == expected


# ---- legal status ----------------------------------------------------------------------------


@pytest.mark.parametrize("detailed, simple, grant, status", [
    ("实质审查的生效", "审中", None, LegalStatus.PENDING),  # PatSnap: the event, then the simple status
    ("授权", "", None, LegalStatus.GRANTED),
    ("", "有效", None, LegalStatus.GRANTED),  # the simple status when the detailed one is blank
    ("", "失效", None, LegalStatus.LAPSED),
    ("授权；权利转移；未缴年费", "失效", None, LegalStatus.LAPSED),  # incoPat's list of events: the latest stage
    ("授权 | 质押", "", None, LegalStatus.GRANTED),
    ("专利权期限届满", "", None, LegalStatus.EXPIRED),
    ("视为撤回", "", None, LegalStatus.WITHDRAWN),
    ("", "", date(2021, 1, 1), LegalStatus.GRANTED),  # neither: the grant date decides
    ("", "", None, LegalStatus.PENDING),
])
def test_the_legal_status_columns(detailed, simple, grant, status):
    c = cells({"法律状态/事件": detailed, "简单法律状态": simple})
    assert rules.status_of(c, grant) == status and c.errors == []


@pytest.mark.parametrize("detailed, simple, column", [
    ("奇怪", "有效", "法律状态/事件"),  # a wrong detailed status is not papered over by the simple one
    ("权利转移", "", "法律状态/事件"),  # an event alone says nothing about the status
    ("", "不知道", "简单法律状态"),
])
def test_an_unknown_legal_status_is_reported_and_gives_no_status(detailed, simple, column):
    c = cells({"法律状态/事件": detailed, "简单法律状态": simple})
    assert rules.status_of(c, date(2021, 1, 1)) is None
    [error] = c.errors
    assert error.column == column and error.reason == rules.LEGAL_STATUS_MESSAGE


# ---- IPC codes -------------------------------------------------------------------------------


@pytest.mark.parametrize("main, others, codes", [
    ("H01M 10/052(2010.01)", "H01M10/052; H01M 4/13", ["H01M 10/052", "H01M 4/13"]),  # the main class first, once
    ("", "H01M 4/13, H01M 10/052", ["H01M 4/13", "H01M 10/052"]),
    ("C30B 29/36", "", ["C30B 29/36"]),
    ("", "", []),
])
def test_ipc_codes(main, others, codes):
    c = cells({"IPC主分类号": main, "IPC分类号": others})
    assert rules.ipc_of(c) == codes and c.errors == []


def test_a_bad_ipc_code_is_reported_on_its_column_and_the_other_column_still_read():
    c = cells({"IPC主分类号": "ZZZ", "IPC分类号": "H01M 4/13"})
    assert rules.ipc_of(c) == ["H01M 4/13"]
    [error] = c.errors
    assert error.column == "IPC主分类号" and error.reason == "“{code}” is not an IPC code like H01M 10/052"


# ---- claims, industry, owners --------------------------------------------------------------------


@pytest.mark.parametrize("written, claims, bad", [
    ("10", 10, False), (10, 10, False), (10.0, 10, False), ("", 0, False), (None, 0, False), ("9999", 9999, False),
    ("ten", 0, True), ("12345", 0, True), ("-1", 0, True), ("3.5", 0, True),
])
def test_the_number_of_claims(written, claims, bad):
    c = cells({"权利要求数量": written})
    assert rules.claims_of(c) == claims
    assert reasons(c) == ([("权利要求数量", "“{value}” is not a number of claims")] if bad else [])


@pytest.mark.parametrize("written, known, industry, bad", [
    ("氢能", frozenset(), "hydrogen", False), ("碳基新材料", frozenset(), "carbon_materials", False),
    ("Hydrogen", frozenset({"hydrogen"}), "hydrogen", False), ("", frozenset({"hydrogen"}), None, False),
    ("火星", frozenset({"hydrogen"}), None, True), ("火星", frozenset(), "火星", False),
])
def test_the_industry(written, known, industry, bad):
    c = cells({"行业": written})
    assert rules.industry_of(c, known) == industry
    assert reasons(c) == ([("行业", "unknown industry “{value}”")] if bad else [])


@pytest.mark.parametrize("columns, owners", [
    ({"申请（专利权）人": "甲公司 | 乙大学", "当前权利人": "丙公司"}, ["丙公司"]),  # the current owner can sell it
    ({"申请（专利权）人": "甲公司；乙大学；甲公司", "当前权利人": ""}, ["甲公司", "乙大学"]),
    ({"Applicants": "A Corp; B Univ"}, ["A Corp", "B Univ"]),
    ({"标题": "x"}, []),
])
def test_the_owners(columns, owners):
    assert rules.owners_of(cells(columns)) == owners


# ---- the whole row ---------------------------------------------------------------------------


def test_every_bad_cell_of_a_row_is_reported_in_column_order():
    header = ["申请号", "标题", "专利类型", "申请日", "法律状态", "IPC分类号", "权利要求数量"]
    headers = rules.map_headers(header, rules.PATENT_HEADERS, rules.PATENT_REQUIRED, rules.PATENT_ONE_OF)
    record, errors = rules.read_patent_row([CN, "", "奇怪", "soon", "奇怪", "ZZZ", "ten"], headers, today=TODAY)
    assert record is None
    assert [e.column for e in errors] == ["标题", "专利类型", "申请日", "法律状态", "IPC分类号", "权利要求数量"]


def test_a_short_row_reads_its_missing_cells_as_blank():
    headers = rules.map_headers(["申请号", "标题", "申请日", "法律状态"], rules.PATENT_HEADERS, rules.PATENT_REQUIRED,
                                rules.PATENT_ONE_OF)
    record, errors = rules.read_patent_row([CN, "一种锂电池"], headers, today=TODAY)
    assert errors == [] and record.filing_date is None and record.legal_status == LegalStatus.PENDING
