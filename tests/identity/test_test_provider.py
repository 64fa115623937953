"""The clearly marked test provider, and production refusing it."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from medvirk.algorithms.text.fodselsnummer import is_valid
from medvirk.identity import hashing
from medvirk.identity.models import AssuranceLevel, User
from medvirk.identity.providers import TEST_PEOPLE

pytestmark = pytest.mark.django_db


def test_test_people_have_valid_synthetic_numbers() -> None:
    for person in TEST_PEOPLE:
        assert is_valid(person.national_id)
        assert int(person.national_id[2:4]) > 80  # synthetic: month + 80


def test_page_is_clearly_marked_and_logs_in(client: Client) -> None:
    page = client.get("/konto/eid/test/", {"next": "/konto/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "TEST – not a real e-ID" in html or "TEST" in html
    assert 'value="/konto/"' in html
    response = client.post(
        "/konto/eid/test/",
        {"person": "kari", "level": "idporten-loa-high", "next": "/konto/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    user = User.objects.get()
    assert user.assurance_level == AssuranceLevel.VERIFIED
    assert user.verified_via == "test"
    assert user.national_id_hash == hashing.national_id_hash("01819012365")
    assert user.birth_year == 1990  # read from the number; the number itself is not kept
    client.logout()
    client.post("/konto/eid/test/", {"person": "kari", "level": "idporten-loa-substantial"})
    assert User.objects.count() == 1


def test_low_level_is_refused_through_the_same_path(client: Client) -> None:
    response = client.post("/konto/eid/test/", {"person": "ola", "level": "test-loa-low"})
    assert response.status_code == 403
    assert "lower level of assurance" in response.content.decode()
    assert User.objects.count() == 0


def test_bad_input_gets_a_message(client: Client) -> None:
    response = client.post("/konto/eid/test/", {"person": "nobody", "level": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "ds-error-summary" in html
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == 0


def test_start_redirects_to_the_test_page(client: Client) -> None:
    response = client.get("/konto/eid/test/start/", {"next": "/konto/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/eid/test/?next=")


def test_off_when_settings_say_so(client: Client, settings: Any) -> None:
    settings.MEDVIRK_TEST_IDENTITY_PROVIDER = False
    assert client.get("/konto/eid/test/").status_code == 404
    assert (
        client.post(
            "/konto/eid/test/", {"person": "kari", "level": "idporten-loa-high"}
        ).status_code
        == 404
    )
    assert client.get("/konto/eid/test/start/").status_code == 404
    assert "TEST" not in client.get("/konto/logg-inn/").content.decode()


def test_login_page_shows_providers(client: Client, settings: Any) -> None:
    settings.MEDVIRK_IDENTITY_PROVIDERS = [
        {"preset": "idporten", "client_id": "abc", "discovery_url": "http://127.0.0.1:9/x"}
    ]
    html = client.get("/konto/logg-inn/", {"next": "/konto/"}).content.decode()
    assert "/konto/eid/idporten/start/?next=/konto/" in html
    assert "/konto/eid/test/start/" in html
    assert 'name="username"' in html


def _import_production(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MEDVIRK_", "DJANGO_")) and k != "SECRET_KEY"
    }
    env.update({"SECRET_KEY": "x" * 50, "MEDVIRK_IDENTITY_PEPPER": "p" * 50, **extra_env})
    env.setdefault("MEDVIRK_AUDIT_KEY", "a" * 50)  # required by production (issue 15)
    env.setdefault("MEDVIRK_SINGLE_PROCESS", "true")  # no REDIS_URL here (issue 15)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import medvirk.settings.production as p; print(p.MEDVIRK_TEST_IDENTITY_PROVIDER)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_refuse_the_test_provider() -> None:
    refused = _import_production({"MEDVIRK_TEST_IDENTITY_PROVIDER": "1"})
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "test identity provider" in refused.stderr
    allowed = _import_production({})
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.strip() == "False"
