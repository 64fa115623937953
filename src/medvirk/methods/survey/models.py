"""Spørre – survey: questions of one method instance and the answers of each answer set.

Each answer set is one :class:`~medvirk.contributions.models.Contribution` (kind
``survey_answer``); its answers are rows here so that results are counted by the
database (GROUP BY), never by loading every answer into Python.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.representation import read_age_range, read_sex

SCALE_MIN = 1
SCALE_MAX = 5


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale 1–5")
    TEXT = "text", _("Free text")
    RANKING = "ranking", _("Ranking")


# Kinds whose options live in ``Question.choices`` and are answered by option key.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING})


class DemographicRole(models.TextChoices):
    """What a demographic question asks about the person, so that the case's "who took
    part" page can read the answers (``participants.py``); "" on other questions."""

    AGE = "age", _("Age group")
    SEX = "sex", _("Sex")
    DISTRICT = "district", _("District where the person lives")
    OTHER = "other", _("Something else")


# Roles the "who took part" page reads: one answer per person, so single choice only.
READ_ROLES = frozenset({DemographicRole.AGE, DemographicRole.SEX, DemographicRole.DISTRICT})


def guess_role(kind: str, choices: list[dict[str, str]]) -> str:
    """The role read from the options, as Medvirk read demographic questions before staff
    chose it: age when every option names an age range, sex when every option names a sex,
    else "other" (a district is never guessed: any word can be a place)."""
    if kind != QuestionKind.SINGLE or not choices:
        return DemographicRole.OTHER
    pairs = [(str(c.get("key", "")), str(c.get("label", ""))) for c in choices]
    if all(read_age_range(label) or read_age_range(key) for key, label in pairs):
        return DemographicRole.AGE
    if all(read_sex(label) or read_sex(key) for key, label in pairs):
        return DemographicRole.SEX
    return DemographicRole.OTHER


class Question(models.Model):
    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="survey_questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    # A list of {"key": "...", "label": "..."}; for scales, optional labels for "1" and "5".
    choices = models.JSONField(_("options"), default=list, blank=True)
    is_demographic = models.BooleanField(
        _("demographic question (asked only with consent)"), default=False
    )
    # Set by staff in the editor; when not set, guessed once from the options on saving.
    demographic_role = models.CharField(
        _("what the demographic question asks"),
        max_length=10,
        choices=DemographicRole.choices,
        blank=True,
        default="",
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="survey_question_kind_valid"
            ),
            # Consent is optional, so an answer to a demographic question never can be required.
            models.CheckConstraint(
                condition=Q(is_demographic=False) | Q(required=False),
                name="survey_demographic_not_required",
            ),
            models.CheckConstraint(
                condition=Q(demographic_role="") | Q(demographic_role__in=DemographicRole.values),
                name="survey_demographic_role_valid",
            ),
            # Only a demographic question (answered only with consent) says what it asks.
            models.CheckConstraint(
                condition=Q(is_demographic=True) | Q(demographic_role=""),
                name="survey_role_only_demographic",
            ),
        ]
        indexes = [models.Index(fields=["method_instance", "order"])]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the role in step: none on a question that is not demographic; guessed
        from the options (once) on a demographic one that has none yet."""
        role = str(self.demographic_role or "")
        if not self.is_demographic:
            role = ""
        elif not role:
            role = guess_role(self.kind, list(self.choices or []))
        if role != self.demographic_role:
            self.demographic_role = role
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "demographic_role"}
        super().save(*args, **kwargs)

    @property
    def field_name(self) -> str:
        return f"q-{self.pk}"

    def option_keys(self) -> list[str]:
        return [str(c["key"]) for c in self.choices]

    def option_label(self, key: str) -> str:
        for choice in self.choices:
            if str(choice["key"]) == key:
                return str(choice["label"])
        return key

    def scale_label(self, value: int) -> str:
        """The words for one step of a scale: the ends have words, the middle are digits."""
        from django.utils.translation import gettext

        label = self.option_label(str(value))
        if label != str(value):
            return label
        if value == SCALE_MIN:
            return gettext("least")
        if value == SCALE_MAX:
            return gettext("most")
        return ""


class Answer(models.Model):
    """One answer row of one answer set.

    single: one row with ``choice``; multiple: one row per chosen option; scale: one row
    with ``value``; text: one row with ``text``; ranking: one row per option with
    ``choice`` and ``rank`` (1 = most important).
    """

    contribution = models.ForeignKey(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="survey_answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=40, blank=True, default="")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "question", "choice"],
                name="survey_answer_one_row_per_choice",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="survey_answer_scale_in_range",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="survey_answer_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice or self.value or self.text[:20]}"


class Submission(models.Model):
    """Makes a submitted form count once: the form's random key may be used only once.

    The key is tied to the session that first sent it and to what it sent. A double click,
    a retried request or parallel requests from that session with the same answers store
    one answer set and are shown its receipt; the same key from another session, or with
    other answers, is refused (409), so a key never opens someone else's receipt.
    Only keyed hashes are kept: of the session key, never the session key itself, and of
    the answers.
    """

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=32)
    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="survey_submission"
    )
    # HMAC-SHA256 of the sender's session key ("" for the demo and staff, who have none).
    session_hash = models.CharField(max_length=64, blank=True, default="")
    # HMAC-SHA256 of the answers and details sent; "" on rows older than the hash, which
    # therefore never match a repeat.
    content_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey submission")
        verbose_name_plural = _("survey submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["method_instance", "key"], name="survey_submission_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method_instance_id}:{self.key}"
