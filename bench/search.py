"""Search at scale: import, index build, query latency, add-to-visible, memory; tuned vs plain Whoosh.

    python bench/search.py [--patents 100000] [--queries 600] [--procs 2] [--seed 20261125]
                           [--backend postgres]   # the PostgreSQL full-text backend on a throwaway database

1. Writes a realistic Chinese patent CSV of N rows (valid CN application numbers, titles and
   abstracts from the demo industry vocabulary, applicants, IPC codes, types, dates, legal
   status; one row in 500 deliberately bad), the same for the same seed.
2. Imports it through the real import service (imports.run_job, 500 rows a transaction) into a
   fresh SQLite database built by the migrations: import_docs_per_s.
3. Rebuilds the index the way `flask search-reindex` does (maintenance.reindex, the tuned
   WhooshBackend): index_docs_per_s, end to end from the database rows.
4. Runs the same mixed queries (1–3 Chinese words, English words, applicant names, an IPC
   filter such as ipc:H01M; facets on, as the search page asks) against the tuned backend:
   query p50/p95/p99 ms; also through the search page's service (hits loaded, highlighted).
   A second mix draws the same queries with a Zipf distribution, as real search logs are: its
   figures cold (the engine computes every query) and warm (through the per-process result
   cache, from empty: repeats come from it), and the first mix again through the filled cache.
5. Publishes listings through services.listings with the background indexer on, and times
   each until a search finds it: add_visible_ms.
6. Builds a plain Whoosh baseline from the same rows in the same run (stock jieba
   ChineseAnalyzer on title/abstract/applicant, one default writer, facets by FieldFacet) and
   runs the same queries against it.

With ``--backend postgres`` steps 2–5 run on a fresh PostgreSQL database (tests/pg.py; dropped at the
end) with the PostgreSQL backend (tsvector over jieba-segmented text, GIN); the baseline is skipped.

Prints readable lines, then one JSON line last (peak RSS from getrusage, and resident memory by
phase). Targets at 100k: query p95 ≤ 30 ms, index ≥ 1,000 docs/s on Whoosh (2 writer processes) and
≥ 2,000 on PostgreSQL, add_visible ≤ 1 s, RSS ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CSV_HEADER = ["申请号", "公开号", "名称", "摘要", "专利类型", "IPC分类号", "申请人", "申请日", "授权日", "法律状态",
              "权利要求数", "行业"]
TYPE_LABELS = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}
STATUS_LABELS = {"pending": "实质审查", "granted": "授权", "lapsed": "未缴年费专利权终止", "expired": "期限届满",
                 "invalidated": "全部无效", "partly_invalidated": "部分无效", "withdrawn": "视为撤回", "rejected": "驳回"}
# English keywords that some databases carry next to the Chinese abstract (and users type).
ENGLISH = {
    "carbon_materials": ["graphene", "carbon fiber", "needle coke", "carbon black", "activated carbon", "thermal conductivity"],
    "high_end_equipment": ["shearer", "hydraulic support", "roadheader", "scraper conveyor", "gearbox", "fault diagnosis"],
    "new_energy_vehicles": ["lithium battery", "cathode material", "battery management", "electric drive", "thermal runaway",
                            "charging pile"],
    "it_innovation": ["operating system", "database", "server", "cryptography", "cloud computing", "kernel"],
    "semiconductors": ["silicon carbide", "epitaxy", "MOSFET", "gallium nitride", "power module", "wafer inspection"],
    "special_steel": ["stainless steel", "duplex steel", "cold rolling"],
    "hydrogen": ["fuel cell", "electrolyzer", "hydrogen storage", "membrane electrode"],
}
INDUSTRY_WEIGHTS = {"carbon_materials": 22, "high_end_equipment": 22, "new_energy_vehicles": 20, "it_innovation": 15,
                    "semiconductors": 14, "special_steel": 4, "hydrogen": 3}
BAD_EVERY = 500  # one deliberately bad row (wrong check character) in this many


# ---- the corpus ------------------------------------------------------------------------------


def _applicant_pool(seeder, rng: random.Random, industry: str, size: int) -> list[str]:
    from app.demo import orgs as O

    names = [n for n in (O.KEY_ENTERPRISE, O.KEY_UNIVERSITY, O.KEY_SME, O.EXPERT_UNIVERSITY) if rng.random() < 0.5]
    while len(names) < size:
        name = seeder._outside_name(industry, company_bias=0.8)
        if name not in names:
            names.append(name)
    return names


def generate_csv(path: Path, n: int, seed: int) -> dict:
    """N patent rows as a CSV the import page accepts; returns what the query mix draws on."""
    from app.demo import seed as S
    from app.demo import vocab as V
    from app.domain import ipc as ipc_rules
    from app.domain.patent_terms import LegalStatus, PatentType

    rng = random.Random(seed)
    # The demo seeder's text makers: the same titles and abstracts the demo shows.
    seeder = S._Seeder(None, rng, "")
    industries = list(INDUSTRY_WEIGHTS)
    weights = list(INDUSTRY_WEIGHTS.values())
    pools = {i: _applicant_pool(seeder, rng, i, 150 + n // 200) for i in industries}
    # Zipf-like: a few applicants hold many patents, most hold a handful
    pool_weights = {i: [1.0 / (r + 1) ** 0.9 for r in range(len(p))] for i, p in pools.items()}
    kinds = ["enterprise", "university", "research_institute", "sme", None]
    numbers: set[str] = set()
    pubs: set[str] = set()
    titles: Counter = Counter()
    subclasses: Counter = Counter()
    applicants_seen: Counter = Counter()
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_HEADER)
        for i in range(n):
            industry = rng.choices(industries, weights=weights)[0]
            topic = rng.choice(V.TOPICS[industry])
            kind = rng.choice(kinds)
            inv, um, _ = S._TYPE_SHARES[kind]
            r = rng.random()
            ptype = PatentType.INVENTION if r < inv else PatentType.UTILITY_MODEL if r < inv + um else PatentType.DESIGN
            year = seeder._year(2008)
            filing = seeder._filing_date(year)
            status, grant = seeder._status(ptype, filing, kind)
            code = {"invention": "1", "utility_model": "2", "design": "3"}[ptype.value]
            if ptype is PatentType.INVENTION and rng.random() < 0.04 and year >= 2012:
                code = "8"
            number = seeder._application_number(year, code, numbers)
            design_code = None
            if ptype is PatentType.INVENTION:
                title, abstract = seeder._invention_text(industry, topic)
            elif ptype is PatentType.UTILITY_MODEL:
                title, abstract = seeder._utility_text(topic)
            else:
                title, abstract, design_code = seeder._design_text(industry)
            if rng.random() < 0.2:
                words = rng.sample(ENGLISH[industry], 2)
                abstract += f" Keywords: {words[0]}; {words[1]}."
            codes = seeder._ipc_codes(ptype, industry, topic, design_code)
            pub = ""
            if ptype is PatentType.INVENTION and filing + timedelta(days=550) <= S.TODAY:
                pub = seeder._pub_number("B" if grant else "A", filing + timedelta(days=540), pubs)
            elif grant:
                pub = seeder._pub_number("U" if ptype is PatentType.UTILITY_MODEL else "S", grant + timedelta(days=20), pubs)
            names = []
            for _ in range(rng.choices([1, 2, 3], weights=[68, 25, 7])[0]):
                name = rng.choices(pools[industry], weights=pool_weights[industry])[0]
                if name not in names:
                    names.append(name)
            claims = 1 if ptype is PatentType.DESIGN else rng.randint(1, 20)
            if i % BAD_EVERY == BAD_EVERY - 1:  # a row the import must report, not store
                number = number[:-1] + ("0" if number[-1] != "0" else "1")
            else:
                titles[title] += 1
                applicants_seen.update(names)
                subclasses.update({ipc_rules.subclass(c) for c in codes})
            out.writerow([
                number, pub, title, abstract, TYPE_LABELS[ptype.value], "; ".join(codes), "；".join(names),
                filing.isoformat(), grant.isoformat() if grant else "",
                STATUS_LABELS[LegalStatus(status).value], claims, industry,
            ])
    return {"titles": titles, "applicants": applicants_seen, "subclasses": subclasses,
            "bad_rows": n // BAD_EVERY}


def make_queries(meta: dict, count: int, seed: int) -> list[str]:
    """A mixed, repeatable query log: words users type, names, English, an IPC filter."""
    import jieba

    from app.search import analysis

    analysis.ensure_ready()
    rng = random.Random(seed + 1)

    def content_words(title: str) -> list[str]:
        return [w for w in dict.fromkeys(jieba.cut(title, HMM=False))
                if len(w) >= 2 and not w.isascii() and w not in analysis.STOPWORDS and w not in ("方法", "制备", "装置")]

    words: Counter = Counter()
    common_titles = meta["titles"].most_common(3000)
    for title, k in common_titles:
        for w in content_words(title):
            words[w] += k
    vocab = [w for w, _ in words.most_common(400)]
    head, tail = vocab[:60], vocab[60:] or vocab
    titles = [t for t, _ in common_titles]
    applicants = [a for a, _ in meta["applicants"].most_common(300)]
    subclasses = [s for s, _ in meta["subclasses"].most_common(40)]
    english = sorted({w for ws in ENGLISH.values() for w in ws})
    misses = ["量子计算", "区块链 溯源", "mRNA", "核聚变 第一壁"]

    def word() -> str:
        return rng.choice(head) if rng.random() < 0.5 else rng.choice(tail)

    def words_of_a_title(k: int) -> str:
        """k words that occur together (from one title), now and then one from elsewhere."""
        for _ in range(20):
            found = content_words(rng.choice(titles))
            if len(found) >= k:
                chosen = rng.sample(found, k)
                if rng.random() < 0.2:
                    chosen[-1] = word()
                return " ".join(chosen)
        return " ".join(word() for _ in range(k))

    queries = []
    mix = [("one", 26), ("two", 20), ("three", 10), ("english", 10), ("applicant", 14), ("ipc", 8), ("word_ipc", 10),
           ("miss", 2)]
    shapes, weights = zip(*mix)
    for _ in range(count):
        shape = rng.choices(shapes, weights=weights)[0]
        if shape == "one":
            q = word()
        elif shape == "two":
            q = words_of_a_title(2)
        elif shape == "three":
            q = words_of_a_title(3)
        elif shape == "english":
            q = rng.choice(english)
        elif shape == "applicant":
            q = rng.choice(applicants[:40] if rng.random() < 0.6 else applicants)
        elif shape == "ipc":
            q = f"ipc:{rng.choice(subclasses)}"
        elif shape == "word_ipc":
            q = f"{word()} ipc:{rng.choice(subclasses[:15])}"
        else:
            q = rng.choice(misses)
        queries.append(q)
    return queries


def zipf_queries(queries: list[str], count: int, seed: int, s: float = 1.1) -> list[str]:
    """A second mix drawn as real search logs are: the distinct queries of the first mix ranked in a
    fixed shuffled order, the r-th drawn with weight 1 / r^s (a few queries very often, most rarely)."""
    distinct = list(dict.fromkeys(queries))
    rng = random.Random(seed + 2)
    rng.shuffle(distinct)
    weights = [1 / (r ** s) for r in range(1, len(distinct) + 1)]
    return rng.choices(distinct, weights=weights, k=count)


# ---- measuring -------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    if not s:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}

    def pct(q: float) -> float:
        return round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 2)

    return {"p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99)}


def time_queries(run, queries: list[str], warmup: int = 30) -> tuple[dict, list[float], int]:
    for q in queries[:warmup]:
        run(q)
    samples, empty = [], 0
    for q in queries:
        t = time.perf_counter()
        total = run(q)
        samples.append(time.perf_counter() - t)
        empty += total == 0
    return percentiles(samples), samples, empty


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _status_mb() -> dict[str, float]:
    """VmRSS, RssAnon and RssFile (mapped index files) from Linux /proc, in MB; {} elsewhere."""
    out = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "RssAnon", "RssFile"):
                    out[name] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def mark_phase(result: dict, phase: str) -> None:
    """The peak so far and the resident memory after a phase (all of it, and the part that is mapped
    files, such as the index's posting files): which phase set the peak, and with what."""
    now = _status_mb()
    result.setdefault("rss_by_phase", {})[phase] = {"peak_mb": rss_mb(), "now_mb": now.get("VmRSS", rss_mb()),
                                                    "file_mb": now.get("RssFile", 0.0)}


# ---- the plain baseline ----------------------------------------------------------------------


def baseline_schema():
    from jieba.analyse import ChineseAnalyzer  # the stock analyzer SEARCH.md measured first
    from whoosh import fields

    analyzer = ChineseAnalyzer()
    return fields.Schema(
        key=fields.ID(unique=True, stored=True),
        number=fields.KEYWORD(commas=True),
        title=fields.TEXT(analyzer=analyzer, field_boost=2.0),
        abstract=fields.TEXT(analyzer=analyzer),
        applicant=fields.TEXT(analyzer=analyzer),
        applicant_name=fields.KEYWORD(commas=True, vector=True),
        ipc=fields.KEYWORD(commas=True, vector=True),
        type=fields.ID(sortable=True),
        status=fields.ID(sortable=True),
        industry=fields.ID(sortable=True),
        year=fields.ID(sortable=True),
    )


def build_baseline(folder: Path, session) -> int:
    """The whole corpus through one default Whoosh writer (no procs, no limitmb), one commit."""
    from whoosh import index

    from app.search import documents
    from app.search.query import ipc_keys

    folder.mkdir(parents=True)
    ix = index.create_in(str(folder), baseline_schema())
    writer = ix.writer()
    n = 0
    for v in documents.iter_patent_values(session):
        year = v["filing_date"].year if v["filing_date"] else None
        fields_ = {
            "key": f"patent:{v['object_id']}",
            "number": ",".join(documents.number_forms(v["application_number"], v["publication_number"])),
            "title": v["title"],
            "abstract": v["abstract"],
            "applicant": "；".join(v["applicants"]),
            "applicant_name": ",".join(v["applicants"]),
            "ipc": ",".join(ipc_keys(v["ipc_codes"])),
            "type": str(v["patent_type"] or ""),
            "status": str(v["legal_status"] or ""),
            "industry": str(v["industry"] or ""),
        }
        if year:
            fields_["year"] = str(year)
        writer.add_document(**fields_)
        n += 1
    writer.commit()
    return n


class BaselineSearch:
    """Whoosh as its tutorial shows it: MultifieldParser, search(groupedby=FieldFacet…)."""

    def __init__(self, folder: Path):
        from whoosh import index, sorting
        from whoosh.qparser import MultifieldParser

        self.ix = index.open_dir(str(folder))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "abstract", "applicant"], self.ix.schema)
        self.facets = {
            "type": sorting.FieldFacet("type", maptype=sorting.Count),
            "status": sorting.FieldFacet("status", maptype=sorting.Count),
            "industry": sorting.FieldFacet("industry", maptype=sorting.Count),
            "year": sorting.FieldFacet("year", maptype=sorting.Count),
            "ipc": sorting.FieldFacet("ipc", allow_overlap=True, maptype=sorting.Count),
            "applicant": sorting.FieldFacet("applicant_name", allow_overlap=True, maptype=sorting.Count),
        }

    def __call__(self, text: str) -> int:
        q = self.parser.parse(text)
        results = self.searcher.search(q, limit=20, groupedby=self.facets)
        [hit["key"] for hit in results]
        for name in self.facets:
            counts = results.groups(name)
            sorted(counts.items(), key=lambda kv: -kv[1])[:12]
        return len(results)

    def close(self) -> None:
        self.searcher.close()


