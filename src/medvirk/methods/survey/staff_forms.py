"""The staff editor's question form: what a case officer types, checked field by field.

The form gives each mistake to the field it belongs to (for the error summary and
``aria-describedby``); the actions check everything again, so no path around the form
can store a question the form would refuse.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import MAX_OPTIONS, MAX_RANKING_OPTIONS, choices_from_labels
from .models import CHOICE_KINDS, SCALE_MAX, SCALE_MIN, DemographicRole, Question, QuestionKind
from .participants import role_problem

MAX_QUESTION_TEXT = 300
MAX_HELP_TEXT = 500
MAX_OPTION_LABEL = 200
MIN_OPTIONS = 2
# Enough room for 20 options of 200 characters and their line breaks, and no more.
MAX_OPTIONS_FIELD = MAX_OPTIONS * (MAX_OPTION_LABEL + 2)

DEMOGRAPHIC_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

KIND_HINTS = {
    QuestionKind.SINGLE: gettext_lazy("People choose one option."),
    QuestionKind.MULTIPLE: gettext_lazy("People choose as many options as they like."),
    QuestionKind.SCALE: gettext_lazy("People choose a number from 1 to 5. No options."),
    QuestionKind.TEXT: gettext_lazy("People write in their own words. No options."),
    QuestionKind.RANKING: gettext_lazy(
        "People put the options in order of importance (at most 10 options)."
    ),
}


def option_lines(raw: str) -> list[str]:
    """The options typed one per line: spaces trimmed, empty lines left out."""
    return [" ".join(line.split()) for line in raw.splitlines() if line.strip()]


class QuestionForm(forms.Form):
    """Add or change a question. ``locked`` (the survey has answers) keeps only the wording."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Type of question"),
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=MAX_QUESTION_TEXT,
        help_text=gettext_lazy("Ask one thing at a time, in plain words. At most 300 characters."),
    )
    help_text = forms.CharField(
        label=gettext_lazy("Help text"),
        required=False,
        max_length=MAX_HELP_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown under the question. At most 500 characters."),
    )
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        max_length=MAX_OPTIONS_FIELD,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One option per line. Single choice, multiple choice and ranking need 2 to 20 "
            "different options (a ranking at most 10), each at most 200 characters. Leave "
            "empty for a scale or free text."
        ),
    )
    scale_low = forms.CharField(
        label=gettext_lazy("Words for 1 on the scale"),
        required=False,
        max_length=MAX_OPTION_LABEL,
        help_text=gettext_lazy("Only for a scale, for example “Not important”."),
    )
    scale_high = forms.CharField(
        label=gettext_lazy("Words for 5 on the scale"),
        required=False,
        max_length=MAX_OPTION_LABEL,
        help_text=gettext_lazy("Only for a scale, for example “Very important”."),
    )
    required = forms.BooleanField(
        label=gettext_lazy("An answer is required"),
        required=False,
        help_text=gettext_lazy("Use sparingly: every required question makes some people give up."),
    )
    is_demographic = forms.BooleanField(
        label=gettext_lazy("Demographic question (asked only with consent)"),
        required=False,
        help_text=gettext_lazy(
            "For questions about the person, such as age group. Shown under “About you "
            "(optional)” and stored only if the person consents. Must be single or multiple "
            "choice and can never be required."
        ),
    )
    demographic_role = forms.ChoiceField(
        label=gettext_lazy("What the demographic question asks"),
        required=False,
        choices=[("", gettext_lazy("Work it out from the options")), *DemographicRole.choices],
        help_text=gettext_lazy(
            "Age group, sex and district are compared with the municipality's population on "
            "the case's “who took part” page, from answers given with consent. Age group: "
            "every option is an age range, such as “18–34 år” or “67 år eller eldre”. Sex: "
            "“Kvinne”, “Mann”, “Anna”. District: every option is a district's name as in the "
            "municipality's population figures for districts (case and spacing do not "
            "matter); an answer naming no district there counts as not given."
        ),
    )

    def __init__(
        self,
        *args: Any,
        locked: bool = False,
        question: Question | None = None,
        **kwargs: Any,
    ) -> None:
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(question)
        super().__init__(*args, **kwargs)
        self.locked = locked
        self.question = question
        if locked:
            for name in (
                "kind",
                "options",
                "scale_low",
                "scale_high",
                "required",
                "is_demographic",
            ):
                del self.fields[name]
            # The role may still be set: it says how to read answers given with consent,
            # not what people were asked.
            if question is None or not question.is_demographic:
                del self.fields["demographic_role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.locked:
            if "demographic_role" in self.fields and self.question is not None:
                self._check_role(self.question.kind, self.question.choices)
            return data
        kind = data.get("kind")
        lines = option_lines(data.get("options") or "")
        data["option_labels"] = lines
        if kind in CHOICE_KINDS and "options" in data:
            self._check_options(str(kind), lines)
        elif kind in (QuestionKind.SCALE, QuestionKind.TEXT) and lines:
            self.add_error(
                "options",
                _("A scale has no options: leave this field empty.")
                if kind == QuestionKind.SCALE
                else _("A free-text question has no options: leave this field empty."),
            )
        if data.get("is_demographic"):
            if data.get("required"):
                self.add_error(
                    "required",
                    _(
                        "A demographic question cannot be required: people answer it only "
                        "if they consent."
                    ),
                )
            if kind is not None and kind not in DEMOGRAPHIC_KINDS:
                self.add_error(
                    "is_demographic",
                    _("A demographic question must be single or multiple choice."),
                )
            elif kind is not None and "options" not in self.errors:
                existing = self.question.choices if self.question is not None else []
                self._check_role(str(kind), choices_from_labels(lines, existing))
        elif data.get("demographic_role") and (
            # Unticking "demographic" may leave the question's old role selected: it goes.
            self.question is None or data["demographic_role"] != self.question.demographic_role
        ):
            self.add_error(
                "demographic_role",
                _(
                    "Only a demographic question says what it asks about the person: tick "
                    "“Demographic question” too, or choose “Work it out from the options”."
                ),
            )
        return data

    def _check_role(self, kind: str, choices: list[dict[str, str]]) -> None:
        role = self.cleaned_data.get("demographic_role") or ""
        if role:
            problem = role_problem(role, kind, choices)
            if problem is not None:
                self.add_error("demographic_role", problem)

    @property
    def role(self) -> str:
        """The role chosen ("" = work it out from the options); only for a demographic
        question."""
        return str(self.cleaned_data.get("demographic_role") or "")

    def _check_options(self, kind: str, lines: list[str]) -> None:
        most = MAX_RANKING_OPTIONS if kind == QuestionKind.RANKING else MAX_OPTIONS
        if len(lines) < MIN_OPTIONS:
            self.add_error(
                "options",
                _("Write at least %(min)d options, one per line (you wrote %(n)d).")
                % {"min": MIN_OPTIONS, "n": len(lines)},
            )
            return
        if len(lines) > most:
            message = (
                _("A ranking has at most %(max)d options (you wrote %(n)d).")
                if kind == QuestionKind.RANKING
                else _("A question has at most %(max)d options (you wrote %(n)d).")
            )
            self.add_error("options", message % {"max": most, "n": len(lines)})
            return
        seen: set[str] = set()
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_OPTION_LABEL:
                self.add_error(
                    "options",
                    _("Option %(n)d is too long: at most %(max)d characters (it has %(len)d).")
                    % {"n": number, "max": MAX_OPTION_LABEL, "len": len(line)},
                )
                return
            folded = line.casefold()
            if folded in seen:
                self.add_error(
                    "options",
                    _("Each option must be different: “%(label)s” is listed more than once.")
                    % {"label": line},
                )
                return
            seen.add(folded)

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``do_add_question`` / ``do_update_question``."""
        data = self.cleaned_data
        if self.locked:
            assert self.question is not None
            question = self.question
            return {
                "kind": question.kind,
                "text": data["text"],
                "help_text": data.get("help_text", ""),
                "required": question.required,
                "is_demographic": question.is_demographic,
                "choices": question.choices,
            }
        kind = data["kind"]
        existing = self.question.choices if self.question is not None else []
        choices: list[dict[str, str]] = []
        if kind in CHOICE_KINDS:
            choices = choices_from_labels(data["option_labels"], existing)
        elif kind == QuestionKind.SCALE:
            for key, name in ((SCALE_MIN, "scale_low"), (SCALE_MAX, "scale_high")):
                label = " ".join(str(data.get(name) or "").split())
                if label:
                    choices.append({"key": str(key), "label": label})
        return {
            "kind": kind,
            "text": data["text"],
            "help_text": data.get("help_text", ""),
            "required": bool(data.get("required")),
            "is_demographic": bool(data.get("is_demographic")),
            "choices": choices,
        }

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, field label, message) for every error, in the order of the form."""
        items: list[tuple[str, str, str]] = [
            ("question-form", "", str(message)) for message in self.non_field_errors()
        ]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                anchor = f"id_{name}_0" if name == "kind" else f"id_{name}"
                items.append((anchor, str(field.label), str(message)))
        return items


def initial_for(question: Question) -> dict[str, Any]:
    """The form's starting values for an existing question."""
    initial: dict[str, Any] = {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "is_demographic": question.is_demographic,
        "demographic_role": question.demographic_role,
    }
    if question.kind in CHOICE_KINDS:
        initial["options"] = "\n".join(str(c["label"]) for c in question.choices)
    elif question.kind == QuestionKind.SCALE:
        for key, name in ((SCALE_MIN, "scale_low"), (SCALE_MAX, "scale_high")):
            label = question.option_label(str(key))
            if label != str(key):
                initial[name] = label
    return initial
