from datetime import date

import sqlalchemy as sa

from app.models import Listing, Need, Role
from tests.conftest import login, make_listing, make_need, make_org, make_patent, make_user


def listing_form(patent_ids, **overrides):
    data = {
        "title": "高导热石墨烯复合膜专利转让",
        "patent_ids": [str(i) for i in patent_ids],
        "deal_kinds": ["transfer", "ordinary"],
        "price": "1,200,000.50",
        "trl": "6",
        "industry": "carbon_materials",
        "region": "太原市",
        "description": "成熟工艺",
    }
    data.update(overrides)
    return data


def test_create_draft_then_publish(client, db):
    user = make_user()
    patent = make_patent(user.org)
    login(client, user)
    response = client.post("/listings/new", data=listing_form([patent.id], save="1"))
    assert response.status_code == 302
    listing = db.session.scalar(sa.select(Listing))
    assert listing.status == "draft" and listing.price_fen == 120_000_050
    assert listing.deal_kinds == ["transfer", "ordinary"] and listing.patents == [patent]
    assert client.post(f"/listings/{listing.id}/status/published").status_code == 302
    db.session.refresh(listing)
    assert listing.status == "published" and listing.published_at is not None


def test_negotiable_price_and_missing_price(client, db):
    user = make_user()
    patent = make_patent(user.org)
    login(client, user)
    response = client.post("/listings/new", data=listing_form([patent.id], price="", publish="1"))
    assert response.status_code == 200  # neither price nor negotiable
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 0
    response = client.post("/listings/new", data=listing_form([patent.id], price="", negotiable="y", publish="1"))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Listing)).negotiable


def test_bad_price_and_no_kind_rerender(client, db):
    user = make_user()
    patent = make_patent(user.org)
    login(client, user)
    for bad in ({"price": "12.345"}, {"price": "-5"}, {"price": "abc"}, {"deal_kinds": []}, {"trl": "12"}):
        response = client.post("/listings/new", data=listing_form([patent.id], **bad))
        assert response.status_code == 200, bad
        assert "is-invalid" in response.get_data(as_text=True), bad
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 0


def test_cannot_list_another_organisations_patent(client, db):
    user = make_user()
    foreign = make_patent(make_org())
    login(client, user)
    response = client.post("/listings/new", data=listing_form([foreign.id]))
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 0


def test_other_org_draft_is_404_and_edit_is_403(client):
    owner = make_org()
    draft = make_listing(owner, status="draft")
    published = make_listing(owner)
    outsider = make_user()
    assert client.get(f"/listings/{draft.id}").status_code == 404  # anonymous
    login(client, outsider)
    assert client.get(f"/listings/{draft.id}").status_code == 404
    assert client.get(f"/listings/{draft.id}/edit").status_code == 404
    assert client.post(f"/listings/{draft.id}/status/published").status_code == 404
    assert client.get(f"/listings/{published.id}").status_code == 200
    assert client.get(f"/listings/{published.id}/edit").status_code == 403
    assert client.post(f"/listings/{published.id}/status/withdrawn").status_code == 403
    assert "石墨烯" not in client.get("/listings/?mine=1").get_data(as_text=True)


def test_colleague_can_edit_and_browse_shows_only_published(client, db):
    org = make_org()
    draft = make_listing(org, status="draft", title="内部草稿")
    make_listing(org, title="公开的挂牌")
    colleague = make_user(org=org, role=Role.MEMBER)
    html = client.get("/listings/").get_data(as_text=True)
    assert "公开的挂牌" in html and "内部草稿" not in html
    login(client, colleague)
    assert client.get(f"/listings/{draft.id}/edit").status_code == 200
    assert "内部草稿" in client.get("/listings/?mine=1").get_data(as_text=True)


