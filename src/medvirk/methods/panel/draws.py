"""Fair draws from the panel: who is invited to a survey or dialogue, and how to check it.

``do_draw`` takes the municipality's current members as the pool, sets quotas in
proportion to the population on the chosen dimensions (``sortition.memory``), computes the
fair lottery over panels that meet them (maximin, or leximin where asked), and draws one
panel with a seed. Everything needed to publish and re-check the draw is stored in
``Draw.lottery``: the quotas, the population figures they came from, the pool by member
code and values, the distribution over panels, each code's chance, the seed and the number
it gave. An invitation is made for each member of the drawn panel, with their values (the
stratum), kept for response rates if they later leave.

Reads for the pages are here too (``published_draws``, ``quota_rows``, ``chance_groups``,
``verification``): the public lottery page and the staff pages share them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from medvirk.algorithms.sortition import (
    ALGORITHMS,
    Features,
    Pool,
    SortitionInputError,
    find_lottery,
    verify_lottery,
)
from medvirk.algorithms.sortition import draw as draw_panel
from medvirk.algorithms.sortition.io import Quota
from medvirk.algorithms.sortition.memory import (
    UNKNOWN,
    features_csv,
    features_from,
    lottery_json,
    people_csv,
    pool_from,
    proportional_quotas,
)
from medvirk.algorithms.weighting import WeightingError, cell_weights, group_weights
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.tokens import new_nonce
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, ProcessStatus

from . import dimensions, population
from .models import Dimension, Draw, Invitation, PanelMember

if TYPE_CHECKING:
    from medvirk.identity.models import User

METHOD_KEY = "panel"
# Any count of people under this is hidden in what the public sees.
SUPPRESS_BELOW = 5
# The public page lists this many of the lottery's panels (the file has them all).
TOP_PANELS = 20
# The public page lists every code's chance up to this pool size (the file always does).
LIST_CODES_UP_TO = 500
MAX_SIZE = 1000
MAX_SEED_DIGITS = 30
LOTTERY_VERSION = 1
VERIFY_CACHE_SECONDS = 24 * 3600


def takes_input(instance: MethodInstance) -> bool:
    """Does the method collect answers (a survey, a dialogue), so invitees have a task?"""
    try:
        plugin = registry.get(instance.method_key)
    except KeyError:
        return False
    return any(a.creates_contribution for a in plugin.actions)


def targets(instance: MethodInstance) -> list[MethodInstance]:
    """The methods of the panel's case a draw can invite to: published, open, taking input."""
    found = MethodInstance.objects.filter(
        process_id=instance.process_id, is_published=True, closed_at__isnull=True
    ).exclude(method_key=METHOD_KEY)
    return [m for m in found.select_related("phase").order_by("pk") if takes_input(m)]


def _check_target(instance: MethodInstance, target: MethodInstance) -> None:
    if target.pk == instance.pk or target.method_key == METHOD_KEY:
        raise ActionRefused(_("Invite to a survey or a dialogue, not to the panel itself."))
    if target.process_id != instance.process_id:
        raise ActionRefused(_("Invite to a method of this case."))
    if not target.is_published or target.closed_at is not None:
        raise ActionRefused(
            _("“%(title)s” is not published and open, so the invited could not answer it.")
            % {"title": target.title}
        )
    if instance.process.status == ProcessStatus.DECIDED:
        raise ActionRefused(_("The case is decided: no one can take part any more."))
    if not takes_input(target):
        raise ActionRefused(
            _("“%(title)s” takes no answers, so there is nothing to invite to.")
            % {"title": target.title}
        )


def _seed(seed: str | int | None) -> int:
    if seed is None or seed == "":
        return secrets.randbelow(2**63)
    text = str(seed).strip()
    if not text.isascii() or not text.isdigit() or len(text) > MAX_SEED_DIGITS:
        raise ActionRefused(
            _("The seed must be a whole number of at most %(n)d digits, or left empty.")
            % {"n": MAX_SEED_DIGITS}
        )
    return int(text)


