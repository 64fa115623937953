"""Names and titles as people will read them: no hidden characters that change how they show.

A right-to-left override (U+202E) in a name turns the text after it around on every page
that shows the name, so «Kari» can pass for someone else or make a reply look like it came
from the municipality; zero-width characters make two different names look the same.
Every name a person or staff gives is cleaned here before it is stored (issue 15).
Look-alike letters from other scripts (homoglyphs) are not handled here.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from .errors import ActionRefused

# Format (Cf: bidi embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069, the
# marks U+200E/U+200F and U+061C, zero-width space/joiners, word joiner, BOM, soft hyphen,
# tag characters), control (Cc) and lone surrogate (Cs) characters are dropped.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Letters and symbols that render as nothing, used to make a name look empty or alike.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_line(value: str) -> str:
    """One line of text without hidden characters: NFC, whitespace as single spaces, trimmed.

    Line breaks, tabs and other spaces (no-break space, line separator…) become one plain
    space; control, format and invisible characters are removed.
    """
    kept = []
    for char in value:
        if char.isspace():
            kept.append(" ")
        elif char not in _INVISIBLE and unicodedata.category(char) not in _DROPPED_CATEGORIES:
            kept.append(char)
    # NFC after removing: a dropped character between a letter and its accent would
    # otherwise leave the pair decomposed.
    return unicodedata.normalize("NFC", " ".join("".join(kept).split()))


def clean_name(value: str, *, max_length: int = 150, refusal: str | None = None) -> str:
    """A person's name (or a title) cleaned by :func:`clean_line` and cut to ``max_length``.

    An empty name stays empty (names are often optional), but a name that was given and
    has nothing visible left is refused with ``refusal`` (a translated message) rather
    than stored as blank: the person meant to give one.
    """
    cleaned = clean_line(value)[:max_length].strip()
    if not cleaned and value.strip():
        raise ActionRefused(
            refusal
            or _(
                "The name has only invisible or control characters. "
                "Write it with letters or digits."
            )
        )
    return cleaned


def clean_title(value: str, *, max_length: int = 200) -> str:
    """A title staff give (case, phase, method): cleaned like a name, refused if invisible."""
    return clean_name(
        value,
        max_length=max_length,
        refusal=_(
            "The title has only invisible or control characters. Write it with letters or digits."
        ),
    )
