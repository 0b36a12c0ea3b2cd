"""Text analysis for the index and the matcher: jieba for Chinese, Porter stems for English.

Text is segmented once, when a document is indexed, into a compact string that both backends
read: tokens separated by spaces, and the sub-words found inside a long word joined to it with
``|`` so they share its position (``燃料电池电堆|燃料电池|电池|电堆``). A query is cut in jieba's
precise mode, so ``电池`` finds ``锂电池`` and a quoted phrase still matches positions.

What the analyser knows (the files in ``dict/``, see :mod:`.dictionary`): the industries' technical
terms (kept whole: 截齿, 高首效, 预氧化), chatty words dropped like stop words (我们, 有没有, 怎么办),
and a glossary: an English phrase or a colloquial word stands for its Chinese technical term, in
documents (the term is added at the phrase's position) and in queries (the phrase becomes the term),
so an English need finds Chinese listings and the reverse, and 皮带机 finds 带式输送机. Traditional characters are folded to simplified
(OpenCC t2s) before anything else, in documents and queries alike.

:data:`VERSION` changes whenever the analysis does (the code's revision or a word list); an index
built with another version is rebuilt (:mod:`.maintenance`).

We call ``jieba.cut`` ourselves rather than ``jieba.analyse.ChineseAnalyzer``: importing
``jieba.analyse`` costs about half a second and 130 MB per process (see SEARCH.md).
No Flask import here.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import opencc
from whoosh.lang.porter import stem as _porter_stem

DICT_DIR = Path(__file__).with_name("dict")
USER_DICTS = ("industry.txt", "vocab.txt", "mined.txt")  # jieba user-dictionary lines: word [freq] [tag]
IPC_TERMS = DICT_DIR / "ipc.txt"
GLOSSARY = DICT_DIR / "glossary.txt"
CHATTY = DICT_DIR / "stopwords.txt"
REVISION = "5"  # bump when the code below, or the fields a document is indexed with, change what an index holds
MAX_SUBWORD_SOURCE = 12  # sub-words are looked for inside words up to this long

# Words too common in patent text to help a search; dropped at index and at query time alike.
PATENT_STOPWORDS = frozenset(
    """的 了 和 与 及 或 其 及其 在 是 为 对 于 由 将 把 被 以 中 上 下 内 一种 一 个 该 所述 其中 包括 包含
    本 本发明 本实用新型 本外观设计 发明 公开 涉及 一个 多个 至少 用于 使 使得 通过 具有 设有 所 等 并 且 而 从
    a an and are as at be by for from in is it of on or that the this to with which wherein said we our us i my
    how what can could would need want looking find any""".split()
)

_ASCII_WORD = re.compile(r"^[a-z][a-z0-9]*$")
_KEEP = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]", re.I)  # a token needs one letter, digit or hanzi
_SPACE = re.compile(r"\s+")
_init_lock = threading.Lock()
_ready = False
_t2s = opencc.OpenCC("t2s")


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _version() -> str:
    h = hashlib.sha1(REVISION.encode(), usedforsecurity=False)  # a version tag, not a secret
    for path in [*(DICT_DIR / n for n in USER_DICTS), IPC_TERMS, GLOSSARY, CHATTY]:
        h.update(path.name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    h.update(" ".join(sorted(PATENT_STOPWORDS)).encode())
    return h.hexdigest()[:12]


VERSION = _version()
STOPWORDS = PATENT_STOPWORDS | frozenset(w for line in _lines(CHATTY) for w in line.split())


def ipc_terms() -> list[str]:
    """The terms of dict/ipc.txt's group titles (``C01B 32 碳材料；石墨烯`` -> 碳材料, 石墨烯)."""
    out = []
    for line in _lines(IPC_TERMS):
        parts = line.split(None, 2)
        if len(parts) == 3:
            out += [t.strip() for t in parts[2].split("；") if t.strip()]
    return out


