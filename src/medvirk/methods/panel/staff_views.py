"""The panel's staff pages: settings, questions, population figures, draws, response rates.

The overview is the plug-in's content editor (``/stab/sak/<pk>/metode/<m>/innhald/``, after
the core's checks). The other pages live under the instance's own address, ``stab/…``, and
check for themselves: not logged in, to the login; without ``manage_process`` in the
municipality, 404 (as the staff area does). Every change is a plain POST that redirects
(POST-redirect-GET), audited by the action it calls; a form with errors answers 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core.csvfiles import csv_download
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import dimensions, draws, invites, population, queries
from .models import Dimension, DimensionKind, Draw
from .staff_forms import (
    DimensionForm,
    DrawForm,
    FiguresForm,
    OptionsForm,
    SettingsForm,
    SsbForm,
)

if TYPE_CHECKING:
    from medvirk.identity.models import User

ALLOWED = {"Allow": "GET, HEAD, POST"}
SSB_REPORT = "medvirk.panel.ssb_report"
# At most this many skipped lines of an SSB file are listed (all are counted).
SHOW_SKIPPED = 50

View = Callable[..., HttpResponseBase]


def _links(instance: MethodInstance) -> dict[str, str]:
    return {
        "overview": method_pages.editor_url(instance),
        "dimensions": registry.instance_url(instance, "staff_dimensions"),
        "figures": registry.instance_url(instance, "staff_figures"),
        "ssb": registry.instance_url(instance, "staff_ssb"),
        "new_draw": registry.instance_url(instance, "staff_draw_new"),
        "panel": instance.get_absolute_url(),
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
    }


def _staff(request: HttpRequest, instance: MethodInstance) -> User | HttpResponse:
    """The staff member, or the response for anyone else (login, or 404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if instance.method_key != draws.METHOD_KEY or not capabilities.staff_can(
        request.user, Capability.MANAGE_PROCESS, instance.process.municipality_id
    ):
        raise Http404
    return request.user


def staff_page(view: Callable[..., HttpResponse]) -> View:
    """Check the person and the method first; answer 405 to other methods than GET/POST."""

    def wrapped(request: HttpRequest, instance: MethodInstance, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse(status=405, headers=ALLOWED)
        staff = _staff(request, instance)
        if isinstance(staff, HttpResponse):
            return staff
        return private(view(request, instance, staff, **kwargs))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    base = {"instance": instance, "process": instance.process, "links": _links(instance)}
    return render(request, template, {**base, **context}, status=status)


# --- the overview (the plug-in's content editor) ------------------------------------------


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """Settings, the state of questions and figures, and the draws."""
    if instance.method_key != draws.METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        raise Http404
    staff: User = request.user
    municipality = instance.process.municipality
    settings = dimensions.settings_of(municipality)
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                notes = population.do_save_settings(
                    staff,
                    municipality,
                    organ_status=form.cleaned_data["organ_status"],
                    organ_decision=form.cleaned_data["organ_decision"],
                    min_age=form.cleaned_data["min_age"],
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _("The panel's settings were saved."))
                for note in notes:
                    messages.info(request, note)
                return private(
                    HttpResponseRedirect(method_pages.editor_url(instance) + "#settings")
                )
    elif request.method in ("GET", "HEAD"):
        form = SettingsForm(
            initial={
                "organ_status": settings.organ_status,
                "organ_decision": settings.organ_decision,
                "min_age": settings.min_age,
            }
        )
    else:
        return HttpResponse(status=405, headers=ALLOWED)
    found = dimensions.ensure_defaults(municipality)
    figures = population.counts_of(municipality)
    questions = [
        {
            "name": dimensions.name_of(d),
            "options": len(dimensions.options_of(d, settings.min_age)),
            "figures": len(figures.get(d.key, {})),
            "inhabitants": sum(figures.get(d.key, {}).values()),
        }
        for d in found
    ]
    made = draws.published_draws(instance)
    context = {
        "form": form,
        "questions": questions,
        "members": _member_count(instance),
        "draws": [
            {
                "draw": d,
                "url": registry.instance_url(instance, "staff_draw", pk=d.pk),
                "public_url": registry.instance_url(instance, "draw", pk=d.pk),
            }
            for d in made
        ],
    }
    return private(_render(request, instance, "panel/staff_overview.html", context, status))


def _member_count(instance: MethodInstance) -> int:
    return queries.member_count(instance.process.municipality)


# --- questions ----------------------------------------------------------------------------


def _dimension_rows(instance: MethodInstance) -> list[dict[str, Any]]:
    municipality = instance.process.municipality
    min_age = dimensions.settings_of(municipality).min_age
    return [
        {
            "dimension": d,
            "name": dimensions.name_of(d),
            "options": [o.label for o in dimensions.options_of(d, min_age)],
            "editable": d.kind in (DimensionKind.DISTRICT, DimensionKind.CUSTOM),
            "url": registry.instance_url(instance, "staff_dimension", key=d.key),
            "kind": d.get_kind_display(),
        }
        for d in dimensions.ensure_defaults(municipality)
    ]


@staff_page
def dimensions_page(request: HttpRequest, instance: MethodInstance, staff: User) -> HttpResponse:
    """The profile questions, and a form to add one of the municipality's own."""
    status = 200
    if request.method == "POST":
        form = DimensionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                added = population.do_add_dimension(
                    staff,
                    instance.process.municipality,
                    form.cleaned_data["name"],
                    form.cleaned_data["options"],
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request, _("The question “%(name)s” was added.") % {"name": added.name}
                )
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_dimensions") + f"#q-{added.key}"
                )
    else:
        form = DimensionForm()
    context = {"rows": _dimension_rows(instance), "form": form}
    return _render(request, instance, "panel/staff_dimensions.html", context, status)


def _dimension_or_404(instance: MethodInstance, key: str) -> Dimension:
    found = next(
        (d for d in dimensions.ensure_defaults(instance.process.municipality) if d.key == key),
        None,
    )
    if found is None:
        raise Http404
    return found


def _options_form(dimension: Dimension, data: Any = None) -> OptionsForm:
    options = [(o.key, o.label) for o in dimensions.options_of(dimension)]
    name = dimension.name if dimension.kind == DimensionKind.CUSTOM else None
    return OptionsForm(data, options=options, with_name=name)


@staff_page
def dimension_page(
    request: HttpRequest, instance: MethodInstance, staff: User, key: str
) -> HttpResponse:
    """The options of the districts or of a question of the municipality's own."""
    dimension = _dimension_or_404(instance, key)
    editable = dimension.kind in (DimensionKind.DISTRICT, DimensionKind.CUSTOM)
    back = registry.instance_url(instance, "staff_dimensions")
    status = 200
    error = ""
    form = _options_form(dimension) if editable else None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "delete":
                erased = population.do_delete_dimension(staff, dimension)
                messages.success(
                    request,
                    ngettext(
                        "The question was deleted, and %(n)d member's answer to it erased.",
                        "The question was deleted, and %(n)d members' answers to it erased.",
                        erased,
                    )
                    % {"n": erased},
                )
                return HttpResponseRedirect(back)
            if not editable:
                raise ActionRefused(
                    _("The options for age and gender are fixed: they match SSB's statistics."),
                    status=409,
                )
            form = _options_form(dimension, request.POST)
            status = 400
            if form.is_valid():
                population.do_save_options(staff, dimension, **form.values())
                messages.success(request, _("The options were saved."))
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_dimension", key=dimension.key)
                )
        except ActionRefused as refused:
            status = refused.status
            if form is not None and form.is_bound:
                form.add_error(None, refused.message)
            else:
                error = refused.message
    context = {
        "dimension": dimension,
        "name": dimensions.name_of(dimension),
        "options": [o.label for o in dimensions.options_of(dimension)],
        "editable": editable,
        "deletable": dimension.kind == DimensionKind.CUSTOM,
        "form": form,
        "error": error,
    }
    return _render(request, instance, "panel/staff_dimension.html", context, status)


