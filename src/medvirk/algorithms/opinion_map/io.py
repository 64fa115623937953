"""Reading Pol.is exports (``votes.csv``, ``comments.csv``) for the opinion map.

Large vote files are parsed in one vectorised pass; only when that pass meets something
odd does a slower row-by-row pass run, to name the exact line and problem.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
COMMENT_COLUMNS = ("comment-id", "moderated")
_WHOLE_NUMBER = re.compile(r"\s*-?\d+\s*\Z")
# Bytes per block when checking a votes file's shape before the vectorised parse.
_SCAN_BLOCK = 1 << 22


class InputError(ValueError):
    """A problem with an input file, worded as one line naming file and line."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class VoteFile:
    participants: npt.NDArray[np.int64]
    statements: npt.NDArray[np.int64]
    votes: npt.NDArray[np.int64]
    timestamps: npt.NDArray[np.float64] | None


@dataclass(frozen=True)
class CommentFile:
    moderated_out: set[int]
    texts: dict[int, str]
    lines: dict[int, int]  # statement → line in the file, for error messages


def _open_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror})") from None


def _header(path: Path, text: str, required: tuple[str, ...]) -> list[str]:
    first = next(csv.reader(text.splitlines()[:1]), None)
    if not first:
        raise InputError(path, "is empty (expected a header line)", 1)
    names = [name.strip() for name in first]
    missing = [name for name in required if name not in names]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)} in the header", 1)
    return names


