"""Putting forward an idea and commenting on one, through the pages (plain POST forms)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import AssuranceLevel, User
from medvirk.methods.ideas import actions, staff_actions
from medvirk.methods.ideas.models import Idea, IdeaComment
from medvirk.organisations.models import Municipality
from medvirk.processes.actions import do_save_method, do_set_status
from tests import factories
from tests.fixtures import clear_own_cache

from .conftest import EN, Board, login, make_board

pytestmark = pytest.mark.django_db

IDEA = {
    "title": "Light along the school road",
    "text": "It is dark in the morning.\n\nLights from the crossing to the school gate.",
    "category": "Roads and traffic",
    "author_name": "Ingrid Haugland",
    "show_name": "on",
}


def test_the_form_is_served_and_an_idea_is_published_on_the_board(board: Board) -> None:
    client = Client(**EN)
    page = client.get(board.url("new"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("title", "text", "category", "author_name", "show_name", "contact_email"):
        assert f'name="{name}"' in html
    assert "Roads and traffic" in html

    response = client.post(board.url("new"), IDEA)
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == board.url("idea", pk=idea.pk)
    assert idea.title == "Light along the school road"
    assert idea.category == "Roads and traffic"
    contribution = idea.contribution
    assert contribution.kind == actions.KIND
    assert contribution.needs_answer is True
    assert contribution.text.startswith("Light along the school road\n\nIt is dark")
    assert contribution.data == {"title": idea.title, "category": "Roads and traffic"}
    assert contribution.author_name == "Ingrid Haugland" and contribution.show_name

    shown = client.get(response["Location"])
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "Light along the school road" in html
    assert "Ingrid Haugland" in html
    assert "own-receipt" in html  # the private receipt link, once
    assert "own-receipt" not in client.get(response["Location"]).content.decode()
    assert "Light along the school road" in client.get(board.url()).content.decode()


def test_under_pre_moderation_the_idea_waits_and_the_person_gets_the_receipt(
    org: Municipality,
) -> None:
    org.moderation_mode = "pre"
    org.save()
    board = make_board(org)
    response = Client(**EN).post(board.url("new"), IDEA)
    contribution = Contribution.objects.get()
    assert contribution.moderation == ModerationState.PENDING
    assert response["Location"] == contribution.receipt_url()
    assert "Light along the school road" not in Client(**EN).get(board.url()).content.decode()
    assert Client(**EN).get(board.url("idea", pk=contribution.pk)).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Give the idea a short headline."),
        ({"title": "x" * 141}, "The headline is too long"),
        ({"text": "   "}, "Describe the idea in a few sentences."),
        ({"text": "x" * 2001}, "The text is too long: at most 2000 characters"),
        ({"category": "Not a category"}, "Choose one of the categories."),
        ({"contact_email": "not an address"}, "The e-mail address is not valid."),
    ],
)
def test_a_wrong_form_answers_400_with_the_reason_and_stores_nothing(
    board: Board, change: dict[str, str], message: str
) -> None:
    response = Client(**EN).post(board.url("new"), IDEA | change)
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert message in html
    assert not Contribution.objects.exists()


def test_the_action_checks_again_whatever_the_form_did(board: Board) -> None:
    with pytest.raises(ActionRefused, match="categories"):
        actions.do_submit_idea(
            AnonymousUser(), board.instance, "T", actions.Writing(text="x"), "Nope"
        )
    with pytest.raises(ActionRefused, match="headline"):
        actions.do_submit_idea(
            AnonymousUser(), board.instance, "\u202e\u200b", actions.Writing(text="x")
        )
    assert not Idea.objects.exists()


def test_a_closed_board_refuses_ideas_with_the_reason(board: Board) -> None:
    process = board.instance.process
    do_set_status(factories.administrator(process.municipality), process, "closed")
    client = Client(**EN)
    response = client.post(board.url("new"), IDEA)
    assert response.status_code == 403
    assert not Contribution.objects.exists()
    page = client.get(board.url())
    assert page.status_code == 200
    assert 'id="propose"' not in page.content.decode()


def test_a_phase_that_takes_no_ideas_refuses_new_ones_but_takes_comments(board: Board) -> None:
    idea = board.idea()
    instance = board.instance
    admin = factories.administrator(instance.process.municipality)
    do_save_method(
        admin,
        instance.process,
        phase=instance.phase,
        method_key="ideas",
        slug=instance.slug,
        title=instance.title,
        raw_settings=instance.settings,
        phase_settings={str(instance.phase_id): {"takes_ideas": False}},
        is_published=True,
        instance=instance,
    )
    client = Client(**EN)
    response = client.post(board.url("new"), IDEA)
    assert response.status_code == 403
    assert "takes no new ideas in this phase" in response.content.decode()
    comment = client.post(board.url("comment", pk=idea.pk), {"text": "Still good."})
    assert comment.status_code == 302


def test_a_board_that_needs_a_login_says_so_and_links_to_it(org: Municipality) -> None:
    board = make_board(org, identity_levels={"submit_idea": AssuranceLevel.EMAIL})
    response = Client(**EN).get(board.url("new"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You need to log in" in html
    assert "/konto/logg-inn/" in html
    person = factories.user(email_verified=True)
    client = login(person)
    assert 'name="contact_email"' not in client.get(board.url("new")).content.decode()
    ok = client.post(board.url("new"), IDEA)
    assert ok.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.author == person
    assert contribution.contact_email == person.email  # the account's, never asked for


def test_too_many_ideas_from_one_connection_are_refused_with_the_text_kept(
    board: Board, settings: Any
) -> None:
    clear_own_cache()
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "2/10m"}
    client = Client(**EN)
    for n in range(2):
        assert client.post(board.url("new"), IDEA | {"title": f"Idea {n}"}).status_code == 302
    response = client.post(board.url("new"), IDEA | {"title": "The third idea"})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "The third idea" in response.content.decode()
    assert Idea.objects.count() == 2


# --- comments ---------------------------------------------------------------------------------


def test_a_comment_is_input_that_waits_for_no_answer(board: Board) -> None:
    idea = board.idea()
    client = Client(**EN)
    page = client.get(board.url("idea", pk=idea.pk))
    assert 'id="comment-form"' in page.content.decode()
    response = client.post(
        board.url("comment", pk=idea.pk),
        {"text": "Motion sensors save power.", "author_name": "Kari", "show_name": "on"},
    )
    comment = IdeaComment.objects.select_related("contribution").get()
    assert response.status_code == 302
    assert response["Location"] == board.url("idea", pk=idea.pk) + f"#kommentar-{comment.pk}"
    contribution = comment.contribution
    assert contribution.kind == actions.COMMENT_KIND
    assert contribution.needs_answer is False
    assert contribution.data == {"idea": idea.pk}
    assert comment.idea == idea
    html = client.get(board.url("idea", pk=idea.pk)).content.decode()
    assert "Motion sensors save power." in html and "Kari" in html
    # Not in the inbox's unanswered list, but it can be answered there.
    assert not Contribution.objects.filter(pk=comment.pk, needs_answer=True).exists()


def test_an_empty_comment_answers_400_on_the_idea_page(board: Board) -> None:
    idea = board.idea()
    response = Client(**EN).post(board.url("comment", pk=idea.pk), {"text": " "})
    assert response.status_code == 400
    assert "Write your comment before you send it." in response.content.decode()
    assert not IdeaComment.objects.exists()


def test_comments_can_be_turned_off(org: Municipality) -> None:
    board = make_board(org, settings={"comments": False})
    idea = board.idea()
    page = Client(**EN).get(board.url("idea", pk=idea.pk))
    assert 'id="comment-form"' not in page.content.decode()
    response = Client(**EN).post(board.url("comment", pk=idea.pk), {"text": "Hi"})
    assert response.status_code == 403
    assert not IdeaComment.objects.exists()


def test_a_merged_idea_takes_no_comments(board: Board, officer: User) -> None:
    kept, duplicate = board.idea("Kept"), board.idea("Duplicate")
    staff_actions.do_merge(officer, board.instance, duplicate.pk, kept.pk)
    response = Client(**EN).post(board.url("comment", pk=duplicate.pk), {"text": "Hi"})
    assert response.status_code == 409
    assert "merged into «Kept»" in response.content.decode()
    assert not IdeaComment.objects.exists()


def test_ideas_of_another_board_are_not_found(board: Board, org: Municipality) -> None:
    other = make_board(org)
    idea = other.idea()
    client = Client(**EN)
    assert client.get(board.url("idea", pk=idea.pk)).status_code == 404
    assert client.post(board.url("comment", pk=idea.pk), {"text": "x"}).status_code == 404
    assert client.post(board.url("support", pk=idea.pk), {"action": "support"}).status_code == 404
    assert client.get(board.url("idea", pk=999999)).status_code == 404
