"""``/api/v1/``: read-only open data about public cases, their methods, input and answers.

Mounted in ``medvirk/urls.py`` with ``path("api/v1/", api.urls)``. Every list is paginated
(``limit`` up to 100, ``offset``) and ordered by id; bad parameters get 422 with the errors,
an unknown or non-public id 404, and more than ``MEDVIRK_RATE_LIMITS["api"]`` requests from
one client address 429 (counted by ``core.ratelimit``, like every other limit). What is
public is decided in ``api.queries``; see ``docs/api.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, P, PathEx, Query
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from medvirk.accountability.types import Decision
from medvirk.contributions.types import Contribution, ThemeKind
from medvirk.core import ratelimit
from medvirk.organisations.types import Municipality
from medvirk.processes.exports import exports_for
from medvirk.processes.templatetags.method_state import state_of
from medvirk.processes.types import MethodInstance, Phase, Process

from . import queries
from .schemas import (
    MAX_ID,
    ContributionOut,
    ContributionPage,
    ContributionQuery,
    DecisionOut,
    DecisionPage,
    DecisionQuery,
    ErrorOut,
    ExportOut,
    MethodOut,
    MethodPage,
    MethodQuery,
    MunicipalityOut,
    MunicipalityPage,
    MunicipalityQuery,
    MunicipalityRef,
    PageQuery,
    PhaseOut,
    PhasePage,
    PhaseQuery,
    ProcessDetailOut,
    ProcessOut,
    ProcessPage,
    ProcessQuery,
    ThemeOut,
    ValidationErrorOut,
)

M = TypeVar("M", bound=Model)

# The name of the limit in MEDVIRK_RATE_LIMITS (e.g. "120/m": per client address).
RATE_LIMIT = "api"

DESCRIPTION = """Open data from Medvirk: municipalities, their public cases (saker), phases,
method instances with their open-data files, published input with the municipality's
reasoned answers, and decisions. Read-only; no key needed.

**Licence:** the data is published under the Norwegian Licence for Open Government Data
(NLOD 2.0, Norsk lisens for offentlege data), https://data.norge.no/nlod/en/2.0 — you may
copy, use and share it, also commercially, if you name the municipality as the source.

**Privacy:** nothing unpublished, held, hidden, pending, rejected or private is served, and no
person: no names, e-mail addresses, accounts, identity numbers or demographics. Where
aggregates appear (the open-data files), counts under 5 are suppressed.

