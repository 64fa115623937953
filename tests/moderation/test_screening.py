"""Contact details in anything a contribution publishes hold it for a moderator, unmasked,
with the reason in the moderator's language; the national identity number check is kept."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from medvirk.contributions import screening
from medvirk.contributions.actions import Draft, do_contribute
from medvirk.contributions.models import ModerationState
from medvirk.organisations.models import Role
from tests import factories

FNR = "01019000083"


def test_a_phone_number_in_the_text_holds_it_unmasked(w: factories.World) -> None:
    text = "Læraren svarar ikkje. Ring henne på 412 34 567."
    c = factories.contribution(w.method, text=text)
    assert c.moderation == ModerationState.HELD
    assert c.text == text  # not masked: the moderator reads it as written
    assert c.held_reason == "pnr:text=phone"
    assert screening.reasons(c.held_reason) == ["The text: contains a phone number"]


def test_each_field_and_kind_is_named(w: factories.World) -> None:
    c = factories.contribution(
        w.method,
        text="Skriv til ola@example.no eller sjå www.spam.example.com",
        author_name="Kari 99887766",
        show_name=True,
        data={"title": "Sjå lillevik.no/skule"},
    )
    assert c.moderation == ModerationState.HELD
    assert c.held_reason == "pnr:text=email;text=link;author_name=phone;data.title=link"
    assert screening.reasons(c.held_reason) == [
        "The text: contains an e-mail address",
        "The text: contains a link",
        "The name: contains a phone number",
        "The field “title”: contains a link",
    ]


def test_the_reason_is_in_the_readers_language(w: factories.World) -> None:
    c = factories.contribution(w.method, text="Sjå https://spam.example.com")
    with translation.override("nb"):
        [line] = screening.reasons(c.held_reason)
    assert line != "The text: contains a link"
    assert line.startswith("Teksten")


def test_a_national_identity_number_is_masked_and_not_also_a_phone_number(
    w: factories.World,
) -> None:
    c = factories.contribution(w.method, text=f"tlf 22334455 fnr {FNR}")
    assert FNR not in c.text and "22334455" in c.text
    assert c.held_reason == "pnr:text=fnr;text=phone"
    assert screening.reasons(c.held_reason) == [
        "The text: looks like a national identity number (fødselsnummer)",
        "The text: contains a phone number",
    ]


def test_the_old_reason_format_still_reads() -> None:
    assert screening.reasons("pnr:text=fnr;author_name=other~account") == [
        "The text: looks like a national identity number (fødselsnummer)",
        "The name: 11 digits that pass the check digits of a national identity number, "
        "but may be an account number",
    ]


def test_many_findings_fit_the_column() -> None:
    findings = [
        screening.Finding(f"data.a_long_field_name_number_{i}", kind)
        for i in range(30)
        for kind in ("email", "phone", "link")
    ]
    code = screening.held_reason(findings)
    assert len(code) <= screening.REASON_MAX_LENGTH
    assert code.startswith("pnr:") and code.rsplit(";", 1)[1].startswith("+")


def test_the_account_name_shown_is_screened_too(w: factories.World) -> None:
    person = factories.user("ola@example.no")  # a sign-up username is free text
    receipt = do_contribute(
        person, w.method, "ask_question", Draft(kind="question", text="Eit innspel", show_name=True)
    )
    assert receipt.contribution.held_reason == "pnr:public_name=email"


def test_staff_registered_input_is_screened_too(w: factories.World) -> None:
    clerk = factories.staff(w.org, Role.CASE_OFFICER)
    receipt = do_contribute(
        AnonymousUser(),
        w.method,
        "",
        Draft(kind="offline_input", text="Ring 41234567", channel="phone"),
        registered_by=clerk,
    )
    assert receipt.contribution.moderation == ModerationState.HELD


@pytest.mark.parametrize(
    "text",
    [
        "Møte 12.03.2024 kl. 18.00-20.00 i rom 214.",
        "Kostnad 41 000 000 kroner, bygd 1965, renovert 2019-2025.",
        "Vi vil ha fleire klasserom, bl.a. og f.eks. i 2. etasje.",
    ],
)
def test_ordinary_input_is_published(w: factories.World, text: str) -> None:
    c = factories.contribution(w.method, text=text)
    assert (c.moderation, c.held_reason) == (ModerationState.PUBLISHED, "")
