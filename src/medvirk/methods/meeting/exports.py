"""Exports of the meeting method, served by the core at ``<instance>/eksport/<key>/``:

- ``kalender`` (public, open data): every meeting as one iCalendar file. Nothing about a
  person is in it (not the gjestebod host).
- ``paameldte-csv`` (staff, ``export``): everyone registered or waiting, per meeting, with
  their needs, for planning. Personal data: never cached.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.core.uploads import content_disposition
from medvirk.processes.types import MethodInstance

from . import calendars, needs, queries


def calendar(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    response = HttpResponse(
        calendars.for_instance(instance), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(
        f"{instance.process.slug}-{instance.slug}.ics"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def calendar_available(instance: MethodInstance) -> bool:
    return queries.has_meetings(instance)


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yes(value: Any) -> str:
    return _("Yes") if value else ""


def registration_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    yield [
        _("Meeting"),
        _("Starts"),
        _("Status"),
        _("Name"),
        _("E-mail"),
        str(needs.LABELS[needs.INTERPRETER]),
        str(needs.LABELS[needs.SIGN_LANGUAGE]),
        str(needs.LABELS[needs.STEP_FREE]),
        str(needs.LABELS[needs.HEARING_LOOP]),
        str(needs.LABELS[needs.CHILDCARE]),
        str(needs.LABELS[needs.DIETARY]),
        str(needs.LABELS[needs.OTHER]),
        _("Registered"),
    ]
    for r in queries.registrations_for_export(instance):
        given = r.needs if isinstance(r.needs, dict) else {}
        yield [
            r.meeting.title,
            _when(r.meeting.starts_at),
            r.get_status_display(),
            r.name,
            r.email,
            given.get(needs.INTERPRETER, ""),
            _yes(given.get(needs.SIGN_LANGUAGE)),
            _yes(given.get(needs.STEP_FREE)),
            _yes(given.get(needs.HEARING_LOOP)),
            _yes(given.get(needs.CHILDCARE)),
            given.get(needs.DIETARY, ""),
            given.get(needs.OTHER, ""),
            _when(r.created_at),
        ]


def registrations_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    return csv_download(
        registration_rows(instance),
        f"{instance.process.slug}-{instance.slug}-paameldte.csv",
        private=True,
    )
