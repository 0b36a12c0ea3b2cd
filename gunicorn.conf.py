"""gunicorn settings: `gunicorn` (run from the project folder) picks this file up by itself.

Everything that differs between machines comes from the environment:
WEB_CONCURRENCY (workers; default 2 per CPU, between 2 and 4), GUNICORN_THREADS (default 1),
BIND (default 127.0.0.1:8000), FORWARDED_ALLOW_IPS (the proxy in front, so that HTTPS is seen as HTTPS
and HSTS and secure cookies follow), GUNICORN_TIMEOUT (seconds, default 60).
"""

from __future__ import annotations

import multiprocessing
import os

os.environ.setdefault("APP_CONFIG", "production")

wsgi_app = "wsgi:app"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or min(4, max(2, 2 * multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# No preload: each worker opens its own database connections and search index after the fork.
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
