"""Every match of a word query with its BM25F score, read straight from Whoosh's posting blocks.

Whoosh walks a query with a tree of matcher objects, a few Python calls per posting and per
level, then scores each match through more calls (about 5 µs a posting; 21,000 matches of 系统
took 60–120 ms at 100k patents, and block skipping cut almost nothing: the top ten of a common
word are close to every other match). This module evaluates the same query another way: a
term's postings are read a block at a time (document numbers and weights as arrays), scored in
one tight loop against the segment's field lengths (decoded once per segment and kept), and the
terms are combined with dictionaries (AND: sum over the common documents, OR: sum over all).
The result is every match with the score Whoosh gives it (same idf, average length, B and K1
from Whoosh's own objects), so the top ten are exact and the count is exact, in a fraction of
the time.

Only the query shapes the search page compiles are evaluated (terms, AND, OR, AND NOT); a phrase
or anything else returns None and the caller uses Whoosh's own matchers. No Flask import here.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.scoring import BM25F
from whoosh.util.numlists import delta_decode
from whoosh.util.numeric import byte_to_length

_LENGTH_OF_BYTE = [byte_to_length(i) for i in range(256)]


def _byte(value) -> int:
    return value if isinstance(value, int) else value[0]


class Unsupported(Exception):
    """A query this module does not evaluate (a phrase …): use Whoosh's matchers."""


class SegmentData:
    """What a segment's searches share: its field lengths as bytes, by field (a segment never changes,
    so ``lengths`` may be kept from one searcher to the next)."""

    def __init__(self, reader, lengths: dict[str, bytes] | None = None) -> None:
        self.reader = reader
        self._lengths = {} if lengths is None else lengths

    def lengths(self, fieldname: str) -> bytes:
        found = self._lengths.get(fieldname)
        if found is None:
            n = self.reader.doc_count_all()
            found = self._lengths[fieldname] = length_bytes(self.reader._perdoc, n, fieldname) or bytes(n)
        return found


def length_bytes(perdoc, n: int, fieldname: str) -> bytes | None:
    """A field's stored length bytes for the ``n`` documents of a segment (Whoosh's per-document
    reader), read at once; None when the segment has no length column for the field."""
    creader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if hasattr(perdoc, "_cached_reader") else None
    if creader is None:
        return None
    if getattr(creader, "_fixedlen", None) == 1 and hasattr(creader, "_basepos"):
        # one byte a document, stored in a row: read it at once (padded: unwritten tail = 0)
        count = min(creader._count, n)
        return bytes(creader._dbfile.get(creader._basepos, count)) + bytes(n - count)
    return bytes(_byte(creader[i]) for i in range(n))


def supported(q: wq.Query) -> bool:
    """Whether :func:`evaluate` reads ``q`` itself; other parts (a phrase …) are walked by Whoosh's
    own matcher inside it, so any query can be evaluated."""
    if isinstance(q, wq.Term):
        return True
    if type(q) in (wq.And, wq.Or) and not getattr(q, "scale", None):
        return all(supported(s) for s in q.subqueries)
    if isinstance(q, wq.AndNot):
        return supported(q.a) and supported(q.b)
    return False


