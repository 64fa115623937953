"""Who took part in a case against who lives there: read by the staff and public pages.

Participants come from every method plug-in's ``participants`` hook (consented values
only); the population from the municipality's :class:`PopulationTable`s. The staff report
shows exact counts per method and in total; the public report (``public=True``) shows the
case's total only, every line through :func:`representation.suppress_line`: per-method
demographics beside the total would let a reader subtract one method from the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.algorithms import representation as rep
from medvirk.contributions.models import Channel, Contribution, ModerationState
from medvirk.core.charts import Bar, bar_chart
from medvirk.organisations.models import Municipality
from medvirk.planning import library
from medvirk.planning.catalogue import language
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, Process

from . import districtcsv
from .models import PopulationCell, PopulationTable, TableKind

NOT_GIVEN = "-"


def threshold() -> float:
    return float(getattr(settings, "MEDVIRK_UNDER_HEARD_RATIO", rep.THRESHOLD))


def min_expected() -> float:
    return float(getattr(settings, "MEDVIRK_UNDER_HEARD_MIN_EXPECTED", rep.MIN_EXPECTED))


@dataclass(frozen=True)
class Population:
    year: int | None
    source: str
    by_band: dict[str, int]
    by_sex: dict[str, int]
    districts: dict[str, tuple[str, int]]  # folded name -> (name, inhabitants)
    district_year: int | None = None
    district_source: str = ""

    @property
    def total(self) -> int:
        return sum(self.by_band.values())


def population_of(municipality: Municipality) -> Population | None:
    """The municipality's imported population (two queries), or None when it has none."""
    tables = {t.kind: t for t in PopulationTable.objects.filter(municipality=municipality)}
    if not tables:
        return None
    by_band: dict[str, int] = {key: 0 for key, _f, _l in rep.AGE_BANDS}
    by_sex: dict[str, int] = {sex: 0 for sex in rep.SEXES}
    district_rows: list[tuple[str, str, int | None, int]] = []
    cells = PopulationCell.objects.filter(table__in=tables.values()).values_list(
        "table__kind", "sex", "age_from", "age_to", "district", "count"
    )
    for kind, sex, age_from, age_to, district, count in cells:
        if kind == TableKind.DISTRICTS:
            district_rows.append((district, sex, age_from, count))
            continue
        band = rep.band_of_range(age_from, age_to)
        if band is not None:
            by_band[band] += count
        if sex in by_sex:
            by_sex[sex] += count
    whole = tables.get(TableKind.KOMMUNE)
    parts = tables.get(TableKind.DISTRICTS)
    return Population(
        year=whole.year if whole else None,
        source=whole.source if whole else "",
        by_band=by_band if whole else {},
        by_sex=by_sex if whole else {},
        districts=districtcsv.district_totals(district_rows),
        district_year=parts.year if parts else None,
        district_source=parts.source if parts else "",
    )


def band_label(key: str) -> str:
    for band, first, last in rep.AGE_BANDS:
        if band == key:
            if last is None:
                return _("%(age)d years or older") % {"age": first}
            return _("%(first)d–%(last)d years") % {"first": first, "last": last}
    return key


def sex_label(key: str) -> str:
    return {"female": _("Women"), "male": _("Men")}.get(key, key)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int | None  # None: hidden (under 5, or so that no hidden count can be worked out)
    share: float | None  # of the population
    expected: float | None
    ratio: float | None  # None when hidden or not comparable
    under_heard: bool


@dataclass(frozen=True)
class Line:
    key: str  # "age", "sex", "district"
    title: str
    rows: list[Row]
    total: int | None
    chart: SafeString


@dataclass(frozen=True)
class Proposal:
    key: str
    name: str


@dataclass(frozen=True)
class UnderHeard:
    label: str
    group: str  # the catalogue's group key
    proposals: list[Proposal]


@dataclass(frozen=True)
class MethodReport:
    title: str
    method: str
    total: int
    lines: list[Line]