def ensure_ready() -> None:
    """Load jieba's dictionary (≈ 0.5–1 s, once per process) and our industry words."""
    global _ready
    if _ready:
        return
    with _init_lock:
        if _ready:
            return
        jieba.setLogLevel(60)  # jieba prints "Building prefix dict…" at INFO to stderr
        jieba.initialize()
        for name in USER_DICTS:
            if (DICT_DIR / name).exists():
                jieba.load_userdict(str(DICT_DIR / name))
                _terms.update(fold(line.split()[0]) for line in _lines(DICT_DIR / name))
        for term in ipc_terms():
            if not term.isascii() and not jieba.dt.FREQ.get(term):
                jieba.add_word(term)
            _terms.add(fold(term))
        _load_glossary()
        _terms.update(_phrases.values())
        # What is loaded now lives as long as the process: out of the collector's full passes, which
        # otherwise walked it all now and then mid-search (5 pauses of up to 150 ms in 600 searches).
        gc.collect()
        gc.freeze()
        _ready = True


_terms: set[str] = set()  # the technical terms our word lists name (not jieba's general dictionary)


def is_term(token: str) -> bool:
    """Whether a token (index form) is one of the industries' technical terms, a glossary term included."""
    ensure_ready()
    return token in _terms


def fold(text: str) -> str:
    """NFKC and traditional → simplified: the form every text is analysed in."""
    return _t2s.convert(unicodedata.normalize("NFKC", text)) if text else ""


@lru_cache(maxsize=20000)
def _stem(word: str) -> str:
    return _porter_stem(word)


def normalize(token: str) -> str | None:
    """One token as the index stores it: NFKC, lower case, English stemmed; None when dropped."""
    token = unicodedata.normalize("NFKC", token).strip().lower()
    if not token or not _KEEP.search(token) or token in STOPWORDS:
        return None
    if _ASCII_WORD.match(token) and not token[-1].isdigit():
        token = _stem(token)
    return token.replace("|", "").replace("'", "").replace("\\", "") or None


def _subwords(word: str) -> list[str]:
    """The dictionary words of every length inside a longer word: 燃料电池电堆 -> 燃料, 燃料电池, 电池, 电堆 …"""
    freq = jieba.dt.FREQ
    out = []
    if len(word) > MAX_SUBWORD_SOURCE:
        return out
    for n in range(2, len(word)):
        for i in range(len(word) - n + 1):
            gram = word[i : i + n]
            if freq.get(gram) and gram not in out:
                out.append(gram)
    return out


def subwords(token: str) -> list[str]:
    """The dictionary words inside a token, in index form (what :func:`segment` adds at its position)."""
    ensure_ready()
    return _with_subwords(token, token)[1:]


def _with_subwords(word: str, main: str) -> list[str]:
    if len(word) > 2 and not word.isascii():
        return [main, *(s for s in (normalize(x) for x in _subwords(word)) if s and s != main)]
    return [main]


# ---- the glossary ------------------------------------------------------------------------

_phrases: dict[tuple[str, ...], str] = {}  # an English phrase's tokens -> its Chinese term (index form)
_terms_en: dict[str, list[str]] = {}  # a Chinese term -> its English phrases, as written
_phrase_starts: dict[str, int] = {}  # a phrase's first token -> the longest phrase starting with it


def _load_glossary() -> None:
    for line in _lines(GLOSSARY):
        zh, _, en = line.partition("=")
        zh = normalize(fold(zh.strip()))
        if not zh:
            continue
        for phrase in (p.strip() for p in en.split(";")):
            key = tuple(t for t in (normalize(w) for w in cut_words(fold(phrase.lower()))) if t)
            if len(key) == 1 and len(key[0]) == 1:
                continue  # "太热" without its stop word is 热: one character stands for too much
            if key and key != (zh,) and key not in _phrases:  # the first term listed for a phrase wins
                _phrases[key] = zh
                _phrase_starts[key[0]] = max(_phrase_starts.get(key[0], 0), len(key))
            if phrase:
                _terms_en.setdefault(zh, []).append(phrase)


