"""Staff roles in a municipality: administrators grant and revoke them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.organisations import actions
from medvirk.organisations.models import Membership, Municipality, Role
from medvirk.processes import permissions

from .access import acting


class GrantForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Username or e-mail address"), max_length=254)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


@login_required
def roles(request: HttpRequest, municipality: int) -> HttpResponse:
    org = Municipality.objects.filter(pk=municipality).first()
    if org is None or not permissions.staff_can(request.user, "manage_roles", org):
        raise Http404
    request.municipality = org  # type: ignore[attr-defined]
    form = GrantForm(request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get("revoke", "").isdigit():
        membership = Membership.objects.filter(
            pk=int(request.POST["revoke"]), municipality=org
        ).first()
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
        needle = form.cleaned_data["person"].strip()
        person = User.objects.filter(Q(username=needle) | Q(email__iexact=needle)).first()
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
    memberships = Membership.objects.filter(municipality=org).select_related("user")
    return render(
        request,
        "staff/roles.html",
        {"org": org, "form": form, "memberships": memberships},
        status=status,
    )
