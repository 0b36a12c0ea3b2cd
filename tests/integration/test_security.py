import pytest
import sqlalchemy as sa

from app import create_app
from app.models import Listing
from tests.conftest import PASSWORD, make_listing, make_user


@pytest.fixture(autouse=True)
def _limiter_back_on_the_suites_app(app):
    """The rate limiter is one object for every app: tests here bind it to limited apps of their own; bind it
    back to the suite's app (limits off) so that later test files log in freely."""
    yield
    from app.extensions import limiter

    limiter.init_app(app)


def test_csrf_required_on_every_form(app, db):
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    user = make_user()
    listing = make_listing(user.org, status="draft")
    client = csrf_app.test_client()
    # log in properly: fetch the form, post with its token
    html = client.get("/auth/login").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 400
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    # a state change without the token is refused and changes nothing
    assert client.post(f"/listings/{listing.id}/status/published").status_code == 400
    db.session.refresh(listing)
    assert listing.status == "draft"


def test_get_never_changes_state(client, db):
    user = make_user()
    listing = make_listing(user.org, status="draft")
    from tests.conftest import login

    login(client, user)
    for url in [f"/listings/{listing.id}/status/published", "/auth/logout", f"/orgs/users/{user.id}/active"]:
        assert client.get(url).status_code == 405
    assert db.session.scalar(sa.select(Listing.status)) == "draft"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # only over TLS
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers


def test_login_rate_limited(app):
    limited = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
    )
    client = limited.test_client()
    codes = [client.post("/auth/login", data={"email": "a@b.cn", "password": "wrong-wrong"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert client.get("/auth/login").status_code == 200  # showing the form is not limited


def test_open_redirect_refused(client):
    user = make_user()
    response = client.post("/auth/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] in ("/workspace", "http://localhost/workspace")  # the role's landing page
    response = client.get("/lang/en?next=https://evil.example/")
    assert "evil" not in response.headers["Location"]


def test_odd_input_never_500(client):
    user = make_user()
    from tests.conftest import login

    login(client, user)
    urls = [
        "/patents/?page=abc&type=x&status=%00&ipc=" + "A" * 500,
        "/listings/?q=" + "石" * 1000,
        "/needs/?industry=<script>",
        "/orgs/?kind=zzz&q=%E2%80%AE",
        "/lang/xx",
        "/patents/0",
        "/listings/-1",
    ]
    for url in urls:
        assert client.get(url).status_code in (200, 404), url
    weird = {"application_number": "\x00\u202e", "title": "x" * 600, "filing_date": "2020-02-30", "claims_count": "1e9"}
    assert client.post("/patents/new", data=weird).status_code == 200
    assert client.post("/needs/new", data={"budget_min": "1e999", "deadline": "9999-99-99"}).status_code == 200
    assert client.post("/listings/new", data={"patent_ids": ["x", "-1"], "trl": "abc"}).status_code == 200


def test_audit_log_is_json_lines_that_input_cannot_forge(app, tmp_path):
    import json
    import logging

    path = tmp_path / "audit.log"
    audited = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], AUDIT_LOG=str(path))
    client = audited.test_client()
    client.post("/auth/login", data={"email": 'x@y.cn\n{"action": "login", "user_id": 1}', "password": "whatever-1"})
    for handler in logging.getLogger("ipx.audit").handlers:
        handler.flush()
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["action"] for r in records] == ["login.failed"]
    assert records[0]["at"].endswith("Z")
    logger = logging.getLogger("ipx.audit")
    for handler in list(logger.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            logger.removeHandler(handler)
            handler.close()


def test_security_headers_on_every_kind_of_response(client):
    """Pages, errors, JSON and redirects all carry the same policy; styles are never inline either."""
    for url in ("/", "/no-such-page", "/api/v1/patents", "/deals/", "/healthz"):
        response = client.get(url)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
    tls = client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert int(tls.split("max-age=")[1].split(";")[0]) >= 31536000


def _set_cookie(response, name):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "="))


