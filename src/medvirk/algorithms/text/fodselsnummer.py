"""Find and mask what looks like a Norwegian national identity number in free text.

Covers the fødselsnummer, the D-nummer (first digit + 4) and the H-nummer (month + 40):
eleven digits whose two mod-11 check digits are valid.

People write these numbers in many ways, and some try to slip them past a filter, so
the text is normalised before it is searched — NFKC (fullwidth and other compatibility
digits become 0-9), every other Unicode decimal digit read as its value, invisible
characters dropped (zero-width space, joiners, word joiner, BOM, soft hyphen, direction
marks and any other format character or combining mark) — and digit groups joined by a
short run of spaces (any Unicode space), dots, hyphens/dashes or slashes are read as one
number: "010190 00083", "01 01 90 00083", "01.01.90-00083", "010190\u200b00083". Every
run of consecutive groups that holds exactly eleven digits is checked, so a number next
to another number ("tlf 22334455 01019000083") is still found. A group is never split: an
11-digit stretch inside a longer unbroken run of digits is not a candidate.

Policy (docs/security.md): *every* eleven digits that pass both check digits are
reported and masked, whatever they look like — a true number always passes, and guessing
"this is surely an amount" must never publish one. What the digits most likely are is
reported alongside (:class:`Kind` from the date part, :class:`Hint` from the layout and
the words around them), so a moderator can tell a national identity number from an
account number, an amount or a phone number that happens to pass the check.

Pure Python: no Django (import-linter keeps it so).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

LENGTH = 11
# What replaces a found number (with its separators) in the text.
MASK = "*" * LENGTH
# At most this many separator characters may join two digit groups ("  ", " - ", ". ").
_MAX_GAP = 3

# Dropped before searching, wherever they are: they are invisible, or only change how the
# neighbouring character is drawn. (Format characters — category Cf — cover U+200B..U+200D,
# U+2060, U+FEFF, U+00AD and the direction marks; the set names the ones the policy lists,
# and the blank letters — Hangul fillers, braille blank — that draw as nothing.)
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\u115f\u1160\u3164\uffa0\u2800"
)
_DROPPED_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cc", "Cs", "Co", "Cn"})
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_SEPARATORS = frozenset(" .-/")

_GROUP = re.compile(r"[0-9]+")


class Kind(StrEnum):
    """What the date part of eleven valid digits says they are."""

    FODSELSNUMMER = "fnr"
    D_NUMMER = "dnr"  # first digit + 4: a foreign national's number
    H_NUMMER = "hnr"  # month + 40: an auxiliary number (health services)
    CHECK_DIGITS_ONLY = "other"  # passes both checks, but holds no valid date


class Hint(StrEnum):
    """What the layout or the words around the digits suggest instead."""

    NONE = ""
    ACCOUNT = "account"  # "konto …", or grouped 4.2.5 like a bank account number
    PHONE = "phone"  # "tlf …", "+47 …", or grouped like a phone number
    AMOUNT = "amount"  # "kr …", "… kroner", or grouped in thousands (12 345 678 901)


@dataclass(frozen=True)
class Match:
    start: int  # span in the original text: first digit to last digit, separators included
    end: int
    digits: str  # the eleven digits as 0-9
    kind: Kind
    hint: Hint

    @property
    def is_identity_number(self) -> bool:
        """Looks like a national identity number, and nothing around it says otherwise."""
        return self.kind is not Kind.CHECK_DIGITS_ONLY and self.hint is Hint.NONE


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


def is_valid(number: str) -> bool:
    """True when ``number`` is 11 digits with valid check digits."""
    if len(number) != LENGTH or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    k1 = _check_digit(digits[:9], _W1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _check_digit(digits[:10], _W2)
    return k2 is not None and k2 == digits[10]


def _century(year: int, individual: int) -> int | None:
    """The birth year's century from the individual number (Skatteetaten's table)."""
    if individual <= 499:
        return 1900
    if individual <= 749 and year >= 54:
        return 1800
    if year <= 39:
        return 2000
    if individual >= 900:
        return 1900
    return None


def kind_of(number: str) -> Kind:
    """What an 11-digit number with valid check digits is, judged by its date part."""
    day, month, year = int(number[0:2]), int(number[2:4]), int(number[4:6])
    kind = Kind.FODSELSNUMMER
    if day > 40:
        day, kind = day - 40, Kind.D_NUMMER
    if month > 40:
        if kind is Kind.D_NUMMER:
            return Kind.CHECK_DIGITS_ONLY
        month, kind = month - 40, Kind.H_NUMMER
    century = _century(year, int(number[6:9]))
    if century is None:
        return Kind.CHECK_DIGITS_ONLY
    try:
        dt.date(century + year, month, day)
    except ValueError:
        return Kind.CHECK_DIGITS_ONLY
    return kind


def birth_date(number: str) -> dt.date | None:
    """The date of birth in a valid fødselsnummer or D-nummer, or None.

    Also reads Skatteetaten's synthetic test numbers (month + 80), which the test e-ID
    uses; an H-nummer (month + 40) or a number without a valid date gives None.
    """
    if not is_valid(number):
        return None
    day, month, year = int(number[0:2]), int(number[2:4]), int(number[4:6])
    if day > 40:
        day -= 40
    if month > 80:
        month -= 80
    century = _century(year, int(number[6:9]))
    if century is None or month > 12:
        return None
    try:
        return dt.date(century + year, month, day)
    except ValueError:
        return None


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` as searched, and for each of its characters the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii() and not char.isspace() and char.isprintable():
            out.append(char)  # the common case, kept cheap
            origin.append(index)
            continue
        if char in _INVISIBLE:
            continue
        for part in unicodedata.normalize("NFKC", char):
            if part.isspace():
                part = " "
            elif unicodedata.category(part) in _DROPPED_CATEGORIES or part in _INVISIBLE:
                continue
            elif part in _DASHES:
                part = "-"
            else:
                value = unicodedata.decimal(part, None)
                if value is not None:
                    part = str(value)
            out.append(part)
            origin.append(index)
    return "".join(out), origin


_ACCOUNT_WORDS = ("konto", "bankkonto", "kontonr", "kontonummer", "account", "iban", "bank")
_PHONE_WORDS = ("tlf", "tel", "telefon", "mob", "mobil", "ring", "phone", "sms", "faks", "fax")
_AMOUNT_WORDS = ("kr", "nok", "kroner", "kronar", "beløp", "belop", "sum", "eur", "usd")
# The last word before the number, with only punctuation (and a country code) between.
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s.:;,=(\-]*(?:(?:\+|00)47[\s.\-]*)?$")
_WORD_AFTER = re.compile(r"^\s*(,-|[^\W\d_]+)")


def _word_family(word: str) -> Hint:
    word = word.casefold()
    for words, hint in (
        (_ACCOUNT_WORDS, Hint.ACCOUNT),
        (_PHONE_WORDS, Hint.PHONE),
        (_AMOUNT_WORDS, Hint.AMOUNT),
    ):
        if any(word == w or (len(w) > 3 and word.startswith(w)) for w in words):
            return hint
    return Hint.NONE


def _hint(normal: str, start: int, end: int, lengths: list[int]) -> Hint:
    before = _WORD_BEFORE.search(normal[max(0, start - 40) : start])
    if before is not None:
        found = _word_family(before.group(1))
        if found is not Hint.NONE:
            return found
    after = _WORD_AFTER.match(normal[end : end + 20])
    if after is not None and (
        after.group(1) == ",-" or _word_family(after.group(1)) is Hint.AMOUNT
    ):
        return Hint.AMOUNT
    if start > 0 and normal[start - 1] == "+":
        return Hint.PHONE
    if lengths == [4, 2, 5]:
        return Hint.ACCOUNT
    if lengths == [2, 3, 3, 3]:
        return Hint.AMOUNT
    if lengths[:4] == [2, 2, 2, 2] or lengths[:3] == [3, 2, 3]:
        return Hint.PHONE
    return Hint.NONE


def _chains(normal: str) -> list[list[re.Match[str]]]:
    """Digit groups, in runs where each is joined to the next by a short separator."""
    chains: list[list[re.Match[str]]] = []
    previous: re.Match[str] | None = None
    for group in _GROUP.finditer(normal):
        gap = normal[previous.end() : group.start()] if previous is not None else None
        if gap is not None and len(gap) <= _MAX_GAP and set(gap) <= _SEPARATORS:
            chains[-1].append(group)
        else:
            chains.append([group])
        previous = group
    return chains


def scan(text: str) -> list[Match]:
    """Every stretch of ``text`` that holds eleven digits with valid check digits."""
    if text.isascii() and sum(c.isdigit() for c in text) < LENGTH:
        return []  # too few digits to hold a number (other scripts take the full path)
    normal, origin = _normalise(text)
    found: list[Match] = []
    for chain in _chains(normal):
        for first in range(len(chain)):
            lengths: list[int] = []
            for last in range(first, len(chain)):
                lengths.append(len(chain[last].group()))
                if sum(lengths) >= LENGTH:
                    break
            if sum(lengths) != LENGTH:
                continue
            groups = chain[first : first + len(lengths)]
            digits = "".join(g.group() for g in groups)
            if not is_valid(digits):
                continue
            start, end = groups[0].start(), groups[-1].end()
            found.append(
                Match(
                    start=origin[start],
                    end=origin[end - 1] + 1,
                    digits=digits,
                    kind=kind_of(digits),
                    hint=_hint(normal, start, end, lengths),
                )
            )
    return found


def _merged(matches: list[Match]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in sorted(matches, key=lambda m: m.start):
        if spans and m.start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], m.end))
        else:
            spans.append((m.start, m.end))
    return spans


def find(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of ``text`` to mask: every match, overlapping ones merged."""
    return _merged(scan(text))


def mask_matches(text: str, matches: list[Match]) -> str:
    """``text`` with each match's whole span (separators included) replaced by :data:`MASK`."""
    out: list[str] = []
    last = 0
    for start, end in _merged(matches):
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def mask(text: str) -> tuple[str, int]:
    """``text`` with every found number masked, and how many numbers were found."""
    matches = scan(text)
    if not matches:
        return text, 0
    return mask_matches(text, matches), len(matches)
