"""How a municipality sets up its panel: settings, profile questions, population figures.

Staff record whether the panel is a folkevalt organ and the lowest age (``do_save_settings``),
name the districts and add questions of their own (``do_add_dimension``,
``do_save_options``, ``do_delete_dimension``), and give the population figures that a
draw's quotas and the weights follow: entered per dimension (``do_save_figures``), or age
and gender imported from a CSV file downloaded from SSB's table 07459
(``do_import_ssb``). Every change is audited. A figure belongs to one option of one
dimension; a dimension's figures are saved together, and an option left out has no figure
(a draw then does not bind it, like "other").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.algorithms.population import ssb07459
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.organisations.models import Municipality
from medvirk.vocabulary import Capability

from . import dimensions
from .models import Dimension, DimensionKind, OrganStatus, PanelMember, PopulationFigure

if TYPE_CHECKING:
    from medvirk.identity.models import User

# More inhabitants than Norway has in one group is a typing error.
MAX_COUNT = 10_000_000
MAX_SOURCE = 200
FIRST_YEAR, LAST_YEAR = 1900, 2100
# The 07459 download for one kommune is a few hundred kB; the whole country for one year
# about 3 MB. Anything far larger is not this table.
MAX_SSB_BYTES = 20 * 1024 * 1024
SSB_SOURCE = "SSB 07459"
# The lowest age a municipality may set: the first age band starts there and runs to 24.
MIN_AGES = (15, 18)
MAX_DECISION = 500
MAX_NAME = 200
MAX_LABEL = 100
MAX_OPTIONS = 30
MAX_DIMENSIONS = 12
# The value a draw gives a member who did not answer (sortition.memory.UNKNOWN): never a key.
RESERVED_KEYS = frozenset({"unknown"})


def check_staff(staff: User | None, municipality_id: int) -> None:
    """``None`` is the system (the demo, tests); staff need ``manage_process`` here."""
    if staff is not None and not capabilities.staff_can(
        staff, Capability.MANAGE_PROCESS, municipality_id
    ):
        raise ActionRefused(
            _("You cannot change the residents' panel of this municipality."), status=403
        )


def figures_of(municipality: Municipality) -> dict[str, dict[str, PopulationFigure]]:
    """Dimension key -> option -> its figure (one query)."""
    found: dict[str, dict[str, PopulationFigure]] = {}
    for figure in PopulationFigure.objects.filter(
        dimension__municipality=municipality
    ).select_related("dimension"):
        found.setdefault(figure.dimension.key, {})[figure.option] = figure
    return found


def counts_of(municipality: Municipality) -> dict[str, dict[str, int]]:
    """Dimension key -> option -> inhabitants."""
    return {
        key: {option: f.count for option, f in by_option.items()}
        for key, by_option in figures_of(municipality).items()
    }


def _dimension(municipality: Municipality, key: str) -> Dimension:
    found = next((d for d in dimensions.ensure_defaults(municipality) if d.key == key), None)
    if found is None:
        raise ActionRefused(_("The panel has no such question."), status=404)
    return found


# --- settings ---------------------------------------------------------------------------


def do_save_settings(
    staff: User | None,
    municipality: Municipality,
    *,
    organ_status: str,
    organ_decision: str,
    min_age: int,
) -> list[str]:
    """Save the municipality's decisions about its panel; returns notes for the officer.

    A new lowest age moves the start of the first age band: members' answers in that band
    move with it, and its population figure, which counted other ages, is removed.
    """
    check_staff(staff, municipality.pk)
    if organ_status not in OrganStatus.values:
        raise ActionRefused(_("Choose whether the panel is a folkevalt organ."))
    decision = (organ_decision or "").strip()
    if len(decision) > MAX_DECISION:
        raise ActionRefused(
            _("The decision can have at most %(max)d characters.") % {"max": MAX_DECISION}
        )
    low, high = MIN_AGES
    if isinstance(min_age, bool) or not isinstance(min_age, int) or not low <= min_age <= high:
        raise ActionRefused(
            _("The lowest age must be from %(low)d to %(high)d.") % {"low": low, "high": high}
        )
    notes: list[str] = []
    with transaction.atomic():
        settings = dimensions.settings_of(municipality)
        settings = type(settings).objects.select_for_update().get(pk=settings.pk)
        old_age = settings.min_age
        if min_age != old_age:
            notes.extend(_move_first_band(municipality, old_age, min_age))
        settings.organ_status = organ_status
        settings.organ_decision = decision
        settings.min_age = min_age
        settings.save()
        if staff is not None:
            audit.record(
                "panel.settings_saved",
                actor=staff,
                obj=settings,
                municipality_id=municipality.pk,
                data={"organ_status": organ_status, "min_age": min_age, "before": old_age},
            )
    return notes


def _move_first_band(municipality: Municipality, old_age: int, new_age: int) -> list[str]:
    age = next(
        (d for d in dimensions.ensure_defaults(municipality) if d.kind == DimensionKind.AGE_BAND),
        None,
    )
    if age is None:
        return []
    old_key = dimensions.age_bands(old_age)[0][0]
    new_key = dimensions.age_bands(new_age)[0][0]
    if old_key == new_key:
        return []
    moved = 0
    for member in PanelMember.objects.select_for_update().filter(municipality=municipality):
        if member.profile.get(age.key) == old_key:
            member.profile[age.key] = new_key
            member.save(update_fields=["profile", "updated_at"])
            moved += 1
    removed, _detail = PopulationFigure.objects.filter(dimension=age, option=old_key).delete()
    notes = []
    if moved:
        notes.append(
            ngettext(
                "%(n)d member's age band now starts at %(age)d.",
                "%(n)d members' age band now starts at %(age)d.",
                moved,
            )
            % {"n": moved, "age": new_age}
        )
    if removed:
        notes.append(
            _(
                "The population figure for the first age band counted other ages and was "
                "removed. Enter it again, or import the SSB file again."
            )
        )
    return notes


# --- questions (dimensions) ---------------------------------------------------------------


def _clean_labels(labels: list[str]) -> list[str]:
    cleaned = [" ".join(label.split()) for label in labels if label and label.strip()]
    seen: set[str] = set()
    for label in cleaned:
        if len(label) > MAX_LABEL:
            raise ActionRefused(
                _("An option can have at most %(max)d characters.") % {"max": MAX_LABEL}
            )
        if label.casefold() in seen:
            raise ActionRefused(
                _("Each option must be different: “%(label)s” is listed more than once.")
                % {"label": label}
            )
        seen.add(label.casefold())
    return cleaned


def _new_key(label: str, taken: set[str], fallback: str) -> str:
    base = slugify(label)[:30].strip("-_") or fallback
    if base in RESERVED_KEYS:
        base = f"{base}-1"
    key, n = base, 1
    while key in taken or key in RESERVED_KEYS:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


def _editable(dimension: Dimension) -> None:
    if dimension.kind not in (DimensionKind.DISTRICT, DimensionKind.CUSTOM):
        raise ActionRefused(
            _("The options for age and gender are fixed: they match SSB's statistics."),
            status=409,
        )


def _answered(dimension: Dimension) -> dict[str, int]:
    """Option -> how many members chose it."""
    chosen: dict[str, int] = {}
    for profile in PanelMember.objects.filter(
        municipality_id=dimension.municipality_id
    ).values_list("profile", flat=True):
        value = profile.get(dimension.key) if isinstance(profile, dict) else None
        if value:
            chosen[str(value)] = chosen.get(str(value), 0) + 1
    return chosen


def do_add_dimension(
    staff: User | None, municipality: Municipality, name: str, labels: list[str]
) -> Dimension:
    """A question of the municipality's own, with its options (at least two)."""
    check_staff(staff, municipality.pk)
    text = " ".join((name or "").split())
    if not text or len(text) > MAX_NAME:
        raise ActionRefused(
            _("The question needs a text of at most %(max)d characters.") % {"max": MAX_NAME}
        )
    cleaned = _clean_labels(labels)
    if not 2 <= len(cleaned) <= MAX_OPTIONS:
        raise ActionRefused(_("A question needs from 2 to %(max)d options.") % {"max": MAX_OPTIONS})
    with transaction.atomic():
        existing = list(Dimension.objects.select_for_update().filter(municipality=municipality))
        if len(existing) >= MAX_DIMENSIONS:
            raise ActionRefused(
                _(
                    "The panel has %(n)d questions already. Ask only what the draws need: "
                    "every question is more to give away."
                )
                % {"n": len(existing)},
                status=409,
            )
        taken = {d.key for d in existing}
        key = _new_key(text, taken, "sporsmal")[:40]
        option_keys: set[str] = set()
        options = [
            {"key": _new_key(label, option_keys, f"valg-{n}"), "label": label}
            for n, label in enumerate(cleaned, 1)
        ]
        dimension = Dimension.objects.create(
            municipality=municipality,
            key=key,
            kind=DimensionKind.CUSTOM,
            name=text,
            options=options,
            order=max((d.order for d in existing), default=0) + 1,
        )
        if staff is not None:
            audit.record(
                "panel.dimension_added",
                actor=staff,
                obj=dimension,
                municipality_id=municipality.pk,
                data={"dimension": key, "options": len(options)},
            )
    return dimension


