"""Demo activity on top of the base seed: deals at every stage (through the real deal services, so
escrow, ledger and target events are genuine), deals closed elsewhere, a compliant patent pool,
and the grades of every patent. Deterministic for a seed; dates are relative to the base seed's TODAY.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, timedelta

import sqlalchemy as sa

from ..domain import targets as target_rules
from ..domain.errors import DomainError
from ..domain.lifecycle import PublicationStatus
from ..extensions import db
from ..models import (AllianceMembership, Center, Listing, MembershipStatus, Organisation, OrgKind, Patent, Role, User)
from ..services import deals as ds
from ..services import grading
from ..services import pools as ps
from ..services.permissions import AccessDenied
from . import task5_plan
from .seed import TODAY


@contextmanager
def _recorded_on(day: date):
    """Run with the clock at noon (Beijing) of ``day``."""
    from datetime import datetime, time

    from flask import current_app

    from ..services.clock import BEIJING

    before = current_app.config.get("CLOCK")
    current_app.config["CLOCK"] = lambda: datetime.combine(day, time(12), tzinfo=BEIJING)
    try:
        yield
    finally:
        if before is None:
            current_app.config.pop("CLOCK", None)
        else:
            current_app.config["CLOCK"] = before


def counts_in(center: Center, year: int) -> int:
    return ds.counts_by_year(center.id).get(year, 0)


def _admin(org_id: int) -> User | None:
    return db.session.scalar(sa.select(User).where(User.org_id == org_id, User.role == Role.ORG_ADMIN).order_by(User.id))


def _staff(center: Center) -> User | None:
    return db.session.scalar(sa.select(User).where(User.org_id == center.org_id, User.role == Role.CENTER_STAFF)
                             .order_by(User.id))


def _members(center: Center) -> list[int]:
    return list(db.session.scalars(sa.select(AllianceMembership.org_id).where(
        AllianceMembership.center_id == center.id, AllianceMembership.status == MembershipStatus.APPROVED)
        .order_by(AllianceMembership.org_id)))


def seed_activity(seed: int = 20261125) -> dict[str, int]:
    rng = random.Random(seed + 1)
    counts = {"deals_completed": 0, "deals_open": 0, "deals_offline": 0, "pools": 0, "graded": 0}
    buyers = [o.id for o in db.session.scalars(sa.select(Organisation).where(
        Organisation.kind.in_([OrgKind.SME, OrgKind.ENTERPRISE])).order_by(Organisation.id))]
    for center in db.session.scalars(sa.select(Center).order_by(Center.id)).all():
        if center.approval_date is None:
            continue
        staff = _staff(center)
        members = set(_members(center))
        industry_numbers = list(db.session.scalars(sa.select(Patent.application_number).where(  # CN: recordable
            Patent.industry == center.industry, Patent.office == "CN").order_by(Patent.id)))
        listings = [l for l in db.session.scalars(sa.select(Listing).where(
            Listing.status == PublicationStatus.PUBLISHED, Listing.org_id.in_(members)).order_by(Listing.id))]
        current = target_rules.project_year(center.approval_date, TODAY)
        # per finished year a little above or below its target; the current year at a plausible pace
        plan = []
        for year in range(1, min(current, 5) + 1):
            start, end = target_rules.project_year_span(center.approval_date, year)
            last = min(end - timedelta(days=1), TODAY)
            share = 1.0 if year < current else max(0.05, (last - start).days / 365)
            wanted = int(center.target_for(year) * share * rng.uniform(0.75, 1.15))
            plan.append((year, start, last, wanted))
        member_names = [o.name for o in db.session.scalars(sa.select(Organisation).where(
            Organisation.id.in_(members), Organisation.kind.not_in([OrgKind.CENTER, OrgKind.BUREAU]))
            .order_by(Organisation.id))]

        def offline(day: date, k: int) -> int:
            """A deal closed elsewhere by an alliance member, on the center's own patents (k of them)."""
            if staff is None or not industry_numbers or not member_names:
                return 0
            numbers = rng.sample(industry_numbers, min(len(industry_numbers), k))
            data = ds.OfflineDeal(seller=rng.choice(member_names),
                                  buyer=f"山西{rng.choice(['晋兴', '龙城', '汾河', '并州'])}科技有限公司",
                                  kind=rng.choice(["transfer", "ordinary", "exclusive"]), application_numbers=numbers,
                                  completed_on=day, price_fen=rng.randint(5, 80) * 1_000_000,
                                  recordal_number=f"X{day.year}14{rng.randint(0, 9999999):07d}",
                                  recordal_date=day, contract_filename=f"合同编号 HT-{day.year}-{rng.randint(100, 999)}")
            if data.kind == "transfer":
                data.recordal_number = f"ZLBG{day.year}{rng.randint(0, 99999999):08d}"
            try:
                with _recorded_on(day):  # the demo's centers record their deals when they close them
                    ds.record_offline(staff, center, data)
            except DomainError:  # a drawn number or deal that exists already
                db.session.rollback()
                return 0
            counts["deals_offline"] += 1
            return len(numbers)

        for year, start, last, wanted in plan:
            wanted = task5_plan.planned(center.industry.value, year, current, wanted)
            done = 0

            def day_in_year() -> date:
                return start + timedelta(days=rng.randint(0, max(0, (last - start).days)))

            # a third closed elsewhere and recorded by the center, the rest on the platform
            while done < wanted // 3 and offline(day_in_year(), min(wanted - done, rng.choice((1, 1, 2)))):
                done = counts_in(center, year)
            tries = 0
            while done < wanted and listings and tries < 4 * wanted:
                tries += 1
                listing = rng.choice(listings)
                if done + len(listing.patents) > wanted:
                    continue
                seller = _admin(listing.org_id)
                buyer = _admin(rng.choice([b for b in buyers if b != listing.org_id]))
                if seller is None or buyer is None:
                    break
                kind = rng.choice(listing.deal_kinds)
                price = listing.price_fen or rng.randint(10, 200) * 1_000_000
                try:
                    deal = ds.start_from_listing(buyer, listing, kind=kind, price_fen=price)
                    if deal.center_id != center.id:
                        deal.center_id, deal.center_reason = center.id, "assigned"
                        db.session.commit()
                    day = day_in_year()
                    ds.sign(seller, deal.id)
                    ds.sign(buyer, deal.id)
                    ds.fund(buyer, deal.id, key=f"demo-fund-{deal.id}")
                    number = (f"ZLBG{day.year}{deal.id:08d}" if kind == "transfer" else f"X{day.year}14{deal.id:07d}")
                    ds.record(seller, deal.id, recordal_number=number, recordal_date=min(day, date.today()))
                    ds.complete(buyer, deal.id, key=f"demo-complete-{deal.id}", today=day)
                except (DomainError, AccessDenied):
                    db.session.rollback()
                    continue
                counts["deals_completed"] += 1
                done = counts_in(center, year)
            # the rest closed elsewhere, one patent at a time, to reach the plan exactly
            misses = 0
            while done < wanted and misses < 20:
                if offline(day_in_year(), 1):
                    done = counts_in(center, year)
                else:
                    misses += 1
        # open deals at each stage, so every page has something to show
        for stage in ("draft", "signed", "funded", "recorded", "disputed"):
            if not listings:
                break
            listing = rng.choice(listings)
            seller, buyer = _admin(listing.org_id), _admin(rng.choice([b for b in buyers if b != listing.org_id]))
            if seller is None or buyer is None:
                continue
            try:
                deal = ds.start_from_listing(buyer, listing, kind=listing.deal_kinds[0],
                                             price_fen=listing.price_fen or 30_000_000)
                if stage != "draft":
                    ds.sign(seller, deal.id)
                    ds.sign(buyer, deal.id)
                if stage in ("funded", "recorded", "disputed"):
                    ds.fund(buyer, deal.id)
                if stage in ("recorded", "disputed"):
                    num = f"ZLBG2026{deal.id:08d}" if deal.kind.value == "transfer" else f"X202614{deal.id:07d}"
                    ds.record(seller, deal.id, recordal_number=num, recordal_date=date(2026, 11, 1))
                if stage == "disputed":
                    ds.dispute(buyer, deal.id, reason="对专利有效性存在疑问，申请中心调解。")
                counts["deals_open"] += 1
            except (DomainError, AccessDenied):
                db.session.rollback()
    counts["pools"] += _seed_pool(rng)
    counts["threads"] = _seed_negotiations(rng, buyers)
    counts["graded"] = grading.grade_patents(today=TODAY)["patents"]
    from .program_tasks import seed_program_tasks  # after the pool: awards count for pool patents only

    return counts | seed_program_tasks()


