"""Matching needs with listings: profiles, ranking, stored matches, dismissals, notifications.

Matches are derived data, refreshed after a need or listing is committed (published, edited,
closed): a session hook collects what changed and, after the commit, hands it to
:func:`schedule_refresh` — a job on the RQ queue when one is configured (``JOB_QUEUE_URL``; any
machine's ``flask worker`` runs it), else a background thread of the web process
(``MATCH_REFRESH = "thread"``); at once in the committing thread (``"sync"``, the tests), or not at
all (``"off"``). A refresh works in its own database session, never inside the user's transaction.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session, selectinload

from .. import jobs
from ..domain import matching as rules
from ..domain.errors import DomainError, N_
from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..models import (
    AllianceMembership,
    DismissReason,
    Listing,
    Match,
    MembershipStatus,
    Need,
    Notification,
    Organisation,
    OutboxEmail,
    Patent,
    PatentIPC,
    Role,
    User,
)
from ..models._types import utcnow
from . import audit
from .permissions import NotFound, is_admin, same_org
from .transaction import transaction, use_case

log = logging.getLogger(__name__)

DEAL_KINDS = ("transfer", "exclusive", "sole", "ordinary")
KEEP = 20  # matches kept per need (and per listing, from its side); only relevant ones (rules.Match.relevant)


# ---- profiles ----------------------------------------------------------------------------


# Words every patent text or need uses; they say nothing about the technology.
GENERIC_WORDS = frozenset("""技术 方法 一种 装置 系统 寻求 需求 用于 提供 相关 实现 进行 具有 可以 以及 本发明 所述 包括 提高
    降低 应用 产品 工艺 设备 研究 开发 合作 转让 许可 专利 企业 公司 单位 简介 内容 指标 方式 要求 我公司 本院 有限公司
    需求内容 单位简介 技术指标 合作方式 联合 委托 优先 考虑 均可 实施例 制备 制备方法 生产 结构 效果 问题 现有 能够 采用 显著
    独占 排他 普通 作价 入股 授权 保护期 年费 缴纳 剩余 审查 实质审查 资料 指导 现场 登记 备案""".split())


def _keep(token: str) -> bool:
    return len(token) >= 2 and not token.isdigit() and token not in GENERIC_WORDS


def _words(text: str) -> list[str]:
    """The words of a text as the search index holds them, sub-words included (an offer's side)."""
    from ..search.analysis import index_tokens

    return [t for t in index_tokens(text or "") if _keep(t)]


TITLE_BOOST = 2  # a word of an offer's title counts as this many occurrences (the search index boosts titles too)
SUBWORD_WEIGHT = 0.5  # a need's word found only inside one of its longer words weighs this much


def need_terms(title: str, text: str) -> dict:
    """A need's ``terms`` and their weights (``tf``): the words as a search query cuts them (a glossary
    phrase becomes its term), title words double, the dictionary words inside a long word at half weight."""
    from ..search.analysis import query_tokens, subwords

    weights: dict[str, float] = {}
    for source, boost in ((text, 1.0), (title, float(TITLE_BOOST))):
        for token in query_tokens(source or ""):
            if _keep(token):
                weights[token] = max(weights.get(token, 0.0), boost)
            for sub in subwords(token):
                if _keep(sub):
                    weights[sub] = max(weights.get(sub, 0.0), boost * SUBWORD_WEIGHT)
    return {"terms": frozenset(weights), "tf": weights}


def text_fields(title: str, text: str) -> dict:
    """An offer's ``terms``, ``tf`` and ``length`` for the BM25 text factor, title words boosted."""
    tf = Counter(_words(text))
    for word in _words(title):
        tf[word] += TITLE_BOOST
    return {"terms": frozenset(tf), "tf": dict(tf), "length": sum(tf.values())}


def _centers_by_org(session: Session, org_ids: set[int]) -> dict[int, frozenset[int]]:
    rows = session.execute(
        sa.select(AllianceMembership.org_id, AllianceMembership.center_id).where(
            AllianceMembership.org_id.in_(org_ids), AllianceMembership.status == MembershipStatus.APPROVED)
    ).all() if org_ids else []
    out: dict[int, set[int]] = {}
    for org_id, center_id in rows:
        out.setdefault(org_id, set()).add(center_id)
    return {k: frozenset(v) for k, v in out.items()}


def need_profile(need: Need, centers: frozenset[int] = frozenset()) -> rules.Profile:
    return rules.Profile(
        **need_terms(need.title, need.description),
        ipc=tuple(c.strip() for c in (need.ipc_hints or "").split(";") if c.strip()),
        industry=need.industry.value, centers=centers, region=need.region or "",
        kinds=frozenset(k for k in (need.kinds_wanted or "").split(",") if k),
        budget_max_fen=need.budget_max_fen, trl=need.min_trl,
    )


# The offers' profiles are cached per process: (updated_at, profile) by listing id.
_listing_cache: dict[int, tuple] = {}
_cache_lock = threading.Lock()


def listing_profile(listing: Listing, centers: frozenset[int] = frozenset()) -> rules.Profile:
    key = (listing.updated_at, centers)
    with _cache_lock:
        hit = _listing_cache.get(listing.id)
    if hit and hit[0] == key:
        return hit[1]
    codes: list[str] = []
    for patent in listing.patents:
        codes.extend(c for c in patent.ipc_list if c not in codes)
    titles = " ".join([listing.title, *(p.title for p in listing.patents)])
    body = "\n".join([listing.description or "", listing.tech_summary or "", *(p.abstract or "" for p in listing.patents)])
    profile = rules.Profile(
        **text_fields(titles, body), ipc=tuple(codes), industry=listing.industry.value, centers=centers,
        region=listing.region or "", kinds=frozenset(listing.deal_kinds), price_fen=listing.price_fen,
        trl=listing.trl,
    )
    with _cache_lock:
        _listing_cache[listing.id] = (key, profile)
    return profile


def weights() -> dict[str, float]:
    return rules.weights_from(current_app.config.get("MATCH_WEIGHTS"))


# ---- ranking -----------------------------------------------------------------------------


def _published_listings(session: Session) -> list[Listing]:
    return list(session.scalars(
        sa.select(Listing).where(Listing.status == PublicationStatus.PUBLISHED)
        .options(selectinload(Listing.patents).selectinload(Patent.ipc_codes))
    ))


_index_cache: dict = {}  # "index" -> (the offers' state, OfferIndex); rebuilt when any offer changes


def _offer_index(session: Session) -> rules.OfferIndex:
    """All published listings' profiles, indexed; rebuilt only when a listing or an alliance changed."""
    state = session.execute(sa.select(Listing.id, Listing.updated_at, Listing.org_id)
                            .where(Listing.status == PublicationStatus.PUBLISHED).order_by(Listing.id)).all()
    centers = _centers_by_org(session, {org_id for _, _, org_id in state})
    key = tuple((i, updated, centers.get(org_id, frozenset())) for i, updated, org_id in state)
    with _cache_lock:
        hit = _index_cache.get("index")
    if hit and hit[0] == key:
        return hit[1]
    index = rules.OfferIndex([(item.id, listing_profile(item, centers.get(item.org_id, frozenset())))
                              for item in _published_listings(session)])
    index.owner = {i: org_id for i, _, org_id in state}
    with _cache_lock:
        _index_cache["index"] = (key, index)
    return index


def rank_listings(session: Session, need: Need, w: dict[str, float] | None = None,
                  limit: int | None = None) -> list[tuple[Listing, rules.Match]]:
    """Published listings of other organisations that share a term or an IPC class with the need, best first."""
    index = _offer_index(session)
    centers = _centers_by_org(session, {need.org_id})
    n = need_profile(need, centers.get(need.org_id, frozenset()))
    own = {key for key, org_id in index.owner.items() if org_id == need.org_id}
    ranked = index.rank(n, w or weights(), limit=limit, exclude=own)  # BM25 over the index's corpus
    return [(session.get(Listing, key), m) for key, m in ranked]


def rank_needs(session: Session, listing: Listing, w: dict[str, float] | None = None) -> list[tuple[Need, rules.Match]]:
    needs = list(session.scalars(
        sa.select(Need).where(Need.status == PublicationStatus.PUBLISHED, Need.org_id != listing.org_id)))
    centers = _centers_by_org(session, {listing.org_id} | {n.org_id for n in needs})
    offer = listing_profile(listing, centers.get(listing.org_id, frozenset()))
    index = _offer_index(session)  # its corpus weighs the words, as when the need's side ranks the offers
    w = w or weights()
    scored = []
    for need in needs:
        n = need_profile(need, centers.get(need.org_id, frozenset()))
        if index.has_evidence(n, offer):  # the same evidence rule as rank_listings
            scored.append((need, rules.score(n, offer, w, index.stats)))
    scored.sort(key=lambda pair: (-pair[1].score, pair[0].id))
    return scored


def likely_buyers(session: Session, listing: Listing, limit: int = 10) -> list[tuple[Organisation, list[str]]]:
    """Organisations whose patents share IPC main groups with the listing's patents, most shared first."""
    groups = {c.split("/")[0] for p in listing.patents for c in p.ipc_list if "/" in c}
    if not groups:
        return []
    rows = session.execute(
        sa.select(Patent.owner_org_id, PatentIPC.code).join(PatentIPC, PatentIPC.patent_id == Patent.id)
        .where(Patent.owner_org_id.is_not(None), Patent.owner_org_id != listing.org_id,
               sa.or_(*[PatentIPC.code.like(f"{group}/%") for group in sorted(groups)]))  # only the shared groups' rows
    ).all()
    shared: dict[int, set[str]] = {}
    for org_id, code in rows:
        group = code.split("/")[0]
        if group in groups:
            shared.setdefault(org_id, set()).add(group)
    best = sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]
    orgs = {o.id: o for o in session.scalars(sa.select(Organisation).where(Organisation.id.in_([k for k, _ in best])))}
    return [(orgs[k], sorted(v)) for k, v in best if k in orgs]


