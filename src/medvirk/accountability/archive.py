"""The case as a saksmappe for the kommune's archive (KS Fiks Arkiv), shared by every export
that files something in it (a høyring's submissions, the council report): one external key
per case, ``sak-<id>``, so everything lands in one folder."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.algorithms.archive import arkivmelding as am
from medvirk.identity.models import User
from medvirk.processes.models import Process

from .queries import archive_case_number

SYSTEM = "Medvirk"


def responsible(staff: User | AnonymousUser | None) -> am.Identifiers:
    """The staff member who exports (saksansvarlig), or the system."""
    if isinstance(staff, User):
        name = staff.get_full_name() or staff.get_username()
        return am.Identifiers(name, identifier=staff.get_username(), email=staff.email or None)
    return am.Identifiers(SYSTEM)


def case_folder(process: Process, staff: User | AnonymousUser | None) -> am.Case:
    """The saksmappe: the case, with its saksnummer when a decision records one."""
    year, number = archive_case_number(process)
    return am.Case(
        reference=f"sak-{process.pk}",
        title=process.title,
        responsible=responsible(staff),
        unit=am.Identifiers(process.municipality.name),
        description=process.summary or None,
        case_date=timezone.localdate(process.created_at),
        case_year=year,
        case_number=number,
    )
