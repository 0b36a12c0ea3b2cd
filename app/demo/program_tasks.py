"""Demo data for the program's tasks and the centers' member services, through the real services:
plans, navigation projects, patent-intensive products, PCT filings, standards and awards (the
carbon-materials center meets every one of these tasks, the high-end equipment center the plan and
the product with the others under way, the new-energy vehicle center has only begun), and for the
first three centers financing requests
with offers, early-warning watches (one has fired), dispute consultations and training events with
sign-ups. Deterministic; dated relative to the base seed's TODAY.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..domain import program as rules
from ..extensions import db
from ..models import AllianceMembership, Center, MembershipStatus, Organisation, Patent, Pool, PoolPatent, Role, User
from ..services import member_support as support
from ..services import clock
from ..services import program as ps
from .seed import TODAY

PLAN = {
    "ideas": "以碳基新材料产业链关键环节为重点，围绕高价值专利培育、转化运用和保护开展知识产权运营。",
    "positioning": "立足太原、服务山西，建设面向碳基新材料产业的知识产权运营公共服务平台。",
    "goals": "五年内促成专利转让许可不少于 300 件，培育专利密集型产品 5 个，组建产业专利池 1 个。",
    "tasks": "专利导航、专利池运营、专利密集型产品培育、PCT 国际布局、标准与专利协同、维权援助。",
    "governance": "理事会领导下的总经理负责制，设立运营部、导航分析部、法务部。",
    "base": "依托太原理工大学、中国科学院山西煤炭化学研究所的研发基础与产业联盟成员企业。",
    "schedule": "第一年完成平台与数据库建设；第二、三年开展导航与专利池运营；第四、五年全面推广。",
    "budget": "总投入 3000 万元，其中市级资金 1500 万元，自筹 1500 万元。",
    "safeguards": "建立资金使用台账和季度报告制度，接受市市场监管局（知识产权局）监督检查。",
}

# (center industry, how far it goes): "all" meets every task here, "part" some, "start" has only begun
CENTERS = (("carbon_materials", "all"), ("high_end_equipment", "part"), ("new_energy_vehicles", "start"))

NAV_TITLES = [
    (rules.NavKind.INDUSTRY_PLANNING, "产业规划类专利导航", "太原市产业发展规划编制组"),
    (rules.NavKind.ENTERPRISE_OPERATION, "企业经营类专利导航", None),
    (rules.NavKind.RD_ACTIVITY, "研发活动类专利导航", None),
    (rules.NavKind.TALENT_MANAGEMENT, "人才管理类专利导航", None),
    (rules.NavKind.ENTERPRISE_OPERATION, "海外市场进入专利导航", None),
    (rules.NavKind.RD_ACTIVITY, "关键工艺研发专利导航", None),
]


def _staff(center: Center) -> User | None:
    return db.session.scalar(sa.select(User).where(User.org_id == center.org_id, User.role == Role.CENTER_STAFF)
                             .order_by(User.id))


def _member_admins(center: Center) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(AllianceMembership, AllianceMembership.org_id == User.org_id)
        .where(AllianceMembership.center_id == center.id, AllianceMembership.status == MembershipStatus.APPROVED,
               User.role == Role.ORG_ADMIN).order_by(User.id)))


def _numbers(center: Center, count: int, granted: bool = True) -> list[str]:
    stmt = sa.select(Patent.application_number).where(Patent.industry == center.industry)
    if granted:
        stmt = stmt.where(Patent.legal_status == "granted")
    return list(db.session.scalars(stmt.order_by(Patent.id).limit(count)))


def _pool_number(center: Center) -> str | None:
    """A patent of one of the center's pools: only those (or products built on them) win awards that count."""
    return db.session.scalar(sa.select(Patent.application_number).join(PoolPatent, PoolPatent.patent_id == Patent.id)
                             .join(Pool, Pool.id == PoolPatent.pool_id).where(Pool.center_id == center.id)
                             .order_by(PoolPatent.id).limit(1))


