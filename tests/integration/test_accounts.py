import sqlalchemy as sa

from app.domain import credit_code
from app.models import Invitation, Organisation, Role, User
from tests.conftest import PASSWORD, login, make_org, make_user

GOOD_CODE = credit_code.make("91140100MA0K7Q3B2")


def register_form(**overrides):
    data = {
        "org_name": "山西晋材新材料有限公司",
        "org_kind": "enterprise",
        "credit_code": GOOD_CODE,
        "region": "太原市小店区",
        "user_name": "王芳",
        "email": "wangfang@jincai.cn",
        "password": "graphene-film-2026",
        "password2": "graphene-film-2026",
    }
    data.update(overrides)
    return data


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_register_creates_org_and_admin(client, db):
    response = client.post("/auth/register", data=register_form())
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "wangfang@jincai.cn"))
    assert user.role == Role.ORG_ADMIN
    assert user.org.credit_code == GOOD_CODE and user.org.kind == "enterprise"
    assert user.password_hash != "graphene-film-2026" and user.password_hash.startswith("pbkdf2")
    # logged in straight away
    assert client.get("/auth/profile").status_code == 200


def test_register_bad_credit_code_rerenders_and_keeps_input(client, db):
    bad = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")
    response = client.post("/auth/register", data=register_form(credit_code=bad))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "is-invalid" in html
    assert "山西晋材新材料有限公司" in html  # nothing typed is lost
    assert count(db, Organisation) == 0


def test_register_refuses_common_password_and_duplicates(client, db):
    response = client.post("/auth/register", data=register_form(password="password123", password2="password123"))
    assert response.status_code == 200 and count(db, User) == 0
    from app.domain import passwords

    assert len(passwords.common_passwords()) > 30_000  # zxcvbn's list and ours
    for common in ("baberuth", "blackhawk", "woaini1314"):  # far down the leaked lists; a Chinese favourite
        response = client.post("/auth/register", data=register_form(password=common, password2=common))
        assert response.status_code == 200 and count(db, User) == 0
    existing = make_user(email="wangfang@jincai.cn")
    response = client.post("/auth/register", data=register_form())
    assert response.status_code == 200
    assert count(db, User) == 1 and existing.org.name != "山西晋材新材料有限公司"


def test_register_cannot_create_center_or_bureau(client, db):
    response = client.post("/auth/register", data=register_form(org_kind="center"))
    assert response.status_code == 200 and count(db, Organisation) == 0


def test_login_wrong_password_and_disabled_account(client, db):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 200
    user.active = False
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/auth/profile").status_code == 302  # still anonymous


def test_logout_is_post_only_and_ends_session(client):
    user = make_user()
    login(client, user)
    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout")
    assert client.get("/auth/profile").status_code == 302


def test_disabling_account_refuses_replayed_cookie(app, db):
    admin = make_user()
    colleague = make_user(org=admin.org, role=Role.MEMBER)
    victim_client = app.test_client()
    login(victim_client, colleague)
    assert victim_client.get("/auth/profile").status_code == 200
    admin_client = app.test_client()
    login(admin_client, admin)
    response = admin_client.post(f"/orgs/users/{colleague.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert victim_client.get("/auth/profile").status_code == 302  # cookie no longer accepted


def test_logout_everywhere_ends_other_sessions(app):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    second.post("/auth/logout-everywhere")
    assert first.get("/auth/profile").status_code == 302


def test_invitation_flow(app, client, db):
    admin = make_user()
    login(client, admin)
    response = client.post(f"/orgs/{admin.org_id}/invite", data={"email": "colleague@example.cn", "role": "member"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link = next(part for part in html.split('"') if "/auth/invitations/" in part)
    token = link.rsplit("/", 1)[1]
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.token_hash != token  # only a hash is stored
    other = app.test_client()
    response = other.post(
        f"/auth/invitations/{token}", data={"name": "赵磊", "password": "carbon-fibre-77", "password2": "carbon-fibre-77"}
    )
    assert response.status_code == 302
    new_user = db.session.scalar(sa.select(User).where(User.email == "colleague@example.cn"))
    assert new_user.org_id == admin.org_id and new_user.role == Role.MEMBER
    # the link works once
    assert app.test_client().get(f"/auth/invitations/{token}").status_code == 404


def test_member_cannot_invite_and_center_roles_stay_in_centers(client, db):
    member = make_user(role=Role.MEMBER)
    login(client, member)
    assert client.get(f"/orgs/{member.org_id}/invite").status_code == 403
    client.post("/auth/logout")
    admin = make_user()
    login(client, admin)
    client.post(f"/orgs/{admin.org_id}/invite", data={"email": "x@example.cn", "role": "center_staff"})
    assert count(db, Invitation) == 0
    assert client.get(f"/orgs/{make_org().id}/invite").status_code == 403


def test_change_password_checks_current(client, db):
    user = make_user()
    login(client, user)
    response = client.post(
        "/auth/password",
        data={"pw-current_password": "nope-nope-nope", "pw-password": "a-new-secret-9", "pw-password2": "a-new-secret-9"},
    )
    assert response.status_code == 400
    response = client.post(
        "/auth/password",
        data={"pw-current_password": PASSWORD, "pw-password": "a-new-secret-9", "pw-password2": "a-new-secret-9"},
    )
    assert response.status_code == 302
    assert client.get("/auth/profile").status_code == 200  # this session survives


def test_org_directory_hides_user_list_from_outsiders(client):
    user = make_user(email="hidden@example.cn")
    assert "hidden@example.cn" not in client.get(f"/orgs/{user.org_id}").get_data(as_text=True)
    login(client, user)
    assert "hidden@example.cn" in client.get(f"/orgs/{user.org_id}").get_data(as_text=True)
