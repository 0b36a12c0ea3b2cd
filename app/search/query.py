"""The search box language, parsed into a small tree that every backend compiles.

    锂电池 正极            both words (AND is the default)
    "锂离子 电池"          a phrase
    石墨烯 OR 碳纳米管     either (also ``|``)
    -回收  NOT 回收        without
    ipc:H01M  ipc:"H01M 10/052"  title:隔膜  abstract:…  applicant:太原理工
    type:invention  status:granted  industry:hydrogen  kind:listing
    year:2020  year:2018-2021  number:202010566088.9

Parsing never fails: unbalanced quotes run to the end, unknown ``name:`` prefixes are plain text,
and a value that cannot be understood (``ipc:XYZ``) becomes a warning the page shows.
No Flask import here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..domain import ipc as ipc_rules
from ..domain import patent_numbers
from ..domain.errors import N_
from . import analysis

# A number typed into the search box is checked for its shape and check character, not against today's
# year: a search for a number that cannot exist yet simply finds nothing.
ANY_DAY = date.max

TEXT_FIELDS = {"title": "title", "abstract": "content", "content": "content", "applicant": "applicant"}
KEYWORD_FIELDS = {"ipc", "type", "status", "industry", "kind", "year", "number"}
FIELD_ALIASES = {
    "标题": "title", "名称": "title", "摘要": "abstract", "申请人": "applicant", "applicants": "applicant",
    "分类号": "ipc", "类型": "type", "patent_type": "type", "法律状态": "status", "legal_status": "status",
    "行业": "industry", "年份": "year", "申请年": "year", "申请号": "number", "公开号": "number",
}

# Words users type for the keyword fields, mapped to stored values.
VALUE_ALIASES = {
    "type": {"发明": "invention", "实用新型": "utility_model", "外观设计": "design", "外观": "design",
             "utility": "utility_model"},
    "status": {"在审": "pending", "审中": "pending", "授权": "granted", "有效": "granted", "失效": "lapsed",
               "届满": "expired", "无效": "invalidated", "部分无效": "partly_invalidated", "撤回": "withdrawn",
               "驳回": "rejected"},
    "kind": {"专利": "patent", "patents": "patent", "挂牌": "listing", "listings": "listing", "需求": "need",
             "needs": "need"},
}


@dataclass
class Clause:
    """One leaf: words (AND-ed), a phrase, or a keyword value, in a field or the default fields."""

    field: str | None  # None = title and content; else a TEXT_FIELDS key or a KEYWORD_FIELDS name
    tokens: list[str] = field(default_factory=list)  # index-form words, for text fields
    # a word may also match as a phrase of smaller words: 太原理工 -> [太原, 理工]
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    phrase: bool = False
    value: str = ""  # for keyword fields (year: "2018-2021" gives low/high)
    low: int | None = None
    high: int | None = None
    negated: bool = False


@dataclass
class AnyOf:
    """Clauses joined by OR (negation is not allowed inside)."""

    clauses: list[Clause]
    negated: bool = False


@dataclass
class AtLeast:
    """Best match: one-word clauses ranked by BM25 over all of them, of which a document must hold enough:
    words carrying at least ``share`` of the query's weight (see :meth:`enough`)."""

    clauses: list[Clause]
    share: float = 0.5
    ranking: list[Clause] = field(default_factory=list)  # words that only add to the rank, never required
    negated: bool = False  # never; the groups' common interface

    @staticmethod
    def weight(docs: int, df: int) -> float:
        """A word's weight: its idf, ln(1 + N / df); 0 for a word no document holds."""
        return math.log(1 + docs / df) if df else 0.0

    def enough(self, weights: list[float]) -> float:
        """The weight a document's matched words must reach, given each clause's weight. A sentence's
        filler words (发现, 及时) are common and weigh little; a word no document holds weighs nothing,
        so it cannot count against the others. Always at least the lightest present word's weight."""
        present = [w for w in weights if w > 0]
        if not present:
            return 0.0
        return max(min(present), self.share * sum(present)) - 1e-9


@dataclass
class ParsedQuery:
    text: str
    groups: list[Clause | AnyOf | AtLeast] = field(default_factory=list)  # AND-ed
    warnings: list[tuple[str, dict]] = field(default_factory=list)  # (English template, params)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def only_negative(self) -> bool:
        return bool(self.groups) and all(g.negated for g in self.groups)

    def highlight_terms(self) -> list[str]:
        """Words to mark in snippets: every positive text word, longest first."""
        terms: set[str] = set()
        for group in self.groups:
            if group.negated:
                continue
            for clause in group.clauses if isinstance(group, AnyOf | AtLeast) else [group]:
                if clause.field is None or clause.field in TEXT_FIELDS:
                    terms.update(clause.tokens)
        return sorted(terms, key=lambda t: (-len(t), t))


# A word's alternative reading (太原理工 -> "太原 理工") is a phrase, checked position by position in
# every document holding all its parts: at 100k documents "有限公司" -> "有限 公司" alone took seconds on
# Whoosh, and on PostgreSQL a phrase anywhere in a query re-reads the tsvector of every match (服务器,
# in 5,000 documents: 35 ms). Both backends try it only when the word itself is absent from the index,
# or when the word and one of the parts are rare (in at most this many documents): a word the index
# holds thousands of times is segmented that way wherever it occurs.
ALT_PHRASE_MAX_DF = 200


