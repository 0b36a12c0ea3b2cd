"""Export headers and wordings of CNIPA, incoPat and PatSnap; numbers of every office."""

from datetime import date

import pytest

from app.domain import patent_import as rules
from app.domain import patent_numbers
from app.domain.patent_terms import LegalStatus, PatentType

CN = patent_numbers.make(2020, "1", 566088)


def _read(header: list, row: list):
    headers = rules.map_headers(header, rules.PATENT_HEADERS, rules.PATENT_REQUIRED, rules.PATENT_ONE_OF)
    return rules.read_patent_row(row, headers, today=date(2026, 12, 1))


@pytest.mark.parametrize("written, field", [
    ("公开（公告）号", "publication_number"), ("公开(公告)号", "publication_number"), ("公开 (公告) 号", "publication_number"),
    ("Publication No.", "publication_number"), ("公开（公告）日", "publication_date"), ("申请号", "application_number"),
    ("申请日", "filing_date"), ("标题", "title"), ("名称", "title"), ("摘要", "abstract"),
    ("申请（专利权）人", "applicants"), ("当前权利人", "current_owners"), ("发明（设计）人", "inventors"),
    ("IPC主分类号", "ipc_main"), ("ＩＰＣ分类号", "ipc"), ("专利类型", "patent_type"), ("法律状态/事件", "legal_status"),
    ("简单法律状态", "simple_status"), ("权利要求数量", "claims_count"), ("代理机构", "agency"), ("受理局", "office"),
    ("Application Number", "application_number"), ("Current Assignee", "current_owners"),
    ("\ufeff申请号", "application_number"), ("【IPC主分类号】", "ipc_main"),
])
def test_export_headers_are_recognised(written, field):
    headers = rules.map_headers([written, "标题", "申请号"], rules.PATENT_HEADERS, rules.PATENT_REQUIRED,
                                rules.PATENT_ONE_OF)
    assert headers.columns[field] == 0 and not headers.unknown


def test_a_file_needs_a_title_and_one_of_the_numbers():
    with pytest.raises(rules.ImportRowError) as err:
        rules.map_headers(["标题", "摘要"], rules.PATENT_HEADERS, rules.PATENT_REQUIRED, rules.PATENT_ONE_OF)
    assert "申请号" in err.value.params["columns"] and "公开(公告)号" in err.value.params["columns"]
    rules.map_headers(["标题", "公开（公告）号"], rules.PATENT_HEADERS, rules.PATENT_REQUIRED, rules.PATENT_ONE_OF)


@pytest.mark.parametrize("wording, status", [
    ("审中", LegalStatus.PENDING), ("审查中", LegalStatus.PENDING), ("实质审查", LegalStatus.PENDING),
    ("公开", LegalStatus.PENDING), ("有效", LegalStatus.GRANTED), ("授权", LegalStatus.GRANTED),
    ("维持", LegalStatus.GRANTED), ("失效", LegalStatus.LAPSED), ("未缴年费", LegalStatus.LAPSED),
    ("期限届满", LegalStatus.EXPIRED), ("撤回", LegalStatus.WITHDRAWN), ("驳回", LegalStatus.REJECTED),
    ("无效", LegalStatus.INVALIDATED), ("部分无效", LegalStatus.PARTLY_INVALIDATED), ("In Force", LegalStatus.GRANTED),
    ("授权；权利转移；未缴年费", LegalStatus.LAPSED), ("实质审查，授权，质押", LegalStatus.GRANTED),
    ("公开 | 实质审查", LegalStatus.PENDING),
])
def test_legal_status_wordings(wording, status):
    assert rules.parse_legal_status(wording) == status


def test_an_unknown_status_lists_the_chinese_wordings():
    with pytest.raises(rules.ImportRowError) as err:
        rules.parse_legal_status("奇怪")
    assert "实质审查" in err.value.template and "未缴年费" in err.value.template and err.value.params["value"] == "奇怪"
    with pytest.raises(rules.ImportRowError):
        rules.parse_legal_status("权利转移")  # an event alone says nothing about the status


