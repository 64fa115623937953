"""Residents' pages of the map: marking on the map, the same from a list of places, joining
and leaving a class, and the results.

Thin views: reads through ``queries``, writes through ``actions``. The map page sends its
own Content-Security-Policy (the site's, with the tile server added to ``img-src``); its
script is our static ``draw.js`` on top of the vendored Leaflet, and without JavaScript the
list of places gives the same marks.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.accountability import contact
from medvirk.algorithms import geo
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import actions, config, figure, limits, pupils, queries, results
from .categories import KIND_LABELS
from .forms import JoinForm, ListMarkForm, MarkForm, grade_label, parse_place_ids

GET = "GET, HEAD"
GET_POST = "GET, HEAD, POST"
MAX_SEARCH = 100


def _pupil(request: HttpRequest, instance: MethodInstance) -> actions.Pupil | None:
    """The class this browser joined, while the map takes classes."""
    if not config.for_instance(instance).takes_classes:
        return None
    joined = pupils.membership(request, instance)
    if joined is None:
        return None
    return actions.pupil_of(instance, joined.class_pk, joined.pupil)


def _class_text(pupil: actions.Pupil) -> str:
    school_class = pupil.school_class
    return _("%(school)s, %(grade)s%(label)s") % {
        "school": school_class.school,
        "grade": grade_label(school_class.grade),
        "label": f" {school_class.label}" if school_class.label else "",
    }


def _limit(request: HttpRequest, instance: MethodInstance, pupil: actions.Pupil | None) -> None:
    """A class shares one school address: pupils are counted each (and per class), everyone
    else per connection."""
    if pupil is not None:
        limits.check_pupil(pupil.school_class.pk, pupil.pupil)
    else:
        ratelimit.check_client(request, "input", instance.pk)


def _check(
    request: HttpRequest, instance: MethodInstance, pupil: actions.Pupil | None
) -> tuple[str, bool]:
    """(why this person cannot mark now, or ""; whether joining a class would help)."""
    try:
        actions.check_mark(request.user, instance, pupil)
    except actions.NeedsClass as refused:
        return refused.message, True
    except ActionRefused as refused:
        return refused.message, False
    return "", False


def _common(
    request: HttpRequest, instance: MethodInstance, pupil: actions.Pupil | None
) -> dict[str, Any]:
    cfg = config.for_instance(instance)
    return {
        "instance": instance,
        "process": instance.process,
        "cfg": cfg,
        "pupil": pupil,
        "class_text": _class_text(pupil) if pupil else "",
        "receipts": pupils.receipts(request, instance),
        "own_email": bool(contact.account_email(request.user)),
        "urls": {
            "map": registry.instance_url(instance),
            "list": registry.instance_url(instance, "list"),
            "join": registry.instance_url(instance, "join") if cfg.takes_classes else "",
            "leave": registry.instance_url(instance, "leave") if cfg.takes_classes else "",
            "results": registry.instance_url(instance, "results") if cfg.show_results else "",
        },
    }


def _saved(request: HttpRequest, instance: MethodInstance, receipt: Any, label: str) -> None:
    pupils.remember_receipt(request, instance, label, receipt.contribution.receipt_url())
    messages.success(
        request,
        _("Your mark “%(what)s” is saved. Mark another, or find its receipt under “Your marks”.")
        % {"what": label},
    )


# -- the map -------------------------------------------------------------------------------


def _map_data(instance: MethodInstance) -> dict[str, Any]:
    """What ``draw.js`` reads (a JSON data block, never a script)."""
    cfg = config.for_instance(instance)
    tiles = config.tiles()
    bounds = cfg.area.bounds
    return {
        "area": cfg.area.geojson(),
        "bounds": [[bounds.south, bounds.west], [bounds.north, bounds.east]],
        "view": (
            {"lat": cfg.view.lat, "lon": cfg.view.lon, "zoom": cfg.view.zoom} if cfg.view else None
        ),
        "tiles": (
            {"url": tiles.url, "attribution": tiles.attribution, "maxZoom": tiles.max_zoom}
            if tiles
            else None
        ),
        "categories": {
            c.key: {"colour": c.colour, "number": c.number, "label": str(c.label)}
            for c in cfg.categories
        },
        "maxVertices": config.limits().max_vertices,
        "text": {
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "choose": _("Choose what you want to mark first."),
            "point": _(
                "Click on the map where it is, or move the map and press “Mark at the cross”."
            ),
            "line": _(
                "Click on the map at each point along the route, from start to end. Then "
                "press “Finish”."
            ),
            "polygon": _(
                "Click on the map at each corner of the area, in order around it. Then press "
                "“Finish”."
            ),
            "pointSet": _("The place is marked. Write about it if you like, and send."),
            "count": _("{n} points so far. Add more, or press “Finish”."),
            "lineDone": _("The route is drawn. Write about it if you like, and send."),
            "polygonDone": _("The area is drawn. Write about it if you like, and send."),
            "tooFew": _("Add at least {min} points first."),
            "tooMany": _("At most {max} points."),
            "outside": _("That is outside the map's area. Mark inside the line."),
            "undone": _("The last point is removed. {n} points left."),
            "cleared": _("The drawing is removed."),
        },
    }


def _map_response(
    request: HttpRequest, context: dict[str, Any], status: int, retry_after: int = 0
) -> HttpResponseBase:
    """The map page with its own policy: the site's, plus the tile server's images."""
    response = render(request, "map_input/page.html", context, status=status)
    response["Content-Security-Policy"] = config.map_csp()
    if retry_after:
        ratelimit.retry_later(response, retry_after)
    return private(response)


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET shows the map and its form; POST stores one mark and comes back to the map."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    pupil = _pupil(request, instance)
    refusal, needs_class = _check(request, instance, pupil)
    cfg = config.for_instance(instance)
    posted = request.method == "POST"
    form = MarkForm(request.POST if posted else None, map_config=cfg, pupil=pupil is not None)
    status = 200
    if posted:
        status = 403 if refusal else 400
        if not refusal and form.is_valid():
            data = form.cleaned_data
            try:
                _limit(request, instance, pupil)
                receipt = actions.do_mark(
                    request.user,
                    instance,
                    mode=data["category"],
                    geometry=data["geometry"],
                    comment=data["comment"],
                    contact_email=data.get("contact_email") or "",
                    pupil=pupil,
                )
            except ratelimit.Limited as limited:
                form.add_error(None, limited.message)
                context = _page_context(request, instance, pupil, form, refusal, needs_class)
                return _map_response(request, context, 429, limited.retry_after)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                mode = cfg.mode(data["category"])
                _saved(request, instance, receipt, mode.label if mode else "")
                return private(redirect(registry.instance_url(instance) + "#your-marks"))
    context = _page_context(request, instance, pupil, form, refusal, needs_class)
    return _map_response(request, context, status)


def _page_context(
    request: HttpRequest,
    instance: MethodInstance,
    pupil: actions.Pupil | None,
    form: MarkForm,
    refusal: str,
    needs_class: bool,
) -> dict[str, Any]:
    return {
        **_common(request, instance, pupil),
        "form": None if refusal else form,
        "refusal": refusal,
        "needs_class": needs_class,
        "map_data": _map_data(instance),
        "modes": config.for_instance(instance).modes,
    }


# -- the list of places --------------------------------------------------------------------


def _list_url(instance: MethodInstance, mode: str = "", ids: list[int] | None = None) -> str:
    query: dict[str, str] = {}
    if mode:
        query["kategori"] = mode
    if ids:
        query["stader"] = ",".join(str(i) for i in ids)
    base = registry.instance_url(instance, "list")
    return f"{base}?{urlencode(query)}" if query else base


def list_page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """The map's alternative: choose what to mark, then a place (or the places of a route or
    an area, one after the other) from the kommune's list, searched without JavaScript.
    GET builds the choice step by step in the address; POST stores the same mark the map
    would."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    pupil = _pupil(request, instance)
    refusal, needs_class = _check(request, instance, pupil)
    cfg = config.for_instance(instance)
    posted = request.method == "POST"
    source = request.POST if posted else request.GET
    mode = cfg.mode(str(source.get("category" if posted else "kategori", "")))
    ids = parse_place_ids(str(source.get("places" if posted else "stader", "")))
    form = ListMarkForm(
        request.POST if posted else None,
        map_config=cfg,
        pupil=pupil is not None,
        initial={"category": mode.value if mode else "", "places": ",".join(map(str, ids))},
    )
    status, retry_after = 200, 0
    if posted:
        status = 403 if refusal else 400
        if not refusal and form.is_valid():
            data = form.cleaned_data
            try:
                _limit(request, instance, pupil)
                receipt = actions.do_mark_from_places(
                    request.user,
                    instance,
                    mode=data["category"],
                    place_ids=data["places"],
                    comment=data["comment"],
                    contact_email=data.get("contact_email") or "",
                    pupil=pupil,
                )
            except ratelimit.Limited as limited:
                form.add_error(None, limited.message)
                status, retry_after = 429, limited.retry_after
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                _saved(request, instance, receipt, mode.label if mode else "")
                return private(redirect(_list_url(instance) + "#your-marks"))
    context = {
        **_common(request, instance, pupil),
        **_list_steps(request, instance, cfg, mode, ids),
        "form": None if refusal else form,
        "refusal": refusal,
        "needs_class": needs_class,
        "modes": cfg.modes,
    }
    response = render(request, "map_input/list.html", context, status=status)
    if status == 429:
        ratelimit.retry_later(response, retry_after)
    return private(response)


