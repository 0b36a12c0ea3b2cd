"""A mock escrow provider shaped like a real payment API (no payment network).

Requests and events are pydantic models; every event the provider emits is HMAC-SHA256
signed over its canonical JSON, and the platform verifies the signature before acting on it.
Funds are released only for deals recorded at CNIPA; that rule lives in the deal service.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from .errors import DomainError, N_


class HoldStatus(enum.StrEnum):
    CREATED = "created"
    FUNDED = "funded"
    RELEASED = "released"
    REFUNDED = "refunded"
    DISPUTED = "disputed"


class EventType(enum.StrEnum):
    HOLD_CREATED = "hold.created"
    HOLD_FUNDED = "hold.funded"
    HOLD_RELEASED = "hold.released"
    HOLD_REFUNDED = "hold.refunded"
    HOLD_DISPUTED = "hold.disputed"
    HOLD_RESOLVED = "hold.resolved"


class CreateHold(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    deal_id: int = Field(gt=0)
    amount_fen: int = Field(gt=0, le=10**13)
    currency: str = Field(default="CNY", pattern="^CNY$")
    payer: str = Field(min_length=1, max_length=100)
    payee: str = Field(min_length=1, max_length=100)


class HoldAction(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    hold_id: str = Field(min_length=1, max_length=64)
    amount_fen: int = Field(gt=0, le=10**13)
    reason: str = Field(default="", max_length=500)


class Hold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hold_id: str
    deal_id: int
    amount_fen: int
    currency: str = "CNY"
    status: HoldStatus


class EscrowEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    event_id: str
    type: EventType
    hold_id: str
    deal_id: int
    amount_fen: int
    created_at: datetime
    signature: str = ""

    def payload(self) -> bytes:
        data = self.model_dump(mode="json", exclude={"signature"})
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


class EscrowError(DomainError):
    pass


class SignatureError(EscrowError):
    pass


def sign(event: EscrowEvent, secret: bytes) -> EscrowEvent:
    mac = hmac.new(secret, event.payload(), hashlib.sha256).hexdigest()
    return event.model_copy(update={"signature": mac})


def verify(event: EscrowEvent, secret: bytes) -> EscrowEvent:
    expected = hmac.new(secret, event.payload(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, event.signature or ""):
        raise SignatureError(N_("the escrow event's signature does not verify"))
    return event


_ALLOWED = {
    EventType.HOLD_FUNDED: ({HoldStatus.CREATED}, HoldStatus.FUNDED),
    EventType.HOLD_RELEASED: ({HoldStatus.FUNDED}, HoldStatus.RELEASED),
    EventType.HOLD_REFUNDED: ({HoldStatus.FUNDED, HoldStatus.DISPUTED}, HoldStatus.REFUNDED),
    EventType.HOLD_DISPUTED: ({HoldStatus.FUNDED}, HoldStatus.DISPUTED),
    EventType.HOLD_RESOLVED: ({HoldStatus.DISPUTED}, HoldStatus.FUNDED),
}


class MockEscrowProvider:
    """In-process stand-in for a payment provider. State is a dict of holds it returns as models;
    the platform persists holds itself, so the provider can be rebuilt from them (``load``)."""

    def __init__(self, secret: bytes):
        self._secret = secret
        self._holds: dict[str, Hold] = {}

    def load(self, hold: Hold) -> None:
        self._holds[hold.hold_id] = hold

    def _event(self, type_: EventType, hold: Hold) -> EscrowEvent:
        event = EscrowEvent(
            event_id="evt_" + secrets.token_hex(8),
            type=type_,
            hold_id=hold.hold_id,
            deal_id=hold.deal_id,
            amount_fen=hold.amount_fen,
            created_at=datetime.now(UTC).replace(microsecond=0),
        )
        return sign(event, self._secret)

    def create_hold(self, request: CreateHold) -> tuple[Hold, EscrowEvent]:
        hold = Hold(hold_id="hold_" + secrets.token_hex(8), deal_id=request.deal_id, amount_fen=request.amount_fen,
                    status=HoldStatus.CREATED)
        self._holds[hold.hold_id] = hold
        return hold, self._event(EventType.HOLD_CREATED, hold)

    def _move(self, action: HoldAction, type_: EventType) -> tuple[Hold, EscrowEvent]:
        hold = self._holds.get(action.hold_id)
        if hold is None:
            raise EscrowError(N_("unknown escrow hold"))
        if action.amount_fen != hold.amount_fen:
            raise EscrowError(N_("the amount differs from the hold's amount"))
        allowed, target = _ALLOWED[type_]
        if hold.status not in allowed:
            raise EscrowError(N_("the escrow hold is {status}"), status=hold.status.value)
        hold.status = target
        return hold, self._event(type_, hold)

    def fund(self, action: HoldAction):
        return self._move(action, EventType.HOLD_FUNDED)

    def release(self, action: HoldAction):
        return self._move(action, EventType.HOLD_RELEASED)

    def refund(self, action: HoldAction):
        return self._move(action, EventType.HOLD_REFUNDED)

    def dispute(self, action: HoldAction):
        return self._move(action, EventType.HOLD_DISPUTED)

    def resolve(self, action: HoldAction):
        return self._move(action, EventType.HOLD_RESOLVED)
