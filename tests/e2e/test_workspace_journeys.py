"""Center staff and the bureau find their work by clicking from the workspace, in a real browser.
Each journey keeps screenshots of its key pages at 1366 px and 390 px; a failing run leaves them in
test-artifacts/ (with the failing page, see conftest.py); KEEP_SCREENSHOTS=1 keeps them always."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import AllianceMembership, Role
from tests.conftest import make_center, make_org, make_patent, make_user
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journeys import log_in

WIDTHS = (1366, 390)


@pytest.fixture
def shots(page, request):
    """shoot(name): full-page screenshots of the current page at both widths; written out on failure."""
    taken: dict[str, bytes] = {}

    def shoot(name: str) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            taken[f"{request.node.name}-{name}-{width}.png"] = page.screenshot(full_page=True)
            fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
            assert fits or name.endswith("table"), f"{name} is wider than {width} px"
        page.set_viewport_size({"width": 1366, "height": 900})

    yield shoot
    failed = getattr(request.node, "rep_call", None)
    if (failed is not None and failed.failed) or os.environ.get("KEEP_SCREENSHOTS") == "1":
        ARTIFACTS.mkdir(exist_ok=True)
        for name, png in taken.items():
            (ARTIFACTS / name).write_bytes(png)


def open_menu(page, group: str, item: str) -> None:
    """Click a navbar dropdown and one of its items (the wide navbar: the page is 1366 px wide)."""
    page.click(f"#nav-{group}")
    page.locator(f"#nav-{group} + .dropdown-menu").get_by_role("link", name=item, exact=True).click()


def test_center_staff_from_the_workspace_to_an_offline_deal_and_the_dashboard(page, live_server, shots, tmp_path):
    base = live_server
    center = make_center(approval_date=date.today() - timedelta(days=40))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    applicant = make_org("enterprise", name="山西晋兴碳材料有限公司")
    db.session.add(AllianceMembership(center_id=center.id, org_id=applicant.id, status="pending", message="申请加入联盟"))
    db.session.commit()
    seller = make_org("university", name="中北大学")
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.id, status="approved"))  # a party of the alliance
    db.session.commit()
    patent = make_patent(seller)
    page.set_viewport_size({"width": 1366, "height": 900})

    log_in(page, base, staff.email)
    page.wait_for_url(re.compile(r"/workspace$"))
    todo = page.locator("#todo-list")
    assert "入盟申请" in todo.inner_text()
    assert page.locator("#main-nav").get_by_text("工作台").locator("span.badge").inner_text().startswith("1")
    shots("workspace")

    todo.get_by_role("link", name="入盟申请").click()
    page.wait_for_url(re.compile(rf"/centers/{center.id}$"))
    assert "山西晋兴碳材料有限公司" in page.locator("#pending-title").locator("xpath=..").inner_text()

    open_menu(page, "center", "登记线下成交")
    page.wait_for_url(re.compile(rf"/targets/centers/{center.id}/offline$"))
    page.fill("input[name=seller]", "中北大学")
    page.fill("input[name=buyer]", "山西晋兴碳材料有限公司")
    page.select_option("select[name=kind]", "transfer")
    page.fill("textarea[name=patents]", patent.application_number)
    page.fill("input[name=price]", "120000")
    page.fill("input[name=completed_on]", (date.today() - timedelta(days=2)).isoformat())
    page.fill("input[name=recordal_number]", "ZLBG2026000123")
    page.fill("input[name=recordal_date]", (date.today() - timedelta(days=3)).isoformat())  # recorded, then completed
    contract = tmp_path / "合同.pdf"
    contract.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("input[name=contract]", str(contract))
    shots("offline-form")
    page.get_by_role("button", name="登记交易").click()
    page.wait_for_url(re.compile(r"/deals/\d+$"))
    assert "交易已登记" in page.locator(".flashes").inner_text()

    open_menu(page, "center", "目标看板")
    page.wait_for_url(re.compile(rf"/targets/centers/{center.id}$"))
    board = page.locator("main").inner_text()
    assert re.search(r"\b1\s*/\s*20\b", board), board[:800]  # project year 1: one patent of the 20 targeted
    shots("dashboard")


def test_bureau_from_the_workspace_to_a_centers_board_and_its_yearly_report_pdf(page, live_server, shots):
    base = live_server
    bureau = make_user(org=make_org("bureau", name="太原市市场监督管理局（知识产权局）"), role=Role.BUREAU_STAFF)
    center = make_center(approval_date=date.today() - timedelta(days=400))
    make_user(org=center.org, role=Role.CENTER_STAFF)
    page.set_viewport_size({"width": 1366, "height": 900})

    log_in(page, base, bureau.email)
    page.wait_for_url(re.compile(r"/workspace$"))
    assert center.name in page.locator("#all-centers-title").locator("xpath=..").inner_text()
    shots("workspace")

    open_menu(page, "city", "各中心任务看板")
    page.wait_for_url(re.compile(r"/program/bureau$"))
    shots("all-centers-table")
    page.get_by_role("link", name=center.name).first.click()
    page.wait_for_url(re.compile(rf"/program/centers/{center.id}$"))
    assert "建设任务面板" in page.content()
    shots("board")

    page.get_by_role("link", name="第 1 项目年度").click()
    page.wait_for_url(re.compile(rf"/program/centers/{center.id}/report/1$"))
    page.get_by_role("button", name="生成 PDF").click()
    page.wait_for_url(re.compile(rf"/program/centers/{center.id}/report/1$"))
    shots("report")
    with page.expect_download() as download:
        page.locator("#report-files").get_by_role("link", name="下载").first.click()
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


@pytest.mark.parametrize("role", [Role.CENTER_STAFF, Role.BUREAU_STAFF, Role.PLATFORM_ADMIN, Role.ORG_ADMIN])
def test_the_navbar_fits_1366_in_both_languages_and_collapses_at_390(page, live_server, role):
    base = live_server
    if role == Role.CENTER_STAFF:
        user = make_user(org=make_center().org, role=role, name="欧阳文静")
    else:
        user = make_user(org=make_org("bureau" if role == Role.BUREAU_STAFF else "enterprise"), role=role,
                         name="欧阳文静")
    log_in(page, base, user.email)
    page.wait_for_url(re.compile(r"/workspace$"))
    for lang in ("zh_CN", "en"):
        page.goto(f"{base}/lang/{lang}?next=/workspace")
        page.set_viewport_size({"width": 1366, "height": 900})
        box = page.locator("nav.navbar").bounding_box()
        assert box["height"] < 70, f"{lang}: the navbar wraps ({box['height']} px high)"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
        assert page.locator(".navbar-toggler").is_hidden()
        page.set_viewport_size({"width": 390, "height": 900})
        assert page.locator(".navbar-toggler").is_visible() and page.locator("#main-nav").is_hidden()
        page.click(".navbar-toggler")
        page.locator("#main-nav").wait_for(state="visible")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        page.click(".navbar-toggler")
