"""The center program's rules (PROGRAM.md): the ten tasks, the board, application windows,
expert scoring, feasibility outline and the exit monitor. Plain Python: callers hand in facts.

Traffic lights: green = the task's rule is met, amber = work is under way but the rule is not
met yet, red = nothing that counts exists (for task 5: the notice's rule is missed for good).
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from . import ipc, workdays
from . import targets as target_rules
from . import pools as pool_rules
from .errors import N_, DomainError

# ---- lights and task results --------------------------------------------------------------


class Light(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class Check:
    """One measurable part of a rule: ``value`` against ``required`` (both counts)."""

    name: str
    value: int
    required: int

    @property
    def ok(self) -> bool:
        return self.value >= self.required


@dataclass(frozen=True)
class TaskStatus:
    number: int
    mandatory: bool
    light: Light
    checks: tuple[Check, ...] = ()
    # any_of: the rule is met when ONE check is met (tasks 8 and 9); otherwise all must be
    any_of: bool = False
    figures: dict = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.light is Light.GREEN


MANDATORY = (1, 2, 3, 4, 5, 6, 7)
OPTIONAL = (8, 9, 10)
MIN_OPTIONAL = 2


def _light(met: bool, started: bool) -> Light:
    return Light.GREEN if met else (Light.AMBER if started else Light.RED)


# ---- task 1: construction plan ------------------------------------------------------------

PLAN_SECTIONS = ("ideas", "positioning", "goals", "tasks", "governance", "base", "schedule", "budget", "safeguards")


def plan_status(sections: dict[str, str] | None) -> TaskStatus:
    """Met when the latest plan version fills all nine sections."""
    sections = sections or {}
    filled = sum(1 for key in PLAN_SECTIONS if (sections.get(key) or "").strip())
    check = Check("plan_sections", filled, len(PLAN_SECTIONS))
    return TaskStatus(1, True, _light(check.ok, filled > 0), (check,),
                      figures={"missing": [k for k in PLAN_SECTIONS if not (sections.get(k) or "").strip()]})


# ---- task 2: industry patent database -----------------------------------------------------


def database_status(industry_patents: int, analysed_patents: int) -> TaskStatus:
    """Met when the database holds the industry's patents and analysis (grading) has run on them."""
    checks = (Check("industry_patents", industry_patents, 1), Check("analysed_patents", analysed_patents, 1))
    return TaskStatus(2, True, _light(all(c.ok for c in checks), industry_patents > 0), checks)


# ---- task 3: patent navigation ------------------------------------------------------------


class NavKind(enum.StrEnum):
    REGIONAL_PLANNING = "regional_planning"
    INDUSTRY_PLANNING = "industry_planning"
    ENTERPRISE_OPERATION = "enterprise_operation"
    RD_ACTIVITY = "rd_activity"
    TALENT_MANAGEMENT = "talent_management"
    OTHER = "other"


INNOVATOR_KINDS = frozenset({NavKind.ENTERPRISE_OPERATION, NavKind.RD_ACTIVITY, NavKind.TALENT_MANAGEMENT})
MIN_INDUSTRY_PLANNING = 1
MIN_INNOVATOR = 5


class ProjectStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class NavFact:
    kind: str
    status: str
    completed_on: date | None = None


def navigation_status(projects: list[NavFact]) -> TaskStatus:
    """≥ 1 completed industry-planning project and ≥ 5 completed innovator projects
    (enterprise operation, R&D activity, talent management). Projects under way make it amber."""
    done = [p for p in projects if p.status == ProjectStatus.COMPLETED]
    checks = (
        Check("industry_planning", sum(1 for p in done if p.kind == NavKind.INDUSTRY_PLANNING), MIN_INDUSTRY_PLANNING),
        Check("innovator_projects", sum(1 for p in done if p.kind in INNOVATOR_KINDS), MIN_INNOVATOR),
    )
    return TaskStatus(3, True, _light(all(c.ok for c in checks), bool(projects)), checks,
                      figures={"under_way": sum(1 for p in projects if p.status != ProjectStatus.COMPLETED)})


# ---- task 4: patent pool ------------------------------------------------------------------


