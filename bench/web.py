"""Load run: gunicorn with 2–4 workers on a fresh PostgreSQL database with the demo data.

    python bench/web.py [--workers 3] [--concurrency 8] [--seconds 10] [--deals 200] [--patents 2400]
                        [--page-cache-seconds 10]   # 0: every page rendered (no public page cache)
                        [--redis redis://127.0.0.1:6379/13]  # the deployment shape: see below

1. creates a throwaway PostgreSQL database (tests/pg.py), runs `flask db upgrade`, `flask seed-demo`
   and `flask search-reindex` on it;
2. starts gunicorn (gunicorn.conf.py, production config) with N workers on a free local port;
3. for each page (hello-world /healthz, home, listing list, search, a center's target dashboard as its
   staff) runs a bounded load: a fixed number of threads, each with one keep-alive http.client
   connection, for a fixed time; prints req/s, p50 and p95 per page and req/s as a share of hello-world;
4. closes deals concurrently through the HTTP API (POST /api/v1/deals/{id}/actions/complete, every deal
   twice with the same Idempotency-Key from two threads) and checks the counts are exact: every deal
   completed once, one target event per patent, the center's yearly count, a balanced ledger.

With ``--redis URL`` the server runs as it would on several machines: rate limits, the page cache and
the job queue in that Redis database (emptied first: give one of its own), and a ``flask worker`` beside
gunicorn that runs the match refreshes, search index writes and other jobs the requests queue; the
run then also publishes --needs needs through the API (the requests only commit; their match refreshes
and search index writes are queued), waits for the worker to drain the queue, and checks that every
need reached the search index and how many got matches.

Prints one JSON line per page, one for the deal run and a last summary line. Drops the database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEMO_STAFF = "center@demo.ipx.cn"
BENCH_SECRET = os.environ.get("SECRET_KEY") or os.urandom(16).hex()  # production config refuses the dev key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def wait_until_up(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


# ---- HTTP helpers ------------------------------------------------------------------------------


def cookie_of(response) -> str:
    cookies = [h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie"]
    return "; ".join(cookies)


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the real form (CSRF token and all); returns the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = cookie_of(response)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    conn.request("POST", "/auth/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"login as {email} failed: {response.status}")
    return cookie_of(response) or cookie


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1) if values else 0.0


def load(port: int, path: str, *, concurrency: int, seconds: float, headers: dict | None = None) -> dict:
    """Fixed concurrency for a fixed time; every thread keeps one connection open."""
    latencies: list[float] = []
    errors: list[int] = []
    hits = [0]  # answers served from the page cache (X-Page-Cache: hit)
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad, cached = [], [], 0
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                status = response.status
                cached += response.getheader("X-Page-Cache") == "hit"
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            mine.append(time.perf_counter() - t)
            if status != 200:
                bad.append(status)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)
            hits[0] += cached

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {"requests": len(latencies), "errors": len(errors), "req_s": round(len(latencies) / elapsed, 1),
            "p50_ms": pct(latencies, 0.5), "p95_ms": pct(latencies, 0.95), "cache_hits": hits[0]}


# ---- the deal run --------------------------------------------------------------------------------


def prepare_deals(url: str, n: int) -> tuple[list[int], str, int]:
    """N deals up to 'recorded' (one patent each) between two new organisations; the buyer's API token."""
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.domain import credit_code, patent_numbers
    from app.extensions import db
    from app.models import (AllianceMembership, Center, Listing, Organisation, OrgKind, Patent, PatentApplicant,
                            PatentIPC, Role, User)
    from app.services import deals as ds
    from app.services import tokens

    app = create_app("production", SQLALCHEMY_DATABASE_URI=url, AUDIT_LOG=None, SECRET_KEY=BENCH_SECRET, ESCROW_SECRET=BENCH_SECRET)
    with app.app_context():
        center = db.session.scalar(sa.select(Center).where(Center.industry == "carbon_materials"))
        pw = generate_password_hash("bench-only-password", method="pbkdf2:sha256:1000")
        seller_org = Organisation(name="基准测试卖方有限公司", kind=OrgKind.UNIVERSITY,
                                  credit_code=credit_code.make("91140100BN0000001"))
        buyer_org = Organisation(name="基准测试买方有限公司", kind=OrgKind.SME,
                                 credit_code=credit_code.make("91140100BN0000002"))
        seller = User(email="bench-seller@example.cn", name="卖方", password_hash=pw, role=Role.ORG_ADMIN, org=seller_org)
        buyer = User(email="bench-buyer@example.cn", name="买方", password_hash=pw, role=Role.ORG_ADMIN, org=buyer_org)
        db.session.add_all([seller_org, buyer_org, seller, buyer])
        db.session.flush()
        db.session.add(AllianceMembership(center_id=center.id, org_id=seller_org.id, status="approved"))
        db.session.commit()
        ids = []
        for i in range(n):
            p = Patent(application_number=patent_numbers.make(2021, "1", 900_000 + i), title=f"基准专利{i}",
                       patent_type="invention", legal_status="granted", owner_org_id=seller_org.id)
            p.ipc_codes = [PatentIPC(code="C01B 32/184")]
            p.applicants = [PatentApplicant(name=seller_org.name, org_id=seller_org.id)]
            listing = Listing(org_id=seller_org.id, title=f"基准挂牌{i}", offers_ordinary=True, price_fen=100_000,
                              trl=5, industry="carbon_materials", status="published", patents=[p])
            db.session.add(listing)
            db.session.commit()
            deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100_000 + i)
            if deal.center_id != center.id:
                ds.assign_center(seller, deal, center)
            ds.sign(seller, deal.id)
            ds.sign(buyer, deal.id)
            ds.fund(buyer, deal.id, key=f"bench-f{i}")
            ds.record(seller, deal.id, recordal_number=f"X2026{i:09d}", recordal_date=date(2026, 11, 1))
            ids.append(deal.id)
        _, token = tokens.create(buyer, "bench")
        center_id = center.id
        db.session.remove()
        db.engine.dispose()
    return ids, token, center_id


