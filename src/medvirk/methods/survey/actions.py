"""Writes of the survey: questions (staff or demo) and answer sets (residents).

An answer set is validated strictly against the survey's own questions, then stored as
one contribution plus its answer rows in one transaction: all or nothing.
"""

from __future__ import annotations

import hmac
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from medvirk.contributions import screening
from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Channel, Contribution
from medvirk.contributions.screening import Finding
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.tokens import receipt_token
from medvirk.identity.models import AssuranceLevel
from medvirk.organisations import capabilities
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
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

ACTION = "answer"
KIND = "survey_answer"
MAX_TEXT_ANSWER = 2000
MAX_OPTIONS = 20
MAX_RANKING_OPTIONS = 10
MAX_QUESTIONS = 60
KEY_RE = re.compile(r"^[0-9a-f]{32}$")
OPTION_KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")

# Letters that NFKD does not take apart, spelled as Norwegians spell them in ASCII.
_ASCII_SPELLING = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ß": "ss", "ð": "d", "þ": "th"})

# What a respondent answered, per question id (before validation):
#   single: str (option key), multiple: list[str], scale: int, text: str,
#   ranking: dict[str, int] (option key -> rank, 1 = most important).
Responses = Mapping[int, Any]


class AnswersInvalid(ActionRefused):
    """Some answers do not fit their questions; ``errors`` maps question id to a message."""

    def __init__(self, errors: Mapping[int, str]) -> None:
        super().__init__(_("Some answers need to be corrected."))
        self.errors = dict(errors)


class KeyAlreadyUsed(ActionRefused):
    """The form's one-time key was used before by another session or with other answers.

    Nothing is stored and nothing of the first answer set is given away (409).
    ``same_session`` is True when the same session sent other answers under the key
    ("back, edit, send again"): its first answers were registered.
    """

    def __init__(self, *, same_session: bool) -> None:
        if same_session:
            message = _(
                "You have already sent this form, and your first answers were registered. "
                "The changed answers below were not stored. To give them as a new answer "
                "set, check them and send the form again."
            )
        else:
            message = _(
                "This form has already been sent, so these answers were not stored. To give "
                "them as a new answer set, check them and send the form again."
            )
        super().__init__(message, status=409)
        self.same_session = same_session


