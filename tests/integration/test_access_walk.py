"""ASVS 4.2.1 / 4.1.3 as a walk: every route in ``app.url_map`` that takes an id is requested for every
role (own and other organisation) against objects that belong to organisation A.

The walk is built from the URL map, so a new route is covered as soon as it exists: its id
parameters are resolved by name (``ID_SOURCES``); a route with an id nobody knows how to fill
fails ``test_every_id_route_is_resolvable`` until the parameter is added here.

What an outsider may get: 401/403/404, a redirect to the login page, 405 — or, for the objects on
the public allow-list, a 200 page. No response to an outsider ever carries a private marker
(every private object of organisation A has a unique ``SECRET-…`` string in a field its pages
show), no POST by an outsider changes a single row, and nothing answers 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product

import pytest
import sqlalchemy as sa
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from app import create_app
from app.domain import program as rules
from app.models import (
    Acceptance,
    AllianceMembership,
    ImportJob,
    Invitation,
    Match,
    OrgKind,
    PoolPatent,
    ReportFile,
    Role,
)
from app.services import applications as apps
from app.services import lifecycle as life
from app.services import member_support as support
from app.services import deals as ds
from app.services import negotiation
from app.services import pools as pool_service
from app.services import program as ps
from app.services import tokens
from tests.conftest import login, make_center, make_listing, make_need, make_org, make_patent, make_user
from tests.lifecycle_support import meet_conditions, on_notice, pass_first_review

# Objects anyone may read (a 200 page for an outsider is fine; it still must not leak a marker).
PUBLIC_GET = {
    "patents.detail", "api.patent",  # patents are public records
    "centers.detail",  # the centers and their alliances are public
    "orgs.detail",  # the public profile of an organisation
    "pools.detail",  # a pool's members, patents and terms are offered to licensees
    "program.event_detail",  # training events are announced publicly
    "program.window_detail",  # the call for applications is public
    # pages of a center's services that list only the viewer's own requests (plus the form to ask)
    "program.financing", "program.watches", "program.disputes", "program.events",
    "program.apply",  # the form to apply to a public call (the draft is then the applicant's own)
    "program.notice_detail",  # the public notice (公示) and its objection form are for everyone
}

# Actions an outsider takes on a public object for himself, with the only tables they may change.
OWN_ACTIONS = {
    "program.event_action": {"event_signups"},  # sign up for / out of a public training event
    "centers.join": {"alliance_memberships", "audit_records"},  # ask to join a center's alliance (pending)
}

# Forms on a public object that answer an outsider's empty form with a message and a redirect back to the
# object (nothing changes; the permission check itself is in test_only_the_pool_manager_changes_a_pool).
PUBLIC_OBJECT_FORMS = {"pools.contribute", "pools.invite", "pools.licence", "pools.terms"}

# Roles that may read a center's program and its members' service requests (oversight).
# The bureau supervises every center: board, plan, records, reports, requests (see services/program.py
# ``can_view_program`` and services/member_support.py ``can_view_request``).
BUREAU_READS = {
    "program.board", "program.plan", "program.plan_version", "program.records", "program.exit_monitor",
    "program.report", "program.report_pdf", "program.report_xlsx", "program.download_report_file",
    "program.financing", "program.watches",
    "program.disputes", "program.events", "program.financing_detail", "program.watch_detail",
    "program.dispute_detail", "program.product_evidence", "program.edit_record", "pools.weights",
    "targets.dashboard", "targets.year_deals", "targets.export_center", "api.center_targets", "pools.grades",
    "program.lifecycle", "program.acceptance_review", "program.fund_report_file", "program.diligence_report_file",
}
# The bureau keeps the task books and exit cases of every center (services/applications.py), and has
# report files made of any center's yearly report.
BUREAU_ACTS = {"program.open_case", "program.close_case", "program.record_equity", "program.record_task_book",
               "program.request_report_file",
               # the lifecycle: first review, diligence, notice, false material, fund-use reviews, acceptance
               "program.schedule_defence", "program.record_attendance", "program.decide_review",
               "program.appoint_diligence", "program.diligence_report", "program.diligence_outcome",
               "program.publish_notice", "program.answer_objection", "program.false_material",
               "program.review_fund_report", "program.assign_acceptance_expert", "program.decide_acceptance"}
# GET routes that send the bureau on to a page it reads: the old report links lead to the newest file
# (program.download_report_file), or back to the report page while there is none.
BUREAU_REDIRECTS = {"program.report_pdf", "program.report_xlsx"}
BUREAU_MARKERS = {"SECRET-plan", "SECRET-financing", "SECRET-watch", "SECRET-dispute", "SECRET-navigation",
                  "SECRET-exit", "SECRET-fund", "SECRET-acceptance", "SECRET-defence"}
# Bookkeeping columns a request may touch without changing any object (token authentication).
IGNORED_COLUMNS = {"last_used_at"}

OUTSIDERS = ("member_b", "admin_b", "staff_b", "bureau", "anonymous")
INSIDERS = ("member_a", "admin_a", "staff_a", "platform")
REFUSED = {401, 403, 404, 405}
# GET id routes no insider of the walk opens with a 200 (files that do not exist on disk, expert pages …)
NO_INSIDER_200 = {
    "deals.download_contract",  # no contract uploaded in the walk's world
    "program.download_document",  # the document row has no file behind it
    "program.score",  # only an assigned expert, and only once submitted
    "program.product_evidence",  # no evidence file uploaded
    "program.report_pdf", "program.report_xlsx",  # redirects to the newest file (or to the report page)
    "negotiation.download",  # the walk's thread message has no attachment
    # lifecycle files whose rows have no file behind them in the walk
    "program.condition_proof", "program.diligence_report_file", "program.fund_report_file",
    "program.acceptance_document_file",
}


def endpoint_kind(endpoint: str) -> str:
    return {"program.product_evidence": "products"}[endpoint]


def _item_source(endpoint: str) -> str:
    for kind in ("dispute", "financing", "watch"):
        if kind in endpoint:
            return kind
    raise KeyError(endpoint)


# id parameter -> key into the world (or a fixed value); endpoint-dependent ones are callables.
ID_SOURCES = {
    "listing_id": "listing", "need_id": "need", "deal_id": "deal", "job_id": "import_job",
    "center_id": "center", "membership_id": "membership", "org_id": "org", "user_id": "user",
    "inv_id": "invitation", "token_id": "token", "patent_id": "patent", "pool_id": "pool",
    "pp_id": "pool_patent", "application_id": "application", "document_id": "document",
    "case_id": "exit_case", "event_id": "event", "offer_id": "offer", "window_id": "window",
    "thread_id": "thread", "message_id": "thread_message",
    "match_id": "match", "file_id": "report_file",
    "notice_id": "notice", "objection_id": "objection", "report_id": "diligence_report",
    "fund_report_id": "fund_report", "acceptance_id": "acceptance",
    "version": 1,
    "year": lambda endpoint, values: 1 if endpoint.startswith("program.") else 2025,  # program year / calendar year
    "record_id": lambda endpoint, values: "record:" + (values.get("kind") or endpoint_kind(endpoint)),
    "item_id": lambda endpoint, values: _item_source(endpoint),
}
# Non-id string parameters that some id routes also take.
STRING_VALUES = {"action": "sign", "key": "good_standing"}


def id_rules(app):
    return [r for r in app.url_map.iter_rules()
            if any(isinstance(c, IntegerConverter) for c in r._converters.values())]


def expand(rule, world):
    """All URLs for ``rule``: one per choice of every ``any(...)`` parameter."""
    choices = []
    for name, conv in rule._converters.items():
        if isinstance(conv, AnyConverter):
            choices.append([(name, item) for item in sorted(conv.items)])
        elif not isinstance(conv, IntegerConverter):
            choices.append([(name, STRING_VALUES[name])])
    urls = []
    for combo in product(*choices) if choices else [()]:
        values = dict(combo)
        for name, conv in rule._converters.items():
            if isinstance(conv, IntegerConverter):
                source = ID_SOURCES[name]
                if callable(source):
                    source = source(rule.endpoint, values)
                values[name] = world[source] if isinstance(source, str) else source
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


# ---- the world: organisation A owns one of everything ------------------------------------------


def build_world(db) -> tuple[dict, dict]:
    clock = datetime(2025, 6, 3, 2, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Beijing (2 June: Dragon Boat Festival)
    center_a = make_center()
    center_b = make_center(industry="hydrogen")
    org_a = make_org(OrgKind.ENTERPRISE)
    org_b = make_org(OrgKind.SME)
    bureau_org = make_org(OrgKind.BUREAU)
    users = {
        "member_a": make_user(org_a, Role.MEMBER), "admin_a": make_user(org_a, Role.ORG_ADMIN),
        "member_b": make_user(org_b, Role.MEMBER), "admin_b": make_user(org_b, Role.ORG_ADMIN),
        "staff_a": make_user(center_a.org, Role.CENTER_STAFF), "staff_b": make_user(center_b.org, Role.CENTER_STAFF),
        "bureau": make_user(bureau_org, Role.BUREAU_STAFF), "platform": make_user(make_org(), Role.PLATFORM_ADMIN),
    }
    membership = AllianceMembership(center_id=center_a.id, org_id=org_a.id, status="approved")
    db.session.add_all([membership, AllianceMembership(center_id=center_b.id, org_id=org_b.id, status="approved")])
    db.session.commit()
    admin_a, member_a, staff_a, bureau = users["admin_a"], users["member_a"], users["staff_a"], users["bureau"]

    patent = make_patent(org_a)
    listing = make_listing(org_a, [make_patent(org_a)], status="draft", title="SECRET-listing 草稿")
    need = make_need(org_a, status="draft", title="SECRET-need 草稿")
    # a deal in escrow: A buys from a seller's listing, both sign, A funds (ledger and escrow rows exist)
    seller = make_user(make_org(OrgKind.UNIVERSITY), Role.ORG_ADMIN)
    on_sale = make_listing(seller.org, [make_patent(seller.org)], offers_ordinary=True)
    deal = ds.start_from_listing(admin_a, on_sale, kind="ordinary", price_fen=100_000, payment_terms="SECRET-deal 付款")
    ds.sign(seller, deal.id)
    ds.sign(admin_a, deal.id)
    ds.fund(admin_a, deal.id)
    job = ImportJob(kind="patents", filename="SECRET-import.csv", center_id=center_a.id, created_by_id=staff_a.id)
    db.session.add(job)
    db.session.commit()
    token, _ = tokens.create(admin_a, "SECRET-token")
    invitation = Invitation(org_id=org_a.id, email="secret-invite@example.cn", role="member", token_hash="x" * 64,
                            invited_by_id=admin_a.id, expires_at=datetime(2099, 1, 1))
    db.session.add(invitation)
    db.session.commit()
    pool = pool_service.create_pool(admin_a, name="池A", field="石墨烯", industry="carbon_materials", center=None)
    pool_service.contribute(admin_a, pool, [patent.id])
    pool_patent = db.session.scalar(sa.select(PoolPatent).where(PoolPatent.pool_id == pool.id))

    # the center's program (center-private: its staff and the bureau)
    ps.save_plan(staff_a, center_a, {k: "SECRET-plan 内容" for k in rules.PLAN_SECTIONS})
    today = clock.date()
    records = {
        "navigation": ps.add_navigation(staff_a, center_a, ps.NavigationData(
            "SECRET-navigation", "rd_activity", "某企业", "in_progress", date(2025, 1, 1)), today=today),
        "products": ps.add_product(staff_a, center_a, ps.ProductData("产品", org_a.name, patent.application_number),
                                   today=today),
        "pct": ps.add_pct(staff_a, center_a, ps.PctData("申请人", "发明", "PCT/CN2025/000001", "national",
                                                        date(2025, 5, 1), "US"), today=today),
        "standards": ps.add_standard(staff_a, center_a, ps.StandardData(
            "GB/T 1-2025", "标准", "national", "drafting", patent.application_number), today=today),
    }
    records["awards"] = ps.add_award(staff_a, center_a, ps.AwardData(
        "山西省专利奖", "provincial", "nominated", product_id=records["products"].id), today=today)
    financing = support.request_financing(member_a, center_a, kind="insurance", amount_fen=None, patents="",
                                     description="SECRET-financing 保险")
    offer = support.add_offer(staff_a, financing, provider_name="人保", provider_kind="insurer", amount_fen=100, terms="")
    watch = support.create_watch(member_a, center_a, name="SECRET-watch", ipc_codes="C01B", competitors="")
    dispute = support.request_consultation(member_a, center_a, kind="other", subject="SECRET-dispute", counterparty="",
                                      description="")
    event = support.create_event(staff_a, center_a, title="培训", kind="training", starts_at=datetime(2025, 7, 1, 9, 0),
                            location="", capacity=None, description="")
    window = apps.create_window(bureau, apps.WindowData("窗口", date(2025, 6, 1), date(2025, 6, 30)), [("基础", 10, 1)])
    application = apps.start_application(admin_a, window, apps.ApplicationData("SECRET-application 新中心", "hydrogen"))
    document = apps.add_document(admin_a, application, "other", "missing.pdf", "SECRET-document.pdf")
    apps.record_task_book(bureau, center_a, signed_on=date(2024, 3, 15))
    exit_case = apps.open_exit_case(bureau, center_a, reason="no_business", note="SECRET-exit")
    life.set_condition(admin_a, application, "good_standing", "SECRET-application 条件", "missing.pdf", "证明.pdf")
    # A's second application, on public notice with an objection (the notice page is public)
    expert = make_user(make_org(OrgKind.UNIVERSITY), Role.EXPERT)
    noticed = apps.start_application(admin_a, window, apps.ApplicationData(
        "公示中的中心", "hydrogen", "张三", "1", "", "资金", "目标", {k: "x" for k in rules.FEASIBILITY_SECTIONS},
        legal_representative="张三"))
    for kind in rules.REQUIRED_DOCUMENTS:
        apps.add_document(admin_a, noticed, kind, "missing.pdf", f"{kind}.pdf")
    meet_conditions(admin_a, noticed)
    apps.submit(admin_a, noticed)
    apps.assign_expert(bureau, noticed, expert)
    apps.score(expert, noticed, {c.id: 5 for c in window.criteria})
    pass_first_review(bureau, noticed, [expert], defence=(80,))
    notice = on_notice(bureau, noticed)
    objection = life.file_objection(notice, "王某", "1380000", "异议")
    diligence_report = life.diligence(noticed).reports[0]
    fund_report = life.file_fund_report(staff_a, center_a, 1, 100, "SECRET-fund 资金使用")
    acceptance = Acceptance(center_id=center_a.id, summary="SECRET-acceptance 总结")
    db.session.add(acceptance)
    db.session.commit()

    thread = negotiation.start_thread(admin_a, on_sale, message="SECRET-thread 询价")

    match = Match(need_id=need.id, listing_id=on_sale.id, score=0.5, explanation=[])  # A's private need's match
    report_file = ReportFile(center_id=center_a.id, year=1, fmt="xlsx", status="done", content=b"PK", size_bytes=2,
                             requested_by_id=staff_a.id)
    db.session.add_all([match, report_file])
    db.session.commit()

    world = {
        "match": match.id, "report_file": report_file.id,
        "thread": thread.id, "thread_message": thread.messages[0].id,
        "center": center_a.id, "org": org_a.id, "user": member_a.id, "membership": membership.id,
        "listing": listing.id, "need": need.id, "deal": deal.id, "import_job": job.id, "token": token.id,
        "invitation": invitation.id, "patent": patent.id, "pool": pool.id, "pool_patent": pool_patent.id,
        "application": application.id, "document": document.id, "exit_case": exit_case.id, "event": event.id,
        "offer": offer.id, "window": window.id, "financing": financing.id, "watch": watch.id, "dispute": dispute.id,
        "notice": notice.id, "objection": objection.id, "diligence_report": diligence_report.id,
        "fund_report": fund_report.id, "acceptance": acceptance.id,
    }
    world.update({f"record:{kind}": record.id for kind, record in records.items()})
    return world, users


def snapshot(db) -> dict:
    """Every row of every table (the walk's world is small)."""
    db.session.expire_all()
    rows = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in IGNORED_COLUMNS]
            rows[table.name] = sorted(map(repr, conn.execute(sa.select(*columns)).all()))
    return rows


