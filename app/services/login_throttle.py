"""The per-account login throttle (rules in app/domain/login_throttle.py), kept in Redis when
RATELIMIT_STORAGE_URI is Redis, so that every worker counts the same attempts; in the process's memory
otherwise, and while Redis is unreachable (logged; Redis is tried again after RETRY_SECONDS)."""

from __future__ import annotations

import hashlib
import logging
import threading
import time

import redis
from flask import Flask, current_app

from ..domain.login_throttle import Decision, Policy, State, decide, keep_seconds

log = logging.getLogger(__name__)
RETRY_SECONDS = 30
_WATCH_TRIES = 50  # others changed the account's row meanwhile: read it again, this many times at most
_MEMORY_ROWS = 100_000  # past this many accounts the expired ones are dropped


class MemoryStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[State, float]] = {}

    def attempt(self, key: str, now: float, policy: Policy) -> Decision:
        with self._lock:
            state, expires = self._rows.get(key, (State(), 0.0))
            decision = decide(state if expires > now else State(), now, policy)
            if decision.allowed:
                if len(self._rows) >= _MEMORY_ROWS:
                    self._rows = {k: v for k, v in self._rows.items() if v[1] > now}
                self._rows[key] = (decision.state, now + keep_seconds(policy))
            return decision

    def forget(self, key: str) -> None:
        with self._lock:
            self._rows.pop(key, None)


class RedisStore:
    """One hash per account; WATCH makes the read-decide-write atomic, so a burst of parallel guesses is
    counted one by one."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)

    def attempt(self, key: str, now: float, policy: Policy) -> Decision:
        with self.client.pipeline() as pipe:
            for _ in range(_WATCH_TRIES):
                try:
                    pipe.watch(key)
                    attempts, not_before = pipe.hmget(key, "attempts", "not_before")
                    state = State(int(attempts or 0), float(not_before or 0))
                    decision = decide(state, now, policy)
                    if not decision.allowed:
                        pipe.unwatch()
                        return decision
                    pipe.multi()
                    pipe.hset(key, mapping={"attempts": decision.state.attempts,
                                            "not_before": repr(decision.state.not_before)})
                    pipe.expire(key, keep_seconds(policy))
                    pipe.execute()
                    return decision
                except redis.WatchError:
                    continue
        return Decision(False, State(), policy.base_delay)  # that busy: this one waits

    def forget(self, key: str) -> None:
        self.client.delete(key)


class Throttle:
    def __init__(self, url: str, prefix: str, policy: Policy):
        self.policy, self.prefix = policy, prefix
        self.memory = MemoryStore()
        self.redis = RedisStore(url) if url.startswith(("redis://", "rediss://", "unix://")) else None
        self._redis_down_until = 0.0
        self.clock = time.time  # epoch seconds; tests move it

    def _key(self, email: str) -> str:
        return self.prefix + hashlib.sha256(email.strip().lower().encode()).hexdigest()

    def _shared(self) -> RedisStore | None:
        return self.redis if self.redis is not None and time.monotonic() >= self._redis_down_until else None

    def _redis_failed(self, err: Exception) -> None:
        log.warning("login throttle: Redis unreachable (%s); counting in this process for %ss", err, RETRY_SECONDS)
        self._redis_down_until = time.monotonic() + RETRY_SECONDS

    def attempt(self, email: str, now: float | None = None) -> Decision:
        """Count an attempt at the account, or refuse it while its delay runs."""
        now, key = self.clock() if now is None else now, self._key(email)
        shared = self._shared()
        if shared is not None:
            try:
                return shared.attempt(key, now, self.policy)
            except redis.RedisError as err:
                self._redis_failed(err)
        return self.memory.attempt(key, now, self.policy)

    def succeeded(self, email: str) -> None:
        key = self._key(email)
        self.memory.forget(key)
        shared = self._shared()
        if shared is not None:
            try:
                shared.forget(key)
            except redis.RedisError as err:
                self._redis_failed(err)


def init_app(app: Flask) -> None:
    c = app.config
    policy = Policy(free_attempts=c["LOGIN_ACCOUNT_FREE_ATTEMPTS"], base_delay=c["LOGIN_ACCOUNT_BASE_DELAY"],
                    max_delay=c["LOGIN_ACCOUNT_MAX_DELAY"], forget_after=c["LOGIN_ACCOUNT_FORGET_AFTER"])
    prefix = (c.get("RATELIMIT_KEY_PREFIX") or "") + "ipx-login-account:"
    app.extensions["login_throttle"] = Throttle(c.get("RATELIMIT_STORAGE_URI") or "", prefix, policy)


def throttle() -> Throttle:
    return current_app.extensions["login_throttle"]
