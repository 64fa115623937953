"""Who took part against who lives there, and the suppression every published figure follows.

Pure Python, no Django. Three parts:

* **Participants** (:class:`Participant`): what a method knows about one person who took
  part, given with consent and never inferred: an age range (the option they chose, e.g.
  18–34), sex, district and the channel. The reporting bands (:data:`AGE_BANDS`) follow the
  planner's groups (children under 13, youth 13–17, elderly 67+); a participant whose range
  does not fit inside one band (a panel's "15–24") has no band rather than a guessed one.
* **Comparison** (:func:`compare`): per group, the participants' count against the
  population's share: ``expected = participants with a known value × population share``,
  ``ratio = count / expected``, and ``under_heard`` when the ratio is below ``threshold``
  (0.5 by default) and at least ``min_expected`` people were expected (so a group of three
  inhabitants is never "under-heard" by chance).
* **Suppression** (:func:`suppress_line`, :func:`suppress_table`): every published count
  under :data:`LIMIT` (5) is hidden — zero too — and then, **secondary suppression**, more
  counts are hidden until no hidden count can be worked out from the published ones by
  adding and subtracting rows, columns and totals.

The rule for a two-way table with its row totals, column totals and grand total: see the
table with its margins as an (R+1) × (C+1) table in which every row and column adds up
(after flipping the sign of the totals). The hidden counts are the unknowns; one of them is
fixed by the published numbers exactly when it is a *bridge* in the graph whose nodes are
the rows and columns and whose edges are the hidden counts (an edge on no cycle). So while
some hidden count is a bridge, the smallest published count in its row or column (a
cell first, a total only when no cell is left; one that closes a cycle through the bridge
when there is one) is hidden too. A table hidden completely has no bridge, so this ends.
For one line of counts with its total the same rule says: never exactly one hidden.

What this does not promise: bounds. Knowing that a hidden count is under 5, or that a
ratio is under 0.5, narrows it; only exact recovery by differencing is ruled out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

LIMIT = 5
THRESHOLD = 0.5
MIN_EXPECTED = 5.0

# (key, first age, last age or None for "and older"): children, youth, two adult bands and
# elderly, matching the planner catalogue's groups.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-12", 0, 12),
    ("13-17", 13, 17),
    ("18-34", 18, 34),
    ("35-66", 35, 66),
    ("67+", 67, None),
)
SEXES = ("female", "male")
# The planner catalogue's group (methods-v1.json "groups") each band belongs to, if any.
CATALOGUE_GROUP = {"0-12": "children", "13-17": "youth", "67+": "elderly"}


@dataclass(frozen=True)
class Participant:
    """One person who took part in one method, as far as they told (None / "": not told).

    ``age_from``/``age_to`` is the age range of the option chosen (``age_to`` None: "and
    older"); ``sex`` is "female", "male" or "other"; ``district`` the district's name as
    shown to them; ``channel`` how the input came (web, meeting, letter, phone, popup …);
    ``person`` an opaque key ("user:12") when the same account may be counted by two
    methods, so a case's total counts them once; "" when unknown. ``contribution`` is the
    id of the input this person's answers came with (a survey's answer set), when there is
    one: the case's themes are counted per group through it.
    """

    channel: str
    age_from: int | None = None
    age_to: int | None = None
    sex: str = ""
    district: str = ""
    person: str = ""
    contribution: int | None = None


def band_of_range(first: int | None, last: int | None) -> str | None:
    """The reporting band that holds the whole range, or None (not given, or it spans two)."""
    if first is None:
        return None
    for key, low, high in AGE_BANDS:
        if first < low:
            continue
        if high is None:
            return key
        if first <= high and last is not None and last <= high:
            return key
    return None


def band_of_age(age: int) -> str | None:
    return band_of_range(age, age)


# --- reading the options people chose ----------------------------------------------------

_DASH = "[-–—_]"
_UNDER = re.compile(r"^(?:under|below|yngre enn|younger than)\s*_?(\d{1,3})\b", re.IGNORECASE)
_RANGE = re.compile(rf"^(\d{{1,3}})\s*{_DASH}\s*(\d{{1,3}})\b")
_OVER = re.compile(
    r"^(\d{1,3})\s*(?:år|years?)?\s*(?:\+|_?over|og eldre|eller eldre|og over|or older|"
    r"and older|and over)",
    re.IGNORECASE,
)
_OVER_WORD = re.compile(r"^(?:over|older than|eldre enn)\s*_?(\d{1,3})\b", re.IGNORECASE)
_SEX_WORDS = {
    "female": "female",
    "kvinne": "female",
    "kvinner": "female",
    "woman": "female",
    "women": "female",
    "jente": "female",
    "male": "male",
    "mann": "male",
    "menn": "male",
    "man": "male",
    "men": "male",
    "gut": "male",
    "gutt": "male",
    "other": "other",
    "annet": "other",
    "anna": "other",
    "annan": "other",
}


def read_age_range(text: str) -> tuple[int, int | None] | None:
    """The age range an option names ("18–34 år", "Under 13 år", "67 år eller eldre",
    "80+", the keys "18_34", "under_13", "67_over"), or None when it names none."""
    raw = " ".join(text.split()).strip()
    found = _UNDER.match(raw)
    if found:
        top = int(found.group(1))
        return (0, top - 1) if top > 0 else None
    found = _RANGE.match(raw)
    if found:
        first, last = int(found.group(1)), int(found.group(2))
        return (first, last) if first <= last else None
    found = _OVER.match(raw)
    if found:
        return int(found.group(1)), None
    found = _OVER_WORD.match(raw)
    if found:
        return int(found.group(1)) + 1, None
    return None


def read_sex(text: str) -> str | None:
    """ "female", "male" or "other" for an option naming one ("Kvinne", "male" …), else None."""
    words = re.split(r"[\s,/()]+", text.strip().casefold())
    return _SEX_WORDS.get(words[0]) if words and words[0] else None


def fold(name: str) -> str:
    """A district's name for matching ("Lillevik  sentrum" = "lillevik sentrum")."""
    return " ".join(name.split()).casefold()


