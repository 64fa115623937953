"""The Lillevik demo's pupils' budget: ideas reviewed, 320 pupils voted with codes and the
knapsack ballot, the vote closed and counted with equal shares, a funded project followed
up; the result is on the public pages and counts the same again."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.demo.loader import load_demo
from medvirk.methods.budgeting import counting
from medvirk.methods.budgeting.models import Ballot, Election, Project, ProjectUpdate, Tally
from medvirk.processes.models import MethodInstance

from .conftest import EN

pytestmark = pytest.mark.django_db


def test_the_demo_budget_is_counted_and_shown() -> None:
    load_demo()
    instance = MethodInstance.objects.get(method_key="budgeting")
    assert instance.title == "Elevbudsjett for skuleplassen"
    assert instance.settings["voters"] == "codes" and instance.settings["budget"] == 200_000
    assert Project.objects.filter(method_instance=instance, status="accepted").count() == 8
    assert Project.objects.filter(method_instance=instance, status="merged").count() == 1
    assert Project.objects.filter(method_instance=instance, status="rejected").count() == 1
    assert Ballot.objects.filter(method_instance=instance).count() == 320
    election = Election.objects.get(method_instance=instance)
    assert election.closed_at is not None and election.counted_at is not None
    tally = Tally.objects.get(method_instance=instance)
    assert tally.ballots == 320 and tally.rule == "equal-shares"
    assert 0 < tally.result["cost"] <= 200_000
    assert ProjectUpdate.objects.filter(project__method_instance=instance).exists()
    assert counting.verify(instance) == []
    client = Client(**EN)
    page = client.get(instance.get_absolute_url())
    assert page.status_code == 200 and 'id="results-link"' in page.content.decode()
    results = client.get(instance.get_absolute_url() + "resultat/")
    assert results.status_code == 200
    assert "Klatrevegg ved gymsalen" in results.content.decode()
    case = client.get(instance.process.get_absolute_url()).content.decode()
    assert "Counted:" in case and "Funded:" in case
