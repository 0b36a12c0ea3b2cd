"""Matches refresh after commits, explain themselves, keep dismissals, notify, and stay private."""

import sqlalchemy as sa

from app.models import AllianceMembership, Industry, Match, Notification, OutboxEmail
from app.services import matching
from tests.conftest import login, make_center, make_listing, make_need, make_org, make_patent, make_user


def _world():
    center = make_center()
    owner = make_user(org=make_org("university", name="太原理工大学", region="太原市万柏林区"))
    buyer = make_user(org=make_org("sme", name="太原锂想新能源有限公司", region="太原市小店区"))
    for org in (owner.org, buyer.org):
        from app.extensions import db

        db.session.add(AllianceMembership(center_id=center.id, org_id=org.id, status="approved"))
    db.session.commit()
    good = make_listing(owner.org, title="石墨烯导热膜制备技术许可", description="石墨烯导热膜量产工艺，导热系数高。",
                        offers_ordinary=True, price_fen=30_000_000, region="太原市万柏林区")
    other = make_listing(owner.org, title="煤矸石制备建材技术转让", description="利用煤矸石生产墙体材料。",
                         industry=Industry.CARBON_MATERIALS, price_fen=90_000_000)
    return owner, buyer, good, other


def test_publishing_a_need_ranks_offers_with_reasons(db):
    owner, buyer, good, other = _world()
    need = make_need(buyer.org, title="寻求石墨烯导热膜量产技术", description="用于动力电池热管理的石墨烯导热膜。",
                     industry=Industry.CARBON_MATERIALS, budget_max_fen=50_000_000, region="太原市小店区",
                     kinds_wanted="ordinary", ipc_hints="C01B")
    rows = db.session.scalars(sa.select(Match).where(Match.need_id == need.id).order_by(Match.score.desc())).all()
    assert [r.listing_id for r in rows][0] == good.id
    best = {f["factor"]: f for f in rows[0].explanation}
    assert {"石墨烯", "导热"} <= set(best["text"]["shared_terms"])
    assert best["budget"]["budget_fit"] == "within" and best["alliance"]["value"] == 1.0
    assert best["licence"]["kinds"] == ["ordinary"]
    # a good new match told both sides, in the app and by e-mail to the administrators
    notes = db.session.scalars(sa.select(Notification)).all()
    assert {n.org_id for n in notes} >= {owner.org_id, buyer.org_id}
    assert db.session.scalar(sa.select(sa.func.count(OutboxEmail.id))) >= 2


def test_editing_refreshes_and_dismissals_survive(db, client):
    owner, buyer, good, other = _world()
    need = make_need(buyer.org, title="寻求石墨烯导热膜量产技术", description="石墨烯导热膜", industry=Industry.CARBON_MATERIALS)
    match = db.session.scalar(sa.select(Match).where(Match.need_id == need.id, Match.listing_id == good.id))
    login(client, buyer)
    # "other" needs a note: the form is shown again with the error and nothing changes
    bad = client.post(f"/matching/matches/{match.id}/dismiss", data={f"m{match.id}-reason": "other"})
    assert bad.status_code == 400 and match.dismissed_at is None
    ok = client.post(f"/matching/matches/{match.id}/dismiss", data={f"m{match.id}-reason": "price", f"m{match.id}-note": "太贵"})
    assert ok.status_code == 302
    db.session.expire_all()
    # the need is edited: matches are recomputed, the dismissal stays
    need.description = "石墨烯导热膜，要求年产十万平方米。"
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Match, match.id)
    assert kept.dismissed_at is not None and kept.dismiss_reason.value == "price"
    # the listing's owner sees the reason in aggregate, not who gave it
    client.post("/auth/logout")
    login(client, owner)
    page = client.get(f"/matching/listings/{good.id}").get_data(as_text=True)
    assert "太贵" in page and buyer.org.name not in page.split("Why matched needs passed")[-1]
    # an offer sharing only the industry and the alliance is no match: no technical evidence
    assert db.session.scalar(sa.select(sa.func.count(Match.id)).where(Match.listing_id == other.id)) == 0
    # withdrawing a listing removes its undismissed matches on the next refresh
    second = make_listing(owner.org, title="石墨烯导热膜卷对卷涂布工艺", description="石墨烯导热膜的连续涂布与石墨化。")
    assert db.session.scalar(sa.select(sa.func.count(Match.id)).where(Match.listing_id == second.id)) == 1
    second.status = "withdrawn"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Match.id)).where(Match.listing_id == second.id)) == 0


