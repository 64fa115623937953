"""Survey answers without free text are fed back by the results, not the inbox (issue 16)."""

from __future__ import annotations

import pytest

from medvirk.accountability import queries as accountability_queries
from medvirk.contributions.models import Contribution
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def test_ticks_only_ask_for_no_answer(survey: Survey) -> None:
    receipt = survey_factories.survey_answer(survey, {survey.single.pk: "new"})
    stored = Contribution.objects.get(pk=receipt.contribution.pk)
    assert stored.needs_answer is False
    unanswered = accountability_queries.inbox(survey.instance.process, "unanswered")
    assert stored not in unanswered


def test_free_text_waits_for_a_reasoned_answer(survey: Survey) -> None:
    receipt = survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.text.pk: "Kva kostar det over 40 år?"}
    )
    stored = Contribution.objects.get(pk=receipt.contribution.pk)
    assert stored.needs_answer is True
    unanswered = accountability_queries.inbox(survey.instance.process, "unanswered")
    assert stored in unanswered
