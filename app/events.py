"""What a commit changed, as named events, and the one table of who acts on them.

The session hooks of the application live here and nowhere else. A flush notes which patents,
listings and needs it changed (``PatentChanged``, ``ListingChanged``, ``NeedChanged``) and that
something was written at all (``DataChanged``). Use cases record what they did in the
domain's words on their ``transaction()``: ``DealCompleted`` (a deal completed, on the platform or
recorded as closed elsewhere) and ``PoolChanged`` (a pool's members, contributions or a pool
patent's status changed). After the commit, each handler in ``HANDLERS`` gets the events it
listens to, once per commit; a rollback drops them. A failing handler is logged and never breaks
the request; the index writer and the match refresh run as queued tasks when a job queue is
configured, and the queue runs a failed task again.

The pool compliance re-check is not a consequence of a commit: it is an explicit step of the use
cases that change a pool's facts (``services.pools.recheck``), inside their transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_PENDING = "ipx_events"


@dataclass(frozen=True)
class PatentChanged:
    patent_id: int


@dataclass(frozen=True)
class ListingChanged:
    listing_id: int
    by_app: bool = True  # written by a request or command, not by the match refresh itself


@dataclass(frozen=True)
class NeedChanged:
    need_id: int
    by_app: bool = True


@dataclass(frozen=True)
class DealCompleted:
    """A deal completed and counts for its center (escrow released, or recorded as closed elsewhere)."""

    deal_id: int


@dataclass(frozen=True)
class PoolChanged:
    """What a pool's compliance rests on changed (members, contributions, a pool patent's status);
    the pool was re-checked in the same transaction."""

    pool_id: int


@dataclass(frozen=True)
class DataChanged:
    """Something was committed: pages and to-do counts read before it are stale."""


# ---- handlers -------------------------------------------------------------------------------


def _index(events: list) -> None:
    keys = set()
    for e in events:
        if isinstance(e, PatentChanged):
            keys.add(f"patent:{e.patent_id}")
        elif isinstance(e, ListingChanged):
            keys.add(f"listing:{e.listing_id}")
        elif isinstance(e, NeedChanged):
            keys.add(f"need:{e.need_id}")
    state = current_app.extensions.get("search") if has_app_context() else None
    if keys and state is not None:
        state.indexer.submit(keys)


def _refresh_matches(events: list) -> None:
    from .services import matching

    keys = {("need", e.need_id) if isinstance(e, NeedChanged) else ("listing", e.listing_id)
            for e in events if e.by_app}
    if keys and has_app_context():
        matching.schedule_refresh(current_app._get_current_object(), keys)


def _bump_pages(events: list) -> None:
    from . import page_cache

    page_cache.bump_all()


def _forget_todos(events: list) -> None:
    from .services import todo

    todo.forget()


# handler -> the events it listens to, run in this order after each commit
HANDLERS: tuple[tuple[Callable[[list], None], tuple[type, ...]], ...] = (
    (_index, (PatentChanged, ListingChanged, NeedChanged)),
    (_refresh_matches, (ListingChanged, NeedChanged)),
    (_bump_pages, (DataChanged,)),
    # a completed deal leaves the parties' and the center's waiting lists; a pool alert is a center's to-do
    (_forget_todos, (DataChanged, DealCompleted, PoolChanged)),
)


def dispatch(events: Iterable) -> None:
    """Hand each handler its events; a failure is logged, the others still run."""
    events = list(dict.fromkeys(events))  # once each, in order
    for handler, kinds in HANDLERS:
        mine = [e for e in events if isinstance(e, kinds)]
        if not mine:
            continue
        try:
            handler(mine)
        except Exception:  # noqa: BLE001 - the commit stands; derived data catches up on the next change
            log.exception("event handler %s failed for %d events", handler.__name__, len(mine))


def record(session: Session, event) -> None:
    """Publish ``event`` after the session's next commit."""
    session.info.setdefault(_PENDING, []).append(event)


# ---- what a flush changed -------------------------------------------------------------------


def _event_for(obj, by_app: bool):
    from .models import Listing, Need, Patent, PatentApplicant, PatentIPC

    if isinstance(obj, Patent):
        return PatentChanged(obj.id) if obj.id is not None else None
    if isinstance(obj, PatentIPC | PatentApplicant):
        pid = obj.patent_id if obj.patent_id is not None else (obj.patent.id if obj.patent is not None else None)
        return PatentChanged(pid) if pid is not None else None
    if isinstance(obj, Listing):
        return ListingChanged(obj.id, by_app) if obj.id is not None else None
    if isinstance(obj, Need):
        return NeedChanged(obj.id, by_app) if obj.id is not None else None
    return None


def _after_flush(session: Session, flush_context) -> None:
    by_app = isinstance(session, AppSession)  # the match refresh writes through a plain session of its own
    found = [DataChanged()]
    for obj in list(session.new) + list(session.deleted):
        found.append(_event_for(obj, by_app))
    for obj in session.dirty:
        event = _event_for(obj, by_app)
        if event is not None and session.is_modified(obj, include_collections=True):
            found.append(event)
    session.info.setdefault(_PENDING, []).extend(e for e in found if e is not None)


def _after_commit(session: Session) -> None:
    events = session.info.pop(_PENDING, None)
    if events:
        dispatch(events)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


_installed: list[bool] = []


def install() -> None:
    """Listen to every session of the process (once)."""
    if _installed:
        return
    sa.event.listen(Session, "after_flush", _after_flush)
    sa.event.listen(Session, "after_commit", _after_commit)
    sa.event.listen(Session, "after_rollback", _after_rollback)
    _installed.append(True)
