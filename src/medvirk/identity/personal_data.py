"""A person's own data, wherever it lives: the registry that «Mine data» and erasure walk.

``identity`` sits low in the layers and may not import the apps that hold a person's input
(contributions, responses, survey answers …). So each of those apps describes its part as a
:class:`PersonalDataSection` and registers it in its ``AppConfig.ready()``; the export
(``queries.export_my_data``) and erasure (``actions.do_erase_account``) only walk
:func:`sections`. ``tests/contract/test_personal_data.py`` fails when a model that holds a
person is covered by no section's ``models``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from django.db.models import Model

from .models import InPersonVerification, User

# What a section exports: one object (the profile) or a list of rows; JSON-safe values only.
Exported = dict[str, Any] | list[dict[str, Any]]

# Erasure runs sections in ascending ``order``. Sections that find rows through another
# section's rows go first (notifications and survey demographics are found through the
# person's contributions, so they run before contributions lose their author).
EARLY = 10
DEFAULT_ORDER = 50
LATE = 90


class PersonalDataSection(ABC):
    """One part of a person's data, owned by the app that holds it."""

    # The section's name in the export, e.g. "contributions".
    key: ClassVar[str]
    # Every model whose rows this section exports or erases (read by the contract test).
    models: ClassVar[tuple[type[Model], ...]]
    order: ClassVar[int] = DEFAULT_ORDER

    @abstractmethod
    def export(self, user: User) -> Exported:
        """The person's own rows, JSON-safe, with nothing about other people."""

    @abstractmethod
    def erase(self, user: User) -> None:
        """Delete, or anonymise what the municipality must keep; runs in the erasure's
        transaction, before the account row itself is deleted."""


_SECTIONS: dict[str, PersonalDataSection] = {}


def register(section: PersonalDataSection) -> None:
    """Add a section; a key can be registered once (two owners of one key is a bug)."""
    key = getattr(section, "key", "")
    if not key:
        raise ValueError(f"{type(section).__name__} has no key")
    if key in _SECTIONS:
        raise ValueError(f"a personal-data section {key!r} is already registered")
    if not all(isinstance(m, type) and issubclass(m, Model) for m in section.models):
        raise ValueError(f"section {key!r}: models must be Django model classes")
    _SECTIONS[key] = section


def unregister(key: str) -> None:
    """Remove a section (a method installed only for a test is removed again)."""
    _SECTIONS.pop(key, None)


def sections() -> list[PersonalDataSection]:
    """The registered sections in registration order (the apps' order: profile first)."""
    return list(_SECTIONS.values())


def erasure_order() -> list[PersonalDataSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def iso(value: Any) -> str | None:
    """A date or time as ISO 8601 text, or None."""
    return value.isoformat() if value is not None else None


# -- identity's own sections -------------------------------------------------------------


class Profile(PersonalDataSection):
    key = "profile"
    models = (User,)
    order = LATE

    def export(self, user: User) -> dict[str, Any]:
        return {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified": user.email_verified,
            "preferred_language": user.preferred_language,
            "assurance_level": str(user.assurance_level.label),
            "verified_via": user.verified_via,
            "verified_at": iso(user.verified_at),
            # The keyed hash says nothing without the server's key; we only say it exists.
            "national_id_hash_stored": bool(user.national_id_hash),
            "birth_year": user.birth_year,
            "login_hash_stored": bool(user.subject_hash),
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        }

    def erase(self, user: User) -> None:
        # Nothing here: do_erase_account deletes the account row itself, after every
        # section has let go of it and the audit log has a pseudonym instead.
        return None


class InPersonChecks(PersonalDataSection):
    """Checks of this person's document. Checks they made as staff are other people's data
    (``verified_by`` is set to null when their account goes)."""

    key = "in_person_identity_checks"
    models = (InPersonVerification,)
    order = LATE

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {
                "municipality": v.municipality.name,
                "document_kind": v.document_kind,
                "document_last4": v.document_last4,
                "document_expires": v.document_expires.isoformat() if v.document_expires else None,
                "created_at": iso(v.created_at),
                "disputed_at": iso(v.disputed_at),
                "dispute_note": v.dispute_note,
                "dispute_reviewed_at": iso(v.reviewed_at),
            }
            for v in InPersonVerification.objects.filter(user=user)
            .select_related("municipality")
            .order_by("pk")
        ]

    def erase(self, user: User) -> None:
        InPersonVerification.objects.filter(user=user).delete()


register(Profile())
register(InPersonChecks())
