"""Staff inbox: a case's input, searched and filtered, sorted into themes and duplicate
groups and assigned; each input answered on its own page ("save and next" walks the same
filtered list). One text for many inputs is sent only to a group (``staff.themes``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from medvirk.accountability import actions as accountability
from medvirk.accountability import inbox as inbox_actions
from medvirk.accountability import inbox_queries
from medvirk.accountability import queries as accountability_queries
from medvirk.accountability.inbox_queries import InboxFilter
from medvirk.accountability.types import ResponseStatus
from medvirk.contributions.types import Contribution, Theme, ThemeKind
from medvirk.core.errors import ActionRefused
from medvirk.identity.types import User
from medvirk.processes.types import Process
from medvirk.vocabulary import Capability

from .access import acting, staff_contribution, staff_process
from .inbox_forms import (
    BULK_ADD,
    BULK_ASSIGN,
    BULK_REMOVE,
    AnswerForm,
    AssignForm,
    BulkActionForm,
    InboxFilterForm,
    NoteForm,
    TemplatePickForm,
    ThemePickForm,
    officer_choices,
    theme_choices,
)

PAGE_SIZE = 50


def private_page(response: HttpResponse) -> HttpResponse:
    """Answer forms show residents' input and officers' drafts: no shared caches, no Referer
    to other sites ("same-origin": "no-referrer" makes the form post ``Origin: null``, which
    the CSRF check refuses)."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def parse_version(raw: str | None) -> int | None:
    """A posted answer version (a small whole number), else None."""
    if raw is None or not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        return None
    return int(raw)


def officers_answer(status: str, reason: str) -> dict[str, str]:
    return {"status": str(ResponseStatus(status).label), "reason": reason.strip()}


class _Lists:
    """The case's themes and the municipality's officers, read once per request: the filter
    form, the bulk form and the page all show them."""

    def __init__(self, process: Process) -> None:
        self.themes: list[Theme] = list(inbox_queries.themes_of(process))
        self.officers: list[User] = list(inbox_queries.assignable_officers(process.municipality_id))
        self.theme_choices = theme_choices(self.themes)
        self.officer_choices = officer_choices(self.officers)

    def theme(self, pk: int | None) -> Theme | None:
        return next((t for t in self.themes if t.pk == pk), None)

    def officer(self, raw: str) -> User | None:
        return next((u for u in self.officers if str(u.pk) == raw), None)

    def filter_form(self, process: Process, data: object) -> InboxFilterForm:
        return InboxFilterForm(
            process, data, themes=self.theme_choices, officers=self.officer_choices
        )


def list_query(chosen: InboxFilter) -> str:
    """The filter as an address query (``vis=…&tema=…``): links carry it."""
    return urlencode(chosen.as_query())


def _inbox_url(process: Process, query: str, page: int | str | None = None) -> str:
    url = f"{reverse('staff:inbox', kwargs={'pk': process.pk})}?{query}"
    return f"{url}&side={page}" if page and str(page) != "1" else url


def _contribution_url(pk: int, query: str) -> str:
    return f"{reverse('staff:contribution', kwargs={'pk': pk})}?{query}"


