"""One answer per person per survey when answering needs a login, and the results page says
how answers count."""

from __future__ import annotations

import secrets

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.identity.models import AssuranceLevel, User
from medvirk.methods.survey import actions as survey_actions
from medvirk.methods.survey.models import Answer
from medvirk.organisations.models import Municipality
from tests import factories
from tests.concurrency import in_parallel
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOGGED_IN = {"answer": int(AssuranceLevel.EMAIL)}


def _login_survey(org: Municipality) -> Survey:
    """A running survey whose answer action needs a login with a verified address."""
    case = factories.process(org)
    instance = factories.method(
        case,
        factories.phase(case),
        key="survey",
        settings={"results_public": True},
        identity_levels=LOGGED_IN,
    )
    return survey_factories.survey_questions(instance)


def test_a_second_answer_set_from_the_same_person_is_refused_with_a_way_to_the_first(
    w: factories.World, verified: User, client: Client
) -> None:
    survey = _login_survey(w.org)
    client.force_login(verified)
    first = client.post(survey.url, survey_factories.survey_form(survey), **EN)
    assert first.status_code == 302
    mine = Contribution.objects.get(method_instance=survey.instance)
    assert mine.once_key == f"user:{verified.pk}"
    # The same person with a fresh form (another tab): refused, nothing stored.
    again = client.post(survey.url, survey_factories.survey_form(survey), **EN)
    assert again.status_code == 409
    html = again.content.decode()
    assert "You have already answered this survey, and each person answers once." in html
    assert mine.receipt_url() in html
    assert "/konto/" in html  # My page
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 1
    # Opening the survey again says so at once, without a form.
    page = client.get(survey.url, **EN).content.decode()
    assert "You have already answered this survey" in page
    assert 'id="survey-form"' not in page


def test_the_action_refuses_a_second_answer_set_with_409(
    w: factories.World, verified: User
) -> None:
    survey = _login_survey(w.org)
    survey_factories.survey_answer(survey, person=verified)
    with pytest.raises(survey_actions.AlreadyAnswered) as refused:
        survey_factories.survey_answer(survey, person=verified)
    assert refused.value.status == 409
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 1
    # Another person answers as usual.
    survey_factories.survey_answer(survey, person=factories.user(email_verified=True))
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 2


def test_turning_off_anonymous_answers_also_makes_it_one_per_person(
    w: factories.World, verified: User
) -> None:
    survey = survey_factories.survey(w.org, settings={"allow_anonymous": False})
    survey_factories.survey_answer(survey, person=verified)
    with pytest.raises(survey_actions.AlreadyAnswered):
        survey_factories.survey_answer(survey, person=verified)


def test_an_anonymous_survey_counts_each_form_once(w: factories.World, verified: User) -> None:
    survey = survey_factories.survey(w.org)
    survey_factories.survey_answer(survey, person=verified)
    survey_factories.survey_answer(survey, person=verified)
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 2
    assert not Contribution.objects.exclude(once_key=None).exists()


@pytest.mark.django_db(transaction=True)
def test_in_parallel_only_one_answer_set_of_a_person_is_stored() -> None:
    org = factories.municipality("Lillevik")
    survey = _login_survey(org)
    person = factories.user("parallell", email_verified=True)

    def answer(_i: int) -> str:
        try:
            survey_actions.do_answer(
                person,
                survey.instance,
                {survey.single.pk: "new"},
                key=secrets.token_hex(16),  # a fresh form each: not a double click
                session_key=f"s{_i}",
            )
        except survey_actions.AlreadyAnswered as refused:
            assert refused.status == 409
            return "409"
        return "stored"

    outcomes = in_parallel(answer, 6)
    assert sorted(outcomes) == ["409"] * 5 + ["stored"]
    stored = Contribution.objects.filter(method_instance=survey.instance)
    assert stored.count() == 1
    assert Answer.objects.filter(contribution__in=stored).count() == 1


def test_the_results_say_how_answers_count(w: factories.World, client: Client) -> None:
    anonymous = survey_factories.survey(w.org, settings={"results_public": True})
    html = client.get(anonymous.named("results"), **EN).content.decode()
    assert (
        "Anyone can answer without logging in; each submitted form counts once, so one person "
        "could answer more than once." in html
    )
    once = _login_survey(w.org)
    html = client.get(once.named("results"), **EN).content.decode()
    assert "One answer per logged-in person." in html
    assert "could answer more than once" not in html
