"""Staff pages of the map method.

The editor (the plug-in's ``staff_editor``, at /stab/sak/<pk>/metode/<m>/innhald/; the core
checked ``manage_process``) is the hub: what is set up, the numbers, and the links. The
other pages live under the instance's own address (``stab/…``), served by the public
dispatcher, so each checks the capability itself: not logged in → the login page; logged in
without it → 403 with the reason.

- ``stab/klassar/``: classes and their codes (make, close, open again) and teachers' links.
- ``stab/stader/``: the list of named places (upload a CSV, remove).
- ``stab/resultat/``: every count (nothing hidden), per school and grade, and each mark with
  a link to answer it in the inbox.

Every change is a POST that redirects back; errors answer with the form. No JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import codes, config, links, queries, results, staff_actions
from .actions import METHOD_KEY
from .forms import ClassForm, PlacesForm, TeacherLinkForm, grade_label
from .views import figures

MAX_MARKS_LISTED = 300


def _gate(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase | None:
    """None when the person may use this staff page; else the login page or a 403."""
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
        return private(render(request, "map_input/staff_refused.html", context, status=403))
    return None


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "editor": reverse(
            "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
        "inbox": reverse("staff:inbox", kwargs={"pk": instance.process_id})
        + f"?metode={instance.pk}",
        "preview": instance.get_absolute_url(),
        "list": registry.instance_url(instance, "list"),
        "public_results": registry.instance_url(instance, "results"),
        "classes": registry.instance_url(instance, "staff_classes"),
        "places": registry.instance_url(instance, "staff_places"),
        "results": registry.instance_url(instance, "staff_results"),
        "all_csv": plugin.export_url(instance, "alle-csv"),
        "all_geojson": plugin.export_url(instance, "alle-geojson"),
    }


def _common(request: HttpRequest, instance: MethodInstance) -> dict[str, Any]:
    return {
        "instance": instance,
        "process": instance.process,
        "cfg": config.for_instance(instance),
        "urls": _urls(instance),
        "can_export": method_pages.can(request, instance, Capability.EXPORT),
    }


# -- the hub -------------------------------------------------------------------------------


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    if instance.method_key != METHOD_KEY:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    cfg = config.for_instance(instance)
    classes = queries.classes(instance) if cfg.takes_classes else []
    context = {
        **_common(request, instance),
        "counts": queries.mark_counts(instance),
        "place_count": queries.place_count(instance),
        "class_count": len(classes),
        "open_classes": sum(1 for c in classes if c.is_open),
        "area_set": bool(str(instance.settings.get("area", "")).strip()),
    }
    response = render(request, "map_input/staff_editor.html", context)
    private(response)
    return response


# -- classes -------------------------------------------------------------------------------


def staff_classes(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    class_form = ClassForm(prefix="klasse")
    link_form = TeacherLinkForm(prefix="lenkje")
    status = 200
    page_error = ""
    if request.method == "POST":
        staff = method_pages.staff_user(request)
        action = str(request.POST.get("action", ""))
        try:
            if action == "create":
                class_form = ClassForm(request.POST, prefix="klasse")
                if class_form.is_valid():
                    made = staff_actions.do_create_class(staff, instance, **class_form.cleaned_data)
                    messages.success(
                        request,
                        _("The class has the code %(code)s.") % {"code": codes.shown(made.code)},
                    )
                    return HttpResponseRedirect(
                        registry.instance_url(instance, "staff_classes") + f"#klasse-{made.pk}"
                    )
                status = 400
            elif action in ("close", "reopen"):
                school_class = _class_or_404(instance, request.POST.get("class", ""))
                staff_actions.do_set_class_open(staff, school_class, open_=action == "reopen")
                messages.success(
                    request,
                    _("The code is closed.") if action == "close" else _("The code is open again."),
                )
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_classes") + f"#klasse-{school_class.pk}"
                )
            elif action == "link":
                link_form = TeacherLinkForm(request.POST, prefix="lenkje")
                if link_form.is_valid():
                    link = staff_actions.do_create_teacher_link(
                        staff, instance, link_form.cleaned_data["school"]
                    )
                    messages.success(
                        request,
                        _(
                            "The teacher's link is made. Copy it from the list and send it "
                            "to the teacher."
                        ),
                    )
                    return HttpResponseRedirect(
                        registry.instance_url(instance, "staff_classes") + f"#lenkje-{link.pk}"
                    )
                status = 400
            elif action == "revoke":
                link = _link_or_404(instance, request.POST.get("link", ""))
                staff_actions.do_revoke_teacher_link(staff, link)
                messages.success(request, _("The link no longer works."))
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_classes") + "#lenkjer"
                )
            else:
                page_error = _("The form did not say what to do. Reload the page and try again.")
                status = 400
        except ActionRefused as refused_action:
            page_error = refused_action.message
            status = refused_action.status
    context = {
        **_common(request, instance),
        "classes": [
            (c, codes.shown(c.code), grade_label(c.grade)) for c in queries.classes(instance)
        ],
        "links": [
            (link, links.absolute(instance, link)) for link in queries.teacher_links(instance)
        ],
        "class_form": class_form,
        "link_form": link_form,
        "page_error": page_error,
        "join_url": request.build_absolute_uri(registry.instance_url(instance, "join")),
    }
    return private(render(request, "map_input/staff_classes.html", context, status=status))


def _class_or_404(instance: MethodInstance, raw: object) -> Any:
    text = str(raw)
    found = queries.class_of(instance, int(text)) if text.isdigit() and len(text) < 12 else None
    if found is None:
        raise Http404
    found.method_instance = instance
    return found


def _link_or_404(instance: MethodInstance, raw: object) -> Any:
    text = str(raw)
    for link in queries.teacher_links(instance):
        if str(link.pk) == text:
            link.method_instance = instance
            return link
    raise Http404


# -- places --------------------------------------------------------------------------------


def staff_places(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    form = PlacesForm()
    status = 200
    problems: list[str] = []
    more = 0
    if request.method == "POST":
        staff = method_pages.staff_user(request)
        if request.POST.get("action") == "clear":
            removed = staff_actions.do_clear_places(staff, instance)
            messages.success(
                request,
                ngettext("%(n)d place removed.", "%(n)d places removed.", removed) % {"n": removed},
            )
            return HttpResponseRedirect(registry.instance_url(instance, "staff_places"))
        form = PlacesForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                stored = staff_actions.do_replace_places(staff, instance, form.cleaned_data["file"])
            except staff_actions.PlacesRefused as refused_rows:
                form.add_error(None, refused_rows.message)
                problems, more = refused_rows.problems, refused_rows.more
            except ActionRefused as refused_upload:
                form.add_error(None, refused_upload.message)
                status = refused_upload.status
            else:
                messages.success(
                    request,
                    ngettext("%(n)d place is in the list.", "%(n)d places are in the list.", stored)
                    % {"n": stored},
                )
                return HttpResponseRedirect(registry.instance_url(instance, "staff_places"))
    context = {
        **_common(request, instance),
        "form": form,
        "problems": problems,
        "more": more,
        "places": queries.places(instance),
    }
    return private(render(request, "map_input/staff_places.html", context, status=status))


# -- results -------------------------------------------------------------------------------


def staff_results(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    cfg = config.for_instance(instance)
    places = queries.places(instance)
    marks = queries.marks(instance, published_only=False)
    res = results.compute(
        cfg, marks, places, public=False, chosen=str(request.GET.get("kategori", ""))
    )
    listed = list(reversed(marks))[:MAX_MARKS_LISTED]
    context = {
        **_common(request, instance),
        "res": res,
        "figures": figures(cfg, res, places),
        "marks": [
            (
                mark,
                cfg.label(mark.category),
                reverse("staff:contribution", kwargs={"pk": mark.pk}),
                f"{mark.school}, {grade_label(mark.grade)}" if mark.school and mark.grade else "",
            )
            for mark in listed
        ],
        "more_marks": max(len(marks) - MAX_MARKS_LISTED, 0),
        "self_url": registry.instance_url(instance, "staff_results"),
    }
    return private(render(request, "map_input/staff_results.html", context))


URLS: list[URLPattern | URLResolver] = [
    path("stab/klassar/", staff_classes, name="staff_classes"),
    path("stab/stader/", staff_places, name="staff_places"),
    path("stab/resultat/", staff_results, name="staff_results"),
]
