"""The survey form's one-time key is tied to the session that sent it and to what it sent.

A repeat from the same session with the same answers (a double click, a retried request)
gets the same receipt. The same key from another session, or from the same session with
other answers ("back, edit, send again"), gets a 409: no receipt, nothing of the first
answer set shown, nothing stored, and a fresh form with the sender's own answers kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.demo.loader import load_demo
from medvirk.identity.actions import do_erase_account
from medvirk.methods.survey.models import Answer, Question, Submission
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.concurrency import in_parallel
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

KEY = re.compile(r'name="key" value="([0-9a-f]{32})"')


def _form_key(html: str) -> str:
    found = KEY.search(html)
    assert found is not None, "the page has no form key"
    return found.group(1)


def _open_form(client: Client, survey: Survey) -> str:
    """Open the survey page as a browser would; return the form's key."""
    page = client.get(survey.url)
    assert page.status_code == 200
    return _form_key(page.content.decode())


def _stored() -> tuple[int, int, int]:
    return Contribution.objects.count(), Answer.objects.count(), Submission.objects.count()


@pytest.mark.django_db
def test_the_survey_page_gives_an_anonymous_visitor_a_session(survey: Survey) -> None:
    client = Client()
    _open_form(client, survey)
    assert settings.SESSION_COOKIE_NAME in client.cookies
    assert client.session.session_key


