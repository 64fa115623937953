"""Forms of participatory budgeting: the settings (per instance and per phase), the idea
form residents fill in, the voting-code form, and the staff's forms.

The ballot itself is not a Django form: its fields are the projects on it (``project``
ticked, or ``points-<number>``), read by the view and checked by ``ballots.check``.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.accountability.types import ResponseStatus
from medvirk.core import uploads
from medvirk.core.filetypes import IMAGES
from medvirk.processes.registry import SettingsForm

from . import stages
from .config import (
    APPROVAL,
    CODES,
    CUMULATIVE,
    EID,
    GROUP,
    KNAPSACK,
    MAX_BUDGET,
    DistrictsInvalid,
    parse_districts,
)
from .models import MAX_DESCRIPTION, MAX_TITLE, Delivery

WHOLE = _("Write a whole number.")
_GROUP_KEY = re.compile(r"^[a-z][a-z0-9_]{1,48}:[A-Za-z0-9_-]{1,40}$")


def _whole(**extra: Any) -> dict[str, Any]:
    return {"invalid": WHOLE, **extra}


class BudgetSettings(SettingsForm):
    budget = forms.IntegerField(
        label=_("The budget, in kroner"),
        initial=1_000_000,
        min_value=1,
        max_value=MAX_BUDGET,
        help_text=_("The money residents decide on. With districts, each has its own below."),
        error_messages=_whole(),
    )
    districts = forms.CharField(
        label=_("Districts with their own budgets"),
        required=False,
        initial="",
        max_length=3000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            'One per line: the district, a colon and its budget, e.g. "Sentrum: 300000". '
            "Each district votes on its own projects. Empty: one budget for the whole "
            "municipality."
        ),
    )
    ballot = forms.ChoiceField(
        label=_("The ballot"),
        initial=KNAPSACK,
        choices=(
            (KNAPSACK, _("Choose projects within the budget (knapsack)")),
            (APPROVAL, _("Choose up to a number of projects (approval)")),
            (CUMULATIVE, _("Spread points over the projects (cumulative)")),
        ),
    )
    max_choices = forms.IntegerField(
        label=_("Approval: the most projects a voter may choose"),
        initial=3,
        min_value=1,
        max_value=50,
        error_messages=_whole(),
    )
    points = forms.IntegerField(
        label=_("Cumulative: the points each voter spreads"),
        initial=10,
        min_value=1,
        max_value=1000,
        error_messages=_whole(),
    )
    max_points_per_project = forms.IntegerField(
        label=_("Cumulative: the most points on one project"),
        initial=0,
        min_value=0,
        max_value=1000,
        help_text=_("0: no limit beyond the points."),
        error_messages=_whole(),
    )
    rule = forms.ChoiceField(
        label=_("How the votes are counted"),
        initial="equal-shares",
        choices=(
            ("equal-shares", _("Method of equal shares (fair to groups; recommended)")),
            ("greedy", _("Most votes first, while the money lasts (greedy)")),
        ),
    )
    voters = forms.ChoiceField(
        label=_("Who votes"),
        initial=EID,
        choices=(
            (EID, _("Residents who log in with e-ID (one ballot per person)")),
            (CODES, _("People with a voting code from the municipality (a school, a class)")),
            (GROUP, _("The members of a group (a council or committee)")),
        ),
    )
    voter_group = forms.CharField(
        label=_("The voting group"),
        required=False,
        initial="",
        max_length=100,
        help_text=_("Chosen on the method's content page when “Who votes” is a group."),
    )
    min_age = forms.IntegerField(
        label=_("Minimum age (e-ID)"),
        initial=0,
        min_value=0,
        max_value=120,
        help_text=_(
            "Counted as in elections: the age the voter reaches by the end of the year of the "
            "vote. 0: no limit."
        ),
        error_messages=_whole(),
    )
    residents_only = forms.BooleanField(
        label=_("Only inhabitants of the municipality vote (e-ID)"),
        required=False,
        initial=True,
    )

    def clean_districts(self) -> str:
        text = str(self.cleaned_data.get("districts") or "")
        try:
            parse_districts(text)
        except DistrictsInvalid as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text.replace("\r\n", "\n").strip()

    def clean_voter_group(self) -> str:
        key = str(self.cleaned_data.get("voter_group") or "").strip()
        if key and not _GROUP_KEY.match(key):
            raise forms.ValidationError(_("Choose the group on the method's content page."))
        return key


class BudgetPhaseSettings(SettingsForm):
    stage = forms.ChoiceField(
        label=_("Stage of the budget in this phase"),
        required=False,
        initial="",
        choices=stages.CHOICES,
    )


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE, min_length=3)
    description = forms.CharField(
        label=_("Describe the idea"),
        widget=forms.Textarea({"rows": 6}),
        max_length=2000,
        min_length=10,
        help_text=_("What should be made or bought, where, and who will enjoy it?"),
    )
    proposed_cost = forms.IntegerField(
        label=_("Rough cost, in kroner"),
        required=False,
        min_value=0,
        max_value=10**10,
        help_text=_("A guess is fine: the municipality works out the cost."),
        error_messages=_whole(),
    )
    district = forms.ChoiceField(label=_("District"), required=False, choices=())
    author_name = forms.CharField(label=_("Your name"), required=False, max_length=150)
    show_name = forms.BooleanField(label=_("Show my name with the idea"), required=False)
    contact_email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to tell you what the municipality decides about your idea. Never shown."),
    )

    def __init__(self, *args: Any, districts: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = districts or []
        field = self.fields["district"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Not for one district")), *((n, n) for n in names)]
        self.has_districts = bool(names)
        self.fields["proposed_cost"].widget.attrs.update({"inputmode": "numeric"})


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        max_length=20,
        help_text=_("As it stands on your slip, e.g. ABCD-EFGH."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )


# -- staff -----------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("What happens to the idea"),
        widget=forms.RadioSelect,
        choices=(
            ("accept", _("Put it on the ballot")),
            ("reject", _("Do not put it on the ballot")),
            ("merge", _("Merge it into a project on the ballot (a duplicate)")),
        ),
    )
    title = forms.CharField(label=_("Title on the ballot"), max_length=MAX_TITLE, required=False)
    description = forms.CharField(
        label=_("Description on the ballot"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea({"rows": 5}),
    )
    cost = forms.IntegerField(
        label=_("Estimated cost, in kroner"),
        required=False,
        min_value=0,
        max_value=MAX_BUDGET,
        error_messages=_whole(),
    )
    district = forms.ChoiceField(label=_("District"), required=False, choices=())
    merge_into = forms.ChoiceField(label=_("Merge into"), required=False, choices=())
    refusal = forms.ChoiceField(
        label=_("Why not"),
        required=False,
        initial=ResponseStatus.NOT_ADOPTED,
        choices=(
            (ResponseStatus.NOT_ADOPTED, _("It cannot be done, or not for this money")),
            (ResponseStatus.OUT_OF_SCOPE, _("It is outside what this budget can pay for")),
        ),
    )
    reason = forms.CharField(
        label=_("Answer to the author"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "Required when the idea is not put on the ballot. Otherwise a standard text is sent "
            "when you leave it empty."
        ),
    )

    def __init__(
        self,
        *args: Any,
        districts: list[str] | None = None,
        targets: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = [("", "–"), *((n, n) for n in districts or [])]
        merge = self.fields["merge_into"]
        assert isinstance(merge, forms.ChoiceField)
        merge.choices = [("", "–"), *((str(n), f"{n}. {t}") for n, t in targets or [])]
        self.has_districts = bool(districts)
        self.can_merge = bool(targets)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title on the ballot"), max_length=MAX_TITLE, min_length=3)
    description = forms.CharField(
        label=_("Description on the ballot"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea({"rows": 5}),
    )
    cost = forms.IntegerField(
        label=_("Estimated cost, in kroner"),
        min_value=0,
        max_value=MAX_BUDGET,
        error_messages=_whole(),
    )
    district = forms.ChoiceField(label=_("District"), required=False, choices=())

    def __init__(self, *args: Any, districts: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "–"), *((n, n) for n in districts or [])]
        self.has_districts = bool(districts)


class CodesForm(forms.Form):
    label = forms.CharField(
        label=_("Class or group"),
        max_length=120,
        help_text=_("For the list and for you, e.g. “7A, Lillevik skule”. Not shown to voters."),
    )
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=1000,
        initial=30,
        help_text=_("One per voter, and a few spare."),
        error_messages=_whole(),
    )
    district = forms.ChoiceField(label=_("District"), required=False, choices=())

    def __init__(self, *args: Any, districts: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("The voter chooses")), *((n, n) for n in districts or [])]
        self.has_districts = bool(districts)


class OpenVoteForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("The vote closes"),
        help_text=_("Date and time, e.g. 31.05.2026 15:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes: close the vote now. No more ballots are taken, and the votes are counted."),
        error_messages={"required": _("Tick to confirm.")},
    )


class ProgressForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How far the project has come"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(
        label=_("What has happened"), max_length=2000, widget=forms.Textarea({"rows": 4})
    )
    photo = uploads.UploadField(label=_("Photo"), kinds=IMAGES, required=False)
    photo_alt = forms.CharField(
        label=_("What the photo shows"),
        required=False,
        max_length=300,
        help_text=_("Required with a photo: read aloud to those who cannot see it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class VoterGroupForm(forms.Form):
    group = forms.ChoiceField(label=_("The group that votes"), choices=())

    def __init__(
        self, *args: Any, groups: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "–"), *(groups or [])]
