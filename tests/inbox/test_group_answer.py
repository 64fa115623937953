"""One answer for a whole group: written, previewed beside each input, then sent to exactly
the inputs and answer versions the preview showed; anything changed meanwhile sends nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from medvirk.accountability.actions import do_respond
from medvirk.accountability.inbox import do_add_to_theme, do_save_answer_template
from medvirk.accountability.models import Response, ResponseStatus
from medvirk.contributions.models import Contribution, Theme
from medvirk.organisations.models import Role
from tests import factories
from tests.inbox.helpers import group, group_url

pytestmark = pytest.mark.django_db

REASON = "Vi lagar gangfelt og fortau langs skulevegen i 2027."


def duplicates(w: factories.World) -> tuple[Theme, list[Contribution]]:
    items = [
        factories.contribution(
            w.method, text=f"Skulevegen er farleg ({i})", contact_email=f"p{i}@example.org"
        )
        for i in range(3)
    ]
    return group(w, "Farleg skuleveg", *items), items


def hidden(html: str) -> dict[str, Any]:
    """The preview's hidden fields, as the browser would send them back."""
    fields: dict[str, Any] = {"ids": re.findall(r'name="ids" value="(\d+)"', html)}
    for name, value in re.findall(r'name="(version-\d+|status|reason|form)" value="([^"]*)"', html):
        fields[name] = value
    return fields


def preview(client: Client, w: factories.World, g: Theme, **data: str) -> Any:
    body = {"form": "answer", "then": "preview", "status": "adopted", "reason": REASON} | data
    return client.post(group_url(w, g), body)


def test_the_group_page_lists_each_input_in_full(w: factories.World, officer: Client) -> None:
    g, items = duplicates(w)
    res = officer.get(group_url(w, g))
    assert res.status_code == 200
    html = res.content.decode()
    for c in items:
        assert c.text in html
        assert f"Take input {c.pk} out of the group" in html
    assert "Preview" in html
    assert "Send to" not in html  # nothing can be sent before a preview


def test_preview_shows_the_answer_beside_each_input_and_what_it_replaces(
    w: factories.World, officer: Client
) -> None:
    g, items = duplicates(w)
    do_respond(w.officer, w.process, [items[1].pk], ResponseStatus.NOT_ADOPTED, "Nei, ikkje no.")
    res = preview(officer, w, g)
    assert res.status_code == 200
    html = res.content.decode()
    for c in items:  # the answer beside each input, in the input's own block
        block = html.split(f'id="input-{c.pk}"', 1)[1].split("</li>", 1)[0]
        assert c.text in block and REASON in block
    assert "Send to 3 inputs" in html
    assert "1 input already has an answer that this one would replace" in html
    assert html.count("Replaces the answer it has") == 1
    assert Response.objects.filter(reason=REASON).count() == 0  # a preview sends nothing
    fields = hidden(html)
    assert sorted(int(i) for i in fields["ids"]) == sorted(c.pk for c in items)
    assert fields[f"version-{items[1].pk}"] == "1"
    assert fields[f"version-{items[0].pk}"] == "0"


def test_sending_answers_every_input_once_and_tells_the_authors(
    w: factories.World, officer: Client, django_capture_on_commit_callbacks: Any
) -> None:
    g, items = duplicates(w)
    fields = hidden(preview(officer, w, g).content.decode())
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        res = officer.post(group_url(w, g), fields | {"then": "send"})
    assert res.status_code == 302
    answers = Response.objects.filter(contribution__in=items)
    assert {(r.status, r.reason) for r in answers} == {("adopted", REASON)}
    assert answers.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    actions = [row.action for row in factories.audited_since(mark)]
    assert actions.count("response.set") == 3 and actions[-1] == "theme.answered"
    page = officer.get(res["Location"]).content.decode()
    assert "The answer was sent to 3 inputs" in page


def test_an_answer_saved_after_the_preview_is_a_conflict_and_nothing_is_sent(
    w: factories.World, officer: Client
) -> None:
    g, items = duplicates(w)
    fields = hidden(preview(officer, w, g).content.decode())
    colleague = factories.staff(w.org, Role.CASE_OFFICER)
    do_respond(
        colleague, w.process, [items[0].pk], ResponseStatus.PARTLY_ADOPTED, "Delvis, sjå plan."
    )
    res = officer.post(group_url(w, g), fields | {"then": "send"})
    assert res.status_code == 409
    html = res.content.decode()
    assert "Your answer was not sent" in html
    assert "Delvis, sjå plan." in html  # what was saved meanwhile
    assert REASON in html  # the officer's text, kept in a fresh preview
    assert Response.objects.filter(reason=REASON).count() == 0
    # The fresh preview carries the version now saved: sending again is a deliberate choice.
    again = hidden(html)
    assert again[f"version-{items[0].pk}"] == "1"
    assert officer.post(group_url(w, g), again | {"then": "send"}).status_code == 302
    assert Response.objects.filter(reason=REASON).count() == 3


