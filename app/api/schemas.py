"""Request and response models of /api/v1; the OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from ..domain.errors import N_

T = TypeVar("T")
# An id as the database stores it (integer keys are 32-bit on PostgreSQL).
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
MAX_PAGE = 100_000  # as on the web pages; the offset of a larger page overflows the database's integers
MAX_PER_PAGE = 100




def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# An instant: stored as naive UTC, sent as RFC 3339 in UTC with its offset written out ("…Z"), so that a client
# never has to guess the zone; pages show the same instant in Beijing time.
Instant = Annotated[datetime, AfterValidator(_as_utc),
                    Field(json_schema_extra={"format": "date-time", "pattern": r"(Z|[+-]\d{2}:\d{2})$",
                                             "description": "RFC 3339, UTC (ends in Z)"})]

Industry = Literal["carbon_materials", "high_end_equipment", "new_energy_vehicles", "it_innovation", "semiconductors",
                   "special_steel", "energy_environment", "biomedicine", "hydrogen"]
DealKind = Literal["transfer", "exclusive", "sole", "ordinary"]


class In(BaseModel):
    """A request body: unknown fields refused; NUL characters dropped from text (PostgreSQL refuses them)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str):
            return value.replace("\x00", "")
        if isinstance(value, list):
            return [v.replace("\x00", "") if isinstance(v, str) else v for v in value]
        return value


class FieldError(BaseModel):
    path: str = Field(description=N_("dotted path of the offending field, e.g. 'price_fen' or 'patent_ids.0'"))
    message: str


class ErrorBody(BaseModel):
    code: int
    message: str
    fields: list[FieldError] = []


class Error(BaseModel):
    error: ErrorBody


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int
    pages: int


class PatentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    application_number: str
    publication_number: str
    title: str
    abstract: str
    patent_type: str
    legal_status: str
    filing_date: date | None
    grant_date: date | None
    claims_count: int
    industry: str | None
    ipc: list[str]
    applicants: list[str]
    remaining_years: float


class ListingIn(In):
    title: str = Field(min_length=1, max_length=300)
    patent_ids: list[Id] = Field(min_length=1, max_length=200)
    deal_kinds: list[DealKind] = Field(min_length=1)
    trl: int = Field(ge=1, le=9)
    industry: Industry
    price_fen: int | None = Field(default=None, ge=0, le=10**13, description=N_("null means negotiable"))
    region: str = Field(default="", max_length=100)
    description: str = Field(default="", max_length=20000)
    is_tech_offer: bool = False
    tech_summary: str = Field(default="", max_length=20000)
    publish: bool = False


class ListingOut(BaseModel):
    id: int
    org_id: int
    org_name: str
    title: str
    description: str
    status: str
    deal_kinds: list[str]
    price_fen: int | None
    trl: int
    industry: str
    region: str
    is_tech_offer: bool
    patent_ids: list[int]
    published_at: Instant | None


class NeedIn(In):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20000)
    industry: Industry
    ipc_hints: list[str] = Field(default=[], max_length=20)
    budget_min_fen: int | None = Field(default=None, ge=0, le=10**13)
    budget_max_fen: int | None = Field(default=None, ge=0, le=10**13)
    region: str = Field(default="", max_length=100)
    deadline: date | None = None
    publish: bool = False


class NeedOut(BaseModel):
    id: int
    org_id: int
    org_name: str
    title: str
    description: str
    status: str
    industry: str
    ipc_hints: list[str]
    budget_min_fen: int | None
    budget_max_fen: int | None
    region: str
    deadline: date | None


class DealOut(BaseModel):
    id: int
    origin: str
    status: str
    kind: str
    seller: str
    buyer: str
    center_id: int | None
    price_fen: int
    patents: list[str]
    recordal_number: str
    completed_on: date | None


class DealActionIn(In):
    recordal_number: str | None = Field(default=None, max_length=40)
    recordal_date: date | None = None
    reason: str | None = Field(default=None, max_length=2000)


class MatchFactor(BaseModel):
    factor: str
    weight: float
    value: float
    contribution: float
    shared_terms: list[str] | None = None
    shared_ipc: list[str] | None = None
    budget_fit: str | None = None


class MatchOut(BaseModel):
    id: int
    need_id: int
    listing: ListingOut
    score: float = Field(description=N_("0 to 1: the weighted sum of the factors"))
    factors: list[MatchFactor]


class MatchesOut(BaseModel):
    need_id: int
    items: list[MatchOut]


class DealActionOut(BaseModel):
    deal_id: int
    status: str


class TargetYear(BaseModel):
    year: int
    start: date
    end: date
    target: int
    count: int
    met: bool
    projection: int | None = None
    at_risk: bool | None = None


class VerdictReason(BaseModel):
    kind: Literal["rule", "need", "warning"] = Field(
        description=N_("rule: why the state is what it is; need: what the remaining years need; "
                       "warning: the pace is below a per-year target (guidance, not the verdict)"))
    text: str = Field(description=N_("the sentence in the request's language"))
    params: dict[str, int | str] = Field(description=N_("the figures in the sentence"))


class TargetsOut(BaseModel):
    center_id: int
    center: str
    approval_date: date | None
    current_year: int
    total: int
    growth: float | None = Field(description=N_("compound yearly growth from year 1 to the latest finished year"))
    state: Literal["not_started", "red", "amber", "green"] = Field(
        description=N_("task 5 by the notice's rule: year 1 at least 20, then at least 30 percent average yearly growth"))
    state_label: str = Field(description=N_("the state in the request's language, as the pages show it"))
    reasons: list[VerdictReason]
    targets_source: Literal["notice", "center"] = Field(
        description=N_("notice: the per-year targets are the notice's 20, 26, 34, 44, 58; center: the center's own"))
    needed_final: int | None = Field(None, description=N_("the year-5 count that reaches 30 percent over the period (amber)"))
    years: list[TargetYear]
