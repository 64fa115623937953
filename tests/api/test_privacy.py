"""Nothing unpublished, held, private or personal ever leaves the API, on any page.

The world (conftest.py) holds, beside the public objects: held, pending, rejected and hidden
input, a survey-style answer of ticks only, input to a method that is no longer published,
a draft case with its method, input and decision, an acknowledgement ("under review") with
a draft text, a duplicate group, and authors who showed their name and gave e-mail
addresses. Everything private carries the word SECRET.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from medvirk.processes.actions import do_set_status
from medvirk.processes.models import ProcessStatus
from tests import factories
from tests.api.conftest import API, SECRET, ApiWorld, walk

pytestmark = pytest.mark.django_db

LISTS = ["/municipalities", "/processes", "/phases", "/methods", "/contributions", "/decisions"]
# Keys that would name a person or say how to reach one.
PERSONAL_KEYS = {
    "author",
    "author_name",
    "public_author",
    "email",
    "contact_email",
    "user",
    "user_id",
    "registered_by",
    "responded_by",
    "national_id",
    "ip",
    "birth_year",
    "given_at_place",
    "data",
    "held_reason",
    "hidden_reason",
    "receipt_nonce",
}


def everything(client: Client, world: ApiWorld) -> list[tuple[str, Any]]:
    """Every list walked page by page, with each filter aimed at private objects, and every
    case's own page."""
    served: list[tuple[str, Any]] = []
    for path in LISTS:
        served += [(path, item) for item in walk(client, path)]
    for case in [world.process, world.other_process, world.draft]:
        for path in ["/phases", "/methods", "/contributions", "/decisions"]:
            served += [(path, item) for item in walk(client, path, process=case.pk)]
    served += [
        ("/contributions", i) for i in walk(client, "/contributions", method=world.unpublished.pk)
    ]
    served += [("/methods", i) for i in walk(client, "/methods", method_key="discussion")]
    for item in list(walk(client, "/processes")):
        response = client.get(f"{API}/processes/{item['id']}")
        assert response.status_code == 200
        served.append(("/processes/{id}", response.json()))
    return served


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_nothing_private_on_any_page(world: ApiWorld, api: Client) -> None:
    served = everything(api, world)
    dump = json.dumps(served, ensure_ascii=False)
    assert SECRET not in dump and SECRET.lower() not in dump
    assert "@" not in dump  # no e-mail address of any kind
    assert "Kari" not in dump and "Nordmann" not in dump
    assert not keys([item for _, item in served]) & PERSONAL_KEYS


def test_private_ids_never_appear(world: ApiWorld, api: Client) -> None:
    served = everything(api, world)
    contribution_ids = {i["id"] for p, i in served if p == "/contributions"}
    assert contribution_ids == {c.pk for c in world.public}
    assert not contribution_ids & {c.pk for c in world.private}
    process_ids = {i["id"] for p, i in served if p.startswith("/processes")}
    assert world.draft.pk not in process_ids
    assert {i["process"] for p, i in served if "process" in i and p != "/processes"} <= {
        world.process.pk,
        world.other_process.pk,
    }
    method_ids = {i["id"] for p, i in served if p == "/methods"} | {
        m["id"] for p, i in served if p == "/processes/{id}" for m in i["methods"]
    }
    assert world.unpublished.pk not in method_ids
    decision_ids = {i["id"] for p, i in served if p == "/decisions"}
    assert world.draft_decision is not None and world.draft_decision.pk not in decision_ids
    linked = {c for p, i in served if p == "/decisions" for c in i["contributions"]}
    assert world.acknowledged is not None and world.acknowledged.pk not in linked


@pytest.mark.parametrize("kind", ["draft", "unpublished"])
def test_private_objects_are_not_found_by_id(world: ApiWorld, api: Client, kind: str) -> None:
    if kind == "draft":
        assert api.get(f"{API}/processes/{world.draft.pk}").status_code == 404
    else:
        page = api.get(f"{API}/methods", {"process": world.process.pk}).json()
        assert world.unpublished.pk not in [m["id"] for m in page["items"]]


def test_a_private_case_made_public_shows_only_its_public_input(
    world: ApiWorld, api: Client
) -> None:
    """Publishing the draft shows its published input, never its held or hidden input."""
    do_set_status(factories.administrator(world.org), world.draft, ProcessStatus.PUBLISHED)
    served = [i["text"] for i in walk(api, "/contributions", process=world.draft.pk)]
    assert served == [f"{SECRET} i utkast"]
    held = [c for c in world.private if "kari@example.org" in c.text or "skjult" in c.text]
    assert held and not {c.text for c in held} & set(served)
