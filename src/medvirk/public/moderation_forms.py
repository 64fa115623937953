"""The public form to report published input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.contributions.types import Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with the input.")},
    )
    note = forms.CharField(
        label=_("Tell the moderator more"),
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Only the municipality's moderators read it. Do not write your name."),
    )

    def options(self) -> list[dict[str, object]]:
        chosen = str(self["reason"].value() or "")
        return [
            {"value": value, "label": label, "id": f"id_reason_{index}", "checked": value == chosen}
            for index, (value, label) in enumerate(Report.Reason.choices)
        ]
