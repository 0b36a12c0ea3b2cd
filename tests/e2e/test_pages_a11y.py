"""The ten key pages in a real browser: axe-core finds no critical or serious violation, in Chinese
and English; on a 390 px phone the tables stack instead of squeezing titles to a character a line.

axe-core is the npm package, injected by Playwright: `.ci/install-axe` puts it in a temporary
node_modules folder and `.ci/run` exports AXE_CORE_JS. Without it the axe checks skip (locally)
or fail (in CI, where REQUIRE_BROWSER=1)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.extensions import db
from app.models import AllianceMembership, Role
from app.services import deals as deal_service
from tests.conftest import make_center, make_listing, make_need, make_org, make_patent, make_user
from tests.e2e.test_journeys import log_in

AXE = Path(os.environ.get("AXE_CORE_JS") or "/tmp/ipx-axe/node_modules/axe-core/axe.min.js")
BLOCKING = ("critical", "serious")


@pytest.fixture
def axe_js():
    if not AXE.is_file():
        message = f"axe-core is not installed at {AXE} (run .ci/install-axe; .ci/run does it)"
        (pytest.fail if os.environ.get("REQUIRE_BROWSER") == "1" else pytest.skip)(message)
    return str(AXE)


@pytest.fixture
def world():
    center = make_center(approval_date=date.today() - timedelta(days=100))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF, email="staff@a11y.cn")
    seller = make_user(org=make_org("university", name="太原理工大学"), email="seller@a11y.cn")
    buyer = make_user(org=make_org("sme", name="太原市锂想新能源材料有限公司"), email="buyer@a11y.cn")
    bureau = make_user(org=make_org("bureau", name="太原市市场监督管理局"), role=Role.BUREAU_STAFF, email="bureau@a11y.cn")
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    patents = [make_patent(seller.org, title=f"一种石墨烯导热膜的制备方法及其在动力电池热管理中的应用{i}") for i in range(3)]
    listing = make_listing(seller.org, patents, title="石墨烯导热膜专利许可", offers_ordinary=True, price_fen=12_500_000)
    need = make_need(buyer.org, title="寻求石墨烯导热膜技术", industry="carbon_materials")
    deal = deal_service.start_from_listing(buyer, listing, kind="ordinary", price_fen=12_500_000)
    return {"center": center, "staff": staff, "seller": seller, "buyer": buyer, "bureau": bureau,
            "listing": listing, "need": need, "deal": deal}


def key_pages(w) -> list[tuple[str, str]]:
    """(who, path) for the ten key pages."""
    c = w["center"].id
    return [
        ("staff", "/"), ("staff", "/listings/"), ("staff", f"/listings/{w['listing'].id}"),
        ("buyer", f"/matching/needs/{w['need'].id}"), ("staff", "/search?q=石墨烯"),
        ("staff", f"/targets/centers/{c}"), ("staff", f"/program/centers/{c}"), ("buyer", f"/deals/{w['deal'].id}"),
        ("staff", "/database/analysis"), ("bureau", "/program/bureau"),
    ]


def _violations(page, axe_js) -> list[dict]:
    page.add_script_tag(path=axe_js)
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + ((n.any[0] || {}).message || ''))}))""")


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_key_pages_have_no_serious_accessibility_violations(browser, live_server, world, axe_js, locale):
    found = {}
    for who in ("staff", "buyer", "bureau"):
        context = browser.new_context(locale=locale.replace("_", "-"), bypass_csp=True)  # the CSP would refuse the injected axe
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, live_server, world[who].email)
        page.wait_for_load_state("load")
        if locale == "en":
            page.goto(f"{live_server}/lang/en?next=/")
        for owner, path in key_pages(world):
            if owner != who:
                continue
            response = page.goto(live_server + path)
            assert response.status == 200, path
            bad = [v for v in _violations(page, axe_js) if v["impact"] in BLOCKING]
            if bad:
                found[path] = bad
        context.close()
    assert not found, found


def test_tables_stack_on_a_phone(browser, live_server, world):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    page = context.new_page()
    log_in(page, live_server, world["staff"].email)
    page.wait_for_load_state("load")
    for path in (f"/listings/{world['listing'].id}", f"/targets/centers/{world['center'].id}"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        widths = page.evaluate("""() => [...document.querySelectorAll('main table.table tbody td')]
            .filter(td => td.offsetParent && td.textContent.trim().length > 6).map(td => td.getBoundingClientRect().width)""")
        assert widths and min(widths) > 200, (path, widths)
    context.close()


def test_listing_patent_picker_filters_names_and_warns(page, live_server, world):
    seller = world["seller"]
    make_patent(seller.org, title="一种碳化硅单晶衬底的加工方法", legal_status="lapsed")
    log_in(page, live_server, seller.email)
    page.wait_for_load_state("load")
    page.goto(f"{live_server}/listings/new")
    assert page.locator(".patent-option:visible").count() == 4
    page.fill("#patent-filter", "碳化硅")
    assert page.locator(".patent-option:visible").count() == 1
    assert page.locator("#patent-warning").is_hidden()
    page.locator(".patent-option:visible input").check()
    assert page.input_value("input[name=title]") == "一种碳化硅单晶衬底的加工方法"
    assert page.locator("#patent-warning").is_visible()
    page.fill("#patent-filter", "失效")  # legal status words find patents too
    assert page.locator(".patent-option:visible").count() == 1


def test_applicants_chart_names_every_bar(page, live_server, world):
    for n in range(20):
        org = make_org("enterprise", name=f"山西第{n + 1}号新材料科技股份有限公司")
        for _ in range(n % 3 + 1):
            make_patent(org)
    log_in(page, live_server, world["staff"].email)
    page.wait_for_load_state("load")
    page.goto(f"{live_server}/database/analysis")
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas[data-chart]').length")
    ticks = page.evaluate("""() => [...document.querySelectorAll('canvas[data-chart]')]
        .filter(c => JSON.parse(c.dataset.chart).type === 'hbar')
        .map(c => [window.Chart.getChart(c).scales.y.ticks.length, JSON.parse(c.dataset.chart).labels.length])""")
    assert ticks and all(shown == total and total >= 20 for shown, total in ticks), ticks
