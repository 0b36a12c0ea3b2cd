"""bench/search.py end to end on a tiny corpus: generate, import, rebuild, query, publish, report."""

from __future__ import annotations

from tests import bench_support


def test_search_bench_runs_small(tmp_path):
    bench = bench_support.load("search")
    lines: list[str] = []
    result = bench.main(["--patents", "300", "--queries", "20", "--procs", "1", "--no-baseline",
                         "--workdir", str(tmp_path / "bench")], say=lines.append)
    assert result["patents"] == 300
    assert result["import_docs_per_s"] > 0 and result["index_docs_per_s"] > 0
    assert result["queries"] == 20 and result["queries_without_hits"] < 20
    assert 0 < result["add_visible_ms"] < 30_000
    assert lines[-1].startswith("{") and '"query_p95_ms"' in lines[-1]
    assert result["zipf"]["cold_p95_ms"] > 0 and 0 <= result["zipf"]["cache_hit_rate"] <= 1 and result["warm_query_p95_ms"] > 0


def test_search_bench_runs_small_on_postgresql(tmp_path):
    import pytest

    from tests import pg

    try:
        pg.drop(pg.create())
    except Exception as err:  # noqa: BLE001 - no server here: the Whoosh run above still ran
        pytest.skip(f"no PostgreSQL: {err}")
    bench = bench_support.load("search")
    lines: list[str] = []
    result = bench.main(["--patents", "200", "--queries", "20", "--procs", "1", "--backend", "postgres",
                         "--workdir", str(tmp_path / "bench")], say=lines.append)
    assert result["backend"] == "postgres" and result["index_docs_per_s"] > 0
    assert result["queries_without_hits"] < 20 and 0 < result["add_visible_ms"] < 30_000
    assert "baseline" not in result