@dataclass(frozen=True)
class Chosen:
    """The dimensions of a draw, their options and figures, in the order chosen."""

    dimensions: list[Dimension]
    values: dict[str, list[str]]  # key -> option keys (and UNKNOWN when someone has it)
    population: dict[str, dict[str, int]]  # key -> option -> inhabitants
    sources: dict[str, str]


def _chosen(
    instance: MethodInstance, keys: Sequence[str], members: Sequence[PanelMember]
) -> Chosen:
    municipality = instance.process.municipality
    every = {d.key: d for d in dimensions.ensure_defaults(municipality)}
    if not keys:
        raise ActionRefused(_("Choose at least one thing to balance the draw on."))
    if len(set(keys)) != len(keys) or any(k not in every for k in keys):
        raise ActionRefused(_("Choose among the panel's questions."))
    min_age = dimensions.settings_of(municipality).min_age
    figures = population.figures_of(municipality)
    chosen = [every[k] for k in keys]
    values: dict[str, list[str]] = {}
    counts: dict[str, dict[str, int]] = {}
    sources: dict[str, str] = {}
    for dimension in chosen:
        options = [o.key for o in dimensions.options_of(dimension, min_age)]
        mine = {o: f for o, f in figures.get(dimension.key, {}).items() if o in options}
        if not sum(f.count for f in mine.values()):
            raise ActionRefused(
                _(
                    "“%(question)s” has no population figures yet, so the draw cannot follow "
                    "the population on it. Enter them first."
                )
                % {"question": dimensions.name_of(dimension)}
            )
        if any(m.profile.get(dimension.key) not in options for m in members):
            options.append(UNKNOWN)
        values[dimension.key] = options
        counts[dimension.key] = {o: f.count for o, f in mine.items()}
        described = sorted(
            {f"{f.source} {f.year}".strip() if f.year else f.source for f in mine.values()} - {""}
        )
        sources[dimension.key] = "; ".join(described)
    return Chosen(chosen, values, counts, sources)


def _stratum(member: PanelMember, values: Mapping[str, list[str]]) -> dict[str, str]:
    stratum = {}
    for key, options in values.items():
        value = member.profile.get(key)
        stratum[key] = value if isinstance(value, str) and value in options else UNKNOWN
    return stratum


