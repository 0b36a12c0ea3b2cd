"""Steps of an application's life through the real services, for tests that need one further on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.domain import center_lifecycle as lc
from app.services import applications as apps
from app.services import clock
from app.services import lifecycle as life


def at(app, monkeypatch, moment: datetime) -> None:
    monkeypatch.setitem(app.config, "CLOCK", lambda: moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def on_day(app, monkeypatch, day: date, hour_beijing: int = 10) -> None:
    at(app, monkeypatch, datetime(day.year, day.month, day.day, hour_beijing, tzinfo=clock.BEIJING).astimezone(UTC))


def meet_conditions(applicant, application) -> None:
    for key in lc.CONDITIONS:
        life.set_condition(applicant, application, key, f"{key}：已满足", f"{key}.pdf", f"{key}.pdf")


def pass_first_review(bureau, application, experts, defence=(88, 90, 92, 85, 95)) -> None:
    """Defence scheduled now, held, scored by the assigned experts; the bureau puts it on its list."""
    life.schedule_defence(bureau, application, clock.local_now().replace(tzinfo=None) - timedelta(minutes=1), "市局三楼会议室")
    life.record_attendance(bureau, application, "申报单位：张三、李四；专家组五人")
    for expert, value in zip(experts, defence):
        life.score_defence(expert, application, value, "答辩清楚")
    life.decide_review(bureau, application, True)


def through_diligence(bureau, application) -> None:
    life.appoint_diligence(bureau, application, "山西某会计师事务所有限公司")
    life.add_diligence_report(bureau, application, "dd.pdf", "尽职调查报告.pdf")
    life.conclude_diligence(bureau, application, "财务状况良好，股权结构清晰", lc.DiligenceOutcome.PASSED)


def on_notice(bureau, application, days: int = 5):
    through_diligence(bureau, application)
    return life.publish_notice(bureau, application, clock.today(), days, "拟立项公示")


__all__ = ["apps", "at", "meet_conditions", "on_day", "on_notice", "pass_first_review", "through_diligence"]
