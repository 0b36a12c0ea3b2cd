"""schemathesis against /api/v1/openapi.json, in-process over WSGI, with a valid token: no 5xx, and every
response (status code, content type, body, headers) conforms to the document."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.models import AllianceMembership, Role
from app.services import deals as ds
from app.services import tokens
from tests.conftest import make_center, make_listing, make_need, make_org, make_patent, make_user

# Small on purpose: the suite stays fast; raise it locally with API_FUZZ_EXAMPLES=500.
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))


@pytest.fixture
def api_world(db):
    """A few real objects with small ids, so generated ids hit rows as well as misses."""
    center = make_center(approval_date=date(2024, 3, 1))
    seller = make_user(make_org("university"), Role.ORG_ADMIN)
    buyer = make_user(make_org("sme"), Role.ORG_ADMIN)
    db.session.add(AllianceMembership(center_id=center.id, org_id=seller.org_id, status="approved"))
    db.session.commit()
    listing = make_listing(seller.org, [make_patent(seller.org), make_patent(seller.org)], offers_ordinary=True,
                           published_at=datetime(2026, 3, 1, 8, 0))  # an instant in the answers: it needs its offset
    make_need(buyer.org)
    ds.start_from_listing(buyer, listing, kind="ordinary", price_fen=100_000)
    _, token = tokens.create(buyer, "schemathesis")
    return token


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_document(app, api_world, mode):
    """Positive cases: every answer conforms (status, content type, headers, body schema). Negative cases
    (values the document rules out, e.g. per_page=0): refused with a documented 4xx, never accepted."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # unknown query parameters are ignored, as HTTP APIs do, not counted as invalid data
    schema.config.generation.update(allow_extra_parameters=False)
    headers = {"Authorization": f"Bearer {api_world}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def check(case):
            # positive_data_acceptance is left out: a schema-valid body that names a patent which does not
            # exist is rightly a 422 with a field path; every other built-in check runs.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except (Exception, BaseExceptionGroup) as err:  # collect every operation's first failure, then report them all
            failures.append(f"{operation.label}: {err}")
    assert not failures, "\n\n".join(failures)
