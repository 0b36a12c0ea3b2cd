from datetime import date

import sqlalchemy as sa

from app.models import AllianceMembership, ApiToken, Deal, Role
from app.services import tokens
from tests.conftest import make_center, make_listing, make_need, make_org, make_patent, make_user


def auth(user):
    _, token = tokens.create(user, "test")
    return {"Authorization": f"Bearer {token}"}


def test_token_required_and_revocable(client, db):
    user = make_user()
    assert client.get("/api/v1/patents").status_code == 401
    row, token = tokens.create(user, "ci")
    assert db.session.get(ApiToken, row.id).token_hash != token  # hashed at rest
    assert client.get("/api/v1/patents", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    tokens.revoke(user, row.id)
    assert client.get("/api/v1/patents", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/v1/patents", headers={"Authorization": "Bearer ipx_forged"}).status_code == 401


def test_tokens_are_made_and_revoked_on_the_profile_page(client, db):
    import re

    from tests.conftest import login

    user, other = make_user(), make_user()
    login(client, user)
    assert client.post("/auth/tokens", data={"tok-name": ""}).status_code == 400  # form re-rendered with the error
    html = client.post("/auth/tokens", data={"tok-name": "ERP sync"}).get_data(as_text=True)
    secret = re.search(r'value="(ipx_[^"]+)"', html).group(1)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/patents", headers=headers).status_code == 200
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.token_hash != secret and secret not in client.get("/auth/profile").get_data(as_text=True)
    # another user cannot revoke it
    other_row, _ = tokens.create(other, "theirs")
    assert client.post(f"/auth/tokens/{other_row.id}/revoke").status_code == 404
    assert client.post(f"/auth/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/v1/patents", headers=headers).status_code == 401


def test_patents_pagination(client):
    org = make_org()
    for _ in range(5):
        make_patent(org)
    headers = auth(make_user())
    page = client.get("/api/v1/patents?per_page=2&page=2", headers=headers).json
    assert page["total"] == 5 and page["pages"] == 3 and len(page["items"]) == 2
    assert client.get("/api/v1/patents?page=x", headers=headers).status_code == 422


def test_create_listing_errors_have_field_paths(client, db):
    user = make_user()
    patent = make_patent(user.org)
    headers = auth(user)
    bad = client.post("/api/v1/listings", headers=headers, json={"title": "", "patent_ids": ["x"], "deal_kinds": [],
                                                                  "trl": 12, "industry": "moon"})
    assert bad.status_code == 422
    paths = {f["path"] for f in bad.json["error"]["fields"]}
    assert {"title", "patent_ids.0", "deal_kinds", "trl", "industry"} <= paths
    foreign = make_patent(make_org())
    r = client.post("/api/v1/listings", headers=headers, json={"title": "t", "patent_ids": [foreign.id],
                                                                "deal_kinds": ["transfer"], "trl": 5,
                                                                "industry": "carbon_materials"})
    assert r.status_code == 422 and r.json["error"]["fields"][0]["path"] == "patent_ids"
    ok = client.post("/api/v1/listings", headers=headers, json={"title": "石墨烯", "patent_ids": [patent.id],
                                                                 "deal_kinds": ["sole"], "trl": 5,
                                                                 "industry": "carbon_materials", "publish": True})
    assert ok.status_code == 201 and ok.json["status"] == "published" and ok.json["price_fen"] is None
    not_json = client.post("/api/v1/listings", headers=headers, data="not json")
    assert not_json.status_code == 422 and not_json.json["error"]["fields"][0]["path"] == "body"  # as documented


def test_drafts_are_404_for_others(client):
    owner = make_org()
    draft = make_listing(owner, status="draft")
    need = make_need(owner, status="draft")
    headers = auth(make_user())
    assert client.get(f"/api/v1/listings/{draft.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/needs/{need.id}", headers=headers).status_code == 404


def test_deal_actions_with_idempotency_and_conflicts(client, db):
    center = make_center(approval_date=date(2024, 3, 1))
    seller, buyer = make_user(), make_user(org=make_org("sme"))
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    listing = make_listing(seller.org, offers_ordinary=True)
    from app.services import deals as ds

    deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100_00)
    hs, hb = auth(seller), auth(buyer)
    assert client.post(f"/api/v1/deals/{deal.id}/actions/fund", headers=hb).status_code == 409
    client.post(f"/api/v1/deals/{deal.id}/actions/sign", headers=hs)
    client.post(f"/api/v1/deals/{deal.id}/actions/sign", headers=hb)
    r1 = client.post(f"/api/v1/deals/{deal.id}/actions/fund", headers={**hb, "Idempotency-Key": "abc"})
    r2 = client.post(f"/api/v1/deals/{deal.id}/actions/fund", headers={**hb, "Idempotency-Key": "abc"})
    assert r1.status_code == r2.status_code == 200 and r1.json == r2.json == {"deal_id": deal.id, "status": "funded"}
    r = client.post(f"/api/v1/deals/{deal.id}/actions/record", headers=hs,
                    json={"recordal_number": "nope", "recordal_date": "2026-11-01"})
    assert r.status_code == 422 and r.json["error"]["fields"][0]["path"] == "recordal_number"
    stranger = auth(make_user())
    assert client.get(f"/api/v1/deals/{deal.id}", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/deals/{deal.id}/actions/cancel", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/deals/{deal.id}/actions/explode", headers=hb).status_code == 404
    assert db.session.get(Deal, deal.id).status == "funded"


def test_center_targets_endpoint(client):
    center = make_center(approval_date=date(2024, 3, 1))
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    r = client.get(f"/api/v1/centers/{center.id}/targets", headers=auth(staff))
    assert r.status_code == 200 and [y["target"] for y in r.json["years"]] == [20, 26, 34, 44, 58]
    assert client.get(f"/api/v1/centers/{center.id}/targets", headers=auth(make_user())).status_code == 403


def test_openapi_document_resolves():
    from app.api.openapi import document

    doc = document()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/deals/{deal_id}/actions/{action}" in doc["paths"]


def test_docs_page_lists_every_operation(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    doc = client.get("/api/v1/openapi.json").json
    for path in doc["paths"]:
        assert path.replace("{", "").replace("}", "") in html.replace("{", "").replace("}", "")
    assert "openapi.json" in html and "<script>" not in html


def test_docs_page_speaks_the_readers_language(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["paths"]["/api/v1/patents"]["get"]["summary"] == "Search patents"  # the document stays English
    html = client.get("/api/v1/docs").get_data(as_text=True)
    for words in ("产业知识产权联盟交易平台 API", "检索专利", "对交易执行操作", "缺少令牌或令牌无效", "查询参数", "金额以整数"):
        assert words in html, words
    for english in ("Search patents", "no or bad token", "Take an action on a deal", "(query)", "Money in integer fen"):
        assert english not in html, english
    client.get("/lang/en?next=/")
    assert "Search patents" in client.get("/api/v1/docs").get_data(as_text=True)
