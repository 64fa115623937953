"""Klarspråk check: LIX readability, long sentences and very long words.

LIX (Björnsson 1968) = words / sentences + 100 × long words / words, where a long word
has 7 or more letters. Björnsson's "sentence" is a *period*: a stretch of text ended by a
full stop, colon, question or exclamation mark. This module follows that, with the
choices below written down so a case officer gets the same count by hand.

Words
  A word is a run of letters and digits (Norwegian æøå, accented and decomposed letters
  included). Hyphens and apostrophes *between* letters join a compound into one word
  ("skole-bruksplan", "e-post"); "barne- og ungdomsråd" is three words. Numbers are words
  ("2025", "3,5", "17.05.2025", "18:00", "12 000"), but only letters count towards a
  word's length, so a number is never a long word. Web and e-mail addresses are one word
  each and never long. Known abbreviations ("f.eks.", "bl.a.", "kl.", "nr.", …) and
  dotted initialisms ("t.o.m.") are one word each.

Sentences
  - ``.``, ``!``, ``?``, ``…`` (a run of them counts once) end a sentence, unless the
    next word starts with a lower-case letter (ordinals "17. mai", unknown
    abbreviations, «Hva nå?» spurte hun) or the mark sits inside a word ("medvirk.no").
  - ``:`` always ends a sentence (as in Björnsson's count), except inside a number
    ("18:00").
  - Abbreviations never end a sentence, except those that often close one ("osv.",
    "m.m.", "mv.", "kr.", …) when a capital letter follows.
  - A blank line (a new paragraph) always ends a sentence. A single line break ends one
    unless the next line starts with a lower-case letter (hard-wrapped text), so
    headings without a full stop and list items are sentences of their own. List
    markers ("-", "*", "•", "1.", "a)") at the start of a line are not words.
  - Quotes and brackets around a sentence end do not change anything.

This is pure Python: no Django, so it can be tested and used anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

LONG_WORD_LETTERS = 7
VERY_LONG_WORD_LETTERS = 15
LONG_SENTENCE_WORDS = 25
OPENING_WORDS = 8


class Band(StrEnum):
    VERY_EASY = "very_easy"
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    VERY_HARD = "very_hard"


@dataclass(frozen=True)
class BandThresholds:
    """The lowest LIX of each band above "very easy"; a LIX on a bound is in the upper band."""

    easy: float = 30
    medium: float = 40
    hard: float = 50
    very_hard: float = 60

    def __post_init__(self) -> None:
        if not self.easy < self.medium < self.hard < self.very_hard:
            raise ValueError("band thresholds must increase: easy < medium < hard < very_hard")


DEFAULT_THRESHOLDS = BandThresholds()


class SentenceSpan(NamedTuple):
    start: int
    end: int
    word_count: int


class WordSpan(NamedTuple):
    start: int
    end: int
    word: str


class FlaggedSentence(NamedTuple):
    opening: str
    word_count: int


class ReasonCode(StrEnum):
    NO_TEXT = "no_text"
    HARD_TO_READ = "hard_to_read"  # band hard or very hard
    LONG_SENTENCES = "long_sentences"  # count: sentences over the limit
    VERY_LONG_WORDS = "very_long_words"  # count: distinct very long words


@dataclass(frozen=True)
class Reason:
    """A finding a page turns into translated text."""

    code: ReasonCode
    count: int = 0


@dataclass(frozen=True)
class Report:
    words: int
    sentences: int
    long_words: int
    lix: float | None  # rounded to one decimal; None when there are no words
    band: Band | None
    long_sentences: tuple[SentenceSpan, ...]
    very_long_words: tuple[WordSpan, ...]
    reasons: tuple[Reason, ...]
    # The first words of each long sentence, aligned with ``long_sentences``.
    long_sentence_openings: tuple[str, ...] = ()
    # The limits the report was made with, so a page can name them.
    long_word_letters: int = LONG_WORD_LETTERS
    very_long_word_letters: int = VERY_LONG_WORD_LETTERS
    long_sentence_words: int = LONG_SENTENCE_WORDS
    thresholds: BandThresholds = field(default=DEFAULT_THRESHOLDS)

    @property
    def flagged_sentences(self) -> tuple[FlaggedSentence, ...]:
        return tuple(
            FlaggedSentence(opening, span.word_count)
            for opening, span in zip(self.long_sentence_openings, self.long_sentences, strict=True)
        )

    @property
    def distinct_very_long_words(self) -> tuple[str, ...]:
        """Each very long word once, in order of first appearance (case-insensitive)."""
        seen: dict[str, str] = {}
        for span in self.very_long_words:
            seen.setdefault(span.word.casefold(), span.word)
        return tuple(seen.values())


def lix(words: int, sentences: int, long_words: int) -> float | None:
    """The LIX formula; None when there is nothing to measure."""
    if words <= 0 or sentences <= 0:
        return None
    return words / sentences + 100 * long_words / words


def band_for(value: float, thresholds: BandThresholds = DEFAULT_THRESHOLDS) -> Band:
    if value < thresholds.easy:
        return Band.VERY_EASY
    if value < thresholds.medium:
        return Band.EASY
    if value < thresholds.hard:
        return Band.MEDIUM
    if value < thresholds.very_hard:
        return Band.HARD
    return Band.VERY_HARD


# --- tokenising -----------------------------------------------------------------------

# A word character: a letter or digit, or a combining accent (decomposed "é").
_AL = r"(?:[^\W_]|[\u0300-\u036f])"
# Joins the parts of one word: hyphens, non-breaking hyphen, apostrophes, soft hyphen.
_JOIN = r"[-\u2010\u2011'\u2019\u00ad]"

# Abbreviations that never end a sentence on their own.
# fmt: off
_ABBR_INSIDE = (
    "f.eks", "bl.a", "jf", "jfr", "kl", "nr", "ca", "dvs", "d.v.s", "ev", "evt", "pga", "p.g.a",
    "iht", "i.h.t", "mht", "m.h.t", "ifm", "vedr", "ang", "inkl", "ekskl", "tlf", "pkt", "kap",
    "ref", "hhv", "ift", "mtp", "st", "dr", "prof", "avd", "adr", "fhv", "ant", "s",
)
# Abbreviations that often close a sentence: they end one when a capital letter follows.
_ABBR_MAY_END = (
    "osv", "m.m", "mv", "m.v", "etc", "o.l", "m.fl", "mfl", "e.l", "o.a", "kr", "mill", "mrd",
    "mnd", "stk", "t.o.m", "f.o.m",
)
# fmt: on
_ABBR_KIND = {a: "inside" for a in _ABBR_INSIDE} | {a: "may_end" for a in _ABBR_MAY_END}
# Longest first so "m.fl" wins over "m".
_ABBR_ALT = "|".join(re.escape(a) for a in sorted(_ABBR_KIND, key=len, reverse=True))

_TOKEN = re.compile(
    rf"""
    (?P<marker>(?:^|(?<=\n))[ \t]*(?:[-*+•–—▪◦‣·]|\d{{1,2}}[.)]|[a-zA-Z]\))(?=[ \t]))
  | (?P<url>(?<![\w@])(?:https?://|www\.)[^\s<>«»"]*[^\s<>«»".,;:!?)\]'’”])
  | (?P<email>(?<![\w.+-])[\w.+-]+@[^\W_][\w-]*(?:\.[\w-]+)+)
  | (?P<abbr>(?<![\w.])(?i:{_ABBR_ALT})\.(?!{_AL}))
  | (?P<initialism>(?<![\w.])(?:[^\W\d_]\.){{2,}}(?!{_AL}))
  | (?P<thousands>(?<![\w.,])\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?![\w])(?![.,:]\d))
  | (?P<word>{_AL}+(?:(?:{_JOIN}|(?<=\d)[.,:](?=\d)){_AL}+)*)
  | (?P<stop>[.!?:…]+)
  | (?P<newline>\n(?:[ \t\u00a0]*\n)*)
    """,
    re.VERBOSE,
)

_WORD_CHAR = re.compile(_AL)
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+•–—▪◦‣·]|\d{1,2}[.)]|[a-zA-Z]\))[ \t]")

# Characters skipped when looking at what follows a sentence mark.
_CLOSERS = "»\"”’')]}"
_OPENERS = "«\"“‘'([{-–—"


class _Token(NamedTuple):
    kind: str  # "word", "stop", "newline"
    start: int
    end: int
    letters: int = 0  # letters that count towards length (0 for numbers and addresses)
    abbr: str = ""  # "", "inside" or "may_end"


def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


def _tokens(text: str) -> Iterator[_Token]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "marker":
            marker = m.group().strip()
            if marker[0].isdigit() and marker.endswith(".") and _next_is_lower(text, end):
                # "12. mars" at the start of a line is a date, not a numbered list.
                digits_start = start + m.group().index(marker)
                yield _Token("word", digits_start, digits_start + len(marker) - 1)
                yield _Token("stop", end - 1, end)
            continue
        if kind in ("url", "email", "thousands"):
            yield _Token("word", start, end)
        elif kind == "abbr":
            yield _Token(
                "word", start, end, _letters(m.group()), _ABBR_KIND[m.group()[:-1].lower()]
            )
        elif kind == "initialism":
            yield _Token("word", start, end, _letters(m.group()), "may_end")
        elif kind == "word":
            yield _Token("word", start, end, _letters(m.group()))
        elif kind is not None:
            yield _Token(kind, start, end)


def _next_char(text: str, pos: int, skip: str) -> str:
    """The first character at or after ``pos`` that is neither whitespace nor in ``skip``."""
    n = len(text)
    while pos < n and (text[pos].isspace() or text[pos] in skip):
        pos += 1
    return text[pos] if pos < n else ""


def _next_is_lower(text: str, pos: int) -> bool:
    return _next_char(text, pos, _OPENERS).islower()


def _stop_ends_sentence(text: str, token: _Token) -> bool:
    mark = text[token.start : token.end]
    if ":" in mark:
        return True
    pos = token.end
    while pos < len(text) and text[pos] in _CLOSERS:
        pos += 1
    if pos < len(text) and _WORD_CHAR.match(text[pos]):
        return False  # inside a word or address: "medvirk.no"
    return not _next_is_lower(text, pos)


def _line_continues(text: str, pos: int) -> bool:
    """After a single line break: does the next line carry on the same sentence?"""
    if _LIST_MARKER.match(text, pos):
        return False
    return _next_char(text, pos, "").islower()


def _closer_end(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _CLOSERS:
        pos += 1
    return pos


# --- analysis -------------------------------------------------------------------------


def _opening(text: str, words: list[_Token], n: int) -> str:
    shown = words[:n]
    opening = " ".join(text[shown[0].start : shown[-1].end].split())
    return opening + " …" if len(words) > n else opening


def analyse(
    text: str,
    *,
    long_word_letters: int = LONG_WORD_LETTERS,
    very_long_word_letters: int = VERY_LONG_WORD_LETTERS,
    long_sentence_words: int = LONG_SENTENCE_WORDS,
    thresholds: BandThresholds = DEFAULT_THRESHOLDS,
    opening_words: int = OPENING_WORDS,
) -> Report:
    """Measure ``text``. Spans are indexes into ``text`` as given."""
    if min(long_word_letters, very_long_word_letters, long_sentence_words, opening_words) < 1:
        raise ValueError("word and sentence limits must be positive")
    # Same length, so spans still point into the original text.
    work = text.replace("\r\n", " \n").replace("\r", "\n")

    sentences: list[list[_Token]] = []
    sentence_ends: list[int] = []
    current: list[_Token] = []

    def close(end: int) -> None:
        if current:
            sentences.append(current.copy())
            sentence_ends.append(end)
            current.clear()

    for token in _tokens(work):
        if token.kind == "word":
            current.append(token)
            if (
                token.abbr == "may_end"
                and _next_char(work, token.end, _CLOSERS + _OPENERS).isupper()
            ):
                close(token.end)
        elif token.kind == "stop":
            if current and _stop_ends_sentence(work, token):
                close(_closer_end(work, token.end))
        elif token.kind == "newline":
            paragraph = work.count("\n", token.start, token.end) > 1
            if paragraph or not _line_continues(work, token.end):
                close(current[-1].end if current else token.start)
    close(current[-1].end if current else len(work))

    all_words = [w for s in sentences for w in s]
    word_count = len(all_words)
    long_words = sum(1 for w in all_words if w.letters >= long_word_letters)
    very_long = tuple(
        WordSpan(w.start, w.end, text[w.start : w.end])
        for w in all_words
        if w.letters >= very_long_word_letters
    )
    long_sentence_items = [
        (SentenceSpan(s[0].start, end, len(s)), _opening(text, s, opening_words))
        for s, end in zip(sentences, sentence_ends, strict=True)
        if len(s) > long_sentence_words
    ]
    raw = lix(word_count, len(sentences), long_words)
    value = None if raw is None else round(raw, 1)
    band = None if value is None else band_for(value, thresholds)

    report = Report(
        words=word_count,
        sentences=len(sentences),
        long_words=long_words,
        lix=value,
        band=band,
        long_sentences=tuple(span for span, _ in long_sentence_items),
        very_long_words=very_long,
        reasons=(),
        long_sentence_openings=tuple(opening for _, opening in long_sentence_items),
        long_word_letters=long_word_letters,
        very_long_word_letters=very_long_word_letters,
        long_sentence_words=long_sentence_words,
        thresholds=thresholds,
    )
    return _with_reasons(report)


def _with_reasons(report: Report) -> Report:
    reasons: list[Reason] = []
    if report.words == 0:
        reasons.append(Reason(ReasonCode.NO_TEXT))
    if report.band in (Band.HARD, Band.VERY_HARD):
        reasons.append(Reason(ReasonCode.HARD_TO_READ))
    if report.long_sentences:
        reasons.append(Reason(ReasonCode.LONG_SENTENCES, len(report.long_sentences)))
    if report.very_long_words:
        reasons.append(Reason(ReasonCode.VERY_LONG_WORDS, len(report.distinct_very_long_words)))
    return replace(report, reasons=tuple(reasons))
