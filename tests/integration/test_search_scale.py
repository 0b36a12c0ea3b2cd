"""Search at scale on both backends: facets estimated above the threshold from a deterministic
sample, the per-process result cache dropped after a write, the 受理局 facet; CN-only trading."""

from __future__ import annotations

import pytest

from app.domain import patent_numbers
from app.extensions import db
from app.models import Patent
from app.search import state
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
