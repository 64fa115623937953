"""Residents' pages of the idea board: the board (sorted and filtered), the form to put
forward an idea, an idea's page with its comments, support and the municipality's answer.

Thin views: reads through ``queries``, writes through ``actions``. Plain POST forms that
redirect (no JavaScript needed); 400 with the form for errors, 403 with the reason when the
person may not act, 409 when the support is there already, 429 with what they wrote kept
when they go too fast. Pages that show a person's own support or what they wrote are never
cached and send no Referer to other sites.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.contributions.types import ModerationState
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, page_number, private, session_key, start_session
from medvirk.processes import registry
from medvirk.processes.permissions import NeedsLogin
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, queries, states
from .forms import BoardFilterForm, CommentForm, IdeaForm
from .models import Idea

# Put in a new session so that it is stored (an empty one is not): "started for a form".
# The private receipt of an idea or comment published at once, shown once on the idea page.
RECEIPT_KEY = "medvirk.ideas.receipt"
# The board's own query parameters, kept when a support from the board returns there.
BOARD_PARAMS = ("sorter", "kategori", "status", "side")


# --- small helpers ------------------------------------------------------------------------


def _person(request: HttpRequest) -> str:
    """This person's key (account, or browser session) without starting a session."""
    return actions.person_key(request.user, request.session.session_key or "")


def _refusal(check: Any, *args: Any) -> ActionRefused | None:
    try:
        check(*args)
    except ActionRefused as refused:
        return refused
    return None


def _limited(response: HttpResponse, limited: ratelimit.Limited) -> HttpResponseBase:
    return private(ratelimit.retry_later(response, limited.retry_after))


def _board_query(raw: QueryDict | dict[str, str]) -> str:
    """The board's own parameters from ``raw`` as a query string (nothing else passes)."""
    kept = {k: str(raw.get(k, ""))[:80] for k in BOARD_PARAMS if raw.get(k)}
    return urlencode(kept)


def _decorate(idea: Idea, instance: MethodInstance) -> Idea:
    """The addresses and words the templates need, set on the idea."""
    idea.url = registry.instance_url(instance, "idea", pk=idea.pk)  # type: ignore[attr-defined]
    idea.support_url = registry.instance_url(instance, "support", pk=idea.pk)  # type: ignore[attr-defined]
    idea.state_label = states.label(idea.board_state)  # type: ignore[attr-defined]
    idea.state_colour = states.colour(idea.board_state)  # type: ignore[attr-defined]
    idea.body = actions.body_of(idea)  # type: ignore[attr-defined]
    if idea.merged_into is not None:
        idea.merged_url = registry.instance_url(instance, "idea", pk=idea.merged_into_id)  # type: ignore[attr-defined]
    return idea


def _base(instance: MethodInstance) -> dict[str, Any]:
    return {
        "instance": instance,
        "process": instance.process,
        "board_url": instance.get_absolute_url(),
        "new_url": registry.instance_url(instance, "new"),
        "supports_on": actions.supports_on(instance),
        "comments_on": actions.comments_on(instance),
        "suppress_below": queries.SUPPRESS_BELOW,
    }


def _writing(request: HttpRequest) -> dict[str, Any]:
    own = contact.account_email(request.user)
    return {"masked_address": contact.masked_email(own) if own else ""}