def test_input_added_after_the_preview_sends_nothing(w: factories.World, officer: Client) -> None:
    g, _items = duplicates(w)
    fields = hidden(preview(officer, w, g).content.decode())
    late = factories.contribution(w.method, text="Eit nytt om skulevegen")
    do_add_to_theme(w.officer, w.process, [late.pk], theme=g)
    res = officer.post(group_url(w, g), fields | {"then": "send"})
    assert res.status_code == 409
    html = res.content.decode()
    assert "The group changed after your preview" in html
    assert "Send to 4 inputs" in html and late.text in html
    assert Response.objects.count() == 0


def test_an_input_taken_out_on_the_page_is_not_answered(
    w: factories.World, officer: Client
) -> None:
    g, items = duplicates(w)
    res = officer.post(group_url(w, g), {"form": "remove", "id": items[0].pk})
    assert res.status_code == 302
    assert items[0].pk not in g.contributions.values_list("pk", flat=True)
    fields = hidden(preview(officer, w, g).content.decode())
    assert officer.post(group_url(w, g), fields | {"then": "send"}).status_code == 302
    assert not Response.objects.filter(contribution=items[0]).exists()
    assert Response.objects.filter(reason=REASON).count() == 2


def test_an_answer_template_prefills_the_group_answer(w: factories.World, officer: Client) -> None:
    g, _items = duplicates(w)
    template = do_save_answer_template(
        w.admin, w.org, title="Skuleveg", status="partly_adopted", text="Delvis: vi lagar fortau."
    )
    res = officer.post(
        group_url(w, g), {"form": "answer", "then": "template", "template": template.pk}
    )
    assert res.status_code == 200
    assert res.context["form"]["status"].value() == "partly_adopted"
    assert res.context["form"]["reason"].value() == "Delvis: vi lagar fortau."
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "adopted", "reason": ""}, "Give a reason"),
        ({"status": "received", "reason": "Takk"}, "Select a valid choice"),
        ({"status": "nonsense", "reason": "x"}, "Select a valid choice"),
        ({"reason": "x" * 6000}, "at most 5000 characters"),
    ],
)
def test_bad_answers_are_refused_with_400(
    w: factories.World, officer: Client, data: dict[str, str], message: str
) -> None:
    g, _items = duplicates(w)
    res = preview(officer, w, g, **data)
    assert res.status_code == 400
    assert message in res.content.decode()
    assert "Send to" not in res.content.decode()


def test_sending_without_a_preview_of_these_inputs_sends_nothing(
    w: factories.World, officer: Client
) -> None:
    g, items = duplicates(w)
    res = officer.post(
        group_url(w, g),
        {
            "form": "answer",
            "then": "send",
            "status": "adopted",
            "reason": REASON,
            "ids": [items[0].pk],
        },
    )
    assert res.status_code == 409
    assert Response.objects.count() == 0


def test_another_case_or_municipality_gets_404(w: factories.World, officer: Client) -> None:
    g, _items = duplicates(w)
    other = factories.process(w.org)
    theirs = factories.contribution(factories.method(other, factories.phase(other)))
    elsewhere = do_add_to_theme(w.officer, other, [theirs.pk], new_name="Der")
    # A group of another case under this case's address is not found.
    url = f"/stab/sak/{w.process.pk}/innspel/gruppe/{elsewhere.pk}/"
    assert officer.get(url).status_code == 404
    stranger = Client()
    stranger.force_login(w.other_officer)
    assert stranger.get(group_url(w, g)).status_code == 404
    moderator = Client()
    moderator.force_login(w.moderator)
    assert moderator.post(group_url(w, g), {"form": "remove", "id": "1"}).status_code == 404


def test_an_empty_group_can_be_deleted(w: factories.World, officer: Client) -> None:
    g, items = duplicates(w)
    refused = officer.post(group_url(w, g), {"form": "delete"})
    assert refused.status_code == 400
    for c in items:
        officer.post(group_url(w, g), {"form": "remove", "id": c.pk})
    assert officer.post(group_url(w, g), {"form": "delete"}).status_code == 302
    assert not Theme.objects.filter(pk=g.pk).exists()
