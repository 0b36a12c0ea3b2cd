import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from babel.messages.pofile import read_po

from app.models import Center, Listing, Need, Organisation, OrgKind, Patent, Trademark, User
from tests.conftest import make_user

# Babel resolves zh_CN to zh_Hans_CN, and the catalog directory is named so
CATALOG = Path(__file__).resolve().parents[2] / "app" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def test_demo_seed_loads_realistic_data(app, db):
    from app.demo.seed import DEMO_USERS, seed_demo
    from app.domain import credit_code, ipc, patent_numbers

    counts = seed_demo(db.session, password_hash="pbkdf2:sha256:1000$x$y", patents=2000, listings=200, needs=60)
    count = lambda m: db.session.scalar(sa.select(sa.func.count()).select_from(m))  # noqa: E731
    assert count(Center) >= 5 and count(Patent) >= 2000 and count(Listing) >= 200 and count(Need) >= 60
    assert count(Organisation) >= 60
    kinds = set(db.session.scalars(sa.select(Organisation.kind).distinct()))
    assert kinds == set(OrgKind)
    roles = {u["role"] for u in DEMO_USERS}
    assert roles >= {"member", "org_admin", "center_staff", "bureau_staff", "expert", "platform_admin"}
    assert all(db.session.scalar(sa.select(User.id).where(User.email == u["email"])) for u in DEMO_USERS)
    for patent in db.session.scalars(sa.select(Patent).limit(300)):
        number = patent_numbers.parse(patent.application_number, today=date(2026, 12, 1))
        assert number.patent_type == patent.patent_type
        for code in patent.ipc_list:
            assert ipc.normalize(code) == code
    for org in db.session.scalars(sa.select(Organisation)):
        credit_code.normalize(org.credit_code)
    for listing in db.session.scalars(sa.select(Listing)):
        assert all(p.owner_org_id == listing.org_id for p in listing.patents)
    assert counts["patents"] + counts["foreign_patents"] == count(Patent)
    assert counts["trademarks"] == count(Trademark) >= 50
    offices = set(db.session.scalars(sa.select(Patent.office).distinct()))
    assert {"CN", "US", "EP", "WO", "JP", "KR"} <= offices
    for patent in db.session.scalars(sa.select(Patent).where(Patent.office != "CN")):
        assert str(patent_numbers.parse_publication(patent.publication_number)) == patent.publication_number


def test_chinese_by_default_english_on_switch(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="zh-CN"' in html and "登录" in html
    client.get("/lang/en")
    html = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in html and "Log in" in html


def test_user_language_preference(client, db):
    user = make_user(locale="en")
    from tests.conftest import login

    login(client, user)
    assert "Log out" in client.get("/").get_data(as_text=True)


def test_catalog_is_complete():
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []
    from babel.messages.mofile import read_mo

    with CATALOG.with_suffix(".mo").open("rb") as f:
        compiled = read_mo(f)
    # the committed .mo is compiled from this .po (run `make translations` after editing it)
    def strings(cat):
        def norm(value):
            return tuple(value) if isinstance(value, (list, tuple)) else value

        return {norm(m.id): norm(m.string) for m in cat if m.id}

    assert strings(compiled) == strings(catalog)


def test_form_errors_are_translated(client):
    user = make_user()
    from tests.conftest import login

    login(client, user)
    html = client.post("/patents/new", data={"application_number": "202010566088.1"}).get_data(as_text=True)
    assert re.search(r"校验", html)


def test_demo_activity_goes_through_the_real_services(app, db):
    """`make run`'s activity: deals at every stage with exact counts, and negotiations at each step."""
    from app.demo.activity import seed_activity
    from app.demo.seed import seed_demo
    from app.models import Deal, Thread, ThreadOffer
    from app.services import deals as deal_service

    seed_demo(db.session, password_hash="pbkdf2:sha256:1000$x$y", patents=600, listings=120, needs=20)
    counts = seed_activity()
    assert counts["deals_completed"] > 0 and counts["deals_offline"] > 0 and counts["threads"] == 4
    statuses = set(db.session.scalars(sa.select(Deal.status).distinct()))
    assert {s.value for s in statuses} >= {"draft", "signed", "funded", "recorded", "disputed", "completed"}
    for center in db.session.scalars(sa.select(Center)):
        events = {y: n for y, n in deal_service.counts_by_year(center.id).items() if n}
        assert events == deal_service.recount_from_deals(center)
    assert not deal_service.unbalanced_transactions()
    threads = db.session.scalars(sa.select(Thread)).all()
    assert {t.status.value for t in threads} == {"open", "agreed"}
    agreed = next(t for t in threads if t.status.value == "agreed")
    assert agreed.deal_id and db.session.get(Deal, agreed.deal_id).status.value == "draft"
    assert db.session.scalar(sa.select(sa.func.count(ThreadOffer.id))) == 4  # an offer and a counter, twice
    assert {t.nda_status.value for t in threads} >= {"accepted", "none"}
