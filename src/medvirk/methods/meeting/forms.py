"""Forms of the meeting method: the settings, the registration with needs, the staff
member's meeting form, attendance, cancelling, and the results (one row per result).

Each mistake goes to the field it belongs to (for the error summary and
``aria-describedby``); the actions check everything again, so no path around a form can
store what the form would refuse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.core import uploads
from medvirk.core.filetypes import IMAGES
from medvirk.processes.registry import SettingsForm

from . import needs
from .actions import MAX_GUESTS, MAX_RANK, MAX_RESULT_TEXT, MAX_ROWS
from .demographics import MAX_DISTRICT, MAX_DISTRICTS, Demographics
from .guides import ResultType, Stage
from .models import AgeBand, Format, Sex
from .staff_actions import (
    MAX_ACCESSIBILITY,
    MAX_ATTENDANCE,
    MAX_CAPACITY,
    MAX_DAYS,
    MAX_DESCRIPTION,
    MAX_MESSAGE,
    MeetingData,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingSettings(SettingsForm):
    host_questions = forms.CharField(
        label=_("Questions for the gjestebod hosts' question sheet"),
        required=False,
        initial="",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One question per line. Empty: the sheet has four standard questions about the "
            "case (what works, what should change, what matters most, what the municipality "
            "should know)."
        ),
    )
    districts = forms.CharField(
        label=_("Districts people can choose when they register"),
        required=False,
        initial="",
        max_length=MAX_DISTRICTS * (MAX_DISTRICT + 2),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line, written as in the municipality's population figures for districts, "
            "so that who came can be compared with who lives there. Empty: people who agree "
            "to tell write their district themselves."
        ),
    )


# -- registration ---------------------------------------------------------------------------


class RegistrationForm(forms.Form):
    """Name, e-mail (not asked when the account has a verified address) and needs."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The confirmation and your private link to see or cancel go here."),
    )
    interpreter = forms.BooleanField(label=_("I need an interpreter"), required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter for which language?"),
        required=False,
        max_length=needs.MAX_LANGUAGE,
    )
    sign_language = forms.BooleanField(label=_("Sign language interpreter"), required=False)
    step_free = forms.BooleanField(
        label=_("Step-free access (I use a wheelchair or cannot take stairs)"), required=False
    )
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    childcare = forms.BooleanField(label=_("Childcare during the meeting"), required=False)
    dietary = forms.CharField(
        label=_("Food: allergy or diet"),
        required=False,
        max_length=needs.MAX_DIETARY,
    )
    other = forms.CharField(
        label=_("Anything else we should know to make it work for you"),
        required=False,
        max_length=needs.MAX_OTHER,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Who was heard: optional, and stored only with the tick below (unticked at first).
    age_band = forms.ChoiceField(
        label=_("Age group"),
        required=False,
        choices=[("", _("Not given")), *AgeBand.choices],
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Not given")), *Sex.choices],
    )
    district = forms.CharField(
        label=_("District where you live"),
        required=False,
        max_length=MAX_DISTRICT,
    )
    demographics_consent = forms.BooleanField(
        label=_(
            "Yes, the municipality may keep my age group, sex and district with my "
            "registration to count who was heard"
        ),
        required=False,
        initial=False,
        help_text=_("Without this tick none of the three is stored."),
    )

    def __init__(
        self,
        *args: Any,
        account_email: str = "",
        districts: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        if account_email:
            del self.fields["email"]
        if districts:
            self.fields["district"] = forms.ChoiceField(
                label=_("District where you live"),
                required=False,
                choices=[("", _("Not given")), *((name, name) for name in districts)],
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        language = str(data.get("interpreter_language") or "").strip()
        if data.get("interpreter") and not language:
            self.add_error("interpreter_language", _("Write which language you need."))
        return data

    def needs(self) -> dict[str, Any]:
        data = self.cleaned_data
        raw: dict[str, Any] = {key: bool(data.get(key)) for key in needs.FLAGS}
        if data.get("interpreter"):
            raw[needs.INTERPRETER] = data.get("interpreter_language", "")
        raw[needs.DIETARY] = data.get("dietary", "")
        raw[needs.OTHER] = data.get("other", "")
        return needs.clean(raw)

    def demographics(self) -> Demographics | None:
        """What the person consented to tell; None without the tick (nothing is kept)."""
        data = self.cleaned_data
        if not data.get("demographics_consent"):
            return None
        told = Demographics(
            age_band=str(data.get("age_band") or ""),
            sex=str(data.get("sex") or ""),
            district=" ".join(str(data.get("district") or "").split()),
        )
        return told if told.given else None


class CancelRegistrationForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel my registration"),
        error_messages={"required": _("Tick the box to cancel.")},
    )


# -- staff: a meeting ----------------------------------------------------------------------


class MeetingForm(forms.Form):
    prefix = "meeting"

    format = forms.ChoiceField(label=_("Kind of meeting"), choices=Format.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What it is about"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In plain words: what the meeting is for and what people can influence."),
    )
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    ends = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    end_day = forms.DateField(
        label=_("Last day, when it lasts more than one day"),
        required=False,
        widget=DATE_WIDGET,
    )
    place_name = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_(
            "Shown publicly. For a gjestebod, give the area, never the host's home address."
        ),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    accessibility = forms.CharField(
        label=_("Accessibility, in words"),
        required=False,
        max_length=MAX_ACCESSIBILITY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Say it plainly: the way in, parking, lifts, lighting, quiet room, whether "
            "interpreters can be booked."
        ),
    )
    digital_link = forms.URLField(
        label=_("Link to take part online"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("Empty: no limit. When it is full, people go on a wait list."),
    )
    registration_open = forms.BooleanField(
        label=_("Registration open"),
        required=False,
        initial=True,
        help_text=_("A gjestebod takes no registration here: the host invites."),
    )
    host_name = forms.CharField(
        label=_("Host's name (gjestebod)"),
        required=False,
        max_length=150,
        help_text=_("Not shown publicly."),
    )
    host_email = forms.EmailField(
        label=_("Host's e-mail (gjestebod)"),
        required=False,
        max_length=254,
        help_text=_(
            "The host gets a private link by e-mail to report the results. A new address "
            "gets a new link."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        end_day = data.get("end_day") or day
        if day and end_day and end_day < day:
            self.add_error("end_day", _("The last day cannot be before the first."))
        elif day and starts and ends and (end_day, ends) <= (day, starts):
            self.add_error("ends", _("The meeting must end after it starts."))
        elif day and end_day and (end_day - day).days >= MAX_DAYS:
            self.add_error("end_day", _("A meeting lasts at most %(n)d days.") % {"n": MAX_DAYS})
        if (
            data.get("format") == Format.HOSTED
            and data.get("host_name")
            and not data.get("host_email")
        ):
            self.add_error("host_email", _("Give the host's e-mail address, for the link."))
        return data

    def meeting_data(self) -> MeetingData:
        data = self.cleaned_data
        starts_at, ends_at = span(data["day"], data["starts"], data["end_day"], data["ends"])
        return MeetingData(
            format=data["format"],
            title=data["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            description=data["description"],
            place_name=data["place_name"],
            address=data["address"],
            step_free=data["step_free"],
            hearing_loop=data["hearing_loop"],
            accessible_toilet=data["accessible_toilet"],
            accessibility=data["accessibility"],
            digital_link=data["digital_link"],
            capacity=data["capacity"],
            registration_open=data["registration_open"],
            host_name=data["host_name"],
            host_email=data["host_email"],
        )


def span(
    day: dt.date, starts: dt.time, end_day: dt.date | None, ends: dt.time
) -> tuple[dt.datetime, dt.datetime]:
    """The local days and times (Norwegian time) as aware moments."""
    start = timezone.make_aware(dt.datetime.combine(day, starts))
    return start, timezone.make_aware(dt.datetime.combine(end_day or day, ends))


def initial_for(meeting: Any) -> dict[str, Any]:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return {
        "format": meeting.format,
        "title": meeting.title,
        "description": meeting.description,
        "day": start.date(),
        "starts": start.time().replace(second=0, microsecond=0),
        "ends": end.time().replace(second=0, microsecond=0),
        "end_day": end.date() if end.date() != start.date() else None,
        "place_name": meeting.place_name,
        "address": meeting.address,
        "step_free": meeting.step_free,
        "hearing_loop": meeting.hearing_loop,
        "accessible_toilet": meeting.accessible_toilet,
        "accessibility": meeting.accessibility,
        "digital_link": meeting.digital_link,
        "capacity": meeting.capacity,
        "registration_open": meeting.registration_open,
        "host_name": meeting.host_name,
        "host_email": meeting.host_email,
    }


class CancelMeetingForm(forms.Form):
    prefix = "cancel"

    message = forms.CharField(
        label=_("Message to those registered"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why it is cancelled, and whether a new time will come."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, cancel the meeting and tell everyone registered"),
        error_messages={"required": _("Tick the box to cancel the meeting.")},
    )


class AttendanceForm(forms.Form):
    prefix = "attendance"

    attendance = forms.IntegerField(
        label=_("How many took part"),
        required=False,
        min_value=0,
        max_value=MAX_ATTENDANCE,
        help_text=_("As counted at the meeting. Empty: not known."),
    )


# -- results -------------------------------------------------------------------------------


class ReportForm(forms.Form):
    """What goes with the whole report: the number of guests at a gjestebod."""

    guests = forms.IntegerField(
        label=_("How many guests took part"),
        required=False,
        min_value=0,
        max_value=MAX_GUESTS,
        help_text=_("Without the host. Names are not needed."),
    )


class ResultRowForm(forms.Form):
    """One result: its kind, the text, the stage (framtidsverkstad), the place in the
    order (priority) or the photo (with everyone's agreement)."""

    type = forms.ChoiceField(label=_("Kind"), choices=ResultType.choices, initial=ResultType.NOTE)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    rank = forms.IntegerField(
        label=_("Place in the order (priorities)"),
        required=False,
        min_value=1,
        max_value=MAX_RANK,
    )
    text = forms.CharField(
        label=_("The result"),
        max_length=MAX_RESULT_TEXT,
        error_messages={"required": _("Write the result, or leave the whole row empty.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was said or written. For a photo: what it shows."),
    )
    photo = uploads.UploadField(label=_("Photo"), kinds=IMAGES, required=False)
    consent = forms.BooleanField(
        label=_("Everyone recognisable in the photo agreed to it being sent"),
        required=False,
    )

    def __init__(self, *args: Any, staged: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staged = staged
        if not staged:
            del self.fields["stage"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("type")
        if self.staged and not data.get("stage"):
            self.add_error("stage", _("Choose the stage."))
        if kind == ResultType.PRIORITY and data.get("rank") is None:
            self.add_error("rank", _("Give the priority's place in the order (1 is first)."))
        if kind == ResultType.PHOTO:
            if data.get("photo") is None and "photo" not in self.errors:
                self.add_error("photo", _("Choose the photo."))
            if not data.get("consent"):
                self.add_error(
                    "consent", _("Tick this: a photo is sent only when everyone agreed.")
                )
        elif data.get("photo") is not None:
            self.add_error("type", _("Choose “Photo” to send a photo."))
        return data


class BaseResultRows(forms.BaseFormSet):
    def __init__(self, *args: Any, staged: bool = False, **kwargs: Any) -> None:
        self.staged = staged
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "staged": self.staged}

    @property
    def empty_form(self) -> forms.Form:
        form: forms.Form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            staged=self.staged,
        )
        return form

    def filled(self) -> list[dict[str, Any]]:
        """The rows someone wrote in (after ``is_valid``)."""
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.filled():
            raise forms.ValidationError(_("Write at least one result."))


ROWS_DEFAULT = 5
ROWS_CHOICES = (5, 10, 20, MAX_ROWS)


def result_rows(extra: int) -> type[BaseResultRows]:
    """The formset class with ``extra`` empty rows (at most MAX_ROWS)."""
    extra = max(1, min(extra, MAX_ROWS))
    return cast(
        type[BaseResultRows],
        forms.formset_factory(
            ResultRowForm,
            formset=BaseResultRows,
            extra=extra,
            max_num=MAX_ROWS,
            absolute_max=MAX_ROWS,
            validate_max=True,
        ),
    )
