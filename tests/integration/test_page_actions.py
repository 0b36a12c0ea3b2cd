"""A page offers exactly the actions its service allows: the rule lives in one helper that both use."""

import pytest

from app.domain.errors import DomainError
from app.models import Organisation, Patent, Pool, PoolPatent, Role, User
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
