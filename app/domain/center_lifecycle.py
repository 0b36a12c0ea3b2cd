"""A center's life from application to acceptance (PROGRAM.md, "Steps after applying"): the
states an application goes through, the guards on each step, the center's phases after
approval, fund-use reports, final acceptance and the serious-dishonesty ban. Plain Python."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import N_, DomainError
from .program import add_months


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # conditions checked, materials complete: in first review
    REVIEW_PASSED = "review_passed"  # on the bureau's list after scoring and the oral defence
    DUE_DILIGENCE = "due_diligence"  # a third party does due diligence and investment negotiation
    PUBLIC_NOTICE = "public_notice"  # 公示
    APPROVED = "approved"  # 立项
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"  # false material (弄虚作假)


S = ApplicationStatus
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.REVIEW_PASSED, S.REJECTED, S.WITHDRAWN, S.DISQUALIFIED}),
    S.REVIEW_PASSED: frozenset({S.DUE_DILIGENCE, S.REJECTED, S.DISQUALIFIED}),
    S.DUE_DILIGENCE: frozenset({S.PUBLIC_NOTICE, S.REJECTED, S.DISQUALIFIED}),
    S.PUBLIC_NOTICE: frozenset({S.APPROVED, S.REJECTED, S.DISQUALIFIED}),
    S.APPROVED: frozenset({S.DISQUALIFIED}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DISQUALIFIED: frozenset(),
}
# the bureau sees an application from submission on; these are still being decided
UNDER_WAY = frozenset({S.SUBMITTED, S.REVIEW_PASSED, S.DUE_DILIGENCE, S.PUBLIC_NOTICE})


def check_transition(current: str, target: str) -> ApplicationStatus:
    cur, new = ApplicationStatus(current), ApplicationStatus(target)
    if new not in TRANSITIONS[cur]:
        raise DomainError(N_("this step is not possible at this stage of the application"))
    return new


# ---- application conditions (申报条件 1–5) ----------------------------------------------------

CONDITIONS = ("good_standing", "key_industry", "innovation_base", "legal_person", "capital_plan")


@dataclass(frozen=True)
class ConditionFact:
    key: str
    statement: str
    has_evidence: bool

    @property
    def met(self) -> bool:
        return bool(self.statement.strip()) and self.has_evidence


def missing_conditions(facts: list[ConditionFact]) -> list[str]:
    """Conditions without a statement or without proof attached, in the notice's order."""
    by_key = {f.key: f for f in facts}
    return [key for key in CONDITIONS if key not in by_key or not by_key[key].met]


# ---- first review: scoring + oral defence -------------------------------------------------

# Decision: the combined result weighs the material score and the oral defence equally.
MATERIAL_WEIGHT = 0.5
DEFENCE_WEIGHT = 0.5


def combined_score(material: float | None, defence: float | None) -> float | None:
    if material is None or defence is None:
        return None
    return round(MATERIAL_WEIGHT * material + DEFENCE_WEIGHT * defence, 2)


def check_score_100(value: int | None) -> None:
    """A defence or acceptance score: 0–100 points."""
    if value is None or not 0 <= value <= 100:
        raise DomainError(N_("the score must be between 0 and 100"), field="score")


@dataclass(frozen=True)
class ReviewFacts:
    material_reviews: int  # complete expert scorings of the materials
    defence_held: bool  # attendance recorded for the scheduled session
    defence_scores: int


def check_review_pass(facts: ReviewFacts) -> None:
    """The bureau may put an application on its list only when both halves of the first review exist."""
    if facts.material_reviews == 0:
        raise DomainError(N_("no expert has completed a review of the materials yet"))
    if not facts.defence_held:
        raise DomainError(N_("the oral defence has not been held yet (record the attendance)"))
    if facts.defence_scores == 0:
        raise DomainError(N_("no expert has scored the oral defence yet"))


