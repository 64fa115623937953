"""Staff pages of participatory budgeting.

The editor (the plug-in's ``staff_editor``, at /stab/sak/<pk>/metode/<m>/innhald/; the core
checked ``manage_process``) shows the stage, every idea and project with its review, the
vote (open it by hand; "Close the vote and count"), the ballots cast, the voting group and
the count. The other pages live under the instance's address (``stab/…``), served by the
public dispatcher, so each checks the capability itself: not logged in → the login page;
logged in without it → 403 with the reason.

- ``stab/prosjekt/<number>/``: review one idea (cost, accept, reject, merge) and, once it
  is funded, its follow-up (progress, dated updates with a photo);
- ``stab/nytt-prosjekt/``: add a project directly;
- ``stab/kodar/``: voting codes per class or group; ``stab/kodar/<id>/`` the printable list
  (its showing is audited).

Every change is a POST that redirects; errors answer 400 (or the refusal's status).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, ballots, keys, queries, staff_actions, stages
from .config import CODES, GROUP, rules_of
from .forms import (
    CodesForm,
    ConfirmForm,
    OpenVoteForm,
    ProgressForm,
    ProjectForm,
    ReviewForm,
    VoterGroupForm,
)
from .models import Project

METHOD_KEY = actions.METHOD_KEY


def _gate(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase | None:
    """None when the person may use the budget's staff pages; else login or a 403."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not method_pages.can(request, instance, Capability.MANAGE_PROCESS):
        reason = _(
            "This page is for the municipality's staff who run the case. Your role in "
            "%(municipality)s does not include that."
        ) % {"municipality": instance.process.municipality.name}
        context = {"instance": instance, "process": instance.process, "reason": reason}
        return private(render(request, "budgeting/staff_refused.html", context, status=403))
    return None


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "editor": method_pages.editor_url(instance),
        "preview": instance.get_absolute_url(),
        "results": plugin.url(instance, "results"),
        "add": plugin.url(instance, "staff_add"),
        "codes": plugin.url(instance, "staff_codes"),
        "inbox": reverse("staff:inbox", kwargs={"pk": instance.process_id})
        + f"?metode={instance.pk}",
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
        "staff_csv": plugin.export_url(instance, "prosjekt-stab-csv"),
    }


def _staff_project_url(instance: MethodInstance, number: int) -> str:
    return registry.instance_url(instance, "staff_project", number=number)


# -- the editor ----------------------------------------------------------------------------


EDITOR_ACTIONS = ("open", "close", "group")


def _groups(instance: MethodInstance) -> list[tuple[str, str]]:
    return [(g.key, str(g.label)) for g in registry.voter_groups(instance.process.municipality)]


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if instance.method_key != METHOD_KEY:
        raise Http404
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    forms: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        if action not in EDITOR_ACTIONS:
            return _editor(
                request,
                instance,
                page_error=_("The form did not say what to do. Reload the page and try again."),
                status=400,
            )
        done = {"open": _post_open, "close": _post_close, "group": _post_group}[action](
            request, instance, forms
        )
        if done is not None:
            return done
        status = 400
        for form in forms.values():
            refused = getattr(form, "refused_status", None)
            if refused:
                status = refused
    return _editor(request, instance, forms=forms, status=status)