# --- population figures -------------------------------------------------------------------


def _figure_forms(
    instance: MethodInstance, bound: tuple[str, Any] | None = None
) -> list[dict[str, Any]]:
    municipality = instance.process.municipality
    min_age = dimensions.settings_of(municipality).min_age
    figures = population.figures_of(municipality)
    rows = []
    for d in dimensions.ensure_defaults(municipality):
        options = [(o.key, o.label) for o in dimensions.options_of(d, min_age)]
        mine = figures.get(d.key, {})
        first = next(iter(mine.values()), None)
        initial: dict[str, Any] = {f"count_{o}": f.count for o, f in mine.items()}
        initial["source"] = first.source if first else ""
        initial["year"] = first.year if first else None
        data = bound[1] if bound is not None and bound[0] == d.key else None
        form = FiguresForm(data, options=options, initial=initial, prefix=d.key)
        rows.append(
            {
                "dimension": d,
                "name": dimensions.name_of(d),
                "form": form,
                "total": sum(f.count for f in mine.values()),
                "has_options": bool(options),
            }
        )
    return rows


@staff_page
def figures_page(request: HttpRequest, instance: MethodInstance, staff: User) -> HttpResponse:
    """The inhabitants per option of each question; one form per question, and the SSB file."""
    status = 200
    if request.method == "POST":
        key = request.POST.get("dimension", "")
        dimension = _dimension_or_404(instance, key)
        rows = _figure_forms(instance, (dimension.key, request.POST))
        form = next(r["form"] for r in rows if r["dimension"].pk == dimension.pk)
        status = 400
        if form.is_valid():
            try:
                population.do_save_figures(
                    staff,
                    instance.process.municipality,
                    dimension.key,
                    form.counts(),
                    source=form.cleaned_data.get("source") or "",
                    year=form.cleaned_data.get("year"),
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("The figures for “%(name)s” were saved.")
                    % {"name": dimensions.name_of(dimension)},
                )
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_figures") + f"#fig-{key}"
                )
    else:
        rows = _figure_forms(instance)
    report = request.session.pop(SSB_REPORT, None) if request.method == "GET" else None
    context = {"rows": rows, "ssb_form": SsbForm(), "report": report}
    return _render(request, instance, "panel/staff_figures.html", context, status)