**Use:** every list is paginated (`limit` at most 100, `offset`) and ordered by id. Requests
are limited per client address; over the limit the answer is 429 with `Retry-After`.
"""


class ClientRate(BaseThrottle):
    """Requests per client address, counted by Medvirk's own limits (``core.ratelimit``:
    the trusted-proxy address, keyed counters in the shared cache)."""

    def allow_request(self, request: HttpRequest) -> bool:
        if RATE_LIMIT not in settings.MEDVIRK_RATE_LIMITS:
            raise ImproperlyConfigured(
                'MEDVIRK_RATE_LIMITS needs an "api" limit for the API, e.g. "120/m".'
            )
        return ratelimit.allow_client(request, RATE_LIMIT)

    def wait(self) -> float:
        return float(ratelimit.retry_after(RATE_LIMIT))


api = NinjaAPI(
    title="Medvirk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,  # the Swagger page loads scripts from a CDN: docs/api.md instead
    throttle=[ClientRate()],
    openapi_extra={
        "info": {
            "license": {"name": "NLOD 2.0", "url": "https://data.norge.no/nlod/en/2.0"},
        }
    },
)

ERRORS: dict[int, type] = {422: ValidationErrorOut, 429: ErrorOut}
NOT_FOUND: dict[int, type] = {404: ErrorOut, **ERRORS}

Id = PathEx[int, P(ge=1, le=MAX_ID, description="The id.")]


@api.exception_handler(Throttled)
def _too_many(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return api.create_response(request, {"detail": ratelimit.too_many_message()}, status=429)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


def _page(qs: QuerySet[M], params: PageQuery) -> tuple[int, list[M]]:
    """The total and the items of one page (two queries)."""
    return qs.count(), list(qs[params.offset : params.offset + params.limit])


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# -- building the answers ----------------------------------------------------------------------


def _municipality(org: Municipality) -> MunicipalityOut:
    return MunicipalityOut(
        id=org.pk,
        name=org.name,
        slug=org.slug,
        kommunenummer=org.kommunenummer,
        is_county=org.is_county,
        malform=org.malform,
    )


def _process_fields(request: HttpRequest, process: Process) -> dict[str, object]:
    org = process.municipality
    return {
        "id": process.pk,
        "municipality": MunicipalityRef(id=org.pk, slug=org.slug, name=org.name),
        "slug": process.slug,
        "title": process.title,
        "summary": process.summary,
        "status": process.status,
        "open_to_influence": process.open_to_influence,
        "already_decided": process.already_decided,
        "decided_by": process.decided_by,
        "decision_expected": process.decision_expected,
        "url": _absolute(request, process.get_absolute_url()),
        "created": process.created_at,
        "updated": process.updated_at,
    }


# The case's public pages the detail links to (field -> URL name), built by name: the pages
# belong to apps above the API.
CASE_PAGES = {
    "open_data": "public:open_data",
    "who_took_part": "insights:case_public",
    "participation_report": "insights:report_public",
}


def _case_pages(request: HttpRequest, process: Process) -> dict[str, str]:
    args = [process.municipality.slug, process.slug]
    return {
        field: _absolute(request, reverse(name, args=args)) for field, name in CASE_PAGES.items()
    }


def _phase(phase: Phase) -> PhaseOut:
    return PhaseOut.model_validate(
        {
            "id": phase.pk,
            "process": phase.process_id,
            "name": phase.name,
            "kind": phase.kind,
            "description": phase.description,
            "start": phase.start,
            "end": phase.end,
        }
    )


def _methods(request: HttpRequest, instances: Sequence[MethodInstance]) -> list[MethodOut]:
    """The instances with their public exports, as the case's open-data page lists them."""
    exports: dict[int, list[ExportOut]] = defaultdict(list)
    for row in exports_for(list(instances), public_only=True):
        exports[row.instance.pk].append(
            ExportOut(
                key=row.export.key,
                label=str(row.export.label),
                content_type=row.export.content_type,
                url=_absolute(request, row.url),
            )
        )
    now = timezone.now()
    return [
        MethodOut(
            id=m.pk,
            process=m.process_id,
            phase=m.phase_id,
            method_key=m.method_key,
            slug=m.slug,
            title=m.title,
            description=m.description,
            state=state_of(m, now).key,
            opens=m.phase.start,
            closes=m.phase.end,
            closed_at=m.closed_at,
            url=_absolute(request, m.get_absolute_url()),
            exports=exports[m.pk],
        )
        for m in instances
    ]


def _contribution(item: Contribution) -> ContributionOut:
    answer = queries.public_answer(item)
    themes = item.public_themes  # type: ignore[attr-defined]
    return ContributionOut.model_validate(
        {
            "id": item.pk,
            "process": item.process_id,
            "method": item.method_instance_id,
            "kind": item.kind,
            "text": item.text,
            "channel": item.channel,
            "created": timezone.localdate(item.created_at),
            "themes": [ThemeOut(id=t.pk, name=t.name) for t in themes],
            "answer": None
            if answer is None
            else {
                "status": answer.status,
                "text": answer.reason,
                "date": timezone.localdate(answer.updated_at),
            },
        }
    )


def _decision(decision: Decision) -> DecisionOut:
    answered: Iterable[object] = decision.public_responses  # type: ignore[attr-defined]
    return DecisionOut(
        id=decision.pk,
        process=decision.process_id,
        body=decision.body,
        text=decision.text,
        pending=decision.is_pending,
        date=decision.date,
        case_number=decision.case_number,
        meeting_record_url=decision.meeting_record_url,
        contributions=[r.contribution_id for r in answered],  # type: ignore[attr-defined]
    )


# -- endpoints ---------------------------------------------------------------------------------


