"""Audit records: a row in the same transaction as the change, and a JSON line in the log after."""

from __future__ import annotations

import json
import logging

from ..extensions import db
from ..models import AuditRecord, User
from ..models._types import utcnow

log = logging.getLogger("ipx.audit")


def record(actor: User | None, action: str, object_type: str, object_id: int | None, **data) -> AuditRecord:
    """Add an audit row to the current transaction (the caller commits)."""
    row = AuditRecord(actor_id=getattr(actor, "id", None), action=action, object_type=object_type,
                      object_id=object_id, data=data, at=utcnow())
    db.session.add(row)
    return row


def log_line(action: str, **fields) -> None:
    """One JSON object per line, UTC; json.dumps escapes new lines so input cannot forge lines."""
    fields = {"at": utcnow().isoformat() + "Z", "action": action, **fields}
    log.info(json.dumps(fields, ensure_ascii=False, default=str, sort_keys=True))
