"""Residents' pages of the discussion: the overview (the staff's questions and the threads on
the case), a question's threads, a thread, and the forms to post, reply, agree or disagree,
report and follow. Every form page shows the municipality's rules beside it.

Thin views: reads through ``queries``, writes through ``actions``. Plain POST forms that
redirect (no JavaScript needed); 400 with the form for errors, 403 with the reason when the
person may not act, 429 with what they wrote kept when they post too fast. Form pages are
never cached and send no Referer to other sites.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.contributions.actions import do_report
from medvirk.contributions.types import ModerationState
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, page_number, private, session_key, start_session
from medvirk.identity.types import User
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.permissions import NeedsLogin
from medvirk.processes.types import MethodInstance
from medvirk.public.moderation_forms import ReportForm
from medvirk.vocabulary import Capability

from . import actions, links, queries
from .forms import WHOLE_CASE, FollowForm, PostForm, ReactionForm, ReplyForm
from .models import Post, Topic

# Put in a new session so that it is stored (an empty one is not): "started for a form".
# The private receipt of a post that was published at once, shown once on the thread page.
RECEIPT_KEY = "medvirk.discussion.receipt"


# --- small helpers ------------------------------------------------------------------------


def _person(request: HttpRequest) -> str:
    """This person's key (account, or browser session) without starting a session."""
    return actions.person_key(request.user, request.session.session_key or "")


def _refusal(request: HttpRequest, check: Any, *args: Any) -> ActionRefused | None:
    try:
        check(request.user, *args)
    except ActionRefused as refused:
        return refused
    return None


def _staff_can(request: HttpRequest, instance: MethodInstance, capability: Capability) -> bool:
    return capabilities.staff_can(request.user, capability, instance.process.municipality_id)


def _as_self(request: HttpRequest, instance: MethodInstance) -> str:
    """The role a staff member or elected representative writes with ("" for residents)."""
    return actions.role_label(request.user, instance.process.municipality)


def _writer(request: HttpRequest) -> str:
    user = request.user
    return user.public_name() if isinstance(user, User) else ""


def _urls(instance: MethodInstance) -> dict[str, str]:
    return {
        "page": instance.get_absolute_url(),
        "new": registry.instance_url(instance, "new"),
        "process": instance.process.get_absolute_url(),
    }


def _base(
    request: HttpRequest, instance: MethodInstance, topic: Topic | None = None
) -> dict[str, Any]:
    return {
        "instance": instance,
        "process": instance.process,
        "rules": queries.rules(instance.process.municipality_id),
        "urls": _urls(instance),
        "reactions_on": actions.reactions_on(instance),
        "following_on": actions.following_on(instance),
        "topic": topic,
        "topic_url": registry.instance_url(instance, "topic", pk=topic.pk)
        if topic is not None
        else "",
    }


def _link(entry: queries.Entry, instance: MethodInstance, request: HttpRequest) -> None:
    """The addresses a post's own links go to, set on the entry for the template."""
    post = entry.post
    links = {
        "thread": registry.instance_url(instance, "thread", pk=post.root_id or post.pk)
        + f"#innlegg-{post.pk}",
        "reply": registry.instance_url(instance, "reply", pk=post.pk),
        "react": registry.instance_url(instance, "react", pk=post.pk),
        "report": registry.instance_url(instance, "report", pk=post.pk),
        "follow": registry.instance_url(instance, "follow", pk=post.root_id or post.pk),
    }
    if _staff_can(request, instance, Capability.MODERATE):
        links["moderate"] = reverse("staff:moderation_item", kwargs={"pk": post.contribution_id})
    if post.parent_id is None and _staff_can(request, instance, Capability.RESPOND):
        links["answer"] = reverse("staff:contribution", kwargs={"pk": post.contribution_id})
    entry.links = links


def _linked(
    entries: list[queries.Entry], instance: MethodInstance, request: HttpRequest
) -> list[queries.Entry]:
    for entry in entries:
        _link(entry, instance, request)
    return entries


def _limited(response: HttpResponse, limited: ratelimit.Limited) -> HttpResponseBase:
    return private(ratelimit.retry_later(response, limited.retry_after))


# --- the overview and a question ----------------------------------------------------------


def _post_choices(instance: MethodInstance, topics: list[Topic]) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    if actions.case_posts_on(instance):
        choices.append((WHOLE_CASE, _("The case as a whole")))
    choices += [(str(t.pk), t.title) for t in topics if t.is_open]
    return choices


