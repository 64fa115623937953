"""Writes of the survey: questions (staff or demo) and answer sets (residents).

An answer set is validated strictly against the survey's own questions, then stored as
one contribution plus its answer rows in one transaction: all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from medvirk.algorithms import fodselsnummer
from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Channel, Contribution
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.tokens import receipt_token
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance

from .models import (
    CHOICE_KINDS,
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Question,
    QuestionKind,
    Submission,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

ACTION = "answer"
KIND = "survey_answer"
MAX_TEXT_ANSWER = 2000
MAX_OPTIONS = 20
MAX_RANKING_OPTIONS = 10
MAX_QUESTIONS = 60
KEY_RE = re.compile(r"^[0-9a-f]{32}$")
OPTION_KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")

# What a respondent answered, per question id (before validation):
#   single: str (option key), multiple: list[str], scale: int, text: str,
#   ranking: dict[str, int] (option key -> rank, 1 = most important).
Responses = Mapping[int, Any]


class AnswersInvalid(ActionRefused):
    """Some answers do not fit their questions; ``errors`` maps question id to a message."""

    def __init__(self, errors: Mapping[int, str]) -> None:
        super().__init__(_("Some answers need to be corrected."))
        self.errors = dict(errors)


# --- questions ------------------------------------------------------------------------


def check_question(
    kind: str,
    text: str,
    choices: Sequence[Mapping[str, Any]],
    *,
    required: bool,
    is_demographic: bool,
) -> list[dict[str, str]]:
    """Validate a question's definition; return its cleaned options."""
    if kind not in QuestionKind.values:
        raise ActionRefused(_("Unknown question type."))
    if not text.strip() or len(text) > 300:
        raise ActionRefused(_("A question needs a text of at most 300 characters."))
    if is_demographic and required:
        raise ActionRefused(_("A demographic question cannot be required: consent is optional."))
    if is_demographic and kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        raise ActionRefused(_("A demographic question must be single or multiple choice."))
    cleaned: list[dict[str, str]] = []
    for choice in choices:
        key = str(choice.get("key", ""))
        label = str(choice.get("label", "")).strip()
        if not label or len(label) > 200:
            raise ActionRefused(_("Each option needs a label of at most 200 characters."))
        cleaned.append({"key": key, "label": label})
    keys = [c["key"] for c in cleaned]
    if len(keys) != len(set(keys)):
        raise ActionRefused(_("Option keys must be unique within a question."))
    if kind in CHOICE_KINDS:
        if not 2 <= len(cleaned) <= MAX_OPTIONS:
            raise ActionRefused(
                _("A choice question needs from 2 to %(max)d options.") % {"max": MAX_OPTIONS}
            )
        if kind == QuestionKind.RANKING and len(cleaned) > MAX_RANKING_OPTIONS:
            raise ActionRefused(
                _("A ranking has at most %(max)d options.") % {"max": MAX_RANKING_OPTIONS}
            )
        if not all(OPTION_KEY_RE.match(k) for k in keys):
            raise ActionRefused(_("Option keys use lower-case letters, digits and _ only."))
    elif kind == QuestionKind.SCALE:
        allowed = {str(v) for v in range(SCALE_MIN, SCALE_MAX + 1)}
        if not set(keys) <= allowed:
            raise ActionRefused(_("Scale labels can only be given for the steps 1 to 5."))
    elif cleaned:
        raise ActionRefused(_("A free-text question has no options."))
    return cleaned


