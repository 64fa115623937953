"""The results page: right numbers, small demographic groups hidden, bounded queries."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.identity.models import User
from medvirk.methods.survey import queries
from medvirk.methods.survey.models import Answer, Question
from medvirk.organisations.models import Municipality
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db

RESULTS_QUERY_BOUND = 8


def bulk_answer_sets(survey: Survey, n: int) -> None:
    """``n`` complete answer sets written in bulk (the action is tested elsewhere)."""
    instance = survey.instance
    contributions = Contribution.objects.bulk_create(
        Contribution(
            method_instance=instance,
            process=instance.process,
            kind="survey_answer",
            text=f"Svar {i}" if i % 3 == 0 else "",
            receipt_nonce=f"{i:032x}",
        )
        for i in range(n)
    )
    if contributions[0].pk is None:  # backends that do not return ids
        contributions = list(Contribution.objects.filter(method_instance=instance).order_by("pk"))
    rows: list[Answer] = []
    options = ["close", "renovate", "new"]
    orders = [("safety", "air", "cost"), ("air", "safety", "cost")]
    for i, c in enumerate(contributions):
        rows.append(Answer(contribution=c, question=survey.single, choice=options[i % 3]))
        rows.append(Answer(contribution=c, question=survey.multiple, choice="pupil"))
        rows.append(Answer(contribution=c, question=survey.scale, value=i % 5 + 1))
        for r, key in enumerate(orders[i % 2], start=1):
            rows.append(Answer(contribution=c, question=survey.ranking, choice=key, rank=r))
        if i % 3 == 0:
            rows.append(Answer(contribution=c, question=survey.text, text=f"Svar {i}"))
        rows.append(Answer(contribution=c, question=survey.age, choice="adult"))
    Answer.objects.bulk_create(rows, batch_size=2000)


@pytest.fixture
def public_survey(org: Municipality) -> Survey:
    return survey_factories.survey(org, settings={"results_public": True})


@pytest.mark.parametrize("size", [10, 1000])
def test_results_page_makes_bounded_queries(
    client: Client, public_survey: Survey, size: int, django_assert_max_num_queries: object
) -> None:
    bulk_answer_sets(public_survey, size)
    with django_assert_max_num_queries(RESULTS_QUERY_BOUND):  # type: ignore[operator]
        response = client.get(public_survey.named("results"))
    assert response.status_code == 200
    assert f"{size} answer sets so far" in response.content.decode()


@pytest.mark.parametrize("size", [10, 1000])
def test_survey_page_makes_bounded_queries(
    client: Client, public_survey: Survey, size: int, django_assert_max_num_queries: object
) -> None:
    bulk_answer_sets(public_survey, size)
    with django_assert_max_num_queries(RESULTS_QUERY_BOUND):  # type: ignore[operator]
        response = client.get(public_survey.url)
    assert response.status_code == 200


def test_results_are_counted_right(public_survey: Survey) -> None:
    bulk_answer_sets(public_survey, 30)
    data = queries.results(public_survey.instance)
    assert data.total == 30
    by_question = {r.question.pk: r for r in data.results}
    single = by_question[public_survey.single.pk]
    assert [(row.key, row.count) for row in single.rows] == [
        ("close", 10),
        ("renovate", 10),
        ("new", 10),
    ]
    assert single.rows[0].percent == "33 %"
    scale = by_question[public_survey.scale.pk]
    assert scale.mean == pytest.approx(3.0)
    assert [row.count for row in scale.rows] == [6, 6, 6, 6, 6]
    ranking = by_question[public_survey.ranking.pk]
    # safety: 15 firsts + 15 seconds; air: 15 + 15; cost always last.
    points = {row.key: row.points for row in ranking.rows}
    assert points == {"safety": 45, "air": 45, "cost": 0}
    assert ranking.rows[-1].key == "cost"
    assert ranking.rows[-1].mean_rank == pytest.approx(3.0)
    text = by_question[public_survey.text.pk]
    assert text.respondents == 10


def test_rejected_answer_sets_do_not_count(public_survey: Survey) -> None:
    bulk_answer_sets(public_survey, 6)
    Contribution.objects.filter(pk=Contribution.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        moderation=ModerationState.REJECTED
    )
    data = queries.results(public_survey.instance)
    assert data.total == 5
    single = next(r for r in data.results if r.question.pk == public_survey.single.pk)
    assert sum(row.count or 0 for row in single.rows) == 5


def test_free_text_is_not_shown_on_results(client: Client, public_survey: Survey) -> None:
    survey_factories.survey_answer(
        public_survey, {public_survey.single.pk: "new", public_survey.text.pk: "Hemmeleg svar"}
    )
    html = client.get(public_survey.named("results")).content.decode()
    assert "Hemmeleg svar" not in html
    assert "/innspel/" in html  # a link to the published input instead


def _demographic(survey: Survey, counts: dict[str, int]) -> None:
    for choice, n in counts.items():
        for _ in range(n):
            survey_factories.survey_answer(
                survey, {survey.single.pk: "new", survey.relation.pk: choice}, consent=True
            )


def test_small_demographic_groups_are_hidden(client: Client, public_survey: Survey) -> None:
    _demographic(public_survey, {"parent": 7, "pupil": 6, "teacher": 2, "neighbour": 1})
    result = next(
        r
        for r in queries.results(public_survey.instance).results
        if r.question.pk == public_survey.relation.pk
    )
    shown = {row.key: row.count for row in result.rows}
    assert shown == {"pupil": 6, "parent": 7, "teacher": None, "neighbour": None, "other": 0}
    html = client.get(public_survey.named("results")).content.decode()
    assert "&lt;5" in html


def test_a_single_small_group_hides_the_next_smallest_too(public_survey: Survey) -> None:
    _demographic(public_survey, {"parent": 8, "pupil": 6, "teacher": 1})
    result = next(
        r
        for r in queries.results(public_survey.instance).results
        if r.question.pk == public_survey.relation.pk
    )
    shown = {row.key: row.count for row in result.rows}
    # teacher (1) is hidden; pupil (6) is hidden too, or teacher = total − parent − pupil.
    assert shown["teacher"] is None
    assert shown["pupil"] is None
    assert shown["parent"] == 8


def test_demographic_question_with_few_answers_shows_nothing(public_survey: Survey) -> None:
    _demographic(public_survey, {"parent": 4})
    result = next(
        r
        for r in queries.results(public_survey.instance).results
        if r.question.pk == public_survey.relation.pk
    )
    assert result.too_few
    assert result.rows == []


def test_hidden_results_are_for_staff_only(
    client: Client, survey: Survey, officer: User, moderator: User, resident: User
) -> None:
    survey_factories.survey_answer(survey)
    assert client.get(survey.named("results")).status_code == 403
    assert "not published yet" in client.get(survey.named("results")).content.decode()
    client.force_login(resident)
    assert client.get(survey.named("results")).status_code == 403
    for staff in (officer, moderator):
        client.force_login(staff)
        assert client.get(survey.named("results")).status_code == 200


def test_results_chart_is_accessible(client: Client, public_survey: Survey) -> None:
    survey_factories.survey_answer(public_survey)
    html = client.get(public_survey.named("results")).content.decode()
    assert 'role="img"' in html
    assert f'<title id="chart-q{public_survey.single.pk}-t">Which option?</title>' in html
    assert "<table" in html and 'scope="col"' in html


def test_question_order_is_kept(public_survey: Survey) -> None:
    texts = [r.question.text for r in queries.results(public_survey.instance).results]
    assert texts == list(
        Question.objects.filter(method_instance=public_survey.instance).values_list(
            "text", flat=True
        )
    )


def test_query_count_does_not_grow_with_answers(client: Client, public_survey: Survey) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (10, 990):
        bulk_answer_sets(public_survey, size)
        with CaptureQueriesContext(connection) as results_page:
            assert client.get(public_survey.named("results")).status_code == 200
        counts.append(len(results_page))
    assert counts[0] == counts[1], counts
