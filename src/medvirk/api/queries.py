"""The API's reads across cases, each built on what the public pages already call public.

The public pages read one case at a time (``processes.queries.process_for_page``,
``accountability.queries.published_input``, ``processes.exports.open_data_for``); the API
lists across every public case, so it needs the same rules as one query each:

- a case is public when ``processes.queries.public_processes`` has it (not a draft);
- a phase or a decision is public when its case is;
- a method instance is public when it is published and its case is public;
- input is public when the case's public list shows it (``published_input``: published,
  and asking or proposing something), except input a moderator hid (the list shows only the
  moderator's reason in its place) and input to a method that is not published (any more);
- an answer is public when it closes the loop (``FINAL_STATUSES``: a status with its
  reason); "received" and "under review" are acknowledgements and are not served.

Every list is ordered by id, so pages are stable while the data grows. ``tests/api`` checks
that these agree with the public pages' own reads, case by case. This is the one module of
the API that touches models (it stands where an app's ``queries`` stands).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from medvirk.accountability.models import FINAL_STATUSES, Decision, Response
from medvirk.contributions.models import Contribution, ModerationState, Theme
from medvirk.organisations import queries as organisation_queries
from medvirk.organisations.models import Municipality
from medvirk.processes import queries as process_queries
from medvirk.processes.models import MethodInstance, Phase, Process

# Input the case's public list shows with its text (``published_input`` adds hidden input,
# shown as the moderator's reason only: the API leaves it out).
PUBLIC_INPUT = ModerationState.PUBLISHED


def municipalities() -> QuerySet[Municipality]:
    return organisation_queries.municipalities().order_by("pk")


def processes() -> QuerySet[Process]:
    """Every public case, with its municipality."""
    return process_queries.public_processes().order_by("pk")


def _public_case_ids() -> QuerySet[Process, int]:
    return process_queries.public_processes().order_by().values_list("pk", flat=True)


def process(pk: int) -> Process | None:
    """One public case with its phases and published methods (three queries); None for a
    draft or an id that names nothing."""
    return (
        processes()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("pk")),
            Prefetch("methods", queryset=_published_methods().order_by("pk")),
        )
        .first()
    )


def phases() -> QuerySet[Phase]:
    """The phases of every public case."""
    return (
        Phase.objects.filter(process__in=_public_case_ids())
        .select_related("process__municipality")
        .order_by("pk")
    )


def _published_methods() -> QuerySet[MethodInstance]:
    return MethodInstance.objects.filter(is_published=True).select_related(
        "phase", "process__municipality"
    )


def methods() -> QuerySet[MethodInstance]:
    """The published method instances of every public case."""
    return _published_methods().filter(process__in=_public_case_ids()).order_by("pk")


def contributions() -> QuerySet[Contribution]:
    """Public input of every public case, with its answer, method and themes."""
    return (
        Contribution.objects.filter(
            process__in=_public_case_ids(), moderation=PUBLIC_INPUT, needs_answer=True
        )
        .filter(Q(method_instance__isnull=True) | Q(method_instance__is_published=True))
        .select_related("response", "method_instance")
        .prefetch_related(
            Prefetch(
                "themes",
                queryset=Theme.objects.filter(kind=Theme.Kind.THEME).order_by("name", "pk"),
                to_attr="public_themes",
            )
        )
        .order_by("pk")
    )


def public_answer(contribution: Contribution) -> Response | None:
    """The answer the API shows: one that closes the loop (a final status with its reason)."""
    try:
        response = contribution.response
    except Response.DoesNotExist:
        return None
    return response if response.status in FINAL_STATUSES else None


def decisions() -> QuerySet[Decision]:
    """The decisions of every public case, each with the public input it answers."""
    answered = Response.objects.filter(
        status__in=FINAL_STATUSES,
        contribution__in=contributions().order_by().values_list("pk", flat=True),
    ).order_by("contribution_id")
    return (
        Decision.objects.filter(process__in=_public_case_ids())
        .prefetch_related(Prefetch("responses", queryset=answered, to_attr="public_responses"))
        .order_by("pk")
    )