def check_deals(url: str, ids: list[int], center_id: int, before: dict[int, int]) -> dict:
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.models import Center, Deal, TargetEvent
    from app.services import deals as ds

    app = create_app("production", SQLALCHEMY_DATABASE_URI=url, AUDIT_LOG=None, SECRET_KEY=BENCH_SECRET, ESCROW_SECRET=BENCH_SECRET)
    with app.app_context():
        completed = db.session.scalar(sa.select(sa.func.count(Deal.id)).where(Deal.id.in_(ids),
                                                                             Deal.status == "completed"))
        events = db.session.scalar(sa.select(sa.func.count(TargetEvent.id)).where(TargetEvent.deal_id.in_(ids)))
        after = ds.counts_by_year(center_id)
        added = sum(after.values()) - sum(before.values())
        unbalanced = ds.unbalanced_transactions()
        recount = ds.recount_from_deals(db.session.get(Center, center_id))
        db.engine.dispose()
    return {"completed": completed, "target_events": events, "center_count_added": added,
            "ledger_unbalanced": len(unbalanced), "recount_matches": recount == after}


def counts_now(url: str, center_id: int) -> dict[int, int]:
    from app import create_app
    from app.extensions import db
    from app.services import deals as ds

    app = create_app("production", SQLALCHEMY_DATABASE_URI=url, AUDIT_LOG=None, SECRET_KEY=BENCH_SECRET, ESCROW_SECRET=BENCH_SECRET)
    with app.app_context():
        counts = ds.counts_by_year(center_id)
        db.engine.dispose()
    return counts


def close_deals_over_http(port: int, ids: list[int], token: str, concurrency: int) -> dict:
    """Every deal is completed twice with the same key, by two different threads."""
    jobs = [(deal_id, f"close-{deal_id}") for deal_id in ids] * 2
    jobs = jobs[0::2] + jobs[1::2]  # the two copies of a deal land in different threads' share
    statuses: dict[int, list[int]] = {}
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(share):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for deal_id, key in share:
            t = time.perf_counter()
            conn.request("POST", f"/api/v1/deals/{deal_id}/actions/complete", body="", headers={
                "Authorization": f"Bearer {token}", "Idempotency-Key": key})
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - t)
                statuses.setdefault(deal_id, []).append(response.status)
        conn.close()

    shares = [jobs[i::concurrency] for i in range(concurrency)]
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(s,)) for s in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    both_ok = sum(1 for codes in statuses.values() if codes == [200, 200])
    return {"requests": len(latencies), "closes_per_s": round(len(ids) / elapsed, 1), "p50_ms": pct(latencies, 0.5),
            "p95_ms": pct(latencies, 0.95), "deals_answered_200_twice": both_ok,
            "other_statuses": sorted({c for codes in statuses.values() for c in codes} - {200})}


