"""With a job queue configured, match refreshes and search index writes leave the web process:
they wait on the RQ queue in Redis until a worker runs them (a real Redis, a real Whoosh index)."""

import sqlalchemy as sa

from app import jobs
from app.models import Industry, Match
from app.search import SearchRequest, backend, state
from app.search.query import parse
from tests.conftest import make_listing, make_need, make_org, make_user


def _listing_and_need():
    owner = make_user(org=make_org("university", name="太原理工大学"))
    buyer = make_user(org=make_org("sme", name="太原锂想新能源有限公司"))
    listing = make_listing(owner.org, title="石墨烯导热膜制备技术许可", description="石墨烯导热膜量产工艺。")
    need = make_need(buyer.org, title="寻求石墨烯导热膜量产技术", description="用于动力电池热管理的石墨烯导热膜。",
                     industry=Industry.CARBON_MATERIALS)
    return listing, need


def test_a_match_refresh_waits_on_the_queue_for_a_worker(app, db, job_queue, monkeypatch):
    monkeypatch.setitem(app.config, "MATCH_REFRESH", "thread")  # the production setting
    listing, need = _listing_and_need()
    assert job_queue.count >= 1  # the commits queued refreshes; nothing ran in this process
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 0
    jobs.work(burst=True)  # `flask worker --burst`
    db.session.expire_all()
    match = db.session.scalar(sa.select(Match).where(Match.need_id == need.id))
    assert match is not None and match.listing_id == listing.id and job_queue.count == 0
    assert "石墨烯" in {f["factor"]: f for f in match.explanation}["text"]["shared_terms"]


def test_search_index_writes_wait_on_the_queue_for_a_worker(app, db, job_queue, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MATCH_REFRESH", "off")
    saved = {k: app.config[k] for k in ("SEARCH_BACKEND", "SEARCH_WRITER", "SEARCH_INDEX_DIR")}
    app.config.update(SEARCH_BACKEND="whoosh", SEARCH_WRITER="queue", SEARCH_INDEX_DIR=str(tmp_path / "index"))
    state().reset_backend()
    try:
        listing, _ = _listing_and_need()
        request = SearchRequest(parse("石墨烯导热膜"), filters={"kind": ["listing"]})
        assert job_queue.count >= 1 and backend().search(request).total == 0  # not written by the web process
        jobs.work(burst=True)
        backend().refresh()
        hits = backend().search(request).hits
        assert [(h.kind, h.object_id) for h in hits] == [("listing", listing.id)]
    finally:
        app.config.update(saved)
        state().reset_backend()


def test_without_redis_a_queued_task_runs_in_the_process_instead(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_QUEUE_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    monkeypatch.setitem(app.config, "MATCH_REFRESH", "thread")
    done = []
    monkeypatch.setattr("app.services.matching._run", lambda _app, keys: done.append(keys))
    _listing_and_need()
    import time

    deadline = time.monotonic() + 10
    while not done and time.monotonic() < deadline:
        time.sleep(0.05)
    assert done  # the refresh was not lost when the queue could not take it


def test_a_failed_match_refresh_is_retried_by_the_queue(app, db, job_queue, monkeypatch):
    from app.services import matching

    monkeypatch.setitem(app.config, "MATCH_REFRESH", "thread")
    listing, need = _listing_and_need()
    queued = job_queue.jobs
    assert queued and all(job.retries_left == 2 for job in queued)

    def down(session, object_id):
        raise RuntimeError("the matcher is down")

    monkeypatch.setattr(matching, "refresh_need", down)
    monkeypatch.setattr(matching, "refresh_listing", down)
    jobs.work(burst=True)
    # each task raised after trying its keys: RQ booked it again (after a pause) instead of dropping it
    retried = job_queue.scheduled_job_registry.get_job_ids()
    assert sorted(retried) == sorted(job.id for job in queued)
    assert all(job_queue.fetch_job(job_id).retries_left == 1 for job_id in retried)
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 0
    for job_id in retried:
        job_queue.fetch_job(job_id).delete()


def test_a_failed_index_write_is_retried_by_the_queue(app, db, job_queue, monkeypatch):
    monkeypatch.setitem(app.config, "MATCH_REFRESH", "off")
    saved = app.config["SEARCH_WRITER"]
    app.config.update(SEARCH_WRITER="queue")
    state().reset_backend()
    try:
        _listing_and_need()
        queued = job_queue.jobs
        assert queued and all(job.retries_left == 4 for job in queued)

        def down(docs, deleted):
            raise RuntimeError("the index is locked")

        monkeypatch.setattr(state().backend, "apply", down)
        jobs.work(burst=True)
        retried = job_queue.scheduled_job_registry.get_job_ids()
        assert sorted(retried) == sorted(job.id for job in queued)
        for job_id in retried:
            job_queue.fetch_job(job_id).delete()
    finally:
        app.config.update(SEARCH_WRITER=saved)
        state().reset_backend()