def _list_steps(
    request: HttpRequest,
    instance: MethodInstance,
    cfg: config.MapConfig,
    mode: Any,
    ids: list[int],
) -> dict[str, Any]:
    """Where the person is in choosing: the category, the places so far, what to choose next."""
    if mode is None:
        return {"mode": None, "place_count": queries.place_count(instance)}
    known = queries.places_by_id(instance, ids)
    ids = [i for i in ids if i in known]
    chosen = [known[i] for i in ids]
    needed = {geo.POINT: 1, geo.LINE: 2, geo.POLYGON: 3}[mode.kind]
    wants_more = mode.kind != geo.POINT or not chosen
    search = " ".join(str(request.GET.get("q", "")).split())[:MAX_SEARCH]
    matches, total = queries.search_places(instance, search) if wants_more else ([], 0)
    role_labels = _roles(mode.kind, len(chosen))
    return {
        "mode": mode,
        "kind_label": KIND_LABELS[mode.kind],
        "chosen": [(role, place) for role, place in zip(role_labels, chosen, strict=True)],
        "needed": needed,
        "complete": len(chosen) >= needed,
        "wants_more": wants_more and len(chosen) < config.limits().max_vertices,
        "search": search,
        "matches": [(p, _list_url(instance, mode.value, [*ids, p.pk])) for p in matches],
        "total": total,
        "place_count": queries.place_count(instance),
        "remove_last": _list_url(instance, mode.value, ids[:-1]) if ids else "",
        "restart": _list_url(instance, mode.value),
        "change": _list_url(instance),
        "ids": ",".join(map(str, ids)),
        "next_label": _next_label(mode.kind, len(chosen)),
    }


