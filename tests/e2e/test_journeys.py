"""Key user journeys in a real browser against a live server and the real database."""

from __future__ import annotations

import re
from datetime import date, timedelta


from app.domain import credit_code
from app.extensions import db
from app.models import AllianceMembership, Deal, Role
from tests.conftest import PASSWORD, make_center, make_listing, make_org, make_patent, make_user


def log_in(page, base, email, password=PASSWORD):
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form [type=submit]")


def act(page, base, deal_id, action, fields=None):
    page.goto(f"{base}/deals/{deal_id}")
    form = page.locator(f"form[action$='/deals/{deal_id}/{action}']")
    for name, value in (fields or {}).items():
        form.locator(f"[name='{action}-{name}']").fill(value)
    form.locator("[type=submit]").click()


def test_sme_buys_a_licence_and_the_center_count_rises(page, browser, live_server):
    base = live_server
    center = make_center(approval_date=date.today() - timedelta(days=30))  # project year 1: target 20
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    owner = make_user(org=make_org("university", name="太原理工大学"))
    db.session.add(AllianceMembership(center_id=center.id, org_id=owner.org_id, status="approved"))
    db.session.commit()
    make_listing(owner.org, [make_patent(owner.org), make_patent(owner.org)], title="石墨烯导热膜技术许可",
               offers_ordinary=True, price_fen=30_000_000)

    # an SME registers
    page.goto(f"{base}/auth/register")
    page.fill("input[name=org_name]", "太原市锂想新能源材料有限公司")
    page.select_option("select[name=org_kind]", "sme")
    page.fill("input[name=credit_code]", credit_code.make("91140105MA0LX8Y2K"))
    page.fill("input[name=user_name]", "郭鹏")
    page.fill("input[name=email]", "guopeng@lixiang.cn")
    page.fill("input[name=password]", "lithium-anode-2026")
    page.fill("input[name=password2]", "lithium-anode-2026")
    page.click("form [type=submit]")
    page.wait_for_url(re.compile(r"/orgs/\d+"))

    # posts a need
    page.goto(f"{base}/needs/new")
    page.fill("input[name=title]", "寻求石墨烯导热膜量产技术")
    page.fill("textarea[name=description]", "用于动力电池热管理的石墨烯导热膜，年产能十万平方米。")
    page.select_option("select[name=industry]", "carbon_materials")
    page.fill("input[name=ipc_hints]", "C01B")
    page.check("input[name=kinds_wanted][value=ordinary]")
    page.fill("input[name=budget_max]", "500000")
    page.click("[name=publish]")
    page.wait_for_url(re.compile(r"/needs/\d+$"))
    assert "寻求石墨烯导热膜量产技术" in page.content()

    # sees the matching offer with the reasons, and expresses interest
    page.click("text=查看匹配")
    page.wait_for_url(re.compile(r"/matching/needs/\d+$"))
    card = page.locator("article", has_text="石墨烯导热膜技术许可")
    card.locator("summary", has_text="匹配理由").click()
    reasons = card.inner_text()
    assert "石墨烯" in reasons and "C01B 32/184" in reasons and "预算" in reasons
    card.locator("a", has_text="表达意向").click()
    page.fill("textarea[name=message]", "我们对贵方的石墨烯导热膜技术很感兴趣，希望获得普通许可。")
    page.click("form [type=submit]")
    page.wait_for_url(re.compile(r"/threads/\d+$"))
    thread_url = page.url

    # the owner replies with an offer
    owner_page = browser.new_context().new_page()
    log_in(owner_page, base, owner.email)
    owner_page.goto(thread_url)
    offer_form = owner_page.locator("form[action$='/offers']")
    offer_form.locator("select[name=offer-kind]").select_option("ordinary")
    offer_form.locator("select[name=offer-payment]").select_option("lump_sum")
    offer_form.locator("input[name=offer-price]").fill("300000")
    offer_form.locator("input[name=offer-term_months]").fill("36")
    offer_form.locator("[type=submit]").click()
    owner_page.wait_for_load_state()
    assert "300,000" in owner_page.inner_text("main") or "30 万" in owner_page.inner_text("main")

    # the SME accepts: a draft deal opens
    page.goto(thread_url)
    page.locator("form[action*='/accept'] [type=submit]").click()
    page.wait_for_url(re.compile(r"/deals/\d+$"))  # the accepted offer opened a draft deal
    deal_id = int(page.url.rsplit("/", 1)[1])
    assert db.session.get(Deal, deal_id).price_fen == 30_000_000

    act(page, base, deal_id, "sign")
    act(owner_page, base, deal_id, "sign")
    act(page, base, deal_id, "fund")
    act(owner_page, base, deal_id, "record", {"recordal_number": "X2026140000123", "recordal_date": date.today().isoformat()})
    act(page, base, deal_id, "complete")
    page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(Deal, deal_id).status == "completed"

    # the center's dashboard shows the two patents counted
    staff_page = browser.new_context().new_page()
    log_in(staff_page, base, staff.email)
    staff_page.goto(f"{base}/targets/centers/{center.id}")
    assert re.search(r"\b2\s*/\s*20\b", staff_page.inner_text("main"))
    owner_page.context.close()
    staff_page.context.close()