def test_match_pages_are_private(db, client):
    owner, buyer, good, other = _world()
    need = make_need(buyer.org, title="寻求石墨烯导热膜量产技术", industry=Industry.CARBON_MATERIALS)
    match = db.session.scalar(sa.select(Match).where(Match.need_id == need.id))
    stranger = make_user()
    login(client, stranger)
    assert client.get(f"/matching/needs/{need.id}").status_code == 404
    assert client.get(f"/matching/listings/{good.id}").status_code == 404
    assert client.post(f"/matching/matches/{match.id}/dismiss", data={f"m{match.id}-reason": "price"}).status_code == 404
    assert db.session.get(Match, match.id).dismissed_at is None
    client.post("/auth/logout")
    login(client, buyer)
    page = client.get(f"/matching/needs/{need.id}").get_data(as_text=True)
    assert "石墨烯导热膜制备技术许可" in page
    assert client.get("/matching/notifications").status_code == 200


def test_likely_buyers_share_ipc_groups(db):
    owner, buyer, good, other = _world()
    from app.models import PatentIPC

    rival = make_org(name="山西碳谷科技有限公司")
    p = make_patent(rival)
    p.ipc_codes = [PatentIPC(code="C01B 32/194", position=0), PatentIPC(code="H01M 4/36", position=1)]
    db.session.commit()
    buyers = matching.likely_buyers(db.session, good)
    assert buyers and buyers[0][0].id == rival.id and buyers[0][1] == ["C01B 32"]


def test_need_form_takes_kinds_and_stage(db, client):
    user = make_user(org=make_org("sme"))
    login(client, user)
    response = client.post("/needs/new", data={
        "title": "寻求碳纤维复合材料技术", "description": "用于轻量化车身。", "industry": "carbon_materials",
        "kinds_wanted": ["exclusive", "ordinary"], "min_trl": "5", "publish": "1"})
    assert response.status_code == 302
    from app.models import Need

    need = db.session.scalar(sa.select(Need).where(Need.title == "寻求碳纤维复合材料技术"))
    assert need.kinds_wanted == "exclusive,ordinary" and need.min_trl == 5
    bad = client.post("/needs/new", data={"title": "x", "description": "y", "industry": "carbon_materials", "min_trl": "99"})
    assert bad.status_code in (200, 400)


def test_outbox_goes_out_through_a_real_smtp_server_once(db, app):
    """A local SMTP server (the standard library's, in a thread) receives the queued e-mails."""
    import asyncore
    import smtpd
    import threading
    import warnings

    received = []

    class Server(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kw):
            received.append((rcpttos, data))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        server = Server(("127.0.0.1", 0), None)
    port = server.socket.getsockname()[1]
    loop = threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.05, "count": 200}, daemon=True)
    loop.start()
    _world()
    make_need(make_user(org=make_org("sme")).org, title="寻求石墨烯导热膜量产技术", description="石墨烯导热膜",
              industry=Industry.CARBON_MATERIALS, ipc_hints="C01B", budget_max_fen=50_000_000, kinds_wanted="ordinary")
    queued = db.session.scalar(sa.select(sa.func.count(OutboxEmail.id)))
    assert queued >= 1
    sender = matching.mail_sender({"MAIL_SENDER": "smtp", "MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": port})
    assert matching.send_outbox(sender) == queued
    assert matching.send_outbox(sender) == 0  # sent ones are marked and never sent twice
    server.close()  # the loop ends when its last socket is gone
    loop.join(timeout=5)
    addresses = set(db.session.scalars(sa.select(OutboxEmail.to_address)))
    assert len(received) == queued and {r for rcpts, _ in received for r in rcpts} == addresses
    assert all(b"Subject:" in data for _, data in received)


def test_matches_through_the_api(db, client):
    from app.services import tokens

    owner, buyer, good, other = _world()
    need = make_need(buyer.org, title="寻求石墨烯导热膜量产技术", description="石墨烯导热膜", industry=Industry.CARBON_MATERIALS,
                     ipc_hints="C01B")
    _, secret = tokens.create(buyer, "api")
    body = client.get(f"/api/v1/needs/{need.id}/matches", headers={"Authorization": f"Bearer {secret}"}).json
    assert body["items"][0]["listing"]["id"] == good.id
    text = next(f for f in body["items"][0]["factors"] if f["factor"] == "text")
    assert "石墨烯" in text["shared_terms"]
    _, other_secret = tokens.create(owner, "api")  # the listing's owner does not read the need's matches
    assert client.get(f"/api/v1/needs/{need.id}/matches", headers={"Authorization": f"Bearer {other_secret}"}).status_code == 404


