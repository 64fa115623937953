"""Who raised each theme: a case's accepted themes counted per age band, sex and district.

The unit is one published input in one theme (an input in two themes counts in both). An
input's group is that of the participant who names it (``Participant.contribution``, from
every method's ``participants`` hook); input nobody names, or whose person did not tell
(most input), counts under "not told", which is always shown so that nobody reads the
known part as the whole. A value outside the dimension's groups (an age range spanning two
bands, a sex other than female or male, a district the population table does not have)
also counts as not told.

Every figure goes through the suppression rule (``algorithms/representation``), on the
staff page too, so that staff see what may later be published (``representation.linked``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.db.models import Q
from django.utils.translation import gettext as _

from medvirk.algorithms import representation as rep
from medvirk.algorithms.representation.linked import protect
from medvirk.contributions.models import Contribution, ModerationState, Theme
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, Process

from .queries import band_label, population_of, sex_label

NOT_TOLD = "-"


@dataclass(frozen=True)
class Column:
    key: str  # a band ("18-34"), a sex ("female"), a folded district name, or NOT_TOLD
    label: str


@dataclass(frozen=True)
class ThemeRow:
    """One theme's published counts: ``None`` is hidden (see the table's footnote)."""

    theme_id: int
    name: str
    cells: tuple[int | None, ...]  # one per column
    total: int | None  # the theme's published input


@dataclass(frozen=True)
class GroupTable:
    """One dimension: rows are the themes, columns its groups and then "not told"."""

    key: str  # "age", "sex", "district"
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[ThemeRow, ...]
    column_totals: tuple[int | None, ...]
    total: int | None

    @property
    def has_hidden(self) -> bool:
        return (
            self.total is None
            or None in self.column_totals
            or any(row.total is None or None in row.cells for row in self.rows)
        )


@dataclass(frozen=True)
class ThemeGroups:
    """The case's themes per group, one table per dimension (empty when it has no theme).

    Holds only publishable figures: a hidden count is ``None`` here, never the number.
    """

    process: Process
    public: bool
    tables: tuple[GroupTable, ...]

    @property
    def has_themes(self) -> bool:
        return any(table.rows for table in self.tables)

    def table(self, key: str) -> GroupTable | None:
        return next((t for t in self.tables if t.key == key), None)


def theme_groups(process: Process, *, public: bool) -> ThemeGroups:
    """Published input of each accepted theme of ``process``, per age band, sex and district.

    Only published input counts: held, pending, rejected and hidden input never does. With
    ``public`` only input to a published method (or to the case as a whole) counts and only
    published methods are asked who took part; the caller checks that the case itself is
    public. Every table is suppressed (:func:`protect`) whether ``public`` or not. Themes are
    the case's themes (kind THEME, not duplicate groups), by name; one with no input is a
    row of hidden zeros. The district table is left out when no district is known (neither
    the population's nor any a participant named).

    Queries: a fixed handful plus each method instance's own ``participants`` hook, whatever
    the number of themes and inputs.
    """
    themes, counted = _count(process, public=public)
    if not themes:
        return ThemeGroups(process, public, ())
    protected = protect([c.cells for c in counted])
    return ThemeGroups(
        process,
        public,
        tuple(_published(c, themes, table) for c, table in zip(counted, protected, strict=True)),
    )


@dataclass(frozen=True)
class _Counted:
    """One dimension's exact counts, before suppression: never shown as they are."""

    key: str
    title: str
    caption: str
    columns: list[Column]  # the groups, then "not told"
    cells: list[list[int]]  # theme × column


def _count(process: Process, *, public: bool) -> tuple[list[Theme], list[_Counted]]:
    themes = list(
        Theme.objects.filter(process=process, kind=Theme.Kind.THEME).order_by("name", "pk")
    )
    if not themes:
        return [], []
    links = Contribution.themes.through.objects.filter(
        theme__in=themes, contribution__moderation=ModerationState.PUBLISHED
    )
    if public:
        links = links.filter(
            Q(contribution__method_instance__isnull=True)
            | Q(contribution__method_instance__is_published=True)
        )
    members: dict[int, list[int]] = {t.pk: [] for t in themes}
    for theme_id, contribution_id in links.values_list("theme_id", "contribution_id"):
        members[theme_id].append(contribution_id)
    wanted = {pk for ids in members.values() for pk in ids}
    named = _participants_naming(process, wanted, public=public) if wanted else {}
    population = population_of(process.municipality)

    # Per dimension: key, title, caption, its groups, and input id -> group (absent: not told).
    dimensions: list[tuple[str, str, str, list[Column], dict[int, str]]] = []
    bands = [Column(key, band_label(key)) for key, _first, _last in rep.AGE_BANDS]
    dimensions.append(("age", _("Age"), _("Inputs per theme and age"), bands, _age_groups(named)))
    sexes = [Column(key, sex_label(key)) for key in rep.SEXES]
    dimensions.append(("sex", _("Sex"), _("Inputs per theme and sex"), sexes, _sex_groups(named)))
    districts = _district_columns(population.districts if population else {}, named)
    if districts:
        known = {c.key for c in districts}
        by_district = {
            pk: rep.fold(p.district) for pk, p in named.items() if rep.fold(p.district) in known
        }
        dimensions.append(
            ("district", _("District"), _("Inputs per theme and district"), districts, by_district)
        )
    not_told = Column(NOT_TOLD, _("Not told"))
    counted = []
    for key, title, caption, columns, group_of in dimensions:
        index = {c.key: n for n, c in enumerate(columns)}
        cells = [[0] * (len(columns) + 1) for _theme in themes]
        for row, theme in zip(cells, themes, strict=True):
            for pk in members[theme.pk]:
                row[index.get(group_of.get(pk, NOT_TOLD), len(columns))] += 1
        counted.append(_Counted(key, title, caption, [*columns, not_told], cells))
    return themes, counted


def _participants_naming(
    process: Process, wanted: set[int], *, public: bool
) -> dict[int, rep.Participant]:
    """Input id -> what its person told, merged over every method that names it (a survey's
    answer set may be named by the survey and by the panel that invited to it)."""
    instances = MethodInstance.objects.filter(process=process).order_by("pk")
    if public:
        instances = instances.filter(is_published=True)
    found: dict[int, rep.Participant] = {}
    for instance in instances:
        try:
            plugin = registry.get(instance.method_key)
        except registry.RegistryError:
            continue
        for person in plugin.participants(instance):
            pk = person.contribution
            if pk is None or pk not in wanted:
                continue
            before = found.get(pk)
            found[pk] = person if before is None else _merged(before, person)
    return found


def _merged(first: rep.Participant, other: rep.Participant) -> rep.Participant:
    """What either told; the first wins where both did."""
    age = first if first.age_from is not None else other
    return replace(
        first,
        age_from=age.age_from,
        age_to=age.age_to,
        sex=first.sex or other.sex,
        district=first.district or other.district,
    )


def _age_groups(named: Mapping[int, rep.Participant]) -> dict[int, str]:
    out = {}
    for pk, p in named.items():
        band = rep.band_of_range(p.age_from, p.age_to)
        if band is not None:
            out[pk] = band
    return out


def _sex_groups(named: Mapping[int, rep.Participant]) -> dict[int, str]:
    return {pk: p.sex for pk, p in named.items() if p.sex in rep.SEXES}


def _district_columns(
    population: Mapping[str, tuple[str, int]], named: Mapping[int, rep.Participant]
) -> list[Column]:
    """The population's districts; without them, the districts participants named."""
    if population:
        return [Column(key, name) for key, (name, _count) in population.items()]
    seen: dict[str, str] = {}
    for pk in sorted(named):
        district = named[pk].district.strip()
        if district:
            seen.setdefault(rep.fold(district), district)
    return [Column(key, seen[key]) for key in sorted(seen)]


def _published(counted: _Counted, themes: list[Theme], table: rep.Table) -> GroupTable:
    width = len(counted.columns)
    return GroupTable(
        key=counted.key,
        title=counted.title,
        caption=counted.caption,
        columns=tuple(counted.columns),
        rows=tuple(
            ThemeRow(
                theme_id=theme.pk,
                name=theme.name,
                cells=tuple(table.published_cell(i, j) for j in range(width)),
                total=table.published_row_total(i),
            )
            for i, theme in enumerate(themes)
        ),
        column_totals=tuple(table.published_column_total(j) for j in range(width)),
        total=table.published_grand_total,
    )
