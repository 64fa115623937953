"""The method catalogue: every participation method of the seed decks, as versioned data.

The data lives in ``methods-v<N>.json`` beside this module (nb, nn and en texts per entry).
:func:`load` reads and validates it; :func:`problems` lists everything wrong with raw data,
so tests and a broken edit both get a precise message. Pure Python: no Django import.

Which Medvirk method runs an entry is not in the data: each method plug-in claims its
entries (``MethodPlugin.catalogue_entries``), and the caller passes those claims in as
:data:`Links` (``planning/library.py`` reads them from the registry).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from medvirk.vocabulary import PHASE_KINDS, RUNGS

LANGUAGES = ("nb", "nn", "en")
FALLBACK_LANGUAGE = "nb"
PHASES = PHASE_KINDS  # the order of a case, from the product's vocabulary
GROUPS = (
    "children",
    "youth",
    "elderly",
    "disabled",
    "minority_language",
    "day_workers",
    "silent_affected",
)
EFFORTS = ("low", "medium", "high")
FORMATS = ("physical", "digital", "hybrid")
TRAITS = frozenset(
    {
        "inform",
        "formal",
        "hearing",
        "representative",
        "quantitative",
        "standing",
        "deliberative",
        "place",
        "workshop",
        "visioning",
        "online",
        "outreach",
        "child_friendly",
        "map",
        "agenda",
        "resident_initiated",
        "listening",
        "body",
        "delegated",
        "budget",
        "vote",
        "referendum",
        "popup",
        "consensus",
        "co_creation",
        "council",
        "anonymous",
        "school",
        "kindergarten",
        "questions",
        "service",
    }
)
METHOD_TEXT_FIELDS = ("name", "summary", "guide", "register")
PITFALL_TEXT_FIELDS = ("name", "description", "mitigation")
LEGAL_TEXT_FIELDS = ("title", "what")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,48}$")
# "5-1", "12-10", "11-14", "3" (offentleglova § 3), "104" (Grunnloven § 104), "5-2a"
SECTION_RE = re.compile(r"^\d{1,3}(-\d{1,2})?[a-z]?$")
DEFAULT_PATH = Path(__file__).with_name("methods-v1.json")

# (catalogue key, method key) pairs: which registered method runs which entry. A tuple, so
# :func:`default` can cache one catalogue per set of claims.
Links = tuple[tuple[str, str], ...]


class CatalogueError(ValueError):
    def __init__(self, found: Sequence[str]) -> None:
        super().__init__("; ".join(found))
        self.problems = list(found)


def language(code: str | None) -> str:
    """The catalogue language for a Django language code (``nb``, ``nn``, ``en-gb`` …)."""
    base = (code or "").split("-")[0].lower()
    if base == "no":
        return "nb"
    return base if base in LANGUAGES else FALLBACK_LANGUAGE


@dataclass(frozen=True)
class LegalRef:
    act: str
    section: str

    def label(self, acts: Mapping[str, Mapping[str, str]], lang: str) -> str:
        return f"{acts[self.act][language(lang)]} § {self.section}"


@dataclass(frozen=True)
class Entry:
    """A keyed thing with a label per language (purpose, partner, group, question)."""

    key: str
    text: Mapping[str, str]

    def label(self, lang: str) -> str:
        return self.text[language(lang)]


@dataclass(frozen=True)
class Pitfall:
    key: str
    text: Mapping[str, Mapping[str, str]]

    def texts(self, lang: str) -> Mapping[str, str]:
        return self.text[language(lang)]


@dataclass(frozen=True)
class LegalItem:
    key: str
    refs: tuple[LegalRef, ...]
    text: Mapping[str, Mapping[str, str]]

    def texts(self, lang: str) -> Mapping[str, str]:
        return self.text[language(lang)]


@dataclass(frozen=True)
class Method:
    key: str
    rung: int
    phases: tuple[str, ...]
    reaches_well: frozenset[str]
    reaches_badly: frozenset[str]
    effort: str
    weeks: int
    format: str
    legal: tuple[LegalRef, ...]
    # The method plug-in that runs this entry (from the links), None: a planned activity.
    medvirk_method: str | None
    traits: frozenset[str]
    text: Mapping[str, Mapping[str, str]]

    def texts(self, lang: str) -> Mapping[str, str]:
        return self.text[language(lang)]

    def name(self, lang: str) -> str:
        return self.texts(lang)["name"]


@dataclass(frozen=True)
class Catalogue:
    version: str
    acts: Mapping[str, Mapping[str, str]]
    purposes: tuple[Entry, ...]
    partners: tuple[Entry, ...]
    groups: tuple[Entry, ...]
    reflection: tuple[Entry, ...]
    pitfalls: tuple[Pitfall, ...]
    legal: tuple[LegalItem, ...]
    methods: tuple[Method, ...]

    def method(self, key: str) -> Method:
        for method in self.methods:
            if method.key == key:
                return method
        raise KeyError(key)

    def pitfall(self, key: str) -> Pitfall:
        return next(p for p in self.pitfalls if p.key == key)

    def legal_item(self, key: str) -> LegalItem:
        return next(item for item in self.legal if item.key == key)

    def ref_label(self, ref: LegalRef, lang: str) -> str:
        return ref.label(self.acts, lang)

    def entry_label(self, kind: str, key: str, lang: str) -> str:
        entries: tuple[Entry, ...] = getattr(self, kind)
        return next(e for e in entries if e.key == key).label(lang)


# --- validation ----------------------------------------------------------------------------


def _check_langs(where: str, text: Any, fields: Sequence[str] | None, found: list[str]) -> None:
    if not isinstance(text, Mapping):
        found.append(f"{where}: text must be an object with {', '.join(LANGUAGES)}")
        return
    for lang in LANGUAGES:
        value = text.get(lang)
        if fields is None:
            if not isinstance(value, str) or not value.strip():
                found.append(f"{where}: missing {lang} text")
            continue
        if not isinstance(value, Mapping):
            found.append(f"{where}: missing {lang} texts")
            continue
        for name in fields:
            field_value = value.get(name)
            if not isinstance(field_value, str) or not field_value.strip():
                found.append(f"{where}: missing {lang} {name}")
    extra = set(text) - set(LANGUAGES)
    if extra:
        found.append(f"{where}: unknown languages {sorted(extra)}")


def _check_refs(where: str, refs: Any, acts: Mapping[str, Any], found: list[str]) -> None:
    if not isinstance(refs, list):
        found.append(f"{where}: legal references must be a list")
        return
    for ref in refs:
        if not isinstance(ref, Mapping) or set(ref) != {"act", "section"}:
            found.append(f"{where}: a legal reference has exactly 'act' and 'section'")
            continue
        if ref["act"] not in acts:
            found.append(f"{where}: unknown act {ref['act']!r}")
        if not isinstance(ref["section"], str) or not SECTION_RE.match(ref["section"]):
            found.append(f"{where}: section {ref['section']!r} is not like '5-1' or '12-10'")


def _check_keys(where: str, items: Any, found: list[str]) -> list[Mapping[str, Any]]:
    if not isinstance(items, list) or not items:
        found.append(f"{where}: must be a non-empty list")
        return []
    keys = [item.get("key") if isinstance(item, Mapping) else None for item in items]
    for key in keys:
        if not isinstance(key, str) or not KEY_RE.match(key):
            found.append(f"{where}: bad key {key!r}")
    duplicates = sorted({k for k in keys if isinstance(k, str) and keys.count(k) > 1})
    if duplicates:
        found.append(f"{where}: duplicate keys {duplicates}")
    return [item for item in items if isinstance(item, Mapping)]


def problems(raw: Any) -> list[str]:
    """Everything wrong with raw catalogue data (empty list = valid)."""
    found: list[str] = []
    if not isinstance(raw, Mapping):
        return ["the catalogue must be a JSON object"]
    if not isinstance(raw.get("version"), str) or not raw["version"]:
        found.append("version must be a non-empty string")
    if list(raw.get("languages", [])) != list(LANGUAGES):
        found.append(f"languages must be {list(LANGUAGES)}")
    acts = raw.get("acts")
    if not isinstance(acts, Mapping) or not acts:
        found.append("acts must name the laws referred to")
        acts = {}
    for act, names in acts.items():
        _check_langs(f"act {act}", names, None, found)
    for kind in ("purposes", "partners", "groups", "reflection"):
        for item in _check_keys(kind, raw.get(kind), found):
            _check_langs(f"{kind} {item.get('key')}", item.get("text"), None, found)
    group_keys = [g.get("key") for g in raw.get("groups", []) if isinstance(g, Mapping)]
    if group_keys != list(GROUPS):
        found.append(f"groups must be {list(GROUPS)} in that order")
    for item in _check_keys("pitfalls", raw.get("pitfalls"), found):
        _check_langs(f"pitfall {item.get('key')}", item.get("text"), PITFALL_TEXT_FIELDS, found)
    for item in _check_keys("legal", raw.get("legal"), found):
        where = f"legal {item.get('key')}"
        # An empty list is allowed: an item can point at a group of acts rather than one
        # section (special_laws: check the sector's own acts).
        _check_refs(where, item.get("refs"), acts, found)
        _check_langs(where, item.get("text"), LEGAL_TEXT_FIELDS, found)
    for item in _check_keys("methods", raw.get("methods"), found):
        where = f"method {item.get('key')}"
        if item.get("rung") not in RUNGS:
            found.append(f"{where}: rung must be one of {list(RUNGS)}")
        phases = item.get("phases")
        if not isinstance(phases, list) or not phases or not set(phases) <= set(PHASES):
            found.append(f"{where}: phases must be a non-empty subset of {list(PHASES)}")
        for name in ("reaches_well", "reaches_badly"):
            value = item.get(name)
            if not isinstance(value, list) or not set(value) <= set(GROUPS):
                found.append(f"{where}: {name} must list groups from {list(GROUPS)}")
        if set(item.get("reaches_well") or []) & set(item.get("reaches_badly") or []):
            found.append(f"{where}: a group cannot be reached both well and badly")
        if item.get("effort") not in EFFORTS:
            found.append(f"{where}: effort must be one of {list(EFFORTS)}")
        weeks = item.get("weeks")
        if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 104:
            found.append(f"{where}: weeks must be a whole number from 1 to 104")
        if item.get("format") not in FORMATS:
            found.append(f"{where}: format must be one of {list(FORMATS)}")
        _check_refs(where, item.get("legal"), acts, found)
        if "medvirk_method" in item:
            found.append(
                f"{where}: medvirk_method is no longer read; the method plug-in claims the "
                "entry with catalogue_entries"
            )
        traits = item.get("traits")
        if not isinstance(traits, list) or not set(traits) <= TRAITS:
            found.append(f"{where}: unknown traits {sorted(set(traits or []) - TRAITS)}")
        _check_langs(where, item.get("text"), METHOD_TEXT_FIELDS, found)
    return found


def link_problems(keys: Iterable[str], links: Links) -> list[str]:
    """Everything wrong with the methods' claims on the catalogue entries ``keys``."""
    known = set(keys)
    found: list[str] = []
    claimed: dict[str, str] = {}
    for entry, method in links:
        if entry not in known:
            found.append(
                f"method {method!r} claims catalogue entry {entry!r}, which the catalogue "
                "does not have (see catalogue_entries in its plugin.py)"
            )
        elif entry in claimed and claimed[entry] != method:
            found.append(
                f"catalogue entry {entry!r} is claimed by both {claimed[entry]!r} and "
                f"{method!r}; one method runs an entry"
            )
        claimed.setdefault(entry, method)
    return found


