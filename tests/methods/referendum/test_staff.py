"""The staff editor: preparing the question and details, announcing (which locks them and
the rules), the warning for a declared roll, and who may use which page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.methods.referendum import staff_actions
from medvirk.methods.referendum.models import CountEntry, Option, Referendum, Status
from medvirk.organisations.models import Municipality, Role
from medvirk.processes.actions import do_save_method
from tests import factories
from tests.factories import DAY

from .conftest import EN, TEST_RESIDENCE, Vote, announce, client_for, make_instance, prepare

pytestmark = pytest.mark.django_db

FORM = {
    "question": "Skal kommunen byggje ny symjehall?",
    "options": "Ja\nNei\n\nja",
    "council_reference": "Kommunestyret 1.3.2026, sak 20/26",
    "council_url": "",
    "opens_at": "",
    "closes_at": "",
    "roll_size": "3200",
    "districts": "Sentrum: 1 800\nKaia: 900\nNordbygda",
    "polling_places": "Rådhuset | Sentrum\nGrendehuset | nordbygda",
}


def test_staff_prepare_announce_and_the_question_is_locked(
    vote: Vote, staff_client: Client, officer: Any
) -> None:
    page = staff_client.get(vote.editor_url)
    assert page.status_code == 200 and 'id="edit-form"' in page.content.decode()
    assert 'id="declared-roll"' in page.content.decode()  # the default provider: declared
    response = staff_client.post(vote.editor_url, FORM)
    assert response.status_code == 302
    referendum = vote.referendum
    assert referendum.status == Status.DRAFT
    assert [o.label for o in Option.objects.filter(referendum=referendum)] == ["Ja", "Nei"]
    assert referendum.districts == [
        {"name": "Sentrum", "roll": 1800},
        {"name": "Kaia", "roll": 900},
        {"name": "Nordbygda", "roll": None},
    ]
    assert referendum.polling_places[1] == {
        "key": "grendehuset",
        "name": "Grendehuset",
        "district": "Nordbygda",
    }
    assert staff_client.post(vote.url("staff_open"), {}).status_code == 400
    opened = staff_client.post(vote.url("staff_open"), {"open-confirm": "on"})
    assert opened.status_code == 302
    referendum.refresh_from_db()
    assert referendum.status == Status.OPEN
    # The period came from the phase; the rules from the settings, copied.
    assert referendum.opens_at == vote.instance.phase.start
    assert referendum.closes_at == vote.instance.phase.end
    assert referendum.rules == {
        "voting_age": 16,
        "turnout_floor": None,
        "revote": False,
        "blank_vote": True,
        "paper": False,
    }
    opened_entry = CountEntry.objects.get(referendum=referendum)
    assert opened_entry.seq == 0 and opened_entry.kind == "opened"
    assert opened_entry.data["question"] == FORM["question"]
    # Locked: the form is gone and a save is refused.
    assert 'id="edit-form"' not in staff_client.get(vote.editor_url).content.decode()
    refused = staff_client.post(vote.editor_url, {**FORM, "question": "Noko anna?"})
    assert refused.status_code == 409
    assert vote.referendum.question == FORM["question"]


def test_changing_the_settings_after_the_announcement_changes_no_rule(
    vote: Vote, officer: Any
) -> None:
    announce(vote, officer)
    instance = vote.instance
    do_save_method(
        officer,
        instance.process,
        phase=instance.phase,
        method_key="referendum",
        slug=instance.slug,
        title=instance.title,
        description="",
        raw_settings={"voting_age": 18, "turnout_floor": 50},
        is_published=True,
        instance=instance,
    )
    assert vote.referendum.rules["voting_age"] == 16
    assert vote.referendum.rules["turnout_floor"] is None


def test_the_editor_refuses_bad_details_with_400(vote: Vote, staff_client: Client) -> None:
    for bad in (
        {**FORM, "options": "Berre eitt"},
        {**FORM, "districts": "Sentrum: mange"},
        {**FORM, "polling_places": "Rådhuset | Atlantis"},
        {**FORM, "opens_at": "2026-05-02T10:00", "closes_at": "2026-05-01T10:00"},
        {**FORM, "question": ""},
        {**FORM, "roll_size": "-4"},
    ):
        response = staff_client.post(vote.editor_url, bad)
        assert response.status_code == 400, bad
        assert 'id="error-summary"' in response.content.decode()
    assert not Referendum.objects.filter(question=FORM["question"]).exists()


def test_announcing_needs_the_councils_decision_and_a_future_period(
    vote: Vote, officer: Any
) -> None:
    now = timezone.now()
    prepare(vote, officer, opens=now - 3 * DAY, closes=now - DAY)
    with pytest.raises(ActionRefused, match="already ended"):
        staff_actions.do_open(officer, vote.instance)
    paper = make_instance(vote.instance.process.municipality, settings={"paper": True})
    prepare(paper, officer)
    with pytest.raises(ActionRefused, match="list the polling places"):
        staff_actions.do_open(officer, paper.instance)


def test_voters_so_far_but_never_what_they_chose(
    vote: Vote, officer: Any, staff_client: Client
) -> None:
    from .conftest import vote_as, voter

    announce(vote, officer)
    for _ in range(3):
        vote_as(vote, voter())
    html = staff_client.get(vote.editor_url).content.decode()
    assert "3 people have voted so far" in html
    assert 'id="result"' not in html


def test_a_register_removes_the_declared_warning(
    vote: Vote, staff_client: Client, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    assert 'id="declared-roll"' not in staff_client.get(vote.editor_url).content.decode()


def test_who_may_use_the_staff_pages(vote: Vote, officer: Any, org: Municipality) -> None:
    announce(vote, officer)
    moderator = client_for(factories.staff(org, Role.MODERATOR))
    assert moderator.get(vote.editor_url).status_code == 404  # the core's editor gate
    assert moderator.post(vote.url("staff_close"), {"close-confirm": "on"}).status_code == 403
    anonymous = Client(**EN).post(vote.url("staff_open"), {"open-confirm": "on"})
    assert anonymous.status_code == 302 and "/konto/" in anonymous["Location"]
    other_org = factories.municipality("Nabovik")
    stranger = client_for(factories.staff(other_org, Role.CASE_OFFICER))
    assert stranger.post(vote.url("staff_close"), {"close-confirm": "on"}).status_code == 403
    assert vote.referendum.status == Status.OPEN
