"""Scoring a technology need against an offer (a listing or a university technology offer).

Plain Python, no Flask: the service builds a :class:`Profile` for each side and calls :func:`score`.
Every factor is a number in [0, 1]. Two of them are **technical evidence** (text, IPC); the others are
**context** (industry, alliance, region, licence kind, price, stage). A score is

    evidence × (1 − CONTEXT_SHARE + CONTEXT_SHARE × context)

with evidence and context the weighted means of their factors: context reorders offers that are
technically relevant but cannot make an irrelevant one relevant (no evidence, no score). A match is
kept only with evidence ≥ MIN_EVIDENCE and notifies only with evidence ≥ NOTIFY_EVIDENCE and text in
common (IPC codes alone never notify). The explanation keeps each factor's weight within its group,
value, contribution and the evidence behind it (shared terms, shared IPC codes, price against budget).

Factors and default weights (``MATCH_WEIGHTS`` in config.py overrides any of them):

========== ====== ===============================================================================
text        0.35  BM25 of the need's terms (the search analyser's words, title words counting double,
                  sub-words half) in the offer's text, over all published offers; 1.0 when the need's
                  TEXT_TERMS_CAP heaviest terms are there at the offers' average length (see :func:`bm25`)
ipc         0.25  the closest IPC pair (see :func:`ipc_level`): same subgroup 1.0, a main group and a code in
                  it 0.8, other subgroups of one main group 0.5, same subclass 0.3 (0.5 when the need named
                  only the subclass), same class 0.1
industry    0.10  same industry 1.0
alliance    0.05  both organisations belong to the same center's alliance 1.0
region      0.05  same city 1.0, same province 0.5
licence     0.05  the offer has a licence kind the need asks for 1.0; no wish given 0.5
budget      0.10  price within budget 1.0, up to 50 % over falls to 0, negotiable or no budget 0.5
stage       0.05  offer's TRL at or above the need's minimum 1.0, one below 0.5; no minimum 0.5
========== ====== ===============================================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_WEIGHTS: dict[str, float] = {
    "text": 0.35, "ipc": 0.25, "industry": 0.10, "alliance": 0.05,
    "region": 0.05, "licence": 0.05, "budget": 0.10, "stage": 0.05,
}
FACTORS = tuple(DEFAULT_WEIGHTS)
EVIDENCE = ("text", "ipc")  # the technical factors; the others are context
CONTEXT_SHARE = 0.25  # context moves a score by at most this share of its evidence
MIN_EVIDENCE = 0.15  # weaker technical evidence is no match
NOTIFY_EVIDENCE = 0.45  # evidence this strong (with words in common) notifies both organisations
NOTIFY_TEXT = 0.3  # ... and at least this text factor: IPC codes alone never notify
TEXT_TERMS_CAP = 12  # the need's heaviest terms, this many, make a perfect text factor
NEUTRAL = 0.5
BM25_K1 = 1.2  # term-frequency saturation (as Whoosh's and Lucene's BM25F default)
BM25_B = 0.75  # length normalisation


@dataclass(frozen=True)
class Profile:
    """One side of a match, as the scorer sees it."""

    terms: frozenset[str] = frozenset()
    tf: Mapping[str, float] = field(default_factory=dict)  # offer: how often each term occurs (1 if absent);
    # need: each term's weight (1 if absent; title words more, sub-words less)
    length: int = 0  # offer: its text's length in terms (0: the average)
    ipc: tuple[str, ...] = ()  # normalised codes ("H01M 10/052") or subclasses ("H01M")
    industry: str = ""
    centers: frozenset[int] = frozenset()  # alliances the organisation belongs to
    region: str = ""
    kinds: frozenset[str] = frozenset()  # offer: kinds offered; need: kinds wanted (empty = any)
    price_fen: int | None = None  # offer only; None = negotiable
    budget_max_fen: int | None = None  # need only
    trl: int | None = None  # offer: its stage; need: the lowest acceptable stage


@dataclass
class Factor:
    name: str
    weight: float
    value: float
    detail: dict = field(default_factory=dict)

    @property
    def contribution(self) -> float:
        return self.weight * self.value


@dataclass
class Match:
    score: float
    factors: list[Factor]  # weights normalised within their group (evidence, context)

    def _mean(self, evidence: bool) -> float:
        return sum(f.contribution for f in self.factors if (f.name in EVIDENCE) == evidence)

    @property
    def evidence(self) -> float:
        return self._mean(True)

    @property
    def context(self) -> float:
        return self._mean(False)

    @property
    def text(self) -> float:
        return next((f.value for f in self.factors if f.name == "text"), 0.0)

    @property
    def relevant(self) -> bool:
        """Enough technical evidence to be a match at all."""
        return self.evidence >= MIN_EVIDENCE

    @property
    def strong(self) -> bool:
        """Evidence strong enough, words in common included, to tell both organisations."""
        return self.evidence >= NOTIFY_EVIDENCE and self.text >= NOTIFY_TEXT

    def explanation(self) -> list[dict]:
        return [
            {"factor": f.name, "group": "evidence" if f.name in EVIDENCE else "context",
             "weight": round(f.weight, 4), "value": round(f.value, 4),
             "contribution": round(f.contribution, 4), **f.detail}
            for f in self.factors
        ]


def combine(evidence: float, context: float) -> float:
    """The score: evidence, moved by context by at most CONTEXT_SHARE of it."""
    return evidence * (1 - CONTEXT_SHARE + CONTEXT_SHARE * context)


def _group_totals(weights: dict[str, float]) -> tuple[float, float]:
    ev = sum(weights[n] for n in EVIDENCE)
    return ev, sum(weights.values()) - ev


def weights_from(config: dict | None) -> dict[str, float]:
    """Defaults overridden by a config mapping; unknown names and negative weights are refused."""
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in (config or {}).items():
        if name not in weights:
            raise ValueError(f"unknown match factor {name!r} (known: {', '.join(FACTORS)})")
        if float(value) < 0:
            raise ValueError(f"match weight {name} is negative")
        weights[name] = float(value)
    if sum(weights[n] for n in EVIDENCE) <= 0:
        raise ValueError("the text and ipc weights sum to zero: a match needs technical evidence")
    return weights


def _group_key(code: str) -> str:
    """``H01M 10/052`` -> ``H01M10``."""
    return code.replace(" ", "").split("/")[0]


def _parts(code: str) -> tuple[str, str, str]:
    """(subclass, main group number, subgroup digits) of ``H01M 10/0525``; a bare subclass gives ('H01M', '', '')."""
    code = code.replace(" ", "")
    sub, _, rest = code[:4], None, code[4:]
    group, _, subgroup = rest.partition("/")
    return sub, group, subgroup


def ipc_level(a: str, b: str) -> float:
    """How close two IPC codes are, 0–1. The same main group is not a full match: its subgroups are
    different techniques (H01M 10/54 recycling, H01M 10/48 battery monitoring).

    1.0 the same subgroup, or one below the other (10/052 and 10/0525: the longer extends the shorter);
    0.8 a main group (x/00) and a code in it; 0.5 other subgroups of one main group, or a bare subclass
    hint and a code in it; 0.3 the same subclass; 0.1 the same class; else 0."""
    if not a or not b:
        return 0.0
    (sa_, ga, ka), (sb, gb, kb) = _parts(a), _parts(b)
    if sa_ != sb:
        return 0.1 if a[:3] == b[:3] else 0.0
    if not ga or not gb:
        return 0.5  # a subclass named alone: the user knew the field, not the group
    if ga != gb:
        return 0.3
    if ka == kb or (len(ka) > 2 and len(kb) > 2 and (ka.startswith(kb) or kb.startswith(ka))):
        return 1.0
    if ka.strip("0") == "" or kb.strip("0") == "":
        return 0.8
    return 0.5


def _ipc(need: Profile, offer: Profile) -> Factor:
    best, pairs = 0.0, []
    for a in need.ipc:
        for b in offer.ipc:
            level = ipc_level(a, b)
            if level > 0:
                pairs.append((level, a, b))
            best = max(best, level)
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return Factor("ipc", 0, best, {"shared_ipc": [f"{a} ~ {b}" for _, a, b in pairs[:5]]})


@dataclass(frozen=True)
class TextStats:
    """The offers' corpus as BM25 needs it: how many offers, in how many each term occurs, average length."""

    docs: int = 0
    df: Mapping[str, int] = field(default_factory=dict)
    avg_length: float = 0.0

    def idf(self, term: str) -> float:
        """Lucene's BM25 idf: ln(1 + (N - n + 0.5) / (n + 0.5)), positive for every n; 1.0 without a corpus.
        A term no offer uses weighs as one used once: it cannot tell offers apart, and at its own idf
        a single odd word in a need would pull every offer's text factor down."""
        if not self.docs:
            return 1.0
        n = max(1, self.df.get(term, 0))
        return math.log(1 + (self.docs - n + 0.5) / (n + 0.5))


