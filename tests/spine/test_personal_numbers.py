"""A national identity number is never published, whichever field it is typed into.

Every publishable text of a contribution — the text, the name shown with it (typed, or the
account's public name), and any string a method puts in ``Draft.data`` — goes through one
screening in ``do_contribute``: on a match the number is masked in what is stored and the
contribution is held for a moderator, who sees which field and what kind of number.
Numbers here are synthetic (valid check digits, no real person).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from medvirk.algorithms.text import fodselsnummer
from medvirk.algorithms.text.fodselsnummer import MASK
from medvirk.contributions import screening
from medvirk.contributions.actions import Draft, do_contribute, do_moderate
from medvirk.contributions.models import Channel, Contribution, ModerationState
from tests import factories

FNR = "01019000083"
DNR = "41019000077"

VARIANTS = {
    "plain": FNR,
    "two spaces": "010190  00083",
    "6-3-2": "010190 000 83",
    "2-2-2-5": "01 01 90 00083",
    "dotted date": "01.01.90 00083",
    "zero-width space": "010190\u200b00083",
    "nbsp": "010190\u00a000083",
    "soft hyphen": "010190\u00ad00083",
    "word joiner in the date": "0101\u206090 00083",
}


def _digits(text: str) -> str:
    """All digits of ``text`` after the detector's normalisation, run together."""
    return "".join(c for c in fodselsnummer._normalise(text)[0] if c.isdigit())


def _stored(c: Contribution) -> Contribution:
    return Contribution.objects.get(pk=c.pk)


