"""The yearly evaluation of a center and the bureau's side-by-side table of all centers: the
figures, labelled, that app/reports renders as PDF and XLSX.

The evaluation of project year n is taken as of the last day of that year, or today while the
year is running: every task's figures against its rule, deals against targets, pools, services
and the exit monitor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain import program as rules
from ..domain import targets as target_rules
from ..extensions import db
from ..labels import label, reason_text
from ..models import Center, Deal
from . import applications as application_service
from . import clock, member_support
from . import pools as pool_service
from . import program as program_service
from . import targets as target_service

# ---- gathering ------------------------------------------------------------------------------


@dataclass
class Evaluation:
    center: Center
    year: int  # project year evaluated (0 when the center has no approval date)
    start: date | None
    end: date | None  # exclusive
    as_of: date
    tasks: list[rules.TaskStatus]
    overall: rules.Overall
    progress: dict | None
    task5: target_service.Task5
    corrections: list[target_service.Correction]  # dated corrections to the year since it ended
    deals: list[tuple[Deal, int]]  # deals counted in the year, with their count
    pools: list[tuple[str, object]]  # (name, Compliance)
    services: dict[str, int]
    warnings: list[rules.ExitWarning] = field(default_factory=list)
    generated_at: datetime | None = None

    @property
    def last_day(self) -> date | None:
        """The year's last day (``end`` is the day after it)."""
        return self.end - timedelta(days=1) if self.end else None


def years_available(center: Center, today: date) -> list[int]:
    if center.approval_date is None:
        return []
    current = target_rules.project_year(center.approval_date, today)
    return list(range(1, max(1, min(current, target_rules.YEARS)) + 1))


def evaluate(center: Center, year: int, today: date | None = None) -> Evaluation:
    today = today or clock.today()
    start = end = None
    as_of = today
    if center.approval_date is not None and year >= 1:
        start, end = target_rules.project_year_span(center.approval_date, year)
        as_of = min(today, end - timedelta(days=1))
    task5, corrections = target_service.year_record(center, year, today)
    tasks, overall = rules.board(program_service.facts(center, as_of, task5), as_of=as_of)
    deals = target_service.deals_in_year(center, year, as_of) if year >= 1 else []
    pools = [(p.name, pool_service.compliance(p)) for p in program_service.center_pools(center)]
    return Evaluation(center=center, year=year, start=start, end=end, as_of=as_of, tasks=tasks, overall=overall,
                      progress=task5.progress, task5=task5, corrections=corrections, deals=deals, pools=pools,
                      services=member_support.service_counts(center),
                      warnings=application_service.exit_warnings(center, as_of),
                      generated_at=clock.local_now().replace(microsecond=0, tzinfo=None))


def year_met(year: dict) -> str:
    """Whether a year reached its per-year target (guidance; the verdict is the rule's)."""
    if year["met"]:
        return _("yes")
    return _("no") if year["finished"] else (_("under way") if year["current"] else "")


def _check_label(check: rules.Check) -> str:
    return label("program_check", check.name)


def state_label(task: rules.TaskStatus) -> str:
    """Task 5 says its state in the rule's words; the other tasks in the light's."""
    if task.number == 5:
        return label("task5_state", task.figures["state"])
    return label("light", task.light)


def task5_lines(ev: Evaluation) -> list[str]:
    """The verdict, its reasons, where the targets come from and the year's corrections, as text."""
    t5 = ev.task5
    lines = [_("Task 5 by the notice's rule: %(state)s", state=label("task5_state", t5.state))]
    lines += [reason_text(r) for r in t5.verdict.reasons]
    source = t5.source
    series = ", ".join(str(n) for n in source.targets)
    if source.own:
        lines.append(_("Per-year targets %(series)s: the center's own series, higher than the notice's 20, 26, 34, 44, 58.",
                       series=series))
    else:
        lines.append(_("Per-year targets %(series)s: the notice's rule, ⌈20 × 1.3^(n−1)⌉.", series=series))
    for c in ev.corrections:
        lines.append(_("Correction on %(day)s: deal #%(deal)s, patent %(number)s, project year %(year)s: %(delta)s",
                       day=c.on, deal=c.deal_id, number=c.application_number, year=c.year, delta=f"{c.delta:+d}"))
    return lines


def task_rows(ev: Evaluation) -> list[dict]:
    """One row per measurable check, labelled, for both files."""
    rows = []
    for task in ev.tasks:
        for i, check in enumerate(task.checks or (None,)):
            rows.append({
                "number": task.number,
                "task": label("program_task", task.number) if i == 0 else "",
                "kind": (_("mandatory") if task.mandatory else _("optional")) if i == 0 else "",
                "rule": label("program_rule", task.number) if i == 0 else "",
                "check": _check_label(check) if check else "",
                "value": check.value if check else None,
                "required": check.required if check else None,
                "ok": check.ok if check else None,
                "light": state_label(task) if i == 0 else "",
                "light_key": task.light.value,
                "first": i == 0,
            })
    return rows


# ---- the bureau's table ---------------------------------------------------------------------


@dataclass
class BureauRow:
    center: Center
    tasks: list[rules.TaskStatus]
    overall: rules.Overall
    progress: dict | None
    warnings: list[rules.ExitWarning]
    task5: target_service.Task5


def bureau_rows(today: date | None = None) -> list[BureauRow]:
    today = today or clock.today()
    rows = []
    for center in db.session.scalars(sa.select(Center).order_by(Center.id)):
        task5 = target_service.task5(center, today)
        tasks, overall = rules.board(program_service.facts(center, today, task5), as_of=today)
        rows.append(BureauRow(center, tasks, overall, task5.progress, application_service.exit_warnings(center, today),
                              task5))
    return rows