def do_draw(
    staff: User | None,
    instance: MethodInstance,
    *,
    target: MethodInstance,
    size: int,
    dimensions: Sequence[str],
    algorithm: str = "maximin",
    seed: str | int | None = None,
) -> Draw:
    """Draw ``size`` members to invite to ``target``, balanced on ``dimensions``.

    Refused (nothing stored) when the target is not a published, open method of the case
    that takes input, when a dimension has no population figures, or when no panel can
    meet the quotas: then the lottery's own explanation is given.
    """
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not a residents' panel."), status=404)
    municipality = instance.process.municipality
    population.check_staff(staff, municipality.pk)
    _check_target(instance, target)
    if algorithm not in ALGORITHMS:
        raise ActionRefused(_("Choose maximin or leximin."))
    members = list(PanelMember.objects.filter(municipality=municipality).order_by("pk"))
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
        raise ActionRefused(
            _("Invite from 1 to %(max)d members.") % {"max": min(MAX_SIZE, max(len(members), 1))}
        )
    if size > len(members):
        raise ActionRefused(
            _("The panel has %(n)d members: you cannot invite %(size)d.")
            % {"n": len(members), "size": size}
        )
    number = _seed(seed)
    chosen = _chosen(instance, list(dimensions), members)
    strata = [_stratum(m, chosen.values) for m in members]
    codes = [m.code for m in members]
    try:
        quotas = proportional_quotas(size, chosen.values, chosen.population)
        features = features_from(quotas)
        pool = pool_from(codes, strata, features)
        lottery = find_lottery(pool, features, size, algorithm)
        drawn = draw_panel(lottery, number)
    except SortitionInputError as error:
        raise ActionRefused(
            _("No fair draw can meet these quotas. The lottery says: %(reason)s")
            % {"reason": error.message},
            status=409,
        ) from None
    except RuntimeError:
        raise ActionRefused(
            _("The lottery could not be computed just now. Please try again."), status=503
        ) from None
    probability = {
        code: float(p) for code, p in zip(codes, lottery.probability.tolist(), strict=True)
    }
    data: dict[str, Any] = {
        "version": LOTTERY_VERSION,
        "features": features.names,
        "quotas": [
            {"feature": q.feature, "value": q.value, "min": q.min, "max": q.max}
            for q in features.quotas
        ],
        "population": chosen.population,
        "sources": chosen.sources,
        "pool": [
            [code, *(s[k] for k in features.names)] for code, s in zip(codes, strata, strict=True)
        ],
        "distribution": lottery.distribution(),
        "probability": probability,
        "selected": drawn.selected,
        "panel_index": drawn.panel_index,
        "uniform": drawn.uniform,
        "gap": float(lottery.gap),
        "unreachable": [codes[i] for i in lottery.unreachable],
    }
    with transaction.atomic():
        saved = Draw.objects.create(
            method_instance=instance,
            target=target,
            size=size,
            dimensions=features.names,
            algorithm=algorithm,
            seed=str(number),
            lottery=data,
            min_probability=float(lottery.min_probability),
            created_by=staff,
        )
        # Members who left while the lottery was computed keep no link (nor get an e-mail).
        present = {
            m.code: m
            for m in PanelMember.objects.filter(municipality=municipality, code__in=drawn.selected)
        }
        by_code = dict(zip(codes, strata, strict=True))
        Invitation.objects.bulk_create(
            Invitation(
                draw=saved,
                member=present.get(code),
                code=code,
                stratum=by_code[code],
                nonce=new_nonce(),
            )
            for code in drawn.selected
        )
        if staff is not None:
            audit.record(
                "panel.drawn",
                actor=staff,
                obj=saved,
                municipality_id=municipality.pk,
                data={
                    "target": target.pk,
                    "size": size,
                    "dimensions": features.names,
                    "algorithm": algorithm,
                    "pool": len(members),
                    "seed": str(number),
                },
            )
    return saved


# --- reads --------------------------------------------------------------------------------


def published_draws(instance: MethodInstance, *, with_lottery: bool = False) -> list[Draw]:
    """Every draw of the panel instance, newest first: each is public from the moment it is
    made, so a draw cannot be quietly made again until the result suits someone.

    One query. The stored lottery (up to a megabyte for a large panel) is left out unless
    asked for: lists need only the summary."""
    found = (
        Draw.objects.filter(method_instance=instance)
        .select_related("target", "method_instance__process__municipality")
        .order_by("-created_at", "-pk")
    )
    return list(found if with_lottery else found.defer("lottery"))


def draw_of(instance: MethodInstance, pk: int) -> Draw | None:
    return (
        Draw.objects.filter(method_instance=instance, pk=pk)
        .select_related("target", "method_instance__process__municipality", "created_by")
        .first()
    )


def has_draws(instance: MethodInstance) -> bool:
    return Draw.objects.filter(method_instance=instance).exists()


@dataclass(frozen=True)
class Labels:
    """The draw's dimensions and options in the reader's language (keys when unknown now)."""

    names: dict[str, str]
    options: dict[str, dict[str, str]]

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    def option(self, key: str, value: str) -> str:
        if value == UNKNOWN:
            return _("Not answered")
        return self.options.get(key, {}).get(value, value)


def labels_of(draw: Draw) -> Labels:
    municipality = draw.method_instance.process.municipality
    min_age = dimensions.settings_of(municipality).min_age
    names: dict[str, str] = {}
    options: dict[str, dict[str, str]] = {}
    for dimension in dimensions.ensure_defaults(municipality):
        names[dimension.key] = dimensions.name_of(dimension)
        options[dimension.key] = {o.key: o.label for o in dimensions.options_of(dimension, min_age)}
    return Labels(names, options)


