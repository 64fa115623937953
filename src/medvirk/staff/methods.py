"""Staff: add or change a method instance, with the settings form its plug-in provides.

A new method is chosen first (``?metode=<key>``, a plain link list that works without
JavaScript); then one page holds the common fields, the method's own settings form and,
for methods that have them, a settings form per phase of the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes import actions, queries, registry
from medvirk.processes.types import Phase
from medvirk.vocabulary import Capability

from .access import acting, owned_by, staff_process
from .forms import MethodForm, method_form_initial


@dataclass
class PhaseSettings:
    phase: Phase
    form: forms.BaseForm


def _plugin_or_404(key: str) -> registry.MethodPlugin:
    try:
        return registry.get(key)
    except registry.RegistryError as exc:
        raise Http404 from exc


@login_required
def method_edit(request: HttpRequest, pk: int, method_pk: int | None = None) -> HttpResponse:
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    instance = owned_by(queries.method_of, method_pk, process)
    key = instance.method_key if instance else request.GET.get("metode", "")
    if not key:
        return render(
            request,
            "staff/method_choose.html",
            {"process": process, "plugins": registry.all_plugins()},
        )
    plugin = _plugin_or_404(key)
    data = request.POST if request.method == "POST" else None
    form = MethodForm(process, data, initial=method_form_initial(instance) if instance else None)
    settings_form = plugin.settings_form(
        data, prefix="settings", initial=instance.settings if instance else None
    )
    phase_forms: list[PhaseSettings] = []
    phase_form = plugin.phase_settings_form
    if phase_form is not None:
        phase_forms = [
            PhaseSettings(
                phase,
                phase_form(
                    data,
                    prefix=f"phase-{phase.pk}",
                    initial=instance.settings_for_phase(phase) if instance else None,
                ),
            )
            for phase in queries.phases_of(process)
        ]
    forms_valid = [f.is_valid() for f in (form, settings_form, *(p.form for p in phase_forms))]
    if request.method == "POST" and all(forms_valid):
        values = form.cleaned_data
        level = values.get("min_level")
        try:
            actions.do_save_method(
                acting(request),
                process,
                phase=values["phase"],
                method_key=plugin.key,
                slug=values["slug"],
                title=values["title"],
                description=values["description"],
                raw_settings=settings_form.cleaned_data,
                phase_settings={str(p.phase.pk): p.form.cleaned_data for p in phase_forms},
                identity_levels={a.key: level for a in plugin.actions} if level is not None else {},
                is_published=values["is_published"],
                moderation=values["moderation"],
                instance=instance,
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The method was saved."))
            return redirect("staff:process", pk=process.pk)
    return render(
        request,
        "staff/method_form.html",
        {
            "process": process,
            "plugin": plugin,
            "instance": instance,
            "form": form,
            "settings_form": settings_form,
            "phase_forms": phase_forms,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def method_content(request: HttpRequest, pk: int, method_pk: int) -> HttpResponse:
    """Hand over to the method's own staff editor, after the capabilities it declares."""
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    instance = owned_by(queries.method_of, method_pk, process)
    if instance is None:
        raise Http404
    instance.process = process
    plugin = _plugin_or_404(instance.method_key)
    if not plugin.has_staff_editor or not all(
        capabilities.staff_can(request.user, c, process.municipality_id)
        for c in plugin.capabilities
    ):
        raise Http404
    return plugin.staff_editor(request, instance)