def _post_form(
    request: HttpRequest,
    instance: MethodInstance,
    choices: list[tuple[str, str]],
    data: Any = None,
    initial: dict[str, Any] | None = None,
) -> PostForm:
    return PostForm(
        data,
        choices=choices,
        initial=initial,
        account_email=contact.account_email(request.user),
        as_self=bool(_as_self(request, instance)),
    )


def _writing_context(request: HttpRequest, instance: MethodInstance) -> dict[str, Any]:
    own = contact.account_email(request.user)
    role = _as_self(request, instance)
    return {
        "masked_address": contact.masked_email(own) if own else "",
        "as_self": role,
        "writer": _writer(request) if role else "",
    }


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """The staff's questions and the threads on the case as a whole, with a form to post."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    topics = queries.topics(instance)
    sort = queries.sort_of(request.GET.get("sorter"))
    case_on = actions.case_posts_on(instance)
    listing = queries.threads(
        instance, None, sort=sort, page=page_number(request), key=_person(request)
    )
    refusal = _refusal(request, actions.check_post, instance) if case_on else None
    form = None
    if case_on and refusal is None:
        form = _post_form(request, instance, [(WHOLE_CASE, "")], initial={"topic": WHOLE_CASE})
        start_session(request)
    context = {
        **_base(request, instance),
        **_writing_context(request, instance),
        "topics": [
            {"topic": t, "url": registry.instance_url(instance, "topic", pk=t.pk)} for t in topics
        ],
        "case_on": case_on,
        "listing": listing,
        "entries": _linked(listing.entries, instance, request),
        "sorts": _sorts(request, instance.get_absolute_url(), sort),
        "form": form,
        "refusal": refusal.message if refusal and case_on else "",
        "needs_login": isinstance(refusal, NeedsLogin),
        "can_moderate": _staff_can(request, instance, Capability.MODERATE),
    }
    return private(render(request, "discussion/page.html", context))


def _sorts(request: HttpRequest, base: str, chosen: str) -> list[dict[str, Any]]:
    labels = {queries.NEWEST: _("Newest first"), queries.MOST_DISCUSSED: _("Most discussed first")}
    return [
        {"label": labels[key], "url": f"{base}?sorter={key}", "current": key == chosen}
        for key in queries.SORTS
    ]


def topic_page(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """One of the staff's questions: its background, its threads and a form to post."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    found = queries.topic(instance, pk)
    if found is None:
        raise Http404
    sort = queries.sort_of(request.GET.get("sorter"))
    listing = queries.threads(
        instance, found.pk, sort=sort, page=page_number(request), key=_person(request)
    )
    refusal = _refusal(request, actions.check_post, instance, found.pk)
    form = None
    if refusal is None:
        form = _post_form(
            request, instance, [(str(found.pk), found.title)], initial={"topic": str(found.pk)}
        )
        start_session(request)
    here = registry.instance_url(instance, "topic", pk=found.pk)
    context = {
        **_base(request, instance, found),
        **_writing_context(request, instance),
        "listing": listing,
        "entries": _linked(listing.entries, instance, request),
        "sorts": _sorts(request, here, sort),
        "here": here,
        "form": form,
        "refusal": refusal.message if refusal else "",
        "needs_login": isinstance(refusal, NeedsLogin),
    }
    return private(render(request, "discussion/topic.html", context))


# --- writing a post -----------------------------------------------------------------------


def _posted(request: HttpRequest, instance: MethodInstance, receipt: Any) -> HttpResponseBase:
    """Where a person goes after writing: their post in its thread when it is shown at once
    (the receipt link kept for one view), else the private receipt page."""
    contribution = receipt.contribution
    if contribution.moderation == ModerationState.PUBLISHED:
        post = actions.post_of(contribution.pk)
        assert post is not None
        request.session[RECEIPT_KEY] = contribution.receipt_url()
        messages.success(request, _("Thank you. Your post is published."))
        target = (
            registry.instance_url(instance, "thread", pk=post.root_id or post.pk)
            + f"#innlegg-{post.pk}"
        )
        return private(redirect(target))
    messages.success(
        request,
        _(
            "Thank you. Your post is received. A moderator reads it before it is shown. "
            "Save this page's address: it is your receipt."
        ),
    )
    return private(redirect(contribution.receipt_url()))


