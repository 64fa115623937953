"""Staff wizard, the plan page with recommendations, the catalogue, and the public plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.core.errors import ActionRefused
from medvirk.processes import lookups
from medvirk.processes.types import Process
from medvirk.staff.access import acting, staff_municipality_ids, staff_process
from medvirk.vocabulary import Capability

from . import actions, changelog, explain, library, queries, rules
from . import pdf as plan_pdf
from .catalogue import language
from .forms import STEP_FORMS, WhenForm
from .models import Plan, PlannedActivity

STEP_KEYS = dict(enumerate(rules.STEPS, start=1))
STEP_TEMPLATES = {
    "who": "planning/step_who.html",
    "when": "planning/step_when.html",
    "room": "planning/step_room.html",
}


def _plan(request: HttpRequest, pk: int) -> tuple[Process, Plan | None]:
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    return process, queries.plan_of(process)


def _steps(plan: Plan | None) -> list[dict[str, object]]:
    missing = rules.missing_steps(plan.answers) if plan else list(rules.STEPS)
    return [
        {"number": n, "key": key, "label": explain.STEP_LABELS[key], "done": key not in missing}
        for n, key in STEP_KEYS.items()
    ]


@login_required
def plan_home(request: HttpRequest, pk: int) -> HttpResponse:
    process, plan = _plan(request, pk)
    context: dict[str, object] = {"process": process, "plan": plan, "steps": _steps(plan)}
    if plan is not None:
        context["view"] = queries.plan_view(plan)
        context["history"] = changelog.entries(queries.history(plan)[:50])
    return render(request, "planning/plan.html", context)


@login_required
@require_POST
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    process, _plan_obj = _plan(request, pk)
    try:
        actions.do_start_plan(acting(request), process)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("planning:home", pk=process.pk)
    return redirect("planning:step", pk=process.pk, step=1)


@login_required
def plan_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    process, plan = _plan(request, pk)
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404
    if plan is None:
        return redirect("planning:home", pk=process.pk)
    form = form_class(request.POST or None, answers=plan.answers, process=process)
    if request.method == "POST" and form.is_valid():
        new_phases = form.new_phases() if isinstance(form, WhenForm) else []
        try:
            actions.do_save_step(
                acting(request), plan, form_class.step, form.values(), phases=new_phases
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The step was saved."))
            if step < len(STEP_FORMS):
                return redirect("planning:step", pk=process.pk, step=step + 1)
            return redirect("planning:home", pk=process.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        STEP_TEMPLATES.get(form_class.step, "planning/step.html"),
        {
            "process": process,
            "plan": plan,
            "form": form,
            "step": step,
            "step_label": explain.STEP_LABELS[form_class.step],
            "steps": _steps(plan),
            "last": step == len(STEP_FORMS),
        },
        status=status,
    )


@login_required
@require_POST
def plan_accept(request: HttpRequest, pk: int) -> HttpResponse:
    process, plan = _plan(request, pk)
    if plan is None:
        raise Http404
    key, phase = request.POST.get("method", ""), request.POST.get("phase", "")
    try:
        activity = actions.do_accept(acting(request), plan, key, phase)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        name = (
            library.catalogue().method(activity.catalogue_key).name(language(request.LANGUAGE_CODE))
        )
        if activity.method_instance is not None:
            messages.success(
                request,
                _("«%(name)s» was added to the case as a draft method.") % {"name": name},
            )
        else:
            messages.success(
                request, _("«%(name)s» was added as a planned activity.") % {"name": name}
            )
    return redirect(reverse("planning:home", kwargs={"pk": process.pk}) + "#activities")


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    process, plan = _plan(request, pk)
    if plan is None:
        raise Http404
    unpublish = request.POST.get("unpublish") == "1"
    try:
        if unpublish:
            actions.do_unpublish(acting(request), plan)
        else:
            actions.do_publish(acting(request), plan)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("The plan is no longer public.") if unpublish else _("The plan is published."),
        )
    return redirect("planning:home", pk=process.pk)


@login_required
@require_POST
def activity_status(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    process, plan = _plan(request, pk)
    found = PlannedActivity.objects.filter(pk=activity, plan=plan).select_related("plan").first()
    if plan is None or found is None:
        raise Http404
    try:
        actions.do_set_activity_status(acting(request), found, request.POST.get("status", ""))
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(reverse("planning:home", kwargs={"pk": process.pk}) + "#activities")


# --- the catalogue as pages (staff) ---------------------------------------------------------


def _require_staff(request: HttpRequest) -> None:
    if not staff_municipality_ids(request.user):
        raise Http404


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    cat = library.catalogue()
    lang = language(request.LANGUAGE_CODE)
    by_rung = []
    for rung, label in explain.RUNG_LABELS.items():
        methods = [
            {
                "key": m.key,
                "name": m.name(lang),
                "summary": m.texts(lang)["summary"],
                "runs": bool(m.medvirk_method),
            }
            for m in cat.methods
            if m.rung == rung
        ]
        by_rung.append({"rung": rung, "label": label, "methods": methods})
    return render(request, "planning/catalogue.html", {"by_rung": by_rung, "version": cat.version})


@login_required
def catalogue_method(request: HttpRequest, key: str) -> HttpResponse:
    _require_staff(request)
    cat = library.catalogue()
    try:
        method = cat.method(key)
    except KeyError as exc:
        raise Http404 from exc
    lang = language(request.LANGUAGE_CODE)
    return render(
        request,
        "planning/catalogue_method.html",
        {
            "method": method,
            "texts": method.texts(lang),
            "rung_label": explain.RUNG_LABELS[method.rung],
            "phases": [explain.PHASE_LABELS[p] for p in method.phases],
            "well": [cat.entry_label("groups", g, lang) for g in sorted(method.reaches_well)],
            "badly": [cat.entry_label("groups", g, lang) for g in sorted(method.reaches_badly)],
            "effort": explain.EFFORT_LABELS[method.effort],
            "format": explain.FORMAT_LABELS[method.format],
            "legal": [cat.ref_label(r, lang) for r in method.legal],
            "version": cat.version,
        },
    )


# --- public -------------------------------------------------------------------------------


def _public_plan(request: HttpRequest, municipality: str, slug: str) -> tuple[Process, Plan]:
    process = lookups.public_process(request, municipality, slug)
    plan = queries.published_plan(process)
    if plan is None:
        raise Http404
    return process, plan


def public_plan(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    process, plan = _public_plan(request, municipality, slug)
    return render(
        request,
        "planning/public_plan.html",
        {"process": process, "plan": plan, "view": queries.plan_view(plan)},
    )


def public_plan_pdf(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    """The plan as a tagged PDF (PDF/UA-1, planning/pdf.py); without WeasyPrint, the print page."""
    process, plan = _public_plan(request, municipality, slug)
    html = render_to_string(
        "planning/plan_pdf.html",
        {"process": process, "plan": plan, "view": queries.plan_view(plan)},
        request=request,
    )
    pdf = plan_pdf.render(html, base_url=request.build_absolute_uri("/"))
    if pdf is None:
        messages.info(request, _("PDF export is not available here; print this page instead."))
        return redirect("planning:public", municipality=municipality, slug=slug)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="medverknadsplan-{process.slug}-v{plan.version}.pdf"'
    )
    return response