def seed_program_tasks() -> dict[str, int]:
    counts = {"plans": 0, "navigation": 0, "products": 0, "pct": 0, "standards": 0, "awards": 0,
              "financing": 0, "watches": 0, "disputes": 0, "events": 0}
    for industry, depth in CENTERS:
        center = db.session.scalar(sa.select(Center).where(Center.industry == industry))
        if center is None or center.approval_date is None or _staff(center) is None:
            continue
        staff = _staff(center)
        _tasks(staff, center, depth, counts)
        _services(staff, center, depth, counts)
    return counts


def _tasks(staff: User, center: Center, depth: str, counts: dict[str, int]) -> None:
    start = center.approval_date
    plan = {k: v.replace("碳基新材料", _short_name(center)) for k, v in PLAN.items()}
    if depth == "start":
        plan = {k: v for k, v in plan.items() if k in ("ideas", "positioning", "goals")}
    ps.save_plan(staff, center, {k: ("" if k == "safeguards" else v) for k, v in plan.items()}, note="首版")
    if depth != "start":
        ps.save_plan(staff, center, plan, note="根据专家意见补充保障措施")
    counts["plans"] += 1
    if depth == "start":
        ps.add_navigation(staff, center, ps.NavigationData(
            f"{_short_name(center)}产业规划类专利导航", rules.NavKind.INDUSTRY_PLANNING, "太原市工业和信息化局",
            rules.ProjectStatus.IN_PROGRESS, start + timedelta(days=120)))
        counts["navigation"] += 1
        return
    members = [db.session.get(Organisation, u.org_id) for u in _member_admins(center)]
    projects = NAV_TITLES if depth == "all" else NAV_TITLES[:3]
    for i, (kind, title, client) in enumerate(projects):
        began = start + timedelta(days=60 + 45 * i)
        done = depth == "all" or i == 0
        ps.add_navigation(staff, center, ps.NavigationData(
            f"{_short_name(center)}{title}", kind, client or (members[i % len(members)].name if members else ""),
            rules.ProjectStatus.COMPLETED if done else rules.ProjectStatus.IN_PROGRESS, began,
            began + timedelta(days=150) if done else None, "导航分析报告一份、专利布局建议书一份"))
        counts["navigation"] += 1
    numbers = _numbers(center, 12)
    owner = members[0].name if members else center.name
    ps.add_product(staff, center, ps.ProductData(
        f"{_short_name(center)}专利密集型产品（一号）", owner, "\n".join(numbers[:3]), "核心专利支撑的主营产品",
        product_revenue_fen=3_200_000_000, total_revenue_fen=5_000_000_000,
        status=rules.ProductStatus.IDENTIFIED, applied_on=TODAY - timedelta(days=200),
        identified_on=TODAY - timedelta(days=90), certificate_number=f"晋知密认〔2026〕{center.id:03d} 号"))
    counts["products"] += 1
    filings = 20 if depth == "all" else 4
    for i in range(filings):
        filed = start + timedelta(days=90 + 17 * i)
        ps.add_pct(staff, center, ps.PctData(owner, f"一种{_short_name(center)}相关技术（PCT 第 {i + 1} 件）",
                                             f"PCT/CN{filed.year}/{center.id:02d}{i + 1:04d}",
                                             rules.PctPhase.INTERNATIONAL, filed))
        counts["pct"] += 1
    standards = 3 if depth == "all" else 1
    for i in range(standards):
        published = depth == "all"
        ps.add_standard(staff, center, ps.StandardData(
            f"GB/T {43100 + center.id * 10 + i}-2025", f"{_short_name(center)}术语与测试方法 第 {i + 1} 部分",
            rules.StandardLevel.NATIONAL, rules.StandardStatus.PUBLISHED if published else rules.StandardStatus.DRAFTING,
            numbers[3 + i], start + timedelta(days=400 + 30 * i) if published else None))
        counts["standards"] += 1
    ps.add_award(staff, center, ps.AwardData(
        "山西省专利奖", rules.AwardLevel.PROVINCIAL,
        rules.AwardStatus.WON if depth == "all" else rules.AwardStatus.NOMINATED, owner, _pool_number(center) or numbers[6],
        awarded_on=TODAY - timedelta(days=60) if depth == "all" else None))
    counts["awards"] += 1


