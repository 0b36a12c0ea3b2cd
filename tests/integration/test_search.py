"""Search over a small fixed Chinese corpus, on every backend: relevance, syntax, facets,
highlighting, visibility of drafts, the index following commits, rebuild and check."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.domain import patent_numbers
from app.extensions import db
from app.models import Industry, Patent, PatentApplicant, PatentIPC
from app.search import maintenance, state
from app.search.backend import SearchRequest
from app.search.query import parse
from app.services import search as search_service
from tests.conftest import login, make_listing, make_need, make_org, make_user
from tests.integration.search_support import search_backend, whoosh_index  # noqa: F401

_serial = itertools.count(300001)


def add_patent(title, abstract="", *, ipc=("C01B 32/184",), applicants=("太原理工大学",), year=2020,
               patent_type="invention", status="granted", industry=Industry.CARBON_MATERIALS, owner=None) -> Patent:
    code = {"invention": "1", "utility_model": "2", "design": "3"}[patent_type]
    p = Patent(application_number=patent_numbers.make(year, code, next(_serial)), title=title, abstract=abstract,
               patent_type=patent_type, legal_status=status, filing_date=date(year, 3, 1),
               grant_date=date(year + 1, 6, 1) if status != "pending" else None, claims_count=5, industry=industry,
               owner_org_id=owner.id if owner else None)
    p.ipc_codes = [PatentIPC(code=c, position=i) for i, c in enumerate(ipc)]
    p.applicants = [PatentApplicant(name=n, position=i) for i, n in enumerate(applicants)]
    db.session.add(p)
    db.session.commit()
    return p


@pytest.fixture
def corpus(search_backend):
    """Eight patents in three industries."""
    ps = {
        "film": add_patent("一种石墨烯导热膜的制备方法", "本发明公开了一种石墨烯导热膜，通过氧化石墨烯涂布、碳化和石墨化，提高了面内导热系数。",
                           ipc=("C01B 32/184", "H05K 7/20"), applicants=("太原理工大学", "山西烯材科技有限公司")),
        "fibre": add_patent("聚丙烯腈基碳纤维的制备方法", "采用干喷湿纺工艺制得原丝，经预氧化和碳化得到高强度碳纤维。",
                            ipc=("D01F 9/22",), applicants=("山西钢科碳材料有限公司",), year=2018),
        "cathode": add_patent("一种锂离子电池正极材料及其制备方法", "正极材料表面包覆石墨烯层，提高倍率性能。Lithium battery cathode.",
                              ipc=("H01M 4/36", "H01M 10/0525"), applicants=("太原理工大学",), year=2021,
                              industry=Industry.NEW_ENERGY_VEHICLES),
        "separator": add_patent("锂电池隔膜涂覆装置", "一种隔膜涂覆装置，包括放卷辊和涂布头。", ipc=("H01M 50/403",),
                                applicants=("山西某装备有限公司",), year=2022, patent_type="utility_model",
                                industry=Industry.NEW_ENERGY_VEHICLES),
        "heat": add_patent("散热器", "本发明涉及一种散热器，其导热片采用石墨烯复合材料。", ipc=("H05K 7/20",),
                           applicants=("太原某电子有限公司",), year=2019, status="lapsed"),
        "steel": add_patent("双相不锈钢热轧板及其生产方法", "一种双相不锈钢，提高耐点蚀性能。", ipc=("C22C 38/58",),
                            applicants=("太原钢铁（集团）有限公司",), year=2017, industry=Industry.SPECIAL_STEEL),
        "hydrogen": add_patent("质子交换膜燃料电池电堆", "氢燃料电池电堆的密封结构。", ipc=("H01M 8/0247",),
                               applicants=("山西氢能有限公司",), year=2023, status="pending", industry=Industry.HYDROGEN),
        "script": add_patent("<script>alert(1)</script>石墨烯涂料", "含有<b>石墨烯</b>的防腐涂料&quot;", ipc=("C09D 5/08",),
                             applicants=("某涂料公司",), year=2020),
    }
    return ps


def ids(result):
    return [h.object_id for h in result.hits]


def run(text, viewer_org_id=None, **kw):
    return state().backend.search(SearchRequest(query=parse(text), viewer_org_id=viewer_org_id, **kw))


# ---- relevance ------------------------------------------------------------------------------


def test_expected_top_hits(corpus):
    assert ids(run("石墨烯 导热膜"))[0] == corpus["film"].id
    assert ids(run("碳纤维"))[:1] == [corpus["fibre"].id]
    assert ids(run("正极材料"))[:1] == [corpus["cathode"].id]
    assert ids(run("隔膜"))[0] == corpus["separator"].id
    assert ids(run("不锈钢"))[:1] == [corpus["steel"].id]


def test_title_match_outranks_abstract_match(corpus):
    hits = ids(run("散热器"))
    assert hits[0] == corpus["heat"].id
    hits = ids(run("石墨烯"))
    # two titles say 石墨烯; the radiator and the cathode only mention it in their abstracts
    assert set(hits[:2]) == {corpus["film"].id, corpus["script"].id}
    assert set(hits[2:]) == {corpus["heat"].id, corpus["cathode"].id}


def test_and_is_the_default_and_or_widens(corpus):
    assert ids(run("石墨烯 隔膜")) == []
    assert set(ids(run("碳纤维 OR 隔膜"))) == {corpus["fibre"].id, corpus["separator"].id}


def test_phrase_negation_and_subwords(corpus):
    assert ids(run('"锂离子 电池"')) == [corpus["cathode"].id]
    assert corpus["film"].id not in ids(run("石墨烯 -导热"))
    # 电池 is found inside 锂电池 / 燃料电池 (search-mode sub-words at index time)
    assert {corpus["separator"].id, corpus["hydrogen"].id, corpus["cathode"].id} <= set(ids(run("电池")))
    # 太原理工 is cut differently in the applicant name; its smaller words still match as a phrase
    assert {corpus["film"].id, corpus["cathode"].id} <= set(ids(run("applicant:太原理工")))


def test_english_is_stemmed(corpus):
    assert ids(run("CATHODES")) == [corpus["cathode"].id]
    # the glossary: "batteries" stands for 电池, so the Chinese battery patents are found too
    hits = ids(run("batteries"))
    assert set(hits) == {corpus["cathode"].id, corpus["separator"].id, corpus["hydrogen"].id}


def test_field_syntax(corpus):
    assert set(ids(run("ipc:H01M"))) == {corpus["cathode"].id, corpus["separator"].id, corpus["hydrogen"].id}
    assert ids(run('ipc:"H01M 10/0525"')) == [corpus["cathode"].id]
    assert set(ids(run("ipc:H05K 石墨烯"))) == {corpus["film"].id, corpus["heat"].id}
    assert ids(run("type:utility_model")) == [corpus["separator"].id]
    assert ids(run("type:实用新型")) == [corpus["separator"].id]
    assert ids(run("status:pending")) == [corpus["hydrogen"].id]
    assert set(ids(run("year:2017-2018"))) == {corpus["steel"].id, corpus["fibre"].id}
    assert ids(run(f"number:{corpus['steel'].application_number}")) == [corpus["steel"].id]
    assert ids(run(corpus["steel"].application_number.replace(".", ""))) == [corpus["steel"].id]
    assert ids(run("CN" + corpus["steel"].application_number)) == [corpus["steel"].id]
    assert ids(run("title:导热")) == [corpus["film"].id]
    assert ids(run("industry:hydrogen")) == [corpus["hydrogen"].id]


def test_bad_field_values_warn_and_never_fail(corpus):
    parsed = parse("ipc:XYZ 石墨烯")
    assert parsed.warnings
    for text in ['"', "ipc:", "OR", "-", ":::", "((", "的", "x" * 2000, "\x00", "year:abc", "title:", "NOT"]:
        run(text)  # no exception


# ---- facets and sorting ---------------------------------------------------------------------


def test_facet_counts(corpus):
    result = run("石墨烯 OR 电池 OR 不锈钢")
    facets = {k: dict(v) for k, v in result.facets.items()}
    assert result.total == 7
    assert facets["type"] == {"invention": 6, "utility_model": 1}
    assert facets["status"]["granted"] == 5 and facets["status"]["lapsed"] == 1 and facets["status"]["pending"] == 1
    assert facets["industry"] == {"carbon_materials": 3, "new_energy_vehicles": 2, "special_steel": 1, "hydrogen": 1}
    assert facets["ipc_section"]["H"] == 5
    assert facets["ipc_class"]["H01"] == 3
    assert facets["applicant"]["太原理工大学"] == 2
    assert facets["year"]["2020"] == 2
    narrowed = run("石墨烯 OR 电池 OR 不锈钢", filters={"type": ["utility_model"]})
    assert ids(narrowed) == [corpus["separator"].id]
    assert dict(narrowed.facets["type"]) == {"utility_model": 1}


def test_sort_by_date_and_pages(corpus):
    result = run("ipc:H01M", sort="date")
    assert ids(result) == [corpus["hydrogen"].id, corpus["separator"].id, corpus["cathode"].id]
    first = run("石墨烯 OR 电池", per_page=2, page=1)
    second = run("石墨烯 OR 电池", per_page=2, page=2)
    assert len(first.hits) == 2 and len(second.hits) == 2 and not set(ids(first)) & set(ids(second))
    assert first.total == second.total


# ---- visibility ------------------------------------------------------------------------------


def test_drafts_never_leak(search_backend, client):
    seller, other = make_org(), make_org()
    published = make_listing(seller, title="石墨烯导热膜专利包转让")
    draft = make_listing(seller, status="draft", title="石墨烯散热膜秘密草稿")
    need_draft = make_need(seller, status="draft", title="寻求石墨烯量产技术")
    need = make_need(seller, title="寻求石墨烯分散工艺")
    anyone = run("石墨烯 kind:listing OR 石墨烯 kind:need")
    keys = {(h.kind, h.object_id) for h in run("石墨烯").hits}
    assert ("listing", published.id) in keys and ("need", need.id) in keys
    assert ("listing", draft.id) not in keys and ("need", need_draft.id) not in keys
    assert dict(run("秘密草稿").facets.get("kind", [])) == {}
    assert ids(run("秘密草稿", viewer_org_id=other.id)) == []
    assert ids(run("秘密草稿", viewer_org_id=seller.id)) == [draft.id]
    del anyone
    # through the page, as another organisation's user and anonymously
    html = client.get("/search?q=秘密草稿").get_data(as_text=True)
    assert "秘密草稿" not in html.split("</form>", 1)[1]
    login(client, make_user(other))
    html = client.get("/search?q=石墨烯").get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")
    assert "石墨烯导热膜专利包转让" in html and "秘密草稿" not in html and "量产技术" not in html


def test_publishing_and_withdrawing_follow_commits(search_backend):
    org = make_org()
    listing = make_listing(org, status="draft", title="碳化硅外延片专利许可")
    assert ids(run("碳化硅")) == []
    listing.status = "published"
    listing.published_at = datetime(2026, 1, 5)
    db.session.commit()
    assert ids(run("碳化硅")) == [listing.id]
    listing.status = "withdrawn"
    db.session.commit()
    assert ids(run("碳化硅")) == []


# ---- highlighting ------------------------------------------------------------------------------


def test_snippets_mark_words_and_escape_everything_else(corpus, client):
    page = search_service.search(None, "石墨烯 涂料")
    item = next(i for i in page.items if i.obj.id == corpus["script"].id)
    assert "<mark>石墨烯</mark>" in str(item.title) and "&lt;script&gt;" in str(item.title)
    assert "<script>" not in str(item.title) and "<b>" not in str(item.snippet)
    html = client.get("/search?q=石墨烯+涂料").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<mark>石墨烯</mark>" in html


# ---- the index follows the database ----------------------------------------------------------


def test_update_and_delete_follow_commits(corpus):
    steel = corpus["steel"]
    steel.title = "奥氏体不锈钢冷轧带钢"
    db.session.commit()
    assert ids(run("奥氏体")) == [steel.id]
    assert ids(run("热轧板")) == []
    db.session.delete(steel)
    db.session.commit()
    assert ids(run("奥氏体")) == []
    assert maintenance.check().ok


def test_check_and_reindex_equal_the_database(corpus):
    assert maintenance.check().ok
    # rows written behind the index's back (raw SQL, no session hooks)
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE patents SET title = '钒电池电解液' WHERE id = :id"), {"id": corpus["fibre"].id})
        conn.execute(sa.text("DELETE FROM patent_ipc WHERE patent_id = :id"), {"id": corpus["steel"].id})
        conn.execute(sa.text("DELETE FROM patent_applicants WHERE patent_id = :id"), {"id": corpus["steel"].id})
        conn.execute(sa.text("DELETE FROM patents WHERE id = :id"), {"id": corpus["steel"].id})
    report = maintenance.check()
    assert not report.ok and report.extra == [f"patent:{corpus['steel'].id}"]
    assert ids(run("钒电池")) == []
    result = maintenance.reindex()
    assert result["documents"] == 7
    report = maintenance.check()
    assert report.ok and report.index_count == report.database_count == 7
    assert ids(run("钒电池")) == [corpus["fibre"].id]
    assert state().backend.keys() == {f"patent:{p.id}" for p in db.session.scalars(sa.select(Patent))}


def test_documents_segmented_in_worker_processes_equal_those_of_one(corpus, app, monkeypatch):
    """A PostgreSQL rebuild segments the patents in SEARCH_BUILD_PROCS spawned processes: same documents,
    same order; and the rebuilt index answers as before."""
    from sqlalchemy.orm import Session

    from app.search import documents

    with Session(db.engine) as session:
        one = list(documents.iter_all(session))
    with Session(db.engine) as session:
        two = list(documents.iter_all(session, batch=3, procs=2))
    assert [d.key for d in two] == [d.key for d in one] and two == one
    monkeypatch.setitem(app.config, "SEARCH_BUILD_PROCS", 2)
    before = ids(run("钒电池 OR 碳纤维"))
    assert maintenance.reindex()["documents"] == len(one)
    assert maintenance.check().ok and ids(run("钒电池 OR 碳纤维")) == before


def test_cli_reindex_and_check(corpus, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search-reindex"])
    assert result.exit_code == 0, result.output
    assert "8 documents indexed" in result.output
    result = runner.invoke(args=["search-check"])
    assert result.exit_code == 0 and "ok" in result.output
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM patent_ipc WHERE patent_id = :id"), {"id": corpus["heat"].id})
        conn.execute(sa.text("DELETE FROM patent_applicants WHERE patent_id = :id"), {"id": corpus["heat"].id})
        conn.execute(sa.text("DELETE FROM patents WHERE id = :id"), {"id": corpus["heat"].id})
    result = runner.invoke(args=["search-check"])
    assert result.exit_code == 1 and "1 extra" in result.output
    result = runner.invoke(args=["search-check", "--fix"])
    assert result.exit_code == 0
    assert runner.invoke(args=["search-check"]).exit_code == 0


# ---- Whoosh: one writer, retries, reused searchers ---------------------------------------------


def test_a_held_writer_lock_delays_the_index_but_loses_nothing(whoosh_index, app):
    from whoosh.index import LockError  # noqa: F401  (what must never reach the user)

    app.config["SEARCH_WRITER"] = "thread"
    whoosh_index.lock_timeout = 0.05
    ix = whoosh_index._index()
    held = ix.writer()  # another process's writer, say
    try:
        patent = add_patent("钠离子电池硬碳负极材料")  # the commit succeeds at once
        time.sleep(0.3)
        assert ids(run("硬碳")) == []
        assert state().indexer.failures >= 1
    finally:
        held.cancel()
    assert state().indexer.flush(timeout=10)
    assert ids(run("硬碳")) == [patent.id]


def test_the_searcher_is_reused_and_refreshed(whoosh_index):
    add_patent("稀土永磁电机转子")
    run("永磁")
    first = whoosh_index._searcher
    run("电机")
    assert whoosh_index._searcher is first  # not opened per search
    add_patent("永磁同步电机控制方法")
    assert len(run("永磁").hits) == 2  # refreshed after the commit


def test_concurrent_commits_from_threads_all_arrive(whoosh_index, app):
    app.config["SEARCH_WRITER"] = "thread"
    errors = []

    def work(n):
        with app.app_context():
            try:
                for i in range(3):
                    add_patent(f"并发写入测试专利{n}号{i}型")
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert state().indexer.flush(timeout=20)
    assert run("并发 写入").total == 9
    assert maintenance.check().ok


def test_rebuild_swaps_directories(whoosh_index):
    add_patent("氮化镓功率器件")
    before = whoosh_index.index_dir()
    maintenance.reindex()
    after = whoosh_index.index_dir()
    assert before != after and not before.exists() and after.exists()
    assert len(run("氮化镓").hits) == 1


def _whoosh_docs(backend) -> dict[str, dict]:
    """Every indexed document's terms per field, by key (what a search can find), for comparing two builds."""
    s = backend._get_searcher()
    reader = s.reader()
    out: dict[str, dict] = {}
    keys = {docnum: fields_["key"] for docnum, fields_ in reader.iter_docs()}
    for fieldname in ("title", "content", "applicant", "applicant_key", "ipc", "status", "number"):
        if fieldname not in reader.indexed_field_names():
            continue
        for term in reader.lexicon(fieldname):
            for docnum in reader.postings(fieldname, term).all_ids():
                out.setdefault(keys[docnum], {}).setdefault(fieldname, set()).add(term)
    return out


