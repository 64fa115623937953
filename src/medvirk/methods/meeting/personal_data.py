"""What the meeting method keeps about a person, in «Mine data», and what erasure does.

- ``meeting_registrations``: each registration, with the needs the person told us and,
  when they consented, their age group, sex and district (and when they consented). A
  registration is the person's when it was made from their account, or with the account's
  verified e-mail address (an address anyone could type proves nothing). Erasure cancels a
  place at an upcoming meeting first (the first on the wait list moves up, as when the
  person cancels), then deletes the registrations: a registration is only for planning,
  and the age group, sex and district go with it (the person then no longer counts in
  the case's "who took part").
- ``meeting_hosts``: the gjestebod meetings the person hosts, found by the account's
  verified e-mail address (the host has no account of their own here). Erasure removes
  the host's name and address from the meeting and revokes the host link; the results
  they reported stay as input from the meeting, without a name.

The results of a meeting are contributions (the core's ``contributions`` section).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, PersonalDataSection, iso

from . import actions, needs
from .models import Meeting, Registration


def _verified(user: User) -> str:
    return user.email.strip() if user.email and user.email_verified else ""


class MeetingRegistrations(PersonalDataSection):
    key = "meeting_registrations"
    models = (Registration,)
    order = DEFAULT_ORDER

    def _own(self, user: User) -> QuerySet[Registration]:
        mine = Q(user=user)
        address = _verified(user)
        if address:
            mine |= Q(email__iexact=address)
        return Registration.objects.filter(mine)

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = self._own(user).select_related("meeting__method_instance__process__municipality")
        return [
            {
                "municipality": r.meeting.method_instance.process.municipality.name,
                "case": r.meeting.method_instance.process.title,
                "meeting": r.meeting.title,
                "starts_at": iso(r.meeting.starts_at),
                "name": r.name,
                "email": r.email,
                "needs": needs.describe(r.needs if isinstance(r.needs, dict) else {}),
                "age_group": r.age_band,
                "sex": r.sex,
                "district": r.district,
                "consent_to_count_at": iso(r.demographics_consent_at),
                "status": r.status,
                "registered_at": iso(r.created_at),
                "changed_at": iso(r.updated_at),
            }
            for r in rows.order_by("created_at", "pk")
        ]

    def erase(self, user: User) -> None:
        now = timezone.now()
        upcoming = self._own(user).filter(
            meeting__ends_at__gt=now, status=Registration.Status.REGISTERED
        )
        for registration in list(upcoming.select_related("meeting")):
            actions.do_cancel_registration(registration)
        self._own(user).delete()


class MeetingHosts(PersonalDataSection):
    key = "meeting_hosts"
    models = (Meeting,)
    order = DEFAULT_ORDER

    def _own(self, user: User) -> QuerySet[Meeting]:
        address = _verified(user)
        if not address:
            return Meeting.objects.none()
        return Meeting.objects.filter(host_email__iexact=address)

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = self._own(user).select_related("method_instance__process__municipality")
        return [
            {
                "municipality": m.method_instance.process.municipality.name,
                "case": m.method_instance.process.title,
                "meeting": m.title,
                "starts_at": iso(m.starts_at),
                "host_name": m.host_name,
                "host_email": m.host_email,
                "guests": m.attendance,
                "results_reported_at": iso(m.results_registered_at),
            }
            for m in rows.order_by("starts_at", "pk")
        ]

    def erase(self, user: User) -> None:
        self._own(user).update(host_name="", host_email="", host_nonce="")


SECTIONS: tuple[PersonalDataSection, ...] = (MeetingRegistrations(), MeetingHosts())