def features_of(draw: Draw) -> Features:
    quotas = [
        Quota(q["feature"], q["value"], int(q["min"]), int(q["max"]), line)
        for line, q in enumerate(draw.lottery.get("quotas", []), start=2)
    ]
    return features_from(quotas)


def pool_of(draw: Draw, features: Features) -> Pool:
    names = list(draw.lottery.get("features", []))
    rows = draw.lottery.get("pool", [])
    return pool_from(
        [str(r[0]) for r in rows], [dict(zip(names, r[1:], strict=True)) for r in rows], features
    )


def files_of(draw: Draw) -> dict[str, str]:
    """features.csv, people.csv and lottery.json exactly as ``medvirk sortition verify``
    reads them, and every code's chance as a CSV."""
    features = features_of(draw)
    pool = pool_of(draw, features)
    data = draw.lottery
    chances = "id,probability,invited\n" + "".join(
        f"{code},{p!r},{'yes' if code in set(data.get('selected', [])) else 'no'}\n"
        for code, p in data.get("probability", {}).items()
    )
    return {
        "features.csv": features_csv(features),
        "people.csv": people_csv(pool, features),
        "lottery.json": lottery_json(
            draw.size,
            data.get("distribution", []),
            algorithm=draw.algorithm,
            seed=draw.seed,
            uniform=data.get("uniform"),
            panel_index=data.get("panel_index"),
            selected=data.get("selected", []),
            min_probability=draw.min_probability,
            created=draw.created_at.date().isoformat(),
        ),
        "probabilities.csv": chances,
    }


def shown(count: int) -> int | None:
    """A count of people as the public may see it: None (hidden) when 1 to 4."""
    return None if 0 < count < SUPPRESS_BELOW else count


@dataclass(frozen=True)
class QuotaRow:
    dimension: str
    option: str
    population: int | None
    share: float | None
    min: int
    max: int
    invited: int  # exact: staff pages
    invited_shown: int | None  # public: hidden under SUPPRESS_BELOW

    @property
    def met(self) -> bool:
        return self.min <= self.invited <= self.max

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else self.share * 100


def quota_rows(draw: Draw, labels: Labels) -> list[QuotaRow]:
    data = draw.lottery
    names = list(data.get("features", []))
    selected = set(data.get("selected", []))
    invited: dict[tuple[str, str], int] = {}
    for row in data.get("pool", []):
        if row[0] in selected:
            for name, value in zip(names, row[1:], strict=True):
                invited[(name, value)] = invited.get((name, value), 0) + 1
    rows = []
    for quota in data.get("quotas", []):
        key, value = quota["feature"], quota["value"]
        figures = data.get("population", {}).get(key, {})
        total = sum(figures.values())
        count = figures.get(value)
        n = invited.get((key, value), 0)
        rows.append(
            QuotaRow(
                dimension=labels.name(key),
                option=labels.option(key, value),
                population=count,
                share=(count / total) if count is not None and total else None,
                min=int(quota["min"]),
                max=int(quota["max"]),
                invited=n,
                invited_shown=shown(n),
            )
        )
    return rows


@dataclass(frozen=True)
class ChanceGroup:
    values: list[str]
    people: int | None  # hidden under SUPPRESS_BELOW
    probability: float

    @property
    def percent(self) -> float:
        return self.probability * 100


def chance_groups(draw: Draw, labels: Labels) -> list[ChanceGroup]:
    """Everyone's chance by their values: people alike on every dimension had the same."""
    data = draw.lottery
    names = list(data.get("features", []))
    probability = data.get("probability", {})
    groups: dict[tuple[str, ...], list[float]] = {}
    for row in data.get("pool", []):
        groups.setdefault(tuple(row[1:]), []).append(float(probability.get(row[0], 0.0)))
    result = [
        ChanceGroup(
            [labels.option(n, v) for n, v in zip(names, key, strict=True)],
            shown(len(ps)),
            sum(ps) / len(ps),
        )
        for key, ps in groups.items()
    ]
    result.sort(key=lambda g: (g.probability, g.values))
    return result


