"""The organisation number check (mod-11 control digit, weights 3,2,7,6,5,4,3,2).

The valid numbers are real, public entries in Enhetsregisteret (Brønnøysundregistrene,
some kommuner and state agencies); the invalid ones differ from them in one place.
"""

from __future__ import annotations

import itertools

import pytest

from medvirk.algorithms.text import orgnr

REAL = {
    "974760673": "Brønnøysundregistrene",
    "958935420": "Oslo kommune",  # remainder 0: control digit 0
    "964338531": "Bergen kommune",
    "942110464": "Trondheim kommune",
    "964965226": "Stavanger kommune",
    "974761076": "Skatteetaten",
    "991825827": "Digitaliseringsdirektoratet",
}


@pytest.mark.parametrize("number", sorted(REAL))
def test_real_numbers_are_valid(number: str) -> None:
    assert orgnr.normalise(number) == number
    assert orgnr.is_valid(number)


@pytest.mark.parametrize(
    "written",
    ["974 760 673", " 974760673 ", "974\u00a0760\u00a0673", "97 47 60 67 3", "974\t760673"],
)
def test_spaces_are_dropped(written: str) -> None:
    assert orgnr.normalise(written) == "974760673"


@pytest.mark.parametrize(
    "value",
    [
        "974760674",  # wrong control digit
        "974760670",
        "964338530",
        "958935421",
        "97476067",  # eight digits
        "9747606733",  # ten digits
        "",
        "   ",
        "974-760-673",  # only spaces are allowed as separators
        "974.760.673",
        "NO974760673MVA",
        "97476067a",
        "９７４７６０６７３",  # fullwidth digits are not ASCII digits
        "٩٧٤٧٦٠٦٧٣",
    ],
)
def test_invalid_numbers_are_refused(value: str) -> None:
    assert orgnr.normalise(value) is None
    assert not orgnr.is_valid(value)


def test_remainder_one_has_no_valid_number() -> None:
    # Find eight digits whose weighted sum leaves remainder 1: no ninth digit makes them valid.
    prefix = next(
        p
        for p in ("".join(t) for t in itertools.product("0123456789", repeat=3))
        if sum(int(d) * w for d, w in zip("97476" + p, orgnr.WEIGHTS, strict=True)) % 11 == 1
    )
    eight = "97476" + prefix
    assert orgnr.control_digit(eight) is None
    assert all(orgnr.normalise(eight + str(d)) is None for d in range(10))


def test_one_digit_changed_is_always_caught() -> None:
    # Mod 11 with these weights catches every single-digit error.
    for number in REAL:
        for position in range(9):
            for digit in "0123456789":
                if digit == number[position]:
                    continue
                changed = number[:position] + digit + number[position + 1 :]
                assert orgnr.normalise(changed) is None, changed