@dataclass
class Report:
    process: Process
    population: Population | None
    total: int | None
    lines: list[Line]
    methods: list[MethodReport]
    method_line: Line
    channels: Line
    under_heard: list[UnderHeard] = field(default_factory=list)
    public: bool = False


def _line(
    key: str,
    title: str,
    counts: Mapping[str, int],
    population: Mapping[str, int],
    labels: Mapping[str, str],
    total: int,
    *,
    public: bool,
) -> tuple[Line, list[rep.Group]]:
    """One dimension: every population group, then "not given"; suppressed when public."""
    groups = rep.compare(counts, population, threshold=threshold(), min_expected=min_expected())
    known = sum(g.count for g in groups)
    values = [g.count for g in groups] + [total - known]
    shown, line_total = _shown(values, public=public)
    # The expected counts reveal how many gave a value (total minus "not given"): when
    # "not given" is hidden, so are they, and every ratio with them.
    base_known = shown[-1] is not None and line_total is not None
    rows = [
        Row(
            key=g.key,
            label=labels.get(g.key, g.key),
            count=shown[n],
            share=g.share,
            expected=g.expected if base_known else None,
            ratio=g.ratio if shown[n] is not None and base_known else None,
            under_heard=g.under_heard,
        )
        for n, g in enumerate(groups)
    ]
    rows.append(Row(NOT_GIVEN, _("Not given"), shown[-1], None, None, None, False))
    return Line(key, title, rows, line_total, _chart(title, rows)), groups


def _shown(values: list[int], *, public: bool) -> tuple[list[int | None], int | None]:
    """The counts and their total as published: suppressed (None) when public."""
    if not public:
        return list(values), sum(values)
    line = rep.suppress_line(values)
    return line.published(), line.published_total


def _chart(title: str, rows: list[Row]) -> SafeString:
    bars = [
        Bar(
            label=row.label,
            value=row.count or 0,
            text=str(row.count) if row.count is not None else _("under 5"),
        )
        for row in rows
    ]
    return bar_chart(
        title,
        _("Participants per group. The table gives each group's share of the population."),
        bars,
        css="insights-chart",
    )


def _lines(
    counted: rep.Counts, population: Population | None, *, public: bool
) -> tuple[list[Line], list[tuple[str, str, rep.Group]]]:
    lines: list[Line] = []
    found: list[tuple[str, str, rep.Group]] = []
    if population is None or not population.by_band:
        band_pop: dict[str, int] = {key: 0 for key, _f, _l in rep.AGE_BANDS}
        sex_pop: dict[str, int] = {sex: 0 for sex in rep.SEXES}
    else:
        band_pop, sex_pop = population.by_band, population.by_sex
    dimensions = (
        ("age", _("Age"), band_pop, counted.by_band, band_label),
        ("sex", _("Sex"), sex_pop, counted.by_sex, sex_label),
    )
    for key, title, pop_of, counts_of, label in dimensions:
        # Groups without inhabitants still show their participants (share unknown).
        counts = {k: counts_of.get(k, 0) for k in pop_of}
        labels = {k: label(k) for k in pop_of}
        if any(pop_of.values()):
            line, groups = _line(key, title, counts, pop_of, labels, counted.total, public=public)
        else:
            line, groups = _unknown_population(key, title, counts, labels, counted.total, public)
        lines.append(line)
        found += [(key, labels.get(g.key, g.key), g) for g in groups]
    if population is not None and population.districts:
        pop = {key: count for key, (_name, count) in population.districts.items()}
        names = {key: name for key, (name, _count) in population.districts.items()}
        line, groups = _line(
            "district",
            _("District"),
            dict(counted.by_district),
            pop,
            names,
            counted.total,
            public=public,
        )
        lines.append(line)
        found += [("district", names[g.key], g) for g in groups]
    return lines, found


