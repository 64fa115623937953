"""Staff area: dashboard and the process editor (process, phases, methods)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from medvirk.algorithms import readability
from medvirk.contributions.models import ModerationState
from medvirk.organisations.models import Municipality
from medvirk.processes import actions, permissions, registry
from medvirk.processes.models import MethodInstance, Phase, Process

from .access import acting, part_of, staff_municipality_ids, staff_process
from .flow import form_page, submitted
from .forms import MethodForm, PhaseForm, ProcessForm, method_form_initial

CHECKED_FIELDS = ("summary", "open_to_influence", "already_decided", "body")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    ids = staff_municipality_ids(request.user)
    if not ids:
        raise Http404
    processes = (
        Process.objects.filter(municipality_id__in=ids)
        .select_related("municipality")
        .annotate(
            n_contributions=Count("contributions", distinct=True),
            n_unanswered=Count(
                "contributions", filter=Q(contributions__response__isnull=True), distinct=True
            ),
            n_held=Count(
                "contributions",
                filter=Q(contributions__moderation=ModerationState.HELD),
                distinct=True,
            ),
        )
        .order_by("municipality__name", "-updated_at")
    )
    municipalities = Municipality.objects.filter(pk__in=ids)
    can_create = [
        m for m in municipalities if permissions.staff_can(request.user, "manage_process", m)
    ]
    return render(
        request,
        "staff/dashboard.html",
        {
            "processes": processes,
            "can_create": can_create,
            "can_manage_roles": [
                m for m in municipalities if permissions.staff_can(request.user, "manage_roles", m)
            ],
        },
    )


def _reports(form: ProcessForm) -> dict[str, readability.Report]:
    data = form.data if form.is_bound else form.initial
    out = {}
    for field in CHECKED_FIELDS:
        text = data.get(field) or (getattr(form.instance, field, "") if not form.is_bound else "")
        out[field] = readability.analyse(str(text or ""))
    return out


@login_required
def process_new(request: HttpRequest, municipality: int) -> HttpResponse:
    org = Municipality.objects.filter(pk=municipality).first()
    if org is None or not permissions.staff_can(request.user, "manage_process", org):
        raise Http404
    request.municipality = org  # type: ignore[attr-defined]
    return _process_form(request, org, None)


@login_required
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, "manage_process")
    return _process_form(request, process.municipality, process)


def _process_form(request: HttpRequest, org: Municipality, process: Process | None) -> HttpResponse:
    form = ProcessForm(request.POST or None, instance=process)
    saved: list[Process] = []
    if submitted(
        request,
        form,
        lambda: saved.append(actions.do_save_process(acting(request), org, form.values(), process)),
        _("The case was saved."),
    ):
        return redirect("staff:process", pk=saved[0].pk)
    return form_page(
        request,
        "staff/process_form.html",
        {"form": form, "process": process, "org": org, "reports": _reports(form)},
    )


@login_required
def process_overview(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, "manage_process")
    phases = list(process.phases.all())
    methods = [
        {"instance": m, "has_content": registry.get(m.method_key).staff_view is not None}
        for m in process.methods.select_related("phase")
    ]
    return render(
        request,
        "staff/process.html",
        {"process": process, "phases": phases, "methods": methods, "phase_form": PhaseForm()},
    )


@login_required
def phase_edit(request: HttpRequest, pk: int, phase_pk: int | None = None) -> HttpResponse:
    process = staff_process(request, pk, "manage_process")
    phase = part_of(Phase, phase_pk, process)
    initial = (
        {
            "name": phase.name,
            "kind": phase.kind,
            "start": phase.start,
            "end": phase.end,
            "description": phase.description,
        }
        if phase
        else {}
    )
    form = PhaseForm(request.POST or None, initial=initial)
    if submitted(
        request,
        form,
        lambda: actions.do_save_phase(acting(request), process, phase=phase, **form.cleaned_data),
        _("The phase was saved."),
    ):
        return redirect("staff:process", pk=process.pk)
    return form_page(
        request, "staff/form.html", {"form": form, "process": process, "heading": _("Phase")}
    )


@login_required
def method_edit(request: HttpRequest, pk: int, method_pk: int | None = None) -> HttpResponse:
    process = staff_process(request, pk, "manage_process")
    instance = part_of(MethodInstance, method_pk, process)
    form = MethodForm(
        process, request.POST or None, initial=method_form_initial(instance) if instance else None
    )
    if instance is not None:
        form.fields["method_key"].disabled = True

    def save() -> object:
        data = form.cleaned_data
        key = instance.method_key if instance else data["method_key"]
        level = data.get("min_level")
        levels = {a.key: level for a in registry.get(key).actions} if level is not None else {}
        return actions.do_save_method(
            acting(request),
            process,
            phase=data["phase"],
            method_key=key,
            slug=data["slug"],
            title=data["title"],
            description=data["description"],
            raw_settings=data["settings_json"],
            identity_levels=levels,
            is_published=data["is_published"],
            instance=instance,
        )

    if submitted(request, form, save, _("The method was saved.")):
        return redirect("staff:process", pk=process.pk)
    return form_page(
        request, "staff/form.html", {"form": form, "process": process, "heading": _("Method")}
    )


@login_required
def method_content(request: HttpRequest, pk: int, method_pk: int) -> HttpResponse:
    """Hand over to the method's own staff editor (its manifest's ``staff_view``)."""
    process = staff_process(request, pk, "manage_process")
    instance = MethodInstance.objects.filter(pk=method_pk, process=process).first()
    if instance is None:
        raise Http404
    instance.process = process
    manifest = registry.get(instance.method_key)
    if manifest.staff_view is None:
        raise Http404
    response: HttpResponse = import_string(manifest.staff_view)(request, instance)
    return response