def test_a_rebuild_with_writer_processes_equals_one_with_a_single_writer(corpus, whoosh_index):
    """Two writer processes build (and segment) the patents themselves: the same documents as one writer."""
    maintenance.reindex()
    one = _whoosh_docs(whoosh_index)
    whoosh_index.procs = 2
    maintenance.reindex()
    assert _whoosh_docs(whoosh_index) == one and len(one) == 8
    assert maintenance.check().ok
    assert ids(run("石墨烯 导热膜"))[0] == corpus["film"].id


def test_a_rebuild_segments_only_what_changed(corpus, whoosh_index, monkeypatch):
    """The segment cache: a second rebuild (writer processes included) cuts no unchanged text; a changed
    title is cut afresh; the new index's cache holds what it uses."""
    from app.search import analysis, segment_cache

    whoosh_index.procs = 2
    maintenance.reindex()
    cache_file = whoosh_index.index_dir() / segment_cache.FILENAME
    assert cache_file.exists()
    before = _whoosh_docs(whoosh_index)
    cut = []
    real = analysis.segment

    def counting(text):
        cut.append(text)
        return real(text)

    monkeypatch.setattr(analysis, "segment", counting)
    with db.engine.begin() as conn:  # behind the index's back, as a bulk update would
        conn.execute(sa.text("UPDATE patents SET title = '钒电池电解液' WHERE id = :id"), {"id": corpus["fibre"].id})
    whoosh_index.procs = 1  # counted in this process (a writer process's calls are not seen here)
    maintenance.reindex()
    assert cut == ["钒电池电解液"]
    after = _whoosh_docs(whoosh_index)
    assert {k: v for k, v in after.items() if k != f"patent:{corpus['fibre'].id}"} == \
        {k: v for k, v in before.items() if k != f"patent:{corpus['fibre'].id}"}
    assert ids(run("钒电池")) == [corpus["fibre"].id]

    def refuse(text):
        raise AssertionError(f"segmented again: {text}")

    monkeypatch.setattr(analysis, "segment", refuse)  # forked writer processes inherit it
    whoosh_index.procs = 2
    maintenance.reindex()
    assert _whoosh_docs(whoosh_index) == after