def test_language_switch(page, live_server):
    page.goto(f"{live_server}/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "登录" in page.inner_text("body")
    page.goto(f"{live_server}/lang/en?next=/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Log in" in page.inner_text("body")


def test_invalid_form_keeps_input_and_shows_errors(page, live_server):
    user = make_user()
    log_in(page, live_server, user.email)
    page.goto(f"{live_server}/patents/new")
    page.fill("input[name=application_number]", "202010566088.1")
    page.fill("input[name=title]", "一种碳化硅衬底的制备方法")
    page.fill("input[name=ipc]", "H01L 21/02")
    page.fill("input[name=filing_date]", "2020-06-19")
    page.click("form [type=submit]")
    assert page.locator(".invalid-feedback").first.is_visible()
    assert page.input_value("input[name=title]") == "一种碳化硅衬底的制备方法"


def test_import_with_errors_then_search_with_a_facet(page, live_server, tmp_path):
    from app.domain import patent_numbers

    center = make_center(approval_date=date.today() - timedelta(days=30))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    good = [patent_numbers.make(2021, "1", 610001), patent_numbers.make(2021, "1", 610002),
            patent_numbers.make(2022, "2", 620003)]
    bad_number = good[0][:-1] + ("0" if good[0][-1] != "0" else "1")  # wrong check digit
    csv = tmp_path / "碳化硅专利.csv"
    csv.write_text(
        "申请号,名称,摘要,专利类型,IPC分类号,申请人,申请日,法律状态\n"
        f"{good[0]},一种碳化硅单晶衬底的制备方法,本发明涉及碳化硅晶体生长。,发明,C30B 29/36,山西烁科晶体有限公司,2021-03-02,授权\n"
        f"{good[1]},一种碳化硅外延片的缺陷检测方法,碳化硅外延片缺陷的光学检测。,发明,H01L 21/66,山西烁科晶体有限公司,2021-05-10,实质审查\n"
        f"{good[2]},一种碳化硅晶片清洗装置,用于碳化硅晶片的清洗。,实用新型,H01L 21/67,中北大学,2022-01-20,授权\n"
        f"{bad_number},一种校验位错误的专利,摘要,发明,H01L 21/02,某公司,2021-01-01,授权\n",
        encoding="utf-8",
    )
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server}/database/imports/new")
    page.select_option("select[name=kind]", "patents")
    page.set_input_files("input[name=file]", str(csv))
    page.click("form [type=submit]")
    page.wait_for_url(re.compile(r"/database/imports/\d+$"))
    # the job runs outside the request; the page follows its progress
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # (the page's CSP forbids evaluated scripts, so poll from here)
        if (page.inner_text("[data-field=errors]").strip(), page.inner_text("[data-field=created]").strip()) == ("1", "3"):
            break
        page.wait_for_timeout(300)
    page.reload()
    assert page.inner_text("[data-field=errors]").strip() == "1" and page.inner_text("[data-field=created]").strip() == "3"
    row = page.locator("table tbody tr").first.inner_text()
    assert row.split("\t")[0].strip() == "5" and bad_number in row  # the bad row, with its line and value

    page.goto(f"{live_server}/search?q=碳化硅")
    assert re.search(r"\b3\b", page.locator("[role=status]").first.inner_text())
    page.locator("a[href*='f_type=utility_model']").first.click()
    page.wait_for_url(re.compile(r"f_type=utility_model"))
    assert re.search(r"\b1\b", page.locator("[role=status]").first.inner_text())
    assert "一种碳化硅晶片清洗装置" in page.inner_text("main")
