"""The information method's page: the process page is the information; link there."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from medvirk.processes.models import MethodInstance


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    return redirect(instance.process.get_absolute_url())
