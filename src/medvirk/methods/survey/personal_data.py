"""A person's survey answers in «Mine data», and what erasure does to them.

An answer set is a contribution (kind ``survey_answer``) with answer rows; it belongs to a
person only when they answered while logged in (``Contribution.author``). An answer given
without an account cannot be told apart from anyone else's, so it is not exported.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso

from .actions import KIND
from .models import Answer, Question, QuestionKind, Submission

CONSENT_KEY = "demographic_consent"


def _answer_value(question: Question, rows: list[Answer]) -> str | int | list[str] | None:
    """One question's answer as a person reads it: option labels, not keys."""
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return question.option_label(rows[0].choice)
    if kind == QuestionKind.MULTIPLE:
        return [question.option_label(r.choice) for r in rows]
    if kind == QuestionKind.SCALE:
        return rows[0].value
    if kind == QuestionKind.RANKING:  # most important first
        ranked = sorted(rows, key=lambda r: (r.rank or 0, r.pk))
        return [question.option_label(r.choice) for r in ranked]
    return rows[0].text


class SurveyAnswers(PersonalDataSection):
    """Each answer set with the questions' text, the answers, the demographics and the
    consent given with it.

    Erasure keeps the answers in the results (a survey answer is counted input, like any
    contribution, which loses its author) but deletes the demographic answers: they were
    stored only with the person's consent, and erasing the account withdraws it. Runs
    before contributions lose their author, since answer sets are found through it. The
    form's one-time key (``Submission``) stays, but its keyed hashes of the session and of
    what was sent (name and e-mail with the answers) are blanked: nothing ties it to the
    person any more, and the key can never open the receipt again.
    """

    key = "survey_answers"
    models = (Answer, Submission)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        answers = Answer.objects.select_related("question").order_by(
            "question__order", "question_id", "pk"
        )
        sets = (
            Contribution.objects.filter(author=user, kind=KIND)
            .select_related("process__municipality", "method_instance")
            .prefetch_related(Prefetch("survey_answers", queryset=answers))
            .order_by("created_at", "pk")
        )
        return [self._one(c) for c in sets]

    def _one(self, contribution: Contribution) -> dict[str, Any]:
        by_question: dict[int, tuple[Question, list[Answer]]] = {}
        for answer in contribution.survey_answers.all():
            by_question.setdefault(answer.question_id, (answer.question, []))[1].append(answer)
        answers: list[dict[str, Any]] = []
        demographics: list[dict[str, Any]] = []
        for question, rows in by_question.values():
            item = {"question": question.text, "answer": _answer_value(question, rows)}
            (demographics if question.is_demographic else answers).append(item)
        consents = []
        if contribution.data.get(CONSENT_KEY):
            consents.append(
                {
                    # The words of the box the person ticked.
                    "consented_to": _(
                        "I agree that my answers to the questions about me are stored"
                    ),
                    "given_at": iso(contribution.created_at),
                }
            )
        return {
            "contribution": contribution.pk,
            "answered_at": iso(contribution.created_at),
            "municipality": contribution.process.municipality.name,
            "case": contribution.process.title,
            "survey": contribution.method_instance.title if contribution.method_instance else "",
            "answers": answers,
            "demographics": demographics,
            "consents": consents,
        }

    def erase(self, user: User) -> None:
        Answer.objects.filter(
            contribution__author=user, contribution__kind=KIND, question__is_demographic=True
        ).delete()
        consented = list(
            Contribution.objects.select_for_update().filter(
                author=user, kind=KIND, data__has_key=CONSENT_KEY
            )
        )
        for contribution in consented:
            contribution.data.pop(CONSENT_KEY, None)
        Contribution.objects.bulk_update(consented, ["data"])
        Submission.objects.filter(contribution__author=user, contribution__kind=KIND).update(
            session_hash="", content_hash=""
        )
