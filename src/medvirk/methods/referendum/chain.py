"""The referendum's count record: a hash chain anyone can check and recount. Pure Python.

No Django here (the module is tested alone, and ``referendum_verify`` reads a file or an
address with it): the Django side (``staff_actions``) builds each entry's data and stores
the entries; this module hashes, links and checks them.

An entry is ``{"seq", "kind", "data", "prev", "hash"}``. ``hash`` is SHA-256 (hex) over the
canonical JSON of the other four — keys sorted, no spaces, UTF-8, no floats anywhere (every
share is a string such as ``"59.7"``) — and ``prev`` is the previous entry's ``hash``
(64 zeros for the first). Changing any entry changes its hash and breaks the link to the
next; a record rewritten from the change onwards ends in another head, which the council's
report prints.

The entries come in this order:

1. ``opened``: what was announced before voting — the question, the options (with their
   ids), the period, the voting age, the turnout floor, whether re-voting is allowed.
2. ``paper_batch`` (any number): one polling place's count, accepted after two staff
   members entered the same numbers.
3. ``electronic``: every electronic ballot as ``[ballot id, option id or null (blank)]``,
   sorted by id, and the totals.
4. ``closed``: when the vote was closed.
5. ``result``: the totals per option (electronic, paper, all), blank and rejected, the
   number of voters, the turnout and whether the floor was reached.

:func:`verify` checks the links and hashes and recounts the result from the ballots and
batches listed; it says plainly where the record breaks.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FORMAT = "medvirk-referendum-count-record"
VERSION = 1
GENESIS = "0" * 64
OPENED, PAPER, ELECTRONIC, CLOSED, RESULT = (
    "opened",
    "paper_batch",
    "electronic",
    "closed",
    "result",
)
KINDS = (OPENED, PAPER, ELECTRONIC, CLOSED, RESULT)


def canonical(value: Any) -> bytes:
    """The one byte string an entry's hash is taken over."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(seq: int, kind: str, data: Mapping[str, Any], prev: str) -> str:
    body = {"seq": seq, "kind": kind, "data": data, "prev": prev}
    return hashlib.sha256(canonical(body)).hexdigest()


def make_entry(seq: int, kind: str, data: Mapping[str, Any], prev: str) -> dict[str, Any]:
    """A new entry after ``prev`` (the previous entry's hash, or :data:`GENESIS`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown entry kind {kind!r}")
    _no_floats(data)
    plain = json.loads(canonical(data))  # tuples become lists: what is stored is what is hashed
    return {
        "seq": seq,
        "kind": kind,
        "data": plain,
        "prev": prev,
        "hash": entry_hash(seq, kind, plain, prev),
    }


def _no_floats(value: Any) -> None:
    if isinstance(value, float):
        raise ValueError("no floats in a count record: write shares as text")
    if isinstance(value, Mapping):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _no_floats(item)


# -- the arithmetic both the server and the checker use ------------------------------------


def percent(part: int, whole: int | None) -> str | None:
    """``part`` of ``whole`` in percent with one decimal, rounded half up ("59.7"), as text;
    None when the whole is unknown or zero."""
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(value)


def floor_reached(voters: int, roll_size: int | None, floor: int | None) -> bool | None:
    """Whether the turnout reached the announced floor (in whole percent); None when no floor
    was announced or the roll's size is unknown. Exact: voters × 100 ≥ floor × roll."""
    if not floor or not roll_size:
        return None
    return voters * 100 >= floor * roll_size


@dataclass(frozen=True)
class Totals:
    """Counts per option id (``None``: blank) from a list of ballots."""

    per_option: dict[int, int]
    blank: int

    @property
    def total(self) -> int:
        return sum(self.per_option.values()) + self.blank


def count_ballots(ballots: Iterable[Sequence[Any]], option_ids: Iterable[int]) -> Totals:
    per_option = {int(o): 0 for o in option_ids}
    blank = 0
    for _ballot_id, option in ballots:
        if option is None:
            blank += 1
        else:
            per_option[int(option)] += 1
    return Totals(per_option, blank)


