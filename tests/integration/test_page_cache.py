"""The public page cache: anonymous list and search pages are served from it, a commit shows at once,
nobody logged in ever gets a cached page."""

import pytest

from app import create_app
from tests.conftest import PASSWORD, make_listing, make_user


def cached_app(app, **config):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=30,
                      **config)


def test_anonymous_lists_are_cached_and_a_commit_shows_at_once(app, db):
    owner = make_user()
    make_listing(owner.org, title="石墨烯导热膜第一件")
    client = cached_app(app).test_client()
    first = client.get("/listings/")
    assert first.status_code == 200 and "X-Page-Cache" not in first.headers
    again = client.get("/listings/")
    assert again.headers.get("X-Page-Cache") == "hit" and again.data == first.data
    assert "frame-ancestors 'none'" in again.headers["Content-Security-Policy"]  # headers still added
    assert client.get("/listings/?q=石墨烯").headers.get("X-Page-Cache") is None  # the query is part of the key
    make_listing(owner.org, title="碳纤维复合材料第二件")  # a commit: a new generation
    fresh = client.get("/listings/")
    assert fresh.headers.get("X-Page-Cache") is None and "碳纤维复合材料第二件" in fresh.get_data(as_text=True)
    draft = make_listing(owner.org, title="未发布的草稿", status="draft")
    assert draft.title not in client.get("/listings/").get_data(as_text=True)


def test_logged_in_users_and_other_pages_are_never_cached(app, db):
    user = make_user()
    listing = make_listing(user.org)
    cached = cached_app(app)
    client = cached.test_client()
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    for _ in range(2):
        assert client.get("/listings/").headers.get("X-Page-Cache") is None
    anonymous = cached.test_client()
    for _ in range(2):
        assert anonymous.get(f"/listings/{listing.id}").headers.get("X-Page-Cache") is None
        assert anonymous.get("/auth/login").headers.get("X-Page-Cache") is None


def test_language_is_part_of_the_key(app, db):
    client = cached_app(app).test_client()
    client.get("/")
    assert client.get("/").headers.get("X-Page-Cache") == "hit"
    client.get("/lang/en")
    english = client.get("/")
    assert english.headers.get("X-Page-Cache") is None and 'lang="en"' in english.get_data(as_text=True)


def test_workers_share_pages_and_generation_through_redis(app, db):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    owner = make_user()
    import uuid

    prefix = f"ipx-test-{uuid.uuid4().hex}:"  # other test runs on this Redis never bump our generation
    one, two = (cached_app(app, PAGE_CACHE_URL=url, PAGE_CACHE_PREFIX=prefix).test_client() for _ in range(2))
    one.get("/needs/")
    assert two.get("/needs/").headers.get("X-Page-Cache") == "hit"  # rendered by the other worker
    make_listing(owner.org)  # committed here: both workers see a new generation
    assert one.get("/needs/").headers.get("X-Page-Cache") is None