NEED_TOPICS = [("石墨烯导热膜", "用于动力电池热管理"), ("碳纤维复合材料", "用于无人机机身减重"),
               ("锂电池负极材料", "提高快充性能"), ("煤矸石建材", "用于墙体材料生产")]


def post_needs(port: int, token: str, n: int) -> tuple[list[int], dict]:
    """Publish ``n`` needs through the API, one after another; the request only commits (the match
    refresh and the index write are queued for the worker)."""
    ids, latencies = [], []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(n):
        tech, use = NEED_TOPICS[i % len(NEED_TOPICS)]
        body = json.dumps({"title": f"寻求{tech}技术（基准{i}）", "description": f"{use}，希望获得许可。",
                           "industry": "carbon_materials", "ipc_hints": ["C01B"], "publish": True})
        t = time.perf_counter()
        conn.request("POST", "/api/v1/needs", body=body, headers={"Authorization": f"Bearer {token}",
                                                                 "Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        latencies.append(time.perf_counter() - t)
        if response.status != 201:
            raise SystemExit(f"POST /api/v1/needs answered {response.status}: {data[:200]!r}")
        ids.append(json.loads(data)["id"])
    conn.close()
    return ids, {"needs_posted": n, "post_p50_ms": pct(latencies, 0.5), "post_p95_ms": pct(latencies, 0.95)}


def check_needs(url: str, ids: list[int]) -> dict:
    """What the worker made of the posted needs: their stored matches and their search documents."""
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.models import Match, SearchDocument

    app = create_app("production", SQLALCHEMY_DATABASE_URI=url, AUDIT_LOG=None, SECRET_KEY=BENCH_SECRET, ESCROW_SECRET=BENCH_SECRET)
    with app.app_context():
        matched = db.session.scalar(sa.select(sa.func.count(sa.distinct(Match.need_id))).where(Match.need_id.in_(ids)))
        indexed = db.session.scalar(sa.select(sa.func.count(SearchDocument.id)).where(
            SearchDocument.kind == "need", SearchDocument.object_id.in_(ids)))
        db.session.remove()
        db.engine.dispose()
    return {"needs_with_matches": matched, "needs_in_search_index": indexed}


def drain(url: str, timeout: float = 300) -> dict:
    """Wait until the worker has run every queued job; how long that took and what ran."""
    import redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

    from app import jobs

    conn = redis.Redis.from_url(url)
    queue = Queue(jobs.QUEUE, connection=conn)
    started, deadline = time.perf_counter(), time.time() + timeout
    while (queue.count or StartedJobRegistry(queue=queue).count) and time.time() < deadline:
        time.sleep(0.2)
    return {"drained_s": round(time.perf_counter() - started, 1), "left": queue.count,
            "finished": FinishedJobRegistry(queue=queue).count, "failed": FailedJobRegistry(queue=queue).count}


# ---- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=3, choices=range(2, 5))
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--deals", type=int, default=200)
    parser.add_argument("--patents", type=int, default=2400)
    parser.add_argument("--search-backend", default="postgres", choices=("postgres", "whoosh"))
    parser.add_argument("--page-cache-seconds", type=int, default=10,
                        help="PAGE_CACHE_SECONDS of the server; 0 measures rendering every page")
    parser.add_argument("--redis", default="", help="a Redis database of this run's own (emptied first): limits, "
                        "page cache and job queue there, with a `flask worker` beside gunicorn")
    parser.add_argument("--needs", type=int, default=40, help="with --redis: needs published through the API")
    args = parser.parse_args()

    from tests import pg

    url = pg.create()
    sa_url = url.replace("postgresql://", "postgresql+psycopg://")
    tmp = tempfile.mkdtemp(prefix="ipx-bench-")
    env = {**os.environ, "FLASK_APP": "wsgi", "APP_CONFIG": "production", "ESCROW_SECRET": BENCH_SECRET, "DATABASE_URL": url,
           "SECRET_KEY": "bench-" + os.urandom(8).hex(), "COOKIE_SECURE": "0", "SEARCH_BACKEND": args.search_backend,
           "SEARCH_INDEX_DIR": os.path.join(tmp, "search"), "UPLOAD_DIR": os.path.join(tmp, "uploads"),
           "AUDIT_LOG": os.path.join(tmp, "audit.log"), "GUNICORN_ACCESS_LOG": "",
           "PAGE_CACHE_SECONDS": str(args.page_cache_seconds)}
    env.pop("REDIS_URL", None)  # the setup commands run without a queue; the server and worker get --redis
    for name in ("JOB_QUEUE_URL", "PAGE_CACHE_URL", "RATELIMIT_STORAGE_URI"):
        env.pop(name, None)
    os.environ.update({k: env[k] for k in ("SEARCH_BACKEND", "SEARCH_INDEX_DIR", "UPLOAD_DIR")})  # in-process apps too
    server = worker = None
    try:
        setup = {"upgrade_s": round(flask(env, "db", "upgrade"), 1),
                 "seed_s": round(flask(env, "seed-demo", "--patents", str(args.patents)), 1),
                 "reindex_s": round(flask(env, "search-reindex"), 1)}
        print(json.dumps({"setup": setup, "database": url.rsplit("/", 1)[1], "search": args.search_backend,
                          "page_cache_seconds": args.page_cache_seconds}))
        # prepared before the server starts, in this process, straight through the services
        ids, token, center_id = prepare_deals(sa_url, args.deals)
        before = counts_now(sa_url, center_id)

        port = free_port()
        if args.redis:
            import redis

            redis.Redis.from_url(args.redis).flushdb()
            env["REDIS_URL"] = args.redis
            worker = subprocess.Popen([str(BIN / "flask"), "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                      stderr=open(os.path.join(tmp, "worker.log"), "w"), start_new_session=True)
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
            cwd=ROOT, env={**env, "WEB_CONCURRENCY": str(args.workers)}, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(tmp, "gunicorn.log"), "w"), start_new_session=True)
        wait_until_up(port)
        staff_cookie = log_in(port, DEMO_STAFF, "demo-pass-2026")
        pages = {
            "hello (/healthz)": ("/healthz", None),
            "home": ("/", None),
            "listing list": ("/listings/", None),
            "search": ("/search?q=" + urllib.parse.quote("石墨烯"), None),
            "dashboard": (f"/targets/centers/{center_id}", {"Cookie": staff_cookie}),
        }
        for path, headers in pages.values():  # warm every worker's caches first
            load(port, path, concurrency=args.workers * 2, seconds=1, headers=headers)
        results = {}
        for name, (path, headers) in pages.items():
            results[name] = load(port, path, concurrency=args.concurrency, seconds=args.seconds, headers=headers)
            hello = results["hello (/healthz)"]["req_s"]
            results[name]["share_of_hello"] = f"{100 * results[name]['req_s'] / hello:.0f} %"
            print(json.dumps({"page": name, "path": path, "workers": args.workers, "concurrency": args.concurrency,
                              **results[name]}, ensure_ascii=False))

        deal_run = close_deals_over_http(port, ids, token, args.concurrency)
        checks = check_deals(sa_url, ids, center_id, before)
        exact = (checks["completed"] == len(ids) and checks["target_events"] == len(ids)
                 and checks["center_count_added"] == len(ids) and checks["ledger_unbalanced"] == 0
                 and checks["recount_matches"] and deal_run["deals_answered_200_twice"] == len(ids))
        print(json.dumps({"deal_close_over_http": {**deal_run, "deals": len(ids), **checks, "exact": exact}}))
        if args.redis:  # needs posted through the API: their matches and index entries come from the worker
            need_ids, posting = post_needs(port, token, args.needs)
            queued = drain(args.redis)
            made = check_needs(sa_url, need_ids) if args.search_backend == "postgres" else {}
            print(json.dumps({"job_queue": {**posting, **queued, **made}}))
            exact = exact and queued["failed"] == 0 and made.get("needs_in_search_index", len(need_ids)) == len(need_ids)
        hello = results["hello (/healthz)"]["req_s"]
        print(json.dumps({"summary": {name: r["share_of_hello"] for name, r in results.items()},
                          "target": "list/search >= 50 % of hello", "counts_exact": exact}, ensure_ascii=False))
        if not exact:
            sys.exit(1)
    finally:
        for process in (server, worker):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        pg.drop(url)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
