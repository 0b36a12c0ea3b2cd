"""The hand-judged needs (bench/judged_needs.py) against the demo data, through the real matcher and
site search: the figures stay above the floors the matching and search work reached."""

import importlib.util
import sys
from pathlib import Path

from app.search import maintenance

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _judged():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_judged", BENCH / "judged.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_relevance_floor_on_the_hand_judged_set(app, db):
    from app.demo.seed import seed_demo

    seed_demo(db.session, password_hash="pbkdf2:sha256:1000$x$y")  # the default seed: the judged listings
    maintenance.reindex()
    result = _judged().evaluate_here()
    matcher, search, nothing = result["matcher"], result["search_as_typed"], result["nothing_relevant"]
    assert matcher["needs"] >= 40
    assert matcher["ndcg10"] >= 0.80 and matcher["zero5"] <= 0.05, matcher
    assert matcher["notified"] >= 10 and matcher["notified_not_relevant"] <= 0.05, matcher
    assert search["ndcg10"] >= 0.60, search
    assert nothing["needs"] >= 5 and nothing["with_a_notifying_match"] == 0, nothing