def _records(path: Path, reader: Any) -> Iterator[list[str]]:
    """The reader's rows, with CSV syntax errors as one-line input errors."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(path, f"not valid CSV ({error})", reader.line_num) from None
        yield record


def _whole(path: Path, line: int, column: str, value: str) -> int:
    if not _WHOLE_NUMBER.match(value):
        raise InputError(path, f"{column} must be a whole number, got {value!r}", line)
    return int(value)


def _check_rows(path: Path, text: str, names: list[str]) -> VoteFile:
    """Row-by-row parse that raises on the first bad line (slow, exact)."""
    col = {name: names.index(name) for name in (*VOTE_COLUMNS, "timestamp") if name in names}
    reader = csv.reader(text.splitlines(keepends=True))
    next(reader)
    rows: list[tuple[int, int, int, float]] = []
    for record in _records(path, reader):
        line = reader.line_num
        if not record or all(not field.strip() for field in record):
            continue
        if len(record) != len(names):
            raise InputError(path, f"expected {len(names)} fields, found {len(record)}", line)
        statement = _whole(path, line, "comment-id", record[col["comment-id"]])
        voter = _whole(path, line, "voter-id", record[col["voter-id"]])
        vote = record[col["vote"]].strip()
        if vote not in {"-1", "0", "1"}:
            raise InputError(path, f"vote must be -1, 0 or 1, got {vote!r}", line)
        stamp = 0.0
        if "timestamp" in col:
            raw = record[col["timestamp"]]
            try:
                stamp = float(raw)
            except ValueError:
                raise InputError(path, f"timestamp must be a number, got {raw!r}", line) from None
            if not np.isfinite(stamp):
                raise InputError(path, f"timestamp must be a number, got {raw!r}", line)
        rows.append((voter, statement, int(vote), stamp))
    if not rows:
        raise InputError(path, "has no votes (only a header)")
    table = np.array(rows, dtype=np.float64)
    return VoteFile(
        participants=table[:, 0].astype(np.int64),
        statements=table[:, 1].astype(np.int64),
        votes=table[:, 2].astype(np.int64),
        timestamps=table[:, 3] if "timestamp" in col else None,
    )


def _regular_shape(path: Path, names: list[str]) -> bool:
    """Whether every data line has exactly the header's number of fields, with no quotes
    and no blank lines: the cheap shape check before the vectorised parse. The file is
    scanned in blocks into one reused buffer (holding 100 MB of votes in memory at once
    cost more in page faults than the whole parse)."""
    commas = newlines = 0
    previous = b"\n"  # the header line ends in a newline (else there is no body)
    last = b""
    block = bytearray(_SCAN_BLOCK)
    with path.open("rb") as handle:
        handle.readline()
        while True:
            size = handle.readinto(block)
            if not size:
                break
            if (
                block.find(b'"', 0, size) >= 0
                or block.find(b"\n\n", 0, size) >= 0
                or (previous == b"\n" and block[:1] == b"\n")
            ):
                return False
            commas += block.count(b",", 0, size)
            newlines += block.count(b"\n", 0, size)
            previous = last = bytes(block[size - 1 : size])
    if not last:
        return False  # header only
    n_lines = newlines + (0 if last == b"\n" else 1)
    return commas == n_lines * (len(names) - 1)


def _fast_parse(path: Path, names: list[str]) -> VoteFile | None:
    """Vectorised parse; None if anything is irregular (then the slow pass explains it)."""
    # Cheap shape check (quotes, blank lines or ragged rows go to the exact pass).
    if not _regular_shape(path, names):
        return None
    has_time = "timestamp" in names
    columns = {"p": "voter-id", "s": "comment-id", "v": "vote"}
    if has_time:
        columns["t"] = "timestamp"
    # loadtxt fills the fields in file order, so list them sorted by column position.
    ordered = sorted(columns, key=lambda key: names.index(columns[key]))
    dtype = np.dtype([(key, np.float64 if key == "t" else np.int64) for key in ordered])
    try:
        table = np.loadtxt(
            path,
            delimiter=",",
            skiprows=1,
            usecols=[names.index(columns[key]) for key in ordered],
            dtype=dtype,
            ndmin=1,
            encoding="utf-8-sig",
        )
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    if table.size == 0 or not ((table["v"] >= -1) & (table["v"] <= 1)).all():
        return None
    if has_time and not np.isfinite(table["t"]).all():
        return None
    return VoteFile(
        participants=np.ascontiguousarray(table["p"]),
        statements=np.ascontiguousarray(table["s"]),
        votes=np.ascontiguousarray(table["v"]),
        timestamps=np.ascontiguousarray(table["t"]) if has_time else None,
    )


def _first_line(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.readline()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror})") from None


def read_votes(path: Path | str) -> VoteFile:
    """Read a Pol.is ``votes.csv`` (columns timestamp, datetime, comment-id, voter-id, vote)."""
    path = Path(path)
    try:
        first_line = _first_line(path).rstrip(b"\r\n").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text", 1) from None
    names = _header(path, first_line, VOTE_COLUMNS)
    parsed = _fast_parse(path, names)
    if parsed is not None:
        return parsed
    return _check_rows(path, _open_text(path), names)


def read_comments(path: Path | str) -> CommentFile:
    """Read a Pol.is ``comments.csv``: which statements are moderated out, and their texts."""
    path = Path(path)
    text = _open_text(path)
    names = _header(path, text, COMMENT_COLUMNS)
    reader = csv.reader(text.splitlines(keepends=True))
    next(reader)
    moderated_out: set[int] = set()
    texts: dict[int, str] = {}
    lines: dict[int, int] = {}
    for record in _records(path, reader):
        line = reader.line_num
        if not record or all(not field.strip() for field in record):
            continue
        if len(record) != len(names):
            raise InputError(path, f"expected {len(names)} fields, found {len(record)}", line)
        row = dict(zip(names, record, strict=True))
        statement = _whole(path, line, "comment-id", row["comment-id"])
        if statement in lines:
            raise InputError(
                path,
                f"statement {statement} is listed twice (first on line {lines[statement]})",
                line,
            )
        moderated = row["moderated"].strip()
        if moderated not in {"-1", "0", "1"}:
            raise InputError(path, f"moderated must be -1, 0 or 1, got {moderated!r}", line)
        if moderated == "-1":
            moderated_out.add(statement)
        texts[statement] = row.get("comment-body", "").strip()
        lines[statement] = line
    return CommentFile(moderated_out, texts, lines)


def check_together(
    votes_path: Path | str, votes: VoteFile, comments_path: Path | str, comments: CommentFile
) -> None:
    """Every statement voted on must be listed in the comments file.

    Statements listed but never voted on are not an error: real exports contain them (a
    statement moderated out before anyone saw it, or one added after the last vote). The
    map leaves them out and says so (``build_opinion_map(..., listed=...)``).
    """
    missing = set(np.unique(votes.statements).tolist()) - set(comments.lines)
    if missing:
        # Point at the first vote line naming such a statement (line 1 is the header).
        index = int(np.flatnonzero(np.isin(votes.statements, list(missing)))[0])
        raise InputError(
            votes_path,
            f"statement {int(votes.statements[index])} is not listed in {comments_path}",
            _data_line(votes_path, index),
        )


def _data_line(path: Path | str, index: int) -> int | None:
    """File line of the index-th data row (skipping blank lines), for error messages."""
    seen = -1
    with Path(path).open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 or not line.strip():
                continue
            seen += 1
            if seen == index:
                return number
    return None
