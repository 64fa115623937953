"""My page: level, e-mail confirmation, sign-up, export and erasure of one's own data."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from medvirk.accountability.models import Notification, Response, Subscription
from medvirk.contributions.models import Contribution
from medvirk.core import audit
from medvirk.core.models import AuditEntry
from medvirk.identity import actions
from medvirk.identity.models import AssuranceLevel, User
from medvirk.organisations import identity_checks
from medvirk.organisations.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_account_needs_login(client: Client) -> None:
    response = client.get("/konto/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")


def test_account_shows_level_and_how_to_raise_it(client: Client, resident: User) -> None:
    client.force_login(resident)
    html = client.get("/konto/").content.decode()
    assert "Anonymous" in html or "Anonym" in html
    assert "/konto/e-post/" in html
    assert "/konto/eid/test/start/" in html
    assert "/konto/mine-data/" in html
    assert "/konto/slett/" in html


def test_signup_creates_account_and_sends_confirmation(client: Client, db: Any) -> None:
    response = client.post(
        "/konto/ny/",
        {
            "username": "nyinnbygger",
            "email": "ny@example.org",
            "password1": "a-long-Passphrase-91",
            "password2": "a-long-Passphrase-91",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nyinnbygger")
    assert user.assurance_level == AssuranceLevel.ANONYMOUS
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@example.org"]


def test_signup_bad_input_writes_nothing(client: Client, db: Any) -> None:
    response = client.post(
        "/konto/ny/", {"username": "x", "password1": "a", "password2": "b", "email": "bad"}
    )
    assert response.status_code == 400
    assert "ds-error-summary" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_email_confirmation_flow(client: Client, resident: User) -> None:
    client.force_login(resident)
    response = client.post("/konto/e-post/", {"email": "new@example.org"})
    assert response.status_code == 302
    body = str(mail.outbox[-1].body)
    link = re.search(r"http://\S+", body)
    assert link is not None
    path = link.group(0).split("127.0.0.1:8000", 1)[1]
    assert client.get(path).status_code == 200  # opening the link alone changes nothing
    resident.refresh_from_db()
    assert not resident.email_verified
    assert client.post(path).status_code == 302
    resident.refresh_from_db()
    assert resident.email == "new@example.org"
    assert resident.email_verified
    assert resident.assurance_level == AssuranceLevel.EMAIL


def test_email_confirmation_refuses_bad_links(
    client: Client, resident: User, officer: User
) -> None:
    client.force_login(resident)
    assert client.post("/konto/e-post/bekreft/garbage/").status_code == 400
    other = actions.email_confirmation_token(officer, officer.email)
    assert client.post(f"/konto/e-post/bekreft/{other}/").status_code == 403
    stale = actions.email_confirmation_token(resident, "old@example.org")
    assert client.post(f"/konto/e-post/bekreft/{stale}/").status_code == 400
    resident.refresh_from_db()
    assert not resident.email_verified


def test_email_form_rejects_invalid_address(client: Client, resident: User) -> None:
    client.force_login(resident)
    response = client.post("/konto/e-post/", {"email": "not-an-address"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert mail.outbox == []


def test_download_my_data_has_mine_and_not_others(
    client: Client, resident: User, with_input: dict[str, Any], lillevik: Any
) -> None:
    client.force_login(resident)
    response = client.get("/konto/mine-data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["username"] == "resident"
    assert data["profile"]["email"] == "resident@example.org"
    assert [c["text"] for c in data["contributions"]] == ["Bygg ny skole ved fjorden."]
    mine = data["contributions"][0]
    assert mine["id"] == with_input["mine"].pk
    assert mine["receipt_link"].endswith(with_input["mine"].receipt_url())
    # The municipality's answer, found by the contribution's id.
    [answer] = data["responses"]
    assert answer["contribution"] == mine["id"]
    assert answer["status"] == "partly_adopted"
    assert answer["reason"] == "Vi ser på tomta ved fjorden."
    # In the account, and the e-mail copy about the resident's own input.
    assert [n["subject"] for n in data["notifications"]] == [
        "Svar på innspelet ditt",
        "E-post-kopi",
    ]
    assert data["memberships"] == []
    assert data["survey_answers"] == []
    text = response.content.decode()
    assert "Someone else's secret idea" not in text
    assert "Other's notice" not in text
    assert "officer" not in text  # who answered is staff data, not the resident's


def test_download_includes_memberships(client: Client, officer: User) -> None:
    client.force_login(officer)
    data = json.loads(client.get("/konto/mine-data/").content)
    assert data["memberships"][0]["municipality"] == "Lillevik"
    assert data["memberships"][0]["role"] == "case_officer"


def test_erase_needs_confirmation(client: Client, resident: User) -> None:
    client.force_login(resident)
    assert client.get("/konto/slett/").status_code == 200
    response = client.post("/konto/slett/", {})
    assert response.status_code == 400
    assert User.objects.filter(pk=resident.pk).exists()


def test_erase_account(
    client: Client, resident: User, officer: User, with_input: dict[str, Any], lillevik: Any
) -> None:
    resident.email_verified = True
    resident.save()
    Subscription.objects.create(
        process=with_input["mine"].process, email="RESIDENT@example.org", token_hash="a" * 64
    )
    # The resident has audit rows of their own (e.g. as a former staff member).
    audit.record("test.something", actor=resident, municipality_id=lillevik.pk)
    audit.record("test.other", actor=officer, municipality_id=lillevik.pk)
    pk = resident.pk
    client.force_login(resident)
    response = client.post("/konto/slett/", {"confirm": "on"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=pk).exists()

    mine = Contribution.objects.get(pk=with_input["mine"].pk)
    assert mine.author is None
    assert mine.author_name == ""
    assert mine.contact_email == ""
    assert not mine.show_name
    assert mine.text == "Bygg ny skole ved fjorden."  # stays in the case
    assert Response.objects.filter(contribution=mine).exists()
    assert not Notification.objects.filter(contribution=mine).exists()
    assert Notification.objects.filter(subject="Other's notice").exists()
    assert Contribution.objects.get(pk=with_input["theirs"].pk).author_name == "Other Person"
    assert not Subscription.objects.exists()

    row = AuditEntry.objects.get(action="test.something")
    assert row.actor_id is None
    assert row.actor_label.startswith("erased:")
    assert "resident" not in row.actor_label
    assert AuditEntry.objects.get(action="test.other").actor_id == officer.pk
    assert audit.verify() == []


def test_erase_staff_member_who_verified_someone(
    client: Client, resident: User, lillevik: Any
) -> None:
    officer = factories.staff(lillevik, Role.IDENTITY_OFFICER, "idofficer")
    valid_until = timezone.localdate() + dt.timedelta(days=365)
    identity_checks.do_verify_in_person(
        officer, lillevik, resident, "passport", "1234", valid_until
    )
    client.force_login(officer)
    assert client.post("/konto/slett/", {"confirm": "on"}).status_code == 302
    assert not User.objects.filter(pk=officer.pk).exists()
    resident.refresh_from_db()
    assert resident.assurance_level == AssuranceLevel.VERIFIED
    assert audit.verify() == []
    assert not AuditEntry.objects.filter(actor_label__contains="officer").exists()
