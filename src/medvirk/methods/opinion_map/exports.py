"""The public export: the conversation in Pol.is's format, a ZIP on the case's open-data page.

Pol.is publishes each conversation as ``comments.csv``, ``votes.csv``,
``participants-votes.csv`` and ``summary.csv``; the same columns here let anyone rerun the
analysis with Pol.is's own tools or ``medvirk opinion-map``. What Medvirk leaves out or
coarsens, to protect people:

- no names, accounts, e-mail addresses or database ids: participants and statements are
  numbered 0, 1, 2 … in the order they came;
- times are rounded to the day (Pol.is gives the millisecond); rows are sorted by
  participant and statement, not by time, so their order tells no sequence either;
- ``author-id`` is left empty (it would tie a statement's author to their votes), and
  ``n-comments`` is 0;
- a participant's statement appears only once a moderator has published it; one a
  moderator later hid keeps its votes but not its text (moderated −1);
- ``group-id`` is given only for groups of 5 people or more (as on the map).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.http import FileResponse, HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from medvirk.core.csvfiles import safe_cell
from medvirk.processes.types import MethodInstance

from . import queries
from .models import Participant, Statement, Vote

COMMENT_HEADER = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
]
VOTE_HEADER = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
MATRIX_FIXED = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
CHUNK = 20_000


def polis_available(instance: MethodInstance) -> bool:
    """Open data once the map has been drawn from at least 5 participants."""
    return queries.export_ready(instance)


def _day(moment: dt.datetime | None) -> tuple[str, str]:
    """A time rounded down to the day it fell on (in the site's time zone): Pol.is's
    milliseconds and its ``datetime`` text."""
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return str(int(midnight.timestamp() * 1000)), midnight.strftime("%a %b %d %H:%M:%S %Z %Y")


class _Conversation:
    """The statements and participants as the export numbers them."""

    def __init__(self, instance: MethodInstance) -> None:
        self.instance = instance
        self.statements: list[Statement] = list(
            Statement.objects.filter(queries.EXPORTED, method_instance=instance)
            .select_related("contribution")
            .order_by("pk")
        )
        self.comment_id = {s.pk: n for n, s in enumerate(self.statements)}
        voters = (
            Vote.objects.filter(statement_id__in=self.statement_ids())
            .values_list("participant_id", flat=True)
            .distinct()
            .order_by("participant_id")
        )
        self.voter_id = {pid: n for n, pid in enumerate(voters.iterator(chunk_size=CHUNK))}
        self.shown_groups = queries.shown_group_ids(queries.map_row(instance))

    def statement_ids(self) -> Any:
        """The exported statements, as a subquery (no long list of ids in the SQL)."""
        return Statement.objects.filter(queries.EXPORTED, method_instance=self.instance).values(
            "pk"
        )

    def votes(self) -> Iterator[tuple[int, int, int, dt.datetime]]:
        """(participant, statement, vote, time) by participant, then statement."""
        rows = (
            Vote.objects.filter(statement_id__in=self.statement_ids())
            .order_by("participant_id", "statement_id")
            .values_list("participant_id", "statement_id", "value", "updated_at")
        )
        yield from rows.iterator(chunk_size=CHUNK)


def _writer(archive: zipfile.ZipFile, name: str) -> tuple[Any, IO[bytes]]:
    raw = archive.open(name, "w")
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    return csv.writer(text, lineterminator="\n"), text  # type: ignore[return-value]


def _comments(archive: zipfile.ZipFile, conv: _Conversation) -> None:
    counts = queries.agree_disagree(conv.instance)
    writer, handle = _writer(archive, "comments.csv")
    writer.writerow(COMMENT_HEADER)
    for statement in conv.statements:
        stamp, text = _day(statement.created_at)
        contribution = statement.contribution
        published = contribution is None or contribution.moderation == queries.PUBLISHED
        in_vote = statement.is_active and published
        agrees, disagrees = counts.get(statement.pk, (0, 0))
        writer.writerow(
            [
                stamp,
                text,
                conv.comment_id[statement.pk],
                "",
                agrees,
                disagrees,
                1 if in_vote else -1,
                # A statement a moderator hid keeps its votes, not its words.
                safe_cell(statement.text) if published else "",
            ]
        )
    handle.close()


def _votes(archive: zipfile.ZipFile, conv: _Conversation) -> None:
    writer, handle = _writer(archive, "votes.csv")
    writer.writerow(VOTE_HEADER)
    for participant, statement, value, when in conv.votes():
        stamp, text = _day(when)
        writer.writerow(
            [stamp, text, conv.comment_id[statement], conv.voter_id[participant], value]
        )
    handle.close()


def _matrix(archive: zipfile.ZipFile, conv: _Conversation) -> None:
    groups = dict(
        Participant.objects.filter(method_instance=conv.instance)
        .exclude(group=None)
        .values_list("pk", "group")
    )
    columns = len(conv.statements)
    writer, handle = _writer(archive, "participants-votes.csv")
    writer.writerow([*MATRIX_FIXED, *range(columns)])

    def flush(pid: int, cells: list[str], agree: int, disagree: int, n: int) -> None:
        group = groups.get(pid)
        shown = group if group is not None and group in conv.shown_groups else ""
        writer.writerow([conv.voter_id[pid], shown, 0, n, agree, disagree, *cells])

    current: int | None = None
    cells: list[str] = []
    agree = disagree = n = 0
    for participant, statement, value, _when in conv.votes():
        if participant != current:
            if current is not None:
                flush(current, cells, agree, disagree, n)
            current, cells, agree, disagree, n = participant, [""] * columns, 0, 0, 0
        cells[conv.comment_id[statement]] = str(value)
        n += 1
        agree += value == 1
        disagree += value == -1
    if current is not None:
        flush(current, cells, agree, disagree, n)
    handle.close()


def _summary(archive: zipfile.ZipFile, conv: _Conversation, url: str) -> None:
    instance = conv.instance
    writer, handle = _writer(archive, "summary.csv")
    rows = [
        ("topic", safe_cell(instance.title)),
        ("url", url),
        ("voters", len(conv.voter_id)),
        ("voters-in-conv", len(conv.voter_id)),
        ("comments", len(conv.statements)),
        ("groups", len(conv.shown_groups)),
        ("conversation-description", safe_cell(instance.description)),
    ]
    writer.writerows(rows)
    handle.close()


def polis_zip(request: HttpRequest, instance: MethodInstance) -> FileResponse:
    """comments.csv, votes.csv, participants-votes.csv and summary.csv in one ZIP, with a
    README in the reader's language. Built in a temporary file (on disk once large)."""
    conv = _Conversation(instance)
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _comments(archive, conv)
        _votes(archive, conv)
        _matrix(archive, conv)
        _summary(archive, conv, request.build_absolute_uri(instance.get_absolute_url()))
        archive.writestr(
            "README.txt",
            render_to_string(
                "opinion_map/export_readme.txt",
                {"instance": instance, "process": instance.process},
            ),
        )
    spool.seek(0)
    name = f"{instance.process.slug}-{instance.slug}-polis.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")