def do_add_question(
    staff: AbstractBaseUser | None,
    instance: MethodInstance,
    *,
    kind: str,
    text: str,
    choices: Sequence[Mapping[str, Any]] = (),
    help_text: str = "",
    required: bool = False,
    is_demographic: bool = False,
) -> Question:
    """Add a question at the end of the survey.

    ``staff`` must be allowed to manage the municipality's processes; ``None`` is the
    demo loader and tests acting as the system. Questions cannot be added once answers
    exist, so every answer set answered the same questions.
    """
    if instance.method_key != "survey":
        raise ActionRefused(_("This is not a survey."), status=404)
    municipality_id = instance.process.municipality_id
    if staff is not None and not permissions.staff_can(staff, "manage_process", municipality_id):
        raise ActionRefused(_("You cannot change surveys in this municipality."), status=403)
    if len(help_text) > 500:
        raise ActionRefused(_("The help text is too long: at most 500 characters."))
    cleaned = check_question(kind, text, choices, required=required, is_demographic=is_demographic)
    with transaction.atomic():
        if Contribution.objects.filter(method_instance=instance, kind=KIND).exists():
            raise ActionRefused(_("The survey already has answers; its questions are fixed."))
        count = Question.objects.filter(method_instance=instance).count()
        if count >= MAX_QUESTIONS:
            raise ActionRefused(_("A survey has at most %(n)d questions.") % {"n": MAX_QUESTIONS})
        question = Question.objects.create(
            method_instance=instance,
            order=count + 1,
            kind=kind,
            text=text.strip(),
            help_text=help_text.strip(),
            required=required,
            choices=cleaned,
            is_demographic=is_demographic,
        )
        if staff is not None:
            audit.record(
                "survey.question_added",
                actor=staff,
                obj=question,
                municipality_id=municipality_id,
                data={"method": instance.pk, "kind": kind},
            )
    return question


# --- answers --------------------------------------------------------------------------


def check_answer(
    user: AbstractBaseUser | AnonymousUser,
    instance: MethodInstance,
    registered_by: AbstractBaseUser | None = None,
) -> None:
    """May this person answer now? Raises :class:`ActionRefused` with the reason."""
    if instance.method_key != "survey":
        raise ActionRefused(_("This is not a survey."), status=404)
    if registered_by is not None:
        return  # do_contribute checks the staff member's right to register offline input
    verdict = permissions.can_act(user, instance, ACTION)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)
    if not instance.settings.get("allow_anonymous", True) and not user.is_authenticated:
        raise ActionRefused(_("Log in to answer this survey."), status=403)


def build_answers(
    questions: Iterable[Question], responses: Responses, *, consent: bool
) -> tuple[list[Answer], dict[int, str]]:
    """Turn responses into unsaved answer rows; return them with any errors per question.

    Demographic answers are dropped, unread, when the person did not consent.
    """
    by_id = {q.pk: q for q in questions}
    errors: dict[int, str] = {}
    answers: list[Answer] = []
    for qid in responses:
        if qid not in by_id:
            raise ActionRefused(_("The form does not match this survey. Reload the page."))
    for question in by_id.values():
        if question.is_demographic and not consent:
            continue
        raw = responses.get(question.pk)
        if raw is None or raw == "" or raw == [] or raw == {}:
            if question.required:
                errors[question.pk] = _("Answer this question.")
            continue
        try:
            answers.extend(_answer_rows(question, raw))
        except ValueError as exc:
            errors[question.pk] = str(exc)
    if not errors and not answers:
        raise ActionRefused(_("Answer at least one question before you send."))
    return answers, errors


def _answer_rows(question: Question, raw: Any) -> list[Answer]:
    keys = question.option_keys()
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        if not isinstance(raw, str) or raw not in keys:
            raise ValueError(_("Choose one of the options."))
        return [Answer(question=question, choice=raw)]
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(raw, list) or not all(isinstance(k, str) and k in keys for k in raw):
            raise ValueError(_("Choose among the options shown."))
        if len(set(raw)) != len(raw):
            raise ValueError(_("Choose each option only once."))
        return [Answer(question=question, choice=k) for k in raw]
    if kind == QuestionKind.SCALE:
        if isinstance(raw, bool) or not isinstance(raw, int) or not SCALE_MIN <= raw <= SCALE_MAX:
            raise ValueError(
                _("Choose a value from %(min)d to %(max)d.") % {"min": SCALE_MIN, "max": SCALE_MAX}
            )
        return [Answer(question=question, value=raw)]
    if kind == QuestionKind.TEXT:
        if not isinstance(raw, str):
            raise ValueError(_("Write your answer as text."))
        text = raw.strip()
        if "\x00" in text:
            raise ValueError(_("The text contains characters that are not allowed."))
        if len(text) > MAX_TEXT_ANSWER:
            raise ValueError(
                _("The text is too long: at most %(max)d characters (you wrote %(n)d).")
                % {"max": MAX_TEXT_ANSWER, "n": len(text)}
            )
        if not text:
            if question.required:
                raise ValueError(_("Answer this question."))
            return []
        return [Answer(question=question, text=text)]
    if kind == QuestionKind.RANKING:
        if not isinstance(raw, dict) or set(raw) != set(keys):
            raise ValueError(_("Give every option a rank."))
        ranks = list(raw.values())
        if not all(isinstance(r, int) and not isinstance(r, bool) for r in ranks) or sorted(
            ranks
        ) != list(range(1, len(keys) + 1)):
            raise ValueError(
                _("Give each option a different rank from 1 to %(n)d.") % {"n": len(keys)}
            )
        return [Answer(question=question, choice=k, rank=raw[k]) for k in keys]
    raise ValueError(_("Unknown question type."))