def evaluate(searcher, q: wq.Query, segments: list[SegmentData]) -> dict[int, float]:
    """Every live document matching ``q`` (global document number) with its score.
    ``segments``: one :class:`SegmentData` for each of the searcher's leaves, in order."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F:
        raise Unsupported("weighting")
    out: dict[int, float] = {}
    for (leaf, offset), data in zip(searcher.leaf_searchers(), segments):
        reader = leaf.reader()
        scores = _Leaf(leaf, reader, data, searcher, weighting).eval(q, None)
        if reader.has_deletions():
            for d in reader._perdoc.deleted_docs():
                scores.pop(d, None)
        if offset:
            out.update({d + offset: sc for d, sc in scores.items()})
        else:
            out.update(scores)
    return out


class _Leaf:
    """One segment's evaluation; document numbers are the segment's own."""

    def __init__(self, leaf, reader, data: SegmentData, top, weighting: BM25F) -> None:
        self.leaf, self.reader, self.data, self.top, self.weighting = leaf, reader, data, top, weighting

    def eval(self, q: wq.Query, restrict: list[int] | None) -> dict[int, float]:
        """The matches of ``q`` with their scores; only among ``restrict`` (sorted) when given."""
        if isinstance(q, wq.Term):
            return self.term(q, restrict)
        if isinstance(q, wq.AndNot):
            positive = self.eval(q.a, restrict)
            if positive:
                for d in self.eval(q.b, sorted(positive)):
                    positive.pop(d, None)
            return _boosted(positive, q.boost)
        if type(q) is wq.And and not getattr(q, "scale", None):
            return self.intersection(q, restrict)
        if type(q) is wq.Or and not getattr(q, "scale", None):
            result: dict[int, float] = {}
            for part in sorted((self.eval(sub, restrict) for sub in q.subqueries), key=len, reverse=True):
                if not result:
                    result = dict(part)
                    continue
                for d, t in part.items():
                    sc = result.get(d)
                    result[d] = t if sc is None else sc + t
            return _boosted(result, q.boost)
        return self.generic(q, restrict)

    def intersection(self, q: wq.And, restrict: list[int] | None) -> dict[int, float]:
        """The rarest part first; the others are read only where it matched (blocks without a
        candidate are skipped unread)."""
        subs = sorted(q.subqueries, key=lambda sub: sub.estimate_size(self.reader))
        if not subs:
            return {}
        result = self.eval(subs[0], restrict)
        for sub in subs[1:]:
            if not result:
                return {}
            other = self.eval(sub, sorted(result))
            get = other.get
            result = {d: sc + t for d, sc in result.items() if (t := get(d)) is not None}
        return _boosted(result, q.boost)

    def generic(self, q: wq.Query, restrict: list[int] | None) -> dict[int, float]:
        """Whoosh's own matcher for a part this module does not read (a phrase …)."""
        m = q.matcher(self.leaf)
        out: dict[int, float] = {}
        if restrict is None:
            while m.is_active():
                out[m.id()] = m.score()
                m.next()
            return out
        for d in restrict:
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    break
            if m.id() == d:
                out[d] = m.score()
        return out

    def term(self, q: wq.Term, restrict: list[int] | None) -> dict[int, float]:
        top, reader = self.top, self.reader
        fieldname = q.fieldname
        if fieldname not in top.schema:
            return {}
        field = top.schema[fieldname]
        try:
            btext = field.to_bytes(q.text)
        except ValueError:
            return {}
        if (fieldname, btext) not in reader:
            return {}
        m = reader._terms.matcher(fieldname, btext, field.format, scorer=None)
        boost = q.boost
        if field.scorable:
            weighting = self.weighting
            B = weighting._field_B.get(fieldname, weighting.B)
            K1 = weighting.K1
            idf = top.idf(fieldname, btext)
            avgfl = top.avg_field_length(fieldname) or 1
            lengths = self.data.lengths(fieldname)
            table = _LENGTH_OF_BYTE
            # bm25(idf, tf, fl, avgfl, B, K1) as whoosh.scoring writes it, times the term's boost
            norm = [K1 * ((1 - B) + B * table[b] / avgfl) for b in range(256)]
            c = K1 + 1

            def score(d, w):
                return boost * (idf * ((w * c) / (w + norm[lengths[d]])))
        else:
            def score(d, w):
                return boost * w

        if not isinstance(m, W3LeafMatcher):  # another codec: the generic matcher, unscored by us
            out = {}
            while m.is_active():
                d = m.id()
                out[d] = score(d, m.weight())
                m.next()
            return out if restrict is None else {d: out[d] for d in restrict if d in out}

        out = {}
        wanted = restrict
        i = 0  # the next candidate in ``wanted``
        while m.is_active():
            if wanted is not None:
                if i >= len(wanted):
                    break
                if m._maxid < wanted[i]:  # no candidate in this block: skip it without reading its data
                    m._next_block()
                    continue
            if m._data is None:
                m._read_data()
            raw_ids, raw_weights = m._data[0], m._data[1]
            ids = raw_ids if m._byteids else tuple(delta_decode(raw_ids))
            if raw_weights is None:
                weights = (1.0,) * len(ids)
            elif isinstance(raw_weights, (int, float)):
                weights = (float(raw_weights),) * len(ids)
            else:
                weights = raw_weights
            if wanted is None:
                out.update({d: score(d, w) for d, w in zip(ids, weights)})
            else:
                block = dict(zip(ids, weights))
                maxid = m._maxid
                while i < len(wanted) and wanted[i] <= maxid:
                    d = wanted[i]
                    w = block.get(d)
                    if w is not None:
                        out[d] = score(d, w)
                    i += 1
            m._next_block()
        return out


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    if boost != 1.0:
        return {d: sc * boost for d, sc in scores.items()}
    return scores