def test_a_writer_process_that_fails_leaves_the_live_index_alone(corpus, whoosh_index, monkeypatch):
    """A rebuild whose writer process failed (here: building a document raises) is refused as a whole,
    never swapped in short."""
    from app.search import documents

    maintenance.reindex()
    live = whoosh_index.index_dir()
    whoosh_index.procs = 2

    def broken(**values):
        raise RuntimeError("building the document failed")

    monkeypatch.setattr(documents, "patent_doc_from_values", broken)  # forked writer processes inherit it
    with pytest.raises(RuntimeError):
        maintenance.reindex()
    assert whoosh_index.index_dir() == live
    assert whoosh_index.count() == 8 and ids(run("碳纤维")) == [corpus["fibre"].id]


def test_a_status_change_reindexes_without_segmenting_again(corpus, whoosh_index, monkeypatch):
    """The live index's cache: a legal-status update rewrites the document from cached segments."""
    from app.search import analysis

    maintenance.reindex()
    assert not run("石墨烯 导热膜", filters={"status": ["lapsed"]}).hits

    def refuse(text):
        raise AssertionError(f"segmented again: {text}")

    monkeypatch.setattr(analysis, "segment", refuse)
    failures = state().indexer.failures
    patent = db.session.get(Patent, corpus["film"].id)
    patent.legal_status = "lapsed"
    db.session.commit()
    assert state().indexer.failures == failures
    assert run("石墨烯 导热膜", filters={"status": ["lapsed"]}).hits[0].object_id == patent.id


