"""Named events after commit: one table of handlers, a failing handler never breaks the request."""

import logging

from app import events
from app.models import Organisation
from app.services.transaction import transaction
from tests.conftest import make_listing, make_org, make_patent


def _capture(monkeypatch):
    seen = []
    table = tuple((h, kinds) for h, kinds in events.HANDLERS) + (
        (lambda evs: seen.append(list(evs)), (events.PatentChanged, events.ListingChanged, events.DataChanged)),)
    monkeypatch.setattr(events, "HANDLERS", table)
    return seen


def test_a_commit_publishes_what_it_changed_once(db, monkeypatch):
    org = make_org("university")
    patent = make_patent(org)
    seen = _capture(monkeypatch)
    listing = make_listing(org, [patent])
    flat = [e for batch in seen for e in batch]
    assert events.ListingChanged(listing.id) in flat and events.DataChanged() in flat
    assert len([e for e in seen[-1] if e == events.DataChanged()]) == 1  # once per commit, however many flushes


def test_a_rollback_publishes_nothing(db, monkeypatch):
    org = make_org("sme")
    seen = _capture(monkeypatch)
    try:
        with transaction():
            db.session.get(Organisation, org.id).region = "x"
            db.session.flush()
            raise RuntimeError
    except RuntimeError:
        pass
    assert seen == []


def test_a_failing_handler_is_logged_and_the_others_still_run(db, monkeypatch, caplog):
    org = make_org("sme")
    ran = []

    def broken(evs):
        raise RuntimeError("index down")

    monkeypatch.setattr(events, "HANDLERS", ((broken, (events.DataChanged,)),
                                             (lambda evs: ran.append(len(evs)), (events.DataChanged,))))
    with caplog.at_level(logging.ERROR, logger="app.events"):
        with transaction():
            db.session.get(Organisation, org.id).region = "y"
    assert ran == [1]
    assert "broken" in caplog.text
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).region == "y"  # the commit stands


def test_an_event_a_use_case_records_is_published_after_its_commit(db, monkeypatch):
    make_org("sme")
    seen = _capture(monkeypatch)
    with transaction() as tx:
        tx.record(events.PatentChanged(12345))
        assert seen == []  # not before the commit
    assert any(events.PatentChanged(12345) in batch for batch in seen)


def test_a_failing_handler_never_breaks_the_request(client, db, monkeypatch, caplog):
    from app.models import Patent
    from tests.conftest import login, make_user
    from tests.integration.test_patents_centers import patent_form

    def broken(evs):
        raise RuntimeError("index down")

    monkeypatch.setattr(events, "HANDLERS", tuple((broken, kinds) for _h, kinds in events.HANDLERS))
    user = make_user()
    login(client, user)
    with caplog.at_level(logging.ERROR, logger="app.events"):
        response = client.post("/patents/new", data=patent_form(user.org.name))
    assert response.status_code == 302  # saved and redirected, the handlers' failures only logged
    assert db.session.query(Patent).count() == 1 and "index down" in caplog.text
