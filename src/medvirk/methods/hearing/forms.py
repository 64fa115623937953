"""Forms for residents (a comment on the text, a formal submission) and the instance's settings.

The forms check what a person can correct in the form; ``actions.do_comment`` and
``actions.do_submit`` check everything again (the demo and other callers skip the forms).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.text import orgnr
from medvirk.core import uploads
from medvirk.processes.registry import SettingsForm

from .models import SenderKind

# A formal submission may come with up to five files (as input registered offline).
MAX_FILES = 5
NAME_MAX = 150
ORGANISATION_MAX = 200


class HearingSettings(SettingsForm):
    comments = forms.BooleanField(
        label=_("Residents may comment on a section or paragraph"),
        required=False,
        initial=True,
    )
    submissions = forms.BooleanField(
        label=_("Residents may send a formal submission (høyringsinnspel)"),
        required=False,
        initial=True,
    )
    register_public = forms.BooleanField(
        label=_("Publish submissions in the public register (offentleglova)"),
        help_text=_(
            "A submission is a case document. The register shows it with the municipality's "
            "answer; names only where the sender chose so, never a minor's name."
        ),
        required=False,
        initial=True,
    )


def organisation_number_error(value: str) -> str:
    """Why ``value`` is not an organisation number ("" when it is one)."""
    digits = "".join(ch for ch in value if not ch.isspace())
    if orgnr.normalise(value) is not None:
        return ""
    if len(digits) != orgnr.LENGTH or not (digits.isascii() and digits.isdigit()):
        return str(
            _(
                "An organisation number has 9 digits, for example 974 760 673. Write only the "
                "digits (spaces are fine), or leave the field empty."
            )
        )
    return str(
        _(
            "%(number)s is not a valid organisation number: the last digit does not match the "
            "others. Check the number in the Brønnøysund Register Centre (Enhetsregisteret)."
        )
        % {"number": digits}
    )


class PartChoice(Protocol):
    """A part of the text to comment on, as the comment form offers it (``queries.Part``)."""

    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def group(self) -> str: ...


class CommentForm(forms.Form):
    """A comment on one section or paragraph of a document on consultation."""

    part = forms.ChoiceField(
        label=_("Which part of the text you comment on"),
        help_text=_("A numbered section or paragraph."),
        choices=(),
    )
    text = forms.CharField(
        label=_("Your comment"),
        max_length=settings.MEDVIRK_MAX_TEXT_LENGTH,
        widget=forms.Textarea({"rows": 6}),
        help_text=_(
            "Comments are published beside the text with the municipality's answer. Do not "
            "write personal information about yourself or others."
        ),
    )
    author_name = forms.CharField(label=_("Your name"), required=False, max_length=NAME_MAX)
    show_name = forms.BooleanField(label=_("Show my name with the comment"), required=False)
    is_minor = forms.BooleanField(
        label=_("I am under 18"),
        required=False,
        help_text=_("Then your name is never shown online, whatever you choose above."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to tell you when there is an answer. Never shown."),
    )

    def __init__(
        self,
        *args: Any,
        parts: Sequence[PartChoice] = (),
        account_email: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["part"]
        assert isinstance(field, forms.ChoiceField)
        groups: dict[str, list[tuple[str, str]]] = {}
        for part in parts:
            groups.setdefault(part.group, []).append((part.key, part.label))
        # No part is chosen for the person: a comment is never anchored by accident.
        empty = ("", _("Choose a section or paragraph"))
        if len(groups) > 1:
            # Several documents: one group each, named by the document's title.
            field.choices = [empty, *((group, choices) for group, choices in groups.items())]
        else:
            field.choices = [empty, *((p.key, p.label) for p in parts)]
        field.error_messages["required"] = _("Choose the part of the text you comment on.")
        field.error_messages["invalid_choice"] = _("Choose the part of the text you comment on.")
        self.fields["text"].error_messages["required"] = _("Write your comment.")
        if account_email:
            # A verified account: the receipt and the answer go there, never asked again.
            del self.fields["contact_email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_minor"):
            data["show_name"] = False
        return data


class SubmissionForm(forms.Form):
    """A formal submission (høyringsinnspel) from a person or on behalf of an organisation."""

    sender_kind = forms.ChoiceField(
        label=_("Who is sending the submission?"),
        choices=SenderKind.choices,
        initial=SenderKind.PERSON,
        widget=forms.RadioSelect,
    )
    author_name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        help_text=_("The municipality keeps the name with the submission in its archive."),
    )
    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        required=False,
        max_length=ORGANISATION_MAX,
        help_text=_("Only when you send on behalf of an organisation, business or association."),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=20,
        help_text=_("9 digits, if the organisation has one (Enhetsregisteret)."),
    )
    is_minor = forms.BooleanField(
        label=_("I am under 18"),
        required=False,
        help_text=_(
            "Then your name is never shown online, whatever you choose below. The municipality "
            "keeps it in its archive with the submission."
        ),
    )
    show_name = forms.BooleanField(
        label=_("Show my name in the public register"),
        required=False,
        help_text=_(
            "A submission is a public case document. Without this tick the register says "
            "“Name not shown”; the municipality still keeps your name."
        ),
    )
    text = forms.CharField(
        label=_("Your submission"),
        required=False,
        max_length=settings.MEDVIRK_MAX_TEXT_LENGTH,
        widget=forms.Textarea({"rows": 10}),
        help_text=_("Write here, attach files, or both. Do not write anyone's national ID number."),
    )
    attachments = uploads.UploadsField(
        label=_("Attachments"), kinds=uploads.ATTACHMENT_KINDS, max_files=MAX_FILES
    )
    contact_email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to send you the receipt and the answer. Never shown."),
    )

    def __init__(self, *args: Any, account_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender_kind"].error_messages["required"] = _(
            "Choose whether you send as yourself or for an organisation."
        )
        self.fields["author_name"].error_messages["required"] = _("Write your name.")
        if account_email:
            del self.fields["contact_email"]

    def clean_author_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("author_name", "")).split())
        if not name:
            raise forms.ValidationError(_("Write your name."))
        return name

    def clean_organisation_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("organisation_name", "")).split())

    def clean_organisation_number(self) -> str:
        value = str(self.cleaned_data.get("organisation_number", "")).strip()
        if not value:
            return ""
        problem = organisation_number_error(value)
        if problem:
            raise forms.ValidationError(problem)
        return orgnr.normalise(value) or ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sender_kind") == SenderKind.ORGANISATION:
            if not data.get("organisation_name") and "organisation_name" not in self.errors:
                self.add_error(
                    "organisation_name",
                    _("Write the name of the organisation you send the submission for."),
                )
        elif "sender_kind" in data:
            # Sent as a private person: organisation details typed earlier are not kept.
            data["organisation_name"] = ""
            data["organisation_number"] = ""
            self.errors.pop("organisation_number", None)
        if data.get("is_minor"):
            data["show_name"] = False
        text = str(data.get("text") or "").strip()
        data["text"] = text
        if not text and not data.get("attachments") and "attachments" not in self.errors:
            self.add_error("text", _("Write your submission, or attach at least one file."))
        return data
