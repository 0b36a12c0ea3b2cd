"""The hand-judged set (bench/judged_needs.py) through the real services: the matcher and site search.

    python bench/judged.py [--db sqlite:////tmp/ipx-judged.sqlite3] [--backend whoosh|postgres] [--json]

The database must hold the demo data of ``flask seed-demo`` with its default seed; without --db a
throwaway SQLite file is created and seeded (≈ 1–2 minutes). The search index is rebuilt into a
temporary directory (Whoosh) or the database's own table (PostgreSQL). Nothing is written to the
database: each need is a transient object ranked by ``services.matching.rank_listings``.

Figures, over the needs that have a relevant listing (grade ≥ 1 counts as relevant for P, R, zero):
nDCG@10 (gains 2^grade − 1), P@5, R@10, zero@5 (no relevant listing in the top 5); for the matcher also
the share of notifying matches that are not relevant, and for the needs with nothing relevant how
many still get a match and how many a notifying one. Search runs the need's title as typed, listings only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(os.environ.get("IPX_ROOT") or Path(__file__).resolve().parents[1])  # another checkout: its "before" figures
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import judged_needs as J  # noqa: E402

DEFAULT_DB = "sqlite:////tmp/ipx-judged.sqlite3"


def seed(url: str) -> None:
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="wsgi", SEARCH_WRITER="off", MATCH_REFRESH="off")
    flask = str(Path(sys.executable).with_name("flask"))
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([flask, "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)


def ndcg(ranked: list[int], grades: dict[int, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def figures(rankings: list[tuple[list[int], dict[int, int]]]) -> dict:
    """nDCG@10, P@5, R@10, zero@5 over the needs with a relevant listing."""
    rows = [(r, g) for r, g in rankings if any(v >= 1 for v in g.values())]
    if not rows:
        return {}
    rel = [{k for k, v in g.items() if v >= 1} for _, g in rows]
    return {
        "needs": len(rows),
        "ndcg10": round(statistics.mean(ndcg(r, g) for r, g in rows), 3),
        "p5": round(statistics.mean(len(set(r[:5]) & s) / 5 for (r, _), s in zip(rows, rel)), 3),
        "r10": round(statistics.mean(len(set(r[:10]) & s) / len(s) for (r, _), s in zip(rows, rel)), 3),
        "zero5": round(sum(1 for (r, _), s in zip(rows, rel) if not set(r[:5]) & s) / len(rows), 3),
    }


def _kept(m) -> bool:
    from app.services import matching

    relevant = getattr(m, "relevant", None)
    return relevant if relevant is not None else m.score >= getattr(matching, "MIN_SCORE", 0.25)


def _notifies(m) -> bool:
    from app.services import matching

    strong = getattr(m, "strong", None)
    return strong if strong is not None else m.score >= getattr(matching, "NOTIFY_SCORE", 0.6)


def evaluate(url: str, backend: str = "whoosh") -> dict:
    """The figures against the demo data in the database at ``url`` (search index rebuilt in a temporary place)."""
    from app import create_app
    from app.search import maintenance

    index_dir = tempfile.mkdtemp(prefix="ipx-judged-")
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, SEARCH_BACKEND=backend, SEARCH_INDEX_DIR=index_dir,
                     SEARCH_WRITER="off", MATCH_REFRESH="off")
    with app.app_context():
        maintenance.reindex()
        return evaluate_here()


def evaluate_here() -> dict:
    """The figures in the current app context: its database holds the demo data, its index is current.
    The judged listings' ids are the demo's ids in a fresh database; an older one may number from further
    on (the titles are checked either way)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Industry, Listing, Need, Organisation
    from app.services import matching
    from app.services import search as search_service

    titles = dict(db.session.execute(sa.select(Listing.id, Listing.title)).all())
    offset = min(titles, default=1) - 1
    changed = {i: t for i, t in J.LISTING_TITLES.items() if titles.get(i + offset) != t}
    if changed:
        raise SystemExit(f"the demo listings differ from the judged ones ({len(changed)} titles): re-judge the set")
    buyer = db.session.scalar(sa.select(Organisation).where(Organisation.kind == "sme").order_by(Organisation.id))
    match_rows, search_rows, notified, notified_bad, none_needs = [], [], 0, 0, []
    for item in J.NEEDS:
        need = Need(org_id=buyer.id, title=item["title"], description=item.get("description", ""),
                    industry=Industry(item["industry"]), ipc_hints=item.get("ipc", ""), region=buyer.region or "",
                    kinds_wanted="", budget_max_fen=None, min_trl=None)
        shown = [(listing.id - offset, m) for listing, m in matching.rank_listings(db.session, need) if _kept(m)]
        shown = shown[:matching.KEEP]
        grades = item["grades"]
        for key, m in shown:
            if _notifies(m):
                notified += 1
                notified_bad += grades.get(key, 0) == 0
        if not grades:
            none_needs.append({"title": item["title"], "shown": len(shown),
                               "notifying": sum(1 for _, m in shown if _notifies(m)),
                               "best": round(max((m.score for _, m in shown), default=0.0), 3)})
        match_rows.append(([key for key, _ in shown], grades))
        page = search_service.search(None, item["title"], filters={"kind": ["listing"]}, per_page=10, facets=False)
        search_rows.append(([f.obj.id - offset for f in page.items], grades))
    return {
        "matcher": {**figures(match_rows), "notified": notified,
                    "notified_not_relevant": round(notified_bad / notified, 3) if notified else 0.0},
        "search_as_typed": figures(search_rows),
        "nothing_relevant": {"needs": len(none_needs), "with_a_match": sum(1 for n in none_needs if n["shown"]),
                             "with_a_notifying_match": sum(1 for n in none_needs if n["notifying"]),
                             "detail": none_needs},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=None, help=f"a database holding the demo data (default: seed {DEFAULT_DB})")
    parser.add_argument("--backend", default="whoosh", choices=["whoosh", "postgres"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url = args.db
    if url is None:
        url = DEFAULT_DB
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            seed(url)
    result = evaluate(url, args.backend)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    for name in ("matcher", "search_as_typed"):
        print(name, json.dumps(result[name]))
    print("nothing relevant", json.dumps({k: v for k, v in result["nothing_relevant"].items() if k != "detail"}))


if __name__ == "__main__":
    main()
