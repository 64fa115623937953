"""The profile questions of a municipality's panel, and the dimensions a draw balances.

Every municipality has three built in: age band and gender (options from the code, so
their labels are translated and match SSB table 07459) and district (options the
municipality names). It may add its own (``DimensionKind.CUSTOM``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.core.errors import ActionRefused
from medvirk.organisations.models import Municipality

from .models import Dimension, DimensionKind, PanelSettings

# Age bands (first age, last age or None for "and older"); the first starts at the
# panel's lowest age. SSB 07459 gives one-year ages, so any band can be summed from it.
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (15, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 66),
    (67, 79),
    (80, None),
)

GENDERS: tuple[tuple[str, Promise], ...] = (
    ("female", _("Woman")),
    ("male", _("Man")),
    # SSB counts two sexes; this option has no population figure, so no quota binds it.
    ("other", _("Other, or I would rather not say")),
)
# SSB 07459's "Kjonn" codes for the options above.
SSB_SEX = {"2": "female", "1": "male"}


@dataclass(frozen=True)
class Option:
    key: str
    label: str


def band_key(first: int, last: int | None) -> str:
    return f"{first}+" if last is None else f"{first}-{last}"


def age_bands(min_age: int) -> list[tuple[str, int, int | None]]:
    """(key, first, last) of each band, the first starting at ``min_age``."""
    bands = []
    for first, last in AGE_BANDS:
        if last is not None and last < min_age:
            continue
        first = max(first, min_age)
        bands.append((band_key(first, last), first, last))
    return bands


def band_of_age(age: int, min_age: int) -> str | None:
    for key, first, last in age_bands(min_age):
        if age >= first and (last is None or age <= last):
            return key
    return None


def _band_label(first: int, last: int | None) -> str:
    if last is None:
        return gettext("%(age)d years or older") % {"age": first}
    return gettext("%(first)d–%(last)d years") % {"first": first, "last": last}


def settings_of(municipality: Municipality) -> PanelSettings:
    found, _created = PanelSettings.objects.get_or_create(municipality=municipality)
    return found


def options_of(dimension: Dimension, min_age: int = 15) -> list[Option]:
    """The options in the reader's language: built-ins from the code, others as stored."""
    if dimension.kind == DimensionKind.AGE_BAND:
        return [Option(key, _band_label(first, last)) for key, first, last in age_bands(min_age)]
    if dimension.kind == DimensionKind.GENDER:
        return [Option(key, str(label)) for key, label in GENDERS]
    return [
        Option(str(o["key"]), str(o["label"]))
        for o in dimension.options
        if isinstance(o, dict) and o.get("key")
    ]


DEFAULTS: tuple[tuple[str, str, Promise], ...] = (
    ("alder", DimensionKind.AGE_BAND, _("Age")),
    ("kjonn", DimensionKind.GENDER, _("Gender")),
    ("krins", DimensionKind.DISTRICT, _("Where you live (district)")),
)


def ensure_defaults(municipality: Municipality) -> list[Dimension]:
    """The municipality's dimensions, creating the three built-ins on first use."""
    with transaction.atomic():
        existing = {d.key for d in Dimension.objects.filter(municipality=municipality)}
        for order, (key, kind, name) in enumerate(DEFAULTS):
            if key not in existing:
                Dimension.objects.get_or_create(
                    municipality=municipality,
                    key=key,
                    defaults={"kind": kind, "name": str(name), "order": order},
                )
    return list(Dimension.objects.filter(municipality=municipality))


def name_of(dimension: Dimension) -> str:
    """The question in the reader's language for built-ins (stored in the creator's)."""
    for key, kind, name in DEFAULTS:
        if dimension.key == key and dimension.kind == kind:
            return str(name)
    return dimension.name


def clean_profile(
    dimensions: Sequence[Dimension], raw: Mapping[str, str], min_age: int = 15
) -> dict[str, str]:
    """Only known dimensions and their options; an empty answer is left out (optional)."""
    known = {d.key: d for d in dimensions}
    profile: dict[str, str] = {}
    for key, value in raw.items():
        if key not in known:
            raise ActionRefused(gettext("Unknown profile question."))
        value = (value or "").strip()
        if not value:
            continue
        if value not in {o.key for o in options_of(known[key], min_age)}:
            raise ActionRefused(
                gettext("Choose one of the options for “%(question)s”.")
                % {"question": name_of(known[key])}
            )
        profile[key] = value
    return profile
