"""Imports that a file cannot break: export headers, RFC 4180 CSV in every encoding Excel writes,
foreign numbers, zip bombs, over-cap files, too many errors, dead workers and retries, large uploads."""

import io
import re
import tracemalloc
import zipfile
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from app.domain import patent_numbers
from app.models import ImportJob, Industry, ImportRowError, Patent, Role, Trademark
from app.models._types import utcnow
from app.services import imports
from tests.conftest import login, make_center, make_user

N1 = patent_numbers.make(2021, "1", 610001)
N2 = patent_numbers.make(2021, "1", 610002)
N3 = patent_numbers.make(2021, "2", 610003)


def _staff(industry=Industry.CARBON_MATERIALS):
    center = make_center(industry)
    return center, make_user(center.org, Role.CENTER_STAFF)


def _import(data: bytes, name="patents.csv", kind="patents", who=None):
    center, staff = who or _staff()
    job = imports.create_job(staff, kind, FileStorage(io.BytesIO(data), filename=name), center)
    return imports.run_job(job.id)


def test_a_patsnap_export_with_quotes_commas_and_line_breaks(db):
    text = ('公开（公告）号,申请号,标题,摘要,申请（专利权）人,IPC主分类号,简单法律状态,受理局\r\n'
            f'CN113000001A,{N1},"一种碳化硅衬底,及其制备方法","第一行\r\n第二行，含""引号""",'
            '"山西烁科晶体有限公司 | 太原理工大学",C30B 29/36(2006.01),有效,中国\r\n'
            ',,"A lithium battery",,"Acme, Inc.",H01M 10/052 (2010.01),Active,\r\n')
    text += 'US10312345B2,,"Lithium battery, solid",,Acme Inc.,H01M 10/0562,有效,US\r\n'
    job = _import(text.encode("utf-8-sig"))
    assert job.status.value == "done", job.message
    assert (job.created_rows, job.error_rows) == (2, 1)
    cn = db.session.scalar(sa.select(Patent).where(Patent.application_number == N1))
    assert cn.title == "一种碳化硅衬底,及其制备方法" and cn.abstract == '第一行\r\n第二行,含"引号"'  # full-width made half-width
    assert cn.applicant_names == ["山西烁科晶体有限公司", "太原理工大学"] and cn.office == "CN"
    us = db.session.scalar(sa.select(Patent).where(Patent.application_number == "US10312345"))
    assert (us.office, us.kind_code, us.publication_number, us.title) == ("US", "B2", "US10312345B2", "Lithium battery, solid")
    error = db.session.scalar(sa.select(ImportRowError).where(ImportRowError.job_id == job.id))
    assert error.line == 4 and "application number or the publication number" in error.reason


def test_gb18030_and_semicolons(db):
    text = f"申请号;名称;法律状态/事件\n{N1};一种石墨烯薄膜;授权；权利转移\n{N2};一种碳纤维;未缴年费\n"
    job = _import(text.encode("gb18030"))
    assert (job.status.value, job.created_rows, job.error_rows) == ("done", 2, 0)
    statuses = dict(db.session.execute(sa.select(Patent.title, Patent.legal_status)).all())
    assert statuses == {"一种石墨烯薄膜": "granted", "一种碳纤维": "lapsed"}


def test_a_trademark_export(db):
    text = "注册号/申请号,商标名称,国际分类,申请人名称（中文）,商标状态\n12345678,烁科,第9类,山西烁科晶体有限公司,商标已注册\n"
    job = _import(text.encode(), kind="trademarks")
    assert (job.status.value, job.created_rows) == ("done", 1)
    assert db.session.scalar(sa.select(Trademark.status)) == "registered"


