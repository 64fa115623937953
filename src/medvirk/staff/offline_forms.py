"""The form for input given outside the web: where it belongs, when and where it was given,
who gave it, and the files that came with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.contributions.attachments import MAX_ATTACHMENTS
from medvirk.contributions.types import Channel
from medvirk.core import uploads
from medvirk.processes import queries as process_queries
from medvirk.processes.types import MethodInstance, Process

TEXT_MAX = 5000
# The "method" choice for input about the case as a whole (no one method).
WHOLE_CASE = "case"


class OfflineForm(forms.Form):
    method = forms.ChoiceField(
        label=_("What the input is about"),
        help_text=_("A method in the case, or the case as a whole."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )
    given_on = forms.DateField(
        label=_("Date it was given"),
        required=False,
        help_text=_("For a meeting, the meeting's date. Left empty: today."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    given_at_place = forms.CharField(
        label=_("Where it was given"),
        required=False,
        max_length=200,
        help_text=_("For example the meeting and the place: “Open meeting, Lillevik school”."),
    )
    text = forms.CharField(
        label=_("The input"), max_length=TEXT_MAX, widget=forms.Textarea({"rows": 6})
    )
    author_name = forms.CharField(label=_("Name (if given)"), required=False, max_length=150)
    show_name = forms.BooleanField(label=_("The person wants the name shown"), required=False)
    contact_email = forms.EmailField(label=_("E-mail for the answer"), required=False)
    attachments = uploads.UploadsField(
        label=_("Attachments"), kinds=uploads.ATTACHMENT_KINDS, max_files=MAX_ATTACHMENTS
    )

    def __init__(self, process: Process, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._methods = {str(m.pk): m for m in process_queries.methods_of(process)}
        self.fields["method"].choices = [  # type: ignore[attr-defined]
            (WHOLE_CASE, _("The case as a whole")),
            *((pk, f"{m.title} ({m.phase.name})") for pk, m in self._methods.items()),
        ]
        today = timezone.localdate()
        self.fields["given_on"].initial = today
        self.fields["given_on"].widget.attrs["max"] = today.isoformat()

    def clean_method(self) -> MethodInstance | None:
        value = self.cleaned_data["method"]
        return None if value == WHOLE_CASE else self._methods[value]

    def clean_given_on(self) -> dt.date:
        given: dt.date | None = self.cleaned_data["given_on"]
        today = timezone.localdate()
        if given is None:
            return today
        if given > today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        return given