def _editor(
    request: HttpRequest,
    instance: MethodInstance,
    *,
    forms: dict[str, Any] | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    rules = rules_of(instance)
    election = queries.election(instance)
    stage = actions.stage_of(instance, election)
    projects = list(queries.staff_projects(instance))
    counts = queries.ballot_counts(instance)
    groups = _groups(instance) if rules.voters == GROUP else []
    group_label = dict(groups).get(rules.voter_group, "")
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "rules": rules,
        "stage": stage,
        "stage_label": stages.label(stage),
        "election": election,
        "rows": [
            {
                "project": p,
                "url": _staff_project_url(instance, p.number),
                "cost": ballots.kr(p.cost) if p.cost is not None else "",
                "proposed_cost": ballots.kr(p.proposed_cost) if p.proposed_cost is not None else "",
            }
            for p in projects
        ],
        "waiting": sum(1 for p in projects if p.status == "proposed"),
        "on_ballot": sum(1 for p in projects if p.status == "accepted"),
        "ballots_total": sum(counts.values()),
        "ballot_counts": [(d, counts.get(d, 0), ballots.kr(b)) for d, b in rules.elections()],
        "budgets": [(d, ballots.kr(b)) for d, b in rules.elections()],
        "can_open": stage in (stages.Stage.UPCOMING, stages.Stage.IDEAS, stages.Stage.REVIEW)
        and not (election and election.closed_at),
        "can_close": stage in (stages.Stage.VOTE, stages.Stage.RESULTS)
        and not (election and election.closed_at),
        "counted": bool(election and election.counted_at),
        "counting": bool(election and election.closed_at and not election.counted_at),
        "groups": groups,
        "group_label": group_label,
        "page_error": page_error,
        "urls": _urls(instance),
        "open_form": OpenVoteForm(
            initial={"closes_at": timezone.localtime() + dt.timedelta(days=7)}
        ),
        "close_form": ConfirmForm(prefix="close"),
        "group_form": VoterGroupForm(groups=groups, initial={"group": rules.voter_group}),
        "codes_mode": rules.voters == CODES,
        "group_mode": rules.voters == GROUP,
        **(forms or {}),
    }
    return private(render(request, "budgeting/staff_editor.html", context, status=status))


def _refused_on(form: Any, refused: ActionRefused) -> None:
    if refused.status == 404:
        raise Http404 from refused
    form.add_error(None, refused.message)
    form.refused_status = refused.status


def _post_open(
    request: HttpRequest, instance: MethodInstance, forms: dict[str, Any]
) -> HttpResponseBase | None:
    form = OpenVoteForm(request.POST)
    forms["open_form"] = form
    if not form.is_valid():
        return None
    try:
        election = staff_actions.do_open_vote(
            method_pages.staff_user(request), instance, form.cleaned_data["closes_at"]
        )
    except ActionRefused as refused:
        _refused_on(form, refused)
        return None
    assert election.closes_at is not None
    messages.success(
        request,
        _("The vote is open until %(when)s.")
        % {"when": timezone.localtime(election.closes_at).strftime("%d.%m.%Y %H:%M")},
    )
    return HttpResponseRedirect(method_pages.editor_url(instance))


def _post_close(
    request: HttpRequest, instance: MethodInstance, forms: dict[str, Any]
) -> HttpResponseBase | None:
    form = ConfirmForm(request.POST, prefix="close")
    forms["close_form"] = form
    if not form.is_valid():
        return None
    try:
        staff_actions.do_close_vote(method_pages.staff_user(request), instance)
    except ActionRefused as refused:
        _refused_on(form, refused)
        return None
    election = queries.election(instance)
    counted = bool(election and election.counted_at)
    messages.success(
        request,
        _("The vote is closed and counted. The result is published.")
        if counted
        else _("The vote is closed. The votes are being counted; the result is published then."),
    )
    return HttpResponseRedirect(method_pages.editor_url(instance))


def _post_group(
    request: HttpRequest, instance: MethodInstance, forms: dict[str, Any]
) -> HttpResponseBase | None:
    form = VoterGroupForm(request.POST, groups=_groups(instance))
    forms["group_form"] = form
    if not form.is_valid():
        return None
    try:
        staff_actions.do_choose_voter_group(
            method_pages.staff_user(request), instance, form.cleaned_data["group"]
        )
    except ActionRefused as refused:
        _refused_on(form, refused)
        return None
    messages.success(request, _("The voting group is saved."))
    return HttpResponseRedirect(method_pages.editor_url(instance))


# -- one project ---------------------------------------------------------------------------


def _project_or_404(instance: MethodInstance, number: int) -> Project:
    found = queries.staff_project(instance, number)
    if found is None:
        raise Http404
    return found


