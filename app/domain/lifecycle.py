"""Publication states shared by listings and needs."""

from __future__ import annotations

import enum

from .errors import DomainError, N_


class PublicationStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


TRANSITIONS: dict[PublicationStatus, frozenset[PublicationStatus]] = {
    PublicationStatus.DRAFT: frozenset({PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN}),
    PublicationStatus.PUBLISHED: frozenset({PublicationStatus.CLOSED, PublicationStatus.WITHDRAWN}),
    PublicationStatus.CLOSED: frozenset(),
    PublicationStatus.WITHDRAWN: frozenset({PublicationStatus.DRAFT}),
}

EDITABLE = frozenset({PublicationStatus.DRAFT, PublicationStatus.PUBLISHED})
PUBLIC = frozenset({PublicationStatus.PUBLISHED, PublicationStatus.CLOSED})
# What search and matching offer to other organisations: open listings and needs only.
SEARCHABLE = frozenset({PublicationStatus.PUBLISHED})


class TransitionError(DomainError):
    """The requested state change is not allowed from the current state."""


def check_transition(current: str, target: str) -> PublicationStatus:
    cur, new = PublicationStatus(current), PublicationStatus(target)
    if new not in TRANSITIONS[cur]:
        raise TransitionError(N_("cannot go from {current} to {target}"), current=cur.value, target=new.value)
    return new