def document(header: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The public export: a header (who, what, where), the entries and the head."""
    return {
        "format": FORMAT,
        "version": VERSION,
        **header,
        "hash": "sha256 over the canonical JSON of seq, kind, data and prev "
        "(keys sorted, separators ',' and ':', UTF-8, no floats)",
        "entries": [dict(e) for e in entries],
        "head": entries[-1]["hash"] if entries else GENESIS,
    }


# -- checking ---------------------------------------------------------------------------------


@dataclass
class Report:
    """What :func:`verify` found: ``problems`` empty means the record is intact and the
    recount agrees with its result."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: int = 0
    head: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        if self.ok:
            first = f"OK: the chain of {self.entries} entries is intact; head {self.head}."
            return [first, *self.notes]
        return [
            f"BROKEN: {len(self.problems)} problem(s) found.",
            *(f"- {p}" for p in self.problems),
            *self.notes,
        ]


class _Broken(Exception):
    pass


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Broken(f"{where} is not a whole number ≥ 0: {value!r}")
    return value


def _entry_name(entry: Mapping[str, Any], n: int) -> str:
    return f"entry {n} ({entry.get('kind', '?')})"


def verify(doc: Any, *, head: str | None = None) -> Report:
    """Check a count record (the parsed JSON): links, hashes, order, and a full recount.

    ``head``: the head hash printed in the council's report (or published elsewhere); the
    record must end in it, so a record rewritten from some entry on is caught too.
    """
    report = Report()
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
        report.problems.append(f"this is not a count record (format is not {FORMAT!r})")
        return report
    if doc.get("version") != VERSION:
        report.problems.append(f"unknown version {doc.get('version')!r} (this checker reads 1)")
        return report
    entries = doc.get("entries")
    if not isinstance(entries, list) or not entries:
        report.problems.append("the record has no entries")
        return report
    report.entries = len(entries)
    if not _links(entries, report):
        return report  # a broken chain: the recount would count what cannot be trusted
    report.head = str(entries[-1]["hash"])
    if doc.get("head") not in (None, report.head):
        report.problems.append(
            f"the record says its head is {doc.get('head')}, but its last entry's hash is "
            f"{report.head}"
        )
    if head is not None and head.strip().lower() != report.head:
        report.problems.append(
            f"the record ends in {report.head}, not in the head you gave ({head.strip()}): "
            "it is not the record that was published, or it was rewritten"
        )
    try:
        _recount(entries, report)
    except _Broken as broken:
        report.problems.append(str(broken))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        report.problems.append(f"an entry lacks what the recount needs ({exc!r})")
    return report


def _links(entries: list[Any], report: Report) -> bool:
    prev = GENESIS
    for n, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            report.problems.append(f"entry {n} is not an object")
            return False
        name = _entry_name(entry, n)
        if entry.get("seq") != n:
            report.problems.append(f"{name}: its number is {entry.get('seq')!r}, expected {n}")
            return False
        if entry.get("prev") != prev:
            report.problems.append(
                f"{name}: the chain breaks here: it points back to {entry.get('prev')!r}, "
                f"but the entry before it has the hash {prev}"
            )
            return False
        kind, data = entry.get("kind"), entry.get("data")
        if kind not in KINDS or not isinstance(data, Mapping):
            report.problems.append(f"{name}: unknown kind or no data")
            return False
        try:
            expected = entry_hash(n, str(kind), data, prev)
        except ValueError as exc:
            report.problems.append(f"{name}: its data cannot be hashed ({exc})")
            return False
        if entry.get("hash") != expected:
            report.problems.append(
                f"{name}: its content does not match its hash (changed after it was "
                f"written): stored {entry.get('hash')!r}, computed {expected}"
            )
            return False
        prev = expected
    kinds = [e["kind"] for e in entries]
    order_ok = (
        kinds[0] == OPENED
        and kinds[-3:] == [ELECTRONIC, CLOSED, RESULT]
        and all(k == PAPER for k in kinds[1:-3])
    )
    if not order_ok:
        report.problems.append(
            "the entries are not in the order opened, paper batches, electronic, closed, "
            f"result: {', '.join(kinds)}"
        )
        return False
    return True


def _recount(entries: list[Mapping[str, Any]], report: Report) -> None:
    opened = entries[0]["data"]
    option_ids = [_int(o["id"], "an option id") for o in opened["options"]]
    if len(set(option_ids)) != len(option_ids):
        raise _Broken("entry 0 (opened): two options have the same id")
    known = set(option_ids)
    blank_allowed = bool(opened.get("blank_vote", False))

    paper = {o: 0 for o in option_ids}
    paper_blank = paper_rejected = 0
    places: set[str] = set()
    for n, entry in enumerate(entries[1:-3], start=1):
        data, name = entry["data"], _entry_name(entry, n)
        place = str(data["place"])
        if place in places:
            raise _Broken(f"{name}: polling place {place!r} is counted twice")
        places.add(place)
        counts = data["counts"]
        if {int(k) for k in counts["options"]} != known:
            raise _Broken(f"{name}: its options are not the options announced")
        for key, value in counts["options"].items():
            paper[int(key)] += _int(value, f"{name}: a count")
        paper_blank += _int(counts["blank"], f"{name}: blank")
        paper_rejected += _int(counts["rejected"], f"{name}: rejected")

    n_el = len(entries) - 3
    electronic = entries[n_el]["data"]
    name = _entry_name(entries[n_el], n_el)
    ballots = electronic["ballots"]
    ids: list[str] = []
    for item in ballots:
        ballot_id, option = item
        try:
            ids.append(str(uuid.UUID(str(ballot_id))))
        except ValueError as exc:
            raise _Broken(f"{name}: {ballot_id!r} is not a ballot id") from exc
        if option is None and not blank_allowed:
            raise _Broken(f"{name}: ballot {ballot_id} is blank, but blank votes were not offered")
        if option is not None and option not in known:
            raise _Broken(f"{name}: ballot {ballot_id} is for option {option!r}, not announced")
    if len(set(ids)) != len(ids):
        raise _Broken(f"{name}: a ballot id is listed twice")
    if ids != sorted(ids):
        raise _Broken(f"{name}: the ballots are not sorted by id")
    totals = count_ballots(ballots, option_ids)
    stated = electronic["totals"]
    if {int(k): v for k, v in stated["options"].items()} != totals.per_option or stated[
        "blank"
    ] != totals.blank:
        raise _Broken(f"{name}: its totals are not the count of the ballots it lists")

    result_at = len(entries) - 1
    result = entries[result_at]["data"]
    name = _entry_name(entries[result_at], result_at)
    for row in result["options"]:
        option = _int(row["id"], f"{name}: an option id")
        want = {
            "electronic": totals.per_option[option],
            "paper": paper[option],
            "total": totals.per_option[option] + paper[option],
        }
        got = {k: row[k] for k in want}
        if got != want:
            raise _Broken(
                f"{name}: option {row.get('label', option)!r} says {got}, the recount gives {want}"
            )
    if {int(r["id"]) for r in result["options"]} != known:
        raise _Broken(f"{name}: its options are not the options announced")
    want_blank = {
        "electronic": totals.blank,
        "paper": paper_blank,
        "total": totals.blank + paper_blank,
    }
    if result["blank"] != want_blank:
        raise _Broken(f"{name}: blank votes say {result['blank']}, the recount gives {want_blank}")
    if result["rejected"] != {"paper": paper_rejected}:
        raise _Broken(f"{name}: rejected ballots do not match the paper batches")
    valid = sum(totals.per_option.values()) + sum(paper.values())
    if result["valid_votes"] != valid:
        raise _Broken(f"{name}: valid votes say {result['valid_votes']}, the recount gives {valid}")
    for row in result["options"]:
        share = percent(row["total"], valid)
        if row.get("percent") != share:
            raise _Broken(
                f"{name}: option {row.get('label')!r}: share {row.get('percent')!r}, "
                f"the recount gives {share!r}"
            )

    voters = result["voters"]
    electronic_voters = _int(voters["electronic"], f"{name}: electronic voters")
    paper_voters = _int(voters["paper"], f"{name}: paper voters")
    if electronic_voters != len(ballots):
        raise _Broken(
            f"{name}: {electronic_voters} people voted electronically, but there are "
            f"{len(ballots)} electronic ballots"
        )
    if voters["total"] != electronic_voters + paper_voters:
        raise _Broken(f"{name}: the voters do not add up")
    paper_ballots = sum(paper.values()) + paper_blank + paper_rejected
    if paper_ballots != paper_voters:
        report.notes.append(
            f"Note: {paper_voters} people were marked as voting on paper, and the polling "
            f"places counted {paper_ballots} paper ballots."
        )
    roll = opened.get("roll_size")
    roll_size = None if roll is None else _int(roll, "entry 0 (opened): roll_size")
    turnout = percent(voters["total"], roll_size)
    if result.get("turnout_percent") != turnout:
        raise _Broken(
            f"{name}: turnout {result.get('turnout_percent')!r}, the recount gives {turnout!r}"
        )
    floor = opened.get("turnout_floor_percent")
    reached = floor_reached(voters["total"], roll_size, floor)
    if result.get("floor_reached") != reached:
        raise _Broken(
            f"{name}: floor reached says {result.get('floor_reached')!r}, the recount gives "
            f"{reached!r}"
        )
    summary = ", ".join(
        f"{o['label']} {row['total']}"
        for o in opened["options"]
        for row in result["options"]
        if row["id"] == o["id"]
    )
    report.notes.insert(
        0,
        f"Recount agrees: {len(ballots)} electronic ballots and {len(places)} paper "
        f"batch(es); {summary}; blank {want_blank['total']}, rejected {paper_rejected}; "
        f"{voters['total']} voters"
        + (f", turnout {turnout} %" if turnout is not None else "")
        + (
            f"; the floor of {floor} % was {'reached' if reached else 'not reached'}"
            if reached is not None
            else ""
        )
        + ".",
    )
