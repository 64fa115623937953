"""Reads for the staff inbox: the filtered list, themes and duplicate groups, assignment,
internal notes and answer templates. Each read makes a fixed number of queries whatever
the number of inputs (tested at 10 and 1 000).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from medvirk.contributions.models import Contribution, Theme
from medvirk.identity.models import User
from medvirk.organisations.capabilities import STAFF_CAPABILITIES
from medvirk.organisations.models import Membership
from medvirk.processes.models import Process
from medvirk.vocabulary import Capability

from .models import FINAL_STATUSES, AnswerTemplate, Note, ResponseStatus
from .queries import INBOX_DEFAULT, INBOX_FILTERS

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# The status lists of the inbox (``?vis=``): the lists of accountability.queries, and one
# per answer status an officer may set (not "received": that is the automatic receipt).
ANSWER_STATUSES: tuple[str, ...] = (
    ResponseStatus.UNDER_REVIEW,
    ResponseStatus.ADOPTED,
    ResponseStatus.PARTLY_ADOPTED,
    ResponseStatus.NOT_ADOPTED,
    ResponseStatus.OUT_OF_SCOPE,
)
STATUS_KEYS: tuple[str, ...] = (
    "unanswered",
    *ANSWER_STATUSES,
    "answered",
    "held",
    "all",
)
# Values of the "assigned to" filter that are not a person's id.
ASSIGNED_ME = "me"
ASSIGNED_NOBODY = "nobody"
# The method filter's value for input about the case as a whole (no method instance).
WHOLE_CASE = "case"
# The theme filter's value for input in no theme or group.
NO_THEME = "none"


@dataclass(frozen=True)
class InboxFilter:
    """What the officer chose to see; every field is already checked (see the staff form).

    Empty strings mean "any". The address of the list carries these (``as_query``), so the
    list, "save and next" and a failed bulk action all keep them.
    """

    vis: str = INBOX_DEFAULT
    sok: str = ""
    metode: str = ""
    kanal: str = ""
    tema: str = ""
    tildelt: str = ""
    sein: bool = False

    def as_query(self) -> dict[str, str]:
        """The non-default filters as address parameters (what the links carry)."""
        out: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "vis":
                out["vis"] = value
            elif value:
                out[field.name] = "1" if value is True else str(value)
        return out


def answer_days() -> int:
    """Days within which input is owed its reasoned answer (``MEDVIRK_ANSWER_DAYS``)."""
    return int(settings.MEDVIRK_ANSWER_DAYS)


def late_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Input without a final answer older than this is late (``MEDVIRK_ANSWER_DAYS``)."""
    return (now or timezone.now()) - dt.timedelta(days=answer_days())


def _late(cutoff: dt.datetime) -> Q:
    # Offline input counts from the day it was given (a meeting's date), not the day typed in.
    waiting = Q(needs_answer=True) & (
        Q(response__isnull=True) | ~Q(response__status__in=FINAL_STATUSES)
    )
    return waiting & (Q(created_at__lt=cutoff) | Q(given_on__lt=cutoff.date()))


def _search(needle: str) -> Q:
    """Text, the name given, the author's names, or an input's number ("#12" or "12")."""
    needle = needle.strip()
    number = needle.removeprefix("#")
    found = (
        Q(text__icontains=needle)
        | Q(author_name__icontains=needle)
        | Q(author__display_name__icontains=needle)
        | Q(author__first_name__icontains=needle)
        | Q(author__last_name__icontains=needle)
    )
    if number.isascii() and number.isdigit() and len(number) < 10:
        found |= Q(pk=int(number))
    return found


def _filtered(process: Process, f: InboxFilter, me: AbstractBaseUser) -> QuerySet[Contribution]:
    qs = Contribution.objects.filter(process=process)
    qs = INBOX_FILTERS[f.vis](qs) if f.vis in INBOX_FILTERS else qs.filter(response__status=f.vis)
    if f.sok.strip():
        qs = qs.filter(_search(f.sok))
    if f.metode == WHOLE_CASE:
        qs = qs.filter(method_instance__isnull=True)
    elif f.metode:
        qs = qs.filter(method_instance_id=int(f.metode))
    if f.kanal:
        qs = qs.filter(channel=f.kanal)
    if f.tema == NO_THEME:
        qs = qs.filter(themes__isnull=True)
    elif f.tema:
        qs = qs.filter(themes__pk=int(f.tema))
    if f.tildelt == ASSIGNED_ME:
        qs = qs.filter(assigned_to_id=me.pk)
    elif f.tildelt == ASSIGNED_NOBODY:
        qs = qs.filter(assigned_to__isnull=True)
    elif f.tildelt:
        qs = qs.filter(assigned_to_id=int(f.tildelt))
    if f.sein:
        qs = qs.filter(_late(late_cutoff()))
    return qs


def inbox_items(process: Process, f: InboxFilter, me: AbstractBaseUser) -> QuerySet[Contribution]:
    """The case's input that matches the filter, newest first, with what each row shows:
    answer, method, assignee, themes (one prefetch per page) and ``is_late``."""
    return (
        _filtered(process, f, me)
        .select_related("response", "method_instance", "assigned_to")
        .prefetch_related("themes")
        .annotate(
            is_late=Case(
                When(_late(late_cutoff()), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-created_at", "-pk")
    )


def next_in_list(
    process: Process, f: InboxFilter, me: AbstractBaseUser, after: Contribution
) -> int | None:
    """The input after ``after`` in the same filtered list ("save and next"), or None.

    The position is by the list's order, not membership: the one just answered may have
    left an "unanswered" list, and the next is still the one below it.
    """
    below = Q(created_at__lt=after.created_at) | Q(created_at=after.created_at, pk__lt=after.pk)
    following: int | None = (
        _filtered(process, f, me)
        .filter(below)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return following


# -- themes and duplicate groups ----------------------------------------------------------


def themes_of(process: Process) -> QuerySet[Theme]:
    """The case's themes and duplicate groups, with how many inputs each holds."""
    return Theme.objects.filter(process=process).annotate(n_inputs=Count("contributions"))


def theme_of(process: Process, pk: int) -> Theme | None:
    """The case's own theme or group; another case's is not found."""
    return Theme.objects.filter(process=process, pk=pk).first()


def theme_members(theme: Theme) -> QuerySet[Contribution]:
    """Every input in a group, oldest first, with its answer, method and other themes."""
    return (
        Contribution.objects.filter(themes=theme)
        .select_related("response", "method_instance", "assigned_to")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )


def themes_of_contribution(contribution: Contribution) -> QuerySet[Theme]:
    return Theme.objects.filter(contributions=contribution)


# -- people, notes, templates -------------------------------------------------------------


def assignable_officers(municipality_id: int) -> QuerySet[User]:
    """The people who may answer input in the municipality (one query)."""
    answering = [role for role, caps in STAFF_CAPABILITIES.items() if Capability.RESPOND in caps]
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            municipality_id=municipality_id, role__in=answering
        ).values("user_id")
    ).order_by("first_name", "last_name", "username")


def notes_of(contribution: Contribution) -> QuerySet[Note]:
    return Note.objects.filter(contribution=contribution).select_related("author")


def answer_templates(municipality_id: int) -> QuerySet[AnswerTemplate]:
    return AnswerTemplate.objects.filter(municipality_id=municipality_id)


def answer_template_of(municipality_id: int, pk: int) -> AnswerTemplate | None:
    """The municipality's own template; another municipality's is not found."""
    return AnswerTemplate.objects.filter(municipality_id=municipality_id, pk=pk).first()
