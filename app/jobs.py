"""Background jobs. With ``JOB_QUEUE_URL`` (or ``REDIS_URL``) set, a job goes onto an RQ queue in Redis
and any machine's ``flask worker`` runs it; without, it runs in a thread of the process that asked
for it (one machine, development) or at once (``JOBS_WITHOUT_QUEUE = "sync"``, the tests).

What goes through here: patent and trademark imports, match refreshes after a need or listing is
committed, search index writes after a commit, and the centers' yearly report files. A caller
passes the task function itself; the queue carries its importable name (``module:qualname``, e.g.
``"app.services.matching:refresh_keys"``) so that a worker imports it itself; it runs inside the
worker's app context with a fresh database session.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from functools import reduce

from flask import Flask, current_app

log = logging.getLogger(__name__)

QUEUE = "ipx"  # short tasks: match refreshes, index writes, report files
LONG_QUEUE = "ipx-long"  # imports, which may take an hour: they must not hold up the short tasks
IMPORT_TIMEOUT = 6 * 3600  # seconds; a million-row file takes well under an hour
DEFAULT_TIMEOUT = 600


def queue_url(app: Flask) -> str:
    return app.config.get("JOB_QUEUE_URL") or ""


def _queue(url: str, name: str | None = None):
    from redis import Redis
    from rq import Queue

    return Queue(name or QUEUE, connection=Redis.from_url(url))


def _task(name: str):
    module, _, attr = name.partition(":")
    return reduce(getattr, attr.split("."), importlib.import_module(module))


def task_name(fn: Callable) -> str:
    """The name a worker imports ``fn`` by (``module:qualname``). A task must be reachable from its
    module by that name: a lambda, a nested function or a bound method is refused (TypeError)."""
    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)
    if not callable(fn) or not module or not qualname or "<" in qualname:
        raise TypeError(f"a task must be a module-level function, not {fn!r}")
    name = f"{module}:{qualname}"
    try:
        found = _task(name)
    except (ImportError, AttributeError):
        found = None
    if found is not fn:
        raise TypeError(f"a task must be a module-level function a worker can import as {name}, not {fn!r}")
    return name


def enqueue(app: Flask, fn: Callable, *args, timeout: int = DEFAULT_TIMEOUT, description: str = "",
            retries: int = 0, queue: str | None = None) -> None:
    """Run task ``fn(*args)`` outside the request: on ``queue`` (default QUEUE) when there is a queue,
    else in a thread of this process (``JOBS_WITHOUT_QUEUE = "thread"``, the default) or at once
    (``"sync"``). ``retries``: how many more times the queue runs a task that raised, with growing pauses."""
    name = task_name(fn)
    url = queue_url(app)
    if not url:
        if app.config.get("JOBS_WITHOUT_QUEUE", "thread") == "sync":
            _call(app, name, args)
        else:
            threading.Thread(target=_call, args=(app, name, args), name=f"job-{name}", daemon=True).start()
        return
    from rq import Retry

    retry = Retry(max=retries, interval=[1, 5, 30, 120][: max(retries, 1)]) if retries else None
    try:
        _queue(url, queue).enqueue(run_task, name, *args, job_timeout=timeout, result_ttl=3600,
                                   failure_ttl=7 * 86400, description=description or name, retry=retry)
    except Exception:  # noqa: BLE001 - Redis is away: the work is not lost, this process does it
        log.warning("could not queue %s; running it in this process", name, exc_info=True)
        threading.Thread(target=_call, args=(app, name, args), name=f"job-{name}", daemon=True).start()


def _call(app: Flask, name: str, args: tuple) -> None:
    from .extensions import db

    with app.app_context():
        try:
            _task(name)(*args)
        except Exception:  # noqa: BLE001 - a thread has no one to report to; the log does
            log.exception("background task %s failed", name)
        finally:
            db.session.remove()


def enqueue_import(app: Flask, job_id: int) -> None:
    """Run import job ``job_id`` outside the request, on the imports' own queue."""
    from .services.imports import run_job  # imported here: the services import this module

    enqueue(app, run_job, job_id, timeout=IMPORT_TIMEOUT, queue=LONG_QUEUE,
            description=f"import job {job_id}")


_worker_app: Flask | None = None


def _app() -> Flask:
    app = _worker_app
    if app is None:  # a worker started without `flask worker` (e.g. `rq worker ipx`)
        from . import create_app

        app = create_app()
    return app


def run_task(name: str, *args) -> None:
    """The queued function for every task: runs in a worker, with the worker's app. An exception
    reaches RQ, which keeps the job in its failed registry (and retries it when asked to)."""
    from .extensions import db

    with _app().app_context():
        try:
            _task(name)(*args)
        finally:
            db.session.remove()


def schedule(app: Flask, fn: Callable, at, *args, job_id: str) -> bool:
    """Run task ``fn`` at ``at`` (an aware datetime) through the worker's scheduler; a job id
    already booked is left as it is (so every worker start books a daily task once). False
    without a queue: run the task's command by hand (or from cron) instead."""
    name = task_name(fn)
    url = queue_url(app)
    if not url:
        return False
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    queue = _queue(url)
    job_id = f"{queue.name}-{job_id}"  # one booking per queue
    try:
        job = Job.fetch(job_id, connection=queue.connection)
        if job.get_status(refresh=True) in ("scheduled", "queued", "started"):
            return True
    except NoSuchJobError:
        pass
    queue.enqueue_at(at, run_task, name, *args, job_id=job_id, result_ttl=86400, failure_ttl=7 * 86400,
                     description=name)
    return True


# The nightly tasks (01:00 Beijing, services/expiry.next_run): each booked once per queue, and booked
# again for the next night when it has run. Without a queue, run their commands from cron.
def daily_tasks() -> dict[str, Callable[[], object]]:
    """The nightly tasks by their booking's job id."""
    from .services import expiry, lifecycle  # imported here: the services import this module

    return {
        "daily-expire-patents": expiry.expire_patents,  # flask expire-patents
        "daily-lifecycle-reminders": lifecycle.send_reminders,  # flask lifecycle-reminders
    }


def _next_night():
    from .services.expiry import next_run

    return next_run()


def schedule_daily(app: Flask) -> None:
    """Book every daily task's next run (done when a worker starts)."""
    for job_id in daily_tasks():
        schedule(app, run_daily, _next_night(), job_id, job_id=job_id)


def run_daily(job_id: str) -> None:
    """The booked task: run the daily task, then book tomorrow's run."""
    daily_tasks()[job_id]()
    schedule(current_app, run_daily, _next_night(), job_id, job_id=job_id)


def work(burst: bool = False, queues: list[str] | None = None) -> None:
    """Run jobs from ``queues`` (default: the short tasks' queue first, then the imports') until stopped
    (``burst``: until they are empty). Jobs run in this process one after another (no fork per job:
    the app, its database pool and search index stay). While a worker runs an import it runs nothing
    else: give the short queue a worker of its own (``flask worker --queue ipx``)."""
    from redis import Redis
    from rq import SimpleWorker

    global _worker_app
    app = current_app._get_current_object()
    url = queue_url(app)
    if not url:
        raise RuntimeError("set JOB_QUEUE_URL or REDIS_URL to the Redis that holds the queue")
    _worker_app = app
    if not burst:
        schedule_daily(app)  # e.g. patents past their term expire every night (services/expiry.py)
    # the scheduler puts retried tasks back on the queue when their pause is over (and runs booked tasks)
    SimpleWorker(queues or [QUEUE, LONG_QUEUE], connection=Redis.from_url(url)).work(burst=burst,
                                                                                  with_scheduler=not burst)
