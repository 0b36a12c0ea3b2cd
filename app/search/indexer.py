"""Keeping the index in step with the database.

Session hooks note which patents, listings and needs a transaction touched; after the commit the
keys go to one indexer per process, which loads the rows as they are now and writes them with
one writer and one commit per batch. In ``thread`` mode (the default without a job queue) a
background thread does that, so no request waits for the index and no LockError reaches a user: a
failed write is retried with back-off until it succeeds. In ``queue`` mode (the default when
``JOB_QUEUE_URL`` is set) the keys go to the RQ queue and ``flask worker`` writes them: one writer
for all web processes, retried by the queue when a write fails. ``sync`` applies after each commit
(tests); ``off`` leaves the index alone (`flask search-reindex` rebuilds it).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Iterable

from flask import Flask, current_app
from sqlalchemy.orm import Session

from . import documents

log = logging.getLogger(__name__)

BATCH = 5000  # keys per writer commit


class Indexer:
    def __init__(self, app: Flask, state) -> None:
        self.app = app
        self.state = state
        self._cond = threading.Condition()
        self._pending: set[str] = set()
        self._busy = False
        self._thread: threading.Thread | None = None
        self.failures = 0  # writes that had to be retried (LockError, database busy …)
        self.applied = 0
        self._atexit = False

    @property
    def mode(self) -> str:
        return self.app.config.get("SEARCH_WRITER", "thread")

    def submit(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        if not keys or self.mode == "off":
            return
        if self.mode == "queue":
            from .. import jobs

            jobs.enqueue(self.app, apply_keys, sorted(keys), retries=4,
                         description=f"search index write of {len(keys)} records")
            return
        if self.mode == "sync":
            try:
                self.apply_now(keys)
                return
            except Exception:  # noqa: BLE001 - the commit succeeded; the thread retries the index write
                log.warning("search index write failed; retrying in the background", exc_info=True)
        with self._cond:
            self._pending |= keys
            self._cond.notify_all()
        self._ensure_thread()

    def apply_now(self, keys: set[str]) -> None:
        """Load ``keys`` from the database and write them (in this thread)."""
        with self.app.app_context():
            from ..extensions import db

            with Session(db.engine) as session:
                docs, deleted = documents.load(session, keys, self.state.backend.segment_cache())
            self.state.backend.apply(docs, deleted)
            self.applied += len(keys)

    def pending(self) -> int:
        with self._cond:
            return len(self._pending) + (1 if self._busy else 0)

    def flush(self, timeout: float | None = 60.0) -> bool:
        """Wait until every submitted key is in the index; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining if remaining is not None else 1.0)
        return True

    def _ensure_thread(self) -> None:
        with self._cond:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
            self._thread.start()
            if not self._atexit:
                atexit.register(self.flush, 120.0)  # a CLI import finishes its index writes
                self._atexit = True

    def _run(self) -> None:
        delay = 0.05
        while True:
            with self._cond:
                while not self._pending:
                    self._cond.wait()
                batch = set()
                while self._pending and len(batch) < BATCH:
                    batch.add(self._pending.pop())
                self._busy = True
            try:
                self.apply_now(batch)
                delay = 0.05
            except Exception:  # noqa: BLE001 - keep the keys and try again; nothing is dropped
                self.failures += 1
                log.warning("search index write failed (attempt %s); retrying in %.1fs", self.failures, delay,
                            exc_info=True)
                with self._cond:
                    self._pending |= batch
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


def apply_keys(keys: list[str]) -> None:
    """The queued task: write these records' documents (in a worker's app context). A failure raises,
    and the queue runs the task again later."""
    current_app.extensions["search"].indexer.apply_now(set(keys))
