"""Staff lookups: an object outside the user's municipalities is simply not found (404)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import Http404, HttpRequest

from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.processes import permissions
from medvirk.processes.models import Process

M = TypeVar("M", bound=models.Model)


def acting(request: HttpRequest) -> User:
    """The logged-in person behind a staff view (views are wrapped in login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def staff_process(request: HttpRequest, pk: int, capability: str) -> Process:
    process = Process.objects.select_related("municipality").filter(pk=pk).first()
    if process is None or not permissions.staff_can(
        request.user, capability, process.municipality_id
    ):
        raise Http404
    request.municipality = process.municipality  # type: ignore[attr-defined]
    return process


def staff_contribution(request: HttpRequest, pk: int, capability: str) -> Contribution:
    contribution = (
        Contribution.objects.select_related("process__municipality", "method_instance", "author")
        .filter(pk=pk)
        .first()
    )
    if contribution is None or not permissions.staff_can(
        request.user, capability, contribution.process.municipality_id
    ):
        raise Http404
    request.municipality = contribution.process.municipality  # type: ignore[attr-defined]
    return contribution


def staff_municipality_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(user.memberships.values_list("municipality_id", flat=True).distinct())


def part_of(model: type[M], pk: int | None, process: Process) -> M | None:
    """The process's own phase/method/decision named by the URL, None for "new", else 404."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, process=process).first()
    if found is None:
        raise Http404
    return found
