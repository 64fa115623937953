"""Reading and writing Pabulib ``.pb`` files (participatory-budgeting elections).

The format (https://pabulib.org/format) is three ``;``-separated sections: ``META``
(key;value), ``PROJECTS`` (a header row then one row per project, ``project_id`` and
``cost`` required) and ``VOTES`` (a header row then one row per voter, ``vote`` a
comma-separated list of project ids, ``points`` alongside it for cumulative ballots).

Parsing follows pabutools 1.2.3 (the reference implementation) wherever the file is
valid, but refuses malformed files with a one-line error naming file and line instead
of guessing: the numbers decide public money.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import accumulate

# vote_type values and what the counting engine treats them as.
_VOTE_TYPES = {
    "approval": "approval",
    "choose-1": "approval",
    "cumulative": "cumulative",
    "scoring": "cumulative",
}
_SECTIONS = ("meta", "projects", "votes")
_SECTION_INITIALS = frozenset("mpvMPV \t")


class PbFormatError(ValueError):
    """A malformed ``.pb`` file; ``str()`` is the one-line message for the user."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


@dataclass
class Project:
    """One project: its id (as written in the file), exact cost and other columns."""

    id: str
    cost: Fraction
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.fields.get("name", "")


@dataclass
class Election:
    """A parsed election. Ballots are stored flat (CSR style) to stay small and fast.

    Voter ``v`` chose projects ``ballot_projects[offsets[v]:offsets[v+1]]`` (indices into
    ``projects``) with, for cumulative ballots, ``ballot_points`` alongside: integers, the
    points times ``points_scale`` (1 unless the file has fractional points).
    """

    path: str
    meta: dict[str, str]
    budget: Fraction
    vote_type: str  # "approval" or "cumulative"
    projects: list[Project]
    offsets: list[int]
    ballot_projects: list[int]
    ballot_points: list[int] | None
    voter_ids: list[str]
    points_scale: int = 1
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])
    # Other vote columns (age, sex, ...) per voter, kept only when asked for (for writing).
    voter_fields: list[dict[str, str]] | None = None

    @property
    def num_voters(self) -> int:
        return len(self.offsets) - 1

    def ballot(self, voter: int) -> list[int]:
        return self.ballot_projects[self.offsets[voter] : self.offsets[voter + 1]]


def parse_number(text: str) -> Fraction:
    """Parse a cost, budget or score exactly; accepts a decimal comma like pabutools."""
    value = Fraction(text.strip().replace(",", "."))
    return value


def _number(path: str, line: int, text: str, what: str) -> Fraction:
    try:
        value = parse_number(text)
    except (ValueError, ZeroDivisionError):
        raise PbFormatError(path, line, f"{what} {text.strip()!r} is not a number") from None
    if value < 0:
        raise PbFormatError(path, line, f"{what} {text.strip()} is negative")
    return value


def _is_none(cell: str) -> bool:
    return cell.strip().lower() == "none"


class _Reader:
    """Walks the csv rows once, tracking section and line number."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")

    def __iter__(self) -> _Reader:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        while True:
            row = next(self.rows)
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            return self.rows.line_num, row


def read_pb(path: str, keep_voter_fields: bool = False) -> Election:
    """Read a ``.pb`` file; raises :class:`PbFormatError` (or ``OSError``) on failure."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    return parse_pb(text, path, keep_voter_fields=keep_voter_fields)


