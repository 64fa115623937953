"""Staff lookups: an object outside the user's municipalities is simply not found (404).

Reads go through the owning apps' ``queries``; this module only adds the role check and
the 404, so every staff view scopes its objects the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.http import Http404, HttpRequest

from medvirk.contributions import queries as contribution_queries
from medvirk.identity.types import User
from medvirk.organisations import capabilities
from medvirk.organisations import queries as organisation_queries
from medvirk.processes import queries as process_queries
from medvirk.vocabulary import Capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db import models

    from medvirk.contributions.types import Contribution
    from medvirk.organisations.types import Municipality
    from medvirk.processes.types import Process

M = TypeVar("M")
ModelT = TypeVar("ModelT", bound="models.Model")


def acting(request: HttpRequest) -> User:
    """The logged-in person behind a staff view (views are wrapped in login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def staff_municipality(request: HttpRequest, pk: int, capability: Capability) -> Municipality:
    """A municipality where the person's role grants the capability; else 404."""
    org = organisation_queries.municipality_by_pk(pk)
    if org is None or not capabilities.staff_can(request.user, capability, org):
        raise Http404
    request.municipality = org  # type: ignore[attr-defined]
    return org


def staff_process(request: HttpRequest, pk: int, capability: Capability) -> Process:
    process = process_queries.process_by_pk(pk)
    if process is None or not capabilities.staff_can(
        request.user, capability, process.municipality_id
    ):
        raise Http404
    request.municipality = process.municipality  # type: ignore[attr-defined]
    return process


def staff_contribution(request: HttpRequest, pk: int, capability: Capability) -> Contribution:
    contribution = contribution_queries.contribution_by_pk(pk)
    if contribution is None or not capabilities.staff_can(
        request.user, capability, contribution.process.municipality_id
    ):
        raise Http404
    request.municipality = contribution.process.municipality  # type: ignore[attr-defined]
    return contribution


def staff_municipality_ids(user: User | AnonymousUser) -> list[int]:
    return organisation_queries.municipality_ids_of(user)


def owned_by(
    find: Callable[[Process, int], M | None], pk: int | None, process: Process
) -> M | None:
    """The process's own phase/method/decision named by the URL, None for "new", else 404.

    ``find`` is the owning app's query (``processes.queries.phase_of`` …), which finds only
    the process's own objects.
    """
    if pk is None:
        return None
    found = find(process, pk)
    if found is None:
        raise Http404
    return found
