"""Search at scale on both backends: facets estimated above the threshold from a deterministic
sample, the per-process result cache dropped after a write, the 受理局 facet; CN-only trading."""

from __future__ import annotations

import pytest

from app.domain import patent_numbers
from app.extensions import db
from app.models import Patent, SearchDocument
from app.search import maintenance, state
from app.search.backend import SearchDoc, SearchRequest
from app.search.query import parse
from app.services import listings as listing_service
from app.services import search as search_service
from tests.conftest import make_patent, make_user
from tests.integration.search_support import search_backend  # noqa: F401
from tests.integration.test_search import add_patent

N = 1200


def _docs():
    kinds = ("invention", "invention", "utility_model")
    return [SearchDoc(kind="patent", object_id=i, public=True, org_id=None, title="石墨烯薄膜", title_seg="石墨烯 薄膜",
                      body_seg="导热", applicant_seg="", office="US" if i % 4 == 0 else "CN",
                      patent_type=kinds[i % 3], legal_status="granted", year=2015 + i % 10) for i in range(1, N + 1)]


def _run(**kw):
    return state().backend.search(SearchRequest(query=parse("石墨烯"), **kw))


def test_facets_are_exact_below_the_threshold_and_estimated_above(search_backend):
    search_backend.apply(_docs(), [])
    exact = _run()
    assert not exact.facets_estimated and not exact.total_estimated and exact.total == N
    assert dict(exact.facets["type"]) == {"invention": 800, "utility_model": 400}
    assert dict(exact.facets["office"]) == {"CN": 900, "US": 300}
    estimated = _run(facet_exact_max=500, facet_sample=300)
    assert estimated.facets_estimated
    for fname in ("type", "office"):
        for value, n in exact.facets[fname]:
            guess = dict(estimated.facets[fname])[value]
            assert abs(guess - n) <= 0.3 * n, (fname, value, guess, n)
    if search_backend.name == "postgres":
        assert estimated.total_estimated and abs(estimated.total - N) <= 0.3 * N
    else:
        assert estimated.total == N and not estimated.total_estimated  # Whoosh has the exact total cheaply
    again = _run(facet_exact_max=500, facet_sample=300)
    assert again.facets == estimated.facets and again.total == estimated.total  # deterministic
    bare = _run(facets=False, facet_exact_max=500, facet_sample=300)  # the same rule without facets
    assert bare.total == estimated.total and bare.total_estimated == estimated.total_estimated
    assert _run(facets=False).total == N and not _run(facets=False).total_estimated
    assert len(estimated.hits) == 20  # the page itself is not sampled


def test_the_result_cache_is_dropped_after_a_write(search_backend):
    add_patent("一种石墨烯导热膜")
    cache = state().results
    first = search_service.search(None, "石墨烯")
    hits = cache.hits
    assert search_service.search(None, "石墨烯").total == first.total == 1
    assert cache.hits == hits + 1  # the second one came from the cache
    add_patent("石墨烯散热片")
    assert search_service.search(None, "石墨烯").total == 2  # the index changed: the cache was dropped


def test_the_office_facet_and_filter(search_backend, client):
    add_patent("一种石墨烯导热膜")
    us = add_patent("Graphene film 石墨烯")
    us.office, us.application_number, us.publication_number = "US", "US10312345", "US10312345B2"
    db.session.commit()
    result = search_service.search(None, "石墨烯")
    assert dict(result.result.facets["office"]) == {"CN": 1, "US": 1}
    only = search_service.search(None, "石墨烯", filters={"office": ["US"]})
    assert [f.obj.id for f in only.items] == [us.id]
    page = client.get("/search?q=石墨烯").get_data(as_text=True)
    assert "受理局" in page or "Office" in page
    assert "美国" in page or "United States" in page


def test_foreign_patents_cannot_be_listed_pooled_or_traded(db):
    user = make_user()
    patent = make_patent(user.org)
    patent.office, patent.application_number = "US", "US16123456"
    db.session.commit()
    with pytest.raises(patent_numbers.PatentNumberError) as err:
        listing_service.create_listing(user, listing_service.ListingData(
            title="US battery", patent_ids=[patent.id], deal_kinds=["ordinary"], trl=5, industry="new_energy_vehicles"))
    assert "US16123456" in err.value.params["numbers"] and "CNIPA" in err.value.template
    assert db.session.get(Patent, patent.id).office == "US"


# ---- applicants ------------------------------------------------------------------------------


