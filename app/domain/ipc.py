"""International Patent Classification codes."""

from __future__ import annotations

import re
import unicodedata

from .errors import DomainError, N_

_FULL = re.compile(r"^([A-H])(\d{2})([A-Z])\s*(\d{1,4})/(\d{2,6})$")
_SUBCLASS = re.compile(r"^([A-H])(\d{2})([A-Z])$")
_MAIN_GROUP = re.compile(r"^([A-H])(\d{2})([A-Z])\s*(\d{1,4})$")  # "C01B 32": a main group without /00

SECTIONS = {
    "A": "Human necessities",
    "B": "Performing operations; transporting",
    "C": "Chemistry; metallurgy",
    "D": "Textiles; paper",
    "E": "Fixed constructions",
    "F": "Mechanical engineering; lighting; heating; weapons; blasting",
    "G": "Physics",
    "H": "Electricity",
}


class IPCError(DomainError):
    """The text is not a valid IPC code."""


def normalize(text: str, *, allow_subclass: bool = False) -> str:
    """``h01m10/052`` -> ``H01M 10/052``; when hints are allowed (``allow_subclass``) also a bare subclass
    and a main group written as people type it: ``C01B 32``, ``c01b32`` -> ``C01B 32/00``. Full-width
    characters and spaces around the slash are accepted (``Ｃ01Ｂ 32 / 05``)."""
    code = unicodedata.normalize("NFKC", str(text or "")).strip().upper()
    code = re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", code))
    m = _FULL.match(code)
    if m:
        section, cls, sub, group, subgroup = m.groups()
        return f"{section}{cls}{sub} {int(group)}/{subgroup}"
    if allow_subclass and _SUBCLASS.match(code.replace(" ", "")):
        return code.replace(" ", "")
    m = _MAIN_GROUP.match(code) if allow_subclass else None
    if m:
        section, cls, sub, group = m.groups()
        return f"{section}{cls}{sub} {int(group)}/00"
    if allow_subclass:
        raise IPCError(N_("“{code}” is not an IPC code like H01M 10/052 or a subclass such as H01M"), code=text)
    raise IPCError(N_("“{code}” is not an IPC code like H01M 10/052"), code=text)


def parse_list(text: str, *, allow_subclass: bool = False) -> list[str]:
    """Split on ``;`` ``,`` ``；`` ``，`` or new lines, normalise, keep order, drop repeats."""
    codes: list[str] = []
    for part in re.split(r"[;,；，\n]+", text or ""):
        if part.strip():
            code = normalize(part, allow_subclass=allow_subclass)
            if code not in codes:
                codes.append(code)
    return codes


def subclass(code: str) -> str:
    return code[:4]


def main_group(code: str) -> str:
    return code.split("/")[0]
