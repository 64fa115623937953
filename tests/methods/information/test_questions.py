"""The information method: residents ask the municipality a question on its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes import actions
from tests import factories

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()  # its method is a published information instance


def _ask(client: Client, w: factories.World, **data: str) -> Any:
    return client.post(w.method.get_absolute_url(), {"text": "Kor mange elevar?", **data}, **EN)


def test_the_page_shows_the_form_and_links_to_the_case(w: factories.World, client: Client) -> None:
    page = client.get(w.method.get_absolute_url(), **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="text"' in html and 'name="contact_email"' in html
    assert w.process.get_absolute_url() in html
    assert page["Cache-Control"] == "private, no-store"


def test_a_question_is_stored_and_the_asker_lands_on_the_receipt(
    w: factories.World, client: Client
) -> None:
    response = _ask(client, w, author_name="Kari", show_name="on", contact_email="kari@example.no")
    item = Contribution.objects.get(method_instance=w.method)
    assert response.status_code == 302
    assert response["Location"] == item.receipt_url()
    assert (item.kind, item.text, item.author_name, item.show_name) == (
        "question",
        "Kor mange elevar?",
        "Kari",
        True,
    )
    assert item.contact_email == "kari@example.no"
    assert item.moderation == ModerationState.PUBLISHED
    assert "Your question is registered" in client.get(response["Location"], **EN).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "This field is required."),
        ({"contact_email": "ikkje-ei-adresse"}, "Enter a valid email address."),
    ],
)
def test_bad_input_is_explained_and_stores_nothing(
    w: factories.World, client: Client, data: dict[str, str], message: str
) -> None:
    response = _ask(client, w, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contribution.objects.exists()


def test_an_overlong_question_is_refused_with_the_limit(w: factories.World, client: Client) -> None:
    response = _ask(client, w, text="x" * (settings.MEDVIRK_MAX_TEXT_LENGTH + 1))
    assert response.status_code == 400
    assert "The text is too long" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_page_that_takes_no_questions_refuses_them(w: factories.World, client: Client) -> None:
    actions.do_save_method(
        w.officer,
        w.process,
        phase=w.phase,
        method_key="information",
        slug=w.method.slug,
        title=w.method.title,
        raw_settings={"allow_questions": False},
        is_published=True,
        instance=w.method,
    )
    page = client.get(w.method.get_absolute_url(), **EN)
    assert "This page does not take questions." in page.content.decode()
    assert 'name="text"' not in page.content.decode()
    assert _ask(client, w).status_code == 403
    assert not Contribution.objects.exists()


def test_a_closed_case_takes_no_questions(w: factories.World, client: Client) -> None:
    actions.do_set_status(w.officer, w.process, "closed")
    assert _ask(client, w).status_code == 403
    assert not Contribution.objects.exists()