NO_STATS = TextStats()


_last_ideal: tuple = (None, None, 0.0)  # (need, stats, value): a ranking asks once per candidate


def ideal_text(need: Profile, stats: TextStats) -> float:
    """What an offer holding the need's TEXT_TERMS_CAP heaviest terms once, at the average length, scores."""
    global _last_ideal
    last_need, last_stats, value = _last_ideal
    if last_need is need and last_stats is stats:
        return value
    weight = need.tf.get
    value = sum(sorted((weight(t, 1) * stats.idf(t) for t in need.terms), reverse=True)[:TEXT_TERMS_CAP])
    _last_ideal = (need, stats, value)
    return value


def bm25(need: Profile, offer: Profile, stats: TextStats = NO_STATS) -> tuple[float, list[str]]:
    """The text factor: BM25 of the need's terms in the offer, divided by what an offer holding the need's
    TEXT_TERMS_CAP heaviest terms once, at the average length, would score; capped at 1; and the shared terms.

    BM25(q, d) = Σ_{t in q∩d} w(t) · idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·len/avg_len)), with w(t) the
    need's weight of the term (``need.tf``, 1 when absent)."""
    if not need.terms:
        return 0.0, []
    shared = sorted(need.terms & offer.terms)
    if not shared:
        return 0.0, shared
    weight = need.tf.get
    ideal = ideal_text(need, stats)
    if ideal <= 0:
        return 0.0, shared
    norm = 1.0
    if offer.length and stats.avg_length:
        norm = 1 - BM25_B + BM25_B * offer.length / stats.avg_length
    total = 0.0
    for t in shared:
        tf = offer.tf.get(t, 1)
        total += weight(t, 1) * stats.idf(t) * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm)
    return min(1.0, total / ideal), shared