@pytest.mark.django_db
def test_a_double_click_from_the_same_session_gets_the_same_receipt(survey: Survey) -> None:
    client = Client()
    data = survey_factories.survey_form(survey, key=_open_form(client, survey), name="Kari")
    first = client.post(survey.url, data)
    second = client.post(survey.url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert _stored()[0] == 1


@pytest.mark.django_db
def test_the_same_key_from_another_session_gets_409_and_nothing_of_the_first(
    survey: Survey,
) -> None:
    kari, stranger = Client(), Client()
    key = _open_form(kari, survey)
    _open_form(stranger, survey)
    first = kari.post(
        survey.url,
        survey_factories.survey_form(
            survey, key=key, name="Kari Nordmann", email="kari@example.org"
        ),
    )
    assert first.status_code == 302
    receipt_token = first["Location"].rstrip("/").rsplit("/", 1)[-1]
    before = _stored()

    for data in (
        # The very same answers: the content matches, the session does not.
        survey_factories.survey_form(
            survey, key=key, name="Kari Nordmann", email="kari@example.org"
        ),
        # Other answers under the stolen key.
        survey_factories.survey_form(
            survey, key=key, name="Ola", **{survey.text.field_name: "Noko anna."}
        ),
    ):
        replay = stranger.post(survey.url, data)
        assert replay.status_code == 409
        assert "Location" not in replay
        html = replay.content.decode()
        assert "already been sent" in html
        assert receipt_token not in html
        assert "/kvittering/" not in html
        assert "kari@example.org" not in html or data["email"] == "kari@example.org"
        assert "Kari Nordmann" not in html or data["name"] == "Kari Nordmann"
        # A fresh key, so the sender can send their own answers as a new answer set.
        assert _form_key(html) != key
    assert _stored() == before


@pytest.mark.django_db
def test_back_edit_resend_gets_409_keeps_the_edit_and_offers_a_new_answer_set(
    survey: Survey,
) -> None:
    client = Client()
    key = _open_form(client, survey)
    first = client.post(survey.url, survey_factories.survey_form(survey, key=key))
    assert first.status_code == 302
    before = _stored()

    edited = survey_factories.survey_form(
        survey, key=key, **{survey.text.field_name: "Fix the roof, too."}
    )
    again = client.post(survey.url, edited)
    assert again.status_code == 409
    html = again.content.decode()
    assert "your first answers were registered" in html
    assert "new answer set" in html
    assert "Fix the roof, too." in html  # the edit is kept in the form
    fresh = _form_key(html)
    assert fresh != key
    assert _stored() == before  # nothing stored

    # Sending the kept answers with the fresh key stores them as a second answer set.
    resend = client.post(survey.url, {**edited, "key": fresh})
    assert resend.status_code == 302
    assert resend["Location"] != first["Location"]
    assert Contribution.objects.count() == before[0] + 1
    assert "Fix the roof, too." in Contribution.objects.order_by("pk").last().text  # type: ignore[union-attr]


@pytest.mark.django_db
def test_changed_name_or_email_is_a_change_too(survey: Survey) -> None:
    client = Client()
    key = _open_form(client, survey)
    assert client.post(survey.url, survey_factories.survey_form(survey, key=key)).status_code == 302
    changed = client.post(
        survey.url, survey_factories.survey_form(survey, key=key, email="ny@example.org")
    )
    assert changed.status_code == 409
    assert _stored()[0] == 1


@pytest.mark.django_db
def test_a_post_without_a_session_binds_the_key_to_the_session_it_starts(survey: Survey) -> None:
    data = survey_factories.survey_form(survey)
    first = Client()
    response = first.post(survey.url, data)
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME in first.cookies
    # The same browser (now with its cookie) gets its receipt again …
    assert first.post(survey.url, data)["Location"] == response["Location"]
    # … another without a session does not.
    assert Client().post(survey.url, data).status_code == 409
    assert _stored()[0] == 1


@pytest.mark.django_db
def test_only_hashes_of_the_session_and_the_answers_are_stored(survey: Survey) -> None:
    client = Client()
    key = _open_form(client, survey)
    client.post(survey.url, survey_factories.survey_form(survey, key=key, name="Kari"))
    session_key = client.session.session_key
    assert session_key
    row = Submission.objects.values().get()
    stored = " ".join(str(v) for v in row.values())
    assert session_key not in stored
    assert "Kari" not in stored
    assert re.fullmatch(r"[0-9a-f]{64}", row["session_hash"])
    assert re.fullmatch(r"[0-9a-f]{64}", row["content_hash"])


@pytest.mark.django_db
def test_erasing_the_person_blanks_the_hashes_of_their_answer_sets(survey: Survey) -> None:
    person = factories.user()
    client = Client()
    client.force_login(person)
    data = survey_factories.survey_form(survey, key=_open_form(client, survey), name="Kari")
    first = client.post(survey.url, data)
    assert first.status_code == 302
    do_erase_account(person)
    row = Submission.objects.get()
    assert (row.session_hash, row.content_hash) == ("", "")
    # The answer set stays in the results; its key opens nothing any more.
    assert Contribution.objects.count() == 1
    assert client.post(survey.url, data).status_code == 409


@pytest.mark.django_db
def test_the_demo_survey_binds_its_form_to_the_session() -> None:
    load_demo()
    instance = MethodInstance.objects.filter(method_key="survey", is_published=True).first()
    assert instance is not None
    kari, stranger = Client(), Client()
    page = kari.get(instance.get_absolute_url())
    assert page.status_code == 200
    assert settings.SESSION_COOKIE_NAME in kari.cookies
    key = _form_key(page.content.decode())
    # The required questions (single choice in the demo), answered with their first option.
    required = Question.objects.filter(method_instance=instance, required=True)
    data = {"key": key, **{q.field_name: q.option_keys()[0] for q in required}}
    before = Contribution.objects.filter(method_instance=instance).count()
    first = kari.post(instance.get_absolute_url(), data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert kari.post(instance.get_absolute_url(), data)["Location"] == first["Location"]
    stranger.get(instance.get_absolute_url())
    assert stranger.post(instance.get_absolute_url(), data).status_code == 409
    assert Contribution.objects.filter(method_instance=instance).count() == before + 1


# --- parallel requests ------------------------------------------------------------------

THREADS = 8


def _in_parallel(work: Callable[[int], Any], n: int = THREADS) -> list[Any]:
    return in_parallel(work, n)


def _browser_like(cookies: Any) -> Client:
    """A client of its own (test clients are not shared between threads) with a session."""
    client = Client()
    client.cookies.load({name: morsel.value for name, morsel in cookies.items()})
    return client


@pytest.mark.django_db(transaction=True)
def test_two_sessions_racing_with_one_key_store_once_and_only_one_gets_the_receipt(
    survey: Survey,
) -> None:
    kari, stranger = Client(), Client()
    key = _open_form(kari, survey)
    _open_form(stranger, survey)
    data = survey_factories.survey_form(survey, key=key)
    # Half the threads send from Kari's session, half from the stranger's, all at once.
    sessions = [kari.cookies if i % 2 == 0 else stranger.cookies for i in range(THREADS)]

    def submit(i: int) -> tuple[int, str, str]:
        response = _browser_like(sessions[i]).post(survey.url, data)
        return (
            ("kari" if i % 2 == 0 else "stranger"),
            response.status_code,
            response.get("Location", ""),
        )

    outcomes = _in_parallel(submit)
    by_session: dict[str, set[int]] = {}
    for who, status, _location in outcomes:
        by_session.setdefault(who, set()).add(status)
    # One session won and was sent (each time) to the one receipt; the other was refused.
    assert len(by_session) == 2
    assert {frozenset(s) for s in by_session.values()} == {frozenset({302}), frozenset({409})}
    assert len({location for _, status, location in outcomes if status == 302}) == 1
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 1
    assert Submission.objects.count() == 1
    assert Answer.objects.count() == 8


@pytest.mark.django_db(transaction=True)
def test_one_session_sending_one_form_in_parallel_stores_it_once(survey: Survey) -> None:
    client = Client()
    data = survey_factories.survey_form(survey, key=_open_form(client, survey))

    def submit(_i: int) -> tuple[int, str]:
        response = _browser_like(client.cookies).post(survey.url, data)
        return response.status_code, response.get("Location", "")

    outcomes = _in_parallel(submit)
    assert {status for status, _ in outcomes} == {302}
    assert len({location for _, location in outcomes}) == 1
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 1
