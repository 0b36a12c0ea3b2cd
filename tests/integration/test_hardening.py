"""The findings of an attack run: logins that survive a dead rate-limit store, no redirect off-site, sessions
that end on the server, a per-account login limit, client addresses through a trusted proxy only, tokens
revoked with the sessions, download names from the stored type, weak passwords refused."""

from __future__ import annotations

import io
import logging
import secrets
from datetime import date

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import limiter
from app.models import ApiToken, OutboxEmail
from app.services import tokens
from tests.conftest import PASSWORD, login, make_user

REDIS = "redis://127.0.0.1:6379/15"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def make_app(app):
    """create_app with overrides on the suite's database. The rate limiter is one object for every app (its
    decorators are bound at import): afterwards it is bound back to the suite's app, limits off."""
    made = []

    def make(**overrides):
        made.append(create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **overrides))
        return made[-1]

    yield make
    limiter._storage_dead = False  # a dead store seen by one test must not route the next one to memory
    limiter.init_app(app)


@pytest.fixture
def redis_prefix():
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = "ipx-test-" + secrets.token_hex(4)  # a fresh key space, so nothing else is touched
    yield prefix
    connection = redis.Redis.from_url(REDIS)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


# ---- 1. a rate-limit store that is down ---------------------------------------------------------


