"""Bulk actions on ticked input: sort into themes and duplicate groups, assign. Never an
answer. A failure changes nothing, keeps the same boxes ticked and the filters, and says why.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from medvirk.accountability.models import Response
from medvirk.contributions.models import Contribution, Theme
from medvirk.core.models import AuditEntry
from tests import factories
from tests.inbox.helpers import group, inbox_url

pytestmark = pytest.mark.django_db

FILTER = "vis=all&kanal=web"


def ticked_on(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="ids" value="(\d+)" id="pick-\d+" checked', html)}


def three(w: factories.World) -> list[Contribution]:
    return [factories.contribution(w.method, text=f"Trygg skuleveg {i}") for i in range(3)]


def post(client: Client, w: factories.World, data: dict[str, Any], query: str = FILTER) -> Any:
    return client.post(inbox_url(w, query), data)


def test_ticked_input_goes_into_a_new_duplicate_group(w: factories.World, officer: Client) -> None:
    items = three(w)
    mark = factories.audit_mark()
    res = post(
        officer,
        w,
        {
            "action": "add",
            "ids": [items[0].pk, items[2].pk],
            "new_name": "Skuleveg",
            "kind": "duplicates",
        },
    )
    assert res.status_code == 302
    assert res["Location"] == inbox_url(w, FILTER)  # back to the same filtered list
    g = Theme.objects.get(process=w.process)
    assert (g.name, g.kind) == ("Skuleveg", "duplicates")
    assert set(g.contributions.values_list("pk", flat=True)) == {items[0].pk, items[2].pk}
    actions = list(factories.audited_since(mark).values_list("action", flat=True))
    assert actions == ["theme.created", "theme.inputs_added"]
    assert Response.objects.count() == 0  # sorting never answers


def test_a_new_name_that_exists_reuses_the_group(w: factories.World, officer: Client) -> None:
    items = three(w)
    g = group(w, "Skuleveg", items[0])
    res = post(
        officer,
        w,
        {"action": "add", "ids": [items[1].pk], "new_name": " skuleveg ", "kind": "duplicates"},
    )
    assert res.status_code == 302
    assert Theme.objects.count() == 1
    assert g.contributions.count() == 2


def test_existing_theme_remove_assign_and_unassign(w: factories.World, officer: Client) -> None:
    items = three(w)
    g = group(w, "Kostnad", items[0], kind="theme")
    ids = [c.pk for c in items]
    assert post(officer, w, {"action": "add", "ids": ids, "theme": g.pk}).status_code == 302
    assert g.contributions.count() == 3
    assert post(officer, w, {"action": "remove", "ids": ids[:2], "theme": g.pk}).status_code == 302
    assert list(g.contributions.values_list("pk", flat=True)) == [ids[2]]

    mark = factories.audit_mark()
    res = post(officer, w, {"action": "assign", "ids": ids, "assignee": w.officer.pk})
    assert res.status_code == 302
    assert set(Contribution.objects.values_list("assigned_to", flat=True)) == {w.officer.pk}
    [row] = factories.audited_since(mark)
    assert (row.action, row.data["assigned_to"]) == ("contribution.assigned", w.officer.pk)
    assert post(officer, w, {"action": "unassign", "ids": ids[:1]}).status_code == 302
    assert Contribution.objects.get(pk=ids[0]).assigned_to is None


@pytest.mark.parametrize(
    ("case", "status", "message"),
    [
        ("nothing ticked", 400, "Tick at least one input first."),
        ("no action", 400, "Choose what to do with the ticked input."),
        ("no theme", 400, "Choose a theme or group, or give a new one a name."),
        ("stale id", 400, "no longer in this case"),
        ("another case's input", 400, "no longer in this case"),
        ("not a number", 400, "The ticked input was not understood."),
        ("assignee without the role", 400, "Select a valid choice"),
        ("name of a theme of another kind", 400, "already exists as a theme"),
        ("remove from a group it is not in", 400, "None of the ticked input is in"),
    ],
)
def test_a_failed_bulk_action_changes_nothing_and_keeps_the_ticks(
    w: factories.World, officer: Client, case: str, status: int, message: str
) -> None:
    items = three(w)
    kept = [items[0].pk, items[1].pk]
    other = factories.process(w.org)
    foreign = factories.contribution(factories.method(other, factories.phase(other)))
    theme = group(w, "Kostnad", items[2], kind="theme")
    data: dict[str, Any] = {
        "nothing ticked": {"action": "add", "new_name": "Ny"},
        "no action": {"ids": kept, "new_name": "Ny"},
        "no theme": {"action": "add", "ids": kept},
        "stale id": {"action": "add", "ids": [*kept, 999999], "new_name": "Ny"},
        "another case's input": {"action": "add", "ids": [*kept, foreign.pk], "new_name": "Ny"},
        "not a number": {"action": "add", "ids": [*kept, "1; drop"], "new_name": "Ny"},
        "assignee without the role": {"action": "assign", "ids": kept, "assignee": w.moderator.pk},
        "name of a theme of another kind": {
            "action": "add",
            "ids": kept,
            "new_name": "Kostnad",
            "kind": "duplicates",
        },
        "remove from a group it is not in": {"action": "remove", "ids": kept, "theme": theme.pk},
    }[case]
    before = (
        Theme.objects.count(),
        sorted(theme.contributions.values_list("pk", flat=True)),
        AuditEntry.objects.count(),
    )
    res = post(officer, w, data)
    assert res.status_code == status
    html = res.content.decode()
    assert message in html
    assert "Nothing was changed" in html
    if data.get("ids"):
        assert ticked_on(html) == set(kept)
    # The filters are kept: the list and the form's action are the same filtered list.
    assert res.context["chosen_filter"].kanal == "web"
    assert 'action="/stab/sak/' in html and "?vis=all&amp;kanal=web" in html
    after = (
        Theme.objects.count(),
        sorted(theme.contributions.values_list("pk", flat=True)),
        AuditEntry.objects.count(),
    )
    assert after == before
    assert not Contribution.objects.filter(assigned_to__isnull=False).exists()


def test_answering_is_not_a_bulk_action(w: factories.World, officer: Client) -> None:
    items = three(w)
    res = post(
        officer,
        w,
        {"action": "answer", "ids": [c.pk for c in items], "status": "adopted", "reason": "Ja."},
    )
    assert res.status_code == 400
    assert Response.objects.count() == 0
    page = officer.get(inbox_url(w)).content.decode()
    assert "whole list" not in page
    assert 'name="reason"' not in page


def test_another_municipality_cannot_act_on_the_list(w: factories.World) -> None:
    items = three(w)
    client = Client()
    client.force_login(w.other_officer)
    res = client.post(inbox_url(w), {"action": "add", "ids": [items[0].pk], "new_name": "X"})
    assert res.status_code == 404
    assert Theme.objects.count() == 0