def _text(need: Profile, offer: Profile, stats: TextStats = NO_STATS) -> Factor:
    value, shared = bm25(need, offer, stats)
    return Factor("text", 0, value, {"shared_terms": shared[:15]})


def _city(region: str) -> str:
    region = region[len(_province(region)):]  # "山西省太原市小店区" and "太原市万柏林区" share 太原市
    for mark in ("市", "州", "盟"):
        if mark in region:
            return region[: region.index(mark) + 1]
    return region


def _province(region: str) -> str:
    for mark in ("省", "自治区"):
        if mark in region:
            return region[: region.index(mark) + len(mark)]
    return ""


def _region(need: Profile, offer: Profile) -> Factor:
    if not need.region or not offer.region:
        return Factor("region", 0, 0.0)
    if _city(need.region) == _city(offer.region):
        return Factor("region", 0, 1.0, {"region": _city(offer.region)})
    p1, p2 = _province(need.region), _province(offer.region)
    return Factor("region", 0, 0.5 if p1 and p1 == p2 else 0.0)


def _budget(need: Profile, offer: Profile) -> Factor:
    detail = {"price_fen": offer.price_fen, "budget_max_fen": need.budget_max_fen}
    if offer.price_fen is None or need.budget_max_fen is None:
        return Factor("budget", 0, NEUTRAL, {**detail, "budget_fit": "unknown"})
    if offer.price_fen <= need.budget_max_fen:
        return Factor("budget", 0, 1.0, {**detail, "budget_fit": "within"})
    if need.budget_max_fen == 0:
        return Factor("budget", 0, 0.0, {**detail, "budget_fit": "over"})
    over = (offer.price_fen - need.budget_max_fen) / need.budget_max_fen  # 0.5 = 50 % over
    return Factor("budget", 0, max(0.0, 1.0 - over / 0.5), {**detail, "budget_fit": "over"})