def test_the_segment_cache_gives_up_quietly_on_a_broken_file(tmp_path):
    from app.search import analysis, segment_cache

    path = tmp_path / "segments.sqlite3"
    path.write_bytes(b"not a database" * 100)
    cache = segment_cache.SegmentCache(path)
    assert cache.segment("石墨烯导热膜") == analysis.segment("石墨烯导热膜")
    cache.prefetch(["碳纤维"])
    cache.close()
    assert cache.broken
    good = segment_cache.SegmentCache(tmp_path / "good.sqlite3")
    assert good.segment("石墨烯导热膜") == analysis.segment("石墨烯导热膜") and good.misses == 1
    good.close()
    again = segment_cache.SegmentCache(tmp_path / "good.sqlite3")
    again.prefetch(["石墨烯导热膜"])
    assert again.segment("石墨烯导热膜") == analysis.segment("石墨烯导热膜") and (again.hits, again.misses) == (1, 0)
    again.close()


# ---- the page ------------------------------------------------------------------------------


def test_search_page_survives_any_input(corpus, client):
    for q in ['"', "ipc:", "ipc:XYZ", "OR", "-", ":::", "((", "<script>", "x" * 3000, "year:abc", "%00"]:
        response = client.get("/search", query_string={"q": q})
        assert response.status_code == 200, q
    assert client.get("/search?q=石墨烯&page=99999&sort=nonsense&f_year=abc").status_code == 200
    html = client.get("/search", query_string={"q": "ipc:XYZ 石墨烯"}).get_data(as_text=True)
    assert "IPC" in html  # the warning
    html = client.get("/search", query_string={"q": "石墨烯", "f_type": "invention"}).get_data(as_text=True)
    assert "一种石墨烯导热膜的制备方法" in html.replace("<mark>", "").replace("</mark>", "")