def test_applicant_keys_and_short_forms():
    from app.domain import applicants

    assert applicants.keys("太原钢铁（集团）有限公司") == ["太原钢铁(集团)有限公司", "太原钢铁有限公司", "太原钢铁"]
    assert applicants.keys("山西烁科晶体有限公司")[-1] == "山西烁科晶体"
    assert applicants.keys("Acme Co., Ltd.") == ["acmecoltd", "acme"]
    assert applicants.keys("华为技术有限公司 (中国)")[1] == "华为技术有限公司"


def _company_corpus():
    target = add_patent("一种碳化硅单晶的生长方法", "籽晶粘接。", applicants=("山西烁科晶体有限公司",))
    for i in range(6):  # many documents with the generic words, in titles and applicants
        add_patent(f"有限公司科技园区管理系统{i}", "某科技有限公司的晶体管理。", applicants=(f"某某科技有限公司{i}",))
    return target


def test_an_applicant_name_is_matched_first_by_its_key(search_backend):
    target = _company_corpus()
    for text in ("山西烁科晶体有限公司", "山西烁科晶体", "applicant:山西烁科晶体有限公司"):
        result = search_service.search(None, text)
        assert result.items and result.items[0].obj.id == target.id, text
        assert result.total == 1, text  # 有限公司 / 科技 no longer drag in every company


def test_a_query_of_only_generic_company_words_says_so(search_backend, client):
    _company_corpus()
    result = search_service.search(None, "applicant:有限公司")
    assert result.total == 0 and result.result.notes[0][1] == {"value": "有限公司"}
    page = client.get("/search?q=applicant:有限公司").get_data(as_text=True)
    assert "有限公司" in page and ("通用" in page or "generic company words" in page)


# ---- exact top-k ---------------------------------------------------------------------------


def test_whoosh_top_10_of_a_big_result_set_is_the_exhaustive_top_10(app, tmp_path):
    """The search's top ten (read from the posting blocks) against Whoosh scoring every match."""
    from app.search.whoosh_backend import WhooshBackend, compile_query

    backend = WhooshBackend(tmp_path / "ix")
    words = ["石墨烯", "薄膜", "导热", "电池", "涂层", "碳纤维", "复合", "制备"]
    docs = []
    for i in range(1, 401):
        picked = [words[(i * k) % len(words)] for k in (1, 3, 5, 7)][: 1 + i % 4]
        title = " ".join(picked[:2])
        body = " ".join(picked * (1 + i % 3))
        docs.append(SearchDoc(kind="patent", object_id=i, public=True, org_id=None, title=title, title_seg=title,
                              body_seg=body, applicant_seg=""))
    backend.rebuild(docs)
    for text in ("石墨烯", "石墨烯 OR 电池", "薄膜 OR 导热 OR 涂层", "石墨烯 OR 导热 OR 复合", "复合 OR 制备 OR 碳纤维 OR 电池",
                 "title:薄膜 OR 涂层"):
        fast = backend.search(SearchRequest(query=parse(text), per_page=10, facets=False))
        with backend._lock:
            s = backend._get_searcher()
            every = s.search(compile_query(parse(text), {}), limit=None)
            exhaustive = sorted(((h.score, -h.docnum, h["key"]) for h in every), reverse=True)[:10]
        assert [round(h.score, 6) for h in fast.hits] == [round(sc, 6) for sc, _, _ in exhaustive], text
        assert [f"patent:{h.object_id}" for h in fast.hits] == [k for _, _, k in exhaustive], text
        assert fast.total > 10
    backend.close()


