"""The meetings as iCalendar events: what a calendar shows about each.

The description says what the meeting is about, its accessibility in words, the link to
take part online and the meeting's page; the location is the place and address. Nothing
about a person is in it (not the gjestebod host), so the file for all meetings is open
data. Texts are in the active language.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from medvirk.processes import registry
from medvirk.processes.models import MethodInstance

from . import ics, queries
from .models import Meeting


def _domain() -> str:
    return urlsplit(str(settings.MEDVIRK_BASE_URL)).hostname or "medvirk.invalid"


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{_domain()}"


def location(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place_name, meeting.address) if part)


def page_path(meeting: Meeting) -> str:
    instance = meeting.method_instance
    return registry.get(instance.method_key).url(instance, "meeting", pk=meeting.pk)


def description(meeting: Meeting) -> str:
    parts = []
    if meeting.description:
        parts.append(meeting.description.strip())
    words = queries.accessibility_words(meeting)
    access = ", ".join(words)
    if meeting.accessibility.strip():
        access = (
            f"{access}. {meeting.accessibility.strip()}"
            if access
            else meeting.accessibility.strip()
        )
    if access:
        parts.append(_("Accessibility: %(text)s") % {"text": access})
    if meeting.digital_link:
        parts.append(_("Take part online: %(link)s") % {"link": meeting.digital_link})
    base = str(settings.MEDVIRK_BASE_URL).rstrip("/")
    parts.append(_("More about the meeting: %(link)s") % {"link": base + page_path(meeting)})
    return "\n\n".join(parts)


def event(meeting: Meeting, *, cancelled: bool = False) -> ics.Event:
    base = str(settings.MEDVIRK_BASE_URL).rstrip("/")
    return ics.Event(
        uid=uid(meeting),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=location(meeting),
        description=description(meeting),
        url=base + page_path(meeting),
        cancelled=cancelled,
        categories=[str(meeting.get_format_display())],
    )


def for_meeting(meeting: Meeting, *, cancelled: bool = False) -> str:
    return ics.calendar(
        [event(meeting, cancelled=cancelled)],
        method="CANCEL" if cancelled else "PUBLISH",
    )


def for_instance(instance: MethodInstance) -> str:
    meetings = [row.meeting for row in queries.meetings(instance)]
    for meeting in meetings:
        meeting.method_instance = instance  # one instance: no query per meeting
    return ics.calendar(
        # A cancelled meeting stays in the feed as cancelled, so subscribed calendars drop it.
        [event(m, cancelled=m.cancelled_at is not None) for m in meetings],
        name=f"{instance.process.title}: {instance.title}",
    )