def ranking(scores: dict[int, float | None]) -> dict[int, int]:
    """Rank 1, 2, … by combined score, highest first (equal scores share a rank); unscored: no rank."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    return {key: ordered.index(s) + 1 for key, s in scores.items() if s is not None}


# ---- due diligence and public notice ------------------------------------------------------


class DiligenceOutcome(enum.StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


# Decision: the notice says "after public notice"; we default to 5 working days, the bureau may set 5–30.
NOTICE_DAYS_DEFAULT = 5
NOTICE_DAYS_MIN, NOTICE_DAYS_MAX = 5, 30


def check_notice_days(days: int | None) -> int:
    if days is None or not NOTICE_DAYS_MIN <= days <= NOTICE_DAYS_MAX:
        raise DomainError(N_("the notice period is {low}–{high} working days"), field="working_days",
                          low=NOTICE_DAYS_MIN, high=NOTICE_DAYS_MAX)
    return days


@dataclass(frozen=True)
class ObjectionFact:
    answered: bool
    upheld: bool


@dataclass(frozen=True)
class ApprovalFacts:
    status: str
    diligence: str | None  # DiligenceOutcome, None before a third party was named
    notice_ends_on: date | None
    objections: tuple[ObjectionFact, ...]
    today: date


def approval_refusal(facts: ApprovalFacts) -> DomainError | None:
    """Why the bureau cannot approve yet: approval comes only after a passed review, a passed due
    diligence and a public notice whose period has ended with every objection answered and none upheld."""
    if facts.status in (S.DRAFT, S.SUBMITTED):
        return DomainError(N_("the application has not passed the first review"))
    if facts.status in (S.REVIEW_PASSED,) or facts.diligence != DiligenceOutcome.PASSED:
        return DomainError(N_("the due diligence has not concluded with a positive outcome"))
    if facts.status != S.PUBLIC_NOTICE or facts.notice_ends_on is None:
        return DomainError(N_("the application has not been on public notice"))
    if facts.today <= facts.notice_ends_on:
        return DomainError(N_("the public notice runs until {day}; approval comes after it"),
                           day=facts.notice_ends_on.isoformat())
    if any(not o.answered for o in facts.objections):
        return DomainError(N_("an objection has not been answered yet"))
    if any(o.upheld for o in facts.objections):
        return DomainError(N_("an objection was upheld: the application cannot be approved"))
    return None


def notice_open(published_on: date, ends_on: date, today: date) -> bool:
    return published_on <= today <= ends_on


# ---- after approval: the center's phases --------------------------------------------------

FOUNDATION_YEARS = 1
CONSTRUCTION_YEARS = 5


class Stage(enum.StrEnum):
    """Where a center (or an application on its way to be one) is in its life."""

    APPLICATION = "application"
    FIRST_REVIEW = "first_review"
    DUE_DILIGENCE = "due_diligence"
    PUBLIC_NOTICE = "public_notice"
    FOUNDATION = "foundation"
    CONSTRUCTION = "construction"
    ACCEPTANCE = "acceptance"
    ENDED = "ended"
    TERMINATED = "terminated"


APPLICATION_STAGE = {S.DRAFT: Stage.APPLICATION, S.SUBMITTED: Stage.FIRST_REVIEW,
                     S.REVIEW_PASSED: Stage.DUE_DILIGENCE, S.DUE_DILIGENCE: Stage.DUE_DILIGENCE,
                     S.PUBLIC_NOTICE: Stage.PUBLIC_NOTICE}


def construction_ends_on(approval_date: date) -> date:
    """The last day of the fifth project year."""
    return add_months(approval_date, 12 * CONSTRUCTION_YEARS) - timedelta(days=1)


def center_stage(approval_date: date | None, today: date, *, terminated: bool = False,
                 acceptance_decided: bool = False) -> Stage:
    """Foundation in project year 1, construction in years 2–5, acceptance after the fifth year
    until the bureau records the outcome, then ended. A termination ends it early."""
    if terminated:
        return Stage.TERMINATED
    if acceptance_decided:
        return Stage.ENDED
    if approval_date is None:
        return Stage.CONSTRUCTION
    if today < add_months(approval_date, 12 * FOUNDATION_YEARS):
        return Stage.FOUNDATION
    if today <= construction_ends_on(approval_date):
        return Stage.CONSTRUCTION
    return Stage.ACCEPTANCE


# ---- post-investment management: yearly fund-use reports ----------------------------------


class FundReportStatus(enum.StrEnum):
    FILED = "filed"
    ACCEPTED = "accepted"
    MISUSE = "misuse"


FUND_TRANSITIONS = {
    FundReportStatus.FILED: frozenset({FundReportStatus.ACCEPTED, FundReportStatus.MISUSE}),
    FundReportStatus.ACCEPTED: frozenset(),
    FundReportStatus.MISUSE: frozenset(),
}
# Decision: the report on project year n is due one month after that year ends.
FUND_REPORT_GRACE_MONTHS = 1


def check_fund_review(current: str, target: str) -> FundReportStatus:
    cur, new = FundReportStatus(current), FundReportStatus(target)
    if new not in FUND_TRANSITIONS[cur]:
        raise DomainError(N_("this report has already been reviewed"))
    return new


def fund_report_due(approval_date: date, year: int) -> date:
    return add_months(approval_date, 12 * year + FUND_REPORT_GRACE_MONTHS)


def check_fund_report_year(year: int | None, approval_date: date, today: date) -> int:
    """A report covers a project year 1–5 that has begun."""
    if year is None or not 1 <= year <= CONSTRUCTION_YEARS:
        raise DomainError(N_("choose a project year 1–5"), field="year")
    if today < add_months(approval_date, 12 * (year - 1)):
        raise DomainError(N_("project year {year} has not begun"), field="year", year=year)
    return year


# ---- the serious-dishonesty list and its ban ----------------------------------------------

BAN_YEARS = 3


class CreditKind(enum.StrEnum):
    FALSE_MATERIAL = "false_material"  # 弄虚作假: in the credit file
    SERIOUS_DISHONESTY = "serious_dishonesty"  # 严重失信名单: public, bans applications


def ban_until(listed_on: date) -> date:
    """The last day of the ban: three years from listing (listed 1 March 2025 → 29 Feb 2028)."""
    return add_months(listed_on, 12 * BAN_YEARS) - timedelta(days=1)


@dataclass(frozen=True)
class CreditEntry:
    kind: str
    org_id: int
    legal_representative: str
    listed_on: date
    banned_until: date | None


def normalize_person(name: str) -> str:
    return "".join((name or "").split())


def ban_refusal(entries: list[CreditEntry], org_id: int, legal_representative: str, today: date) -> DomainError | None:
    """An organisation on the serious-dishonesty list, or one whose legal representative is, may
    not submit for three years from the listing."""
    person = normalize_person(legal_representative)
    for e in entries:
        if e.kind != CreditKind.SERIOUS_DISHONESTY or e.banned_until is None or today > e.banned_until:
            continue
        if e.org_id == org_id:
            return DomainError(N_("the organisation is on the serious dishonesty list (since {since}) and may not "
                                  "apply until {until}"), since=e.listed_on.isoformat(),
                               until=e.banned_until.isoformat())
        if person and normalize_person(e.legal_representative) == person:
            return DomainError(N_("the legal representative {name} is on the serious dishonesty list (since {since}) "
                                  "and may not apply until {until}"), name=legal_representative.strip(),
                               since=e.listed_on.isoformat(), until=e.banned_until.isoformat())
    return None


# ---- final acceptance (项目验收) ---------------------------------------------------------------


class AcceptanceStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    PASSED = "passed"
    FAILED = "failed"


ACCEPTANCE_DOCUMENTS = ("work_summary", "results_proof", "policy_documents", "other")
REQUIRED_ACCEPTANCE_DOCUMENTS = ("work_summary", "results_proof", "policy_documents")


def check_acceptance_submission(approval_date: date, today: date, document_kinds: set[str]) -> None:
    """The center submits after the five construction years, with the summary, proof and policy documents."""
    if today <= construction_ends_on(approval_date):
        raise DomainError(N_("acceptance follows the five construction years (they end on {day})"),
                          day=construction_ends_on(approval_date).isoformat())
    missing = [k for k in REQUIRED_ACCEPTANCE_DOCUMENTS if k not in document_kinds]
    if missing:
        raise DomainError(N_("upload the work summary, the proof of results and the policy documents first"))


def check_acceptance_decision(status: str, assigned: int, scored: int) -> None:
    if status != AcceptanceStatus.SUBMITTED:
        raise DomainError(N_("the acceptance outcome has already been recorded"))
    if assigned == 0 or scored < assigned:
        raise DomainError(N_("every assigned expert must score before the outcome is recorded"))