def parse_pb(text: str, path: str = "<string>", keep_voter_fields: bool = False) -> Election:
    """Parse the text of a ``.pb`` file (see :func:`read_pb`)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _Reader(path, text)
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    seen: set[str] = set()
    section = ""
    header: list[str] = []
    projects: list[Project] = []
    index: dict[str, int] = {}
    builder: _VoteBuilder | None = None
    for line, row in reader:
        first = row[0]
        # Cheap prefilter: most rows are votes whose first cell is a voter id.
        head = first.strip().lower() if first[:1] in _SECTION_INITIALS else ""
        if head in _SECTIONS and len(row) <= 2:
            if head in seen:
                raise PbFormatError(path, line, f"section {head.upper()} appears twice")
            if head == "projects" and "meta" not in seen:
                raise PbFormatError(path, line, "PROJECTS section before META")
            if head == "votes" and "projects" not in seen:
                raise PbFormatError(path, line, "VOTES section before PROJECTS")
            seen.add(head)
            section = head
            try:
                line, header = next(reader)
            except StopIteration:
                raise PbFormatError(
                    path, line, f"section {head.upper()} has no header row"
                ) from None
            header = [cell.strip() for cell in header]
            if head == "projects":
                _check_project_header(path, line, header)
            elif head == "votes":
                vote_type = _vote_type(path, meta, meta_lines)
                builder = _VoteBuilder(path, line, header, vote_type, index, keep_voter_fields)
            continue
        if section == "meta":
            if len(row) != 2:
                raise PbFormatError(
                    path, line, f"META rows need 2 columns (key;value), found {len(row)}"
                )
            key = row[0].strip()
            meta[key] = row[1].strip()
            meta_lines[key] = line
        elif section == "projects":
            project = _project(path, line, header, row)
            if project.id in index:
                raise PbFormatError(path, line, f"duplicate project id {project.id!r}")
            index[project.id] = len(projects)
            projects.append(project)
        elif section == "votes":
            assert builder is not None
            builder.add(line, row)
        else:
            raise PbFormatError(path, line, "data before the META section")
    for name in _SECTIONS:
        if name not in seen:
            raise PbFormatError(path, None, f"missing {name.upper()} section")
    assert builder is not None
    builder.finish()
    if "budget" not in meta:
        raise PbFormatError(path, None, "META has no 'budget'")
    budget = _number(path, meta_lines["budget"], meta["budget"], "budget")
    if not projects:
        raise PbFormatError(path, None, "PROJECTS section lists no projects")
    if not builder.voter_ids:
        raise PbFormatError(path, None, "VOTES section has no votes")
    return Election(
        path=path,
        meta=meta,
        budget=budget,
        vote_type=builder.vote_type,
        projects=projects,
        offsets=builder.offsets,
        ballot_projects=builder.projects,
        ballot_points=builder.points,
        points_scale=builder.points_scale,
        voter_ids=builder.voter_ids,
        project_columns=header_of(projects, default=["project_id", "cost"]),
        vote_columns=builder.header,
        voter_fields=builder.fields,
    )


def header_of(projects: list[Project], default: list[str]) -> list[str]:
    columns = list(default)
    for project in projects:
        for key in project.fields:
            if key not in columns:
                columns.append(key)
    return columns


def _check_project_header(path: str, line: int, header: list[str]) -> None:
    for required in ("project_id", "cost"):
        if required not in header:
            raise PbFormatError(path, line, f"PROJECTS header has no {required!r} column")
    if len(set(header)) != len(header):
        raise PbFormatError(path, line, "PROJECTS header repeats a column name")


def _project(path: str, line: int, header: list[str], row: list[str]) -> Project:
    if len(row) != len(header):
        raise PbFormatError(
            path, line, f"project row has {len(row)} columns, the header has {len(header)}"
        )
    cells = dict(zip(header, row, strict=True))
    pid = cells["project_id"].strip()
    if not pid or _is_none(pid):
        raise PbFormatError(path, line, "project without a project_id")
    if _is_none(cells["cost"]) or not cells["cost"].strip():
        raise PbFormatError(path, line, f"project {pid!r} has no cost")
    cost = _number(path, line, cells["cost"], f"cost of project {pid!r}")
    fields = {
        key: value.strip()
        for key, value in cells.items()
        if key not in ("project_id", "cost") and not _is_none(value)
    }
    return Project(pid, cost, fields)


def _vote_type(path: str, meta: dict[str, str], meta_lines: dict[str, int]) -> str:
    if "vote_type" not in meta:
        raise PbFormatError(path, None, "META has no 'vote_type'")
    raw = meta["vote_type"].strip().lower()
    if raw not in _VOTE_TYPES:
        raise PbFormatError(
            path,
            meta_lines["vote_type"],
            f"vote_type {raw!r} is not supported (approval, choose-1, cumulative, scoring)",
        )
    return _VOTE_TYPES[raw]


class _VoteBuilder:
    """Collects the VOTES rows, then validates and flattens them in bulk (fast path)."""

    def __init__(
        self,
        path: str,
        line: int,
        header: list[str],
        vote_type: str,
        index: dict[str, int],
        keep_fields: bool,
    ) -> None:
        if "vote" not in header:
            raise PbFormatError(path, line, "VOTES header has no 'vote' column")
        if len(set(header)) != len(header):
            raise PbFormatError(path, line, "VOTES header repeats a column name")
        if vote_type == "cumulative" and "points" not in header:
            raise PbFormatError(path, line, "VOTES header has no 'points' column")
        self.path = path
        self.header = header
        self.width = len(header)
        self.vote_type = vote_type
        self.index = index
        self.vote_col = header.index("vote")
        self.points_col = header.index("points") if "points" in header else -1
        self.id_col = header.index("voter_id") if "voter_id" in header else -1
        self.lines: list[int] = []
        self.vote_cells: list[str] = []
        self.points_cells: list[str] = []
        self.id_cells: list[str] = []
        self.fields: list[dict[str, str]] | None = [] if keep_fields else None
        self.extra = [
            (i, name) for i, name in enumerate(header) if name not in ("voter_id", "vote", "points")
        ]
        # Filled by finish():
        self.offsets: list[int] = [0]
        self.projects: list[int] = []
        self.points: list[int] | None = None
        self.points_scale = 1
        self.voter_ids: list[str] = []

    def add(self, line: int, row: list[str]) -> None:
        if len(row) != self.width:
            raise PbFormatError(
                self.path, line, f"vote row has {len(row)} columns, the header has {self.width}"
            )
        self.lines.append(line)
        self.vote_cells.append(row[self.vote_col])
        if self.points_col >= 0:
            self.points_cells.append(row[self.points_col])
        if self.id_col >= 0:
            self.id_cells.append(row[self.id_col])
        if self.fields is not None:
            self.fields.append({name: row[i].strip() for i, name in self.extra})

    def finish(self) -> None:
        self._voter_ids()
        if self.vote_type == "cumulative":
            if not self._cumulative_fast():
                self._cumulative()
        elif not self._approval_fast():
            self._approval_slow()

    def _voter_ids(self) -> None:
        if self.id_col < 0:
            self.voter_ids = [str(v) for v in range(len(self.lines))]
            return
        ids = [cell.strip() for cell in self.id_cells]
        if len(set(ids)) != len(ids):
            seen: set[str] = set()
            for line, voter in zip(self.lines, ids, strict=True):
                if voter in seen:
                    raise PbFormatError(self.path, line, f"duplicate voter_id {voter!r}")
                seen.add(voter)
        self.voter_ids = ids

    def _approval_fast(self) -> bool:
        """Well-formed approval votes (no spaces, no empty cells): flatten in a few C calls."""
        parsed = _flatten(self.vote_cells, self.index)
        if parsed is None:
            return False
        self.projects, self.offsets = parsed
        return True

    def _cumulative_fast(self) -> bool:
        """Well-formed cumulative votes with integer points, flattened in bulk."""
        parsed = _flatten(self.vote_cells, self.index)
        if parsed is None:
            return False
        votes = _blank_empty(self.vote_cells)
        cells = _blank_empty(self.points_cells)
        if [c.count(",") if c else -1 for c in cells] != [c.count(",") if c else -1 for c in votes]:
            return False
        filled = [c for c in cells if c] if "" in cells else cells
        try:
            points = list(map(int, ",".join(filled).split(","))) if filled else []
        except ValueError:
            return False
        if points and min(points) < 0:
            return False
        self.projects, self.offsets = parsed
        self.points = points
        return True

    def _names(self, line: int, cell: str) -> list[int]:
        vote = cell.strip()
        names = [] if (not vote or _is_none(vote)) else [n.strip() for n in vote.split(",")]
        try:
            return [self.index[n] for n in names if n]
        except KeyError as missing:
            raise PbFormatError(
                self.path, line, f"vote for project {missing.args[0]!r}, which is not in PROJECTS"
            ) from None

    def _approval_slow(self) -> None:
        flat: list[int] = []
        offsets = [0]
        for line, cell in zip(self.lines, self.vote_cells, strict=True):
            chosen = self._names(line, cell)
            if len(set(chosen)) != len(chosen):
                chosen = list(dict.fromkeys(chosen))
            flat.extend(chosen)
            offsets.append(len(flat))
        self.projects, self.offsets = flat, offsets

    def _cumulative(self) -> None:
        flat: list[int] = []
        offsets = [0]
        values: list[int | Fraction] = []
        integral = True
        for line, cell, raw in zip(self.lines, self.vote_cells, self.points_cells, strict=True):
            chosen = self._names(line, cell)
            raw = raw.strip()
            cells = [] if (not raw or _is_none(raw)) else [c for c in raw.split(",") if c.strip()]
            if len(cells) != len(chosen):
                raise PbFormatError(
                    self.path,
                    line,
                    f"{len(chosen)} projects in 'vote' but {len(cells)} in 'points'",
                )
            if len(set(chosen)) != len(chosen):
                raise PbFormatError(self.path, line, "a project appears twice in one vote")
            for text in cells:
                value: int | Fraction
                try:
                    value = int(text)
                except ValueError:
                    value = _number(self.path, line, text, "points")
                    integral = integral and value.denominator == 1
                if value < 0:
                    raise PbFormatError(self.path, line, f"points {text.strip()} is negative")
                values.append(value)
            flat.extend(chosen)
            offsets.append(len(flat))
        self.projects, self.offsets = flat, offsets
        if integral:
            self.points = [int(v) for v in values]
        else:
            self.points_scale = scale_to_integers(Fraction(v) for v in values)
            self.points = [int(v * self.points_scale) for v in values]


def _blank_empty(cells: list[str]) -> list[str]:
    """Cells with "None" (any case) turned into "", the empty ballot."""
    if "None" not in cells and "none" not in cells and "NONE" not in cells:
        return cells
    return [c if len(c) != 4 or c.lower() != "none" else "" for c in cells]


def _flatten(cells: list[str], index: dict[str, int]) -> tuple[list[int], list[int]] | None:
    """Project indices and offsets for clean vote cells, or None to take the careful path."""
    cells = _blank_empty(cells)
    filled = [c for c in cells if c] if "" in cells else cells
    offsets = list(accumulate((c.count(",") + 1 if c else 0 for c in cells), initial=0))
    if not filled:
        return [], offsets
    joined = ",".join(filled)
    if ",," in joined or joined[0] == "," or joined[-1] == ",":
        return None
    try:
        flat = list(map(index.__getitem__, joined.split(",")))
    except KeyError:
        return None  # unknown id or spaces: the careful path explains
    ballots = map(flat.__getitem__, map(slice, offsets[:-1], offsets[1:]))
    if sum(map(len, map(set, ballots))) != len(flat):
        return None  # a project repeated within a ballot: the careful path decides
    return flat, offsets


def scale_to_integers(values: Iterable[Fraction]) -> int:
    """Smallest factor that turns every value into an integer (1 for integer inputs)."""
    factor = 1
    for value in values:
        if value.denominator != 1:
            factor = math.lcm(factor, value.denominator)
    return factor


def format_number(value: Fraction) -> str:
    """An exact value as the file writes it: an integer, or a finite decimal if possible."""
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return str(float(value))  # no finite decimal; pabutools writes floats too
    digits = max(twos, fives)
    scaled = value * 10**digits
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled.numerator), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def election_to_text(election: Election) -> str:
    """The election in Pabulib format (META, PROJECTS, VOTES)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(election.num_voters)
    meta["budget"] = format_number(election.budget)
    if election.meta.get("vote_type", "").lower() not in _VOTE_TYPES:
        meta["vote_type"] = election.vote_type
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    columns = header_of(election.projects, default=["project_id", "cost"])
    writer.writerow(columns)
    for project in election.projects:
        cells = {"project_id": project.id, "cost": format_number(project.cost), **project.fields}
        writer.writerow([cells.get(c, "None") for c in columns])
    out.write("VOTES\n")
    extra = [c for c in election.vote_columns if c not in ("voter_id", "vote", "points")]
    columns = ["voter_id", *extra, "vote"]
    if election.ballot_points is not None:
        columns.append("points")
    writer.writerow(columns)
    ids = [p.id for p in election.projects]
    for voter in range(election.num_voters):
        lo, hi = election.offsets[voter], election.offsets[voter + 1]
        fields = election.voter_fields[voter] if election.voter_fields is not None else {}
        row = [election.voter_ids[voter], *(fields.get(c, "None") for c in extra)]
        row.append(",".join(ids[i] for i in election.ballot_projects[lo:hi]))
        if election.ballot_points is not None:
            scale = election.points_scale
            points = election.ballot_points[lo:hi]
            row.append(",".join(format_number(Fraction(v, scale)) for v in points))
            if lo == hi:  # pabutools reads an empty cumulative ballot only as None;None
                row[-2:] = ["None", "None"]
        writer.writerow(row)
    return out.getvalue()


def write_pb(election: Election, path: str) -> None:
    """Write the election to ``path`` in Pabulib format."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(election_to_text(election))