def pool_status(pools: list[pool_rules.Compliance]) -> TaskStatus:
    """Met when one of the center's pools complies; the figures are the best pool's."""
    if not pools:
        checks = (Check("patents", 0, pool_rules.MIN_PATENTS), Check("inventions", 0, pool_rules.MIN_INVENTIONS),
                  Check("organisations", 0, pool_rules.MIN_ORGS))
        return TaskStatus(4, True, Light.RED, checks, figures={"pools": 0, "compliant_pools": 0})
    best = max(pools, key=lambda c: (c.compliant, c.valid_patents + c.valid_inventions, c.organisations))
    checks = tuple(Check(name, value, floor) for name, value, floor, _ in best.checks)
    return TaskStatus(4, True, _light(best.compliant, True), checks,
                      figures={"pools": len(pools), "compliant_pools": sum(1 for c in pools if c.compliant)})


# ---- task 5: transfers and licences by the notice's rule ----------------------------------

TASK5_LIGHT = {
    target_rules.Task5State.NOT_STARTED: Light.RED,
    target_rules.Task5State.RED: Light.RED,
    target_rules.Task5State.AMBER: Light.AMBER,
    target_rules.Task5State.GREEN: Light.GREEN,
}


def deals_status(verdict: target_rules.Verdict | None) -> TaskStatus:
    """From targets.judge(): the light follows the verdict's state (not started counts as red).
    The checks show year 1 against 20 and, from year 2 on, the growth so far against 30 %."""
    verdict = verdict or target_rules.judge([], started=False)
    if verdict.state is target_rules.Task5State.NOT_STARTED:
        checks = (Check("current_year", 0, 1),)
    else:
        first = verdict.year1 if verdict.year1 is not None else (verdict.projection or 0)
        checks = (Check("year_1" if verdict.year1 is not None else "year_1_projection", first,
                        target_rules.FIRST_YEAR),)
        if verdict.growth is not None:
            checks += (Check("growth_percent", math.floor(verdict.growth * 100 + 1e-9),
                             round(float(target_rules.GROWTH - 1) * 100)),)
    return TaskStatus(5, True, TASK5_LIGHT[verdict.state], checks,
                      figures={"state": verdict.state, "verdict": verdict})


# ---- task 6: alliance ---------------------------------------------------------------------

# Decision: "industry organisations" are organisations of kind ``association`` (industry
# associations, chambers, federations); enterprises include SMEs; research institutes count
# toward none of the four groups (they are welcome, but the notice names the four).
ALLIANCE_GROUPS = {
    "enterprises": frozenset({"enterprise", "sme"}),
    "industry_organisations": frozenset({"association"}),
    "universities": frozenset({"university"}),
    "ip_agencies": frozenset({"agency"}),
}


def alliance_status(member_kinds: list[str]) -> TaskStatus:
    """Met when the approved members include every group: enterprises, industry organisations,
    universities and IP agencies."""
    checks = tuple(Check(group, sum(1 for k in member_kinds if k in kinds), 1) for group, kinds in ALLIANCE_GROUPS.items())
    return TaskStatus(6, True, _light(all(c.ok for c in checks), bool(member_kinds)), checks,
                      figures={"members": len(member_kinds)})


# ---- task 7: patent-intensive products ----------------------------------------------------


class ProductStatus(enum.StrEnum):
    APPLIED = "applied"
    IDENTIFIED = "identified"


def products_status(statuses: list[str]) -> TaskStatus:
    """Met when at least one product has been identified as patent-intensive; applications pending make it amber."""
    identified = sum(1 for s in statuses if s == ProductStatus.IDENTIFIED)
    return TaskStatus(7, True, _light(identified >= 1, bool(statuses)), (Check("identified_products", identified, 1),),
                      figures={"applied": sum(1 for s in statuses if s == ProductStatus.APPLIED)})


# ---- task 8: PCT --------------------------------------------------------------------------


class PctPhase(enum.StrEnum):
    INTERNATIONAL = "international"
    NATIONAL = "national"


MIN_PCT_INTERNATIONAL = 20
MIN_PCT_NATIONAL = 10

_PCT = re.compile(r"^PCT/([A-Z]{2})(\d{4})/(\d{6})$")


