from datetime import date

import pytest

from app.domain import lifecycle, passwords, patent_terms, targets


def test_yearly_targets_follow_the_notice():
    assert targets.yearly_targets() == [20, 26, 34, 44, 58]


def test_targets_are_exact_not_float_rounded():
    # 20 × 1.3^n with floats gives 33.800000000000004 → ceil 34 either way, but 100 × 1.3 = 130.00000000000003
    assert targets.yearly_targets(base=100, years=2) == [100, 130]
    assert targets.yearly_targets(base=10, growth=0.5, years=3) == [10, 5, 3]


@pytest.mark.parametrize(
    "approval, on, year",
    [
        (date(2024, 3, 1), date(2024, 2, 29), 0),
        (date(2024, 3, 1), date(2024, 3, 1), 1),
        (date(2024, 3, 1), date(2025, 2, 28), 1),
        (date(2024, 3, 1), date(2025, 3, 1), 2),  # the anniversary starts the next year
        (date(2024, 2, 29), date(2025, 2, 28), 1),
        (date(2024, 2, 29), date(2025, 3, 1), 2),  # leap-day approval: year turns on 1 March
        (date(2024, 2, 29), date(2028, 2, 29), 5),
        (date(2023, 6, 15), date(2026, 11, 25), 4),
    ],
)
def test_project_year(approval, on, year):
    assert targets.project_year(approval, on) == year


def test_project_year_span():
    assert targets.project_year_span(date(2024, 3, 1), 2) == (date(2025, 3, 1), date(2026, 3, 1))


def test_terms_and_remaining():
    assert patent_terms.term_years("invention", date(2010, 1, 1)) == 20
    assert patent_terms.term_years("utility_model", date(2010, 1, 1)) == 10
    assert patent_terms.term_years("design", date(2021, 5, 31)) == 10
    assert patent_terms.term_years("design", date(2021, 6, 1)) == 15
    today = date(2026, 11, 25)
    assert patent_terms.remaining_days("invention", date(2020, 11, 25), "granted", today) == (date(2040, 11, 25) - today).days
    assert patent_terms.remaining_days("invention", date(2020, 11, 25), "lapsed", today) == 0
    assert patent_terms.remaining_days("utility_model", date(2010, 1, 1), "granted", today) == 0
    assert patent_terms.is_valid("granted") and not patent_terms.is_valid("pending")


def test_publication_transitions():
    assert lifecycle.check_transition("draft", "published") == "published"
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.check_transition("closed", "published")
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.check_transition("draft", "closed")


@pytest.mark.parametrize("pw", ["short1", "password123", "12345678", "aaaaaaaaaaa", "qwerty123"])
def test_weak_passwords_refused(pw):
    with pytest.raises(passwords.PasswordError):
        passwords.check(pw)


def test_long_passphrase_accepted():
    passwords.check("一个很长的中文口令也可以" + "x" * 52)  # 64 characters and more are fine
    passwords.check("correct-horse-battery")


@pytest.mark.parametrize(
    "kind, filing, status, today, result",
    [
        ("invention", date(2006, 12, 1), "granted", date(2026, 11, 30), None),
        ("invention", date(2006, 12, 1), "granted", date(2026, 12, 1), "expired"),
        ("invention", date(2006, 12, 1), "partly_invalidated", date(2026, 12, 1), "expired"),
        ("invention", date(2006, 12, 1), "lapsed", date(2026, 12, 1), None),  # already out of force
        ("utility_model", date(2016, 12, 1), "granted", date(2026, 12, 1), "expired"),
        ("design", date(2021, 5, 31), "granted", date(2031, 5, 31), "expired"),  # 10 years
        ("design", date(2021, 6, 1), "granted", date(2031, 6, 1), None),  # 15 years from 2021-06-01
        ("design", date(2021, 6, 1), "granted", date(2036, 6, 1), "expired"),
        ("utility_model", date(2004, 2, 29), "granted", date(2014, 2, 28), None),  # leap day: ends on 1 March
        ("utility_model", date(2004, 2, 29), "granted", date(2014, 3, 1), "expired"),
        ("invention", None, "granted", date(2026, 1, 1), None),
    ],
)
def test_statutory_term_expiry(kind, filing, status, today, result):
    assert patent_terms.expiring_status(status, kind, filing, today) == result