def test_search_page_shows_facets_and_needs(search_backend, client):
    org = make_org()
    make_need(org, title="寻求氢燃料电池双极板技术")
    html = client.get("/search?q=双极板").get_data(as_text=True)
    assert "双极板" in html and "f_kind=need" in html


# ---- what people type ------------------------------------------------------------------------


def test_a_sentence_falls_back_to_best_match_and_says_so(corpus, client):
    sentence = "我们想找石墨烯导热膜的量产办法，现在一个班产量太低"
    assert ids(run(sentence)) == []  # every word ANDed: nothing holds 一个班 and 产量
    page = search_service.search(None, sentence)
    assert page.partial and page.exact_total == 0
    assert [f.obj.id for f in page.items][0] == corpus["film"].id
    html = client.get("/search", query_string={"q": sentence}).get_data(as_text=True)
    assert "未找到包含全部词语的结果，以下为部分匹配" in html
    # enough results holding every word: no fallback, no notice
    page = search_service.search(None, "石墨烯")
    assert not page.partial
    assert "部分匹配" not in client.get("/search?q=石墨烯").get_data(as_text=True)


def test_phrases_fields_and_exclusions_still_mean_what_they_say(corpus):
    # a quoted phrase and a field clause stay required in the best match; only plain words are relaxed
    page = search_service.search(None, '"石墨烯 隔膜"')
    assert page.total == 0 and not page.partial
    page = search_service.search(None, "title:碳纤维 石墨烯 导热膜 正极")
    assert {f.obj.id for f in page.items} <= {corpus["fibre"].id}
    page = search_service.search(None, "石墨烯 导热膜 一个班 -散热器")
    found = {f.obj.id for f in page.items}
    assert page.partial and corpus["film"].id in found and corpus["heat"].id not in found


