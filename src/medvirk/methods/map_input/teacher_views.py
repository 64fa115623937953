"""A teacher's private link (``laerar/<token>/``): make a code for a class at the link's
school, see the codes with how many have joined, close a code and open it again. No login:
the link is the permission (staff make and stop links on ``stab/klassar/``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import codes, config, links, queries, staff_actions
from .forms import ClassForm, grade_label


def teacher(request: HttpRequest, instance: MethodInstance, token: str) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    link = links.find(instance, token)
    if link is None or not config.for_instance(instance).takes_classes:
        raise Http404
    link.method_instance = instance
    here = links.path(instance, link)
    form = ClassForm(prefix="klasse", fixed_school=link.school)
    status = 200
    page_error = ""
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        try:
            if action == "create":
                form = ClassForm(request.POST, prefix="klasse", fixed_school=link.school)
                if form.is_valid():
                    made = staff_actions.do_create_class(
                        None,
                        instance,
                        school=link.school,
                        grade=form.cleaned_data["grade"],
                        label=form.cleaned_data["label"],
                        teacher=link,
                    )
                    messages.success(
                        request,
                        _("The class has the code %(code)s.") % {"code": codes.shown(made.code)},
                    )
                    return private(HttpResponseRedirect(here + f"#klasse-{made.pk}"))
                status = 400
            elif action in ("close", "reopen"):
                text = str(request.POST.get("class", ""))
                found = next((c for c in queries.classes_of_link(link) if str(c.pk) == text), None)
                if found is None:
                    raise Http404
                found.method_instance = instance
                staff_actions.do_set_class_open(None, found, open_=action == "reopen", teacher=link)
                messages.success(
                    request,
                    _("The code is closed.") if action == "close" else _("The code is open again."),
                )
                return private(HttpResponseRedirect(here + f"#klasse-{found.pk}"))
            else:
                page_error = _("The form did not say what to do. Reload the page and try again.")
                status = 400
        except ActionRefused as refused:
            page_error = refused.message
            status = refused.status
    context = {
        "instance": instance,
        "process": instance.process,
        "link": link,
        "here": here,
        "form": form,
        "page_error": page_error,
        "classes": [
            (c, codes.shown(c.code), grade_label(c.grade)) for c in queries.classes_of_link(link)
        ],
        "join_url": request.build_absolute_uri(
            registry.get(instance.method_key).url(instance, "join")
        ),
    }
    return private(render(request, "map_input/teacher.html", context, status=status))


URLS: list[URLPattern | URLResolver] = [
    path("laerar/<str:token>/", teacher, name="teacher"),
]
