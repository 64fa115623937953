"""The klarspråk endpoint the editor's script calls, and the partial under each text area."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from medvirk.algorithms.text.readability import Band, analyse
from medvirk.identity.models import User
from medvirk.staff.klarsprak import MAX_TEXT_CHARS
from tests import factories

URL = "/stab/klarsprak/"
# Hand-counted in tests/algorithms/test_readability.py: 21 words, 3 sentences, 4 long, LIX 26.0.
KNOWN = (
    "Kommunestyret skal bestemme hva som skjer med Lillevik skole. "
    "Bygningen er i svært dårlig stand. Vi vil høre hva du mener!"
)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.staff.klarsprak_urls")]


@pytest.fixture
def officer() -> User:
    return factories.staff(factories.municipality("Lillevik"))


@pytest.fixture
def staff_client(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


def test_login_required(client: Client) -> None:
    response = client.post(URL, {"text": KNOWN})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))


def test_residents_without_a_staff_role_are_refused(client: Client) -> None:
    client.force_login(factories.user())
    response = client.post(URL, {"text": KNOWN})
    assert response.status_code == 404


def test_get_is_not_allowed(staff_client: Client) -> None:
    response = staff_client.get(URL, {"text": KNOWN})
    assert response.status_code == 405


def test_known_text_gives_its_lix_and_band(staff_client: Client) -> None:
    response = staff_client.post(URL, {"text": KNOWN}, **EN)
    assert response.status_code == 200
    assert response.templates[0].name == "staff/_klarsprak.html"
    html = response.content.decode()
    assert "LIX 26.0" in html
    assert "Very easy" in html
    assert "Words: 21. Sentences: 3. Long words (7 letters or more): 4." in html
    # Only the inside of the live region: the script keeps the region itself.
    assert "aria-live" not in html
    assert "more than 25 words" not in html


def test_number_is_localised_in_norwegian(staff_client: Client) -> None:
    response = staff_client.post(URL, {"text": KNOWN}, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    assert "26,0" in response.content.decode()


def test_long_sentences_and_very_long_words_are_listed(staff_client: Client) -> None:
    long_sentence = (
        "I henhold til kommunestyrets vedtak igangsettes nå en helhetlig utredning av "
        "skolestrukturens fremtidige innretning der alle berørte parter skal få si sin "
        "mening om både skolebygningen og uteområdet før saken går videre."
    )
    response = staff_client.post(URL, {"text": long_sentence}, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "One sentence has more than 25 words:" in html
    assert "<q>I henhold til kommunestyrets vedtak igangsettes nå en …</q>" in html
    assert "(32 words)" in html
    assert "Very hard" in html
    assert "Many readers will find this hard." in html
    assert "One very long word (15 letters or more)" in html
    assert "<li>skolestrukturens</li>" in html


def test_empty_text_gets_a_hint_not_a_score(staff_client: Client) -> None:
    response = staff_client.post(URL, {"text": "   "}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "write some text" in html
    assert "LIX" not in html
    # A missing field is the same as an empty one.
    assert staff_client.post(URL, {}, **EN).status_code == 200


def test_oversized_text_is_refused_with_a_message(staff_client: Client) -> None:
    response = staff_client.post(URL, {"text": "a" * (MAX_TEXT_CHARS + 1)}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "too long to check" in html
    assert "20,001" in html and "20,000" in html
    assert "LIX" not in html


def test_browser_line_breaks_count_as_one_character(staff_client: Client) -> None:
    # 10 000 lines of "a" sent with CRLF: 30 000 bytes but 20 000 characters as typed.
    text = "a\r\n" * (MAX_TEXT_CHARS // 2)
    response = staff_client.post(URL, {"text": text}, **EN)
    assert response.status_code == 200


def test_script_contract_csrf_header_is_accepted(officer: User) -> None:
    # klarsprak.js sends the form's csrfmiddlewaretoken in the X-CSRFToken header.
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    client.get(reverse("identity:login"))  # sets the CSRF cookie, as the editor page does
    token = client.cookies["csrftoken"].value
    assert client.post(URL, {"text": KNOWN}).status_code == 403
    response = client.post(URL, {"text": KNOWN}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


# --- the partial as the editor includes it --------------------------------------------------

INCLUDE = Template('{% include "staff/_klarsprak.html" with report=report field_id="id_summary" %}')


def test_partial_renders_a_live_region_for_its_field() -> None:
    with translation.override("en"):
        html = INCLUDE.render(Context({"report": analyse(KNOWN)}))
    assert '<div class="klarsprak" id="klarsprak-id_summary" aria-live="polite">' in html
    assert "LIX 26.0" in html
    assert "Very easy" in html


def test_partial_without_a_report_is_an_empty_live_region() -> None:
    html = INCLUDE.render(Context({"report": None}))
    assert 'id="klarsprak-id_summary" aria-live="polite"' in html
    assert "LIX" not in html


@pytest.mark.parametrize(
    ("band", "words"),
    [
        (Band.VERY_EASY, "Very easy"),
        (Band.EASY, "Easy"),
        (Band.MEDIUM, "Medium"),
        (Band.HARD, "Hard"),
        (Band.VERY_HARD, "Very hard"),
    ],
)
def test_partial_names_the_band_in_words(band: Band, words: str) -> None:
    report = replace(analyse(KNOWN), band=band)
    with translation.override("en"):
        html = INCLUDE.render(Context({"report": report}))
    assert f">{words}</span>" in html


def test_partial_for_a_very_hard_text() -> None:
    # Kommunestyret* vedtok utredningen* | Innbyggerne* forventer* oppgradering*:
    # 6 words, 2 sentences, 5 long: 3 + 83.3 = 86.3
    report = analyse("Kommunestyret vedtok utredningen. Innbyggerne forventer oppgradering.")
    with translation.override("en"):
        html = INCLUDE.render(Context({"report": report}))
    assert "LIX 86.3" in html
    assert ">Very hard</span>" in html


def test_script_is_a_same_origin_static_file() -> None:
    found = finders.find("medvirk/klarsprak.js")
    assert isinstance(found, str)
    source = Path(found).read_text(encoding="utf-8")
    assert "data-klarsprak-url" in source
    assert "csrfmiddlewaretoken" in source


@pytest.mark.urls("medvirk.urls")
def test_mounted_at_the_staff_address() -> None:
    assert reverse("staff:klarsprak") == URL


@pytest.mark.urls("medvirk.urls")
def test_editor_shows_the_check_without_javascript(client: Client, officer: User) -> None:
    # The process editor renders the partial under its text areas on GET (no script needed).
    client.force_login(officer)
    org = officer.memberships.get().municipality
    response = client.get(reverse("staff:process_new", args=[org.pk]), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="klarsprak-id_summary" aria-live="polite"' in html
    assert "medvirk/klarsprak.js" in html
