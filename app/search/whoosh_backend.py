"""The Whoosh backend: files under SEARCH_INDEX_DIR, one searcher per process.

Layout: ``<base>/CURRENT`` names the live index directory (``<base>/ix-…``). A rebuild writes a
new directory and replaces CURRENT atomically; every process notices and reopens.

Tuning that SEARCH.md measured: text arrives segmented (analysis.segment), so fields index it
by splitting on spaces — our own Format skips Whoosh's analyzer and Token objects; the title
is a second, small field that a query boosts; facets come from one column, decoded once per
segment into a table counted in one pass over the matches; nothing large is stored (hits are
loaded from the database).

Measured at 100k patents (bench/search.py): visibility is subtracted (the few unpublished
docnums) rather than ANDed, costly alternative phrases are left out, and count and facets share
one pass over the matches — together p95 went from seconds to a couple of hundred ms.
"""

from __future__ import annotations

import heapq
import logging
import os
import shutil
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date
from functools import partial
from itertools import chain
from pathlib import Path
from sys import intern

from whoosh import collectors, columns, fields, formats, index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.system import pack_uint
from whoosh.sorting import FieldFacet

from . import analysis, segment_cache, whoosh_fast
from . import applicants as applicant_queries
from .backend import (
    Hit,
    SearchBackend,
    SearchDoc,
    SearchRequest,
    SearchResult,
    group_facets,
    parse_key,
    sample_of,
)
from .query import AnyOf, AtLeast, Clause, ParsedQuery, alternative_worth_it
from .whoosh_build import TermPoolWriter

log = logging.getLogger(__name__)

FACET_SEP = b"\x1f"
VERSION_FILE = "ANALYSIS"  # in each index directory: the analysis version its documents were segmented with
EPOCH = date(1970, 1, 1)
# facet field -> index field holding its values
FACET_INDEX_FIELD = {"kind": "kind", "office": "office", "type": "type", "status": "status", "industry": "industry", "year": "year",
                     "ipc_section": "ipc", "ipc_class": "ipc", "applicant": "applicant_name"}
TEXT_FIELD_SETS = {
    None: (("title", 2.0), ("content", 1.0)),
    "title": (("title", 1.0),),
    "content": (("content", 1.0),),  # abstract: is searched in the combined field
    "abstract": (("content", 1.0),),
    "applicant": (("applicant", 1.0),),
}
# Where a field's phrases are matched (a field scored without positions has a positional twin).
PHRASE_FIELD = {"content": "content_pos"}
# Segments stay as separate files. Whoosh reads a compound segment file through a memory map but
# copies each part it opens into a BytesIO: at 100k patents every searcher (and every writer that
# looks up the keys it updates) held another ~210 MB of postings, term index and columns, and the
# bench process peaked at 1.1 GB. Separate files are read through the OS page cache instead.
WRITER_OPTIONS = {"compound": False}


def _token_positions(value) -> dict[str, list[int]]:
    """Each token of analysis.segment's output (``a b|c d``) with its positions, in order."""
    if isinstance(value, (list, tuple)):
        value = " ".join(value)
    poses: dict[str, list[int]] = defaultdict(list)
    for pos, token in analysis.iter_positions(value):
        if token:
            poses[token].append(pos)
    return poses


class SegmentedPositions(formats.Positions):
    """Positions read straight from analysis.segment's output (``a b|c d``), without an analyzer."""

    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        encode = self.encode
        for word, poslist in _token_positions(value).items():
            if len(poslist) > 1 and poslist[-1] == poslist[-2]:
                poslist = sorted(set(poslist))
            yield word, len(poslist), len(poslist) * fb, encode(poslist)


class SegmentedFrequency(formats.Frequency):
    """Term frequencies (the same weights as :class:`SegmentedPositions`) without positions: a posting
    block is then two arrays, which :mod:`.whoosh_fast` reads and scores many times faster than
    blocks carrying every position."""

    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        for word, poslist in _token_positions(value).items():
            freq = len(set(poslist))
            yield word, freq, freq * fb, pack_uint(freq)


