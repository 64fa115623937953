"""Grouping the pool into types: people the quotas cannot tell apart.

Two people with the same value for every feature are interchangeable for every quota, so
the fair lotteries can give them the same chance without losing anything (an optimal
lottery can always be averaged over swaps of such people). Working with types instead of
people turns a 10 000-variable integer program into one with a few hundred.

With the one-per-household rule, people who share a household with someone else in the
pool are grouped only with housemates that have the same features, and each household
gets a constraint "at most one of us". People alone in their household still pool freely.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medvirk.algorithms.sortition.io import Pool


@dataclass(frozen=True)
class TypeTable:
    values: npt.NDArray[np.int64]  # (types, features): value index of each feature
    members: list[list[int]]  # person indices of each type, in file order
    counts: npt.NDArray[np.int64]  # people per type
    households: list[list[int]]  # type indices sharing a household: at most one may sit
    person_type: npt.NDArray[np.int64]  # type of each person

    @property
    def size(self) -> int:
        return len(self.members)


def build_types(pool: Pool) -> TypeTable:
    shared: set[str] = set()
    if pool.households is not None:
        seen: set[str] = set()
        for home in pool.households:
            (shared if home in seen else seen).add(home)

    index: dict[tuple[object, ...], int] = {}
    members: list[list[int]] = []
    rows: list[tuple[int, ...]] = []
    household_of_type: list[str | None] = []
    person_type = np.empty(len(pool), dtype=np.int64)
    for person, values in enumerate(pool.values):
        household: str | None = None
        if pool.households is not None and pool.households[person] in shared:
            household = pool.households[person]
        key = (values, household)
        found = index.get(key)
        if found is None:
            found = len(members)
            index[key] = found
            members.append([])
            rows.append(values)
            household_of_type.append(household)
        members[found].append(person)
        person_type[person] = found

    groups: dict[str, list[int]] = {}
    for type_index, type_home in enumerate(household_of_type):
        if type_home is not None:
            groups.setdefault(type_home, []).append(type_index)
    return TypeTable(
        values=np.array(rows, dtype=np.int64).reshape(len(rows), -1),
        members=members,
        counts=np.array([len(m) for m in members], dtype=np.int64),
        households=list(groups.values()),
        person_type=person_type,
    )