class AlreadyAnswered(ActionRefused):
    """This person has answered the survey already, and it takes one answer per person (409)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "You have already answered this survey, and each person answers once. Your "
                "first answers count; you can see them on your receipt and on My page."
            ),
            status=409,
        )


def one_per_person(instance: MethodInstance) -> bool:
    """Does the survey take one answer per person? Yes when answering needs a login (the
    instance's identity level, or "answer without logging in" turned off): then the person
    is known. Otherwise each submitted form counts once."""
    level = permissions.required_level(instance, ACTION)
    return level > AssuranceLevel.ANONYMOUS or not instance.settings.get("allow_anonymous", True)


def once_key(user: User | AnonymousUser, instance: MethodInstance) -> str | None:
    """The key that lets a person answer once (``Draft.once_key``), or None."""
    if user.is_authenticated and one_per_person(instance):
        return f"user:{user.pk}"
    return None


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
    seen: set[str] = set()
    for choice in cleaned:
        folded = _fold(choice["label"])
        if folded in seen:
            raise ActionRefused(
                _("Each option must be different: “%(label)s” is listed more than once.")
                % {"label": choice["label"]}
            )
        seen.add(folded)
    return cleaned


def do_add_question(
    staff: User | None,
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
    if staff is not None and not capabilities.staff_can(staff, "manage_process", municipality_id):
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


# --- the staff editor: options, changes, deletion and order ----------------------------

# What may change once a survey has answers: the wording. Everything else would change what
# the answers already given mean (an option key pointing at another option, a scale read as
# a choice, answers collected without consent turned into demographic data).
WORDING_FIELDS = ("text", "help_text")
LOCKED_FIELDS = ("kind", "choices", "required", "is_demographic")


def _fold(label: str) -> str:
    """A label compared the way a reader would: case and spacing do not count."""
    return " ".join(label.split()).casefold()


def _slug_key(label: str) -> str:
    text = unicodedata.normalize("NFKD", label.lower().translate(_ASCII_SPELLING))
    ascii_text = text.encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:40].rstrip("_")
    return key or "option"


def choices_from_labels(
    labels: Sequence[str], existing: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, str]]:
    """Options for ``labels`` (one per line in the editor), with stable keys.

    A label that an existing option already has (ignoring case and spacing) keeps that
    option's key; new labels get a key spelled from the label ("Nybygg på same tomta" ->
    ``nybygg_paa_same_tomta``), made unique within the question.
    """
    known = {_fold(str(c.get("label", ""))): str(c.get("key", "")) for c in existing}
    keys: list[str | None] = []
    taken: set[str] = set()
    for label in labels:
        key = known.get(_fold(label))
        if key is not None and OPTION_KEY_RE.match(key) and key not in taken:
            taken.add(key)
            keys.append(key)
        else:
            keys.append(None)
    out: list[dict[str, str]] = []
    for label, kept in zip(labels, keys, strict=True):
        key = kept
        if key is None:
            base = _slug_key(label)
            key, n = base, 2
            while key in taken:
                suffix = f"_{n}"
                key = base[: 40 - len(suffix)] + suffix
                n += 1
            taken.add(key)
        out.append({"key": key, "label": label.strip()})
    return out


def has_answers(instance: MethodInstance) -> bool:
    """Has anyone answered? Then the questions may only be reworded, never reshaped."""
    return Contribution.objects.filter(method_instance=instance, kind=KIND).exists()


def _check_staff(staff: User, question: Question) -> int:
    """The question's municipality id, if ``staff`` may manage its processes."""
    instance = question.method_instance
    if instance.method_key != "survey":
        raise ActionRefused(_("This is not a survey."), status=404)
    municipality_id = instance.process.municipality_id
    if not capabilities.staff_can(staff, "manage_process", municipality_id):
        raise ActionRefused(_("You cannot change surveys in this municipality."), status=403)
    return municipality_id


def _renumber(questions: Sequence[Question]) -> None:
    """Give ``questions`` the orders 1, 2, 3 … in the sequence given; save what changed."""
    changed = []
    for position, question in enumerate(questions, start=1):
        if question.order != position:
            question.order = position
            changed.append(question)
    if changed:
        Question.objects.bulk_update(changed, ["order"])


def _locked_questions(instance: MethodInstance) -> list[Question]:
    """The survey's questions in order, locked until the transaction ends."""
    return list(
        Question.objects.select_for_update()
        .filter(method_instance=instance)
        .order_by("order", "pk")
    )


def do_update_question(
    staff: User,
    question: Question,
    *,
    kind: str,
    text: str,
    choices: Sequence[Mapping[str, Any]] = (),
    help_text: str = "",
    required: bool = False,
    is_demographic: bool = False,
) -> list[str]:
    """Change a question; return the names of the fields that changed (empty: nothing did).

    Once the survey has answers only the wording (text and help text) may change, and the
    audit row keeps the old wording, so anyone can see what the earlier answers answered.
    """
    municipality_id = _check_staff(staff, question)
    if len(help_text) > 500:
        raise ActionRefused(_("The help text is too long: at most 500 characters."))
    cleaned = check_question(kind, text, choices, required=required, is_demographic=is_demographic)
    new_values: dict[str, Any] = {
        "kind": kind,
        "text": text.strip(),
        "help_text": help_text.strip(),
        "required": required,
        "is_demographic": is_demographic,
        "choices": cleaned,
    }
    with transaction.atomic():
        current = Question.objects.select_for_update().get(pk=question.pk)
        changed = [name for name, value in new_values.items() if getattr(current, name) != value]
        if not changed:
            return []
        answered = has_answers(current.method_instance)
        if answered and any(name in LOCKED_FIELDS for name in changed):
            raise ActionRefused(
                _(
                    "The survey already has answers, so only the wording of a question (its "
                    "text and help text) can change. Changing its type, options, or whether it "
                    "is required or demographic would change what the answers already given mean."
                ),
                status=409,
            )
        before = {name: getattr(current, name) for name in changed}
        for name in changed:
            setattr(current, name, new_values[name])
        current.save(update_fields=changed)
        audit.record(
            "survey.question_updated",
            actor=staff,
            obj=current,
            municipality_id=municipality_id,
            data={
                "method": current.method_instance_id,
                "changed": changed,
                "before": before,
                "had_answers": answered,
            },
        )
    for name in changed:
        setattr(question, name, new_values[name])
    return changed


