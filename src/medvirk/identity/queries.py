"""Reads about people: everything we hold about one person (the GDPR export)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import personal_data
from .models import User


def export_my_data(user: User) -> dict[str, Any]:
    """The person's own data, and nothing about anyone else (staff names are left out).

    Each app that holds part of it exports that part through its registered section
    (``personal_data``); identity itself adds the profile and the in-person checks.
    """
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for section in personal_data.sections():
        data[section.key] = section.export(user)
    return data