def test_dictionary_terms_stay_whole_and_are_found_inside_longer_words(search_backend):
    from app.search import analysis

    assert analysis.query_tokens("负极首效偏低") == ["负极", "首效", "偏低"]
    assert analysis.query_tokens("高首效硬碳") == ["高首效", "硬碳"]
    assert analysis.query_tokens("预氧化") == ["预氧化"] and analysis.query_tokens("截齿") == ["截齿"]
    # in the index a dictionary word keeps its place, its sub-words share it
    assert analysis.segment("大功率采煤机截齿").split()[-1].split("|")[0] == "采煤机截齿"
    assert {"截齿", "采煤机"} <= set(analysis.index_tokens("大功率采煤机截齿"))
    assert "预氧化" in analysis.index_tokens("原丝梯度预氧化") and "高首效" in analysis.index_tokens("高首效多孔碳")
    # chatty words are stop words
    assert analysis.query_tokens("我们有没有碳纤维的技术，怎么办") == ["碳纤维"]
    pick = add_patent("一种大功率采煤机截齿", "截齿齿体采用硬质合金。", ipc=("E21C 35/18",), industry=Industry.HIGH_END_EQUIPMENT)
    stack = add_patent("一种燃料电池电堆的密封结构", "电堆端板采用轻量化设计。", ipc=("H01M 8/24",), industry=Industry.HYDROGEN)
    box = add_patent("重型齿轮箱故障诊断方法", "采集齿轮箱振动信号。", ipc=("G01M 13/02",), industry=Industry.HIGH_END_EQUIPMENT)
    pre = add_patent("碳纤维原丝预氧化工艺", "原丝在空气中梯度预氧化。", ipc=("D01F 9/22",))
    assert ids(run("截齿")) == [pick.id]
    assert ids(run("燃料电池")) == [stack.id]  # a sub-word of every length: 燃料电池 inside 燃料电池电堆
    assert ids(run("齿轮")) == [box.id]  # 齿轮 meets 齿轮箱
    assert ids(run("预氧化")) == [pre.id] and ids(run("氧化")) == [pre.id]


