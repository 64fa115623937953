"""A case's published input with the municipality's answers, as open data (CSV and JSON).

The same input the case's public list and the API show, and no more: published input to
published methods (or to the case as a whole) that asks for an answer; input a moderator
hid is listed by id and date with the reason, never its text; no names and no contact
details, whatever a person chose to show on the page (open data is copied and kept). The
answer is given when it closes the loop: a final status with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from django.db.models import Prefetch
from django.utils import timezone

from medvirk.contributions.models import Contribution, ModerationState, Theme
from medvirk.processes.models import Process

from .models import FINAL_STATUSES, Response
from .queries import published_input

LICENCE = "NLOD 2.0"
LICENCE_URL = "https://data.norge.no/nlod/no/2.0"
COLUMNS = (
    "id",
    "date",
    "method",
    "method_key",
    "channel",
    "kind",
    "text",
    "hidden_reason",
    "themes",
    "answer_status",
    "answer",
    "answered",
)


@dataclass(frozen=True)
class InputRecord:
    id: int
    date: dt.date
    method: str  # the method instance's title; "" for input on the case as a whole
    method_key: str
    channel: str
    kind: str
    text: str  # "" when hidden
    hidden_reason: str
    themes: list[str]
    answer_status: str  # "" until a final answer
    answer: str
    answered: dt.date | None

    def row(self) -> list[object]:
        values = asdict(self)
        values["themes"] = "; ".join(self.themes)
        return [values[name] for name in COLUMNS]


def _answer(contribution: Contribution) -> Response | None:
    response: Response | None = getattr(contribution, "response", None)
    return response if response is not None and response.status in FINAL_STATUSES else None


def input_records(process: Process) -> Iterator[InputRecord]:
    """Oldest first, in batches (a bounded number of queries per 1 000 inputs)."""
    items = (
        published_input(process)
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch(
                "themes",
                queryset=Theme.objects.filter(kind=Theme.Kind.THEME).order_by("name"),
                to_attr="public_themes",
            )
        )
    )
    for c in items.iterator(chunk_size=1000):
        hidden = c.moderation == ModerationState.HIDDEN
        answer = None if hidden else _answer(c)
        instance = c.method_instance
        yield InputRecord(
            id=c.pk,
            date=timezone.localdate(c.created_at),
            method=instance.title if instance is not None else "",
            method_key=instance.method_key if instance is not None else "",
            channel=c.channel,
            kind=c.kind,
            text="" if hidden else c.text,
            hidden_reason=c.hidden_reason if hidden else "",
            themes=[] if hidden else [t.name for t in c.public_themes],
            answer_status=answer.status if answer is not None else "",
            answer=answer.reason if answer is not None else "",
            answered=timezone.localdate(answer.updated_at) if answer is not None else None,
        )
