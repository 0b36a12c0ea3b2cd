"""Background jobs. With ``JOB_QUEUE_URL`` (or ``REDIS_URL``) set, a job goes onto an RQ queue in Redis
and any machine's ``flask worker`` runs it; without, it runs in a thread of the web process that
received it (one machine, development, tests).

Patent and trademark imports go through here. The search index already follows commits inside each
process, so it needs no job.
"""

from __future__ import annotations

from flask import Flask, current_app

QUEUE = "ipx"
IMPORT_TIMEOUT = 6 * 3600  # seconds; a million-row file takes well under an hour


def queue_url(app: Flask) -> str:
    return app.config.get("JOB_QUEUE_URL") or ""


def _queue(url: str):
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE, connection=Redis.from_url(url))


def enqueue_import(app: Flask, job_id: int) -> None:
    """Run import job ``job_id`` outside the request."""
    url = queue_url(app)
    if not url:
        from .services import imports

        imports.start_in_background(app, job_id)
        return
    _queue(url).enqueue(run_import, job_id, job_timeout=IMPORT_TIMEOUT, result_ttl=3600,
                        description=f"import job {job_id}")


_worker_app: Flask | None = None


def run_import(job_id: int) -> None:
    """The queued function: runs in a worker, with the worker's app."""
    from .extensions import db
    from .services import imports

    app = _worker_app
    if app is None:  # a worker started without `flask worker` (e.g. `rq worker ipx`)
        from . import create_app

        app = create_app()
    with app.app_context():
        try:
            imports.run_job(job_id)
        finally:
            db.session.remove()


def work(burst: bool = False) -> None:
    """Run jobs from the queue until stopped (``burst``: until the queue is empty). Jobs run in this
    process one after another (no fork per job: the app, its database pool and search index stay)."""
    from redis import Redis
    from rq import SimpleWorker

    global _worker_app
    app = current_app._get_current_object()
    url = queue_url(app)
    if not url:
        raise RuntimeError("set JOB_QUEUE_URL or REDIS_URL to the Redis that holds the queue")
    _worker_app = app
    SimpleWorker([QUEUE], connection=Redis.from_url(url)).work(burst=burst, with_scheduler=False)
