"""Realistic Chinese demo data: centers, alliance members, patents, listings, needs and users.

``seed_demo`` loads into an empty database through the given SQLAlchemy session. Everything is
drawn from ``random.Random(seed)`` and dated relative to the fixed reference day ``TODAY``, so
the same seed gives the same data on any day and no date lies after ``TODAY``.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from ..domain import credit_code, ipc, patent_numbers, patent_terms
from ..domain.lifecycle import PublicationStatus
from ..domain.patent_terms import LegalStatus, PatentType
from ..models import (
    AllianceMembership,
    Center,
    CenterTarget,
    Industry,
    Listing,
    MembershipStatus,
    Need,
    Organisation,
    OrgKind,
    Patent,
    PatentApplicant,
    PatentIPC,
    Role,
    User,
)
from . import orgs as O
from . import trademarks as demo_trademarks
from . import vocab as V

TODAY = date(2026, 11, 25)
PLATFORM_START = date(2023, 3, 1)
EMAIL_DOMAIN = "demo.ipx.cn"

_CENTER_ORG = {industry: name + "有限公司" for industry, name, *_ in O.CENTERS}

# The fixed demo accounts shown in the README (all share the demo password).
DEMO_USERS: list[dict[str, str]] = [
    {"email": "admin@demo.ipx.cn", "role": "platform_admin", "org": O.PLATFORM_ORG, "name": "王建国", "title": "平台运营负责人"},
    {"email": "bureau@demo.ipx.cn", "role": "bureau_staff", "org": O.BUREAU_ORG, "name": "李红梅", "title": "知识产权运用促进科科长"},
    {"email": "expert@demo.ipx.cn", "role": "expert", "org": O.EXPERT_UNIVERSITY, "name": "张志强", "title": "教授、博士生导师"},
    {"email": "center@demo.ipx.cn", "role": "center_staff", "org": _CENTER_ORG["carbon_materials"], "name": "赵磊", "title": "运营总监"},
    {"email": "center2@demo.ipx.cn", "role": "center_staff", "org": _CENTER_ORG["high_end_equipment"], "name": "刘洋", "title": "运营经理"},
    {"email": "center3@demo.ipx.cn", "role": "center_staff", "org": _CENTER_ORG["new_energy_vehicles"], "name": "陈静", "title": "运营经理"},
    {"email": "center4@demo.ipx.cn", "role": "center_staff", "org": _CENTER_ORG["it_innovation"], "name": "杨帆", "title": "运营经理"},
    {"email": "center5@demo.ipx.cn", "role": "center_staff", "org": _CENTER_ORG["semiconductors"], "name": "黄伟", "title": "运营经理"},
    {"email": "enterprise@demo.ipx.cn", "role": "org_admin", "org": O.KEY_ENTERPRISE, "name": "周明", "title": "知识产权部部长"},
    {"email": "member@demo.ipx.cn", "role": "member", "org": O.KEY_ENTERPRISE, "name": "吴婷", "title": "专利工程师"},
    {"email": "university@demo.ipx.cn", "role": "org_admin", "org": O.KEY_UNIVERSITY, "name": "孙丽华", "title": "科技成果转化中心主任"},
    {"email": "sme@demo.ipx.cn", "role": "org_admin", "org": O.KEY_SME, "name": "郭鹏", "title": "总经理"},
    {"email": "agency@demo.ipx.cn", "role": "org_admin", "org": O.KEY_AGENCY, "name": "马晓燕", "title": "合伙人、专利代理师"},
]

# Share of invention / utility model / design by applicant kind.
_TYPE_SHARES = {
    "university": (0.86, 0.12, 0.02), "research_institute": (0.78, 0.20, 0.02), "enterprise": (0.55, 0.38, 0.07),
    "center": (0.75, 0.25, 0.0), "sme": (0.30, 0.60, 0.10), None: (0.55, 0.38, 0.07),
}
# First publication numbers (9 digits after CN) of each year: inventions (A/B), utility models (U), designs (S).
_PUB_START = {
    "A": [101_050_000, 101_350_000, 101_650_000, 101_950_000, 102_300_000, 102_850_000, 103_350_000, 104_250_000,
          105_250_000, 106_250_000, 107_500_000, 108_900_000, 110_450_000, 112_150_000, 113_850_000, 115_500_000,
          117_300_000, 119_200_000, 121_100_000, 123_000_000, 125_000_000],
    "U": [201_000_000, 201_200_000, 201_450_000, 201_800_000, 202_300_000, 202_900_000, 203_350_000, 204_100_000,
          204_950_000, 205_900_000, 207_200_000, 208_350_000, 210_150_000, 212_700_000, 215_400_000, 218_100_000,
          220_300_000, 222_300_000, 224_100_000, 226_000_000, 228_000_000],
    "S": [300_700_000, 301_000_000, 301_250_000, 301_600_000, 302_000_000, 302_400_000, 302_750_000, 303_100_000,
          303_550_000, 304_000_000, 304_550_000, 305_100_000, 305_650_000, 306_300_000, 307_000_000, 307_600_000,
          308_300_000, 309_050_000, 309_800_000, 310_500_000, 311_200_000],
}
_PUB_FIRST_YEAR = 2008

_VERBS = ("从事", "生产", "提供", "专业", "主营", "研发", "设计", "加工", "为", "开发", "建设", "制造", "封装", "利用",
          "以", "围绕", "聚焦", "开展")
_KIND_LABELS = {  # listing title suffix by the deal kinds offered
    ("transfer",): "专利转让", ("ordinary",): "普通许可", ("exclusive",): "独占许可", ("sole",): "排他许可",
}
_DEAL_KIND_CHOICES = [  # (kinds, weight)
    (("transfer",), 34), (("transfer", "ordinary"), 14), (("ordinary",), 18), (("exclusive",), 10), (("sole",), 6),
    (("exclusive", "sole", "ordinary"), 6), (("transfer", "exclusive"), 6), (("sole", "ordinary"), 6),
]


def seed_demo(session, *, password_hash: str, patents: int = 2400, listings: int = 240, needs: int = 80,
              seed: int = 20261125) -> dict[str, int]:
    """Load the demo data into an empty database and commit; returns counts per kind."""
    counts = _Seeder(session, random.Random(seed), password_hash).run(patents, listings, needs)
    from .lifecycle import seed_lifecycle

    return counts | seed_lifecycle(password_hash)  # the program's tasks come with the activity (after the pool)


# --------------------------------------------------------------------------- helpers

def _between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _at(rng: random.Random, day: date) -> datetime:
    """A working-hours moment of ``day`` (naive UTC, as the models store it)."""
    return datetime(day.year, day.month, day.day, rng.randint(1, 9), rng.randint(0, 59), rng.randint(0, 59))


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    return date(day.year + y, m + 1, min(day.day, 28))


def _gb11714_check(base8: str) -> str:
    """Check digit of an organisation code (GB 11714)."""
    total = sum(int(d) * w for d, w in zip(base8, (3, 7, 9, 10, 5, 8, 4, 2)))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _person(rng: random.Random) -> str:
    return rng.choice(V.SURNAMES) + rng.choice(V.GIVEN_NAMES)


def _strip_yizhong(title: str) -> str:
    return title[2:] if title.startswith("一种") else title


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights, k=1)[0]


class _Seeder:
    def __init__(self, session, rng: random.Random, password_hash: str) -> None:
        self.s = session
        self.rng = rng
        self.password_hash = password_hash
        self.orgs: dict[str, Organisation] = {}
        self.info: dict[str, dict] = {}  # org name -> {kind, industries, weight, founded, focus}
        self.centers: dict[str, Center] = {}
        self.users: list[User] = []
        self.admin_of: dict[str, User] = {}  # org name -> a user who manages its listings/needs
        self.center_staff: dict[str, User] = {}  # industry -> staff user
        self.topics = {t["key"]: (industry, t) for industry, ts in V.TOPICS.items() for t in ts}
        self.patent_topic: dict[Patent, str] = {}
        self.patent_owner: dict[Patent, str | None] = {}
        self.counts: Counter = Counter()

    def run(self, n_patents: int, n_listings: int, n_needs: int) -> dict[str, int]:
        self.make_organisations()
        self.make_centers()
        self.s.flush()
        self.make_users()
        self.s.flush()
        self.make_memberships()
        patents = self.make_patents(n_patents)
        listings = self.make_listings(patents, n_listings)
        needs = self.make_needs(n_needs)
        companies = [(n, i["industries"]) for n, i in self.info.items() if i["kind"] in ("enterprise", "sme")]
        self.counts["trademarks"] = demo_trademarks.add_trademarks(self.s, companies, self.rng, TODAY)
        self.counts["foreign_patents"] = demo_trademarks.add_foreign_patents(self.s)
        self.s.flush()
        self.s.commit()
        from .approvals import seed_approval  # a member's listing waiting for approval
        return {
            "listings_awaiting_approval": seed_approval(self.s, self.password_hash),
            "organisations": len(self.orgs),
            "users": len(self.users),
            "centers": len(self.centers),
            "center_targets": self.counts["center_targets"],
            "memberships": self.counts["memberships"],
            "patents": len(patents),
            "patent_ipc_codes": self.counts["ipc"],
            "patent_applicants": self.counts["applicants"],
            "listings": len(listings),
            "needs": len(needs),
            "trademarks": self.counts["trademarks"],
            "foreign_patents": self.counts["foreign_patents"],
        }

    # ------------------------------------------------------------------ organisations

    def _credit_code(self, used: set[str], prefix: str, region_code: str, style: str) -> str:
        alphabet = credit_code.ALPHABET
        while True:
            if style == "old":
                base = str(self.rng.randint(10_000_000, 99_999_999))
                org_code = base + _gb11714_check(base)
            else:  # codes issued since 2015 start with MA (companies) or MJ (social organisations)
                org_code = style + self.rng.choice("0123") + "".join(self.rng.choice(alphabet) for _ in range(6))
            code = credit_code.make(prefix + region_code + org_code)
            if code not in used:
                used.add(code)
                return code

    def _add_org(self, used, *, name, kind, industries, region, weight, description, address="", name_en=None,
                 prefix="91", style="MA", region_code=None, created=None, focus=None) -> Organisation:
        rng = self.rng
        code_region, streets = O.REGIONS[region]
        if not address:
            address = f"{rng.choice(streets)}{rng.randint(1, 399)}号"
        founded = {"old": rng.randint(1996, 2010), "MA": rng.randint(2015, 2021), "MJ": rng.randint(2016, 2020)}[style]
        created = created or _between(rng, PLATFORM_START + timedelta(days=10), date(2024, 6, 30))
        org = Organisation(
            name=name, name_en=name_en, kind=OrgKind(kind),
            credit_code=self._credit_code(used, prefix, region_code or code_region, style),
            region=region, address=region + address, description=description, created_at=_at(rng, created),
        )
        self.s.add(org)
        self.orgs[name] = org
        patent_industries = [i for i in industries if i in V.TOPICS]
        if focus is None:
            focus = []
            for ind in patent_industries:
                keys = [t["key"] for t in V.TOPICS[ind]]
                focus += rng.sample(keys, min(len(keys), 2 if kind in ("enterprise", "sme") else 4))
        self.info[name] = {"kind": kind, "industries": industries, "patent_industries": patent_industries,
                           "weight": weight, "founded": founded, "focus": focus, "created": created}
        return org

    def make_organisations(self) -> None:
        rng = self.rng
        used: set[str] = set()
        self._add_org(used, name=O.BUREAU_ORG, kind="bureau", industries=[], region="太原市", weight=0,
                      description="太原市人民政府工作部门，负责全市市场监督管理和知识产权工作，组织产业知识产权运营中心的申报评审与年度考核。",
                      address="府西街69号", prefix="11", style="old", created=PLATFORM_START, name_en="Taiyuan Administration for Market Regulation (IP Office)")
        self._add_org(used, name=O.PLATFORM_ORG, kind="agency", industries=[], region="山西转型综合改革示范区", weight=0,
                      description="产业知识产权联盟交易平台的建设和运营单位，提供专利挂牌、交易撮合和资金托管服务。",
                      created=PLATFORM_START, name_en="Taiyuan Industrial IP Alliance Exchange Operations Co., Ltd.")
        for row in O.ORGS:
            name, kind, inds, region, weight, desc = row[:6]
            address = row[6] if len(row) > 6 else ""
            industries = [O.INDUSTRY_CODES[c] for c in inds]
            if kind == "university":
                prefix, style, region_code = "12", "old", "140000"  # provincial public institutions
            elif kind == "research_institute":
                prefix, style = "12", "old"
                region_code = "140000" if name.startswith("山西") else None
            elif kind == "association":
                prefix, style, region_code = "51", "MJ", None  # social organisations (社会团体)
            elif name.endswith("中心") and kind == "agency":
                prefix, style, region_code = "52", "MJ", None
            else:
                prefix, region_code = "91", None
                style = "old" if (weight >= 8 or (kind == "enterprise" and rng.random() < 0.3)) else "MA"
            self._add_org(used, name=name, kind=kind, industries=industries, region=region, weight=weight,
                          description=desc, address=address, name_en=O.UNIVERSITY_EN.get(name), prefix=prefix,
                          style=style, region_code=region_code, focus=O.FOCUS.get(name))
        for industry, cname, approval, _founders, _targets, desc in O.CENTERS:
            self._add_org(used, name=cname + "有限公司", kind="center", industries=[industry], region="山西转型综合改革示范区",
                          weight=1, description=f"{cname}的运营公司。{desc}", name_en=O.CENTER_EN[industry],
                          created=approval - timedelta(days=rng.randint(20, 60)),
                          focus=[t["key"] for t in V.TOPICS[industry]])

    def make_centers(self) -> None:
        default = [20, 26, 34, 44, 58]
        for industry, cname, approval, founders, targets, desc in O.CENTERS:
            founder_names = "、".join(founders[1:])
            center = Center(
                org=self.orgs[cname + "有限公司"], name=cname, industry=Industry(industry), approval_date=approval,
                description=f"由{founders[0]}联合{founder_names}共同发起设立，{approval.year}年{approval.month}月经市市场监督管理局（知识产权局）批准立项。{desc}",
                founders=[self.orgs[f] for f in founders],
                created_at=_at(self.rng, approval),
            )
            center.targets = [CenterTarget(year=i + 1, target=t) for i, t in enumerate(targets or default)]
            self.counts["center_targets"] += len(center.targets)
            self.s.add(center)
            self.centers[industry] = center

    # ------------------------------------------------------------------ users

    def _user(self, *, email, name, role, org_name, title="") -> User:
        created = min(TODAY, self.info[org_name]["created"] + timedelta(days=self.rng.randint(0, 10)))
        user = User(email=email, name=name, role=Role(role), org=self.orgs[org_name], password_hash=self.password_hash,
                    title=title, phone=f"1{self.rng.choice('3589')}{self.rng.randint(0, 9)}{self.rng.randint(10_000_000, 99_999_999)}",
                    created_at=_at(self.rng, created))
        self.s.add(user)
        self.users.append(user)
        return user

    def make_users(self) -> None:
        for spec in DEMO_USERS:
            user = self._user(email=spec["email"], name=spec["name"], role=spec["role"], org_name=spec["org"], title=spec["title"])
            if spec["role"] == "org_admin":
                self.admin_of.setdefault(spec["org"], user)
            if spec["role"] == "center_staff":
                industry = next(i for i, n in _CENTER_ORG.items() if n == spec["org"])
                self.center_staff[industry] = user
        # one organisation admin for every other organisation (the platform's admin manages its own)
        n = 0
        for name in self.orgs:
            if name in self.admin_of or name == O.PLATFORM_ORG:
                continue
            n += 1
            kind = self.info[name]["kind"]
            title = {"university": "科技处副处长", "research_institute": "成果转化办公室主任", "bureau": "知识产权运用促进科副科长",
                     "center": "综合管理部经理", "agency": "执行合伙人"}.get(kind, "知识产权专员")
            self.admin_of[name] = self._user(email=f"org{n:02d}@{EMAIL_DOMAIN}", name=_person(self.rng), role="org_admin",
                                             org_name=name, title=title)

    # ------------------------------------------------------------------ alliance memberships

    def make_memberships(self) -> None:
        rng = self.rng
        pairs: dict[tuple[str, str], dict] = {}  # (industry, org) -> membership fields

        def add(industry: str, org_name: str, status: MembershipStatus) -> None:
            if (industry, org_name) not in pairs:
                pairs[(industry, org_name)] = {"status": status}

        for industry, _cname, _approval, founders, *_ in O.CENTERS:
            for f in founders:
                add(industry, f, MembershipStatus.APPROVED)
        key_orgs = {O.KEY_ENTERPRISE, O.KEY_UNIVERSITY, O.KEY_SME, O.KEY_AGENCY, O.EXPERT_UNIVERSITY}
        candidates = [n for n, i in self.info.items() if i["kind"] not in ("center", "bureau") and n != O.PLATFORM_ORG]
        for name in candidates:
            info = self.info[name]
            alliances: list[str] = []
            for ind in info["industries"]:
                a = O.ALLIANCE_FOR.get(ind)
                if a and a not in alliances:
                    alliances.append(a)
            if not alliances or (name not in key_orgs and rng.random() < 0.08):
                continue  # not every organisation has joined an alliance yet
            limit = {"university": 3, "agency": 2, "research_institute": 2}.get(info["kind"], 2)
            chosen = alliances[:1] + [a for a in alliances[1:limit] if name in key_orgs or rng.random() < 0.6]
            for a in chosen:
                r = rng.random()
                status = MembershipStatus.APPROVED if (name in key_orgs or r < 0.88) else MembershipStatus.PENDING
                add(a, name, status)
        # every alliance has enterprises, universities, research institutes and agencies
        for industry in self.centers:
            for kind in ("enterprise", "university", "research_institute", "agency", "sme"):
                if any(ind == industry and self.info[o]["kind"] == kind and m["status"] == MembershipStatus.APPROVED
                       for (ind, o), m in pairs.items()):
                    continue
                options = [o for o in candidates if self.info[o]["kind"] == kind and (industry, o) not in pairs]
                options.sort(key=lambda o: (sum(1 for (i, x) in pairs if x == o), o))
                if options:
                    add(industry, options[0], MembershipStatus.APPROVED)
        # two requests were turned down (SMEs outside the alliance's industry)
        smes = sorted(o for o in candidates if self.info[o]["kind"] == "sme" and o != O.KEY_SME)
        for industry, org_name in zip(["semiconductors", "it_innovation"], rng.sample(smes, 2)):
            if (industry, org_name) not in pairs:
                pairs[(industry, org_name)] = {"status": MembershipStatus.REJECTED}

        messages = ["申请加入产业知识产权联盟，参与专利池建设和技术对接。", "希望通过联盟开展专利许可与成果转化合作。",
                    "我单位拟加入联盟，共享产业专利数据库和专利导航服务。", "申请入盟，愿意开放部分专利参与联盟许可。", ""]
        rows = []
        for (industry, org_name), m in pairs.items():
            center = self.centers[industry]
            start = max(center.approval_date, self.info[org_name]["created"])
            if m["status"] == MembershipStatus.PENDING:
                requested = _between(rng, max(start, TODAY - timedelta(days=40)), TODAY - timedelta(days=1))
                decided = None
            else:
                founder = any(f.name == org_name for f in center.founders)
                requested = start if founder else _between(rng, start, TODAY - timedelta(days=30))
                decided = min(TODAY, requested + timedelta(days=rng.randint(1, 20)))
            rows.append(AllianceMembership(
                center=center, org=self.orgs[org_name], status=m["status"], message=rng.choice(messages),
                requested_at=_at(rng, requested), decided_at=_at(rng, decided) if decided else None,
                decided_by_id=self.center_staff[industry].id if decided else None,
            ))
        self.s.add_all(rows)
        self.counts["memberships"] = len(rows)

    # ------------------------------------------------------------------ patents

    def _year(self, earliest: int) -> int:
        years = list(range(max(2008, earliest), 2027))
        weights = [(1 + 0.35 * (y - 2008)) * (0.9 if y == 2026 else 1) for y in years]
        return self.rng.choices(years, weights=weights, k=1)[0]

    def _filing_date(self, year: int) -> date:
        end = date(year, 12, 31) if year < TODAY.year else TODAY - timedelta(days=7)
        return _between(self.rng, date(year, 1, 4), end)

    def _status(self, ptype: PatentType, filing: date, owner_kind: str | None) -> tuple[LegalStatus, date | None]:
        rng = self.rng
        if ptype is PatentType.INVENTION:
            decision = filing + timedelta(days=int(rng.triangular(1.5, 3.6, 2.0) * 365))
            refuse, withdraw = 0.07, 0.10
        elif ptype is PatentType.UTILITY_MODEL:
            decision = filing + timedelta(days=rng.randint(120, 365))
            refuse, withdraw = 0.01, 0.02
        else:
            decision = filing + timedelta(days=rng.randint(90, 270))
            refuse, withdraw = 0.01, 0.02
        if decision > TODAY:
            return LegalStatus.PENDING, None
        r = rng.random()
        if r < refuse:
            return LegalStatus.REJECTED, None
        if r < refuse + withdraw:
            return LegalStatus.WITHDRAWN, None
        grant = decision
        expiry = patent_terms.expiry_date(ptype, filing)
        in_force_years = (min(TODAY, expiry) - grant).days / 365.25
        rate = {PatentType.INVENTION: 0.02, PatentType.UTILITY_MODEL: 0.075, PatentType.DESIGN: 0.07}[ptype]
        if owner_kind in ("university", "research_institute"):
            rate *= 1.5
        if rng.random() < 1 - (1 - rate) ** in_force_years:
            return LegalStatus.LAPSED, grant
        if expiry <= TODAY:
            return LegalStatus.EXPIRED, grant
        r = rng.random()
        if ptype is not PatentType.DESIGN and r < 0.012:
            return LegalStatus.INVALIDATED, grant
        if ptype is PatentType.INVENTION and r < 0.03:
            return LegalStatus.PARTLY_INVALIDATED, grant
        return LegalStatus.GRANTED, grant

    def _pub_number(self, kind: str, day: date, used: set[str]) -> str:
        series = _PUB_START["A" if kind in "AB" else kind]
        i = min(max(day.year - _PUB_FIRST_YEAR, 0), len(series) - 2)
        span = series[i + 1] - series[i]
        base = series[i] + int(span * (day.timetuple().tm_yday - 1) / 366)
        n = base + self.rng.randrange(max(1, span // 366))
        while f"CN{n}{kind}" in used:
            n += 1
        code = f"CN{n}{kind}"
        used.add(code)
        return code

    def _serial_range(self, year: int, code: str) -> tuple[int, int]:
        if code == "1":
            return (10_000, 699_999) if year < 2012 else (10_000, 999_999) if year < 2017 else (10_000, 1_899_999)
        if code == "2":
            return (10_000, 799_999) if year < 2013 else (10_000, 1_199_999) if year < 2018 else (100_000, 3_399_999)
        if code == "3":
            return (10_000, 599_999) if year < 2015 else (10_000, 799_999)
        return (10_000, 89_999)  # 8: PCT national phase

    def _application_number(self, year: int, code: str, used: set[str]) -> str:
        lo, hi = self._serial_range(year, code)
        while True:
            number = patent_numbers.make(year, code, self.rng.randint(lo, hi))
            if number not in used:
                used.add(number)
                return number

    def _invention_text(self, industry: str, topic: dict) -> tuple[str, str]:
        rng = self.rng
        use_method = bool(topic["methods"]) and (not topic["products"] or rng.random() < 0.35)
        if use_method:
            suffixes = V.METHOD_SUFFIXES if industry == "it_innovation" else V.INDUSTRIAL_METHOD_SUFFIXES
            core = rng.choice(topic["mfeat"]) + rng.choice(topic["methods"]) + rng.choice(suffixes)
        else:
            core = rng.choice(topic["pfeat"]) + rng.choice(topic["products"]) + rng.choice(topic["psuf"])
        title = ("一种" + core) if rng.random() < 0.85 else core
        is_method = "方法" in core or "工艺" in core
        for attempt in range(6):
            field = f"，属于{topic['field']}技术领域" if attempt < 3 and rng.random() < 0.5 else ""
            if is_method:
                k = 4 if attempt < 2 and rng.random() < 0.5 else 3
                steps = [topic["steps"][i] for i in sorted(rng.sample(range(len(topic["steps"])), k))]
                if rng.random() < 0.5:
                    body = "。该方法包括以下步骤：" + "；".join(f"S{i + 1}、{s}" for i, s in enumerate(steps)) + "。"
                else:
                    body = "，包括：" + "；".join(steps) + "。"
            else:
                body = self._product_body(topic)
            gains = rng.sample(topic["gains"], 2)
            effect = (f"本发明{rng.choice(['有效提高了', '显著提升了', '提高了'])}{gains[0]}和{gains[1]}，"
                      f"{rng.choice(['降低了', '减少了', '同时降低了'])}{rng.choice(topic['cuts'])}")
            tail = f"，适用于{rng.choice(topic['uses'])}。" if attempt < 4 else "。"
            text = f"本发明公开了{'一种' if not core.startswith('一种') else ''}{core}{field}{body}{effect}{tail}"
            fillers = [f"该{'方法' if is_method else '产品'}工艺简单、易于实现，适合规模化生产。", "具有良好的工业化应用前景。"]
            while len(text) < 100 and fillers:
                text += fillers.pop(0)
            if 100 <= len(text) <= 250:
                return title, text
        return title, text[:249] + "。"

    def _product_body(self, topic: dict) -> str:
        rng = self.rng
        style, parts = topic["style"], topic["parts"]
        if style == "alloy" or not parts:
            return "，" + rng.choice(V.ALLOY_TEXTS) + "。"
        if style == "composition":
            chosen = [parts[i] for i in sorted(rng.sample(range(len(parts)), min(len(parts), rng.choice([3, 4]))))]
            amounts = [(rng.choice([40, 50, 60, 70]), 20), (rng.choice([5, 10, 15]), 10), (rng.choice([1, 2, 3]), 5), (0.5, 2)]
            items = [f"{p}{a}～{a + d}份" for p, (a, d) in zip(chosen, amounts)]
            return "，按质量份计包括：" + "、".join(items) + "。"
        if style == "layers":
            chosen = [parts[i] for i in sorted(rng.sample(range(len(parts)), min(len(parts), rng.choice([3, 4]))))]
            low = rng.choice([0.5, 1, 2, 5, 10])
            detail = f"，所述{chosen[-2]}的厚度为{low:g}～{low * rng.choice([2, 3, 4]):g}μm"
            return "，包括自下而上依次层叠设置的" + "、".join(chosen[:-1]) + f"和{chosen[-1]}{detail}。"
        chosen = rng.sample(parts, 3)
        return (f"，包括{chosen[0]}、{chosen[1]}和{chosen[2]}，所述{chosen[0]}{rng.choice(V.UM_LINKS)}{chosen[1]}，"
                f"所述{chosen[2]}与{chosen[1]}相连。")

    def _utility_text(self, topic: dict) -> tuple[str, str]:
        rng = self.rng
        device, parts = rng.choice(topic["devices"])
        core = rng.choice(V.UM_FEATURES[V.UM_CLASS.get(topic["key"], "mech")]) + device
        title = "一种" + core
        for attempt in range(6):
            p = parts[:4] if attempt < 3 else parts[:3]
            links = rng.sample(V.UM_LINKS, len(p) - 1)
            body = f"，包括{p[0]}" + "".join(f"，所述{a}{link}{b}" for a, b, link in zip(p, p[1:], links))
            field = f"，属于{topic['field']}技术领域" if attempt < 2 else ""
            text = (f"本实用新型公开了一种{core}{field}{body}。本实用新型结构简单、{rng.choice(V.UM_GAINS)}，"
                    f"{rng.choice(['提高了', '提升了'])}{rng.choice(topic['gains'])}，{rng.choice(['降低了', '减少了'])}{rng.choice(topic['cuts'])}")
            text += f"，适用于{rng.choice(topic['uses'])}。" if attempt < 4 else "。"
            if len(text) < 100:
                text += "具有良好的推广应用价值。"
            if 100 <= len(text) <= 250:
                return title, text
        return title, text[:249] + "。"

    def _design_text(self, industry: str) -> tuple[str, str, str]:
        rng = self.rng
        product, use, code = rng.choice(V.DESIGNS[industry])
        title = product + rng.choice(V.DESIGN_VARIANTS)
        text = (f"1．本外观设计产品的名称：{title}。2．本外观设计产品的用途：本外观设计产品{use}。"
                f"3．本外观设计产品的设计要点：在于{rng.choice(V.DESIGN_POINTS)}。"
                f"4．最能表明设计要点的图片或照片：{rng.choice(V.DESIGN_VIEWS)}。5．{rng.choice(V.DESIGN_OMITS)}")
        return title, text, code

    def _ipc_codes(self, ptype: PatentType, industry: str, topic: dict, design_code: str | None) -> list[str]:
        rng = self.rng
        if ptype is PatentType.DESIGN:
            return [ipc.normalize(design_code)]
        pool = topic["ipc"] if ptype is PatentType.INVENTION else topic["ipc_um"]
        n = rng.choices([1, 2, 3, 4], weights=[30, 36, 22, 12] if ptype is PatentType.INVENTION else [45, 38, 17, 0])[0]
        main = pool[0] if rng.random() < 0.4 else rng.choice(pool)
        codes = [main] + rng.sample([c for c in pool if c != main], min(n - 1, len(pool) - 1))
        if n == 4 and rng.random() < 0.5:  # a code from a neighbouring topic of the industry
            other = rng.choice(V.TOPICS[industry])["ipc"]
            codes[-1] = rng.choice(other)
        out: list[str] = []
        for c in codes:
            c = ipc.normalize(c)
            if c not in out:
                out.append(c)
        return out

    def _outside_name(self, industry: str, *, company_bias: float = 0.7) -> str:
        rng = self.rng
        r = rng.random()
        if r < company_bias:
            suffix = "股份有限公司" if rng.random() < 0.2 else "有限公司"
            return rng.choice(V.OUTSIDE_CITIES) + rng.choice(V.OUTSIDE_BRANDS) + rng.choice(V.OUTSIDE_FIELDS[industry]) + suffix
        if r < company_bias + 0.2:
            return _person(rng)
        return rng.choice(V.OUTSIDE_UNIVERSITIES[industry])

    def make_patents(self, n: int) -> list[Patent]:
        rng = self.rng
        owners = [name for name, i in self.info.items() if i["weight"] > 0 and i["patent_industries"]]
        weights = [self.info[name]["weight"] for name in owners]
        by_kind: dict[str, list[str]] = defaultdict(list)
        for name in owners:
            by_kind[self.info[name]["kind"]].append(name)
        numbers: set[str] = set()
        pubs: set[str] = set()
        titles: set[str] = set()
        created_end = date(2025, 12, 31)
        result: list[Patent] = []
        center_industries = list(self.centers)
        for i in range(n):
            # the key demo organisations always own a good number of live patents
            force = O.KEY_ENTERPRISE if i < 12 else O.KEY_UNIVERSITY if i < 20 else None
            if force:
                owner = force
            elif rng.random() < 0.15:
                owner = None
            else:
                owner = rng.choices(owners, weights=weights, k=1)[0]
            info = self.info.get(owner) if owner else None
            if info:
                pi = info["patent_industries"]
                focus = info["focus"]
                if focus and rng.random() < 0.85:
                    topic_key = rng.choice(focus)
                    industry, topic = self.topics[topic_key]
                else:
                    industry = pi[0] if (len(pi) == 1 or rng.random() < 0.7) else rng.choice(pi[1:])
                    topic = rng.choice(V.TOPICS[industry])
                earliest = info["founded"] + 1
            else:
                industry = rng.choices(center_industries + ["special_steel", "hydrogen"], weights=[22, 22, 20, 15, 14, 4, 3])[0]
                topic = rng.choice(V.TOPICS[industry])
                earliest = 2008
            kind = info["kind"] if info else None
            inv, um, _des = _TYPE_SHARES[kind]
            if industry == "it_innovation":
                inv, um = inv + 0.7 * um, 0.3 * um
            r = rng.random()
            ptype = PatentType.INVENTION if r < inv else PatentType.UTILITY_MODEL if r < inv + um else PatentType.DESIGN
            if industry not in V.DESIGNS and ptype is PatentType.DESIGN:
                ptype = PatentType.UTILITY_MODEL
            for _ in range(40):
                year = self._year(earliest if not force else 2021)
                filing = self._filing_date(year)
                status, grant = self._status(ptype, filing, kind)
                if not force or status in (LegalStatus.GRANTED, LegalStatus.PENDING):
                    break
            if ptype is PatentType.INVENTION:
                type_code = "8" if kind in ("enterprise", None) and year >= 2012 and rng.random() < 0.05 else "1"
            else:
                type_code = "2" if ptype is PatentType.UTILITY_MODEL else "3"
            number = self._application_number(year, type_code, numbers)

            design_code = None
            for _ in range(8):
                if ptype is PatentType.INVENTION:
                    title, abstract = self._invention_text(industry, topic)
                elif ptype is PatentType.UTILITY_MODEL:
                    title, abstract = self._utility_text(topic)
                else:
                    title, abstract, design_code = self._design_text(industry)
                if title not in titles or ptype is PatentType.DESIGN:
                    break
            titles.add(title)

            # publication: inventions are published (A) about 18 months after filing (earlier on
            # request) and keep the number when granted (B); utility models and designs are
            # published only when granted (U, S).
            pub = ""
            if ptype is PatentType.INVENTION:
                months = rng.randint(6, 12) if rng.random() < 0.35 else 18
                a_day = _add_months(filing, months) + timedelta(days=rng.randint(0, 20))
                if grant and a_day > grant:
                    a_day = grant - timedelta(days=rng.randint(30, 90))
                if a_day <= TODAY:
                    pub = self._pub_number("A", a_day, pubs)
                    if grant:
                        pub = pub[:-1] + "B"
            elif grant:
                pub = self._pub_number("U" if ptype is PatentType.UTILITY_MODEL else "S", grant + timedelta(days=rng.randint(7, 35)), pubs)

            claims = 1 if ptype is PatentType.DESIGN else (
                int(rng.triangular(3, 20, 9)) if ptype is PatentType.INVENTION else int(rng.triangular(1, 12, 7)))

            # applicants: the owner (first platform organisation) plus co-applicants
            names: list[tuple[str, int | None]] = []
            if owner:
                extra = rng.choices([0, 1, 2], weights=[64, 28, 8])[0]
                co: list[tuple[str, int | None]] = []
                for _ in range(extra):
                    r = rng.random()
                    if r < 0.45:
                        partner_kinds = ["university", "research_institute"] if kind in ("enterprise", "sme", "center") else ["enterprise"]
                        partners = [p for k in partner_kinds for p in by_kind[k]
                                    if industry in self.info[p]["industries"] and p != owner]
                        if partners:
                            p = rng.choice(partners)
                            co.append((p, self.orgs[p].id))
                            continue
                    co.append((self._outside_name(industry, company_bias=0.5 if kind == "sme" else 0.75), None))
                first_outside = co and co[0][1] is None and rng.random() < 0.15
                names = ([co[0], (owner, self.orgs[owner].id)] + co[1:]) if first_outside else [(owner, self.orgs[owner].id)] + co
            else:
                for _ in range(rng.choices([1, 2, 3], weights=[70, 24, 6])[0]):
                    names.append((self._outside_name(industry), None))
            seen: set[str] = set()
            applicants = []
            for name, org_id in names:
                if name in seen:
                    continue
                seen.add(name)
                applicants.append(PatentApplicant(name=name, org_id=org_id, position=len(applicants)))
            codes = self._ipc_codes(ptype, industry, topic, design_code)
            owner_created = self.info[owner]["created"] if owner else PLATFORM_START
            created = _between(rng, max(date(2024, 1, 10), owner_created + timedelta(days=1)), max(created_end, owner_created + timedelta(days=30)))
            created = min(created, TODAY - timedelta(days=20))
            created_at = _at(rng, created)
            patent = Patent(
                application_number=number, publication_number=pub, title=title, abstract=abstract,
                patent_type=ptype, legal_status=status, filing_date=filing, grant_date=grant, claims_count=claims,
                industry=Industry(industry), owner_org_id=self.orgs[owner].id if owner else None,
                created_at=created_at, updated_at=created_at,
                ipc_codes=[PatentIPC(code=c, position=j) for j, c in enumerate(codes)],
                applicants=applicants,
            )
            self.counts["ipc"] += len(codes)
            self.counts["applicants"] += len(applicants)
            self.patent_topic[patent] = topic["key"]
            self.patent_owner[patent] = owner
            result.append(patent)
        self.s.add_all(result)
        return result

    # ------------------------------------------------------------------ listings

    def _price_fen(self, low: int, high: int) -> int:
        """A price in fen between ``low`` and ``high`` yuan, log-uniform, usually whole 万元."""
        yuan = math.exp(self.rng.uniform(math.log(low), math.log(high)))
        step = 10_000 if self.rng.random() < 0.8 else 1_000
        return max(low, int(round(yuan / step)) * step) * 100

    def make_listings(self, patents: list[Patent], n: int) -> list[Listing]:
        rng = self.rng
        live = (LegalStatus.GRANTED, LegalStatus.PARTLY_INVALIDATED, LegalStatus.PENDING)
        available: dict[str, list[Patent]] = defaultdict(list)
        for p in patents:
            owner = self.patent_owner[p]
            if owner and p.legal_status in live:
                available[owner].append(p)
        # the newest patents are the ones offered first
        for lst in available.values():
            lst.sort(key=lambda p: (p.legal_status is LegalStatus.PENDING, -p.filing_date.toordinal()))

        plan: list[tuple[str, PublicationStatus | None]] = []
        plan.append((O.KEY_ENTERPRISE, PublicationStatus.DRAFT))
        plan += [(O.KEY_ENTERPRISE, PublicationStatus.PUBLISHED)] * max(3, n // 20)
        plan += [(O.KEY_UNIVERSITY, PublicationStatus.PUBLISHED)] * max(2, n // 30)
        plan = plan[: max(n, 4)]

        listings: list[Listing] = []
        while len(listings) < n:
            if plan:
                org_name, status = plan.pop(0)
            else:
                names = [o for o, ps in available.items() if ps]
                if not names:
                    break
                org_name = rng.choices(names, weights=[len(available[o]) ** 0.8 for o in names], k=1)[0]
                status = None
            if not available.get(org_name):
                continue
            listing = self._listing(org_name, available[org_name], status)
            listings.append(listing)
        self.s.add_all(listings)
        return listings

    def _take(self, pool: list[Patent], k: int) -> list[Patent]:
        """Up to ``k`` patents of one topic from ``pool`` (removed from it)."""
        by_topic: dict[str, list[Patent]] = defaultdict(list)
        for p in pool:
            by_topic[self.patent_topic[p]].append(p)
        best = max(by_topic.values(), key=len)
        chosen = best[:k]
        for p in chosen:
            pool.remove(p)
        return chosen

    def _listing(self, org_name: str, pool: list[Patent], status: PublicationStatus | None) -> Listing:
        rng = self.rng
        info = self.info[org_name]
        org = self.orgs[org_name]
        kind = info["kind"]
        tech_offer = kind == "university" and rng.random() < 0.75 or kind == "research_institute" and rng.random() < 0.5
        series = not tech_offer and kind in ("enterprise", "center") and rng.random() < 0.15
        if (tech_offer or series) and len(pool) >= 2:
            chosen = self._take(pool, rng.randint(2, 6))
        else:
            chosen = [pool.pop(0) if rng.random() < 0.6 else pool.pop(rng.randrange(len(pool)))]
        if len(chosen) < 2:
            tech_offer = series = False
        first = chosen[0]
        topic_industry, topic = self.topics[self.patent_topic[first]]
        kinds = _weighted(rng, _DEAL_KIND_CHOICES)
        all_pending = all(p.legal_status is LegalStatus.PENDING for p in chosen)
        label = _KIND_LABELS.get(kinds, "专利转让/许可" if "transfer" in kinds else "专利许可")
        if all_pending and "transfer" in kinds and len(kinds) == 1:
            label = "专利申请权转让"
        if tech_offer:
            title = rng.choice([f"{topic['label']}成套技术成果转化", f"{topic['label']}关键技术及产业化",
                                f"{topic['label']}技术成果（{len(chosen)}件专利）"])
        elif series:
            title = f"{topic['label']}系列专利 {label}"
        else:
            title = f"{_strip_yizhong(first.title)} {label}"

        # stage, price
        if kind == "university":
            trl = rng.randint(3, 6)
        elif kind == "research_institute":
            trl = rng.randint(4, 7)
        elif kind == "sme":
            trl = rng.randint(4, 8)
        else:
            trl = rng.randint(5, 9)
        if all_pending:
            trl = min(trl, 6)
        trl = max(2, trl)
        if rng.random() < 0.25:
            price = None
        elif tech_offer or series:
            price = self._price_fen(300_000, 5_000_000)
        elif first.patent_type is PatentType.INVENTION:
            price = self._price_fen(80_000, 2_000_000)
        else:
            price = self._price_fen(50_000, 300_000)

        # text
        lead = first.abstract.split("。")[0] + "。"
        if first.patent_type is PatentType.DESIGN:
            use = first.abstract.split("用途：本外观设计产品", 1)[-1].split("。")[0]
            lead = f"本外观设计为{first.title}，{use}。"
        if first.legal_status is LegalStatus.PENDING:
            state = "该专利申请目前处于实质审查阶段。" if first.patent_type is PatentType.INVENTION else "该专利申请正在审查中。"
        else:
            years = patent_terms.remaining_years(first.patent_type, first.filing_date, first.legal_status, TODAY)
            state = f"该专利已获授权，剩余保护期约{years:.0f}年，年费正常缴纳。"
        kind_words = {"transfer": "转让", "exclusive": "独占许可", "sole": "排他许可", "ordinary": "普通许可"}
        offer = "可采用" + "、".join(kind_words[k] for k in kinds) + "方式合作"
        support = rng.choice(["，可提供技术资料和工艺参数。", "，卖方可派技术人员进行现场指导。", "，可协助办理专利权转移登记或许可备案。", "。"])
        description = lead + state + offer + support
        tech_summary = ""
        if tech_offer:
            inventions = sum(p.patent_type is PatentType.INVENTION for p in chosen)
            team = f"{V.COLLEGES.get(topic_industry, '')}{topic['field']}" if kind == "university" else f"{topic['field']}研究室"
            stage = ("实验室原理验证" if trl <= 3 else "实验室小试" if trl == 4 else "中试验证" if trl <= 6
                     else "工业性试验" if trl == 7 else "产业化应用")
            gains = rng.sample(topic["gains"], 2)
            tech_summary = (f"该成果由{org_name}{team}团队完成，围绕{topic['label']}形成了{len(chosen)}件专利组成的技术组合"
                            f"（其中发明专利{inventions}件）。核心技术可显著提高{gains[0]}和{gains[1]}，"
                            f"降低{rng.choice(topic['cuts'])}，可应用于{rng.choice(topic['uses'])}。目前已完成{stage}，"
                            f"技术成熟度约为TRL {trl}。可采用专利转让、许可或作价入股等方式与企业合作，团队可提供技术培训和工艺指导。")

        if status is None:
            status = _weighted(rng, [(PublicationStatus.PUBLISHED, 76), (PublicationStatus.DRAFT, 10),
                                     (PublicationStatus.CLOSED, 8), (PublicationStatus.WITHDRAWN, 6)])
        latest_patent = max(p.created_at.date() for p in chosen)
        if status is PublicationStatus.CLOSED:
            created = _between(rng, latest_patent, TODAY - timedelta(days=120))
        elif status is PublicationStatus.DRAFT:
            created = _between(rng, max(latest_patent, TODAY - timedelta(days=60)), TODAY - timedelta(days=1))
        else:
            created = _between(rng, latest_patent, TODAY - timedelta(days=2))
        created = min(created, TODAY - timedelta(days=1))
        created_at = _at(rng, created)
        published_at = None
        if status in (PublicationStatus.PUBLISHED, PublicationStatus.CLOSED) or (
                status is PublicationStatus.WITHDRAWN and rng.random() < 0.6):
            published_at = min(_at(rng, min(TODAY, created + timedelta(days=rng.randint(0, 5)))), datetime(TODAY.year, TODAY.month, TODAY.day))
            published_at = max(published_at, created_at)
        updated = published_at or created_at
        if status in (PublicationStatus.CLOSED, PublicationStatus.WITHDRAWN):
            updated = max(updated, _at(rng, _between(rng, updated.date(), TODAY - timedelta(days=1))))
        return Listing(
            org_id=org.id, created_by_id=self.admin_of[org_name].id, title=title, description=description,
            is_tech_offer=tech_offer, tech_summary=tech_summary,
            offers_transfer="transfer" in kinds, offers_exclusive="exclusive" in kinds,
            offers_sole="sole" in kinds, offers_ordinary="ordinary" in kinds,
            price_fen=price, trl=trl, industry=first.industry, region=org.region, status=status,
            created_at=created_at, updated_at=updated, published_at=published_at, patents=chosen,
        )

    # ------------------------------------------------------------------ needs

    def make_needs(self, n: int) -> list[Need]:
        rng = self.rng
        smes = [o for o, i in self.info.items() if i["kind"] == "sme"]
        enterprises = [o for o, i in self.info.items() if i["kind"] == "enterprise"]
        institutes = [o for o, i in self.info.items() if i["kind"] == "research_institute"]
        seeds_by_industry: dict[str, list[tuple]] = defaultdict(list)
        for seed in V.NEED_SEEDS:
            seeds_by_industry[seed[0]].append(seed)

        plan: list[tuple[str, PublicationStatus | None, tuple | None]] = [
            (O.KEY_SME, PublicationStatus.PUBLISHED, V.NEED_SEEDS[0]),
            (O.KEY_SME, PublicationStatus.DRAFT, None),
            (O.KEY_SME, PublicationStatus.PUBLISHED, None),
            (O.KEY_SME, PublicationStatus.PUBLISHED, None),
        ][: max(n, 2)]
        needs: list[Need] = []
        used_titles: set[str] = set()
        while len(needs) < n:
            if plan:
                org_name, status, seed = plan.pop(0)
            else:
                group = _weighted(rng, [(smes, 60), (enterprises, 35), (institutes, 5)])
                org_name, status, seed = rng.choice(group), None, None
            info = self.info[org_name]
            if seed is None:
                options = [s for ind in info["industries"] for s in seeds_by_industry.get(ind, [])]
                if not options:
                    options = [s for ind in info["industries"] for s in seeds_by_industry.get(O.ALLIANCE_FOR.get(ind, ""), [])]
                options = options or V.NEED_SEEDS
                seed = rng.choice(options)
            industry, tech, purpose, requirement, hints = seed
            for _ in range(6):
                title = rng.choice(V.NEED_TITLES).format(tech=tech)
                if title not in used_titles:
                    break
            used_titles.add(title)
            intro = self.orgs[org_name].description
            who = "本院" if info["kind"] == "research_institute" else "我公司"
            if not intro.startswith(_VERBS):
                who += "是"
            description = (f"【单位简介】{who}{intro}【需求内容】现寻求{tech}技术，{purpose}。"
                           f"【技术指标】{requirement}。【合作方式】{rng.choice(V.NEED_COOPS)}。")
            codes = ipc.parse_list(hints, allow_subclass=True)

            r = rng.random()
            low = rng.choice([5, 10, 20, 30, 50, 80, 100]) * 10_000
            high = low * rng.choice([2, 3, 4, 5])
            if r < 0.6:
                budget = (low * 100, high * 100)
            elif r < 0.7:
                budget = (low * 100, None)
            elif r < 0.85:
                budget = (None, high * 100)
            else:
                budget = (None, None)

            if status is None:
                status = _weighted(rng, [(PublicationStatus.PUBLISHED, 75), (PublicationStatus.CLOSED, 10),
                                         (PublicationStatus.DRAFT, 8), (PublicationStatus.WITHDRAWN, 7)])
            org_created = info["created"]
            if status is PublicationStatus.CLOSED:
                created = _between(rng, max(org_created, TODAY - timedelta(days=600)), TODAY - timedelta(days=150))
                deadline = _between(rng, created + timedelta(days=60), TODAY - timedelta(days=1))
            elif status is PublicationStatus.DRAFT:
                created = _between(rng, max(org_created, TODAY - timedelta(days=45)), TODAY - timedelta(days=1))
                deadline = None if rng.random() < 0.5 else _between(rng, TODAY + timedelta(days=60), date(2027, 12, 31))
            else:
                created = _between(rng, max(org_created, TODAY - timedelta(days=300)), TODAY - timedelta(days=1))
                deadline = _between(rng, TODAY + timedelta(days=30), date(2027, 12, 31))
                if status is PublicationStatus.WITHDRAWN and rng.random() < 0.3:
                    deadline = None
            created_at = _at(rng, created)
            published_at = None
            if status in (PublicationStatus.PUBLISHED, PublicationStatus.CLOSED) or (
                    status is PublicationStatus.WITHDRAWN and rng.random() < 0.6):
                published_at = max(created_at, _at(rng, min(TODAY - timedelta(days=1), created + timedelta(days=rng.randint(0, 3)))))
            updated = published_at or created_at
            if status in (PublicationStatus.CLOSED, PublicationStatus.WITHDRAWN):
                updated = max(updated, _at(rng, _between(rng, updated.date(), TODAY - timedelta(days=1))))
            needs.append(Need(
                org_id=self.orgs[org_name].id, created_by_id=self.admin_of[org_name].id, title=title,
                description=description, industry=Industry(industry), ipc_hints="; ".join(codes),
                budget_min_fen=budget[0], budget_max_fen=budget[1], region=self.orgs[org_name].region,
                deadline=deadline, status=status, created_at=created_at, updated_at=updated, published_at=published_at,
            ))
        self.s.add_all(needs)
        return needs
