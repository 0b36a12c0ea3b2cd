"""Configuration. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'ipx.sqlite3'}"
    # Heroku-style URLs name the driver "postgres"; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _ratelimit_storage_uri() -> str:
    return os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    # Times are stored in UTC and shown in this zone (an IANA name); Beijing time by default.
    DISPLAY_TIMEZONE = os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai")
    BABEL_DEFAULT_TIMEZONE = DISPLAY_TIMEZONE
    LANGUAGES = {"zh_CN": "中文", "en": "English"}
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Flask-Limiter: memory per process by default, which is per worker; with more than one worker or
    # machine set REDIS_URL (or RATELIMIT_STORAGE_URI) so that every worker counts against one limit.
    RATELIMIT_STORAGE_URI = _ratelimit_storage_uri()
    RATELIMIT_HEADERS_ENABLED = True
    # A store that cannot be reached never refuses a request: the limiter logs it, counts in the process's
    # memory until the store answers again (it looks now and then), and gives up on a dead store quickly.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # The proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated addresses or
    # networks, "*" for any), the same setting gunicorn.conf.py reads; from anyone else they are ignored.
    FORWARDED_ALLOW_IPS = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
    # Per account (on top of the per-address LOGIN_RATE_LIMIT): the first LOGIN_ACCOUNT_FREE_ATTEMPTS
    # failures in a row cost nothing, then each further attempt waits twice as long as the one before,
    # from LOGIN_ACCOUNT_BASE_DELAY up to LOGIN_ACCOUNT_MAX_DELAY seconds; LOGIN_ACCOUNT_FORGET_AFTER
    # seconds without an attempt forget them. Counted in RATELIMIT_STORAGE_URI when it is Redis, so
    # shared by all workers; in the process's memory otherwise or while Redis is unreachable.
    LOGIN_ACCOUNT_FREE_ATTEMPTS = int(os.environ.get("LOGIN_ACCOUNT_FREE_ATTEMPTS", "5"))
    LOGIN_ACCOUNT_BASE_DELAY = float(os.environ.get("LOGIN_ACCOUNT_BASE_DELAY", "2"))
    LOGIN_ACCOUNT_MAX_DELAY = float(os.environ.get("LOGIN_ACCOUNT_MAX_DELAY", "900"))
    LOGIN_ACCOUNT_FORGET_AFTER = int(os.environ.get("LOGIN_ACCOUNT_FORGET_AFTER", "3600"))
    # Public pages anonymous visitors see alike, kept this many seconds (0: off); see app/page_cache.py.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "10"))
    # Weights of the match factors (app/domain/matching.py documents each); any left out keep their
    # default: text 0.35, ipc 0.25, industry 0.10, alliance 0.05, region 0.05, licence 0.05,
    # budget 0.10, stage 0.05. They are normalised to sum to 1.
    MATCH_WEIGHTS: dict[str, float] = {}
    # The e-mail outbox (`flask send-outbox`): console prints, smtp sends through MAIL_SMTP_HOST.
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "console")
    MAIL_FROM = os.environ.get("MAIL_FROM", "noreply@ipx.local")
    MAIL_SMTP_HOST = os.environ.get("MAIL_SMTP_HOST", "127.0.0.1")
    MAIL_SMTP_PORT = int(os.environ.get("MAIL_SMTP_PORT", "25"))
    MAIL_SMTP_USER = os.environ.get("MAIL_SMTP_USER", "")
    MAIL_SMTP_PASSWORD = os.environ.get("MAIL_SMTP_PASSWORD", "")
    MAIL_SMTP_TLS = os.environ.get("MAIL_SMTP_TLS", "") == "1"
    PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL") or os.environ.get("REDIS_URL", "")
    # Background jobs (imports, match refreshes, search index writes, report files) on an RQ queue that
    # `flask worker` empties; unset: a thread of the process that asked.
    JOB_QUEUE_URL = os.environ.get("JOB_QUEUE_URL") or os.environ.get("REDIS_URL", "")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "5 per minute;30 per hour")
    PASSWORD_HASH_METHOD = "scrypt"
    INVITATION_DAYS = 14
    PAGE_SIZE = 20
    DEMO_PASSWORD = "demo-pass-2026"
    # Mock escrow: events are HMAC-signed with this secret; the platform fee is in basis points.
    ESCROW_SECRET = os.environ.get("ESCROW_SECRET", "dev-escrow-secret")
    PLATFORM_FEE_BP = int(os.environ.get("PLATFORM_FEE_BP", "100"))  # 1 %
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    # Patent and trademark files (app/services/imports.py): the largest upload, rows a file may have,
    # rejected cells kept per job (the rest are counted), and the bound on what an .xlsx may expand to.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "1000000"))
    IMPORT_MAX_STORED_ERRORS = 1000
    IMPORT_XLSX_MAX_EXPANDED = 2 * 1024 * 1024 * 1024  # all entries together, as the zip declares them
    IMPORT_XLSX_MAX_SHARED_STRINGS = 256 * 1024 * 1024  # openpyxl holds the shared strings in memory
    IMPORT_XLSX_MAX_RATIO = 100  # expanded / compressed, for entries over 1 MB expanded
    # A running import writes a heartbeat after every batch; without one for this long it is given up.
    IMPORT_STALE_SECONDS = 300
    AUDIT_LOG = os.environ.get("AUDIT_LOG", str(INSTANCE_DIR / "audit.log"))
    # The app's and the worker's log lines from this level up (app/logging_setup.py); libraries' from WARNING.
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    DEBUG = False  # run with `flask --debug run` when you want the debugger


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL_RESOLVED", "sqlite://")
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # cheap hashing keeps the suite fast
    WTF_CSRF_ENABLED = False  # view tests post plain forms; CSRF has its own test that enables it
    RATELIMIT_ENABLED = False
    PAGE_CACHE_SECONDS = 0  # tests see every change at once; the cache has its own test
    PAGE_CACHE_URL = ""
    JOB_QUEUE_URL = ""
    JOBS_WITHOUT_QUEUE = "sync"  # background tasks run at once, so a test sees their result
    SERVER_NAME = "localhost"
    AUDIT_LOG = None
    UPLOAD_DIR = os.path.join(tempfile.gettempdir(), "ipx-test-uploads")  # never the instance folder


class ProductionConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = os.environ.get("COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}
