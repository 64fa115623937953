"""Reading a Pol.is export uploaded by staff: comments.csv, votes.csv, participants-votes.csv.

The engine's reader (``algorithms/opinion_map/io.py``) reads files on disk and stops at the
first bad line, in English, for the command line. An upload is read here instead, in the
person's language, and takes what real exports contain: empty rows, statements nobody voted
on, ids that are never used, a participant changing their vote (the latest counts). A line
that cannot be used is skipped and reported with its line number; a file that is not a
Pol.is file at all is refused with what is wrong, and nothing is imported.

Files are checked as ``core/uploads`` checks files: a safe name, the right extension, a size
limit, and text (UTF-8, no markup, no binary) before anything is parsed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.filetypes import extension_of, name_problem, shown

COMMENT_COLUMNS = ("comment-id", "moderated", "comment-body")
VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
MATRIX_COLUMNS = ("participant",)
# Columns of participants-votes.csv that are not statements.
MATRIX_FIXED = {"participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
MAX_STATEMENTS = 5000
# A statement's text is kept up to the model's length; longer ones are shortened (reported).
MAX_TEXT = 500
# At most this many skipped lines are kept for the report (all are counted).
MAX_REPORTED = 500
_WHOLE = re.compile(r"^\s*-?\d{1,18}\s*$")


@dataclass(frozen=True)
class Comment:
    text: str
    moderated: int  # −1 moderated out, 0 not yet, 1 accepted (Pol.is's values)
    line: int


@dataclass(frozen=True)
class Skip:
    file: str
    line: int | None
    reason: str


@dataclass
class Conversation:
    """What could be read: statements, the latest vote per participant and statement, and
    what was left out (with why)."""

    comments: dict[int, Comment] = field(default_factory=dict)
    votes: dict[tuple[int, int], int] = field(default_factory=dict)  # (voter, comment) → vote
    skipped: list[Skip] = field(default_factory=list)
    skipped_count: int = 0
    empty_rows: int = 0
    replaced: int = 0  # earlier votes replaced by the same participant's later one
    from_matrix: int = 0  # votes only participants-votes.csv held
    shortened: int = 0
    no_text: int = 0
    idle_participants: int = 0  # rows of participants-votes.csv without a single vote
    _times: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)

    def skip(self, file: str, line: int | None, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_REPORTED:
            self.skipped.append(Skip(file, line, reason))


def read_upload(upload: Any, name: str, max_bytes: int) -> str:
    """The uploaded file's text, or :class:`ActionRefused` saying what is wrong with it."""
    filename = str(getattr(upload, "name", "") or "")
    problem = name_problem(filename)
    if problem is not None:
        raise ActionRefused(
            _(
                "The name of the file chosen for %(field)s cannot be used. Rename it and "
                "choose it again."
            )
            % {"field": name}
        )
    if extension_of(filename) != "csv":
        raise ActionRefused(
            _("“%(name)s” is not a CSV file. Choose the %(field)s file from the Pol.is export.")
            % {"name": shown(filename), "field": name}
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > max_bytes:
        raise ActionRefused(
            _("“%(name)s” is %(size)s; a file may be at most %(max)s.")
            % {
                "name": shown(filename),
                "size": filesizeformat(size),
                "max": filesizeformat(max_bytes),
            }
        )
    stream: IO[bytes] = upload
    stream.seek(0)
    raw = stream.read(max_bytes + 1)
    if not raw.strip():
        raise ActionRefused(_("“%(name)s” is empty.") % {"name": shown(filename)})
    if b"\x00" in raw[:65536]:
        raise ActionRefused(
            _("“%(name)s” is not a text file. Choose the %(field)s file from the Pol.is export.")
            % {"name": shown(filename), "field": name}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActionRefused(
            _("“%(name)s” is not UTF-8 text, as Pol.is exports are. Download it again.")
            % {"name": shown(filename)}
        ) from None
    if text.lstrip().startswith("<"):
        raise ActionRefused(
            _("“%(name)s” is a web page or XML, not a CSV file.") % {"name": shown(filename)}
        )
    return text


def _rows(text: str, name: str, required: tuple[str, ...]) -> tuple[list[str], Any]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader, [])]
    except csv.Error:
        header = []
    missing = [column for column in required if column not in header]
    if missing:
        raise ActionRefused(
            _(
                "%(file)s: the first line must name the columns %(columns)s, and it does not "
                "(missing: %(missing)s). Is this the right file?"
            )
            % {"file": name, "columns": ", ".join(required), "missing": ", ".join(missing)}
        )
    return header, reader


