"""Staff: a kommune's own settings (administrators): for now, how input is moderated."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from medvirk.contributions import actions as contributions
from medvirk.core.errors import ActionRefused
from medvirk.vocabulary import Capability

from .access import acting, staff_municipality
from .moderation_forms import ModerationModeForm


@login_required
def municipality_settings(request: HttpRequest, municipality: int) -> HttpResponse:
    org = staff_municipality(request, municipality, Capability.MANAGE_ROLES)
    form = ModerationModeForm(
        request.POST if request.method == "POST" else None,
        initial={"mode": org.moderation_mode},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                contributions.do_set_moderation_mode(
                    acting(request), org, form.cleaned_data["mode"]
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _("The settings were saved."))
                return redirect("staff:municipality_settings", municipality=org.pk)
    return render(
        request, "staff/municipality_settings.html", {"org": org, "form": form}, status=status
    )
