"""The private receipt: a contributor's own input and the answer to it, no account needed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.tokens import check_receipt_token

from .models import Contribution


def receipt(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    contribution = (
        Contribution.objects.select_related("process__municipality", "method_instance")
        .filter(pk=pk)
        .first()
    )
    if contribution is None or not check_receipt_token(pk, contribution.receipt_nonce, token):
        raise Http404
    request.municipality = contribution.process.municipality  # type: ignore[attr-defined]
    response = getattr(contribution, "response", None)  # None until answered
    decisions = response.decisions.all() if response is not None else []
    return render(
        request,
        "contributions/receipt.html",
        {"contribution": contribution, "response": response, "decisions": decisions},
    )


def confirm_subscription(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    from medvirk.accountability.subscriptions import do_confirm

    try:
        subscription = do_confirm(pk, token)
    except ActionRefused as refused:
        raise Http404 from refused
    messages.success(request, _("You now follow this case by e-mail."))
    return redirect(subscription.process.get_absolute_url())
