"""Demo of a center's whole life, through the real services with the program's clock set to each
step's day: one center from the 2021 window through every stage to a passed acceptance, one
terminated for misuse whose founder is then banned, one in its foundation year, and the 2026
window's applications in every state (five expert reviews each, so the trimmed mean shows)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from ..domain import center_lifecycle as lc
from ..domain import credit_code
from ..domain import program as rules
from ..domain.errors import DomainError
from ..extensions import db
from ..models import CenterApplication, Organisation, OrgKind, Role, User, center_founders
from ..services import applications as apps
from ..services import clock, uploads
from ..services import lifecycle as life

CUSTODIAN_ORG = "太原市国有资本投资运营有限公司"
CUSTODIAN_EMAIL = "custodian@demo.ipx.cn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CRITERIA = [("建设基础与创新能力", 30, 30), ("建设方案与目标", 40, 40), ("团队与运营机制", 30, 30)]
# five experts' material scores per criterion and their defence scores (highest and lowest dropped)
MATERIAL = [(27, 36, 27), (24, 34, 25), (22, 30, 24), (20, 28, 21), (15, 20, 15)]
DEFENCE = (92, 88, 85, 81, 70)
FILE_NAMES = {  # what applicants and centers would call their files
    "licences": "营业执照及法人证书.pdf", "five_year_plan": "五年建设规划.pdf", "financial_statements": "近三年财务报表.pdf",
    "credit_certificate": "信用证明.pdf", "team_cvs": "团队成员简历.pdf", "sealed_scan": "申报材料盖章扫描件.pdf",
    "work_summary": "五年建设工作总结.pdf", "results_proof": "建设成果证明材料.pdf", "policy_documents": "政策文件汇编.pdf",
}


def _at(day: date, hour: int = 10, minute: int = 0) -> None:
    """Set the program's clock to ``day`` at ``hour``:``minute`` Beijing time."""
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.BEIJING).astimezone(UTC)
    current_app.config["CLOCK"] = lambda: moment


def _file(name: str) -> tuple[str, str]:
    return uploads.save(FileStorage(io.BytesIO(PDF), filename=name))


