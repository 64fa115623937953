"""Staff area: dashboard and the process editor (process, phases, methods)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from medvirk.accountability import queries as accountability_queries
from medvirk.algorithms.text import readability
from medvirk.organisations import queries as organisation_queries
from medvirk.organisations.types import Municipality
from medvirk.processes import actions, exports, registry
from medvirk.processes import queries as process_queries
from medvirk.processes.types import Process
from medvirk.vocabulary import Capability

from .access import acting, owned_by, staff_municipality, staff_municipality_ids, staff_process
from .flow import form_page, submitted
from .forms import PhaseForm, ProcessForm

CHECKED_FIELDS = ("summary", "open_to_influence", "already_decided", "body")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    ids = staff_municipality_ids(request.user)
    if not ids:
        raise Http404
    return render(
        request,
        "staff/dashboard.html",
        {
            "processes": accountability_queries.staff_cases(ids),
            "can_create": organisation_queries.municipalities_where(
                request.user, Capability.MANAGE_PROCESS
            ),
            "can_manage_roles": organisation_queries.municipalities_where(
                request.user, Capability.MANAGE_ROLES
            ),
            "can_verify_identity": organisation_queries.municipalities_where(
                request.user, Capability.VERIFY_IDENTITY
            ).exists(),
            "can_view_audit": organisation_queries.municipalities_where(
                request.user, Capability.VIEW_AUDIT
            ).exists(),
        },
    )


def _reports(form: ProcessForm) -> dict[str, readability.Report]:
    """The klarspråk check of each long text as it stands in the form (typed or saved)."""
    return {field: readability.analyse(str(form[field].value() or "")) for field in CHECKED_FIELDS}


@login_required
def process_new(request: HttpRequest, municipality: int) -> HttpResponse:
    org = staff_municipality(request, municipality, Capability.MANAGE_PROCESS)
    return _process_form(request, org, None)


@login_required
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    return _process_form(request, process.municipality, process)


def _process_form(request: HttpRequest, org: Municipality, process: Process | None) -> HttpResponse:
    form = ProcessForm(request.POST or None, process=process)
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
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    phases = list(process_queries.phases_of(process))
    instances = list(process_queries.methods_of(process))
    for instance in instances:
        instance.process = process
    methods = [
        {
            "instance": m,
            "plugin": registry.get(m.method_key),
            "has_content": registry.get(m.method_key).has_staff_editor,
        }
        for m in instances
    ]
    return render(
        request,
        "staff/process.html",
        {
            "process": process,
            "phases": phases,
            "methods": methods,
            "exports": exports.exports_for(instances, public_only=False),
            "phase_form": PhaseForm(),
        },
    )


@login_required
def phase_edit(request: HttpRequest, pk: int, phase_pk: int | None = None) -> HttpResponse:
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    phase = owned_by(process_queries.phase_of, phase_pk, process)
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
