"""The information method's page: ask the municipality a question about the case."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.contributions import actions
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.processes import permissions
from medvirk.processes.types import MethodInstance

from .forms import QuestionForm
from .queries import KIND

ACTION = "ask_question"


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET shows the question form (when questions are taken); POST stores the question."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    allowed = bool(instance.settings.get("allow_questions", True))
    verdict = permissions.can_act(request.user, instance, ACTION)
    refusal = "" if verdict else verdict.reason
    if not allowed:
        refusal = _("This page does not take questions.")
    own_address = contact.account_email(request.user)
    form = QuestionForm(
        request.POST if request.method == "POST" else None, account_email=own_address
    )
    status = 200
    if request.method == "POST":
        if refusal:
            status = 403
        elif form.is_valid():
            data = form.cleaned_data
            draft = actions.Draft(
                kind=KIND,
                text=data["text"].strip(),
                author_name=data["author_name"],
                show_name=data["show_name"],
                contact_email=own_address or data["contact_email"],
            )
            try:
                # Questions per client and page are limited (MEDVIRK_RATE_LIMITS["input"]):
                # a refusal is a 429 with the text kept in the form.
                ratelimit.check_client(request, "input", instance.pk)
                receipt = actions.do_contribute(request.user, instance, ACTION, draft)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _registered(receipt.contribution.contact_email))
                return private(redirect(receipt.contribution.receipt_url()))
        else:
            status = 400
    return private(
        render(
            request,
            "information/page.html",
            {
                "instance": instance,
                "process": instance.process,
                "form": form if not refusal else None,
                "refusal": refusal,
                "masked_address": contact.masked_email(own_address) if own_address else "",
            },
            status=status,
        )
    )


def _registered(address: str) -> str:
    if address:
        return _(
            "Your question is registered. We e-mail the receipt to %(address)s; this page is "
            "your receipt too."
        ) % {"address": contact.masked_email(address)}
    return _("Your question is registered. Save this page's address: it is your receipt.")
