"""Find contact details in free text: e-mail addresses, Norwegian phone numbers and links.

Residents sometimes publish their own (or a named neighbour's) phone number or e-mail
address, and spam arrives as links. What is found here does not get masked: the
contribution is held for a moderator, who reads it and decides (see
``medvirk.contributions.screening``). So the detector leans towards finding: a held input
costs a moderator a click, a published phone number cannot be taken back. It still avoids
what Norwegian input is full of — years ("2019–2025"), amounts ("kr 12 500 000"), times
("20.00-22.00"), dates, organisation and account numbers, file names and abbreviations.

The text is normalised first (NFKC: fullwidth "＠" and digits become ASCII; invisible
characters dropped), and simple hiding of e-mail addresses is undone ("ola (at) example.no",
"ola[krøllalfa]example[dot]no").

Pure Python: no Django (import-linter keeps it so).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    LINK = "link"


@dataclass(frozen=True)
class Found:
    kind: Kind
    text: str  # as found in the normalised text


# -- normalising -----------------------------------------------------------------------------

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f")
_DROPPED = frozenset({"Cf", "Mn", "Me", "Cc", "Cs", "Co", "Cn"})
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def normalise(text: str) -> str:
    """``text`` as searched: compatibility forms folded, invisible characters dropped, every
    space one plain space and every dash a hyphen."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isspace():
            out.append(" ")
        elif char in _INVISIBLE or unicodedata.category(char) in _DROPPED:
            continue
        elif char in _DASHES:
            out.append("-")
        else:
            out.append(char)
    return "".join(out)


# "(at)", "[at]", "{krøllalfa}", " krøllalfa " → "@"; "(dot)", "[punktum]" → "."
_HIDDEN_AT = re.compile(
    r"\s*[(\[{]\s*(?:at|krøllalfa|alfakrøll)\s*[)\]}]\s*|\s+(?:krøllalfa|alfakrøll)\s+",
    re.IGNORECASE,
)
_HIDDEN_DOT = re.compile(r"\s*[(\[{]\s*(?:dot|punkt|punktum)\s*[)\]}]\s*", re.IGNORECASE)


# -- e-mail ----------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]*\w ?@ ?[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,24}(?![\w-])", re.IGNORECASE
)


# -- links -----------------------------------------------------------------------------------

