"""Matching quality and latency.

    python bench/match.py [--listings 10000] [--patents 100000] [--quality-listings 600] [--needs 150]
                          [--judged-db sqlite:////tmp/ipx-judged.sqlite3 | --no-judged]

Quality, two sets:
- generated from the demo vocabulary (app/demo/vocab.py). Every listing is about one product of one
  topic; every need asks for one product, in other words than the listings use (need titles and uses,
  not the listings' claims). Ground truth: the listings about the same product of the same topic are
  relevant. Prints precision@5 and recall@10 (macro averages over the needs). It shares its words with
  the demo data, so it cannot show how people's own words fare:
- hand-written and hand-judged (bench/judged_needs.py, run by bench/judged.py against the demo data
  in a throwaway database): nDCG@10, P@5, R@10, zero@5 and the share of notifying matches that are not
  relevant for the matcher, the same figures for site search with the need's title as typed, and how
  many needs with nothing relevant still get a (notifying) match.

Latency: one need against --listings published offers, through the same code path as the service
(profiles as the service caches them, the inverted index, the scorer, the ranking), p50/p95 over the
needs; plus the likely-buyers aggregation over --patents patents' IPC codes (in memory, as the service's
query returns them). Prints one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from app.demo import vocab as V  # noqa: E402
from app.domain import matching as rules  # noqa: E402

KINDS = ("transfer", "exclusive", "sole", "ordinary")
REGIONS = ["太原市小店区", "太原市万柏林区", "太原市尖草坪区", "山西转型综合改革示范区", "山西省大同市", "山西省长治市", "北京市海淀区"]


def topics() -> list[tuple[str, dict]]:
    return [(industry, t) for industry, items in V.TOPICS.items() for t in items if t.get("products")]


def make_listing(rng: random.Random, industry: str, topic: dict, product: str) -> tuple[str, str, dict]:
    feat = rng.choice(topic.get("pfeat") or [""])
    suffix = rng.choice(topic.get("psuf") or [""])
    steps = rng.sample(topic.get("steps") or [""], k=min(2, len(topic.get("steps") or [""])))
    parts = "、".join(rng.sample(topic.get("parts") or [""], k=min(2, len(topic.get("parts") or [""]))))
    gain = rng.choice(topic.get("gains") or [""])
    title = f"{feat}{product}{suffix}"
    text = f"本技术以{parts}为原料，{'；'.join(steps)}，显著提升{gain}。"
    codes = rng.sample(topic["ipc"], k=min(2, len(topic["ipc"])))
    return title, text, dict(ipc=tuple(codes), industry=industry, region=rng.choice(REGIONS),
                      kinds=frozenset(rng.sample(KINDS, k=rng.randint(1, 3))),
                      price_fen=rng.choice([None, rng.randint(5, 300) * 1_000_000]), trl=rng.randint(3, 9))


def make_need(rng: random.Random, industry: str, topic: dict, product: str) -> tuple[str, str, dict]:
    title = rng.choice(V.NEED_TITLES).format(tech=product)
    use = rng.choice(topic.get("uses") or [""])
    cut = rng.choice(topic.get("cuts") or [""])
    text = f"用于{use}，希望降低{cut}。"
    hints = (topic["ipc"][0][:4],) if rng.random() < 0.6 else ()
    return title, text, dict(ipc=hints, industry=industry, region=rng.choice(REGIONS),
                      kinds=frozenset(rng.sample(KINDS, k=rng.randint(0, 2))),
                      budget_max_fen=rng.choice([None, rng.randint(20, 400) * 1_000_000]), trl=rng.choice([None, 4, 5, 6]))


def build_offers(n: int, rng: random.Random) -> tuple[list[tuple[int, rules.Profile]], dict[tuple[str, str], set[int]]]:
    from app.services.matching import text_fields  # jieba words and counts, as the service computes them

    all_topics = topics()
    offers, by_product = [], {}
    for i in range(n):
        industry, topic = rng.choice(all_topics)
        product = rng.choice(topic["products"])
        title, text, fields = make_listing(rng, industry, topic, product)
        offers.append((i, rules.Profile(**text_fields(title, text), **fields)))
        by_product.setdefault((topic["key"], product), set()).add(i)
    return offers, by_product


def quality(n_listings: int, n_needs: int, rng: random.Random) -> tuple[float, float, int]:
    """(precision@5, recall@10, labelled pairs) on a generated set with known relevant offers."""
    from app.services.matching import need_terms

    all_topics = topics()
    offers, by_product = build_offers(n_listings, rng)
    index = rules.OfferIndex(offers)
    precisions, recalls, pairs = [], [], 0
    asked = sorted(k for k, v in by_product.items() if v)
    for _ in range(n_needs):
        topic_key, product = rng.choice(asked)
        industry, topic = next((i, t) for i, t in all_topics if t["key"] == topic_key)
        title, text, fields = make_need(rng, industry, topic, product)
        need = rules.Profile(**need_terms(title, text), **fields)
        relevant = by_product[(topic_key, product)]
        pairs += len(relevant)
        ranked = [key for key, _ in index.rank(need, rules.DEFAULT_WEIGHTS, limit=10)]
        precisions.append(len(set(ranked[:5]) & relevant) / 5)
        recalls.append(len(set(ranked[:10]) & relevant) / len(relevant))
    return statistics.mean(precisions), statistics.mean(recalls), pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--patents", type=int, default=100_000)
    parser.add_argument("--quality-listings", type=int, default=600)
    parser.add_argument("--needs", type=int, default=150)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--judged-db", default=None, help="a database with the demo data for the hand-judged set "
                        "(default: a throwaway SQLite file, seeded when missing)")
    parser.add_argument("--no-judged", action="store_true", help="skip the hand-judged set")
    args = parser.parse_args()

    from app.services.matching import need_terms  # the search analyser's words, as the service computes them

    rng = random.Random(args.seed)
    all_topics = topics()
    weights = rules.DEFAULT_WEIGHTS

    def build(n: int):
        return build_offers(n, rng)

    # ---- quality ----
    started = time.perf_counter()
    p5, r10, pairs = quality(args.quality_listings, args.needs, rng)
    quality_s = time.perf_counter() - started

    # ---- latency against --listings offers ----
    started = time.perf_counter()
    offers, _ = build(args.listings)
    build_s = time.perf_counter() - started
    t0 = time.perf_counter()
    index = rules.OfferIndex(offers)  # built once and kept while no listing changes (as the service does)
    index_ms = (time.perf_counter() - t0) * 1000
    latencies = []
    for _ in range(100):
        industry, topic = rng.choice(all_topics)
        title, text, fields = make_need(rng, industry, topic, rng.choice(topic["products"]))
        t0 = time.perf_counter()
        need = rules.Profile(**need_terms(title, text), **fields)
        index.rank(need, weights, limit=20)  # the relevant ones, as refresh_need keeps them
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()

    # ---- likely buyers over --patents patents' IPC codes ----
    codes = [c for _, t in all_topics for c in t["ipc"]]
    rows = [(rng.randint(1, 400), rng.choice(codes)) for _ in range(args.patents)]
    groups = {c.split("/")[0] for c in rng.sample(codes, 3)}
    t0 = time.perf_counter()
    shared: dict[int, set[str]] = {}
    for org_id, code in rows:
        group = code.split("/")[0]
        if group in groups:
            shared.setdefault(org_id, set()).add(group)
    sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:10]
    buyers_ms = (time.perf_counter() - t0) * 1000

    result = {
        "quality_listings": args.quality_listings, "needs": args.needs, "labelled_pairs": pairs,
        "precision_at_5": round(p5, 3), "recall_at_10": round(r10, 3),
        "quality_s": round(quality_s, 1),
        "listings": args.listings, "profile_build_s": round(build_s, 1), "index_build_ms": round(index_ms, 1),
        "match_p50_ms": round(latencies[len(latencies) // 2], 1), "match_p95_ms": round(latencies[int(len(latencies) * 0.95)], 1),
        "patents": args.patents, "likely_buyers_ms": round(buyers_ms, 1),
    }
    if not args.no_judged:
        import judged

        url = args.judged_db or judged.DEFAULT_DB
        if args.judged_db is None and not Path(url.removeprefix("sqlite:///")).exists():
            judged.seed(url)
        hand = judged.evaluate(url)
        result["judged"] = {k: v for k, v in hand.items() if k != "nothing_relevant"}
        result["judged"]["nothing_relevant"] = {k: v for k, v in hand["nothing_relevant"].items() if k != "detail"}
        for name in ("matcher", "search_as_typed"):
            print(f"hand-judged set, {name}: " + ", ".join(f"{k} {v}" for k, v in hand[name].items()))
        print("hand-judged set, needs with nothing relevant: " + ", ".join(
            f"{k} {v}" for k, v in result["judged"]["nothing_relevant"].items()))
    print(f"quality on {pairs} labelled need→offer pairs: precision@5 {result['precision_at_5']}, recall@10 {result['recall_at_10']}")
    print(f"one need against {args.listings} listings: p50 {result['match_p50_ms']} ms, p95 {result['match_p95_ms']} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