def _unknown_population(
    key: str,
    title: str,
    counts: Mapping[str, int],
    labels: Mapping[str, str],
    total: int,
    public: bool,
) -> tuple[Line, list[rep.Group]]:
    """A dimension without population figures: counts only, nothing compared."""
    values = [counts.get(k, 0) for k in labels]
    values.append(total - sum(values))
    shown, line_total = _shown(values, public=public)
    rows = [Row(k, labels[k], shown[n], None, None, None, False) for n, k in enumerate(labels)] + [
        Row(NOT_GIVEN, _("Not given"), shown[-1], None, None, None, False)
    ]
    return Line(key, title, rows, line_total, _chart(title, rows)), []


# Which of the planner catalogue's groups an under-heard group belongs to: the young and
# old bands have their own; working-age adults are the catalogue's "day workers"; a sex or a
# district has no group of its own and is among "those affected who do not speak up".
def catalogue_group(dimension: str, key: str) -> str:
    if dimension == "age":
        return rep.CATALOGUE_GROUP.get(key, "day_workers")
    return "silent_affected"


def proposals(group: str) -> list[Proposal]:
    lang = language(get_language())
    return [
        Proposal(m.key, m.name(lang))
        for m in library.catalogue().methods
        if group in m.reaches_well
    ]


def _channels(process: Process, *, public: bool, instances: list[MethodInstance]) -> Line:
    counts = dict(
        Contribution.objects.filter(process=process, method_instance__in=instances)
        .exclude(moderation=ModerationState.REJECTED)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    if not public:
        # Input registered for the case as a whole (no method) counts for staff.
        for channel, n in (
            Contribution.objects.filter(process=process, method_instance__isnull=True)
            .exclude(moderation=ModerationState.REJECTED)
            .values_list("channel")
            .annotate(n=Count("pk"))
            .values_list("channel", "n")
        ):
            counts[channel] = counts.get(channel, 0) + n
    keys = list(Channel.values)
    shown, total = _shown([counts.get(k, 0) for k in keys], public=public)
    rows = [
        Row(k, str(Channel(k).label), shown[n], None, None, None, False) for n, k in enumerate(keys)
    ]
    return Line("channel", _("Channels"), rows, total, _chart(_("Input by channel"), rows))


def report(process: Process, *, public: bool = False) -> Report:
    """The whole report for one case (public: published methods only, suppressed)."""
    population = population_of(process.municipality)
    instances = [
        i
        for i in MethodInstance.objects.filter(process=process).order_by("phase__start", "pk")
        if not public or i.is_published
    ]
    everyone: list[rep.Participant] = []
    methods: list[MethodReport] = []
    per_method: list[tuple[str, int]] = []
    for instance in instances:
        try:
            plugin = registry.get(instance.method_key)
        except registry.RegistryError:
            continue
        mine = list(plugin.participants(instance))
        if not mine:
            continue
        everyone += mine
        counted = rep.count(mine)
        per_method.append((instance.title, counted.total))
        if not public:
            lines, _found = _lines(counted, population, public=False)
            methods.append(MethodReport(instance.title, str(plugin.name), counted.total, lines))
    counted = rep.count(everyone)
    lines, found = _lines(counted, population, public=public)
    shown, methods_total = _shown([n for _t, n in per_method], public=public)
    method_rows = [
        Row(str(n), title, shown[n], None, None, None, False)
        for n, (title, _count) in enumerate(per_method)
    ]
    method_line = Line(
        "method",
        _("Methods"),
        method_rows,
        methods_total,
        _chart(_("Participants per method"), method_rows),
    )
    under: list[UnderHeard] = []
    seen: set[tuple[str, str]] = set()
    for dimension, label, group in found:
        if not group.under_heard or (dimension, group.key) in seen:
            continue
        seen.add((dimension, group.key))
        key = catalogue_group(dimension, group.key)
        under.append(UnderHeard(label, key, proposals(key)))
    total = counted.total if not public or counted.total >= rep.LIMIT else None
    return Report(
        process=process,
        population=population,
        total=total,
        lines=lines,
        methods=methods,
        method_line=method_line,
        channels=_channels(process, public=public, instances=instances),
        under_heard=under,
        public=public,
    )