# ---- stored matches ----------------------------------------------------------------------


def _store(session: Session, pairs: list[tuple[int, int, rules.Match]],
           existing: dict[tuple[int, int], Match]) -> list[Match]:
    """Upsert the kept pairs; drop the undismissed ones no longer kept. Returns the new matches that
    are strong enough to notify (rules.Match.strong)."""
    kept, created = set(), []
    now = utcnow()
    for need_id, listing_id, m in pairs:
        key = (need_id, listing_id)
        kept.add(key)
        row = existing.get(key)
        if row is None:
            row = Match(need_id=need_id, listing_id=listing_id, score=m.score, explanation=m.explanation(),
                        created_at=now, updated_at=now)
            session.add(row)
            if m.strong:
                created.append(row)
        else:
            row.score, row.explanation, row.updated_at = m.score, m.explanation(), now
    for key, row in existing.items():
        if key not in kept and row.dismissed_at is None:
            session.delete(row)
    return created


def refresh_need(session: Session, need_id: int) -> int:
    need = session.get(Need, need_id)
    existing = {(m.need_id, m.listing_id): m for m in session.scalars(sa.select(Match).where(Match.need_id == need_id))}
    pairs = []
    if need is not None and need.status == PublicationStatus.PUBLISHED:
        w = weights()
        pairs = [(need.id, item.id, m) for item, m in rank_listings(session, need, w=w, limit=KEEP)]  # all relevant
    created = _store(session, pairs, existing)
    _notify(session, created)
    session.commit()
    return len(pairs)


