"""Applicant names as people search for them: the full name, or a short form without the company
words (山西烁科晶体有限公司 -> 山西烁科晶体; 太原钢铁（集团）有限公司 -> 太原钢铁)."""

from __future__ import annotations

import re
import unicodedata

# Company-form words: generic, so in the applicant field they find nearly everything (有限公司 is in
# four applicant names of five). They are stop words there; a whole name still matches as a key.
GENERIC_WORDS = frozenset((
    "有限公司", "有限", "公司", "股份", "股份有限公司", "有限责任公司", "责任", "集团", "集团公司", "科技", "技术",
    "控股", "实业", "分公司", "中国", "co", "ltd", "inc", "corp", "corporation", "company", "limited", "llc",
    "gmbh", "ag", "sa", "plc", "kk",
))
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "corporation", "company", "limited",
             "coltd", "corp", "ltd", "inc", "llc", "gmbh", "plc", "co")
_BRACKETED = re.compile(r"\([^)]*\)")
_NOISE = re.compile(r"[\s.,，、·'\"“”]+")


def normalise(name: str) -> str:
    """Width, case, spaces and punctuation made uniform; brackets round: ``Acme, Inc.`` -> ``acmeinc``."""
    text = unicodedata.normalize("NFKC", str(name or "")).lower()
    return _NOISE.sub("", text.replace("【", "(").replace("】", ")"))


def keys(name: str) -> list[str]:
    """The exact keys a name is found by: itself, without bracketed parts ((中国), (集团), (北京)),
    and without the company-form suffixes."""
    full = normalise(name)
    if not full:
        return []
    found = [full]
    plain = _BRACKETED.sub("", full)
    if plain and plain not in found:
        found.append(plain)
    short = plain
    changed = True
    while changed and short:
        changed = False
        for suffix in _SUFFIXES:
            if short.endswith(suffix) and len(short) > len(suffix) + 1:
                short = short[: -len(suffix)]
                changed = True
                break
    if short and short not in found:
        found.append(short)
    return found


def is_generic(token: str) -> bool:
    return normalise(token) in GENERIC_WORDS