def _joined_text(questions: Sequence[Question], answers: Sequence[Answer]) -> str:
    """The free-text answers as one text for the shared list of contributions."""
    texts = {a.question_id: a.text for a in answers if a.text}
    parts = [f"{q.text}\n{texts[q.pk]}" for q in questions if q.pk in texts]
    return "\n\n".join(parts)


def receipt_for(contribution: Contribution) -> Receipt:
    return Receipt(contribution, receipt_token(contribution.pk, contribution.receipt_nonce))


def do_answer(
    user: AbstractBaseUser | AnonymousUser,
    instance: MethodInstance,
    responses: Responses,
    *,
    key: str,
    consent: bool = False,
    contact_email: str = "",
    author_name: str = "",
    show_name: bool = False,
    channel: str = Channel.WEB,
    registered_by: AbstractBaseUser | None = None,
) -> Receipt:
    """Store one answer set (a contribution and its answers) and return its receipt.

    ``key`` is the form's one-time key: sending the same form twice, even in parallel,
    stores it once and returns the receipt of the first.
    """
    check_answer(user, instance, registered_by)
    if not KEY_RE.match(key):
        raise ActionRefused(
            _("The form has expired or was changed. Reload the page and try again.")
        )
    questions = list(Question.objects.filter(method_instance=instance))
    if not questions:
        raise ActionRefused(_("This survey has no questions yet."))
    answers, errors = build_answers(questions, responses, consent=consent)
    if errors:
        raise AnswersInvalid(errors)
    text = _joined_text(questions, answers)
    if len(text) > settings.MEDVIRK_MAX_TEXT_LENGTH:
        raise ActionRefused(
            _("Your written answers are too long together: at most %(max)d characters.")
            % {"max": settings.MEDVIRK_MAX_TEXT_LENGTH}
        )
    previous = _previous(instance, key)
    if previous is not None:
        return previous
    # The shared contribution gets the raw text: do_contribute masks it and holds it for a
    # moderator if it looks like it holds a national identity number. The rows are masked.
    for answer in answers:
        if answer.text:
            answer.text = fodselsnummer.mask(answer.text)[0]
    consented = consent and any(a.question.is_demographic for a in answers)
    draft = Draft(
        kind=KIND,
        text=text,
        data={"demographic_consent": True} if consented else {},
        channel=channel,
        contact_email=contact_email.strip(),
        author_name=author_name.strip(),
        show_name=show_name,
    )
    try:
        with transaction.atomic():
            receipt = do_contribute(user, instance, ACTION, draft, registered_by)
            Submission.objects.create(
                method_instance=instance, key=key, contribution=receipt.contribution
            )
            for answer in answers:
                answer.contribution = receipt.contribution
            Answer.objects.bulk_create(answers)
    except IntegrityError:
        # Another request with the same form key won the race: show its receipt.
        previous = _previous(instance, key)
        if previous is None:
            raise
        return previous
    return receipt


def _previous(instance: MethodInstance, key: str) -> Receipt | None:
    submission = (
        Submission.objects.select_related("contribution")
        .filter(method_instance=instance, key=key)
        .first()
    )
    return receipt_for(submission.contribution) if submission is not None else None