@api.get("/municipalities", response={200: MunicipalityPage, **ERRORS}, tags=["municipalities"])
def municipalities(request: HttpRequest, params: Query[MunicipalityQuery]) -> MunicipalityPage:
    """Municipalities (kommuner and fylkeskommuner) on this Medvirk."""
    qs = queries.municipalities()
    if params.is_county is not None:
        qs = qs.filter(is_county=params.is_county)
    count, items = _page(qs, params)
    return MunicipalityPage(
        count=count,
        limit=params.limit,
        offset=params.offset,
        items=[_municipality(org) for org in items],
    )


@api.get("/processes", response={200: ProcessPage, **ERRORS}, tags=["processes"])
def processes(request: HttpRequest, params: Query[ProcessQuery]) -> ProcessPage:
    """Public cases (saker); drafts are never listed."""
    qs = queries.processes()
    if params.municipality:
        qs = qs.filter(municipality__slug=params.municipality)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.updated_since is not None:
        qs = qs.filter(updated_at__gte=params.updated_since)
    count, items = _page(qs, params)
    return ProcessPage(
        count=count,
        limit=params.limit,
        offset=params.offset,
        items=[ProcessOut.model_validate(_process_fields(request, p)) for p in items],
    )


@api.get("/processes/{id}", response={200: ProcessDetailOut, **NOT_FOUND}, tags=["processes"])
def process(request: HttpRequest, id: Id) -> ProcessDetailOut:
    """One public case with its phases and published method instances."""
    found = queries.process(id)
    if found is None:
        raise Http404
    instances: list[MethodInstance] = list(found.methods.all())
    return ProcessDetailOut.model_validate(
        {
            **_process_fields(request, found),
            "phases": [_phase(ph) for ph in found.phases.all()],
            "methods": _methods(request, instances),
            **_case_pages(request, found),
        }
    )


@api.get("/phases", response={200: PhasePage, **ERRORS}, tags=["phases"])
def phases(request: HttpRequest, params: Query[PhaseQuery]) -> PhasePage:
    """The phases of public cases."""
    qs = queries.phases()
    if params.process is not None:
        qs = qs.filter(process_id=params.process)
    count, items = _page(qs, params)
    return PhasePage(
        count=count, limit=params.limit, offset=params.offset, items=[_phase(p) for p in items]
    )


@api.get("/methods", response={200: MethodPage, **ERRORS}, tags=["methods"])
def methods(request: HttpRequest, params: Query[MethodQuery]) -> MethodPage:
    """Published method instances of public cases, each with its public open-data files."""
    qs = queries.methods()
    if params.process is not None:
        qs = qs.filter(process_id=params.process)
    if params.method_key:
        qs = qs.filter(method_key=params.method_key)
    count, items = _page(qs, params)
    return MethodPage(
        count=count, limit=params.limit, offset=params.offset, items=_methods(request, items)
    )


@api.get("/contributions", response={200: ContributionPage, **ERRORS}, tags=["contributions"])
def contributions(request: HttpRequest, params: Query[ContributionQuery]) -> ContributionPage:
    """Published input of public cases with the municipality's answer; never who gave it."""
    qs = queries.contributions()
    if params.municipality:
        qs = qs.filter(process__municipality__slug=params.municipality)
    if params.process is not None:
        qs = qs.filter(process_id=params.process)
    if params.method is not None:
        qs = qs.filter(method_instance_id=params.method)
    if params.theme is not None:
        qs = qs.filter(themes__pk=params.theme, themes__kind=ThemeKind.THEME)
    if params.since is not None:
        qs = qs.filter(created_at__date__gte=params.since)
    count, items = _page(qs, params)
    return ContributionPage(
        count=count,
        limit=params.limit,
        offset=params.offset,
        items=[_contribution(c) for c in items],
    )


@api.get("/decisions", response={200: DecisionPage, **ERRORS}, tags=["decisions"])
def decisions(request: HttpRequest, params: Query[DecisionQuery]) -> DecisionPage:
    """Decisions (vedtak) of public cases, with the public input whose answers they explain."""
    qs = queries.decisions()
    if params.process is not None:
        qs = qs.filter(process_id=params.process)
    count, items = _page(qs, params)
    return DecisionPage(
        count=count,
        limit=params.limit,
        offset=params.offset,
        items=[_decision(d) for d in items],
    )
