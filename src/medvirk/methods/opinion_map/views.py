"""Residents' pages of the opinion map: one statement at a time with agree / disagree / pass,
adding a statement, the map with its table, and one's own votes.

Thin views: reads through ``queries``, writes through ``actions``. Plain POST forms that
redirect; they work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.accountability import contact
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private, session_key, start_session
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import actions, drawing, queries
from .forms import StatementForm

# Put in a new session so that it is stored (an empty one is not): "started for a form".
# The session remembers who voted (the participant's key and id), saving a lookup per vote.
PARTICIPANT_SLOT = "medvirk.opinion_map.participant.%d"
# Where a vote was given from, so the person returns there (never a free address).
RETURN_TO = {"page": "", "mine": "mine"}


def _own_key(request: HttpRequest, instance: MethodInstance) -> str | None:
    """This person's or browser's participant key, without starting a session."""
    return actions.participant_key(instance.pk, request.user, request.session.session_key)


def _is_staff(request: HttpRequest, instance: MethodInstance) -> bool:
    return bool(capabilities.roles(request.user, instance.process.municipality_id))


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "page": instance.get_absolute_url(),
        "vote": plugin.url(instance, "vote"),
        "add": plugin.url(instance, "add"),
        "map": plugin.url(instance, "map"),
        "mine": plugin.url(instance, "mine"),
        "export": plugin.export_url(instance, "polis"),
        "open_data": instance.process.get_absolute_url() + "opne-data/",
    }


def _refusal(check: Any, request: HttpRequest, instance: MethodInstance) -> str:
    try:
        check(request.user, instance)
    except ActionRefused as refused:
        return refused.message
    return ""


def _page_context(request: HttpRequest, instance: MethodInstance) -> dict[str, Any]:
    row = queries.map_row(instance)
    result = queries.result_of(row)
    key = _own_key(request, instance)
    me = queries.participant(instance, key)
    upcoming = queries.next_statement(
        instance, key, me.pk if me else None, result.get("totals") or {}
    )
    return {
        "instance": instance,
        "process": instance.process,
        "urls": _urls(instance),
        "next": upcoming,
        "participant": me,
        "own": queries.own_group(row, me.group if me else None),
        "row": row,
        "groups_shown": sum(
            1 for g in result.get("groups", []) if int(g.get("size", 0)) >= queries.SUPPRESS_BELOW
        ),
        "refusal": _refusal(actions.check_vote, request, instance),
        "add_refusal": _refusal(actions.check_add, request, instance),
        "statements_allowed": actions.statements_allowed(instance),
        "is_staff": _is_staff(request, instance),
    }


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The next statement to vote on, the person's progress and group."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    context = _page_context(request, instance)
    if not context["refusal"]:
        start_session(request)
    return private(render(request, "opinion_map/page.html", context))


def vote(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """POST: one vote (``statement`` and ``vote`` = agree|disagree|pass), then the next."""
    if request.method in ("GET", "HEAD"):
        return HttpResponseRedirect(instance.get_absolute_url())
    if request.method != "POST":
        return not_allowed("GET, HEAD, POST")
    back = RETURN_TO.get(str(request.POST.get("from", "page")), "")
    try:
        try:
            statement_id = int(str(request.POST.get("statement", "")))
        except ValueError:
            raise ActionRefused(_("Choose agree, disagree or pass on a statement.")) from None
        value = actions.vote_value(str(request.POST.get("vote", "")))
        actions.check_vote(request.user, instance)
        if not request.user.is_authenticated:
            # Anonymous votes per client and map are limited: one client cannot fill the map.
            ratelimit.check_client(request, "opinion_vote", instance.pk)
        slot = PARTICIPANT_SLOT % instance.pk
        remembered = request.session.get(slot)
        known = None
        if isinstance(remembered, list) and len(remembered) == 2:
            known = (str(remembered[0]), int(remembered[1]))
        voted = actions.do_vote(
            request.user,
            instance,
            statement_id,
            value,
            session_key=session_key(request),
            known=known,
        )
        if known != (voted.key, voted.participant_id):
            request.session[slot] = [voted.key, voted.participant_id]
    except ratelimit.Limited as limited:
        response = _vote_refused(request, instance, limited.message, 429)
        return ratelimit.retry_later(response, limited.retry_after)
    except ActionRefused as refused:
        return _vote_refused(request, instance, refused.message, refused.status)
    messages.success(request, _("Your vote is saved."))
    target = (
        registry.get(instance.method_key).url(instance, back)
        if back
        else (instance.get_absolute_url() + "#statement")
    )
    return private(HttpResponseRedirect(target))


def _vote_refused(
    request: HttpRequest, instance: MethodInstance, message: str, status: int
) -> HttpResponse:
    context = {**_page_context(request, instance), "error": message}
    return private(render(request, "opinion_map/page.html", context, status=status))


def add(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """GET shows the form for a new statement; POST sends it to the moderators."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    own_address = contact.account_email(request.user)
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "urls": _urls(instance),
        "masked_address": contact.masked_email(own_address) if own_address else "",
        "max_length": actions.MAX_STATEMENT,
    }
    refusal = _refusal(actions.check_add, request, instance)
    if refusal:
        context["refusal"] = refusal
        return private(render(request, "opinion_map/add.html", context, status=403))
    status = 200
    if request.method == "POST":
        form = StatementForm(request.POST, account_email=own_address)
        status = 400
        if form.is_valid():
            try:
                ratelimit.check_client(request, "input", instance.pk)
                receipt = actions.do_add_statement(
                    request.user,
                    instance,
                    form.cleaned_data["text"],
                    contact_email=own_address or form.cleaned_data.get("contact_email", ""),
                )
            except ratelimit.Limited as limited:
                form.add_error(None, limited.message)
                context["form"] = form
                response = render(request, "opinion_map/add.html", context, status=429)
                return private(ratelimit.retry_later(response, limited.retry_after))
            except ActionRefused as refused:
                form.add_error("text" if refused.status == 409 else None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. A moderator reads your statement before others vote on "
                        "it. Save this page's address: it is your receipt, and shows the "
                        "municipality's answer."
                    ),
                )
                return private(HttpResponseRedirect(receipt.contribution.receipt_url()))
    else:
        form = StatementForm(account_email=own_address)
        start_session(request)
    context["form"] = form
    return private(render(request, "opinion_map/add.html", context, status=status))