def also_called(term: str) -> list[str]:
    """The glossary's other names (English, colloquial) of a term, as written."""
    ensure_ready()
    return list(_terms_en.get(term, []))


def _glossary_runs(tokens: list[str]):
    """Yield (start, length, Chinese term) for the longest glossary phrases in a token sequence."""
    i = 0
    while i < len(tokens):
        longest = _phrase_starts.get(tokens[i])
        if longest:
            for n in range(min(longest, len(tokens) - i), 0, -1):
                term = _phrases.get(tuple(tokens[i : i + n]))
                if term is not None:
                    yield i, n, term
                    i += n
                    break
            else:
                i += 1
        else:
            i += 1


# What a word jieba cut becomes, kept per word: (its index form or None, the tokens at its position).
# Words repeat from text to text (6,000 patent texts: 317k words, a few tens of thousands distinct), and
# normalising them and finding their sub-words was 35 % of what segmenting a patent cost. Filled after
# the dictionaries are loaded, which never change afterwards; cleared when it reaches WORD_CACHE_MAX.
WORD_CACHE_MAX = 200_000
_words: dict[str, tuple[str | None, tuple[str, ...]]] = {}


def _word(word: str) -> tuple[str | None, tuple[str, ...]]:
    hit = _words.get(word)
    if hit is None:
        main = normalize(word)
        hit = (main, tuple(_with_subwords(word, main)) if main is not None else ())
        if len(_words) >= WORD_CACHE_MAX:
            _words.clear()
        _words[word] = hit
    return hit


# ---- cutting -------------------------------------------------------------------------------
# jieba.cut(text, HMM=False) with the same words, about twice as fast: cutting was nine tenths of what
# segmenting a patent cost, and segmenting is the ceiling of an index rebuild. The same blocks
# (jieba's own patterns), the same best route through the dictionary's words
# (the most probable by the same sums of the same logarithms, a tie to the longer word), the same
# runs of single letters and digits joined; it skips jieba's per-character DAG dictionary and
# generator, and takes each frequency's logarithm once (jieba takes it for every candidate).
# tests/unit/test_analysis_words.py compares the two on the demo's and the benchmark's texts.
_HAN_BLOCK, _SKIP_BLOCK, _ONE_ALNUM = jieba.re_han_default, jieba.re_skip_default, jieba.re_eng
_NO_ROUTE = float("-inf")
# jieba's dictionary total, its logarithm, and each word frequency's log(frequency) - log(total) taken
# with it; replaced as a whole when the total changes (jieba.add_word changes it)
_log_probs: tuple[int, float, dict[int, float]] = (0, 0.0, {})


def _route(block: str, freq: dict[str, int], log_total: float, log_prob: dict[int, float]) -> list[str]:
    """The words of one block of hanzi, letters and digits, as jieba's __cut_DAG_NO_HMM yields them."""
    n = len(block)
    best = [0.0] * (n + 1)  # the best route's log probability from each position to the end
    ends = [0] * (n + 1)  # where the first word of that route ends
    get = freq.get
    for k in range(n - 1, -1, -1):
        top = _NO_ROUTE
        end = k + 1
        for i in range(k + 1, n + 1):
            f = get(block[k:i])
            if f is None:  # not a word nor the start of one: no longer word starts here
                break
            if f:  # a word (0: only a prefix of longer words)
                lp = log_prob.get(f)
                if lp is None:
                    lp = log_prob[f] = math.log(f) - log_total
                p = lp + best[i]
                if p >= top:
                    top, end = p, i
        if top == _NO_ROUTE:  # no word starts here: the character alone, with frequency 1
            top = -log_total + best[k + 1]
        best[k] = top
        ends[k] = end
    out: list[str] = []
    letters = ""
    x = 0
    while x < n:
        y = ends[x]
        word = block[x:y]
        if y - x == 1 and _ONE_ALNUM.match(word):
            letters += word
        else:
            if letters:
                out.append(letters)
                letters = ""
            out.append(word)
        x = y
    if letters:
        out.append(letters)
    return out