def test_whoosh_block_reader_scores_every_match_as_whoosh_does(tmp_path):
    """whoosh_fast against Whoosh's own matchers, on an index of several segments with deleted documents:
    the same matches with the same scores for every query shape the page compiles (phrases walked by
    Whoosh inside it), and a restricted read that skips blocks."""
    from whoosh import query as wq

    from app.search import whoosh_fast
    from app.search.whoosh_backend import WhooshBackend, compile_query

    backend = WhooshBackend(tmp_path / "ix")
    words = ["石墨烯", "薄膜", "导热", "电池", "涂层", "碳纤维", "复合", "制备", "传感器", "电极"]

    def doc(i: int) -> SearchDoc:
        picked = [words[(i * k) % len(words)] for k in (1, 3, 7, 9)][: 1 + i % 4]
        title = " ".join(picked[:2])
        return SearchDoc(kind="patent", object_id=i, public=True, org_id=None, title=title, title_seg=title,
                         body_seg=" ".join(picked * (1 + i % 5)), applicant_seg="太原 理工 大学" if i % 7 == 0 else "",
                         applicants=["太原理工大学"] if i % 7 == 0 else [], ipc=["H", "H01", "H01M"] if i % 3 == 0 else ["C"],
                         patent_type="invention" if i % 2 else "utility_model", year=2015 + i % 8)

    backend.rebuild([doc(i) for i in range(1, 1601)])  # posting lists of many blocks
    backend.apply([doc(i) for i in range(1601, 1701)], [f"patent:{i}" for i in range(5, 400, 11)])  # a second segment
    with backend._lock:
        s = backend._get_searcher()
        assert len(s.leaf_searchers()) >= 2 and s.reader().has_deletions()
        segments = backend._segment_data(s)
        texts = ["石墨烯", "石墨烯 导热", "石墨烯 OR 电池", "薄膜 导热 涂层", "石墨烯 -电池", '"石墨烯 导热"', "石墨烯 ipc:H01M",
                 "title:薄膜 OR 涂层", "太原理工大学 电池", "不存在的词", "电极 OR (传感器 复合)"]
        for text in texts:
            for filters in ({}, {"type": ["invention"]}, {"year": ["2018", "2019"]}):
                q = compile_query(parse(text), filters, df=s.reader().doc_frequency)
                if q is None:
                    continue
                expected = {h.docnum: h.score for h in s.search(q, limit=None)}
                got = whoosh_fast.evaluate(s, q, segments)
                assert got.keys() == expected.keys(), (text, filters)
                assert all(abs(got[d] - expected[d]) < 1e-9 * max(1.0, abs(expected[d])) for d in got), (text, filters)
        # a restricted read: only the candidates asked for, the same scores
        leaf, offset = s.leaf_searchers()[0]
        one = whoosh_fast._Leaf(leaf, leaf.reader(), segments[0], s, s.weighting)
        every = one.eval(wq.Term("content", "石墨烯"), None)
        wanted = sorted(every)[::97] + [10**6]
        assert one.eval(wq.Term("content", "石墨烯"), wanted) == {d: every[d] for d in wanted if d in every}
    backend.close()


# ---- PostgreSQL: RUM when the extension is there, GIN when not -----------------------------------


def test_postgres_ranks_with_rum_when_there_and_gin_when_not(search_backend, app, monkeypatch):
    if search_backend.name != "postgres":
        pytest.skip("PostgreSQL only")
    import sqlalchemy as sa

    from app.search.postgres_backend import RUM_INDEX

    best = add_patent("石墨烯 石墨烯 导热膜", "石墨烯石墨烯")
    add_patent("一种导热膜", "含少量石墨烯。")
    add_patent("散热片", "石墨烯")
    maintenance.reindex()  # as `flask search-reindex` does: with RUM where the extension is
    with db.engine.connect() as conn:
        has_rum = search_backend.uses_rum(conn)
    if not has_rum:
        pytest.skip("the rum extension is not installed on this server (Debian: postgresql-15-rum)")
    with db.engine.connect() as conn:
        assert search_backend.uses_rum(conn)
    with_rum = _run()
    assert with_rum.hits[0].object_id == best.id and with_rum.total == 3
    monkeypatch.setitem(app.config, "SEARCH_PG_RUM", "off")
    with db.engine.connect() as conn:
        assert not search_backend.uses_rum(conn)
    with_gin = _run()
    assert {h.object_id for h in with_gin.hits} == {h.object_id for h in with_rum.hits}
    assert with_gin.hits[0].object_id == best.id
    monkeypatch.setitem(app.config, "SEARCH_PG_RUM", "auto")
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"DROP INDEX {RUM_INDEX}"))
    search_backend._rum = None
    with db.engine.connect() as conn:
        assert not search_backend.uses_rum(conn)  # the extension without the index: GIN
    assert {h.object_id for h in _run().hits} == {h.object_id for h in with_rum.hits}


