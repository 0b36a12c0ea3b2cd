"""The center program's rules at their thresholds (PROGRAM.md)."""

from datetime import date, datetime, time

import pytest

from app.domain import pools as pool_rules
from app.domain import program as r
from app.domain import targets as target_rules
from app.domain.errors import DomainError

G, A, R = r.Light.GREEN, r.Light.AMBER, r.Light.RED


def test_plan_needs_all_nine_sections():
    full = {k: "text" for k in r.PLAN_SECTIONS}
    assert r.plan_status(full).light is G
    assert r.plan_status({**full, "budget": "  "}).light is A
    assert r.plan_status({**full, "budget": "  "}).figures["missing"] == ["budget"]
    assert r.plan_status(None).light is R
    assert r.plan_status({}).checks[0].required == 9


def test_database_needs_patents_and_analysis():
    assert r.database_status(0, 0).light is R
    assert r.database_status(5, 0).light is A
    assert r.database_status(1, 1).light is G


def nav(kind, n, status="completed", day=date(2025, 1, 1)):
    return [r.NavFact(kind, status, day if status == "completed" else None) for _ in range(n)]


def test_navigation_thresholds():
    innovator = nav("enterprise_operation", 2) + nav("rd_activity", 2) + nav("talent_management", 1)
    assert r.navigation_status(nav("industry_planning", 1) + innovator).light is G
    # one innovator short
    assert r.navigation_status(nav("industry_planning", 1) + innovator[:4]).light is A
    # no industry-planning project
    assert r.navigation_status(innovator).light is A
    # regional planning and "other" do not count as innovator projects
    assert r.navigation_status(nav("industry_planning", 1) + nav("regional_planning", 5) + nav("other", 5)).light is A
    # under way does not count
    assert r.navigation_status(nav("industry_planning", 1, "in_progress") + innovator).light is A
    assert r.navigation_status([]).light is R
    checks = r.navigation_status(nav("industry_planning", 1) + innovator).checks
    assert [(c.name, c.value, c.required) for c in checks] == [("industry_planning", 1, 1), ("innovator_projects", 5, 5)]


def test_pool_task_uses_the_best_pool():
    ok = pool_rules.Compliance(100, 50, 3, 0, 0)
    short = pool_rules.Compliance(99, 50, 3, 0, 0)
    assert r.pool_status([]).light is R
    assert r.pool_status([short]).light is A
    assert r.pool_status([short, ok]).light is G
    assert r.pool_status([pool_rules.Compliance(100, 49, 3, 0, 0)]).light is A
    assert r.pool_status([pool_rules.Compliance(100, 50, 2, 0, 0)]).light is A


def verdict(counts, today, approval=date(2024, 3, 1)):
    return target_rules.verdict(approval, target_rules.yearly_targets(), counts, today)


def test_deals_task_follows_the_notices_rule():
    assert r.deals_status(None).light is R
    # year 1 running: 19 by December heads for 25 (on track); 10 heads for 13 (at risk)
    assert r.deals_status(verdict({1: 19}, date(2024, 12, 1))).light is G
    assert r.deals_status(verdict({1: 10}, date(2024, 12, 1))).light is A
    # year 1 finished with 19: missed for good, whatever comes after
    assert r.deals_status(verdict({1: 19, 2: 40}, date(2025, 6, 1))).light is R
    # year 1 met, year 2 running below its 26: green on the rule, a warning as guidance
    status = r.deals_status(verdict({1: 20, 2: 5}, date(2025, 6, 1)))
    assert status.light is G and any(x.kind == "warning" for x in status.figures["verdict"].reasons)
    # 24, 29, 43: 34 % growth so far meets the rule although year 2 was below its 26
    status = r.deals_status(verdict({1: 24, 2: 29, 3: 43}, date(2027, 3, 2)))
    assert status.light is G
    assert [(c.name, c.value, c.required) for c in status.checks] == [("year_1", 24, 20), ("growth_percent", 33, 30)]
    # 40 then 30 shrinks: amber although both years beat their per-year targets
    assert r.deals_status(verdict({1: 40, 2: 30}, date(2026, 3, 2))).light is A
    # the last day of year 1 is still year 1: 19 heads for 19
    assert r.deals_status(verdict({1: 19}, date(2025, 2, 28))).light is A