# --- counting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Participants counted every way the page shows them."""

    total: int
    by_band_sex: dict[tuple[str, str], int]  # only those who gave both
    by_band: dict[str, int]  # those who gave an age in one band
    by_sex: dict[str, int]  # those who gave female or male
    by_district: dict[str, int]  # folded district name -> count
    by_channel: dict[str, int]
    age_given: int
    sex_given: int
    district_given: int


def count(participants: Iterable[Participant]) -> Counts:
    """Count participants; one ``person`` key counts once (the first with each value)."""
    merged: dict[str | int, Participant] = {}
    for n, p in enumerate(participants):
        key: str | int = p.person or n
        before = merged.get(key)
        if before is None:
            merged[key] = p
            continue
        age = before if before.age_from is not None else p
        merged[key] = Participant(
            channel=before.channel,
            age_from=age.age_from,
            age_to=age.age_to,
            sex=before.sex or p.sex,
            district=before.district or p.district,
            person=before.person,
        )
    people = list(merged.values())
    by_band_sex: dict[tuple[str, str], int] = {}
    by_band: dict[str, int] = {}
    by_sex: dict[str, int] = {}
    by_district: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    for p in people:
        band = band_of_range(p.age_from, p.age_to)
        sex = p.sex if p.sex in SEXES else None
        if band is not None:
            by_band[band] = by_band.get(band, 0) + 1
        if sex is not None:
            by_sex[sex] = by_sex.get(sex, 0) + 1
        if band is not None and sex is not None:
            by_band_sex[band, sex] = by_band_sex.get((band, sex), 0) + 1
        if p.district:
            key = fold(p.district)
            by_district[key] = by_district.get(key, 0) + 1
        by_channel[p.channel] = by_channel.get(p.channel, 0) + 1
    return Counts(
        total=len(people),
        by_band_sex=by_band_sex,
        by_band=by_band,
        by_sex=by_sex,
        by_district=by_district,
        by_channel=by_channel,
        age_given=sum(by_band.values()),
        sex_given=sum(by_sex.values()),
        district_given=sum(by_district.values()),
    )