def _table_shape():
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        indexes = dict(conn.execute(sa.text(
            "SELECT indexname, regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes WHERE tablename = 'search_documents'")).all())
        constraints = set(conn.scalars(sa.text(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'search_documents'::regclass")))
        sequence = conn.scalar(sa.text("SELECT pg_get_serial_sequence('search_documents', 'id')"))
        leftover = conn.scalar(sa.text("SELECT to_regclass('search_documents_build')"))
    return indexes, constraints, sequence, leftover


def test_postgres_rebuild_writes_the_rows_an_insert_writes(search_backend):
    """The rebuild's COPY lines are made by hand: tabs, line breaks, backslashes, quotes, braces and
    commas in titles, applicants and numbers, NULLs and dates come out as the INSERT path stores them."""
    _pg_only(search_backend)
    from datetime import date

    import sqlalchemy as sa

    odd = ['tab\there', 'line\nbreak\r\nend', 'back\\slash \\N \\t', 'quote\'s "double"', '{brace}, comma', '']
    docs = [
        SearchDoc(kind="patent", object_id=i + 1, public=i % 2 == 0, org_id=None if i % 3 else i, title=f"{text}石墨烯",
                  title_seg="石墨烯|石墨 导热膜", body_seg="膜", applicant_seg="恒通",
                  numbers=[f"cn2020{i}.x", text.lower()[:10]] if text else [], applicants=[f"恒通{text}有限公司", text],
                  ipc=["H", "H01", "H01M"], office="CN", patent_type="invention", legal_status="valid", industry="新材料",
                  year=2020 + i, sort_date=date(2020, 1, i + 1) if i % 2 else None)
        for i, text in enumerate(odd)
    ]

    def rows():
        with db.engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT kind, object_id, org_id, public, number, title, text, sort_date, tsv::text, facets, keys "
                "FROM search_documents ORDER BY kind, object_id")).all()

    search_backend.clear()
    search_backend.apply(docs, [])
    inserted = rows()
    assert len(inserted) == len(docs) and inserted[1].title == "line\nbreak\r\nend石墨烯"
    assert search_backend.rebuild(iter(docs)) == len(docs)
    assert rows() == inserted


def test_postgres_rebuild_fills_a_new_table_with_one_text_index_and_swaps_it_in(search_backend, app, monkeypatch):
    """The rebuild fills a table without indexes and swaps it in with the live table's constraints,
    indexes, names and id sequence, and one index on tsv: RUM when the extension is there, GIN when not
    (or SEARCH_PG_RUM is off). Searches and later writes work the same on every table it makes."""
    _pg_only(search_backend)
    import sqlalchemy as sa

    from app.search.postgres_backend import BUILD_TABLE, GIN_INDEX, RUM_INDEX

    docs = _docs()
    search_backend.apply(docs[:10], [])
    live = _run()
    monkeypatch.setitem(app.config, "SEARCH_PG_RUM", "off")
    assert search_backend.rebuild(docs) == N
    gin, constraints, sequence, leftover = _table_shape()
    model = SearchDocument.__table__
    assert {ix.name for ix in model.indexes} <= set(gin) and RUM_INDEX not in gin  # the model's indexes, GIN on tsv
    assert {model.primary_key.name, "uq_search_documents_kind_object"} <= constraints and sequence and leftover is None
    with_gin = _run()
    assert with_gin.total == N > live.total
    assert search_backend.rebuild(docs) == N  # again: the same table
    assert _table_shape() == (gin, constraints, sequence, None)
    monkeypatch.setitem(app.config, "SEARCH_PG_RUM", "auto")
    seen_meanwhile = []

    def watched():  # a search while the new table fills reads the live one
        for i, d in enumerate(docs):
            if i == N // 2:
                seen_meanwhile.append(_run().total)
            yield d

    assert search_backend.rebuild(watched()) == N
    assert seen_meanwhile == [N]
    rum, rum_constraints, rum_sequence, leftover = _table_shape()
    with db.engine.connect() as conn:
        has_rum = bool(conn.scalar(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")))
        assert search_backend.uses_rum(conn) == has_rum
    if has_rum:
        assert GIN_INDEX not in rum and rum[RUM_INDEX].startswith("rum (tsv")
        assert {k: v for k, v in rum.items() if k != RUM_INDEX} == {k: v for k, v in gin.items() if k != GIN_INDEX}
    else:
        assert rum == gin
    assert rum_constraints == constraints and rum_sequence == sequence and leftover is None
    with_rum = _run(facets=True)
    assert with_rum.total == N and {h.object_id for h in with_rum.hits} <= {d.object_id for d in docs}
    # later writes: ids continue from the sequence, the unique key is enforced, the version recorded
    extra = SearchDoc(kind="patent", object_id=N + 1, public=True, org_id=None, title="石墨烯", title_seg="石墨烯",
                      body_seg="", applicant_seg="")
    search_backend.apply([extra], [])
    assert _run().total == N + 1
    with db.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT max(id) FROM search_documents")) > N
        assert search_backend.analysis_version() is not None
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO search_documents (kind, object_id, public, number, title, text, tsv, facets, keys) "
                                 "SELECT kind, object_id, public, number, title, text, tsv, facets, keys FROM search_documents LIMIT 1"))
    # a rebuild that fails part-way leaves the live table as it was, and no build table
    def broken():
        yield from docs[:5]
        raise RuntimeError("a document failed")

    with pytest.raises(RuntimeError):
        search_backend.rebuild(broken())
    assert _run().total == N + 1 and _table_shape()[3] is None
    with db.engine.connect() as conn:
        assert conn.scalar(sa.text(f"SELECT to_regclass('{BUILD_TABLE}')")) is None
    monkeypatch.setitem(app.config, "SEARCH_PG_RUM", "off")  # back to GIN
    search_backend.rebuild([])
    assert _table_shape()[:3] == (gin, constraints, sequence)


def test_estimated_counts_read_as_people_say_them(app):
    from flask_babel import force_locale

    from app.templating import approx_count

    with app.test_request_context():
        with force_locale("zh_CN"):
            assert (approx_count(213_456), approx_count(23_456), approx_count(5_432), approx_count(87)) == \
                ("21 万", "2.3 万", "5,400", "87")
        with force_locale("en"):
            assert approx_count(213_456) == "210,000"


def test_postgres_applicant_key_probe_reads_the_index_not_the_table(search_backend):
    """With LIMIT 1 the planner would read every row looking for a key nobody has (1.7 s at 1M documents):
    the probe (and the capped word counts, LIMIT 201) run with sequential scans off, and only they."""
    if search_backend.name != "postgres":
        pytest.skip("PostgreSQL only")
    import sqlalchemy as sa

    add_patent("一种石墨烯导热膜")
    seen = []

    def before(conn, cursor, statement, params, context, executemany):
        if "search_documents" in statement or "enable_seqscan" in statement:
            cursor.execute("SHOW enable_seqscan")
            seen.append((cursor.fetchone()[0] if "enable_seqscan" not in statement else "set", statement))

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert _run().total == 1
        assert search_backend.search(SearchRequest(query=parse("石墨烯导热膜"))).total == 1  # a word with an alternative
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    selects = [(mode, s) for mode, s in seen if s.startswith("SELECT")]
    assert selects[0][0] == "off" and "@>" in selects[0][1]  # the key probe
    counts = [mode for mode, s in selects if "LIMIT" in s and "count(*)" in s]
    assert counts and all(mode == "off" for mode in counts)  # the capped word counts
    searching = [mode for mode, s in selects if "unnest" in s or "ORDER BY" in s]
    assert searching and all(mode == "on" for mode in searching)  # facets and ranking plan as usual


def test_whoosh_segments_are_separate_files_read_without_copying_them(app, tmp_path):
    """A compound segment is read through a memory map, but Whoosh copies every part it opens into
    memory (at 100k patents ~210 MB a searcher, the same again for each writer): the rebuild (one and
    two writer processes) and the live writes keep each segment's files apart."""
    from whoosh.filedb.structfile import BufferFile

    from app.search.documents import PatentBatch
    from app.search.whoosh_backend import WhooshBackend

    def values(i):
        return dict(object_id=i, application_number=f"20201056{i:04d}.X", publication_number="", title=f"石墨烯 导热 膜 {i}",
                    abstract="一种 石墨烯 导热 膜 的 制备 方法", patent_type="invention", legal_status="granted",
                    industry="carbon_materials", filing_date=None, owner_org_id=None, applicants=["太原理工大学"],
                    ipc_codes=["H01M 4/00"])

    for procs in (1, 2):
        backend = WhooshBackend(tmp_path / f"ix{procs}", procs=procs)
        backend.rebuild([PatentBatch([values(i) for i in range(1, 301)]), PatentBatch([values(i) for i in range(301, 601)])])
        backend.apply([SearchDoc(kind="patent", object_id=7, public=True, org_id=None, title="石墨烯", title_seg="石墨烯",
                                 body_seg="石墨烯 散热", applicant_seg="")], ["patent:8"])
        assert backend.search(SearchRequest(query=parse("石墨烯"), facets=True)).total == 599
        with backend._lock:
            s = backend._get_searcher()
            segments = [leaf.reader().segment() for leaf, _ in s.leaf_searchers()]
            files = [leaf.reader()._terms._postfile for leaf, _ in s.leaf_searchers()]
        assert len(segments) >= 2 and not any(seg.is_compound() for seg in segments), procs
        assert not any(isinstance(f, BufferFile) for f in files), procs
        assert not list((tmp_path / f"ix{procs}").rglob("*.seg")), procs
        backend.close()


@pytest.mark.parametrize("limitmb", [128, 0.004])  # 0.004: the terms go to many run files and are merged back
def test_whoosh_term_pool_writes_the_segment_files_whoosh_writes(tmp_path, limitmb):
    """The rebuild's writer (postings grouped by term, runs merged term by term) against Whoosh's
    own writer on the same documents: every segment file is the same, byte for byte."""
    from whoosh import index

    from app.search.whoosh_backend import WRITER_OPTIONS, doc_fields, make_schema
    from app.search.whoosh_build import TermPoolWriter

    words = ["石墨烯", "薄膜", "导热", "电池", "涂层", "碳纤维", "复合", "制备", "graphene", "系统"]
    docs = []
    for i in range(1, 251):
        picked = [words[(i * k) % len(words)] for k in (1, 3, 7, 9)][: 1 + i % 4]
        docs.append(SearchDoc(kind="patent", object_id=i, public=i % 5 != 0, org_id=i % 3 or None, title=" ".join(picked[:2]),
                              title_seg=" ".join(picked[:2]), body_seg=" ".join(picked * (1 + i % 3)) + " 方法|方 法",
                              applicant_seg="太原 理工 大学" if i % 2 else "", applicants=["太原理工大学"] if i % 2 else [],
                              numbers=[f"2020{i:08d}.x"], ipc=["h01m", "h01m4"] if i % 4 else [], patent_type="invention",
                              legal_status="granted", industry="carbon_materials", year=2000 + i % 20))
    files = {}
    for name, make in (("whoosh", lambda ix: ix.writer(**WRITER_OPTIONS)),
                       ("pool", lambda ix: TermPoolWriter(ix, limitmb=limitmb, **WRITER_OPTIONS))):
        folder = tmp_path / name
        folder.mkdir()
        ix = index.create_in(str(folder), make_schema())
        writer = make(ix)
        if name == "pool" and limitmb < 1:
            pool = writer.pool
        for doc in docs:
            writer.add_document(**doc_fields(doc))
        writer.commit()
        (segment,) = ix._segments()
        prefix = segment.segment_id()
        files[name] = {p.name.removeprefix(prefix): p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix)}
    assert files["pool"].keys() == files["whoosh"].keys() and ".pst" in files["pool"]
    for ext in files["whoosh"]:
        assert files["pool"][ext] == files["whoosh"][ext], ext
    if limitmb < 1:
        assert pool.runs_written > 5 and not pool.runs  # merged and removed


