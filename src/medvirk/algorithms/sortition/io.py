"""Reading the selection body's two files: the quotas (features.csv) and the pool (people.csv).

The column conventions follow the Sortition Foundation's stratification app and the
``sortition-algorithms`` package, so files prepared for those work here unchanged:

* features.csv: ``feature,value,min,max`` (or the older ``category,name,min,max``), with
  optional ``min_flex,max_flex`` columns, which are checked but not used for the draw.
* people.csv: an id column (``id`` unless told otherwise) and one column per feature;
  other columns are ignored. Feature names and values match without regard to case or
  surrounding spaces, as in the reference.

Every problem is reported as a :class:`SortitionInputError` naming the file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FEATURE_COLUMNS = ("feature", "category")
VALUE_COLUMNS = ("value", "name", "category value", "category_value", "category-value")


class SortitionInputError(ValueError):
    """A problem with the input files or the request, meant for the person who made them."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return where + self.message.replace("\n", " ")


@dataclass(frozen=True)
class Quota:
    """At least ``min`` and at most ``max`` panel members with ``feature`` = ``value``."""

    feature: str
    value: str
    min: int
    max: int
    line: int

    @property
    def label(self) -> str:
        return f"{self.feature}/{self.value}"


@dataclass(frozen=True)
class Features:
    path: str
    names: list[str]  # features in file order
    values: dict[str, list[str]]  # feature -> its values in file order
    quotas: list[Quota]  # one per (feature, value), file order

    def quota(self, feature: int, value: int) -> Quota:
        name = self.names[feature]
        wanted = self.values[name][value]
        for quota in self.quotas:
            if quota.feature == name and quota.value == wanted:
                return quota
        raise KeyError((name, wanted))


@dataclass(frozen=True)
class Pool:
    """The people who volunteered; ``values[i][f]`` indexes ``features.values[names[f]]``."""

    path: str
    ids: list[str]
    values: list[tuple[int, ...]]
    lines: list[int]
    households: list[str] | None  # normalised household key per person, if asked for

    def __len__(self) -> int:
        return len(self.ids)


def _norm(text: str | None) -> str:
    return (text or "").strip()


def _key(text: str | None) -> str:
    return _norm(text).casefold()


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) for each non-blank row, header included."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise SortitionInputError(f"cannot read the file ({error.strerror})", str(path)) from None
    with handle:
        reader = csv.reader(handle)
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, cells
        except UnicodeDecodeError:
            raise SortitionInputError(
                "the file is not UTF-8 text (save it as CSV UTF-8)", str(path), reader.line_num + 1
            ) from None
        except csv.Error as error:
            raise SortitionInputError(
                f"not valid CSV ({error})", str(path), reader.line_num
            ) from None


def _header_index(
    header: list[str], names: tuple[str, ...], path: str, line: int, *, required: bool = True
) -> int | None:
    keys = [_key(cell) for cell in header]
    found = [i for i, key in enumerate(keys) if key in names]
    if len(found) > 1:
        raise SortitionInputError(f"more than one '{names[0]}' column", path, line)
    if not found:
        if required:
            alternatives = " or ".join(f"'{name}'" for name in names[:2])
            raise SortitionInputError(f"missing column {alternatives}", path, line)
        return None
    return found[0]


def _cell(cells: list[str], index: int) -> str:
    return _norm(cells[index]) if index < len(cells) else ""


def _whole_number(text: str, column: str, label: str, path: str, line: int) -> int:
    if text == "":
        raise SortitionInputError(f"{label}: no {column} given", path, line)
    try:
        number = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            as_float = float("nan")
        if not as_float.is_integer():
            raise SortitionInputError(
                f"{label}: {column} '{text}' is not a whole number", path, line
            ) from None
        number = int(as_float)
    if number < 0:
        raise SortitionInputError(f"{label}: {column} {number} is negative", path, line)
    return number


