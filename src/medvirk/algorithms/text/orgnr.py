"""Check a Norwegian organisation number (organisasjonsnummer, Enhetsregisteret).

Nine digits; the last is a mod-11 control digit over the first eight with the weights
3, 2, 7, 6, 5, 4, 3, 2: the control digit is 11 minus the remainder of the weighted sum
divided by 11, where remainder 0 gives 0 and remainder 1 gives no valid number (such
numbers are never issued). People write the number in groups ("974 760 673"), so spaces
are allowed and dropped; anything else (letters, dots, dashes, "MVA") is refused rather
than guessed at.

Pure Python: no Django (import-linter keeps it so).
"""

from __future__ import annotations

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
LENGTH = 9


def control_digit(first_eight: str) -> int | None:
    """The control digit for eight digits, or None when none exists (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise(value: str) -> str | None:
    """The nine digits of a valid organisation number, or None when ``value`` is not one.

    Spaces (including non-breaking and thin spaces, as pasted from web pages) are
    dropped; the rest must be exactly nine ASCII digits with a matching control digit.
    """
    digits = "".join(ch for ch in value if not ch.isspace())
    if len(digits) != LENGTH or not (digits.isascii() and digits.isdigit()):
        return None
    expected = control_digit(digits[:8])
    if expected is None or expected != int(digits[8]):
        return None
    return digits


def is_valid(value: str) -> bool:
    """Whether ``value`` is a valid organisation number (spaces allowed)."""
    return normalise(value) is not None