@pytest.mark.parametrize("separate", [150, 230])
def test_a_words_alternative_reading_joins_only_when_absent_or_cheap(search_backend, separate):
    """锂离子电池 may be written 锂离子 电池: that reading is a phrase, checked only when the word is not
    in the index or its parts are rare (≤ ALT_PHRASE_MAX_DF documents): the same rule on both backends."""
    from app.search.query import ALT_PHRASE_MAX_DF

    assert parse("锂离子电池").groups[0].alternatives == {"锂离子电池": ["锂离子", "电池"]}

    def doc(i, body):
        return SearchDoc(kind="patent", object_id=i, public=True, org_id=None, title=f"专利{i}", title_seg=f"专利 {i}",
                         body_seg=body, applicant_seg="")

    docs = [doc(i, "锂离子 电池 隔膜") for i in range(1, separate + 1)]
    search_backend.apply(docs, [])
    only_parts = search_backend.search(SearchRequest(query=parse("锂离子电池"), facets=True))
    assert only_parts.total == separate  # the word is nowhere: its reading is the query
    search_backend.apply([doc(1000, "锂离子电池 隔膜")], [])
    both = search_backend.search(SearchRequest(query=parse("锂离子电池"), facets=True))
    assert both.total == (separate + 1 if separate <= ALT_PHRASE_MAX_DF else 1)
    assert both.hits[0].object_id == 1000 or separate <= ALT_PHRASE_MAX_DF
    # a word the index holds in more than ALT_PHRASE_MAX_DF documents: its reading is not tried, however rare
    search_backend.apply([doc(2000 + i, "锂离子电池") for i in range(ALT_PHRASE_MAX_DF)], [])
    common = search_backend.search(SearchRequest(query=parse("锂离子电池"), facets=False))
    assert common.total == ALT_PHRASE_MAX_DF + 1


