"""Applicant queries, rewritten before a backend compiles them (the parser is left as it is):

- a search box that is an applicant's name or short form (``山西烁科晶体有限公司``, ``太原钢铁``) matches
  that applicant's exact key first, and its generic company words (有限公司, 科技 …) are dropped
  from the word part, which would otherwise match most of the index;
- in ``applicant:`` clauses the generic company words are stop words; a clause of nothing else
  matches only an exact name and says so (``applicant:有限公司`` does not scan everything).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..domain import applicants as names
from ..domain.errors import N_
from .query import AnyOf, AtLeast, Clause, ParsedQuery

KEY_FIELD = "applicant_key"
ONLY_GENERIC = N_("“{value}” holds only generic company words (有限公司, 科技 …); only an applicant of exactly "
                  "that name is found — write more of the name")
_APPLICANT_VALUE = re.compile(r"(?:applicants?|申请人)\s*[:：]\s*(\"[^\"]*\"?|\S+)", re.IGNORECASE)


def _without_generic(clause: Clause) -> Clause:
    tokens = [t for t in clause.tokens if not names.is_generic(t)]
    return replace(clause, tokens=tokens, alternatives={t: a for t, a in clause.alternatives.items() if t in tokens})


def _key_clause(key: str) -> Clause:
    return Clause(field=KEY_FIELD, value=key)


def rewrite(parsed: ParsedQuery, has_key: Callable[[str], bool]) -> tuple[ParsedQuery, list[tuple[str, dict]]]:
    """The query to compile, and notes for the page."""
    groups = parsed.groups
    notes: list[tuple[str, dict]] = []
    if (len(groups) == 1 and isinstance(groups[0], Clause) and groups[0].field is None and groups[0].tokens
            and not groups[0].negated and not groups[0].phrase):
        key = names.normalise(parsed.text)
        if key and key not in names.GENERIC_WORDS and has_key(key):
            words = _without_generic(groups[0])
            options = [_key_clause(key)] + ([words] if words.tokens else [])
            return replace(parsed, groups=[AnyOf(options)]), notes
        return parsed, notes
    written = iter(m.group(1).strip('"') for m in _APPLICANT_VALUE.finditer(parsed.text))
    rewritten: list[Clause | AnyOf] = []
    changed = False
    for group in groups:
        if isinstance(group, Clause) and group.field == "applicant" and group.tokens and not group.phrase:
            value = next(written, "".join(group.tokens))
            key = names.normalise(value)
            words = _without_generic(group)
            if not words.tokens:
                notes.append((ONLY_GENERIC, {"value": value}))
                rewritten.append(replace(_key_clause(key), negated=group.negated))
            elif has_key(key):
                rewritten.append(AnyOf([_key_clause(key), replace(words, negated=False)], negated=group.negated))
            else:
                rewritten.append(words)
            changed = True
        else:
            rewritten.append(group)
    return (replace(parsed, groups=rewritten) if changed else parsed), notes


def boosted_keys(parsed: ParsedQuery) -> list[str]:
    """The applicant keys a rewritten query asks for (a backend ranks their documents first)."""
    found = []
    for group in parsed.groups:
        for clause in (group.clauses if isinstance(group, (AnyOf, AtLeast)) else [group]):
            if clause.field == KEY_FIELD and not group.negated:
                found.append(clause.value)
    return found