def do_save_options(
    staff: User | None,
    dimension: Dimension,
    *,
    labels: Mapping[str, str],
    remove: list[str] | tuple[str, ...] = (),
    new: list[str] | tuple[str, ...] = (),
    name: str | None = None,
) -> Dimension:
    """Rename options (``labels``: key -> label), remove some and add ``new`` ones, for the
    districts or a question of the municipality's own. An option a member chose cannot be
    removed (409): their answer would lose its meaning."""
    check_staff(staff, dimension.municipality_id)
    _editable(dimension)
    with transaction.atomic():
        dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
        current = [
            {"key": str(o["key"]), "label": str(o["label"])}
            for o in dimension.options
            if isinstance(o, dict) and o.get("key")
        ]
        known = {o["key"] for o in current}
        unknown = (set(labels) | set(remove)) - known
        if unknown:
            raise ActionRefused(_("The form named an option that does not exist."), status=400)
        chosen = _answered(dimension)
        for key in remove:
            if chosen.get(key):
                label = next(o["label"] for o in current if o["key"] == key)
                raise ActionRefused(
                    ngettext(
                        "“%(label)s” cannot be removed: %(n)d member chose it.",
                        "“%(label)s” cannot be removed: %(n)d members chose it.",
                        chosen[key],
                    )
                    % {"label": label, "n": chosen[key]},
                    status=409,
                )
        kept = [
            {"key": o["key"], "label": " ".join(labels.get(o["key"], o["label"]).split())}
            for o in current
            if o["key"] not in remove
        ]
        for option in kept:
            if not option["label"]:
                raise ActionRefused(
                    _("Every option needs a text. To take one away, tick “Remove”.")
                )
        added = _clean_labels(list(new))
        every = _clean_labels([o["label"] for o in kept] + added)
        if len(every) > MAX_OPTIONS:
            raise ActionRefused(
                _("A question can have at most %(max)d options.") % {"max": MAX_OPTIONS}
            )
        taken = {o["key"] for o in current}
        kept.extend(
            {"key": _new_key(label, taken, f"valg-{len(taken) + 1}"), "label": label}
            for label in added
        )
        dimension.options = kept
        fields = ["options"]
        if name is not None and dimension.kind == DimensionKind.CUSTOM:
            text = " ".join(name.split())
            if not text or len(text) > MAX_NAME:
                raise ActionRefused(
                    _("The question needs a text of at most %(max)d characters.")
                    % {"max": MAX_NAME}
                )
            dimension.name = text
            fields.append("name")
        dimension.save(update_fields=fields)
        PopulationFigure.objects.filter(dimension=dimension, option__in=list(remove)).delete()
        if staff is not None:
            audit.record(
                "panel.dimension_saved",
                actor=staff,
                obj=dimension,
                municipality_id=dimension.municipality_id,
                data={
                    "dimension": dimension.key,
                    "options": len(kept),
                    "added": len(added),
                    "removed": len(remove),
                },
            )
    return dimension


