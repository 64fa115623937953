"""One input's page: the answer ("save" and "save and next" through the same filtered
list), answer templates, internal notes, assignment and themes."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.accountability.actions import do_respond
from medvirk.accountability.inbox import do_add_note, do_assign, do_save_answer_template
from medvirk.accountability.models import Note, Response, ResponseStatus
from medvirk.contributions.models import Channel, Contribution, Theme
from tests import factories
from tests.inbox.helpers import detail_url, group

pytestmark = pytest.mark.django_db


def answer(
    status: str = "adopted", reason: str = "Ja, vi gjer det.", **extra: str
) -> dict[str, str]:
    return {"form": "respond", "version": "0", "status": status, "reason": reason} | extra


def test_the_answer_form_offers_under_review_and_final_statuses(
    w: factories.World, officer: Client
) -> None:
    item = factories.contribution(w.method)
    res = officer.get(detail_url(item))
    offered = [value for value, _label in res.context["forms"].answer.fields["status"].choices]
    assert offered == ["under_review", "adopted", "partly_adopted", "not_adopted", "out_of_scope"]
    html = res.content.decode()
    assert "Save and next" in html and ">Save</button>" in html
    # The old moderation form is gone; a moderator-only link is not shown to the officer.
    assert 'name="state"' not in html
    assert "/moderering/" not in html


def test_save_and_next_walks_the_same_filtered_list(w: factories.World, officer: Client) -> None:
    letters = [
        factories.contribution(w.method, text=f"Brev {i}", channel=Channel.LETTER) for i in range(3)
    ]
    factories.contribution(w.method, text="Web i mellom")  # not in the list
    newest, middle, oldest = sorted(letters, key=lambda c: c.pk, reverse=True)
    query = "vis=unanswered&kanal=letter"
    res = officer.post(detail_url(newest, query), answer(then="next"))
    assert res.status_code == 302
    # The next in the list (newest first) skips the web input, and keeps the filter.
    assert res["Location"] == detail_url(middle, query)
    res = officer.post(detail_url(middle, query), answer(then="next"))
    assert res["Location"] == detail_url(oldest, query)
    res = officer.post(detail_url(oldest, query), answer(then="next"))
    # The last one: back to the list with the filter, and told so.
    assert res["Location"] == f"/stab/sak/{w.process.pk}/innspel/?{query}"
    assert "That was the last input in this list." in officer.get(res["Location"]).content.decode()
    assert Response.objects.filter(contribution__in=letters).count() == 3


def test_save_stays_on_the_input(w: factories.World, officer: Client) -> None:
    item = factories.contribution(w.method)
    factories.contribution(w.method)
    res = officer.post(detail_url(item, "vis=all"), answer(then="save"))
    assert res["Location"] == detail_url(item, "vis=all")
    assert Response.objects.get(contribution=item).status == "adopted"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (answer(reason=""), "Give a reason"),
        (answer(status="received"), "Select a valid choice"),
        (answer(reason="x" * 6000), "at most 5000 characters"),
    ],
)
def test_bad_answers_are_refused_with_400(
    w: factories.World, officer: Client, data: dict[str, str], message: str
) -> None:
    item = factories.contribution(w.method)
    res = officer.post(detail_url(item), data | {"then": "next"})
    assert res.status_code == 400
    assert message in res.content.decode()
    assert not Response.objects.exists()


def test_under_review_needs_no_reason(w: factories.World, officer: Client) -> None:
    item = factories.contribution(w.method)
    res = officer.post(detail_url(item), answer(status="under_review", reason=""))
    assert res.status_code == 302
    assert Response.objects.get(contribution=item).status == "under_review"


def test_an_answer_template_prefills_the_form_without_saving(
    w: factories.World, officer: Client
) -> None:
    item = factories.contribution(w.method)
    assert "Use template" not in officer.get(detail_url(item)).content.decode()
    template = do_save_answer_template(
        w.admin, w.org, title="Utanfor", status="out_of_scope", text="Dette avgjer fylket."
    )
    other_org_template = do_save_answer_template(
        factories.administrator(w.other_org), w.other_org, title="Deira", status="", text="Nei."
    )
    assert "Use template" in officer.get(detail_url(item)).content.decode()
    res = officer.post(
        detail_url(item, "vis=all"),
        {"form": "respond", "version": "0", "then": "template", "template": template.pk},
    )
    assert res.status_code == 200
    assert res.context["forms"].answer["status"].value() == "out_of_scope"
    assert res.context["forms"].answer["reason"].value() == "Dette avgjer fylket."
    assert not Response.objects.exists()
    refused = officer.post(
        detail_url(item),
        {"form": "respond", "then": "template", "template": other_org_template.pk},
    )
    assert refused.status_code == 400
    assert not Response.objects.exists()


def test_internal_notes_are_added_listed_and_audited(w: factories.World, officer: Client) -> None:
    item = factories.contribution(w.method)
    mark = factories.audit_mark()
    res = officer.post(detail_url(item, "vis=all"), {"form": "note", "text": "Ringt innbyggjaren."})
    assert res.status_code == 302
    assert res["Location"] == detail_url(item, "vis=all") + "#notes"
    note = Note.objects.get()
    assert (note.author, note.text, note.contribution) == (w.officer, "Ringt innbyggjaren.", item)
    [row] = factories.audited_since(mark)
    assert row.action == "note.added" and "Ringt" not in str(row.data)
    page = officer.get(detail_url(item)).content.decode()
    assert "Ringt innbyggjaren." in page
    assert "Only staff see these notes." in page
    # Never on the resident's side.
    assert "Ringt innbyggjaren." not in Client().get(item.receipt_url()).content.decode()
    assert officer.post(detail_url(item), {"form": "note", "text": "  "}).status_code == 400
    assert Note.objects.count() == 1


def test_notes_of_another_municipality_are_not_found(w: factories.World) -> None:
    item = factories.contribution(w.method)
    do_add_note(w.officer, item, "Internt.")
    for person in (w.other_officer, w.moderator):
        client = Client()
        client.force_login(person)
        assert client.get(detail_url(item)).status_code == 404
        assert client.post(detail_url(item), {"form": "note", "text": "Hei"}).status_code == 404
    assert Note.objects.count() == 1


def test_assignment_and_themes_on_the_page(w: factories.World, officer: Client) -> None:
    item = factories.contribution(w.method)
    res = officer.post(detail_url(item), {"form": "assign", "assignee": w.officer.pk})
    assert res.status_code == 302
    assert Contribution.objects.get(pk=item.pk).assigned_to == w.officer
    refused = officer.post(detail_url(item), {"form": "assign", "assignee": w.other_officer.pk})
    assert refused.status_code == 400
    assert Contribution.objects.get(pk=item.pk).assigned_to == w.officer
    assert officer.post(detail_url(item), {"form": "assign", "assignee": ""}).status_code == 302
    assert Contribution.objects.get(pk=item.pk).assigned_to is None

    res = officer.post(
        detail_url(item), {"form": "theme", "theme-new_name": "Kostnad", "theme-kind": "theme"}
    )
    assert res.status_code == 302
    theme = Theme.objects.get(name="Kostnad")
    assert list(theme.contributions.all()) == [item]
    assert f"/innspel/gruppe/{theme.pk}/" in officer.get(detail_url(item)).content.decode()
    res = officer.post(detail_url(item), {"form": "untheme", "theme": theme.pk})
    assert res.status_code == 302
    assert not theme.contributions.exists()
    assert officer.post(detail_url(item), {"form": "untheme", "theme": "x"}).status_code == 400
    assert officer.post(detail_url(item), {"form": "nonsense"}).status_code == 400


def test_the_next_link_and_the_back_link_carry_the_filter(
    w: factories.World, officer: Client
) -> None:
    older = factories.contribution(w.method, text="Eldre")
    newer = factories.contribution(w.method, text="Nyare")
    g = group(w, "Begge", older, newer)
    do_assign(w.officer, w.process, [newer.pk], w.officer)
    query = f"vis=unanswered&tema={g.pk}"
    html = officer.get(detail_url(newer, query)).content.decode()
    assert f"/stab/innspel/{older.pk}/?vis=unanswered&amp;tema={g.pk}" in html
    assert f"/stab/sak/{w.process.pk}/innspel/?vis=unanswered&amp;tema={g.pk}" in html


def test_an_input_answered_meanwhile_is_a_conflict(w: factories.World, officer: Client) -> None:
    item = factories.contribution(w.method)
    do_respond(w.admin, w.process, [item.pk], ResponseStatus.NOT_ADOPTED, "Nei.")
    res = officer.post(detail_url(item), answer(then="next"))
    assert res.status_code == 409
    assert Response.objects.get().reason == "Nei."


def test_a_moderator_link_shows_for_someone_who_moderates(w: factories.World) -> None:
    item = factories.contribution(w.method)
    client = Client()
    client.force_login(w.admin)
    html = client.get(detail_url(item)).content.decode()
    assert f"/stab/innspel/{item.pk}/moderering/" in html
