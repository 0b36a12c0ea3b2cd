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


# ---- a center's page, its counts, a deal's contract and reassignment --------------------------------------------


@pytest.mark.parametrize("membership", [None, "pending", "approved", "rejected", "left"])
@pytest.mark.parametrize("role, kind", [("org_admin", "sme"), ("member", "sme"), ("org_admin", "center"),
                                        ("org_admin", "bureau"), ("expert", "university")])
def test_the_center_page_offers_join_and_leave_as_the_centers_service_allows(app, db, role, kind, membership):
    from app.models import Center, MembershipStatus
    from app.services import centers as cs

    center = make_center()
    user = make_user(org=make_org(kind), role=role)
    if membership:
        db.session.add(AllianceMembership(center_id=center.id, org_id=user.org_id, status=MembershipStatus(membership)))
        db.session.commit()
    center_id, user_id = center.id, user.id
    html = _page(app, user, f"/centers/{center_id}")
    offered = {"join": f'action="/centers/{center_id}/join"' in html, "leave": "/leave" in html}
    user, center = db.session.get(User, user_id), db.session.get(Center, center_id)
    own = db.session.scalar(sa.select(AllianceMembership).where(AllianceMembership.org_id == user.org_id))
    allowed = cs.membership_actions(user, own)
    assert {name for name, shown in offered.items() if shown} == allowed
    joined = _allowed(lambda: cs.request_membership(user, center, ""))
    db.session.rollback()
    assert ("join" in allowed) == joined
    if own is not None:
        own = db.session.get(AllianceMembership, own.id)
        assert ("leave" in allowed) == _allowed(lambda: cs.leave_alliance(db.session.get(User, user_id), own))
        db.session.rollback()


@pytest.mark.parametrize("role, where", [("center_staff", "center"), ("org_admin", "center"), ("bureau_staff", "bureau"),
                                         ("platform_admin", "other"), ("center_staff", "other_center"),
                                         ("org_admin", "other"), ("member", "other")])
def test_a_centers_counts_are_read_by_its_staff_and_the_bureau_only(app, db, role, where):
    from app.services.permissions import is_bureau, may_read_center

    center = make_center()
    from app.models import Industry

    org = {"center": lambda: center.org, "bureau": lambda: make_org("bureau"),
           "other_center": lambda: make_center(Industry.NEW_ENERGY_VEHICLES).org}.get(where, lambda: None)()
    user = make_user(org=org or make_org("sme"), role=role)
    client = app.test_client()
    login(client, user)
    reads = may_read_center(user, center)
    assert reads == (where in ("center", "bureau") or role == "platform_admin")
    for url in (f"/targets/centers/{center.id}", f"/targets/centers/{center.id}/years/1",
                f"/targets/centers/{center.id}/export.xlsx"):
        assert client.get(url).status_code == (200 if reads else 403), url
    for url in ("/targets/bureau", "/targets/bureau/export.xlsx"):
        assert client.get(url).status_code == (200 if is_bureau(user) else 403), url


@pytest.mark.parametrize("who, role", [("seller", "org_admin"), ("seller", "expert"), ("buyer", "member"),
                                       ("bureau", "bureau_staff"), ("platform", "platform_admin")])
def test_the_deal_page_offers_the_contract_upload_and_the_reassignment_as_the_deals_service_allows(app, db, who, role):
    from app.models import Deal
    from app.services import deals as ds
    from tests.conftest import make_listing

    seller = make_user(make_org("university"), Role.MEMBER)
    buyer = make_user(make_org("enterprise"), Role.MEMBER)
    listing = make_listing(seller.org, [make_patent(seller.org)])
    deal = ds.start_from_listing(buyer, listing, kind="transfer", price_fen=10_000_000)
    db.session.execute(sa.update(Deal).where(Deal.id == deal.id).values(status="completed"))
    db.session.commit()
    org = {"seller": seller.org, "buyer": buyer.org, "bureau": make_org("bureau")}.get(who)
    user = make_user(org=org or make_org("sme"), role=role)
    deal_id, user_id = deal.id, user.id
    client = app.test_client()
    login(client, user)
    html = client.get(f"/deals/{deal_id}").get_data(as_text=True)
    user, deal = db.session.get(User, user_id), db.session.get(Deal, deal_id)
    assert (f'action="/deals/{deal_id}/contract"' in html) == ds.may_attach_contract(user, deal) == (who in ("seller", "buyer"))
    assert ('action="/deals/{}/reassign"'.format(deal_id) in html) == ds.may_reassign(user) == (who in ("bureau", "platform"))
    if not ds.may_attach_contract(user, deal):
        assert client.post(f"/deals/{deal_id}/contract").status_code == 403
    if not ds.may_reassign(user):
        from app.models import Industry

        center = make_center(Industry.NEW_ENERGY_VEHICLES)
        client.post(f"/deals/{deal_id}/reassign", data={"reassign-center_id": center.id, "reassign-note": "误记"})
        assert db.session.get(Deal, deal_id).center_id != center.id