@dataclass(frozen=True)
class Check:
    ok: bool
    problems: list[str]
    panels: int
    lowest: float
    chances_match: bool
    seed_matches: bool
    selected_matches: bool


def _recompute_uniform(seed: str) -> float:
    return float(np.random.default_rng(int(seed)).random())


def verification(draw: Draw) -> Check:
    """Re-check the stored lottery as anyone can with the files: every panel meets the
    quotas and the probabilities sum to one (``verify_lottery``); each code's published
    chance is the sum over the panels it is in; the seed gives the published number, and
    that number falls on the panel whose members were invited. Cached per draw."""
    digest = hashlib.sha256(
        f"{draw.pk}:{draw.seed}:{len(draw.lottery.get('distribution', []))}".encode()
    ).hexdigest()[:16]
    key = f"medvirk.panel.verify.{draw.pk}.{digest}"
    found = cache.get(key)
    if isinstance(found, Check):
        return found
    data = draw.lottery
    try:
        features = features_of(draw)
        pool = pool_of(draw, features)
    except SortitionInputError as error:
        return Check(False, [error.one_line()], 0, 0.0, False, False, False)
    distribution = [
        ([str(p) for p in entry["panel"]], float(entry["probability"]))
        for entry in data.get("distribution", [])
    ]
    result = verify_lottery(pool, features, draw.size, distribution)
    published = data.get("probability", {})
    chances_match = set(published) == set(result.probability) and all(
        abs(float(published[c]) - p) <= 1e-9 for c, p in result.probability.items()
    )
    uniform = _recompute_uniform(draw.seed)
    seed_matches = uniform == data.get("uniform")
    # As ``Lottery.pick``: the panels laid end to end by probability, in published order.
    cumulative = np.cumsum([weight for _panel, weight in distribution])
    index = min(int(np.searchsorted(cumulative, uniform, side="right")), len(distribution) - 1)
    selected_matches = (
        bool(distribution)
        and index == data.get("panel_index")
        and sorted(distribution[index][0]) == sorted(data.get("selected", []))
    )
    lowest = min(result.probability.values()) if result.probability else 0.0
    check = Check(
        ok=result.ok and chances_match and seed_matches and selected_matches,
        problems=result.problems,
        panels=result.panels,
        lowest=lowest,
        chances_match=chances_match,
        seed_matches=seed_matches,
        selected_matches=selected_matches,
    )
    cache.set(key, check, VERIFY_CACHE_SECONDS)
    return check


def top_panels(draw: Draw, n: int = TOP_PANELS) -> list[dict[str, Any]]:
    """The ``n`` most likely panels, with their number in the published order (1-based)."""
    distribution = draw.lottery.get("distribution", [])
    numbered = [
        {
            "number": i + 1,
            "panel": entry["panel"],
            "probability": float(entry["probability"]),
            "percent": float(entry["probability"]) * 100,
        }
        for i, entry in enumerate(distribution)
    ]
    numbered.sort(key=lambda e: (-e["probability"], e["number"]))
    return numbered[:n]


# --- response rates and weights (staff) ---------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    """One group of a draw's invited: how many answered, and the weight of their answers."""

    values: list[str]
    population: int | None
    population_share: float | None
    invited: int
    answered: int
    weight: float | None

    @property
    def label(self) -> str:
        return " · ".join(self.values)

    @property
    def rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None

    @property
    def rate_percent(self) -> float | None:
        return None if self.rate is None else self.rate * 100

    @property
    def share_percent(self) -> float | None:
        return None if self.population_share is None else self.population_share * 100


@dataclass(frozen=True)
class DimensionRates:
    key: str
    name: str
    rows: list[RateRow]


@dataclass(frozen=True)
class Rates:
    invited: int
    sent: int
    opened: int
    reminded: int
    answered: int
    left: int  # invited members who have since left the panel
    unsent: int  # members not e-mailed yet (and not answered)
    waiting: int  # e-mailed members who have not answered
    dimensions: list[DimensionRates]
    strata: list[RateRow]
    weight_error: str  # why there are no weights, in words; "" when there are

    @property
    def rate_percent(self) -> float | None:
        return self.answered / self.invited * 100 if self.invited else None