@dataclass(frozen=True)
class Group:
    """One group's participants against its share of the population."""

    key: str
    count: int
    population: int
    share: float  # of the population, 0..1
    expected: float  # participants with a known value × share
    ratio: float | None  # count / expected; None when nobody was expected
    under_heard: bool


def compare(
    counts: Mapping[str, int],
    population: Mapping[str, int],
    *,
    threshold: float = THRESHOLD,
    min_expected: float = MIN_EXPECTED,
) -> list[Group]:
    """Every population group, in ``population``'s order, against the participants.

    Participants in a group the population does not have are left out of the base (they
    cannot be compared); so are groups with no inhabitants.
    """
    inhabitants = sum(n for n in population.values() if n > 0)
    known = sum(counts.get(key, 0) for key, n in population.items() if n > 0)
    groups: list[Group] = []
    for key, people in population.items():
        if people <= 0 or inhabitants == 0:
            continue
        share = people / inhabitants
        expected = known * share
        got = counts.get(key, 0)
        ratio = got / expected if expected > 0 else None
        groups.append(
            Group(
                key=key,
                count=got,
                population=people,
                share=share,
                expected=expected,
                ratio=ratio,
                under_heard=ratio is not None and ratio < threshold and expected >= min_expected,
            )
        )
    return groups


# --- suppression -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of counts and its total, with which of them may be published."""

    values: tuple[int, ...]
    total: int
    shown: tuple[bool, ...]
    total_shown: bool

    def published(self) -> list[int | None]:
        return [v if s else None for v, s in zip(self.values, self.shown, strict=True)]

    @property
    def published_total(self) -> int | None:
        return self.total if self.total_shown else None


def suppress_line(values: Sequence[int], limit: int = LIMIT) -> Line:
    """Hide counts under ``limit`` in one line and its total; never leave exactly one hidden
    (the total minus the others would give it): hide the next-smallest, else the total."""
    total = sum(values)
    hidden = [v < limit for v in values]
    total_hidden = total < limit
    if sum(hidden) + total_hidden == 1:
        candidates = [i for i, h in enumerate(hidden) if not h]
        if candidates:
            smallest = min(candidates, key=lambda i: (values[i], i))
            hidden[smallest] = True
        else:
            total_hidden = True
    return Line(tuple(values), total, tuple(not h for h in hidden), not total_hidden)


@dataclass(frozen=True)
class Table:
    """A two-way table with its margins, and which entries may be published.

    ``shown[i][j]`` for the cells; ``row_total_shown[i]``, ``column_total_shown[j]`` and
    ``grand_total_shown`` for the margins.
    """

    cells: tuple[tuple[int, ...], ...]
    shown: tuple[tuple[bool, ...], ...]
    row_total_shown: tuple[bool, ...]
    column_total_shown: tuple[bool, ...]
    grand_total_shown: bool
    row_totals: tuple[int, ...] = field(default=())
    column_totals: tuple[int, ...] = field(default=())
    grand_total: int = 0

    def published_cell(self, i: int, j: int) -> int | None:
        return self.cells[i][j] if self.shown[i][j] else None

    def published_row_total(self, i: int) -> int | None:
        return self.row_totals[i] if self.row_total_shown[i] else None

    def published_column_total(self, j: int) -> int | None:
        return self.column_totals[j] if self.column_total_shown[j] else None

    @property
    def published_grand_total(self) -> int | None:
        return self.grand_total if self.grand_total_shown else None


