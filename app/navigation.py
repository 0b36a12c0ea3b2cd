"""The navbar's menus by role and the to-do labels: one definition that the navbar, the workspace
page and the reachability test all read."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from .domain import targets as target_rules
from .models import Role
from .services import clock
from .services.todo import CENTER_ROLES, PARTY_ROLES, NavState

TODO_LABELS = {
    "deals_to_sign": _l("Deals to sign"),
    "deals_to_fund": _l("Deals to fund (escrow)"),
    "deals_to_record": _l("Deals to record with CNIPA"),
    "deals_to_complete": _l("Deals to complete"),
    "offers_to_answer": _l("Offers to answer"),
    "ndas_to_answer": _l("NDAs to answer"),
    "new_matches": _l("New matches"),
    "pool_invitations": _l("Pool invitations"),
    "financing_offers": _l("Financing offers to answer"),
    "join_requests": _l("Requests to join the alliance"),
    "pool_alerts": _l("Pool alerts"),
    "disputes_to_answer": _l("Dispute consultations to answer"),
    "financing_to_match": _l("Financing requests without an offer"),
    "deals_disputed": _l("Disputed deals"),
    "applications_to_decide": _l("Applications to decide"),
    "reviews_assigned": _l("Reviews assigned to me"),
    "exit_deadlines": _l("Exit deadlines"),
}


@dataclass
class Item:
    text: object
    endpoint: str
    values: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.values)

    @property
    def current(self) -> bool:
        """This request shows the item's page (same endpoint, same path and query values)."""
        if request.endpoint != self.endpoint:
            return False
        given = {**request.args.to_dict(), **(request.view_args or {})}
        return all(str(given.get(k)) == str(v) for k, v in self.values.items())


@dataclass
class Group:
    key: str
    text: object
    items: list[Item]
    blueprints: tuple[str, ...] = ()  # pages of these blueprints not in the menu still light the group

    def endpoints(self) -> set[str]:
        return {i.endpoint for i in self.items}


def _market() -> Group:
    return Group("market", _l("Marketplace"), [
        Item(_l("Search"), "patentdb.search"),
        Item(_l("Patents"), "patents.index"),
        Item(_l("Listings"), "listings.index"),
        Item(_l("Needs"), "needs.index"),
        Item(_l("Patent pools"), "pools.index"),
        Item(_l("Centers"), "centers.index"),
        Item(_l("Organisations"), "orgs.index"),
        Item(_l("Public notices"), "program.notices"),
    ], ("patents", "listings", "needs", "centers", "orgs", "pools", "patentdb"))


def _business(user) -> Group:
    return Group("business", _l("My business"), [
        Item(_l("My listings"), "listings.index", {"mine": 1}),
        Item(_l("My needs"), "needs.index", {"mine": 1}),
        Item(_l("My patents"), "patents.index", {"mine": 1}),
        Item(_l("Matches"), "matching.notifications"),
        Item(_l("Negotiations"), "negotiation.index"),
        Item(_l("Deals"), "deals.index"),
        Item(_l("My watch alerts"), "program.alerts"),
        Item(_l("My organisation"), "orgs.detail", {"org_id": user.org_id}),
    ], ("matching", "negotiation", "deals"))


def _database(user, state: NavState) -> Group:
    items = [
        Item(_l("Patent database"), "patentdb.index"),
        Item(_l("Search"), "patentdb.search"),
        Item(_l("Analysis"), "patentdb.analysis"),
        Item(_l("Trademarks"), "patentdb.trademarks"),
    ]
    if user.role == Role.PLATFORM_ADMIN or state.center_id is not None:  # services/imports.can_import
        items.insert(3, Item(_l("Imports"), "patentdb.imports"))
    return Group("database", _l("Patent database"), items, ("patentdb",))


def report_year(approved_on) -> int | None:
    if approved_on is None:
        return None
    return max(1, min(target_rules.project_year(approved_on, clock.today()), target_rules.YEARS))


def _my_center(state: NavState) -> Group:
    c = {"center_id": state.center_id}
    items = [
        Item(_l("Target dashboard"), "targets.dashboard", c),
        Item(_l("Program board"), "program.board", c),
        Item(_l("Lifecycle: fund use and acceptance"), "program.lifecycle", c),
        Item(_l("Members and join requests"), "centers.detail", c),
        Item(_l("Record an offline deal"), "targets.offline_new", c),
        Item(_l("Patent pools"), "pools.index"),
        Item(_l("Patent grading"), "pools.grades", c),
    ]
    year = report_year(state.center_approved_on)
    if year:
        items.append(Item(_l("Yearly report"), "program.report", {**c, "year": year}))
    items += [
        Item(_l("Financing and insurance"), "program.financing", c),
        Item(_l("Early warning"), "program.watches", c),
        Item(_l("Dispute consultation"), "program.disputes", c),
        Item(_l("Training and events"), "program.events", c),
    ]
    return Group("center", _l("My center"), items, ("targets", "program", "pools"))


def _city() -> Group:
    return Group("city", _l("City overview"), [
        Item(_l("All centers' targets"), "targets.bureau"),
        Item(_l("All centers' program boards"), "program.bureau"),
        Item(_l("Application windows"), "program.windows"),
        Item(_l("Applications"), "program.applications"),
        Item(_l("Public notices"), "program.notices"),
        Item(_l("Credit files and dishonesty list"), "program.dishonesty"),
        Item(_l("Centers"), "centers.index"),
        Item(_l("Patent pools"), "pools.index"),
        Item(_l("Deals"), "deals.index"),
    ], ("targets", "program", "pools"))


def _custody() -> Group:
    return Group("custody", _l("Custody"), [
        Item(_l("Centers in my custody"), "program.custodian"),
        Item(_l("Public notices"), "program.notices"),
        Item(_l("Dishonesty list"), "program.dishonesty"),
    ], ("program",))


def _reviews() -> Group:
    return Group("reviews", _l("Reviews"), [
        Item(_l("Applications assigned to me"), "program.applications"),
    ], ("program",))


def menu(user, state: NavState) -> list[Group]:
    """The dropdown groups of the navbar for this user (the workspace link and the account menu aside)."""
    if not user.is_authenticated:
        return [_market()]
    groups: list[Group] = []
    if user.role in (Role.BUREAU_STAFF, Role.PLATFORM_ADMIN):
        groups.append(_city())
    if user.role in CENTER_ROLES and state.center_id is not None:
        groups.append(_my_center(state))
    if user.role == Role.EXPERT:
        groups.append(_reviews())
    if user.role == Role.CUSTODIAN:
        groups.append(_custody())
    if user.role in PARTY_ROLES and state.center_id is None:
        groups.append(_business(user))
    if user.role in (Role.CENTER_STAFF, Role.BUREAU_STAFF, Role.PLATFORM_ADMIN) or state.center_id is not None:
        groups.append(_database(user, state))
    groups.append(_market())
    return groups


def active_group(groups: list[Group], endpoint: str | None, blueprint: str | None) -> str | None:
    """The group a page belongs to: the first whose items name the endpoint, else the first that owns its
    blueprint."""
    for group in groups:
        if endpoint in group.endpoints():
            return group.key
    for group in groups:
        if blueprint in group.blueprints:
            return group.key
    return None
