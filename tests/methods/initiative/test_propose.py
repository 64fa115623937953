"""Writing a proposal: a contribution answered in the inbox, made with a verified identity;
its text is locked (a correction is a new proposal); hostile input gets a message."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.initiative import actions
from medvirk.methods.initiative.models import Initiative, Signature, Status
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import (
    EN,
    LAMPS_TEXT,
    Initiatives,
    collecting,
    make_instance,
    propose,
    resident,
    sign_many,
)

pytestmark = pytest.mark.django_db


def test_a_proposal_is_a_contribution_that_waits_for_the_check(initiatives: Initiatives) -> None:
    author = resident()
    done = actions.do_propose(
        author,
        initiatives.instance,
        title="  Gatelys langs skulevegen ",
        text=LAMPS_TEXT,
        contact_email="kari@example.org",
    )
    initiative = done.initiative
    contribution = Contribution.objects.get()
    assert contribution.kind == "initiative"
    assert contribution.author == author
    assert contribution.needs_answer  # it waits in the inbox for an answer
    assert contribution.data == {"title": "Gatelys langs skulevegen"}
    assert contribution.contact_email == "kari@example.org"
    assert initiative.contribution == contribution
    assert initiative.title == "Gatelys langs skulevegen"
    assert initiative.text == LAMPS_TEXT
    assert initiative.status == Status.SUBMITTED
    assert initiative.signing_opens_at is None and initiative.threshold is None
    assert done.receipt.token


def test_without_the_check_signing_starts_at_once(org: Municipality) -> None:
    initiatives = make_instance(org, settings={"check_first": False})
    initiative = propose(initiatives.instance)
    assert initiative.status == Status.COLLECTING
    assert initiative.threshold == 81
    assert initiative.signing_opens_at is not None


def test_a_held_text_does_not_start_signing_even_without_the_check(org: Municipality) -> None:
    initiatives = make_instance(org, settings={"check_first": False})
    initiative = propose(
        initiatives.instance, text=LAMPS_TEXT + " Skriv til meg: kari@example.org for meir."
    )
    assert initiative.contribution.moderation == ModerationState.HELD
    assert initiative.status == Status.SUBMITTED


def test_a_proposal_needs_a_verified_identity(initiatives: Initiatives) -> None:
    with pytest.raises(actions.NeedsLogin) as refused:
        actions.do_propose(AnonymousUser(), initiatives.instance, title="Gatelys", text=LAMPS_TEXT)
    assert refused.value.status == 403
    with pytest.raises(actions.NeedsLogin):
        actions.do_propose(
            factories.user(email_verified=True),
            initiatives.instance,
            title="Gatelys",
            text=LAMPS_TEXT,
        )
    assert not Initiative.objects.exists() and not Contribution.objects.exists()


def test_an_instance_cannot_lower_the_identity_a_proposal_or_signature_needs(
    org: Municipality,
) -> None:
    initiatives = make_instance(org, identity_levels={"propose": 0, "sign": 0})
    with pytest.raises(actions.NeedsLogin):
        actions.do_propose(AnonymousUser(), initiatives.instance, title="Gatelys", text=LAMPS_TEXT)
    initiative = collecting(initiatives.instance, factories.staff(org))
    with pytest.raises(actions.NeedsLogin):
        actions.do_sign(
            factories.user(), initiatives.instance, initiative, address="x", lives_here=True
        )
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("title", "text", "message"),
    [
        ("", LAMPS_TEXT, "title of at least"),
        ("\u200b\u202e\u200b", LAMPS_TEXT, "invisible"),
        ("Lys", LAMPS_TEXT, "title of at least"),
        ("Gatelys", "For kort.", "at least 50 characters"),
        ("Gatelys", "   \n\n   ", "at least 50 characters"),
        ("Gatelys", "x" * 5001, "At most 5000 characters"),
    ],
)
def test_hostile_or_empty_input_is_refused_with_a_message(
    initiatives: Initiatives, title: str, text: str, message: str
) -> None:
    with pytest.raises(ActionRefused, match=message):
        actions.do_propose(resident(), initiatives.instance, title=title, text=text)
    assert not Initiative.objects.exists() and not Contribution.objects.exists()


def test_markup_is_shown_as_text_and_a_national_number_is_masked(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(
        initiatives.instance,
        officer,
        title="<script>alert(1)</script> Gatelys",
        text=LAMPS_TEXT + ' <img src=x onerror="alert(1)">',
    )
    html = Client(**EN).get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html
    masked = propose(initiatives.instance, text=LAMPS_TEXT + " Fødselsnummer 01819012365.")
    assert "01819012365" not in masked.text
    assert masked.contribution.moderation == ModerationState.HELD


def test_the_form_page_for_anonymous_people_shows_the_form_and_how_to_log_in(
    initiatives: Initiatives,
) -> None:
    client = Client(**EN)
    page = client.get(initiatives.url("propose"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="login-needed"' in html
    for name in ("title", "text", "show_name", "contact_email"):
        assert f'name="{name}"' in html
    sent = client.post(initiatives.url("propose"), {"title": "Gatelys", "text": LAMPS_TEXT})
    assert sent.status_code == 403
    assert 'value="Gatelys"' in sent.content.decode()  # what was typed is kept
    assert not Initiative.objects.exists()


def test_proposing_through_the_page(initiatives: Initiatives) -> None:
    author = resident()
    client = Client(**EN)
    client.force_login(author)
    empty = client.post(initiatives.url("propose"), {"title": "", "text": ""})
    assert empty.status_code == 400
    assert "error-summary" in empty.content.decode()
    sent = client.post(
        initiatives.url("propose"),
        {"title": "Gatelys langs skulevegen", "text": LAMPS_TEXT, "show_name": "on"},
    )
    assert sent.status_code == 302
    assert sent["Location"] == Initiative.objects.get().contribution.receipt_url()
    assert Initiative.objects.get().contribution.show_name


def test_the_text_is_locked_and_a_correction_is_a_new_proposal(
    initiatives: Initiatives, officer: User
) -> None:
    author = resident()
    original = collecting(initiatives.instance, officer, author)
    signers = sign_many(initiatives.instance, original, 2)
    # Nothing edits a proposal's text: the page offers a correction, which is new.
    client = Client(**EN)
    client.force_login(author)
    form = client.get(initiatives.url("correct", pk=original.pk)).content.decode()
    assert "Gatelys langs skulevegen" in form and 'id="correction-note"' in form
    sent = client.post(
        initiatives.url("correct", pk=original.pk),
        {"title": "Gatelys langs heile skulevegen", "text": LAMPS_TEXT + " Også ved brua."},
    )
    assert sent.status_code == 302
    original.refresh_from_db()
    corrected = Initiative.objects.exclude(pk=original.pk).get()
    assert original.text == LAMPS_TEXT  # unchanged
    assert original.status == Status.REPLACED
    assert corrected.corrects == original
    assert corrected.status == Status.SUBMITTED
    # The signatures stay with the text they were given for.
    assert Signature.objects.filter(initiative=original).count() == 2
    assert not Signature.objects.filter(initiative=corrected).exists()
    with pytest.raises(ActionRefused, match="cannot be signed"):
        actions.do_sign(resident(), initiatives.instance, original, address="x", lives_here=True)
    page = Client(**EN).get(initiatives.url("initiative", pk=original.pk)).content.decode()
    assert 'id="replaced"' in page
    del signers


def test_only_the_proposer_corrects_and_only_before_delivery(
    initiatives: Initiatives, officer: User
) -> None:
    author = resident()
    initiative = collecting(initiatives.instance, officer, author)
    with pytest.raises(ActionRefused, match="Only the proposer"):
        actions.do_propose(
            resident(), initiatives.instance, title="Gatelys", text=LAMPS_TEXT, corrects=initiative
        )
    stranger = Client(**EN)
    stranger.force_login(resident())
    assert stranger.get(initiatives.url("correct", pk=initiative.pk)).status_code == 404
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.WITHDRAWN)
    initiative.refresh_from_db()
    with pytest.raises(ActionRefused, match="can no longer be corrected"):
        actions.do_propose(
            author, initiatives.instance, title="Gatelys", text=LAMPS_TEXT, corrects=initiative
        )


def test_proposals_are_rate_limited_like_other_input(
    initiatives: Initiatives, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "1/10m"}
    client = Client(**EN)
    client.force_login(resident())
    data = {"title": "Gatelys langs skulevegen", "text": LAMPS_TEXT}
    assert client.post(initiatives.url("propose"), data).status_code == 302
    limited = client.post(initiatives.url("propose"), data)
    assert limited.status_code == 429
    assert "Retry-After" in limited
    assert Initiative.objects.count() == 1
