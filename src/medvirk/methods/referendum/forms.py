"""Forms of the referendum: the settings, the ballot, changing a vote, and the staff's forms
(the question and its details, opening, paper counts, marking a paper voter, closing).

Forms clean what a person can get wrong; the actions check everything again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from medvirk.core.text import clean_line
from medvirk.processes.registry import SettingsForm

BLANK = "blank"
MIN_OPTIONS, MAX_OPTIONS = 2, 8
MAX_DISTRICTS = 40
MAX_PLACES = 60
DEFAULT_AGE = 16
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d"]
MAX_COUNT = 1_000_000


class ReferendumSettings(SettingsForm):
    """The council's rules for the vote. Copied into the referendum when staff announce it:
    changing them afterwards changes nothing."""

    voting_age = forms.IntegerField(
        label=_("Voting age"),
        initial=DEFAULT_AGE,
        min_value=12,
        max_value=25,
        help_text=_(
            "The age a person must reach by the end of the year of the vote (as in the "
            "Election Act). The council decides it; 16 has often been used."
        ),
    )
    turnout_floor = forms.IntegerField(
        label=_("Turnout floor, in per cent (0 = none)"),
        initial=0,
        min_value=0,
        max_value=100,
        help_text=_(
            "Only if the council decided one. It is shown on the page before voting starts, "
            "and the result says whether it was reached. A floor is discouraged; if used, "
            "keep it low (for example 25)."
        ),
    )
    revote = forms.BooleanField(
        label=_("Voters may change their vote while voting is open"),
        required=False,
        initial=False,
        help_text=_(
            "Only if the council chose it. The receipt then shows a one-time change code; "
            "only the voter with that code can replace the ballot."
        ),
    )
    blank_vote = forms.BooleanField(
        label=_("Offer a blank vote"),
        required=False,
        initial=True,
        help_text=_("Blank votes are counted and reported, but are not votes for an option."),
    )
    paper = forms.BooleanField(
        label=_("Paper ballots at polling places too"),
        required=False,
        initial=False,
        help_text=_(
            "Staff mark paper voters in the roll, and two staff members enter each polling "
            "place's count."
        ),
    )


# -- the ballot -----------------------------------------------------------------------------


class BallotForm(forms.Form):
    """The choice, and — when residence is declared, not looked up — where one lives."""

    choice = forms.ChoiceField(label=_("Your vote"), widget=forms.RadioSelect)
    lives_here = forms.BooleanField(label="", required=False)
    district = forms.ChoiceField(label=_("Your district"), required=False)

    def __init__(
        self,
        *args: Any,
        options: Sequence[tuple[int, str]] = (),
        blank: bool = False,
        declares: bool = False,
        kommune: str = "",
        districts: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(str(pk), label) for pk, label in options]
        if blank:
            choices.append((BLANK, str(_("Blank vote (I vote for no option)"))))
        choice = self.fields["choice"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = choices
        self.fields["choice"].error_messages["required"] = _("Choose one option.")
        self.fields["choice"].error_messages["invalid_choice"] = _("Choose one of the options.")
        self.declares = declares
        if not declares:
            del self.fields["lives_here"]
            del self.fields["district"]
            return
        self.fields["lives_here"].label = _("I live in %(kommune)s and am registered there") % {
            "kommune": kommune
        }
        self.fields["lives_here"].required = True
        self.fields["lives_here"].error_messages["required"] = _(
            "Only inhabitants may vote: tick that you live here."
        )
        if districts:
            district = self.fields["district"]
            assert isinstance(district, forms.ChoiceField)
            district.choices = [("", _("Choose")), *((d, d) for d in districts)]
            self.fields["district"].required = True
            self.fields["district"].error_messages["required"] = _("Choose your district.")
        else:
            del self.fields["district"]


class ChangeForm(BallotForm):
    """A new choice and the change code from the receipt."""

    code = forms.CharField(
        label=_("Your change code"),
        max_length=40,
        help_text=_("From your receipt, for example ABCD-EFGH-JKMN-PQRS-TVWX."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["declares"] = False
        kwargs.setdefault("auto_id", "change_%s")  # shown on the page beside the ballot
        super().__init__(*args, **kwargs)
        self.fields["choice"].label = _("Your new vote")
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.order_fields(["code", "choice"])


# -- the staff's forms -------------------------------------------------------------------------


@dataclass(frozen=True)
class District:
    name: str
    roll: int | None


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    district: str


def parse_districts(text: str) -> list[District]:
    """``Sentrum: 420`` per line (the number of people entitled to vote there is optional)."""
    found: list[District] = []
    seen: set[str] = set()
    for n, raw in enumerate(text.splitlines(), start=1):
        line = clean_line(raw)
        if not line:
            continue
        name, _sep, number = line.partition(":")
        name = clean_line(name)[:100]
        roll: int | None = None
        if number.strip():
            digits = number.strip().replace(" ", "").replace("\u00a0", "")
            if not digits.isdigit() or len(digits) > 7:
                raise forms.ValidationError(
                    _("Line %(n)d: after the colon, write the number of voters, or nothing."),
                    params={"n": n},
                )
            roll = int(digits)
        if not name:
            raise forms.ValidationError(_("Line %(n)d has no name."), params={"n": n})
        if name.casefold() in seen:
            raise forms.ValidationError(
                _("The district “%(name)s” is listed twice."), params={"name": name}
            )
        seen.add(name.casefold())
        found.append(District(name, roll))
    if len(found) > MAX_DISTRICTS:
        raise forms.ValidationError(_("At most %(n)d districts."), params={"n": MAX_DISTRICTS})
    return found


def parse_places(text: str, districts: Sequence[District]) -> list[Place]:
    """``Lillevik skule | Sentrum`` per line: the polling place and the district it serves."""
    names = {d.name.casefold(): d.name for d in districts}
    found: list[Place] = []
    keys: set[str] = set()
    for n, raw in enumerate(text.splitlines(), start=1):
        line = clean_line(raw)
        if not line:
            continue
        name, _sep, district = line.partition("|")
        name, district = clean_line(name)[:100], clean_line(district)
        key = slugify(name)[:80]
        if not key:
            raise forms.ValidationError(_("Line %(n)d has no name."), params={"n": n})
        if names and district.casefold() not in names:
            raise forms.ValidationError(
                _("Line %(n)d: “%(district)s” is not one of the districts above."),
                params={"n": n, "district": district},
            )
        if key in keys:
            raise forms.ValidationError(
                _("The polling place “%(name)s” is listed twice."), params={"name": name}
            )
        keys.add(key)
        found.append(Place(key, name, names.get(district.casefold(), district)[:100]))
    if len(found) > MAX_PLACES:
        raise forms.ValidationError(_("At most %(n)d polling places."), params={"n": MAX_PLACES})
    return found


class EditForm(forms.Form):
    """The council's question and the details of the vote, while it is being prepared."""

    question = forms.CharField(
        label=_("The question"),
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Word for word as the council decided it."),
    )
    options = forms.CharField(
        label=_("The options, one per line"),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("For example “Ja” and “Nei”. From 2 to 8, in the order shown on the ballot."),
    )
    council_reference = forms.CharField(
        label=_("The council's decision"),
        max_length=300,
        help_text=_(
            "The body, date and case number, for example “Kommunestyret 12.2.2026, sak 14/26”."
        ),
    )
    council_url = forms.URLField(
        label=_("Link to the decision in the meeting record"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    opens_at = forms.DateTimeField(
        label=_("Voting opens"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        help_text=_("Empty: when the method's phase starts."),
    )
    closes_at = forms.DateTimeField(
        label=_("Voting closes"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        help_text=_("Empty: when the method's phase ends. Polling places close at the same time."),
    )
    roll_size = forms.IntegerField(
        label=_("People entitled to vote"),
        required=False,
        min_value=1,
        max_value=10_000_000,
        help_text=_(
            "From the population register, if you have it: the turnout and the floor are "
            "computed from it. Empty: the turnout is shown as a number of voters only."
        ),
    )
    districts = forms.CharField(
        label=_("Districts, one per line"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "The turnout is reported per district. Write “Sentrum: 420” to give the number "
            "entitled to vote there too."
        ),
    )
    polling_places = forms.CharField(
        label=_("Polling places, one per line"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "With paper ballots: “Lillevik skule | Sentrum” (the place, then its district)."
        ),
    )

    def clean_options(self) -> list[str]:
        labels: list[str] = []
        for raw in str(self.cleaned_data["options"]).splitlines():
            label = clean_line(raw)[:200]
            if label and label.casefold() not in {x.casefold() for x in labels}:
                labels.append(label)
        if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
            raise forms.ValidationError(
                _("Write from %(min)d to %(max)d different options, one per line."),
                params={"min": MIN_OPTIONS, "max": MAX_OPTIONS},
            )
        return labels

    def clean_districts(self) -> list[District]:
        return parse_districts(str(self.cleaned_data.get("districts") or ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if isinstance(opens, dt.datetime) and isinstance(closes, dt.datetime) and opens >= closes:
            self.add_error("closes_at", _("Voting must close after it opens."))
        if "districts" in data and "polling_places" in self.cleaned_data:
            try:
                data["polling_places"] = parse_places(
                    str(self.cleaned_data.get("polling_places") or ""), data["districts"]
                )
            except forms.ValidationError as error:
                self.add_error("polling_places", error)
        return data


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="", required=True)

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label
        self.fields["confirm"].error_messages["required"] = _("Tick the box to confirm.")


class PaperCountForm(forms.Form):
    """One polling place's count: ballots per option, blank and rejected."""

    def __init__(
        self, *args: Any, options: Sequence[tuple[int, str]] = (), blank: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.option_ids = [pk for pk, _label in options]
        for pk, label in options:
            self.fields[f"option_{pk}"] = self._count(label)
        self.fields["blank"] = self._count(_("Blank ballots"))
        self.fields["rejected"] = self._count(
            _("Rejected ballots"), _("Ballots that cannot be counted (marked twice, torn, …).")
        )

    @staticmethod
    def _count(label: Any, help_text: Any = "") -> forms.IntegerField:
        message = _("Write a whole number, 0 or more.")
        return forms.IntegerField(
            label=label,
            min_value=0,
            max_value=MAX_COUNT,
            help_text=help_text,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            error_messages={
                "required": message,
                "invalid": message,
                "min_value": message,
                "max_value": message,
            },
        )

    def counts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "options": {str(pk): int(data[f"option_{pk}"]) for pk in self.option_ids},
            "blank": int(data["blank"]),
            "rejected": int(data["rejected"]),
        }


class PaperVoterForm(forms.Form):
    """Mark a paper voter in the roll: the number is hashed at once and never stored."""

    national_id = forms.CharField(
        label=_("National identity number (11 digits)"),
        max_length=20,
        help_text=_("Or D-number. It is checked and turned into a keyed hash; it is never stored."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    place = forms.ChoiceField(label=_("Polling place"))

    def __init__(self, *args: Any, places: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = list(places)

    def clean_national_id(self) -> str:
        digits = "".join(ch for ch in str(self.cleaned_data["national_id"]) if ch.isdigit())
        if len(digits) != 11:
            raise forms.ValidationError(_("Write the 11 digits of the number."))
        return digits
