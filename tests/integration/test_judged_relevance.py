"""The hand-judged needs (bench/judged_needs.py) against the demo data, through the real matcher and
site search: the figures stay above the floors the matching and search work reached."""

import sys

from app.search import maintenance
from tests import bench_support


def _judged():
    sys.path.insert(0, str(bench_support.BENCH))  # judged.py imports its neighbours
    return bench_support.load("judged")


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