def refresh_listing(session: Session, listing_id: int) -> int:
    listing = session.get(Listing, listing_id)
    existing = {(m.need_id, m.listing_id): m for m in session.scalars(sa.select(Match).where(Match.listing_id == listing_id))}
    pairs = []
    if listing is not None and listing.status == PublicationStatus.PUBLISHED:
        w = weights()
        pairs = [(need.id, listing.id, m) for need, m in rank_needs(session, listing, w=w) if m.relevant][:KEEP]
        # a listing's refresh must not drop what the needs' own refreshes keep: only add and update
        existing = {k: v for k, v in existing.items() if k in {(a, b) for a, b, _ in pairs}}
    created = _store(session, pairs, existing)
    _notify(session, created)
    session.commit()
    return len(pairs)


def _notify(session: Session, created: list[Match]) -> None:
    """New strong matches: a notice to both organisations and an e-mail to their administrators."""
    good = created
    if good:
        session.flush()
    for m in good:
        need, listing = session.get(Need, m.need_id), session.get(Listing, m.listing_id)
        percent = round(m.score * 100)
        notes = [
            (need.org_id, N_("A new offer matches your need “%(need)s”: “%(listing)s” (%(score)s %%)."),
             f"/matching/needs/{need.id}"),
            (listing.org_id, N_("A new technology need matches your listing “%(listing)s”: “%(need)s” (%(score)s %%)."),
             f"/matching/listings/{listing.id}"),
        ]
        for org_id, message, link in notes:
            params = {"need": need.title, "listing": listing.title, "score": percent}
            session.add(Notification(org_id=org_id, kind="match", message=message, params=params, link=link))
            admins = session.scalars(sa.select(User).where(User.org_id == org_id, User.role == Role.ORG_ADMIN,
                                                           User.active.is_(True)))
            for admin in admins:
                session.add(OutboxEmail(
                    to_user_id=admin.id, to_address=admin.email,
                    subject=f"新的匹配 / New match: {need.title} ↔ {listing.title}",
                    body=(message % params) + f"\n\n{link}",
                ))