def diff(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


@pytest.fixture
def walk(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2025, 6, 3, 2, 0, tzinfo=UTC))
    world, users = build_world(db)
    api_tokens = {name: tokens.create(user, "walk")[1] for name, user in users.items()}

    def client_for(role: str):
        client = app.test_client()
        if role != "anonymous":
            login(client, users[role])
        return client

    return world, users, api_tokens, client_for


MARKERS = ("SECRET-listing", "SECRET-need", "SECRET-deal", "SECRET-import", "SECRET-token", "secret-invite",
           "SECRET-plan", "SECRET-navigation", "SECRET-financing", "SECRET-watch", "SECRET-dispute",
           "SECRET-application", "SECRET-document", "SECRET-exit", "SECRET-thread", "SECRET-fund", "SECRET-acceptance")


def leaked(role: str, endpoint: str, body: str) -> list[str]:
    found = [m for m in MARKERS if m in body]
    if role == "bureau":
        found = [m for m in found if m not in BUREAU_MARKERS]
    return found


def request_as(client, method: str, url: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token and url.startswith("/api/") else {}
    return client.open(url, method=method, headers=headers)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/auth/login" in response.headers.get("Location", "")


# ---- the tests -------------------------------------------------------------------------------


def test_every_id_route_is_resolvable(app, walk):
    world = walk[0]
    unknown = []
    for rule in id_rules(app):
        try:
            expand(rule, world)
        except KeyError as missing:
            unknown.append(f"{rule.rule}: {missing}")
    assert not unknown, "add these id parameters to ID_SOURCES: " + ", ".join(unknown)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_never_reach_organisation_a_objects(app, db, walk, role):
    world, users, api_tokens, client_for = walk
    client = client_for(role)
    token = api_tokens.get(role)
    problems = []
    for rule in sorted(id_rules(app), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for url in expand(rule, world):
                before = snapshot(db) if method != "GET" else None
                response = request_as(client, method, url, token)
                code = response.status_code
                body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else ""
                where = f"{role} {method} {url} -> {code}"
                if code >= 500:
                    problems.append(where + " (server error)")
                    continue
                if leaked(role, rule.endpoint, body):
                    problems.append(where + f" leaks {leaked(role, rule.endpoint, body)}")
                if method == "GET":
                    allowed = rule.endpoint in PUBLIC_GET or (role == "bureau" and rule.endpoint in BUREAU_READS)
                    if code == 200 and not allowed:
                        problems.append(where + " (private object shown)")
                    elif code not in REFUSED | {200} and not is_login_redirect(response) and not (
                            role == "bureau" and rule.endpoint in BUREAU_REDIRECTS):
                        problems.append(where + " (unexpected answer)")
                else:
                    changed = set(diff(before, snapshot(db)))
                    if role == "bureau" and rule.endpoint in BUREAU_ACTS:
                        changed = set()
                    changed -= OWN_ACTIONS.get(rule.endpoint, set())
                    if changed:
                        problems.append(where + f" changed {changed}")
                    bureau_may = role == "bureau" and rule.endpoint in BUREAU_ACTS | BUREAU_READS
                    if code == 200 and not (rule.endpoint in PUBLIC_GET or bureau_may):
                        problems.append(where + " (a private form answered)")
                    elif code not in REFUSED | {200} and not is_login_redirect(response) and not (
                            rule.endpoint in PUBLIC_OBJECT_FORMS | set(OWN_ACTIONS) or bureau_may):
                        problems.append(where + " (unexpected answer)")
    assert not problems, "\n".join(problems)


def test_insiders_open_every_private_page(app, walk):
    """The walk means something only if the ids are right: someone of organisation A (or its center,
    or the platform) gets a 200 for each GET route."""
    world, users, api_tokens, client_for = walk
    clients = {role: client_for(role) for role in INSIDERS}
    missing = []
    for rule in sorted(id_rules(app), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NO_INSIDER_200:
            continue
        for url in expand(rule, world):
            codes = {role: request_as(c, "GET", url, api_tokens[role]).status_code for role, c in clients.items()}
            if 200 not in codes.values():
                missing.append(f"{url} {codes}")
    assert not missing, "\n".join(missing)


def test_lists_and_searches_never_show_another_organisations_private_objects(app, walk):
    world, users, api_tokens, client_for = walk
    problems = []
    pages = [r for r in app.url_map.iter_rules() if "GET" in r.methods and not r.arguments and r.endpoint != "static"]
    for role in OUTSIDERS:
        client = client_for(role)
        for rule in pages:
            url = rule.rule + ("?q=SECRET" if rule.endpoint in ("patentdb.search", "listings.index", "needs.index") else "")
            response = request_as(client, "GET", url, api_tokens.get(role))
            body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else ""
            if response.status_code >= 500 or leaked(role, rule.endpoint, body):
                problems.append(f"{role} {url} -> {response.status_code} {leaked(role, rule.endpoint, body)}")
    assert not problems, "\n".join(problems)


# ---- GET is safe, POST needs CSRF ----------------------------------------------------------------


def row_counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in db.metadata.sorted_tables}


def all_get_urls(app, world):
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if any(not isinstance(c, (IntegerConverter, AnyConverter)) for c in rule._converters.values()):
            continue  # /lang/<code> (sets the session only), /auth/invitations/<token>
        urls += expand(rule, world)
    return urls


def test_get_never_changes_row_counts(app, db, walk):
    world, users, api_tokens, client_for = walk
    before = row_counts(db)
    for role in ("admin_a", "staff_a", "bureau", "platform"):
        client = client_for(role)
        for url in all_get_urls(app, world):
            response = request_as(client, "GET", url, api_tokens[role])
            assert response.status_code < 500, (role, url)
    assert row_counts(db) == before


def test_every_post_route_refuses_a_missing_csrf_token(app, db, walk):
    world, users, api_tokens, client_for = walk
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    with client.session_transaction() as session:  # logged in as A's administrator, with a CSRF secret
        session["_user_id"] = users["admin_a"].get_id()
        session["_fresh"] = True
        session["csrf_token"] = "raw-token"
    before = row_counts(db)
    accepted = []
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith("api."):
            continue  # the API authenticates every request by its token, not by a cookie
        if any(not isinstance(c, (IntegerConverter, AnyConverter)) for c in rule._converters.values()):
            urls = [rule.rule.replace("<token>", "no-such-token")]
        else:
            urls = expand(rule, world)
        for url in urls:
            code = client.post(url, data={"x": "1"}).status_code
            if code != 400:
                accepted.append(f"{url} -> {code}")
    assert not accepted, "\n".join(accepted)
    assert row_counts(db) == before


def test_api_refuses_cookies_without_a_token(app, walk):
    """The API ignores the session cookie, so CSRF cannot reach it."""
    world, users, api_tokens, client_for = walk
    client = client_for("admin_a")
    response = client.post(f"/api/v1/deals/{world['deal']}/actions/cancel", json={})
    assert response.status_code == 401


def test_a_member_cannot_do_what_only_the_organisation_admin_may(app, db, walk):
    """Vertical access: inside organisation A, a plain member manages neither the organisation nor its people."""
    world, users, api_tokens, client_for = walk
    client = client_for("member_a")
    before = snapshot(db)
    attempts = [
        ("POST", f"/orgs/{world['org']}/edit", {"description": "改名", "region": "x"}),
        ("POST", f"/orgs/{world['org']}/invite", {"email": "new@example.cn", "role": "org_admin"}),
        ("POST", f"/orgs/invitations/{world['invitation']}/revoke", {}),
        ("POST", f"/orgs/users/{users['admin_a'].id}/active", {"active": "0"}),
    ]
    refused = []
    for method, url, data in attempts:
        code = client.open(url, method=method, data=data).status_code
        if code not in (403, 404):
            refused.append(f"{url} -> {code}")
    assert not refused, refused
    assert not diff(before, snapshot(db))


@pytest.mark.parametrize("role", ("member_b", "admin_b", "staff_b", "bureau"))
def test_only_the_pool_manager_changes_a_pool(app, db, walk, role):
    """A pool is public, so an empty form from an outsider only gets a message back; a complete form must
    meet the permission check itself (403) and change nothing."""
    world, users, api_tokens, client_for = walk
    client = client_for(role)
    before = snapshot(db)
    pool = world["pool"]
    forms = {
        f"/pools/{pool}/terms": {"royalty_kind": "lump_sum", "royalty": "10000", "split_rule": "per_patent"},
        f"/pools/{pool}/invite": {"org_id": str(users[role].org_id), "fixed_share": "0"},
    }
    for url, data in forms.items():
        assert client.post(url, data=data).status_code == 403, url
    assert not diff(before, snapshot(db))