# (buyer's opening message, seller's reply, how far it goes)
NEGOTIATIONS = [
    ("我司计划在明年投产相关产品，想了解该技术的中试数据和许可费用。", "可以提供中试报告，签署保密协议后发送。", "agreed"),
    ("请问能否只许可华北地区使用？预算有限。", "华北地区普通许可可以谈，请给出报价。", "countered"),
    ("对贵校这项技术很感兴趣，希望先看技术细节。", "欢迎，请先提交保密协议。", "nda"),
    ("想了解这项专利的维持情况和同族专利。", "", "open"),
]


def _seed_negotiations(rng: random.Random, buyers: list[int]) -> int:
    """Threads at each step of a negotiation: messages, an NDA, offers and counters, one agreed (a draft deal)."""
    from ..domain.negotiation import OfferTerms
    from ..services import negotiation as ns

    listings = [item for item in db.session.scalars(sa.select(Listing).where(
        Listing.status == PublicationStatus.PUBLISHED).order_by(Listing.id)) if item.deal_kinds[-1] != "transfer"]
    made = 0
    for opening, reply, step in NEGOTIATIONS:
        listing = rng.choice(listings)
        seller = _admin(listing.org_id)
        buyer = _admin(rng.choice([b for b in buyers if b != listing.org_id]))
        if seller is None or buyer is None:
            continue
        try:
            thread = ns.start_thread(buyer, listing, message=opening)
            if reply:
                ns.post_message(seller, thread, reply)
            if step in ("agreed", "nda"):
                ns.request_nda(buyer, thread, "双方签署的《技术秘密保密协议》（2026 版），保密期五年。")
                ns.decide_nda(seller, thread, accept=True)
            kind, price = listing.deal_kinds[-1], listing.price_fen or 50_000_000  # a licence kind where offered
            if step in ("agreed", "countered"):
                ns.make_offer(seller, thread, OfferTerms(kind=kind, price_fen=price, territory="中国大陆",
                                                         term_months=60, note="含技术培训两次。"))
                counter = ns.make_offer(buyer, thread, OfferTerms(
                    kind=kind, price_fen=price * 4 // 5, payment="royalty", royalty_bp=300, territory="华北地区",
                    term_months=60, note="首付八成，其余按销售额 3% 提成。"))
                if step == "agreed":
                    ns.accept_offer(seller, thread, counter.id)
            made += 1
        except (DomainError, AccessDenied):
            db.session.rollback()
    return made