@staff_page
def ssb_page(request: HttpRequest, instance: MethodInstance, staff: User) -> HttpResponse:
    """Import age and gender from SSB 07459 (POST); GET shows the figures page's form."""
    if request.method != "POST":
        return HttpResponseRedirect(registry.instance_url(instance, "staff_figures") + "#ssb")
    form = SsbForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            result = population.do_import_ssb(
                staff, instance.process.municipality, form.cleaned_data["file"]
            )
        except ActionRefused as refused:
            form.add_error("file", refused.message)
            status = refused.status
        else:
            request.session[SSB_REPORT] = {
                "year": result.year,
                "region": result.region_name,
                "total": result.total,
                "below": result.below,
                "skipped": len(result.skipped),
                "lines": [
                    {"line": s.line, "reason": s.reason, "text": s.text}
                    for s in result.skipped[:SHOW_SKIPPED]
                ],
            }
            messages.success(
                request,
                _("Age and gender for %(year)d were imported from SSB: %(n)s inhabitants.")
                % {"year": result.year, "n": f"{result.total:,}".replace(",", " ")},
            )
            return HttpResponseRedirect(
                registry.instance_url(instance, "staff_figures") + "#ssb-report"
            )
    context = {"rows": _figure_forms(instance), "ssb_form": form, "report": None}
    return _render(request, instance, "panel/staff_figures.html", context, status)


# --- draws --------------------------------------------------------------------------------


def _draw_form(instance: MethodInstance, data: Any = None) -> DrawForm:
    municipality = instance.process.municipality
    figures = population.counts_of(municipality)
    choices = [
        (d.key, dimensions.name_of(d))
        for d in dimensions.ensure_defaults(municipality)
        if sum(figures.get(d.key, {}).values()) > 0
    ]
    targets = [(t.pk, t.title) for t in draws.targets(instance)]
    initial = {"dimensions": [k for k, _name in choices], "algorithm": "maximin"}
    return DrawForm(data, targets=targets, dimensions=choices, initial=initial)


@staff_page
def draw_new_page(request: HttpRequest, instance: MethodInstance, staff: User) -> HttpResponse:
    """The draw: whom to invite to what, how many, balanced on what."""
    status = 200
    form = _draw_form(instance, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            target = next(
                (t for t in draws.targets(instance) if t.pk == form.cleaned_data["target"]), None
            )
            try:
                if target is None:
                    raise ActionRefused(_("Choose a survey or dialogue of this case."))
                made = draws.do_draw(
                    staff,
                    instance,
                    target=target,
                    size=form.cleaned_data["size"],
                    dimensions=form.cleaned_data["dimensions"],
                    algorithm=form.cleaned_data["algorithm"],
                    seed=form.cleaned_data["seed"] or None,
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _(
                        "%(n)d members were drawn. The lottery is published. Send the "
                        "invitations when you are ready."
                    )
                    % {"n": made.size},
                )
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_draw", pk=made.pk)
                )
    context = {
        "form": form,
        "members": _member_count(instance),
        "no_targets": not form.fields["target"].choices,  # type: ignore[attr-defined]
        "no_dimensions": not form.fields["dimensions"].choices,  # type: ignore[attr-defined]
    }
    return _render(request, instance, "panel/staff_draw_new.html", context, status)


def _draw_or_404(instance: MethodInstance, pk: int) -> Draw:
    found = draws.draw_of(instance, pk)
    if found is None:
        raise Http404
    found.method_instance = instance
    return found


