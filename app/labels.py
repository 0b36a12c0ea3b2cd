"""Human labels for enum values, translated at render time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .domain import attribution as _attribution

ORG_KIND = {
    "enterprise": _l("Enterprise"),
    "university": _l("University"),
    "research_institute": _l("Research institute"),
    "sme": _l("SME"),
    "agency": _l("IP service agency"),
    "association": _l("Industry association"),
    "center": _l("Operation center"),
    "bureau": _l("City bureau"),
}
ROLE = {
    "member": _l("Member"),
    "org_admin": _l("Organisation admin"),
    "center_staff": _l("Center staff"),
    "bureau_staff": _l("Bureau staff"),
    "expert": _l("Expert"),
    "custodian": _l("Custodian staff"),
    "platform_admin": _l("Platform admin"),
}
INDUSTRY = {
    "carbon_materials": _l("Carbon-based new materials"),
    "high_end_equipment": _l("High-end equipment"),
    "new_energy_vehicles": _l("New-energy vehicles"),
    "it_innovation": _l("IT innovation"),
    "semiconductors": _l("Third-generation semiconductors"),
    "special_steel": _l("Stainless and special steel"),
    "energy_environment": _l("Energy saving and environment"),
    "biomedicine": _l("Biomedicine"),
    "hydrogen": _l("Hydrogen energy"),
}
PATENT_TYPE = {
    "invention": _l("Invention"),
    "utility_model": _l("Utility model"),
    "design": _l("Design"),
}
LEGAL_STATUS = {
    "pending": _l("Pending"),
    "granted": _l("Granted, in force"),
    "lapsed": _l("Lapsed (annuity unpaid)"),
    "expired": _l("Expired"),
    "invalidated": _l("Invalidated"),
    "partly_invalidated": _l("Partly invalidated"),
    "withdrawn": _l("Withdrawn"),
    "rejected": _l("Rejected"),
}
# Patent offices (受理局) by code; a code not named here is shown as written (AU, CA …).
OFFICE = {
    "CN": _l("China (CNIPA)"), "US": _l("United States (USPTO)"), "EP": _l("Europe (EPO)"),
    "WO": _l("PCT (WIPO)"), "JP": _l("Japan (JPO)"), "KR": _l("Korea (KIPO)"), "DE": _l("Germany (DPMA)"),
    "GB": _l("United Kingdom (UKIPO)"), "FR": _l("France (INPI)"), "TW": _l("Taiwan, China (TIPO)"),
    "RU": _l("Russia"), "AU": _l("Australia"), "CA": _l("Canada"), "IN": _l("India"),
}
PUBLICATION_STATUS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
}
DEAL_KIND = {
    "transfer": _l("Transfer"),
    "exclusive": _l("Exclusive licence"),
    "sole": _l("Sole licence"),
    "ordinary": _l("Ordinary licence"),
}
DEAL_STATUS = {
    "draft": _l("Draft"),
    "signed": _l("Signed"),
    "funded": _l("Escrow funded"),
    "recorded": _l("Recorded at CNIPA"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    "disputed": _l("In dispute"),
    "refunded": _l("Refunded"),
    "reversed": _l("Undone"),
}
DEAL_ACTION = {
    "sign": _l("Sign"),
    "fund": _l("Fund escrow"),
    "record": _l("Enter CNIPA recordal"),
    "complete": _l("Complete and release funds"),
    "cancel": _l("Cancel"),
    "dispute": _l("Open a dispute"),
    "resolve_release": _l("Settle dispute: go on"),
    "refund": _l("Refund the buyer"),
    "reverse": _l("Undo completed deal"),
}
DEAL_STEP = {  # the progress stepper: short words
    "draft": _l("Draft"),
    "signed": _l("Signed"),
    "funded": _l("Funds in escrow"),
    "recorded": _l("Recorded"),
    "completed": _l("Completed"),
}
LEDGER_ACCOUNT = {
    "payer": _l("Payer"),
    "escrow": _l("Escrow account"),
    "payee": _l("Payee"),
    "fees": _l("Platform service fee"),
    "other": _l("Other account"),
}
LEDGER_KIND = {
    "fund": _l("Buyer pays into escrow"),
    "release": _l("Escrow paid out to the seller"),
    "refund": _l("Escrow refunded to the buyer"),
    "reversal": _l("Completed deal undone"),
}
DEAL_EVENT = {
    "deal.created": _l("Deal created"),
    "deal.center_assigned": _l("Counted for a center"),
    "deal.sign": _l("Contract signed"),
    "deal.fund": _l("Escrow funded"),
    "deal.record": _l("CNIPA recordal entered"),
    "deal.complete": _l("Completed and funds released"),
    "deal.cancel": _l("Cancelled"),
    "deal.dispute": _l("Dispute opened"),
    "deal.resolve": _l("Dispute settled"),
    "deal.refund": _l("Buyer refunded"),
    "deal.reverse": _l("Completed deal undone"),
    "deal.offline_recorded": _l("Recorded offline"),
    "pool.licence": _l("Pool licence granted"),
}
POOL_MEMBER_STATUS = {
    "invited": _l("Invited"),
    "joined": _l("Joined"),
    "declined": _l("Declined"),
    "left": _l("Left"),
}
DEAL_ORIGIN = {"platform": _l("On the platform"), "offline": _l("Closed elsewhere")}
MEMBERSHIP_STATUS = {
    "pending": _l("Pending approval"),
    "approved": _l("Member"),
    "rejected": _l("Rejected"),
    "left": _l("Left"),
}
TRL = {
    1: _l("TRL 1 – basic principles"),
    2: _l("TRL 2 – concept formulated"),
    3: _l("TRL 3 – proof of concept"),
    4: _l("TRL 4 – lab validation"),
    5: _l("TRL 5 – validation in relevant environment"),
    6: _l("TRL 6 – prototype demonstrated"),
    7: _l("TRL 7 – pilot in operation"),
    8: _l("TRL 8 – system complete and qualified"),
    9: _l("TRL 9 – proven in production"),
}

# ---- the center program --------------------------------------------------------------------
PROGRAM_TASK = {
    1: _l("Construction plan"),
    2: _l("Industry patent database"),
    3: _l("Patent navigation projects"),
    4: _l("High-value patent pool"),
    5: _l("Transfers and licences"),
    6: _l("Industry IP alliance"),
    7: _l("Patent-intensive products"),
    8: _l("PCT filings"),
    9: _l("Patents in standards"),
    10: _l("Awards"),
}
PROGRAM_RULE = {
    1: _l("a plan with all nine sections"),
    2: _l("the industry's patents in the database, with search and analysis"),
    3: _l("≥ 1 industry-planning and ≥ 5 innovator navigation projects completed"),
    4: _l("a pool of ≥ 100 valid patents, ≥ 50 inventions, from ≥ 3 organisations"),
    5: _l("≥ 20 transfers/licences in year 1, then ≥ 30 % average yearly growth"),
    6: _l("members include enterprises, industry organisations, universities and IP agencies"),
    7: _l("at least one product identified as patent-intensive"),
    8: _l("≥ 20 new international-phase PCT applications or ≥ 10 national-phase entries"),
    9: _l("essential patents in ≥ 1 new international or ≥ 3 new national standards"),
    10: _l("a patent or patented product wins an international, national or provincial award"),
}
PROGRAM_CHECK = {
    "plan_sections": _l("Plan sections written"),
    "industry_patents": _l("Industry patents in the database"),
    "analysed_patents": _l("Patents analysed (graded)"),
    "industry_planning": _l("Industry-planning projects completed"),
    "innovator_projects": _l("Innovator projects completed"),
    "patents": _l("Valid patents in the best pool"),
    "inventions": _l("Valid invention patents in the best pool"),
    "organisations": _l("Organisations in the best pool"),
    "current_year": _l("Project started"),
    "year_1": _l("Counted in project year 1 (the notice: at least 20)"),
    "year_1_projection": _l("Project year 1 at the present pace (the notice: at least 20)"),
    "growth_percent": _l("Average yearly growth so far, % (the notice: at least 30)"),
    "enterprises": _l("Enterprises"),
    "industry_organisations": _l("Industry organisations"),
    "universities": _l("Universities"),
    "ip_agencies": _l("IP agencies"),
    "identified_products": _l("Products identified"),
    "international_phase": _l("International-phase PCT applications"),
    "national_phase": _l("National-phase entries"),
    "international_standards": _l("International standards"),
    "national_standards": _l("National standards"),
    "awards_won": _l("Awards won"),
}
LIGHT = {"green": _l("met"), "amber": _l("in progress"), "red": _l("missing")}
OFFLINE_COLUMN = {
    "seller": _l("Seller"), "buyer": _l("Buyer"), "kind": _l("Kind"), "patents": _l("Patents"),
    "price": _l("Price (yuan)"), "completed_on": _l("Completed on"), "recordal_number": _l("Recordal number"),
    "recordal_date": _l("Recordal date"), "contract_ref": _l("Contract reference"), "contract": _l("Contract reference"),
    "row": _l("Row"),
}
ATTRIBUTION_REASON = {k.value: _l(v) for k, v in _attribution.REASON_TEXT.items()}
# task 5's states by the notice's rule: the same words on every page, file and API answer
TASK5_STATE = {"not_started": _l("not started"), "red": _l("rule missed"), "amber": _l("at risk"),
               "green": _l("meets the rule")}
PLAN_SECTION = {
    "ideas": _l("Ideas"),
    "positioning": _l("Positioning"),
    "goals": _l("Goals"),
    "tasks": _l("Tasks"),
    "governance": _l("Joint-venture governance"),
    "base": _l("Current base"),
    "schedule": _l("Schedule"),
    "budget": _l("Budget"),
    "safeguards": _l("Safeguards"),
}
FEASIBILITY_SECTION = {
    "significance": _l("1. Significance"),
    "working_base": _l("2. Working base (IP statistics of the industry, industrial and research base)"),
    "plan_goals": _l("3. Construction plan and goals"),
    "main_tasks": _l("4. Main tasks (tied to the assessment indicators)"),
    "implementation": _l("5. Implementation plan (build, cultivation, operation stages)"),
    "mechanism": _l("6. Working mechanism"),
    "safeguards": _l("7. Safeguards"),
}
APPLICATION_FIELD = {
    "proposed_name": _l("Proposed center name"),
    "contact_person": _l("Contact person"),
    "phone": _l("Phone"),
    "legal_representative": _l("Legal representative of the applicant"),
    "capital_plan": _l("Capital plan"),
    "targets": _l("Quantified task targets"),
}
DOCUMENT_KIND = {
    "licences": _l("Business licences / legal-person certificates"),
    "five_year_plan": _l("Five-year plan"),
    "financial_statements": _l("Financial statements (last three years)"),
    "credit_certificate": _l("Credit certificate"),
    "team_cvs": _l("Team CVs"),
    "sealed_scan": _l("Sealed scanned PDF of the whole application"),
    "other": _l("Other evidence"),
}
APPLICATION_STATUS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted, under review"),
    "review_passed": _l("Passed the first review"),
    "due_diligence": _l("In due diligence"),
    "public_notice": _l("On public notice"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "disqualified": _l("Disqualified (false material)"),
}
NAV_KIND = {
    "regional_planning": _l("Regional planning"),
    "industry_planning": _l("Industry planning"),
    "enterprise_operation": _l("Enterprise operation"),
    "rd_activity": _l("R&D activity"),
    "talent_management": _l("Talent management"),
    "other": _l("Other"),
}
PROJECT_STATUS = {"planned": _l("Planned"), "in_progress": _l("In progress"), "completed": _l("Completed")}
PRODUCT_STATUS = {"applied": _l("Applied for identification"), "identified": _l("Identified")}
PCT_PHASE = {"international": _l("International phase"), "national": _l("National-phase entry")}
STANDARD_LEVEL = {
    "international": _l("International"),
    "national": _l("National"),
    "industry": _l("Industry"),
    "local": _l("Local"),
    "group": _l("Group (association)"),
}
STANDARD_STATUS = {"drafting": _l("Drafting"), "published": _l("Published")}
AWARD_LEVEL = {
    "international": _l("International"),
    "national": _l("National"),
    "provincial": _l("Provincial"),
    "municipal": _l("Municipal"),
}
AWARD_STATUS = {"nominated": _l("Nominated"), "won": _l("Won")}
FINANCING_KIND = {
    "pledge_loan": _l("Patent pledge loan"),
    "equity": _l("Equity financing"),
    "insurance": _l("IP insurance"),
    "merger": _l("Mergers and acquisitions"),
}
REQUEST_STATUS = {"open": _l("Open"), "matched": _l("Matched"), "closed": _l("Closed"), "withdrawn": _l("Withdrawn")}
PROVIDER_KIND = {"bank": _l("Bank"), "insurer": _l("Insurer"), "investor": _l("Investor"), "other": _l("Other")}
OFFER_STATUS = {"proposed": _l("Proposed"), "accepted": _l("Accepted"), "declined": _l("Declined")}
DISPUTE_KIND = {
    "accused": _l("We are accused of infringement"),
    "infringed": _l("Someone infringes our patent"),
    "ownership": _l("Ownership dispute"),
    "contract": _l("Contract dispute"),
    "other": _l("Other"),
}
DISPUTE_STATUS = {"open": _l("Open"), "answered": _l("Answered"), "closed": _l("Closed")}
EVENT_KIND = {
    "training": _l("Training"),
    "seminar": _l("Seminar"),
    "matchmaking": _l("Matchmaking"),
    "roadshow": _l("Roadshow"),
}
EXIT_REASON = {
    "no_equity_agreement": _l("No equity-investment agreement within 1 month of the task book"),
    "no_business": _l("No IP-operation business within 3 months of the task book, or business off the agreement"),
    "no_benefit": _l("No clear economic or social benefit"),
    "shareholders_end": _l("Shareholders resolved to end cooperation"),
    "major_risk": _l("Major operating or financial risk"),
    "regulatory": _l("Required by law or regulators"),
    "period_complete": _l("Construction period complete"),
    "agreement_case": _l("An exit case in the investment agreement"),
}
SERVICE_FIGURE = {
    "financing_requests": _l("Financing and insurance requests"),
    "financing_matched": _l("Requests matched"),
    "financing_matched_fen": _l("Amount matched (yuan)"),
    "watches": _l("Early-warning watches"),
    "consultations": _l("Dispute consultations"),
    "consultations_answered": _l("Consultations answered"),
    "events": _l("Training sessions and events"),
    "event_signups": _l("Event sign-ups"),
}

APPLICATION_CONDITION = {
    "good_standing": _l("1. Normal operation, good credit, sound finance, no serious violations in the last three years"),
    "key_industry": _l("2. A key industry of the city with urgent demand for IP operation"),
    "innovation_base": _l("3. Strong innovation base: valid invention patents, product technology, sales and taxes"),
    "legal_person": _l("4. Commitment to found a legal-person entity with sufficient operating funds"),
    "capital_plan": _l("5. A clear capital plan and quantified task targets"),
}
LIFECYCLE_STAGE = {
    "application": _l("Application"),
    "first_review": _l("First review"),
    "due_diligence": _l("Due diligence and negotiation"),
    "public_notice": _l("Public notice"),
    "foundation": _l("Foundation period"),
    "construction": _l("Construction"),
    "acceptance": _l("Final acceptance"),
    "ended": _l("Ended"),
    "terminated": _l("Terminated"),
}
DILIGENCE_OUTCOME = {
    "pending": _l("Under way"),
    "passed": _l("Passed"),
    "failed": _l("Not passed"),
}
FUND_REPORT_STATUS = {
    "filed": _l("Filed, awaiting review"),
    "accepted": _l("Accepted"),
    "misuse": _l("Misuse found"),
}
CREDIT_KIND = {
    "false_material": _l("False material"),
    "serious_dishonesty": _l("Serious dishonesty list"),
}
ACCEPTANCE_STATUS = {
    "submitted": _l("Submitted, under expert review"),
    "passed": _l("Passed"),
    "failed": _l("Not passed"),
}
ACCEPTANCE_DOCUMENT = {
    "work_summary": _l("Work summary"),
    "results_proof": _l("Proof of results"),
    "policy_documents": _l("Policy documents"),
    "other": _l("Other proof"),
}
MILESTONE = {
    "company_founded": _l("Center company founded"),
    "equity_agreement": _l("Equity-investment agreement signed"),
    "business_started": _l("IP-operation business started"),
}

# ---- the industry database: search, imports, analysis, trademarks -------------------------
SEARCH_KIND = {"patent": _l("Patents"), "listing": _l("Listings"), "need": _l("Needs")}
SEARCH_KIND_ONE = {"patent": _l("Patent"), "listing": _l("Listing"), "need": _l("Need")}
SEARCH_FACET = {
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
SEARCH_SORT = {"relevance": _l("Relevance"), "date": _l("Newest first")}
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
# a search facet's values are shown through the table of the field they come from
FACET_VALUE = {"kind": SEARCH_KIND, "office": OFFICE, "type": PATENT_TYPE, "status": LEGAL_STATUS, "industry": INDUSTRY}

TABLES = {
    "application_condition": APPLICATION_CONDITION,
    "lifecycle_stage": LIFECYCLE_STAGE,
    "diligence_outcome": DILIGENCE_OUTCOME,
    "fund_report_status": FUND_REPORT_STATUS,
    "credit_kind": CREDIT_KIND,
    "acceptance_status": ACCEPTANCE_STATUS,
    "acceptance_document": ACCEPTANCE_DOCUMENT,
    "milestone": MILESTONE,
    "org_kind": ORG_KIND,
    "role": ROLE,
    "industry": INDUSTRY,
    "patent_type": PATENT_TYPE,
    "legal_status": LEGAL_STATUS,
    "office": OFFICE,
    "publication_status": PUBLICATION_STATUS,
    "deal_kind": DEAL_KIND,
    "membership_status": MEMBERSHIP_STATUS,
    "deal_status": DEAL_STATUS,
    "deal_action": DEAL_ACTION,
    "deal_origin": DEAL_ORIGIN,
    "deal_step": DEAL_STEP,
    "pool_member_status": POOL_MEMBER_STATUS,
    "ledger_account": LEDGER_ACCOUNT,
    "ledger_kind": LEDGER_KIND,
    "deal_event": DEAL_EVENT,
    "trl": TRL,
    "program_task": PROGRAM_TASK,
    "program_rule": PROGRAM_RULE,
    "program_check": PROGRAM_CHECK,
    "light": LIGHT,
    "task5_state": TASK5_STATE,
    "offline_column": OFFLINE_COLUMN,
    "attribution_reason": ATTRIBUTION_REASON,
    "plan_section": PLAN_SECTION,
    "feasibility_section": FEASIBILITY_SECTION,
    "application_field": APPLICATION_FIELD,
    "document_kind": DOCUMENT_KIND,
    "application_status": APPLICATION_STATUS,
    "nav_kind": NAV_KIND,
    "project_status": PROJECT_STATUS,
    "product_status": PRODUCT_STATUS,
    "pct_phase": PCT_PHASE,
    "standard_level": STANDARD_LEVEL,
    "standard_status": STANDARD_STATUS,
    "award_level": AWARD_LEVEL,
    "award_status": AWARD_STATUS,
    "financing_kind": FINANCING_KIND,
    "request_status": REQUEST_STATUS,
    "provider_kind": PROVIDER_KIND,
    "offer_status": OFFER_STATUS,
    "dispute_kind": DISPUTE_KIND,
    "dispute_status": DISPUTE_STATUS,
    "event_kind": EVENT_KIND,
    "exit_reason": EXIT_REASON,
    "service_figure": SERVICE_FIGURE,
    "search_kind": SEARCH_KIND,
    "search_kind_one": SEARCH_KIND_ONE,
    "search_facet": SEARCH_FACET,
    "search_sort": SEARCH_SORT,
    "import_status": IMPORT_STATUS,
    "import_kind": IMPORT_KIND,
    "trademark_status": TRADEMARK_STATUS,
    "analysis_table": ANALYSIS_TABLE,
    "analysis_header": ANALYSIS_HEADER,
}


def label(table: str, value) -> str:
    if value is None:
        return ""
    key = value.value if hasattr(value, "value") else value
    return str(TABLES[table].get(key, key))


def facet_label(field: str, value: str) -> str:
    """A search facet's value as users read it (a code with no table is shown as written)."""
    table = FACET_VALUE.get(field)
    return str(table.get(value, value)) if table else value


def template_text(template: str, params: dict) -> str:
    """An English template with ``{name}`` figures, translated then filled."""
    from flask_babel import gettext

    return gettext(template).format(**params)


def reason_text(reason) -> str:
    """A rule's sentence (a domain reason: template and figures) in the reader's language."""
    return template_text(reason.template, reason.params)


def choices(table: str, keys=None) -> list[tuple[str, str]]:
    items = TABLES[table]
    return [(str(k), v) for k, v in items.items() if keys is None or k in keys]
