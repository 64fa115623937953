"""The method's settings, the statement form, and the staff forms for bodies, members,
meetings (agenda and minutes) and the bodies a case asks.

Each mistake goes to its field; the actions check everything again, so no path around a
form stores what the form would refuse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medvirk.core import uploads
from medvirk.processes.registry import SettingsForm

from .models import BodyKind, MeetingStatus, MemberRole
from .staff_actions import MINUTES_KINDS, BodyData, MeetingData, MemberData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BodiesSettings(SettingsForm):
    late_statements = forms.BooleanField(
        label=_("Take statements after the deadline (marked late)"),
        required=False,
        initial=True,
        help_text=_(
            "A council's statement must follow the case to whoever decides, so a late one is "
            "usually still taken."
        ),
    )


# -- the statement -----------------------------------------------------------------------------


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("The statement, as the body adopted it"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=settings.MEDVIRK_MAX_TEXT_LENGTH,
        help_text=_("It is published on the case with the body's name."),
    )
    meeting = forms.TypedChoiceField(
        label=_("The meeting where it was adopted"),
        coerce=int,
        choices=[],
        help_text=_("A body decides in its meetings. The date of the statement is the meeting's."),
    )
    agenda_item = forms.TypedChoiceField(
        label=_("Item on the meeting's agenda"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )

    def __init__(
        self,
        *args: Any,
        meetings: list[tuple[int, str]] | None = None,
        agenda: list[tuple[str, list[tuple[int, str]]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        meeting_field = self.fields["meeting"]
        assert isinstance(meeting_field, forms.TypedChoiceField)
        meeting_field.choices = [("", _("Choose the meeting")), *(meetings or [])]
        item_field = self.fields["agenda_item"]
        assert isinstance(item_field, forms.TypedChoiceField)
        item_field.choices = [("", _("No item / not on the list")), *(agenda or [])]


# -- staff: bodies -----------------------------------------------------------------------------


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of body"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    slug = forms.SlugField(
        label=_("Address (the last part of the body's page address)"),
        max_length=80,
        required=False,
        help_text=_("Letters, digits and hyphens. Empty: made from the name."),
    )
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the body is for and which matters it deals with, in plain words."),
    )
    delegation = forms.CharField(
        label=_("What it may decide itself"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The power delegated to it, by whom and in which decision (kommuneloven § 5-3), "
            "e.g. a budget of its own. Empty: it gives statements and advice only."
        ),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=300,
        help_text=_("Empty: the usual basis for this kind of body, e.g. kommuneloven § 5-12."),
    )
    contact_email = forms.EmailField(
        label=_("The body's e-mail address"),
        required=False,
        max_length=254,
        help_text=_(
            "Shown on its page. The receipt and the municipality's answers to its statements "
            "go here. Use the secretariat's address, not a member's own."
        ),
    )
    is_published = forms.BooleanField(label=_("Show the body publicly"), required=False)

    def body_data(self) -> BodyData:
        data = self.cleaned_data
        return BodyData(
            kind=data["kind"],
            name=data["name"],
            slug=data.get("slug") or "",
            mandate=data.get("mandate") or "",
            delegation=data.get("delegation") or "",
            legal_basis=data.get("legal_basis") or "",
            contact_email=data.get("contact_email") or "",
            is_published=bool(data.get("is_published")),
        )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    represents = forms.CharField(
        label=_("Represents"),
        max_length=200,
        required=False,
        help_text=_("A school and class, an organisation or a party, as the body lists it."),
    )
    term_from = forms.DateField(label=_("Term from"), widget=DATE_WIDGET)
    term_to = forms.DateField(label=_("Term to"), widget=DATE_WIDGET, required=False)
    name_public = forms.BooleanField(
        label=_("Show the name publicly"),
        required=False,
        initial=True,
        help_text=_(
            "Members of councils and committees are named publicly. For a child, the "
            "municipality may show only the role and whom they represent."
        ),
    )
    account = forms.CharField(
        label=_("The member's account (username or e-mail address)"),
        max_length=254,
        required=False,
        help_text=_(
            "Links the member to a login: a secretary can then register the body's "
            "statements, and members can vote where the body allocates a budget. Never shown."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("term_from"), cleaned.get("term_to")
        if start and end and end < start:
            self.add_error("term_to", _("The term cannot end before it starts."))
        return cleaned

    def member_data(self) -> MemberData:
        data = self.cleaned_data
        return MemberData(
            name=data["name"],
            role=data["role"],
            represents=data.get("represents") or "",
            term_from=data["term_from"],
            term_to=data.get("term_to"),
            name_public=bool(data.get("name_public")),
            account=data.get("account") or "",
        )


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    place = forms.CharField(
        label=pgettext_lazy("location", "Place"), max_length=200, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("day"), cleaned.get("time")
        held = cleaned.get("status") == MeetingStatus.HELD
        if day and time and held and self.starts_at() > timezone.now():
            self.add_error("status", _("A meeting in the future cannot have been held."))
        return cleaned

    def starts_at(self) -> dt.datetime:
        day, time = self.cleaned_data["day"], self.cleaned_data["time"]
        return timezone.make_aware(dt.datetime.combine(day, time))

    def meeting_data(self) -> MeetingData:
        return MeetingData(
            starts_at=self.starts_at(),
            place=self.cleaned_data.get("place") or "",
            status=self.cleaned_data["status"],
        )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    case_reference = forms.CharField(
        label=_("Case reference"),
        max_length=60,
        required=False,
        help_text=_("The body's item number and/or the archive's case number, e.g. US 2/26."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes (text)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the body decided, item by item. Shown on its page."),
    )
    file = uploads.UploadField(label=_("Minutes as a file"), kinds=MINUTES_KINDS, required=False)
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)


class AskForm(forms.Form):
    body = forms.TypedChoiceField(label=_("Body"), coerce=int, choices=[])
    deadline = forms.DateField(
        label=_("Deadline for the statement"),
        widget=DATE_WIDGET,
        help_text=_("Early enough to affect the outcome: fit it to the body's meeting plan."),
    )
    question = forms.CharField(
        label=_("What the body is asked about"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, bodies: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose a body")), *(bodies or [])]


class RequestForm(forms.Form):
    deadline = forms.DateField(label=_("Deadline for the statement"), widget=DATE_WIDGET)
    question = forms.CharField(
        label=_("What the body is asked about"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
