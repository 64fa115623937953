"""In-person identity checks: only identity officers, only for residents' accounts, with a
recorded document, visible to the person and disputable by them (issue 15).

Tests named ``test_attack_…`` reproduce the findings of issue 15; each failed before the fix.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from medvirk.accountability.models import Notification
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.identity import actions as identity_actions
from medvirk.identity import hashing
from medvirk.identity.models import AssuranceLevel, InPersonVerification, User
from medvirk.identity.providers import VerifiedIdentity, get_provider
from medvirk.organisations import capabilities
from medvirk.organisations import identity_checks as actions
from medvirk.organisations.actions import do_grant_role
from medvirk.organisations.models import Municipality, Role
from medvirk.vocabulary import Capability
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/stab/identitet/"
DISPUTES = "/stab/identitet/tvister/"
PID_A = "01819012365"  # synthetic numbers (month + 80), valid check digits
PID_B = "15886512322"


def _expires() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=700)


def verify(
    staff: User,
    org: Municipality,
    person: User,
    national_id: str = "",
    *,
    kind: str = "passport",
    last4: str = "1234",
    expires: dt.date | None = None,
) -> InPersonVerification:
    return actions.do_verify_in_person(
        staff, org, person, kind, last4, expires or _expires(), national_id
    )


def form(org: Municipality, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "municipality": org.pk,
        "person": "resident",
        "document_kind": "passport",
        "document_last4": "ab12",
        "document_expires": _expires().isoformat(),
        "confirm": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def id_officer(lillevik: Municipality) -> User:
    return factories.staff(lillevik, Role.IDENTITY_OFFICER, "idofficer")


def _eid_login(national_id: str, current: Any = None) -> User:
    provider = get_provider("test")
    assert provider is not None
    identity = VerifiedIdentity(
        "test", "test", "sub", national_id, "idporten-loa-high", "", "", "nb"
    )
    return identity_actions.do_login_verified(current or AnonymousUser(), identity, provider)


# --- the check itself -------------------------------------------------------------------


def test_identity_officer_verifies_a_person_with_a_recorded_document(
    client: Client, id_officer: User, resident: User, lillevik: Municipality
) -> None:
    client.force_login(id_officer)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL, form(lillevik, person="RESIDENT@example.org", national_id="018190 12365")
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.assurance_level == AssuranceLevel.VERIFIED
    assert resident.verified_via == "in_person"
    assert resident.national_id_hash == hashing.national_id_hash(PID_A)
    check = InPersonVerification.objects.get()
    assert (check.user, check.verified_by, check.municipality) == (resident, id_officer, lillevik)
    assert (check.document_kind, check.document_last4) == ("passport", "AB12")
    assert check.document_expires == _expires()
    assert check.bound_national_id
    entry = AuditEntry.objects.get(action="identity.verified_in_person")
    assert entry.actor_id == id_officer.pk
    assert entry.municipality_id_ref == lillevik.pk
    assert entry.data["document_kind"] == "passport"
    assert PID_A not in str(entry.data)
    assert "AB12" not in str(entry.data)  # the document's digits stay out of the fixed log
    assert audit.verify() == []


def test_attack_case_officers_no_longer_verify_identities_by_default(
    client: Client, officer: User, lillevik: Municipality
) -> None:
    assert not capabilities.staff_can(officer, Capability.VERIFY_IDENTITY, lillevik)
    client.force_login(officer)
    assert client.get(URL).status_code == 403


def test_only_the_identity_officer_role_grants_the_capability() -> None:
    holders = {
        role
        for role, caps in capabilities.STAFF_CAPABILITIES.items()
        if Capability.VERIFY_IDENTITY in caps
    }
    assert holders == {Role.IDENTITY_OFFICER}


def test_administrator_gives_the_role_and_the_grant_is_audited(
    client: Client, lillevik: Municipality, resident: User
) -> None:
    admin = factories.administrator(lillevik)
    person = factories.user("newid")
    client.force_login(admin)
    assert client.get(URL).status_code == 403  # administrators do not check by default
    page = client.get(f"/stab/kommune/{lillevik.pk}/roller/").content.decode()
    assert 'value="identity_officer"' in page
    response = client.post(
        f"/stab/kommune/{lillevik.pk}/roller/", {"person": "newid", "role": "identity_officer"}
    )
    assert response.status_code == 302
    granted = AuditEntry.objects.filter(action="role.granted").order_by("-seq").first()
    assert granted is not None and granted.data == {"user": person.pk, "role": "identity_officer"}
    client.force_login(person)
    assert client.get(URL).status_code == 200


def test_non_staff_is_refused(client: Client, resident: User, lillevik: Municipality) -> None:
    other = factories.user("plain")
    client.force_login(other)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(lillevik)).status_code == 403
    assert not InPersonVerification.objects.exists()


def test_moderator_role_is_not_enough(
    client: Client, resident: User, lillevik: Municipality
) -> None:
    moderator = factories.staff(lillevik, Role.MODERATOR, "mod")
    client.force_login(moderator)
    assert client.get(URL).status_code == 403


def test_identity_officer_of_another_municipality_is_refused(
    client: Client, resident: User, lillevik: Municipality, storby: Municipality
) -> None:
    storby_id = factories.staff(storby, Role.IDENTITY_OFFICER, "storbyid")
    client.force_login(storby_id)
    response = client.post(URL, form(lillevik))
    assert response.status_code == 400  # Lillevik is not among the choices
    assert not InPersonVerification.objects.exists()
    with pytest.raises(ActionRefused) as refused:
        verify(storby_id, lillevik, resident)
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
        ({"document_last4": ""}, "This field is required"),
        ({"document_last4": "12-4"}, "last four letters or digits"),
        ({"document_expires": ""}, "This field is required"),
        ({"document_expires": "2001-01-01"}, "The document has expired"),
        ({"document_expires": "2099-01-01"}, "too far ahead"),
    ],
)
def test_bad_input_writes_nothing(
    client: Client,
    id_officer: User,
    resident: User,
    lillevik: Municipality,
    data: dict[str, str],
    message: str,
) -> None:
    client.force_login(id_officer)
    response = client.post(URL, form(lillevik, **data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InPersonVerification.objects.exists()
    resident.refresh_from_db()
    assert resident.verified_at is None


def test_number_already_used_by_another_account_is_refused(
    id_officer: User, resident: User, lillevik: Municipality
) -> None:
    factories.user("twin", national_id_hash=hashing.national_id_hash(PID_A))
    with pytest.raises(ActionRefused):
        verify(id_officer, lillevik, resident, PID_A)
    assert not InPersonVerification.objects.exists()


def test_staff_cannot_verify_themselves(id_officer: User, lillevik: Municipality) -> None:
    with pytest.raises(ActionRefused):
        verify(id_officer, lillevik, id_officer)


def test_staff_dashboard_links_to_the_check_only_for_those_who_may(
    client: Client, id_officer: User, officer: User, lillevik: Municipality
) -> None:
    client.force_login(id_officer)
    assert URL in client.get("/stab/").content.decode()
    client.force_login(officer)
    assert URL not in client.get("/stab/").content.decode()


# --- the attacks of issue 15 --------------------------------------------------------------


def test_attack_officer_cannot_verify_staff_of_another_municipality(
    id_officer: User, other_officer: User, lillevik: Municipality
) -> None:
    # Binding their own number to a Storby case officer would let the Lillevik officer log
    # in as that officer with their own e-ID.
    with pytest.raises(ActionRefused) as refused:
        verify(id_officer, lillevik, other_officer, PID_A)
    assert refused.value.status == 403
    other_officer.refresh_from_db()
    assert (other_officer.national_id_hash, other_officer.verified_at) == (None, None)
    assert _eid_login(PID_A).pk != other_officer.pk
    assert not InPersonVerification.objects.exists()


def test_attack_officer_cannot_verify_a_colleague_or_an_operator(
    id_officer: User, officer: User, lillevik: Municipality
) -> None:
    operator = factories.user("operator", is_staff=True)
    for target in (officer, operator):
        with pytest.raises(ActionRefused):
            verify(id_officer, lillevik, target, PID_A)
        target.refresh_from_db()
        assert target.national_id_hash is None
    assert not InPersonVerification.objects.exists()


def test_attack_officer_cannot_rebind_a_national_id(
    id_officer: User, resident: User, lillevik: Municipality
) -> None:
    verify(id_officer, lillevik, resident, PID_A)
    second = factories.staff(lillevik, Role.IDENTITY_OFFICER, "idofficer2")
    for number in (PID_B, PID_A):  # neither replaced nor "confirmed" (no oracle)
        with pytest.raises(ActionRefused) as refused:
            verify(second, lillevik, resident, number)
        assert "already has a national identity number" in refused.value.message
    resident.refresh_from_db()
    assert resident.national_id_hash == hashing.national_id_hash(PID_A)
    assert InPersonVerification.objects.count() == 1


def test_attack_eid_verified_account_is_not_checked_again(
    id_officer: User, lillevik: Municipality
) -> None:
    eid = _eid_login(PID_A)
    for number in ("", PID_B):
        with pytest.raises(ActionRefused) as refused:
            verify(id_officer, lillevik, eid, number)
        assert refused.value.status == 409
    eid.refresh_from_db()
    assert eid.verified_via == "test"
    assert eid.national_id_hash == hashing.national_id_hash(PID_A)
    assert not InPersonVerification.objects.exists()


def test_a_check_without_a_number_can_be_repeated_for_a_resident(
    id_officer: User, resident: User, lillevik: Municipality, storby: Municipality
) -> None:
    verify(id_officer, lillevik, resident)
    storby_id = factories.staff(storby, Role.IDENTITY_OFFICER, "storbyid")
    verify(storby_id, storby, resident, PID_A)  # first number bound: allowed
    assert InPersonVerification.objects.filter(user=resident).count() == 2


# --- the person sees the check and disputes it ----------------------------------------------


def test_my_page_shows_who_verified_me_when_and_with_which_document(
    client: Client, id_officer: User, resident: User, lillevik: Municipality
) -> None:
    check = verify(id_officer, lillevik, resident, last4="9x7z")
    client.force_login(resident)
    page = client.get("/konto/").content.decode()
    assert "Verified in person by Lillevik on" in page
    assert "document: Passport" in page
    assert "number ending in 9X7Z" in page
    assert f"/konto/identitetskontroll/{check.pk}/bestrid/" in page
    assert "idofficer" not in page  # the officer's name is not shown to the person


def test_person_disputes_a_check_which_stops_counting_and_tells_the_administrators(
    client: Client,
    id_officer: User,
    resident: User,
    lillevik: Municipality,
    django_capture_on_commit_callbacks: Any,
) -> None:
    check = verify(id_officer, lillevik, resident, PID_A)
    admin = factories.administrator(lillevik)
    second_admin = factories.staff(lillevik, Role.ADMINISTRATOR, "admin2")
    mark = factories.audit_mark()
    client.force_login(resident)
    url = f"/konto/identitetskontroll/{check.pk}/bestrid/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": ""}).status_code == 400  # the box must be ticked
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "Eg var ikkje der.", "confirm": "on"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.assurance_level == AssuranceLevel.ANONYMOUS
    assert (resident.national_id_hash, resident.verified_via) == (None, "")
    check.refresh_from_db()
    assert check.disputed_at is not None and check.dispute_note == "Eg var ikkje der."
    row = factories.audited_since(mark).get(action="identity.in_person_disputed")
    assert (row.actor_id, row.municipality_id_ref) == (resident.pk, lillevik.pk)
    assert row.data == {"removed_national_id": True, "level_lowered": True}
    assert "ikkje" not in str(row.data)
    told = Notification.objects.filter(link=DISPUTES)
    assert {n.user_id for n in told} == {admin.pk, second_admin.pk}
    assert not told.filter(user=id_officer).exists()
    # The bound number no longer opens this account: an e-ID login with it gets its own.
    assert _eid_login(PID_A).pk != resident.pk
    page = client.get("/konto/").content.decode()
    assert "You disputed this check on" in page
    assert "has not reviewed it yet" in page
    assert audit.verify() == []


def test_a_check_can_be_disputed_once_and_only_by_its_person(
    client: Client, id_officer: User, resident: User, lillevik: Municipality
) -> None:
    check = verify(id_officer, lillevik, resident)
    url = f"/konto/identitetskontroll/{check.pk}/bestrid/"
    client.force_login(factories.user("someone"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    client.force_login(resident)
    assert client.post(url, {"confirm": "on"}).status_code == 302
    with pytest.raises(ActionRefused):
        identity_actions.do_dispute_in_person_check(resident, check.pk)
    assert AuditEntry.objects.filter(action="identity.in_person_disputed").count() == 1


def test_dispute_of_one_check_keeps_an_eid_verification_without_its_number(
    id_officer: User, resident: User, lillevik: Municipality
) -> None:
    # A check without a number, then a Feide-like login (no number): the dispute leaves
    # the e-ID verification alone.
    check = verify(id_officer, lillevik, resident)
    resident.refresh_from_db()
    resident.verified_via = "feide"
    resident.save()
    identity_actions.do_dispute_in_person_check(resident, check.pk)
    resident.refresh_from_db()
    assert resident.assurance_level == AssuranceLevel.VERIFIED
    assert resident.verified_via == "feide"


def test_no_new_check_while_a_dispute_waits_and_the_review_reopens_it(
    client: Client, id_officer: User, resident: User, lillevik: Municipality
) -> None:
    check = verify(id_officer, lillevik, resident, PID_A)
    identity_actions.do_dispute_in_person_check(resident, check.pk, "Not me")
    with pytest.raises(ActionRefused) as refused:
        verify(id_officer, lillevik, resident, PID_A)
    assert "disputed an earlier identity check" in refused.value.message
    # Only administrators of the check's municipality review it.
    client.force_login(id_officer)
    assert client.get(DISPUTES).status_code == 403
    admin = factories.administrator(lillevik)
    client.force_login(admin)
    page = client.get(DISPUTES).content.decode()
    assert "resident" in page and "Not me" in page and "idofficer" in page
    assert client.post(DISPUTES, {"check_id": check.pk, "note": ""}).status_code == 400
    mark = factories.audit_mark()
    response = client.post(DISPUTES, {"check_id": check.pk, "note": "Rolla er trekt tilbake."})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.reviewed_by, check.review_note) == (admin, "Rolla er trekt tilbake.")
    assert (
        factories.audited_since(mark).get(action="identity.dispute_reviewed").actor_id == admin.pk
    )
    assert "resident" not in client.get(DISPUTES).content.decode()
    resident.refresh_from_db()
    assert resident.verified_at is None  # the review does not give the level back
    verify(id_officer, lillevik, resident, PID_A)  # a new check is possible again


def test_administrator_of_another_municipality_cannot_review(
    client: Client, id_officer: User, resident: User, lillevik: Municipality, storby: Municipality
) -> None:
    check = verify(id_officer, lillevik, resident)
    identity_actions.do_dispute_in_person_check(resident, check.pk)
    storby_admin = factories.administrator(storby)
    client.force_login(storby_admin)
    assert "resident" not in client.get(DISPUTES).content.decode()
    response = client.post(DISPUTES, {"check_id": check.pk, "note": "Lukka."})
    assert response.status_code == 404
    check.refresh_from_db()
    assert check.reviewed_at is None


def test_role_grant_makes_an_identity_officer_only_in_that_municipality(
    resident: User, lillevik: Municipality, storby: Municipality
) -> None:
    person = factories.user("granted")
    do_grant_role(factories.administrator(lillevik), lillevik, person, Role.IDENTITY_OFFICER)
    fresh = User.objects.get(pk=person.pk)
    assert capabilities.staff_can(fresh, Capability.VERIFY_IDENTITY, lillevik)
    assert not capabilities.staff_can(fresh, Capability.VERIFY_IDENTITY, storby)
    with pytest.raises(ActionRefused):
        verify(fresh, storby, resident)


def test_an_administrator_does_not_review_a_dispute_about_their_own_check(
    resident: User, lillevik: Municipality
) -> None:
    admin = factories.administrator(lillevik)
    do_grant_role(admin, lillevik, admin, Role.IDENTITY_OFFICER)
    admin = User.objects.get(pk=admin.pk)  # roles are memoised on the object
    check = verify(admin, lillevik, resident)
    identity_actions.do_dispute_in_person_check(resident, check.pk)
    with pytest.raises(ActionRefused) as refused:
        actions.do_review_dispute(admin, check.pk, "Alt i orden.")
    assert refused.value.status == 403
    other_admin = factories.staff(lillevik, Role.ADMINISTRATOR, "admin2")
    actions.do_review_dispute(other_admin, check.pk, "Sjekka med kontoret.")
    check.refresh_from_db()
    assert check.reviewed_by == other_admin
