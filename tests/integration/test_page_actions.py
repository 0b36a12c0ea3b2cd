"""A page offers exactly the actions its service allows: the rule lives in one helper that both use."""

import pytest
import sqlalchemy as sa

from app.domain.errors import DomainError
from app.models import AllianceMembership, Deal, Organisation, Patent, Pool, PoolPatent, Role, Thread, User
from app.services import accounts
from app.services import pools as ps
from app.services.permissions import AccessDenied
from tests.conftest import login, make_center, make_org, make_patent, make_user


def _allowed(call) -> bool:
    try:
        call()
    except (DomainError, AccessDenied):
        return False
    return True


def _page(app, user, url) -> str:
    client = app.test_client()
    login(client, user)
    return client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("role, own", [("org_admin", True), ("member", True), ("expert", True),
                                       ("org_admin", False), ("platform_admin", False)])
def test_the_organisation_page_offers_what_the_accounts_service_allows(app, db, role, own):
    org = make_org("university")
    user = make_user(org=org if own else make_org("sme"), role=role)
    html = _page(app, user, f"/orgs/{org.id}")
    offered = {
        "edit": f"/orgs/{org.id}/edit" in html,
        "invite": f"/orgs/{org.id}/invite" in html,
        "register": "/patents/new" in html,
    }
    org_id, user_id = org.id, user.id
    by, target = db.session.get(User, user_id), db.session.get(Organisation, org_id)
    assert offered["edit"] == _allowed(lambda: accounts.update_organisation(
        by, target, name_en="", region="太原", address="", website="", description=""))
    db.session.rollback()
    invited = _allowed(lambda: accounts.invite(db.session.get(User, user_id), f"new{user_id}@example.cn", "member",
                                               days=7))
    assert offered["invite"] == (invited and by.org_id == org_id)  # one invites into one's own organisation
    db.session.rollback()
    assert offered["register"] == (own and role in ("member", "org_admin"))  # patents.create_patent's rule


@pytest.mark.parametrize("role", ["org_admin", "member", "expert", "center_staff"])
def test_the_patent_page_offers_the_edit_exactly_to_those_who_may_edit(app, db, role):
    org = make_org("university")
    patent = make_patent(org)
    user = make_user(org=org, role=role)
    client = app.test_client()
    login(client, user)
    offered = f"/patents/{patent.id}/edit" in client.get(f"/patents/{patent.id}").get_data(as_text=True)
    assert offered == (client.get(f"/patents/{patent.id}/edit").status_code == 200) == (role in ("org_admin", "member"))


@pytest.mark.parametrize("role", ["org_admin", "member", "expert"])
def test_the_pool_page_offers_withdraw_and_contribute_as_the_pool_service_allows(app, db, role):
    center = make_center()
    staff = make_user(org=center.org, role=Role.CENTER_STAFF)
    admin = make_user(org=make_org("enterprise"))
    pool = ps.create_pool(staff, name="测试专利池", field="石墨烯", industry="carbon_materials", center=center)
    ps.invite(staff, pool, admin.org)
    ps.respond(admin, pool, accept=True)
    ps.contribute(admin, pool, [make_patent(admin.org).id])
    user = make_user(org=admin.org, role=role)
    pool_id, user_id = pool.id, user.id
    pp_id = db.session.scalar(PoolPatent.__table__.select().with_only_columns(PoolPatent.id))
    html = _page(app, user, f"/pools/{pool_id}")
    offered_withdraw = f"/pools/{pool_id}/patents/{pp_id}/withdraw" in html
    offered_contribute = f"/pools/{pool_id}/contribute" in html
    pool, user = db.session.get(Pool, pool_id), db.session.get(User, user_id)
    may_contribute = _allowed(lambda: ps.contribute(user, pool, [make_patent(user.org).id]))
    db.session.rollback()
    pool, user = db.session.get(Pool, pool_id), db.session.get(User, user_id)
    may_withdraw = _allowed(lambda: ps.withdraw(user, pool, db.session.get(PoolPatent, pp_id)))
    assert offered_withdraw == may_withdraw == (role != "expert")
    assert offered_contribute == may_contribute == (role != "expert")
    assert db.session.get(Patent, db.session.get(PoolPatent, pp_id).patent_id) is not None


# ---- listings and needs: the page's buttons == listing_actions/need_actions == what the POSTs accept ----------

