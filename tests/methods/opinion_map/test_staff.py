"""The staff editor: the municipality's statements (added, reworded before anyone voted),
taking a statement out of the vote and back, drawing the map now, the links to moderation
and the inbox; who may do it; every change audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.core import audit_labels
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.opinion_map import actions, staff_actions
from medvirk.methods.opinion_map.models import OpinionMap, Statement
from medvirk.organisations.actions import do_grant_role
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import EN, Conversation, browser, vote

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_editor_shows_the_map_the_statements_and_the_links(
    conversation: Conversation, officer: User, moderator: User
) -> None:
    actions.do_add_statement(AnonymousUser(), conversation.instance, "Waiting thought.")
    client = logged_in(officer)
    response = client.get(conversation.editor_url, **EN)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert all(s.text in html for s in conversation.statements)
    assert "Waiting thought." in html and "waits for a moderator" in html
    assert 'id="recompute"' in html and 'id="import-link"' in html
    # A case officer answers in the inbox; the moderation link is for moderators.
    assert f"/stab/sak/{conversation.instance.process_id}/innspel/" in html
    assert 'id="moderation-link"' not in html
    assert "1 participant statement waits for a moderator." in html

    org = conversation.instance.process.municipality
    both = factories.staff(org, Role.MODERATOR)
    do_grant_role(factories.administrator(org), org, both, Role.CASE_OFFICER)
    html = logged_in(both).get(conversation.editor_url, **EN).content.decode()
    assert 'id="moderation-link"' in html
    assert f"/stab/sak/{conversation.instance.process_id}/moderering/" in html


def test_staff_add_a_statement_audited(conversation: Conversation, officer: User) -> None:
    client = logged_in(officer)
    mark = factories.audit_mark()
    response = client.post(conversation.editor_url, {"text": "Keep the library open."}, **EN)
    assert response.status_code == 302
    statement = Statement.objects.get(text="Keep the library open.")
    assert statement.is_seed and statement.is_active and statement.contribution is None
    [row] = factories.audited_since(mark)
    assert row.action == staff_actions.ADDED
    assert audit_labels.has_label(row.action)


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("", 400, "Write the statement."),
        ("z" * 141, 400, "at most 140"),
        ("the school should stay in the village.", 409, "already in the conversation"),
    ],
)
def test_bad_statements_from_staff_are_refused(
    conversation: Conversation, officer: User, text: str, status: int, message: str
) -> None:
    response = logged_in(officer).post(conversation.editor_url, {"text": text}, **EN)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Statement.objects.count() == 10


def test_rewording_only_before_anyone_votes(conversation: Conversation, officer: User) -> None:
    client = logged_in(officer)
    first, second = conversation.statements[0], conversation.statements[1]
    url = conversation.url("staff_statement", pk=first.pk)
    assert client.get(url, **EN).status_code == 200
    response = client.post(url, {"text": "The school stays in the village."}, **EN)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "The school stays in the village."

    vote(browser(conversation), conversation, second, "agree")
    url = conversation.url("staff_statement", pk=second.pk)
    response = client.post(url, {"text": "Something else entirely."}, **EN)
    assert response.status_code == 409
    assert "People have voted on this statement" in response.content.decode()
    second.refresh_from_db()
    assert second.text != "Something else entirely."


def test_a_participant_s_statement_is_moderated_not_reworded(
    conversation: Conversation, officer: User
) -> None:
    receipt = actions.do_add_statement(AnonymousUser(), conversation.instance, "My words.")
    statement = Statement.objects.get(contribution=receipt.contribution)
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_edit_statement(officer, statement, "Other words.")
    assert refused.value.status == 403


def test_take_out_of_the_vote_and_back(
    conversation: Conversation, officer: User, django_capture_on_commit_callbacks: Any, queued: None
) -> None:
    client = logged_in(officer)
    statement = conversation.statements[2]
    url = conversation.url("staff_statement_status", pk=statement.pk)
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"active": "0"}, **EN).status_code == 302
    statement.refresh_from_db()
    assert not statement.is_active
    assert not Statement.objects.filter(actions.VOTABLE, pk=statement.pk).exists()
    # The map is asked for again.
    assert OpinionMap.objects.get(method_instance=conversation.instance).requested_at
    assert client.post(url, {"active": "1"}, **EN).status_code == 302
    statement.refresh_from_db()
    assert statement.is_active
    assert [r.action for r in factories.audited_since(mark)] == [
        staff_actions.REMOVED,
        staff_actions.RESTORED,
    ]
    # Nonsense is refused without a change.
    assert client.post(url, {"active": "maybe"}, **EN).status_code == 302
    statement.refresh_from_db()
    assert statement.is_active


def test_draw_the_map_now(
    conversation: Conversation, officer: User, queued: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = logged_in(officer)
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(conversation.url("staff_recompute"), **EN)
    assert response.status_code == 302
    assert callbacks, "a task is queued"
    assert OpinionMap.objects.get().requested_at is not None
    assert [r.action for r in factories.audited_since(mark)] == [staff_actions.RECOMPUTED]


def test_who_may_use_the_staff_pages(
    org: Municipality, conversation: Conversation, moderator: User
) -> None:
    statement = conversation.statements[0]
    urls = [
        conversation.url("staff_statement", pk=statement.pk),
        conversation.url("staff_import"),
    ]
    anonymous = Client()
    for url in urls:
        response = anonymous.get(url, **EN)
        assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    other_org = factories.municipality("Andrevik")
    outsider = factories.staff(other_org, Role.ADMINISTRATOR)
    resident = factories.user()
    for person in (outsider, resident, moderator):
        client = logged_in(person)
        for url in urls:
            assert client.get(url, **EN).status_code == 404, (person, url)
        assert client.get(conversation.editor_url, **EN).status_code == 404
        before = Statement.objects.count()
        client.post(conversation.url("staff_statement_status", pk=statement.pk), {"active": "0"})
        statement.refresh_from_db()
        assert statement.is_active and Statement.objects.count() == before
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_add_seed(outsider, conversation.instance, "Sneaky.")
    assert refused.value.status == 403