def _review_form(instance: MethodInstance, project: Project, data: Any = None) -> ReviewForm:
    rules = rules_of(instance)
    initial = {
        "decision": {"accepted": "accept", "rejected": "reject", "merged": "merge"}.get(
            project.status, ""
        ),
        "title": project.title,
        "description": project.description,
        "cost": project.cost if project.cost is not None else project.proposed_cost,
        "district": project.district,
    }
    return ReviewForm(
        data,
        districts=rules.district_names,
        targets=queries.merge_targets(instance, project.number),
        initial=initial,
    )


def staff_project(request: HttpRequest, instance: MethodInstance, number: int) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    project = _project_or_404(instance, number)
    review_form = _review_form(instance, project)
    progress_form = ProgressForm()
    status = 200
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        if action == "review":
            review_form = _review_form(instance, project, request.POST)
            done = _post_review(request, instance, project, review_form)
        elif action == "progress":
            progress_form = ProgressForm(request.POST, request.FILES)
            done = _post_progress(request, instance, project, progress_form)
        else:
            raise Http404
        if done is not None:
            return done
        status = (
            getattr(review_form, "refused_status", None)
            or getattr(progress_form, "refused_status", None)
            or 400
        )
        project = _project_or_404(instance, number)
    stage = actions.stage_of(instance)
    context = {
        "instance": instance,
        "process": instance.process,
        "project": project,
        "rules": rules_of(instance),
        "stage": stage,
        "can_review": stage in (stages.Stage.UPCOMING, stages.Stage.IDEAS, stages.Stage.REVIEW)
        and project.status != "merged"
        and not queries.ballot_counts(instance),
        "review_form": review_form,
        "progress_form": progress_form,
        "response": getattr(project.contribution, "response", None)
        if project.contribution
        else None,
        "public_url": registry.instance_url(instance, "project", number=project.number),
        "merged_into_url": _staff_project_url(instance, project.merged_into.number)
        if project.merged_into
        else "",
        "updates": list(project.updates.all()),
        "cost": ballots.kr(project.cost) if project.cost is not None else "",
        "proposed_cost": ballots.kr(project.proposed_cost)
        if project.proposed_cost is not None
        else "",
        "urls": _urls(instance),
    }
    return private(render(request, "budgeting/staff_project.html", context, status=status))


def _post_review(
    request: HttpRequest, instance: MethodInstance, project: Project, form: ReviewForm
) -> HttpResponseBase | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    review = staff_actions.Review(
        decision=data["decision"],
        ballotline=staff_actions.Ballotline(
            title=data.get("title") or "",
            description=data.get("description") or "",
            cost=data.get("cost"),
            district=data.get("district") or "",
        ),
        reason=data.get("reason") or "",
        refusal=data.get("refusal") or "not_adopted",
        merge_into=int(data["merge_into"]) if data.get("merge_into") else None,
    )
    try:
        staff_actions.do_review(method_pages.staff_user(request), instance, project.number, review)
    except ActionRefused as refused:
        _refused_on(form, refused)
        return None
    messages.success(
        request,
        {
            "accept": _("The project is on the ballot. The author has your answer."),
            "reject": _("The idea is not on the ballot. The author has your answer."),
            "merge": _("The idea is merged. The author has your answer."),
        }[data["decision"]],
    )
    return HttpResponseRedirect(method_pages.editor_url(instance) + f"#prosjekt-{project.number}")


def _post_progress(
    request: HttpRequest, instance: MethodInstance, project: Project, form: ProgressForm
) -> HttpResponseBase | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        staff_actions.do_update_progress(
            method_pages.staff_user(request),
            instance,
            project.number,
            staff_actions.Progress(
                delivery=data["delivery"],
                text=data["text"],
                date=data["date"],
                photo=data.get("photo"),
                photo_alt=data.get("photo_alt") or "",
            ),
        )
    except ActionRefused as refused:
        _refused_on(form, refused)
        return None
    messages.success(request, _("The update is published on the project's page."))
    return HttpResponseRedirect(_staff_project_url(instance, project.number) + "#oppfolging")


