"""The rules on their own: the three ballots, the districts setting, the settings form, the
stages from the case's phases, voting codes, the explanations, and a person's own data."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.identity.personal_data import sections
from medvirk.methods.budgeting import actions, ballots, explain, keys, stages
from medvirk.methods.budgeting.config import (
    DistrictsInvalid,
    Rules,
    parse_districts,
)
from medvirk.methods.budgeting.models import Ballot
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.registry import SettingsInvalid

from .conftest import add, make_budget, open_vote, person

OFFERED = {
    1: ballots.Offered(1, "Klatrevegg", 85_000),
    2: ballots.Offered(2, "Gapahuk", 70_000),
    3: ballots.Offered(3, "Huske", 45_000),
}


def test_knapsack_takes_what_fits_and_refuses_the_rest() -> None:
    rules = Rules(ballot="knapsack", budget=150_000)
    checked = ballots.check(rules, OFFERED, {1: 1, 3: 1}, 150_000)
    assert (checked.choices, checked.total, checked.limit) == ({"1": 1, "3": 1}, 130_000, 150_000)
    assert ballots.check(rules, OFFERED, {1: 1, 3: 0}, 150_000).choices == {"1": 1}
    with pytest.raises(ActionRefused, match="155,000 kr, but the budget is 150,000 kr"):
        ballots.check(rules, OFFERED, {1: 1, 2: 1}, 150_000)
    with pytest.raises(ActionRefused, match="not on this ballot"):
        ballots.check(rules, OFFERED, {9: 1}, 150_000)
    with pytest.raises(ActionRefused, match="at least one"):
        ballots.check(rules, OFFERED, {}, 150_000)


def test_approval_counts_the_projects() -> None:
    rules = Rules(ballot="approval", max_choices=2)
    assert ballots.check(rules, OFFERED, {1: 1, 2: 1}, 0).total == 2
    with pytest.raises(ActionRefused, match="at most 2 projects"):
        ballots.check(rules, OFFERED, {1: 1, 2: 1, 3: 1}, 0)


def test_cumulative_counts_points_and_the_cap() -> None:
    rules = Rules(ballot="cumulative", points=10, max_per_project=4)
    assert ballots.check(rules, OFFERED, {1: 4, 2: 4, 3: 2}, 0).choices == {"1": 4, "2": 4, "3": 2}
    with pytest.raises(ActionRefused, match="At most 4 points on one project"):
        ballots.check(rules, OFFERED, {1: 5}, 0)
    with pytest.raises(ActionRefused, match="Give at least one point"):
        ballots.check(rules, OFFERED, {1: 0}, 0)
    assert Rules(ballot="cumulative", points=10).cap_per_project == 10
    assert ballots.parse_points({1: " 3 ", 2: "", 3: "0"}) == {1: 3}
    for bad in ("-1", "2.5", "x", "99999999"):
        with pytest.raises(ActionRefused):
            ballots.parse_points({1: bad})


def test_districts_are_read_one_per_line() -> None:
    text = "Sentrum: 300000\n\n  Kaia :  200 000 kr\r\nNordbygda: 1.500.000"
    assert parse_districts(text) == [
        ("Sentrum", 300_000),
        ("Kaia", 200_000),
        ("Nordbygda", 1_500_000),
    ]
    for bad in ("Sentrum 300000", "Sentrum: mykje", "Sentrum: 0", "A: 1\na: 2"):
        with pytest.raises(DistrictsInvalid):
            parse_districts(bad)
    rules = Rules(districts=(("Sentrum", 300_000), ("Kaia", 200_000)))
    assert rules.district_named(" kaia ") == "Kaia" and rules.district_named("Månen") is None
    assert rules.budget_for("Kaia") == 200_000
    assert rules.elections() == [("Sentrum", 300_000), ("Kaia", 200_000)]


def test_the_settings_form_refuses_what_cannot_work() -> None:
    plugin = registry.get("budgeting")
    with translation.override("en"):
        with pytest.raises(SettingsInvalid, match="Line 1"):
            plugin.validate_settings({"districts": "Sentrum"})
        with pytest.raises(SettingsInvalid):
            plugin.validate_settings({"budget": 0})
        with pytest.raises(SettingsInvalid):
            plugin.validate_settings({"voter_group": "not a key"})
        with pytest.raises(SettingsInvalid):
            plugin.validate_settings({"ballot": "ranked"})
    cleaned = plugin.validate_settings(
        {"districts": "Sentrum: 1000\r\nKaia: 500", "voter_group": "bodies:3"}
    )
    assert cleaned["districts"] == "Sentrum: 1000\nKaia: 500"


def _phase(pk: int, kind: str, start: int, end: int) -> Any:
    now = timezone.now()
    return SimpleNamespace(
        pk=pk, kind=kind, start=now + dt.timedelta(days=start), end=now + dt.timedelta(days=end)
    )


def test_stages_from_the_phases() -> None:
    now = timezone.now()
    phases = [
        _phase(1, "investigation", -30, -10),
        _phase(2, "alternatives", -10, 0),
        _phase(3, "decision", 5, 10),
    ]
    # In the gap after "alternativ": still the review.
    assert stages.by_phases(phases, {}, now + dt.timedelta(hours=1)) == "review"
    assert stages.by_phases(phases, {}, now + dt.timedelta(days=7)) == "vote"
    assert stages.by_phases(phases, {}, now + dt.timedelta(days=11)) == "results"
    assert stages.by_phases(phases, {}, now - dt.timedelta(days=40)) == "upcoming"
    chosen = {"1": {"stage": "vote"}}
    assert stages.by_phases(phases, chosen, now - dt.timedelta(days=20)) == "vote"
    # Closing wins over everything; a hand-opened vote lasts until its end.
    assert stages.current(phases, {}, closed_at=now, now=now) == "results"
    opened = now - dt.timedelta(hours=1)
    assert (
        stages.current(phases, {}, opened_at=opened, closes_at=now + dt.timedelta(hours=1), now=now)
        == "vote"
    )
    assert stages.current(phases, {}, opened_at=opened, closes_at=now, now=now) == "results"


def test_voting_codes() -> None:
    code = keys.new_code()
    assert len(code) == 8 and set(code) <= set(keys.ALPHABET)
    assert keys.normalise(keys.shown(code).lower()) == code
    assert keys.normalise(" abcd efgh ") == "ABCDEFGH"
    for bad in ("", "ABCD", "ABCD-EFG0", "ABCDEFGHJ"):
        assert keys.normalise(bad) == ""
    assert keys.code_key(1, code) != keys.code_key(2, code)  # keyed per budget


def test_explanations_use_the_structured_fields_not_the_engine_text() -> None:
    result = {
        "rule": "equal-shares",
        "vote_type": "approval",
        "selected": ["1"],
        "explanations": {
            "1": {
                "id": "1",
                "funded": True,
                "cost": 85000,
                "support": 40,
                "supporters": 40,
                "stage": "equal-shares",
                "position": 1,
                "round": 1,
                "price_per_supporter": 2125.0,
                "paid_full_share": 40,
                "paid_all_they_had": 0,
                "explanation": "ENGINE TEXT",
            },
            "2": {
                "id": "2",
                "funded": False,
                "cost": 70000,
                "support": 12,
                "supporters": 12,
                "supporters_money": 30000.0,
                "lacked": 40000.0,
                "displaced_by": "1",
                "explanation": "ENGINE TEXT",
            },
            "3": {
                "id": "3",
                "funded": False,
                "cost": 45000,
                "support": 0,
                "supporters": 0,
                "explanation": "ENGINE TEXT",
            },
        },
    }
    titles = {"1": "Klatrevegg", "2": "Gapahuk", "3": "Huske"}
    with translation.override("en"):
        items = explain.explain(result, titles)
    assert [i.number for i in items] == [1, 2, 3]
    assert "round 1 of the method of equal shares" in items[0].text
    assert "2,125 kr each" in items[0].text
    assert "had 30,000 kr left between them" in items[1].text and "40,000 kr short" in items[1].text
    assert "«Klatrevegg»" in items[1].text
    assert items[2].text == "Not funded: no one voted for it."
    assert all("ENGINE" not in i.text for i in items)
    texts = explain.explanations_in(result, titles, ("nb", "nn", "en"))
    assert set(texts["1"]) == {"nb", "nn", "en"}


@pytest.mark.django_db
def test_a_persons_ballots_in_mine_data_and_erasure(
    org: Municipality, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = "medvirk.identity.residence.TestResidence"
    budget = make_budget(org, settings={"voters": "eid"})
    mål = add(budget, officer, "Fotballmål", 30_000)
    open_vote(budget, officer)
    kari = person("kari")
    actions.do_vote(kari, budget.instance, {mål.number: 1})
    idea_budget = make_budget(org)
    actions.do_propose(
        kari, idea_budget.instance, actions.Idea("Gapahuk", "Ein gapahuk for alle klassane.")
    )
    exported: dict[str, Any] = {s.key: s.export(kari) for s in sections()}
    assert exported["budget_ballots"] == [
        {
            "budget": budget.instance.title,
            "case": budget.instance.process.title,
            "district": "",
            "choices": {str(mål.number): 1},
        }
    ]
    assert exported["budget_ideas"][0]["title"] == "Gapahuk"
    # While the vote is open, erasing the person takes the ballot out.
    next(s for s in sections() if s.key == "budget_ballots").erase(kari)
    assert not Ballot.objects.exists()
    assert (
        actions.known_voter(AnonymousUser(), budget.instance, actions.rules_of(budget.instance))
        is None
    )
