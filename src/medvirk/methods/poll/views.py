"""Quick-poll pages: the poll (GET shows, POST votes), the embed for other sites, results.

Thin views: reads through ``queries``, writes through ``actions``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.middleware import CSP
from medvirk.core.responses import private, session_key, start_session
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import actions, charts, queries
from .forms import VoteForm

# Put in a new session so that it is stored (an empty one is not): "started for a form".
# The embed page alone may be framed by any site; every other page keeps frame-ancestors 'none'.
EMBED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def _is_staff(request: HttpRequest, instance: MethodInstance) -> bool:
    return bool(capabilities.roles(request.user, instance.process.municipality_id))


def _own_key(request: HttpRequest) -> str | None:
    """This person's or browser's vote key, without starting a session."""
    return actions.once_key(request.user, request.session.session_key or "")


def chart(results: queries.Results, uid: str) -> str:
    if results.question is None or not results.rows:
        return ""
    bars = [
        charts.Bar(
            r.label,
            0.0 if r.count is None else float(r.count),
            f"<{queries.SUPPRESS_BELOW}"
            if r.count is None
            else f"{r.count} ({r.percent})"
            if r.percent
            else str(r.count),
        )
        for r in results.rows
    ]
    description = _("Number of votes per option, out of %(n)s votes.") % {
        "n": number_format(results.total)
    }
    return charts.bar_chart(results.question.text, description, bars, uid=uid)


def _context(request: HttpRequest, instance: MethodInstance) -> dict[str, object]:
    """What the poll page and the embed share: the question, the person's vote, whether
    they may vote and whether they see the results."""
    question = queries.poll(instance)
    options = queries.options(question)
    vote = queries.own_vote(instance, _own_key(request))
    staff = _is_staff(request, instance)
    refusal = ""
    try:
        actions.check_vote(request.user, instance)
    except ActionRefused as refused:
        refusal = refused.message
    visible = actions.results_visible(instance, voted=vote is not None, staff=staff)
    results = queries.results(instance, exact=staff) if visible and question else None
    plugin = registry.get(instance.method_key)
    return {
        "instance": instance,
        "process": instance.process,
        "question": question,
        "options": options,
        "vote": vote,
        "refusal": refusal,
        "closed": actions.is_closed(instance),
        "results_after": actions.results_after(instance),
        "results": results,
        "chart": chart(results, f"poll-{instance.pk}") if results else "",
        "suppress_below": queries.SUPPRESS_BELOW,
        "is_staff": staff,
        "embed_url": request.build_absolute_uri(plugin.url(instance, "embed")),
        "page_url": request.build_absolute_uri(instance.get_absolute_url()),
    }


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The poll: GET shows the question (or the result), POST takes one vote."""
    if request.method == "POST":
        return _vote(request, instance)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    context = _context(request, instance)
    form = None
    if context["vote"] is None and not context["refusal"] and context["options"]:
        # ?valg=<id> comes from the embed: the option chosen there, to confirm here.
        chosen = request.GET.get("valg", "")
        form = VoteForm(options=context["options"], initial={"option": chosen})  # type: ignore[arg-type]
        start_session(request)
    return _render(request, context, form)


def _render(
    request: HttpRequest,
    context: dict[str, object],
    form: VoteForm | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    chosen = ""
    if form is not None:
        chosen = str(form["option"].value() or "")
    context = {**context, "form": form, "chosen": chosen, "error": error}
    return private(render(request, "poll/page.html", context, status=status))


def _vote(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    context = _context(request, instance)
    if context["refusal"]:
        return _render(request, context, None, error=str(context["refusal"]), status=403)
    if context["vote"] is not None:
        return _render(request, context, None, error=actions.AlreadyVoted().message, status=409)
    form = VoteForm(request.POST, options=context["options"])  # type: ignore[arg-type]
    if not form.is_valid():
        return _render(request, context, form, error=_("Choose one of the options."), status=400)
    try:
        # Votes per client and poll are limited: one client cannot fill the results.
        ratelimit.check_client(request, "input", instance.pk)
        actions.do_vote(
            request.user,
            instance,
            int(form.cleaned_data["option"]),
            session_key=session_key(request),
        )
    except ratelimit.Limited as limited:
        response = _render(request, context, form, error=limited.message, status=429)
        return ratelimit.retry_later(response, limited.retry_after)
    except actions.AlreadyVoted as already:
        # Voted meanwhile (another tab, a parallel request): show that vote and the results.
        return _render(
            request, _context(request, instance), None, error=already.message, status=409
        )
    except ActionRefused as refused:
        return _render(request, context, form, error=refused.message, status=refused.status)
    messages.success(request, _("Thank you. Your vote is counted."))
    return private(redirect(f"{instance.get_absolute_url()}#poll-result"))


def embed(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The poll for other sites' pages (an iframe): the question and a way here to vote.

    Only this page may be framed by any site. It takes no vote itself: a browser does not
    send this site's cookies into another site's frame, so the vote (and its one-per-browser
    key) happens on the poll page, opened in a new tab with the option chosen.
    """
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    context = _context(request, instance)
    response = render(request, "poll/embed.html", context)
    response.xframe_options_exempt = True
    response["Content-Security-Policy"] = EMBED_CSP
    response["Cache-Control"] = "private, no-store"
    return response