def test_invalid_transition_is_refused_with_message(client, db):
    user = make_user()
    listing = make_listing(user.org, status="closed")
    login(client, user)
    response = client.post(f"/listings/{listing.id}/status/published", follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(listing)
    assert listing.status == "closed"


def test_center_staff_and_experts_cannot_publish(client):
    staff = make_user(org=make_org("center"), role=Role.CENTER_STAFF)
    patent = make_patent(staff.org)
    login(client, staff)
    assert client.post("/listings/new", data=listing_form([patent.id])).status_code == 403


def test_listing_filters_and_pagination(client):
    org = make_org()
    for i in range(25):
        make_listing(org, title=f"挂牌{i:02d}", trl=3 + i % 6)
    html = client.get("/listings/").get_data(as_text=True)
    assert "挂牌24" in html and "挂牌00" not in html
    assert "挂牌00" in client.get("/listings/?page=2").get_data(as_text=True)
    assert client.get("/listings/?page=999").status_code == 200
    assert client.get("/listings/?page=-3&trl_min=x&sort=evil&industry=nope").status_code == 200
    assert "挂牌00" in client.get("/listings/?q=挂牌00").get_data(as_text=True)


def need_form(**overrides):
    data = {
        "title": "寻求锂电池负极材料改性技术",
        "description": "用于提升快充性能",
        "industry": "new_energy_vehicles",
        "ipc_hints": "h01m; H01M 4/58",
        "budget_min": "100000",
        "budget_max": "500000",
        "region": "太原市",
        "deadline": "2027-06-30",
    }
    data.update(overrides)
    return data


def test_need_create_publish_and_validation(client, db):
    sme = make_user(org=make_org("sme"))
    login(client, sme)
    response = client.post("/needs/new", data=need_form(publish="1"))
    assert response.status_code == 302
    need = db.session.scalar(sa.select(Need))
    assert need.status == "published" and need.ipc_hint_list == ["H01M", "H01M 4/58"]
    assert (need.budget_min_fen, need.budget_max_fen) == (10_000_000, 50_000_000)
    for bad in ({"ipc_hints": "XYZ"}, {"budget_min": "900000"}, {"deadline": "2027-13-01"}, {"title": ""}):
        response = client.post("/needs/new", data=need_form(**bad))
        assert response.status_code == 200, bad
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 1


def test_need_with_past_deadline_cannot_publish(client, db):
    sme = make_user(org=make_org("sme"))
    login(client, sme)
    client.post("/needs/new", data=need_form(deadline="2020-01-01", publish="1"))
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0
    need = make_need(sme.org, status="draft", deadline=date(2020, 1, 1))
    client.post(f"/needs/{need.id}/status/published")
    db.session.refresh(need)
    assert need.status == "draft"


def test_need_permissions(client):
    owner = make_org("sme")
    draft = make_need(owner, status="draft")
    public = make_need(owner)
    login(client, make_user())
    assert client.get(f"/needs/{draft.id}").status_code == 404
    assert client.get(f"/needs/{public.id}").status_code == 200
    assert client.get(f"/needs/{public.id}/edit").status_code == 403
    assert client.post(f"/needs/{public.id}/status/closed").status_code == 403


def test_university_members_listing_waits_for_the_admins_approval(app, db):
    university = make_org("university")
    assert university.listing_approval and not make_org("enterprise").listing_approval
    member = make_user(org=university, role=Role.MEMBER)
    admin = make_user(org=university, role=Role.ORG_ADMIN)
    patent = make_patent(university)
    m = app.test_client()
    login(m, member)
    r = m.post("/listings/new", data=listing_form([patent.id], publish="1"))
    assert r.status_code == 302
    listing = db.session.scalar(sa.select(Listing))
    assert listing.status == "draft" and listing.submitted_at is not None and listing.published_at is None
    assert "已提交本机构管理员审核" in m.get(r.headers["Location"]).get_data(as_text=True)
    assert m.post(f"/listings/{listing.id}/approval/approve").status_code == 403  # a member cannot approve
    db.session.refresh(listing)
    assert listing.status == "draft"
    outsider = app.test_client()
    login(outsider, make_user())
    assert outsider.post(f"/listings/{listing.id}/approval/approve").status_code == 404
    a = app.test_client()
    login(a, admin)
    waiting = a.get("/listings/?mine=1").get_data(as_text=True)
    assert "1 个挂牌等待您审核" in waiting and listing.title in waiting
    assert a.post(f"/listings/{listing.id}/approval/return").status_code == 302
    db.session.refresh(listing)
    assert listing.status == "draft" and listing.submitted_at is None
    assert m.post(f"/listings/{listing.id}/status/published").status_code == 302  # asks again
    db.session.refresh(listing)
    assert listing.status == "draft" and listing.submitted_at is not None
    assert a.post(f"/listings/{listing.id}/approval/approve").status_code == 302
    db.session.refresh(listing)
    assert listing.status == "published" and listing.approved_by_id == admin.id and listing.published_at
    notes = m.get("/matching/notifications").get_data(as_text=True)
    assert "等待管理员审核" in notes and "已退回为草稿" in notes and "已审核通过并发布" in notes
    # an organisation that does not review publishes its members' listings at once; the admin can turn it on
    company = make_org("enterprise")
    staffer = make_user(org=company, role=Role.MEMBER)
    c = app.test_client()
    login(c, staffer)
    c.post("/listings/new", data=listing_form([make_patent(company).id], title="直接发布", publish="1"))
    assert db.session.scalar(sa.select(Listing).where(Listing.title == "直接发布")).status == "published"
    boss = app.test_client()
    login(boss, make_user(org=company, role=Role.ORG_ADMIN))
    assert boss.post(f"/orgs/{company.id}/edit", data={"listing_approval": "y"}).status_code == 302
    db.session.refresh(company)
    assert company.listing_approval


def test_listing_form_picker_title_from_first_patent_and_not_in_force_warning(client, db):
    user = make_user()
    good = make_patent(user.org, title="一种石墨烯导热膜的制备方法")
    lapsed = make_patent(user.org, title="一种碳纤维原丝的制备方法", legal_status="lapsed")
    login(client, user)
    page = client.get(f"/listings/new?patent={lapsed.id}").get_data(as_text=True)
    assert 'value="一种碳纤维原丝的制备方法"' in page  # the title prefilled
    assert good.application_number in page and "失效（未缴年费）" in page and 'data-not-in-force="1"' in page
    r = client.post("/listings/new", data=listing_form([lapsed.id, good.id], title="", publish="1"), follow_redirects=True)
    html = r.get_data(as_text=True)
    listing = db.session.scalar(sa.select(Listing))
    assert listing.title == "一种碳纤维原丝的制备方法" and listing.status == "published"
    assert "以下专利非有效状态" in html and lapsed.application_number in html
    assert client.post("/listings/new", data=listing_form([], title="")).status_code == 200  # no patent, no title: errors
