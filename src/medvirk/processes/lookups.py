"""Find the objects a URL names, scoped so one municipality's ids never reach another's."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from medvirk.organisations import capabilities

from .models import MethodInstance, Process, ProcessStatus


def public_process(request: HttpRequest, municipality: str, slug: str) -> Process:
    """A published process; drafts are visible only to its municipality's staff."""
    try:
        process = Process.objects.select_related("municipality").get(
            municipality__slug=municipality, slug=slug
        )
    except Process.DoesNotExist as exc:
        raise Http404 from exc
    if process.status == ProcessStatus.DRAFT and not capabilities.roles(
        request.user, process.municipality_id
    ):
        raise Http404
    request.municipality = process.municipality  # type: ignore[attr-defined]
    return process


def method_instance(
    request: HttpRequest, municipality: str, slug: str, method: str, key: str | None = None
) -> MethodInstance:
    """A method instance of a visible process; ``key`` pins the method app that asks.

    One query (instance, phase, process and municipality together): this runs before
    every ballot and vote.
    """
    try:
        instance = MethodInstance.objects.select_related("phase", "process__municipality").get(
            process__municipality__slug=municipality, process__slug=slug, slug=method
        )
    except MethodInstance.DoesNotExist as exc:
        raise Http404 from exc
    process = instance.process
    if process.status == ProcessStatus.DRAFT and not capabilities.roles(
        request.user, process.municipality_id
    ):
        raise Http404
    request.municipality = process.municipality  # type: ignore[attr-defined]
    if key is not None and instance.method_key != key:
        raise Http404
    if not instance.is_published and not capabilities.roles(request.user, process.municipality_id):
        raise Http404
    return instance
