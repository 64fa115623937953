"""The board's CSV files, served by the core at ``<instance>/eksport/<key>/``.

- Open data (``idear-csv``): the published ideas with their state, category, counts and the
  municipality's answer. Nothing that names or reaches a person (no name, e-mail, account
  or exact time: the day only), and a count of supporters from 1 to 4 is shown as "<5".
- Staff (``alle-idear-csv``, the ``export`` capability): every idea with its moderation
  and exact counts; still no names or addresses (answering
  goes through the inbox, which has them).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.processes.types import MethodInstance

from . import actions, queries, states
from .models import Idea


def public_available(instance: MethodInstance) -> bool:
    """Listed on the case's open-data page while the board is published (the core checks)."""
    return True


def _answer(idea: Idea) -> tuple[str, str]:
    response = getattr(idea.contribution, "response", None)
    if response is None:
        return "", ""
    return str(response.get_status_display()), response.reason


def _case(idea: Idea, *, public: bool) -> str:
    case = idea.taken_up_in
    if case is None or (public and not case.is_public):
        return ""
    return case.title


def public_rows(instance: MethodInstance) -> Iterator[list[object]]:
    yield [
        _("Idea no."),
        _("Date"),
        _("Title"),
        _("Idea"),
        _("Category"),
        _("State"),
        _("Supporters (fewer than %(n)d shown as <%(n)d)") % {"n": queries.SUPPRESS_BELOW},
        _("Comments"),
        _("Merged into idea no."),
        _("Taken up in the case"),
        _("The municipality's answer"),
        _("Reason"),
    ]
    for idea in queries.export_rows(instance, public=True):
        status, reason = _answer(idea)
        yield [
            idea.pk,
            timezone.localdate(idea.contribution.created_at).isoformat(),
            idea.title,
            actions.body_of(idea),
            idea.category,
            states.label(idea.board_state),  # type: ignore[attr-defined]
            queries.public_count(idea.n_supports),  # type: ignore[attr-defined]
            idea.n_comments,  # type: ignore[attr-defined]
            idea.merged_into_id or "",
            _case(idea, public=True),
            status,
            reason,
        ]


def public_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    return csv_download(public_rows(instance), f"{instance.process.slug}-{instance.slug}-idear.csv")


def staff_rows(instance: MethodInstance) -> Iterator[list[object]]:
    yield [
        _("Idea no."),
        _("Received"),
        _("Moderation"),
        _("Title"),
        _("Idea"),
        _("Category"),
        _("State"),
        _("Supporters"),
        _("Comments shown"),
        _("Merged into idea no."),
        _("Taken up in the case"),
        _("The municipality's answer"),
        _("Reason"),
    ]
    for idea in queries.export_rows(instance, public=False):
        status, reason = _answer(idea)
        yield [
            idea.pk,
            timezone.localtime(idea.contribution.created_at).isoformat(timespec="seconds"),
            idea.contribution.get_moderation_display(),
            idea.title,
            actions.body_of(idea),
            idea.category,
            states.label(idea.board_state),  # type: ignore[attr-defined]
            idea.n_supports,  # type: ignore[attr-defined]
            idea.n_comments,  # type: ignore[attr-defined]
            idea.merged_into_id or "",
            _case(idea, public=False),
            status,
            reason,
        ]


def staff_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    filename = f"{instance.process.slug}-{instance.slug}-alle-idear.csv"
    return csv_download(staff_rows(instance), filename, private=True)
