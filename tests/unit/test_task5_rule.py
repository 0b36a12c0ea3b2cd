"""Task 5 by the notice's rule: year 1 ≥ 20 and compound growth ≥ 30 %."""

from datetime import date

import pytest

from app.domain import targets as t

S = t.Task5State


@pytest.mark.parametrize(
    "finished, running, projection, state, growth",
    [
        ([24, 29, 43], 10, 40, S.GREEN, 0.3385),  # the carbon center: 34 % a year so far
        ([40, 30], 5, 40, S.AMBER, -0.25),  # shrinks: amber with the need shown
        ([19], 3, 30, S.RED, None),  # a finished year 1 below 20 is lost for good
        ([19, 60, 80], None, None, S.RED, 1.0520),
        ([], 8, 24, S.GREEN, None),  # year 1 under way, on track
        ([], 5, 15, S.AMBER, None),  # year 1 under way, heading below 20
        ([20], 1, 10, S.GREEN, None),  # year 2 under way: growth not measurable yet (a warning only)
        ([20, 26], 3, 30, S.GREEN, 0.30),  # exactly 30 % is enough
        ([20, 25], 3, 30, S.AMBER, 0.25),
        ([20, 26, 34, 44, 58], None, None, S.GREEN, 0.305),  # after year 5: over the whole period
        ([20, 26, 34, 44, 57], None, None, S.RED, 0.2993),  # ended below 30 %
        ([20, 26, 34, 44, 58, 1, 1], None, None, S.GREEN, 0.305),  # years past the fifth are ignored
        ([20, 0], 0, 0, S.AMBER, -1.0),
    ],
)
def test_judge(finished, running, projection, state, growth):
    v = t.judge(finished, running_count=running, projection=projection)
    assert v.state is state
    if growth is None:
        assert v.growth is None
    else:
        assert v.growth == pytest.approx(growth, abs=0.0005)
    assert v.reasons and v.reasons[0].kind == "rule"
    for r in v.reasons:  # every template fills from its own params
        r.template.format(**r.params)


def test_amber_shows_what_the_remaining_years_need():
    v = t.judge([40, 30], running_count=5, projection=40)
    # 40 × 1.3^4 = 114.24 → year 5 needs 115; from 30 over three years: (115/30)^(1/3) − 1 = 56.5 %, shown as 57 %
    assert v.needed_final == 115
    assert v.needed_growth == pytest.approx(0.5649, abs=0.0005)
    need = [r for r in v.reasons if r.kind == "need"]
    assert need and need[0].params["final"] == 115 and need[0].params["needed"] == "57 %"


def test_year_one_red_says_why():
    v = t.judge([19])
    assert v.reasons[0].params == {"count": 19, "floor": 20}
    assert v.year1 == 19


def test_not_started_before_approval():
    assert t.judge([], started=False).state is S.NOT_STARTED
    assert t.verdict(None, t.yearly_targets(), {}, date(2026, 1, 1)).state is S.NOT_STARTED
    assert t.verdict(date(2026, 3, 1), t.yearly_targets(), {}, date(2026, 2, 28)).state is S.NOT_STARTED


def test_per_year_target_is_guidance_not_the_verdict():
    # year 3 under way slower than its own target 34: a warning, still green on the rule
    v = t.judge([24, 32], running_count=5, projection=20, targets=[20, 26, 34, 44, 58])
    assert v.state is S.GREEN
    assert [r.kind for r in v.reasons].count("warning") == 1
    # a center's higher series warns earlier than the notice's floor
    v = t.judge([], running_count=5, projection=22, targets=[25, 33, 43, 56, 73])
    assert v.state is S.GREEN and any(r.kind == "warning" for r in v.reasons)


@pytest.mark.parametrize(
    "counts, today, state, current",
    [
        ({1: 24, 2: 29, 3: 43}, date(2027, 4, 1), S.GREEN, 4),
        ({1: 19}, date(2025, 3, 1), S.RED, 2),  # the day year 2 starts year 1 is finished
        ({1: 19}, date(2025, 2, 28), S.AMBER, 1),  # the last day of year 1: still under way, projection 19
        ({1: 24, 2: 31, 3: 40, 4: 52, 5: 70}, date(2029, 3, 1), S.GREEN, 6),  # after year 5
    ],
)
def test_verdict_from_dated_counts(counts, today, state, current):
    v = t.verdict(date(2024, 3, 1), t.yearly_targets(), counts, today)
    assert v.state is state
    assert v.current_year == current
