"""The workspace every role lands on, its to-do list ("待我处理") and the navbar built from it."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import AllianceMembership, OrgKind, Role
from app.services import deals as ds
from app.services import todo
from tests.conftest import PASSWORD, login, make_center, make_listing, make_org, make_patent, make_user


@pytest.mark.parametrize("role, kind", [
    (Role.ORG_ADMIN, OrgKind.ENTERPRISE), (Role.MEMBER, OrgKind.UNIVERSITY), (Role.CENTER_STAFF, OrgKind.CENTER),
    (Role.BUREAU_STAFF, OrgKind.BUREAU), (Role.EXPERT, OrgKind.UNIVERSITY), (Role.PLATFORM_ADMIN, OrgKind.ENTERPRISE),
])
def test_every_role_lands_on_its_workspace(client, role, kind):
    if kind == OrgKind.CENTER:
        user = make_user(org=make_center().org, role=role)
    else:
        user = make_user(org=make_org(kind), role=role)
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/workspace")
    html = client.get("/workspace").get_data(as_text=True)
    assert "<h1 class=\"h3 mb-0\">工作台</h1>" in html and "待我处理" in html
    groups = re.findall(r'id="nav-(\w+)"', html)
    expected = {
        Role.ORG_ADMIN: ["business", "market", "account"], Role.MEMBER: ["business", "market", "account"],
        Role.CENTER_STAFF: ["center", "database", "market", "account"],
        Role.BUREAU_STAFF: ["city", "database", "market", "account"], Role.EXPERT: ["reviews", "market", "account"],
        Role.PLATFORM_ADMIN: ["city", "database", "market", "account"],
    }[role]
    assert groups == expected


def test_workspace_needs_login(client):
    assert client.get("/workspace").status_code == 302


def _todos(user):
    return {t.key: t for t in todo.summary(user)[0]}


def test_deal_steps_wait_for_the_side_that_acts(client):
    seller = make_user(org=make_org("university"))
    buyer = make_user(org=make_org("sme"))
    listing = make_listing(seller.org, [make_patent(seller.org)], offers_ordinary=True, price_fen=10_000_000)
    deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=10_000_000)
    assert _todos(seller)["deals_to_sign"].values == {"deal_id": deal.id}
    assert _todos(buyer)["deals_to_sign"].count == 1
    ds.sign(buyer, deal.id)
    assert "deals_to_sign" not in _todos(buyer) and _todos(seller)["deals_to_sign"].count == 1
    ds.sign(seller, deal.id)
    assert set(_todos(buyer)) == {"deals_to_fund"} and _todos(seller) == {}
    ds.fund(buyer, deal.id)
    assert set(_todos(seller)) == {"deals_to_record"} and _todos(buyer) == {}

    login(client, seller)
    html = client.get("/workspace").get_data(as_text=True)
    assert f'href="/deals/{deal.id}" data-todo="deals_to_record"' in html and "待国知局备案的交易" in html
    navbar = html.split("</nav>")[0]
    assert re.search(r'工作台 <span class="badge[^"]*"[^>]*>1<', navbar)


def test_many_of_a_kind_link_to_the_list(client):
    seller = make_user(org=make_org("university"))
    buyer = make_user(org=make_org("sme"))
    for _ in range(2):
        listing = make_listing(seller.org, [make_patent(seller.org)], offers_ordinary=True, price_fen=10_000_000)
        ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=10_000_000)
    item = _todos(seller)["deals_to_sign"]
    assert item.count == 2 and item.endpoint == "deals.index" and item.values == {"status": "draft"}


def test_center_staff_see_join_requests_and_the_bureau_sees_nothing_of_them(client):
    center = make_center()
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    applicant = make_org("enterprise")
    db.session.add(AllianceMembership(center_id=center.id, org_id=applicant.id, status="pending"))
    db.session.commit()
    item = _todos(staff)["join_requests"]
    assert item.count == 1 and item.endpoint == "centers.detail" and item.values == {"center_id": center.id}
    other = make_user(org=make_center(industry="high_end_equipment").org, role=Role.CENTER_STAFF)
    assert "join_requests" not in _todos(other)
    assert "join_requests" not in _todos(make_user(org=make_org("bureau"), role=Role.BUREAU_STAFF))


def test_the_navbar_costs_one_cached_lookup(client, monkeypatch):
    """The to-do figures are computed once, then read from the cache until the next commit."""
    user = make_user(org=make_org("sme"))
    login(client, user)
    calls = []
    real = todo.summary
    monkeypatch.setattr(todo, "summary", lambda u, today=None: calls.append(u.id) or real(u, today))
    client.get("/patents/")
    client.get("/needs/")
    client.get("/listings/")
    assert len(calls) == 1
    make_patent(user.org)  # any commit: the next page counts again
    client.get("/patents/")
    assert len(calls) == 2


def test_summary_is_one_query(app, db):
    import sqlalchemy as sa

    user = make_user(org=make_org("sme"))
    assert user.org_id  # loaded before counting
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        todo.summary(user)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1  # a member: no exit-deadline rule to run


def test_analysis_pages_light_the_database_group_not_search(client):
    center = make_center()
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    login(client, staff)
    navbar = client.get("/database/analysis").get_data(as_text=True).split("</nav>")[0]
    assert re.search(r'dropdown-toggle[^"]* active"[^>]*id="nav-database"', navbar)
    assert 'aria-current="page">分析</a>' in navbar
    assert not re.search(r'active"[^>]*>搜索', navbar)
    navbar = client.get(f"/program/centers/{center.id}").get_data(as_text=True).split("</nav>")[0]
    assert re.search(r'dropdown-toggle[^"]* active"[^>]*id="nav-center"', navbar)


def test_exit_deadlines_wait_for_the_bureau_and_the_centers_staff(client):
    from datetime import date, timedelta

    from app.services import applications

    bureau = make_user(org=make_org("bureau"), role=Role.BUREAU_STAFF)
    late, fine = make_center(), make_center(industry="high_end_equipment")
    staff = make_user(org=late.org, role=Role.CENTER_STAFF)
    applications.record_task_book(bureau, late, signed_on=date.today() - timedelta(days=200))  # no equity agreement
    assert "exit_deadlines" not in _todos(make_user(org=fine.org, role=Role.CENTER_STAFF))
    item = _todos(staff)["exit_deadlines"]
    assert item.endpoint == "program.exit_monitor" and item.values == {"center_id": late.id}
    assert _todos(bureau)["exit_deadlines"].values == {"center_id": late.id}
    applications.record_task_book(bureau, fine, signed_on=date.today() - timedelta(days=300))
    item = _todos(bureau)["exit_deadlines"]
    assert item.count == 2 and item.endpoint == "program.bureau"
