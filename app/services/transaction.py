"""The one owner of a use case's transaction.

Every write a user (or a command) makes runs inside ``transaction()``: it commits once when the block
ends, rolls back on any exception, and — nested inside another use case — joins the outer one, so
the outermost caller decides. ``use_case`` wraps a whole service function in it. ``idempotent``
adds the idempotency key (the same key answers as the first request did; the same key with another
body is refused) and an optional row lock, as the deal actions have always done.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa

from ..domain.errors import DomainError, N_
from ..extensions import db

F = TypeVar("F", bound=Callable[..., Any])

_DEPTH = "use_case_depth"


class IdempotencyConflict(DomainError):
    """The idempotency key was used before for a different request (HTTP 422)."""


@dataclass
class Transaction:
    """What a running use case carries: the events it records, published after the commit."""

    events: list = field(default_factory=list)

    def record(self, event) -> None:
        """Publish ``event`` to ``app.events``' handlers after the commit (dropped on a rollback)."""
        from .. import events

        self.events.append(event)
        events.record(db.session, event)

    @staticmethod
    def lock(model, ident):
        """The row, locked for update until the commit and read afresh."""
        return db.session.get(model, ident, with_for_update=True, populate_existing=True)


@contextmanager
def transaction() -> Iterator[Transaction]:
    """Run the block as one transaction: commit once at the end, roll back on any exception.

    Nested blocks join the outermost one (which alone commits or rolls back)."""
    session = db.session
    depth = session.info.get(_DEPTH, 0)
    tx = session.info.get("use_case_tx") if depth else None
    if tx is None:
        tx = Transaction()
    session.info[_DEPTH] = depth + 1
    if depth == 0:
        session.info["use_case_tx"] = tx
    try:
        yield tx
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[_DEPTH] = depth
        if depth == 0:
            session.info.pop("use_case_tx", None)


def record(event) -> None:
    """Record ``event`` on the running use case: published after its commit, dropped on a rollback."""
    from .. import events

    tx = db.session.info.get("use_case_tx")
    if tx is not None:
        tx.record(event)
    else:  # a step called outside any use case: its caller's commit publishes it
        events.record(db.session, event)


def use_case(fn: F) -> F:
    """Run the service function in ``transaction()``."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with transaction():
            return fn(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def replay(key: str, hashed: str) -> dict | None:
    """The first answer to this key, or None; the key with another request is refused."""
    from ..models import IdempotencyRecord

    record = db.session.scalar(sa.select(IdempotencyRecord).where(IdempotencyRecord.key == key))
    if record is None:
        return None
    if record.request_hash != hashed:
        raise IdempotencyConflict(N_("this idempotency key was already used for a different request"))
    return dict(record.response)


def remember(key: str, scope: str, hashed: str, response: dict, user_id: int | None) -> None:
    """Store the answer under the key, in the running transaction."""
    from ..models import IdempotencyRecord

    db.session.add(IdempotencyRecord(key=key, scope=scope, request_hash=hashed, response=response, user_id=user_id))
