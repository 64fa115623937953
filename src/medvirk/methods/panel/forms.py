"""The member's forms: the profile questions (joining and changing them), consent, leaving.

The profile questions are the municipality's dimensions: each is optional, with "I would
rather not answer" as its first choice. Their fields are named ``q-<dimension key>``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .queries import Question

PREFIX = "q-"


class Radios(forms.RadioSelect):
    """Radio buttons whose group is linked (from the error summary) to its first button."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        if index is None:
            index = "0"
        return super().id_for_label(id_, index)


class ProfileForm(forms.Form):
    """One optional radio group per profile question."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            field = forms.ChoiceField(
                label=q.name,
                required=False,
                widget=Radios,
                choices=[("", _("I would rather not answer"))]
                + [(o.key, o.label) for o in q.options],
            )
            field.error_messages["invalid_choice"] = _("Choose one of the options.")
            self.fields[PREFIX + q.key] = field

    def question_fields(self) -> list[forms.BoundField]:
        return [self[PREFIX + q.key] for q in self.questions]

    def profile(self) -> dict[str, str]:
        """The answers by dimension key ("" = not answered); call after ``is_valid()``."""
        return {q.key: str(self.cleaned_data.get(PREFIX + q.key) or "") for q in self.questions}


class JoinForm(ProfileForm):
    """The profile, the age confirmation and the explicit consent (both required)."""

    def __init__(self, *args: Any, min_age: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["of_age"] = forms.BooleanField(
            label=_("I am %(age)d years or older.") % {"age": min_age},
            required=True,
            error_messages={
                "required": _("You must be %(age)d years or older to join this panel.")
                % {"age": min_age}
            },
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I agree that the municipality stores my answers above and my e-mail address "
                "to invite me, and publishes my member code with my answers in its lotteries, "
                "as described on this page."
            ),
            required=True,
            error_messages={
                "required": _("To join, you must agree to what the panel stores and publishes.")
            },
        )


class LeaveForm(forms.Form):
    """Leaving needs only the confirmation page's button (and its CSRF token)."""
