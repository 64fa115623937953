"""Who answered a survey, for the case's "who took part" page (``MethodPlugin.participants``).

Only what a person gave with consent is read: the answers to demographic questions are
stored only when they consented (``actions.build_answers``). A demographic question counts as
an age question when every option names an age range ("Under 13 år", "13–17 år", "67 år
eller eldre", "80+"), and as a sex question when every option names a sex ("Kvinne",
"Mann", "Anna"); the person's own choice is then read, never guessed from anything else.
A survey asks no district in a form Medvirk can match with the population's, so district
is left empty. Rejected answer sets (not published, e.g. spam) do not count.
"""

from __future__ import annotations

from collections.abc import Iterator

from medvirk.algorithms.representation import Participant, read_age_range, read_sex
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes.models import MethodInstance

from .actions import KIND
from .models import Answer, Question, QuestionKind


def _option_texts(question: Question) -> dict[str, str]:
    return {str(c["key"]): str(c.get("label", "")) for c in question.choices}


def age_options(question: Question) -> dict[str, tuple[int, int | None]] | None:
    """Option key -> age range, when every option of the question names one."""
    found: dict[str, tuple[int, int | None]] = {}
    for key, label in _option_texts(question).items():
        age = read_age_range(label) or read_age_range(key)
        if age is None:
            return None
        found[key] = age
    return found or None


def sex_options(question: Question) -> dict[str, str] | None:
    """Option key -> "female"/"male"/"other", when every option of the question names one."""
    found: dict[str, str] = {}
    for key, label in _option_texts(question).items():
        sex = read_sex(label) or read_sex(key)
        if sex is None:
            return None
        found[key] = sex
    return found or None


def participants(instance: MethodInstance) -> Iterator[Participant]:
    """One participant per answer set (two queries whatever the number of answers)."""
    ages: dict[int, dict[str, tuple[int, int | None]]] = {}
    sexes: dict[int, dict[str, str]] = {}
    for question in Question.objects.filter(
        method_instance=instance, is_demographic=True, kind=QuestionKind.SINGLE
    ):
        by_age = age_options(question)
        if by_age is not None:
            ages[question.pk] = by_age
            continue
        by_sex = sex_options(question)
        if by_sex is not None:
            sexes[question.pk] = by_sex
    sets = list(
        Contribution.objects.filter(method_instance=instance, kind=KIND)
        .exclude(moderation=ModerationState.REJECTED)
        .values_list("pk", "channel", "author_id", "data")
        .order_by("pk")
    )
    chosen: dict[int, dict[int, str]] = {}
    if ages or sexes:
        consented = [pk for pk, _c, _a, data in sets if (data or {}).get("demographic_consent")]
        for contribution_id, question_id, choice in Answer.objects.filter(
            contribution_id__in=consented, question_id__in=[*ages, *sexes]
        ).values_list("contribution_id", "question_id", "choice"):
            chosen.setdefault(contribution_id, {})[question_id] = choice
    for pk, channel, author_id, _data in sets:
        mine = chosen.get(pk, {})
        age: tuple[int, int | None] | None = None
        for question_id, by_age in ages.items():
            if question_id in mine and mine[question_id] in by_age:
                age = by_age[mine[question_id]]
                break
        sex = ""
        for question_id, by_sex in sexes.items():
            if question_id in mine and mine[question_id] in by_sex:
                sex = by_sex[mine[question_id]]
                break
        yield Participant(
            channel=channel,
            age_from=age[0] if age else None,
            age_to=age[1] if age else None,
            sex=sex,
            person=f"user:{author_id}" if author_id else "",
        )
