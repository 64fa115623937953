"""Staff: the moderation queue of a case, a search of its published input, and one input's
page where a moderator approves, rejects, hides or restores it (capability ``moderate``).

Every decision goes through ``contributions.actions`` (row-locked, audited, the author told);
a decision someone else made first is refused there (409) and the page says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise as StrPromise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.contributions import actions as contributions
from medvirk.contributions import queries as contribution_queries
from medvirk.contributions.types import Contribution, ModerationState, Report
from medvirk.core import audit_labels
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.identity.types import User
from medvirk.organisations import capabilities
from medvirk.vocabulary import Capability

from .access import acting, staff_contribution, staff_process
from .moderation_forms import HideForm, NoteForm, RejectForm, SearchForm

PAGE_SIZE = 50

TABS = {
    "pending": gettext_lazy("Awaiting approval"),
    "held": gettext_lazy("Held by screening"),
    "reported": gettext_lazy("Reported"),
    "hidden": gettext_lazy("Hidden"),
    "rejected": gettext_lazy("Not published"),
}


@dataclass(frozen=True)
class Decision:
    """One thing a moderator can do on the item page."""

    form: type[forms.Form]
    field: str  # the form's text field handed to the action
    act: Callable[[User, Contribution, str], object]
    done: StrPromise  # said after it worked
    states: frozenset[str]  # the input's states in which it is offered


DECISIONS: dict[str, Decision] = {
    "approve": Decision(
        NoteForm,
        "note",
        contributions.do_approve,
        gettext_lazy("The input is published. The author is told."),
        frozenset({ModerationState.PENDING, ModerationState.HELD}),
    ),
    "reject": Decision(
        RejectForm,
        "reason",
        contributions.do_reject,
        gettext_lazy("The input will not be published. The author is told."),
        frozenset({ModerationState.PENDING, ModerationState.HELD}),
    ),
    "hide": Decision(
        HideForm,
        "reason",
        contributions.do_hide,
        gettext_lazy(
            "The input is hidden, with the reason shown in its place. The author is told."
        ),
        frozenset({ModerationState.PUBLISHED}),
    ),
    "dismiss": Decision(
        NoteForm,
        "note",
        contributions.do_dismiss_reports,
        gettext_lazy("The reports are closed. The input stays published."),
        frozenset({ModerationState.PUBLISHED}),
    ),
    "restore": Decision(
        NoteForm,
        "note",
        contributions.do_restore,
        gettext_lazy("The input is published again. The author is told."),
        frozenset({ModerationState.HIDDEN, ModerationState.REJECTED}),
    ),
}


def _report_summary(reports: list[Report]) -> list[tuple[str, int]]:
    """Open reports by reason, most first: [(label, count)]."""
    counts = Counter(r.reason for r in reports)
    return [(str(Report.Reason(k).label), n) for k, n in counts.most_common()]


@login_required
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The lists of input a moderator deals with, and the search of published input."""
    process = staff_process(request, pk, Capability.MODERATE)
    counts = contribution_queries.moderation_counts(process)
    asked = request.GET.get("vis")
    if asked not in TABS:
        # Land where the work is: the first list of those that wait with anything in it.
        asked = next((k for k in ("pending", "held", "reported") if counts[k]), "pending")
    tab = contribution_queries.moderation_tab(asked)
    search = SearchForm(request.GET if "q" in request.GET else None)
    query = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    items = (
        contribution_queries.search_published(process, query)
        if query
        else contribution_queries.moderation_queue(process, tab)
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = [(c, _report_summary(getattr(c, "open_reports", []))) for c in page.object_list]
    return private(
        render(
            request,
            "staff/moderation.html",
            {
                "process": process,
                "tab": tab,
                "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
                "search": search,
                "query": query,
                "page": page,
                "rows": rows,
                "page_query": urlencode({"q": query} if query else {"vis": tab}),
            },
            status=400 if search.is_bound and not search.is_valid() else 200,
        )
    )


def _forms(
    contribution: Contribution, posted: str, data: Mapping[str, Any]
) -> dict[str, forms.Form]:
    """A form for each decision offered in the input's state; the posted one is bound."""
    offered = {
        key: d
        for key, d in DECISIONS.items()
        if contribution.moderation in d.states
        and (key != "dismiss" or contribution_queries.open_report_counts(contribution))
    }
    return {key: d.form(data if key == posted else None, prefix=key) for key, d in offered.items()}


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """One input with its reports and history, and the decisions its state allows."""
    contribution = staff_contribution(request, pk, Capability.MODERATE)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    decision_forms = _forms(contribution, posted, request.POST)
    status = 200
    if request.method == "POST":
        status = 400
        form = decision_forms.get(posted)
        if form is None:
            # A decision the state no longer offers (another moderator was first) or none.
            state = ModerationState(contribution.moderation).label
            messages.error(
                request,
                _("This cannot be done to input that is “%(state)s”. Nothing was changed.")
                % {"state": state},
            )
            status = 409 if posted in DECISIONS else 400
        elif form.is_valid():
            decision = DECISIONS[posted]
            try:
                decision.act(acting(request), contribution, form.cleaned_data[decision.field])
            except ActionRefused as refused:
                messages.error(request, refused.message)
                status = refused.status
            else:
                messages.success(request, str(decision.done))
                back = request.POST.get("back", "")
                if back in TABS:
                    url = reverse("staff:moderation", kwargs={"pk": contribution.process_id})
                    return redirect(f"{url}?{urlencode({'vis': back})}")
                return redirect("staff:moderation_item", pk=contribution.pk)
    return private(
        render(
            request,
            "staff/moderation_item.html",
            {
                "contribution": contribution,
                "process": contribution.process,
                "forms": decision_forms,
                "reports": list(contribution_queries.reports_of(contribution)[:200]),
                "report_counts": [
                    (str(Report.Reason(reason).label), n)
                    for reason, n in contribution_queries.open_report_counts(contribution)
                ],
                "history": [
                    (audit_labels.row(entry), entry.data)
                    for entry in contribution_queries.moderation_history(contribution)[:200]
                ],
                "can_respond": capabilities.staff_can(
                    request.user, Capability.RESPOND, contribution.process.municipality_id
                ),
            },
            status=status,
        )
    )