# --- the board ----------------------------------------------------------------------------


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """The board: the published ideas, sorted and filtered, with a way to put one forward."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    categories = actions.categories(instance)
    filters = BoardFilterForm(request.GET or None, categories=categories)
    sort, category, state = filters.chosen()
    listing = queries.board(
        instance,
        sort=sort,
        category=category,
        state=state,
        page=page_number(request),
        key=_person(request),
    )
    for idea in listing.page.object_list:
        _decorate(idea, instance)
    refusal = _refusal(actions.check_submit, request.user, instance)
    support_refusal = _refusal(actions.can_act, request.user, instance, actions.SUPPORT)
    if actions.supports_on(instance) and support_refusal is None:
        start_session(request)
    here = {"sorter": sort, "kategori": category, "status": state}
    context = {
        **_base(instance),
        "filters": filters,
        "board": listing,
        "ideas": list(listing.page.object_list),
        "filtered": bool(category or state),
        "board_query": _board_query({**here, "side": str(listing.page.number)}),
        "page_query": _board_query(here),
        "refusal": refusal.message if refusal else "",
        "needs_login": isinstance(refusal, NeedsLogin),
        "can_support": actions.supports_on(instance) and support_refusal is None,
        # Only "log in to support" is worth saying here; a closed board says so above.
        "support_login": support_refusal.message if isinstance(support_refusal, NeedsLogin) else "",
        "can_manage": method_pages.can(request, instance, Capability.MANAGE_PROCESS),
        "editor_url": reverse(
            "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
    }
    return private(render(request, "ideas/page.html", context))


# --- putting forward an idea --------------------------------------------------------------


def _idea_form(request: HttpRequest, instance: MethodInstance, data: Any = None) -> IdeaForm:
    return IdeaForm(
        data,
        categories=actions.categories(instance),
        max_length=actions.max_length(instance),
        account_email=contact.account_email(request.user),
    )


def new(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET: the form for a new idea; POST: store it."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    context = {**_base(instance), **_writing(request)}
    refusal = _refusal(actions.check_submit, request.user, instance)
    if refusal is not None:
        context.update(refusal=refusal.message, needs_login=isinstance(refusal, NeedsLogin))
        return private(render(request, "ideas/new.html", context, status=refusal.status))
    if request.method != "POST":
        context["form"] = _idea_form(request, instance)
        start_session(request)
        return private(render(request, "ideas/new.html", context))
    form = _idea_form(request, instance, request.POST)
    context["form"] = form
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        writing = actions.Writing(
            text=data["text"],
            author_name=data.get("author_name", ""),
            show_name=bool(data.get("show_name", False)),
            contact_email=contact.account_email(request.user) or data.get("contact_email", ""),
        )
        try:
            ratelimit.check_client(request, "input", instance.pk)
            actions.check_rate(
                actions.person_key(request.user, session_key(request)), instance, "idea"
            )
            receipt = actions.do_submit_idea(
                request.user, instance, data["title"], writing, data.get("category", "")
            )
        except ratelimit.Limited as limited:
            form.add_error(None, limited.message)
            return _limited(render(request, "ideas/new.html", context, status=429), limited)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            contribution = receipt.contribution
            if contribution.moderation == ModerationState.PUBLISHED:
                request.session[RECEIPT_KEY] = contribution.receipt_url()
                messages.success(request, _("Thank you. Your idea is on the board."))
                return private(
                    redirect(registry.instance_url(instance, "idea", pk=contribution.pk))
                )
            messages.success(
                request,
                _(
                    "Thank you. Your idea is received. A moderator reads it before it is "
                    "shown on the board. Save this page's address: it is your receipt."
                ),
            )
            return private(redirect(contribution.receipt_url()))
    return private(render(request, "ideas/new.html", context, status=status))


# --- an idea ------------------------------------------------------------------------------


def _idea_or_404(request: HttpRequest, instance: MethodInstance, pk: int) -> Idea:
    found = queries.public_idea(instance, pk, _person(request))
    if found is None:
        raise Http404
    return _decorate(found, instance)


def _staff_links(request: HttpRequest, instance: MethodInstance, idea: Idea) -> dict[str, str]:
    links: dict[str, str] = {}
    if method_pages.can(request, instance, Capability.MANAGE_PROCESS):
        links["handle"] = registry.instance_url(instance, "staff_idea", pk=idea.pk)
    if method_pages.can(request, instance, Capability.RESPOND):
        links["answer"] = reverse("staff:contribution", kwargs={"pk": idea.pk})
    if method_pages.can(request, instance, Capability.MODERATE):
        links["moderate"] = reverse("staff:moderation_item", kwargs={"pk": idea.pk})
    return links


def _render_idea(
    request: HttpRequest,
    instance: MethodInstance,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    support_error: str = "",
    status: int = 200,
) -> HttpResponse:
    hidden = idea.contribution.moderation == ModerationState.HIDDEN
    comment_refusal = _refusal(actions.check_comment, request.user, instance, idea.pk)
    support_refusal = _refusal(actions.check_support, request.user, instance, idea.pk)
    if comment_form is None and comment_refusal is None:
        comment_form = CommentForm(account_email=contact.account_email(request.user))
    if comment_refusal is not None:
        comment_form = None
    if not hidden and (comment_form is not None or support_refusal is None):
        start_session(request)
    rows = [] if hidden else queries.comments(idea)
    comment_links = method_pages.can(request, instance, Capability.MODERATE)
    for row in rows:
        row.hidden = row.contribution.moderation == ModerationState.HIDDEN  # type: ignore[attr-defined]
        if comment_links:
            row.moderate_url = reverse(  # type: ignore[attr-defined]
                "staff:moderation_item", kwargs={"pk": row.pk}
            )
    merged = [] if hidden else queries.merged_into_this(idea)
    for other in merged:
        other.url = registry.instance_url(instance, "idea", pk=other.pk)  # type: ignore[attr-defined]
    case = idea.taken_up_in
    context = {
        **_base(instance),
        **_writing(request),
        "idea": idea,
        "hidden": hidden,
        "comments": rows,
        "merged": merged,
        "case": case,
        "case_public": case is not None and case.is_public,
        "comment_form": comment_form,
        "comment_url": registry.instance_url(instance, "comment", pk=idea.pk),
        "comment_refusal": comment_refusal.message if comment_refusal else "",
        "comment_needs_login": isinstance(comment_refusal, NeedsLogin),
        "can_support": support_refusal is None,
        "support_refusal": support_refusal.message
        if support_refusal and not isinstance(support_refusal, actions.MergedIdea)
        else "",
        "support_needs_login": isinstance(support_refusal, NeedsLogin),
        "support_error": support_error,
        "receipt_url": request.session.pop(RECEIPT_KEY, ""),
        "staff_links": _staff_links(request, instance, idea),
    }
    return render(request, "ideas/idea.html", context, status=status)


def idea(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """An idea: its text, state, supports, the municipality's answer and the comments."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    return private(_render_idea(request, instance, _idea_or_404(request, instance, pk)))