def do_delete_question(staff: User, question: Question) -> None:
    """Delete a question that nobody has answered yet, and close the gap in the order."""
    municipality_id = _check_staff(staff, question)
    instance = question.method_instance
    with transaction.atomic():
        questions = _locked_questions(instance)
        current = next((q for q in questions if q.pk == question.pk), None)
        if current is None:
            raise ActionRefused(_("This question no longer exists."), status=404)
        if has_answers(instance):
            raise ActionRefused(
                _(
                    "The survey already has answers, so its questions cannot be deleted: the "
                    "answers already given would lose their question."
                ),
                status=409,
            )
        audit.record(
            "survey.question_deleted",
            actor=staff,
            obj=current,
            municipality_id=municipality_id,
            data={
                "method": instance.pk,
                "kind": current.kind,
                "text": current.text,
                "order": current.order,
            },
        )
        remaining = [q for q in questions if q.pk != current.pk]
        current.delete()
        _renumber(remaining)


def do_move_question(staff: User, question: Question, direction: str) -> int:
    """Move a question one place ``"up"`` or ``"down"``; return its new position (1 = first).

    Allowed after answers too: the order is how the form is shown, not what was answered.
    """
    municipality_id = _check_staff(staff, question)
    if direction not in ("up", "down"):
        raise ActionRefused(_("A question moves up or down."))
    instance = question.method_instance
    with transaction.atomic():
        questions = _locked_questions(instance)
        index = next((i for i, q in enumerate(questions) if q.pk == question.pk), None)
        if index is None:
            raise ActionRefused(_("This question no longer exists."), status=404)
        target = index - 1 if direction == "up" else index + 1
        if target < 0:
            raise ActionRefused(_("This question is already the first."))
        if target >= len(questions):
            raise ActionRefused(_("This question is already the last."))
        questions[index], questions[target] = questions[target], questions[index]
        _renumber(questions)
        audit.record(
            "survey.question_moved",
            actor=staff,
            obj=questions[target],
            municipality_id=municipality_id,
            data={"method": instance.pk, "from": index + 1, "to": target + 1},
        )
    question.order = target + 1
    return target + 1


# --- answers --------------------------------------------------------------------------


