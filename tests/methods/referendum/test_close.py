"""Closing: only after the period and every polling place's count; the ballots mixed and
counted; the result published (turnout overall and per district with fewer than five
hidden, the floor, paper vs electronic); the hash-chained count record public and checked
by ``referendum_verify``; the scheduled commands; the report to the council."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.methods.referendum import actions, chain, staff_actions
from medvirk.methods.referendum.models import Ballot, Referendum, Status
from medvirk.organisations.models import Municipality
from tests import factories
from tests.factories import DAY

from .conftest import EN, Vote, announce, client_for, make_instance, vote_as, voter

pytestmark = pytest.mark.django_db


def _run(vote: Vote, officer: Any, choices: list[int | str], district: str = "Sentrum") -> None:
    """Votes cast inside the period (which the test's referendum has open now)."""
    options = actions.options_of(vote.referendum)
    for choice in choices:
        value = options[choice].pk if isinstance(choice, int) else choice
        vote_as(vote, voter(), value, district=district)


def _closed(org: Municipality, officer: Any, settings: dict[str, Any] | None = None) -> Vote:
    vote = make_instance(org, settings=settings or {"turnout_floor": 2})
    now = timezone.now()
    announce(vote, officer, opens=now - DAY, closes=now + DAY)
    _run(vote, officer, [0] * 7 + [1] * 4 + ["blank"], district="Sentrum")
    _run(vote, officer, [0, 1], district="Nordbygda")
    staff_actions.do_close(officer, vote.instance, now=now + 2 * DAY)
    return vote


def test_closing_before_the_period_ends_is_refused(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    with pytest.raises(ActionRefused, match="Voting is open until") as refused:
        staff_actions.do_close(officer, vote.instance)
    assert refused.value.status == 409
    assert vote.referendum.status == Status.OPEN


def test_closing_waits_for_every_polling_place(
    org: Municipality, officer: Any, second: Any
) -> None:
    vote = make_instance(org, settings={"paper": True})
    now = timezone.now()
    announce(vote, officer, places=True, opens=now - DAY, closes=now + DAY)
    later = now + 2 * DAY
    with pytest.raises(ActionRefused, match="Lillevik skule, Nordbygda grendehus"):
        staff_actions.do_close(officer, vote.instance, now=later)
    y, n = actions.options_of(vote.referendum)
    counts = {"options": {str(y.pk): 0, str(n.pk): 0}, "blank": 0, "rejected": 0}
    for place in ("lillevik-skule", "grendehus"):
        staff_actions.do_enter_paper(officer, vote.instance, place, counts, now=later)
        staff_actions.do_enter_paper(second, vote.instance, place, counts, now=later)
    staff_actions.do_close(officer, vote.instance, now=later)
    assert vote.referendum.status == Status.CLOSED


def test_the_result_counts_electronic_and_paper_and_the_chain_verifies(
    org: Municipality, officer: Any, second: Any
) -> None:
    vote = make_instance(org, settings={"paper": True, "turnout_floor": 25})
    now = timezone.now()
    announce(vote, officer, places=True, opens=now - DAY, closes=now + DAY, roll_size=40)
    _run(vote, officer, [0, 0, 0, 1, "blank"])
    from medvirk.identity.providers import TEST_PEOPLE

    for person_ in TEST_PEOPLE[:2]:
        staff_actions.do_mark_paper_voter(officer, vote.instance, person_.national_id, "grendehus")
    y, n = actions.options_of(vote.referendum)
    later = now + 2 * DAY
    for place, counts in (
        ("lillevik-skule", {"options": {str(y.pk): 0, str(n.pk): 0}, "blank": 0, "rejected": 0}),
        ("grendehus", {"options": {str(y.pk): 1, str(n.pk): 0}, "blank": 0, "rejected": 1}),
    ):
        staff_actions.do_enter_paper(officer, vote.instance, place, counts, now=later)
        staff_actions.do_enter_paper(second, vote.instance, place, counts, now=later)
    closed = staff_actions.do_close(officer, vote.instance, now=later)
    result = closed.result
    assert result is not None
    assert [
        (o["label"], o["electronic"], o["paper"], o["total"], o["percent"])
        for o in result["options"]
    ] == [
        ("Ja", 3, 1, 4, "80.0"),
        ("Nei", 1, 0, 1, "20.0"),
    ]
    assert result["blank"] == {"electronic": 1, "paper": 0, "total": 1}
    assert result["rejected"] == {"paper": 1}
    assert result["voters"] == {"electronic": 5, "paper": 2, "total": 7}
    assert result["turnout_percent"] == "17.5"
    assert result["floor_reached"] is False
    document = json.loads(Client().get(vote.export_url("teljing-json")).content)
    report = chain.verify(document, head=result["head"])
    assert report.ok, report.problems
    kinds = [e["kind"] for e in document["entries"]]
    assert kinds == ["opened", "paper_batch", "paper_batch", "electronic", "closed", "result"]
    assert len(document["entries"][3]["data"]["ballots"]) == Ballot.objects.count() == 5


def test_turnout_per_district_hides_fewer_than_five(org: Municipality, officer: Any) -> None:
    vote = _closed(org, officer)
    districts = {d["name"]: d for d in vote.referendum.result["districts"]}  # type: ignore[index]
    assert districts["Sentrum"]["voters"] == 12
    assert districts["Sentrum"]["turnout_percent"] == "2.9"
    assert districts["Nordbygda"]["voters"] is None  # 2 voters: hidden
    assert districts["Nordbygda"]["turnout_percent"] is None
    assert districts["Kaia"]["voters"] == 0
    page = Client(**EN).get(vote.url("results")).content.decode()
    assert "&lt;5" in page
    csv = b"".join(Client(**EN).get(vote.export_url("resultat-csv")).streaming_content).decode()  # type: ignore[attr-defined]
    assert "fewer than 5" in csv
    assert "Nordbygda" in csv and ",2," not in csv


def test_the_public_pages_after_the_close(org: Municipality, officer: Any) -> None:
    vote = _closed(org, officer)
    client = Client(**EN)
    page = client.get(vote.url()).content.decode()
    assert 'id="result"' in page and "Most votes" in page
    assert "The turnout floor of 2 % was not reached" in page  # 14 of 880
    results = client.get(vote.url("results"))
    assert results.status_code == 200
    assert vote.referendum.result["head"] in results.content.decode()  # type: ignore[index]
    open_data = client.get(vote.instance.process.get_absolute_url() + "opne-data/").content.decode()
    assert vote.export_url("teljing-json") in open_data


def test_nothing_is_public_before_the_close(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    vote_as(vote, voter())
    client = Client(**EN)
    assert client.get(vote.url("results"))["Location"] == vote.url()
    for key in ("teljing-json", "rapport-pdf", "resultat-csv"):
        assert client.get(vote.export_url(key)).status_code == 404, key


def test_the_report_to_the_council(org: Municipality, officer: Any) -> None:
    vote = _closed(org, officer)
    response = Client(**EN).get(vote.export_url("rapport-pdf"))
    assert response.status_code == 200
    if response["Content-Type"] == "application/pdf":
        assert response.content.startswith(b"%PDF")
    else:  # no WeasyPrint here: the print page
        assert vote.referendum.result["head"] in response.content.decode()  # type: ignore[index]


def test_the_staff_close_button(org: Municipality, officer: Any) -> None:
    now = timezone.now()
    vote = make_instance(org)
    announce(vote, officer, opens=now - 2 * DAY, closes=now - DAY)
    client = client_for(officer)
    editor = client.get(vote.editor_url).content.decode()
    assert 'id="close-form"' in editor
    assert client.post(vote.url("staff_close"), {}).status_code == 400
    response = client.post(vote.url("staff_close"), {"close-confirm": "on"})
    assert response.status_code == 302
    assert vote.referendum.status == Status.CLOSED
    assert 'id="result"' in client.get(vote.editor_url).content.decode()


def test_the_schedule_closes_what_is_due_and_waits_for_paper(
    org: Municipality, officer: Any
) -> None:
    now = timezone.now()
    due = make_instance(org)
    announce(due, officer, opens=now - 3 * DAY, closes=now - DAY)
    paper = make_instance(org, settings={"paper": True})
    announce(paper, officer, places=True, opens=now - 3 * DAY, closes=now - DAY)
    running = make_instance(org)
    announce(running, officer)
    out = StringIO()
    call_command("referendum_close", "--no-vacuum", stdout=out)
    text = out.getvalue()
    assert "closed: " in text and "waiting: " in text and "1 closed, 1 waiting." in text
    statuses = {r.method_instance_id: r.status for r in Referendum.objects.all()}
    assert statuses[due.instance.pk] == Status.CLOSED
    assert statuses[paper.instance.pk] == Status.OPEN
    assert statuses[running.instance.pk] == Status.OPEN
    again = StringIO()
    call_command("referendum_close", "--no-vacuum", stdout=again)
    assert "0 closed, 1 waiting." in again.getvalue()


def test_the_mix_command(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    vote_as(vote, voter())
    out = StringIO()
    call_command("referendum_mix", "--no-vacuum", stdout=out)
    assert "1 ballots" in out.getvalue()
    assert vote.referendum.mixed_at is not None


def test_referendum_verify_says_ok_or_where_it_breaks(
    org: Municipality, officer: Any, tmp_path: Path
) -> None:
    vote = _closed(org, officer)
    body = Client().get(vote.export_url("teljing-json")).content
    good = tmp_path / "teljing.json"
    good.write_bytes(body)
    out = StringIO()
    head = vote.referendum.result["head"]  # type: ignore[index]
    call_command("referendum_verify", str(good), "--head", head, stdout=out)
    assert out.getvalue().startswith("OK: the chain of 4 entries is intact")
    assert "Recount agrees" in out.getvalue()

    tampered = json.loads(body)
    first = tampered["entries"][1]["data"]["ballots"][0]
    first[1] = None if first[1] is not None else actions.options_of(vote.referendum)[0].pk
    bad = tmp_path / "endra.json"
    bad.write_text(json.dumps(tampered))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("referendum_verify", str(bad), stdout=out)
    assert exit_.value.code == 1
    assert out.getvalue().startswith("BROKEN")
    assert "entry 1 (electronic)" in out.getvalue()

    not_json = tmp_path / "tull.json"
    not_json.write_text("<html>")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("referendum_verify", str(not_json), stdout=out)
    assert "not a JSON count record" in out.getvalue()


def test_closing_twice_is_refused(org: Municipality, officer: Any) -> None:
    vote = _closed(org, officer)
    with pytest.raises(ActionRefused, match="already closed"):
        staff_actions.do_close(officer, vote.instance, now=timezone.now() + 3 * DAY)


def test_the_case_page_says_where_the_vote_is(org: Municipality, officer: Any) -> None:
    vote = make_instance(org)
    announce(vote, officer)
    page = Client(**EN).get(vote.instance.process.get_absolute_url()).content.decode()
    assert "Voting is open until" in page
    assert factories  # builders used above


def test_the_case_page_card_shows_the_result_once_closed(org: Municipality, officer: Any) -> None:
    vote = _closed(org, officer)
    page = Client(**EN).get(vote.instance.process.get_absolute_url()).content.decode()
    assert f'id="referendum-card-{vote.instance.pk}"' in page
    assert "Most votes: “Ja”." in page
    assert vote.url("results") in page


def test_paper_ballots_counted_unlike_the_voters_marked_are_reported(
    org: Municipality, officer: Any, second: Any
) -> None:
    from medvirk.identity.providers import TEST_PEOPLE

    vote = make_instance(org, settings={"paper": True})
    now = timezone.now()
    announce(vote, officer, places=True, opens=now - DAY, closes=now + DAY)
    staff_actions.do_mark_paper_voter(
        officer, vote.instance, TEST_PEOPLE[0].national_id, "grendehus"
    )
    y, n = actions.options_of(vote.referendum)
    later = now + 2 * DAY
    for place, yes in (("lillevik-skule", 0), ("grendehus", 2)):
        counts = {"options": {str(y.pk): yes, str(n.pk): 0}, "blank": 0, "rejected": 0}
        staff_actions.do_enter_paper(officer, vote.instance, place, counts, now=later)
        staff_actions.do_enter_paper(second, vote.instance, place, counts, now=later)
    staff_actions.do_close(officer, vote.instance, now=later)
    page = Client(**EN).get(vote.url("results")).content.decode()
    assert (
        "Paper ballots counted at the polling places: 2. Paper voters marked in the roll: 1."
        in page
    )
    document = json.loads(Client().get(vote.export_url("teljing-json")).content)
    report = chain.verify(document)
    assert report.ok and any("marked as voting on paper" in note for note in report.notes)


@pytest.mark.django_db(transaction=True)
def test_referendum_verify_reads_the_published_address(
    org: Municipality, officer: Any, live_server: Any
) -> None:
    vote = _closed(org, officer)
    out = StringIO()
    head = vote.referendum.result["head"]  # type: ignore[index]
    call_command(
        "referendum_verify",
        live_server.url + vote.export_url("teljing-json"),
        "--head",
        head,
        stdout=out,
    )
    assert out.getvalue().startswith("OK: ")