class _Demo:
    def __init__(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.bureau = db.session.scalar(sa.select(User).where(User.role == Role.BUREAU_STAFF).order_by(User.id))
        self.experts = self._experts()
        self.custodian = self._custodian()
        taken = set(db.session.scalars(sa.select(center_founders.c.org_id)))
        self.applicants = [u for u in db.session.scalars(
            sa.select(User).join(Organisation).where(User.role == Role.ORG_ADMIN,
                                                     Organisation.kind == OrgKind.ENTERPRISE).order_by(User.id))
            if u.org_id not in taken][:12]
        # named applicants for the README: the founder of the accepted center, and the one banned
        for i, (email, name) in enumerate((("applicant@demo.ipx.cn", "郝建平"), ("banned@demo.ipx.cn", "白志远"))):
            self.applicants[i] = self._user(email, name, Role.ORG_ADMIN, self.applicants[i].org, "法定代表人")
        db.session.commit()
        self.serial = 0

    def _user(self, email: str, name: str, role: Role, org: Organisation, title: str) -> User:
        user = User(email=email, name=name, role=role, org=org, password_hash=self.password_hash, title=title)
        db.session.add(user)
        return user

    def _experts(self) -> list[User]:
        experts = list(db.session.scalars(sa.select(User).where(User.role == Role.EXPERT).order_by(User.id)))
        universities = list(db.session.scalars(sa.select(Organisation).where(
            Organisation.kind.in_([OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE])).order_by(Organisation.id)))
        names = ["钱学文", "孔令辉", "韩秀英", "冯志刚", "蒋慧敏", "沈国栋"]
        for n, name in enumerate(names[: max(0, 6 - len(experts))], start=2):
            experts.append(self._user(f"expert{n}@demo.ipx.cn", name, Role.EXPERT, universities[n % len(universities)],
                                      "教授"))
        db.session.commit()
        return experts

    def _custodian(self) -> User:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.name == CUSTODIAN_ORG))
        if org is None:
            org = Organisation(name=CUSTODIAN_ORG, kind=OrgKind.ENTERPRISE, region="太原市",
                               credit_code=credit_code.make("91140100MA0GT0001"),
                               description="受托持有中央财政资金形成的股权，监督资金使用，不参与日常经营，不分红。")
            db.session.add(org)
        user = self._user(CUSTODIAN_EMAIL, "郑国华", Role.CUSTODIAN, org, "股权投资部经理")
        db.session.commit()
        return user

    # ---- steps ------------------------------------------------------------------------------

    def window(self, title: str, opens: date, closes: date):
        _at(opens - timedelta(days=7))
        return apps.create_window(self.bureau, apps.WindowData(title, opens, closes), CRITERIA)

    def application(self, applicant: User, window, industry: str, name: str, legal: str, *, complete: bool = True):
        data = apps.ApplicationData(name, industry, applicant.name, "0351-" + f"{7000000 + self.serial:07d}",
                                    "山西大学\n太原理工大学", "注册资本 5000 万元，其中中央财政资金股权投资 3000 万元",
                                    "五年完成专利转让许可不少于 230 件；建成专利池 1 个（专利 120 件）",
                                    {k: f"{name}：{rules.FEASIBILITY_SECTIONS.index(k) + 1}. 详见附件"
                                     for k in rules.FEASIBILITY_SECTIONS}, legal_representative=legal)
        self.serial += 1
        application = apps.start_application(applicant, window, data)
        kinds = rules.REQUIRED_DOCUMENTS if complete else rules.REQUIRED_DOCUMENTS[:3]
        for kind in kinds:
            apps.add_document(applicant, application, kind, *_file(FILE_NAMES[kind]))
        for n, key in enumerate(lc.CONDITIONS if complete else lc.CONDITIONS[:2], start=1):
            life.set_condition(applicant, application, key, f"{name}：已满足该项申报条件，详见证明材料。",
                               *_file(f"申报条件{n}证明材料.pdf"))
        return application

    def reviewed(self, application, day: date) -> None:
        _at(day)
        apps.submit(self._applicant_of(application), application)
        criteria = [c.id for c in application.window.criteria]
        _at(day + timedelta(days=7))
        for expert, scores in zip(self.experts, MATERIAL):
            apps.assign_expert(self.bureau, application, expert)
            apps.score(expert, application, dict(zip(criteria, scores)))

    def _applicant_of(self, application) -> User:
        return db.session.get(User, application.created_by_id)

    def defended(self, application, day: date) -> None:
        _at(day, 9, 0)
        life.schedule_defence(self.bureau, application, datetime(day.year, day.month, day.day, 9, 0), "市市场监督管理局三楼会议室")
        _at(day, 11, 30)
        life.record_attendance(self.bureau, application, "申报单位：法定代表人、项目负责人；评审专家 5 人")
        for expert, score in zip(self.experts, DEFENCE):
            life.score_defence(expert, application, score, "答辩思路清晰，建设目标可量化")
        life.decide_review(self.bureau, application, True)

    def diligence(self, application, day: date, outcome=lc.DiligenceOutcome.PASSED, findings="财务状况良好，股权结构清晰，资金来源合规"):
        _at(day)
        life.appoint_diligence(self.bureau, application, "山西正信会计师事务所有限公司")
        life.add_diligence_report(self.bureau, application, *_file("尽职调查报告.pdf"))
        if outcome is not None:
            _at(day + timedelta(days=14))
            life.conclude_diligence(self.bureau, application, findings, outcome)

    def noticed(self, application, day: date, days: int = 5):
        _at(day)
        return life.publish_notice(self.bureau, application, day, days,
                                   f"经专家评审、尽职调查，拟对“{application.proposed_name}”立项，现予公示。")

    def approved(self, application, day: date, company: str):
        _at(day)
        self.serial += 1
        center = apps.approve(self.bureau, application, apps.Approval(
            day, day + timedelta(days=9), new_org_name=company,
            new_org_credit_code=credit_code.make(f"91140100MA0LC{self.serial:04d}"),
            custodian_org_id=self.custodian.org_id, equity_fen=30_000_000_00, note="经公示无异议，准予立项。"))
        staff = self._user(f"center-{center.industry.value}@demo.ipx.cn", "李建军", Role.CENTER_STAFF, center.org,
                           "运营总监")
        db.session.commit()
        book = apps.task_book(center)
        _at(book.signed_on + timedelta(days=12))
        life.record_injection(self.custodian, center, 30_000_000_00, book.signed_on + timedelta(days=10),
                              "中央财政资金股权投资")
        apps.record_equity_agreement(self.bureau, book, book.signed_on + timedelta(days=12))
        return center, staff

    def fund_report(self, center, staff, year: int, *, misuse: bool = False) -> None:
        day = rules.add_months(center.approval_date, 12 * year) + timedelta(days=10)
        _at(day)
        report = life.file_fund_report(staff, center, year, 5_000_000_00 + year * 37_000_00,
                                       f"第 {year} 个项目年度：专利数据库建设、专利导航项目、专利池运营及人员费用。",
                                       *_file(f"第{year}年度资金使用报告.pdf"))
        _at(day + timedelta(days=14))
        if misuse:
            life.review_fund_report(self.bureau, report, True,
                                    "专项资金 1200 万元用于购买理财产品和关联方借款，属违规使用。")
        else:
            life.review_fund_report(self.bureau, report, False, "资金按约定用途使用，票据齐全。")


