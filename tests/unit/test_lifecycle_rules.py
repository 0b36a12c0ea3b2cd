"""Working days, the application's lifecycle transitions and guards, the center's phases and the ban."""

from datetime import date, datetime, time

import pytest

from app.domain import center_lifecycle as lc
from app.domain import program as r
from app.domain import workdays
from app.domain.errors import DomainError

S = lc.ApplicationStatus


# ---- working days --------------------------------------------------------------------------


def test_notice_period_across_national_day():
    # 2022: 1–7 October are holidays; published Thursday 29 September, 5 working days are
    # 29 and 30 September, then Saturday 8 and Sunday 9 October (adjusted working days) and Monday 10
    end = workdays.nth_working_day(date(2022, 9, 29), 5)
    assert end.day == date(2022, 10, 10) and not end.fallback
    # a plain Monday-to-Friday count would have ended on Wednesday 5 October, inside the holiday
    assert workdays.working_days_between(date(2022, 10, 1), date(2022, 10, 7)) == 0


def test_adjusted_saturday_is_a_working_day_and_a_holiday_monday_is_not():
    assert workdays.is_working_day(date(2022, 10, 8))  # Saturday, adjusted working day
    assert not workdays.is_working_day(date(2022, 10, 3))  # Monday, National Day
    assert not workdays.is_working_day(date(2022, 10, 15))  # an ordinary Saturday
    # the application window accepts the adjusted Saturday and refuses the holiday Monday
    window = r.Window(date(2022, 9, 26), date(2022, 10, 14), r.parse_hours("9:00-11:30"), True, frozenset())
    assert r.window_refusal(window, datetime.combine(date(2022, 10, 8), time(10, 0))) is None
    assert r.window_refusal(window, datetime.combine(date(2022, 10, 3), time(10, 0))) is not None


def test_unknown_year_falls_back_to_monday_to_friday_and_says_so():
    year = 2099
    assert not workdays.known(year) and workdays.known(2022)
    assert workdays.is_working_day(date(year, 1, 1)) == (date(year, 1, 1).weekday() < 5)
    end = workdays.nth_working_day(date(year, 3, 2), 5)  # Monday
    assert end.day == date(year, 3, 6) and end.fallback and end.fallback_years == (year,)
    assert workdays.unknown_years(date(2022, 12, 1), date(2099, 1, 1))[0] > 2022


def test_counting_starts_on_the_first_working_day():
    assert workdays.nth_working_day(date(2022, 10, 1), 1).day == date(2022, 10, 8)  # holiday start
    with pytest.raises(ValueError):
        workdays.nth_working_day(date(2022, 10, 1), 0)


# ---- application transitions ---------------------------------------------------------------


def test_the_happy_path_and_refused_jumps():
    path = [S.DRAFT, S.SUBMITTED, S.REVIEW_PASSED, S.DUE_DILIGENCE, S.PUBLIC_NOTICE, S.APPROVED]
    for current, target in zip(path, path[1:]):
        assert lc.check_transition(current, target) is target
    for current, target in ((S.DRAFT, S.APPROVED), (S.SUBMITTED, S.APPROVED), (S.SUBMITTED, S.PUBLIC_NOTICE),
                            (S.REJECTED, S.SUBMITTED), (S.APPROVED, S.REJECTED), (S.DISQUALIFIED, S.SUBMITTED),
                            (S.PUBLIC_NOTICE, S.WITHDRAWN)):
        with pytest.raises(DomainError):
            lc.check_transition(current, target)


def test_false_material_disqualifies_at_any_stage_after_submission():
    for current in (S.SUBMITTED, S.REVIEW_PASSED, S.DUE_DILIGENCE, S.PUBLIC_NOTICE, S.APPROVED):
        assert lc.check_transition(current, S.DISQUALIFIED) is S.DISQUALIFIED
    with pytest.raises(DomainError):
        lc.check_transition(S.DRAFT, S.DISQUALIFIED)


def test_review_pass_needs_materials_defence_and_defence_scores():
    with pytest.raises(DomainError, match="materials"):
        lc.check_review_pass(lc.ReviewFacts(0, True, 3))
    with pytest.raises(DomainError, match="defence has not been held"):
        lc.check_review_pass(lc.ReviewFacts(5, False, 0))
    with pytest.raises(DomainError, match="scored the oral defence"):
        lc.check_review_pass(lc.ReviewFacts(5, True, 0))
    lc.check_review_pass(lc.ReviewFacts(5, True, 5))


def test_combined_score_and_ranking():
    assert lc.combined_score(80.0, 90.0) == 85.0
    assert lc.combined_score(80.0, None) is None
    assert lc.ranking({1: 85.0, 2: 91.5, 3: None, 4: 85.0}) == {2: 1, 1: 2, 4: 2}


def _facts(**kw):
    base = dict(status=S.PUBLIC_NOTICE, diligence=lc.DiligenceOutcome.PASSED, notice_ends_on=date(2022, 10, 10),
                objections=(), today=date(2022, 10, 11))
    return lc.ApprovalFacts(**(base | kw))


