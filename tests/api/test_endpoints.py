"""Each endpoint of /api/v1/: its fields, filters, paging, errors and the rate limit."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from medvirk.accountability.inbox import do_add_to_theme
from medvirk.accountability.models import FINAL_STATUSES, ResponseStatus
from medvirk.accountability.queries import published_input
from medvirk.api.schemas import AnswerStatus, ChannelValue, PhaseKindValue, PublicStatus
from medvirk.contributions.models import Channel, ModerationState
from medvirk.organisations.models import Municipality
from medvirk.processes.exports import open_data_for
from medvirk.processes.models import PhaseKind, ProcessStatus
from tests import factories
from tests.api.conftest import API, ApiWorld, _offline, walk

pytestmark = pytest.mark.django_db


def get(client: Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body: dict[str, Any] = response.json()
    return body


def ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


# -- municipalities -------------------------------------------------------------------------


def test_municipalities_list_every_one_with_its_numbers(world: ApiWorld, api: Client) -> None:
    page = get(api, "/municipalities")
    assert page["count"] == Municipality.objects.count() == 2
    first = page["items"][0]
    assert first == {
        "id": world.org.pk,
        "name": world.org.name,
        "slug": world.org.slug,
        "kommunenummer": world.org.kommunenummer,
        "is_county": False,
        "malform": "nn",
    }
    assert ids(get(api, "/municipalities", is_county="true")) == [world.county.pk]
    assert ids(get(api, "/municipalities", is_county="false")) == [world.org.pk]


# -- processes ------------------------------------------------------------------------------


def test_processes_are_the_public_cases_with_absolute_addresses(
    world: ApiWorld, api: Client
) -> None:
    page = get(api, "/processes")
    assert ids(page) == [world.process.pk, world.other_process.pk]
    item = page["items"][0]
    assert set(item) == {
        "id",
        "municipality",
        "slug",
        "title",
        "summary",
        "status",
        "open_to_influence",
        "already_decided",
        "decided_by",
        "decision_expected",
        "url",
        "created",
        "updated",
    }
    assert item["municipality"] == {
        "id": world.org.pk,
        "slug": world.org.slug,
        "name": world.org.name,
    }
    assert item["status"] == ProcessStatus.DECIDED
    assert item["url"] == f"http://testserver{world.process.get_absolute_url()}"
    assert item["open_to_influence"] == world.process.open_to_influence


def test_processes_filter_by_municipality_status_and_change(world: ApiWorld, api: Client) -> None:
    assert ids(get(api, "/processes", municipality=world.county.slug)) == [world.other_process.pk]
    assert ids(get(api, "/processes", municipality="finst-ikkje")) == []
    assert ids(get(api, "/processes", status="closed")) == [world.other_process.pk]
    assert ids(get(api, "/processes", status="published")) == []
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert ids(get(api, "/processes", updated_since=future)) == []
    # Without a zone the moment is Norwegian time.
    assert len(ids(get(api, "/processes", updated_since="2000-01-01T00:00:00"))) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"status": "draft"},
        {"status": "nonsense"},
        {"municipality": "no spaces"},
        {"municipality": "x" * 51},
        {"updated_since": "not a date"},
        {"updated_since": "9999-12-31T23:59:59-05:00"},
        {"updated_since": "2720-02-06T13:52:22.317449+18:54"},  # no such zone; PG refuses it
        {"updated_since": "1700000000"},
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "ten"},
        {"offset": "-1"},
        {"offset": str(10**10)},
    ],
)
def test_bad_parameters_are_refused_with_the_errors(
    world: ApiWorld, api: Client, params: dict[str, str]
) -> None:
    response = api.get(f"{API}/processes", params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail and all(error["loc"][0] == "query" for error in detail)


def test_one_process_with_its_phases_and_published_methods(world: ApiWorld, api: Client) -> None:
    item = get(api, f"/processes/{world.process.pk}")
    assert item["title"] == "Lillevik skule"
    assert [p["id"] for p in item["phases"]] == list(
        world.process.phases.order_by("pk").values_list("pk", flat=True)
    )
    assert item["phases"][0]["kind"] == PhaseKind.INVESTIGATION
    assert [m["id"] for m in item["methods"]] == [world.method.pk, world.mapped.pk]
    base = f"http://testserver/{world.process.municipality.slug}/{world.process.slug}/"
    assert item["open_data"] == base + "opne-data/"
    assert item["who_took_part"] == base + "kven-deltok/"
    assert item["participation_report"] == base + "medverknadsrapport.pdf"


@pytest.mark.parametrize("which", ["draft", "missing", "huge"])
def test_a_draft_or_unknown_process_is_not_found(world: ApiWorld, api: Client, which: str) -> None:
    pk = {"draft": world.draft.pk, "missing": 999_999, "huge": 2**63 - 1}[which]
    response = api.get(f"{API}/processes/{pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("pk", ["0", "abc", str(2**63), "-3"])
def test_a_bad_process_id_is_refused(world: ApiWorld, api: Client, pk: str) -> None:
    response = api.get(f"{API}/processes/{pk}")
    assert response.status_code in {404, 422}
    assert "detail" in response.json()


# -- phases and methods ---------------------------------------------------------------------


def test_phases_of_public_cases(world: ApiWorld, api: Client) -> None:
    all_ids = ids(get(api, "/phases"))
    assert set(all_ids) == set(world.process.phases.values_list("pk", flat=True)) | set(
        world.other_process.phases.values_list("pk", flat=True)
    )
    assert ids(get(api, "/phases", process=world.draft.pk)) == []
    only = get(api, "/phases", process=world.other_process.pk)
    assert [p["process"] for p in only["items"]] == [world.other_process.pk]


def test_methods_carry_the_open_data_files_of_the_open_data_page(
    world: ApiWorld, api: Client
) -> None:
    page = get(api, "/methods")
    assert ids(page) == [world.method.pk, world.mapped.pk]
    mapped = page["items"][1]
    assert mapped["method_key"] == "map_input"
    assert mapped["phase"] == world.mapped.phase_id
    assert mapped["state"] == "closed"  # the case is decided
    assert mapped["url"] == f"http://testserver{world.mapped.get_absolute_url()}"
    expected = [f"http://testserver{row.url}" for row in open_data_for(world.process)]
    served = [e["url"] for m in page["items"] for e in m["exports"]]
    assert served == expected and len(served) >= 2
    assert all(e["url"].endswith(f"eksport/{e['key']}/") for e in mapped["exports"])
    assert ids(get(api, "/methods", method_key="map_input")) == [world.mapped.pk]
    assert ids(get(api, "/methods", process=world.other_process.pk)) == []


# -- contributions --------------------------------------------------------------------------


def test_contributions_are_the_public_input_list_without_hidden_input(
    world: ApiWorld, api: Client
) -> None:
    served = [item["id"] for item in walk(api, "/contributions")]
    assert served == sorted(served)
    # The case's public input list, less what a moderator hid (only the reason is public)
    # and input to a method that is not published.
    expected = [
        c.pk
        for c in published_input(world.process)
        if c.moderation == ModerationState.PUBLISHED
        and (c.method_instance is None or c.method_instance.is_published)
    ]
    assert sorted(expected) == served == [c.pk for c in world.public]


def test_a_contribution_shows_its_text_themes_and_final_answer(
    world: ApiWorld, api: Client
) -> None:
    assert world.answered is not None and world.acknowledged is not None
    items = {item["id"]: item for item in walk(api, "/contributions")}
    answered = items[world.answered.pk]
    assert set(answered) == {
        "id",
        "process",
        "method",
        "kind",
        "text",
        "channel",
        "created",
        "themes",
        "answer",
    }
    assert answered["text"] == world.answered.text
    assert answered["channel"] == Channel.WEB
    assert answered["created"] == timezone.localdate(world.answered.created_at).isoformat()
    assert answered["themes"] == [{"id": world.theme.pk, "name": "Skulebygg"}]  # type: ignore[union-attr]
    assert answered["answer"] == {
        "status": "adopted",
        "text": "Vi byggjer ein ny fløy.",
        "date": timezone.localdate().isoformat(),
    }
    # "Under review" is an acknowledgement, not the answer: not served.
    assert items[world.acknowledged.pk]["answer"] is None
    assert items[world.acknowledged.pk]["themes"] == []  # a duplicate group is staff's tool
    letter = items[world.public[-1].pk]
    assert letter["method"] is None and letter["channel"] == "letter"


def test_contributions_filter_by_case_method_theme_and_day(world: ApiWorld, api: Client) -> None:
    assert world.theme is not None and world.answered is not None
    everything = [c.pk for c in world.public]
    assert ids(get(api, "/contributions", process=world.process.pk)) == everything
    assert ids(get(api, "/contributions", process=world.draft.pk)) == []
    assert ids(get(api, "/contributions", municipality=world.org.slug)) == everything
    assert ids(get(api, "/contributions", municipality=world.county.slug)) == []
    assert ids(get(api, "/contributions", method=world.method.pk)) == everything[:-1]
    assert ids(get(api, "/contributions", method=world.unpublished.pk)) == []
    assert ids(get(api, "/contributions", theme=world.theme.pk)) == [world.answered.pk]
    today = timezone.localdate()
    assert ids(get(api, "/contributions", since=today.isoformat())) == everything
    tomorrow = today + dt.timedelta(days=1)
    assert ids(get(api, "/contributions", since=tomorrow.isoformat())) == []
    for bad in ["0.5", "2026-02-30", "i går"]:
        assert api.get(f"{API}/contributions", {"since": bad}).status_code == 422


# -- decisions ------------------------------------------------------------------------------


def test_decisions_of_public_cases_with_the_input_they_answer(world: ApiWorld, api: Client) -> None:
    assert world.decision is not None and world.answered is not None
    page = get(api, "/decisions")
    assert ids(page) == [world.decision.pk]
    item = page["items"][0]
    assert item == {
        "id": world.decision.pk,
        "process": world.process.pk,
        "body": "Kommunestyret",
        "text": "Kommunestyret vedtok å byggje ny skule.",
        "pending": False,
        "date": world.decision.date.isoformat(),  # type: ignore[union-attr]
        "case_number": "",
        "meeting_record_url": "",
        # Linked are the answered and the acknowledged input; only the answer is public.
        "contributions": [world.answered.pk],
    }
    assert ids(get(api, "/decisions", process=world.draft.pk)) == []
    assert ids(get(api, "/decisions", process=world.other_process.pk)) == []


# -- paging ---------------------------------------------------------------------------------


def test_pages_are_stable_and_complete(world: ApiWorld, api: Client) -> None:
    seen: list[int] = []
    for offset in range(10):
        page = get(api, "/contributions", limit=1, offset=offset)
        assert page["count"] == len(world.public) and page["limit"] == 1
        seen += ids(page)
    assert seen == sorted(c.pk for c in world.public)
    assert get(api, "/contributions", offset=1000)["items"] == []
    assert get(api, "/contributions")["limit"] == 25


def test_lists_keep_a_fixed_number_of_queries(
    world: ApiWorld, api: Client, django_assert_max_num_queries: Any
) -> None:
    admin = factories.administrator(world.org)
    extra = [_offline(admin, world.process, world.method, f"Brev {n}") for n in range(20)]
    do_add_to_theme(admin, world.process, [c.pk for c in extra], new_name="Brev")
    for c in extra:
        factories.response(c, ResponseStatus.NOT_ADOPTED, "Grunngiving.")
    for path in ["/contributions", "/decisions", "/processes", "/phases", "/municipalities"]:
        with django_assert_max_num_queries(6):
            get(api, path, limit=100)


# -- the rate limit -------------------------------------------------------------------------


def test_over_the_limit_a_client_gets_429_with_when_to_come_back(
    world: ApiWorld, api: Client, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "api": "3/m"}
    for _ in range(3):
        assert api.get(f"{API}/municipalities").status_code == 200
    refused = api.get(f"{API}/processes", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json() == {
        "detail": "Too many attempts from your connection in a short time. "
        "Wait a few minutes and try again."
    }
    # Another address has its own count.
    assert api.get(f"{API}/processes", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_limit_must_be_configured(world: ApiWorld, api: Client, settings: Any) -> None:
    settings.MEDVIRK_RATE_LIMITS = {
        k: v for k, v in settings.MEDVIRK_RATE_LIMITS.items() if k != "api"
    }
    with pytest.raises(ImproperlyConfigured, match="api"):
        api.get(f"{API}/processes")


# -- the documented values agree with the models ---------------------------------------------


def test_documented_choices_are_the_models_choices() -> None:
    assert set(get_args(PublicStatus)) == set(ProcessStatus.values) - {ProcessStatus.DRAFT}
    assert set(get_args(PhaseKindValue)) == set(PhaseKind.values)
    assert set(get_args(ChannelValue)) == set(Channel.values)
    assert set(get_args(AnswerStatus)) == {str(s) for s in FINAL_STATUSES}
