"""Reads about people: everything we hold about one person (the GDPR export)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import User


def _dt(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_my_data(user: User) -> dict[str, Any]:
    """The person's own data, and nothing about anyone else (staff names are left out)."""
    contributions = []
    for c in user.contributions.select_related("process__municipality", "method_instance").order_by(
        "created_at", "pk"
    ):
        response = getattr(c, "response", None) if hasattr(c, "response") else None
        contributions.append(
            {
                "id": c.pk,
                "created_at": _dt(c.created_at),
                "municipality": c.process.municipality.name,
                "case": c.process.title,
                "method": str(c.method_instance),
                "kind": c.kind,
                "channel": c.channel,
                "text": c.text,
                "data": c.data,
                "name_given": c.author_name,
                "show_name": c.show_name,
                "contact_email": c.contact_email,
                "language": c.language,
                "moderation": c.moderation,
                "response": (
                    {
                        "status": response.status,
                        "reason": response.reason,
                        "updated_at": _dt(response.updated_at),
                    }
                    if response is not None
                    else None
                ),
            }
        )
    notifications = [
        {
            "created_at": _dt(n.created_at),
            "subject": n.subject,
            "body": n.body,
            "link": n.link,
            "sent_at": _dt(n.sent_at),
            "read_at": _dt(n.read_at),
        }
        for n in user.notifications.order_by("created_at", "pk")
    ]
    memberships = [
        {"municipality": m.municipality.name, "role": m.role, "since": _dt(m.created_at)}
        for m in user.memberships.select_related("municipality").order_by("pk")
    ]
    checks = [
        {
            "municipality": v.municipality.name,
            "document_kind": v.document_kind,
            "created_at": _dt(v.created_at),
        }
        for v in user.in_person_checks.select_related("municipality").order_by("pk")
    ]
    subscriptions: list[dict[str, Any]] = []
    if user.email and user.email_verified:
        from medvirk.accountability.models import Subscription

        subscriptions = [
            {"case": s.process.title, "confirmed_at": _dt(s.confirmed_at)}
            for s in Subscription.objects.filter(email__iexact=user.email).select_related("process")
        ]
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified": user.email_verified,
            "preferred_language": user.preferred_language,
            "assurance_level": user.assurance_level.label,
            "verified_via": user.verified_via,
            "verified_at": _dt(user.verified_at),
            # The keyed hash says nothing without the server's key; we only say it exists.
            "national_id_hash_stored": bool(user.national_id_hash),
            "login_hash_stored": bool(user.subject_hash),
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
        },
        "contributions": contributions,
        "notifications": notifications,
        "memberships": memberships,
        "in_person_identity_checks": checks,
        "subscriptions": subscriptions,
    }
