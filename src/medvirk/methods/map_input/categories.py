"""What can be marked: the categories (a key, a label, the shapes it takes, a colour).

An instance takes a preset — for children (Barnetråkk: the way to school, places I like,
places I avoid, dangerous crossings, where I play) or for adults — or its own list, one
category a line::

    key; label; shapes; colour
    skuleveg; Skulevegen min; line; #0b5394
    leik; Her leikar eg; point+polygon

The shapes are ``point``, ``line`` and ``polygon`` (also ``punkt``, ``linje``/``rute``,
``område``/``flate``), joined with ``+`` when a category takes more than one. The colour is
optional (``#rrggbb``; it must stand out 3:1 against a white map, as WCAG 1.4.11 asks of
graphics). A preset's labels are translated; a list's labels are the municipality's words.

A mark stores its category's key, never the label, so a label can be reworded later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.geo import LINE, POINT, POLYGON

MAX_CATEGORIES = 12
MAX_LABEL = 80
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 3.0

CHILDREN, ADULTS = "children", "adults"

# Dark enough for 3:1 against white and against each other's light tints; a marker also
# carries its category's number, so colour is never the only difference (WCAG 1.4.1).
PALETTE = ("#0b5394", "#1e6b30", "#8a4b00", "#b3261e", "#6a1b9a", "#00616b", "#5c4033", "#3b3b98")

KIND_LABELS: dict[str, Promise] = {
    POINT: _("a place"),
    LINE: _("a route"),
    POLYGON: _("an area"),
}
KIND_WORDS = {
    "point": POINT,
    "punkt": POINT,
    "stad": POINT,
    "sted": POINT,
    "line": LINE,
    "linje": LINE,
    "rute": LINE,
    "route": LINE,
    "polygon": POLYGON,
    "area": POLYGON,
    "område": POLYGON,
    "omrade": POLYGON,
    "flate": POLYGON,
}


@dataclass(frozen=True)
class Category:
    key: str
    label: str | Promise
    kinds: tuple[str, ...]
    colour: str
    number: int  # 1-based: the symbol on its markers and in the legend

    def modes(self) -> list[Mode]:
        return [Mode(self, kind) for kind in self.kinds]


@dataclass(frozen=True)
class Mode:
    """One thing to do on the map: a category and one shape it takes ("where I play: an
    area"). Its ``value`` is what the forms post: ``key:kind``."""

    category: Category
    kind: str

    @property
    def value(self) -> str:
        return f"{self.category.key}:{self.kind}"

    @property
    def label(self) -> str:
        if len(self.category.kinds) == 1:
            return str(self.category.label)
        return f"{self.category.label} – {KIND_LABELS[self.kind]}"


PRESETS: dict[str, tuple[tuple[str, Promise, tuple[str, ...]], ...]] = {
    CHILDREN: (
        ("way_to_school", _("My way to school"), (LINE,)),
        ("like", _("A place I like"), (POINT,)),
        ("avoid", _("A place I avoid"), (POINT,)),
        ("dangerous_crossing", _("A dangerous crossing"), (POINT,)),
        ("play", _("Where I play"), (POINT, POLYGON)),
    ),
    ADULTS: (
        ("good_place", _("A good place"), (POINT, POLYGON)),
        ("improve", _("Something that should be better"), (POINT, POLYGON)),
        ("unsafe", _("A place that feels unsafe"), (POINT,)),
        ("route", _("A route I use"), (LINE,)),
        ("idea", _("An idea for this place"), (POINT,)),
    ),
}
PRESET_CHOICES = (
    (CHILDREN, _("For children and young people (Barnetråkk)")),
    (ADULTS, _("For adults")),
)


def preset(name: str) -> list[Category]:
    return [
        Category(key, label, kinds, PALETTE[i % len(PALETTE)], i + 1)
        for i, (key, label, kinds) in enumerate(PRESETS.get(name, PRESETS[CHILDREN]))
    ]


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


class CategoryLineError(ValueError):
    """A line of the staff's category list is wrong: ``line`` (1-based) and ``problem``."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


def parse_lines(text: str) -> list[Category]:
    """The categories in staff's list; :class:`CategoryLineError` names the first bad line.
    ``problem`` is one of: ``fields``, ``key``, ``duplicate``, ``label``, ``kinds``,
    ``colour``, ``contrast``, ``too_many``."""
    found: list[Category] = []
    keys: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split(";")]
        if len(parts) not in (3, 4):
            raise CategoryLineError(number, "fields")
        key, label, kinds_text = parts[0], " ".join(parts[1].split()), parts[2]
        colour = parts[3] if len(parts) == 4 and parts[3] else PALETTE[len(found) % len(PALETTE)]
        if not KEY_RE.match(key):
            raise CategoryLineError(number, "key")
        if key in keys:
            raise CategoryLineError(number, "duplicate")
        if not label or len(label) > MAX_LABEL:
            raise CategoryLineError(number, "label")
        kinds = _kinds(kinds_text)
        if not kinds:
            raise CategoryLineError(number, "kinds")
        if not COLOUR_RE.match(colour):
            raise CategoryLineError(number, "colour")
        if contrast_with_white(colour.lower()) < MIN_CONTRAST:
            raise CategoryLineError(number, "contrast")
        keys.add(key)
        found.append(Category(key, label, kinds, colour.lower(), len(found) + 1))
        if len(found) > MAX_CATEGORIES:
            raise CategoryLineError(number, "too_many")
    return found


def _kinds(text: str) -> tuple[str, ...]:
    words = [w.strip().casefold() for w in re.split(r"[+,/ ]+", text) if w.strip()]
    kinds = [KIND_WORDS.get(w) for w in words]
    if not words or None in kinds:
        return ()
    ordered = [k for k in (POINT, LINE, POLYGON) if k in kinds]
    return tuple(ordered)


def to_lines(categories: Sequence[Category]) -> str:
    """The canonical text of a list (what the settings store)."""
    return "\n".join(f"{c.key}; {c.label}; {'+'.join(c.kinds)}; {c.colour}" for c in categories)
