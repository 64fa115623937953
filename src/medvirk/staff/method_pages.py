"""What a method's own staff pages (its content editor and the pages under it) share: the
editor's address, whether the person has a capability in the case's municipality, and the
staff member behind the request (404 for anyone not signed in: the page is not there)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse

from medvirk.identity.types import User
from medvirk.organisations import capabilities
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Capability


def editor_url(instance: MethodInstance) -> str:
    return reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )


def can(request: HttpRequest, instance: MethodInstance, capability: Capability) -> bool:
    return capabilities.staff_can(request.user, capability, instance.process.municipality_id)


def staff_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user