def test_alliance_needs_all_four_groups():
    assert r.alliance_status(["sme", "association", "university", "agency"]).light is G
    assert r.alliance_status(["enterprise", "association", "university", "agency", "research_institute"]).light is G
    assert r.alliance_status(["enterprise", "research_institute", "university", "agency"]).light is A
    assert r.alliance_status([]).light is R


def test_products():
    assert r.products_status([]).light is R
    assert r.products_status(["applied"]).light is A
    assert r.products_status(["applied", "identified"]).light is G


def pct(intl, national):
    return ([r.PctFact(f"PCT/CN2024/{i:06d}", "international") for i in range(intl)]
            + [r.PctFact(f"PCT/CN2023/{i:06d}", "national", "US") for i in range(national)])


def test_pct_thresholds():
    assert r.pct_status(pct(20, 0)).light is G
    assert r.pct_status(pct(19, 9)).light is A
    assert r.pct_status(pct(0, 10)).light is G
    assert r.pct_status([]).light is R
    # the same application counts once; one application entering two offices counts twice
    same = [r.PctFact("PCT/CN2024/000001", "international")] * 25
    assert r.pct_status(same).checks[0].value == 1
    two = [r.PctFact("PCT/CN2024/000001", "national", "US"), r.PctFact("PCT/CN2024/000001", "national", "EP")]
    assert r.pct_status(two).checks[1].value == 2


def test_pct_numbers():
    assert r.normalize_pct_number(" pct/cn2024/000123 ") == "PCT/CN2024/000123"
    with pytest.raises(DomainError):
        r.normalize_pct_number("PCT/CN24/123")


def std(level, status="published", sep=1):
    return r.StandardFact(level, status, sep)


def test_standards_thresholds():
    assert r.standards_status([std("international")]).light is G
    assert r.standards_status([std("national")] * 3).light is G
    assert r.standards_status([std("national")] * 2).light is A
    # no essential patent, or only drafting: not counted
    assert r.standards_status([std("international", sep=0)]).light is A
    assert r.standards_status([std("international", "drafting")]).light is A
    assert r.standards_status([std("industry")] * 5).light is A
    assert r.standards_status([]).light is R


def test_awards():
    assert r.awards_status([r.AwardFact("provincial", "won", True)]).light is G
    assert r.awards_status([r.AwardFact("municipal", "won", True)]).light is A
    assert r.awards_status([r.AwardFact("national", "nominated", True)]).light is A
    assert r.awards_status([r.AwardFact("national", "won", False)]).light is A
    assert r.awards_status([]).light is R


def task(n, light):
    return r.TaskStatus(n, n in r.MANDATORY, light)


def test_overall_all_mandatory_and_two_optional():
    tasks = [task(n, G) for n in range(1, 8)] + [task(8, G), task(9, G), task(10, R)]
    assert r.overall(tasks).light is G
    tasks[8] = task(9, A)
    result = r.overall(tasks)
    assert result.light is A and result.mandatory_met == 7 and result.optional_met == 1
    tasks[8] = task(9, R)  # only one optional task started
    assert r.overall(tasks).light is R
    tasks = [task(n, G) for n in range(1, 7)] + [task(7, R), task(8, G), task(9, G), task(10, G)]
    assert r.overall(tasks).light is R


def test_board_counts_only_new_items_up_to_as_of():
    facts = r.ProgramFacts(
        approval_date=date(2024, 3, 1),
        pct=[r.PctFact(f"PCT/CN2024/{i:06d}", "international", "", date(2024, 5, 1)) for i in range(20)]
        + [r.PctFact("PCT/CN2023/000001", "international", "", date(2023, 5, 1))],
        standards=[r.StandardFact("international", "published", 2, date(2025, 6, 1))],
        awards=[r.AwardFact("national", "won", True, date(2024, 2, 1))],  # before approval: not new
    )
    tasks, _ = r.board(facts, as_of=date(2025, 2, 28))
    assert tasks[7].light is G and tasks[7].checks[0].value == 20
    assert tasks[8].light is A  # published after as_of
    assert tasks[9].light is A
    tasks, _ = r.board(facts, as_of=date(2025, 6, 1))
    assert tasks[8].light is G


