"""The opinion map's forms: the settings, a participant's statement, and staff's forms.

The settings form's ``initial`` values are the defaults (``SettingsForm.defaults``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.core.errors import ActionRefused
from medvirk.processes.registry import SettingsForm

from .actions import MAX_STATEMENT, clean_statement

# A Pol.is export of the largest conversations is about 100 MB of votes; one upload here
# takes up to this much per file (a conversation of about 800 000 votes).
MAX_IMPORT_BYTES = 40 * 1024 * 1024


class OpinionMapSettings(SettingsForm):
    allow_statements = forms.BooleanField(
        label=_("Participants may add statements"),
        required=False,
        initial=True,
        help_text=_(
            "A moderator reads each one before anyone votes on it. Each gets an answer from "
            "the municipality in the inbox."
        ),
    )


class StatementForm(forms.Form):
    """A participant's statement (and, when not logged in, where the answer may go)."""

    text = forms.CharField(
        label=_("Your statement"),
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_STATEMENT}),
        help_text=_(
            "One short thought others can agree or disagree with, at most 140 characters. "
            "Do not write names or other details about people."
        ),
    )
    contact_email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        help_text=_(
            "If you want the municipality's answer by e-mail. It is never shown to others."
        ),
    )

    def __init__(self, *args: Any, account_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Write the statement.")
        if account_email:
            # The receipt and the answer go to the account's verified address.
            del self.fields["contact_email"]

    def clean_text(self) -> str:
        try:
            return clean_statement(str(self.cleaned_data["text"]))
        except ActionRefused as refused:
            raise forms.ValidationError(refused.message) from refused


class SeedStatementForm(forms.Form):
    """Staff: a statement from the municipality (added, or changed before anyone voted)."""

    text = forms.CharField(
        label=_("Statement"),
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_STATEMENT}),
        help_text=_(
            "One short, balanced thought, at most 140 characters. Start with 10–20 that "
            "cover the main views."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Write the statement.")

    def clean_text(self) -> str:
        try:
            return clean_statement(str(self.cleaned_data["text"]))
        except ActionRefused as refused:
            raise forms.ValidationError(refused.message) from refused


class ImportForm(forms.Form):
    """Staff: the files of a Pol.is export (checked in ``polis_files``)."""

    comments = forms.FileField(
        label="comments.csv",
        help_text=_("The statements, with their ids and whether they were moderated out."),
    )
    votes = forms.FileField(
        label="votes.csv",
        required=False,
        help_text=_("Every vote: statement id, participant id, vote, time."),
    )
    participants_votes = forms.FileField(
        label="participants-votes.csv",
        required=False,
        help_text=_(
            "One row per participant with their latest vote on each statement. Used for "
            "votes that votes.csv does not hold, or instead of it."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("votes")
            and not cleaned.get("participants_votes")
            and not (self.errors.get("votes") or self.errors.get("participants_votes"))
        ):
            self.add_error(
                "votes", _("Choose votes.csv or participants-votes.csv: the votes are in them.")
            )
        return cleaned
