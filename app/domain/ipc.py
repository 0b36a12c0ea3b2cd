"""International Patent Classification codes.

Codes are read as exports write them: ``H01M 10/052``, ``H01M10/052``, with the version suffix
``H01M 10/052 (2010.01)`` or ``[2006.01]``, in full-width characters (``Ｈ０１Ｍ１０／０５２``). A
code must name a subclass of the IPC scheme (app/domain/data/ipc_subclasses.txt), a main group
from 1 to 999 (``H01M 0/00`` does not exist; 2000-series groups such as ``H01M 2004/027`` are
CPC's indexing codes, not IPC) and a subgroup of 2 to 6 digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import DomainError, N_

_FULL = re.compile(r"^([A-H])(\d{2})([A-Z])\s*(\d{1,4})\s*/\s*(\d{2,6})$")
_SUBCLASS = re.compile(r"^([A-H])(\d{2})([A-Z])$")
_MAIN_GROUP = re.compile(r"^([A-H])(\d{2})([A-Z])\s*(\d{1,4})$")  # "C01B 32": a main group without /00
# the IPC version a code was classified in: "(2010.01)", "[2006.01]", "(2006-01)"
_VERSION = re.compile(r"\s*[(\[]\s*\d{4}[.\-]\d{2}\s*[)\]]\s*$")
SUBCLASS_FILE = Path(__file__).with_name("data") / "ipc_subclasses.txt"

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


@cache
def subclasses() -> frozenset[str]:
    """Every subclass of the IPC scheme: ``A01B`` … ``H99Z``."""
    found: set[str] = set()
    for line in SUBCLASS_FILE.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            found.update(parts[0] + letter for letter in parts[1:])
    return frozenset(found)


def subclass_exists(code: str) -> bool:
    return code[:4] in subclasses()


@dataclass(frozen=True)
class IPCCode:
    subclass: str  # H01M
    group: int | None = None  # 10; None for a bare subclass
    subgroup: str = ""  # "052", as written

    def __str__(self) -> str:
        return self.subclass if self.group is None else f"{self.subclass} {self.group}/{self.subgroup}"


def clean(text: str) -> str:
    """The written form made comparable: full-width to half-width, upper case, version suffix and
    surplus spaces dropped."""
    code = unicodedata.normalize("NFKC", str(text or "")).strip().upper()
    code = _VERSION.sub("", code)
    return re.sub(r"\s+", " ", code).strip()


def parse(text: str, *, allow_subclass: bool = False) -> IPCCode:
    """A code (or, when allowed, a bare subclass) as an :class:`IPCCode`; raises :class:`IPCError`
    with a reason a user can act on."""
    code = clean(text)
    m = _FULL.match(code)
    if m:
        section, cls, sub, group, subgroup = m.groups()
        result = IPCCode(f"{section}{cls}{sub}", int(group), subgroup)
    elif allow_subclass and _SUBCLASS.match(code.replace(" ", "")):
        result = IPCCode(code.replace(" ", ""))
    elif allow_subclass and (m := _MAIN_GROUP.match(code)):  # a main group as people type it: "C01B 32"
        section, cls, sub, group = m.groups()
        result = IPCCode(f"{section}{cls}{sub}", int(group), "00")
    elif allow_subclass:
        raise IPCError(N_("“{code}” is not an IPC code like H01M 10/052 or a subclass such as H01M"), code=text)
    else:
        raise IPCError(N_("“{code}” is not an IPC code like H01M 10/052"), code=text)
    if result.subclass not in subclasses():
        raise IPCError(N_("“{code}”: the IPC has no subclass {subclass}"), code=text, subclass=result.subclass)
    if result.group is not None:
        if result.group >= 2000:
            raise IPCError(N_("“{code}” is a CPC indexing code, not an IPC code"), code=text)
        if not 1 <= result.group <= 999:
            raise IPCError(N_("“{code}”: an IPC main group is a number from 1 to 999"), code=text)
    return result


def normalize(text: str, *, allow_subclass: bool = False) -> str:
    """``h01m10/052 (2010.01)`` -> ``H01M 10/052``; when hints are allowed (``allow_subclass``) also a bare
    subclass and a main group as people type it: ``C01B 32``, ``c01b32`` -> ``C01B 32/00``."""
    return str(parse(text, allow_subclass=allow_subclass))


def parse_list(text: str, *, allow_subclass: bool = False) -> list[str]:
    """Split on ``;`` ``,`` ``；`` ``，`` ``|`` or new lines, normalise, keep order, drop repeats."""
    codes: list[str] = []
    for part in re.split(r"[;,；，|\n]+", unicodedata.normalize("NFKC", text or "")):
        if part.strip():
            code = normalize(part, allow_subclass=allow_subclass)
            if code not in codes:
                codes.append(code)
    return codes


def subclass(code: str) -> str:
    return code[:4]


def main_group(code: str) -> str:
    return code.split("/")[0]