def check_answer(
    user: User | AnonymousUser,
    instance: MethodInstance,
    registered_by: User | None = None,
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


def _screen_answers(answers: Sequence[Answer]) -> list[Finding]:
    """Mask national identity numbers in the free-text answer rows; say where they were.

    Each finding names the question by its number in the survey ("answer.5"), so the
    moderator sees which answer held it. ``do_contribute`` screens the joined text again.
    """
    found: list[Finding] = []
    for answer in answers:
        if answer.text:
            answer.text, more = screening.screen(f"answer.{answer.question.order}", answer.text)
            found += more
    return found


def receipt_for(contribution: Contribution) -> Receipt:
    return Receipt(contribution, receipt_token(contribution.pk, contribution.receipt_nonce))


def do_answer(
    user: User | AnonymousUser,
    instance: MethodInstance,
    responses: Responses,
    *,
    key: str,
    consent: bool = False,
    contact_email: str = "",
    author_name: str = "",
    show_name: bool = False,
    channel: str = Channel.WEB,
    registered_by: User | None = None,
    session_key: str = "",
) -> Receipt:
    """Store one answer set (a contribution and its answers) and return its receipt.

    ``key`` is the form's one-time key and ``session_key`` the sender's session (the web
    form always has one; the demo and staff pass none). The same key from the same session
    with the same answers, even in parallel, stores once and returns the first receipt;
    from another session, or with other answers, it raises :class:`KeyAlreadyUsed`.
    """
    check_answer(user, instance, registered_by)
    if not KEY_RE.match(key):
        raise ActionRefused(
            _("The form has expired or was changed. Reload the page and try again.")
        )
    questions = _survey_questions(instance)
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
    sent_by = _session_hash(session_key)
    content = _content_hash(
        answers,
        consent=consent,
        author_name=author_name,
        show_name=show_name,
        contact_email=contact_email,
        channel=channel,
    )
    previous = _previous(instance, key, sent_by, content)
    if previous is not None:
        return previous
    # Free-text answers are also stored in the survey's own rows, which do_contribute does
    # not see: they are screened here, and the findings hold the answer set (issue 15).
    found = _screen_answers(answers)
    text = _joined_text(questions, answers)  # from the masked rows
    consented = consent and any(a.question.is_demographic for a in answers)
    draft = Draft(
        kind=KIND,
        text=text,
        data={"demographic_consent": True} if consented else {},
        channel=channel,
        contact_email=contact_email.strip(),
        author_name=author_name.strip(),
        show_name=show_name,
        findings=found,
        # Ticks and scales ask nothing of the kommune: the published results and their
        # summary answer them. Only an answer set with free text waits in the inbox.
        needs_answer=bool(text.strip()),
        # Staff registering answers on paper register other people's: no key of their own.
        once_key=once_key(user, instance) if registered_by is None else None,
    )
    try:
        with transaction.atomic():
            try:
                receipt = do_contribute(user, instance, ACTION, draft, registered_by)
            except ActionRefused as refused:
                if refused.status == 409 and draft.once_key is not None:
                    raise AlreadyAnswered() from refused
                raise
            Submission.objects.create(
                method_instance=instance,
                key=key,
                contribution=receipt.contribution,
                session_hash=sent_by,
                content_hash=content,
            )
            for answer in answers:
                answer.contribution = receipt.contribution
            Answer.objects.bulk_create(answers)
    except IntegrityError:
        # Another request with the same form key won the race: its receipt, if it was this
        # session's with these answers (else KeyAlreadyUsed).
        previous = _previous(instance, key, sent_by, content)
        if previous is not None:
            return previous
        # Or staff deleted a question while this person answered (the editor locks the
        # questions, so this can only happen in the moment between): nothing was stored.
        ids = [q.pk for q in questions]
        if Question.objects.filter(pk__in=ids).count() != len(ids):
            raise ActionRefused(
                _("The survey was changed while you answered. Reload the page and try again."),
                status=409,
            ) from None
        raise
    return receipt


def _survey_questions(instance: MethodInstance) -> list[Question]:
    return list(Question.objects.filter(method_instance=instance))


def _session_hash(session_key: str) -> str:
    """A keyed hash of the session key: enough to recognise the session, useless to hijack it."""
    if not session_key:
        return ""
    return salted_hmac("medvirk.survey.session", session_key, algorithm="sha256").hexdigest()


def _content_hash(
    answers: Sequence[Answer],
    *,
    consent: bool,
    author_name: str,
    show_name: bool,
    contact_email: str,
    channel: str,
) -> str:
    """A keyed hash of what the form sent, read the way it is stored (order does not count)."""
    rows = sorted(
        (a.question_id, a.choice, a.value or 0, a.rank or 0, a.text.strip()) for a in answers
    )
    payload = json.dumps(
        [
            rows,
            consent and any(a.question.is_demographic for a in answers),
            author_name.strip(),
            show_name,
            contact_email.strip(),
            channel,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return salted_hmac("medvirk.survey.content", payload, algorithm="sha256").hexdigest()


def _previous(
    instance: MethodInstance, key: str, session_hash: str, content_hash: str
) -> Receipt | None:
    """The receipt of an earlier use of ``key`` by this session with these answers.

    None if the key is unused; :class:`KeyAlreadyUsed` if another session used it or this
    one sent other answers under it. Its receipt is never handed to anyone else.
    """
    submission = (
        Submission.objects.select_related("contribution")
        .filter(method_instance=instance, key=key)
        .first()
    )
    if submission is None:
        return None
    same_session = hmac.compare_digest(submission.session_hash, session_hash)
    same_content = bool(submission.content_hash) and hmac.compare_digest(
        submission.content_hash, content_hash
    )
    if same_session and same_content:
        return receipt_for(submission.contribution)
    raise KeyAlreadyUsed(same_session=same_session)
