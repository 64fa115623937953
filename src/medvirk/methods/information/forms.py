"""The question a resident asks the municipality about the case's facts.

The length limit is the platform's (``do_contribute`` refuses longer text with a message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea({"rows": 5}),
        help_text=_("Ask about the facts of the case. The municipality answers in public."),
    )
    author_name = forms.CharField(label=_("Your name"), required=False, max_length=150)
    show_name = forms.BooleanField(label=_("Show my name with the question"), required=False)
    contact_email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to tell you when there is an answer. Never shown."),
    )

    def __init__(self, *args: Any, account_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if account_email:
            # A verified account: the receipt and the answer go there, never asked again.
            del self.fields["contact_email"]
