"""Labels for the industry database pages (enum values and facet names), translated at render time."""

from flask_babel import lazy_gettext as _l

from ..labels import INDUSTRY, LEGAL_STATUS, OFFICE, PATENT_TYPE

KIND = {"patent": _l("Patents"), "listing": _l("Listings"), "need": _l("Needs")}
KIND_ONE = {"patent": _l("Patent"), "listing": _l("Listing"), "need": _l("Need")}
FACET = {
    "kind": _l("Kind"),
    "office": _l("Office"),
    "type": _l("Patent type"),
    "status": _l("Legal status"),
    "industry": _l("Industry"),
    "year": _l("Year"),
    "ipc_section": _l("IPC section"),
    "ipc_class": _l("IPC class"),
    "applicant": _l("Applicant"),
}
SORT = {"relevance": _l("Relevance"), "date": _l("Newest first")}
IMPORT_STATUS = {"queued": _l("Queued"), "running": _l("Running"), "done": _l("Done"), "failed": _l("Failed")}
IMPORT_KIND = {"patents": _l("Patents"), "trademarks": _l("Trademarks")}
TRADEMARK_STATUS = {
    "pending": _l("Application pending"),
    "registered": _l("Registered"),
    "expired": _l("Expired"),
    "cancelled": _l("Cancelled"),
    "invalidated": _l("Invalidated"),
    "rejected": _l("Rejected"),
}
ANALYSIS_TABLE = {
    "by_year": _l("Filings and grants by year"),
    "applicants": _l("Top applicants"),
    "ipc": _l("IPC distribution"),
    "status": _l("Legal status"),
    "types": _l("Patent types"),
    "offices": _l("Patents by office"),
    "valid_inventions": _l("Valid invention patents per organisation"),
}
ANALYSIS_HEADER = {
    "Year": _l("Year"), "Filings": _l("Filings"), "Grants": _l("Grants"), "Applicant": _l("Applicant"),
    "Patents": _l("Patents"), "Valid patents": _l("Valid patents"), "IPC subclass": _l("IPC subclass"),
    "Legal status": _l("Legal status"), "Patent type": _l("Patent type"), "Organisation": _l("Organisation"),
    "Valid invention patents": _l("Valid invention patents"), "Office": _l("Office"),
}
FACET_VALUE = {"kind": KIND, "office": OFFICE, "type": PATENT_TYPE, "status": LEGAL_STATUS, "industry": INDUSTRY}


def facet_value(field: str, value: str) -> str:
    table = FACET_VALUE.get(field)
    return str(table.get(value, value)) if table else value