def _weight_error(error: WeightingError, labels: Labels) -> str:
    if error.code == "no_respondents":
        return _(
            "No one invited with “%(option)s” (%(question)s) has answered yet, so the answers "
            "cannot be weighted to the population."
        ) % {
            "option": labels.option(error.dimension, error.category),
            "question": labels.name(error.dimension),
        }
    if error.code == "no_answers":
        return _("No one has answered yet: there is nothing to weight.")
    return _(
        "The weights could not be computed: the answers cannot match every dimension's "
        "population shares at once."
    )


def response_rates(draw: Draw, labels: Labels) -> Rates:
    """Invited, answered and the rate, per option of each dimension and per combination,
    beside the population share; the post-stratification weight of an answer in each group
    (one dimension: its own cell weight; combinations: raking over all the draw's
    dimensions). Two queries."""
    invitations = list(
        Invitation.objects.filter(draw=draw).only(
            "stratum", "sent_at", "opened_at", "reminded_at", "responded_at", "member_id"
        )
    )
    names = list(draw.lottery.get("features", draw.dimensions))
    figures: dict[str, dict[str, int]] = draw.lottery.get("population", {})
    strata = [{k: str(i.stratum.get(k, UNKNOWN)) for k in names} for i in invitations]
    answered = [s for s, i in zip(strata, invitations, strict=True) if i.responded_at]
    error = ""
    by_stratum: dict[tuple[str, ...], float] = {}
    try:
        for group in group_weights(answered, {k: figures.get(k, {}) for k in names}):
            by_stratum[tuple(v for _k, v in group.categories)] = group.weight
    except WeightingError as failed:
        error = _weight_error(failed, labels)
    dimension_rows: list[DimensionRates] = []
    for key in names:
        population_of = figures.get(key, {})
        total = sum(population_of.values())
        options = list(population_of)
        for s in strata:
            if s[key] not in options:
                options.append(s[key])
        answers = {o: sum(1 for s in answered if s[key] == o) for o in options}
        weights: dict[str, float] = {}
        try:
            weights = cell_weights({o: n for o, n in answers.items() if n}, population_of)
        except WeightingError:
            weights = {}
        rows = [
            RateRow(
                values=[labels.option(key, o)],
                population=population_of.get(o),
                population_share=(population_of[o] / total)
                if o in population_of and total
                else None,
                invited=sum(1 for s in strata if s[key] == o),
                answered=answers[o],
                weight=weights.get(o),
            )
            for o in options
        ]
        dimension_rows.append(DimensionRates(key, labels.name(key), rows))
    combos: dict[tuple[str, ...], list[int]] = {}
    for s, i in zip(strata, invitations, strict=True):
        counts = combos.setdefault(tuple(s[k] for k in names), [0, 0])
        counts[0] += 1
        counts[1] += 1 if i.responded_at else 0
    stratum_rows = [
        RateRow(
            values=[labels.option(k, v) for k, v in zip(names, key, strict=True)],
            population=None,
            population_share=None,
            invited=n,
            answered=a,
            weight=by_stratum.get(key),
        )
        for key, (n, a) in sorted(combos.items())
    ]
    return Rates(
        invited=len(invitations),
        sent=sum(1 for i in invitations if i.sent_at),
        opened=sum(1 for i in invitations if i.opened_at),
        reminded=sum(1 for i in invitations if i.reminded_at),
        answered=len(answered),
        left=sum(1 for i in invitations if i.member_id is None),
        unsent=sum(
            1
            for i in invitations
            if i.member_id is not None and i.sent_at is None and i.responded_at is None
        ),
        waiting=sum(
            1
            for i in invitations
            if i.member_id is not None and i.sent_at is not None and i.responded_at is None
        ),
        dimensions=dimension_rows,
        strata=stratum_rows,
        weight_error=error,
    )