def _short_name(center: Center) -> str:
    """The industry's short Chinese name, from the center's name (太原市…产业知识产权运营中心)."""
    return center.name.removeprefix("太原市").split("产业知识产权")[0]


def _services(staff: User, center: Center, depth: str, counts: dict[str, int]) -> None:
    admins = _member_admins(center)
    if len(admins) < 3:
        return
    a, b, c = admins[:3]
    numbers = _numbers(center, 20)
    owned = [n for n in db.session.scalars(sa.select(Patent.application_number).where(
        Patent.owner_org_id == a.org_id, Patent.legal_status == "granted").order_by(Patent.id).limit(2))]
    loan = support.request_financing(a, center, kind="pledge_loan", amount_fen=500_000_000, patents="\n".join(owned or numbers[:2]),
                                description="以两件发明专利质押，申请一年期流动资金贷款 500 万元。")
    support.add_offer(staff, loan, provider_name="交通银行太原分行", provider_kind="bank", amount_fen=400_000_000,
                 terms="年利率 3.45%，期限一年，政府贴息 50%。")
    support.add_offer(staff, loan, provider_name="晋商银行", provider_kind="bank", amount_fen=500_000_000,
                 terms="年利率 3.6%，期限一年，知识产权质押保险费补贴。")
    support.request_financing(b, center, kind="insurance", amount_fen=None, patents="",
                         description="为出口产品投保海外知识产权侵权责任险。")
    counts["financing"] += 2
    watch = support.create_watch(a, center, name="竞争对手新公开专利", ipc_codes=_ipc_of(numbers[0]), competitors="")
    watch.last_seen_at = datetime.combine(TODAY - timedelta(days=400), datetime.min.time())  # fired: new hits since
    support.create_watch(b, center, name="核心技术领域监控", ipc_codes=_ipc_of(numbers[5]), competitors="")
    db.session.commit()
    counts["watches"] += 2
    support.request_consultation(c, center, kind="accused", subject="收到侵权警告函，请求应对指导",
                            counterparty="某外省同行企业", description="对方称我司产品落入其实用新型专利保护范围。")
    answered = support.request_consultation(a, center, kind="ownership", subject="合作研发成果专利权属约定",
                                       counterparty="太原理工大学", description="合作协议未约定专利归属。")
    support.answer_consultation(staff, answered, "建议补签权属协议，按出资与贡献比例约定共有，并明确实施收益分配。")
    counts["disputes"] += 2
    now = clock.local_now().replace(tzinfo=None, second=0, microsecond=0)
    upcoming = support.create_event(staff, center, title=f"{_short_name(center)}专利挖掘与布局实务培训", kind="training",
                               starts_at=(now + timedelta(days=12)).replace(hour=9, minute=30),
                               location="太原市小店区长治路 227 号 高新国际大厦 12 层", capacity=60,
                               description="讲授专利挖掘方法、布局策略与申请文件撰写要点。")
    for user in (a, b, c):
        support.sign_up(user, upcoming)
    support.create_event(staff, center, title=f"{_short_name(center)}专利技术供需对接会", kind="matchmaking",
                    starts_at=(now + timedelta(days=30)).replace(hour=14, minute=0),
                    location="山西转型综改示范区学府园区", capacity=None, description="高校院所专利技术路演与企业需求对接。")
    counts["events"] += 2


def _ipc_of(number: str) -> str:
    patent = db.session.scalar(sa.select(Patent).where(Patent.application_number == number))
    return patent.ipc_list[0][:4] if patent and patent.ipc_list else "C01B"