class SEGMENTED_COUNTS(fields.TEXT):
    """A TEXT field fed with pre-segmented text, scored but without positions (phrases use a twin field)."""

    def __init__(self, field_boost: float = 1.0):
        super().__init__(analyzer=SpaceSeparatedTokenizer(), phrase=False, field_boost=field_boost)
        self.format = SegmentedFrequency(field_boost=field_boost)


class SEGMENTED(fields.TEXT):
    """A TEXT field fed with pre-segmented text."""

    def __init__(self, field_boost: float = 1.0):
        super().__init__(analyzer=SpaceSeparatedTokenizer(), phrase=True, field_boost=field_boost)
        self.format = SegmentedPositions(field_boost=field_boost)


def make_schema() -> fields.Schema:
    return fields.Schema(
        key=fields.ID(unique=True, stored=True),
        kind=fields.ID(),
        office=fields.ID(),
        public=fields.ID(),
        org=fields.ID(),
        number=fields.KEYWORD(),
        title=SEGMENTED(),
        content=SEGMENTED_COUNTS(),  # words are scored here …
        content_pos=SEGMENTED(),  # … and phrases matched here (the same text, with positions)
        applicant=SEGMENTED(),
        applicant_name=fields.KEYWORD(),
        applicant_key=fields.KEYWORD(),
        ipc=fields.KEYWORD(),
        type=fields.ID(),
        status=fields.ID(),
        industry=fields.ID(),
        year=fields.ID(),
        date=fields.COLUMN(columns.NumericColumn("i", default=0)),
        facets=fields.COLUMN(columns.VarBytesColumn()),
    )


def doc_fields(doc: SearchDoc) -> dict:
    """A SearchDoc as Whoosh fields. Lists bypass analysis (values are already index terms)."""
    out = {
        "key": doc.key,
        "kind": doc.kind,
        "public": "1" if doc.public else "0",
        "title": doc.title_seg,
        "content": " ".join(s for s in (doc.title_seg, doc.body_seg, doc.applicant_seg) if s),
        "content_pos": " ".join(s for s in (doc.title_seg, doc.body_seg, doc.applicant_seg) if s),
        "applicant": doc.applicant_seg,
        "date": (doc.sort_date - EPOCH).days if doc.sort_date else 0,
        "facets": FACET_SEP.join(f"{f}={v}".encode() for f, v in doc.facet_values()),
    }
    if doc.org_id is not None:
        out["org"] = str(doc.org_id)
    if doc.numbers:
        out["number"] = list(doc.numbers)
    if doc.applicants:
        out["applicant_name"] = list(doc.applicants)
        out["applicant_key"] = doc.applicant_keys()
    if doc.ipc:
        out["ipc"] = list(doc.ipc)
    for name, value in (("office", doc.office), ("type", doc.patent_type), ("status", doc.legal_status),
                        ("industry", doc.industry)):
        if value:
            out[name] = value
    if doc.year:
        out["year"] = str(doc.year)
    return out


# ---- compiling the parsed query -----------------------------------------------------------


DocFrequency = Callable[[str, str], int]


def _text_query(clause: Clause, df: DocFrequency | None = None, scoring: bool = True) -> wq.Query:
    """For ranking, a word may match in any field of the set (the title boosted). For counting,
    ``scoring=False`` matches on the widest field only (content holds the title too): the same
    documents, from one posting list a word instead of a union of two."""
    field_set = TEXT_FIELD_SETS[clause.field]
    if not scoring:
        field_set = field_set[-1:]
    if clause.phrase:
        return _or([wq.Phrase(PHRASE_FIELD.get(f, f), clause.tokens, boost=b) for f, b in field_set])
    widest = field_set[-1][0]
    parts = []
    for token in clause.tokens:
        options: list[wq.Query] = [wq.Term(f, token, boost=b) for f, b in field_set]
        alt = clause.alternatives.get(token)
        if alt and alternative_worth_it(token, alt, None if df is None else partial(df, widest)):
            options += [wq.Phrase(PHRASE_FIELD.get(f, f), alt, boost=b) for f, b in field_set]
        parts.append(_or(options))
    return _and(parts)


# An applicant's exact key outweighs any words: its documents come first.
APPLICANT_KEY_BOOST = 50.0