def _seed_pool(rng: random.Random) -> int:
    """A carbon-materials pool that meets the rule, built by members contributing their own patents."""
    center = db.session.scalar(sa.select(Center).where(Center.industry == "carbon_materials"))
    if center is None or _staff(center) is None:
        return 0
    staff = _staff(center)
    pool = ps.create_pool(staff, name="碳基新材料高价值专利池", industry="carbon_materials", center=center,
                          field="石墨烯、碳纤维、针状焦及碳化硅陶瓷的制备与应用")
    owners = db.session.execute(
        sa.select(Patent.owner_org_id, sa.func.count()).where(
            Patent.industry == "carbon_materials", Patent.legal_status == "granted", Patent.owner_org_id.is_not(None))
        .group_by(Patent.owner_org_id).order_by(sa.func.count().desc())
    ).all()
    for org_id, _ in owners[:6]:
        admin = _admin(org_id)
        org = db.session.get(Organisation, org_id)
        if admin is None or org.kind in (OrgKind.CENTER, OrgKind.BUREAU):
            continue
        ps.invite(staff, pool, org, fixed_share=rng.randint(1, 5))
        ps.respond(admin, pool, accept=True)
        ids = list(db.session.scalars(sa.select(Patent.id).where(
            Patent.owner_org_id == org_id, Patent.industry == "carbon_materials").order_by(Patent.id)))
        if ids:
            ps.contribute(admin, pool, ids)
    ps.publish_terms(staff, pool, royalty_kind="lump_sum", royalty_fen=50_000_000, field_of_use="锂电池导电剂、导热膜",
                     term_months=36, split_rule="per_patent")
    return 1
