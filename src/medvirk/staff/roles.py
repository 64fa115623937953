"""Staff roles in a municipality: administrators grant and revoke them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.core.errors import ActionRefused
from medvirk.organisations import actions
from medvirk.organisations import queries as organisation_queries
from medvirk.organisations.types import Role
from medvirk.vocabulary import Capability

from .access import acting, staff_municipality


class GrantForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Username or e-mail address"), max_length=254)
    # No role is preselected: giving someone the administrator role must be a choice.
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[("", gettext_lazy("Choose a role")), *Role.choices],
    )


@login_required
def roles(request: HttpRequest, municipality: int) -> HttpResponse:
    org = staff_municipality(request, municipality, Capability.MANAGE_ROLES)
    form = GrantForm(request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get("revoke", "").isdigit():
        membership = organisation_queries.membership_in(org, int(request.POST["revoke"]))
        if membership is None:
            raise Http404
        try:
            actions.do_revoke_role(acting(request), membership)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The role was removed."))
        return redirect("staff:roles", municipality=org.pk)
    if request.method == "POST" and form.is_valid():
        person = organisation_queries.person_by_login(form.cleaned_data["person"])
        if person is None:
            form.add_error("person", _("No person with that username or e-mail address."))
        else:
            try:
                actions.do_grant_role(acting(request), org, person, form.cleaned_data["role"])
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The role was given."))
                return redirect("staff:roles", municipality=org.pk)
    if request.method == "POST":
        status = 400
    memberships = organisation_queries.memberships_of(org)
    return render(
        request,
        "staff/roles.html",
        {"org": org, "form": form, "memberships": memberships},
        status=status,
    )