def _xlsx_bomb(path, expanded=1 << 30):
    """A workbook whose sheet is a gigabyte of spaces in about a megabyte of zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * (1 << 22)
            for _ in range(expanded // len(chunk)):
                sheet.write(chunk)
    return path


def test_a_zip_bomb_is_refused_before_parsing(db, tmp_path):
    bomb = _xlsx_bomb(tmp_path / "bomb.xlsx").read_bytes()
    assert len(bomb) < 1_500_000
    tracemalloc.start()
    job = _import(bomb, name="bomb.xlsx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert job.status.value == "failed" and "would expand" in job.message
    assert job.message_params["entry"] == "xl/worksheets/sheet1.xml" and job.message_params["mb"] == 1024
    assert peak < 20 * 1024 * 1024


def test_an_over_cap_file_stops_with_a_clear_message(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    text = f"申请号,名称\n{N1},一\n{N2},二\n{N3},三\n"
    job = _import(text.encode())
    assert job.status.value == "failed" and job.message_params == {"max": 2, "line": 4}
    assert job.created_rows == 2 and db.session.scalar(sa.select(sa.func.count(Patent.id))) == 2


def test_at_most_so_many_errors_are_kept_and_the_rest_counted(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_STORED_ERRORS", 3)
    text = "申请号,名称,申请日\n" + "".join(f"{N1[:-1]}{d},x,notadate\n" for d in "0123456789X" if N1[-1] != d)
    job = _import(text.encode())
    assert job.status.value == "done" and job.error_rows == 10
    assert db.session.scalar(sa.select(sa.func.count(ImportRowError.id))) == 3
    assert job.errors_not_kept == 20 - 3  # two bad cells a row


def test_a_job_whose_worker_died_is_given_up_and_can_be_retried(client, db):
    center, staff = _staff()
    job = _import(f"申请号,名称\n{N1},一\n{N2},二\n".encode(), who=(center, staff))
    # the worker died after its last batch: still "running", no heartbeat for ten minutes
    job.status, job.heartbeat_at, job.finished_at = job.status.RUNNING, utcnow() - timedelta(minutes=10), None
    db.session.commit()
    login(client, staff)
    page = client.get(f"/database/imports/{job.id}").get_data(as_text=True)
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert job.status.value == "failed" and job.message_params == {"minutes": 5}
    assert "重试" in page or "Retry" in page
    response = client.post(f"/database/imports/{job.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert (job.status.value, job.created_rows, job.unchanged_rows) == ("done", 0, 2)  # no doubles
    assert db.session.scalar(sa.select(sa.func.count(Patent.id))) == 2


def test_a_running_job_with_a_heartbeat_is_left_alone_and_others_may_not_retry(client, db):
    center, staff = _staff()
    job = _import(f"申请号,名称\n{N1},一\n".encode(), who=(center, staff))
    job.status, job.heartbeat_at = job.status.RUNNING, utcnow() - timedelta(seconds=30)
    db.session.commit()
    assert imports.give_up_stale_jobs() == 0
    job.status = job.status.FAILED
    db.session.commit()
    other_center, other = _staff(Industry.SEMICONDUCTORS)
    login(client, other)
    assert client.post(f"/database/imports/{job.id}/retry").status_code == 404


def test_an_upload_over_16_mib_goes_through_the_page(app, client, db, monkeypatch):
    """The CSRF check reads the form before any view: the import's larger limit must already apply."""
    queued = []
    monkeypatch.setattr("app.jobs.enqueue_import", lambda _app, job_id: queued.append(job_id))
    center, staff = _staff()
    login(client, staff)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    form = client.get("/database/imports/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    body = f"申请号,名称\n{N1},一\n".encode() + b"\n" * (17 * 1024 * 1024)
    response = client.post("/database/imports/new", data={
        "csrf_token": token, "kind": "patents", "center": str(center.id),
        "file": (io.BytesIO(body), "big.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.status_code
    assert queued and db.session.get(ImportJob, queued[0]).filename == "big.csv"


def test_an_ordinary_workbook_passes_the_expansion_check(db, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["公开（公告）号", "申请号", "标题", "IPC分类号", "简单法律状态"])
    ws.append(["CN113000001A", N1, "一种碳化硅衬底", "Ｃ３０Ｂ　２９／３６", "有效"])
    ws.append(["EP3123456A1", None, "Silicon carbide wafer", "C30B 29/36 (2006.01)", "审中"])
    path = tmp_path / "ok.xlsx"
    wb.save(path)
    job = _import(path.read_bytes(), name="智慧芽.xlsx")
    assert (job.status.value, job.created_rows, job.error_rows) == ("done", 2, 0), job.message
    codes = set(db.session.scalars(sa.select(Patent.office)))
    assert codes == {"CN", "EP"}


def test_a_patent_first_known_by_its_publication_gets_its_application_number_later(db):
    who = _staff()
    first = _import("公开（公告）号,标题\nCN113000001A,一种碳化硅衬底\n".encode(), who=who)
    assert first.created_rows == 1
    assert db.session.scalar(sa.select(Patent.application_number)) == "CN113000001"
    second = _import(f"公开（公告）号,申请号,标题\nCN113000001B,{N1},一种碳化硅衬底\n".encode(), who=who)
    assert (second.created_rows, second.updated_rows) == (0, 1)
    patent = db.session.scalar(sa.select(Patent))
    assert (patent.application_number, patent.publication_number, patent.kind_code) == (N1, "CN113000001B", "B")