# ---- refresh after commits ---------------------------------------------------------------


def schedule_refresh(app: Flask, keys: set[tuple[str, int]]) -> None:
    mode = app.config.get("MATCH_REFRESH", "thread")
    if mode == "off" or not keys:
        return
    if mode == "sync":
        _run(app, keys)
    elif jobs.queue_url(app):
        jobs.enqueue(app, refresh_keys, sorted(keys), retries=2,
                     description=f"match refresh of {len(keys)} needs/listings")
    else:
        _worker(app).put(keys)


def refresh_keys(keys: list[tuple[str, int]]) -> None:
    """The queued task: refresh these needs' and listings' matches (in a worker's app context). A
    failure is raised once every key was tried, so that the queue runs the task again later."""
    failed = _run(current_app._get_current_object(), {tuple(k) for k in keys})
    if failed:
        raise RuntimeError(f"match refresh failed for {len(failed)} of {len(keys)} needs/listings: {sorted(failed)}")


def _run(app: Flask, keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Refresh each key; returns those whose refresh failed (logged)."""
    failed = set()
    with app.app_context():
        with Session(db.engine) as session:
            for kind, object_id in sorted(keys):
                try:
                    (refresh_need if kind == "need" else refresh_listing)(session, object_id)
                except Exception:  # derived data: log, keep the worker alive, the next edit retries
                    session.rollback()
                    log.exception("match refresh of %s %s failed", kind, object_id)
                    failed.add((kind, object_id))
    return failed


_workers: dict[int, queue.Queue] = {}
_workers_lock = threading.Lock()


def _worker(app: Flask) -> queue.Queue:
    with _workers_lock:
        q = _workers.get(id(app))
        if q is None:
            q = _workers[id(app)] = queue.Queue()

            def loop():
                while True:
                    keys = q.get()
                    try:
                        _run(app, keys)
                    finally:
                        q.task_done()

            threading.Thread(target=loop, name="match-refresh", daemon=True).start()
        return q


def init_app(app: Flask) -> None:
    app.config.setdefault("MATCH_REFRESH", "sync" if app.testing else "thread")
    rules.weights_from(app.config.get("MATCH_WEIGHTS"))  # a bad weight fails at start, not on a refresh


# ---- reading and dismissing --------------------------------------------------------------


def can_see_need_matches(user: User, need: Need) -> bool:
    return same_org(user, need.org_id) or is_admin(user)


def can_see_listing_matches(user: User, listing: Listing) -> bool:
    return same_org(user, listing.org_id) or is_admin(user)


def need_matches_query(need: Need, *, dismissed: bool = False, kind: str | None = None, min_score: float = 0.0,
                       words: str = "") -> sa.Select:
    """A need's matches with published offers, best first; optionally only offers of a deal kind,
    a score of at least ``min_score`` (0–1) or words in the offer's title."""
    q = sa.select(Match).where(Match.need_id == need.id).join(Listing, Listing.id == Match.listing_id) \
        .where(Listing.status == PublicationStatus.PUBLISHED)
    q = q.where(Match.dismissed_at.is_not(None) if dismissed else Match.dismissed_at.is_(None))
    if kind in ("transfer", "exclusive", "sole", "ordinary"):
        q = q.where(getattr(Listing, f"offers_{kind}").is_(True))
    if min_score > 0:
        q = q.where(Match.score >= min_score)
    if words:
        q = q.where(Listing.title.ilike(f"%{words}%"))
    return q.order_by(Match.score.desc(), Match.id)


def matches_for_need(need: Need, *, dismissed: bool = False) -> list[Match]:
    return list(db.session.scalars(need_matches_query(need, dismissed=dismissed)))


def in_an_alliance(org_id: int | None) -> bool:
    """Whether the organisation is an approved member of any center's alliance (alliance members
    score higher with each other's offers and needs)."""
    return org_id is not None and db.session.scalar(sa.select(sa.exists().where(
        AllianceMembership.org_id == org_id, AllianceMembership.status == MembershipStatus.APPROVED)))


def matches_for_listing(listing: Listing) -> list[Match]:
    q = sa.select(Match).where(Match.listing_id == listing.id, Match.dismissed_at.is_(None)) \
        .join(Need, Need.id == Match.need_id).where(Need.status == PublicationStatus.PUBLISHED)
    return list(db.session.scalars(q.order_by(Match.score.desc(), Match.id)))


def dismissal_reasons(listing: Listing) -> list[tuple[str, int]]:
    """Why needs' owners passed on this listing, counted (no names: the owner sees the aggregate)."""
    rows = db.session.scalars(sa.select(Match.dismiss_reason).where(
        Match.listing_id == listing.id, Match.dismissed_at.is_not(None)))
    return Counter(r.value for r in rows if r is not None).most_common()


def dismissal_notes(listing: Listing) -> list[str]:
    return [n for n in db.session.scalars(sa.select(Match.dismiss_note).where(
        Match.listing_id == listing.id, Match.dismissed_at.is_not(None), Match.dismiss_note != "")) if n]


@use_case
def dismiss(by: User, match: Match, reason: str, note: str = "") -> None:
    if not same_org(by, match.need.org_id):
        raise NotFound(N_("not found"))
    try:
        why = DismissReason(reason)
    except ValueError:
        raise DomainError(N_("choose a reason"), field="reason") from None
    note = (note or "").strip()[:500]
    if why is DismissReason.OTHER and not note:
        raise DomainError(N_("say briefly why the offer does not fit"), field="note")
    match.dismissed_at, match.dismissed_by_id, match.dismiss_reason, match.dismiss_note = utcnow(), by.id, why, note
    audit.record(by, "match.dismissed", "match", match.id, reason=why.value)


@use_case
def restore(by: User, match: Match) -> None:
    if not same_org(by, match.need.org_id):
        raise NotFound(N_("not found"))
    match.dismissed_at, match.dismissed_by_id, match.dismiss_reason, match.dismiss_note = None, None, None, ""


def notifications_for(user: User, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.org_id == user.org_id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.org_id == user.org_id, Notification.read_at.is_(None))) or 0


