"""The decision editor's form: who decided what and when, the case number and the møtebok."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from medvirk.accountability.types import ResponseStatus

WEB_ADDRESS = _("Give a web address starting with https:// (or http://).")


class DecisionForm(forms.Form):
    body = forms.CharField(label=_("Decided by (body)"), max_length=200)
    is_pending = forms.BooleanField(
        label=_("Not decided yet"),
        required=False,
        help_text=_(
            "When a decision is saved as made, everyone who gave input and everyone who "
            "follows the case is told once, the case is marked decided and its methods close."
        ),
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Decision"), max_length=10000, widget=forms.Textarea({"rows": 5})
    )
    case_number = forms.CharField(
        label=_("Case number (saksnummer)"),
        max_length=50,
        required=False,
        help_text=_("As in the municipality's archive, for example 2026/1234."),
    )
    meeting_record_url = forms.URLField(
        label=_("Link to the meeting record (møtebok)"),
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"], message=WEB_ADDRESS)],
        error_messages={"invalid": WEB_ADDRESS},
    )
    link_status = forms.MultipleChoiceField(
        label=_("Link the answers with these statuses"),
        choices=ResponseStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("is_pending") and data.get("date") is None and "date" not in self.errors:
            self.add_error("date", _("A decision that has been made needs a date."))
        return data