@staff_page
def draw_page(request: HttpRequest, instance: MethodInstance, staff: User, pk: int) -> HttpResponse:
    """One draw for staff: send the invitations, remind, and how it goes."""
    draw = _draw_or_404(instance, pk)
    here = registry.instance_url(instance, "staff_draw", pk=draw.pk)
    status = 200
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "send":
                n = invites.do_send_invitations(staff, draw)
                messages.success(
                    request,
                    ngettext(
                        "%(n)d invitation is being sent.", "%(n)d invitations are being sent.", n
                    )
                    % {"n": n},
                )
            elif action == "remind":
                n = invites.do_remind(staff, draw)
                messages.success(
                    request,
                    ngettext("%(n)d reminder is being sent.", "%(n)d reminders are being sent.", n)
                    % {"n": n},
                )
            else:
                raise ActionRefused(
                    _("The form did not say what to do. Reload the page and try again.")
                )
        except ActionRefused as refused:
            error = refused.message
            status = refused.status
        else:
            return HttpResponseRedirect(here)
        draw = _draw_or_404(instance, pk)
    labels = draws.labels_of(draw)
    rates = draws.response_rates(draw, labels)
    context = {
        "draw": draw,
        "rates": rates,
        "quotas": draws.quota_rows(draw, labels),
        "labels": [labels.name(k) for k in draw.lottery.get("features", [])],
        "error": error,
        "can_send": rates.unsent > 0,
        "can_remind": draw.sent_at is not None and rates.waiting > 0,
        "urls": {
            "here": here,
            "public": registry.instance_url(instance, "draw", pk=draw.pk),
            "responses": registry.instance_url(instance, "staff_responses", pk=draw.pk),
            "target": draw.target.get_absolute_url(),
        },
        "pool": len(draw.lottery.get("pool", [])),
        "lowest_percent": draw.min_probability * 100,
    }
    return _render(request, instance, "panel/staff_draw.html", context, status)


@staff_page
def responses_page(
    request: HttpRequest, instance: MethodInstance, staff: User, pk: int
) -> HttpResponse:
    """Response rates per group, beside the population, with the weights."""
    if request.method == "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    draw = _draw_or_404(instance, pk)
    labels = draws.labels_of(draw)
    context = {
        "draw": draw,
        "rates": draws.response_rates(draw, labels),
        "dimension_names": [labels.name(k) for k in draw.lottery.get("features", [])],
        "urls": {
            "draw": registry.instance_url(instance, "staff_draw", pk=draw.pk),
            "csv": registry.get(instance.method_key).export_url(instance, "svarprosent-csv"),
        },
    }
    return _render(request, instance, "panel/staff_responses.html", context)


def _number(value: float | None, places: int = 3) -> str:
    return "" if value is None else f"{value:.{places}f}"


def response_rates_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """Every draw's groups: population share, invited, answered, rate and weight (staff)."""
    header = [
        _("Draw"),
        _("Made"),
        _("Invited to"),
        _("Group by"),
        _("Group"),
        _("Inhabitants"),
        _("Share of inhabitants"),
        _("Invited"),
        _("Answered"),
        _("Response rate"),
        _("Weight of an answer"),
    ]
    rows: list[list[object]] = [list(header)]
    for draw in draws.published_draws(instance, with_lottery=True):
        labels = draws.labels_of(draw)
        rates = draws.response_rates(draw, labels)
        made = draw.created_at.date().isoformat()
        for dimension in rates.dimensions:
            for row in dimension.rows:
                rows.append(
                    [
                        draw.pk,
                        made,
                        draw.target.title,
                        dimension.name,
                        row.label,
                        "" if row.population is None else row.population,
                        _number(row.population_share),
                        row.invited,
                        row.answered,
                        _number(row.rate),
                        _number(row.weight),
                    ]
                )
        combined = " × ".join(labels.name(k) for k in draw.lottery.get("features", []))
        for row in rates.strata:
            rows.append(
                [
                    draw.pk,
                    made,
                    draw.target.title,
                    combined,
                    row.label,
                    "",
                    "",
                    row.invited,
                    row.answered,
                    _number(row.rate),
                    _number(row.weight),
                ]
            )
    return csv_download(rows, f"svarprosent-{instance.slug}.csv", private=True)


URLS: list[URLPattern | URLResolver] = [
    path("stab/sporsmal/", dimensions_page, name="staff_dimensions"),
    path("stab/sporsmal/<slug:key>/", dimension_page, name="staff_dimension"),
    path("stab/tal/", figures_page, name="staff_figures"),
    path("stab/tal/ssb/", ssb_page, name="staff_ssb"),
    path("stab/trekning/ny/", draw_new_page, name="staff_draw_new"),
    path("stab/trekning/<int:pk>/", draw_page, name="staff_draw"),
    path("stab/trekning/<int:pk>/svar/", responses_page, name="staff_responses"),
]
