"""Where a person lives: a small pluggable interface for rules that depend on residence
(signing an innbyggerforslag: only inhabitants of the kommune or fylke sign).

``residence_of(user) -> Residence | None`` asks the provider chosen by the setting
``MEDVIRK_RESIDENCE_PROVIDER`` (a dotted path to a class that takes no arguments):

- :class:`DeclaredResidence` (the default): nothing is looked up. The person types their
  address and confirms that they live in the kommune, and that is accepted — as minsak.no
  did. ``residence_of`` answers None ("not known"), and ``declares`` tells the form to ask.
- :class:`TestResidence`: the made-up people of the test e-ID (``providers.TEST_PEOPLE``)
  have addresses; the person whose keyed national-id hash is the account's is found and
  their address returned. Anyone else has no known residence, so this provider never
  accepts a real person — it fails closed wherever it is configured by mistake.
- A kommune with access to a population register (Folkeregisteret through a data
  processor) writes a class like these whose ``residence_of`` looks the person up.

A provider answers from what it knows; the caller decides what that means (the
initiative checks the kommunenummer against the kommune's and keeps nothing else).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from . import hashing
from .providers import TEST_PEOPLE

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

DEFAULT_PROVIDER = "medvirk.identity.residence.DeclaredResidence"


@dataclass(frozen=True)
class Residence:
    """Where someone is registered as living: the kommune's number and the address."""

    kommunenummer: str
    address: str = ""
    district: str = ""  # the kommunedel or valkrins, when the provider knows it


class ResidenceProvider(abc.ABC):
    """Says where a person lives, or None when it does not know."""

    key: ClassVar[str]
    # True: the provider knows nothing; the person declares their address in the form.
    declares: ClassVar[bool] = False

    @abc.abstractmethod
    def residence_of(self, user: User | AnonymousUser) -> Residence | None:
        """The person's residence, or None when it is not known."""


class DeclaredResidence(ResidenceProvider):
    """Nothing is looked up: the signer declares the address (minsak.no style)."""

    key = "declared"
    declares = True

    def residence_of(self, user: User | AnonymousUser) -> Residence | None:
        return None


class TestResidence(ResidenceProvider):
    """The test e-ID's made-up people and their made-up addresses (demo and tests)."""

    key = "test"

    def residence_of(self, user: User | AnonymousUser) -> Residence | None:
        own = getattr(user, "national_id_hash", None) if user.is_authenticated else None
        if not own:
            return None
        for person in TEST_PEOPLE:
            if person.kommunenummer and hashing.national_id_hash(person.national_id) == own:
                return Residence(
                    kommunenummer=person.kommunenummer,
                    address=person.address,
                    district=person.district,
                )
        return None


def _path() -> str:
    return str(getattr(settings, "MEDVIRK_RESIDENCE_PROVIDER", "") or DEFAULT_PROVIDER).strip()


@cache
def _load(path: str) -> ResidenceProvider:
    try:
        chosen = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"MEDVIRK_RESIDENCE_PROVIDER {path!r} does not import.") from exc
    if not (isinstance(chosen, type) and issubclass(chosen, ResidenceProvider)):
        raise ImproperlyConfigured(
            f"MEDVIRK_RESIDENCE_PROVIDER {path!r} is not a ResidenceProvider class."
        )
    return chosen()


def provider() -> ResidenceProvider:
    """The configured provider (one instance per configured path)."""
    return _load(_path())


def residence_of(user: User | AnonymousUser) -> Residence | None:
    """Where the person lives, as far as the configured provider knows."""
    return provider().residence_of(user)


def declares() -> bool:
    """Does the person declare their own address (the configured provider knows nothing)?"""
    return provider().declares
