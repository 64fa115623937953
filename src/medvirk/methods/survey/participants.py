"""Who answered a survey, for the case's "who took part" page (``MethodPlugin.participants``),
and what each demographic question asks about the person.

Only what a person gave with consent is read: the answers to demographic questions are
stored only when they consented (``actions.build_answers``). Each demographic question has
a role (``Question.demographic_role``): staff choose it in the editor, and a question saved
without one gets it guessed once from its options (age when every option names an age
range, sex when every option names a sex, else "other"). The person's own choice is then
read by the role, never guessed from anything else:

- age: the age range the chosen option names ("Under 13 år", "13–17 år", "67 år eller
  eldre", "80+");
- sex: the sex it names ("Kvinne", "Mann", "Anna");
- district: the option's label as shown to them. The insights side matches it with the
  districts of the municipality's population table (case and spacing do not count); a name
  it does not know counts there as "not given". A method may not read the insights, so
  the survey stores the label and nothing else.

Roles are read on single-choice questions only (a person has one age, sex and district).
Rejected answer sets (not published, e.g. spam) do not count. Each participant carries the
id of their answer set (``Participant.contribution``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from django.utils.translation import gettext as _

from medvirk.algorithms.representation import Participant, read_age_range, read_sex
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes.models import MethodInstance

from .actions import KIND
from .models import READ_ROLES, Answer, DemographicRole, Question, QuestionKind, guess_role

if TYPE_CHECKING:
    pass

V = TypeVar("V")


def _option_texts(question: Question) -> dict[str, str]:
    return {str(c["key"]): str(c.get("label", "")) for c in question.choices}


def age_options(question: Question) -> dict[str, tuple[int, int | None]] | None:
    """Option key -> age range, when every option of the question names one."""
    found = _readable_ages(question)
    return found if found and len(found) == len(question.choices) else None


def sex_options(question: Question) -> dict[str, str] | None:
    """Option key -> "female"/"male"/"other", when every option of the question names one."""
    found = _readable_sexes(question)
    return found if found and len(found) == len(question.choices) else None


def _readable_ages(question: Question) -> dict[str, tuple[int, int | None]]:
    found: dict[str, tuple[int, int | None]] = {}
    for key, label in _option_texts(question).items():
        age = read_age_range(label) or read_age_range(key)
        if age is not None:
            found[key] = age
    return found


def _readable_sexes(question: Question) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, label in _option_texts(question).items():
        sex = read_sex(label) or read_sex(key)
        if sex is not None:
            found[key] = sex
    return found


def role_of(question: Question) -> str:
    """The question's role: as stored, else as guessed from its options ("" when it is
    not demographic)."""
    if not question.is_demographic:
        return ""
    return question.demographic_role or guess_role(question.kind, list(question.choices))


# --- checking a role against the options ----------------------------------------------


def _quoted(labels: Sequence[str]) -> str:
    return ", ".join(f"“{label}”" for label in labels)


def role_problem(role: str, kind: str, choices: Sequence[Mapping[str, str]]) -> str | None:
    """Why the options (``{"key", "label"}`` each) cannot be read for ``role``, or None.

    Age and sex need every option to name one (by its label or key, as the hook reads
    them), so that every answer is read; a district is a name, so any label will do (an
    unknown name counts as "not given")."""
    pairs = [(str(c.get("key", "")), str(c.get("label", ""))) for c in choices]
    if role not in DemographicRole.values:
        return _("Choose what the question asks: age group, sex, district or something else.")
    if role not in READ_ROLES:
        return None
    if kind != QuestionKind.SINGLE:
        return _(
            "A question about age group, sex or district must be single choice: each person "
            "has one."
        )
    if role == DemographicRole.AGE:
        unread = [
            label for key, label in pairs if not (read_age_range(label) or read_age_range(key))
        ]
        if unread:
            return _(
                "Every option must name an age range, such as “18–34 år”, “Under 13 år” or "
                "“67 år eller eldre”. These do not: %(options)s."
            ) % {"options": _quoted(unread)}
    if role == DemographicRole.SEX:
        unread = [label for key, label in pairs if not (read_sex(label) or read_sex(key))]
        if unread:
            return _(
                "Every option must name a sex: “Kvinne”, “Mann” or “Anna” (or “Female”, "
                "“Male”, “Other”). These do not: %(options)s."
            ) % {"options": _quoted(unread)}
    return None


def resolved_role(role: str, kind: str, choices: Sequence[dict[str, str]]) -> str:
    """The role to store: the one chosen, or ("" chosen) the one the options suggest."""
    return role or guess_role(kind, list(choices))


# --- the hook --------------------------------------------------------------------------


def participants(instance: MethodInstance) -> Iterator[Participant]:
    """One participant per answer set (two queries whatever the number of answers)."""
    ages: dict[int, dict[str, tuple[int, int | None]]] = {}
    sexes: dict[int, dict[str, str]] = {}
    districts: dict[int, dict[str, str]] = {}
    for question in Question.objects.filter(
        method_instance=instance, is_demographic=True, kind=QuestionKind.SINGLE
    ):
        role = role_of(question)
        # An option that cannot be read for the role (changed after the role was set)
        # gives nothing rather than a guess.
        if role == DemographicRole.AGE:
            ages[question.pk] = _readable_ages(question)
        elif role == DemographicRole.SEX:
            sexes[question.pk] = _readable_sexes(question)
        elif role == DemographicRole.DISTRICT:
            districts[question.pk] = {
                key: " ".join(label.split())
                for key, label in _option_texts(question).items()
                if label.strip()
            }
    sets = list(
        Contribution.objects.filter(method_instance=instance, kind=KIND)
        .exclude(moderation=ModerationState.REJECTED)
        .values_list("pk", "channel", "author_id", "data")
        .order_by("pk")
    )
    chosen: dict[int, dict[int, str]] = {}
    if ages or sexes or districts:
        consented = [pk for pk, _c, _a, data in sets if (data or {}).get("demographic_consent")]
        for contribution_id, question_id, choice in Answer.objects.filter(
            contribution_id__in=consented, question_id__in=[*ages, *sexes, *districts]
        ).values_list("contribution_id", "question_id", "choice"):
            chosen.setdefault(contribution_id, {})[question_id] = choice
    for pk, channel, author_id, _data in sets:
        mine = chosen.get(pk, {})
        age = _first(mine, ages)
        yield Participant(
            channel=channel,
            age_from=age[0] if age else None,
            age_to=age[1] if age else None,
            sex=_first(mine, sexes) or "",
            district=_first(mine, districts) or "",
            person=f"user:{author_id}" if author_id else "",
            contribution=pk,
        )


def _first(mine: dict[int, str], questions: Mapping[int, Mapping[str, V]]) -> V | None:
    """The value of the first question (in the survey's order) the person answered."""
    for question_id, by_option in questions.items():
        if question_id in mine and mine[question_id] in by_option:
            return by_option[mine[question_id]]
    return None
