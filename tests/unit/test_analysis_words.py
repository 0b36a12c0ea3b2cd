"""The analyser's per-word cache and glossary index give what cutting every word afresh gives."""

from app.search import analysis

TEXTS = [
    "一种燃料电池电堆的石墨烯导热膜及其制备方法",
    "fuel cell stack with a lithium ion battery; the conveyor belt 皮带机 托辊",
    "燃料電池 高首效 硬碳负极 截齿 预氧化",
    "本发明公开了一种带式输送机，包括托辊和皮带。",
    "",
]


def _afresh(text: str) -> str:
    """segment() as it was written before the cache: every word normalised and split on the spot."""
    words = [(w, analysis.normalize(w)) for w in analysis.jieba.cut(analysis.fold(text), HMM=False)]
    words = [(w, m) for w, m in words if m is not None]
    groups = [analysis._with_subwords(w, m) for w, m in words]
    tokens = [m for _, m in words]
    i = 0
    longest = max((len(k) for k in analysis._phrases), default=1)
    while i < len(tokens):  # the longest glossary phrase at each place, tried at every length
        for n in range(min(longest, len(tokens) - i), 0, -1):
            term = analysis._phrases.get(tuple(tokens[i : i + n]))
            if term is not None:
                groups[i] += [t for t in analysis._with_subwords(term, term) if t not in groups[i]]
                i += n
                break
        else:
            i += 1
    return " ".join("|".join(g) for g in groups)


def test_segmenting_with_the_word_cache_equals_cutting_afresh(monkeypatch):
    analysis.ensure_ready()
    analysis._words.clear()
    cold = [analysis.segment(t) for t in TEXTS]
    warm = [analysis.segment(t) for t in TEXTS]
    assert cold == warm == [_afresh(t) for t in TEXTS]
    assert "lithium|锂离子电池|离子|电池|锂离子" in cold[1].split()  # a glossary phrase holds its term and sub-words
    monkeypatch.setattr(analysis, "WORD_CACHE_MAX", 3)  # full: emptied, and still right
    analysis._words.clear()
    assert [analysis.segment(t) for t in TEXTS] == cold and len(analysis._words) <= 3
    assert analysis.query_tokens("燃料電池 fuel cell") == ["燃料电池", "燃料电池"]
