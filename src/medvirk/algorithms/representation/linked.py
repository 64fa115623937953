"""Suppression of tables that share their rows (a case's themes per age, sex and district).

Pure Python, no Django: :func:`protect` runs each table through
:func:`~medvirk.algorithms.representation.suppress_table`, then hides more until neither a
shared total nor a known row total reveals a hidden count.
"""

from __future__ import annotations

from collections.abc import Sequence

from medvirk.algorithms.representation import (
    LIMIT,
    Table,
    bridges,
    extended_table,
    suppress_table,
    table_of,
)

Entry = tuple[int, int]


def protect(tables: Sequence[Sequence[Sequence[int]]], limit: int = LIMIT) -> list[Table]:
    """Suppress tables that share their rows and row totals (the themes and their sizes).

    Each table first goes through :func:`representation.suppress_table` (counts under
    ``limit`` hidden, then secondary suppression). Two things a table alone does not know
    are then added, hiding more counts (the smallest in the same row or column, a cell
    before a total) until both hold:

    * the tables share their row totals and grand total: one hidden in any table is hidden
      in all of them, or the others would publish it and undo what hid it;
    * a theme's size is not kept secret elsewhere (staff see it on the themes page, a report
      may print it), so in each table no hidden count may be fixed by the published ones
      *even for a reader who knows every row total and the grand total*.

    In each table, no hidden entry is then fixed by that table's published entries. Not
    promised: that a hidden theme size cannot be narrowed by putting all tables together
    (a theme's size is not about any person); nor bounds (a hidden count is under 5, or was
    hidden to protect one).
    """
    if not tables:
        return []
    n_rows = len(tables[0])
    if any(len(cells) != n_rows for cells in tables):
        raise ValueError("the tables must have the same rows")
    if any(not cells or len(cells[0]) < 2 for cells in tables):
        raise ValueError("every table needs a row and at least two columns")
    extended = [extended_table(cells) for cells in tables]
    hidden = [_hidden(suppress_table(cells, limit)) for cells in tables]
    while True:
        # The last column holds the row totals and (in the last row) the grand total.
        shared = {
            i for ext, h in zip(extended, hidden, strict=True) for i, j in h if j == len(ext[0]) - 1
        }
        for ext, h in zip(extended, hidden, strict=True):
            h.update((i, len(ext[0]) - 1) for i in shared)
        more = next(
            (
                (h, entry)
                for ext, h in zip(extended, hidden, strict=True)
                if (entry := _one_more(ext, h)) is not None
            ),
            None,
        )
        if more is None:
            break
        more[0].add(more[1])
    return [table_of(cells, ext, h) for cells, ext, h in zip(tables, extended, hidden, strict=True)]


def _hidden(table: Table) -> set[Entry]:
    last_row, last_col = len(table.cells), len(table.cells[0])
    out = {
        (i, j)
        for i, shown in enumerate(table.shown)
        for j, visible in enumerate(shown)
        if not visible
    }
    out |= {(i, last_col) for i, s in enumerate(table.row_total_shown) if not s}
    out |= {(last_row, j) for j, s in enumerate(table.column_total_shown) if not s}
    if not table.grand_total_shown:
        out.add((last_row, last_col))
    return out


def _one_more(ext: list[list[int]], hidden: set[Entry]) -> Entry | None:
    """The next entry to hide, or None when no hidden entry is fixed by the shown ones.

    First as published (every margin an equation); then as for a reader who knows the row
    totals and the grand total: those entries are left out of the hidden graph, and hiding
    one of them would not help.
    """
    last_row, last_col = len(ext) - 1, len(ext[0]) - 1
    everything = [(i, j) for i in range(last_row + 1) for j in range(last_col + 1)]
    for knows_totals in (False, True):
        graph = {e for e in hidden if e[1] != last_col} if knows_totals else hidden
        found = bridges(graph)
        if not found:
            continue
        i, j = min(found, key=lambda e: (ext[e[0]][e[1]], e))
        open_ = [
            e for e in everything if e not in hidden and not (knows_totals and e[1] == last_col)
        ]
        pool = [e for e in open_ if e[0] == i or e[1] == j] or open_
        # Never empty: with two or more columns, a table hidden entirely has no bridge.
        return min(pool, key=lambda e: (e[0] == last_row or e[1] == last_col, ext[e[0]][e[1]], e))
    return None
