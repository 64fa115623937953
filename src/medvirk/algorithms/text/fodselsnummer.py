"""Find and mask what looks like a Norwegian national identity number (fødselsnummer).

An 11-digit run counts when both mod-11 check digits are valid (D-numbers and
H-numbers included, since only the check digits are tested). Spaces or a dot/hyphen
between the date part and the individual number ("010190 12345") are recognised too.
"""

from __future__ import annotations

import re

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# 6 digits, an optional single separator, 5 digits; not part of a longer digit run.
_CANDIDATE = re.compile(r"(?<![\d])(\d{6})[ .\-]?(\d{5})(?![\d])")


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


def is_valid(number: str) -> bool:
    """True when ``number`` is 11 digits with valid check digits."""
    if len(number) != 11 or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    k1 = _check_digit(digits[:9], _W1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _check_digit(digits[:10], _W2)
    return k2 is not None and k2 == digits[10]


def find(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of every valid-looking fødselsnummer in ``text``."""
    return [m.span() for m in _CANDIDATE.finditer(text) if is_valid(m.group(1) + m.group(2))]


def mask(text: str) -> tuple[str, int]:
    """``text`` with each found number replaced by its first six digits and five stars."""
    spans = find(text)
    if not spans:
        return text, 0
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(text[start : start + 6] + "*****")
        last = end
    out.append(text[last:])
    return "".join(out), len(spans)
