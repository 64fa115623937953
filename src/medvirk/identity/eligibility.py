"""Who may take part where a rule sets an age: read from the verified identity, kept small.

A verified e-ID login (or an in-person check with the number) stores the year of birth
read from the national identity number, and nothing else of it in clear. Norwegian
election rules count the age a person reaches by the end of the year ("fyller 16 år
seinast i valåret", valgloven § 2-1), so the year is all an age limit needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medvirk.algorithms.text import fodselsnummer

from .models import AssuranceLevel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


def birth_year_of(national_id: str) -> int | None:
    """The year of birth in a national identity number, or None when it holds no date."""
    born = fodselsnummer.birth_date(national_id)
    return born.year if born else None


def is_verified(user: User | AnonymousUser) -> bool:
    """Logged in with an e-ID (or checked in person): we know who this is."""
    return bool(user.is_authenticated and user.assurance_level >= AssuranceLevel.VERIFIED)


def birth_year(user: User | AnonymousUser) -> int | None:
    """The year of birth from the person's verified identity, or None when not known."""
    if not is_verified(user):
        return None
    year = getattr(user, "birth_year", None)
    return int(year) if year else None


def age_in_year(user: User | AnonymousUser, year: int) -> int | None:
    """The age the person reaches in ``year`` (election rules), or None when not known."""
    born = birth_year(user)
    return None if born is None else year - born
