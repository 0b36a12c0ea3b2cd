"""Who may see and change what. Views call these; services call them too."""

from __future__ import annotations

from ..domain.errors import N_
from ..domain.lifecycle import PUBLIC
from ..models import Role, User


class AccessDenied(Exception):
    """Not a broken rule but a missing right; views turn it into 404/403 (never caught as DomainError)."""

    def __init__(self, template: str):
        super().__init__(template)
        self.template = template


class NotFound(AccessDenied):
    """The object does not exist for this user (hidden: 404)."""


class Forbidden(AccessDenied):
    """The user sees the object but may not do this (403)."""


def is_admin(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.PLATFORM_ADMIN)


def same_org(user: User | None, org_id: int) -> bool:
    return bool(user and user.is_authenticated and user.org_id == org_id)


def can_view_published_item(user: User | None, item) -> bool:
    """Listings and needs: public once published; drafts/withdrawn only for their organisation."""
    status = getattr(item, "status", None)
    if status is None:  # patents are public records
        return True
    return status in PUBLIC or same_org(user, item.org_id) or is_admin(user)


def require_view(user: User | None, item) -> None:
    if not can_view_published_item(user, item):
        raise NotFound(N_("not found"))


def require_edit(user: User | None, item) -> None:
    """Edit a listing, need or owned patent: members of the owning organisation."""
    require_view(user, item)
    owner = getattr(item, "org_id", None)
    if owner is None:
        owner = getattr(item, "owner_org_id", None)
    if not (same_org(user, owner) and user.role in (Role.MEMBER, Role.ORG_ADMIN)):
        raise Forbidden(N_("only the owning organisation may change this"))


# ---- centers ----------------------------------------------------------------------------------


def is_center_staff(user: User | None, center) -> bool:
    """The center's own people (its staff and its organisation's admins), and the platform admin."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.PLATFORM_ADMIN:
        return True
    return user.org_id == center.org_id and user.role in (Role.CENTER_STAFF, Role.ORG_ADMIN)


def require_center_staff(user: User | None, center) -> None:
    if not is_center_staff(user, center):
        raise Forbidden(N_("only this center's staff may do this"))


def require_center_or_bureau(user: User | None, center) -> None:
    """Read a center's working lists: its staff, or the bureau that oversees every center."""
    if not (is_center_staff(user, center) or (user is not None and user.is_authenticated
                                              and user.role == Role.BUREAU_STAFF)):
        raise Forbidden(N_("only this center's staff may do this"))
