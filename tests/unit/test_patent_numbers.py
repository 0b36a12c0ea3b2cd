from datetime import date

import pytest

from app.domain import patent_numbers as pn

REAL = ["202010566088.9", "201510958772.0", "202510942578.7", "202322865413.3", "201811564288.X", "200510096239.4"]


@pytest.mark.parametrize("number", REAL)
def test_real_numbers_are_valid(number):
    assert str(pn.parse(number, today=TODAY)) == number


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("2020105660889", "202010566088.9"),
        ("CN202010566088.9", "202010566088.9"),
        ("cn2020105660889", "202010566088.9"),
        ("ZL 2015 1 0958772.0", "201510958772.0"),
        ("ZL201811564288.x", "201811564288.X"),
        (" 202322865413.3 ", "202322865413.3"),
    ],
)
def test_written_forms_normalise(written, canonical):
    assert pn.normalize(written, today=TODAY) == canonical

TODAY = date(2026, 12, 1)


def test_check_character_ten_is_x():
    assert pn.check_character("201811564288") == "X"


@pytest.mark.parametrize("bad", ["202010566088.1", "201811564288.0", "201510958772.X"])
def test_wrong_check_character_says_which_is_right(bad):
    with pytest.raises(pn.PatentNumberError) as err:
        pn.parse(bad, today=TODAY)
    assert "check character should be" in str(err.value)


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("", "required"),
        ("2020105660", "12 digits"),
        ("20201056608899", "12 digits"),
        ("2020A0566088.9", "only digits"),
        ("202040566088.9", "type code 4"),
        ("199910566088.9", "filing year 1999"),
        ("203010566088.9", "filing year 2030"),
    ],
)
def test_invalid_numbers_explain_why(bad, reason):
    with pytest.raises(pn.PatentNumberError) as err:
        pn.parse(bad, today=date(2026, 11, 25))
    assert reason in str(err.value)


def test_type_codes():
    assert pn.parse("202010566088.9", today=TODAY).patent_type == "invention"
    assert pn.parse(pn.make(2021, "2", 1234567), today=TODAY).patent_type == "utility_model"
    assert pn.parse(pn.make(2021, "3", 1234567), today=TODAY).patent_type == "design"
    pct = pn.parse(pn.make(2019, "8", 1234), today=TODAY)
    assert pct.patent_type == "invention" and pct.is_pct


def test_legacy_eight_digit_numbers():
    digits = "02123456"
    number = f"{digits}.{pn.check_character(digits)}"
    parsed = pn.parse(number, today=TODAY)
    assert parsed.legacy and parsed.year == 2002 and parsed.patent_type == "invention"
    assert pn.parse("98" + "1" + "00001" + "." + pn.check_character("98100001"), today=TODAY).year == 1998


def test_make_builds_valid_numbers():
    for serial in range(0, 10000, 997):
        assert pn.parse(pn.make(2024, "1", serial), today=TODAY)
