"""The case's own open data (input with answers; who took part) holds what the public pages
hold and nothing more: no held, pending, rejected, hidden or unpublished text, no draft
answer, no name or e-mail address, no count of people under 5."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from medvirk.processes.models import ProcessStatus
from tests.api.conftest import SECRET, ApiWorld

pytestmark = pytest.mark.django_db


def _base(world: ApiWorld) -> str:
    return f"/{world.process.municipality.slug}/{world.process.slug}"


def _csv(response: object) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(body)))


def test_input_and_answers_as_csv_and_json_hold_only_public_input(
    world: ApiWorld, client: Client
) -> None:
    csv_response = client.get(f"{_base(world)}/opne-data/innspel.csv")
    json_response = client.get(f"{_base(world)}/opne-data/innspel.json")
    assert csv_response.status_code == json_response.status_code == 200
    rows = _csv(csv_response)
    body = json_response.json()
    assert body["licence"] == "NLOD 2.0"
    for text in (json.dumps(body, ensure_ascii=False), json.dumps(rows, ensure_ascii=False)):
        assert SECRET not in text and SECRET.lower() not in text
        assert "@example.org" not in text
    public = {c.pk for c in world.public}
    items = {item["id"]: item for item in body["items"]}
    shown = {int(row["id"]) for row in rows}
    for item in world.private:
        item.refresh_from_db()
    hidden = [c for c in world.private if c.moderation == "hidden"]
    assert len(hidden) == 1
    assert shown == set(items) == public | {c.pk for c in hidden}
    assert items[hidden[0].pk]["text"] == ""
    assert items[hidden[0].pk]["hidden_reason"] == "Namn på ein person"
    assert world.answered is not None and world.acknowledged is not None
    answered = items[world.answered.pk]
    assert (answered["answer_status"], answered["answer"]) == ("adopted", "Vi byggjer ein ny fløy.")
    assert answered["themes"] == ["Skulebygg"]  # a duplicate group is not a theme
    assert items[world.acknowledged.pk]["answer"] == ""  # not final: no draft text
    assert items[world.acknowledged.pk]["answer_status"] == ""


def test_who_took_part_as_csv_and_json_hides_every_count_under_five(
    world: ApiWorld, client: Client
) -> None:
    rows = _csv(client.get(f"{_base(world)}/kven-deltok.csv"))
    assert rows and {row["table"] for row in rows} >= {"age", "sex", "method", "channel"}
    for row in rows:
        assert row["count"] == "" or int(row["count"]) >= 5, row
    body = client.get(f"{_base(world)}/kven-deltok.json").json()
    assert body["licence"] == "NLOD 2.0"
    for record in body["groups"] + body["themes"]:
        assert record["count"] is None or record["count"] >= 5, record


@pytest.mark.parametrize(
    "tail",
    ["opne-data/innspel.csv", "opne-data/innspel.json", "kven-deltok.csv", "kven-deltok.json"],
)
def test_a_draft_case_has_no_open_data(world: ApiWorld, client: Client, tail: str) -> None:
    assert world.draft.status == ProcessStatus.DRAFT
    url = f"/{world.draft.municipality.slug}/{world.draft.slug}/{tail}"
    assert client.get(url).status_code == 404


def test_the_open_data_page_links_the_case_files(world: ApiWorld, client: Client) -> None:
    page = client.get(f"{_base(world)}/opne-data/").content.decode()
    for tail in (
        "opne-data/innspel.csv",
        "opne-data/innspel.json",
        "kven-deltok.csv",
        "kven-deltok.json",
    ):
        assert f"{_base(world)}/{tail}" in page
    # The council report is listed once the municipality has published it.
    assert "medverknadsrapport.pdf" not in page
