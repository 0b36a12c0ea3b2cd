"""Personal API tokens: shown once, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from ..domain.errors import DomainError, N_
from ..extensions import db
from ..models import ApiToken, User
from ..models._types import utcnow
from . import audit
from .transaction import transaction, use_case

PREFIX = "ipx_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@use_case
def create(user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()[:100]
    if not name:
        raise DomainError(N_("give the token a name"), field="name")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=_hash(token))
    db.session.add(row)
    db.session.flush()
    audit.record(user, "api_token.created", "api_token", row.id, name=row.name)
    return row, token


@use_case
def revoke(user: User, token_id: int) -> None:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise DomainError(N_("no such token"))
    row.revoked_at = utcnow()
    audit.record(user, "api_token.revoked", "api_token", token_id)


def revoke_all(user: User) -> int:
    """Revoke every live token of the user in the current transaction (the caller commits); how many."""
    rows = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)


def authenticate(token: str) -> User | None:
    if not token or not token.startswith(PREFIX):
        return None
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    with transaction():
        row.last_used_at = utcnow()
    return row.user