def test_a_patsnap_row():
    header = ["公开（公告）号", "公开（公告）日", "申请号", "申请日", "标题", "摘要", "申请（专利权）人", "当前权利人",
              "发明（设计）人", "IPC主分类号", "IPC分类号", "专利类型", "法律状态/事件", "简单法律状态", "权利要求数量", "代理机构"]
    row = ["CN112345678A", "2021-01-05", CN, "2020-06-01", "一种锂电池", "摘要", "甲公司 | 乙大学", "丙公司", "张三；李四",
           "H01M 10/052(2010.01)", "H01M10/052; H01M 4/13", "发明申请", "实质审查的生效", "审中", "10", "某代理所"]
    record, errors = _read(header, row)
    assert errors == []
    assert record.application_number == CN and record.office == "CN" and record.kind_code == "A"
    assert record.publication_number == "CN112345678A" and record.publication_date == date(2021, 1, 5)
    assert record.applicants == ["丙公司"]  # the current owner
    assert record.inventors == ["张三", "李四"] and record.agency == "某代理所" and record.claims_count == 10
    assert record.ipc == ["H01M 10/052", "H01M 4/13"] and record.legal_status == LegalStatus.PENDING


def test_the_simple_status_is_used_when_the_detailed_one_is_blank():
    record, errors = _read(["申请号", "标题", "法律状态/事件", "简单法律状态"], [CN, "一种锂电池", "", "有效"])
    assert errors == [] and record.legal_status == LegalStatus.GRANTED


@pytest.mark.parametrize("text, office, number, kind", [
    ("US10312345B2", "US", "10312345", "B2"), ("US 2019/0123456 A1", "US", "20190123456", "A1"),
    ("EP3123456A1", "EP", "3123456", "A1"), ("WO2020123456A1", "WO", "2020123456", "A1"),
    ("WO 2020/123456 A1", "WO", "2020123456", "A1"), ("JP2019123456A", "JP", "2019123456", "A"),
    ("KR102123456B1", "KR", "102123456", "B1"), ("DE102019123456A1", "DE", "102019123456", "A1"),
    ("GB2512345A", "GB", "2512345", "A"), ("FR3012345A1", "FR", "3012345", "A1"), ("TWI123456B", "TW", "I123456", "B"),
    ("CN112345678A", "CN", "112345678", "A"), ("USD912345S", "US", "D912345", "S"), ("au2019100123", "AU", "2019100123", ""),
])
def test_publication_numbers_of_every_office(text, office, number, kind):
    pub = patent_numbers.parse_publication(text)
    assert (pub.office, pub.number, pub.kind) == (office, number, kind)


@pytest.mark.parametrize("text", ["EP31234567A1", "XX1234567A", "US10312345Q7", "WO20201234A1", "12345", "CN12345A"])
def test_publication_numbers_checked_per_office(text):
    with pytest.raises(patent_numbers.PatentNumberError):
        patent_numbers.parse_publication(text)


def test_a_foreign_row_with_only_a_publication_number():
    record, errors = _read(["公开（公告）号", "标题", "法律状态"], ["US10312345B2", "Lithium battery", "Granted"])
    assert errors == []
    assert (record.application_number, record.office, record.kind_code) == ("US10312345", "US", "B2")
    assert record.patent_type == PatentType.INVENTION
    record, errors = _read(["公开（公告）号", "标题"], ["KR202123456U", "실용"])
    assert errors == [] or errors[0].reason  # KR 9 digits + U is a utility model shape
    record, errors = _read(["申请号", "受理局", "标题"], ["16/123,456", "美国", "Battery"])
    assert errors == [] and record.application_number == "US16123456" and record.office == "US"


def test_cn_numbers_keep_their_check_character():
    bad = CN[:-1] + ("0" if CN[-1] != "0" else "1")
    record, errors = _read(["申请号", "标题"], [bad, "一种锂电池"])
    assert record is None and "check character" in errors[0].reason


def test_office_disagreeing_with_the_publication_is_an_error():
    record, errors = _read(["公开（公告）号", "受理局", "标题"], ["EP3123456A1", "US", "x"])
    assert record is None and errors[0].params == {"pub_office": "EP", "office": "US"}


def test_trademark_export_headers_and_statuses():
    headers = rules.map_headers(["注册号/申请号", "商标名称", "国际分类", "申请人名称（中文）", "申请日期", "注册公告日期", "商标状态"],
                                rules.TRADEMARK_HEADERS, rules.TRADEMARK_REQUIRED)
    record, errors = rules.read_trademark_row(["12345678", "烁科", "第9类", "山西烁科晶体有限公司", "2019-01-02",
                                               "2020-03-04", "商标已注册"], headers)
    assert errors == [] and record.nice_class == 9 and record.status.value == "registered"