def normalize_pct_number(text: str) -> str:
    """``pct/cn2024/000123`` → ``PCT/CN2024/000123`` (receiving office, year, six-digit serial)."""
    code = re.sub(r"\s+", "", str(text or "")).upper()
    if not _PCT.match(code):
        raise DomainError(N_("“{text}” is not a PCT application number like PCT/CN2024/123456"),
                          field="pct_number", text=text)
    return code


@dataclass(frozen=True)
class PctFact:
    pct_number: str
    phase: str
    country: str = ""
    filed_on: date | None = None


def pct_status(filings: list[PctFact]) -> TaskStatus:
    """≥ 20 new international-phase applications or ≥ 10 new national-phase entries.
    An application counts once; a national-phase entry counts once per country."""
    intl = {f.pct_number for f in filings if f.phase == PctPhase.INTERNATIONAL}
    national = {(f.pct_number, f.country) for f in filings if f.phase == PctPhase.NATIONAL}
    checks = (Check("international_phase", len(intl), MIN_PCT_INTERNATIONAL),
              Check("national_phase", len(national), MIN_PCT_NATIONAL))
    return TaskStatus(8, False, _light(any(c.ok for c in checks), bool(filings)), checks, any_of=True)


# ---- task 9: standards --------------------------------------------------------------------


class StandardLevel(enum.StrEnum):
    INTERNATIONAL = "international"
    NATIONAL = "national"
    INDUSTRY = "industry"
    LOCAL = "local"
    GROUP = "group"


class StandardStatus(enum.StrEnum):
    DRAFTING = "drafting"
    PUBLISHED = "published"


MIN_STANDARDS_INTERNATIONAL = 1
MIN_STANDARDS_NATIONAL = 3


@dataclass(frozen=True)
class StandardFact:
    level: str
    status: str
    essential_patents: int
    published_on: date | None = None


def standards_status(standards: list[StandardFact]) -> TaskStatus:
    """A published standard counts when at least one essential patent is in it:
    ≥ 1 international or ≥ 3 national."""
    counted = [s for s in standards if s.status == StandardStatus.PUBLISHED and s.essential_patents > 0]
    checks = (
        Check("international_standards", sum(1 for s in counted if s.level == StandardLevel.INTERNATIONAL),
              MIN_STANDARDS_INTERNATIONAL),
        Check("national_standards", sum(1 for s in counted if s.level == StandardLevel.NATIONAL), MIN_STANDARDS_NATIONAL),
    )
    return TaskStatus(9, False, _light(any(c.ok for c in checks), bool(standards)), checks, any_of=True,
                      figures={"essential_patents": sum(s.essential_patents for s in counted)})


# ---- task 10: awards ----------------------------------------------------------------------


class AwardLevel(enum.StrEnum):
    INTERNATIONAL = "international"
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"


class AwardStatus(enum.StrEnum):
    NOMINATED = "nominated"
    WON = "won"


COUNTING_AWARD_LEVELS = frozenset({AwardLevel.INTERNATIONAL, AwardLevel.NATIONAL, AwardLevel.PROVINCIAL})


@dataclass(frozen=True)
class AwardFact:
    level: str
    status: str
    linked: bool  # names a patent or a patented product
    awarded_on: date | None = None


def awards_status(awards: list[AwardFact]) -> TaskStatus:
    """Met when a patent or patented product won an international, national or provincial award."""
    won = sum(1 for a in awards if a.status == AwardStatus.WON and a.linked and a.level in COUNTING_AWARD_LEVELS)
    return TaskStatus(10, False, _light(won >= 1, bool(awards)), (Check("awards_won", won, 1),))


# ---- the board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Overall:
    light: Light
    mandatory_met: int
    optional_met: int

    @property
    def met(self) -> bool:
        return self.light is Light.GREEN


