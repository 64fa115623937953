"""Closing the vote and counting it: the staff's button (audited) and the cron command, the
background task, once only; the published .pb counted again with Medvirk's engine and with
pabutools gives the published result; the JSON; the results page's explanations."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medvirk.algorithms import pb
from medvirk.identity.models import User
from medvirk.methods.budgeting import actions, counting, staff_actions
from medvirk.methods.budgeting.models import Ballot, Election, Project, Tally
from medvirk.organisations.models import Municipality
from tests import factories
from tests.algorithms.test_pb_helpers import reference_outcome
from tests.documents import files

from .conftest import EN, Budget, add, at, make_budget, make_codes, open_vote

pytestmark = pytest.mark.django_db

COSTS = {
    "Klatrevegg": 85_000,
    "Fotballmål": 28_000,
    "Gapahuk": 70_000,
    "Huske": 45_000,
    "Basket": 32_000,
    "Skulehage": 15_000,
}
TASTES = [
    ["Klatrevegg", "Fotballmål", "Basket"],
    ["Huske", "Skulehage", "Gapahuk"],
    ["Gapahuk", "Klatrevegg"],
]


def _vote_many(budget: Budget, officer: User, n: int, seed: int = 1, district: str = "") -> None:
    rules = counting.rules_of(budget.instance)
    projects = {p.title: p for p in Project.objects.filter(method_instance=budget.instance)}
    rng = random.Random(seed)
    for code in make_codes(budget, officer, n, district=district):
        chosen: dict[int, int] = {}
        spent = 0
        for title in rng.choice(TASTES):
            project = projects.get(title)
            if project is None or project.district != district:
                continue
            if rules.ballot == "cumulative":
                chosen[project.number] = rng.randint(1, 3)
            elif spent + (project.cost or 0) <= rules.budget_for(district):
                chosen[project.number] = 1
                spent += project.cost or 0
        if chosen:
            actions.do_vote(AnonymousUser(), budget.instance, chosen, code=code)


def _counted(org: Municipality, officer: User, capture: Any, **settings: Any) -> Budget:
    budget = make_budget(org, settings={"voters": "codes", "budget": 200_000, **settings})
    for title, cost in COSTS.items():
        add(budget, officer, title, cost)
    open_vote(budget, officer)
    _vote_many(budget, officer, 40)
    with capture(execute=True):
        staff_actions.do_close_vote(officer, budget.instance)
    return budget


def test_closing_counts_once_in_the_background_and_a_recount_agrees(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    mark = factories.audit_mark()
    budget = _counted(org, officer, django_capture_on_commit_callbacks)
    election = Election.objects.get(method_instance=budget.instance)
    assert election.closed_at is not None and election.counted_at is not None
    assert election.closed_by_staff
    tally = Tally.objects.get(method_instance=budget.instance)
    assert tally.ballots == Ballot.objects.count() == 40
    assert tally.rule == "equal-shares" and tally.result["selected"]
    assert tally.result["cost"] <= 200_000
    closed = [e for e in factories.audited_since(mark) if e.action == "budgeting.vote_closed"]
    assert len(closed) == 1 and closed[0].data["ballots"] == 40
    # Funded projects wait for their follow-up.
    funded = {int(pid) for pid in tally.result["selected"]}
    assert (
        set(
            Project.objects.filter(method_instance=budget.instance, delivery="planned").values_list(
                "number", flat=True
            )
        )
        == funded
    )
    # Again: nothing changes. A recount from the file and from the ballots agrees.
    before = dict(tally.result)
    assert counting.count_instance(budget.instance.pk) == "counted already"
    assert Tally.objects.get(pk=tally.pk).result == before
    assert counting.verify(budget.instance) == []
    with pytest.raises(actions.ActionRefused, match="closed already"):
        staff_actions.do_close_vote(officer, budget.instance)


@pytest.mark.parametrize(
    ("chosen", "rule"),
    [
        ({"rule": "equal-shares"}, "equal-shares"),
        ({"rule": "greedy"}, "greedy"),
        ({"rule": "equal-shares", "ballot": "cumulative", "points": 10}, "equal-shares"),
        ({"rule": "greedy", "ballot": "approval", "max_choices": 3}, "greedy"),
    ],
)
def test_the_published_file_counts_to_the_published_result_with_medvirk_and_pabutools(
    org: Municipality,
    officer: User,
    django_capture_on_commit_callbacks: Any,
    chosen: dict[str, Any],
    rule: str,
) -> None:
    budget = _counted(org, officer, django_capture_on_commit_callbacks, **chosen)
    client = Client(**EN)
    response = client.get(budget.export_url("stemmesetlar-pb"))
    assert response.status_code == 200
    text = response.content.decode()
    published = json.loads(client.get(budget.export_url("resultat-json")).content)
    election = pb.parse_pb(text)
    assert election.num_voters == 40
    assert sorted(election.voter_ids, key=int) == [str(i) for i in range(1, 41)]
    assert pb.count(election, rule).selected == published["selected"]
    assert reference_outcome(text, rule) == published["selected"]
    assert published["rule"] == rule and published["budget"] == 200_000
    assert published["cost"] == sum(COSTS_BY_NUMBER(budget)[int(p)] for p in published["selected"])
    # No voter identity: no code, no key.
    for ballot in Ballot.objects.all():
        assert ballot.voter_key not in text
    for code in budget.instance.budget_codes.values_list("code", flat=True):
        assert code not in text


def COSTS_BY_NUMBER(budget: Budget) -> dict[int, int]:
    return {
        p.number: int(p.cost or 0) for p in Project.objects.filter(method_instance=budget.instance)
    }


def test_the_json_explains_every_project_in_three_languages(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = _counted(org, officer, django_capture_on_commit_callbacks)
    published = json.loads(Client(**EN).get(budget.export_url("resultat-json")).content)
    assert published["ballot"] == "knapsack"
    assert {p["id"] for p in published["projects"]} == {
        str(n) for n in Project.objects.values_list("number", flat=True)
    }
    for project in published["projects"]:
        assert set(project["explanation"]) == {"nb", "nn", "en"}
        assert "name" in project and "funded" in project
        if project["funded"]:
            assert project["stage"] in ("equal-shares", "completion", "free")


def test_the_results_page_explains_in_its_own_words(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = _counted(org, officer, django_capture_on_commit_callbacks)
    tally = Tally.objects.get()
    response = Client(**EN).get(budget.url("results"))
    assert response.status_code == 200
    html = response.content.decode()
    # The engine's own English sentences are never shown.
    for row in tally.result["explanations"].values():
        assert row["explanation"] not in html
    assert "of the method of equal shares" in html
    assert 'role="img"' in html and "<table" in html  # the chart and its table
    for title in COSTS:
        assert title in html
    first = tally.result["selected"][0]
    project_page = Client(**EN).get(budget.url("project", number=int(first))).content.decode()
    assert 'id="why"' in project_page and "Funded as number 1" in project_page


def test_a_refused_project_says_what_it_lacked_and_who_took_the_money(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget(org, settings={"voters": "codes", "budget": 100_000, "rule": "greedy"})
    big = add(budget, officer, "Klatrevegg", 70_000)
    small = add(budget, officer, "Gapahuk", 60_000)
    open_vote(budget, officer)
    codes = make_codes(budget, officer, 9)
    for code in codes[:5]:
        actions.do_vote(AnonymousUser(), budget.instance, {big.number: 1}, code=code)
    for code in codes[5:]:
        actions.do_vote(AnonymousUser(), budget.instance, {small.number: 1}, code=code)
    with django_capture_on_commit_callbacks(execute=True):
        staff_actions.do_close_vote(officer, budget.instance)
    html = Client(**EN).get(budget.url("results")).content.decode()
    assert "only 30,000 kr was left when its turn came, and it costs 60,000 kr" in html
    assert "The money went to «Klatrevegg», which had more votes." in html


def test_districts_are_counted_and_published_apart(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget(
        org, settings={"voters": "codes", "districts": "Sentrum: 100000\nKaia: 80000"}
    )
    for title, district in (("Klatrevegg", "Sentrum"), ("Huske", "Sentrum"), ("Gapahuk", "Kaia")):
        add(budget, officer, title, 40_000, district)
    open_vote(budget, officer)
    _vote_many(budget, officer, 12, district="Sentrum")
    codes = make_codes(budget, officer, 3, district="Kaia")
    gapahuk = Project.objects.get(title="Gapahuk").number
    for code in codes:
        actions.do_vote(AnonymousUser(), budget.instance, {gapahuk: 1}, code=code)
    with django_capture_on_commit_callbacks(execute=True):
        staff_actions.do_close_vote(officer, budget.instance)
    assert set(Tally.objects.values_list("district", flat=True)) == {"Sentrum", "Kaia"}
    client = Client(**EN)
    assert client.get(budget.export_url("stemmesetlar-pb")).status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(client.get(budget.export_url("stemmesetlar-zip")).content))
    names = archive.namelist()
    # Kaia had 3 ballots (fewer than 5): its ballots are not published.
    assert any(n.endswith("-sentrum.pb") for n in names) and not any("kaia" in n for n in names)
    assert "Kaia" in archive.read("LESMEG.txt").decode()
    sentrum = pb.parse_pb(archive.read(next(n for n in names if n.endswith(".pb"))).decode())
    assert sentrum.meta["district"] == "Sentrum"
    assert "district" in sentrum.vote_columns
    published = json.loads(client.get(budget.export_url("resultat-json")).content)
    by_district = {d["district"]: d for d in published["districts"]}
    assert by_district["Kaia"]["voters"] is None  # suppressed
    assert by_district["Kaia"]["selected"] == [str(gapahuk)]
    assert by_district["Sentrum"]["voters"] == Ballot.objects.filter(district="Sentrum").count()
    html = client.get(budget.url("results")).content.decode()
    assert "fewer than 5" in html


def test_a_vote_without_ballots_counts_to_nothing(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget(org, settings={"voters": "codes"})
    add(budget, officer, "Fotballmål", 30_000)
    open_vote(budget, officer)
    with django_capture_on_commit_callbacks(execute=True):
        staff_actions.do_close_vote(officer, budget.instance)
    tally = Tally.objects.get()
    assert (tally.ballots, tally.result["selected"]) == (0, [])
    assert Client(**EN).get(budget.url("results")).status_code == 200
    assert Client(**EN).get(budget.url()).status_code == 200


def test_the_cron_command_closes_ended_votes_and_counts_them(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget(org, settings={"voters": "codes"})
    add(budget, officer, "Fotballmål", 30_000)
    open_vote(budget, officer)
    code = make_codes(budget, officer, 1)[0]
    number = Project.objects.get().number
    actions.do_vote(AnonymousUser(), budget.instance, {number: 1}, code=code)
    still_open = make_budget(org, settings={"voters": "codes"})
    out = io.StringIO()
    call_command("budgeting_close", stdout=out)
    assert "0 budget(s) done" in out.getvalue()
    # The hand-set end passes.
    Election.objects.filter(method_instance=budget.instance).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1),
        opened_at=timezone.now() - dt.timedelta(days=1),
    )
    assert actions.stage_of(budget.instance) == "results"
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("budgeting_close", stdout=out)
    election = Election.objects.get(method_instance=budget.instance)
    assert election.counted_at is not None and not election.closed_by_staff
    closed = [e for e in factories.audited_since(mark) if e.action == "budgeting.vote_closed"]
    assert [e.actor_label for e in closed] == ["system"]
    assert Tally.objects.get(method_instance=budget.instance).result["selected"] == [str(number)]
    assert not Election.objects.filter(method_instance=still_open.instance, closed_at__isnull=False)
    out = io.StringIO()
    call_command("budgeting_close", stdout=out)
    assert "0 budget(s) done" in out.getvalue()
    call_command("budgeting_close", "--verify", stdout=out)
    assert "counts the same again" in out.getvalue()


def test_a_vote_phase_that_ended_is_closed_by_the_command(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget(org, settings={"voters": "codes"}, kind="decision")
    assert actions.stage_of(budget.instance) == "vote"
    assert staff_actions.due_for_closing(budget.instance, at(25))
    assert not staff_actions.due_for_closing(budget.instance, at(5))


def test_a_funded_project_is_followed_up_with_a_dated_photo(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = _counted(org, officer, django_capture_on_commit_callbacks)
    number = int(Tally.objects.get().result["selected"][0])
    not_funded = Project.objects.filter(method_instance=budget.instance, delivery="").first()
    assert not_funded is not None
    staff = Client(**EN)
    staff.force_login(officer)
    url = budget.url("staff_project", number=number)
    today = timezone.localdate().isoformat()
    fields = {"action": "progress", "delivery": "in_progress", "date": today, "text": "Bestilt."}
    # A photo needs its description; a picture that is not one is refused.
    response = staff.post(url, {**fields, "photo": files.png("bilete.png")})
    assert response.status_code == 400
    assert "What the photo shows" in response.content.decode()
    response = staff.post(url, {**fields, "photo": files.upload("x.png", b"<svg/>", "image/png")})
    assert response.status_code == 400
    mark = factories.audit_mark()
    response = staff.post(
        url, {**fields, "photo": files.png("bilete.png"), "photo_alt": "Klatreveggen i kassar."}
    )
    assert response.status_code == 302
    assert [e.action for e in factories.audited_since(mark)] == ["budgeting.progress"]
    project = Project.objects.get(method_instance=budget.instance, number=number)
    assert project.delivery == "in_progress"
    public = Client(**EN).get(budget.url("project", number=number)).content.decode()
    assert 'alt="Klatreveggen i kassar."' in public and "Bestilt." in public
    update = project.updates.get()
    photo = Client(**EN).get(budget.url("photo", pk=update.pk))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert files.body(photo).startswith(b"\x89PNG")
    # Only funded projects are followed up.
    response = staff.post(budget.url("staff_project", number=not_funded.number), fields)
    assert response.status_code == 409
    # The future is refused.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert staff.post(url, {**fields, "date": tomorrow}).status_code == 400


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm: one-off lookups (content types, caches) are not the page's
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_make_the_same_number_of_queries_for_few_and_many_projects(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    counts = []
    for n in (3, 25):
        budget = make_budget(org, settings={"voters": "codes", "budget": 10_000_000})
        for i in range(n):
            add(budget, officer, f"Prosjekt {i}", 10_000 + i)
            actions.do_propose(
                AnonymousUser(),
                budget.instance,
                actions.Idea(f"Idé {i}", "Ei idé med nok tekst til å bli teken imot."),
            )
        open_vote(budget, officer)
        numbers = list(
            Project.objects.filter(method_instance=budget.instance, status="accepted").values_list(
                "number", flat=True
            )
        )
        for code in make_codes(budget, officer, 6):
            actions.do_vote(
                AnonymousUser(), budget.instance, {numbers[0]: 1, numbers[1]: 1}, code=code
            )
        with django_capture_on_commit_callbacks(execute=True):
            staff_actions.do_close_vote(officer, budget.instance)
        staff = Client(**EN)
        staff.force_login(officer)
        editor = f"/stab/sak/{budget.instance.process_id}/metode/{budget.instance.pk}/innhald/"
        counts.append(
            (
                _queries(Client(**EN), budget.url()),
                _queries(Client(**EN), budget.url("results")),
                _queries(staff, editor),
            )
        )
    assert counts[0] == counts[1]
