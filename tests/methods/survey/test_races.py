"""Parallel requests neither lose nor duplicate an answer set."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.methods.survey.models import Answer, Submission
from tests.concurrency import in_parallel
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _in_parallel(work: Callable[[int], Any], n: int = THREADS) -> list[Any]:
    return in_parallel(work, n)


def test_parallel_different_answer_sets_are_all_stored(survey: Survey) -> None:
    posts = [
        survey_factories.survey_form(survey, **{survey.text.field_name: f"Svar {i}"})
        for i in range(THREADS)
    ]

    def submit(i: int) -> int:
        return Client().post(survey.url, posts[i]).status_code

    statuses = _in_parallel(submit)
    assert statuses == [302] * THREADS
    contributions = Contribution.objects.filter(method_instance=survey.instance)
    assert contributions.count() == THREADS
    assert sorted(c.text.split("\n")[-1] for c in contributions) == sorted(
        f"Svar {i}" for i in range(THREADS)
    )
    # Every answer set is complete: 1 single + 2 multiple + 1 scale + 3 ranks + 1 text.
    assert Answer.objects.filter(contribution__in=contributions).count() == THREADS * 8
    assert Submission.objects.count() == THREADS


def test_parallel_same_form_is_stored_once(survey: Survey) -> None:
    data = survey_factories.survey_form(survey, key=secrets.token_hex(16))
    # One browser (one session) sending its form many times at once; the same key from
    # other sessions is refused (test_one_time_key.py).
    browser = Client()
    browser.get(survey.url)

    def submit(_i: int) -> tuple[int, str]:
        client = Client()  # a client per thread, with the browser's cookies
        client.cookies.load({name: m.value for name, m in browser.cookies.items()})
        response = client.post(survey.url, data)
        return response.status_code, response.get("Location", "")

    outcomes = _in_parallel(submit)
    assert {status for status, _ in outcomes} == {302}
    # Everyone is sent to the receipt of the one stored answer set.
    assert len({location for _, location in outcomes}) == 1
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 1
    assert Answer.objects.count() == 8