def _licence(need: Profile, offer: Profile) -> Factor:
    if not need.kinds:
        return Factor("licence", 0, NEUTRAL)
    common = sorted(need.kinds & offer.kinds)
    return Factor("licence", 0, 1.0 if common else 0.0, {"kinds": common})


def _stage(need: Profile, offer: Profile) -> Factor:
    if need.trl is None or offer.trl is None:
        return Factor("stage", 0, NEUTRAL)
    gap = need.trl - offer.trl
    return Factor("stage", 0, 1.0 if gap <= 0 else 0.5 if gap == 1 else 0.0, {"trl": offer.trl, "min_trl": need.trl})


def score(need: Profile, offer: Profile, weights: dict[str, float] | None = None,
          stats: TextStats = NO_STATS) -> Match:
    """The weighted mean of the factors, explained. ``stats``: the offers' corpus for the text factor's
    BM25 (without it every term weighs the same and length does not count)."""
    weights = weights or DEFAULT_WEIGHTS
    shared_centers = sorted(need.centers & offer.centers)
    factors = [
        _text(need, offer, stats),
        _ipc(need, offer),
        Factor("industry", 0, 1.0 if need.industry and need.industry == offer.industry else 0.0),
        Factor("alliance", 0, 1.0 if shared_centers else 0.0, {"centers": shared_centers}),
        _region(need, offer),
        _licence(need, offer),
        _budget(need, offer),
        _stage(need, offer),
    ]
    ev_total, ctx_total = _group_totals(weights)
    for f in factors:
        total = ev_total if f.name in EVIDENCE else ctx_total
        f.weight = weights[f.name] / total if total else 0.0
    m = Match(score=0.0, factors=factors)
    m.score = combine(m.evidence, m.context) if ctx_total else m.evidence  # no context weighed: evidence alone
    return m


IPC_CANDIDATE = 0.5  # an IPC pair this close (the same main group, or a subclass hint) brings a candidate


