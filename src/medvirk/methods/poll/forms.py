"""The vote form, the staff editor's form and the poll's settings.

The settings form's ``initial`` values are the defaults (``SettingsForm.defaults``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.core.errors import ActionRefused
from medvirk.processes.registry import SettingsForm

from .actions import AFTER_CLOSE, AFTER_VOTE, MAX_LABEL, MAX_QUESTION, clean_labels
from .models import MAX_OPTIONS, PollOption


class PollSettings(SettingsForm):
    results_shown = forms.ChoiceField(
        label=_("Show the results"),
        choices=[
            (AFTER_VOTE, _("to each person after they have voted")),
            (AFTER_CLOSE, _("to everyone when the poll closes")),
        ],
        initial=AFTER_VOTE,
        help_text=_(
            "Staff always see them. After the poll closes everyone sees them, whichever you choose."
        ),
    )


class VoteForm(forms.Form):
    """One option, by its id. The choices are the poll's own options: any other is refused."""

    option = forms.TypedChoiceField(
        label=_("Your vote"), coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args: Any, options: list[PollOption] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["option"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(o.pk, o.label) for o in options or []]
        field.error_messages["required"] = _("Choose one of the options.")
        field.error_messages["invalid_choice"] = _("Choose one of the options.")


class PollEditForm(forms.Form):
    """The staff editor: the question and its options, one per line."""

    question = forms.CharField(
        label=_("Question"),
        max_length=MAX_QUESTION,
        help_text=_("Ask one thing, in plain words. At most 300 characters."),
    )
    options = forms.CharField(
        label=_("Options"),
        max_length=MAX_OPTIONS * (MAX_LABEL + 2),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option per line: 2 to 10 different options, each at most 200 characters."),
    )

    def clean_options(self) -> list[str]:
        raw = str(self.cleaned_data["options"])
        try:
            return clean_labels(raw.splitlines())
        except ActionRefused as refused:
            raise forms.ValidationError(refused.message) from refused