def seed_lifecycle(password_hash: str) -> dict[str, int]:
    """Walk the demo's centers and applications through their lives; returns counts."""
    saved = current_app.config.get("CLOCK")
    try:
        return _walk(_Demo(password_hash))
    finally:
        if saved is None:
            current_app.config.pop("CLOCK", None)
        else:
            current_app.config["CLOCK"] = saved


def _walk(d: _Demo) -> dict[str, int]:
    a = d.applicants
    # 1. from the 2021 window through every stage to a passed acceptance
    w2021 = d.window("2021年度产业知识产权运营中心申报", date(2021, 8, 16), date(2021, 9, 17))
    steel = d.application(a[0], w2021, "special_steel", "太原市不锈钢产业知识产权运营中心", "郝建平")
    d.reviewed(steel, date(2021, 8, 19))
    d.defended(steel, date(2021, 9, 28))
    d.diligence(steel, date(2021, 9, 30))
    notice = d.noticed(steel, date(2021, 10, 18))
    d.approved(steel, notice.ends_on + timedelta(days=3), "太原不锈钢知识产权运营有限公司")
    center, staff = steel.center, db.session.scalar(sa.select(User).where(User.email == "center-special_steel@demo.ipx.cn"))
    for year in range(1, 6):
        d.fund_report(center, staff, year)
    end = lc.construction_ends_on(center.approval_date)
    _at(max(end + timedelta(days=3), date(2026, 11, 19)))  # after the fifth year's fund-use report
    for kind in lc.REQUIRED_ACCEPTANCE_DOCUMENTS:
        life.add_acceptance_document(staff, center, kind, *_file(FILE_NAMES[kind]))
    acc = life.submit_acceptance(staff, center, "五年来建成不锈钢产业专利数据库，完成专利导航项目 7 项，组建专利池 1 个，"
                                                "累计专利转让许可 236 件。")
    _at(max(end + timedelta(days=10), date(2026, 11, 23)))
    for expert, score in zip(d.experts[:3], (91, 88, 90)):
        life.assign_acceptance_expert(d.bureau, acc, expert)
        life.score_acceptance(expert, acc, score, "建设任务全部完成")
    life.decide_acceptance(d.bureau, acc, True, "经专家组评审，项目验收通过。")

    # 2. approved from the 2023 window, then terminated for misuse: the founder goes on the list
    w2023 = d.window("2023年度产业知识产权运营中心申报", date(2023, 8, 14), date(2023, 9, 15))
    energy = d.application(a[1], w2023, "energy_environment", "太原市节能环保产业知识产权运营中心", "白志远")
    d.reviewed(energy, date(2023, 8, 16))
    d.defended(energy, date(2023, 9, 26))
    d.diligence(energy, date(2023, 10, 9))
    notice = d.noticed(energy, date(2023, 10, 30))
    d.approved(energy, notice.ends_on + timedelta(days=3), "太原节能环保知识产权运营有限公司")
    terminated = energy.center
    energy_staff = db.session.scalar(sa.select(User).where(User.email == "center-energy_environment@demo.ipx.cn"))
    d.fund_report(terminated, energy_staff, 1, misuse=True)

    # 3. the 2026 spring window: a center in its foundation year
    spring = d.window("2026年度第一批产业知识产权运营中心申报", date(2026, 3, 2), date(2026, 4, 10))
    bio = d.application(a[2], spring, "biomedicine", "太原市生物医药产业知识产权运营中心", "潘文静")
    d.reviewed(bio, date(2026, 3, 4))
    d.defended(bio, date(2026, 4, 20))
    d.diligence(bio, date(2026, 4, 22))
    notice = d.noticed(bio, date(2026, 5, 18))
    d.approved(bio, notice.ends_on + timedelta(days=4), "太原生物医药知识产权运营有限公司")

    # 4. the 2026 autumn window: an application in every state
    autumn = d.window("2026年度第二批产业知识产权运营中心申报", date(2026, 11, 2), date(2026, 12, 18))
    states = {}
    states["draft"] = d.application(a[3], autumn, "hydrogen", "太原市氢能产业知识产权运营中心（草稿）", "罗晓东",
                                    complete=False)
    submitted = d.application(a[4], autumn, "hydrogen", "太原市氢能装备产业知识产权运营中心", "石磊")
    d.reviewed(submitted, date(2026, 11, 3))
    passed = d.application(a[5], autumn, "hydrogen", "太原市氢能储运产业知识产权运营中心", "蔡丽")
    d.reviewed(passed, date(2026, 11, 3))
    d.defended(passed, date(2026, 11, 16))
    in_diligence = d.application(a[6], autumn, "energy_environment", "太原市环保装备产业知识产权运营中心", "田野")
    d.reviewed(in_diligence, date(2026, 11, 3))
    d.defended(in_diligence, date(2026, 11, 16))
    d.diligence(in_diligence, date(2026, 11, 17), outcome=None)
    on_notice = d.application(a[7], autumn, "hydrogen", "太原市氢燃料电池产业知识产权运营中心", "董建国")
    d.reviewed(on_notice, date(2026, 11, 3))
    d.defended(on_notice, date(2026, 11, 9))
    d.diligence(on_notice, date(2026, 11, 10))
    notice = d.noticed(on_notice, date(2026, 11, 25), days=10)
    _at(date(2026, 11, 26), 14)
    objection = life.file_objection(notice, "山西某氢能科技有限公司", "0351-6012345", "申报材料所列合作单位未签署合作协议。")
    _at(date(2026, 11, 27))
    life.answer_objection(d.bureau, objection, "经核实，合作协议已于 2026 年 10 月签署，异议不成立。", upheld=False)
    rejected = d.application(a[8], autumn, "hydrogen", "太原市氢能材料产业知识产权运营中心", "谢芳")
    d.reviewed(rejected, date(2026, 11, 4))
    _at(date(2026, 11, 20))
    life.decide_review(d.bureau, rejected, False, "综合得分未进入拟立项名单。")
    withdrawn = d.application(a[9], autumn, "hydrogen", "太原市氢能应用产业知识产权运营中心", "唐宁")
    d.reviewed(withdrawn, date(2026, 11, 4))
    apps.withdraw(d._applicant_of(withdrawn), withdrawn)
    false = d.application(a[10], autumn, "hydrogen", "太原市氢能检测产业知识产权运营中心", "许强")
    d.reviewed(false, date(2026, 11, 5))
    _at(date(2026, 11, 18))
    life.record_false_material(d.bureau, false, "近三年财务报表中的销售收入与税务申报数据不符，系弄虚作假。")
    # the founder of the terminated center tries again: the ban refuses the submission
    banned = d.application(a[1], autumn, "hydrogen", "太原市氢能产业知识产权运营中心（再次申报）", "白志远")
    _at(date(2026, 11, 24))
    try:
        apps.submit(d._applicant_of(banned), banned)
    except DomainError:
        pass  # refused: it stays a draft that shows the reason
    _at(date(2026, 11, 25))
    life.send_reminders()
    return {
        "lifecycle_applications": db.session.scalar(sa.select(sa.func.count(CenterApplication.id))),
        "lifecycle_credit_records": len(life.credit_file()),
    }
