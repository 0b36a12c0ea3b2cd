import sqlalchemy as sa

from app import create_app
from app.models import Listing
from tests.conftest import PASSWORD, make_listing, make_user


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
    assert response.headers["Location"] in ("/", "http://localhost/")
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
