"""Forms of the theme pages: accept a suggested theme under a name, rename a theme, merge
two themes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .inbox_forms import IdsField

NAME_MAX = 120


class AcceptSuggestionForm(forms.Form):
    """A suggestion made a theme: its inputs (as shown) and the officer's name for it."""

    name = forms.CharField(
        label=_("Name of the theme"),
        max_length=NAME_MAX,
        help_text=_("Prefilled from the words that mark the group. Make it say what it is about."),
        error_messages={"required": _("Give the theme a name.")},
    )
    ids = IdsField(label=_("Input"))


class RenameThemeForm(forms.Form):
    name = forms.CharField(
        label=_("New name"),
        max_length=NAME_MAX,
        error_messages={"required": _("Give the theme a name.")},
    )


class MergeThemesForm(forms.Form):
    source = forms.ChoiceField(label=_("Merge this theme"))
    target = forms.ChoiceField(label=_("into this theme (it keeps its name)"))

    def __init__(self, *args: Any, themes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Choose …")), *themes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", _("Choose two different themes to merge."))
        return data
