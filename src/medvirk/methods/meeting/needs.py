"""What a person may need to take part in a meeting, as stored in ``Registration.needs``.

``needs`` is a small JSON object: a key for each need the person ticked, ``True`` or the
detail they wrote (the interpreter's language, the diet, anything else). Only the keys
below are ever stored; the counts for planning (how many interpreters, in which languages,
how many need step-free access …) are made from them here, in one place.

Needs can say something about a person's health (a wheelchair, hearing): only staff who
run the case see them, the public never does, and they go with the registration.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from medvirk.core.text import clean_line

INTERPRETER = "interpreter"  # the language, as text
SIGN_LANGUAGE = "sign_language"
STEP_FREE = "step_free"
HEARING_LOOP = "hearing_loop"
CHILDCARE = "childcare"
DIETARY = "dietary"  # the diet or allergy, as text
OTHER = "other"  # anything else, as text

# Ticks, in the order forms and summaries show them.
FLAGS: tuple[str, ...] = (SIGN_LANGUAGE, STEP_FREE, HEARING_LOOP, CHILDCARE)
TEXTS: tuple[str, ...] = (INTERPRETER, DIETARY, OTHER)
KEYS: tuple[str, ...] = (INTERPRETER, *FLAGS, DIETARY, OTHER)

MAX_LANGUAGE = 60
MAX_DIETARY = 200
MAX_OTHER = 500
MAX_LENGTHS = {INTERPRETER: MAX_LANGUAGE, DIETARY: MAX_DIETARY, OTHER: MAX_OTHER}

LABELS: dict[str, Promise] = {
    INTERPRETER: _("Interpreter"),
    SIGN_LANGUAGE: _("Sign language interpreter"),
    STEP_FREE: _("Step-free access"),
    HEARING_LOOP: _("Hearing loop"),
    CHILDCARE: _("Childcare during the meeting"),
    DIETARY: _("Food: allergy or diet"),
    OTHER: _("Something else"),
}


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Only known keys; ticks as ``True``, texts as one clean line cut to their length.
    Empty texts and unticked needs are left out."""
    cleaned: dict[str, Any] = {}
    for key in KEYS:
        value = raw.get(key)
        if key in FLAGS:
            if value is True:
                cleaned[key] = True
            continue
        text = clean_line(str(value or ""))[: MAX_LENGTHS[key]].strip()
        if text:
            cleaned[key] = text
    return cleaned


def describe(needs: Mapping[str, Any]) -> list[str]:
    """Each need in words: "Interpreter: Arabic", "Step-free access"."""
    words = []
    for key in KEYS:
        value = needs.get(key)
        if not value:
            continue
        if key in FLAGS:
            words.append(str(LABELS[key]))
        else:
            words.append(f"{LABELS[key]}: {value}")
    return words


@dataclass
class NeedCount:
    key: str
    label: str
    count: int
    # For interpreters, dietary needs and other needs: what was written, with how many.
    details: list[tuple[str, int]] = field(default_factory=list)


def summary(all_needs: Iterable[Mapping[str, Any]]) -> list[NeedCount]:
    """How many asked for each need, for planning: interpreters per language (as written,
    compared without case), diets, and the other needs as written."""
    counts: Counter[str] = Counter()
    details: dict[str, Counter[str]] = {key: Counter() for key in TEXTS}
    shown: dict[str, dict[str, str]] = {key: {} for key in TEXTS}
    for needs in all_needs:
        for key in KEYS:
            value = needs.get(key)
            if not value:
                continue
            counts[key] += 1
            if key in TEXTS:
                text = str(value)
                folded = text.casefold()
                details[key][folded] += 1
                shown[key].setdefault(folded, text)
    rows = []
    for key in KEYS:
        if not counts[key]:
            continue
        written = sorted(details.get(key, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(
            NeedCount(
                key=key,
                label=str(LABELS[key]),
                count=counts[key],
                details=[(shown[key][folded], n) for folded, n in written] if key in TEXTS else [],
            )
        )
    return rows