def comment(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """POST: a comment on the idea (errors shown on the idea's page)."""
    found = _idea_or_404(request, instance, pk)
    if request.method in ("GET", "HEAD"):
        return redirect(found.url + "#comment-form")  # type: ignore[attr-defined]
    if request.method != "POST":
        return not_allowed("GET, HEAD, POST")
    form = CommentForm(request.POST, account_email=contact.account_email(request.user))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        writing = actions.Writing(
            text=data["text"],
            author_name=data.get("author_name", ""),
            show_name=bool(data.get("show_name", False)),
            contact_email=contact.account_email(request.user) or data.get("contact_email", ""),
        )
        try:
            ratelimit.check_client(request, "input", instance.pk)
            actions.check_rate(
                actions.person_key(request.user, session_key(request)), instance, "comment"
            )
            receipt = actions.do_comment(request.user, instance, found.pk, writing)
        except ratelimit.Limited as limited:
            form.add_error(None, limited.message)
            response = _render_idea(request, instance, found, comment_form=form, status=429)
            return _limited(response, limited)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            contribution = receipt.contribution
            if contribution.moderation == ModerationState.PUBLISHED:
                request.session[RECEIPT_KEY] = contribution.receipt_url()
                messages.success(request, _("Thank you. Your comment is published."))
                return private(redirect(f"{found.url}#kommentar-{contribution.pk}"))  # type: ignore[attr-defined]
            messages.success(
                request,
                _(
                    "Thank you. Your comment is received. A moderator reads it before it is "
                    "shown. Save this page's address: it is your receipt."
                ),
            )
            return private(redirect(contribution.receipt_url()))
    return private(_render_idea(request, instance, found, comment_form=form, status=status))


def support(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """POST ``action=support`` supports the idea, ``action=withdraw`` takes it back. From the
    board (``tilbake`` holds its address's parameters) the person returns to the board."""
    found = _idea_or_404(request, instance, pk)
    if request.method in ("GET", "HEAD"):
        return redirect(found.url + "#support")  # type: ignore[attr-defined]
    if request.method != "POST":
        return not_allowed("GET, HEAD, POST")
    raw_back = request.POST.get("tilbake")
    back = None
    if raw_back is not None:
        query = _board_query(QueryDict(str(raw_back)[:500]))
        back = f"{instance.get_absolute_url()}{'?' + query if query else ''}#ide-{found.pk}"
    done = back or f"{found.url}#support"  # type: ignore[attr-defined]
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            if actions.do_withdraw_support(
                request.user, instance, found.pk, session_key=request.session.session_key or ""
            ):
                messages.success(request, _("Your support is taken back."))
            return private(redirect(done))
        if not request.user.is_authenticated:
            # Anonymous supports per client and board: one connection cannot fill the counts.
            ratelimit.check_client(request, "input", "ideas-support", instance.pk)
        actions.do_support(request.user, instance, found.pk, session_key=session_key(request))
    except actions.MergedIdea as merged:
        messages.info(request, merged.message)
        return private(
            redirect(registry.instance_url(instance, "idea", pk=merged.target.pk) + "#support")
        )
    except ratelimit.Limited as limited:
        response = _render_idea(request, instance, found, support_error=limited.message, status=429)
        return _limited(response, limited)
    except ActionRefused as refused:
        if refused.status == 404:
            raise Http404 from refused
        found = _idea_or_404(request, instance, pk)
        response = _render_idea(
            request, instance, found, support_error=refused.message, status=refused.status
        )
        return private(response)
    messages.success(request, _("Thank you. Your support is counted."))
    return private(redirect(done))


URLS: list[URLPattern | URLResolver] = [
    path("ny/", new, name="new"),
    path("ide/<int:pk>/", idea, name="idea"),
    path("ide/<int:pk>/kommentar/", comment, name="comment"),
    path("ide/<int:pk>/stotte/", support, name="support"),
]
