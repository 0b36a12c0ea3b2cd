"""The deal state machine (task 5).

draft → signed → funded → recorded → completed; cancel before funding; refund from funded or a
dispute; dispute from funded or recorded; a completed deal can be reversed (undone), which
takes its target count off with a correcting event.
"""

from __future__ import annotations

import enum
import re

from .errors import DomainError, N_


class DealKind(enum.StrEnum):
    TRANSFER = "transfer"
    EXCLUSIVE = "exclusive"
    SOLE = "sole"
    ORDINARY = "ordinary"


class DealStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    FUNDED = "funded"
    RECORDED = "recorded"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"
    REFUNDED = "refunded"
    REVERSED = "reversed"


class DealAction(enum.StrEnum):
    SIGN = "sign"
    FUND = "fund"
    RECORD = "record"
    COMPLETE = "complete"
    CANCEL = "cancel"
    DISPUTE = "dispute"
    RESOLVE_RELEASE = "resolve_release"  # dispute settled: the deal goes on
    REFUND = "refund"
    REVERSE = "reverse"


S, A = DealStatus, DealAction

# action -> (states it is allowed from, state it leads to)
TRANSITIONS: dict[DealAction, tuple[frozenset[DealStatus], DealStatus]] = {
    A.SIGN: (frozenset({S.DRAFT}), S.SIGNED),
    A.FUND: (frozenset({S.SIGNED}), S.FUNDED),
    A.RECORD: (frozenset({S.FUNDED}), S.RECORDED),
    A.COMPLETE: (frozenset({S.RECORDED}), S.COMPLETED),
    A.CANCEL: (frozenset({S.DRAFT, S.SIGNED}), S.CANCELLED),
    A.DISPUTE: (frozenset({S.FUNDED, S.RECORDED}), S.DISPUTED),
    A.RESOLVE_RELEASE: (frozenset({S.DISPUTED}), S.FUNDED),
    A.REFUND: (frozenset({S.FUNDED, S.DISPUTED}), S.REFUNDED),
    A.REVERSE: (frozenset({S.COMPLETED}), S.REVERSED),
}

FINAL = frozenset({S.CANCELLED, S.REFUNDED, S.REVERSED})
MONEY_HELD = frozenset({S.FUNDED, S.RECORDED, S.DISPUTED})


class DealTransitionError(DomainError):
    """The action is not allowed in the deal's current state (HTTP 409)."""


def next_status(current: DealStatus | str, action: DealAction | str) -> DealStatus:
    current, action = DealStatus(current), DealAction(action)
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        raise DealTransitionError(
            N_("a deal in state {status} cannot do “{action}”"), status=current.value, action=action.value
        )
    return target


def allowed_actions(current: DealStatus | str) -> list[DealAction]:
    current = DealStatus(current)
    return [a for a, (allowed, _) in TRANSITIONS.items() if current in allowed]


# CNIPA recordal numbers. Licence contracts: "X" + filing year + 9 digits, e.g. X2024110000123
# (decision: the public recordal notices show this shape). Transfers are registered as a change
# of bibliographic data; we take the change notice's number: 8-20 letters/digits.
_LICENCE_RECORDAL = re.compile(r"^X(19|20)\d{2}\d{9}$")
_TRANSFER_RECORDAL = re.compile(r"^[A-Z0-9]{8,20}$")


class RecordalError(DomainError):
    pass


def clean_recordal(number: str) -> str:
    """The written form a recordal number is stored and compared in: no spaces or dashes, upper case."""
    return re.sub(r"[\s\-]", "", (number or "")).upper()


def normalize_recordal(kind: DealKind | str, number: str) -> str:
    text = clean_recordal(number)
    if not text:
        raise RecordalError(N_("the CNIPA recordal number is required"), field="recordal_number")
    if DealKind(kind) is DealKind.TRANSFER:
        if not _TRANSFER_RECORDAL.match(text):
            raise RecordalError(
                N_("a transfer registration number has 8-20 letters and digits"), field="recordal_number"
            )
    elif not _LICENCE_RECORDAL.match(text):
        raise RecordalError(
            N_("a licence recordal number looks like X2024110000123 (X, the year, 9 digits)"),
            field="recordal_number",
        )
    return text


PROGRESS_STEPS = (S.DRAFT, S.SIGNED, S.FUNDED, S.RECORDED, S.COMPLETED)


def progress(status: DealStatus, *, signed: bool, funded: bool, recorded: bool) -> list[tuple[DealStatus, str]]:
    """The deal's way along draft → signed → funded → recorded → completed, each step 'done',
    'current' or 'todo'. A deal off the way (cancelled, disputed, refunded, undone) shows the steps
    it had reached as done and none as current."""
    reached = {S.DRAFT: True, S.SIGNED: signed, S.FUNDED: funded, S.RECORDED: recorded,
               S.COMPLETED: status in (S.COMPLETED, S.REVERSED)}
    if status in PROGRESS_STEPS:
        here = PROGRESS_STEPS.index(status)
        return [(step, "done" if i < here else "current" if i == here else "todo") for i, step in enumerate(PROGRESS_STEPS)]
    return [(step, "done" if reached[step] else "todo") for step in PROGRESS_STEPS]