def alternative_worth_it(token: str, alt: list[str], df: Callable[[str], int] | None) -> bool:
    """Whether a word's alternative reading ``alt`` joins its query; ``df``: a word's document count
    in the field searched (None: always)."""
    if df is None:
        return True
    held = df(token)
    return held == 0 or (held <= ALT_PHRASE_MAX_DF and min(df(part) for part in alt) <= ALT_PHRASE_MAX_DF)


# Best match: a document must hold words carrying at least this share of the loose words' weight (idf).
MIN_SHARE = 0.4


def relax(parsed: ParsedQuery) -> ParsedQuery | None:
    """The query as best match, or None when nothing can be relaxed.

    The plain words typed into the box (``采煤机 截齿 磨损 太快``) need no longer all be there: the ones
    a document holds must carry :data:`MIN_SHARE` of their weight (:meth:`AtLeast.enough`). When some
    are the industries' technical terms (:func:`analysis.is_term`), only those count; the rest of the
    sentence (``一个班 要 换 好几次``) still adds to the rank. What the user spelled out stays as written: a quoted phrase, a
    ``field:`` clause, ``OR`` and ``-`` exclusions. One-character Chinese words count when nothing
    longer was typed (``磨`` in ``截齿磨得快`` says little)."""
    loose: list[Clause] = []
    kept: list = []
    for group in parsed.groups:
        if isinstance(group, Clause) and group.field is None and not group.phrase and not group.negated and group.tokens:
            for token in group.tokens:
                alt = group.alternatives.get(token)
                loose.append(Clause(field=None, tokens=[token], alternatives={token: alt} if alt else {}))
        else:
            kept.append(group)
    if len(loose) < 2:
        return None
    strong = [c for c in loose if len(c.tokens[0]) > 1 or c.tokens[0].isascii()]
    words = strong or loose
    technical = [c for c in words if analysis.is_term(c.tokens[0])]
    if technical:  # the words the field knows decide; the rest of the sentence only ranks
        rest = [c for c in words if c not in technical]
        return ParsedQuery(text=parsed.text, groups=[*kept, AtLeast(technical, MIN_SHARE, ranking=rest)],
                           warnings=parsed.warnings)
    return ParsedQuery(text=parsed.text, groups=[*kept, AtLeast(words, MIN_SHARE)], warnings=parsed.warnings)


_TOKEN = re.compile(
    r'\s*(?:(?P<neg>-|NOT\s+)?(?:(?P<field>[\w\u4e00-\u9fff]+)[:：])?(?:"(?P<phrase>[^"]*)"?|“(?P<cphrase>[^”]*)”?|(?P<word>[^\s"“]+))|(?P<or>OR|\|))',
)


_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def parse(text: str) -> ParsedQuery:
    text = (text or "").strip()[:500]
    result = ParsedQuery(text=text)
    pending_or = False
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            pos += 1
            continue
        pos = m.end()
        if m.group("or") and not m.group("word"):
            pending_or = bool(result.groups)
            continue
        if m.group("word") == "OR":
            pending_or = bool(result.groups)
            continue
        negated = bool(m.group("neg"))
        raw_field = (m.group("field") or "").lower()
        is_phrase = m.group("phrase") is not None or m.group("cphrase") is not None
        value = m.group("phrase") if m.group("phrase") is not None else m.group("cphrase")
        if value is None:
            value = m.group("word") or ""
        fname = FIELD_ALIASES.get(raw_field, raw_field) if raw_field else None
        if fname is None and not is_phrase and _looks_like_number(value):
            fname = "number"  # a bare 202010566088.9 or CN111234567A finds that patent
        if fname and fname not in TEXT_FIELDS and fname not in KEYWORD_FIELDS:
            # "比例3:1" or "http:" — not a field: keep the whole thing as text
            value = f"{m.group('field')}:{value}"
            fname = None
        clause = _clause(fname, value, is_phrase, result)
        if clause is None:
            pending_or = False
            continue
        clause.negated = negated
        if pending_or and not negated and not result.groups[-1].negated:
            last = result.groups[-1]
            if isinstance(last, AnyOf):
                last.clauses.append(clause)
            else:
                result.groups[-1] = AnyOf([last, clause])
        else:
            result.groups.append(clause)
        pending_or = False
    result.groups = _glossary_across_words(result.groups)
    return result


def _plain(group) -> bool:
    return isinstance(group, Clause) and group.field is None and not group.phrase and not group.negated and bool(group.tokens)


def _glossary_across_words(groups: list) -> list:
    """Plain words get the glossary here, read together: ``stainless steel`` typed as two words is one
    phrase (不锈钢); a run of words holding a phrase becomes one clause."""
    out, run = [], []
    for group in [*groups, None]:
        if group is not None and _plain(group):
            run.append(group)
            continue
        if run:
            tokens = [t for c in run for t in c.tokens]
            merged = analysis.apply_glossary(tokens)
            if merged != tokens:
                alternatives = {k: v for c in run for k, v in c.alternatives.items() if k in merged}
                for token in merged:
                    alt = analysis.split_alternative(token) if token not in tokens else None
                    if alt:
                        alternatives[token] = alt
                run = [Clause(field=None, tokens=merged, alternatives=alternatives)]
        out += run
        run = []
        if group is not None:
            out.append(group)
    return out


