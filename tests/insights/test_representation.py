"""The representation maths and the suppression rule (pure Python, no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk.algorithms import representation as rep
from medvirk.algorithms.representation import Participant


def test_age_ranges_are_read_from_option_texts() -> None:
    assert rep.read_age_range("Under 13 år") == (0, 12)
    assert rep.read_age_range("under_13") == (0, 12)
    assert rep.read_age_range("13–17 år") == (13, 17)
    assert rep.read_age_range("18_34") == (18, 34)
    assert rep.read_age_range("67 år eller eldre") == (67, None)
    assert rep.read_age_range("67_over") == (67, None)
    assert rep.read_age_range("80+") == (80, None)
    assert rep.read_age_range("Elev") is None
    assert rep.read_age_range("34-18") is None


def test_a_range_that_spans_two_bands_has_no_band() -> None:
    assert rep.band_of_range(25, 34) == "18-34"
    assert rep.band_of_range(80, None) == "67+"
    assert rep.band_of_range(15, 24) is None  # youth and adults: not guessed
    assert rep.band_of_range(35, None) is None
    assert rep.band_of_range(None, None) is None


def test_sexes_are_read_from_option_texts() -> None:
    assert rep.read_sex("Kvinne") == "female"
    assert rep.read_sex("male") == "male"
    assert rep.read_sex("Anna") == "other"
    assert rep.read_sex("Forelder") is None


def test_count_counts_one_account_once_and_keeps_what_either_method_knew() -> None:
    counted = rep.count(
        [
            Participant("web", person="user:1"),
            Participant("web", 18, 34, "female", "Nordvik", person="user:1"),
            Participant("meeting", 67, None, "male"),
            Participant("letter"),
        ]
    )
    assert counted.total == 3
    assert counted.by_band == {"18-34": 1, "67+": 1}
    assert counted.by_sex == {"female": 1, "male": 1}
    assert counted.by_band_sex == {("18-34", "female"): 1, ("67+", "male"): 1}
    assert counted.by_district == {"nordvik": 1}
    assert counted.by_channel == {"web": 1, "meeting": 1, "letter": 1}


def test_compare_gives_expected_ratio_and_under_heard() -> None:
    groups = rep.compare({"a": 10, "b": 90}, {"a": 500, "b": 500})
    a, b = groups
    assert a.expected == pytest.approx(50)
    assert a.ratio == pytest.approx(0.2)
    assert a.under_heard
    assert b.ratio == pytest.approx(1.8)
    assert not b.under_heard


def test_a_small_expected_group_is_never_under_heard() -> None:
    # 10 participants; a group of 2 % is expected to give 0.2 people: no verdict.
    (small, _big) = rep.compare({"small": 0, "big": 10}, {"small": 20, "big": 980})
    assert small.ratio == 0
    assert not small.under_heard
    (small, _big) = rep.compare({"small": 0, "big": 10}, {"small": 20, "big": 980}, min_expected=0)
    assert small.under_heard


def test_threshold_is_a_setting() -> None:
    (a, _b) = rep.compare({"a": 30, "b": 70}, {"a": 50, "b": 50}, threshold=0.7)
    assert a.ratio == pytest.approx(0.6)
    assert a.under_heard


def test_compare_leaves_out_groups_without_inhabitants() -> None:
    groups = rep.compare({"a": 3, "b": 2}, {"a": 10, "b": 0})
    assert [g.key for g in groups] == ["a"]
    assert groups[0].expected == pytest.approx(3)


# --- suppression --------------------------------------------------------------------------


def test_line_hides_small_counts_and_one_more() -> None:
    line = rep.suppress_line([12, 3, 40])
    assert line.published() == [None, None, 40]
    assert line.published_total == 55


def test_line_with_two_small_counts_hides_nothing_more() -> None:
    line = rep.suppress_line([12, 3, 2, 40])
    assert line.published() == [12, None, None, 40]


def test_line_with_a_small_total_hides_everything() -> None:
    line = rep.suppress_line([1, 2])
    assert line.published() == [None, None]
    assert line.published_total is None


def test_table_secondary_suppression_example() -> None:
    table = rep.suppress_table([[10, 2, 30], [20, 25, 40]])
    # 2 is hidden; its row, its column and the grand total would give it away, so a
    # second cell in its row and column (and the cell closing the square) go too.
    assert table.published_cell(0, 1) is None
    hidden = [(i, j) for i in range(2) for j in range(3) if table.published_cell(i, j) is None]
    assert len(hidden) >= 4
    assert _recoverable(table) == set()


def _extended_entries(table: rep.Table) -> list[list[tuple[int, bool]]]:
    rows = [
        [(v, s) for v, s in zip(table.cells[i], table.shown[i], strict=True)]
        + [(table.row_totals[i], table.row_total_shown[i])]
        for i in range(len(table.cells))
    ]
    rows.append(
        [(v, s) for v, s in zip(table.column_totals, table.column_total_shown, strict=True)]
        + [(table.grand_total, table.grand_total_shown)]
    )
    return rows


def _recoverable(table: rep.Table) -> set[tuple[int, int]]:
    """Hidden entries the published ones fix exactly, by linear algebra over the row,
    column and grand-total equations (independent of the implementation's graph rule)."""
    ext = _extended_entries(table)
    n_rows, n_cols = len(ext), len(ext[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if not ext[i][j][1]]
    if not unknowns:
        return set()
    index = {u: k for k, u in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    for i in range(n_rows):  # cells of a row minus its total = 0
        eq = [Fraction(0)] * len(unknowns)
        for j in range(n_cols):
            if (i, j) in index:
                eq[index[i, j]] += -1 if j == n_cols - 1 else 1
        equations.append(eq)
    for j in range(n_cols):
        eq = [Fraction(0)] * len(unknowns)
        for i in range(n_rows):
            if (i, j) in index:
                eq[index[i, j]] += -1 if i == n_rows - 1 else 1
        equations.append(eq)
    # Row-reduce; a variable is fixed iff it is a pivot whose row has no free variable.
    pivots: list[int] = []
    rows = [r[:] for r in equations]
    r = 0
    for c in range(len(unknowns)):
        pivot = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [x / lead for x in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][c] != 0:
                factor = rows[k][c]
                rows[k] = [x - factor * y for x, y in zip(rows[k], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    free = set(range(len(unknowns))) - set(pivots)
    fixed = set()
    for row_number, c in enumerate(pivots):
        if all(rows[row_number][f] == 0 for f in free):
            fixed.add(unknowns[c])
    return fixed


tables = st.integers(1, 4).flatmap(
    lambda n_rows: st.integers(1, 4).flatmap(
        lambda n_cols: st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 60)),
                min_size=n_cols,
                max_size=n_cols,
            ),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_published_table_lets_a_hidden_cell_be_recovered(cells: list[list[int]]) -> None:
    table = rep.suppress_table(cells)
    ext = _extended_entries(table)
    for row in ext:
        for value, shown in row:
            assert not (shown and value < rep.LIMIT), "a count under 5 is published"
    assert _recoverable(table) == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 100)), min_size=1, max_size=8))
def test_no_published_line_lets_a_hidden_count_be_recovered(values: list[int]) -> None:
    line = rep.suppress_line(values)
    published = line.published()
    assert all(v is None or v >= rep.LIMIT for v in published)
    assert line.published_total is None or line.published_total >= rep.LIMIT
    hidden = published.count(None) + (line.published_total is None)
    # One hidden number in a line with its total is the total minus the others.
    assert hidden != 1


def test_bridges_finds_only_edges_on_no_cycle() -> None:
    square = {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert rep.bridges(square) == []
    assert rep.bridges(square | {(1, 2)}) == [(1, 2)]


def test_the_checker_finds_a_cell_that_primary_suppression_alone_leaves_open() -> None:
    """The property above would catch a rule that only hid the small counts."""
    cells = [[10, 2, 30], [20, 25, 40]]
    only_primary = rep.Table(
        cells=tuple(tuple(r) for r in cells),
        shown=((True, False, True), (True, True, True)),
        row_total_shown=(True, True),
        column_total_shown=(True, True, True),
        grand_total_shown=True,
        row_totals=(42, 85),
        column_totals=(30, 27, 70),
        grand_total=127,
    )
    assert _recoverable(only_primary) == {(0, 1)}
