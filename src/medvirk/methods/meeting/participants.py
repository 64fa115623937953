"""Who took part in a meeting instance, for the case's "who took part" page
(``MethodPlugin.participants``).

Meetings that have started and were not cancelled count (a registration for next week's
meeting is not yet taking part). Each of their registrations with a place (not cancelled,
not left on the wait list) is one participant, with channel "meeting", the person's
account when they registered from one ("user:<id>", so the case's total counts them
once), and the age group, sex and district only when they consented to tell. When the
count of who took part (staff's, or the gjestebod host's number of guests) is larger than
the registrations, the rest are participants of whom nothing is known. A registration
has no input of its own, so ``contribution`` stays None.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils import timezone

from medvirk.algorithms.representation import AGE_BANDS, Participant
from medvirk.contributions.models import Channel
from medvirk.processes.models import MethodInstance

from .models import Meeting, Registration

# The reporting band of each age group a registration offers (the same keys).
BANDS: dict[str, tuple[int, int | None]] = {key: (low, high) for key, low, high in AGE_BANDS}
MEETING = str(Channel.MEETING.value)


def _held(instance: MethodInstance) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            method_instance=instance, starts_at__lte=timezone.now(), cancelled_at__isnull=True
        )
        .annotate(
            n_registered=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            )
        )
        .order_by("starts_at", "pk")
    )


def participants(instance: MethodInstance) -> Iterator[Participant]:
    """One participant per registration with a place at a meeting held, then the rest of
    those counted (two queries whatever the numbers)."""
    held = _held(instance)
    if not held:
        return
    rows = (
        Registration.objects.filter(meeting__in=held, status=Registration.Status.REGISTERED)
        .values_list(
            "meeting_id", "user_id", "age_band", "sex", "district", "demographics_consent_at"
        )
        .order_by("meeting__starts_at", "meeting_id", "created_at", "pk")
    )
    for _meeting, user_id, age_band, sex, district, consented in rows:
        told = consented is not None
        band = BANDS.get(age_band) if told else None
        yield Participant(
            channel=MEETING,
            age_from=band[0] if band else None,
            age_to=band[1] if band else None,
            sex=sex if told else "",
            district=district if told else "",
            person=f"user:{user_id}" if user_id else "",
        )
    for meeting in held:
        registered = int(getattr(meeting, "n_registered", 0))
        for _n in range(max((meeting.attendance or 0) - registered, 0)):
            yield Participant(channel=MEETING)
