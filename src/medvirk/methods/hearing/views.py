"""Residents' pages of the høyring: the documents with their comments, the comment form,
the submission form, the public register, and the files (as downloads only).

Thin views: reads through ``queries``, writes through ``actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.core import ratelimit, uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, page_number, private
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.permissions import NeedsLogin
from medvirk.processes.types import MethodInstance

from . import actions, period, queries
from .forms import CommentForm, SubmissionForm
from .models import PlanStage

Check = Callable[[Any, MethodInstance], None]


def _refusal(check: Check, request: HttpRequest, instance: MethodInstance) -> ActionRefused | None:
    try:
        check(request.user, instance)
    except ActionRefused as refused:
        return refused
    return None


def _offered(refusal: ActionRefused | None) -> bool:
    """Show the way in: allowed now, or allowed after logging in."""
    return refusal is None or isinstance(refusal, NeedsLogin)


def _register_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("register_public", True))


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "page": instance.get_absolute_url(),
        "comment": plugin.url(instance, "comment"),
        "submit": plugin.url(instance, "submit"),
        "register": plugin.url(instance, "register"),
        "register_csv": plugin.export_url(instance, "register-csv"),
    }


# --- the main page ----------------------------------------------------------------------


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """The documents on consultation, numbered, with the comments beside the text."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    row = queries.hearing(instance)
    span = queries.period_of(instance, row)
    today = period.today()
    docs = queries.outline(queries.documents(instance))
    queries.attach_comments(docs, queries.public_comments(instance))
    plugin = registry.get(instance.method_key)
    for view in docs:
        view.url = plugin.url(instance, "document", pk=view.document.pk)
    comment_refusal = _refusal(actions.check_comment, request, instance)
    submit_refusal = _refusal(actions.check_submit, request, instance)
    stage = row.get_plan_stage_display() if row and row.plan_stage != PlanStage.NOT_PLAN else ""
    return render(
        request,
        "hearing/page.html",
        {
            "instance": instance,
            "process": instance.process,
            "hearing": row,
            "stage": stage,
            "period": span,
            "started": span.has_started(today),
            "late": span.is_late(today),
            "days_left": span.days_left(today),
            "documents": docs,
            "comments_on": actions.comments_on(instance),
            "comments_open": _offered(comment_refusal),
            "submissions_on": actions.submissions_on(instance),
            "can_submit": _offered(submit_refusal),
            "submit_refusal": submit_refusal.message if submit_refusal else "",
            "register_on": _register_on(instance),
            "urls": _urls(instance),
        },
    )


def document(request: HttpRequest, instance: MethodInstance, pk: int) -> FileResponse:
    """A document's PDF, as a download (never shown inline)."""
    found = queries.document(instance, pk)
    if found is None or not found.file:
        raise Http404
    name = found.file_name or f"{found.title}.pdf"
    return uploads.download_response(found.file, name, found.content_type)


# --- a comment on the text --------------------------------------------------------------


def comment(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET shows the form (the part chosen by ``?del=``); POST stores the comment."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    refusal = _refusal(actions.check_comment, request, instance)
    options = queries.parts(queries.documents(instance)) if refusal is None else []
    if refusal is None and not options:
        refusal = ActionRefused(_("There is no text to comment on yet."), status=403)
    own_address = contact.account_email(request.user)
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "urls": _urls(instance),
        "masked_address": contact.masked_email(own_address) if own_address else "",
    }
    if refusal is not None:
        context.update(refusal=refusal.message, needs_login=isinstance(refusal, NeedsLogin))
        return private(render(request, "hearing/comment.html", context, status=403))
    if request.method == "POST":
        form = CommentForm(request.POST, parts=options, account_email=own_address)
        chosen = queries.find_part(options, str(request.POST.get("part", "")))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                # Comments per client and page are limited (MEDVIRK_RATE_LIMITS["input"]).
                ratelimit.check_client(request, "input", instance.pk)
                receipt = actions.do_comment(
                    request.user,
                    instance,
                    part=data["part"],
                    text=data["text"],
                    author_name=data["author_name"],
                    show_name=data["show_name"],
                    contact_email=own_address or data.get("contact_email", ""),
                    is_minor=data["is_minor"],
                )
            except ratelimit.Limited as limited:
                form.add_error(None, limited.message)
                context.update(form=form, chosen=chosen)
                response = render(request, "hearing/comment.html", context, status=429)
                return private(ratelimit.retry_later(response, limited.retry_after))
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _comment_registered(receipt.contribution.contact_email))
                return private(redirect(receipt.contribution.receipt_url()))
    else:
        # ?del=p12 from a paragraph's link: that part chosen and quoted. Anything else is
        # ignored (the person chooses in the form).
        chosen = queries.find_part(options, str(request.GET.get("del", "")))
        form = CommentForm(
            initial={"part": chosen.key} if chosen else None,
            parts=options,
            account_email=own_address,
        )
        status = 200
    context.update(form=form, chosen=chosen)
    return private(render(request, "hearing/comment.html", context, status=status))