def _clause(fname: str | None, value: str, is_phrase: bool, result: ParsedQuery) -> Clause | None:
    value = value.strip()
    if not value:
        return None
    if fname is None or fname in TEXT_FIELDS:
        if is_phrase:  # "锂离子 电池" means the characters side by side: cut them as one text
            value = _CJK_SPACE.sub("", value)
        plain = fname is None and not is_phrase  # a plain word's glossary phrase may span the next words
        tokens = analysis.query_tokens(value, glossary=not plain)
        if not tokens:
            return None
        phrase = is_phrase and len(tokens) > 1
        alternatives = {}
        if not phrase:
            for token in tokens:
                alt = analysis.split_alternative(token)
                if alt:
                    alternatives[token] = alt
        return Clause(field=fname, tokens=tokens, phrase=phrase, alternatives=alternatives)
    if fname == "ipc":
        try:
            code = ipc_rules.normalize(value, allow_subclass=True)
        except ipc_rules.IPCError:
            short = value.upper().replace(" ", "")
            if re.fullmatch(r"[A-H](\d{2})?", short):  # a section or class
                code = short
            else:
                result.warnings.append((N_("“{value}” is not an IPC code; try ipc:H01M or ipc:\"H01M 10/052\""), {"value": value}))
                return None
        if code.endswith("/00"):  # a main group: every code in it (the index keeps H01M10 for H01M 10/052)
            code = code.split("/")[0]
        return Clause(field="ipc", value=ipc_key(code))
    if fname == "number":
        try:
            return Clause(field="number", value=str(patent_numbers.parse(value, today=ANY_DAY)).lower())
        except patent_numbers.PatentNumberError:
            return Clause(field="number", value=re.sub(r"\s+", "", value).lower())
    if fname == "year":
        m = re.fullmatch(r"(\d{4})(?:\s*(?:-|–|~|\.\.|至|到)\s*(\d{4}))?", value)
        if not m:
            result.warnings.append((N_("“{value}” is not a year or a range such as 2018-2021"), {"value": value}))
            return None
        low = int(m.group(1))
        high = int(m.group(2) or low)
        return Clause(field="year", value=value, low=min(low, high), high=max(low, high))
    aliases = VALUE_ALIASES.get(fname, {})
    return Clause(field=fname, value=aliases.get(value, aliases.get(value.lower(), value.lower())))


_PUBLICATION = re.compile(r"^CN\d{7,9}[A-Z]\d?$", re.I)


def _looks_like_number(value: str) -> bool:
    if _PUBLICATION.match(value):
        return True
    if not re.fullmatch(r"(?:CN|ZL)?\d{8,12}\.?[\dX]", value, re.I):
        return False
    try:
        patent_numbers.parse(value, today=ANY_DAY)
    except patent_numbers.PatentNumberError:
        return False
    return True


def ipc_key(code: str) -> str:
    """IPC as an index keyword: no space (``H01M10/052``)."""
    return code.replace(" ", "").upper()


def ipc_keys(codes: list[str]) -> list[str]:
    """Every level a patent's IPC codes can be searched by: section, class, subclass, group, code."""
    keys: list[str] = []
    for code in codes:
        full = ipc_key(code)
        for key in (full[:1], full[:3], full[:4], full.split("/")[0], full):
            if key and key not in keys:
                keys.append(key)
    return keys


def build(*, words: str = "", phrase: str = "", title: str = "", applicant: str = "", ipc: str = "",
          year_from: int | None = None, year_to: int | None = None, patent_type: str = "", status: str = "",
          exclude: str = "") -> str:
    """The search-box text for the advanced-search form's fields (the same language ``parse`` reads),
    so that the page shows the query it ran and a user learns the syntax from it."""
    def clean(value: str) -> str:
        return re.sub(r'["\s]+', " ", value or "").strip()

    parts = clean(words).split()
    if clean(phrase):
        parts.append(f'"{clean(phrase)}"')
    parts += [f"title:{w}" for w in clean(title).split()]
    if clean(applicant):
        parts.append(f'applicant:"{clean(applicant)}"')
    for code in re.split(r"[;,，；]+", ipc or ""):
        if clean(code):
            parts.append(f'ipc:"{clean(code)}"' if " " in clean(code) else f"ipc:{clean(code)}")
    if year_from or year_to:
        low, high = year_from or year_to, year_to or year_from
        parts.append(f"year:{min(low, high)}-{max(low, high)}" if low != high else f"year:{low}")
    if patent_type:
        parts.append(f"type:{clean(patent_type)}")
    if status:
        parts.append(f"status:{clean(status)}")
    parts += [f"-{w.lstrip('-')}" for w in clean(exclude).split() if w.lstrip("-")]
    return " ".join(parts)[:500]