def _roles(kind: str, n: int) -> list[str]:
    """How each chosen place is named: from, via, to (a route) or corner n (an area)."""
    if kind == geo.POINT:
        return [_("Place")] * n
    if kind == geo.POLYGON:
        return [_("Corner %(n)d") % {"n": i + 1} for i in range(n)]
    return [_("From") if i == 0 else _("To") if i == n - 1 else _("Via") for i in range(n)]


def _next_label(kind: str, n: int) -> str:
    if kind == geo.POINT:
        return _("Choose the place")
    if kind == geo.POLYGON:
        return _("Choose corner %(n)d of the area") % {"n": n + 1}
    if n == 0:
        return _("Where does the route start?")
    if n == 1:
        return _("Where does it go next? (the end, or a place on the way)")
    return _("Add a place further on (it becomes the end)")


# -- classes -------------------------------------------------------------------------------


def join(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """A pupil joins a class with its code, the school and the grade (no name, no account)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    cfg = config.for_instance(instance)
    if not cfg.takes_classes:
        raise Http404
    pupil = _pupil(request, instance)
    schools = queries.schools(instance)
    form = JoinForm(request.POST if request.method == "POST" else None, schools=schools)
    context: dict[str, Any] = {
        **_common(request, instance, pupil),
        "form": form,
        "schools": schools,
    }
    if request.method != "POST":
        return private(render(request, "map_input/join.html", context))
    if limits.join_blocked(request):
        form.add_error(
            None, _("Too many wrong codes from your connection. Wait a few minutes and try again.")
        )
        response = render(request, "map_input/join.html", context, status=429)
        return private(ratelimit.retry_later(response, limits.rate("join_failures").seconds))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            joined = actions.do_join(
                request.user,
                instance,
                code=data["code"],
                school=data["school"],
                grade=data["grade"],
            )
        except actions.WrongCode as wrong:
            limits.count_join_failure(request)
            form.add_error(None, wrong.message)
            status = wrong.status
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            pupils.join(request, instance, joined.pk)
            messages.success(
                request,
                _("You are in the class %(class)s. Now mark on the map, or choose from the list.")
                % {"class": _class_text(actions.Pupil(joined, ""))},
            )
            return private(redirect(registry.instance_url(instance)))
    return private(render(request, "map_input/join.html", context, status=status))


def leave(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """POST: this browser leaves its class (a shared computer is ready for the next pupil)."""
    if request.method != "POST":
        return not_allowed("POST")
    if not config.for_instance(instance).takes_classes:
        raise Http404
    pupils.leave(request, instance)
    messages.success(request, _("You have left the class. The next pupil can join."))
    return private(redirect(registry.instance_url(instance, "join")))


# -- results -------------------------------------------------------------------------------


def figures(
    cfg: config.MapConfig, res: results.Results, places: list[Any]
) -> dict[str, figure.Figure]:
    index = [(p.name, (p.lon, p.lat)) for p in places]

    def marks(n: int) -> str:
        return ngettext("%(n)d mark", "%(n)d marks", n) % {"n": n}

    def routes(n: int) -> str:
        return ngettext("%(n)d route", "%(n)d routes", n) % {"n": n}

    return {
        "heat": figure.build(cfg.area, res.heat, index, colour="#b3261e", what=marks),
        "routes": figure.build(cfg.area, res.routes, index, colour="#0b5394", what=routes),
    }


def results_page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """``resultat/``: what the published marks show, with every count under 5 hidden, and
    the municipality's answers."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    cfg = config.for_instance(instance)
    if not cfg.show_results:
        raise Http404
    places = queries.places(instance)
    res = results.compute(
        cfg,
        queries.marks(instance, published_only=True),
        places,
        public=True,
        chosen=str(request.GET.get("kategori", "")),
    )
    plugin = registry.get(instance.method_key)
    context = {
        "instance": instance,
        "process": instance.process,
        "cfg": cfg,
        "res": res,
        "figures": figures(cfg, res, places),
        "answered": queries.answered_comments(instance),
        "urls": {
            "map": registry.instance_url(instance),
            "self": registry.instance_url(instance, "results"),
            "geojson": plugin.export_url(instance, "kart-geojson"),
            "csv": plugin.export_url(instance, "kart-csv"),
            "counts": plugin.export_url(instance, "tal-csv"),
        },
    }
    return render(request, "map_input/results.html", context)


URLS: list[URLPattern | URLResolver] = [
    path("liste/", list_page, name="list"),
    path("klasse/", join, name="join"),
    path("klasse/forlat/", leave, name="leave"),
    path("resultat/", results_page, name="results"),
]