def _patent(org, title, abstract, code):
    from app.extensions import db
    from app.models import PatentIPC

    p = make_patent(org, title=title, abstract=abstract)
    p.ipc_codes = [PatentIPC(code=code, position=0)]
    db.session.commit()
    return p


def test_a_need_without_technical_evidence_gets_no_match_and_is_told(db, client):
    owner, buyer, good, other = _world()
    need = make_need(buyer.org, title="医院污水消毒处理", description="想找消毒效果好、运行成本低的处理工艺。",
                     industry=Industry.CARBON_MATERIALS, region="太原市小店区", budget_max_fen=90_000_000)
    # same industry, same alliance, same city, a fitting price: context alone is no match
    assert db.session.scalar(sa.select(sa.func.count(Match.id)).where(Match.need_id == need.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
    login(client, buyer)
    html = client.get(f"/matching/needs/{need.id}").get_data(as_text=True)
    assert "暂无合适的技术" in html and "联盟运营中心" in html


def test_the_offer_text_holds_its_patents_abstracts(db):
    owner = make_user(org=make_org("university", name="某矿业大学"))
    buyer = make_user(org=make_org("sme", name="某煤机厂"))
    pick = _patent(owner.org, "一种采煤机截割部", "截割滚筒上的截齿齿体采用硬质合金镶嵌，耐磨性提高一倍。", "E21C 25/10")
    listing = make_listing(owner.org, patents=[pick], title="采煤机截割部专利转让", description="可转让。",
                           industry=Industry.HIGH_END_EQUIPMENT)
    need = make_need(buyer.org, title="截齿磨得太快", description="硬质合金截齿", industry=Industry.HIGH_END_EQUIPMENT)
    row = db.session.scalar(sa.select(Match).where(Match.need_id == need.id, Match.listing_id == listing.id))
    assert row is not None  # 截齿 and 硬质合金 are only in the patent's abstract
    text = next(f for f in row.explanation if f["factor"] == "text")
    assert "截齿" in text["shared_terms"]  # a dictionary term, kept whole


def test_an_english_need_finds_a_chinese_listing(db):
    owner, buyer, good, other = _world()
    need = make_need(buyer.org, title="graphene thermal film", description="Graphene heat spreader film for phones.",
                     industry=Industry.CARBON_MATERIALS)
    rows = db.session.scalars(sa.select(Match).where(Match.need_id == need.id).order_by(Match.score.desc())).all()
    assert rows and rows[0].listing_id == good.id
    assert {"石墨烯", "导热膜"} <= set(next(f for f in rows[0].explanation if f["factor"] == "text")["shared_terms"])


def test_only_strong_technical_evidence_notifies(db):
    owner = make_user(org=make_org("university", name="某电池研究院"))
    buyer = make_user(org=make_org("sme", name="某回收企业"))
    bms = _patent(owner.org, "一种电池管理系统的荷电状态估算方法", "基于扩展卡尔曼滤波估算荷电状态。", "H01M 10/48")
    monitor = make_listing(owner.org, patents=[bms], title="电池荷电状态估算方法专利许可", description="估算精度高。",
                           industry=Industry.NEW_ENERGY_VEHICLES)
    need = make_need(buyer.org, title="退役动力电池回收拆解", description="想找废旧电池拆解回收工艺。",
                     industry=Industry.NEW_ENERGY_VEHICLES, ipc_hints="H01M 10/54")
    # H01M 10/54 (recycling) and H01M 10/48 (monitoring) share only the main group: no full IPC match
    row = db.session.scalar(sa.select(Match).where(Match.need_id == need.id, Match.listing_id == monitor.id))
    ipc = next(f for f in row.explanation if f["factor"] == "ipc")
    assert ipc["value"] == 0.5 and row.score < 0.45  # kept as worth a look, not as a fit
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
    # the same subgroup and words in common: strong evidence, both organisations are told
    make_need(buyer.org, title="电池荷电状态估算", description="需要荷电状态估算方法，卡尔曼滤波。",
              industry=Industry.NEW_ENERGY_VEHICLES, ipc_hints="H01M 10/48")
    assert {n.org_id for n in db.session.scalars(sa.select(Notification))} == {owner.org_id, buyer.org_id}


def test_ipc_hints_typed_loosely_are_accepted(db, client):
    from app.models import Need
    from app.services import tokens

    user = make_user(org=make_org("sme"))
    login(client, user)
    response = client.post("/needs/new", data={
        "title": "寻求碳材料技术", "description": "多孔碳。", "industry": "carbon_materials",
        "ipc_hints": "C01B 32; c01b32/05, h01m 10/0525", "publish": "1"})
    assert response.status_code == 302
    need = db.session.scalar(sa.select(Need).where(Need.title == "寻求碳材料技术"))
    assert need.ipc_hints == "C01B 32/00; C01B 32/05; H01M 10/0525"
    _, secret = tokens.create(user, "api")
    body = client.post("/api/v1/needs", json={"title": "寻求石墨烯技术", "description": "导热膜", "industry": "carbon_materials",
                                               "ipc_hints": ["C01B32/00", "c01b 32/184"]},
                       headers={"Authorization": f"Bearer {secret}"})
    assert body.status_code == 201 and body.json["ipc_hints"] == ["C01B 32/00", "C01B 32/184"]
    bad = client.post("/needs/new", data={"title": "x", "description": "y", "industry": "carbon_materials",
                                          "ipc_hints": "C01B 3X"})
    assert bad.status_code in (200, 400) and "IPC" in bad.get_data(as_text=True)


def test_need_matches_page_pages_filters_and_suggests_an_alliance(db, client):
    owner, buyer, good, other = _world()
    # a catalogue of other technologies, so that the film's words are not in nearly every offer (their idf)
    for topic in ("煤矸石制砖", "高炉渣微粉", "碳纤维预浸料", "锂电池隔膜涂覆", "不锈钢冷轧退火", "采煤机截齿堆焊",
                  "氢燃料电池双极板", "碳化硅外延片", "风电齿轮箱润滑", "矿井通风监测", "活性炭再生炉", "焦化废水处理",
                  "铝合金压铸模具", "轨道车辆转向架", "光伏硅片切割", "钒液流电池电解液"):
        make_listing(owner.org, title=f"{topic}技术转让", description=f"{topic}工艺成熟。", price_fen=10_000_000)
    for i in range(12):
        make_listing(owner.org, title=f"石墨烯导热膜应用技术{i}", description="石墨烯导热膜。", offers_transfer=False,
                     offers_exclusive=(i % 2 == 0), offers_ordinary=(i % 2 == 1), price_fen=10_000_000)
    need = make_need(buyer.org, title="寻求石墨烯导热膜量产技术", description="石墨烯导热膜", industry=Industry.CARBON_MATERIALS)
    total = db.session.scalar(sa.select(sa.func.count(Match.id)).where(Match.need_id == need.id))
    assert total > 10
    login(client, buyer)
    first = client.get(f"/matching/needs/{need.id}").get_data(as_text=True)
    assert first.count('<article class="card mb-3"') == 10 and 'aria-label="分页"' in first
    assert "尚未加入" not in first  # the buyer is an alliance member
    second = client.get(f"/matching/needs/{need.id}?page=2").get_data(as_text=True)
    assert second.count('<article class="card mb-3"') == total - 10
    exclusive = client.get(f"/matching/needs/{need.id}?kind=exclusive").get_data(as_text=True)
    assert exclusive.count('<article class="card mb-3"') == 6 and good.title not in exclusive
    worded = client.get(f"/matching/needs/{need.id}?q=应用技术1").get_data(as_text=True)
    assert worded.count('<article class="card mb-3"') == 3  # 应用技术1, 10 and 11
    assert client.get(f"/matching/needs/{need.id}?min=70&kind=nonsense&page=x").status_code == 200

    newcomer = make_user(org=make_org("sme", name="新来的公司"))
    own = make_need(newcomer.org, title="寻求石墨烯导热膜量产技术", description="石墨烯导热膜", industry=Industry.CARBON_MATERIALS)
    fresh = client.application.test_client()
    login(fresh, newcomer)
    page = fresh.get(f"/matching/needs/{own.id}").get_data(as_text=True)
    assert "尚未加入任何产业知识产权联盟" in page and "匹配结果会随之提升" in page
