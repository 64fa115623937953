"""Age limits from the verified identity: the year of birth read from the number, nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from medvirk.algorithms.text import fodselsnummer
from medvirk.identity import eligibility, residence
from medvirk.identity.providers import TEST_PEOPLE
from tests import factories


@pytest.mark.parametrize(
    ("number", "born"),
    [
        ("01019000083", dt.date(1990, 1, 1)),  # ordinary fødselsnummer
        ("01819012365", dt.date(1990, 1, 1)),  # synthetic (month + 80)
        ("14831254069", dt.date(2012, 3, 14)),  # synthetic, born this century
        ("41019000081", None),  # check digits wrong
        ("01419000083", None),  # H-nummer: no date we rely on
    ],
)
def test_birth_date_reads_the_date_part(number: str, born: dt.date | None) -> None:
    assert fodselsnummer.birth_date(number) == born


def test_every_test_person_has_a_birth_year() -> None:
    years = {p.key: eligibility.birth_year_of(p.national_id) for p in TEST_PEOPLE}
    assert years == {"kari": 1990, "ola": 1965, "aisha": 2005, "nora": 2012}


@pytest.mark.django_db
def test_age_counts_the_year_and_only_for_verified_people() -> None:
    nora = factories.verified("nora", national_id=TEST_PEOPLE[3].national_id)
    assert eligibility.is_verified(nora)
    assert eligibility.age_in_year(nora, 2026) == 14
    assert eligibility.age_in_year(nora, 2028) == 16
    unverified = factories.user("plain", birth_year=1990)
    assert not eligibility.is_verified(unverified)
    assert eligibility.age_in_year(unverified, 2026) is None
    assert eligibility.age_in_year(AnonymousUser(), 2026) is None


@pytest.mark.django_db
def test_the_test_register_knows_the_district(settings: object) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = "medvirk.identity.residence.TestResidence"  # type: ignore[attr-defined]
    kari = factories.verified("kari", national_id=TEST_PEOPLE[0].national_id)
    found = residence.residence_of(kari)
    assert found is not None and (found.kommunenummer, found.district) == ("9901", "Sentrum")