# ---- PostgreSQL at 1M documents: what the per-statement profile of the benchmark asked for ----------


def _pg_only(search_backend):
    if search_backend.name != "postgres":
        pytest.skip("PostgreSQL only")


def _applicant_docs():
    """600 of one applicant (its key), 600 whose words hold its name without the key, 600 with an IPC."""
    out = []
    for i in range(1, 1801):
        mine = i <= 600
        out.append(SearchDoc(kind="patent", object_id=i, public=True, org_id=None, title=f"石墨烯薄膜 {i}",
                             title_seg="石墨烯 薄膜", body_seg="导热" + (" 太原 理工 大学" if 600 < i <= 1200 else ""),
                             applicant_seg="太原 理工 大学" if mine else "", applicants=["太原理工大学"] if mine else [],
                             ipc=["H01M"] if i > 1200 else [], patent_type=("invention", "utility_model")[i % 2],
                             legal_status="granted", year=2015 + i % 10))
    return out


def test_postgres_samples_inside_each_branch_of_an_applicant_query(search_backend):
    """The sample buckets are tested inside each branch (the applicant's key OR its words) and beside a
    bare filter, not once beside the OR: the estimates stay right and deterministic."""
    _pg_only(search_backend)
    from app.search import applicants as applicant_queries
    from app.search.postgres_backend import compile_where

    search_backend.apply(_applicant_docs(), [])
    for text, truth in (("太原理工大学", 1200), ("ipc:H01M", 600)):
        exact = search_backend.search(SearchRequest(query=parse(text), facets=True))
        assert exact.total == truth and not exact.total_estimated, text
        sampled = search_backend.search(SearchRequest(query=parse(text), facets=True, facet_exact_max=100, facet_sample=300))
        assert sampled.total_estimated and abs(sampled.total - truth) <= 0.3 * truth, (text, sampled.total)
        for value, n in exact.facets["type"]:
            assert abs(dict(sampled.facets["type"])[value] - n) <= 0.35 * n, (text, value)
        again = search_backend.search(SearchRequest(query=parse(text), facets=True, facet_exact_max=100, facet_sample=300))
        assert (again.total, again.facets) == (sampled.total, sampled.facets)
        bare = search_backend.search(SearchRequest(query=parse(text), facets=False, facet_exact_max=100, facet_sample=300))
        assert bare.total == sampled.total
    parsed, _ = applicant_queries.rewrite(parse("太原理工大学"), lambda key: True)
    from sqlalchemy.dialects import postgresql

    values = [str(v) for v in compile_where(parsed, {}, None, buckets=[0, 1])[0].compile(dialect=postgresql.dialect()).params.values()]
    assert any(v.startswith("('太原'") and v.endswith(") & ('s 0' | 's 1')") for v in values)  # inside the words' tsquery
    assert "['applicant_key=太原理工大学']" in values and "'s 0' | 's 1'" in values  # and beside the key