def test_session_cookie_flags(app):
    user = make_user()
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    cookie = _set_cookie(response, "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test config runs over plain HTTP
    production = create_app("production", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                            SECRET_KEY="a-real-secret-from-the-environment", ESCROW_SECRET="another-real-secret",
                            SERVER_NAME="localhost", WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False, AUDIT_LOG=None)
    assert production.config["SESSION_COOKIE_SECURE"] and production.config["REMEMBER_COOKIE_SECURE"]
    assert production.config["SESSION_COOKIE_HTTPONLY"] and production.config["REMEMBER_COOKIE_HTTPONLY"]
    assert not production.debug and not production.config.get("TESTING")
    with production.app_context():
        secure = production.test_client().post("/auth/login", base_url="https://localhost",
                                               data={"email": user.email, "password": PASSWORD})
    assert secure.status_code == 302
    cookie = _set_cookie(secure, "session")  # there is no remember-me cookie; its flags are set all the same
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


def test_password_length_8_to_64_and_more_and_common_list(client, db):
    from app.domain import passwords

    user = make_user()
    from tests.conftest import login

    login(client, user)

    def change(new):
        return client.post("/auth/password", data={"pw-current_password": PASSWORD, "pw-password": new, "pw-password2": new})

    before = user.password_hash
    assert change("a1b2c3d").status_code == 400  # 7 characters: refused, form shown again with the error
    assert change("password1").status_code == 400  # on the common list
    db.session.refresh(user)
    assert user.password_hash == before
    assert "password1" in passwords.common_passwords() and len(passwords.common_passwords()) >= 100
    long_one = "长口令-" + "graphene-" * 8  # 76 characters
    assert len(long_one) >= 64
    assert change(long_one).status_code == 302
    db.session.refresh(user)
    assert long_one not in user.password_hash and user.password_hash.startswith(("pbkdf2:", "scrypt:"))
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"email": user.email, "password": long_one}).status_code == 302


def test_production_config_has_no_debug():
    from config import ProductionConfig

    assert ProductionConfig.DEBUG is False
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_production_refuses_the_development_secrets(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="dev-only-not-secret", ESCROW_SECRET="x" * 32)
    with pytest.raises(RuntimeError, match="ESCROW_SECRET"):
        create_app("production", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="x" * 32, ESCROW_SECRET="dev-escrow-secret")


def test_rate_limit_storage_comes_from_the_environment(monkeypatch):
    import config

    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert config._ratelimit_storage_uri() == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    assert config._ratelimit_storage_uri() == "redis://cache.internal:6379/0"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://limits.internal:6379/1")
    assert config._ratelimit_storage_uri() == "redis://limits.internal:6379/1"


def test_login_limit_is_shared_by_workers_through_redis(app):
    """Two app instances stand for two gunicorn workers: with Redis storage they count together."""
    import secrets

    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = "ipx-test-" + secrets.token_hex(4)  # a fresh key space, so nothing else is touched
    workers = [create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                          RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix, LOGIN_RATE_LIMIT="3 per minute")
               for _ in range(2)]
    clients = [w.test_client() for w in workers]
    codes = [clients[i % 2].post("/auth/login", data={"email": "a@b.cn", "password": "wrong-wrong"}).status_code
             for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    connection = redis.Redis.from_url(url)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_nul_characters_never_reach_the_database(client, db):
    """PostgreSQL refuses NUL in text (a 500 there): query strings, form fields and API bodies drop it."""
    from app.models import Need
    from app.services import tokens
    from tests.conftest import login, make_patent

    user = make_user()
    for url in ("/listings/?q=a%00b", "/search?q=a%00", "/patents/?q=a%00&ipc=C%00", "/needs/?q=%00", "/orgs/?q=a%00",
                "/database/trademarks?q=a%00"):
        assert client.get(url).status_code == 200, url
    login(client, user)
    assert client.post("/needs/new", data={"title": "寻求\x00石墨烯技术", "description": "x", "industry": "carbon_materials",
                                           "deadline": "", "budget_min": "", "budget_max": ""}).status_code == 302
    assert db.session.scalar(sa.select(Need.title)) == "寻求石墨烯技术"
    _, token = tokens.create(user, "nul")
    patent = make_patent(user.org)
    response = client.post("/api/v1/listings", headers={"Authorization": f"Bearer {token}"}, json={
        "title": "石墨烯\x00膜", "patent_ids": [patent.id], "deal_kinds": ["ordinary"], "trl": 5,
        "industry": "carbon_materials", "description": "\x00"})
    assert response.status_code == 201 and response.get_json()["title"] == "石墨烯膜"
    assert client.get("/api/v1/patents?q=%00&ipc=%00", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_ids_beyond_the_database_integers_are_404_not_500(client, db):
    """PostgreSQL's integer keys are 32-bit: an id past them is a missing row, not an overflow error."""
    from app.services import tokens

    user = make_user()
    _, token = tokens.create(user, "ids")
    for url in ("/listings/2147483648", "/patents/99999999999999999999", "/deals/2147483648"):
        assert client.get(url).status_code == 404, url
    assert client.get("/listings/2147483647").status_code == 404  # the largest id still routes
    api = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/patents/2147483648", headers=api).status_code == 404
    assert client.get("/api/v1/listings?page=100001", headers=api).status_code == 422