# -- adding a project ----------------------------------------------------------------------


def staff_add(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    rules = rules_of(instance)
    form = ProjectForm(request.POST or None, districts=rules.district_names)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = staff_actions.do_add_project(
                    method_pages.staff_user(request),
                    instance,
                    staff_actions.Ballotline(
                        title=data["title"],
                        description=data.get("description") or "",
                        cost=data["cost"],
                        district=data.get("district") or "",
                    ),
                )
            except ActionRefused as refused_add:
                if refused_add.status == 404:
                    raise Http404 from refused_add
                form.add_error(None, refused_add.message)
                status = refused_add.status
            else:
                messages.success(request, _("The project is on the ballot."))
                return HttpResponseRedirect(
                    method_pages.editor_url(instance) + f"#prosjekt-{project.number}"
                )
    context = {
        "instance": instance,
        "process": instance.process,
        "form": form,
        "urls": _urls(instance),
    }
    return private(render(request, "budgeting/staff_add.html", context, status=status))


# -- voting codes ----------------------------------------------------------------------------


def staff_codes(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    rules = rules_of(instance)
    form = CodesForm(districts=rules.district_names)
    status = 200
    page_error = ""
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        staff = method_pages.staff_user(request)
        if action == "void":
            raw = str(request.POST.get("batch", ""))
            try:
                if not raw.isdigit():
                    raise ActionRefused(_("This list of codes is not in this budget."), status=404)
                voided = staff_actions.do_void_unused(staff, instance, int(raw))
            except ActionRefused as refused_void:
                page_error, status = refused_void.message, refused_void.status
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d unused code is voided.", "%(n)d unused codes are voided.", voided
                    )
                    % {"n": voided},
                )
                return HttpResponseRedirect(registry.instance_url(instance, "staff_codes"))
        elif action == "make":
            form = CodesForm(request.POST, districts=rules.district_names)
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    batch = staff_actions.do_make_codes(
                        staff,
                        instance,
                        label=data["label"],
                        count=data["count"],
                        district=data.get("district") or "",
                    )
                except ActionRefused as refused_make:
                    form.add_error(None, refused_make.message)
                    status = refused_make.status
                else:
                    messages.success(request, _("The codes are made. Print the list below."))
                    return HttpResponseRedirect(
                        registry.instance_url(instance, "staff_code_list", pk=batch.pk)
                    )
        else:
            page_error, status = _("The form did not say what to do."), 400
    context = {
        "instance": instance,
        "process": instance.process,
        "form": form,
        "rows": [
            (row, registry.instance_url(instance, "staff_code_list", pk=row.batch.pk))
            for row in queries.batches(instance)
        ],
        "codes_mode": rules.voters == CODES,
        "page_error": page_error,
        "urls": _urls(instance),
    }
    return private(render(request, "budgeting/staff_codes.html", context, status=status))


def staff_code_list(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """The printable list: one slip per code, with where to vote."""
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    batch = queries.batch_of(instance, pk)
    if batch is None:
        raise Http404
    staff_actions.record_codes_shown(method_pages.staff_user(request), instance, batch)
    vote_url = request.build_absolute_uri(registry.instance_url(instance, "vote"))
    context = {
        "instance": instance,
        "process": instance.process,
        "batch": batch,
        "codes": [(keys.shown(c.code), c) for c in queries.codes_of(batch)],
        "vote_url": vote_url,
        "urls": _urls(instance),
    }
    return private(render(request, "budgeting/staff_code_list.html", context))


URLS: list[URLPattern | URLResolver] = [
    path("stab/prosjekt/<int:number>/", staff_project, name="staff_project"),
    path("stab/nytt-prosjekt/", staff_add, name="staff_add"),
    path("stab/kodar/", staff_codes, name="staff_codes"),
    path("stab/kodar/<int:pk>/", staff_code_list, name="staff_code_list"),
]


def editor_response(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    response = editor(request, instance)
    assert isinstance(response, HttpResponse)
    return response