# ---- windows ------------------------------------------------------------------------------

WINDOW = r.Window(date(2022, 8, 18), date(2022, 9, 19), r.parse_hours("9:00-11:30, 15:00-17:30"), True,
                  r.parse_dates("2022-09-12"))  # Mid-Autumn holiday


def at(day, hh, mm, ss=0):
    return datetime.combine(day, time(hh, mm, ss))


def test_window_refuses_outside_dates_days_and_hours():
    thu = date(2022, 8, 18)
    assert r.window_refusal(WINDOW, at(thu, 9, 0)) is None
    assert r.window_refusal(WINDOW, at(thu, 11, 29, 59)) is None
    assert r.window_refusal(WINDOW, at(thu, 11, 30)) is not None
    assert r.window_refusal(WINDOW, at(thu, 8, 59, 59)) is not None
    assert r.window_refusal(WINDOW, at(thu, 12, 0)).template.startswith("applications are accepted during working hours")
    assert r.window_refusal(WINDOW, at(thu, 15, 0)) is None
    assert r.window_refusal(WINDOW, at(date(2022, 8, 17), 10, 0)).params == {"day": "2022-08-18"}
    assert r.window_refusal(WINDOW, at(date(2022, 9, 19), 17, 29)) is None  # last day, a Monday
    assert r.window_refusal(WINDOW, at(date(2022, 9, 20), 10, 0)).params == {"day": "2022-09-19"}
    assert r.window_refusal(WINDOW, at(date(2022, 8, 20), 10, 0)) is not None  # Saturday
    assert r.window_refusal(WINDOW, at(date(2022, 9, 12), 10, 0)) is not None  # closed day
    with pytest.raises(DomainError):
        r.check_window(WINDOW, at(date(2022, 8, 21), 10, 0))
    all_day = r.Window(date(2022, 8, 18), date(2022, 8, 18), (), False)
    assert r.window_refusal(all_day, at(date(2022, 8, 18), 23, 59)) is None


def test_hours_and_dates_parsing():
    assert r.parse_hours("") == ()
    assert r.parse_hours("15:00-17:30；09:00–11:30") == ((time(9), time(11, 30)), (time(15), time(17, 30)))
    for bad in ("9-11", "25:00-26:00", "11:30-09:00"):
        with pytest.raises(DomainError):
            r.parse_hours(bad)
    with pytest.raises(DomainError):
        r.parse_dates("2022-13-01")


def test_missing_for_submission():
    fields = {k: "x" for k in r.APPLICATION_FIELDS}
    sections = {k: "x" for k in r.FEASIBILITY_SECTIONS}
    assert r.missing_for_submission(fields, sections, set(r.REQUIRED_DOCUMENTS)) == []
    gaps = r.missing_for_submission({**fields, "phone": ""}, {**sections, "mechanism": ""},
                                    set(r.REQUIRED_DOCUMENTS) - {"sealed_scan"})
    assert gaps == ["phone", "section:mechanism", "document:sealed_scan"]


# ---- scoring ------------------------------------------------------------------------------

CRITERIA = [r.Criterion(1, 10, 30), r.Criterion(2, 20, 70)]


def test_expert_total_is_weighted_out_of_100():
    assert r.expert_total({1: 10, 2: 20}, CRITERIA) == 100
    assert r.expert_total({1: 5, 2: 10}, CRITERIA) == 50
    assert r.expert_total({1: 10, 2: 0}, CRITERIA) == 30
    assert r.expert_total({1: 10}, CRITERIA) is None
    with pytest.raises(DomainError):
        r.check_score(11, CRITERIA[0])
    with pytest.raises(DomainError):
        r.check_score(-1, CRITERIA[0])
    r.check_score(0, CRITERIA[0])


