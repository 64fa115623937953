"""Finding and masking Norwegian national identity numbers in free text.

Every number below is synthetic: built from a date and an individual number with the
check digits computed here (see :func:`_with_check_digits`), never a real person's.
"""

from __future__ import annotations

import itertools
import random

import pytest

from medvirk.algorithms.text import fodselsnummer
from medvirk.algorithms.text.fodselsnummer import MASK, Hint, Kind

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check(digits: str, weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if k == 11 else None if k == 10 else k


def _with_check_digits(nine: str) -> str | None:
    """The 11-digit number for the first nine digits, or None when no check digit fits."""
    k1 = _check(nine, W1)
    if k1 is None:
        return None
    k2 = _check(nine + str(k1), W2)
    return None if k2 is None else f"{nine}{k1}{k2}"


FNR = "01019000083"  # 1 January 1990, individual number 000
DNR = "41019000077"  # the same date as a D-number (first digit + 4)
HNR = "01419000066"  # the same date as an H-number (month + 40)
ACCOUNT_LIKE = "12345600181"  # passes both checks; "month 34" is no date


def test_the_fixtures_pass_the_check_digits_and_the_neighbours_do_not() -> None:
    for number in (FNR, DNR, HNR, ACCOUNT_LIKE):
        assert fodselsnummer.is_valid(number)
        assert _with_check_digits(number[:9]) == number
    assert not fodselsnummer.is_valid("01019000084")
    assert not fodselsnummer.is_valid("0101900008")


# --- variants: each must be found, classified and masked over its whole span -----------

ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"
NBSP, NNBSP, THIN, EN_DASH, NB_HYPHEN = "\u00a0", "\u202f", "\u2009", "\u2013", "\u2011"

FNR_VARIANTS = {
    "plain": "01019000083",
    "one space": "010190 00083",
    "two spaces": "010190  00083",
    "6-3-2": "010190 000 83",
    "2-2-2-5": "01 01 90 00083",
    "dotted date": "01.01.90 00083",
    "dotted date, hyphen": "01.01.90-00083",
    "slashed date": "01/01/90 00083",
    "hyphen": "010190-00083",
    "spaced hyphen": "010190 - 00083",
    "en dash": f"010190{EN_DASH}00083",
    "non-breaking hyphen": f"010190{NB_HYPHEN}00083",
    "nbsp": f"010190{NBSP}00083",
    "narrow nbsp": f"010190{NNBSP}00083",
    "thin space": f"01{THIN}01{THIN}90{THIN}00083",
    "tab": "010190\t00083",
    "line break": "010190\n00083",
    "zero-width space between parts": f"010190{ZWSP}00083",
    "zero-width space in every gap": ZWSP.join(FNR),
    "zero-width non-joiner": f"0101{ZWNJ}9000083",
    "zero-width joiner": f"01019{ZWJ}000083",
    "word joiner": f"010190{WJ}00083",
    "byte order mark": f"0101{BOM}900{BOM}0083",
    "soft hyphen": f"010190{SHY}00083",
    "zero-width space and a space": f"010190{ZWSP} 00083",
    "fullwidth digits": "０１０１９０ ０００８３",
    "mathematical bold digits": "𝟎𝟏𝟎𝟏𝟗𝟎𝟎𝟎𝟎𝟖𝟑",
    "arabic-indic digits": "٠١٠١٩٠٠٠٠٨٣",
    "one digit at a time": " ".join(FNR),
    "combining mark": "0\u03011019000083",
    "right-to-left mark": "010190\u200f00083",
    "braille blank": "010190\u2800 00083",
    "hangul filler": "0101\u316490 00083",
}


@pytest.mark.parametrize("written", FNR_VARIANTS.values(), ids=FNR_VARIANTS.keys())
def test_every_variant_is_found_as_a_fodselsnummer(written: str) -> None:
    text = f"Mitt nummer er {written}, ring meg."
    [match] = fodselsnummer.scan(text)
    assert match.digits == FNR
    assert match.kind is Kind.FODSELSNUMMER
    assert match.hint is Hint.NONE
    assert text[match.start : match.end] == written  # the whole span, separators included


@pytest.mark.parametrize("written", FNR_VARIANTS.values(), ids=FNR_VARIANTS.keys())
def test_every_variant_is_masked_whole_in_the_original_text(written: str) -> None:
    masked, count = fodselsnummer.mask(f"Mitt nummer er {written}, ring meg.")
    assert count == 1
    assert masked == f"Mitt nummer er {MASK}, ring meg."
    assert fodselsnummer.scan(masked) == []


@pytest.mark.parametrize(
    ("number", "kind"),
    [(FNR, Kind.FODSELSNUMMER), (DNR, Kind.D_NUMMER), (HNR, Kind.H_NUMMER)],
    ids=["fodselsnummer", "d-nummer", "h-nummer"],
)
@pytest.mark.parametrize(
    "cuts",
    [((0, 11), ""), ((0, 6, 11), " "), ((0, 2, 4, 6, 11), "."), ((0, 6, 9, 11), "  ")],
    ids=["plain", "6+5", "dotted", "6+3+2 with two spaces"],
)
def test_d_and_h_numbers_are_found_in_every_layout(
    number: str, kind: Kind, cuts: tuple[tuple[int, ...], str]
) -> None:
    at, separator = cuts
    written = separator.join(number[a:b] for a, b in itertools.pairwise(at))
    [match] = fodselsnummer.scan(f"Nr. {written}")
    assert (match.digits, match.kind, match.hint) == (number, kind, Hint.NONE)
    assert fodselsnummer.mask(f"Nr. {written}") == (f"Nr. {MASK}", 1)


def test_random_numbers_with_random_separators_are_always_caught() -> None:
    """Whatever the date, individual number and separators, a valid number is masked."""
    rng = random.Random(15)
    gaps = ["", "", " ", "  ", ".", "-", "/", ZWSP, SHY, NBSP, THIN, f" {ZWSP}", ". ", " - "]
    caught = 0
    while caught < 400:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 99)
        day += 40 * (rng.random() < 0.2)
        month += 40 * (rng.random() < 0.1)
        number = _with_check_digits(f"{day:02d}{month:02d}{year:02d}{rng.randint(0, 499):03d}")
        if number is None:
            continue
        written = "".join(d + rng.choice(gaps) for d in number[:-1]) + number[-1]
        masked, count = fodselsnummer.mask(f"Tekst {written} slutt")
        assert (masked, count) == (f"Tekst {MASK} slutt", 1), written
        caught += 1


