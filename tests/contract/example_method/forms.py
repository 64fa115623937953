"""The resident's idea form and the method's settings form.

The settings form's ``initial`` values are the defaults (``SettingsForm.defaults``); the same
form validates the staff page, the demo's settings and a stored row.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.processes.registry import SettingsForm

MIN_LENGTH, DEFAULT_LENGTH, MAX_LENGTH = 50, 500, 2000
LENGTH_MESSAGE = _("Write a whole number from 50 to 2000.")


class ExampleSettings(SettingsForm):
    show_ideas = forms.BooleanField(
        label=_("Show published ideas to everyone"),
        required=False,
        initial=True,
        help_text=_("Also offers them as open data. Otherwise only staff see them."),
    )
    max_length = forms.IntegerField(
        label=_("Longest idea, in characters"),
        initial=DEFAULT_LENGTH,
        min_value=MIN_LENGTH,
        max_value=MAX_LENGTH,
        # One plain message for every way the number can be wrong.
        error_messages={
            "invalid": LENGTH_MESSAGE,
            "min_value": LENGTH_MESSAGE,
            "max_value": LENGTH_MESSAGE,
            "required": LENGTH_MESSAGE,
        },
    )


class ExamplePhaseSettings(SettingsForm):
    """Per phase of the case: the board can stop taking ideas while, say, the council
    decides, and open again in the follow-up."""

    takes_ideas = forms.BooleanField(
        label=_("Take new ideas in this phase"), required=False, initial=True
    )


class IdeaForm(forms.Form):
    text = forms.CharField(
        label=_("Your idea"),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Short and concrete. Ideas are published with the municipality's answer."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to tell you when there is an answer. Never shown."),
    )

    def __init__(self, *args: Any, max_length: int = DEFAULT_LENGTH, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.fields["text"].widget.attrs["maxlength"] = str(max_length)

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if len(text) > self.max_length:
            raise forms.ValidationError(
                _("At most %(max)d characters (you wrote %(n)d)."),
                params={"max": self.max_length, "n": len(text)},
            )
        return text
