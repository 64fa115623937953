"""Who took part: the staff page and the public page of a case, and the staff page for
the municipality's population figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.planning import queries as planning_queries
from medvirk.processes import lookups
from medvirk.staff.access import acting, staff_municipality, staff_process
from medvirk.vocabulary import Capability

from . import actions, queries, themes
from .forms import DistrictForm, SsbForm

REPORT = "insights_import_report"


@login_required
def case_staff(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    return render(
        request,
        "insights/case_staff.html",
        {
            "process": process,
            "report": queries.report(process, public=False),
            "theme_groups": themes.theme_groups(process, public=False),
        },
    )


def case_public(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    process = lookups.public_process(request, municipality, slug)
    return render(
        request,
        "insights/case_public.html",
        {
            "process": process,
            "report": queries.report(process, public=True),
            "plan": planning_queries.published_plan(process),
        },
    )


@login_required
def population(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = staff_municipality(request, pk, Capability.MANAGE_PROCESS)
    ssb_form, district_form = SsbForm(), DistrictForm()
    status = 200
    if request.method == "POST":
        which = request.POST.get("which")
        form: SsbForm | DistrictForm
        form = (
            SsbForm(request.POST, request.FILES)
            if which == "ssb"
            else DistrictForm(request.POST, request.FILES)
        )
        if form.is_valid():
            try:
                if isinstance(form, SsbForm):
                    done = actions.do_import_ssb(
                        acting(request), municipality, form.cleaned_data["file"]
                    )
                else:
                    done = actions.do_import_districts(
                        acting(request),
                        municipality,
                        form.cleaned_data["file"],
                        year=form.cleaned_data["year"],
                        source=form.cleaned_data["source"],
                    )
            except ActionRefused as refused:
                form.add_error("file", refused.message)
                status = refused.status
            else:
                request.session[REPORT] = {
                    "total": done.total,
                    "year": done.year,
                    "source": done.source,
                    "skipped": len(done.skipped),
                    "lines": [
                        {"line": s.line, "reason": s.reason, "text": s.text}
                        for s in done.skipped[: actions.SHOWN_SKIPPED]
                    ],
                }
                messages.success(
                    request,
                    _("Imported %(n)s inhabitants for %(year)d.")
                    % {"n": f"{done.total:,}".replace(",", "\u00a0"), "year": done.year},
                )
                return HttpResponseRedirect(
                    reverse("insights:population", args=[municipality.pk]) + "#report"
                )
        else:
            status = 400
        if isinstance(form, SsbForm):
            ssb_form = form
        else:
            district_form = form
    context = {
        "municipality": municipality,
        "population": queries.population_of(municipality),
        "ssb_form": ssb_form,
        "district_form": district_form,
        "report": request.session.pop(REPORT, None) if request.method == "GET" else None,
    }
    return render(request, "insights/population.html", context, status=status)