# --- what is not a national identity number ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ring 12345678901 eller 4000 innbyggjarar",
        "01019000084",  # one check digit off
        "010190000830",  # twelve digits in one run
        "1010190000083",  # thirteen digits in one run
        "0101900008",  # ten digits
        "Møtet er 12.03.2024 kl. 18.00 i rom 204.",
        "Budsjettet var 1 234 567 kroner i 2023 og 2024.",
        "Tlf. 22 33 44 55 eller 987 65 432.",
        "Postnummer 6800, gnr. 12 bnr. 345.",
        "",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert fodselsnummer.scan(text) == []
    assert fodselsnummer.mask(text) == (text, 0)


@pytest.mark.parametrize(
    ("text", "kind", "hint"),
    [
        ("Kontonummer 1234.56.00181", Kind.CHECK_DIGITS_ONLY, Hint.ACCOUNT),
        ("Betal til 1234 56 00181", Kind.CHECK_DIGITS_ONLY, Hint.ACCOUNT),
        ("Betal til konto 0101.90.00083", Kind.FODSELSNUMMER, Hint.ACCOUNT),
        ("Det kostar kr 12 345 600 181", Kind.CHECK_DIGITS_ONLY, Hint.AMOUNT),
        ("Det kostar 12 345 600 181 kroner", Kind.CHECK_DIGITS_ONLY, Hint.AMOUNT),
        ("tlf. 22 33 44 00 011", Kind.CHECK_DIGITS_ONLY, Hint.PHONE),
        ("Ring +47 01019000083", Kind.FODSELSNUMMER, Hint.PHONE),
        ("Referanse 12345600181", Kind.CHECK_DIGITS_ONLY, Hint.NONE),
    ],
)
def test_numbers_that_pass_the_check_but_look_like_something_else_are_still_masked(
    text: str, kind: Kind, hint: Hint
) -> None:
    """They are never published unmasked; the kind and hint tell the moderator why."""
    [match] = fodselsnummer.scan(text)
    assert (match.kind, match.hint) == (kind, hint)
    assert not match.is_identity_number
    masked, count = fodselsnummer.mask(text)
    assert count == 1 and MASK in masked
    assert not any(c.isdigit() for c in masked[masked.index(MASK) :])


def test_a_true_number_is_an_identity_number_even_with_a_date_nearby() -> None:
    [match] = fodselsnummer.scan("Søknad 12.03.2024: fnr 010190 00083")
    assert match.is_identity_number
    assert match.digits == FNR


def test_impossible_dates_are_not_called_identity_numbers() -> None:
    # 31 February, and an individual number 750-899 with a year 40-53 (no century fits).
    for nine in ("310290000", "010145800"):
        number = _with_check_digits(nine) or _with_check_digits(nine[:-1] + "1")
        assert number is not None
        [match] = fodselsnummer.scan(number)
        assert match.kind is Kind.CHECK_DIGITS_ONLY


def test_two_numbers_and_their_spans() -> None:
    text = f"A: {FNR} B: 41.01.90 00077."
    matches = fodselsnummer.scan(text)
    assert [(m.kind, text[m.start : m.end]) for m in matches] == [
        (Kind.FODSELSNUMMER, FNR),
        (Kind.D_NUMMER, "41.01.90 00077"),
    ]
    assert fodselsnummer.find(text) == [(m.start, m.end) for m in matches]
    assert fodselsnummer.mask(text) == (f"A: {MASK} B: {MASK}.", 2)


def test_a_number_next_to_other_digit_groups_is_found() -> None:
    text = f"Tlf 22334455 {FNR} 12"
    [match] = fodselsnummer.scan(text)
    assert match.digits == FNR
    assert fodselsnummer.mask(text)[0] == f"Tlf 22334455 {MASK} 12"


def test_invisible_characters_at_the_edges_stay_outside_the_span() -> None:
    text = f"x{ZWSP}{FNR}{ZWSP}y"
    [match] = fodselsnummer.scan(text)
    assert text[match.start : match.end] == FNR


def test_a_long_text_full_of_digits_is_scanned_and_left_with_nothing_to_find() -> None:
    """A long text of digit groups (how fast is measured in bench/, not here): after
    masking, a second scan finds nothing, and the text around each mask is unchanged."""
    rng = random.Random(1)
    text = " ".join(str(rng.randint(0, 99999)) for _ in range(2000))
    masked, found = fodselsnummer.mask(text)
    assert fodselsnummer.find(masked) == []
    assert found == len(fodselsnummer.scan(text))
    if not found:
        assert masked == text