_SCHEME = re.compile(r"(?<![\w])(?:https?|ftp)://[^\s<>\"]+", re.IGNORECASE)
_WWW = re.compile(r"(?<![\w.-])www\d?\.[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Top-level domains common in spam and in Norwegian input. Short ones that are also words
# ("de", "se", "me", "nu", "it", "in", "to" …) count only with a path or a subdomain, so a
# missing space after a full stop ("foreldra.de meinte") is not a link.
_TLDS = (
    "no|com|net|org|info|biz|io|eu|dk|fi|uk|nl|fr|es|pl|ru|cn|co|ly|tv|ai|app|dev|xyz|"
    "online|shop|site|store|club|top|link|click|live|pro|gov|edu|mobi|name|today|news|"
    "blog|website|space|fun|icu|cc|ws|su"
)
_WORD_TLDS = "de|se|me|nu|it|in|to|be|is|at|as|us|ch|am|fm"
# A domain's labels in any case; its top level in lower or upper case only (a capital
# after a missing space, "skulen.No", is a new sentence, not a domain).
_TLDS = f"{_TLDS}|{_TLDS.upper()}"
_WORD_TLDS = f"{_WORD_TLDS}|{_WORD_TLDS.upper()}"
_LABEL = r"(?i:[a-z0-9æøå](?:[a-z0-9æøå-]{0,61}[a-z0-9æøå])?)"
_BARE = re.compile(
    rf"(?<![\w@.+-])(?:{_LABEL}\.)+(?:{_TLDS})(?![\w-])(?:[/:?#][^\s<>\"]*)?"
    rf"|(?<![\w@.+-]){_LABEL}\.(?:{_WORD_TLDS})/[^\s<>\"]*"
    rf"|(?<![\w@.+-])(?:{_LABEL}\.){{2,}}(?:{_WORD_TLDS})(?![\w-])(?:[/:?#][^\s<>\"]*)?"
)


# -- Norwegian phone numbers -----------------------------------------------------------------

# Eight digits starting with 2–9, written straight or grouped as people write them:
# 41234567, 412 34 567, 41 23 45 67, 4123 4567 (separators: space, dot, hyphen), with or
# without +47 / 0047 / (+47). Not glued to other digits ("1234 5678 9012" is no phone).
_SEP = r"[ .-]"
_PHONE = re.compile(
    r"(?<![\d+])(?<!\d[ .-])"
    r"(?P<prefix>(?:\+ ?|00)47 ?[ .-]? ?|\(\+?47\) ?)?"
    r"(?P<number>[2-9]\d{7}"
    rf"|[2-9]\d\d{_SEP}\d\d{_SEP}\d\d\d"
    rf"|[2-9]\d{_SEP}\d\d{_SEP}\d\d{_SEP}\d\d"
    rf"|[2-9]\d\d\d{_SEP}\d\d\d\d)"
    r"(?![\w])(?![ .-]\d)"
)
_AMOUNT_AFTER = re.compile(
    r"^\s*(?:,-|,\d|kr\b|kroner|kronar|nok\b|eur\b|usd\b|mill|mrd|prosent|%)", re.IGNORECASE
)
_AMOUNT_BEFORE = re.compile(
    r"(?:\bkr|\bnok|\bkroner|\bkronar|\bsum|\bbeløp)[.:]?\s*$", re.IGNORECASE
)
_TIME_RANGE = re.compile(r"^([01]\d|2[0-3])\.([0-5]\d)-([01]\d|2[0-3])\.([0-5]\d)$")


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2099


def _looks_like_phone(text: str, match: re.Match[str]) -> bool:
    if match.group("prefix"):
        return True  # a country code says it is a phone number, whatever the rest looks like
    number = match.group("number")
    digits = re.sub(r"\D", "", number)
    if _is_year(digits[:4]) and _is_year(digits[4:]):
        return False  # "2019-2025", "2024 2025"
    if _TIME_RANGE.match(number):
        return False  # "20.00-22.00"
    before, after = text[: match.start()], text[match.end() :]
    return not (_AMOUNT_AFTER.match(after) or _AMOUNT_BEFORE.search(before))


# -- scanning --------------------------------------------------------------------------------


def scan(text: str) -> list[Found]:
    """Every e-mail address, phone number and link in ``text``, in that order of kind."""
    if not text:
        return []
    normal = normalise(text)
    unhidden = _HIDDEN_DOT.sub(".", _HIDDEN_AT.sub("@", normal))
    found: list[Found] = []
    for match in _EMAIL.finditer(unhidden):
        found.append(Found(Kind.EMAIL, match.group()))
    # Links and phone numbers are searched with the e-mail addresses blanked out, so the
    # domain of an address is not also a link and digits in it are not a phone number.
    rest = _EMAIL.sub(lambda m: " " * len(m.group()), unhidden)
    for match in _PHONE.finditer(rest):
        if _looks_like_phone(rest, match):
            found.append(Found(Kind.PHONE, match.group()))
    links: list[tuple[int, int]] = []
    for pattern in (_SCHEME, _WWW, _BARE):
        for match in pattern.finditer(rest):
            if any(start <= match.start() < end for start, end in links):
                continue  # the same link, already found by a stricter pattern
            links.append((match.start(), match.end()))
            found.append(Found(Kind.LINK, match.group()))
    return found


def kinds(text: str) -> list[Kind]:
    """The kinds of contact detail in ``text``, each once, in the order of :class:`Kind`."""
    present = {f.kind for f in scan(text)}
    return [kind for kind in Kind if kind in present]
