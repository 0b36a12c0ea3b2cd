"""The yearly report files: asked for on the report page, made by a background job (at once under the
tests' JOBS_WITHOUT_QUEUE = "sync", by the RQ worker with Redis), kept on their row, downloaded later."""

import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app import jobs
from app.models import AuditRecord, OrgKind, ReportFile, Role
from app.reports import pdf, xlsx
from app.services import report_jobs
from app.services import program as ps
from tests.conftest import login, make_center, make_org, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(app, db, monkeypatch):
    """A center in its project year 2 (approved 2024-03-01, today 2025-06-01) with one PCT filing."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2025, 6, 1, 2, 0, tzinfo=UTC))
    center = make_center(approval_date=date(2024, 3, 1))
    people = {
        "staff": make_user(center.org, Role.CENTER_STAFF),
        "bureau": make_user(make_org(OrgKind.BUREAU), Role.BUREAU_STAFF),
        "enterprise": make_user(make_org(OrgKind.ENTERPRISE), Role.ORG_ADMIN),
        "other_staff": make_user(make_center(industry="hydrogen").org, Role.CENTER_STAFF),
    }
    ps.add_pct(people["staff"], center, ps.PctData("太原某材料公司", "石墨烯", "PCT/CN2024/000001", "international",
                                                   date(2024, 6, 1)), today=date(2025, 6, 1))
    return center, people


def client_for(app, user):
    client = app.test_client()
    login(client, user)
    return client


def files_url(center, year=2):
    return f"/program/centers/{center.id}/report/{year}/files"


def rows(db):
    db.session.expire_all()
    return db.session.scalars(sa.select(ReportFile).order_by(ReportFile.id)).all()


def queued(db, center, fmt="xlsx", year=2, status="queued"):
    row = ReportFile(center_id=center.id, year=year, fmt=fmt, status=status)
    db.session.add(row)
    db.session.commit()
    return row


def test_an_xlsx_is_made_in_the_background_and_downloaded(app, db, world):
    center, people = world
    staff = client_for(app, people["staff"])
    response = staff.post(files_url(center), data={"fmt": "xlsx"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/report/2")
    [row] = rows(db)
    assert (row.status.value, row.fmt.value, row.year, row.requested_by_id) == ("done", "xlsx", 2, people["staff"].id)
    assert row.size_bytes == len(row.content) > 0 and row.started_at and row.finished_at
    book = load_workbook(io.BytesIO(row.content))
    assert book["tasks"]["A1"].value == center.name
    pct = next(r for r in book["tasks"].iter_rows(min_row=5, values_only=True) if r[0] == 8)
    assert pct[5] == 1 and pct[6] == 20  # the center's one PCT filing against the rule's 20
    assert book["targets"]["D2"].value == 20  # project year 1's deal target
    audit = db.session.scalar(sa.select(AuditRecord).where(AuditRecord.action == "report.requested"))
    assert (audit.actor_id, audit.object_id, audit.data) == (people["staff"].id, row.id, {"fmt": "xlsx", "year": 2})

    download_url = f"{files_url(center)}/{row.id}"
    page = staff.get(f"/program/centers/{center.id}/report/2")
    assert download_url in page.get_data(as_text=True) and "Refresh" not in page.headers
    download = staff.get(download_url)
    assert download.status_code == 200 and download.mimetype == XLSX and download.data == row.content
    assert f"center-{center.id}-year-2-evaluation.xlsx" in download.headers["Content-Disposition"]
    old = staff.get(f"/program/centers/{center.id}/report/2.xlsx")  # the old link: the newest file made
    assert old.status_code == 302 and old.headers["Location"].endswith(download_url)


def test_a_file_is_written_in_the_language_of_who_asked(app, db, world):
    center, people = world
    staff = client_for(app, people["staff"])
    staff.post(files_url(center), data={"fmt": "xlsx"})
    staff.get("/lang/en")
    staff.post(files_url(center), data={"fmt": "xlsx"})  # not the Chinese one: a file of its own
    chinese, english = rows(db)
    assert (chinese.locale, english.locale) == ("zh_CN", "en")
    title = lambda row: load_workbook(io.BytesIO(row.content))["tasks"]["B1"].value  # noqa: E731
    assert title(english) == "Yearly evaluation" and title(chinese) != "Yearly evaluation"
    page = staff.get(f"/program/centers/{center.id}/report/2").get_data(as_text=True)
    assert "XLSX · English" in page and "XLSX · 中文" in page
    old = staff.get(f"/program/centers/{center.id}/report/2.xlsx")  # the newest in the reader's language
    assert old.headers["Location"].endswith(f"{files_url(center)}/{english.id}")


def test_a_pdf_is_made_too(app, db, world):
    center, people = world
    bureau = client_for(app, people["bureau"])  # the bureau sees every center's report, and makes files of it
    assert bureau.post(files_url(center, 1), data={"fmt": "pdf"}).status_code == 302
    [row] = rows(db)
    assert row.status.value == "done" and row.content.startswith(b"%PDF")
    download = bureau.get(f"/program/centers/{center.id}/report/1.pdf", follow_redirects=True)
    assert download.status_code == 200 and download.mimetype == "application/pdf" and download.data == row.content


def test_a_second_request_while_one_is_on_its_way_gets_that_one(app, db, world):
    center, people = world
    waiting = queued(db, center, "xlsx")
    staff = client_for(app, people["staff"])
    assert staff.post(files_url(center), data={"fmt": "xlsx"}).status_code == 302
    assert [(r.id, r.status.value) for r in rows(db)] == [(waiting.id, "queued")]
    assert report_jobs.request_report(people["staff"], center, 2, "xlsx").id == waiting.id
    page = staff.get(f"/program/centers/{center.id}/report/2")
    assert page.headers["Refresh"] == "3"  # reloads itself until the file is made
    waiting.status = "running"
    db.session.commit()
    assert report_jobs.request_report(people["staff"], center, 2, "xlsx").id == waiting.id
    # another format, or another year, is another file
    assert report_jobs.request_report(people["staff"], center, 2, "pdf").id != waiting.id
    assert report_jobs.request_report(people["staff"], center, 1, "xlsx").id != waiting.id
    assert len(rows(db)) == 3


@pytest.mark.parametrize("who, code", [("other_staff", 404), ("enterprise", 404)])
def test_outsiders_neither_make_nor_download_files(app, db, world, who, code):
    """They get what the report page gives them today."""
    center, people = world
    done = client_for(app, people["staff"])
    done.post(files_url(center), data={"fmt": "xlsx"})
    [row] = rows(db)
    client = client_for(app, people[who])
    assert client.get(f"/program/centers/{center.id}/report/2").status_code == code
    assert client.post(files_url(center), data={"fmt": "xlsx"}).status_code == code
    assert client.post(files_url(center), data={"fmt": "pdf"}).status_code == code
    assert client.get(f"{files_url(center)}/{row.id}").status_code == code
    assert client.get(f"/program/centers/{center.id}/report/2.xlsx").status_code == code
    assert len(rows(db)) == 1
    anonymous = app.test_client()
    for response in (anonymous.post(files_url(center), data={"fmt": "xlsx"}),
                     anonymous.get(f"{files_url(center)}/{row.id}")):
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_only_a_finished_file_of_this_center_and_year_is_downloaded(app, db, world):
    center, people = world
    staff = client_for(app, people["staff"])
    staff.post(files_url(center), data={"fmt": "xlsx"})
    [made] = rows(db)
    assert made.status.value == "done"
    waiting, failed = queued(db, center), queued(db, center, "pdf", status="failed")
    foreign = queued(db, make_center(industry="biomedicine"), status="done")
    for row in (waiting, failed, foreign):
        assert staff.get(f"{files_url(center)}/{row.id}").status_code == 404, row.status
    assert staff.get(f"{files_url(center, 1)}/{made.id}").status_code == 404  # the file of year 2, not 1
    assert staff.get(f"{files_url(center, 3)}/{made.id}").status_code == 404  # year 3 has not begun
    assert staff.get(f"{files_url(center)}/999999").status_code == 404
    assert staff.get(f"{files_url(center)}/{made.id}").status_code == 200


def test_without_a_chinese_font_the_pdf_fails_with_a_message(app, db, world, monkeypatch):
    center, people = world

    def no_font(ev):
        raise pdf.FontMissing("no font")

    monkeypatch.setattr(pdf, "evaluation_report", no_font)
    staff = client_for(app, people["staff"])
    staff.get("/lang/en")
    assert staff.post(files_url(center), data={"fmt": "pdf"}).status_code == 302
    [row] = rows(db)
    assert row.status.value == "failed" and row.content is None and row.message == report_jobs.NO_FONT
    page = staff.get(f"/program/centers/{center.id}/report/2").get_data(as_text=True)
    assert "no Chinese font is installed on the server" in page
    old = staff.get(f"/program/centers/{center.id}/report/2.pdf")
    assert old.status_code == 302 and old.headers["Location"].endswith("/report/2")  # no PDF to lead to


def test_an_unexpected_error_is_written_on_the_row_and_raised_for_the_queue(app, db, world, monkeypatch):
    center, people = world

    def broken(ev):
        raise RuntimeError("disk full")

    monkeypatch.setattr(xlsx, "evaluation_report", broken)
    row = queued(db, center)
    with pytest.raises(RuntimeError):
        report_jobs.build(row.id)
    [row] = rows(db)
    assert row.status.value == "failed" and row.message == report_jobs.UNEXPECTED and row.finished_at


def test_old_links_and_odd_requests_make_nothing(app, db, world):
    center, people = world
    staff = client_for(app, people["staff"])
    for fmt in ("xlsx", "pdf"):
        response = staff.get(f"/program/centers/{center.id}/report/2.{fmt}")
        assert response.status_code == 302 and response.headers["Location"].endswith("/report/2")
    for data in ({}, {"fmt": "docx"}, {"fmt": "XLSX"}):
        response = staff.post(files_url(center), data=data)
        assert response.status_code == 302 and response.headers["Location"].endswith("/report/2")
    assert staff.post(files_url(center, 3), data={"fmt": "xlsx"}).status_code == 404  # year 3 has not begun
    assert staff.get(f"{files_url(center)}/1").status_code == 404
    assert rows(db) == []


def test_the_page_lists_the_latest_files_newest_first(app, db, world):
    center, people = world
    made = [queued(db, center, status="done") for _ in range(12)]
    listed = report_jobs.reports_for(center, 2)
    assert [r.id for r in listed] == [r.id for r in reversed(made)][:10]
    assert report_jobs.reports_for(center, 1) == []
    db.session.expire_all()
    listed = report_jobs.reports_for(center, 2)
    assert all("content" not in sa.inspect(r).dict for r in listed)  # the bytes stay in the database
    page = client_for(app, people["staff"]).get(f"/program/centers/{center.id}/report/2")
    assert page.status_code == 200 and "Refresh" not in page.headers


def test_with_redis_the_worker_makes_the_queued_file(app, db, world, job_queue):
    center, people = world
    staff = client_for(app, people["staff"])
    assert staff.post(files_url(center), data={"fmt": "xlsx"}).status_code == 302
    queue = job_queue
    assert queue.count == 1
    [row] = rows(db)
    assert row.status.value == "queued"  # nothing ran in this process
    assert staff.get(f"/program/centers/{center.id}/report/2").headers["Refresh"] == "3"
    jobs.work(burst=True)  # `flask worker --burst`: no request, so no language but the default one
    [row] = rows(db)
    assert row.status.value == "done" and queue.count == 0
    assert load_workbook(io.BytesIO(row.content))["targets"]["D2"].value == 20


def test_a_file_stuck_on_its_way_is_given_up_and_made_again(app, db, world):
    """A worker that died leaves its row "running": after ReportFile.STALE_AFTER it blocks nothing."""
    from datetime import timedelta

    from app.models._types import utcnow

    center, people = world
    stuck = ReportFile(center_id=center.id, year=2, fmt="xlsx", status="running", requested_by_id=people["staff"].id,
                       created_at=utcnow() - ReportFile.STALE_AFTER - timedelta(minutes=1))
    db.session.add(stuck)
    db.session.commit()
    assert stuck.stale and not stuck.pending  # the page stops reloading for it, without writing anything
    row = report_jobs.request_report(people["staff"], center, 2, "xlsx")
    assert row.id != stuck.id and row.status.value == "done"
    db.session.refresh(stuck)
    assert stuck.status.value == "failed" and "not made in time" in stuck.message
