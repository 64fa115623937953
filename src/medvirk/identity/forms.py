"""Forms for accounts, e-mail confirmation, erasure and the test provider."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .providers import TEST_LEVELS, TEST_PEOPLE


class AccessibleFormMixin:
    """Design-system classes on every widget; invalid fields point at their messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.widget.attrs.setdefault("class", "ds-input")

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._describe()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        self._describe()

    def _describe(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound = self[name]  # type: ignore[index]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-help")
            if name in self.errors:  # type: ignore[attr-defined]
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{bound.auto_id}-error")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class SignupForm(AccessibleFormMixin, UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("We send you a link to confirm it. Used only to tell you about your input."),
    )

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "email")


class EmailForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class EraseForm(AccessibleFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is erased and that this cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to erase.")},
    )


class TestLoginForm(AccessibleFormMixin, forms.Form):
    person = forms.ChoiceField(
        label=_("Test person"),
        choices=[(p.key, f"{p.name} ({p.national_id})") for p in TEST_PEOPLE],
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(
        label=_("Level of assurance"),
        choices=TEST_LEVELS,
        initial="idporten-loa-substantial",
        widget=forms.RadioSelect,
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class DisputeForm(AccessibleFormMixin, forms.Form):
    """«This was not me»: the person disputes an in-person identity check of their account."""

    note = forms.CharField(
        label=_("What happened? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The municipality's administrators read this when they review the check."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I was not at this identity check, or I do not recognise it. Remove the verification "
            "it gave my account."
        ),
        required=True,
        error_messages={"required": _("Tick the box to dispute the check.")},
    )
