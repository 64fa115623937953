"""The staff editor (questions and the municipality's rules) and the moderators' page of
reasons given with reactions: who may use them, what each change does, the audit rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.discussion import actions, queries, staff_actions
from medvirk.methods.discussion.models import Reaction, Rules, Topic
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import Discussion, make_discussion

pytestmark = pytest.mark.django_db


def _editor(d: Discussion) -> str:
    return f"/stab/sak/{d.instance.process_id}/metode/{d.instance.pk}/innhald/"


@pytest.fixture
def staff_client(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


def test_the_editor_shows_counts_questions_rules_and_links(
    staff_client: Client, discussion: Discussion
) -> None:
    discussion.post()
    response = staff_client.get(_editor(discussion))
    assert response.status_code == 200
    html = response.content.decode()
    assert discussion.topic.title in html
    assert 'id="rules-default"' in html
    assert f"/stab/sak/{discussion.instance.process_id}/moderering/" in html
    assert f"innspel/?metode={discussion.instance.pk}" in html
    assert response["Cache-Control"] == "private, no-store"


def test_questions_are_added_edited_closed_and_moved(
    staff_client: Client, discussion: Discussion, officer: User
) -> None:
    url = _editor(discussion)
    mark = factories.audit_mark()
    response = staff_client.post(
        url,
        {
            "action": "save_topic",
            "topic-title": "What should the yard have?",
            "topic-is_open": "on",
        },
    )
    assert response.status_code == 302
    second = Topic.objects.get(title="What should the yard have?")
    assert (second.order, second.created_by, second.is_open) == (2, officer, True)
    page = staff_client.get(f"{url}?endre={second.pk}").content.decode()
    assert 'value="What should the yard have?"' in page
    staff_client.post(
        url,
        {
            "action": "save_topic",
            "target": str(second.pk),
            "topic-title": "What should the school yard have?",
            "topic-body": "Space for play.",
            "topic-is_open": "on",
        },
    )
    second.refresh_from_db()
    assert (second.title, second.body) == ("What should the school yard have?", "Space for play.")
    staff_client.post(url, {"action": "close", "target": str(second.pk)})
    second.refresh_from_db()
    assert second.is_open is False
    staff_client.post(url, {"action": "move_up", "target": str(second.pk)})
    assert list(Topic.objects.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        discussion.topic.pk,
    ]
    codes = [row.action for row in factories.audited_since(mark)]
    assert codes == [
        "discussion.topic_added",
        "discussion.topic_updated",
        "discussion.topic_closed",
        "discussion.topic_moved",
    ]


def test_a_bad_question_is_refused_with_the_form(
    staff_client: Client, discussion: Discussion
) -> None:
    response = staff_client.post(
        _editor(discussion), {"action": "save_topic", "topic-title": " ", "topic-is_open": "on"}
    )
    assert response.status_code == 400
    assert Topic.objects.count() == 1
    response = staff_client.post(_editor(discussion), {"action": "explode"})
    assert response.status_code == 400


def test_another_discussions_question_is_not_found(
    staff_client: Client, discussion: Discussion, org: Municipality
) -> None:
    other = make_discussion(org)
    response = staff_client.post(
        _editor(discussion), {"action": "close", "target": str(other.topic.pk)}
    )
    assert response.status_code == 404
    other.topic.refresh_from_db()
    assert other.topic.is_open


def test_the_rules_are_saved_shown_everywhere_and_reset(
    client: Client, staff_client: Client, discussion: Discussion
) -> None:
    url = _editor(discussion)
    response = staff_client.post(
        url, {"action": "save_rules", "rules-text": "Be kind.\nStay on topic."}
    )
    assert response.status_code == 302
    assert Rules.objects.get().text == "Be kind.\nStay on topic."
    public = Client().get(discussion.url()).content.decode()
    assert "<li>Be kind.</li>" in public and "<li>Stay on topic.</li>" in public
    root = discussion.post()
    for name in ("new", "reply", "react", "report"):
        kwargs: dict[str, Any] = {} if name == "new" else {"pk": root.pk}
        assert "Be kind." in Client().get(discussion.url(name, **kwargs)).content.decode(), name
    staff_client.post(url, {"action": "reset_rules"})
    assert not Rules.objects.exists()
    assert queries.rules(discussion.instance.process.municipality_id).is_default


def test_empty_rules_are_refused(staff_client: Client, discussion: Discussion) -> None:
    response = staff_client.post(_editor(discussion), {"action": "save_rules", "rules-text": ""})
    assert response.status_code == 400
    assert not Rules.objects.exists()


def test_the_default_rules_are_in_the_readers_language(discussion: Discussion) -> None:
    with translation.override("nn"):
        nn = queries.rules(discussion.instance.process.municipality_id).text
    with translation.override("en"):
        en = queries.rules(discussion.instance.process.municipality_id).text
    assert en.startswith("Write to the point")
    assert nn  # the nn catalogue's text (the msgid until translations are compiled)


def test_a_moderator_or_resident_cannot_edit(
    client: Client, discussion: Discussion, moderator: User, resident: User
) -> None:
    for person in (moderator, resident):
        client.force_login(person)
        assert client.get(_editor(discussion)).status_code in (403, 404)
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_save_topic(moderator, discussion.instance, title="Sneaky")
    assert refused.value.status == 403


# --- reasons given with reactions ---------------------------------------------------------


def _reason(d: Discussion, text: str) -> Reaction:
    post = d.post()
    actions.do_react(factories.user(), d.instance, post.pk, "agree", text)
    return Reaction.objects.get(post=post)


def test_a_moderator_shows_a_reason_kept_back_and_hides_a_shown_one(
    client: Client, discussion: Discussion, moderator: User
) -> None:
    kept = _reason(discussion, "Ring 912 34 567")
    assert kept.is_visible is False
    url = discussion.url("staff_reasons")
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert "Ring 912 34 567" in page
    mark = factories.audit_mark()
    assert client.post(url, {"action": "show", "target": str(kept.pk)}).status_code == 302
    kept.refresh_from_db()
    assert kept.is_visible
    assert "Ring 912 34 567" in client.get(f"{url}?vis=shown").content.decode()
    client.post(f"{url}?vis=shown", {"action": "hide", "target": str(kept.pk)})
    kept.refresh_from_db()
    assert kept.is_visible is False
    assert [r.action for r in factories.audited_since(mark)] == [
        "discussion.reason_shown",
        "discussion.reason_hidden",
    ]


def test_the_reasons_page_is_for_moderators(
    client: Client, discussion: Discussion, officer: User
) -> None:
    url = discussion.url("staff_reasons")
    response = client.get(url)
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.force_login(officer)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "moderators" in refused.content.decode()
    other = factories.staff(factories.municipality("Andrevik"), Role.MODERATOR)
    client.force_login(other)
    assert client.get(url).status_code == 403