def cut_words(text: str) -> list[str]:
    """``list(jieba.cut(text, HMM=False))``, faster (see above); after :func:`ensure_ready`."""
    global _log_probs
    dt = jieba.dt
    if _log_probs[0] != dt.total:
        _log_probs = (dt.total, math.log(dt.total), {})
    _, log_total, log_prob = _log_probs
    freq = dt.FREQ
    out: list[str] = []
    for block in _HAN_BLOCK.split(text):
        if not block:
            continue
        if _HAN_BLOCK.match(block):
            out += _route(block, freq, log_total, log_prob)
        else:
            for part in _SKIP_BLOCK.split(block):
                if _SKIP_BLOCK.match(part):
                    out.append(part)
                else:
                    out.extend(part)
    return out


def _cut(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(index form, the tokens at its position) for the words jieba cuts that are kept."""
    out = []
    for word in cut_words(fold(text)):
        main, group = _word(word)
        if main is not None:
            out.append((main, group))
    return out


def segment(text: str) -> str:
    """Index form of ``text``: space-separated positions, sub-words joined with ``|``; a glossary phrase
    (English, or a colloquial Chinese word) also holds its term (and the term's sub-words) at its first position."""
    ensure_ready()
    if not text:
        return ""
    words = _cut(text)
    groups = [group for _, group in words]
    for start, _n, term in _glossary_runs([main for main, _ in words]):
        groups[start] += tuple(t for t in _with_subwords(term, term) if t not in groups[start])
    return " ".join("|".join(g) for g in groups)


def index_tokens(text: str) -> list[str]:
    """Every token :func:`segment` indexes for ``text``, sub-words included (the matcher's offer side)."""
    return [token for _, token in iter_positions(segment(text))]


def query_tokens(text: str, glossary: bool = True) -> list[str]:
    """A query's words in index form, in order (precise mode, no sub-words); a glossary phrase (English,
    or a colloquial Chinese word) becomes its term."""
    ensure_ready()
    tokens = [main for main, _ in _cut(_SPACE.sub(" ", text or ""))]
    return apply_glossary(tokens) if glossary else tokens


def apply_glossary(tokens: list[str]) -> list[str]:
    """Index-form tokens with each glossary phrase replaced by its term (``fuel cell`` -> 燃料电池)."""
    ensure_ready()
    out, i = [], 0
    for start, n, term in _glossary_runs(tokens):
        out += tokens[i:start] + [term]
        i = start + n
    return out + tokens[i:]


def split_alternative(word: str) -> list[str] | None:
    """How ``word`` reads as smaller dictionary words (``太原理工`` -> ``太原 理工``), or None.

    A document may have been cut differently around the same characters (``太原 理工大学``); the
    query then also tries the smaller words as a phrase.
    """
    ensure_ready()
    if len(word) < 3 or word.isascii():
        return None
    dt = jieba.dt
    dag = dt.get_DAG(word)
    dag[0] = [end for end in dag[0] if end != len(word) - 1] or [0]
    route: dict = {}
    dt.calc(word, dag, route)
    parts, i = [], 0
    while i < len(word):
        end = route[i][1] + 1
        parts.append(word[i:end])
        i = end
    tokens = [t for t in (normalize(p) for p in parts) if t]
    return tokens if len(tokens) > 1 else None


def iter_positions(segmented: str):
    """Yield (position, token) pairs of a segmented string; sub-words share their word's position."""
    for pos, group in enumerate(segmented.split()):
        if "|" in group:
            for token in group.split("|"):
                if token:
                    yield pos, token
        else:
            yield pos, group