def test_postgres_exact_counts_where_they_cost_less_than_the_sample(search_backend):
    _pg_only(search_backend)
    from app.search.postgres_backend import PostgresBackend, exact_is_cheaper

    assert (exact_is_cheaper(1_000_000), exact_is_cheaper(100_000), exact_is_cheaper(0)) == (10_000, 3_162, 0)
    search_backend.apply(_applicant_docs(), [])
    request = SearchRequest(query=parse("石墨烯"), facets=True, facet_exact_max=100, facet_sample=300)
    with db.engine.connect() as conn:
        from app.search.postgres_backend import _tsv_matches, _buckets_tsquery

        def where_of(buckets):
            return _tsv_matches(f"'石墨烯' & ({_buckets_tsquery(buckets)})")

        assert PostgresBackend._sampled_facets(conn, where_of, request) is not None  # sampled above the threshold
        assert PostgresBackend._sampled_facets(conn, where_of, request, cheaper_exact=5000) is None  # counted
        assert PostgresBackend._sampled_count(conn, where_of, request, cheaper_exact=5000) is None


def test_postgres_common_words_come_from_the_statistics_not_a_count(search_backend, monkeypatch):
    """A word ANALYZE saw in many documents is over the cap without counting it; a rare word is
    counted as before; the alternative reading's rule gives the same answer either way."""
    _pg_only(search_backend)
    import sqlalchemy as sa

    from app.search.postgres_backend import DocCounts
    from app.search.query import ALT_PHRASE_MAX_DF

    search_backend.apply(_applicant_docs(), [])
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE search_documents"))
    counts = DocCounts()
    monkeypatch.setattr(DocCounts, "COMMON", 0.5)  # over ~100 documents: "common" on this small table
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        with db.engine.connect() as conn:
            found = counts.lookup(conn, ["'石墨烯'", "'石墨烯':C", "'1234'"])
            assert counts.rows(conn) == 1800
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert found == {"'石墨烯'": ALT_PHRASE_MAX_DF + 1, "'石墨烯':C": 0, "'1234'": 0}
    capped = [s for s in statements if "LIMIT" in s and "count(*)" in s]
    assert len(capped) == 1  # one statement for the two words the statistics could not answer
    assert search_backend.search(SearchRequest(query=parse("石墨烯薄膜"), facets=True)).total == 1800
    # best match's word weights: the documents and a common word's count from the statistics, close to the counts
    from app.search.postgres_backend import word_weights
    from app.search.query import AtLeast, Clause

    group = AtLeast(clauses=[Clause(field=None, tokens=["石墨烯"], alternatives={"石墨烯": ["石墨", "烯"]}),
                             Clause(field=None, tokens=["理工"]), Clause(field=None, tokens=["稀有"])])
    statements.clear()
    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        with db.engine.connect() as conn:
            exact = word_weights(conn, group)
            statements.clear()
            guessed = word_weights(conn, group, counts)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert [round(w, 1) for w in guessed] == [round(w, 1) for w in exact] and exact[2] == 0
    assert len([s for s in statements if "count(*)" in s]) == 1  # only the rare word was counted