LISTING_LINKS = {
    "matches": "/matching/listings/{id}", "edit": "/listings/{id}/edit",
    "confidential": "/threads/listings/{id}/confidential",
    "publish": "/listings/{id}/status/published", "close": "/listings/{id}/status/closed",
    "withdraw": "/listings/{id}/status/withdrawn", "redraft": "/listings/{id}/status/draft",
    "approve": "/listings/{id}/approval/approve", "return": "/listings/{id}/approval/return",
    "express_interest": "/threads/start?listing={id}", "start_deal": "/deals/new?listing={id}",
}
NEED_LINKS = {
    "matches": "/matching/needs/{id}", "edit": "/needs/{id}/edit",
    "publish": "/needs/{id}/status/published", "close": "/needs/{id}/status/closed",
    "withdraw": "/needs/{id}/status/withdrawn", "redraft": "/needs/{id}/status/draft",
    "offer_patent": "/listings/new",
}
ROLES = [("org_admin", True), ("member", True), ("expert", True), ("member", False), ("expert", False),
         ("center_staff", False), ("bureau_staff", False), ("platform_admin", False)]


def _shown(html: str, links: dict, obj_id: int) -> set[str]:
    return {name for name, url in links.items() if url.format(id=obj_id).replace("&", "&amp;") in html}


def _visitor(org, role, own):
    kind = {"center_staff": "center", "bureau_staff": "bureau"}.get(role, "sme")
    return make_user(org=org if own else make_org(kind), role=role)


@pytest.mark.parametrize("status, submitted", [("draft", False), ("draft", True), ("published", False),
                                               ("withdrawn", False), ("closed", False)])
@pytest.mark.parametrize("role, own", ROLES)
def test_the_listing_page_offers_what_listing_actions_allows(app, db, role, own, status, submitted):
    from app.models import Listing
    from app.services.listings import listing_actions
    from tests.conftest import make_listing
    from app.models._types import utcnow

    org = make_org("university")
    listing = make_listing(org, patents=[make_patent(org)], status=status,
                           submitted_at=utcnow() if submitted else None)
    user = _visitor(org, role, own)
    listing_id, user_id = listing.id, user.id
    client = app.test_client()
    login(client, user)
    response = client.get(f"/listings/{listing_id}")
    if response.status_code == 404:  # a draft or withdrawn listing is hidden from other organisations
        assert not own and status in ("draft", "withdrawn") and role != "platform_admin"
        return
    allowed = listing_actions(db.session.get(User, user_id), db.session.get(Listing, listing_id))
    assert _shown(response.get_data(as_text=True), LISTING_LINKS, listing_id) == allowed
    editor = own and role in ("org_admin", "member")
    # a refused right is a 403; a refused state change (the editor's, the administrator's) a notice
    for name in ("publish", "close", "withdraw", "redraft"):
        if not editor:
            assert client.post(LISTING_LINKS[name].format(id=listing_id)).status_code == 403, name
    for name in ("approve", "return"):
        if not (own and role == "org_admin"):
            assert client.post(LISTING_LINKS[name].format(id=listing_id)).status_code == 403, name
    for name in ("edit", "confidential"):
        code = client.get(LISTING_LINKS[name].format(id=listing_id)).status_code
        assert code == (200 if editor else 403), name
        assert name not in allowed or editor
    if "start_deal" not in allowed and status == "published":
        client.post(f"/deals/new?listing={listing_id}", data={"kind": "transfer", "price": "1"})
        client.post("/threads/start", data={"listing_id": listing_id, "message": "有意"})
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Deal)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 0
    if "express_interest" in allowed:
        client.post("/threads/start", data={"listing_id": listing_id, "message": "有意"})
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 1
    if editor:  # each status button offered is a change the service makes
        for name in sorted(allowed & {"publish", "close", "withdraw", "redraft"}):
            assert client.post(LISTING_LINKS[name].format(id=listing_id)).status_code == 302, name
            break
    else:
        assert db.session.get(Listing, listing_id).status == status