def _comment_registered(address: str) -> str:
    if address:
        return _(
            "Your comment is registered. We e-mail the receipt to %(address)s; this page is "
            "your receipt too."
        ) % {"address": contact.masked_email(address)}
    return _("Your comment is registered. Save this page's address: it is your receipt.")


# --- a formal submission ----------------------------------------------------------------


def submit(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET shows the submission form; POST stores the submission with its files."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    refusal = _refusal(actions.check_submit, request, instance)
    own_address = contact.account_email(request.user)
    span = queries.period_of(instance, queries.hearing(instance))
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "urls": _urls(instance),
        "period": span,
        "late": actions.will_be_late(instance),
        "max_files": actions.MAX_FILES,
        "masked_address": contact.masked_email(own_address) if own_address else "",
    }
    if refusal is not None:
        context.update(refusal=refusal.message, needs_login=isinstance(refusal, NeedsLogin))
        return private(render(request, "hearing/submit.html", context, status=403))
    if request.method != "POST":
        context["form"] = SubmissionForm(account_email=own_address)
        return private(render(request, "hearing/submit.html", context))
    form = SubmissionForm(request.POST, request.FILES, account_email=own_address)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        draft = actions.SubmissionDraft(
            text=data["text"],
            sender_kind=data["sender_kind"],
            author_name=data["author_name"],
            show_name=data["show_name"],
            organisation_name=data["organisation_name"],
            organisation_number=data["organisation_number"],
            is_minor=data["is_minor"],
            contact_email=own_address or data.get("contact_email", ""),
        )
        try:
            ratelimit.check_client(request, "input", instance.pk)
            receipt = actions.do_submit(request.user, instance, draft, data["attachments"])
        except ratelimit.Limited as limited:
            form.add_error(None, limited.message)
            context["form"] = form
            response = render(request, "hearing/submit.html", context, status=429)
            return private(ratelimit.retry_later(response, limited.retry_after))
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            messages.success(
                request, _submission_registered(receipt.contribution.contact_email, context["late"])
            )
            return private(redirect(receipt.contribution.receipt_url()))
    context["form"] = form
    return private(render(request, "hearing/submit.html", context, status=status))


def _submission_registered(address: str, late: bool) -> str:
    if address:
        text = _(
            "Your submission is registered. We e-mail the receipt to %(address)s; this page is "
            "your receipt too."
        ) % {"address": contact.masked_email(address)}
    else:
        text = _("Your submission is registered. Save this page's address: it is your receipt.")
    if late:
        text += " " + _(
            "It came after the deadline and is marked late. It is still received and answered."
        )
    return text


# --- the public register ----------------------------------------------------------------


def register(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """Every published submission, numbered, with the sender as shown and the answer."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    if not _register_on(instance):
        raise Http404
    data = queries.register(instance, page_number(request))
    return render(
        request,
        "hearing/register.html",
        {
            "instance": instance,
            "process": instance.process,
            "register": data,
            "urls": _urls(instance),
            "open_data": data.published > 0 and queries.has_published_submission(instance),
        },
    )


def register_item(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponse:
    """One submission of the register, on its own page (a link to share or cite)."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    if not _register_on(instance):
        raise Http404
    entry = queries.register_entry(instance, pk)
    if entry is None:
        raise Http404
    return render(
        request,
        "hearing/register_item.html",
        {
            "instance": instance,
            "process": instance.process,
            "entry": entry,
            "urls": _urls(instance),
        },
    )


def attachment(request: HttpRequest, instance: MethodInstance, pk: int) -> FileResponse:
    """A file given with a submission, as a download: for everyone while the submission is
    published in the register and the file is not withheld; staff who export see any."""
    found = queries.submission_file(instance, pk)
    if found is None:
        raise Http404
    file = found.attachment
    public = _register_on(instance) and found.published and not found.withheld
    if public:
        return uploads.download_response(file.file, file.name, file.content_type)
    municipality_id = instance.process.municipality_id
    if not capabilities.staff_can(request.user, "export", municipality_id):
        raise Http404
    actions.record_staff_download(request.user, instance, file)  # type: ignore[arg-type]
    return uploads.download_response(file.file, file.name, file.content_type, personal=True)


URLS: list[URLPattern | URLResolver] = [
    path("kommentar/", comment, name="comment"),
    path("innspel/", submit, name="submit"),
    path("dokument/<int:pk>/", document, name="document"),
    path("register/", register, name="register"),
    path("register/<int:pk>/", register_item, name="register_item"),
    path("vedlegg/<int:pk>/", attachment, name="attachment"),
]
