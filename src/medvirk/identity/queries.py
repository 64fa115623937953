"""Reads about people: everything we hold about one person (the GDPR export)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from . import personal_data
from .models import InPersonVerification, User


def export_my_data(user: User) -> dict[str, Any]:
    """The person's own data, and nothing about anyone else (staff names are left out).

    Each app that holds part of it exports that part through its registered section
    (``personal_data``); identity itself adds the profile and the in-person checks.
    """
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for section in personal_data.sections():
        data[section.key] = section.export(user)
    return data


def in_person_checks(user: User) -> QuerySet[InPersonVerification]:
    """The in-person checks of the person's own account, newest first (My page)."""
    return (
        InPersonVerification.objects.filter(user_id=user.pk)
        .select_related("municipality")
        .order_by("-created_at", "-pk")
    )


def own_in_person_check(user: User, pk: int) -> InPersonVerification | None:
    """One check of the person's own account; another person's is not found."""
    return in_person_checks(user).filter(pk=pk).first()