def test_aggregate_trims_from_five_reviews():
    assert r.aggregate([]) == r.Aggregate(None, 0, False)
    assert r.aggregate([80, None, 60]) == r.Aggregate(70, 2, False)
    four = r.aggregate([90, 80, 70, 0])
    assert four.score == 60 and not four.trimmed
    five = r.aggregate([100, 80, 70, 60, 0])
    assert five.trimmed and five.score == 70 and five.reviews == 5


# ---- exit monitor -------------------------------------------------------------------------


def test_add_months_clamps():
    assert r.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert r.add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert r.add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert r.add_months(date(2024, 3, 15), 1) == date(2024, 4, 15)


def test_exit_warnings_by_date():
    book = date(2024, 3, 15)
    # on the deadline day nothing is overdue yet
    warnings = r.exit_warnings(book, None, None, date(2024, 4, 15))
    assert [(w.reason, w.due, w.overdue) for w in warnings] == [
        ("no_equity_agreement", date(2024, 4, 15), False), ("no_business", date(2024, 6, 15), False)]
    # the day after: the agreement is overdue
    warnings = r.exit_warnings(book, None, None, date(2024, 4, 16))
    assert [(w.reason, w.overdue) for w in warnings] == [("no_equity_agreement", True), ("no_business", False)]
    # signed in time, business started in time: no warning
    assert r.exit_warnings(book, date(2024, 4, 15), date(2024, 6, 15), date(2025, 1, 1)) == []
    # signed late, business late: both overdue and dated
    late = r.exit_warnings(book, date(2024, 4, 16), date(2024, 6, 16), date(2025, 1, 1))
    assert [(w.reason, w.overdue, w.happened_on) for w in late] == [
        ("no_equity_agreement", True, date(2024, 4, 16)), ("no_business", True, date(2024, 6, 16))]
    assert r.exit_warnings(None, None, None, date(2025, 1, 1)) == []
    assert r.exit_warnings(book, None, None, date(2024, 6, 16))[1].overdue


# ---- watches ------------------------------------------------------------------------------


def test_watch_parsing_and_matching():
    codes, names = r.parse_watch("h01m; C01B 32/184", "宁德时代，比亚迪")
    assert codes == ["H01M", "C01B 32/184"] and names == ["宁德时代", "比亚迪"]
    with pytest.raises(DomainError):
        r.parse_watch("", "")
    with pytest.raises(DomainError):
        r.parse_watch("XYZ", "")
    assert r.watch_reasons(codes, names, ["H01M 10/052"], ["某大学"]) == ["ipc:H01M"]
    assert r.watch_reasons(codes, names, ["C01B 32/18"], ["比亚迪股份有限公司"]) == ["applicant:比亚迪"]
    assert r.watch_reasons(codes, names, ["C01B 32/184"], []) == ["ipc:C01B 32/184"]
    assert r.watch_reasons(["H01M"], [], ["H01L 21/02"], []) == []


def test_navigation_completed_before_approval_does_not_count():
    facts = r.ProgramFacts(approval_date=date(2024, 3, 1), navigation=[
        r.NavFact("industry_planning", "completed", date(2024, 2, 28)),
        *[r.NavFact("rd_activity", "completed", date(2024, 6, 1)) for _ in range(5)]])
    task = r.board(facts, as_of=date(2025, 1, 1))[0][2]
    assert [(c.name, c.value) for c in task.checks] == [("industry_planning", 0), ("innovator_projects", 5)]


def test_construction_period_exit_cases():
    approval = date(2024, 3, 1)
    # year 2 finished without a completed deal: case 3 warns about it
    warnings = r.construction_warnings(approval, [20, 0], date(2026, 4, 1))
    assert [(w.reason, w.year, w.due) for w in warnings] == [(r.ExitReason.NO_BENEFIT, 2, date(2026, 3, 1))]
    # the five years are over: case 7 is raised by itself
    warnings = r.construction_warnings(approval, [20, 26, 34, 44, 58], date(2029, 3, 1))
    assert [(w.reason, w.due) for w in warnings] == [(r.ExitReason.PERIOD_COMPLETE, date(2029, 3, 1))]
    assert r.construction_warnings(approval, [20, 26, 34, 44, 58], date(2029, 2, 28)) == []
    assert r.construction_warnings(None, [], date(2029, 3, 1)) == []
