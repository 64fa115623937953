"""The five wizard steps as plain forms; each turns into one step of ``Plan.answers``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.text import readability
from medvirk.processes.models import Phase, Process

from . import advice, explain, library, rules
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
    # Texts the public plan shows: checked for klarspråk (LIX) as the officer writes.
    klarsprak_fields: tuple[str, ...] = ()

    def __init__(
        self,
        *args: Any,
        answers: Mapping[str, Any] | None = None,
        process: Process | None = None,
        **kwargs: Any,
    ):
        self.answers = answers or {}
        self.process = process
        saved = self.answers.get(self.step, {})
        kwargs.setdefault("initial", self.initial_from(saved))
        super().__init__(*args, **kwargs)
        for name in self.klarsprak_fields:
            self.fields[name].widget.attrs["data-klarsprak-url"] = reverse("staff:klarsprak")

    def checked_rows(self) -> list[dict[str, Any]]:
        """Every field, with its klarspråk report when the public plan shows its text."""
        return [
            {
                "field": bound,
                "report": readability.analyse(str(bound.value() or ""))
                if bound.name in self.klarsprak_fields
                else None,
            }
            for bound in self
        ]

    def initial_from(self, saved: Mapping[str, Any]) -> dict[str, Any]:
        return dict(saved)

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class WhyForm(StepForm):
    step = "why"
    klarsprak_fields = ("use",)
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


class GroupForm(forms.Form):
    """One named group of the stakeholder map (parents, the pupils' council, users …)."""

    name = forms.CharField(label=_("Name of the group"), required=False, max_length=rules.MAX_NAME)
    kind = forms.ChoiceField(
        label=_("What kind of group"), choices=list(explain.GROUP_KIND_LABELS.items())
    )
    ages = forms.MultipleChoiceField(
        label=_("Ages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(explain.AGE_LABELS.items()),
    )
    affected = forms.TypedChoiceField(
        label=_("How much affected"), choices=LEVEL_CHOICES, coerce=int, initial=2
    )
    speaks_up = forms.TypedChoiceField(
        label=_("How likely to speak up"), choices=LEVEL_CHOICES, coerce=int, initial=1
    )
    setting = forms.CharField(
        label=_("Where we meet them"),
        required=False,
        max_length=300,
        help_text=_("E.g. at the school, at kindergarten pick-up, at the care home."),
    )
    time = forms.ChoiceField(
        label=_("When it suits them"), required=False, choices=list(explain.TIME_LABELS.items())
    )
    minutes = forms.IntegerField(
        label=_("How many minutes they can give"), required=False, min_value=5, max_value=600
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = bool((data.get("name") or "").strip())
        if not named and (data.get("ages") or data.get("setting") or data.get("minutes")):
            self.add_error("name", gettext("Give the group a name, or empty the row."))
        return data

    def value(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not (data.get("name") or "").strip():
            return None
        return {
            "name": data["name"].strip(),
            "kind": data["kind"],
            "affected": int(data["affected"]),
            "speaks_up": int(data["speaks_up"]),
            "ages": list(data.get("ages") or []),
            "setting": (data.get("setting") or "").strip(),
            "time": data.get("time") or "",
            "minutes": data.get("minutes"),
        }


GroupFormSet = forms.formset_factory(
    GroupForm, extra=2, max_num=rules.MAX_GROUPS, validate_max=True
)


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
        self.saved_groups = list((self.answers.get("who") or {}).get("groups") or [])
        # A post without the rows (no management form) keeps the saved groups as they are.
        posted = self.is_bound and "group-TOTAL_FORMS" in self.data
        self.groups = GroupFormSet(
            self.data if posted else None, prefix="group", initial=self.saved_groups
        )
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
        if self.groups.is_bound:
            groups = [g for g in (f.value() for f in self.groups.forms if f.is_valid()) if g]
        else:
            groups = self.saved_groups
        return {
            "stakeholders": stakes,
            "groups": groups,
            "silent": data["silent"],
            "weigh_more": data["weigh_more"],
            "know_enough": data["know_enough"],
            "public_debate": data["public_debate"],
        }

    def is_valid(self) -> bool:
        own = super().is_valid()
        return (not self.groups.is_bound or self.groups.is_valid()) and own

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = bool(self.saved_groups) and not self.groups.is_bound
        if self.groups.is_bound and self.groups.is_valid():
            named = any(f.value() for f in self.groups.forms)
        if not named and not any(data.get(f"{key}__affected") for key, _n in self.stake_rows):
            raise forms.ValidationError(gettext("Mark at least one group or partner as affected."))
        return data


class WhenForm(StepForm):
    step = "when"
    klarsprak_fields = ("note",)
    open_phases = forms.MultipleChoiceField(
        label=_("In which phases can input still change the outcome?"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(p, explain.PHASE_LABELS[p]) for p in PHASES],
    )
    decision_date = forms.DateField(
        label=_("Expected date of the decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The weeks until the decision are counted from this date."),
    )
    weeks = forms.IntegerField(
        label=_("Weeks until the decision, if there is no date yet"),
        required=False,
        min_value=1,
        max_value=260,
    )
    input_weeks = forms.IntegerField(
        label=_("How many weeks can residents give input?"),
        required=False,
        min_value=1,
        max_value=104,
        help_text=_("Leave empty if input is open until the decision."),
    )
    hearing_start = forms.DateField(
        label=_("The hearing starts (if it has a set date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    hearing_weeks = forms.IntegerField(
        label=_("Length of the hearing in weeks"),
        required=False,
        min_value=1,
        max_value=52,
        help_text=_("At least six weeks in a plan case, except for a notice of start."),
    )
    note = _text(_("When do we open for input, and what can change then?"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing: dict[str, Phase] = {}
        if self.process is not None:
            for phase in Phase.objects.filter(process=self.process).order_by("start"):
                self.existing.setdefault(phase.kind, phase)
            if not self.initial.get("decision_date"):
                self.initial["decision_date"] = advice.expected_decision(self.process)
        self.new_phase_rows: list[tuple[str, str]] = []
        for kind in PHASES:
            if kind in self.existing:
                continue
            label = str(explain.PHASE_LABELS[kind])
            self.new_phase_rows.append((kind, label))
            self.fields[f"start_{kind}"] = forms.DateField(
                label=gettext("«%(phase)s» starts") % {"phase": label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"end_{kind}"] = forms.DateField(
                label=gettext("«%(phase)s» ends") % {"phase": label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def initial_from(self, saved: Mapping[str, Any]) -> dict[str, Any]:
        initial = dict(saved)
        for key in ("decision_date", "hearing_start"):
            if initial.get(key):
                initial[key] = dt.date.fromisoformat(initial[key])
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        room = self.answers.get("room") or {}
        weeks = data.get("hearing_weeks")
        hearings = room.get("plan_hearings") or []
        only_notice = hearings == ["notice_of_start"]
        if room.get("case_kind") == "pbl_plan" and weeks and weeks < 6 and not only_notice:
            section = rules.SIX_WEEK_SECTIONS.get(room.get("plan_type", ""), "5-2")
            self.add_error(
                "hearing_weeks",
                gettext(
                    "A hearing in a plan case lasts at least six weeks (plan- og "
                    "bygningsloven § %(section)s)."
                )
                % {"section": section},
            )
        for kind in data.get("open_phases") or []:
            if kind in self.existing:
                continue
            start, end = data.get(f"start_{kind}"), data.get(f"end_{kind}")
            label = explain.PHASE_LABELS[kind]
            if not start or not end:
                self.add_error(
                    f"start_{kind}",
                    gettext("The case has no phase «%(phase)s» yet: give its dates.")
                    % {"phase": label},
                )
            elif end <= start:
                self.add_error(f"end_{kind}", gettext("A phase must end after it starts."))
        return data

    def new_phases(self) -> list[tuple[str, dt.date, dt.date]]:
        """Open phases the case does not have yet, with the dates given."""
        data = self.cleaned_data
        return [
            (kind, data[f"start_{kind}"], data[f"end_{kind}"])
            for kind in data.get("open_phases") or []
            if kind not in self.existing and data.get(f"start_{kind}")
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {
            "open_phases": list(data["open_phases"]),
            "weeks": data.get("weeks"),
            "input_weeks": data.get("input_weeks"),
            "hearing_weeks": data.get("hearing_weeks"),
            "note": data.get("note", ""),
        }
        for key in ("decision_date", "hearing_start"):
            out[key] = data[key].isoformat() if data.get(key) else ""
        return out


class RoomForm(StepForm):
    step = "room"
    klarsprak_fields = ("open", "decided")
    open = _text(_("What is truly open to influence?"), required=True)
    decided = _text(
        _("What is already decided (including the budget and other limits)?"),
        help_text=_("Say it even when it seems obvious: the site, the budget, the law."),
    )
    decision_state = forms.ChoiceField(
        label=_("How far has the decision come?"),
        choices=list(explain.DECISION_STATE_LABELS.items()),
        initial="open",
        required=False,
    )
    case_kind = forms.ChoiceField(
        label=_("What kind of case is it?"), choices=list(explain.CASE_KIND_LABELS.items())
    )
    place_based = forms.BooleanField(
        label=_("The case is about a particular place or area"), required=False
    )
    wider_plan = forms.BooleanField(
        label=_("The case is part of, or affects, a wider plan or the budget"), required=False
    )
    plan_type = forms.ChoiceField(
        label=_("Kind of plan"),
        required=False,
        choices=[("", _("Not a plan case")), *explain.PLAN_TYPE_LABELS.items()],
    )
    plan_hearings = forms.MultipleChoiceField(
        label=_("Which hearings does the plan have?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(explain.HEARING_LABELS.items()),
        help_text=_("Leave empty to use what the kind of plan usually has."),
    )
    private_proposer = forms.BooleanField(
        label=_("A private party proposes the plan"), required=False
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
    budget_binding = forms.ChoiceField(
        label=_("Is the residents' vote on the budget binding?"),
        choices=list(explain.BINDING_LABELS.items()),
        initial="advisory",
        required=False,
    )
    yes_no_question = forms.BooleanField(
        label=_("The case comes down to one clear choice (yes or no)"), required=False
    )
    council_vote = forms.BooleanField(
        label=_("The council has decided to hold an advisory vote (kommuneloven § 12-2)"),
        required=False,
    )
    from_initiative = forms.BooleanField(
        label=_("The case came as a citizens' initiative (innbyggerforslag)"), required=False
    )
    earlier_initiative = forms.BooleanField(
        label=_("A proposal with the same content was dealt with earlier in this electoral term"),
        required=False,
    )
    residents_run = forms.BooleanField(
        label=_("Residents, users or local partners will run or share the result"),
        required=False,
        help_text=_("E.g. a youth house run with the young people, a neighbourhood project."),
    )
    sensitive = forms.BooleanField(
        label=_("Personal or sensitive matters may come up (health, finances, child welfare)"),
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages besides Norwegian that we need"),
        required=False,
        max_length=300,
        help_text=_("E.g. Polish, Arabic, Sami, sign language."),
    )
    easy_read = forms.BooleanField(label=_("We need an easy-read version"), required=False)
    resources = forms.ChoiceField(
        label=_("How much capacity do we have for participation?"),
        choices=list(explain.RESOURCE_LABELS.items()),
        initial="medium",
    )

    SECTIONS = (
        (_("What can change"), ("open", "decided", "decision_state")),
        (_("Who decides"), ("decision_maker", "council_vote", "yes_no_question")),
        (
            _("The case"),
            ("case_kind", "place_based", "wider_plan", "plan_type", "plan_hearings"),
        ),
        (_("A private proposer or an initiative"), ("private_proposer", "from_initiative")),
        (_("Money"), ("budget", "budget_to_allocate", "budget_binding")),
        (
            _("People and capacity"),
            ("residents_run", "sensitive", "languages", "easy_read", "resources"),
        ),
    )

    def sections(self) -> list[dict[str, Any]]:
        """The questions in plain groups, each with its klarspråk report where it has one."""
        rows = {row["field"].name: row for row in self.checked_rows()}
        out: list[dict[str, Any]] = []
        for title, names in self.SECTIONS:
            if "from_initiative" in names:
                names = (*names, "earlier_initiative")
            placed = [rows.pop(n) for n in names if n in rows]
            out.append({"title": title, "rows": placed})
        out[-1]["rows"] += list(rows.values())  # a question no section names is still asked
        return out

    def initial_from(self, saved: Mapping[str, Any]) -> dict[str, Any]:
        initial = dict(saved)
        if "decision_state" not in initial:  # a plan saved with the first schema
            initial["decision_state"] = "decided" if saved.get("decision_made") else "open"
        initial.pop("decision_made", None)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decision_state"):  # the first form's tick box, or the default
            data["decision_state"] = "decided" if self.data.get("decision_made") else "open"
        data["budget_binding"] = data.get("budget_binding") or "advisory"
        kind, plan_type = data.get("case_kind"), data.get("plan_type")
        if kind == "pbl_plan" and not plan_type:
            self.add_error("plan_type", gettext("Choose the kind of plan."))
        if kind and kind != "pbl_plan" and plan_type:
            self.add_error("plan_type", gettext("Only a plan case has a kind of plan."))
        if kind and kind != "pbl_plan" and data.get("plan_hearings"):
            self.add_error("plan_hearings", gettext("Only a plan case has plan hearings."))
        if data.get("decision_maker") == "fylkeskommune" and plan_type in (
            "kommuneplan",
            "reguleringsplan",
        ):
            self.add_error(
                "plan_type", gettext("A county does not adopt a master plan or a zoning plan.")
            )
        if data.get("budget_to_allocate") and not data.get("budget"):
            self.add_error("budget", gettext("Give the budget frame residents can allocate."))
        weeks = (self.answers.get("when") or {}).get("hearing_weeks")
        hearings = data.get("plan_hearings") or []
        if kind == "pbl_plan" and weeks and weeks < 6 and hearings != ["notice_of_start"]:
            section = rules.SIX_WEEK_SECTIONS.get(plan_type or "", "5-2")
            self.add_error(
                "case_kind",
                gettext(
                    "A hearing in a plan case lasts at least six weeks (plan- og "
                    "bygningsloven § %(section)s); step 3 gives %(weeks)s."
                )
                % {"section": section, "weeks": weeks},
            )
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