def test_postgres_a_few_matches_are_sorted_by_the_rank_the_index_would_give(search_backend, monkeypatch):
    _pg_only(search_backend)
    from app.search import postgres_backend

    add_patent("石墨烯 石墨烯 导热膜", "石墨烯石墨烯", ipc=("H01M 4/36",))
    add_patent("一种导热膜", "含少量石墨烯。", ipc=("H01M 4/36",))
    add_patent("散热片", "石墨烯", ipc=("H01M 4/36",))
    add_patent("石墨烯粉体", "石墨烯", ipc=("C01B 32/184",))
    maintenance.reindex()  # as `flask search-reindex` does: with RUM where the extension is
    with db.engine.connect() as conn:
        if not search_backend.uses_rum(conn):
            pytest.skip("the rum extension is not installed on this server (Debian: postgresql-15-rum)")
    request = SearchRequest(query=parse("石墨烯 ipc:H01M"))
    sorted_hits = search_backend.search(request)
    monkeypatch.setattr(postgres_backend, "RUM_SORT_MAX", 0)  # read in order from the index
    from_index = search_backend.search(request)
    assert sorted_hits.total == from_index.total == 3
    assert [h.object_id for h in sorted_hits.hits] == [h.object_id for h in from_index.hits]
    assert [round(h.score, 6) for h in sorted_hits.hits] == [round(h.score, 6) for h in from_index.hits]


def test_postgres_searches_with_their_own_work_mem(search_backend, app, monkeypatch):
    _pg_only(search_backend)
    import sqlalchemy as sa

    from app import create_app

    add_patent("一种石墨烯导热膜")
    seen = []

    def before(conn, cursor, statement, params, context, executemany):
        if "unnest" in statement:
            cursor.execute("SHOW work_mem")
            seen.append(cursor.fetchone()[0])

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert _run(facets=True).total == 1
        monkeypatch.setitem(app.config, "SEARCH_PG_WORK_MEM", "")
        assert _run(facets=True).total == 1
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    with db.engine.connect() as conn:
        server = conn.scalar(sa.text("SHOW work_mem"))
    assert seen == ["64MB", "64MB", server, server] and server != "64MB"  # the server's own outside a search
    with pytest.raises(ValueError, match="SEARCH_PG_WORK_MEM"):
        create_app("testing", SEARCH_PG_WORK_MEM="lots")


def test_the_analysers_objects_are_frozen_out_of_full_collections():
    import gc

    from app.search import analysis

    analysis.ensure_ready()
    assert gc.get_freeze_count() > 10_000