@use_case
def mark_all_read(user: User) -> None:
    db.session.execute(sa.update(Notification).where(Notification.org_id == user.org_id,
                                                     Notification.read_at.is_(None)).values(read_at=utcnow()))


def send_outbox(send) -> int:
    """Hand each unsent e-mail to ``send(row)`` and mark it sent, one transaction each (an e-mail
    that went out stays marked when a later one fails); returns how many went."""
    rows = list(db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.sent_at.is_(None)).order_by(OutboxEmail.id)))
    for row in rows:
        with transaction():
            send(row)
            row.sent_at = utcnow()
    return len(rows)


def mail_sender(config, echo=print):
    """The outbox's sender from config: ``MAIL_SENDER`` console (default) or smtp (``MAIL_SMTP_HOST``,
    ``MAIL_SMTP_PORT``, ``MAIL_SMTP_USER``/``MAIL_SMTP_PASSWORD``, ``MAIL_SMTP_TLS``, ``MAIL_FROM``)."""
    kind = config.get("MAIL_SENDER", "console")
    if kind == "console":
        return lambda row: echo(f"To: {row.to_address}\nSubject: {row.subject}\n\n{row.body}\n---")
    if kind != "smtp":
        raise ValueError(f"MAIL_SENDER is console or smtp, not {kind!r}")

    def smtp(row) -> None:
        import smtplib
        from email.message import EmailMessage

        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = config.get("MAIL_FROM", "noreply@ipx.local"), row.to_address, row.subject
        msg.set_content(row.body)
        with smtplib.SMTP(config.get("MAIL_SMTP_HOST", "127.0.0.1"), int(config.get("MAIL_SMTP_PORT", 25)), timeout=10) as conn:
            if config.get("MAIL_SMTP_TLS"):
                conn.starttls()
            if config.get("MAIL_SMTP_USER"):
                conn.login(config["MAIL_SMTP_USER"], config.get("MAIL_SMTP_PASSWORD", ""))
            conn.send_message(msg)

    return smtp
