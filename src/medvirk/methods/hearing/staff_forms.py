"""Staff forms for the høyring: the period, a document, a section, a paragraph, and
withholding a passage or a file from the public register.

The forms give each mistake to the field it belongs to (for the error summary and
``aria-describedby``); the actions in ``staff_actions`` check everything again, so no path
around a form can store what the form would refuse. Each form has its own prefix, so
several can share a page without two fields having the same id.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.filetypes import FileKind

from .models import PlanStage, Redaction
from .period import check_period
from .staff_actions import MAX_HEADING, MAX_NOTE, MAX_PARAGRAPH, MAX_PASSAGE, MAX_SUMMARY

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    prefix = "period"

    plan_stage = forms.ChoiceField(
        label=_("What is on consultation"),
        choices=PlanStage.choices,
        help_text=_(
            "A plan case is on consultation for at least six weeks (plan- og bygningsloven); "
            "only a notice of start without a planning programme may be shorter."
        ),
    )
    starts_on = forms.DateField(
        label=_("First day"),
        widget=DATE_WIDGET,
        help_text=_("Residents can comment and send submissions from this day."),
    )
    ends_on = forms.DateField(
        label=_("Deadline (last day)"),
        widget=DATE_WIDGET,
        help_text=_(
            "Input given on this day is on time. Later submissions are still received, marked late."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stage, start, end = data.get("plan_stage"), data.get("starts_on"), data.get("ends_on")
        if stage and start and end:
            try:
                check_period(str(stage), start, end)
            except ActionRefused as refused:
                self.add_error("ends_on", refused.message)
        return data


class DocumentForm(forms.Form):
    prefix = "document"

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the document is about, in plain words. At most 2000 characters."),
    )
    file = uploads.UploadField(
        label=_("The document as a PDF"),
        kinds={FileKind.PDF},
        required=False,
    )

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_file:
            self.fields["file"].label = _("Replace the PDF")
            self.fields["remove_file"] = forms.BooleanField(
                label=_("Remove the PDF"),
                required=False,
                help_text=_("The text written in the editor stays."),
            )


class SectionForm(forms.Form):
    prefix = "section"

    heading = forms.CharField(
        label=_("Heading"),
        max_length=MAX_HEADING,
        help_text=_("Sections are numbered 1, 2, 3 … in the order shown."),
    )


class ParagraphForm(forms.Form):
    prefix = "paragraph"

    text = forms.CharField(
        label=_("Paragraph"),
        max_length=MAX_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One paragraph: residents comment on it by its number (1.1, 1.2 …). At most "
            "8000 characters."
        ),
    )


BASIS_HELP = _(
    "The legal reason is shown in the register in place of what is withheld; the note is "
    "for the case file only."
)


class PassageForm(forms.Form):
    prefix = "passage"

    passage = forms.CharField(
        label=_("Passage to withhold"),
        max_length=MAX_PASSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Copy the words exactly as they stand in the text. The public register shows "
            "the text with this passage replaced; the archive keeps it."
        ),
    )
    basis = forms.ChoiceField(
        label=_("Legal reason"), choices=Redaction.Basis.choices, help_text=BASIS_HELP
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=MAX_NOTE,
        help_text=_("Required for “Other reason”. At most 500 characters."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("basis") == Redaction.Basis.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Explain the reason when it is “Other reason”."))
        return data


class FileRedactionForm(forms.Form):
    prefix = "file"

    attachment = forms.TypedChoiceField(label=_("File to withhold"), coerce=int, choices=())
    basis = forms.ChoiceField(
        label=_("Legal reason"), choices=Redaction.Basis.choices, help_text=BASIS_HELP
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=MAX_NOTE,
        help_text=_("Required for “Other reason”. At most 500 characters."),
    )

    def __init__(self, *args: Any, files: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachment"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("basis") == Redaction.Basis.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Explain the reason when it is “Other reason”."))
        return data