def _refs(raw: Sequence[Mapping[str, str]]) -> tuple[LegalRef, ...]:
    return tuple(LegalRef(r["act"], r["section"]) for r in raw)


def parse(raw: Mapping[str, Any], links: Links) -> Catalogue:
    """The catalogue, each entry's ``medvirk_method`` filled from ``links``."""
    found = problems(raw) or link_problems((m["key"] for m in raw["methods"]), links)
    if found:
        raise CatalogueError(found)
    runs = dict(links)

    def entries(kind: str) -> tuple[Entry, ...]:
        return tuple(Entry(e["key"], e["text"]) for e in raw[kind])

    return Catalogue(
        version=raw["version"],
        acts=raw["acts"],
        purposes=entries("purposes"),
        partners=entries("partners"),
        groups=entries("groups"),
        reflection=entries("reflection"),
        pitfalls=tuple(Pitfall(p["key"], p["text"]) for p in raw["pitfalls"]),
        legal=tuple(LegalItem(i["key"], _refs(i["refs"]), i["text"]) for i in raw["legal"]),
        methods=tuple(
            Method(
                key=m["key"],
                rung=m["rung"],
                phases=tuple(p for p in PHASES if p in m["phases"]),
                reaches_well=frozenset(m["reaches_well"]),
                reaches_badly=frozenset(m["reaches_badly"]),
                effort=m["effort"],
                weeks=m["weeks"],
                format=m["format"],
                legal=_refs(m["legal"]),
                medvirk_method=runs.get(m["key"]),
                traits=frozenset(m["traits"]),
                text=m["text"],
            )
            for m in raw["methods"]
        ),
    )


def load(links: Links, path: Path | None = None) -> Catalogue:
    with (path or DEFAULT_PATH).open(encoding="utf-8") as handle:
        return parse(json.load(handle), links)


@cache
def default(links: Links) -> Catalogue:
    """The catalogue shipped with Medvirk (read once per process and set of links)."""
    return load(links)
