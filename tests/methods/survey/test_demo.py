"""The Lillevik demo seed: nynorsk questions, reproducible answers through the action."""

from __future__ import annotations

import random

import pytest

from medvirk.contributions.models import Contribution
from medvirk.methods.survey import queries
from medvirk.methods.survey.demo import seed
from medvirk.methods.survey.models import Answer, Question
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests.methods.survey import factories as survey_factories

pytestmark = pytest.mark.django_db


def _summary(instance: object) -> list[tuple[str, list[tuple[str, int | None]]]]:
    data = queries.results(instance)  # type: ignore[arg-type]
    return [(r.question.text, [(row.key, row.count) for row in r.rows]) for r in data.results]


def test_seed_is_reproducible_and_complete(org: Municipality) -> None:
    first = survey_factories.survey_method(org)
    second = survey_factories.survey_method(org)
    assert seed(first, random.Random(42), n=40) == 40
    assert seed(second, random.Random(42), n=40) == 40
    assert _summary(first) == _summary(second)
    texts = list(Question.objects.filter(method_instance=first).values_list("text", flat=True))
    assert "Kva alternativ føretrekkjer du?" in texts
    demographic = Question.objects.filter(method_instance=first, is_demographic=True)
    assert demographic.count() == 4
    # Age, relation, sex and district: what the case's "who took part" page compares.
    assert sorted(demographic.values_list("demographic_role", flat=True)) == [
        "age",
        "district",
        "other",
        "sex",
    ]
    contributions = Contribution.objects.filter(method_instance=first)
    assert contributions.count() == 40
    assert {c.channel for c in contributions} == {"web"}
    emails = [c.contact_email for c in contributions if c.contact_email]
    assert emails and all(e.endswith("@example.org") for e in emails)
    # Demographic answers only where the person consented.
    consented = {c.pk for c in contributions if c.data.get("demographic_consent")}
    with_demographics = set(
        Answer.objects.filter(
            question__is_demographic=True, contribution__in=contributions
        ).values_list("contribution_id", flat=True)
    )
    assert with_demographics == consented


def test_demo_instance_shows_its_results() -> None:
    plugin = registry.get("survey")
    assert plugin.demo is not None
    settings = plugin.validate_settings(dict(plugin.demo.settings or {}))
    assert settings["results_public"] is True


def test_seeding_twice_reuses_the_questions(org: Municipality) -> None:
    instance = survey_factories.survey_method(org)
    assert seed(instance, random.Random(1), n=3) == 3
    assert seed(instance, random.Random(2), n=3) == 3
    assert Question.objects.filter(method_instance=instance).count() == 9
    assert Contribution.objects.filter(method_instance=instance).count() == 6
