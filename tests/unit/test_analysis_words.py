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


EDGE_TEXTS = [
    "", " ", "a", "1", "中", "abc def\r\n x1 y", "\t\n中\u3000文\r\n\r\n", "H01M 10/0525 锂离子电池 (2010.01)",
    "ａｂｃ１２３ 全角", "燃料电池电堆和PEMFC-3.5kW#1&2_%x", "特斯拉Model3电池包", "2021年12月3日，S1、S2步骤",
    "龘靐齉爩", "US10312345B2、EP3123456A1", "的的的的的的", "一种" * 300,
]


def test_cut_words_gives_jiebas_words(tmp_path):
    """The analyser's own cutter yields what jieba.cut(HMM=False) yields: on the benchmark's generated
    patents (the demo seeder's titles, abstracts and applicants), the demo's vocabulary and odd input."""
    import csv

    from app.demo import vocab
    from tests import bench_support

    bench = bench_support.load("search")
    bench.generate_csv(tmp_path / "p.csv", 600, seed=11)
    with open(tmp_path / "p.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    texts = [cell for row in rows for cell in (row[2], row[3], row[6])]
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | list | tuple):
            for v in value.values() if isinstance(value, dict) else value:
                yield from strings(v)

    texts += list(strings(vocab.TOPICS)) + TEXTS + EDGE_TEXTS
    analysis.ensure_ready()
    for text in texts:
        folded = analysis.fold(text)
        assert analysis.cut_words(folded) == list(analysis.jieba.cut(folded, HMM=False)), text
    assert len(texts) > 1800


def test_cut_words_breaks_a_tie_as_jieba_does(monkeypatch):
    """Two routes of exactly the same probability (甲|乙丙 and 甲乙|丙): jieba takes the longer first word."""
    analysis.ensure_ready()
    freq = {"甲": 2, "甲乙": 3, "乙": 0, "乙丙": 3, "丙": 2, "丁": 0}  # 0: only the start of a longer word
    monkeypatch.setattr(analysis.jieba.dt, "FREQ", freq)
    monkeypatch.setattr(analysis.jieba.dt, "total", 100)
    for text in ("甲乙丙", "丁丁甲乙丙x1y", "甲乙丙 甲"):
        assert analysis.cut_words(text) == list(analysis.jieba.cut(text, HMM=False))
    assert analysis.cut_words("甲乙丙") == ["甲乙", "丙"]
