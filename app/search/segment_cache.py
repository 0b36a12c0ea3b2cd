"""Segmented text kept by content, so an unchanged text is never cut by jieba twice.

jieba is most of what indexing costs (about 1,700 patents a second on one core). A re-index, a
legal-status update from an import, a listing edit that leaves its patents alone: each would
segment the same titles and abstracts again. The cache maps a text's digest to what
:func:`analysis.segment` made of it, in a small SQLite file beside the index it serves (a
Whoosh index directory holds its own ``segments.sqlite3``). Keyed by content, an entry can
never be wrong for its text; the analysis version is part of the key, so a new dictionary or
glossary cuts everything afresh. A rebuild reads the live index's cache and writes the new
index's one, so the file holds what the index holds and no more.

The cache is an optimisation only: any SQLite error (a locked or unreadable file) is logged
and the text is segmented as if there were no cache. No Flask import here.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from . import analysis

log = logging.getLogger(__name__)

FILENAME = "segments.sqlite3"
_CHUNK = 500  # digests per lookup (SQLite's default limit of bound parameters is 999 on old builds)
_SCHEMA = "CREATE TABLE IF NOT EXISTS seg (digest BLOB PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID"


def digest(text: str) -> bytes:
    """The key of a text's segmentation: its content and the analysis that cuts it."""
    h = hashlib.blake2b(digest_size=16)
    h.update(analysis.VERSION.encode())
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.digest()


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")  # a cache: losing the last writes on a crash costs a re-segment
    con.execute(_SCHEMA)
    return con


class SegmentCache:
    """What :func:`analysis.segment` made of each text, read from ``source`` and written to ``target``
    (the same file for the live index; the new index's file during a rebuild, which then receives
    every text it uses, found or cut)."""

    def __init__(self, source: Path | None, target: Path | None = None) -> None:
        self.source = Path(source) if source else None
        self.target = Path(target) if target else self.source
        self._read: sqlite3.Connection | None = None
        self._write: sqlite3.Connection | None = None
        self._memo: dict[bytes, str] = {}
        self._pending: dict[bytes, str] = {}  # to write to the target
        self.hits = 0
        self.misses = 0
        self.broken = False

    # -- files

    def _reader(self) -> sqlite3.Connection | None:
        if self._read is None and not self.broken and self.source is not None:
            if self.source != self.target and not self.source.exists():
                return None
            self._read = self._writer() if self.source == self.target else _connect(self.source)
        return self._read

    def _writer(self) -> sqlite3.Connection | None:
        if self._write is None and not self.broken and self.target is not None:
            self._write = _connect(self.target)
        return self._write

    def _failed(self, what: str) -> None:
        log.warning("search segment cache %s failed; segmenting without it", what, exc_info=True)
        self.broken = True
        self._close()

    # -- reading and segmenting

    def prefetch(self, texts: Iterable[str]) -> None:
        """Look up many texts in one query a few hundred (a batch of documents is about to be built)."""
        wanted = list({digest(t) for t in texts if t} - self._memo.keys())
        try:
            con = self._reader()
            if con is None:
                return
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                self._memo.update(con.execute(f"SELECT digest, text FROM seg WHERE digest IN ({marks})", chunk))  # nosec B608 - only placeholders are formatted in
        except sqlite3.Error:
            self._failed("lookup")

    def segment(self, text: str) -> str:
        """``analysis.segment(text)``, from the cache when it has it."""
        if not text:
            return ""
        key = digest(text)
        found = self._memo.get(key)
        if found is None and not self.broken:
            try:
                con = self._reader()
                row = con.execute("SELECT text FROM seg WHERE digest = ?", (key,)).fetchone() if con else None
                found = row[0] if row else None
            except sqlite3.Error:
                self._failed("lookup")
        if found is None:
            self.misses += 1
            found = analysis.segment(text)
            self._memo[key] = found
            self._pending[key] = found
        else:
            self.hits += 1
            if self.target != self.source:
                self._pending[key] = found  # the new index's cache receives what it uses
        return found

    def flush(self) -> None:
        """Write the texts segmented (or, in a rebuild, used) since the last flush; forget the batch."""
        pending, self._pending, self._memo = self._pending, {}, {}
        if not pending or self.broken:
            return
        try:
            con = self._writer()
            if con is None:
                return
            con.execute("BEGIN IMMEDIATE")
            con.executemany("INSERT OR IGNORE INTO seg (digest, text) VALUES (?, ?)", pending.items())
            con.execute("COMMIT")
        except sqlite3.Error:
            self._failed("write")

    def close(self) -> None:
        """Write what is pending, and close the files."""
        if self._pending and not self.broken:
            self.flush()
        self._close()

    def _close(self) -> None:
        for con in {id(c): c for c in (self._read, self._write) if c is not None}.values():
            try:
                con.close()
            except sqlite3.Error:
                pass
        self._read = self._write = None


_current: ContextVar[SegmentCache | None] = ContextVar("segment_cache", default=None)


def segment(text: str) -> str:
    """Segment through the cache in use (:func:`using`), or directly when there is none."""
    cache = _current.get()
    return cache.segment(text) if cache is not None else analysis.segment(text)


@contextmanager
def using(cache: SegmentCache | None) -> Iterator[SegmentCache | None]:
    """Documents built inside segment through ``cache`` (its owner flushes and closes it)."""
    token = _current.set(cache)
    try:
        yield cache
    finally:
        _current.reset(token)