def overall(tasks: list[TaskStatus]) -> Overall:
    """Green when every mandatory task and at least two optional ones are met; red when a
    mandatory task is red or fewer than two optional tasks have started; amber between."""
    by_number = {t.number: t for t in tasks}
    mandatory = [by_number[n] for n in MANDATORY if n in by_number]
    optional = [by_number[n] for n in OPTIONAL if n in by_number]
    m_met = sum(1 for t in mandatory if t.met)
    o_met = sum(1 for t in optional if t.met)
    if m_met == len(MANDATORY) and o_met >= MIN_OPTIONAL:
        light = Light.GREEN
    elif any(t.light is Light.RED for t in mandatory) or sum(1 for t in optional if t.light is not Light.RED) < MIN_OPTIONAL:
        light = Light.RED
    else:
        light = Light.AMBER
    return Overall(light, m_met, o_met)


@dataclass
class ProgramFacts:
    """Everything the board needs about one center, gathered by the service."""

    approval_date: date | None = None
    plan_sections: dict[str, str] | None = None
    industry_patents: int = 0
    analysed_patents: int = 0
    navigation: list[NavFact] = field(default_factory=list)
    pools: list[pool_rules.Compliance] = field(default_factory=list)
    task5: target_rules.Verdict | None = None
    member_kinds: list[str] = field(default_factory=list)
    product_statuses: list[str] = field(default_factory=list)
    pct: list[PctFact] = field(default_factory=list)
    standards: list[StandardFact] = field(default_factory=list)
    awards: list[AwardFact] = field(default_factory=list)


def _new(d: date | None, since: date | None, as_of: date | None) -> bool:
    """Counts toward the program: dated within the construction period up to ``as_of``."""
    if d is None:
        return False
    return (since is None or d >= since) and (as_of is None or d <= as_of)


def board(facts: ProgramFacts, as_of: date | None = None) -> tuple[list[TaskStatus], Overall]:
    """All ten tasks and the overall light. PCT filings, standards and awards count only when
    new: dated on or after the approval date (and not after ``as_of``); completed navigation
    projects count when completed between the approval date and ``as_of``."""
    since = facts.approval_date
    # a project completed before the approval date is not the center's work; one completed after
    # ``as_of`` was still under way then
    nav = [p for p in facts.navigation if not (p.status == ProjectStatus.COMPLETED and since is not None
                                                and p.completed_on is not None and p.completed_on < since)]
    nav = [p if p.status != ProjectStatus.COMPLETED or as_of is None or (p.completed_on and p.completed_on <= as_of)
           else NavFact(p.kind, ProjectStatus.IN_PROGRESS, None) for p in nav]
    tasks = [
        plan_status(facts.plan_sections),
        database_status(facts.industry_patents, facts.analysed_patents),
        navigation_status(nav),
        pool_status(facts.pools),
        deals_status(facts.task5),
        alliance_status(facts.member_kinds),
        products_status(facts.product_statuses),
        pct_status([f for f in facts.pct if _new(f.filed_on, since, as_of)]),
        standards_status([s if s.status != StandardStatus.PUBLISHED or _new(s.published_on, since, as_of)
                          else StandardFact(s.level, StandardStatus.DRAFTING, s.essential_patents, None)
                          for s in facts.standards]),
        awards_status([a if a.status != AwardStatus.WON or _new(a.awarded_on, since, as_of)
                       else AwardFact(a.level, AwardStatus.NOMINATED, a.linked, None) for a in facts.awards]),
    ]
    return tasks, overall(tasks)


# ---- application windows ------------------------------------------------------------------

_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})$")


