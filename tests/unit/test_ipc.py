"""IPC codes as exports write them, checked against the scheme's subclasses."""

import pytest

from app.domain import ipc


@pytest.mark.parametrize("written, code", [
    ("H01M 10/052", "H01M 10/052"), ("h01m10/052", "H01M 10/052"), ("H01M 10/052 (2010.01)", "H01M 10/052"),
    ("H01M10/052(2010.01)", "H01M 10/052"), ("C30B 29/36 [2006.01]", "C30B 29/36"), ("Ｈ０１Ｍ１０／０５２", "H01M 10/052"),
    ("Ｃ０１Ｂ　３２／１８４", "C01B 32/184"), ("H01M 4/13", "H01M 4/13"), ("G06F 16/3344", "G06F 16/3344"),
    ("H10K 50/11", "H10K 50/11"), ("B64U 10/13", "B64U 10/13"),
])
def test_real_written_forms_are_accepted(written, code):
    assert ipc.normalize(written) == code


@pytest.mark.parametrize("written, reason", [
    ("H00M 10/052", "no subclass"), ("H01M 0/00", "main group"), ("H01M 2004/027", "CPC"), ("Y02E 60/10", "not an IPC"),
    ("B60Y 2200/91", "no subclass"), ("H01M", "not an IPC"), ("H01M 10/5", "not an IPC"),
])
def test_impossible_codes_are_refused(written, reason):
    with pytest.raises(ipc.IPCError) as err:
        ipc.normalize(written)
    assert reason in err.value.template


def test_subclasses_when_allowed_and_the_list():
    assert ipc.normalize("h01m", allow_subclass=True) == "H01M"
    with pytest.raises(ipc.IPCError):
        ipc.normalize("H01Z", allow_subclass=True)
    assert ipc.parse_list("H01M 10/052 (2010.01)；H01M10/052 | C01B 32/184") == ["H01M 10/052", "C01B 32/184"]


def test_the_subclass_list_is_the_scheme():
    subs = ipc.subclasses()
    assert 640 <= len(subs) <= 660
    assert {"A01B", "A61K", "B60L", "C01B", "C22C", "C30B", "G06F", "G06N", "H01L", "H01M", "H02J", "H10K", "F17C",
            "A99Z", "H99Z"} <= subs
    assert not subs & {"H00M", "B60Y", "Y02E", "C12Y", "H01A"}
    assert all(len(s) == 4 and s[0] in ipc.SECTIONS for s in subs)


def test_a_parse_gives_the_parts():
    code = ipc.parse("H01M 10/052 (2010.01)")
    assert (code.subclass, code.group, code.subgroup) == ("H01M", 10, "052")
