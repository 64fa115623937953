"""The public register of submissions as open data, served by the core at
``<instance>/eksport/register-csv/`` and listed on the case's open-data page.

The file holds what the register page shows and nothing more: the number, the day
received (not the time), whether it came late, the sender as shown (an organisation, a
person's name only where they chose so and are 18 or over), the text with withheld
passages replaced, how many files are published with it, and the municipality's answer.
Never an e-mail address, an account, an exact time or a withheld passage. Only published
submissions: those held, waiting or hidden are not in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.processes.types import MethodInstance

from . import queries


def register_available(instance: MethodInstance) -> bool:
    """Open data while the register is public and has at least one published submission."""
    if not instance.settings.get("register_public", True):
        return False
    return queries.has_published_submission(instance)


def register_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    yield [
        _("No."),
        _("Received"),
        _("Late"),
        _("From"),
        _("Submission"),
        _("Attached files published"),
        _("Answer"),
        _("Reason given"),
    ]
    for entry in queries.published_entries(instance):
        response: Any = entry.response
        yield [
            entry.number,
            entry.received_on.isoformat(),
            _("yes") if entry.is_late else _("no"),
            entry.sender or _("Name not shown"),
            entry.text,
            len(entry.files),
            response.get_status_display() if response is not None else _("Not answered yet"),
            response.reason if response is not None else "",
        ]


def register_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    return csv_download(
        register_rows(instance), f"{instance.process.slug}-{instance.slug}-innspel.csv"
    )