class OfferIndex:
    """Offers' profiles with an inverted index on terms, IPC main groups and subclasses.

    A match needs evidence about the technology: at least one shared term or one IPC pair at
    IPC_CANDIDATE or closer. The index finds exactly those offers, so a need is scored against its
    candidates only, not against every offer (industry, region and price alone never make a match)."""

    def __init__(self, offers: list[tuple[int, Profile]]) -> None:
        self.offers = dict(offers)
        self.by_term: dict[str, set[int]] = {}
        self.by_group: dict[str, set[int]] = {}
        self.by_subclass: dict[str, set[int]] = {}
        self.by_bare_subclass: dict[str, set[int]] = {}  # offers giving only a subclass
        for key, p in offers:
            for t in p.terms:
                self.by_term.setdefault(t, set()).add(key)
            for code in p.ipc:
                self.by_subclass.setdefault(code[:4], set()).add(key)
                if "/" in code:
                    self.by_group.setdefault(_group_key(code), set()).add(key)
                else:
                    self.by_bare_subclass.setdefault(code[:4], set()).add(key)
        lengths = [p.length or len(p.terms) for _, p in offers]
        self.stats = TextStats(docs=len(offers), df={t: len(keys) for t, keys in self.by_term.items()},
                               avg_length=sum(lengths) / len(lengths) if lengths else 0.0)

    # A term in more than this share of the offers (and of at least COMMON_MIN offers) is too common to
    # bring candidates on its own; it still counts in the text factor of the candidates found otherwise.
    COMMON_SHARE = 0.05
    COMMON_MIN = 200

    def _rare(self, need: Profile) -> set[str]:
        cap = max(self.COMMON_MIN, self.COMMON_SHARE * len(self.offers))
        return {t for t in need.terms if len(self.by_term.get(t, ())) <= cap}

    def candidates(self, need: Profile) -> set[int]:
        rare = self._rare(need)
        out: set[int] = set().union(*(self.by_term.get(t, set()) for t in (rare or need.terms)))
        for code in need.ipc:  # a main group's codes, or a subclass hint's
            if "/" in code:
                out |= self.by_group.get(_group_key(code), set()) | self.by_bare_subclass.get(code[:4], set())
            else:
                out |= self.by_subclass.get(code[:4], set())
        return out

    def has_evidence(self, need: Profile, offer: Profile) -> bool:
        """Whether :meth:`candidates` would find ``offer`` for ``need`` (the offer need not be indexed)."""
        rare = self._rare(need)
        if (rare or need.terms) & offer.terms:
            return True
        return any(ipc_level(a, b) >= IPC_CANDIDATE for a in need.ipc for b in offer.ipc)

    def rank(self, need: Profile, weights: dict[str, float] | None = None, limit: int | None = None,
             exclude: set[int] | frozenset[int] = frozenset(), min_evidence: float = MIN_EVIDENCE) -> list[tuple[int, Match]]:
        """Candidates with technical evidence ≥ ``min_evidence``, by :func:`quick_score`; the full explained
        :func:`score` only for the ones returned."""
        weights = weights or DEFAULT_WEIGHTS
        quick = []
        for key in self.candidates(need) - set(exclude):
            evidence, value = _quick(need, self.offers[key], weights, self.stats, min_evidence)
            if evidence >= min_evidence:
                quick.append((value, key))
        quick.sort(key=lambda pair: (-pair[0], pair[1]))
        kept = quick[:limit] if limit else quick
        return [(key, score(need, self.offers[key], weights, self.stats)) for _, key in kept]


def _quick(need: Profile, offer: Profile, weights: dict[str, float], stats: TextStats,
           min_evidence: float = 0.0) -> tuple[float, float]:
    """(evidence, score) as :func:`score` computes them, without the explanation (the score is not
    computed, 0, when the evidence is below ``min_evidence``)."""
    ev_total, ctx_total = _group_totals(weights)
    text = bm25(need, offer, stats)[0]
    ipc = max((ipc_level(a, b) for a in need.ipc for b in offer.ipc), default=0.0)
    evidence = (weights["text"] * text + weights["ipc"] * ipc) / ev_total
    if evidence < min_evidence or not evidence or not ctx_total:
        return evidence, (0.0 if evidence < min_evidence else evidence)
    context = (weights["industry"] * (1.0 if need.industry and need.industry == offer.industry else 0.0)
               + weights["alliance"] * (1.0 if need.centers & offer.centers else 0.0)
               + weights["region"] * _region(need, offer).value + weights["licence"] * _licence(need, offer).value
               + weights["budget"] * _budget(need, offer).value + weights["stage"] * _stage(need, offer).value)
    return evidence, combine(evidence, context / ctx_total)


def quick_score(need: Profile, offer: Profile, weights: dict[str, float], stats: TextStats = NO_STATS) -> float:
    """The same number as ``score(need, offer, weights, stats).score``, without building the explanation."""
    return _quick(need, offer, weights, stats)[1]
