"""The staff forms of the panel: settings, questions, population figures, SSB file, draw."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.sortition import ALGORITHMS

from . import draws, population
from .models import OrganStatus

ALGORITHM_LABELS = {
    "maximin": _(
        "Maximin: the lowest chance anyone in the panel has is made as high as the quotas "
        "allow (the usual choice)."
    ),
    "leximin": _(
        "Leximin: as maximin, and then the next-lowest chance too, and so on. Fairer still, "
        "but slower for a large panel."
    ),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SettingsForm(forms.Form):
    organ_status = forms.ChoiceField(
        label=_("Is the panel a folkevalt organ?"),
        choices=OrganStatus.choices,
        help_text=_(
            "Sivilombudet (2024) found that a panel appointed by the council may be a "
            "folkevalt organ: then the rules on open meetings and access to documents "
            "(kommuneloven §§ 11-2 and 11-5) apply to its work. Record what your "
            "municipality has decided; the panel's page says it in words."
        ),
    )
    organ_decision = forms.CharField(
        label=_("The municipality's decision"),
        required=False,
        max_length=population.MAX_DECISION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Case number, date and a link to the decision, if there is one."),
    )
    min_age = forms.IntegerField(
        label=_("Lowest age to join"),
        min_value=population.MIN_AGES[0],
        max_value=population.MIN_AGES[1],
        help_text=_("The first age band starts here. Askøy, for example, takes members from 15."),
    )


class DimensionForm(forms.Form):
    name = forms.CharField(
        label=_("Question"),
        max_length=population.MAX_NAME,
        help_text=_("As members will read it, for example “How do you usually travel?”."),
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One option per line, at least two. Members may also choose not to answer."),
    )

    def clean_options(self) -> list[str]:
        found = _lines(self.cleaned_data.get("options", ""))
        if len(found) < 2:
            raise forms.ValidationError(_("Give at least two options, one per line."))
        return found


class OptionsForm(forms.Form):
    """The options of the districts or a question of the municipality's own: a text field and
    a "remove" box for each, and new options one per line."""

    def __init__(
        self,
        *args: Any,
        options: list[tuple[str, str]],
        with_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.option_keys = [key for key, _label in options]
        if with_name is not None:
            self.fields["name"] = forms.CharField(
                label=_("Question"), max_length=population.MAX_NAME, initial=with_name
            )
        for n, (key, label) in enumerate(options, 1):
            self.fields[f"label_{key}"] = forms.CharField(
                label=_("Option %(n)d") % {"n": n},
                max_length=population.MAX_LABEL,
                initial=label,
                required=False,
            )
            self.fields[f"remove_{key}"] = forms.BooleanField(
                label=_("Remove “%(label)s”") % {"label": label}, required=False
            )
        self.fields["new"] = forms.CharField(
            label=_("New options"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("One per line."),
        )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"label_{key}"], self[f"remove_{key}"]) for key in self.option_keys]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "labels": {key: data.get(f"label_{key}", "") for key in self.option_keys},
            "remove": [key for key in self.option_keys if data.get(f"remove_{key}")],
            "new": _lines(data.get("new", "")),
            "name": data.get("name"),
        }


class FiguresForm(forms.Form):
    """The inhabitants per option of one dimension; an empty field means no figure."""

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_keys = [key for key, _label in options]
        for key, label in options:
            self.fields[f"count_{key}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=population.MAX_COUNT
            )
        self.fields["source"] = forms.CharField(
            label=_("Source"),
            required=False,
            max_length=population.MAX_SOURCE,
            help_text=_("Where the figures come from, for example “Folkeregisteret, grunnkrets”."),
        )
        self.fields["year"] = forms.IntegerField(
            label=_("Year"),
            required=False,
            min_value=population.FIRST_YEAR,
            max_value=population.LAST_YEAR,
        )

    def count_fields(self) -> list[forms.BoundField]:
        return [self[f"count_{key}"] for key in self.option_keys]

    def counts(self) -> dict[str, int]:
        return {
            key: int(self.cleaned_data[f"count_{key}"])
            for key in self.option_keys
            if self.cleaned_data.get(f"count_{key}") is not None
        }


class SsbForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file from SSB table 07459"),
        help_text=_(
            "On ssb.no/statbank/table/07459 choose your kommune, both sexes, every one-year "
            "age and the latest year, and download as CSV. Age bands and gender are filled "
            "in; the other figures stay as they are."
        ),
    )


class DrawForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Invite to"), coerce=int)
    size = forms.IntegerField(label=_("How many to invite"), min_value=1, max_value=draws.MAX_SIZE)
    dimensions = forms.MultipleChoiceField(
        label=_("Balance on"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only questions with population figures can be chosen."),
    )
    algorithm = forms.ChoiceField(
        label=_("Lottery"),
        choices=[(a, ALGORITHM_LABELS[a]) for a in ALGORITHMS],
        initial="maximin",
        widget=forms.RadioSelect,
    )
    seed = forms.CharField(
        label=_("Seed"),
        required=False,
        max_length=draws.MAX_SEED_DIGITS,
        help_text=_(
            "Leave empty for a random seed. To draw in public, use a number made in front of "
            "everyone, for example by dice or a lottery draw."
        ),
    )

    def __init__(
        self,
        *args: Any,
        targets: list[tuple[int, str]],
        dimensions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        target: Any = self.fields["target"]
        target.choices = targets
        chosen: Any = self.fields["dimensions"]
        chosen.choices = dimensions

    def clean_seed(self) -> str:
        seed = (self.cleaned_data.get("seed") or "").strip()
        if seed and (not seed.isascii() or not seed.isdigit()):
            raise forms.ValidationError(_("A seed is a whole number, or leave it empty."))
        return seed