def extended_table(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals as a last column and column totals as a last row."""
    rows = [[*r, sum(r)] for r in cells]
    width = len(rows[0])
    rows.append([sum(r[j] for r in rows) for j in range(width)])
    return rows


def bridges(hidden: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Hidden entries (row, column) that are on no cycle of the row–column graph: exactly
    the hidden entries the published ones determine."""
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], int]]] = {}
    edges = sorted(hidden)
    for n, (i, j) in enumerate(edges):
        adjacency.setdefault(("r", i), []).append((("c", j), n))
        adjacency.setdefault(("c", j), []).append((("r", i), n))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: list[tuple[int, int]] = []
    counter = 0
    for start in adjacency:
        if start in order:
            continue
        # Iterative depth-first search (Tarjan's bridges), no recursion limit.
        order[start] = low[start] = counter
        counter += 1
        stack: list[tuple[tuple[str, int], int, int]] = [(start, -1, 0)]
        while stack:
            node, via, index = stack[-1]
            neighbours = adjacency[node]
            if index < len(neighbours):
                stack[-1] = (node, via, index + 1)
                other, edge = neighbours[index]
                if edge == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(edges[via])
    return found


def _component(hidden: set[tuple[int, int]], start: tuple[str, int]) -> set[tuple[str, int]]:
    reach = {start}
    todo = [start]
    while todo:
        kind, n = todo.pop()
        for i, j in hidden:
            if kind == "r" and i == n and ("c", j) not in reach:
                reach.add(("c", j))
                todo.append(("c", j))
            elif kind == "c" and j == n and ("r", i) not in reach:
                reach.add(("r", i))
                todo.append(("r", i))
    return reach


def suppress_table(cells: Sequence[Sequence[int]], limit: int = LIMIT) -> Table:
    """Hide what must be hidden in a table of counts (rows × columns) and its margins."""
    if not cells or not cells[0]:
        raise ValueError("a table needs at least one row and one column")
    if any(len(r) != len(cells[0]) for r in cells):
        raise ValueError("every row needs the same number of columns")
    ext = extended_table(cells)
    n_rows, n_cols = len(ext), len(ext[0])
    last_row, last_col = n_rows - 1, n_cols - 1
    hidden = {(i, j) for i in range(n_rows) for j in range(n_cols) if ext[i][j] < limit}

    def is_total(entry: tuple[int, int]) -> bool:
        return entry[0] == last_row or entry[1] == last_col

    while True:
        found = bridges(hidden)
        if not found:
            break
        i, j = min(found, key=lambda e: (ext[e[0]][e[1]], e))
        without = hidden - {(i, j)}
        side_of_column = _component(without, ("c", j))
        side_of_row = _component(without, ("r", i))
        candidates = [(i, c) for c in range(n_cols) if (i, c) not in hidden] + [
            (r, j) for r in range(n_rows) if (r, j) not in hidden
        ]
        closing = [
            e
            for e in candidates
            if (e[0] == i and ("c", e[1]) in side_of_column)
            or (e[1] == j and ("r", e[0]) in side_of_row)
        ]
        pool = closing or candidates
        if not pool:  # every entry of the row and column is hidden: look further afield
            pool = [(r, c) for r in range(n_rows) for c in range(n_cols) if (r, c) not in hidden]
        hidden.add(min(pool, key=lambda e: (is_total(e), ext[e[0]][e[1]], e)))
    return table_of(cells, ext, hidden)


def table_of(
    cells: Sequence[Sequence[int]], ext: list[list[int]], hidden: set[tuple[int, int]]
) -> Table:
    """The :class:`Table` of ``cells`` with the entries of ``ext`` in ``hidden`` hidden."""
    last_row, last_col = len(ext) - 1, len(ext[0]) - 1
    return Table(
        cells=tuple(tuple(r) for r in cells),
        shown=tuple(tuple((i, j) not in hidden for j in range(last_col)) for i in range(last_row)),
        row_total_shown=tuple((i, last_col) not in hidden for i in range(last_row)),
        column_total_shown=tuple((last_row, j) not in hidden for j in range(last_col)),
        grand_total_shown=(last_row, last_col) not in hidden,
        row_totals=tuple(ext[i][last_col] for i in range(last_row)),
        column_totals=tuple(ext[last_row][j] for j in range(last_col)),
        grand_total=ext[last_row][last_col],
    )