def parse_hours(text: str) -> tuple[tuple[time, time], ...]:
    """``09:00-11:30, 15:00-17:30`` → ((9:00, 11:30), (15:00, 17:30)); blank means all day."""
    spans = []
    for part in re.split(r"[;,；，\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = _HOURS.match(part)
        if not m:
            raise DomainError(N_("“{text}” is not a time span like 09:00-11:30"), field="hours", text=part)
        h1, m1, h2, m2 = (int(x) for x in m.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise DomainError(N_("“{text}” is not a time span like 09:00-11:30"), field="hours", text=part)
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise DomainError(N_("“{text}”: the end must be after the start"), field="hours", text=part)
        spans.append((start, end))
    return tuple(sorted(spans))


def parse_dates(text: str) -> frozenset[date]:
    """Further closed days of the bureau (statutory holidays come from the calendar), ISO dates
    separated by commas or new lines."""
    days = set()
    for part in re.split(r"[;,；，\s]+", text or ""):
        if part:
            try:
                days.add(date.fromisoformat(part))
            except ValueError as err:
                raise DomainError(N_("“{text}” is not a date like 2022-10-01"), field="closed_dates", text=part) from err
    return frozenset(days)


@dataclass(frozen=True)
class Window:
    opens_on: date
    closes_on: date
    hours: tuple[tuple[time, time], ...] = ()
    weekdays_only: bool = True  # statutory working days only (holidays off, adjusted Saturdays on)
    closed_dates: frozenset[date] = frozenset()


def window_refusal(window: Window, local: datetime) -> DomainError | None:
    """Why a submission at local (Beijing) time ``local`` is refused, or None when it is accepted.
    Hours are half-open: 09:00–11:30 accepts 09:00:00 up to 11:29:59."""
    day = local.date()
    if day < window.opens_on:
        return DomainError(N_("the application window opens on {day}"), day=window.opens_on.isoformat())
    if day > window.closes_on:
        return DomainError(N_("the application window closed on {day}"), day=window.closes_on.isoformat())
    if (window.weekdays_only and not workdays.is_working_day(day)) or day in window.closed_dates:
        return DomainError(N_("applications are accepted on working days only"))
    if window.hours and not any(start <= local.time() < end for start, end in window.hours):
        spans = ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in window.hours)
        return DomainError(N_("applications are accepted during working hours only: {hours}"), hours=spans)
    return None


def check_window(window: Window, local: datetime) -> None:
    refusal = window_refusal(window, local)
    if refusal is not None:
        raise refusal


# ---- the application's content ------------------------------------------------------------

FEASIBILITY_SECTIONS = ("significance", "working_base", "plan_goals", "main_tasks", "implementation",
                        "mechanism", "safeguards")
REQUIRED_DOCUMENTS = ("licences", "five_year_plan", "financial_statements", "credit_certificate", "team_cvs",
                      "sealed_scan")
DOCUMENT_KINDS = REQUIRED_DOCUMENTS + ("other",)
APPLICATION_FIELDS = ("proposed_name", "contact_person", "phone", "legal_representative", "capital_plan", "targets")


def missing_for_submission(fields: dict[str, str], sections: dict[str, str] | None,
                           document_kinds: set[str]) -> list[str]:
    """What still has to be filled or uploaded: field names, ``section:<key>``, ``document:<kind>``."""
    sections = sections or {}
    missing = [name for name in APPLICATION_FIELDS if not (fields.get(name) or "").strip()]
    missing += [f"section:{key}" for key in FEASIBILITY_SECTIONS if not (sections.get(key) or "").strip()]
    missing += [f"document:{kind}" for kind in REQUIRED_DOCUMENTS if kind not in document_kinds]
    return missing


# ---- expert scoring -----------------------------------------------------------------------

# Decision: with five or more complete reviews the highest and the lowest are dropped before
# averaging (the usual 去掉最高分和最低分); with fewer, the plain mean is used.
TRIM_FROM = 5


@dataclass(frozen=True)
class Criterion:
    id: int
    max_score: int
    weight: int


def check_score(score: int | None, criterion: Criterion) -> None:
    if score is None or not 0 <= score <= criterion.max_score:
        raise DomainError(N_("each score must be between 0 and {max}"), field=f"c_{criterion.id}",
                          max=criterion.max_score)


def expert_total(scores: dict[int, int], criteria: list[Criterion]) -> float | None:
    """An expert's weighted score out of 100: Σ weight × score/max ÷ Σ weight × 100.
    None until every criterion is scored."""
    if not criteria or any(c.id not in scores for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    if weights <= 0:
        return None
    return round(100 * sum(c.weight * scores[c.id] / c.max_score for c in criteria) / weights, 2)


@dataclass(frozen=True)
class Aggregate:
    score: float | None
    reviews: int
    trimmed: bool


def aggregate(totals: list[float | None]) -> Aggregate:
    complete = sorted(t for t in totals if t is not None)
    if not complete:
        return Aggregate(None, 0, False)
    trimmed = len(complete) >= TRIM_FROM
    used = complete[1:-1] if trimmed else complete
    return Aggregate(round(sum(used) / len(used), 2), len(complete), trimmed)


# ---- exit monitor -------------------------------------------------------------------------

EQUITY_AGREEMENT_MONTHS = 1
BUSINESS_START_MONTHS = 3


class ExitReason(enum.StrEnum):
    """The notice's eight exit cases."""

    NO_EQUITY_AGREEMENT = "no_equity_agreement"
    NO_BUSINESS = "no_business"
    NO_BENEFIT = "no_benefit"
    SHAREHOLDERS_END = "shareholders_end"
    MAJOR_RISK = "major_risk"
    REGULATORY = "regulatory"
    PERIOD_COMPLETE = "period_complete"
    AGREEMENT_CASE = "agreement_case"


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later; the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class ExitWarning:
    reason: ExitReason
    due: date
    overdue: bool  # the deadline passed without the event (or the event came late)
    happened_on: date | None = None
    year: int | None = None  # the project year a case-3 warning is about


def exit_warnings(task_book_on: date | None, equity_signed_on: date | None, first_business_on: date | None,
                  today: date) -> list[ExitWarning]:
    """Warnings for the two dated exit cases. Deadline days are inclusive: a task book of 15 March
    needs the equity agreement by 15 April and operation business by 15 June. Before a deadline an
    open item is a pending warning; after it, an overdue one."""
    if task_book_on is None:
        return []
    warnings = []
    for reason, months, done in ((ExitReason.NO_EQUITY_AGREEMENT, EQUITY_AGREEMENT_MONTHS, equity_signed_on),
                                 (ExitReason.NO_BUSINESS, BUSINESS_START_MONTHS, first_business_on)):
        due = add_months(task_book_on, months)
        if done is not None and done <= due:
            continue
        if done is not None:
            warnings.append(ExitWarning(reason, due, True, done))
        else:
            warnings.append(ExitWarning(reason, due, today > due))
    return warnings


def construction_warnings(approval: date | None, finished_year_counts: list[int], today: date) -> list[ExitWarning]:
    """Case 7 once the five construction years are over (raised by itself, due the day they end);
    case 3 as a warning for each finished project year in which no deal completed."""
    if approval is None:
        return []
    warnings = []
    for year, count in enumerate(finished_year_counts[:target_rules.YEARS], start=1):
        if count <= 0:
            end = target_rules.project_year_span(approval, year)[1]
            warnings.append(ExitWarning(ExitReason.NO_BENEFIT, end, True, None, year))
    period_end = target_rules.project_year_span(approval, target_rules.YEARS)[1]
    if today >= period_end:
        warnings.append(ExitWarning(ExitReason.PERIOD_COMPLETE, period_end, True))
    return warnings


# ---- early-warning watches ----------------------------------------------------------------


def parse_names(text: str) -> list[str]:
    names: list[str] = []
    for part in re.split(r"[;,；，、\n]+", text or ""):
        part = part.strip()
        if part and part not in names:
            names.append(part[:200])
    return names


def parse_watch(ipc_text: str, competitors_text: str) -> tuple[list[str], list[str]]:
    """Normalised IPC codes (subclasses allowed) and competitor names; at least one of either."""
    try:
        codes = ipc.parse_list(ipc_text, allow_subclass=True)
    except ipc.IPCError as err:
        raise DomainError(err.template, field="ipc_codes", **err.params) from err
    names = parse_names(competitors_text)
    if not codes and not names:
        raise DomainError(N_("watch at least one IPC code or one competitor"), field="ipc_codes")
    if len(codes) > 20 or len(names) > 20:
        raise DomainError(N_("watch at most 20 codes and 20 competitors"), field="ipc_codes")
    return codes, names


def watch_reasons(codes: list[str], competitors: list[str], patent_codes: list[str],
                  applicants: list[str]) -> list[str]:
    """Why a patent matches a watch: ``ipc:<code>`` (a subclass matches every code under it)
    and ``applicant:<name>`` (the competitor's name inside an applicant's name)."""
    reasons = []
    for code in codes:
        if any(pc == code or (len(code) == 4 and pc.startswith(code)) for pc in patent_codes):
            reasons.append(f"ipc:{code}")
    for name in competitors:
        if any(name.casefold() in a.casefold() for a in applicants):
            reasons.append(f"applicant:{name}")
    return reasons

