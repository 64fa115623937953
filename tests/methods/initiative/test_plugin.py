"""The plug-in as the core reads it, the residence providers, a person's own data and its
erasure, and the Lillevik demo."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from medvirk.contributions.models import Contribution
from medvirk.demo.loader import load_demo
from medvirk.identity import actions as identity_actions
from medvirk.identity import hashing, residence
from medvirk.identity.models import User
from medvirk.identity.providers import TEST_PEOPLE
from medvirk.identity.queries import export_my_data
from medvirk.methods.initiative import actions, demo
from medvirk.methods.initiative.models import Initiative, Signature, Status
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories

from .conftest import (
    EN,
    TEST_RESIDENCE,
    Initiatives,
    collecting,
    make_instance,
    resident,
    sign_many,
)

pytestmark = pytest.mark.django_db


def test_the_plugin_is_registered_without_problems() -> None:
    plugin = registry.get("initiative")
    assert registry.problems(plugin) == []
    assert plugin.catalogue_entries == ("citizens_initiative",)
    assert plugin.demo is not None and plugin.demo.slug == "innbyggjarforslag"
    assert plugin.action("sign").default_level == 2
    assert plugin.action("propose").default_level == 2
    assert plugin.default_settings() == {
        "check_first": True,
        "deliver_at_threshold": True,
        "signing_months": 12,
        "postmottak": "",
    }


def test_the_settings_are_checked(settings: Any) -> None:
    plugin = registry.get("initiative")
    with pytest.raises(registry.SettingsInvalid, match="At most 12 months"):
        plugin.validate_settings({"signing_months": 13})
    with pytest.raises(registry.SettingsInvalid):
        plugin.validate_settings({"postmottak": "not an address"})
    settings.MEDVIRK_INITIATIVE_SIGNING_MONTHS = 6
    with pytest.raises(registry.SettingsInvalid, match="At most 6 months"):
        plugin.validate_settings({"signing_months": 12})


def test_status_and_primary_action(initiatives: Initiatives, officer: User) -> None:
    plugin = registry.get("initiative")
    assert plugin.status(initiatives.instance, timezone.now()) is None
    collecting(initiatives.instance, officer)
    status = plugin.status(initiatives.instance, timezone.now())
    assert status is not None and status.key == "open"
    assert "1 proposal is collecting" in status.text
    action = plugin.primary_action(initiatives.instance)
    assert action is not None and action.url == initiatives.url("propose")


def test_the_case_page_shows_the_method(initiatives: Initiatives, officer: User) -> None:
    collecting(initiatives.instance, officer)
    page = Client(**EN).get(initiatives.instance.process.get_absolute_url())
    assert page.status_code == 200
    assert initiatives.url("propose") in page.content.decode()


# -- residence ------------------------------------------------------------------------------


def test_the_test_register_knows_its_made_up_people(settings: Any) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    assert not residence.declares()
    kari = resident(number=TEST_PEOPLE[0].national_id)
    found = residence.residence_of(kari)
    assert found == residence.Residence("9901", "Skulevegen 4, Lillevik", "Sentrum")
    aisha = resident(number=TEST_PEOPLE[2].national_id)
    found_elsewhere = residence.residence_of(aisha)
    assert found_elsewhere is not None and found_elsewhere.kommunenummer == "0301"
    assert residence.residence_of(resident()) is None
    from django.contrib.auth.models import AnonymousUser

    assert residence.residence_of(AnonymousUser()) is None
    # Every test person but one lives in Lillevik; each has a valid kommunenummer.
    homes = [p.kommunenummer for p in TEST_PEOPLE]
    assert homes.count("9901") == len(TEST_PEOPLE) - 1
    assert all(len(k) == 4 and k.isdigit() for k in homes)


def test_declared_is_the_default_and_knows_nothing(settings: Any) -> None:
    del settings.MEDVIRK_RESIDENCE_PROVIDER
    assert residence.declares()
    assert residence.residence_of(resident()) is None


def test_a_wrong_provider_setting_is_a_configuration_error(settings: Any) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = "medvirk.identity.residence.NoSuchThing"
    with pytest.raises(ImproperlyConfigured):
        residence.provider()
    settings.MEDVIRK_RESIDENCE_PROVIDER = "medvirk.identity.hashing.national_id_hash"
    with pytest.raises(ImproperlyConfigured):
        residence.provider()


# -- a person's own data --------------------------------------------------------------------


def test_my_data_holds_my_proposals_and_signatures(initiatives: Initiatives, officer: User) -> None:
    author = resident()
    initiative = collecting(initiatives.instance, officer, author)
    actions.do_sign(author, initiatives.instance, initiative, address="Kaivegen 2", lives_here=True)
    exported = export_my_data(author)
    proposals = exported["initiatives"]
    assert isinstance(proposals, list) and proposals[0]["title"] == initiative.title
    assert proposals[0]["signatures"] == 1
    signatures = exported["initiative_signatures"]
    assert isinstance(signatures, list) and signatures[0]["address"] == "Kaivegen 2"
    other = export_my_data(resident())
    assert other["initiatives"] == [] and other["initiative_signatures"] == []


def test_erasure_withdraws_an_open_signature_and_keeps_a_closed_one_without_the_person(
    org: Municipality, officer: User
) -> None:
    open_one = make_instance(org)
    signing = collecting(open_one.instance, officer)
    small = factories.municipality("Smaavik", inhabitants=50)
    closed_instance = make_instance(small).instance
    delivered = collecting(closed_instance, factories.staff(small))
    person = resident(number="24917599123")
    actions.do_sign(person, open_one.instance, signing, address="Kaivegen 2", lives_here=True)
    actions.do_sign(person, closed_instance, delivered, address="Kaivegen 2", lives_here=True)
    delivered.refresh_from_db()
    assert delivered.status == Status.DELIVERED
    kept_hash = Signature.objects.get(initiative=delivered).identity_hash
    identity_actions.do_erase_account(person)
    assert not Signature.objects.filter(initiative=signing).exists()
    kept = Signature.objects.get(initiative=delivered)
    assert kept.user is None and kept.address == "" and kept.identity_hash == kept_hash
    # The same person, back with a new account, may sign the open one again.
    back = resident(number="24917599123")
    assert (
        actions.do_sign(
            back, open_one.instance, signing, address="Kaivegen 2", lives_here=True
        ).count
        == 1
    )


def test_erasing_the_proposer_keeps_the_proposal_without_them(
    initiatives: Initiatives, officer: User
) -> None:
    author = resident()
    initiative = collecting(initiatives.instance, officer, author)
    sign_many(initiatives.instance, initiative, 2)
    identity_actions.do_erase_account(author)
    initiative.refresh_from_db()
    assert initiative.contribution.author is None
    assert Signature.objects.filter(initiative=initiative).count() == 2
    html = Client(**EN).get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert initiative.title in html


# -- the demo --------------------------------------------------------------------------------


def test_the_demo_seed_makes_believable_proposals_through_the_actions(
    django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    lillevik = factories.municipality("Lillevik", kommunenummer="9901", inhabitants=4012)
    factories.staff(lillevik, Role.CASE_OFFICER)
    plugin = registry.get("initiative")
    assert plugin.demo is not None
    instance = make_instance(lillevik, settings=plugin.demo.settings).instance
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.seed(instance, random.Random(20261123)) == 3
    by_title = {i.title: i for i in Initiative.objects.filter(method_instance=instance)}
    lamps = by_title[demo.LAMPS[0]]
    bathing = by_title[demo.BATHING[0]]
    waiting = by_title[demo.LIGHT_AGAIN[0]]
    assert lamps.status == Status.COLLECTING and lamps.threshold == 81
    assert Signature.objects.filter(initiative=lamps).count() == demo.LAMP_SIGNATURES
    assert bathing.status == Status.DELIVERED
    assert bathing.delivered_count == demo.BATHING_SIGNATURES + len(demo.PAPER)
    assert Signature.objects.filter(initiative=bathing, kind="paper").count() == len(demo.PAPER)
    assert waiting.status == Status.SUBMITTED
    # Each signer counts once: distinct identities.
    hashes = Signature.objects.filter(kind="eid").values_list("identity_hash", flat=True)
    assert len(set(hashes)) == len(hashes)
    assert (
        User.objects.filter(username__startswith=f"demo-{instance.pk}-underskrivar").count() == 90
    )
    assert all(
        u.national_id_hash and u.national_id_hash != hashing.national_id_hash(p.national_id)
        for u in User.objects.filter(verified_via="demo")
        for p in TEST_PEOPLE
    )
    # The postmottak got the delivered one, and seeding again adds nothing.
    assert any(m.to == ["postmottak@lillevik.example.org"] for m in mailoutbox)
    assert demo.seed(instance, random.Random(1)) == 0
    assert Contribution.objects.filter(method_instance=instance).count() == 3


def test_the_lillevik_demo_has_innbyggjarforslag_in_nynorsk(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert load_demo()
    instance = MethodInstance.objects.get(method_key="initiative")
    assert instance.slug == "innbyggjarforslag"
    assert instance.process.municipality.kommunenummer == "9901"
    rows = {i.title: i for i in Initiative.objects.filter(method_instance=instance)}
    lamps = rows[demo.LAMPS[0]]
    assert lamps.status == Status.COLLECTING
    assert Signature.objects.filter(initiative=lamps).count() == demo.LAMP_SIGNATURES
    assert rows[demo.BATHING[0]].status == Status.DELIVERED
    # The case itself is not closed by the proposals' course.
    assert instance.closed_at is None
    page = client.get(instance.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nn")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gatelys langs skulevegen til Nordbygda" in html
    assert 'max="81" value="54"' in html
