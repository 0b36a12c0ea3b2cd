"""Deal closes per second on SQLite and PostgreSQL.

    python bench/deals.py [--deals 500] [--threads 4] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Builds a fresh database per engine with the migrations, prepares N deals up to 'recorded'
through the services, then closes them (escrow release + ledger + target events + audit, one
transaction each) from several threads, and prints one JSON line per engine and a last line
with both. Checks the counts and the ledger after the run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run(url: str, n: int, threads: int) -> dict:
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.domain import credit_code, patent_numbers
    from app.extensions import db
    from app.models import (AllianceMembership, Center, Deal, Listing, Organisation, OrgKind, Patent,
                            PatentApplicant, PatentIPC, Role, User)
    from app.services import deals as ds

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        pw = generate_password_hash("x", method="pbkdf2:sha256:1")
        orgs = [Organisation(name=f"机构{i}", kind=k, credit_code=credit_code.make(f"91140100MA{i:07d}"))
                for i, k in enumerate([OrgKind.CENTER, OrgKind.ENTERPRISE, OrgKind.SME])]
        db.session.add_all(orgs)
        center = Center(org=orgs[0], name="中心", industry="carbon_materials", approval_date=date(2024, 3, 1))
        seller = User(email="s@x.cn", name="s", password_hash=pw, role=Role.ORG_ADMIN, org=orgs[1])
        buyer = User(email="b@x.cn", name="b", password_hash=pw, role=Role.ORG_ADMIN, org=orgs[2])
        db.session.add_all([center, seller, buyer])
        db.session.flush()
        db.session.add(AllianceMembership(center_id=center.id, org_id=orgs[1].id, status="approved"))
        db.session.commit()
        prep = time.perf_counter()
        ids = []
        for i in range(n):
            p = Patent(application_number=patent_numbers.make(2021, "1", i), title=f"专利{i}", patent_type="invention",
                       legal_status="granted", owner_org_id=orgs[1].id)
            p.ipc_codes = [PatentIPC(code="C01B 32/184")]
            p.applicants = [PatentApplicant(name=orgs[1].name, org_id=orgs[1].id)]
            listing = Listing(org_id=orgs[1].id, title=f"挂牌{i}", offers_ordinary=True, price_fen=100_000, trl=5,
                              industry="carbon_materials", status="published", patents=[p])
            db.session.add(listing)
            db.session.commit()
            deal = ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100_000 + i)
            ds.sign(seller, deal.id)
            ds.sign(buyer, deal.id)
            ds.fund(buyer, deal.id, key=f"f{i}")
            ds.record(seller, deal.id, recordal_number=f"X2026{i:09d}", recordal_date=date(2026, 11, 1))
            ids.append(deal.id)
        prep = time.perf_counter() - prep
        buyer_id = buyer.id
        db.session.remove()

    latencies: list[float] = []
    lock = threading.Lock()

    def worker(chunk):
        with app.app_context():
            user = db.session.get(User, buyer_id)
            for deal_id in chunk:
                t = time.perf_counter()
                ds.complete(user, deal_id, key=f"c{deal_id}", today=date(2026, 11, 25))
                with lock:
                    latencies.append(time.perf_counter() - t)
            db.session.remove()

    chunks = [ids[i::threads] for i in range(threads)]
    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    with app.app_context():
        completed = db.session.scalar(sa.select(sa.func.count(Deal.id)).where(Deal.status == "completed"))
        counts = ds.counts_by_year(db.session.scalar(sa.select(Center.id)))
        ok = completed == n and sum(counts.values()) == n and not ds.unbalanced_transactions()
        db.engine.dispose()
    latencies.sort()
    pct = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 2)  # noqa: E731
    return {"engine": url.split(":")[0], "deals": n, "threads": threads, "closes_per_s": round(n / elapsed, 1),
            "close_p50_ms": pct(0.5), "close_p95_ms": pct(0.95), "prepare_s": round(prep, 1), "consistent": ok}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=500)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pg", default=os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run(f"sqlite:///{tmp}/bench.sqlite3", args.deals, args.threads))
        print(json.dumps(results[-1]))
    os.environ["PG_ADMIN_URL"] = args.pg
    from tests import pg

    try:
        url = pg.create()
    except Exception as err:  # noqa: BLE001
        print(json.dumps({"engine": "postgresql", "skipped": str(err)[:200]}))
    else:
        try:
            results.append(run(url.replace("postgresql://", "postgresql+psycopg://"), args.deals, args.threads))
            print(json.dumps(results[-1]))
        finally:
            pg.drop(url)
    print(json.dumps({r["engine"]: r.get("closes_per_s") for r in results}))


if __name__ == "__main__":
    main()
