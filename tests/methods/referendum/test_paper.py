"""Paper ballots: marking a paper voter in the roll by national identity number (hashed,
never stored), and each polling place's count entered by two different staff members —
accepted only when both match; a mismatch shown to both; audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.identity.providers import TEST_PEOPLE
from medvirk.methods.referendum import actions, staff_actions
from medvirk.methods.referendum.models import (
    Ballot,
    Channel,
    CountEntry,
    PaperBatch,
    PaperEntry,
    RollEntry,
)
from medvirk.organisations.models import Municipality, Role
from tests import factories
from tests.factories import DAY

from .conftest import Vote, announce, client_for, make_instance, person, vote_as

pytestmark = pytest.mark.django_db

KARI, NORA = TEST_PEOPLE[0].national_id, TEST_PEOPLE[3].national_id
OLA = TEST_PEOPLE[1].national_id


@pytest.fixture
def paper_vote(org: Municipality) -> Vote:
    return make_instance(org, settings={"paper": True})


def _counts(vote: Vote, yes: int, no: int, blank: int = 0, rejected: int = 0) -> dict[str, Any]:
    y, n = actions.options_of(vote.referendum)
    return {"options": {str(y.pk): yes, str(n.pk): no}, "blank": blank, "rejected": rejected}


def _after_close(vote: Vote) -> Any:
    assert vote.referendum.closes_at is not None
    return vote.referendum.closes_at + DAY / 24


# -- marking paper voters --------------------------------------------------------------------


def test_a_paper_voter_is_marked_and_cannot_then_vote_electronically(
    paper_vote: Vote, officer: Any
) -> None:
    announce(paper_vote, officer, places=True)
    day = staff_actions.do_mark_paper_voter(officer, paper_vote.instance, KARI, "lillevik-skule")
    entry = RollEntry.objects.get()
    assert (entry.channel, entry.district, entry.day) == (Channel.PAPER, "Sentrum", day)
    assert not Ballot.objects.exists()  # the ballot is in the box, counted with the place
    with pytest.raises(actions.AlreadyVoted):
        vote_as(paper_vote, person("kari"))
    with pytest.raises(ActionRefused, match="already voted") as again:
        staff_actions.do_mark_paper_voter(officer, paper_vote.instance, KARI, "grendehus")
    assert again.value.status == 409


def test_someone_who_voted_electronically_is_refused_a_ballot(
    paper_vote: Vote, officer: Any
) -> None:
    announce(paper_vote, officer, places=True)
    vote_as(paper_vote, person("ola"))
    with pytest.raises(ActionRefused, match="Do not give them a ballot"):
        staff_actions.do_mark_paper_voter(officer, paper_vote.instance, OLA, "lillevik-skule")
    assert RollEntry.objects.count() == 1


def test_the_number_is_checked_for_validity_and_age(paper_vote: Vote, officer: Any) -> None:
    announce(paper_vote, officer, places=True)
    with pytest.raises(ActionRefused, match="not a valid"):
        staff_actions.do_mark_paper_voter(
            officer, paper_vote.instance, "01819012366", "lillevik-skule"
        )
    with pytest.raises(ActionRefused, match="too young"):
        staff_actions.do_mark_paper_voter(officer, paper_vote.instance, NORA, "lillevik-skule")
    with pytest.raises(ActionRefused) as unknown:
        staff_actions.do_mark_paper_voter(officer, paper_vote.instance, KARI, "finst-ikkje")
    assert unknown.value.status == 404
    assert not RollEntry.objects.exists()


def test_the_national_identity_number_is_never_stored(paper_vote: Vote, officer: Any) -> None:
    announce(paper_vote, officer, places=True)
    client = client_for(officer)
    response = client.post(
        paper_vote.url("staff_paper"), {"national_id": "018190 12365", "place": "lillevik-skule"}
    )
    assert response.status_code == 302
    assert RollEntry.objects.count() == 1
    # Look in every column of every table for the number (with or without its space).
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{field.column}" AS TEXT) LIKE %s',
                    ["%8190%1236%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{field.column}")
    assert found == []


def test_a_wrong_number_over_http_is_400_and_not_echoed(paper_vote: Vote, officer: Any) -> None:
    announce(paper_vote, officer, places=True)
    response = client_for(officer).post(
        paper_vote.url("staff_paper"), {"national_id": "01819012366", "place": "lillevik-skule"}
    )
    assert response.status_code == 400
    assert "01819012366" not in response.content.decode()
    assert not RollEntry.objects.exists()


def test_only_staff_who_register_offline_mark_voters(
    paper_vote: Vote, officer: Any, org: Municipality
) -> None:
    announce(paper_vote, officer, places=True)
    moderator = factories.staff(org, Role.MODERATOR)
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_mark_paper_voter(moderator, paper_vote.instance, KARI, "lillevik-skule")
    assert refused.value.status == 403
    response = client_for(moderator).get(paper_vote.url("staff_paper"))
    assert response.status_code == 403
    resident = client_for(person("ola")).get(paper_vote.url("staff_paper"))
    assert resident.status_code == 403


def test_paper_voters_are_marked_only_while_voting_is_open(paper_vote: Vote, officer: Any) -> None:
    announce(paper_vote, officer, places=True)
    with pytest.raises(ActionRefused, match="Voting closed"):
        staff_actions.do_mark_paper_voter(
            officer, paper_vote.instance, KARI, "lillevik-skule", now=_after_close(paper_vote)
        )


def test_a_referendum_without_paper_has_no_paper_pages(vote: Vote, officer: Any) -> None:
    announce(vote, officer, places=True)
    with pytest.raises(ActionRefused, match="no paper"):
        staff_actions.do_mark_paper_voter(officer, vote.instance, KARI, "lillevik-skule")
    assert client_for(officer).get(vote.url("staff_paper")).status_code == 404


# -- two-person entry -------------------------------------------------------------------------


def test_two_equal_entries_by_two_people_are_accepted_into_the_count_record(
    paper_vote: Vote, officer: Any, second: Any
) -> None:
    announce(paper_vote, officer, places=True)
    when = _after_close(paper_vote)
    counts = _counts(paper_vote, 20, 11, 1, 2)
    mark = factories.audit_mark()
    first = staff_actions.do_enter_paper(
        officer, paper_vote.instance, "lillevik-skule", counts, now=when
    )
    assert first.state == "waiting"
    assert not PaperBatch.objects.exists()
    done = staff_actions.do_enter_paper(
        second, paper_vote.instance, "lillevik-skule", counts, now=when
    )
    assert done.state == "accepted"
    batch = PaperBatch.objects.get()
    assert (batch.place, batch.district, batch.counts) == ("lillevik-skule", "Sentrum", counts)
    assert set(PaperEntry.objects.values_list("state", flat=True)) == {"matched"}
    entry = CountEntry.objects.get(kind="paper_batch")
    assert entry.data["counts"] == counts and entry.data["entries"] == 2
    actions_logged = list(factories.audited_since(mark).values_list("action", flat=True))
    # The first entry, then the second (by someone else) that made the match.
    assert actions_logged == ["referendum.paper_entered", "referendum.paper_accepted"]
    with pytest.raises(ActionRefused, match="already accepted"):
        staff_actions.do_enter_paper(
            officer, paper_vote.instance, "lillevik-skule", counts, now=when
        )


def test_one_person_cannot_make_both_entries(paper_vote: Vote, officer: Any) -> None:
    announce(paper_vote, officer, places=True)
    when = _after_close(paper_vote)
    counts = _counts(paper_vote, 3, 4)
    staff_actions.do_enter_paper(officer, paper_vote.instance, "grendehus", counts, now=when)
    again = staff_actions.do_enter_paper(
        officer, paper_vote.instance, "grendehus", counts, now=when
    )
    assert again.state == "replaced"
    assert PaperEntry.objects.count() == 1
    assert not PaperBatch.objects.exists()


def test_a_mismatch_is_shown_to_both_and_both_enter_again(
    paper_vote: Vote, officer: Any, second: Any
) -> None:
    announce(paper_vote, officer, places=True)
    when = _after_close(paper_vote)
    place = "grendehus"
    staff_actions.do_enter_paper(
        officer, paper_vote.instance, place, _counts(paper_vote, 20, 14), now=when
    )
    outcome = staff_actions.do_enter_paper(
        second, paper_vote.instance, place, _counts(paper_vote, 21, 13), now=when
    )
    assert outcome.state == "mismatch"
    assert not PaperBatch.objects.exists()
    assert set(PaperEntry.objects.values_list("state", flat=True)) == {"mismatch"}
    for who in (officer, second):
        page = client_for(who).get(paper_vote.url("staff_place", place=place)).content.decode()
        assert 'id="mismatch"' in page
        assert ">20<" in page and ">21<" in page
    # The next entry starts a new round; only an equal pair is accepted.
    first = staff_actions.do_enter_paper(
        second, paper_vote.instance, place, _counts(paper_vote, 20, 14), now=when
    )
    assert first.state == "waiting" and first.entries[0].round == 2
    page = client_for(officer).get(paper_vote.url("staff_place", place=place)).content.decode()
    assert 'id="mismatch"' not in page and 'id="pending"' in page
    done = staff_actions.do_enter_paper(
        officer, paper_vote.instance, place, _counts(paper_vote, 20, 14), now=when
    )
    assert done.state == "accepted"
    assert PaperBatch.objects.get().counts == _counts(paper_vote, 20, 14)


def test_the_second_person_does_not_see_the_first_entry(
    paper_vote: Vote, officer: Any, second: Any
) -> None:
    announce(paper_vote, officer, places=True)
    staff_actions.do_enter_paper(
        officer,
        paper_vote.instance,
        "grendehus",
        _counts(paper_vote, 4321, 1234),
        now=_after_close(paper_vote),
    )
    client = client_for(second)
    page = client.get(paper_vote.url("staff_place", place="grendehus"), headers={})
    assert page.status_code == 200
    html = page.content.decode()
    assert "4321" not in html and "4 321" not in html and "1234" not in html


def test_counts_are_entered_only_after_the_polling_places_close(
    paper_vote: Vote, officer: Any
) -> None:
    announce(paper_vote, officer, places=True)
    with pytest.raises(ActionRefused, match="polling places have closed"):
        staff_actions.do_enter_paper(
            officer, paper_vote.instance, "grendehus", _counts(paper_vote, 1, 1)
        )


def test_counts_must_be_whole_numbers_for_every_option(paper_vote: Vote, officer: Any) -> None:
    announce(paper_vote, officer, places=True)
    when = _after_close(paper_vote)
    bad = _counts(paper_vote, 1, 1)
    bad["options"].popitem()
    with pytest.raises(ActionRefused, match="every option"):
        staff_actions.do_enter_paper(officer, paper_vote.instance, "grendehus", bad, now=when)
    negative = _counts(paper_vote, -1, 1)
    with pytest.raises(ActionRefused, match="whole numbers"):
        staff_actions.do_enter_paper(officer, paper_vote.instance, "grendehus", negative, now=when)


def test_the_count_form_over_http(paper_vote: Vote, officer: Any, second: Any) -> None:
    now = timezone.now()
    announce(paper_vote, officer, places=True, opens=now - 2 * DAY, closes=now - DAY / 2)
    yes, no = actions.options_of(paper_vote.referendum)
    url = paper_vote.url("staff_place", place="lillevik-skule")
    data = {f"option_{yes.pk}": "7", f"option_{no.pk}": "5", "blank": "0", "rejected": "1"}
    bad = client_for(officer).post(url, {**data, "blank": "-3"})
    assert bad.status_code == 400 and 'id="error-summary"' in bad.content.decode()
    assert client_for(officer).post(url, data).status_code == 302
    assert client_for(second).post(url, data).status_code == 302
    assert PaperBatch.objects.get().counts["options"] == {str(yes.pk): 7, str(no.pk): 5}
    overview = client_for(officer).get(paper_vote.url("staff_paper")).content.decode()
    assert 'data-state="accepted"' in overview