def _inbox_page(
    request: HttpRequest,
    process: Process,
    lists: _Lists,
    filter_form: InboxFilterForm,
    chosen_filter: InboxFilter,
    *,
    bulk_form: BulkActionForm | None = None,
    ticked: frozenset[int] = frozenset(),
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    items = inbox_queries.inbox_items(process, chosen_filter, acting(request))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("side"))
    return private_page(
        render(
            request,
            "staff/inbox.html",
            {
                "process": process,
                "page": page,
                "filter_form": filter_form,
                "chosen_filter": chosen_filter,
                "query": list_query(chosen_filter),
                "bulk_form": bulk_form
                or BulkActionForm(themes=lists.theme_choices, officers=lists.officer_choices),
                "ticked": ticked,
                "bulk_errors": errors or [],
                "groups": lists.themes,
                "answer_days": inbox_queries.answer_days(),
            },
            status=status,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest, pk: int) -> HttpResponse:
    """The list (GET, filters in the address); a POST is a bulk action on ticked input."""
    process = staff_process(request, pk, Capability.RESPOND)
    lists = _Lists(process)
    filter_form = lists.filter_form(process, request.GET)
    chosen_filter = filter_form.chosen()
    if request.method == "POST":
        return _bulk(request, process, lists, filter_form, chosen_filter)
    return _inbox_page(request, process, lists, filter_form, chosen_filter)


def _ticked(request: HttpRequest) -> frozenset[int]:
    """The boxes ticked when the form was sent, to tick them again if the action fails."""
    return frozenset(
        int(v) for v in request.POST.getlist("ids") if v.isascii() and v.isdigit() and len(v) < 10
    )


def _form_errors(form: BulkActionForm) -> list[str]:
    out = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields and field != "ids" else ""
        out += [f"{label}: {error}" if label else str(error) for error in errors]
    return out


def _bulk(
    request: HttpRequest,
    process: Process,
    lists: _Lists,
    filter_form: InboxFilterForm,
    chosen_filter: InboxFilter,
) -> HttpResponse:
    """Sort or assign the ticked input. Any failure changes nothing and shows the same
    list with the same boxes ticked and the reason."""
    form = BulkActionForm(request.POST, themes=lists.theme_choices, officers=lists.officer_choices)
    errors: list[str] = []
    status = 400
    if not form.is_valid():
        errors = _form_errors(form)
    else:
        data = form.cleaned_data
        staff, ids, action = acting(request), data["ids"], data["action"]
        try:
            done = _run_bulk(staff, process, lists, form, ids, action)
        except ActionRefused as refused:
            errors, status = [refused.message], refused.status
        else:
            messages.success(request, done)
            return redirect(_inbox_url(process, list_query(chosen_filter), request.GET.get("side")))
    return _inbox_page(
        request,
        process,
        lists,
        filter_form,
        chosen_filter,
        bulk_form=form,
        ticked=_ticked(request),
        errors=errors,
        status=status,
    )


def _run_bulk(
    staff: User,
    process: Process,
    lists: _Lists,
    form: BulkActionForm,
    ids: list[int],
    action: str,
) -> str:
    """Do one bulk action; the message to show on success."""
    data = form.cleaned_data
    if action in (BULK_ADD, BULK_REMOVE):
        picked = form.picked_theme()
        theme = lists.theme(picked)
        if picked is not None and theme is None:
            raise ActionRefused(_("This theme or group no longer exists."))
        if action == BULK_ADD:
            target = inbox_actions.do_add_to_theme(
                staff,
                process,
                ids,
                theme=theme,
                new_name="" if theme else data.get("new_name", ""),
                kind=data.get("kind") or ThemeKind.DUPLICATES,
            )
            return ngettext(
                "%(n)d input is in “%(name)s”.", "%(n)d inputs are in “%(name)s”.", len(ids)
            ) % {"n": len(ids), "name": target.name}
        assert theme is not None  # the form requires one for removal
        removed = inbox_actions.do_remove_from_theme(staff, process, ids, theme)
        return ngettext(
            "%(n)d input was taken out of “%(name)s”.",
            "%(n)d inputs were taken out of “%(name)s”.",
            removed,
        ) % {"n": removed, "name": theme.name}
    assignee = lists.officer(data.get("assignee") or "") if action == BULK_ASSIGN else None
    if action == BULK_ASSIGN and assignee is None:
        raise ActionRefused(_("Choose who gets the input."))
    inbox_actions.do_assign(staff, process, ids, assignee)
    if assignee is None:
        return ngettext(
            "%(n)d input is now assigned to nobody.",
            "%(n)d inputs are now assigned to nobody.",
            len(ids),
        ) % {"n": len(ids)}
    return ngettext(
        "%(n)d input is assigned to %(who)s.", "%(n)d inputs are assigned to %(who)s.", len(ids)
    ) % {"n": len(ids), "who": assignee.get_full_name() or assignee.get_username()}


# -- one input --------------------------------------------------------------------------


class _Page:
    """The forms of the contribution page, bound to the one that was sent."""

    def __init__(
        self,
        request: HttpRequest,
        lists: _Lists,
        templates: list[tuple[str, str]],
        contribution: Contribution,
    ) -> None:
        sent = request.POST.get("form", "") if request.method == "POST" else ""
        post = request.POST
        self.sent = sent
        self.then = post.get("then", "save") if sent == "respond" else ""
        self.template = TemplatePickForm(post if sent == "respond" else None, templates=templates)
        answering = sent == "respond" and self.then != "template"
        self.answer = AnswerForm(post if answering else None)
        self.note = NoteForm(post if sent == "note" else None)
        self.assign = AssignForm(
            post if sent == "assign" else None,
            officers=lists.officer_choices,
            initial={"assignee": str(contribution.assigned_to_id or "")},
        )
        self.theme = ThemePickForm(
            post if sent == "theme" else None, themes=lists.theme_choices, prefix="theme"
        )


def _prefill(page: _Page, municipality_id: int) -> None:
    """ "Use template": the answer form starts from the chosen template (nothing is saved)."""
    raw = page.template.cleaned_data.get("template") if page.template.is_valid() else ""
    template = inbox_queries.answer_template_of(municipality_id, int(raw)) if raw else None
    if template is None:
        raise ActionRefused(_("Choose a template first."))
    kept = str(page.template.data.get("status", ""))
    page.answer = AnswerForm(initial={"status": template.status or kept, "reason": template.text})


def _side_form(
    request: HttpRequest, page: _Page, lists: _Lists, contribution: Contribution
) -> str | None:
    """Save a note, the assignment or a theme of one input: the message on success, None
    when the form shows its own errors; ``ActionRefused`` when the action says no."""
    staff, process = acting(request), contribution.process
    if page.sent == "note":
        if not page.note.is_valid():
            return None
        inbox_actions.do_add_note(staff, contribution, page.note.cleaned_data["text"])
        return _("The note was added.")
    if page.sent == "assign":
        if not page.assign.is_valid():
            return None
        assignee = lists.officer(page.assign.cleaned_data.get("assignee") or "")
        inbox_actions.do_assign(staff, process, [contribution.pk], assignee)
        return _("The assignment was saved.")
    if page.sent == "theme":
        if not page.theme.is_valid():
            return None
        picked = page.theme.picked_theme()
        theme = lists.theme(picked)
        if picked is not None and theme is None:
            raise ActionRefused(_("This theme or group no longer exists."))
        target = inbox_actions.do_add_to_theme(
            staff,
            process,
            [contribution.pk],
            theme=theme,
            new_name="" if theme else page.theme.cleaned_data.get("new_name", ""),
            kind=page.theme.cleaned_data.get("kind") or ThemeKind.THEME,
        )
        return _("Added to “%(name)s”.") % {"name": target.name}
    if page.sent == "untheme":
        raw = request.POST.get("theme", "")
        valid = raw.isascii() and raw.isdigit() and len(raw) < 10
        theme = lists.theme(int(raw)) if valid else None
        if theme is None:
            raise ActionRefused(_("This theme or group no longer exists."))
        inbox_actions.do_remove_from_theme(staff, process, [contribution.pk], theme)
        return _("Taken out of “%(name)s”.") % {"name": theme.name}
    raise ActionRefused(_("The form was not understood. Nothing was changed."))


@login_required
@require_http_methods(["GET", "POST"])
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = staff_contribution(request, pk, Capability.RESPOND)
    process = contribution.process
    staff = acting(request)
    lists = _Lists(process)
    chosen_filter = lists.filter_form(process, request.GET).chosen()
    query = list_query(chosen_filter)
    here = _contribution_url(contribution.pk, query)
    municipality_id = process.municipality_id
    templates = list(inbox_queries.answer_templates(municipality_id))
    page = _Page(request, lists, [(str(t.pk), t.title) for t in templates], contribution)
    response = accountability_queries.response_to(contribution)
    shown = response is not None and response.status != ResponseStatus.RECEIVED
    if response is not None and shown and not page.answer.is_bound and page.then != "template":
        page.answer = AnswerForm(initial={"status": response.status, "reason": response.reason})
    # The answer version the officer saw: the form carries it back, also through errors.
    version = response.version if response else 0
    if page.sent == "respond":
        version = parse_version(request.POST.get("version")) or 0
    conflict: dict[str, object] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if page.sent == "respond" and page.then == "template":
                _prefill(page, municipality_id)
                status = 200
            elif page.sent == "respond" and page.answer.is_valid():
                accountability.do_respond(
                    staff,
                    process,
                    [contribution.pk],
                    page.answer.cleaned_data["status"],
                    page.answer.cleaned_data["reason"],
                    versions={contribution.pk: version},
                )
                messages.success(request, _("The answer was saved. The author is told."))
                if page.then == "next":
                    following = inbox_queries.next_in_list(
                        process, chosen_filter, staff, contribution
                    )
                    if following is None:
                        messages.info(request, _("That was the last input in this list."))
                        return redirect(_inbox_url(process, query))
                    return redirect(_contribution_url(following, query))
                return redirect(here)
            elif page.sent != "respond":
                done = _side_form(request, page, lists, contribution)
                if done is not None:
                    messages.success(request, done)
                    return redirect(f"{here}#notes" if page.sent == "note" else here)
        except accountability.ResponseConflict as refused:
            # Nothing saved. Both texts are shown; the form keeps the officer's and now
            # carries the version saved, so sending it again replaces that one on purpose.
            response = accountability_queries.response_to(contribution)
            version = response.version if response else 0
            conflict = {
                "message": refused.message,
                "saved": response,
                "yours": officers_answer(
                    page.answer.cleaned_data["status"], page.answer.cleaned_data["reason"]
                ),
            }
            status = refused.status
        except ActionRefused as refused:
            messages.error(request, refused.message)
            status = refused.status
    return private_page(
        render(
            request,
            "staff/contribution.html",
            {
                "contribution": contribution,
                "process": process,
                "response": response,
                "forms": page,
                "version": version,
                "conflict": conflict,
                "query": query,
                "list_url": _inbox_url(process, query),
                "next_pk": inbox_queries.next_in_list(process, chosen_filter, staff, contribution),
                "themes": list(inbox_queries.themes_of_contribution(contribution)),
                "notes": list(inbox_queries.notes_of(contribution)),
                "has_templates": bool(templates),
            },
            status=status,
        )
    )
