"""What the API answers and the query parameters it takes, as documented schemas.

Responses name no person: no author, e-mail address, account, national identity number,
address or demographics are in any of these shapes, so none can be served by mistake.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Field, Schema
from pydantic import field_validator

# Ids and offsets fit a signed 64-bit integer (SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000_000
MAX_PAGE = 100
DEFAULT_PAGE = 25
SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,50}$"

PublicStatus = Literal["published", "closed", "decided"]
PhaseKindValue = Literal["investigation", "alternatives", "decision", "follow_up"]
ChannelValue = Literal["web", "meeting", "letter", "email", "phone", "popup"]
AnswerStatus = Literal["adopted", "partly_adopted", "not_adopted", "out_of_scope"]


def _moment(value: object) -> object:
    """ISO 8601 only: pydantic would also read a number as seconds since 1970."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError("Give a date and time in ISO 8601, e.g. 2026-03-01T12:00:00+01:00.")
    offset = parsed.utcoffset()
    if offset is None:
        return parsed
    # No real time zone is more than 14 hours off UTC, and PostgreSQL refuses such offsets:
    # refuse them here, and hand the database the moment in UTC.
    if abs(offset) > dt.timedelta(hours=14):
        raise ValueError("The time zone offset must be between -14:00 and +14:00.")
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError("The date and time is out of range.") from exc


def _day(value: object) -> object:
    """ISO 8601 only (YYYY-MM-DD)."""
    if value is None or isinstance(value, dt.date):
        return value
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError("Give a date in ISO 8601, e.g. 2026-03-01.")
    return parsed


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """A moment with its time zone (Norwegian time when none is given), within range."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        value.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError("The moment is out of range.") from exc
    return value


# -- query parameters -----------------------------------------------------------------------


class PageQuery(Schema):
    limit: int = Field(
        DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"Items per page (at most {MAX_PAGE})."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class MunicipalityQuery(PageQuery):
    is_county: bool | None = Field(None, description="Only fylkeskommuner (true) or kommuner.")


class ProcessQuery(PageQuery):
    municipality: str | None = Field(
        None, pattern=SLUG_PATTERN, description="The municipality's slug (address name)."
    )
    status: PublicStatus | None = Field(None, description="The case's status.")
    updated_since: dt.datetime | None = Field(
        None, description="Only cases changed at or after this moment (ISO 8601)."
    )

    @field_validator("updated_since", mode="before")
    @classmethod
    def _iso(cls, value: object) -> object:
        return _moment(value)

    @field_validator("updated_since")
    @classmethod
    def _in_range(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _aware(value)


class PhaseQuery(PageQuery):
    process: int | None = Field(None, ge=1, le=MAX_ID, description="The case's id.")


class MethodQuery(PageQuery):
    process: int | None = Field(None, ge=1, le=MAX_ID, description="The case's id.")
    method_key: str | None = Field(
        None, pattern=SLUG_PATTERN, description="The method, e.g. survey or hearing."
    )


class ContributionQuery(PageQuery):
    municipality: str | None = Field(
        None, pattern=SLUG_PATTERN, description="The municipality's slug (address name)."
    )
    process: int | None = Field(None, ge=1, le=MAX_ID, description="The case's id.")
    method: int | None = Field(None, ge=1, le=MAX_ID, description="The method instance's id.")
    theme: int | None = Field(None, ge=1, le=MAX_ID, description="The theme's id.")
    since: dt.date | None = Field(None, description="Only input given on or after this day.")

    @field_validator("since", mode="before")
    @classmethod
    def _iso(cls, value: object) -> object:
        return _day(value)


class DecisionQuery(PageQuery):
    process: int | None = Field(None, ge=1, le=MAX_ID, description="The case's id.")


# -- responses ------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class MunicipalityOut(Schema):
    id: int
    name: str
    slug: str
    kommunenummer: str = Field(description="SSB's four-digit number.")
    is_county: bool = Field(description="A fylkeskommune.")
    malform: str = Field(description="Official written standard: nb, nn or neutral.")


class MunicipalityRef(Schema):
    id: int
    slug: str
    name: str


class ProcessOut(Schema):
    id: int
    municipality: MunicipalityRef
    slug: str
    title: str
    summary: str
    status: PublicStatus
    open_to_influence: str = Field(description="What residents can influence.")
    already_decided: str = Field(description="What is already decided.")
    decided_by: str
    decision_expected: dt.date | None
    url: str = Field(description="The case's public page.")
    created: dt.datetime
    updated: dt.datetime


class PhaseOut(Schema):
    id: int
    process: int
    name: str
    kind: PhaseKindValue
    description: str
    start: dt.datetime
    end: dt.datetime


class ExportOut(Schema):
    key: str
    label: str
    content_type: str
    url: str = Field(description="The download (CSV, JSON …), counts under 5 suppressed.")


class MethodOut(Schema):
    id: int
    process: int
    phase: int
    method_key: str
    slug: str
    title: str
    description: str
    state: str = Field(description="open, upcoming or closed.")
    opens: dt.datetime = Field(description="When its phase starts.")
    closes: dt.datetime = Field(description="When its phase ends.")
    closed_at: dt.datetime | None = Field(description="When it was closed early, if it was.")
    url: str = Field(description="The method's public page.")
    exports: list[ExportOut] = Field(description="Its public open-data files offered now.")


class ProcessDetailOut(ProcessOut):
    phases: list[PhaseOut]
    methods: list[MethodOut]
    open_data: str = Field(description="The case's open-data page: every public export.")
    who_took_part: str = Field(
        description="Who took part against the population (counts under 5 hidden)."
    )
    participation_report: str = Field(
        description="The council report as a PDF: the plan, who took part, themes, each "
        "method's results, answers, decisions and every published input with its answer. "
        "Not found (404) until the municipality publishes it."
    )


class ThemeOut(Schema):
    id: int
    name: str


class AnswerOut(Schema):
    status: AnswerStatus
    text: str = Field(description="The municipality's reason.")
    date: dt.date


class ContributionOut(Schema):
    id: int
    process: int
    method: int | None = Field(description="The method instance; none for input on the case.")
    kind: str
    text: str = Field(description="As shown publicly (masked and redacted).")
    channel: ChannelValue
    created: dt.date = Field(description="The day it was registered.")
    themes: list[ThemeOut]
    answer: AnswerOut | None = Field(description="The municipality's reasoned answer, if given.")


class DecisionOut(Schema):
    id: int
    process: int
    body: str = Field(description="Who decided.")
    text: str
    pending: bool = Field(description="Not decided yet (the date is then empty).")
    date: dt.date | None
    case_number: str
    meeting_record_url: str
    contributions: list[int] = Field(description="The public input whose answer it explains.")


class MunicipalityPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MunicipalityOut]


class ProcessPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProcessOut]


class PhasePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PhaseOut]


class MethodPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MethodOut]


class ContributionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ContributionOut]


class DecisionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DecisionOut]