def do_delete_dimension(staff: User | None, dimension: Dimension) -> int:
    """Delete a question of the municipality's own, with its figures and every member's
    answer to it (the profile keeps only what is asked). Returns how many answers went."""
    check_staff(staff, dimension.municipality_id)
    if dimension.kind != DimensionKind.CUSTOM:
        raise ActionRefused(
            _("Only questions the municipality added itself can be deleted."), status=409
        )
    erased = 0
    with transaction.atomic():
        for member in PanelMember.objects.select_for_update().filter(
            municipality_id=dimension.municipality_id
        ):
            if dimension.key in member.profile:
                del member.profile[dimension.key]
                member.save(update_fields=["profile", "updated_at"])
                erased += 1
        if staff is not None:
            audit.record(
                "panel.dimension_deleted",
                actor=staff,
                obj=dimension,
                municipality_id=dimension.municipality_id,
                data={"dimension": dimension.key, "answers_erased": erased},
            )
        dimension.delete()
    return erased


# --- population figures -------------------------------------------------------------------


def _clean_count(value: Any, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ActionRefused(
            _("“%(option)s”: give the number of inhabitants as a whole number.") % {"option": label}
        )
    if value < 0 or value > MAX_COUNT:
        raise ActionRefused(
            _("“%(option)s”: the number of inhabitants must be from 0 to %(max)s.")
            % {"option": label, "max": f"{MAX_COUNT:,}".replace(",", " ")}
        )
    return value


def _clean_source(source: str, year: int | None) -> tuple[str, int | None]:
    text = " ".join((source or "").split())
    if len(text) > MAX_SOURCE:
        raise ActionRefused(
            _("The source can have at most %(max)d characters.") % {"max": MAX_SOURCE}
        )
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR
    ):
        raise ActionRefused(
            _("The year must be from %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return text, year


def _store(dimension: Dimension, counts: Mapping[str, int], source: str, year: int | None) -> None:
    PopulationFigure.objects.filter(dimension=dimension).exclude(option__in=list(counts)).delete()
    for option, count in counts.items():
        PopulationFigure.objects.update_or_create(
            dimension=dimension,
            option=option,
            defaults={"count": count, "source": source, "year": year},
        )


def do_save_figures(
    staff: User | None,
    municipality: Municipality,
    dimension_key: str,
    counts: Mapping[str, int],
    source: str = "",
    year: int | None = None,
) -> None:
    """Replace the figures of one dimension: ``counts`` maps each option to inhabitants.

    Only the dimension's own options are taken (400 for any other); an option left out
    has no figure afterwards. Audited when staff save.
    """
    check_staff(staff, municipality.pk)
    dimension = _dimension(municipality, dimension_key)
    min_age = dimensions.settings_of(municipality).min_age
    options = {o.key: o.label for o in dimensions.options_of(dimension, min_age)}
    cleaned: dict[str, int] = {}
    for option, value in counts.items():
        if option not in options:
            raise ActionRefused(
                _("“%(option)s” is not an option of “%(question)s”.")
                % {"option": option, "question": dimensions.name_of(dimension)}
            )
        cleaned[option] = _clean_count(value, options[option])
    text, year = _clean_source(source, year)
    with transaction.atomic():
        _store(dimension, cleaned, text, year)
        if staff is not None:
            audit.record(
                "panel.figures_saved",
                actor=staff,
                obj=dimension,
                municipality_id=municipality.pk,
                data={
                    "dimension": dimension.key,
                    "options": len(cleaned),
                    "inhabitants": sum(cleaned.values()),
                    "source": text,
                    "year": year,
                },
            )


# --- SSB 07459 ----------------------------------------------------------------------------


def ssb_message(code: str, params: Mapping[str, Any]) -> str:
    """What the parser reports, in the reader's language."""
    texts = {
        "suppressed": _("no number given (SSB's symbol “%(value)s”): left out"),
        "total": _("a total (“%(value)s”), not one sex and one age: left out"),
        "bad_region": _("the region “%(value)s” is not a kommune with a four-digit number"),
        "bad_sex": _("the sex “%(value)s” is neither men (1) nor women (2)"),
        "bad_age": _("the age “%(value)s” is not a one-year age"),
        "bad_year": _("the year “%(value)s” is not a year"),
        "bad_value": _("the number “%(value)s” is not a whole number of people"),
        "short": _("the line has %(found)s cells, the header %(expected)s"),
        "not_data": _("not a line of the table"),
        "duplicate": _("the same kommune, sex, age and year as line %(first)s"),
        "empty": _("The file is empty."),
        "too_big": _("The file is too large for table 07459 (at most %(limit)s bytes)."),
        "no_header": _(
            "No header with the columns region, kjønn and alder was found. Download table "
            "07459 from SSB as CSV, with the variable names."
        ),
        "no_year": _("The file has no year column (“år”) and no column headed with a year."),
        "no_rows": _("The file has a header but no numbers that could be read."),
        "region_missing": _(
            "Kommune %(kommunenummer)s is not in the file (it has: %(found)s). Choose this "
            "municipality's region when you download the table."
        ),
        "year_missing": _("The file has no numbers for kommune %(kommunenummer)s in %(year)s."),
        "no_bands": _("The panel has no age bands."),
    }
    text = texts.get(code)
    if text is None:
        return _("The file could not be read.")
    return text % {k: v for k, v in params.items()}


@dataclass(frozen=True)
class SkippedLine:
    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class SsbImport:
    """What an import saved, and what it left out and why."""

    year: int
    region_name: str
    by_band: dict[str, int]
    by_gender: dict[str, int]
    total: int
    below: int
    skipped: list[SkippedLine] = field(default_factory=list)


def _read(file: bytes | IO[bytes]) -> bytes:
    if isinstance(file, bytes):
        return file
    data = file.read(MAX_SSB_BYTES + 1)
    if not isinstance(data, bytes):
        raise ActionRefused(_("The file could not be read."))
    return data


def do_import_ssb(
    staff: User | None, municipality: Municipality, file: bytes | IO[bytes]
) -> SsbImport:
    """Age bands and gender from an SSB 07459 download, for this municipality's
    kommunenummer and the latest year in the file; people under the panel's lowest age are
    left out. Nothing is saved when the file cannot be used (400, the reason given)."""
    check_staff(staff, municipality.pk)
    settings = dimensions.settings_of(municipality)
    bands = dimensions.age_bands(settings.min_age)
    found = dimensions.ensure_defaults(municipality)
    age = next((d for d in found if d.kind == DimensionKind.AGE_BAND), None)
    gender = next((d for d in found if d.kind == DimensionKind.GENDER), None)
    if age is None or gender is None:
        raise ActionRefused(_("The panel has no age or gender question."), status=409)
    try:
        parsed = ssb07459.parse(_read(file), max_bytes=MAX_SSB_BYTES)
        summed = ssb07459.aggregate(parsed.rows, municipality.kommunenummer, bands)
    except ssb07459.Ssb07459Error as error:
        message = ssb_message(error.code, error.params)
        if error.line is not None:
            message = _("Line %(line)d: %(message)s") % {"line": error.line, "message": message}
        raise ActionRefused(message, status=400) from None
    by_gender = {option: summed.by_sex.get(code, 0) for code, option in dimensions.SSB_SEX.items()}
    source = f"{SSB_SOURCE}, {summed.kommunenummer} {summed.region_name}".strip().rstrip(",")
    skipped = [SkippedLine(s.line, ssb_message(s.code, s.params), s.text) for s in parsed.skipped]
    with transaction.atomic():
        _store(age, summed.by_band, source, summed.year)
        # Only the two sexes SSB counts: "other" keeps no figure, so no quota binds it.
        PopulationFigure.objects.filter(dimension=gender).exclude(
            option__in=list(by_gender)
        ).delete()
        for option, count in by_gender.items():
            PopulationFigure.objects.update_or_create(
                dimension=gender,
                option=option,
                defaults={"count": count, "source": source, "year": summed.year},
            )
        if staff is not None:
            audit.record(
                "panel.figures_imported",
                actor=staff,
                obj=age,
                municipality_id=municipality.pk,
                data={
                    "source": source,
                    "year": summed.year,
                    "inhabitants": summed.total,
                    "skipped": len(skipped),
                },
            )
    return SsbImport(
        year=summed.year,
        region_name=summed.region_name,
        by_band=summed.by_band,
        by_gender=by_gender,
        total=summed.total,
        below=summed.below,
        skipped=skipped,
    )
