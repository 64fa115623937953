"""The one shape every staff form follows: validate, call one action, explain refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medvirk.core.errors import ActionRefused


def submitted(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[], object], success: str
) -> bool:
    """For a valid POST, run ``save``; a refusal becomes a form error. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return False
    messages.success(request, success)
    return True


def form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a form page; a POST that lands here was refused, so it answers 400."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)
