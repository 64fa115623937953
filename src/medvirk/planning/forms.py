"""The five wizard steps as plain forms; each turns into one step of ``Plan.answers``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from . import explain, library, rules
from .catalogue import PHASES, language

TEXT = forms.Textarea(attrs={"rows": 3})


def _text(label: Any, *, required: bool = False, **extra: Any) -> forms.CharField:
    """A free-text answer in the plan: a text area, capped at the rules' length."""
    return forms.CharField(
        label=label, widget=TEXT, required=required, max_length=rules.MAX_TEXT, **extra
    )


LEVEL_CHOICES = [(k, v) for k, v in explain.LEVEL_LABELS.items()]


def _lang() -> str:
    return language(get_language())


class StepForm(forms.Form):
    step = ""

    def __init__(self, *args: Any, answers: Mapping[str, Any] | None = None, **kwargs: Any):
        saved = (answers or {}).get(self.step, {})
        kwargs.setdefault("initial", self.initial_from(saved))
        super().__init__(*args, **kwargs)

    def initial_from(self, saved: Mapping[str, Any]) -> dict[str, Any]:
        return dict(saved)

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class WhyForm(StepForm):
    step = "why"
    purposes = forms.MultipleChoiceField(
        label=_("Why do we involve residents?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
    )
    use = forms.CharField(
        label=_("What will the input be used for?"),
        widget=TEXT,
        max_length=rules.MAX_TEXT,
        help_text=_("Say it so a resident understands what difference their input can make."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = _lang()
        field = self.fields["purposes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(p.key, p.label(lang)) for p in library.catalogue().purposes]


class WhoForm(StepForm):
    step = "who"
    silent = _text(_("Who is affected but will not speak up?"))
    weigh_more = _text(_("Whose views should weigh more, and why?"))
    know_enough = forms.ChoiceField(
        label=_("Do we know enough about what residents think?"),
        choices=list(explain.KNOW_LABELS.items()),
        initial="unsure",
    )
    public_debate = forms.BooleanField(
        label=_("The case is already debated loudly (local paper, social media)"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = _lang()
        cat = library.catalogue()
        self.stake_rows: list[tuple[str, str]] = []
        entries = [*cat.partners, *(g for g in cat.groups if g.key in rules.MAP_GROUPS)]
        for entry in entries:
            name = entry.label(lang)
            self.stake_rows.append((entry.key, name))
            self.fields[f"{entry.key}__affected"] = forms.TypedChoiceField(
                label=gettext("%(who)s: how much affected") % {"who": name},
                choices=LEVEL_CHOICES,
                coerce=int,
                initial=0,
                required=False,
            )
            self.fields[f"{entry.key}__speaks_up"] = forms.TypedChoiceField(
                label=gettext("%(who)s: how likely to speak up") % {"who": name},
                choices=LEVEL_CHOICES,
                coerce=int,
                initial=0,
                required=False,
            )

    def initial_from(self, saved: Mapping[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in saved.items() if k != "stakeholders"}
        for key, stake in (saved.get("stakeholders") or {}).items():
            initial[f"{key}__affected"] = stake.get("affected", 0)
            initial[f"{key}__speaks_up"] = stake.get("speaks_up", 0)
        return initial

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "key": key,
                "name": name,
                "affected": self[f"{key}__affected"],
                "speaks_up": self[f"{key}__speaks_up"],
            }
            for key, name in self.stake_rows
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        stakes = {}
        for key, _name in self.stake_rows:
            affected = int(data[f"{key}__affected"] or 0)
            speaks = int(data[f"{key}__speaks_up"] or 0)
            if affected or speaks:
                stakes[key] = {"affected": affected, "speaks_up": speaks}
        return {
            "stakeholders": stakes,
            "silent": data["silent"],
            "weigh_more": data["weigh_more"],
            "know_enough": data["know_enough"],
            "public_debate": data["public_debate"],
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"{key}__affected") for key, _n in self.stake_rows):
            raise forms.ValidationError(gettext("Mark at least one group or partner as affected."))
        return data


class WhenForm(StepForm):
    step = "when"
    open_phases = forms.MultipleChoiceField(
        label=_("In which phases can input still change the outcome?"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(p, explain.PHASE_LABELS[p]) for p in PHASES],
    )
    weeks = forms.IntegerField(
        label=_("Weeks until the decision"),
        required=False,
        min_value=1,
        max_value=260,
        help_text=_("Leave empty if the date is not set."),
    )
    note = _text(_("When do we open for input, and what can change then?"))


class RoomForm(StepForm):
    step = "room"
    open = _text(_("What is truly open to influence?"), required=True)
    decided = _text(_("What is already decided (including the budget and other limits)?"))
    decision_made = forms.BooleanField(
        label=_("The main decision is already made; we ask only how to carry it out"),
        required=False,
    )
    case_kind = forms.ChoiceField(
        label=_("What kind of case is it?"), choices=list(explain.CASE_KIND_LABELS.items())
    )
    plan_type = forms.ChoiceField(
        label=_("Kind of plan"),
        required=False,
        choices=[("", _("Not a plan case")), *explain.PLAN_TYPE_LABELS.items()],
    )
    decision_maker = forms.ChoiceField(
        label=_("Who decides?"), choices=list(explain.DECIDER_LABELS.items())
    )
    budget = forms.IntegerField(
        label=_("Budget frame in kroner"), required=False, min_value=0, max_value=10**12
    )
    budget_to_allocate = forms.BooleanField(
        label=_("Part of the budget is a fixed sum residents could allocate"), required=False
    )
    yes_no_question = forms.BooleanField(
        label=_("The case comes down to one clear choice (yes or no)"), required=False
    )
    from_initiative = forms.BooleanField(
        label=_("The case came as a citizens' initiative (innbyggerforslag)"), required=False
    )
    resources = forms.ChoiceField(
        label=_("How much capacity do we have for participation?"),
        choices=list(explain.RESOURCE_LABELS.items()),
        initial="medium",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, plan_type = data.get("case_kind"), data.get("plan_type")
        if kind == "pbl_plan" and not plan_type:
            self.add_error("plan_type", gettext("Choose the kind of plan."))
        if kind and kind != "pbl_plan" and plan_type:
            self.add_error("plan_type", gettext("Only a plan case has a kind of plan."))
        if data.get("decision_maker") == "fylkeskommune" and plan_type in (
            "kommuneplan",
            "reguleringsplan",
        ):
            self.add_error(
                "plan_type", gettext("A county does not adopt a master plan or a zoning plan.")
            )
        if data.get("budget_to_allocate") and not data.get("budget"):
            self.add_error("budget", gettext("Give the budget frame residents can allocate."))
        return data


class ReflectForm(StepForm):
    step = "reflect"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = _lang()
        for question in library.catalogue().reflection:
            self.fields[question.key] = forms.CharField(
                label=question.label(lang),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=rules.MAX_TEXT,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(str(v).strip() for v in data.values()):
            raise forms.ValidationError(gettext("Answer at least one reflection question."))
        return data


STEP_FORMS: dict[int, type[StepForm]] = {
    1: WhyForm,
    2: WhoForm,
    3: WhenForm,
    4: RoomForm,
    5: ReflectForm,
}