def test_traditional_characters_find_simplified_documents_and_the_reverse(corpus):
    assert ids(run("碳纖維"))[:1] == [corpus["fibre"].id]
    assert ids(run("不鏽鋼"))[:1] == [corpus["steel"].id]
    assert corpus["separator"].id in ids(run("鋰電池"))
    assert ids(run("燃料電池電堆")) == [corpus["hydrogen"].id]
    assert ids(run('"石墨烯導熱膜"')) == [corpus["film"].id]
    old = add_patent("一種鋰離子電池負極材料", "採用硬碳包覆。", ipc=("H01M 4/587",), industry=Industry.NEW_ENERGY_VEHICLES)
    assert old.id in ids(run("锂离子电池 负极材料"))


def test_the_glossary_lets_english_find_chinese_and_the_reverse(corpus):
    assert ids(run("carbon fiber"))[:1] == [corpus["fibre"].id]
    assert ids(run("stainless steel")) == [corpus["steel"].id]
    assert ids(run("fuel cell stack")) == [corpus["hydrogen"].id]
    english = add_patent("Graphene thermal film for smartphones", "A graphene heat spreader film.", ipc=("C01B 32/184",))
    assert english.id in ids(run("石墨烯 导热膜"))
    # colloquial words stand for the term documents use
    belt = add_patent("一种带式输送机托辊检测装置", "检测托辊故障。", ipc=("B65G 39/00",), industry=Industry.HIGH_END_EQUIPMENT)
    assert ids(run("皮带机 托辊")) == [belt.id]


