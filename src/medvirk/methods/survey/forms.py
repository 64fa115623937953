"""The survey form: read a POST strictly into typed responses, and describe it for templates.

Field names are ``q-<question id>`` (single, multiple, scale, text) and
``q-<question id>-<option key>`` (one rank per option of a ranking). Any other ``q-`` name
means the form was not made for this survey, and nothing is taken.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.core.errors import ActionRefused

from .actions import KEY_RE, MAX_TEXT_ANSWER, AnswersInvalid, build_answers
from .models import SCALE_MAX, SCALE_MIN, Question, QuestionKind


class DetailsForm(forms.Form):
    """Everything but the answers: consent, name, e-mail and the one-time form key."""

    key = forms.RegexField(regex=KEY_RE, max_length=32, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        required=False,
        label=gettext_lazy("I agree that my answers to the questions about me are stored"),
    )
    name = forms.CharField(required=False, max_length=150, label=gettext_lazy("Your name"))
    show_name = forms.BooleanField(
        required=False, label=gettext_lazy("Show my name with my written answers")
    )
    email = forms.EmailField(
        required=False, max_length=254, label=gettext_lazy("E-mail address (optional)")
    )

    def __init__(self, *args: Any, ask_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_email:
            del self.fields["email"]
        self.fields["key"].error_messages["invalid"] = gettext_lazy(
            "The form has expired or was changed. Reload the page and try again."
        )
        self.fields["key"].error_messages["required"] = self.fields["key"].error_messages["invalid"]


@dataclass
class Option:
    key: str
    label: str
    id: str
    checked: bool = False
    rank: int | None = None
    name: str = ""


@dataclass
class QuestionField:
    """What a template needs to draw one question accessibly."""

    question: Question
    name: str
    options: list[Option] = field(default_factory=list)
    value: str = ""
    error: str = ""
    rank_choices: list[int] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def first_id(self) -> str:
        return self.options[0].id if self.options else f"id-{self.name}"

    @property
    def help_id(self) -> str:
        return f"{self.name}-help"

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.question.help_text:
            ids.append(self.help_id)
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def max_length(self) -> int:
        return MAX_TEXT_ANSWER


def _small_int(raw: str) -> int | None:
    """A whole number of at most three ASCII digits, else None (no "²", no "1e9")."""
    raw = raw.strip()
    if raw.isascii() and raw.isdigit() and len(raw) <= 3:
        return int(raw)
    return None


def new_key() -> str:
    return secrets.token_hex(16)


class SurveyForm:
    """Parses and validates one answer set; renders back what was entered on errors."""

    def __init__(
        self, questions: list[Question], data: QueryDict | None = None, *, ask_email: bool = True
    ) -> None:
        self.questions = questions
        self.data = data
        self.ask_email = ask_email
        self.details = DetailsForm(
            data, ask_email=ask_email, initial={"key": new_key()} if data is None else None
        )
        self.responses: dict[int, Any] = {}
        self.errors: dict[int, str] = {}
        self.form_errors: list[str] = []
        self._validated = False
        self._fresh_key = ""

    # -- parsing ------------------------------------------------------------------------

    def is_valid(self) -> bool:
        """Type-check the POST and validate answers against the questions."""
        if self.data is None:
            return False
        self._validated = True
        details_ok = self.details.is_valid()
        self._parse()
        if self.form_errors:
            return False
        consent = bool(self.details.cleaned_data.get("consent"))
        typed = {qid: v for qid, v in self.responses.items() if qid not in self.errors}
        try:
            _answers, errors = build_answers(self.questions, typed, consent=consent)
        except AnswersInvalid as invalid:
            errors = invalid.errors
        except ActionRefused as refused:
            self.form_errors.append(refused.message)
            return False
        for qid, message in errors.items():
            self.errors.setdefault(qid, message)
        return details_ok and not self.errors

    def _parse(self) -> None:
        assert self.data is not None
        expected: set[str] = set()
        for question in self.questions:
            if question.kind == QuestionKind.RANKING:
                expected.update(f"{question.field_name}-{k}" for k in question.option_keys())
            else:
                expected.add(question.field_name)
        unknown = [k for k in self.data if k.startswith("q-") and k not in expected]
        if unknown:
            self.form_errors.append(
                _("The form does not match this survey. Reload the page and try again.")
            )
            return
        for question in self.questions:
            try:
                value = self._read(question)
            except ValueError as exc:
                self.errors[question.pk] = str(exc)
                continue
            if value is not None:
                self.responses[question.pk] = value

    def _read(self, question: Question) -> Any:
        assert self.data is not None
        name = question.field_name
        kind = question.kind
        if kind == QuestionKind.RANKING:
            ranks: dict[str, int] = {}
            for key in question.option_keys():
                values = self.data.getlist(f"{name}-{key}")
                if len(values) > 1:
                    raise ValueError(_("Give each option one rank."))
                raw = values[0].strip() if values else ""
                if raw == "":
                    continue
                number = _small_int(raw)
                if number is None:
                    raise ValueError(_("A rank is a whole number."))
                ranks[key] = number
            return ranks or None
        values = self.data.getlist(name)
        if kind == QuestionKind.MULTIPLE:
            return values or None
        if len(values) > 1:
            raise ValueError(_("Give one answer to this question."))
        raw = values[0] if values else ""
        if kind == QuestionKind.TEXT:
            return raw if raw.strip() else None
        raw = raw.strip()
        if raw == "":
            return None
        if kind == QuestionKind.SCALE:
            number = _small_int(raw)
            if number is None:
                raise ValueError(
                    _("Choose a value from %(min)d to %(max)d.")
                    % {"min": SCALE_MIN, "max": SCALE_MAX}
                )
            return number
        return raw

    def renew_key(self) -> None:
        """Give the form a fresh key: the posted one was used already (the answers stay)."""
        self._fresh_key = new_key()

    @property
    def key_value(self) -> str:
        """The form's one-time key: kept across corrections, fresh if missing, forged or
        used already (:meth:`renew_key`)."""
        if self._fresh_key:
            return self._fresh_key
        if self.data is None:
            return str(self.details.initial["key"])
        posted = self.data.get("key", "")
        return posted if KEY_RE.match(posted) else new_key()

    @property
    def cleaned(self) -> dict[str, Any]:
        data = self.details.cleaned_data
        return {
            "key": data["key"],
            "consent": bool(data.get("consent")),
            "author_name": data.get("name", ""),
            "show_name": bool(data.get("show_name")),
            "contact_email": data.get("email", "") or "",
        }

    # -- rendering ----------------------------------------------------------------------

    def _field(self, question: Question) -> QuestionField:
        name = question.field_name
        posted = self.data if self._validated else None
        qf = QuestionField(question=question, name=name, error=self.errors.get(question.pk, ""))
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = set(posted.getlist(name)) if posted is not None else set()
            qf.options = [
                Option(
                    key=key,
                    label=question.option_label(key),
                    id=f"{name}-{i}",
                    checked=key in chosen,
                    name=name,
                )
                for i, key in enumerate(question.option_keys())
            ]
        elif question.kind == QuestionKind.SCALE:
            chosen_value = posted.get(name, "") if posted is not None else ""
            qf.options = []
            for v in range(SCALE_MIN, SCALE_MAX + 1):
                words = question.scale_label(v)
                qf.options.append(
                    Option(
                        key=str(v),
                        label=f"{v} – {words}" if words else str(v),
                        id=f"{name}-{v}",
                        checked=chosen_value == str(v),
                        name=name,
                    )
                )
        elif question.kind == QuestionKind.RANKING:
            keys = question.option_keys()
            qf.rank_choices = list(range(1, len(keys) + 1))
            qf.options = []
            for i, key in enumerate(keys):
                raw = posted.get(f"{name}-{key}", "") if posted is not None else ""
                qf.options.append(
                    Option(
                        key=key,
                        label=question.option_label(key),
                        id=f"{name}-{i}",
                        rank=_small_int(raw),
                        name=f"{name}-{key}",
                    )
                )
        else:
            qf.value = posted.get(name, "")[: MAX_TEXT_ANSWER * 2] if posted is not None else ""
        return qf

    @property
    def question_fields(self) -> list[QuestionField]:
        return [self._field(q) for q in self.questions if not q.is_demographic]

    @property
    def demographic_fields(self) -> list[QuestionField]:
        return [self._field(q) for q in self.questions if q.is_demographic]

    @property
    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for every error, in page order."""
        items = [("survey-form", message) for message in self.form_errors]
        fields = self.question_fields + self.demographic_fields
        items += [(f.first_id, f"{f.question.text}: {f.error}") for f in fields if f.error]
        for name, errors in self.details.errors.items():
            anchor = "survey-form" if name == "key" else f"id_{name}"
            items += [(anchor, str(message)) for message in errors]
        return items