def _records(reader: Any, conversation: Conversation, name: str) -> Any:
    """The reader's records with their line numbers; broken CSV ends the file, reported."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            conversation.skip(
                name, reader.line_num, _("not valid CSV here; the rest of the file was skipped")
            )
            return
        if not record or all(not cell.strip() for cell in record):
            conversation.empty_rows += 1
            continue
        yield reader.line_num, record


def _whole(value: str) -> int | None:
    return int(value) if _WHOLE.match(value) else None


def read_comments(text: str, conversation: Conversation, name: str = "comments.csv") -> None:
    header, reader = _rows(text, name, COMMENT_COLUMNS)
    col = {column: header.index(column) for column in COMMENT_COLUMNS}
    for line, record in _records(reader, conversation, name):
        if len(record) != len(header):
            conversation.skip(
                name,
                line,
                _("%(n)d fields where the first line names %(m)d")
                % {"n": len(record), "m": len(header)},
            )
            continue
        cid = _whole(record[col["comment-id"]])
        if cid is None or cid < 0:
            conversation.skip(
                name,
                line,
                _("comment-id must be a whole number, not “%(value)s”")
                % {"value": shown(record[col["comment-id"]], 40)},
            )
            continue
        if cid in conversation.comments:
            conversation.skip(
                name,
                line,
                _("statement %(id)d is listed twice (first on line %(first)d)")
                % {"id": cid, "first": conversation.comments[cid].line},
            )
            continue
        moderated = _whole(record[col["moderated"]])
        if moderated not in (-1, 0, 1):
            conversation.skip(
                name,
                line,
                _("moderated must be -1, 0 or 1, not “%(value)s”")
                % {"value": shown(record[col["moderated"]], 40)},
            )
            continue
        body = " ".join(record[col["comment-body"]].split())
        if len(body) > MAX_TEXT:
            body = body[: MAX_TEXT - 1].rstrip() + "…"
            conversation.shortened += 1
        if not body:
            conversation.no_text += 1
        conversation.comments[cid] = Comment(body, moderated, line)
        if len(conversation.comments) > MAX_STATEMENTS:
            raise ActionRefused(
                _("%(file)s lists more than %(max)d statements; that is more than one map holds.")
                % {"file": name, "max": MAX_STATEMENTS}
            )


def read_votes(text: str, conversation: Conversation, name: str = "votes.csv") -> None:
    """The latest vote of each participant on each listed statement (by ``timestamp``
    where the file has one, else the later line)."""
    header, reader = _rows(text, name, VOTE_COLUMNS)
    col = {column: header.index(column) for column in VOTE_COLUMNS}
    stamp_col = header.index("timestamp") if "timestamp" in header else None
    votes, times, comments = conversation.votes, conversation._times, conversation.comments
    for line, record in _records(reader, conversation, name):
        if len(record) != len(header):
            conversation.skip(
                name,
                line,
                _("%(n)d fields where the first line names %(m)d")
                % {"n": len(record), "m": len(header)},
            )
            continue
        cid, voter = _whole(record[col["comment-id"]]), _whole(record[col["voter-id"]])
        value = _whole(record[col["vote"]])
        if cid is None or voter is None or cid < 0 or voter < 0:
            conversation.skip(name, line, _("comment-id and voter-id must be whole numbers"))
            continue
        if value not in (-1, 0, 1):
            conversation.skip(
                name,
                line,
                _("vote must be -1, 0 or 1, not “%(value)s”")
                % {"value": shown(record[col["vote"]], 40)},
            )
            continue
        if cid not in comments:
            conversation.skip(
                name,
                line,
                _("a vote on statement %(id)d, which comments.csv does not list") % {"id": cid},
            )
            continue
        stamp = float(line)
        if stamp_col is not None:
            try:
                stamp = float(record[stamp_col])
            except ValueError:
                stamp = float(line)
        pair = (voter, cid)
        if pair in votes:
            conversation.replaced += 1
            if stamp < times[pair]:
                continue  # an earlier vote listed after the later one
        votes[pair] = value
        times[pair] = stamp


def read_matrix(
    text: str, conversation: Conversation, name: str = "participants-votes.csv"
) -> None:
    """Votes from the one-row-per-participant file, for pairs votes.csv did not hold."""
    header, reader = _rows(text, name, MATRIX_COLUMNS)
    pcol = header.index("participant")
    columns: list[tuple[int, int]] = []
    for index, column in enumerate(header):
        if column in MATRIX_FIXED:
            continue
        cid = _whole(column)
        if cid is not None and cid in conversation.comments:
            columns.append((index, cid))
    votes = conversation.votes
    for line, record in _records(reader, conversation, name):
        if len(record) != len(header):
            conversation.skip(
                name,
                line,
                _("%(n)d fields where the first line names %(m)d")
                % {"n": len(record), "m": len(header)},
            )
            continue
        voter = _whole(record[pcol])
        if voter is None or voter < 0:
            conversation.skip(name, line, _("participant must be a whole number"))
            continue
        cast = 0
        for index, cid in columns:
            cell = record[index].strip()
            if not cell:
                continue
            value = _whole(cell)
            if value not in (-1, 0, 1):
                conversation.skip(
                    name,
                    line,
                    _("vote on statement %(id)d must be -1, 0 or 1, not “%(value)s”")
                    % {"id": cid, "value": shown(cell, 40)},
                )
                continue
            cast += 1
            if (voter, cid) not in votes:
                votes[(voter, cid)] = value
                conversation.from_matrix += 1
        if not cast:
            conversation.idle_participants += 1


def read_export(
    comments: Any, votes: Any | None, matrix: Any | None, *, max_bytes: int
) -> Conversation:
    """Read the uploaded files into one conversation; refused (nothing imported) when a
    file is not what it should be, or nothing at all could be read."""
    conversation = Conversation()
    read_comments(read_upload(comments, "comments.csv", max_bytes), conversation)
    if not conversation.comments:
        raise ActionRefused(_("comments.csv lists no statements that could be read."))
    if votes is not None:
        read_votes(read_upload(votes, "votes.csv", max_bytes), conversation)
    if matrix is not None:
        read_matrix(read_upload(matrix, "participants-votes.csv", max_bytes), conversation)
    conversation._times.clear()
    return conversation
