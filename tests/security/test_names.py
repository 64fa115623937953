"""Spoofing characters in names (issue 15): right-to-left overrides, zero-width characters.

A name with U+202E shows the text after it reversed wherever the name is shown. Every name
a person or staff gives is NFC-normalised with control and format characters removed; a
name with nothing visible left is refused with a message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation

from medvirk.contributions.actions import Draft, do_contribute
from medvirk.contributions.models import Channel, Contribution
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_name
from medvirk.identity.actions import do_login_verified
from medvirk.identity.models import User
from medvirk.identity.providers import TEST_PEOPLE, Provider, VerifiedIdentity, get_provider
from medvirk.processes.actions import do_save_method, do_save_phase, do_save_process
from tests import factories
from tests.methods.survey import factories as survey_factories

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
# Bidi embeddings/overrides, isolates, marks; zero-width characters; BOM; other controls.
SPOOFING = [
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x9b",
    "\U000e0041",  # TAG LATIN CAPITAL LETTER A
    "\u3164",  # HANGUL FILLER: a letter that shows as nothing
]
# A name made to read «Kari» followed by «gpj.exe» shown as «exe.jpg».
SPOOFED = f"Kari {RLO}gpj.exe"
INVISIBLE_ONLY = f"{RLO}\u200b\u2066\u200d"


def _hidden(text: str) -> list[str]:
    return [
        f"U+{ord(c):04X}"
        for c in text
        if unicodedata.category(c) in {"Cc", "Cf", "Cs"} or c in "\u3164"
    ]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()


def _test_provider() -> Provider:
    provider = get_provider("test")
    assert provider is not None, "tests run with the test identity provider"
    return provider


# --- the cleaning function --------------------------------------------------------------


@pytest.mark.parametrize("char", SPOOFING, ids=lambda c: f"U+{ord(c):04X}")
def test_clean_name_removes_each_control_and_format_character(char: str) -> None:
    assert clean_name(f"Kari{char}Nordmann") == "KariNordmann"


def test_clean_name_normalises_to_nfc_also_across_a_removed_character() -> None:
    assert clean_name("A\u030asa Bj\u00f8rnsdo\u0301ttir") == "\u00c5sa Bj\u00f8rnsd\u00f3ttir"
    # A format character between a letter and its accent: removed, then composed.
    assert clean_name("Bjo\u200d\u0308rn") == "Bj\u00f6rn"


def test_clean_name_makes_any_whitespace_one_space_and_trims() -> None:
    assert clean_name("  Kari\t\n\u00a0\u2028Nordmann \r\n") == "Kari Nordmann"


def test_clean_name_keeps_letters_of_every_script_and_right_to_left_names() -> None:
    for name in ("Áilu Čuđđe-Ánde", "Ærlig Øystein Ås", "محمد علي", "李雷", "Zoë O'Neil"):
        assert clean_name(name) == name


def test_clean_name_cuts_to_the_field_length() -> None:
    assert clean_name("x" * 200, max_length=150) == "x" * 150


def test_a_blank_name_stays_blank_but_an_invisible_one_is_refused() -> None:
    assert clean_name("") == ""
    assert clean_name("   ") == ""
    with pytest.raises(ActionRefused, match="only invisible or control characters"):
        clean_name(INVISIBLE_ONLY)
    assert clean_line(INVISIBLE_ONLY) == ""


# --- contributions: every channel goes through do_contribute ----------------------------


def test_do_contribute_stores_the_name_without_the_override(w: factories.World) -> None:
    draft = Draft(kind="question", text="Eit innspel", author_name=SPOOFED, show_name=True)
    contribution = do_contribute(AnonymousUser(), w.method, "ask_question", draft).contribution
    contribution.refresh_from_db()
    assert contribution.author_name == "Kari gpj.exe"
    assert contribution.public_author == "Kari gpj.exe"


def test_do_contribute_refuses_a_name_of_only_invisible_characters(w: factories.World) -> None:
    draft = Draft(kind="question", text="Eit innspel", author_name=INVISIBLE_ONLY)
    with pytest.raises(ActionRefused, match="only invisible or control characters"):
        do_contribute(AnonymousUser(), w.method, "ask_question", draft)
    assert not Contribution.objects.exists()


def test_the_public_question_form_stores_and_shows_the_name_without_bidi_controls(
    w: factories.World, client: Client
) -> None:
    response = client.post(
        w.method.get_absolute_url(),
        {"text": "Kvifor vert skulen stengd?", "author_name": SPOOFED, "show_name": "on"},
    )
    assert response.status_code == 302
    stored = Contribution.objects.get()
    assert stored.author_name == "Kari gpj.exe"
    listing = client.get(
        reverse("public:contributions", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    ).content.decode()
    assert "Kari gpj.exe" in listing
    assert RLO not in listing


def test_the_public_question_form_refuses_an_invisible_name_with_a_message(
    w: factories.World, client: Client
) -> None:
    response = client.post(
        w.method.get_absolute_url(),
        {"text": "Kvifor vert skulen stengd?", "author_name": INVISIBLE_ONLY, "show_name": "on"},
    )
    assert response.status_code == 400
    assert "only invisible or control characters" in response.content.decode()
    assert not Contribution.objects.exists()


def test_staff_offline_form_stores_the_name_without_bidi_controls(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    response = client.post(
        reverse("staff:offline", kwargs={"pk": w.process.pk}),
        {
            "method": w.method.pk,
            "channel": Channel.LETTER,
            "text": "Brev om skulen",
            "author_name": f"Ola{RLO} Nordmann\u200b",
            "show_name": "on",
        },
    )
    assert response.status_code == 302
    assert Contribution.objects.get().author_name == "Ola Nordmann"


def test_staff_offline_form_refuses_an_invisible_name_with_a_message(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    response = client.post(
        reverse("staff:offline", kwargs={"pk": w.process.pk}),
        {
            "method": w.method.pk,
            "channel": Channel.LETTER,
            "text": "Brev om skulen",
            "author_name": INVISIBLE_ONLY,
        },
    )
    assert response.status_code == 400
    assert "only invisible or control characters" in response.content.decode()
    assert not Contribution.objects.exists()


@pytest.mark.django_db
def test_the_survey_name_field_is_stored_without_bidi_controls(client: Client) -> None:
    survey = survey_factories.survey(factories.municipality("Lillevik"))
    client.post(survey.url, survey_factories.survey_form(survey, name=SPOOFED, show_name="on"))
    assert Contribution.objects.get().public_author == "Kari gpj.exe"


@pytest.mark.django_db
def test_the_survey_refuses_an_invisible_name_with_a_message(client: Client) -> None:
    survey = survey_factories.survey(factories.municipality("Lillevik"))
    response = client.post(survey.url, survey_factories.survey_form(survey, name=INVISIBLE_ONLY))
    assert response.status_code == 400
    assert "only invisible or control characters" in response.content.decode()
    assert not Contribution.objects.exists()


# --- accounts ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_refuses_a_user_name_with_an_override(client: Client) -> None:
    response = client.post(
        reverse("identity:signup"),
        {"username": f"kari{RLO}", "password1": "a-Long-pass-123", "password2": "a-Long-pass-123"},
    )
    # Django's user-name rule (letters, digits and @.+-_ only) already refuses it.
    assert response.status_code == 400
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_name_from_an_eid_is_stored_without_bidi_controls() -> None:
    identity = VerifiedIdentity(
        provider="test",
        issuer="https://test.example",
        subject="s-1",
        national_id=TEST_PEOPLE[0].national_id,
        acr="idporten-loa-substantial",
        name=f"Kari{RLO}\u200b Nordmann\u2066",
    )
    user = do_login_verified(AnonymousUser(), identity, _test_provider())
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Kari", "Nordmann")
    assert _hidden(user.public_name()) == []


@pytest.mark.django_db
def test_an_eid_name_of_only_invisible_characters_does_not_block_the_login() -> None:
    identity = VerifiedIdentity(
        provider="test",
        issuer="https://test.example",
        subject="s-2",
        national_id=TEST_PEOPLE[1].national_id,
        acr="idporten-loa-substantial",
        name=INVISIBLE_ONLY,
    )
    user = do_login_verified(AnonymousUser(), identity, _test_provider())
    assert (user.first_name, user.last_name) == ("", "")


# --- titles staff give: shown on every public page of the case ---------------------------


def test_case_phase_and_method_titles_are_stored_without_bidi_controls(
    w: factories.World,
) -> None:
    proc = do_save_process(
        w.admin, w.org, {"title": f"Ny skule{RLO} 2027", "slug": "ny-skule"}, process=w.process
    )
    assert proc.title == "Ny skule 2027"
    ph = do_save_phase(
        w.admin,
        w.process,
        name=f"Innspel\u200b{RLO}",
        kind=w.phase.kind,
        start=w.phase.start,
        end=w.phase.end,
        phase=w.phase,
    )
    assert ph.name == "Innspel"
    instance = do_save_method(
        w.admin,
        w.process,
        phase=w.phase,
        method_key="information",
        slug=w.method.slug,
        title=f"Spør{RLO} oss",
        raw_settings=w.method.settings,
        is_published=True,
        instance=w.method,
    )
    assert instance.title == "Spør oss"


def test_a_case_title_of_only_invisible_characters_is_refused(w: factories.World) -> None:
    with pytest.raises(ActionRefused, match="title"):
        do_save_process(w.admin, w.org, {"title": INVISIBLE_ONLY}, process=w.process)
