"""The interface follows the person's chosen language; a logged-in person's choice sticks
(also on another device), and e-mails pick the person's language first."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from medvirk.core.language import email_language
from medvirk.identity.models import User
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wired")]

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang(client: Client, url: str = "/personvern/") -> str:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_anyone_can_switch_and_is_sent_back() -> None:
    client = Client()
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/personvern/"})
    assert r.status_code == 302 and r["Location"] == "/personvern/"
    assert client.cookies[COOKIE].value == "en"
    assert _lang(client) == "en"


def test_a_logged_in_persons_choice_is_saved_and_follows_them() -> None:
    person = factories.user()
    laptop = Client()
    laptop.force_login(person)
    laptop.post("/i18n/setlang/", {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "en"
    assert _lang(laptop) == "en"
    # Another device: no cookie, a Norwegian browser. Their choice wins, and is remembered.
    phone = Client()
    phone.force_login(person)
    assert _lang(phone) == "en"
    assert phone.cookies[COOKIE].value == "en"
    phone.post("/konto/logg-ut/")  # logging out the way a person does keeps the cookie
    assert not phone.get("/konto/").wsgi_request.user.is_authenticated
    assert _lang(phone) == "en"  # the cookie keeps it after logging out on that device
    # Switching again on the phone changes the saved choice, and the new choice stands.
    phone.force_login(person)
    phone.post("/i18n/setlang/", {"language": "nn", "next": "/"})
    assert User.objects.get(pk=person.pk).preferred_language == "nn"
    assert phone.cookies[COOKIE].value == "nn"
    assert _lang(phone) == "nn"
    assert _lang(laptop) == "nn"


def test_an_unknown_language_changes_nothing() -> None:
    person = factories.user(preferred_language="nn")
    client = Client()
    client.force_login(person)
    r = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert r.status_code == 302
    assert User.objects.get(pk=person.pk).preferred_language == "nn"
    assert _lang(client) == "nn"


def test_switching_is_post_only_and_keeps_you_on_the_site() -> None:
    client = Client()
    assert client.get("/i18n/setlang/?language=en").status_code == 405
    r = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert r.status_code == 302 and not r["Location"].startswith("https://evil")


def test_content_keeps_the_municipalitys_malform() -> None:
    w = factories.world()
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(w.process.get_absolute_url()).content.decode()
    assert '<html lang="en"' in html
    assert w.process.summary in html  # written in nynorsk, shown as written


def test_email_language_prefers_the_person() -> None:
    assert email_language("en", "nb", "nn") == "en"
    assert email_language("", "nb", "nn") == "nb"
    assert email_language(None, "", "nn") == "nn"
    assert email_language("xx", "") == settings.LANGUAGE_CODE
