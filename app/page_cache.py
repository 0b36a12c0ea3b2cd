"""A short-lived cache of the public pages that every anonymous visitor sees alike: home, listing and
need lists, patent search. Rendering them costs 15–25 ms; a hit costs well under one.

What is cached: a GET of one of ``CACHED_ENDPOINTS`` by an anonymous visitor whose session holds
nothing but the language, answered 200 without setting a cookie. The key holds the language, the full
path with its query, and a *generation* that every database commit with changes increases, so a
listing published or withdrawn in this process shows at once; other workers follow within
``PAGE_CACHE_SECONDS`` (at once too when ``PAGE_CACHE_URL`` / ``REDIS_URL`` names a Redis that all
workers share for both the pages and the generation). ``PAGE_CACHE_SECONDS = 0`` turns it off.
"""

from __future__ import annotations

import threading
import time
import weakref

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

CACHED_ENDPOINTS = frozenset({"main.index", "listings.index", "needs.index", "patentdb.search"})
MAX_ENTRIES = 2000
DEFAULT_PREFIX = "ipx:pages:"  # PAGE_CACHE_PREFIX: apps sharing one Redis database keep apart by it


class MemoryStore:
    """Per process: a dict of (expiry, value) and a generation counter."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[float, tuple]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def generation(self) -> int:
        return self._generation

    def bump(self) -> None:
        with self._lock:
            self._generation += 1
            self._items.clear()  # every entry carries an old generation now

    def get(self, key: str):
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def set(self, key: str, value: tuple, seconds: int) -> None:
        with self._lock:
            if len(self._items) >= MAX_ENTRIES:
                self._items.clear()
            self._items[key] = (time.monotonic() + seconds, value)


class RedisStore:
    """Shared by every worker and machine; a Redis failure only means a miss."""

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX) -> None:
        import redis

        self._prefix = prefix

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._errors = (redis.exceptions.RedisError, OSError)

    def generation(self) -> int:
        try:
            return int(self._redis.get(self._prefix + "generation") or 0)
        except self._errors:
            return -1

    def bump(self) -> None:
        try:
            self._redis.incr(self._prefix + "generation")
        except self._errors:
            pass

    def get(self, key: str):
        try:
            raw = self._redis.get(self._prefix + key)
        except self._errors:
            return None
        if raw is None:
            return None
        content_type, _, body = raw.partition(b"\n")
        return content_type.decode(), body

    def set(self, key: str, value: tuple, seconds: int) -> None:
        content_type, body = value
        try:
            self._redis.set(self._prefix + key, content_type.encode() + b"\n" + body, ex=seconds)
        except self._errors:
            pass


def _store():
    return current_app.extensions["ipx_page_cache"]


def _cacheable() -> bool:
    if request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS:
        return False
    if any(k != "lang" for k in session.keys()):  # logged in, flashed messages, a form's CSRF secret …
        return False
    return not current_user.is_authenticated


def _key(generation: int) -> str:
    from flask_babel import get_locale  # the language the page will be rendered in (session, else default)

    return f"{generation}:{get_locale()}:{request.full_path}"


def init_app(app: Flask) -> None:
    seconds = int(app.config.get("PAGE_CACHE_SECONDS", 0))
    if seconds <= 0:
        return
    url = app.config.get("PAGE_CACHE_URL") or ""
    store = RedisStore(url, app.config.get("PAGE_CACHE_PREFIX", DEFAULT_PREFIX)) if url.startswith(("redis://", "rediss://", "unix://")) else MemoryStore()
    app.extensions["ipx_page_cache"] = store

    @app.before_request
    def serve_from_cache():
        if not _cacheable():
            return None
        g.page_cache_key = _key(_store().generation())
        hit = _store().get(g.page_cache_key)
        if hit is None:
            return None
        content_type, body = hit
        response = Response(body, content_type=content_type)
        response.headers["X-Page-Cache"] = "hit"
        g.page_cache_key = None  # already stored
        return response

    @app.after_request
    def store_in_cache(response):
        key = g.get("page_cache_key")
        if key and response.status_code == 200 and not response.direct_passthrough \
                and "Set-Cookie" not in response.headers and not session.modified:
            _store().set(key, (response.content_type, response.get_data()), seconds)
        return response

    _STORES.add(store)


# Any commit with changes starts a new generation in every store of the process (cheap: one counter).
_STORES: weakref.WeakSet = weakref.WeakSet()


def bump_all() -> None:
    """A commit changed data: start a new generation in every store (an ``events`` handler)."""
    for store in list(_STORES):
        store.bump()