@pytest.mark.parametrize("status", ["draft", "published", "withdrawn", "closed"])
@pytest.mark.parametrize("role, own", ROLES)
def test_the_need_page_offers_what_need_actions_allows(app, db, role, own, status):
    from app.models import Need
    from app.services.listings import need_actions
    from tests.conftest import make_need

    org = make_org("sme")
    need = make_need(org, status=status)
    user = _visitor(org, role, own)
    need_id, user_id = need.id, user.id
    client = app.test_client()
    login(client, user)
    response = client.get(f"/needs/{need_id}")
    if response.status_code == 404:
        assert not own and status in ("draft", "withdrawn") and role != "platform_admin"
        return
    allowed = need_actions(db.session.get(User, user_id), db.session.get(Need, need_id))
    assert _shown(response.get_data(as_text=True), NEED_LINKS, need_id) == allowed
    editor = own and role in ("org_admin", "member")
    if not editor:
        for name in ("publish", "close", "withdraw", "redraft"):
            assert client.post(NEED_LINKS[name].format(id=need_id)).status_code == 403, name
        assert db.session.get(Need, need_id).status == status
    assert client.get(f"/needs/{need_id}/edit").status_code == (200 if editor else 403)
    assert "edit" not in allowed or editor


# ---- a negotiation thread: the page's forms and buttons == negotiation.thread_actions ---------------------------

THREAD_LINKS = {
    "take_part": 'action="/threads/{id}/messages"', "close": "/threads/{id}/close",
    "offer": 'action="/threads/{id}/offers"', "answer_offer": "/threads/{id}/offers/{offer}/accept",
    "request_nda": 'action="/threads/{id}/nda"', "decide_nda": "/threads/{id}/nda/accept",
    "edit_confidential": "/threads/listings/{listing}/confidential",
    "reveal_confidential": "/threads/{id}/confidential",
}


@pytest.mark.parametrize("state", ["seller_offered", "nda_requested", "nda_accepted", "closed"])
@pytest.mark.parametrize("who, role", [("seller", "member"), ("seller", "expert"), ("buyer", "member"),
                                       ("buyer", "org_admin"), ("buyer", "expert"), ("center", "center_staff"),
                                       ("platform", "platform_admin")])
def test_the_thread_page_offers_what_thread_actions_allows(app, db, who, role, state):
    from app.models import Listing, Thread
    from app.services import centers as cs
    from app.services import negotiation as ns
    from tests.conftest import make_listing

    seller = make_user(make_org("university"), Role.MEMBER)
    buyer = make_user(make_org("enterprise"), Role.MEMBER)
    listing = make_listing(seller.org, [make_patent(seller.org)], offers_ordinary=True)
    center = make_center()
    cs.request_membership(make_user(org=buyer.org, role=Role.ORG_ADMIN), center)
    membership = db.session.scalar(sa.select(AllianceMembership))
    cs.decide_membership(make_user(org=center.org, role=Role.CENTER_STAFF), membership, approve=True)
    thread = ns.start_thread(buyer, listing, message="想了解许可条件")
    offer = ns.make_offer(seller, thread, ns.OfferTerms(kind="ordinary", price_fen=15_000_000, payment="lump_sum",
                                                        territory="中国大陆", term_months=36))
    if state != "seller_offered":
        ns.request_nda(buyer, thread, "保密协议 v1")
    if state == "nda_accepted":
        ns.decide_nda(seller, thread, True)
    if state == "closed":
        ns.close_thread(buyer, thread)
    org = {"seller": seller.org, "buyer": buyer.org, "center": center.org}.get(who)
    user = make_user(org=org or make_org("enterprise"), role=role)
    ids = {"id": thread.id, "offer": offer.id, "listing": listing.id}
    thread_id, user_id, listing_id = thread.id, user.id, listing.id
    client = app.test_client()
    login(client, user)
    html = client.get(f"/threads/{thread_id}").get_data(as_text=True)
    thread, user = db.session.get(Thread, thread_id), db.session.get(User, user_id)
    allowed = ns.thread_actions(user, thread)
    assert {name for name, link in THREAD_LINKS.items() if link.format(**ids) in html} == allowed
    party = who in ("seller", "buyer") and role != "expert"
    assert ("take_part" in allowed) == party
    if not party:  # readers: every action is refused, and nothing changes
        for url in ("messages", "close", "offers", "nda", "nda/accept", f"offers/{offer.id}/accept"):
            assert client.post(f"/threads/{thread_id}/{url}", data={"msg-body": "x", "nda-text": "x"}).status_code == 403, url
        assert db.session.get(Thread, thread_id).status.value == ("closed" if state == "closed" else "open")
    elif who == "seller":
        assert client.post(f"/threads/{thread_id}/nda", data={"nda-text": "x"}).status_code == 403
    else:
        assert client.post(f"/threads/{thread_id}/nda/accept").status_code == 403
    assert (client.get(f"/threads/listings/{listing_id}/confidential").status_code == 200) == (
        who == "seller" and role != "expert")
    assert db.session.get(Listing, listing_id) is not None
