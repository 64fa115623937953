"""Residents' pages of innbyggerforslag: the list (filtered by stage), writing a proposal,
one proposal with its progress, deadline and the council's position, signing and
withdrawing a signature, and the proposer's correcting and withdrawing.

Thin views: reads through ``queries``, writes through ``actions``. Every form is a plain
POST that redirects; no JavaScript is needed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.core import ratelimit
from medvirk.core.csvfiles import csv_download
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.identity import residence
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, queries
from .forms import ProposeForm, SignForm, WithdrawForm
from .queries import Row, Stage

PER_PAGE = 20
GET = "GET, HEAD"
GET_POST = "GET, HEAD, POST"


def _is_staff(request: HttpRequest, instance: MethodInstance) -> bool:
    return capabilities.staff_can(
        request.user, Capability.MANAGE_PROCESS, instance.process.municipality_id
    )


def _login_url(next_path: str) -> str:
    return reverse("identity:login") + "?" + urlencode({"next": next_path})


def _common(request: HttpRequest, instance: MethodInstance) -> dict[str, Any]:
    municipality = instance.process.municipality
    return {
        "instance": instance,
        "process": instance.process,
        "municipality": municipality,
        "is_staff": _is_staff(request, instance),
        "urls": {
            "list": instance.get_absolute_url(),
            "propose": registry.instance_url(instance, "propose"),
            "editor": reverse(
                "staff:method_content",
                kwargs={"pk": instance.process_id, "method_pk": instance.pk},
            ),
        },
    }


# -- the list ------------------------------------------------------------------------------


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The proposals, collecting ones first; ``?vis=samlar|levert|avgjort`` filters."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    shown = str(request.GET.get("vis", "alle"))
    if shown not in queries.FILTERS:
        shown = "alle"
    rows = queries.public_rows(instance, shown)
    paginator = Paginator(rows, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("side"))
    can_propose = True
    try:
        actions.check_propose(request.user, instance)
    except actions.NeedsLogin:
        can_propose = True  # the form says how to log in
    except ActionRefused:
        can_propose = False
    context = {
        **_common(request, instance),
        "rows": [
            (row, registry.instance_url(instance, "initiative", pk=row.initiative.pk))
            for row in page_obj
        ],
        "page_obj": page_obj,
        "shown": shown,
        "filters": [
            ("alle", _("All")),
            ("samlar", _("Collecting signatures")),
            ("levert", _("Delivered, waiting for the council")),
            ("avgjort", _("Decided")),
        ],
        "can_propose": can_propose,
    }
    return render(request, "initiative/page.html", context)


# -- writing a proposal ---------------------------------------------------------------------


def _propose(
    request: HttpRequest, instance: MethodInstance, corrects: Row | None
) -> HttpResponseBase:
    own_address = contact.account_email(request.user)
    self_url = (
        registry.instance_url(instance, "correct", pk=corrects.initiative.pk)
        if corrects is not None
        else registry.instance_url(instance, "propose")
    )
    context: dict[str, Any] = {
        **_common(request, instance),
        "corrects": corrects,
        "self_url": self_url,
        "masked_address": contact.masked_email(own_address) if own_address else "",
        "login_url": _login_url(self_url),
    }
    refusal = ""
    needs_login = False
    try:
        actions.check_propose(request.user, instance)
    except actions.NeedsLogin as refused:
        refusal, needs_login = refused.message, True
    except ActionRefused as refused:
        context["refusal"] = refused.message
        return private(render(request, "initiative/propose.html", context, status=refused.status))
    context["needs_login"] = needs_login
    context["login_reason"] = refusal
    initial: dict[str, Any] = {}
    if corrects is not None:
        initial = {"title": corrects.initiative.title, "text": corrects.initiative.text}
    if request.method != "POST":
        context["form"] = ProposeForm(initial=initial, ask_email=not own_address)
        return private(render(request, "initiative/propose.html", context))
    form = ProposeForm(request.POST, ask_email=not own_address)
    context["form"] = form
    if needs_login:
        form.is_valid()
        form.add_error(None, refusal)
        return private(render(request, "initiative/propose.html", context, status=403))
    if not form.is_valid():
        return private(render(request, "initiative/propose.html", context, status=400))
    data = form.cleaned_data
    try:
        ratelimit.check_client(request, "input", instance.pk)
        done = actions.do_propose(
            request.user,
            instance,
            title=data["title"],
            text=data["text"],
            show_name=bool(data.get("show_name")),
            contact_email=data.get("contact_email", "") or "",
            corrects=corrects.initiative if corrects is not None else None,
        )
    except ratelimit.Limited as limited:
        form.add_error(None, limited.message)
        response = render(request, "initiative/propose.html", context, status=429)
        return private(ratelimit.retry_later(response, limited.retry_after))
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return private(render(request, "initiative/propose.html", context, status=refused.status))
    if done.initiative.signing_opens_at is not None:
        text = _("Your proposal is published and can be signed now.")
    else:
        text = _(
            "Your proposal is received. The municipality checks it before signing starts, and "
            "answers you. Save this page's address: it is your receipt."
        )
    messages.success(request, text)
    return private(redirect(done.receipt.contribution.receipt_url()))


def propose(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    return _propose(request, instance, None)


def correct(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """The proposer writes a corrected version: a new proposal that replaces this one."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    row = queries.visible_row(instance, pk, request.user)
    if row is None or not request.user.is_authenticated:
        raise Http404
    if row.initiative.contribution.author_id != request.user.pk:
        raise Http404
    return _propose(request, instance, row)


