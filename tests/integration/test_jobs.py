"""Background imports: through an RQ queue in Redis when one is configured, else a thread."""

import importlib
import io

import pytest
from werkzeug.datastructures import FileStorage

from app import jobs
from app.domain import patent_numbers
from app.models import ImportJob, Role
from app.services import imports, matching
from tests.conftest import make_center, make_user


def _job(db):
    center = make_center()
    staff = make_user(center.org, Role.CENTER_STAFF)
    number = patent_numbers.make(2021, "1", 610001)
    csv = ("申请号,名称,摘要,专利类型,IPC分类号,申请人,申请日,法律状态\n"
           f"{number},一种碳化硅单晶衬底的制备方法,碳化硅晶体生长。,发明,C30B 29/36,山西烁科晶体有限公司,2021-03-02,授权\n")
    upload = FileStorage(io.BytesIO(csv.encode()), filename="碳化硅.csv")
    return imports.create_job(staff, "patents", upload, center)


def test_without_a_queue_an_import_runs_in_a_thread(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_WITHOUT_QUEUE", "thread")  # the tests' default runs it at once
    job = _job(db)
    assert jobs.queue_url(app) == ""
    jobs.enqueue_import(app, job.id)
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        db.session.expire_all()
        if db.session.get(ImportJob, job.id).status.value in ("done", "failed"):
            break
        time.sleep(0.1)
    assert db.session.get(ImportJob, job.id).created_rows == 1


def test_with_redis_the_worker_runs_the_queued_import(app, db, job_queue):
    job = _job(db)
    jobs.enqueue_import(app, job.id)
    assert job_queue.long.count == 1 and job_queue.count == 0  # imports wait on a queue of their own
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).status.value == "queued"  # nothing ran in this process
    jobs.work(burst=True)  # `flask worker --burst`: both queues
    db.session.expire_all()
    done = db.session.get(ImportJob, job.id)
    assert done.created_rows == 1 and job_queue.long.count == 0


def test_a_worker_of_the_short_queue_leaves_imports_alone(app, db, job_queue):
    """`flask worker --queue ipx` keeps refreshes, index writes and reports moving while imports run elsewhere."""
    job = _job(db)
    jobs.enqueue_import(app, job.id)
    jobs.enqueue(app, matching.refresh_keys, [])
    assert (job_queue.count, job_queue.long.count) == (1, 1)
    jobs.work(burst=True, queues=[jobs.QUEUE])
    assert (job_queue.count, job_queue.long.count) == (0, 1)
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).status.value == "queued"
    result = app.test_cli_runner().invoke(args=["worker", "--burst", "--queue", "nonsense"])
    assert result.exit_code == 2 and "ipx-long" in result.output


def _every_task():
    from app.search import indexer, maintenance
    from app.services import report_jobs

    return [matching.refresh_keys, indexer.apply_keys, maintenance.reindex_if_stale, imports.run_job,
            report_jobs.build, jobs.run_daily, *jobs.daily_tasks().values()]


@pytest.mark.parametrize("task", _every_task(), ids=lambda fn: fn.__qualname__)
def test_a_task_goes_on_the_queue_by_a_name_that_leads_back_to_it(task):
    name = jobs.task_name(task)
    assert name == f"{task.__module__}:{task.__qualname__}"
    module, _, attr = name.partition(":")
    assert getattr(importlib.import_module(module), attr) is task  # what a worker does with the name


def _nested():
    def inner():
        pass

    return inner


class _Holder:
    def method(self):
        pass

    @staticmethod
    def static():
        pass


@pytest.mark.parametrize("task", [lambda: None, _nested(), _Holder().method, "app.services.matching:refresh_keys"],
                         ids=["lambda", "nested", "bound method", "dotted string"])
def test_a_task_a_worker_could_not_import_is_refused(app, task):
    with pytest.raises(TypeError):
        jobs.task_name(task)
    with pytest.raises(TypeError):
        jobs.enqueue(app, task)


def test_a_static_method_is_found_through_its_class():
    assert jobs.task_name(_Holder.static) == f"{__name__}:_Holder.static"
    assert jobs._task(jobs.task_name(_Holder.static)) is _Holder.static
