"""Demo trademarks of the demo enterprises, and a few patents of other offices (US, EP, WO, JP, KR)
in the industry database, so that the trademark list and the 受理局 facet and table show data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..domain import trademarks
from ..domain.patent_terms import LegalStatus, PatentType
from ..models import Industry, Patent, PatentApplicant, PatentIPC, Trademark

# Nice classes an industry's companies register in, and words their marks are made of.
_CLASSES = {
    "carbon_materials": (1, 17, 19, 40), "high_end_equipment": (7, 9, 37, 42), "new_energy_vehicles": (9, 12, 37, 39),
    "it_innovation": (9, 35, 38, 42), "semiconductors": (9, 40, 42), "special_steel": (6, 7, 40),
    "hydrogen": (1, 4, 9, 39), "energy_environment": (11, 37, 40), "biomedicine": (5, 10, 44),
}
_MARK_WORDS = ("晋", "烯", "碳", "锂", "芯", "钢", "氢", "源", "能", "科", "华", "创", "驰", "星", "汾", "龙城")
_STATUSES = (("registered", 70), ("pending", 15), ("expired", 8), ("cancelled", 4), ("rejected", 3))

# A few foreign family members of the demo industries (title, office, publication number, kind, IPC, applicant, year).
_FOREIGN = (
    ("Graphene thermal film and preparation method thereof", "US", "11512345", "B2", "C01B 32/184", "Shanxi Jincai Carbon Valley New Materials Co., Ltd.", 2021),
    ("Method for growing silicon carbide single crystal", "US", "20230123456", "A1", "C30B 29/36", "Shanxi Shuoke Crystal Co., Ltd.", 2022),
    ("Lithium ion battery cathode material coated with graphene", "EP", "4012345", "A1", "H01M 4/36", "Taiyuan University of Technology", 2021),
    ("Proton exchange membrane fuel cell stack sealing", "WO", "2022123456", "A1", "H01M 8/0247", "Shanxi Hydrogen Energy Co., Ltd.", 2022),
    ("Duplex stainless steel hot rolled plate", "JP", "2021123456", "A", "C22C 38/58", "Taiyuan Iron and Steel (Group) Co., Ltd.", 2020),
    ("Polyacrylonitrile based carbon fiber production method", "KR", "102345678", "B1", "D01F 9/22", "Shanxi Gangke Carbon Materials Co., Ltd.", 2019),
    ("Silicon carbide power device packaging structure", "EP", "3987654", "B1", "H01L 23/373", "Taiyuan University of Technology", 2019),
    ("Hydrogen storage cylinder with carbon fibre winding", "US", "11234567", "B2", "F17C 1/06", "Shanxi Hydrogen Energy Co., Ltd.", 2020),
)
_FOREIGN_INDUSTRY = {"C01B": "carbon_materials", "C30B": "semiconductors", "H01M": "new_energy_vehicles", "C22C": "special_steel",
                     "D01F": "carbon_materials", "H01L": "semiconductors", "F17C": "hydrogen"}


def add_trademarks(session, companies: list[tuple[str, list[str]]], rng: random.Random, today: date) -> int:
    """Trademarks for ``companies`` ((name, industries) of the demo enterprises and SMEs); returns how many."""
    used: set[str] = set()
    marks = []
    for name, industries in companies:
        industry = next((i for i in industries if i in _CLASSES), None)
        if industry is None:
            continue
        word = name[2:4] if len(name) > 4 else name[:2]
        for nice in rng.sample(_CLASSES[industry], min(2, len(_CLASSES[industry]))):
            number = str(rng.randint(10_000_000, 69_999_999))
            if number in used:
                continue
            used.add(number)
            filed = today - timedelta(days=rng.randint(200, 4000))
            status = rng.choices([s for s, _ in _STATUSES], [w for _, w in _STATUSES])[0]
            registered = filed + timedelta(days=rng.randint(270, 420)) if status in ("registered", "expired", "cancelled") else None
            mark = word + rng.choice(_MARK_WORDS) if rng.random() < 0.5 else word
            marks.append(Trademark(registration_number=trademarks.normalize_number(number), name=mark, nice_class=nice,
                                   registrant=name, filing_date=filed, registration_date=registered,
                                   status=trademarks.TrademarkStatus(status), industry=Industry(industry)))
    session.add_all(marks)
    return len(marks)


def add_foreign_patents(session) -> int:
    """Patents of other offices, known by their publication numbers (as an export gives them)."""
    patents = []
    for title, office, number, kind, code, applicant, year in _FOREIGN:
        granted = kind.startswith("B")
        patents.append(Patent(
            application_number=f"{office}{number}", publication_number=f"{office}{number}{kind}", office=office,
            kind_code=kind, title=title, abstract="", patent_type=PatentType.INVENTION,
            legal_status=LegalStatus.GRANTED if granted else LegalStatus.PENDING, filing_date=date(year, 5, 12),
            grant_date=date(year + 2, 8, 3) if granted else None, publication_date=date(year + 1, 11, 18),
            industry=Industry(_FOREIGN_INDUSTRY[code[:4]]),
            ipc_codes=[PatentIPC(code=code, position=0)], applicants=[PatentApplicant(name=applicant, position=0)]))
    session.add_all(patents)
    return len(patents)
