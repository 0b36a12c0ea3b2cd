"""Fixtures: a real database (SQLite file, or PostgreSQL via TEST_DATABASE_URL) built by the
migrations, emptied after every test; small factory functions for the objects tests need."""

from __future__ import annotations

import itertools
import os
from datetime import date

import pytest
import sqlalchemy as sa

from app import create_app
from app.domain import credit_code, patent_numbers
from app.extensions import db as _db
from app.models import (
    Center,
    Industry,
    Listing,
    Need,
    Organisation,
    OrgKind,
    Patent,
    PatentApplicant,
    PatentIPC,
    Role,
    User,
)
from app.models.org import Invitation  # noqa: F401
from werkzeug.security import generate_password_hash

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def _sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return _sqlalchemy_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url(tmp_path_factory),
                     UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")))  # never the instance folder
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()  # the schema comes from the migrations, as in production
    return app


@pytest.fixture(autouse=True)
def _user_per_request(app):
    """Requests reuse the test's app context, and so ``g``, where Flask-Login caches the user:
    forget it before each request so that every test client acts as its own logged-in user.
    Flask-Babel caches the request's locale there too."""
    from flask import g
    from flask_babel import refresh

    def forget():
        g.pop("_login_user", None)
        refresh()

    funcs = app.before_request_funcs.setdefault(None, [])
    funcs.insert(0, forget)
    yield
    funcs.remove(forget)


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield
        _db.session.rollback()
        _db.session.remove()
        _truncate_all()


def _truncate_all() -> None:
    existing = set(sa.inspect(_db.engine).get_table_names())
    tables = [t.name for t in _db.metadata.sorted_tables if t.name in existing]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(sa.text(f'DELETE FROM "{name}"'))


@pytest.fixture
def db():
    return _db


@pytest.fixture
def job_queue(app, monkeypatch):
    """The RQ queues in a real Redis (127.0.0.1:6379, database 15), of this test alone: the short tasks'
    queue (its ``long`` attribute: the imports' queue). Jobs wait there until the test runs
    ``jobs.work(burst=True)`` (`flask worker --burst`). Skips without Redis."""
    import secrets

    import redis
    from rq import Queue

    from app import jobs

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    name = "ipx-test-" + secrets.token_hex(4)
    monkeypatch.setattr(jobs, "QUEUE", name)
    monkeypatch.setattr(jobs, "LONG_QUEUE", name + "-long")
    monkeypatch.setitem(app.config, "JOB_QUEUE_URL", url)
    monkeypatch.setattr(jobs, "_worker_app", None)  # work() binds the app; forget it after the test
    connection = redis.Redis.from_url(url)
    queue, long_queue = Queue(name, connection=connection), Queue(name + "-long", connection=connection)
    queue.long = long_queue  # the imports' queue
    yield queue
    queue.delete(delete_jobs=True)
    long_queue.delete(delete_jobs=True)


@pytest.fixture
def client(app):
    return app.test_client()


# ---- factories -------------------------------------------------------------------------


def make_org(kind: OrgKind | str = OrgKind.ENTERPRISE, name: str | None = None, **kw) -> Organisation:
    n = next(_counter)
    org = Organisation(
        name=name or f"测试组织{n}",
        kind=OrgKind(kind),
        credit_code=credit_code.make(f"91140100MA{n:07d}"),
        region=kw.pop("region", "太原市小店区"),
        **kw,
    )
    _db.session.add(org)
    _db.session.commit()
    return org


def make_user(org: Organisation | None = None, role: Role | str = Role.ORG_ADMIN, **kw) -> User:
    n = next(_counter)
    org = org or make_org()
    user = User(
        email=kw.pop("email", f"user{n}@example.cn"),
        name=kw.pop("name", f"用户{n}"),
        password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
        role=Role(role),
        org=org,
        **kw,
    )
    _db.session.add(user)
    _db.session.commit()
    return user


def make_patent(org: Organisation | None = None, **kw) -> Patent:
    n = next(_counter)
    kind = kw.pop("patent_type", "invention")
    code = {"invention": "1", "utility_model": "2", "design": "3"}[kind]
    year = kw.pop("year", 2020)
    patent = Patent(
        application_number=kw.pop("application_number", patent_numbers.make(year, code, 500000 + n)),
        title=kw.pop("title", f"一种石墨烯复合材料的制备方法{n}"),
        abstract=kw.pop("abstract", "本发明公开了一种石墨烯复合材料的制备方法。"),
        patent_type=kind,
        legal_status=kw.pop("legal_status", "granted"),
        filing_date=kw.pop("filing_date", date(year, 3, 1)),
        grant_date=kw.pop("grant_date", date(year + 2, 5, 1)),
        claims_count=kw.pop("claims_count", 8),
        industry=kw.pop("industry", Industry.CARBON_MATERIALS),
        owner_org_id=org.id if org else None,
        **kw,
    )
    patent.ipc_codes = [PatentIPC(code="C01B 32/184", position=0)]
    patent.applicants = [PatentApplicant(name=org.name if org else "外部申请人", org_id=org.id if org else None)]
    _db.session.add(patent)
    _db.session.commit()
    return patent


def make_listing(org: Organisation, patents: list[Patent] | None = None, status: str = "published", **kw) -> Listing:
    listing = Listing(
        org_id=org.id,
        title=kw.pop("title", "石墨烯导热膜专利转让"),
        offers_transfer=kw.pop("offers_transfer", True),
        price_fen=kw.pop("price_fen", 50_000_000),
        trl=kw.pop("trl", 6),
        industry=kw.pop("industry", Industry.CARBON_MATERIALS),
        status=status,
        **kw,
    )
    listing.patents = patents if patents is not None else [make_patent(org)]
    _db.session.add(listing)
    _db.session.commit()
    return listing


def make_need(org: Organisation, status: str = "published", **kw) -> Need:
    need = Need(
        org_id=org.id,
        title=kw.pop("title", "寻求锂电池负极材料改性技术"),
        description=kw.pop("description", "提升快充性能"),
        industry=kw.pop("industry", Industry.NEW_ENERGY_VEHICLES),
        status=status,
        **kw,
    )
    _db.session.add(need)
    _db.session.commit()
    return need


def make_center(industry: Industry = Industry.CARBON_MATERIALS, approval_date: date | None = date(2024, 3, 1)) -> Center:
    org = make_org(OrgKind.CENTER)
    center = Center(org=org, name=f"{org.name}运营中心", industry=industry, approval_date=approval_date)
    _db.session.add(center)
    _db.session.commit()
    return center


def login(client, user: User) -> None:
    """Log a user in through the real form (CSRF is off in the test config)."""
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def factories():
    class F:
        org = staticmethod(make_org)
        user = staticmethod(make_user)
        patent = staticmethod(make_patent)
        listing = staticmethod(make_listing)
        need = staticmethod(make_need)
        center = staticmethod(make_center)

    return F