def new(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET: the form to start a thread (on a question, ``?sporsmal=<id>``, or on the case);
    POST: store the post. The overview and the question pages post here too."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    topics = queries.topics(instance)
    choices = _post_choices(instance, topics)
    context = {**_base(request, instance), **_writing_context(request, instance)}
    refusal = _refusal(request, actions.check_post_anywhere, instance)
    if refusal is not None:
        context.update(refusal=refusal.message, needs_login=isinstance(refusal, NeedsLogin))
        return private(render(request, "discussion/new.html", context, status=403))
    if request.method != "POST":
        asked = str(request.GET.get("sporsmal", ""))
        chosen = asked if asked in {value for value, _label in choices} else None
        if chosen is None and len(choices) == 1:
            chosen = choices[0][0]
        form = _post_form(request, instance, choices, initial={"topic": chosen})
        start_session(request)
        context["form"] = form
        return private(render(request, "discussion/new.html", context))
    form = _post_form(request, instance, choices, data=request.POST)
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
                actions.person_key(request.user, session_key(request)), instance, "post"
            )
            receipt = actions.do_post(request.user, instance, writing, form.topic_id())
        except ratelimit.Limited as limited:
            form.add_error(None, limited.message)
            context["form"] = form
            return _limited(render(request, "discussion/new.html", context, status=429), limited)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            return _posted(request, instance, receipt)
    context["form"] = form
    return private(render(request, "discussion/new.html", context, status=status))


# --- a thread -----------------------------------------------------------------------------


def thread(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """A thread: its first post with the municipality's answer, and every reply in order."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    found = queries.public_post(instance, pk)
    if found is None:
        raise Http404
    if found.root_id not in (None, found.pk):
        return redirect(
            registry.instance_url(instance, "thread", pk=found.root_id) + f"#innlegg-{found.pk}"
        )
    data = queries.thread(instance, found, _person(request))
    _link(data.root, instance, request)
    _linked(data.replies, instance, request)
    refusal = _refusal(request, actions.check_reply, instance, found.pk)
    form = None
    if refusal is None:
        form = ReplyForm(
            account_email=contact.account_email(request.user),
            as_self=bool(_as_self(request, instance)),
        )
        start_session(request)
    user_id = request.user.pk if request.user.is_authenticated else None
    context = {
        **_base(request, instance, data.topic),
        **_writing_context(request, instance),
        "thread": data,
        "form": form,
        "can_reply": form is not None,
        "reply_url": registry.instance_url(instance, "reply", pk=found.pk),
        "refusal": refusal.message if refusal else "",
        "needs_login": isinstance(refusal, NeedsLogin),
        "following": queries.follows(found, user_id),
        "receipt_url": request.session.pop(RECEIPT_KEY, ""),
        "back": registry.instance_url(instance, "topic", pk=found.topic_id)
        if found.topic_id
        else instance.get_absolute_url(),
    }
    return private(render(request, "discussion/thread.html", context))


def _shown_post(instance: MethodInstance, pk: int) -> Post:
    found = queries.public_post(instance, pk)
    if found is None:
        raise Http404
    return found


def reply(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """GET: the form to reply to one post (quoted above it); POST: store the reply."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    parent = _shown_post(instance, pk)
    entry = queries.Entry(post=parent)
    _link(entry, instance, request)
    context = {
        **_base(request, instance, parent.topic),
        **_writing_context(request, instance),
        "parent": entry,
        "action_url": registry.instance_url(instance, "reply", pk=parent.pk),
    }
    refusal = _refusal(request, actions.check_reply, instance, parent.pk)
    if refusal is not None:
        context.update(refusal=refusal.message, needs_login=isinstance(refusal, NeedsLogin))
        return private(render(request, "discussion/reply.html", context, status=refusal.status))
    options = {
        "account_email": contact.account_email(request.user),
        "as_self": bool(_as_self(request, instance)),
    }
    if request.method != "POST":
        context["form"] = ReplyForm(**options)
        start_session(request)
        return private(render(request, "discussion/reply.html", context))
    form = ReplyForm(request.POST, **options)
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
                actions.person_key(request.user, session_key(request)), instance, "post"
            )
            receipt = actions.do_reply(request.user, instance, parent.pk, writing)
        except ratelimit.Limited as limited:
            form.add_error(None, limited.message)
            context["form"] = form
            return _limited(render(request, "discussion/reply.html", context, status=429), limited)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            return _posted(request, instance, receipt)
    context["form"] = form
    return private(render(request, "discussion/reply.html", context, status=status))


