import pytest

from app.domain import credit_code, ipc


@pytest.mark.parametrize("code", ["9144030071526726XG", "91350100M000100Y43", "911100001000079554", "91110108551385082Q"])
def test_real_credit_codes(code):
    assert credit_code.normalize(code) == code


def test_credit_code_lower_case_and_spaces():
    assert credit_code.normalize(" 9144030071526726xg ") == "9144030071526726XG"


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("9144030071526726X", "18 characters, not 17"),
        ("9144030071526726XGG", "18 characters, not 19"),
        ("9144030071526726XO", "not allowed"),
        ("91440300715267261G", "check character should be"),
        ("91AB030071526726XG", "region code"),
    ],
)
def test_bad_credit_codes(bad, reason):
    with pytest.raises(credit_code.CreditCodeError) as err:
        credit_code.normalize(bad)
    assert reason in str(err.value)


def test_make_credit_code_round_trip():
    code = credit_code.make("12140000405800000")
    assert credit_code.normalize(code) == code


@pytest.mark.parametrize(
    "text, expected",
    [
        ("H01M 10/052", "H01M 10/052"),
        ("h01m10/052", "H01M 10/052"),
        ("C01B  32/184", "C01B 32/184"),
        ("G06F 0021/57", "G06F 21/57"),
    ],
)
def test_ipc_normalise(text, expected):
    assert ipc.normalize(text) == expected


@pytest.mark.parametrize("bad", ["H01M", "Z01M 10/052", "H1M 10/052", "H01M 10/5", "H01M10", "G06F 21/"])
def test_ipc_invalid(bad):
    with pytest.raises(ipc.IPCError):
        ipc.normalize(bad)


def test_ipc_subclass_allowed_for_hints():
    assert ipc.normalize("h01m", allow_subclass=True) == "H01M"


def test_ipc_list_splits_and_dedups():
    assert ipc.parse_list("H01M 10/052; h01m10/052，C01B 32/184\nG06F 21/57") == [
        "H01M 10/052",
        "C01B 32/184",
        "G06F 21/57",
    ]
    assert ipc.subclass("H01M 10/052") == "H01M"
    assert ipc.main_group("H01M 10/052") == "H01M 10"
