"""Signing: verified identity, one signature per person (also from a second account), only
inhabitants, withdrawing while signing is open, the count and the automatic delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.core.errors import ActionRefused
from medvirk.identity import hashing
from medvirk.identity.models import User
from medvirk.identity.providers import TEST_PEOPLE
from medvirk.methods.initiative import actions, keys, queries
from medvirk.methods.initiative.models import Initiative, Signature, Status
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import (
    EN,
    TEST_RESIDENCE,
    Initiatives,
    at_days,
    collecting,
    make_instance,
    resident,
    sign_many,
)

pytestmark = pytest.mark.django_db


def _sign(initiatives: Initiatives, initiative: Initiative, person: User) -> actions.Signed:
    return actions.do_sign(
        person, initiatives.instance, initiative, address="Skulevegen 4", lives_here=True
    )


def test_a_resident_signs_once_and_is_counted(initiatives: Initiatives, officer: User) -> None:
    initiative = collecting(initiatives.instance, officer)
    person = resident()
    signed = _sign(initiatives, initiative, person)
    assert signed.count == 1
    assert not signed.delivered
    row = Signature.objects.get()
    assert row.kind == Signature.Kind.EID
    assert row.user == person
    assert row.identity_hash == keys.signature_key(initiative.pk, person.national_id_hash or "")
    # The stored hash is keyed per proposal: not the account's own hash.
    assert row.identity_hash != person.national_id_hash
    assert row.residence == Signature.Residence.DECLARED
    assert row.address == "Skulevegen 4"
    assert row.kommunenummer == "9901"
    with pytest.raises(actions.AlreadySigned) as refused:
        _sign(initiatives, initiative, person)
    assert refused.value.status == 409
    assert Signature.objects.count() == 1


def test_a_second_account_with_the_same_identity_cannot_sign_again(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    first = resident(number="01819012365")
    _sign(initiatives, initiative, first)
    # The same person later has a second account (the first lost its link, e.g. erased
    # and made again, or an in-person check on a new account).
    User.objects.filter(pk=first.pk).update(national_id_hash=None)
    second = resident(number="01819012365")
    assert second.national_id_hash == hashing.national_id_hash("01819012365")
    with pytest.raises(actions.AlreadySigned) as refused:
        _sign(initiatives, initiative, second)
    assert "another account" in refused.value.message
    assert Signature.objects.filter(initiative=initiative).count() == 1


def test_the_database_refuses_a_second_row_for_one_identity(
    initiatives: Initiatives, officer: User
) -> None:
    from django.db import IntegrityError, transaction

    initiative = collecting(initiatives.instance, officer)
    person = resident()
    _sign(initiatives, initiative, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            initiative=initiative,
            kind=Signature.Kind.EID,
            identity_hash=Signature.objects.get().identity_hash,
            residence=Signature.Residence.DECLARED,
        )


def test_an_e_id_without_a_national_number_signs_by_its_subject_hash(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    pupil = factories.user(
        subject_hash=hashing.subject_hash("https://feide", "pupil-1"),
        verified_at=dt.datetime.now(dt.UTC),
    )
    _sign(initiatives, initiative, pupil)
    assert Signature.objects.get().identity_hash == keys.signature_key(
        initiative.pk, pupil.subject_hash or ""
    )


def test_signing_needs_a_verified_identity(initiatives: Initiatives, officer: User) -> None:
    initiative = collecting(initiatives.instance, officer)
    with pytest.raises(actions.NeedsLogin):
        _sign(initiatives, initiative, AnonymousUser())  # type: ignore[arg-type]
    email_only = factories.user(email_verified=True)
    with pytest.raises(actions.NeedsLogin) as refused:
        _sign(initiatives, initiative, email_only)
    assert refused.value.status == 403
    # Verified in person but without a number bound: nothing to recognise the person by.
    no_key = factories.user(verified_at=dt.datetime.now(dt.UTC))
    with pytest.raises(actions.NeedsLogin, match="e-ID"):
        _sign(initiatives, initiative, no_key)
    assert Signature.objects.count() == 0


def test_declared_residence_needs_an_address_and_the_word_of_the_signer(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    person = resident()
    with pytest.raises(ActionRefused, match="home address"):
        actions.do_sign(
            person, initiatives.instance, initiative, address=" \u200b ", lives_here=True
        )
    with pytest.raises(ActionRefused, match="Only inhabitants"):
        actions.do_sign(person, initiatives.instance, initiative, address="Kaivegen 2")
    with pytest.raises(ActionRefused, match="too long"):
        actions.do_sign(
            person, initiatives.instance, initiative, address="x" * 301, lives_here=True
        )
    assert Signature.objects.count() == 0


def test_with_the_test_register_only_inhabitants_sign_and_no_address_is_kept(
    initiatives: Initiatives, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    initiative = collecting(initiatives.instance, officer)
    people = {p.key: resident(number=p.national_id) for p in TEST_PEOPLE}
    signed = actions.do_sign(people["kari"], initiatives.instance, initiative)
    row = signed.signature
    assert row.residence == Signature.Residence.REGISTER
    assert row.kommunenummer == "9901"
    assert row.address == ""  # checked, not kept
    with pytest.raises(ActionRefused, match="Only inhabitants of Lillevik") as refused:
        actions.do_sign(people["aisha"], initiatives.instance, initiative)  # lives in Oslo
    assert refused.value.status == 403
    with pytest.raises(ActionRefused, match="Only inhabitants"):
        actions.do_sign(resident(), initiatives.instance, initiative)  # not in the register
    assert Signature.objects.count() == 1


def test_a_county_takes_signers_from_all_its_kommuner(officer: User, settings: Any) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    county = factories.municipality(
        "Fylket", kommunenummer="9900", is_county=True, inhabitants=40_000
    )
    county_officer = factories.staff(county)
    initiatives = make_instance(county)
    initiative = collecting(initiatives.instance, county_officer)
    assert initiative.threshold == 500
    kari = resident(number=TEST_PEOPLE[0].national_id)  # kommune 9901, in fylke 99
    actions.do_sign(kari, initiatives.instance, initiative)
    aisha = resident(number=TEST_PEOPLE[2].national_id)  # Oslo, fylke 03
    with pytest.raises(ActionRefused, match="Only inhabitants"):
        actions.do_sign(aisha, initiatives.instance, initiative)


def test_withdrawing_frees_the_place_and_the_count_stays_exact(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    person, other = resident(), resident()
    _sign(initiatives, initiative, person)
    _sign(initiatives, initiative, other)
    assert actions.do_withdraw_signature(person, initiatives.instance, initiative) == 1
    assert Signature.objects.filter(initiative=initiative).count() == 1
    with pytest.raises(ActionRefused, match="not signed") as refused:
        actions.do_withdraw_signature(person, initiatives.instance, initiative)
    assert refused.value.status == 409
    # Signing again after withdrawing is allowed: the unique place is free.
    assert _sign(initiatives, initiative, person).count == 2


def test_no_signing_or_withdrawing_outside_the_signing_period(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    person = resident()
    _sign(initiatives, initiative, person)
    assert initiative.signing_closes_at is not None
    after = initiative.signing_closes_at + dt.timedelta(seconds=1)
    with pytest.raises(ActionRefused, match="Signing closed on"):
        actions.do_sign(
            resident(), initiatives.instance, initiative, address="x", lives_here=True, now=after
        )
    with pytest.raises(ActionRefused, match="no longer be withdrawn"):
        actions.do_withdraw_signature(person, initiatives.instance, initiative, now=after)
    just_before = initiative.signing_closes_at - dt.timedelta(seconds=1)
    actions.do_sign(
        resident(), initiatives.instance, initiative, address="x", lives_here=True, now=just_before
    )


def test_signing_is_open_twelve_months_by_default_and_fewer_if_the_instance_says(
    org: Municipality, officer: User, settings: Any
) -> None:
    initiative = collecting(make_instance(org).instance, officer)
    assert initiative.signing_opens_at is not None and initiative.signing_closes_at is not None
    opened = initiative.signing_opens_at
    days = (initiative.signing_closes_at - opened).days
    assert 365 <= days <= 366
    short = collecting(make_instance(org, settings={"signing_months": 3}).instance, officer)
    assert short.signing_closes_at is not None and short.signing_opens_at is not None
    assert 89 <= (short.signing_closes_at - short.signing_opens_at).days <= 92
    # The installation's limit wins over an instance saved before the limit was lowered.
    settings.MEDVIRK_INITIATIVE_SIGNING_MONTHS = 2
    instance = make_instance(org, settings={"signing_months": 2}).instance
    instance.settings = {**instance.settings, "signing_months": 12}
    assert actions.signing_months(instance) == 2


def test_nobody_signs_before_the_check_or_a_refused_or_withdrawn_proposal(
    initiatives: Initiatives, officer: User
) -> None:
    from .conftest import propose

    waiting = propose(initiatives.instance)
    with pytest.raises(ActionRefused, match="checks the proposal first"):
        _sign(initiatives, waiting, resident())
    author = resident()
    mine = collecting(initiatives.instance, officer, author)
    actions.do_withdraw_proposal(author, initiatives.instance, mine)
    mine.refresh_from_db()
    assert mine.status == Status.WITHDRAWN
    with pytest.raises(ActionRefused, match="cannot be signed"):
        _sign(initiatives, mine, resident())
    with pytest.raises(ActionRefused, match="Only the proposer"):
        actions.do_withdraw_proposal(resident(), initiatives.instance, waiting)


def test_another_instances_proposal_is_not_signed_here(
    org: Municipality, initiatives: Initiatives, officer: User
) -> None:
    other = make_instance(org)
    initiative = collecting(other.instance, officer)
    with pytest.raises(ActionRefused) as refused:
        _sign(initiatives, initiative, resident())
    assert refused.value.status == 404


def test_the_threshold_delivers_the_proposal_at_once(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    small = factories.municipality("Smaavik", inhabitants=300)  # 6 signatures
    small_officer = factories.staff(small)
    initiatives = make_instance(small, settings={"postmottak": "postmottak@smavik.example.org"})
    initiative = collecting(initiatives.instance, small_officer)
    assert initiative.threshold == 6
    sign_many(initiatives.instance, initiative, 5)
    with django_capture_on_commit_callbacks(execute=True):
        last = _sign(initiatives, initiative, resident())
    assert last.delivered
    assert last.count == 6
    initiative.refresh_from_db()
    assert initiative.status == Status.DELIVERED
    assert initiative.delivered_count == 6
    assert initiative.delivered_by is None
    assert initiative.threshold_reached_at == initiative.delivered_at
    # Delivered: signing has stopped.
    with pytest.raises(ActionRefused, match="delivered"):
        _sign(initiatives, initiative, resident())
    # The archive message went to postmottak.
    to_postmottak = [m for m in mailoutbox if m.to == ["postmottak@smavik.example.org"]]
    assert len(to_postmottak) == 1
    assert to_postmottak[0].attachments[0][0].endswith("arkivmelding.zip")


def test_without_automatic_delivery_signing_goes_on_past_the_threshold(officer: User) -> None:
    small = factories.municipality("Smaavik", inhabitants=100)  # 2 signatures
    initiatives = make_instance(small, settings={"deliver_at_threshold": False})
    initiative = collecting(initiatives.instance, factories.staff(small))
    first, second = sign_many(initiatives.instance, initiative, 2)
    initiative.refresh_from_db()
    assert initiative.status == Status.COLLECTING
    assert initiative.threshold_reached_at is not None
    actions.do_withdraw_signature(second, initiatives.instance, initiative)
    initiative.refresh_from_db()
    assert initiative.threshold_reached_at is None  # below again
    assert _sign(initiatives, initiative, resident()).count == 2
    assert _sign(initiatives, initiative, resident()).count == 3
    del first


# -- through the pages --------------------------------------------------------------------


def test_the_page_asks_anonymous_people_to_log_in_with_e_id(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    html = Client(**EN).get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert 'id="login-to-sign"' in html
    assert "/konto/logg-inn/?next=" in html
    assert 'id="sign-form"' not in html


def test_a_logged_in_person_without_e_id_is_shown_the_way_to_confirm_it(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    client = Client(**EN)
    client.force_login(factories.user(email_verified=True))
    html = client.get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert 'id="login-to-sign"' in html and "Confirm who you are with e-ID" in html
    assert 'id="sign-form"' not in html


def test_signing_and_withdrawing_through_the_page(initiatives: Initiatives, officer: User) -> None:
    initiative = collecting(initiatives.instance, officer)
    person = resident()
    client = Client(**EN)
    client.force_login(person)
    page = client.get(initiatives.url("initiative", pk=initiative.pk))
    html = page.content.decode()
    assert 'id="sign-form"' in html and 'name="address"' in html and 'name="lives_here"' in html
    assert page["Cache-Control"] == "private, no-store"
    # Sent without ticking: a clear message, nothing stored.
    refused = client.post(initiatives.url("sign", pk=initiative.pk), {"address": "Kaivegen 1"})
    assert refused.status_code == 400
    assert "Tick the box to sign." in refused.content.decode()
    assert Signature.objects.count() == 0
    done = client.post(
        initiatives.url("sign", pk=initiative.pk),
        {"address": "Kaivegen 1", "lives_here": "on", "support": "on"},
    )
    assert done.status_code == 302
    assert Signature.objects.get().language == "en"
    html = client.get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert 'id="signed"' in html and 'id="withdraw-form"' in html
    again = client.post(
        initiatives.url("sign", pk=initiative.pk),
        {"address": "Kaivegen 1", "lives_here": "on", "support": "on"},
    )
    assert again.status_code == 409
    gone = client.post(initiatives.url("withdraw", pk=initiative.pk))
    assert gone.status_code == 302
    assert Signature.objects.count() == 0
    assert client.post(initiatives.url("withdraw", pk=initiative.pk)).status_code == 409


def test_a_proposal_in_waiting_is_hidden_from_others(
    initiatives: Initiatives, officer: User
) -> None:
    from .conftest import propose

    author = resident()
    waiting = propose(initiatives.instance, author)
    url = initiatives.url("initiative", pk=waiting.pk)
    assert Client(**EN).get(url).status_code == 404
    stranger = Client(**EN)
    stranger.force_login(resident())
    assert stranger.get(url).status_code == 404
    own = Client(**EN)
    own.force_login(author)
    assert 'id="waiting"' in own.get(url).content.decode()
    staff = Client(**EN)
    staff.force_login(officer)
    assert staff.get(url).status_code == 200
    assert Client(**EN).get(initiatives.url("initiative", pk=999_999)).status_code == 404


def test_counts_under_five_are_not_shown_publicly(initiatives: Initiatives, officer: User) -> None:
    initiative = collecting(initiatives.instance, officer)
    sign_many(initiatives.instance, initiative, 3)
    html = Client(**EN).get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert "Fewer than 5 signatures so far" in html
    assert "3 of 81" not in html
    sign_many(initiatives.instance, initiative, 2)
    html = Client(**EN).get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert "5 of 81 signatures needed (6 %)" in html
    assert 'max="81" value="5"' in html


def test_the_list_filters_by_stage(org: Municipality, officer: User) -> None:
    small = factories.municipality("Smaavik", inhabitants=50)  # 1 signature
    initiatives = make_instance(small)
    small_officer = factories.staff(small)
    open_one = collecting(initiatives.instance, small_officer, title="Benkar i parken")
    delivered = collecting(initiatives.instance, small_officer, title="Ny ballbinge")
    sign_many(initiatives.instance, delivered, 1)
    client = Client(**EN)
    everything = client.get(initiatives.url()).content.decode()
    assert "Benkar i parken" in everything and "Ny ballbinge" in everything
    only_open = client.get(initiatives.url(), {"vis": "samlar"}).content.decode()
    assert "Benkar i parken" in only_open and "Ny ballbinge" not in only_open
    only_delivered = client.get(initiatives.url(), {"vis": "levert"}).content.decode()
    assert "Ny ballbinge" in only_delivered and "Benkar i parken" not in only_delivered
    assert "No proposals here" in client.get(initiatives.url(), {"vis": "avgjort"}).content.decode()
    # An unknown filter or page is the whole list, never an error.
    assert client.get(initiatives.url(), {"vis": "<x>", "side": "zz"}).status_code == 200
    del open_one


def test_the_list_reads_a_fixed_number_of_queries(
    initiatives: Initiatives, officer: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        collecting(initiatives.instance, officer, title=f"Forslag nummer {n}")
    client = Client(**EN)
    client.get(initiatives.url())
    with django_assert_max_num_queries(20) as few:
        client.get(initiatives.url())
    for n in range(3, 15):
        collecting(initiatives.instance, officer, title=f"Forslag nummer {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(initiatives.url())


def test_the_deadline_is_computed_on_read() -> None:
    small = factories.municipality("Smaavik", inhabitants=50)
    instance = make_instance(small).instance
    initiative = collecting(instance, factories.staff(small))
    sign_many(instance, initiative, 1)
    initiative.refresh_from_db()
    row = queries.row_of(initiative)
    assert initiative.delivered_at is not None and row.deadline is not None
    delivered_on = initiative.delivered_at.astimezone(dt.UTC).date()
    assert 181 <= (row.deadline - delivered_on).days <= 185
    later = queries.row_of(initiative, now=at_days(170))
    assert later.warn and not later.overdue
    past = queries.row_of(initiative, now=at_days(200))
    assert past.overdue
    assert not queries.row_of(initiative, now=at_days(1)).warn
