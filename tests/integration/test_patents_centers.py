from datetime import date

import sqlalchemy as sa

from app.models import AllianceMembership, Center, Patent, Role
from tests.conftest import login, make_center, make_org, make_patent, make_user


def patent_form(org_name, **overrides):
    data = {
        "application_number": "CN2020105660889",
        "title": "一种碳化硅衬底的制备方法",
        "abstract": "本发明公开了一种碳化硅衬底的制备方法。",
        "patent_type": "invention",
        "legal_status": "granted",
        "ipc": "h01l21/02; C30B 29/36",
        "applicants": f"{org_name}\n张伟",
        "filing_date": "2020-06-19",
        "grant_date": "2022-08-02",
        "claims_count": "10",
        "industry": "semiconductors",
    }
    data.update(overrides)
    return data


def test_register_patent_normalises_number_and_ipc(client, db):
    user = make_user()
    login(client, user)
    response = client.post("/patents/new", data=patent_form(user.org.name))
    assert response.status_code == 302
    patent = db.session.scalar(sa.select(Patent))
    assert patent.application_number == "202010566088.9"
    assert patent.ipc_list == ["H01L 21/02", "C30B 29/36"]
    assert patent.applicants[0].org_id == user.org_id and patent.applicants[1].org_id is None
    html = client.get(f"/patents/{patent.id}").get_data(as_text=True)
    assert "202010566088.9" in html and "2040" in html  # expiry year of a 2020 invention


def test_patent_form_errors(client, db):
    user = make_user()
    login(client, user)
    cases = [
        {"application_number": "202010566088.1"},  # check digit
        {"application_number": "202040566088.9"},  # type code
        {"patent_type": "utility_model"},  # number says invention
        {"ipc": "H01L"},
        {"filing_date": "2019-06-19"},  # not the number's year
        {"grant_date": "2019-01-01"},
        {"legal_status": "pending"},  # pending with a grant date
        {"applicants": "别的公司"},
        {"filing_date": "not a date"},
        {"claims_count": "-1"},
    ]
    for case in cases:
        response = client.post("/patents/new", data=patent_form(user.org.name, **case))
        assert response.status_code == 200, case
        assert "is-invalid" in response.get_data(as_text=True), case
    assert db.session.scalar(sa.select(sa.func.count(Patent.id))) == 0


def test_duplicate_patent_refused(client, db):
    user = make_user()
    login(client, user)
    assert client.post("/patents/new", data=patent_form(user.org.name)).status_code == 302
    response = client.post("/patents/new", data=patent_form(user.org.name, application_number="ZL 2020 1 0566088.9"))
    assert response.status_code == 200 and "202010566088.9" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Patent.id))) == 1


def test_patent_edit_only_by_owner(client):
    patent = make_patent(make_org())
    login(client, make_user())
    assert client.get(f"/patents/{patent.id}").status_code == 200
    assert client.get(f"/patents/{patent.id}/edit").status_code == 403
    assert client.get("/patents/999999").status_code == 404


def test_the_owner_edits_a_patent_keeping_or_reordering_its_ipc_codes(client, db):
    user = make_user()
    login(client, user)
    assert client.post("/patents/new", data=patent_form(user.org.name)).status_code == 302
    patent_id = db.session.scalar(sa.select(Patent.id))
    for ipc, title in (("H01L 21/02; C30B 29/36", "同样的分类号"), ("C30B 29/36; H01L 21/02", "调换顺序")):
        response = client.post(f"/patents/{patent_id}/edit", data=patent_form(user.org.name, ipc=ipc, title=title))
        assert response.status_code == 302, ipc
        db.session.expire_all()
        patent = db.session.get(Patent, patent_id)
        assert patent.title == title and ", ".join(patent.ipc_list) == ipc.replace(";", ",")


