"""Staff register an in-person identity check (for people without e-ID)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from medvirk.core.errors import ActionRefused
from medvirk.identity.forms import AccessibleFormMixin
from medvirk.identity.types import DocumentKind
from medvirk.organisations import identity_checks
from medvirk.organisations import queries as organisation_queries
from medvirk.organisations.types import Municipality
from medvirk.vocabulary import Capability

from .access import acting

TEMPLATE = "staff/verify_in_person.html"


class InPersonForm(AccessibleFormMixin, forms.Form):
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=None, empty_label=None
    )
    person = forms.CharField(
        label=gettext_lazy("The person's username or e-mail address"),
        max_length=254,
    )
    document_kind = forms.ChoiceField(
        label=gettext_lazy("Document checked"),
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
    )
    document_last4 = forms.CharField(
        label=gettext_lazy("Last four characters of the document number"),
        min_length=4,
        max_length=4,
        help_text=gettext_lazy(
            "Only these are stored, so the person can recognise the document on their page."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
    )
    document_expires = forms.DateField(
        label=gettext_lazy("The document is valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    national_id = forms.CharField(
        label=gettext_lazy("National identity number (optional)"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Lets Medvirk recognise the same person if they later log in with ID-porten. Only a "
            "keyed hash is stored, never the number."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I have seen the person and checked the document myself."),
        required=True,
        error_messages={
            "required": gettext_lazy("Confirm that you checked the document in person.")
        },
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def verify_in_person(request: HttpRequest) -> HttpResponse:
    staff = acting(request)
    municipalities = organisation_queries.municipalities_where(staff, Capability.VERIFY_IDENTITY)
    if not municipalities.exists():
        raise PermissionDenied
    form = InPersonForm(request.POST or None, municipalities=municipalities)
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = identity_checks.find_person(data["person"])
        except ActionRefused as refused:
            form.add_error("person", refused.message)
        else:
            try:
                identity_checks.do_verify_in_person(
                    staff,
                    data["municipality"],
                    person,
                    data["document_kind"],
                    data["document_last4"],
                    data["document_expires"],
                    data["national_id"],
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("The identity of %(person)s is now registered as verified.")
                    % {"person": person.get_username()},
                )
                return redirect("staff:verify_in_person")
    return render(request, TEMPLATE, {"form": form}, status=400)


class ReviewForm(AccessibleFormMixin, forms.Form):
    check_id = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("What you found"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example whom you talked to, and whether you revoked a role. The person does not "
            "get the verification back by this: they log in with e-ID or are checked again."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disputes(request: HttpRequest) -> HttpResponse:
    """Administrators review the in-person checks people said were not them."""
    staff = acting(request)
    if not organisation_queries.municipalities_where(staff, Capability.MANAGE_ROLES).exists():
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                identity_checks.do_review_dispute(
                    staff, form.cleaned_data["check_id"], form.cleaned_data["note"]
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _("The dispute is marked as reviewed."))
                return redirect("staff:identity_disputes")
    return render(
        request,
        "staff/identity_disputes.html",
        {"disputes": identity_checks.open_disputes(staff), "form": form},
        status=status,
    )
