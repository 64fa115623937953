"""The contact-detail detector on real-ish Norwegian input: what it finds, what it leaves."""

from __future__ import annotations

import pytest

from medvirk.algorithms.text.contact import Kind, kinds, scan

EMAIL, PHONE, LINK = Kind.EMAIL, Kind.PHONE, Kind.LINK


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # e-mail addresses, also the ways people hide them
        ("Send meg ein e-post på kari.nordmann@gmail.com så svarer eg.", [EMAIL]),
        ("Kontakt rektor: Rektor.Skule@lillevik.kommune.no", [EMAIL]),
        ("skriv til ola (at) lillevik.no", [EMAIL]),
        ("ola[krøllalfa]example[dot]no", [EMAIL]),
        ("ola krøllalfa example.no", [EMAIL]),
        ("bjørg.åsen＠døme.no", [EMAIL]),  # fullwidth @
        # Norwegian phone numbers, as people write them
        ("Ring meg på 412 34 567 om de lurer på noko.", [PHONE]),
        ("Mobil: 41234567", [PHONE]),
        ("tlf 22 33 44 55 (kveld)", [PHONE]),
        ("Nummeret er 4123 4567.", [PHONE]),
        ("Ring +47 41 23 45 67", [PHONE]),
        ("Ring +4741234567", [PHONE]),
        ("Ring 0047 412 34 567", [PHONE]),
        ("Ring (+47) 41234567", [PHONE]),
        ("tlf.41-23-45-67", [PHONE]),
        ("tlf41234567", [PHONE]),
        ("ring 412\u200b34\u200b567", [PHONE]),  # zero-width spaces
        ("ring ４１２ ３４ ５６７", [PHONE]),  # fullwidth digits
        # links
        ("Sjå https://spam.example.com/billig?x=1 no!", [LINK]),
        ("Les meir på www.lillevik.kommune.no", [LINK]),
        ("Les meir på lillevik.no/skule", [LINK]),
        ("Kjøp billig på CASINO.COM", [LINK]),
        ("gratis-lan.net gir deg pengar", [LINK]),
        ("Kart: foreldra.de/kart", [LINK]),
        ("Sjå bilete på skule.bilete.se", [LINK]),
        # all three, each named once
        (
            "Ring 99 88 77 66 eller skriv til ola@example.no, eller sjå http://x.no og www.y.com",
            [EMAIL, PHONE, LINK],
        ),
    ],
)
def test_it_finds_contact_details(text: str, found: list[Kind]) -> None:
    assert kinds(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Skulen vart bygd i 1965 og renovert 2019-2025.",
        "Frå 2024 2026 skal det byggjast ny fløy.",
        "Kostnaden er kr 41 000 000, eller 12 500 000 kroner for ombygginga.",
        "Budsjettet er 25000000 kr, og 35000000,- for alternativ 2.",
        "Møtet er kl. 20.00-22.00 i gymsalen den 12.03.2024.",
        "Kontonummer 1234 56 78903 og org.nr. 987 654 321.",
        "Saksnummer 2024/1234, journalpost 24/01234.",
        "Vi spurde foreldra.De meinte at skulen.Det er bra, bl.a. og f.eks. ca. 30 elevar.",
        "Sjå vedlegget rapport.pdf og bilete.jpg.",
        "Eg har 3 born på 7 og 9 år, og vi bur i Storgata 12.",
        "Prisen auka 5,5 prosent til 2 345 678,50.",
        "Fødselsnummeret mitt er ***********.",
        "Postnummer 9911 Lillevik.",
        "Kortnummer 1234 5678 9012 3456 er ikkje eit telefonnummer.",
        "Det kostar 12345678 NOK.",
        "Møtet varte 1.5 timar; rom 214.",
        "Skriv til kommunen @ servicetorget.",
        "",
    ],
)
def test_ordinary_norwegian_text_has_none(text: str) -> None:
    assert scan(text) == []


def test_a_country_code_makes_a_phone_number_whatever_it_looks_like() -> None:
    # Eight digits that would read as two years on their own.
    assert kinds("2019 2025") == []
    assert kinds("+47 2019 2025") == [PHONE]


def test_the_domain_of_an_address_is_not_also_a_link() -> None:
    assert [f.kind for f in scan("ola@lillevik.kommune.no")] == [EMAIL]
