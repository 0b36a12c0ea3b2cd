"""Per-account login throttle: a few failures cost nothing, then every further attempt waits twice as long as
the one before, up to a ceiling; a success or a quiet spell forgets them. Never a lock-out that lasts: the
worst anyone can do to an account is make its owner wait the ceiling."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    free_attempts: int = 5
    base_delay: float = 2.0  # seconds before the attempt after the last free one
    max_delay: float = 900.0
    forget_after: int = 3600  # seconds without an attempt


@dataclass(frozen=True)
class State:
    attempts: int = 0  # attempts since the last success
    not_before: float = 0.0  # epoch seconds: no attempt is looked at earlier


@dataclass(frozen=True)
class Decision:
    allowed: bool
    state: State  # the state to keep (unchanged when refused)
    wait: float = 0.0  # seconds until the next attempt is looked at, when refused


def delay_after(attempts: int, policy: Policy) -> float:
    """Seconds the next attempt has to wait after ``attempts`` attempts without a success."""
    if attempts < policy.free_attempts:
        return 0.0
    return min(policy.max_delay, policy.base_delay * 2 ** min(attempts - policy.free_attempts, 60))


def decide(state: State, now: float, policy: Policy) -> Decision:
    """An attempt at ``now``: refused while the delay runs (and then not counted), else counted."""
    if now < state.not_before:
        return Decision(False, state, state.not_before - now)
    attempts = state.attempts + 1
    return Decision(True, State(attempts, now + delay_after(attempts, policy)))


def starts_delay(attempts: int, policy: Policy) -> bool:
    """This failed attempt is the one after which attempts have to wait: the moment to tell the owner."""
    return attempts == policy.free_attempts


def keep_seconds(policy: Policy) -> int:
    """How long a state is kept after its last attempt."""
    return int(policy.forget_after + policy.max_delay)
