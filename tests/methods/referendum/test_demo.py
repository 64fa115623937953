"""The Lillevik demo's referendum: closed, a few hundred ballots with paper batches (one
entered twice after a mismatch), the result published and the count record verifiable."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from django.test import Client

from medvirk.methods.referendum import chain
from medvirk.methods.referendum.models import Ballot, PaperEntry, Referendum, RollEntry, Status
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from tests import factories

from .conftest import EN, Vote, make_instance

pytestmark = pytest.mark.django_db


def test_the_demo_referendum_is_closed_and_its_record_verifies(
    org: Municipality, officer: Any
) -> None:
    factories.administrator(org)
    plugin = registry.get("referendum")
    assert plugin.demo is not None
    vote = make_instance(org, settings=plugin.demo.settings)
    cast = plugin.demo_seed(vote.instance, random.Random(20261123))
    referendum = Referendum.objects.get(method_instance=vote.instance)
    assert referendum.status == Status.CLOSED
    assert 400 <= cast <= 600
    assert RollEntry.objects.count() == cast
    assert Ballot.objects.count() == 425
    assert RollEntry.objects.filter(channel="paper").count() == 65
    states = list(
        PaperEntry.objects.filter(place="nordbygda-grendehus").values_list("state", flat=True)
    )
    assert sorted(states) == ["matched", "matched", "mismatch", "mismatch"]
    result = referendum.result
    assert result is not None and result["floor_reached"] is True
    document = json.loads(Client().get(vote.export_url("teljing-json")).content)
    report = chain.verify(document, head=result["head"])
    assert report.ok, report.problems
    page = Client(**EN).get(vote.url("results"))
    assert page.status_code == 200
    assert plugin.demo_seed(vote.instance, random.Random(1)) == 0  # once


def test_the_demo_seed_without_two_paper_staff_leaves_the_count_waiting(org: Municipality) -> None:
    plugin = registry.get("referendum")
    vote: Vote = make_instance(org, settings=plugin.demo.settings if plugin.demo else None)
    assert not org.memberships.filter(role=Role.CASE_OFFICER).exists()
    cast = plugin.demo_seed(vote.instance, random.Random(7))
    assert cast == Ballot.objects.count() > 0
    assert Referendum.objects.get(method_instance=vote.instance).status == Status.OPEN


def test_the_lillevik_demo_has_the_closed_referendum_in_nynorsk() -> None:
    from medvirk.demo.loader import load_demo
    from medvirk.processes.models import Process

    assert load_demo()
    process = Process.objects.get(slug="lillevik-skule")
    instance = process.methods.get(method_key="referendum")
    referendum = Referendum.objects.get(method_instance=instance)
    assert referendum.status == Status.CLOSED
    assert referendum.question.startswith("Ønskjer du at Lillevik")
    client = Client(HTTP_ACCEPT_LANGUAGE="nn")
    page = client.get(instance.get_absolute_url())
    assert page.status_code == 200
    document = json.loads(client.get(instance.get_absolute_url() + "eksport/teljing-json/").content)
    assert chain.verify(document, head=referendum.result["head"]).ok  # type: ignore[index]
    case_page = client.get(process.get_absolute_url()).content.decode()
    assert instance.title in case_page
