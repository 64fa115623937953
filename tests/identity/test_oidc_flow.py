"""The whole authorization-code flow with PKCE against a local OpenID provider."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import translation

from medvirk.identity import hashing
from medvirk.identity.models import AssuranceLevel, User
from medvirk.identity.testing.op import LocalOpenIDProvider

pytestmark = pytest.mark.django_db(transaction=False)

PID = "01819012365"


def start(client: Client, provider: str = "idporten", next_url: str = "/konto/") -> str:
    response = client.get(f"/konto/eid/{provider}/start/", {"next": next_url})
    assert response.status_code == 302
    return response["Location"]


def visit_op(authorize_url: str) -> str:
    """The browser's hop to the provider: it answers with a redirect back to us."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    back = urlsplit(response.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def login(client: Client) -> Any:
    return client.get(visit_op(start(client)))


def all_text_in_database() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(repr(row) for row in cursor.fetchall())
    # Sessions are stored encoded: look inside them too.
    chunks.extend(repr(s.get_decoded()) for s in Session.objects.all())
    return "\n".join(chunks)


def test_full_flow_asks_for_level_and_pkce_and_logs_in(
    client: Client, idporten: LocalOpenIDProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    authorize_url = start(client)
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    assert authorize_url.startswith(idporten.issuer + "/authorize?")
    assert query["acr_values"] == "idporten-loa-substantial"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == "http://testserver/konto/eid/idporten/callback/"
    assert query["scope"] == "openid profile"

    response = client.get(visit_op(authorize_url))
    assert response.status_code == 302
    assert response["Location"] == "/konto/"

    user = User.objects.get()
    assert user.assurance_level == AssuranceLevel.VERIFIED
    assert user.national_id_hash == hashing.national_id_hash(PID)
    assert user.verified_via == "idporten"
    assert user.verified_at is not None
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get("/konto/")
    # The ID-porten locale (nb) became the account's language, and the account's choice wins.
    assert user.preferred_language == "nb"
    with translation.override("nb"):
        assert translation.gettext("Verified identity") in page.content.decode()
    assert Session.objects.exists()

    # The number itself is nowhere: not in any table, not in the log output.
    assert PID not in all_text_in_database()
    assert PID not in caplog.text


def test_same_person_twice_is_the_same_account(
    client: Client, idporten: LocalOpenIDProvider
) -> None:
    login(client)
    first = User.objects.get()
    client.logout()
    idporten.person = {**idporten.person, "acr": "idporten-loa-high"}
    response = login(client)
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert client.session["_auth_user_id"] == str(first.pk)


def test_another_person_gets_another_account(client: Client, idporten: LocalOpenIDProvider) -> None:
    login(client)
    client.logout()
    idporten.person = {**idporten.person, "sub": "someone-else", "pid": "15886512322"}
    login(client)
    assert User.objects.count() == 2


def test_lower_acr_than_required_is_refused(client: Client, idporten: LocalOpenIDProvider) -> None:
    idporten.person = {**idporten.person, "acr": "idporten-loa-low"}
    response = login(client)
    assert response.status_code == 403
    assert "lower level of assurance" in response.content.decode()
    assert User.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_missing_acr_is_refused(client: Client, idporten: LocalOpenIDProvider) -> None:
    idporten.person = {k: v for k, v in idporten.person.items() if k != "acr"}
    response = login(client)
    assert response.status_code == 403
    assert User.objects.count() == 0


def test_higher_level_can_be_required(
    client: Client, idporten: LocalOpenIDProvider, settings: Any
) -> None:
    settings.MEDVIRK_IDENTITY_PROVIDERS = [
        {**settings.MEDVIRK_IDENTITY_PROVIDERS[0], "acr_values": "idporten-loa-high"}
    ]
    url = start(client)
    assert parse_qs(urlsplit(url).query)["acr_values"] == ["idporten-loa-high"]
    response = client.get(visit_op(url))  # the OP answers "substantial"
    assert response.status_code == 403
    assert User.objects.count() == 0


def test_wrong_state_is_refused(client: Client, idporten: LocalOpenIDProvider) -> None:
    callback = visit_op(start(client))
    path, query = callback.split("?")
    code = parse_qs(query)["code"][0]
    response = client.get(path, {"code": code, "state": "forged-state"})
    assert response.status_code == 400
    assert "could not be matched" in response.content.decode()
    assert User.objects.count() == 0
    assert idporten.token_errors == []  # we never even asked for the token


def test_state_is_single_use(client: Client, idporten: LocalOpenIDProvider) -> None:
    callback = visit_op(start(client))
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 400


def test_state_from_another_browser_is_refused(
    client: Client, idporten: LocalOpenIDProvider
) -> None:
    callback = visit_op(start(client))
    response = Client().get(callback)
    assert response.status_code == 400
    assert User.objects.count() == 0


def test_pkce_verifier_mismatch_is_refused_by_the_op(
    client: Client, idporten: LocalOpenIDProvider
) -> None:
    callback = visit_op(start(client))
    state = parse_qs(callback.split("?")[1])["state"][0]
    session = client.session
    session["oidc_states"][state]["code_verifier"] = "x" * 64
    session.save()
    response = client.get(callback)
    assert idporten.token_errors == ["invalid_grant"]
    assert response.status_code == 400
    assert "did not accept the login" in response.content.decode()
    assert User.objects.count() == 0


def test_nonce_mismatch_is_refused(client: Client, idporten: LocalOpenIDProvider) -> None:
    idporten.nonce_override = "not-the-nonce-we-sent"
    response = login(client)
    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert User.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_error_from_provider_is_refused(client: Client, idporten: LocalOpenIDProvider) -> None:
    url = start(client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    response = client.get(
        "/konto/eid/idporten/callback/", {"error": "access_denied", "state": state}
    )
    assert response.status_code == 400
    assert "cancelled" in response.content.decode()


def test_unknown_provider_is_404(client: Client, idporten: LocalOpenIDProvider) -> None:
    assert client.get("/konto/eid/nope/start/").status_code == 404
    assert client.get("/konto/eid/nope/callback/").status_code == 404


def test_unreachable_provider_gives_a_message(client: Client, settings: Any, db: Any) -> None:
    settings.MEDVIRK_IDENTITY_PROVIDERS = [
        {
            "preset": "idporten",
            "client_id": "x",
            "discovery_url": "http://127.0.0.1:9/.well-known/openid-configuration",
            "timeout": 0.5,
        }
    ]
    response = client.get("/konto/eid/idporten/start/")
    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()


def test_logged_in_account_is_raised_to_verified(
    client: Client, idporten: LocalOpenIDProvider, resident: User
) -> None:
    client.force_login(resident)
    response = login(client)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.assurance_level == AssuranceLevel.VERIFIED
    assert User.objects.count() == 1


def test_e_id_of_another_account_is_not_linked(
    client: Client, idporten: LocalOpenIDProvider, resident: User
) -> None:
    login(client)
    client.logout()
    client.force_login(resident)
    response = login(client)
    assert response.status_code == 409
    resident.refresh_from_db()
    assert resident.national_id_hash is None


def test_feide_without_pid_is_keyed_by_issuer_and_subject(
    client: Client, op: LocalOpenIDProvider, settings: Any
) -> None:
    settings.MEDVIRK_IDENTITY_PROVIDERS = [
        {
            "preset": "feide",
            "client_id": op.client_id,
            "client_secret": op.client_secret,
            "discovery_url": op.discovery_url,
            "token_auth_method": "client_secret_post",
        }
    ]
    op.person = {"sub": "feide-sub-42", "acr": "", "amr": ["password"]}
    op.userinfo_extra = {"name": "Pia Pupil", "locale": "nn"}
    url = start(client, "feide")
    assert "acr_values" not in parse_qs(urlsplit(url).query)
    response = client.get(visit_op(url))
    assert response.status_code == 302
    user = User.objects.get()
    assert user.national_id_hash is None
    assert user.subject_hash == hashing.subject_hash(op.issuer, "feide-sub-42")
    assert user.first_name == "Pia"
    assert user.preferred_language == "nn"
    client.logout()
    client.get(visit_op(start(client, "feide")))
    assert User.objects.count() == 1