def _public_list(client: Client, w: factories.World) -> str:
    url = reverse(
        "public:contributions",
        kwargs={"municipality": w.org.slug, "slug": w.process.slug},
    )
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    """Pages answer in English here, so the assertions read the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _moderation_page(client: Client, w: factories.World) -> str:
    client.force_login(w.moderator)
    page = client.get(reverse("staff:moderation", kwargs={"pk": w.process.pk}))
    assert page.status_code == 200
    return page.content.decode()


# --- the name field -----------------------------------------------------------------------


def test_number_in_the_shown_name_from_the_web_form_is_held_and_masked(
    w: factories.World, client: Client
) -> None:
    page = client.post(
        w.method.get_absolute_url(),
        {"text": "Kva kostar skulen?", "author_name": f"Kari {FNR}", "show_name": "on"},
    )
    assert page.status_code == 302
    c = Contribution.objects.get(method_instance=w.method)
    assert c.moderation == ModerationState.HELD
    assert c.author_name == f"Kari {MASK}"
    assert FNR not in c.public_author
    assert FNR not in _public_list(client, w)
    moderation = _moderation_page(client, w)
    assert "The name: looks like a national identity number (fødselsnummer)" in moderation
    assert FNR not in moderation


def test_number_in_the_name_registered_offline_by_staff_is_held_and_masked(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    page = client.post(
        reverse("staff:offline", kwargs={"pk": w.process.pk}),
        {
            "method": w.method.pk,
            "channel": Channel.LETTER,
            "text": "Brev om skulen.",
            "author_name": f"Ola Nordmann, {DNR[:6]} {DNR[6:]}",
            "show_name": "on",
        },
    )
    assert page.status_code == 302
    c = Contribution.objects.get(method_instance=w.method)
    assert c.moderation == ModerationState.HELD
    assert c.author_name == f"Ola Nordmann, {MASK}"
    assert DNR not in _digits(c.author_name)
    assert "The name: looks like a D-number" in _moderation_page(client, w)


def test_number_as_the_account_name_shown_publicly_is_held_and_masked(
    w: factories.World,
) -> None:
    person = factories.user(FNR)  # a sign-up username is free text
    c = do_contribute(
        person, w.method, "ask_question", Draft(kind="question", text="Hei", show_name=True)
    ).contribution
    c = _stored(c)
    assert c.moderation == ModerationState.HELD
    assert c.public_author == MASK
    assert screening.reasons(c.held_reason) == [
        "The account name shown publicly: looks like a national identity number (fødselsnummer)"
    ]


def test_number_in_a_name_not_shown_is_masked_too(w: factories.World) -> None:
    c = _stored(factories.contribution(w.method, author_name=f"Kari {FNR}"))
    assert c.author_name == f"Kari {MASK}"
    assert c.moderation == ModerationState.HELD


# --- the text, in every layout ------------------------------------------------------------


@pytest.mark.parametrize("written", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_layout_in_the_text_is_held_and_masked_whole(
    w: factories.World, written: str
) -> None:
    c = _stored(factories.contribution(w.method, text=f"Nummeret mitt: {written}. Takk."))
    assert c.moderation == ModerationState.HELD
    assert c.text == f"Nummeret mitt: {MASK}. Takk."
    assert screening.reasons(c.held_reason) == [
        "The text: looks like a national identity number (fødselsnummer)"
    ]


@pytest.mark.parametrize("written", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_held_number_is_masked_after_a_moderator_publishes_it(
    w: factories.World, client: Client, written: str
) -> None:
    c = factories.contribution(w.method, text=f"Nr {written}", author_name=written, show_name=True)
    do_moderate(w.moderator, c, ModerationState.PUBLISHED)
    html = _public_list(client, w)
    assert f"Nr {MASK}" in html
    assert FNR not in _digits(html)


# --- method data ----------------------------------------------------------------------------


def test_strings_a_method_puts_in_its_data_are_screened(w: factories.World) -> None:
    c = _stored(
        factories.contribution(
            w.method,
            text="Sjå tittelen",
            data={"title": f"Søknad {FNR}", "parts": [{"label": f"x {DNR}"}], "n": 12},
        )
    )
    assert c.moderation == ModerationState.HELD
    assert c.data == {"title": f"Søknad {MASK}", "parts": [{"label": f"x {MASK}"}], "n": 12}
    assert screening.reasons(c.held_reason) == [
        "The field “title”: looks like a national identity number (fødselsnummer)",
        "The field “parts.0.label”: looks like a D-number",
    ]


# --- look-alikes: held with the reason, never published unmasked ---------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Kontonummer 1234.56.00181",
            "The text: 11 digits that pass the check digits of a national identity number,"
            " but may be an account number",
        ),
        (
            "Det kostar kr 12 345 600 181",
            "The text: 11 digits that pass the check digits of a national identity number,"
            " but may be an amount",
        ),
        (
            "tlf. 22 33 44 00 011",
            "The text: 11 digits that pass the check digits of a national identity number,"
            " but may be a phone number",
        ),
        (
            "Til konto 0101.90.00083",
            "The text: could be a national identity number, or an account number",
        ),
    ],
)
def test_look_alikes_are_held_and_the_moderator_is_told_what_they_may_be(
    w: factories.World, text: str, reason: str
) -> None:
    c = _stored(factories.contribution(w.method, text=text))
    assert c.moderation == ModerationState.HELD
    assert MASK in c.text
    assert screening.reasons(c.held_reason) == [reason]


def test_ordinary_numbers_are_published_as_written(w: factories.World) -> None:
    # (A phone number is held as a contact detail: tests/moderation/test_screening.py.)
    text = "Møte 12.03.2024 kl. 18.00 i rom 214, budsjett 1 234 567 kroner."
    c = _stored(factories.contribution(w.method, text=text, author_name="Kari 2B"))
    assert c.moderation == ModerationState.PUBLISHED
    assert (c.text, c.author_name, c.held_reason) == (text, "Kari 2B", "")


# --- who sees what ------------------------------------------------------------------------


def test_held_input_is_not_in_the_public_list_and_the_receipt_shows_it_masked(
    w: factories.World, client: Client
) -> None:
    receipt = do_contribute(
        AnonymousUser(),
        w.method,
        "ask_question",
        Draft(kind="question", text=f"Hemmeleg innspel {FNR}", author_name=FNR, show_name=True),
    )
    assert "Hemmeleg innspel" not in _public_list(client, w)
    page = client.get(receipt.contribution.receipt_url()).content.decode()
    assert f"Hemmeleg innspel {MASK}" in page
    assert FNR not in _digits(page)


def test_the_moderation_queue_and_the_staff_page_show_the_reason(
    w: factories.World, client: Client
) -> None:
    c = factories.contribution(w.method, text=f"A {FNR}", author_name=f"B {DNR}", show_name=True)
    moderation = _moderation_page(client, w)
    assert "The text: looks like a national identity number (fødselsnummer)" in moderation
    assert "The name: looks like a D-number" in moderation
    client.force_login(w.officer)
    detail = client.get(reverse("staff:contribution", kwargs={"pk": c.pk})).content.decode()
    assert "The name: looks like a D-number" in detail
    assert FNR not in _digits(detail) and DNR not in _digits(detail)


def test_a_reason_written_by_other_code_is_shown_as_written() -> None:
    assert screening.reasons("Sjekk språket") == ["Sjekk språket"]
    assert screening.reasons("") == []


def test_the_stored_reason_fits_its_column_whatever_the_number_of_fields() -> None:
    findings = [screening.Finding(f"data.field_with_a_long_name_{i}", "fnr", "") for i in range(40)]
    code = screening.held_reason(findings)
    assert len(code) <= 200
    lines = screening.reasons(code)
    assert lines[0].startswith("The field “field_with_a_long_name_0”")
    assert lines[-1].startswith("… and ")
