"""What the staff inbox lists: answered, not answered, held for moderation, all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.accountability import queries
from medvirk.accountability.models import Response, ResponseStatus
from medvirk.contributions.actions import do_moderate
from medvirk.contributions.models import Contribution, ModerationState
from tests import factories


def fill(w: factories.World) -> dict[str, Contribution]:
    """Input in every state, plus input in another case that no list may show."""
    items = {
        "answered": factories.contribution(w.method, text="Svart"),
        "open": factories.contribution(w.method, text="Ikkje svart"),
        "held": factories.contribution(w.method, text="Halden"),
        "held_answered": factories.contribution(w.method, text="Halden og svart"),
        # Acknowledged only: "received" is no answer, so it stays in the unanswered list.
        "acknowledged": factories.contribution(w.method, text="Motteke"),
    }
    for key in ("answered", "held_answered"):
        factories.response(items[key], ResponseStatus.ADOPTED, "Vi tek det med.", by=w.officer)
    factories.response(items["acknowledged"], ResponseStatus.RECEIVED, by=w.officer)
    for key in ("held", "held_answered"):
        do_moderate(w.moderator, items[key], ModerationState.HELD, "Sjekk")
    other = factories.process(w.org)
    items["elsewhere"] = factories.contribution(factories.method(other, factories.phase(other)))
    return items


def pks(items: dict[str, Contribution], *keys: str) -> list[int]:
    """Newest first, as the inbox lists them."""
    return sorted((items[k].pk for k in keys), reverse=True)


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("unanswered", ("open", "held", "acknowledged")),
        ("answered", ("answered", "held_answered")),
        ("held", ("held", "held_answered")),
        ("all", ("answered", "open", "held", "held_answered", "acknowledged")),
        ("nonsense", ("open", "held", "acknowledged")),  # an unknown list is the default one
    ],
)
def test_each_inbox_list_selects_its_input(
    w: factories.World, show: str, expected: tuple[str, ...]
) -> None:
    items = fill(w)
    listed = [c.pk for c in queries.inbox(w.process, show)]
    assert listed == pks(items, *expected)


def test_the_inbox_page_shows_the_chosen_list(w: factories.World, client: Client) -> None:
    items = fill(w)
    client.force_login(w.officer)
    url = reverse("staff:inbox", kwargs={"pk": w.process.pk})
    res = client.get(url, {"vis": "held"})
    assert res.status_code == 200
    assert res.context["chosen_filter"].vis == "held"
    assert [c.pk for c in res.context["page"].object_list] == pks(items, "held", "held_answered")
    res = client.get(url, {"vis": "<script>"})
    assert res.context["chosen_filter"].vis == "unanswered"


def test_no_list_is_answered_as_a_whole(w: factories.World, client: Client) -> None:
    """One text for a whole list (or for ticked, unrelated input) is not offered: only a
    group, after a preview (tests/inbox/test_group_answer.py)."""
    items = fill(w)
    client.force_login(w.officer)
    before = sorted(Response.objects.values_list("pk", "version"))
    url = reverse("staff:inbox", kwargs={"pk": w.process.pk})
    res = client.post(
        f"{url}?vis=held",
        {"whole_list": "1", "ids": [items["open"].pk], "status": "under_review", "reason": ""},
    )
    assert res.status_code == 400
    assert sorted(Response.objects.values_list("pk", "version")) == before
    assert client.get(f"{url}svar/").status_code == 404  # the old address is gone
    page = client.get(url, {"vis": "all"}).content.decode()
    assert 'name="whole_list"' not in page and 'name="status"' not in page


def test_the_moderation_queue_lists_held_input_oldest_first(
    w: factories.World, client: Client
) -> None:
    items = fill(w)
    client.force_login(w.moderator)
    res = client.get(reverse("staff:moderation", kwargs={"pk": w.process.pk}), {"vis": "held"})
    assert res.status_code == 200
    assert [c.pk for c, _ in res.context["rows"]] == sorted(pks(items, "held", "held_answered"))


def test_the_dashboard_counts_input_unanswered_and_held(w: factories.World, client: Client) -> None:
    fill(w)
    client.force_login(w.officer)
    res = client.get(reverse("staff:dashboard"))
    assert res.status_code == 200
    case = next(p for p in res.context["processes"] if p.pk == w.process.pk)
    assert (case.n_contributions, case.n_unanswered, case.n_held) == (5, 3, 2)
