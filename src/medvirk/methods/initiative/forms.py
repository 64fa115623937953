"""Forms of innbyggerforslag: the method's settings, writing a proposal, signing, and the
staff's forms (the check, paper signatures, delivery, plan case, the council's position).

Every form cleans what a person can get wrong; the actions check everything again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.accountability.types import ResponseStatus
from medvirk.processes.registry import SettingsForm

from . import config

MIN_TITLE, MAX_TITLE = 5, 150
MIN_TEXT = 50
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"]
PAPER_ROWS = 10
MAX_PAPER_ROWS = 50


def max_text() -> int:
    return int(settings.MEDVIRK_MAX_TEXT_LENGTH)


class InitiativeSettings(SettingsForm):
    check_first = forms.BooleanField(
        label=_("Check each proposal before signing starts"),
        required=False,
        initial=True,
        help_text=_(
            "Staff read the proposal and give a reasoned answer before anyone can sign. "
            "Off: signing starts as soon as the proposal is published."
        ),
    )
    deliver_at_threshold = forms.BooleanField(
        label=_("Deliver the proposal as soon as it has enough signatures"),
        required=False,
        initial=True,
        help_text=_(
            "Signing then stops and the council's six months start. Off: signing goes on "
            "until the period ends or staff deliver it."
        ),
    )
    signing_months = forms.IntegerField(
        label=_("How many months a proposal may collect signatures"),
        initial=12,
        min_value=1,
        max_value=36,
        help_text=_("At most the installation's limit (normally 12 months, as on minsak.no)."),
    )
    postmottak = forms.EmailField(
        label=_("Send delivered proposals to this e-mail address (postmottak)"),
        required=False,
        initial="",
        max_length=254,
        help_text=_(
            "The proposal and its archive message (arkivmelding) are e-mailed here when it "
            "is delivered. Empty: staff download them from the proposal's staff page."
        ),
    )

    def clean_signing_months(self) -> int:
        months = int(self.cleaned_data["signing_months"])
        limit = config.signing_months()
        if months > limit:
            raise forms.ValidationError(
                _("At most %(max)d months in this installation."), params={"max": limit}
            )
        return months


class ProposeForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the proposal"),
        min_length=MIN_TITLE,
        max_length=MAX_TITLE,
        help_text=_("Say in a few words what you propose, e.g. “Lights on the path to school”."),
    )
    text = forms.CharField(
        label=_("The proposal"),
        min_length=MIN_TEXT,
        widget=forms.Textarea({"rows": 10}),
        help_text=_(
            "What should the municipality do, and why? Signing locks the text: a correction "
            "after that is a new proposal, and signatures do not move with it."
        ),
    )
    show_name = forms.BooleanField(
        label=_("Show my name as the proposer"),
        required=False,
        initial=True,
        help_text=_("Without it, the proposal is shown without a name."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail for news about your proposal"),
        required=False,
        max_length=254,
        help_text=_("The municipality's answer and the council's position go here. Never shown."),
    )

    def __init__(self, *args: Any, ask_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The longest text follows the installation's MEDVIRK_MAX_TEXT_LENGTH (checked in
        # clean_text; the attribute tells the browser).
        self.fields["text"].widget.attrs["maxlength"] = str(max_text())
        self.fields["title"].widget.attrs["maxlength"] = str(MAX_TITLE)
        if not ask_email:
            del self.fields["contact_email"]

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).replace("\r\n", "\n").strip()
        if len(text) > max_text():
            raise forms.ValidationError(
                _("At most %(max)d characters (you wrote %(n)d)."),
                params={"max": max_text(), "n": len(text)},
            )
        return text


class SignForm(forms.Form):
    """Signing: the person's word, and in "declared" mode where they live."""

    support = forms.BooleanField(
        label=_("I support this proposal and sign it"),
        error_messages={"required": _("Tick the box to sign.")},
    )

    def __init__(self, *args: Any, declares: bool = False, kommune: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if declares:
            self.fields["address"] = forms.CharField(
                label=_("Your home address"),
                max_length=300,
                help_text=_(
                    "Only inhabitants may sign. Only the municipality's staff see the address."
                ),
                error_messages={"required": _("Write your home address.")},
            )
            self.fields["lives_here"] = forms.BooleanField(
                label=_("I live in %(kommune)s") % {"kommune": kommune},
                error_messages={
                    "required": _("Only inhabitants may sign: tick that you live here.")
                },
            )


class WithdrawForm(forms.Form):
    """Withdrawing a signature (or a proposal): the button is the request."""


# -- staff -------------------------------------------------------------------------------


class CheckForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    outcome = forms.ChoiceField(
        label=_("Your check"),
        choices=[
            (APPROVE, _("Start signing: the proposal can be signed")),
            (REFUSE, _("Do not start signing: the proposal is refused")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("The answer to the proposer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "Required when you refuse: say why, and what a new proposal would need. When you "
            "start signing, empty sends a short standard answer with the closing date."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == self.REFUSE and not str(data.get("reason", "")).strip():
            self.add_error("reason", _("Say why: the proposer is owed a reasoned answer."))
        return data


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I am sure"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class DeliverForm(forms.Form):
    below_threshold = forms.BooleanField(
        label=_(
            "Deliver even though it has fewer signatures than needed (the council is then "
            "not bound by the six months)"
        ),
        required=False,
    )


class ReferForm(forms.Form):
    referred = forms.BooleanField(
        label=_("The proposal is referred to an ongoing plan case"),
        required=False,
        help_text=_(
            "Under kommuneloven § 12-1 a proposal dealt with in a plan case under the planning "
            "act has no six-month deadline. Untick to undo."
        ),
    )
    plan_case = forms.CharField(
        label=_("Which plan case (name or case number)"),
        required=False,
        max_length=200,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("referred") and not str(data.get("plan_case", "")).strip():
            self.add_error("plan_case", _("Name the plan case."))
        return data


POSITION_CHOICES = [
    (ResponseStatus.ADOPTED, _("Adopted")),
    (ResponseStatus.PARTLY_ADOPTED, _("Partly adopted")),
    (ResponseStatus.NOT_ADOPTED, _("Not adopted")),
    (
        ResponseStatus.OUT_OF_SCOPE,
        _("Not taken up (outside the municipality's business, or the same as an earlier one)"),
    ),
]


class PositionForm(forms.Form):
    body = forms.CharField(label=_("Decided by"), max_length=200, initial="Kommunestyret")
    date = forms.DateField(label=_("Date of the decision"), widget=DATE_WIDGET)
    position = forms.ChoiceField(
        label=_("The council's position"), choices=POSITION_CHOICES, widget=forms.RadioSelect
    )
    decision_text = forms.CharField(
        label=_("The decision (vedtak)"), max_length=10000, widget=forms.Textarea({"rows": 5})
    )
    reason = forms.CharField(
        label=_("The reasons, for the proposer and everyone who signed"),
        max_length=5000,
        widget=forms.Textarea({"rows": 5}),
    )
    case_number = forms.CharField(
        label=_("Case number (saksnummer)"), required=False, max_length=50
    )
    meeting_record_url = forms.URLField(
        label=_("Link to the meeting record (møtebok)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of a decision made cannot be in the future."))
        return day


class PaperRowForm(forms.Form):
    """One row of a paper list. A row left empty is skipped (the formset's extra forms
    may stay empty); a row begun needs all three."""

    signer_name = forms.CharField(
        label=_("Name"), max_length=150, error_messages={"required": _("Write the name.")}
    )
    address = forms.CharField(
        label=_("Address"), max_length=300, error_messages={"required": _("Write the address.")}
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"required": _("Write the date of birth.")},
    )

    def is_empty(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) for k in ("signer_name", "address", "birth_date"))


def paper_rows(data: Any = None, *, rows: int = PAPER_ROWS) -> forms.BaseFormSet[PaperRowForm]:
    """The paper list's rows: ``rows`` empty ones for a new list (at most MAX_PAPER_ROWS)."""
    rows = max(1, min(rows, MAX_PAPER_ROWS))
    rows_class = forms.formset_factory(
        PaperRowForm, extra=rows, max_num=MAX_PAPER_ROWS, absolute_max=MAX_PAPER_ROWS
    )
    return rows_class(data, prefix="papir")


class PaperListForm(forms.Form):
    """Whether the staff member checked the list's signers live in the kommune."""

    checked = forms.BooleanField(
        label=_("The signers on this list live in the municipality, as far as we can see"),
        error_messages={"required": _("Tick that you checked where the signers live.")},
    )