def map_page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The map: the drawing, the groups and their sizes, what sets each apart, what every
    group agrees on, and every statement's result with the municipality's answer."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    row = queries.map_row(instance)
    me = queries.participant(instance, _own_key(request, instance))
    view = queries.map_view(instance, row, me.group if me else None)
    svg = ""
    if view.drawn:
        svg = drawing.map_svg(
            view,
            title=_("Opinion map: %(title)s") % {"title": instance.title},
            description=describe(view),
            uid=f"opinion-map-{instance.pk}",
            own_text=_("you"),
        )
    for group in view.groups:
        group.key = drawing.legend_symbol(group.symbol)
    context = {
        "instance": instance,
        "process": instance.process,
        "urls": _urls(instance),
        "view": view,
        "svg": svg,
        "outside_key": drawing.legend_symbol(-1),
        "participant": me,
        "suppress_below": queries.SUPPRESS_BELOW,
        "refusal": _refusal(actions.check_vote, request, instance),
    }
    return private(render(request, "opinion_map/map.html", context))


def describe(view: queries.MapView) -> str:
    """The drawing in words, for its ``<desc>``."""
    parts = [
        ngettext(
            "%(n)s participant has voted.", "%(n)s participants have voted.", view.participants
        )
        % {"n": view.participants}
    ]
    shown = view.shown_groups
    if shown:
        sizes = ", ".join(
            _("group %(label)s: %(n)s people") % {"label": g.label, "n": g.size} for g in shown
        )
        parts.append(
            ngettext(
                "%(k)d opinion group (%(sizes)s).",
                "%(k)d opinion groups (%(sizes)s).",
                len(shown),
            )
            % {"k": len(shown), "sizes": sizes}
        )
    else:
        parts.append(_("No opinion groups yet."))
    if view.outside:
        parts.append(_("The grey dots are people not in a group yet."))
    if view.own is not None:
        parts.append(_("You are in group %(label)s.") % {"label": view.own.label})
    if len(view.dots) < view.participants:
        parts.append(_("A sample of %(n)s people is drawn.") % {"n": len(view.dots)})
    return " ".join(parts)


def mine(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """This person's own votes, each with buttons to change it."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    me = queries.participant(instance, _own_key(request, instance))
    context = {
        "instance": instance,
        "process": instance.process,
        "urls": _urls(instance),
        "votes": queries.own_votes(instance, me.pk if me else None),
        "refusal": _refusal(actions.check_vote, request, instance),
        "own": queries.own_group(queries.map_row(instance), me.group if me else None)
        if me
        else None,
    }
    return private(render(request, "opinion_map/mine.html", context))


def computed_at(row: Any) -> str:
    if row is None or row.computed_at is None:
        return ""
    return date_format(row.computed_at, "SHORT_DATETIME_FORMAT")


def not_found(request: HttpRequest, instance: MethodInstance, **kwargs: Any) -> HttpResponse:
    raise Http404


URLS: list[URLPattern | URLResolver] = [
    path("stem/", vote, name="vote"),
    path("ny-pastand/", add, name="add"),
    path("kart/", map_page, name="map"),
    path("mine-svar/", mine, name="mine"),
]
