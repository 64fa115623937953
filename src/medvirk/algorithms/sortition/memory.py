"""The lottery's inputs from memory instead of files, and the files written back out.

An application that keeps its pool and quotas in a database builds :class:`Features` and
:class:`Pool` here (:func:`features_from`, :func:`pool_from`), with quotas in proportion to
the population (:func:`proportional_quotas`). To publish a draw so anyone can re-check it,
it writes the very files ``medvirk sortition verify`` reads: :func:`features_csv`,
:func:`people_csv` and :func:`lottery_json`. A quota's ``line`` is its line in the written
features.csv, so a message about a quota points into the published file.

Proportional quotas: for each chosen dimension, a value with a population figure gets at
least ⌊share × size⌋ and at most ⌈share × size⌉ seats (widened by ``slack`` on both
sides), computed exactly with fractions; a value without a figure ("other", or
:data:`UNKNOWN` for people who did not say) is free, 0 to ``size``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from medvirk.algorithms.sortition.io import Features, Pool, Quota, SortitionInputError

# The value of a person who did not answer a dimension: no figure, so 0..size.
UNKNOWN = "unknown"
FEATURES_FILE = "features.csv"
PEOPLE_FILE = "people.csv"
ID_COLUMN = "id"
FIRST_LINE = 2  # the header is line 1


def proportional_quotas(
    size: int,
    dimensions: Mapping[str, Sequence[str]],
    population: Mapping[str, Mapping[str, int]],
    *,
    slack: int = 0,
) -> list[Quota]:
    """One quota per (dimension, value), in the order given.

    ``dimensions`` maps each dimension to every value a person can have in it (include
    :data:`UNKNOWN` when some did not say); ``population`` maps a dimension to the number of
    inhabitants per value. A dimension whose figures add up to 0 has nothing to be
    proportional to: :class:`SortitionInputError`.
    """
    if size < 1:
        raise SortitionInputError(f"the panel size must be at least 1 (got {size})")
    if slack < 0:
        raise SortitionInputError(f"the slack cannot be negative (got {slack})")
    quotas: list[Quota] = []
    line = FIRST_LINE
    for dimension, values in dimensions.items():
        figures = {v: int(n) for v, n in population.get(dimension, {}).items() if v in values}
        if any(n < 0 for n in figures.values()):
            raise SortitionInputError(f"'{dimension}': a population figure is negative")
        total = sum(figures.values())
        if total <= 0:
            raise SortitionInputError(
                f"'{dimension}' has no population figures, so no quotas can follow them"
            )
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise SortitionInputError(f"'{dimension}/{value}' is listed twice")
            seen.add(value)
            if value in figures:
                expected = Fraction(figures[value] * size, total)
                low = max(0, math.floor(expected) - slack)
                high = min(size, math.ceil(expected) + slack)
            else:
                low, high = 0, size
            quotas.append(Quota(dimension, value, low, high, line))
            line += 1
    return quotas


def features_from(quotas: Sequence[Quota], path: str = FEATURES_FILE) -> Features:
    """The :class:`Features` that reading :func:`features_csv` of these quotas gives."""
    if not quotas:
        raise SortitionInputError("no quotas", path)
    names: list[str] = []
    values: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for quota in quotas:
        pair = (quota.feature.casefold(), quota.value.casefold())
        if pair in seen:
            raise SortitionInputError(f"{quota.label} appears twice", path, quota.line)
        seen.add(pair)
        if quota.min > quota.max:
            raise SortitionInputError(
                f"{quota.label}: min {quota.min} is greater than max {quota.max}", path, quota.line
            )
        if quota.feature not in values:
            names.append(quota.feature)
            values[quota.feature] = []
        values[quota.feature].append(quota.value)
    return Features(path, names, values, list(quotas))


def pool_from(
    ids: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    features: Features,
    path: str = PEOPLE_FILE,
) -> Pool:
    """The :class:`Pool` of people ``ids`` with values ``rows[i][feature]``; a feature a
    person has no value for is :data:`UNKNOWN` (which must then be one of its values)."""
    if len(ids) != len(rows):
        raise SortitionInputError(f"{len(ids)} ids but {len(rows)} rows of values", path)
    lookup = [
        {value.casefold(): i for i, value in enumerate(features.values[name])}
        for name in features.names
    ]
    seen: dict[str, int] = {}
    values: list[tuple[int, ...]] = []
    lines: list[int] = []
    for number, (person, row) in enumerate(zip(ids, rows, strict=True)):
        line = number + FIRST_LINE
        if not person or person != person.strip():
            raise SortitionInputError(f"id '{person}' is empty or has spaces around it", path, line)
        if person in seen:
            raise SortitionInputError(
                f"duplicate id '{person}' (also on line {seen[person]})", path, line
            )
        seen[person] = line
        indices: list[int] = []
        for f, name in enumerate(features.names):
            raw = str(row.get(name) or UNKNOWN)
            found = lookup[f].get(raw.casefold())
            if found is None:
                raise SortitionInputError(
                    f"person '{person}' has '{raw}' for '{name}', which is not one of its values",
                    path,
                    line,
                )
            indices.append(found)
        values.append(tuple(indices))
        lines.append(line)
    if not values:
        raise SortitionInputError("the pool is empty", path)
    return Pool(path, list(ids), values, lines, None)


def _csv(rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def features_csv(features: Features) -> str:
    """features.csv as ``medvirk sortition`` reads it: ``feature,value,min,max``."""
    return _csv(
        [("feature", "value", "min", "max")]
        + [(q.feature, q.value, q.min, q.max) for q in features.quotas]
    )


def people_csv(pool: Pool, features: Features) -> str:
    """people.csv: the id column and one column per feature, one line per person."""
    rows: list[Sequence[Any]] = [(ID_COLUMN, *features.names)]
    for person, indices in zip(pool.ids, pool.values, strict=True):
        rows.append(
            (
                person,
                *(
                    features.values[name][i]
                    for name, i in zip(features.names, indices, strict=True)
                ),
            )
        )
    return _csv(rows)


def lottery_json(size: int, distribution: Sequence[Mapping[str, Any]], **extra: Any) -> str:
    """lottery.json for ``medvirk sortition verify``: ``size`` and ``distribution`` (a list
    of ``{"panel": [ids], "probability": p}``), with any ``extra`` keys (seed, uniform…)."""
    data: dict[str, Any] = {
        "size": int(size),
        "distribution": [
            {"panel": [str(p) for p in entry["panel"]], "probability": float(entry["probability"])}
            for entry in distribution
        ],
    }
    data.update(extra)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
