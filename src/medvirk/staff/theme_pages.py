"""Themes across all of a case's input: suggestions made by grouping the texts (accepted
under a name the officer chooses), and the list of themes with their counts per method and
channel, where themes are renamed and merged. Answering a whole theme at once is on the
theme's own page (``staff.themes``), after a preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from medvirk.algorithms.text import themes as theme_text
from medvirk.contributions import actions as contribution_actions
from medvirk.contributions import queries as contribution_queries
from medvirk.contributions.types import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.processes.types import Process
from medvirk.vocabulary import Capability

from .access import acting, staff_process
from .inbox import private_page
from .theme_forms import AcceptSuggestionForm, MergeThemesForm, RenameThemeForm

# At most this many themes are suggested at once.
MAX_SUGGESTIONS = 8


@dataclass
class _Shown:
    """One suggestion as the page shows it."""

    number: int
    terms: list[str]
    size: int
    cohesion: float
    examples: list[Contribution]
    form: AcceptSuggestionForm


def _prefill(terms: list[str]) -> str:
    name = ", ".join(terms[:3])
    return name[:1].upper() + name[1:]


def _suggestions(
    process: Process, bound: tuple[int, AcceptSuggestionForm] | None
) -> tuple[list[_Shown], int, int]:
    """The suggestions to show, how many inputs with text were read and how many are in no
    suggestion."""
    texts = contribution_queries.texts_for_theme_suggestions(process)
    found = theme_text.suggest(texts, max_themes=MAX_SUGGESTIONS, min_size=2, seed=0)
    examples = contribution_queries.contributions_by_pks(
        process, [pk for s in found for pk in s.representative_ids]
    )
    shown = []
    for n, suggestion in enumerate(found):
        if bound is not None and bound[0] == n:
            form = bound[1]
        else:
            form = AcceptSuggestionForm(
                prefix=f"s{n}",
                initial={"name": _prefill(suggestion.label_terms), "ids": suggestion.member_ids},
            )
        shown.append(
            _Shown(
                number=n,
                terms=suggestion.label_terms,
                size=suggestion.size,
                cohesion=suggestion.cohesion,
                examples=[examples[pk] for pk in suggestion.representative_ids if pk in examples],
                form=form,
            )
        )
    sorted_ = sum(s.size for s in found)
    return shown, len(texts), len(texts) - sorted_


def _which(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else None


@login_required
@require_http_methods(["GET", "POST"])
def theme_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """«Foreslå tema»: the case's input grouped by what it says; accept a group as a theme."""
    process = staff_process(request, pk, Capability.RESPOND)
    bound: tuple[int, AcceptSuggestionForm] | None = None
    status = 200
    if request.method == "POST":
        which = _which(request.POST.get("which", ""))
        if which is None:
            messages.error(request, _("The form was not understood. Nothing was changed."))
            status = 400
        else:
            form = AcceptSuggestionForm(request.POST, prefix=f"s{which}")
            bound, status = (which, form), 400
            if form.is_valid():
                try:
                    theme = contribution_actions.do_accept_theme(
                        acting(request),
                        process,
                        form.cleaned_data["name"],
                        form.cleaned_data["ids"],
                    )
                except ActionRefused as refused:
                    messages.error(request, refused.message)
                    status = refused.status
                else:
                    n = theme.contributions.count()
                    messages.success(
                        request,
                        ngettext(
                            "The theme “%(name)s” was made with %(n)d input.",
                            "The theme “%(name)s” was made with %(n)d inputs.",
                            n,
                        )
                        % {"name": theme.name, "n": n},
                    )
                    return redirect("staff:theme", pk=process.pk, theme_pk=theme.pk)
    shown, read, unsorted = _suggestions(process, bound)
    return private_page(
        render(
            request,
            "staff/theme_suggestions.html",
            {"process": process, "suggestions": shown, "read": read, "unsorted": unsorted},
            status=status,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's themes and groups with their counts; rename one, or merge two."""
    process = staff_process(request, pk, Capability.RESPOND)
    counts = contribution_queries.theme_counts(process, _("The case as a whole"))
    by_pk = {c.theme.pk: c.theme for c in counts}
    choices = [(str(c.theme.pk), f"{c.theme.name} ({c.total})") for c in counts]
    sent = request.POST.get("form", "") if request.method == "POST" else ""
    merge_form = MergeThemesForm(request.POST if sent == "merge" else None, themes=choices)
    renamed: tuple[int, RenameThemeForm] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        staff = acting(request)
        try:
            if sent == "rename":
                which = _which_theme(request.POST.get("theme", ""))
                theme = by_pk.get(which) if which is not None else None
                if theme is None:
                    raise ActionRefused(_("This theme or group no longer exists."), status=409)
                form = RenameThemeForm(request.POST, prefix=f"r{theme.pk}")
                renamed = (theme.pk, form)
                if form.is_valid():
                    before = theme.name
                    done = contribution_actions.do_rename_theme(
                        staff, process, theme, form.cleaned_data["name"]
                    )
                    messages.success(
                        request,
                        _("“%(before)s” is now called “%(name)s”.")
                        % {"before": before, "name": done.name},
                    )
                    return redirect("staff:themes", pk=process.pk)
            elif sent == "merge":
                if merge_form.is_valid():
                    source = by_pk.get(int(merge_form.cleaned_data["source"]))
                    target = by_pk.get(int(merge_form.cleaned_data["target"]))
                    if source is None or target is None:
                        raise ActionRefused(_("This theme or group no longer exists."), status=409)
                    name = source.name
                    into = contribution_actions.do_merge_themes(staff, process, source, target)
                    messages.success(
                        request,
                        _("“%(name)s” was merged into “%(into)s”.")
                        % {"name": name, "into": into.name},
                    )
                    return redirect("staff:themes", pk=process.pk)
            else:
                raise ActionRefused(_("The form was not understood. Nothing was changed."))
        except ActionRefused as refused:
            messages.error(request, refused.message)
            status = refused.status
    rows = []
    for c in counts:
        if renamed is not None and renamed[0] == c.theme.pk:
            form = renamed[1]
        else:
            form = RenameThemeForm(prefix=f"r{c.theme.pk}", initial={"name": c.theme.name})
        rows.append({"counts": c, "rename": form, "inbox_query": f"vis=all&tema={c.theme.pk}"})
    return private_page(
        render(
            request,
            "staff/themes.html",
            {
                "process": process,
                "rows": rows,
                "merge_form": merge_form,
                "inbox_url": reverse("staff:inbox", kwargs={"pk": process.pk}),
            },
            status=status,
        )
    )


def _which_theme(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