def test_closed_and_withdrawn_listings_are_not_found_by_others(search_backend, client):
    seller, other = make_org("university", name="某大学"), make_org("sme", name="某企业")
    open_ = make_listing(seller, title="碳化硅外延片专利许可")
    closed = make_listing(seller, status="closed", title="碳化硅外延炉专利转让")
    withdrawn = make_listing(seller, status="withdrawn", title="碳化硅衬底专利转让")
    viewer = make_user(other)
    found = {(f.kind, f.obj.id) for f in search_service.search(viewer, "碳化硅").items}
    assert ("listing", open_.id) in found
    assert ("listing", closed.id) not in found and ("listing", withdrawn.id) not in found
    own = {(f.kind, f.obj.id) for f in search_service.search(make_user(seller), "碳化硅").items}
    assert {("listing", closed.id), ("listing", withdrawn.id)} <= own


def test_an_index_of_another_analysis_is_stale_and_rebuilt(corpus, app, monkeypatch):
    from app.search import analysis

    assert state().backend.analysis_version() == analysis.VERSION and not maintenance.is_stale()
    monkeypatch.setattr(analysis, "VERSION", "0123456789ab")  # the code's analysis changed
    assert maintenance.is_stale() and maintenance.check().stale and not maintenance.check().ok
    result = maintenance.reindex_if_stale()
    assert result is not None and result["documents"] == 8
    assert state().backend.analysis_version() == "0123456789ab" and not maintenance.is_stale()
    assert maintenance.reindex_if_stale() is None
    runner = app.test_cli_runner()
    out = runner.invoke(args=["search-reindex", "--if-stale"]).output
    assert "current" in out


def test_advanced_search_form_builds_the_query(client):
    from urllib.parse import parse_qs, urlparse

    page = client.get("/search").get_data(as_text=True)
    assert "高级检索" in page and 'name="a_applicant"' in page and 'name="a_ipc"' in page
    r = client.get("/search?adv=1&a_words=石墨烯&a_applicant=太原理工大学&a_ipc=C01B&a_year_from=2018&a_year_to=2021"
                   "&a_type=invention&a_status=granted&a_title=&a_exclude=回收&sort=newest")
    assert r.status_code == 302
    args = parse_qs(urlparse(r.headers["Location"]).query)
    assert args["q"] == ['石墨烯 applicant:"太原理工大学" ipc:C01B year:2018-2021 type:invention status:granted -回收']
    assert args["sort"] == ["newest"]
    bad = client.get("/search?adv=1&a_words=石墨烯&a_year_from=20x8&a_type=nonsense", follow_redirects=True)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "不是有效年份" in html and "type:" not in bad.request.args.get("q", "")