# ---- the run ---------------------------------------------------------------------------------


def run(n: int, queries_n: int, procs: int, seed: int, workdir: Path, baseline: bool = True,
        say=print, backend_name: str = "whoosh", keep_database: bool = False) -> dict:
    from app import create_app
    from app.extensions import db

    result: dict = {"patents": n, "backend": backend_name}
    csv_path = workdir / "patents.csv"
    t = time.perf_counter()
    meta = generate_csv(csv_path, n, seed)
    mark_phase(result, "corpus")
    say(f"corpus: {n} rows ({meta['bad_rows']} bad on purpose), {csv_path.stat().st_size / 1e6:.1f} MB CSV "
        f"in {time.perf_counter() - t:.1f} s")

    pg_url = None
    if backend_name == "postgres":
        from tests import pg

        pg_url = pg.create()
        database = pg_url.replace("postgresql://", "postgresql+psycopg://")
        baseline = False
    else:
        database = f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database,
                     SEARCH_BACKEND=backend_name, SEARCH_INDEX_DIR=str(workdir / "index"), SEARCH_WRITER="off",
                     SEARCH_BUILD_PROCS=procs, UPLOAD_DIR=str(workdir / "uploads"))
    try:
        return _run(app, result, n, queries_n, procs, seed, workdir, baseline, say, meta)
    finally:
        if pg_url:
            with app.app_context():
                db.engine.dispose()
            if keep_database:
                say(f"database kept: {pg_url}")
            else:
                pg.drop(pg_url)