def test_patent_search_filters(client):
    org = make_org(name="太原理工大学")
    make_patent(org, title="一种针状焦的制备工艺")
    make_patent(make_org(), title="一种动力电池热管理系统", industry="new_energy_vehicles")
    html = client.get("/patents/?q=针状焦").get_data(as_text=True)
    assert "针状焦" in html and "热管理" not in html
    assert "热管理" in client.get("/patents/?industry=new_energy_vehicles").get_data(as_text=True)
    assert "针状焦" in client.get("/patents/?q=太原理工").get_data(as_text=True)
    assert "针状焦" in client.get("/patents/?ipc=C01B").get_data(as_text=True)


def test_center_default_targets_and_project_year(client):
    center = make_center(approval_date=date(2024, 3, 1))
    assert [center.target_for(n) for n in range(1, 6)] == [20, 26, 34, 44, 58]
    assert center.project_year(date(2025, 3, 1)) == 2
    assert client.get(f"/centers/{center.id}").status_code == 200


def test_center_staff_sets_targets_not_below_rule(client, db):
    center = make_center()
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    login(client, staff)
    data = {"year_1": 25, "year_2": 33, "year_3": 43, "year_4": 56, "year_5": 73}
    assert client.post(f"/centers/{center.id}/targets", data=data).status_code == 302
    db.session.refresh(center)
    assert [center.target_for(n) for n in range(1, 6)] == [25, 33, 43, 56, 73]
    response = client.post(f"/centers/{center.id}/targets", data={**data, "year_2": 10})
    assert response.status_code == 200
    db.session.refresh(center)
    assert center.target_for(2) == 33


def test_outsiders_cannot_set_targets(client):
    center = make_center()
    login(client, make_user())
    assert client.get(f"/centers/{center.id}/targets").status_code == 403


def test_alliance_join_and_approval(app, db):
    center = make_center()
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    applicant = make_user(org=make_org("university"))
    c1 = app.test_client()
    login(c1, applicant)
    assert c1.post(f"/centers/{center.id}/join", data={"message": "希望加入"}).status_code == 302
    membership = db.session.scalar(sa.select(AllianceMembership))
    assert membership.status == "pending"
    # a second application while pending is refused
    c1.post(f"/centers/{center.id}/join", data={"message": "again"})
    assert db.session.scalar(sa.select(sa.func.count(AllianceMembership.id))) == 1
    # the applicant cannot approve itself; an outsider gets 404
    assert c1.post(f"/centers/memberships/{membership.id}/approve").status_code == 403
    outsider = app.test_client()
    login(outsider, make_user())
    assert outsider.post(f"/centers/memberships/{membership.id}/approve").status_code == 404
    c2 = app.test_client()
    login(c2, staff)
    assert c2.post(f"/centers/memberships/{membership.id}/approve").status_code == 302
    db.session.refresh(membership)
    assert membership.status == "approved" and membership.decided_by_id == staff.id
    assert applicant.org.name in c2.get(f"/centers/{center.id}").get_data(as_text=True)


def test_members_cannot_apply_only_admins(client, db):
    center = make_center()
    login(client, make_user(role=Role.MEMBER))
    assert client.post(f"/centers/{center.id}/join", data={}).status_code == 403


def test_center_creation_by_bureau_only(app, db):
    bureau_user = make_user(org=make_org("bureau"), role=Role.BUREAU_STAFF)
    center_org = make_org("center", name="太原市信创产业知识产权运营中心有限公司")
    founder = make_org("enterprise")
    form = {
        "name": "太原市信创产业知识产权运营中心",
        "org_id": center_org.id,
        "industry": "it_innovation",
        "approval_date": "2024-05-20",
        "founder_ids": [founder.id],
    }
    enterprise = app.test_client()
    login(enterprise, make_user())
    assert enterprise.post("/centers/new", data=form).status_code == 403
    bureau = app.test_client()
    login(bureau, bureau_user)
    assert bureau.post("/centers/new", data=form).status_code == 302
    center = db.session.scalar(sa.select(Center))
    assert center.founders == [founder] and center.approval_date == date(2024, 5, 20)
    assert bureau.post("/centers/new", data={**form, "name": "另一个"}).status_code == 200  # industry taken
