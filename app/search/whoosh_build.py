"""Whoosh's segment writer for a rebuild, with the postings kept grouped by term.

Whoosh's writer holds every posting as a tuple ``(field, term, docnum, weight, value)`` in a pool
that sorts them all at the end; past its memory limit it pickles sorted runs to disk and merges
them posting by posting with ``heapq``. Then it writes each posting, looking up the document's
field length in a column reader every time. At 100k patents (about 167 postings a patent) that
was more than half of a rebuild: pickling, unpickling and merging 16 million tuples, and 16
million length lookups.

A writer adds its documents in order, so a term's postings arrive already sorted by document.
:class:`TermPool` keeps each term's postings together as arrays (a term seen once as a plain
tuple) and sorts only the terms; past the memory limit it writes its terms to a run file in
term order, and the runs are merged term by term (a later run holds later documents, so a term's
postings are joined in run order). :class:`TermPoolWriter` then writes the terms with each
field's lengths decoded once. The segment files are the ones Whoosh writes (a test compares them
byte for byte), so readers and :mod:`.whoosh_fast` see no difference.
"""

from __future__ import annotations

import heapq
import marshal
from array import array
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from .whoosh_fast import length_bytes

# A stored length byte as Whoosh's per-document reader returns it (None for 0)
_LENGTH = [None] + [byte_to_length(i) for i in range(1, 256)]
_KEY = itemgetter(0, 1)

# (field, term, docnums, weights, values, ends): a term's postings, values concatenated
TermPostings = tuple[str, bytes, array, array, bytes, array]


class TermPool:
    """Postings grouped by term, for a writer that adds documents in docnum order (Whoosh's pool
    interface: ``add``, ``iter_postings``, ``fieldnames``, ``cleanup``)."""

    PER_TERM = 360  # bytes a term with its arrays costs, about
    PER_POSTING = 24  # bytes a posting adds to its term's arrays (docnum, weight, end offset, with slack)

    def __init__(self, tempstore, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        self.runs_written = 0
        self._terms: dict[tuple[str, bytes], tuple | list] = {}

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        key = (fieldname, tbytes)
        terms = self._terms
        entry = terms.get(key)
        if entry is None:
            terms[key] = (docnum, weight, vbytes or b"")
            self.fieldnames.add(fieldname)
            self.size += 120 + len(tbytes) + len(vbytes or b"")
        else:
            if type(entry) is tuple:
                first_doc, first_weight, first_value = entry
                entry = terms[key] = [array("i", [first_doc]), array("d", [first_weight]), bytearray(first_value),
                                      array("Q", [len(first_value)])]
                self.size += self.PER_TERM
            docs, weights, values, ends = entry
            if vbytes:
                values += vbytes
            docs.append(docnum)
            weights.append(weight)
            ends.append(len(values))
            self.size += self.PER_POSTING + len(vbytes or b"")
        if self.size > self.limit:
            self._save()

    def _sorted_terms(self) -> Iterator[TermPostings]:
        for (fieldname, tbytes), entry in sorted(self._terms.items(), key=itemgetter(0)):
            if type(entry) is tuple:
                docnum, weight, value = entry
                yield fieldname, tbytes, array("i", [docnum]), array("d", [weight]), value, array("Q", [len(value)])
            else:
                docs, weights, values, ends = entry
                yield fieldname, tbytes, docs, weights, bytes(values), ends

    def _save(self) -> None:
        """The terms so far to a run file, in term order; the pool starts empty."""
        name = f"termpool-{id(self):x}-{len(self.runs)}.run"
        with self.tempstore.create_file(name).raw_file() as f:
            for fieldname, tbytes, docs, weights, values, ends in self._sorted_terms():
                marshal.dump((fieldname, tbytes, docs.tobytes(), weights.tobytes(), values, ends.tobytes()), f)
        self.runs.append(name)
        self.runs_written += 1
        self._terms = {}
        self.size = 0

    def _read_run(self, name: str) -> Iterator[TermPostings]:
        with self.tempstore.open_file(name).raw_file() as f:
            while True:
                try:
                    fieldname, tbytes, docs, weights, values, ends = marshal.load(f)  # nosec B302 - a run this pool wrote
                except EOFError:
                    return
                yield fieldname, tbytes, array("i", docs), array("d", weights), values, array("Q", ends)

    def iter_terms(self) -> Iterator[TermPostings]:
        """Every term in (field, term) order with all its postings, in docnum order."""
        if not self.runs:
            yield from self._sorted_terms()
            return
        sources = [self._read_run(name) for name in self.runs] + [self._sorted_terms()]
        # heapq.merge keeps equal keys in the order of the sources: earlier runs, earlier documents
        for (fieldname, tbytes), parts in groupby(heapq.merge(*sources, key=_KEY), key=_KEY):
            parts = list(parts)
            if len(parts) == 1:
                yield parts[0]
                continue
            docs, weights, values, ends = array("i"), array("d"), bytearray(), array("Q")
            for _f, _t, d, w, v, e in parts:
                offset = len(values)
                docs.extend(d)
                weights.extend(w)
                values += v
                ends.extend(end + offset for end in e)
            yield fieldname, tbytes, docs, weights, bytes(values), ends

    def iter_postings(self):
        """Whoosh's interface: one ``(field, term, docnum, weight, value)`` at a time, sorted."""
        for fieldname, tbytes, docs, weights, values, ends in self.iter_terms():
            start = 0
            for docnum, weight, end in zip(docs, weights, ends):
                yield fieldname, tbytes, docnum, weight, values[start:end]
                start = end

    def cleanup(self) -> None:
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []


class TermPoolWriter(SegmentWriter):
    """A segment writer with a :class:`TermPool`; writes a term's postings in one loop."""

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, limitmb=limitmb)

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_terms(self.fieldwriter, self.schema, pdr, self.pool.iter_terms())
        finally:
            self.fieldwriter.close()
            if pdr:
                pdr.close()


def write_terms(fieldwriter, schema, pdr, terms: Iterator[TermPostings]) -> None:
    """The calls :meth:`whoosh.codec.base.FieldWriter.add_postings` makes, a term at a time: the
    same file contents, without a length lookup for each posting."""
    n = pdr.doc_count_all() if pdr is not None else 0
    lastfield = None
    lengths: bytes | None = None
    for fieldname, tbytes, docs, weights, values, ends in terms:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lengths = length_bytes(pdr, n, fieldname) if pdr is not None else None
            lastfield = fieldname
        fieldwriter.start_term(tbytes)
        add = fieldwriter.add
        start = 0
        if lengths is None:
            for docnum, weight, end in zip(docs, weights, ends):
                add(docnum, weight, values[start:end], 0)
                start = end
        else:
            for docnum, weight, end in zip(docs, weights, ends):
                add(docnum, weight, values[start:end], _LENGTH[lengths[docnum]])
                start = end
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()