def _run(app, result: dict, n: int, queries_n: int, procs: int, seed: int, workdir: Path, baseline: bool, say,
         meta: dict) -> dict:
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from app.domain import credit_code
    from app.extensions import db
    from app.models import ImportJob, ImportKind, Organisation, OrgKind, Patent, Role, User
    from app.search import analysis, maintenance, state
    from app.search.backend import SearchRequest
    from app.search.query import parse
    from app.services import imports, listings
    from app.services import search as search_service

    csv_path = workdir / "patents.csv"
    with app.app_context():
        upgrade()
        analysis.ensure_ready()

        # -- import, as `flask import-patents` does (the index is rebuilt afterwards)
        job = ImportJob(kind=ImportKind.PATENTS, filename=csv_path.name, stored_path=str(csv_path))
        db.session.add(job)
        db.session.commit()
        t = time.perf_counter()
        job = imports.run_job(job.id)
        import_s = time.perf_counter() - t
        imported = job.created_rows
        result["import_docs_per_s"] = round(imported / import_s, 1)
        result["import_s"] = round(import_s, 1)
        result["import_error_rows"] = job.error_rows
        say(f"import: {job.processed_rows} rows, {imported} new, {job.error_rows} with errors, status {job.status.value}, "
            f"{import_s:.1f} s = {result['import_docs_per_s']:.0f} rows/s")
        assert job.error_rows == meta["bad_rows"], (job.error_rows, meta["bad_rows"])
        mark_phase(result, "import")

        # an organisation with a patent of its own, to publish listings of later
        pw = generate_password_hash("x", method="pbkdf2:sha256:1")
        org = Organisation(name="基准测试新材料有限公司", kind=OrgKind.ENTERPRISE,
                           credit_code=credit_code.make("91140100MA0BENCH1"))
        db.session.add(org)
        db.session.flush()
        user = User(email="bench@x.cn", name="bench", password_hash=pw, role=Role.ORG_ADMIN, org=org)
        db.session.add(user)
        own = db.session.scalar(sa.select(Patent).order_by(Patent.id).limit(1))
        own.owner_org_id = org.id
        db.session.commit()
        user_id, own_id = user.id, own.id
        db.session.remove()

        # -- the tuned index, as `flask search-reindex` builds it
        st = state()
        time.sleep(1.1)  # reindex re-reads rows changed in the second before it starts: let the import age out of it
        t = time.perf_counter()
        outcome = maintenance.reindex()
        index_s = time.perf_counter() - t
        docs = outcome["documents"]
        result["index_docs_per_s"] = round(docs / index_s, 1)
        result["index_s"] = round(index_s, 1)
        result["index_procs"] = procs
        backend = st.backend
        backend.refresh()
        assert backend.count() == docs, (backend.count(), docs)
        if backend.name == "whoosh":
            size_mb = _du(backend.index_dir())
        else:
            size_mb = db.session.scalar(sa.text("SELECT pg_total_relation_size('search_documents') / 1e6"))
            db.session.remove()
        say(f"index ({backend.name}, procs={procs}): {docs} documents in {index_s:.1f} s = "
            f"{result['index_docs_per_s']:.0f} docs/s (caught up {outcome['caught_up']}); index {size_mb:.0f} MB")

        mark_phase(result, "index")

        # -- queries
        queries = make_queries(meta, queries_n, seed)

        def tuned(text: str) -> int:
            return backend.search(SearchRequest(query=parse(text), facets=True)).total

        pct, samples, empty = time_queries(tuned, queries)
        result.update({"query_p50_ms": pct["p50"], "query_p95_ms": pct["p95"], "query_p99_ms": pct["p99"]})
        result["queries"] = len(queries)
        result["queries_without_hits"] = empty
        say(f"queries (tuned backend, facets on): {len(queries)}, {empty} without hits; "
            f"p50 {pct['p50']} / p95 {pct['p95']} / p99 {pct['p99']} ms")
        say("  by shape p95 ms: " + ", ".join(f"{k} {v}" for k, v in _by_shape(queries, samples).items()))
        mark_phase(result, "queries")

        # the Zipf mix: the engine alone (cold: every query computed), then through the per-process
        # result cache from empty (warm: repeats are answered from it)
        zqueries = zipf_queries(queries, len(queries), seed)
        zpct, zsamples, _ = time_queries(tuned, zqueries)
        st.results.clear()
        hits_before = st.results.hits

        def cached(text: str) -> int:
            return st.search(SearchRequest(query=parse(text), facets=True)).total

        zc_pct, _, _ = time_queries(cached, zqueries, warmup=0)
        result["zipf"] = {"distinct_queries": len(set(zqueries)), "cold_p50_ms": zpct["p50"], "cold_p95_ms": zpct["p95"],
                          "cold_p99_ms": zpct["p99"], "warm_p50_ms": zc_pct["p50"], "warm_p95_ms": zc_pct["p95"],
                          "warm_p99_ms": zc_pct["p99"],
                          "cache_hit_rate": round((st.results.hits - hits_before) / max(1, len(zqueries)), 3)}
        say(f"zipf mix: {len(zqueries)} queries, {len(set(zqueries))} distinct; engine (cold) p50 {zpct['p50']} / "
            f"p95 {zpct['p95']} / p99 {zpct['p99']} ms; through the result cache (warm) p50 {zc_pct['p50']} / "
            f"p95 {zc_pct['p95']} / p99 {zc_pct['p99']} ms, hit rate {result['zipf']['cache_hit_rate']}")
        st.results.clear()
        time_queries(cached, queries, warmup=0)  # fill the cache with the first mix
        w_pct, _, _ = time_queries(cached, queries, warmup=0)
        result["warm_query_p50_ms"], result["warm_query_p95_ms"] = w_pct["p50"], w_pct["p95"]
        say(f"first mix again through the filled cache (warm): p50 {w_pct['p50']} / p95 {w_pct['p95']} ms "
            f"(cold, above: p95 {pct['p95']} ms)")

        def page(text: str) -> int:
            return search_service.search(None, text).total

        cache_size, st.results.size = st.results.size, 0  # the page's own cost, not the cache's
        ppct, _, _ = time_queries(page, queries[: max(100, len(queries) // 2)], warmup=10)
        st.results.size = cache_size
        db.session.remove()
        result["page_query_p95_ms"] = ppct["p95"]
        mark_phase(result, "cache and page")
        say(f"search page service (hits loaded + highlighted): p50 {ppct['p50']} / p95 {ppct['p95']} / p99 {ppct['p99']} ms")

        # -- a published listing becomes findable (background indexer, as in production)
        app.config["SEARCH_WRITER"] = "thread"
        trials = []
        for i in range(6):
            tag = "ipxbench" + "".join(random.Random(seed + i).choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
            user = db.session.get(User, user_id)
            data = listings.ListingData(title=f"石墨烯导热膜专利转让 {tag}", patent_ids=[own_id], deal_kinds=["transfer"],
                                        trl=6, industry="carbon_materials", price_fen=50_000_000,
                                        description="高导热石墨烯膜连续化制备技术，可提供中试数据。")
            request = SearchRequest(query=parse(tag), facets=True)
            t = time.perf_counter()
            listings.create_listing(user, data, publish=True)
            while backend.search(request).total < 1:
                if time.perf_counter() - t > 30:
                    raise RuntimeError("a published listing did not become searchable within 30 s")
                time.sleep(0.002)
            trials.append(round((time.perf_counter() - t) * 1000, 1))
            db.session.remove()
        st.indexer.flush(timeout=30)
        app.config["SEARCH_WRITER"] = "off"
        result["add_visible_ms"] = sorted(trials)[len(trials) // 2]
        result["add_visible_max_ms"] = max(trials)
        result["add_visible_trials_ms"] = trials
        say(f"publish → findable (background indexer): median {result['add_visible_ms']} ms, trials {trials}")
        mark_phase(result, "publish")
        result["peak_rss_mb"] = rss_mb()
        result["children_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        say(f"peak RSS: {result['peak_rss_mb']} MB (largest writer child {result['children_peak_rss_mb']} MB); by phase "
            + ", ".join(f"{k} {v['peak_mb']:.0f}/{v['now_mb']:.0f}/{v['file_mb']:.0f}" for k, v in result["rss_by_phase"].items())
            + " (peak so far / resident after / of which mapped files, MB)")
        backend.close()

        # -- the plain baseline, from the same rows
        if baseline:
            from sqlalchemy.orm import Session

            folder = workdir / "baseline"
            t = time.perf_counter()
            with Session(db.engine) as session:
                bdocs = build_baseline(folder, session)
            b_index_s = time.perf_counter() - t
            plain = BaselineSearch(folder)
            bpct, bsamples, bempty = time_queries(plain, queries)
            bzpct, _, _ = time_queries(plain, zqueries)
            plain.close()
            result["baseline"] = {
                "index_docs_per_s": round(bdocs / b_index_s, 1), "index_s": round(b_index_s, 1),
                "query_p50_ms": bpct["p50"], "query_p95_ms": bpct["p95"], "query_p99_ms": bpct["p99"],
                "queries_without_hits": bempty, "peak_rss_mb": rss_mb(),
                "zipf_p50_ms": bzpct["p50"], "zipf_p95_ms": bzpct["p95"], "zipf_p99_ms": bzpct["p99"],
            }
            say(f"baseline (stock ChineseAnalyzer, default writer): {bdocs} docs in {b_index_s:.1f} s = "
                f"{bdocs / b_index_s:.0f} docs/s; queries p50 {bpct['p50']} / p95 {bpct['p95']} / p99 {bpct['p99']} ms, "
                f"{bempty} without hits; index {_du(folder):.0f} MB")
            say("  by shape p95 ms: " + ", ".join(f"{k} {v}" for k, v in _by_shape(queries, bsamples).items()))
            b = result["baseline"]
            result["ratio_query_p95"] = round(b["query_p95_ms"] / max(result["query_p95_ms"], 0.01), 1)
            result["ratio_query_p50"] = round(b["query_p50_ms"] / max(result["query_p50_ms"], 0.01), 1)
            result["ratio_zipf_query_p95"] = round(b["zipf_p95_ms"] / max(result["zipf"]["cold_p95_ms"], 0.01), 1)
            result["ratio_index"] = round(result["index_docs_per_s"] / max(b["index_docs_per_s"], 0.01), 1)
        db.engine.dispose()

    index_goal = 2000 if result["backend"] == "postgres" else 1000  # the issue's: Whoosh on 2 cores ≥ 1,000, PostgreSQL ≥ 2,000
    query_goal = 100 if result["patents"] >= 1_000_000 else 30  # the issue's: ≤ 30 ms at 100k, ≤ 100 ms for the 1M PostgreSQL run
    targets = {"query_p95_ms": (result["query_p95_ms"], "<=", query_goal), "index_docs_per_s": (result["index_docs_per_s"], ">=", index_goal),
               "add_visible_ms": (result["add_visible_ms"], "<=", 1000), "peak_rss_mb": (result["peak_rss_mb"], "<=", 1024)}
    result["targets_met"] = {k: (v <= goal if op == "<=" else v >= goal) for k, (v, op, goal) in targets.items()}
    for k, (v, op, goal) in targets.items():
        say(f"target {k} {op} {goal}: {v} {'ok' if result['targets_met'][k] else 'MISSED'}")
    return result


def _shape(q: str) -> str:
    if q.startswith("ipc:"):
        return "ipc"
    if "ipc:" in q:
        return "word+ipc"
    if q.isascii():
        return "english"
    if q.endswith(("公司", "大学", "学院", "研究院", "研究所", "合伙）")) or (len(q) in (2, 3, 4) and " " not in q and q[0] in _SURNAMES):
        return "applicant"
    return f"{q.count(' ') + 1} words"


_SURNAMES: set[str] = set()


def _by_shape(queries: list[str], samples: list[float]) -> dict[str, float]:
    groups: dict[str, list[float]] = {}
    for q, s in zip(queries, samples):
        groups.setdefault(_shape(q), []).append(s)
    return {k: percentiles(v)["p95"] for k, v in sorted(groups.items())}


def _du(folder) -> float:
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file()) / 1e6


def main(argv: list[str] | None = None, say=print) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=600, help="queries per backend (≥ 500 for the figures)")
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1), help="writer processes for the rebuild")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain Whoosh baseline")
    parser.add_argument("--backend", default="whoosh", choices=("whoosh", "postgres"),
                        help="the tuned backend measured (postgres: on a throwaway PostgreSQL database, no baseline)")
    parser.add_argument("--workdir", default=None, help="keep the CSV, database and indexes here (default: a temp dir)")
    parser.add_argument("--keep-database", action="store_true", help="postgres: keep the database (its URL is printed)")
    args = parser.parse_args(argv)

    from app.demo import vocab as V

    _SURNAMES.update(V.SURNAMES)
    if args.workdir:
        workdir = Path(args.workdir)
        if workdir.exists():
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True)
        result = run(args.patents, args.queries, args.procs, args.seed, workdir, not args.no_baseline, say,
                     args.backend, args.keep_database)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
            result = run(args.patents, args.queries, args.procs, args.seed, Path(tmp), not args.no_baseline, say,
                         args.backend, args.keep_database)
    say(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