def read_features(path: Path | str) -> Features:
    path = Path(path)
    name = str(path)
    rows = _rows(path)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise SortitionInputError(
            "the file is empty (expected feature,value,min,max)", name
        ) from None
    i_feature = _header_index(header, FEATURE_COLUMNS, name, header_line)
    i_value = _header_index(header, VALUE_COLUMNS, name, header_line)
    i_min = _header_index(header, ("min",), name, header_line)
    i_max = _header_index(header, ("max",), name, header_line)
    i_min_flex = _header_index(header, ("min_flex",), name, header_line, required=False)
    i_max_flex = _header_index(header, ("max_flex",), name, header_line, required=False)
    assert i_feature is not None and i_value is not None
    assert i_min is not None and i_max is not None

    names: list[str] = []
    canonical: dict[str, str] = {}  # casefolded feature -> name as first written
    values: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    quotas: list[Quota] = []
    for line, cells in rows:
        feature, value = _cell(cells, i_feature), _cell(cells, i_value)
        if not feature:
            raise SortitionInputError("empty feature name", name, line)
        if not value:
            raise SortitionInputError(f"feature '{feature}': empty value", name, line)
        feature = canonical.setdefault(_key(feature), feature)
        label = f"{feature}/{value}"
        pair = (_key(feature), _key(value))
        if pair in seen:
            raise SortitionInputError(
                f"{label} appears twice (also on line {seen[pair]})", name, line
            )
        seen[pair] = line
        low = _whole_number(_cell(cells, i_min), "min", label, name, line)
        high = _whole_number(_cell(cells, i_max), "max", label, name, line)
        if low > high:
            raise SortitionInputError(f"{label}: min {low} is greater than max {high}", name, line)
        if i_min_flex is not None and _cell(cells, i_min_flex):
            flex = _whole_number(_cell(cells, i_min_flex), "min_flex", label, name, line)
            if flex > low:
                raise SortitionInputError(
                    f"{label}: min_flex {flex} is greater than min {low}", name, line
                )
        if i_max_flex is not None and _cell(cells, i_max_flex):
            flex = _whole_number(_cell(cells, i_max_flex), "max_flex", label, name, line)
            if flex < high:
                raise SortitionInputError(
                    f"{label}: max_flex {flex} is less than max {high}", name, line
                )
        if feature not in values:
            names.append(feature)
            values[feature] = []
        values[feature].append(value)
        quotas.append(Quota(feature, value, low, high, line))
    if not quotas:
        raise SortitionInputError("no quotas (the file has a header but no rows)", name)
    return Features(name, names, values, quotas)


def read_people(
    path: Path | str,
    features: Features,
    *,
    id_column: str = "id",
    household_column: str | None = None,
) -> Pool:
    path = Path(path)
    name = str(path)
    rows = _rows(path)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise SortitionInputError(
            "the file is empty: there is no pool to draw from", name
        ) from None
    i_id = _header_index(header, (_key(id_column),), name, header_line)
    assert i_id is not None
    feature_columns: list[int] = []
    for feature in features.names:
        index = _header_index(header, (_key(feature),), name, header_line, required=False)
        if index is None:
            raise SortitionInputError(
                f"missing column '{feature}' (a feature in {features.path})", name, header_line
            )
        feature_columns.append(index)
    i_household = None
    if household_column is not None:
        i_household = _header_index(header, (_key(household_column),), name, header_line)

    lookup = [
        {_key(value): i for i, value in enumerate(features.values[feature])}
        for feature in features.names
    ]
    ids: list[str] = []
    value_rows: list[tuple[int, ...]] = []
    lines: list[int] = []
    households: list[str] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:
        person = _cell(cells, i_id)
        if not person:
            raise SortitionInputError(f"empty '{id_column}'", name, line)
        if person in first_line:
            raise SortitionInputError(
                f"duplicate id '{person}' (also on line {first_line[person]})", name, line
            )
        first_line[person] = line
        row: list[int] = []
        for f, (feature, index) in enumerate(zip(features.names, feature_columns, strict=True)):
            raw = _cell(cells, index)
            found = lookup[f].get(_key(raw))
            if found is None:
                shown = f"'{raw}'" if raw else "no value"
                raise SortitionInputError(
                    f"person '{person}' has {shown} for '{feature}', "
                    f"which is not one of its values in {features.path}",
                    name,
                    line,
                )
            row.append(found)
        if i_household is not None:
            # A blank address means "lives alone as far as we know": a household of one.
            households.append(_key(_cell(cells, i_household)) or f"\0{line}")
        ids.append(person)
        value_rows.append(tuple(row))
        lines.append(line)
    if not ids:
        raise SortitionInputError("the pool is empty (a header but no people)", name)
    return Pool(name, ids, value_rows, lines, households if i_household is not None else None)
