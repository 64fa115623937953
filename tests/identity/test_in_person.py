"""Staff register an in-person identity check; only where they hold the right role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.identity import hashing
from medvirk.identity.models import AssuranceLevel, InPersonVerification, User
from medvirk.organisations import identity_checks as actions
from medvirk.organisations.models import Role
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/stab/identitet/"


def test_staff_verifies_a_person(
    client: Client, officer: User, resident: User, lillevik: Any
) -> None:
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "municipality": lillevik.pk,
            "person": "RESIDENT@example.org",
            "document_kind": "passport",
            "national_id": "018190 12365",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.assurance_level == AssuranceLevel.VERIFIED
    assert resident.verified_via == "in_person"
    assert resident.national_id_hash == hashing.national_id_hash("01819012365")
    check = InPersonVerification.objects.get()
    assert (check.user, check.verified_by, check.municipality) == (resident, officer, lillevik)
    entry = AuditEntry.objects.get(action="identity.verified_in_person")
    assert entry.actor_id == officer.pk
    assert entry.municipality_id_ref == lillevik.pk
    assert entry.data["document_kind"] == "passport"
    assert "01819012365" not in str(entry.data)
    assert audit.verify() == []


def test_non_staff_is_refused(client: Client, resident: User, lillevik: Any) -> None:
    other = factories.user("plain")
    client.force_login(other)
    assert client.get(URL).status_code == 403
    response = client.post(
        URL,
        {
            "municipality": lillevik.pk,
            "person": "resident",
            "document_kind": "passport",
            "confirm": "on",
        },
    )
    assert response.status_code == 403
    assert not InPersonVerification.objects.exists()


def test_moderator_role_is_not_enough(client: Client, resident: User, lillevik: Any) -> None:
    moderator = factories.staff(lillevik, Role.MODERATOR, "mod")
    client.force_login(moderator)
    assert client.get(URL).status_code == 403


def test_staff_of_another_municipality_is_refused(
    client: Client, other_officer: User, resident: User, lillevik: Any
) -> None:
    client.force_login(other_officer)
    response = client.post(
        URL,
        {
            "municipality": lillevik.pk,
            "person": "resident",
            "document_kind": "passport",
            "confirm": "on",
        },
    )
    assert response.status_code == 400  # Lillevik is not among the choices
    assert not InPersonVerification.objects.exists()
    with pytest.raises(ActionRefused) as refused:
        actions.do_verify_in_person(other_officer, lillevik, resident, "passport")
    assert refused.value.status == 403
    resident.refresh_from_db()
    assert resident.assurance_level == AssuranceLevel.ANONYMOUS
    assert not AuditEntry.objects.filter(action="identity.verified_in_person").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"person": "nobody"}, "No account"),
        ({"national_id": "12345678901"}, "not valid"),
        ({"confirm": ""}, "Confirm that you checked"),
        ({"document_kind": "library-card"}, "Select a valid choice"),
    ],
)
def test_bad_input_writes_nothing(
    client: Client, officer: User, resident: User, lillevik: Any, data: dict[str, str], message: str
) -> None:
    client.force_login(officer)
    form = {
        "municipality": lillevik.pk,
        "person": "resident",
        "document_kind": "passport",
        "confirm": "on",
        **data,
    }
    response = client.post(URL, form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InPersonVerification.objects.exists()
    resident.refresh_from_db()
    assert resident.verified_at is None


def test_number_already_used_by_another_account_is_refused(
    officer: User, resident: User, lillevik: Any
) -> None:
    factories.user("twin", national_id_hash=hashing.national_id_hash("01819012365"))
    with pytest.raises(ActionRefused):
        actions.do_verify_in_person(officer, lillevik, resident, "passport", "01819012365")
    assert not InPersonVerification.objects.exists()


def test_staff_cannot_verify_themselves(officer: User, lillevik: Any) -> None:
    with pytest.raises(ActionRefused):
        actions.do_verify_in_person(officer, lillevik, officer, "passport")


def test_staff_dashboard_links_to_the_check_only_for_those_who_may(
    client: Client, officer: User, lillevik: Any
) -> None:
    moderator = factories.staff(lillevik, Role.MODERATOR, "mod")
    client.force_login(officer)
    assert URL in client.get("/stab/").content.decode()
    client.force_login(moderator)
    assert URL not in client.get("/stab/").content.decode()
