"""Staff pages of a referendum.

- The editor (the plug-in's ``staff_editor``, /stab/sak/<pk>/metode/<m>/innhald/; the core
  checked ``manage_process``): the question, options, the council's decision, the period,
  the roll's size, districts and polling places while it is prepared; announcing it; the
  number of voters while it runs (never what they chose); closing; the result and the
  count record afterwards. Warns when residence is declared, not looked up.
- ``stab/kunngjer/`` and ``stab/lukk/`` (POST): announce and close.
- ``stab/papir/`` (``register_offline``): mark a paper voter in the roll, and each polling
  place's count with its state; ``stab/papir/<place>/``: one staff member's entry of a
  place's count (two different people must enter the same numbers).

Every change is a POST that redirects back; errors answer 400 (or the refusal's status)
with the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.identity import residence
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, queries, staff_actions, views
from .forms import ConfirmForm, EditForm, PaperCountForm, PaperVoterForm
from .models import Referendum, Status

GET_POST = "GET, HEAD, POST"


def _gate(
    request: HttpRequest, instance: MethodInstance, capability: Capability
) -> HttpResponseBase | None:
    """None when the person may use this staff page; else the login page or a 403."""
    if instance.method_key != actions.METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not method_pages.can(request, instance, capability):
        if capability == Capability.REGISTER_OFFLINE:
            reason = _(
                "This page is for the municipality's staff who register paper ballots. Your "
                "role in %(municipality)s does not include that."
            )
        else:
            reason = _(
                "This page is for the municipality's staff who run the case. Your role in "
                "%(municipality)s does not include that."
            )
        context = {
            "instance": instance,
            "process": instance.process,
            "reason": reason % {"municipality": instance.process.municipality.name},
        }
        return private(render(request, "referendum/staff_refused.html", context, status=403))
    return None


def _urls(instance: MethodInstance) -> dict[str, str]:
    return {
        **views._urls(instance),
        "open": registry.instance_url(instance, "staff_open"),
        "close": registry.instance_url(instance, "staff_close"),
        "paper": registry.instance_url(instance, "staff_paper"),
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
    }


def _initial(referendum: Referendum | None) -> dict[str, Any]:
    if referendum is None:
        return {"options": "Ja\nNei"}
    local = timezone.localtime
    return {
        "question": referendum.question,
        "options": "\n".join(o.label for o in queries.options(referendum)),
        "council_reference": referendum.council_reference,
        "council_url": referendum.council_url,
        "opens_at": local(referendum.opens_at) if referendum.opens_at else None,
        "closes_at": local(referendum.closes_at) if referendum.closes_at else None,
        "roll_size": referendum.roll_size,
        "districts": "\n".join(
            f"{d['name']}: {d['roll']}" if d.get("roll") is not None else str(d["name"])
            for d in referendum.districts
        ),
        "polling_places": "\n".join(
            f"{p['name']} | {p['district']}" for p in referendum.polling_places
        ),
    }


def _render_editor(
    request: HttpRequest,
    instance: MethodInstance,
    *,
    form: EditForm | None = None,
    open_form: ConfirmForm | None = None,
    close_form: ConfirmForm | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponse:
    referendum = queries.referendum_of(instance)
    stage = actions.stage(referendum)
    draft = stage == "draft"
    rules: dict[str, Any] = {}
    if referendum is not None and not draft:
        rules = dict(referendum.rules)
    else:
        try:
            rules = staff_actions.rules_of(instance)
        except ValueError:  # stored settings that no longer validate: the form says so
            rules = {}
    result = queries.result(referendum)
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "referendum": referendum,
        "options": queries.options(referendum),
        "stage": stage,
        "rules": rules,
        "form": form or (EditForm(initial=_initial(referendum)) if draft else None),
        "open_form": open_form
        or ConfirmForm(
            prefix="open",
            label=_("The question, options, period and rules are as the council decided."),
        ),
        "close_form": close_form
        or ConfirmForm(prefix="close", label=_("Close the vote and publish the result.")),
        "declares": residence.declares(),
        "voters": queries.voters_so_far(referendum) if referendum and not draft else None,
        "missing": staff_actions.missing_batches(referendum)
        if referendum is not None and stage == "counting"
        else [],
        "phase": instance.phase,
        "result": result,
        "chart": views.chart(result, f"referendum-staff-{instance.pk}") if result else "",
        "page_error": page_error,
        "can_paper": method_pages.can(request, instance, Capability.REGISTER_OFFLINE),
        "urls": _urls(instance),
    }
    return private(render(request, "referendum/staff_editor.html", context, status=status))


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """GET: the referendum for staff; POST: save the prepared question and details."""
    if instance.method_key != actions.METHOD_KEY:
        raise Http404
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": GET_POST})
    if request.method != "POST":
        return _render_editor(request, instance)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _render_editor(request, instance, form=form, status=400)
    data = form.cleaned_data
    try:
        staff_actions.do_save(
            method_pages.staff_user(request),
            instance,
            staff_actions.Details(
                question=data["question"],
                options=data["options"],
                council_reference=data["council_reference"],
                council_url=data.get("council_url") or "",
                opens_at=data.get("opens_at"),
                closes_at=data.get("closes_at"),
                roll_size=data.get("roll_size"),
                districts=data.get("districts") or [],
                polling_places=data.get("polling_places") or [],
            ),
        )
    except ActionRefused as refused:
        if refused.status == 404:
            raise Http404 from refused
        form.add_error(None, refused.message)
        return _render_editor(request, instance, form=form, status=refused.status)
    messages.success(request, _("The referendum is saved. Announce it when it is ready."))
    return HttpResponseRedirect(method_pages.editor_url(instance))


def _post_only(request: HttpRequest) -> HttpResponse | None:
    if request.method in ("GET", "HEAD"):
        return None
    if request.method != "POST":
        return not_allowed(GET_POST)
    return None


def open_vote(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """POST ``stab/kunngjer/``: announce the referendum (locks it)."""
    refused = _gate(request, instance, Capability.MANAGE_PROCESS)
    if refused is not None:
        return refused
    if request.method != "POST":
        return _post_only(request) or HttpResponseRedirect(method_pages.editor_url(instance))
    form = ConfirmForm(
        request.POST,
        prefix="open",
        label=_("The question, options, period and rules are as the council decided."),
    )
    if not form.is_valid():
        return _render_editor(request, instance, open_form=form, status=400)
    try:
        staff_actions.do_open(method_pages.staff_user(request), instance)
    except ActionRefused as error:
        return _render_editor(request, instance, page_error=error.message, status=error.status)
    messages.success(request, _("The referendum is announced. The question can no longer change."))
    return HttpResponseRedirect(method_pages.editor_url(instance))


def close_vote(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """POST ``stab/lukk/``: close the vote, count, publish."""
    refused = _gate(request, instance, Capability.MANAGE_PROCESS)
    if refused is not None:
        return refused
    if request.method != "POST":
        return _post_only(request) or HttpResponseRedirect(method_pages.editor_url(instance))
    form = ConfirmForm(
        request.POST, prefix="close", label=_("Close the vote and publish the result.")
    )
    if not form.is_valid():
        return _render_editor(request, instance, close_form=form, status=400)
    try:
        staff_actions.do_close(method_pages.staff_user(request), instance)
    except ActionRefused as error:
        return _render_editor(request, instance, page_error=error.message, status=error.status)
    messages.success(request, _("The referendum is closed and the result is published."))
    return HttpResponseRedirect(method_pages.editor_url(instance))


# -- paper ----------------------------------------------------------------------------------------


def _paper_referendum(instance: MethodInstance) -> Referendum:
    referendum = queries.referendum_of(instance)
    if referendum is None or referendum.status == Status.DRAFT or not referendum.rules.get("paper"):
        raise Http404
    return referendum


def _voter_form(referendum: Referendum, data: Any = None) -> PaperVoterForm:
    return PaperVoterForm(
        data,
        places=[(p["key"], f"{p['name']} ({p['district']})") for p in referendum.polling_places],
    )


@sensitive_post_parameters("national_id")  # never in an error report
def paper(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """``stab/papir/``: mark a paper voter (POST), and every polling place's count."""
    refused = _gate(request, instance, Capability.REGISTER_OFFLINE)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    referendum = _paper_referendum(instance)
    form = _voter_form(referendum, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                day = staff_actions.do_mark_paper_voter(
                    method_pages.staff_user(request),
                    instance,
                    form.cleaned_data["national_id"],
                    form.cleaned_data["place"],
                )
            except ActionRefused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                del day
                messages.success(
                    request,
                    _("Marked in the roll: the person may be given a ballot."),
                )
                return private(HttpResponseRedirect(registry.instance_url(instance, "staff_paper")))
        # The typed number is not sent back to the browser.
        shown = request.POST.copy()
        shown["national_id"] = ""
        form.data = shown
    stage = actions.stage(referendum)
    context = {
        "instance": instance,
        "process": instance.process,
        "referendum": referendum,
        "stage": stage,
        "form": form if stage == "open" else None,
        "places": [
            (place, registry.instance_url(instance, "staff_place", place=place.key))
            for place in queries.paper_places(referendum)
        ],
        "voters": queries.voters_so_far(referendum),
        "urls": _urls(instance),
    }
    return private(render(request, "referendum/staff_paper.html", context, status=status))


def paper_place(request: HttpRequest, instance: MethodInstance, place: str) -> HttpResponseBase:
    """``stab/papir/<place>/``: enter this polling place's count (one of two entries)."""
    refused = _gate(request, instance, Capability.REGISTER_OFFLINE)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    referendum = _paper_referendum(instance)
    state = queries.place_state(referendum, place)
    if state is None:
        raise Http404
    options = [(o.pk, o.label) for o in queries.options(referendum)]
    blank = bool(referendum.rules.get("blank_vote", True))
    posted = request.method == "POST"
    form = PaperCountForm(request.POST if posted else None, options=options, blank=blank)
    status = 200
    page_error = ""
    if posted:
        status = 400
        if form.is_valid():
            try:
                outcome = staff_actions.do_enter_paper(
                    method_pages.staff_user(request), instance, place, form.counts()
                )
            except ActionRefused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request,
                    {
                        "waiting": _(
                            "Your count is saved. A second person must now count and enter it."
                        ),
                        "replaced": _(
                            "Your count is replaced. A second person must now count and enter it."
                        ),
                        "accepted": _(
                            "The two counts are equal: the polling place's count is accepted."
                        ),
                        "mismatch": _(
                            "The two counts are not equal. Both of you: count again and "
                            "enter again."
                        ),
                    }[outcome.state],
                )
                url = registry.instance_url(instance, "staff_place", place=place)
                return private(HttpResponseRedirect(url))
    me = request.user.pk
    context = {
        "instance": instance,
        "process": instance.process,
        "referendum": referendum,
        "state": state,
        "stage": actions.stage(referendum),
        "options": queries.options(referendum),
        "form": form,
        "mine_pending": any(e.entered_by_id == me for e in state.pending),
        "self_url": registry.instance_url(instance, "staff_place", place=place),
        "page_error": page_error,
        "urls": _urls(instance),
    }
    return private(render(request, "referendum/staff_place.html", context, status=status))


URLS: list[URLPattern | URLResolver] = [
    path("stab/kunngjer/", open_vote, name="staff_open"),
    path("stab/lukk/", close_vote, name="staff_close"),
    path("stab/papir/", paper, name="staff_paper"),
    path("stab/papir/<slug:place>/", paper_place, name="staff_place"),
]
