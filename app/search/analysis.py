"""Text analysis for the index: jieba for Chinese, Porter stems for English.

Text is segmented once, when a document is indexed, into a compact string that both backends
read: tokens separated by spaces, and the sub-words jieba's search mode finds inside a long word
joined to it with ``|`` so they share its position (``锂离子|离子 电池``). A query is cut in
jieba's precise mode, so ``电池`` finds ``锂电池`` and a quoted phrase still matches positions.

We call ``jieba.cut`` ourselves rather than ``jieba.analyse.ChineseAnalyzer``: importing
``jieba.analyse`` costs about half a second and 130 MB per process (see SEARCH.md).
No Flask import here.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
from whoosh.lang.porter import stem as _porter_stem

USER_DICT = Path(__file__).with_name("userdict.txt")

# Words too common in patent text to help a search; dropped at index and at query time alike.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 其 及其 在 是 为 对 于 由 将 把 被 以 中 上 下 内 一种 一 个 该 所述 其中 包括 包含
    本 本发明 本实用新型 本外观设计 发明 公开 涉及 一个 多个 至少 用于 使 使得 通过 具有 设有 所 等 并 且 而 从
    a an and are as at be by for from in is it of on or that the this to with which wherein said""".split()
)

_ASCII_WORD = re.compile(r"^[a-z][a-z0-9]*$")
_KEEP = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]", re.I)  # a token needs one letter, digit or hanzi
_SPACE = re.compile(r"\s+")
_init_lock = threading.Lock()
_ready = False


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
        if USER_DICT.exists():
            jieba.load_userdict(str(USER_DICT))
        _ready = True


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
    """The 2- and 3-character dictionary words inside a longer word (jieba's search mode)."""
    freq = jieba.dt.FREQ
    out = []
    for n in (2, 3):
        if len(word) > n:
            for i in range(len(word) - n + 1):
                gram = word[i : i + n]
                if freq.get(gram) and gram not in out and gram != word:
                    out.append(gram)
    return out


def segment(text: str) -> str:
    """Index form of ``text``: space-separated positions, sub-words joined with ``|``."""
    ensure_ready()
    if not text:
        return ""
    groups: list[str] = []
    for word in jieba.cut(text, HMM=False):
        main = normalize(word)
        if main is None:
            continue
        if len(word) > 2 and not word.isascii():
            subs = [s for s in (normalize(x) for x in _subwords(word)) if s and s != main]
            if subs:
                groups.append("|".join([main, *subs]))
                continue
        groups.append(main)
    return " ".join(groups)


def query_tokens(text: str) -> list[str]:
    """A query's words in index form, in order (precise mode, no sub-words)."""
    ensure_ready()
    out = []
    for word in jieba.cut(_SPACE.sub(" ", text or ""), HMM=False):
        token = normalize(word)
        if token:
            out.append(token)
    return out


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