# --- agree or disagree --------------------------------------------------------------------


def react(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """A post's reactions with their reasons; POST agrees or disagrees (or takes it back)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    post = _shown_post(instance, pk)
    entry = queries.Entry(post=post)
    _link(entry, instance, request)
    refusal = _refusal(request, actions.check_react, instance, post.pk)
    status = 200
    form: ReactionForm | None = None
    limited: ratelimit.Limited | None = None
    if request.method == "POST":
        if refusal is not None:
            status = refusal.status
        elif request.POST.get("action") == "withdraw":
            withdrawn = actions.do_withdraw_reaction(
                request.user, instance, post.pk, session_key=request.session.session_key or ""
            )
            if withdrawn:
                messages.success(request, _("Your reaction is taken back."))
            return private(redirect(entry.links["react"]))
        else:
            form = ReactionForm(request.POST)
            status = 400
            if form.is_valid():
                try:
                    ratelimit.check_client(request, "input", "reaction", instance.pk)
                    key = actions.person_key(request.user, session_key(request))
                    actions.check_rate(key, instance, "reaction")
                    result = actions.do_react(
                        request.user,
                        instance,
                        post.pk,
                        form.cleaned_data["stance"],
                        form.cleaned_data["reason"],
                        session_key=session_key(request),
                    )
                except ratelimit.Limited as too_fast:
                    form.add_error(None, too_fast.message)
                    status, limited = 429, too_fast
                except ActionRefused as refused:
                    form.add_error(None, refused.message)
                    status = refused.status
                else:
                    messages.success(request, _reacted(result))
                    return private(redirect(entry.links["thread"]))
    own = queries.own_reaction(post, _person(request))
    if form is None and refusal is None:
        initial = {"stance": own.stance, "reason": own.reason} if own else None
        form = ReactionForm(initial=initial)
        start_session(request)
    context = {
        **_base(request, instance, post.topic),
        "post": entry,
        "reasons": queries.reasons(post),
        "own": own,
        "form": form,
        "refusal": refusal.message if refusal else "",
        "needs_login": isinstance(refusal, NeedsLogin),
    }
    response = render(request, "discussion/react.html", context, status=status)
    if limited is not None:
        return _limited(response, limited)
    return private(response)


def _reacted(result: actions.ReactionResult) -> str:
    if not result.reason_shown:
        return _(
            "Your reaction is counted. Your reason is not shown yet: it seems to hold a "
            "personal number or contact details, so a moderator looks at it first."
        )
    if result.created:
        return _("Thank you. Your reaction and your reason are shown with the post.")
    return _("Your reaction is changed.")


# --- reporting a post ---------------------------------------------------------------------


def _reporter_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"session:{session_key(request)}"


def report(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """Report a published post to the municipality's moderators, with what is wrong."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    post = _shown_post(instance, pk)
    if post.contribution.moderation != ModerationState.PUBLISHED:
        raise Http404
    entry = queries.Entry(post=post)
    _link(entry, instance, request)
    form = ReportForm(request.POST if request.method == "POST" else None)
    context = {**_base(request, instance, post.topic), "post": entry, "form": form}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                ratelimit.check_client(request, "input", "report", instance.process_id)
                _report, created = do_report(
                    post.contribution,
                    form.cleaned_data["reason"],
                    form.cleaned_data["note"],
                    _reporter_key(request),
                )
            except ratelimit.Limited as limited:
                form.add_error(None, limited.message)
                return _limited(
                    render(request, "discussion/report.html", context, status=429), limited
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("Thank you. A moderator will look at the post.")
                    if created
                    else _("You have already reported this post. A moderator will look at it."),
                )
                return private(redirect(entry.links["thread"]))
    return private(render(request, "discussion/report.html", context, status=status))


# --- following a thread -------------------------------------------------------------------


def follow(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """Follow a thread: one button with an account's verified address; otherwise an e-mail
    address, confirmed by a link. POST ``action=unfollow`` stops (with an account)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    post = _shown_post(instance, pk)
    root = post.root or post
    entry = queries.Entry(post=root)
    _link(entry, instance, request)
    refusal = _refusal(request, actions.check_follow, instance, root.pk)
    user = request.user
    with_account = isinstance(user, User) and bool(contact.account_email(user))
    context: dict[str, Any] = {
        **_base(request, instance, root.topic),
        "post": entry,
        "with_account": with_account,
        "masked_address": contact.masked_email(contact.account_email(user)) if with_account else "",
        "following": queries.follows(root, user.pk if with_account else None),
    }
    if refusal is not None:
        context.update(refusal=refusal.message, needs_login=isinstance(refusal, NeedsLogin))
        return private(render(request, "discussion/follow.html", context, status=refusal.status))
    if request.method != "POST":
        context["form"] = None if with_account else FollowForm()
        return private(render(request, "discussion/follow.html", context))
    if with_account and isinstance(user, User):
        try:
            if request.POST.get("action") == "unfollow":
                actions.do_unfollow_with_account(user, instance, root.pk)
                messages.success(request, _("You no longer follow this thread."))
            else:
                actions.do_follow_with_account(user, instance, root.pk)
                messages.success(
                    request, _("You follow this thread. New replies come to your e-mail.")
                )
        except ActionRefused as refused:
            context.update(error=refused.message)
            return private(
                render(request, "discussion/follow.html", context, status=refused.status)
            )
        return private(redirect(entry.links["thread"]))
    form = FollowForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return private(render(request, "discussion/follow.html", context, status=400))
    if not ratelimit.allow_client(request, "email"):
        form.add_error(None, ratelimit.too_many_message())
        response = render(request, "discussion/follow.html", context, status=429)
        return private(ratelimit.retry_later(response, ratelimit.retry_after("email")))
    try:
        actions.do_request_follow(user, instance, root.pk, form.cleaned_data["email"])
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return private(render(request, "discussion/follow.html", context, status=refused.status))
    messages.success(
        request,
        _(
            "Check your e-mail: if the address can receive e-mail, we have sent a link to "
            "confirm that you want to follow the thread."
        ),
    )
    return private(redirect(entry.links["thread"]))


def _own_follow(instance: MethodInstance, follow: Any) -> bool:
    return bool(follow) and follow.root.contribution.method_instance_id == instance.pk


def follow_confirm(
    request: HttpRequest, instance: MethodInstance, pk: int, token: str
) -> HttpResponseBase:
    """The link in the confirmation e-mail: from now on, new replies come by e-mail."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    if not _own_follow(instance, links.follow_by_token(pk, token, links.CONFIRM)):
        raise Http404
    try:
        confirmed = actions.do_confirm_follow(pk, token)
    except ActionRefused as refused:
        raise Http404 from refused
    messages.success(request, _("You now follow this thread by e-mail."))
    root = confirmed.root
    return private(redirect(registry.instance_url(instance, "thread", pk=root.pk)))


def unfollow(
    request: HttpRequest, instance: MethodInstance, pk: int, token: str
) -> HttpResponseBase:
    """The stop link in a reply e-mail: GET asks, POST stops (a mail scanner that opens the
    link changes nothing)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    found = links.follow_by_token(pk, token, links.STOP)
    if not _own_follow(instance, found):
        raise Http404
    if request.method == "POST":
        try:
            root = actions.do_stop_following(pk, token)
        except ActionRefused as refused:
            raise Http404 from refused
        messages.success(request, _("You no longer follow this thread."))
        return private(redirect(registry.instance_url(instance, "thread", pk=root.pk)))
    assert found is not None
    context = {
        **_base(request, instance),
        "thread_url": registry.instance_url(instance, "thread", pk=found.root_id),
    }
    return private(render(request, "discussion/unfollow.html", context))


URLS: list[URLPattern | URLResolver] = [
    path("nytt/", new, name="new"),
    path("sporsmal/<int:pk>/", topic_page, name="topic"),
    path("innlegg/<int:pk>/", thread, name="thread"),
    path("innlegg/<int:pk>/svar/", reply, name="reply"),
    path("innlegg/<int:pk>/reaksjon/", react, name="react"),
    path("innlegg/<int:pk>/meld/", report, name="report"),
    path("innlegg/<int:pk>/folg/", follow, name="follow"),
    path("folg/<int:pk>/<str:token>/", follow_confirm, name="follow_confirm"),
    path("folg/<int:pk>/<str:token>/slutt/", unfollow, name="unfollow"),
]
