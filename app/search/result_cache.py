"""A small per-process cache of search results, keyed by the whole request (query, filters, viewer,
sort, page, facets) and the index generation it was answered from: when the index changes (a commit
in any process), every entry is dropped. Popular queries (real search logs are Zipf-shaped) are
then answered without the engine."""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict

from .backend import SearchBackend, SearchRequest, SearchResult


class ResultCache:
    def __init__(self, size: int = 512, ttl: float = 300.0):
        self.size = size
        self.ttl = ttl  # a backstop: an index whose generation cannot be read is never cached
        self._entries: OrderedDict[str, tuple[float, SearchResult]] = OrderedDict()
        self._generation = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def search(self, backend: SearchBackend, request: SearchRequest) -> SearchResult:
        generation = backend.generation() if self.size else None
        if generation is None:
            return backend.search(request)
        key = repr(request)
        now = time.monotonic()
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.ttl:
                self._entries.move_to_end(key)
                self.hits += 1
                return copy.deepcopy(entry[1])
        self.misses += 1
        result = backend.search(request)
        with self._lock:
            if generation == self._generation:
                self._entries[key] = (now, copy.deepcopy(result))
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation = None