def test_approval_guards():
    assert lc.approval_refusal(_facts()) is None
    assert "first review" in lc.approval_refusal(_facts(status=S.SUBMITTED)).message
    assert "due diligence" in lc.approval_refusal(_facts(status=S.REVIEW_PASSED, diligence=None)).message
    assert "due diligence" in lc.approval_refusal(_facts(status=S.DUE_DILIGENCE,
                                                         diligence=lc.DiligenceOutcome.PENDING)).message
    assert "public notice" in lc.approval_refusal(_facts(status=S.DUE_DILIGENCE)).message
    assert "runs until 2022-10-10" in lc.approval_refusal(_facts(today=date(2022, 10, 10))).message
    assert "not been answered" in lc.approval_refusal(_facts(objections=(lc.ObjectionFact(False, False),))).message
    assert "upheld" in lc.approval_refusal(_facts(objections=(lc.ObjectionFact(True, True),))).message
    assert lc.approval_refusal(_facts(objections=(lc.ObjectionFact(True, False),))) is None


def test_conditions_need_a_statement_and_proof():
    facts = [lc.ConditionFact("good_standing", "正常经营，信用良好", True), lc.ConditionFact("key_industry", "", True),
             lc.ConditionFact("innovation_base", "有效发明专利 320 件", False)]
    assert lc.missing_conditions(facts) == ["key_industry", "innovation_base", "legal_person", "capital_plan"]
    assert lc.missing_conditions([lc.ConditionFact(k, "x", True) for k in lc.CONDITIONS]) == []


# ---- after approval ------------------------------------------------------------------------


def test_center_stages_over_five_years():
    approved = date(2022, 11, 1)
    assert lc.center_stage(approved, date(2022, 11, 1)) is lc.Stage.FOUNDATION
    assert lc.center_stage(approved, date(2023, 10, 31)) is lc.Stage.FOUNDATION
    assert lc.center_stage(approved, date(2023, 11, 1)) is lc.Stage.CONSTRUCTION
    assert lc.construction_ends_on(approved) == date(2027, 10, 31)
    assert lc.center_stage(approved, date(2027, 10, 31)) is lc.Stage.CONSTRUCTION
    assert lc.center_stage(approved, date(2027, 11, 1)) is lc.Stage.ACCEPTANCE
    assert lc.center_stage(approved, date(2027, 12, 1), acceptance_decided=True) is lc.Stage.ENDED
    assert lc.center_stage(approved, date(2024, 1, 1), terminated=True) is lc.Stage.TERMINATED


def test_fund_reports_and_acceptance_rules():
    assert lc.fund_report_due(date(2022, 11, 1), 1) == date(2023, 12, 1)
    assert lc.check_fund_review("filed", "misuse") is lc.FundReportStatus.MISUSE
    with pytest.raises(DomainError):
        lc.check_fund_review("accepted", "misuse")
    with pytest.raises(DomainError, match="has not begun"):
        lc.check_fund_report_year(3, date(2022, 11, 1), date(2024, 10, 31))
    assert lc.check_fund_report_year(3, date(2022, 11, 1), date(2024, 11, 1)) == 3
    with pytest.raises(DomainError, match="five construction years"):
        lc.check_acceptance_submission(date(2022, 11, 1), date(2027, 10, 31), set(lc.REQUIRED_ACCEPTANCE_DOCUMENTS))
    with pytest.raises(DomainError, match="work summary"):
        lc.check_acceptance_submission(date(2022, 11, 1), date(2027, 11, 1), {"work_summary"})
    lc.check_acceptance_submission(date(2022, 11, 1), date(2027, 11, 1), set(lc.REQUIRED_ACCEPTANCE_DOCUMENTS))
    with pytest.raises(DomainError, match="every assigned expert"):
        lc.check_acceptance_decision("submitted", 3, 2)


# ---- the ban ---------------------------------------------------------------------------------


def test_ban_window_is_three_years_for_the_org_and_its_legal_representative():
    listed = date(2025, 3, 1)
    assert lc.ban_until(listed) == date(2028, 2, 29)
    entry = lc.CreditEntry(lc.CreditKind.SERIOUS_DISHONESTY, 7, "王 建国", listed, lc.ban_until(listed))
    assert "2028-02-29" in lc.ban_refusal([entry], 7, "", date(2028, 2, 29)).message
    assert lc.ban_refusal([entry], 7, "", date(2028, 3, 1)) is None  # the ban is over
    refusal = lc.ban_refusal([entry], 99, "王建国", date(2026, 1, 1))  # another company, same person
    assert refusal is not None and "legal representative" in refusal.message
    assert lc.ban_refusal([entry], 99, "李四", date(2026, 1, 1)) is None
    false_material = lc.CreditEntry(lc.CreditKind.FALSE_MATERIAL, 7, "", listed, None)
    assert lc.ban_refusal([false_material], 7, "", date(2026, 1, 1)) is None  # recorded, no ban
