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


def can_edit(user: User | None, item) -> bool:
    """``require_edit`` as a yes/no, for the pages that offer the edit."""
    try:
        require_edit(user, item)
    except AccessDenied:
        return False
    return True


# ---- organisations ----------------------------------------------------------------------------


def may_manage_org(user: User | None, org_id: int) -> bool:
    """Edit an organisation and enable or disable its accounts: its administrators, the platform admin."""
    return is_admin(user) or (same_org(user, org_id) and user.can_manage_org)


def may_invite(user: User | None, org_id: int) -> bool:
    """Invite colleagues into one's own organisation and revoke its open invitations: its administrators."""
    return same_org(user, org_id) and user.can_manage_org


def may_act_for(user: User | None, org_id: int) -> bool:
    """Register patents and write listings and needs for the organisation: its members and administrators."""
    return same_org(user, org_id) and user.role in (Role.MEMBER, Role.ORG_ADMIN)


def org_actions(user: User | None, org) -> frozenset[str]:
    """What the organisation's page offers ``user`` (the same rules the services apply)."""
    actions = set()
    if may_manage_org(user, org.id):
        actions |= {"edit", "manage_users"}
    if may_invite(user, org.id):
        actions |= {"invite", "revoke_invitation"}
    if may_act_for(user, org.id):
        actions |= {"register_patent", "new_listing", "new_need"}
    if same_org(user, org.id):
        actions.add("own_patents")
    return frozenset(actions)


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


def is_bureau(user: User | None) -> bool:
    """The bureau that oversees every center (and the platform admin)."""
    return bool(user and user.is_authenticated and user.role in (Role.BUREAU_STAFF, Role.PLATFORM_ADMIN))


def require_bureau(user: User | None) -> None:
    if not is_bureau(user):
        raise Forbidden(N_("only the bureau may do this"))


def may_read_center(user: User | None, center) -> bool:
    """A center's working lists, counts and exports: its staff, or the bureau."""
    return is_center_staff(user, center) or is_bureau(user)


def require_center_or_bureau(user: User | None, center) -> None:
    """Read a center's working lists: its staff, or the bureau that oversees every center."""
    if not may_read_center(user, center):
        raise Forbidden(N_("only this center's staff may do this"))