def _keyword_query(clause: Clause) -> wq.Query:
    if clause.field == applicant_queries.KEY_FIELD:
        return wq.Term(applicant_queries.KEY_FIELD, clause.value, boost=APPLICANT_KEY_BOOST)
    if clause.field == "year":
        return _or([wq.Term("year", str(y)) for y in range(clause.low, min(clause.high, clause.low + 200) + 1)])
    name = {"ipc": "ipc", "number": "number", "type": "type", "status": "status", "industry": "industry",
            "kind": "kind"}[clause.field]
    return wq.Term(name, clause.value)


def _clause_query(clause: Clause, df: DocFrequency | None = None, scoring: bool = True) -> wq.Query:
    return _text_query(clause, df, scoring) if clause.tokens else _keyword_query(clause)


def _or(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _and(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)


def compile_query(parsed: ParsedQuery, filters: dict[str, list[str]], df: DocFrequency | None = None,
                  scoring: bool = True) -> wq.Query | None:
    """The parsed box and the facet filters as one Whoosh query (who may see what: :func:`hidden_query`).

    ``df(field, word)`` (the searcher's document frequency) lets it leave out costly alternatives;
    ``scoring=False`` gives the same matches without the clauses that only rank (for counting).
    """
    must: list[wq.Query] = []
    must_not: list[wq.Query] = []
    for group in parsed.groups:
        if isinstance(group, AtLeast):  # how much of it must match: short_of_needed
            ranking = group.ranking if scoring else []
            q = _or([_clause_query(c, df, scoring) for c in group.clauses + ranking])
        elif isinstance(group, AnyOf):
            q = _or([_clause_query(c, df, scoring) for c in group.clauses])
        else:
            q = _clause_query(group, df, scoring if not group.negated else False)
        (must_not if group.negated else must).append(q)
    for fname, values in filters.items():
        if fname in FACET_INDEX_FIELD and values:
            must.append(_or([wq.Term(FACET_INDEX_FIELD[fname], v) for v in values]))
    if not must and not must_not:
        return None
    if not must:
        must.append(wq.Every())
    q = _and(must)
    return wq.AndNot(q, _or(must_not)) if must_not else q


def short_of_needed(searcher, parsed: ParsedQuery, df: DocFrequency | None = None) -> set[int]:
    """The documents that match some of a best-match group's words but fewer than it needs; a search
    subtracts them like the hidden ones (Whoosh's Or has no working minimum-match)."""
    out: set[int] = set()
    for group in parsed.groups:
        if isinstance(group, AtLeast):
            sets = [set(searcher.docs_for_query(_clause_query(c, df, scoring=False))) for c in group.clauses]
            weights = [group.weight(searcher.doc_count(), len(docs)) for docs in sets]
            enough = group.enough(weights)
            held: Counter[int] = Counter()
            for docs, w in zip(sets, weights):
                for d in docs:
                    held[d] += w
            out |= {d for d, w in held.items() if w < enough}
            for clause in group.ranking:  # a ranking word alone does not make a match
                out |= set(searcher.docs_for_query(_clause_query(clause, df, scoring=False))) - held.keys()
    return out


def hidden_query(viewer_org_id: int | None) -> wq.Query:
    """The documents a viewer may not see: unpublished ones, except the viewer's own.

    Searches subtract these (few) docnums: ANDing public=1 walked a posting list as long as the
    index in every query, and Whoosh 2.7 matches nothing for ``x ANDNOT (a ANDNOT b)``.
    """
    hidden: wq.Query = wq.Term("public", "0")
    if viewer_org_id is not None:
        hidden = wq.And([hidden, wq.Not(wq.Term("org", str(viewer_org_id)))])
    return hidden


# ---- the backend --------------------------------------------------------------------------


class WhooshBackend(SearchBackend):
    name = "whoosh"
    builds_documents = True  # a rebuild's writer processes build and segment the patents' documents

    def __init__(self, base_dir: str | os.PathLike, *, lock_timeout: float = 5.0, procs: int = 1,
                 limitmb: int = 256, max_refreshes: int = 50, max_age: float = 600.0):
        self.base = Path(base_dir)
        self.lock_timeout = lock_timeout
        self.procs = procs
        self.limitmb = limitmb
        self.max_refreshes = max_refreshes  # a searcher refreshed many times gets slow: reopen it
        self.max_age = max_age
        self._lock = threading.RLock()
        self._ix = None
        self._ix_name = None
        self._searcher = None
        self._refreshes = 0
        self._opened = 0.0
        self._facet_segments: dict[str, list[tuple[str, ...]]] = {}  # segment id -> facet values per document
        self._facet_table: tuple[tuple, list[tuple[str, ...]]] | None = None  # (segment ids, values by docnum)
        self._lengths: dict[str, dict[str, bytes]] = {}  # segment id -> field lengths (whoosh_fast)
        self.schema = make_schema()

    # -- where the live index is

    def _current_name(self) -> str:
        pointer = self.base / "CURRENT"
        try:
            return pointer.read_text().strip()
        except FileNotFoundError:
            with self._lock:
                if not pointer.exists():
                    name = self._create_empty()
                    self._point_to(name)
                    return name
                return pointer.read_text().strip()

    def _create_empty(self) -> str:
        self.base.mkdir(parents=True, exist_ok=True)
        name = f"ix-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 1_000_000}"
        (self.base / name).mkdir()
        index.create_in(str(self.base / name), self.schema)
        (self.base / name / VERSION_FILE).write_text(analysis.VERSION)  # the analysis its documents get
        return name

    def _point_to(self, name: str) -> None:
        tmp = self.base / f"CURRENT.{os.getpid()}.{threading.get_ident()}"
        tmp.write_text(name)
        os.replace(tmp, self.base / "CURRENT")

    def index_dir(self) -> Path:
        return self.base / self._current_name()

    def analysis_version(self) -> str | None:
        try:
            return (self.index_dir() / VERSION_FILE).read_text().strip()
        except FileNotFoundError:
            return None

    @contextmanager
    def rebuild_lock(self):
        """A lock file next to CURRENT; one left by a crashed rebuild expires after 6 hours."""
        self.base.mkdir(parents=True, exist_ok=True)
        path = self.base / "REBUILDING"
        if path.exists() and _older_than(path, 6 * 3600):
            path.unlink(missing_ok=True)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            yield False
            return
        os.close(fd)
        try:
            yield True
        finally:
            path.unlink(missing_ok=True)

    def _index(self):
        name = self._current_name()
        if self._ix is None or self._ix_name != name:
            self._close_searcher()
            self._ix = index.open_dir(str(self.base / name))
            self._ix_name = name
        return self._ix

    # -- reading

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # noqa: BLE001 - closing a stale searcher must not break a search
                log.debug("closing searcher failed", exc_info=True)
        self._searcher = None

    def _get_searcher(self):
        """The process's searcher, refreshed when the index changed, reopened now and then."""
        ix = self._index()
        s = self._searcher
        if s is None:
            s = self._searcher = ix.searcher()
            self._refreshes, self._opened = 0, time.monotonic()
        elif not s.up_to_date():
            if self._refreshes >= self.max_refreshes or time.monotonic() - self._opened > self.max_age:
                self._close_searcher()
                s = self._searcher = ix.searcher()
                self._refreshes, self._opened = 0, time.monotonic()
            else:
                s = self._searcher = s.refresh()
                self._refreshes += 1
        return s

    def refresh(self) -> None:
        with self._lock:
            self._get_searcher()

    def search(self, request: SearchRequest) -> SearchResult:
        result = SearchResult(hits=[], total=0, page=request.page, per_page=request.per_page)
        with self._lock:
            s = self._get_searcher()
            reader = s.reader()
            parsed, result.notes = applicant_queries.rewrite(
                request.query, lambda key: reader.doc_frequency(applicant_queries.KEY_FIELD, key) > 0)
            result.applicant_keys = applicant_queries.boosted_keys(parsed)
            q = compile_query(parsed, request.filters, df=reader.doc_frequency)
            if q is None:
                return result
            matches = compile_query(parsed, request.filters, df=reader.doc_frequency, scoring=False)
            hidden = set(s.docs_for_query(hidden_query(request.viewer_org_id)))
            hidden |= short_of_needed(s, parsed, reader.doc_frequency)
            kwargs = {}
            if request.sort == "date":
                kwargs["sortedby"] = FieldFacet("date", reverse=True)
            # By relevance: every match scored from the posting blocks (whoosh_fast), which gives the
            # exact top hits, the count and the documents to count facets on in one go. By date:
            # Whoosh's sort, then one unscored pass for the count and the facets.
            first = (request.page - 1) * request.per_page
            limit = first + request.per_page
            docnums: list[int] | None = None
            scored = None
            if not kwargs:
                try:
                    scored = whoosh_fast.evaluate(s, q, self._segment_data(s))
                except whoosh_fast.Unsupported:
                    scored = None
            if scored is not None:
                # every match scored from the posting blocks: the exact top hits and count, fast
                for d in hidden:
                    scored.pop(d, None)
                top = heapq.nlargest(limit, scored.items(), key=lambda item: (item[1], -item[0]))
                for docnum, score in top[first:]:
                    kind, object_id = parse_key(s.stored_fields(docnum)["key"])
                    result.hits.append(Hit(kind, object_id, float(score)))
                docnums = list(scored)
            elif kwargs:
                results = s.search(q, limit=limit, mask=hidden or None, **kwargs)
            else:  # a reader whoosh_fast cannot read: one scored pass that keeps every match (exact)
                keeping = _KeepingCollector(limit=limit)
                collector = collectors.FilterCollector(keeping, restrict=hidden) if hidden else keeping
                s.search_with_collector(q, collector)
                results = collector.results()
                docnums = keeping.docnums
            if scored is None:
                for hit in results[first:]:
                    kind, object_id = parse_key(hit["key"])
                    result.hits.append(Hit(kind, object_id, float(hit.score or 0.0)))
            if docnums is None and (request.facets or not results.has_exact_length()):
                docnums = [d for d in s.docs_for_query(matches) if d not in hidden]
            result.total = len(docnums) if docnums is not None else len(results)
            if request.facets and docnums:
                counted = docnums
                if len(docnums) > request.facet_exact_max:
                    counted = sample_of(docnums, request.facet_sample)
                    result.facets_estimated = True
                result.facets = self._facets(self._facet_values(s), counted, request.facet_limit,
                                             scale=len(docnums) / len(counted))
        return result

    def _segment_data(self, s) -> list[whoosh_fast.SegmentData]:
        """Each leaf's :class:`whoosh_fast.SegmentData`, its field lengths kept while the segment lives."""
        out, kept = [], {}
        for leaf, _offset in s.leaf_searchers():
            reader = leaf.reader()
            if not hasattr(reader, "segment") or not hasattr(reader, "_perdoc"):
                raise whoosh_fast.Unsupported("an empty or in-memory reader")
            seg_id = reader.segment().segment_id()
            lengths = kept[seg_id] = self._lengths.get(seg_id, {})
            out.append(whoosh_fast.SegmentData(reader, lengths))
        self._lengths = kept
        return out

    def _facet_values(self, s) -> list[tuple[str, ...]]:
        """Every document's facet values (``type=invention`` …) by docnum, decoded once per segment:
        counting is then one C-level pass over the matches instead of a column read and a decode each."""
        leaves = s.leaf_searchers()
        ids = tuple(leaf.reader().segment().segment_id() for leaf, _ in leaves)
        if self._facet_table is not None and self._facet_table[0] == ids:
            return self._facet_table[1]
        segments = {}
        for (leaf, _offset), seg_id in zip(leaves, ids):
            values = self._facet_segments.get(seg_id)
            if values is None:
                values = _decode_facets(leaf.reader())
            segments[seg_id] = values
        self._facet_segments = segments  # segments merged away are forgotten
        table = list(chain.from_iterable(segments[i] for i in ids))
        self._facet_table = (ids, table)
        return table

    @staticmethod
    def _facets(values: list[tuple[str, ...]], docnums: list[int], limit: int,
                scale: float = 1.0) -> dict[str, list[tuple[str, int]]]:
        counts = Counter(chain.from_iterable(map(values.__getitem__, docnums)))
        return group_facets(counts.items(), limit, scale)

    def generation(self):
        """The index directory and its latest commit generation (a directory listing)."""
        with self._lock:
            name = self._current_name()
            try:
                return name, self._index().latest_generation()
            except Exception:  # noqa: BLE001 - an index being swapped: do not cache
                return None

    def count(self) -> int:
        with self._lock:
            return self._get_searcher().doc_count()

    def keys(self) -> set[str]:
        with self._lock:
            reader = self._get_searcher().reader()
            return {fields_["key"] for _, fields_ in reader.iter_docs()}

    # -- writing

    def apply(self, docs: list[SearchDoc], deleted: list[str]) -> None:
        """One writer, one commit. Raises whoosh.index.LockError when another process holds the
        lock longer than lock_timeout; the indexer retries, so nothing is lost."""
        with self._lock:
            ix = self._index()
        writer = ix.writer(timeout=self.lock_timeout, **WRITER_OPTIONS)
        try:
            for key in deleted:
                writer.delete_by_term("key", key)
            known = set(ix.schema.names())  # an index built before a field was added lacks it until a reindex
            for doc in docs:
                writer.update_document(**{k: v for k, v in doc_fields(doc).items() if k in known})
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        with self._lock:  # this process sees its own writes at once, facet table included
            s = self._get_searcher()
            if s.doc_count():
                self._facet_values(s)

    def segment_cache(self) -> segment_cache.SegmentCache:
        """The live index's cache of segmented texts (in its directory)."""
        return segment_cache.SegmentCache(self.index_dir() / segment_cache.FILENAME)

    def rebuild(self, docs: Iterable, progress: Callable[[int], None] | None = None) -> int:
        """A new index directory from ``docs`` (SearchDocs, and documents.PatentBatch values that the
        writer processes build), then swapped in. Texts are looked up in the live index's segment cache;
        the new index's cache receives every text it uses."""
        from .documents import PatentBatch, patent_docs

        caches = (self.index_dir() / segment_cache.FILENAME, None)
        name = self._create_empty()
        caches = (caches[0], self.base / name / segment_cache.FILENAME)
        ix = index.open_dir(str(self.base / name))
        if self.procs > 1:
            writer = _BuildingWriter(ix, caches, procs=self.procs, limitmb=self.limitmb, multisegment=True,
                                     **WRITER_OPTIONS)
        else:
            writer = TermPoolWriter(ix, limitmb=self.limitmb, **WRITER_OPTIONS)
        cache = segment_cache.SegmentCache(*caches)  # this process's share: listings, needs; every patent with one writer
        n = reported = 0
        try:
            with segment_cache.using(cache):
                for item in docs:
                    if isinstance(item, PatentBatch):
                        if isinstance(writer, _BuildingWriter):
                            writer.add_batch(item.values)
                        else:
                            for doc in patent_docs(item.values, cache):
                                writer.add_document(**doc_fields(doc))
                        n += len(item)
                    else:
                        writer.add_document(**doc_fields(item))
                        n += 1
                    if progress and n - reported >= 500:
                        progress(n - reported)
                        reported = n
            cache.close()
        except BaseException:
            cache.close()
            writer.cancel()
            shutil.rmtree(self.base / name, ignore_errors=True)
            raise
        writer.commit()
        built = index.open_dir(str(self.base / name)).doc_count_all()
        if built != n:  # a writer process failed: its documents are missing, so this index must not go live
            shutil.rmtree(self.base / name, ignore_errors=True)
            raise RuntimeError(f"search rebuild wrote {built} of {n} documents (a writer process failed; see its log)")
        if progress and n > reported:
            progress(n - reported)
        self._swap_to(name)
        return n

    def _swap_to(self, name: str) -> None:
        with self._lock:
            old = self._ix_name
            self._point_to(name)
            self._close_searcher()
            self._ix, self._ix_name = None, None
        # Other processes may still read the old files (on POSIX an open file outlives its name).
        for child in self.base.iterdir():
            if child.is_dir() and child.name.startswith("ix-") and child.name != name:
                # a directory another rebuild is still writing is young; leave those alone
                if child.name == old or _older_than(child, 6 * 3600):
                    shutil.rmtree(child, ignore_errors=True)

    def clear(self) -> None:
        self._swap_to(self._create_empty())

    def close(self) -> None:
        with self._lock:
            self._close_searcher()
            self._ix = None
            self._ix_name = None
            self._facet_segments, self._facet_table = {}, None


class _BuildTask(SubWriterTask):
    """A writer process of a rebuild that also builds the patents' documents it is sent, so jieba
    runs in every writer process rather than in the one feeding them."""

    def __init__(self, *args, caches: tuple[Path, Path]):
        super().__init__(*args)
        self.caches = caches
        self.failed = False  # after a failure the task only empties its job files: the parent never blocks

    def run(self):
        """Whoosh's SubWriterTask.run for ``multisegment`` (the only way a rebuild runs it), with a
        :class:`~.whoosh_build.TermPoolWriter` and this task's segment cache."""
        self.cache = segment_cache.SegmentCache(*self.caches)
        try:
            ix = self.storage.open_index(self.indexname)
            writer = self.writer = TermPoolWriter(ix, _lk=False, **self.kwargs)
            while self.running:
                job = self.jobqueue.get()
                if job is None:
                    break
                self._process_file(*job)
            if not self.running:
                writer.cancel()
            else:
                fieldnames = writer.pool.fieldnames
                segment = writer._finalize_segment()
                self.resultqueue.put((None, fieldnames, segment), timeout=5)
        finally:
            self.cache.close()

    def _process_file(self, filename, doc_count):
        import pickle  # nosec B403 - job files this rebuild wrote a moment ago, as Whoosh's own writer does

        from .documents import patent_docs

        writer = self.writer
        tempstorage = writer.temp_storage()
        try:
            if not self.failed:
                with tempstorage.open_file(filename).raw_file() as f:
                    for _ in range(doc_count):
                        code, args = pickle.load(f)  # nosec B301 - see above
                        if code == 1:
                            for doc in patent_docs(args, self.cache):
                                writer.add_document(**doc_fields(doc))
                        else:
                            writer.add_document(**args)
        except Exception:  # the parent counts the documents and refuses the index; the log says why
            log.exception("a search rebuild's writer process failed")
            self.failed = True
        finally:
            tempstorage.delete_file(filename)


class _BuildingWriter(MpWriter):
    """Whoosh's multi-process writer, sent batches of patent values as well as finished documents."""

    def __init__(self, ix, caches: tuple[Path, Path], **kwargs):
        super().__init__(ix, **kwargs)
        self.caches = caches

    def _new_task(self):
        if not self.multisegment:
            raise ValueError("a rebuild's writer processes each write a segment of their own (multisegment=True)")
        task = _BuildTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                          self.multisegment, caches=self.caches)
        self.tasks.append(task)
        task.start()
        return task

    def add_batch(self, values: list[dict]) -> None:
        self.docbuffer.append((1, values))
        self._enqueue()  # a batch is a job file of its own
        self._added_sub = True


class _KeepingCollector(collectors.TopCollector):
    """The top hits, and every matching docnum on the way: scores every match, no block skipping
    and no matcher replacement (which drops documents that cannot reach the top)."""

    def __init__(self, **kwargs):
        super().__init__(usequality=False, replace=0, **kwargs)
        self.docnums: list[int] = []

    def _collect(self, global_docnum, score):
        self.docnums.append(global_docnum)
        return super()._collect(global_docnum, score)


def _decode_facets(reader) -> list[tuple[str, ...]]:
    """One segment's facet column as tuples of interned strings (deleted documents included:
    docnums are positions)."""
    creader = reader.column_reader("facets")
    seen: dict[bytes, tuple[str, ...]] = {}
    out = []
    for i in range(reader.doc_count_all()):
        raw = creader[i]
        values = seen.get(raw)
        if values is None:
            values = seen[raw] = tuple(intern(v.decode()) for v in raw.split(FACET_SEP)) if raw else ()
        out.append(values)
    return out


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except FileNotFoundError:
        return False
