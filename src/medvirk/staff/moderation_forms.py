"""Forms for moderation and the kommune's moderation setting (staff)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.contributions.types import ModerationMode

REASON_MAX = 500  # contributions.actions.REASON_MAX_LENGTH: the column holds 500

# What each mode means, in the words a kommune's administrator decides by.
MODE_HELP = {
    ModerationMode.AUTO: _(
        "Free text from residents who are not logged in waits until a moderator approves it. "
        "Input from logged-in residents, input staff register and answers without free text "
        "are published at once, and anyone can report them."
    ),
    ModerationMode.PRE: _(
        "Nothing a resident writes is shown publicly until a moderator approves it. Safest, "
        "but input waits for a moderator, also at weekends."
    ),
    ModerationMode.POST: _(
        "Everything is published at once. Residents can report input, and a moderator can "
        "hide it with a reason shown in its place."
    ),
}


class NoteForm(forms.Form):
    """Approve, restore or keep reported input: an optional note for the log."""

    note = forms.CharField(
        label=_("Note for the log"),
        required=False,
        max_length=REASON_MAX,
        help_text=_("Not sent to the author and not shown publicly."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason told to the author"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Sent to the author and shown on their receipt; never shown publicly."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason shown publicly"),
        max_length=REASON_MAX,
        widget=forms.Textarea({"rows": 2}),
        help_text=_(
            "Shown in place of the input: “Hidden by a moderator: …”. Name no one, and "
            "repeat nothing from the input."
        ),
        error_messages={"required": _("Write the reason: it is shown publicly in its place.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search published input"), required=False, max_length=100)


class ModerationModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How input is moderated"),
        choices=ModerationMode.choices,
        widget=forms.RadioSelect,
    )

    def options(self) -> list[dict[str, object]]:
        """The choices with their explanations, for a fieldset of radio buttons."""
        chosen = str(self["mode"].value() or "")
        return [
            {
                "value": value,
                "label": label,
                "help": MODE_HELP[ModerationMode(value)],
                # Django's own ids for the choices, so the error summary's link finds the first.
                "id": f"id_mode_{index}",
                "checked": value == chosen,
            }
            for index, (value, label) in enumerate(ModerationMode.choices)
        ]