def test_login_and_registration_work_with_the_rate_limit_store_unreachable(make_app, caplog):
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=DEAD_REDIS, LOGIN_RATE_LIMIT="3 per minute",
                       REGISTER_RATE_LIMIT="2 per minute")
    user = make_user()
    client = limited.test_client()
    with caplog.at_level(logging.WARNING):
        assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert "falling back to in-memory storage" in caplog.text
    client = limited.test_client()
    codes = [client.post("/auth/login", data={"email": "x@y.cn", "password": "wrong-wrong"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]  # the limits still hold, per process
    from app.domain import credit_code

    data = {"org_name": "故障测试公司", "org_kind": "sme", "credit_code": credit_code.make("91140100MA9999999"),
            "user_name": "王工", "email": "new@example.cn", "password": "graphene-film-2026",
            "password2": "graphene-film-2026"}
    assert limited.test_client().post("/auth/register", data=data).status_code == 302  # registered
    assert [client.post("/auth/register", data=data).status_code for _ in range(2)] == [200, 429]


# ---- 2. redirects stay on the site ----------------------------------------------------------------

TRICKS = ["%2F%09%2Fevil.example", "/%0D/evil.example", "/%0A/evil.example", "%0A", "//evil.example", "/\\evil.example",
          "%2F%5Cevil.example", "https:evil.example", "https://evil.example/", "%2F%2Fevil.example", "http%3A//evil.example",
          "/%E3%80%80/evil.example", "%20//evil.example", "evil.example", "javascript:alert(1)", "/%C2%A0/evil.example"]


@pytest.mark.parametrize("trick", TRICKS)
def test_next_never_leaves_the_site(client, trick):
    user = make_user()
    response = client.post(f"/auth/login?next={trick}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/workspace", response.headers["Location"]
    response = client.get(f"/lang/en?next={trick}")
    assert response.status_code == 302 and response.headers["Location"] == "/", response.headers["Location"]


def test_next_follows_a_path_of_the_site(client):
    user = make_user()
    response = client.post("/auth/login?next=/listings/%3Fq%3D石墨烯", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/listings/?q=%E7%9F%B3%E5%A2%A8%E7%83%AF"  # 石墨烯
    assert client.get("/lang/en?next=/patents/").headers["Location"] == "/patents/"


# ---- 3. sessions end on the server ----------------------------------------------------------------


def _copy_session(source, app):
    """A second browser holding a copy of the session cookie as it is now."""
    thief = app.test_client()
    thief.set_cookie("session", source.get_cookie("session").value, domain="localhost")
    assert thief.get("/auth/profile").status_code == 200
    return thief


def test_cookie_copied_before_logout_is_refused_after_it(app, client):
    login(client, make_user())
    thief = _copy_session(client, app)
    client.post("/auth/logout")
    assert thief.get("/auth/profile").status_code == 302


def test_cookie_copied_before_logout_everywhere_is_refused_after_it(app, client):
    login(client, make_user())
    thief = _copy_session(client, app)
    client.post("/auth/logout-everywhere")
    assert thief.get("/auth/profile").status_code == 302


def test_cookie_copied_before_a_password_change_is_refused_after_it(app, client):
    login(client, make_user())
    thief = _copy_session(client, app)
    new = "a-new-secret-9"
    response = client.post("/auth/password", data={"pw-current_password": PASSWORD, "pw-password": new, "pw-password2": new})
    assert response.status_code == 302
    assert thief.get("/auth/profile").status_code == 302
    assert client.get("/auth/profile").status_code == 200  # the session that changed it goes on


def test_checking_the_session_costs_no_query_beyond_loading_the_user(app, client, db):
    login(client, make_user())
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        client.get("/auth/profile")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    users = [s for s in statements if "FROM users" in s and "WHERE users.id" in s]
    assert len(users) == 1, users


# ---- 4. a per-account login limit -----------------------------------------------------------------


def _outbox_to(db, user):
    return db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_user_id == user.id)).all()


def test_account_limit_is_shared_by_two_instances_through_redis_and_tells_the_holder(make_app, redis_prefix, db):
    settings = {"RATELIMIT_STORAGE_URI": REDIS, "RATELIMIT_KEY_PREFIX": redis_prefix, "LOGIN_ACCOUNT_FREE_ATTEMPTS": 3,
                "LOGIN_ACCOUNT_BASE_DELAY": 60}
    workers = [make_app(**settings) for _ in range(2)]
    user = make_user()
    # every attempt from a fresh client (a fresh address, for all the limit knows)
    def attempt(i, password="wrong-wrong"):
        return workers[i % 2].test_client().post("/auth/login", data={"email": user.email, "password": password})

    assert [attempt(i).status_code for i in range(3)] == [200, 200, 200]
    response = attempt(3, PASSWORD)  # the right password, but the account's delay runs
    assert response.status_code == 429 and "此账号登录失败次数过多" in response.get_data(as_text=True)
    assert attempt(4, PASSWORD).status_code == 429  # the other instance knows it too
    mails = _outbox_to(db, user)
    assert len(mails) == 1 and "登录" in mails[0].subject and "3" in mails[0].body  # in the holder's language
    # the delay grows, and it ends: move both instances' clocks
    throttles = [w.extensions["login_throttle"] for w in workers]
    start = throttles[0].clock()
    for t in throttles:
        t.clock = lambda: start + 61
    assert attempt(0).status_code == 200  # the fourth failure: the next one waits 120 s
    for t in throttles:
        t.clock = lambda: start + 61 + 100
    assert attempt(1, PASSWORD).status_code == 429
    for t in throttles:
        t.clock = lambda: start + 61 + 121
    assert attempt(1, PASSWORD).status_code == 302  # a success forgets the failures
    assert attempt(0).status_code == 200
    assert len(_outbox_to(db, user)) == 1


def test_account_limit_counts_per_process_with_redis_unreachable(make_app, caplog):
    worker = make_app(RATELIMIT_STORAGE_URI=DEAD_REDIS, LOGIN_ACCOUNT_FREE_ATTEMPTS=2, LOGIN_ACCOUNT_BASE_DELAY=60)
    user = make_user(locale="en")
    with caplog.at_level(logging.WARNING):
        codes = [worker.test_client().post("/auth/login", data={"email": user.email, "password": "wrong-wrong"}).status_code
                 for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "Redis unreachable" in caplog.text
    mail = _outbox_to(__import__("app.extensions").extensions.db, user)[0]
    assert mail.subject == "Failed log-ins to your account"


def test_account_delay_grows_to_a_ceiling_and_never_locks_for_good():
    from app.domain.login_throttle import Policy, State, decide, delay_after

    policy = Policy(free_attempts=5, base_delay=2, max_delay=900)
    assert [delay_after(n, policy) for n in range(1, 12)] == [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128]
    assert delay_after(10_000, policy) == 900
    state, now, allowed = State(), 0.0, 0
    for _ in range(100):  # 100 guesses in 20 s: the attack run's pace
        decision = decide(state, now, policy)
        allowed += decision.allowed
        state, now = decision.state, now + 0.2
    assert allowed == 8
    assert decide(state, state.not_before, policy).allowed  # waiting is always enough


# ---- 5. the client's address behind a trusted proxy -----------------------------------------------


def test_client_address_is_seen_through_a_trusted_proxy_only():
    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    from app.proxy import TrustedProxies

    def echo(environ, start_response):
        return Response(f"{environ['REMOTE_ADDR']} {environ['wsgi.url_scheme']}")(environ, start_response)

    client = Client(TrustedProxies(echo, "127.0.0.1, 10.0.0.0/8"))
    spoofed = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1", "X-Forwarded-Proto": "https"}
    assert client.get("/", headers=spoofed, environ_base={"REMOTE_ADDR": "10.1.2.3"}).text == "198.51.100.1 https"
    assert client.get("/", headers=spoofed, environ_base={"REMOTE_ADDR": "127.0.0.1"}).text == "198.51.100.1 https"
    assert client.get("/", headers=spoofed, environ_base={"REMOTE_ADDR": "192.0.2.5"}).text == "192.0.2.5 http"
    assert Client(TrustedProxies(echo, "*")).get("/", headers=spoofed).text == "198.51.100.1 https"


def test_rate_limit_buckets_follow_the_client_behind_the_proxy(make_app):
    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", FORWARDED_ALLOW_IPS="10.0.0.2")
    client = limited.test_client()

    def post(remote, forwarded):
        return client.post("/auth/login", data={"email": "a@b.cn", "password": "wrong-wrong"},
                           headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": remote}).status_code

    # through the proxy each client has a bucket of its own
    assert [post("10.0.0.2", "203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert post("10.0.0.2", "203.0.113.2") == 200
    # from anyone else the header is ignored: changing it does not buy a fresh bucket
    assert [post("192.0.2.7", f"203.0.113.{i}") for i in range(10, 13)] == [200, 200, 429]


# ---- 6. tokens end with the sessions --------------------------------------------------------------


def _live_tokens(db, user):
    return db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.user_id == user.id,
                                                                         ApiToken.revoked_at.is_(None)))


def test_logout_everywhere_revokes_api_tokens_when_asked(client, db):
    user = make_user()
    _, secret = tokens.create(user, "ERP")
    login(client, user)
    page = client.get("/auth/profile").get_data(as_text=True)
    box = page[page.rindex("<input", 0, page.index('id="revoke_tokens"')):].split(">", 1)[0]
    assert "checked" in box and 'type="checkbox"' in box  # ticked unless the holder unticks it
    client.post("/auth/logout-everywhere", data={"revoke_tokens": "y"})
    assert _live_tokens(db, user) == 0
    assert client.get("/api/v1/patents", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    kept = make_user()
    tokens.create(kept, "kept")
    login(client, kept)
    client.post("/auth/logout-everywhere", data={"submit": "y"})  # the box unticked: the browser leaves it out
    assert _live_tokens(db, kept) == 1


def test_password_change_revokes_api_tokens_by_default(client, db):
    user = make_user()
    tokens.create(user, "ERP")
    tokens.create(user, "BI")
    login(client, user)
    assert 'id="pw-revoke_tokens"' in client.get("/auth/profile").get_data(as_text=True)
    new = "a-new-secret-9"
    response = client.post("/auth/password", data={"pw-current_password": PASSWORD, "pw-password": new,
                                                   "pw-password2": new, "pw-revoke_tokens": "y"}, follow_redirects=True)
    assert _live_tokens(db, user) == 0
    assert "2 个 API 令牌已吊销" in response.get_data(as_text=True)


# ---- 7. downloads are named from the stored type --------------------------------------------------


def test_download_name_takes_the_stored_type_not_the_uploaded_extension(app, db):
    from app.domain.files import download_name
    from app.models import AllianceMembership
    from app.services import deals as ds
    from tests.conftest import make_center, make_listing, make_org, make_patent

    assert download_name("x.html", "ab12.pdf") == "x.pdf"
    assert download_name("合同 2024-001", "ab12.png") == "合同 2024-001.png"
    assert download_name("", "ab12.jpg") == "ab12.jpg"
    center = make_center(approval_date=date(2024, 3, 1))
    seller, buyer = make_user(org=make_org("university")), make_user(org=make_org("sme"))
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    listing = make_listing(seller.org, [make_patent(seller.org)], offers_ordinary=True)
    deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100)
    client = app.test_client()
    login(client, buyer)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(f"/deals/{deal.id}/contract", data={"contract": (io.BytesIO(pdf), "x.html", "text/html")},
                content_type="multipart/form-data")
    response = client.get(f"/deals/{deal.id}/contract")
    assert response.status_code == 200 and response.data == pdf
    assert 'filename=x.pdf' in response.headers["Content-Disposition"]
    assert response.mimetype == "application/pdf"


# ---- 9. weak passwords ----------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["Password123!", "P@ssw0rd2026", "iloveyou520"])
def test_guessable_passwords_are_refused(client, db, weak):
    from app.domain import passwords

    with pytest.raises(passwords.PasswordError):
        passwords.check(weak, email="li@example.cn", name="李雷")
    user = make_user()
    login(client, user)
    response = client.post("/auth/password", data={"pw-current_password": PASSWORD, "pw-password": weak, "pw-password2": weak})
    assert response.status_code == 400 and "太容易被猜到" in response.get_data(as_text=True)


def test_passwords_made_of_the_users_own_name_or_address_are_refused():
    from app.domain import passwords

    passwords.check("zhangwei2026", email="li@example.cn", name="李雷")  # strong enough for someone else
    with pytest.raises(passwords.PasswordError):
        passwords.check("zhangwei2026", email="zhangwei@example.cn", name="张伟")
    with pytest.raises(passwords.PasswordError):
        passwords.check("wangxiaoming", email="wang.xm@example.cn", name="Wang Xiaoming")
    passwords.check("demo-pass-2026", email="admin@ipx.local", name="平台管理员")  # the demo password stays usable


# ---- 8. the API answers as its document says ------------------------------------------------------


def test_api_instants_carry_their_offset_and_paging_out_of_range_is_422(client, db):
    from datetime import datetime

    from tests.conftest import make_listing

    user = make_user()
    make_listing(user.org, published_at=datetime(2026, 3, 1, 16, 30))  # stored naive UTC
    _, secret = tokens.create(user, "api")
    api = {"Authorization": f"Bearer {secret}"}
    item = client.get("/api/v1/listings", headers=api).json["items"][0]
    assert item["published_at"] == "2026-03-01T16:30:00Z"
    assert datetime.fromisoformat(item["published_at"]).utcoffset().total_seconds() == 0
    for query in ("per_page=0", "per_page=-1", "per_page=101", "page=0", "page=-3", "page=x", "mine=2"):
        response = client.get(f"/api/v1/listings?{query}", headers=api)
        assert response.status_code == 422, query
        assert response.json["error"]["fields"][0]["path"] == query.split("=")[0], query
    assert client.get("/api/v1/listings?per_page=100&page=1", headers=api).status_code == 200


def test_api_errors_keep_their_headers_and_only_documented_codes(client, db):
    from app.api.openapi import document

    user = make_user()
    _, secret = tokens.create(user, "api")
    api = {"Authorization": f"Bearer {secret}"}
    unauthorised = client.get("/api/v1/patents")
    assert unauthorised.status_code == 401 and unauthorised.headers["WWW-Authenticate"] == "Bearer"
    wrong_method = client.delete("/api/v1/patents", headers=api)
    assert wrong_method.status_code == 405 and wrong_method.json["error"]["code"] == 405
    assert set(wrong_method.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS"}
    assert client.put("/auth/login").headers["Allow"]  # the HTML error page keeps it too
    for data in ("not json", "[1, 2]", '"text"'):
        response = client.post("/api/v1/needs", headers={**api, "Content-Type": "application/json"}, data=data)
        assert response.status_code == 422 and response.json["error"]["fields"][0]["path"] == "body"
        assert "422" in document()["paths"]["/api/v1/needs"]["post"]["responses"]
    assert "400" not in str(document()["paths"])


def test_the_app_trusts_the_same_proxies_as_gunicorn(monkeypatch):
    import importlib
    import runpy
    from pathlib import Path

    import config

    conf = str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")
    monkeypatch.setenv("APP_CONFIG", "testing")
    for value in (None, "10.0.0.2,10.0.0.3"):
        if value is None:
            monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
        else:
            monkeypatch.setenv("FORWARDED_ALLOW_IPS", value)
        assert importlib.reload(config).Config.FORWARDED_ALLOW_IPS == runpy.run_path(conf)["forwarded_allow_ips"]
    monkeypatch.undo()
    importlib.reload(config)  # as the environment has it