# -- one proposal ----------------------------------------------------------------------------


def _row_or_404(request: HttpRequest, instance: MethodInstance, pk: int) -> Row:
    row = queries.visible_row(instance, pk, request.user)
    if row is None:
        raise Http404
    return row


def _sign_form(instance: MethodInstance, data: Any = None) -> SignForm:
    return SignForm(data, declares=residence.declares(), kommune=instance.process.municipality.name)


def _detail(
    request: HttpRequest,
    instance: MethodInstance,
    row: Row,
    *,
    sign_form: SignForm | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    initiative = row.initiative
    pk = initiative.pk
    own = queries.own_signature(request.user, initiative)
    refusal = ""
    needs_login = False
    if own is None and row.stage == Stage.COLLECTING:
        try:
            actions.check_sign(request.user, instance, initiative)
        except actions.NeedsLogin as refused:
            refusal, needs_login = refused.message, True
        except ActionRefused as refused:
            refusal = refused.message
    is_proposer = (
        request.user.is_authenticated and initiative.contribution.author_id == request.user.pk
    )
    self_url = registry.instance_url(instance, "initiative", pk=pk)
    response = getattr(initiative.contribution, "response", None)
    replaced_by = (
        initiative.corrections.order_by("pk").first() if initiative.status == "replaced" else None
    )
    context = {
        **_common(request, instance),
        "row": row,
        "initiative": initiative,
        "own": own,
        "can_sign": own is None and row.stage == Stage.COLLECTING and not refusal,
        "can_withdraw": own is not None and row.stage == Stage.COLLECTING,
        "refusal": refusal,
        "needs_login": needs_login,
        "login_url": _login_url(self_url),
        "sign_form": sign_form or _sign_form(instance),
        "withdraw_form": WithdrawForm(),
        "declares": residence.declares(),
        "is_proposer": is_proposer,
        "proposer": queries.proposer_name(initiative) if initiative.contribution.show_name else "",
        "can_correct": is_proposer and row.stage in (Stage.SUBMITTED, Stage.COLLECTING),
        "response": response,
        "decision": initiative.decision,
        "replaced_by": replaced_by,
        "page_error": page_error,
        "links": {
            "self": self_url,
            "sign": registry.instance_url(instance, "sign", pk=pk),
            "withdraw": registry.instance_url(instance, "withdraw", pk=pk),
            "correct": registry.instance_url(instance, "correct", pk=pk),
            "withdraw_proposal": registry.instance_url(instance, "withdraw_proposal", pk=pk),
            "staff": registry.instance_url(instance, "staff_initiative", pk=pk),
            "replaced_by": registry.instance_url(instance, "initiative", pk=replaced_by.pk)
            if replaced_by
            else "",
        },
        "today": timezone.localdate(),
    }
    rendered = render(request, "initiative/detail.html", context, status=status)
    return private(rendered) if request.user.is_authenticated else rendered


def initiative(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    return _detail(request, instance, _row_or_404(request, instance, pk))


def sign(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """POST: sign (GET shows the proposal with its form)."""
    if request.method in ("GET", "HEAD"):
        return redirect(registry.instance_url(instance, "initiative", pk=pk))
    if request.method != "POST":
        return not_allowed(GET_POST)
    row = _row_or_404(request, instance, pk)
    form = _sign_form(instance, request.POST)
    if not form.is_valid():
        return _detail(request, instance, row, sign_form=form, status=400)
    try:
        signed = actions.do_sign(
            request.user,
            instance,
            row.initiative,
            address=form.cleaned_data.get("address", ""),
            lives_here=bool(form.cleaned_data.get("lives_here", False)),
            language=getattr(request, "LANGUAGE_CODE", "") or "",
        )
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        fresh = queries.visible_row(instance, pk, request.user) or row
        return _detail(request, instance, fresh, sign_form=form, status=refused.status)
    if signed.delivered:
        messages.success(
            request,
            _(
                "Thank you for signing. Yours was the signature that reached the threshold: "
                "the proposal is now delivered to the municipality."
            ),
        )
    else:
        messages.success(
            request,
            _("Thank you for signing. You can withdraw your signature while signing is open."),
        )
    return private(
        redirect(registry.instance_url(instance, "initiative", pk=pk) + "#din-underskrift")
    )


def withdraw(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """POST: withdraw one's own signature while signing is open."""
    if request.method in ("GET", "HEAD"):
        return redirect(registry.instance_url(instance, "initiative", pk=pk))
    if request.method != "POST":
        return not_allowed(GET_POST)
    row = _row_or_404(request, instance, pk)
    try:
        actions.do_withdraw_signature(request.user, instance, row.initiative)
    except ActionRefused as refused:
        return _detail(request, instance, row, page_error=refused.message, status=refused.status)
    messages.success(request, _("Your signature is withdrawn."))
    return private(redirect(registry.instance_url(instance, "initiative", pk=pk)))


def withdraw_proposal(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """POST: the proposer withdraws the proposal before it is delivered."""
    if request.method in ("GET", "HEAD"):
        return redirect(registry.instance_url(instance, "initiative", pk=pk))
    if request.method != "POST":
        return not_allowed(GET_POST)
    row = _row_or_404(request, instance, pk)
    try:
        actions.do_withdraw_proposal(request.user, instance, row.initiative)
    except ActionRefused as refused:
        return _detail(request, instance, row, page_error=refused.message, status=refused.status)
    messages.success(request, _("Your proposal is withdrawn. Signing has stopped."))
    return private(redirect(registry.instance_url(instance, "initiative", pk=pk)))


# -- open data --------------------------------------------------------------------------------


def public_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """Open data: each public proposal with its stage, dates and signature count (counts
    under five hidden). Never a signer, never an exact time."""
    rows: list[list[object]] = [
        [
            _("No."),
            _("Title"),
            _("Stage"),
            _("Signing opened"),
            _("Signing closes"),
            _("Signatures needed"),
            _("Signatures"),
            _("Delivered"),
            _("The council's deadline"),
            _("Position recorded"),
        ]
    ]
    for row in queries.public_rows(instance):
        initiative = row.initiative
        rows.append(
            [
                initiative.pk,
                initiative.title,
                row.stage_label,
                _date(initiative.signing_opens_at),
                row.closes_on.isoformat() if row.closes_on else "",
                row.needed,
                _("fewer than 5") if row.suppressed else row.count,
                _date(initiative.delivered_at),
                row.deadline.isoformat() if row.deadline else "",
                _date(initiative.decided_at),
            ]
        )
    return csv_download(rows, f"{instance.process.slug}-{instance.slug}-innbyggjarforslag.csv")


def _date(moment: Any) -> str:
    return timezone.localtime(moment).date().isoformat() if moment is not None else ""


URLS: list[URLPattern | URLResolver] = [
    path("nytt/", propose, name="propose"),
    path("<int:pk>/", initiative, name="initiative"),
    path("<int:pk>/signer/", sign, name="sign"),
    path("<int:pk>/trekk-underskrift/", withdraw, name="withdraw"),
    path("<int:pk>/rett/", correct, name="correct"),
    path("<int:pk>/trekk-forslaget/", withdraw_proposal, name="withdraw_proposal"),
]
