"""KS Fiks Arkiv arkivmelding export: every message validates against the official schema.

Schema: ../shared/data/fiks-arkiv/ beside the repository (KS, MIT licence; see
docs/vendored.md), validated with lxml's XMLSchema. The structure tests read the XML with
the standard library and run without lxml or the schema.
"""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from medvirk.algorithms.archive import arkivmelding as am
from medvirk.algorithms.archive.arkivmelding import (
    ArchiveFile,
    Case,
    Identifiers,
    InternalDocument,
    Sender,
    Submission,
    build_internal_journalpost,
)

# The repository's parent holds shared/ (in CI too: a fresh clone sits beside ../shared).
SCHEMA = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "fiks-arkiv"
    / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "vendored.md"
N = {"a": am.NS, "m": am.MDK}
XSI_TYPE = f"{{{am.XSI}}}type"
OSLO = dt.timezone(dt.timedelta(hours=1))

CASE = Case(
    reference="hearing-7",
    title="Høyring: reguleringsplan for Ævre Øyvågen – alternativ B",
    responsible=Identifiers("Åsmund Ødegård", identifier="aso", initials="ÅØ", email="a@k.no"),
    unit=Identifiers("Plan, bygg og oppmåling"),
    case_date=dt.date(2025, 2, 3),
)
KNOWN_CASE = Case(
    reference="hearing-8",
    title="Høring – kommunedelplan",
    responsible=Identifiers("Kari Nordmann"),
    unit=Identifiers("Areal"),
    case_year=2025,
    case_number=1234,
)
PERSON = Submission(
    reference="hearing-7/submission-1",
    title="Høyringsinnspel frå Bjørg Æsøy",
    public_title="Høyringsinnspel frå privatperson",
    sender=Sender("Bjørg Æsøy", email="bjorg@example.no", shielded=True),
    received=dt.datetime(2025, 3, 1, 14, 30, tzinfo=OSLO),
    files=(ArchiveFile("innspel.pdf", "application/pdf", size=1234, sha256="ab" * 32),),
)
ORGANISATION = Submission(
    reference="hearing-7/submission-2",
    title="Høringsinnspill fra Lillevik vel",
    sender=Sender("Lillevik vel", organisation_number="974760673", contact_person="Per Ås"),
    received=dt.datetime(2025, 3, 2, 9, 0, tzinfo=OSLO),
    files=(
        ArchiveFile("Innspel frå velet.pdf", "application/pdf", title="Høringsinnspill"),
        ArchiveFile("kart, sør.png", "image/png"),
        ArchiveFile("kart, sør.png", "image/png"),  # same name twice: kept apart
        ArchiveFile(
            "vedlegg.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ),
)
NO_FILES = Submission(
    reference="hearing-7/submission-3",
    title="Innspel utan vedlegg",
    sender=Sender("Ola Normann"),
    received=dt.datetime(2025, 3, 3, 8, 0),
)
DAY = dt.date(2025, 3, 20)


@cache
def _schema() -> tuple[Any, Any]:
    """(lxml.etree, the compiled schema). lxml is a dev dependency; without the schema
    (shared/ beside the repository) the test skips, except in CI, where it fails."""
    from lxml import etree

    if not SCHEMA.is_file():
        message = f"Fiks Arkiv schema not found at {SCHEMA} (shared/ beside the repo)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return etree, etree.XMLSchema(etree.parse(str(SCHEMA)))


def _assert_valid(xml: bytes) -> None:
    etree, schema = _schema()
    document = etree.fromstring(xml)
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


def _root(xml: bytes) -> ET.Element:
    return ET.fromstring(xml)


@pytest.mark.parametrize(
    "submissions",
    [[], [PERSON], [PERSON, ORGANISATION, NO_FILES]],
    ids=["none", "one", "several"],
)
@pytest.mark.parametrize("case", [CASE, KNOWN_CASE], ids=["new-case", "known-saksnummer"])
def test_every_message_validates(case: Case, submissions: list[Submission]) -> None:
    messages = am.build_export(case, submissions, journal_date=DAY)
    assert len(messages) == 1 + len(submissions)
    for message in messages:
        _assert_valid(message.xml)


def test_a_broken_message_fails_validation() -> None:
    xml = am.build_journalpost(CASE, ORGANISATION, journal_date=DAY).xml
    _assert_valid(xml)
    root = _root(xml)
    post = root.find("a:registrering", N)
    assert post is not None
    kind = post.find("a:journalposttype", N)
    assert kind is not None
    post.remove(kind)  # required by the schema
    broken = ET.tostring(root, encoding="utf-8")
    with pytest.raises(AssertionError):
        _assert_valid(broken)
    wrong_id = xml.replace(
        am.system_id("journalpost", ORGANISATION.reference).encode(), b"not-a-uuid"
    )
    with pytest.raises(AssertionError):
        _assert_valid(wrong_id)


def test_declaration_and_encoding() -> None:
    xml = am.build_journalpost(CASE, PERSON, journal_date=DAY).xml
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<arkivmelding')
    assert "Bjørg Æsøy".encode() in xml  # UTF-8, not character references


def test_saksmappe() -> None:
    root = _root(am.build_saksmappe(KNOWN_CASE, system="Medvirk Lillevik"))
    assert root.findtext("a:system", namespaces=N) == "Medvirk Lillevik"
    assert root.findtext("a:antallFiler", namespaces=N) == "0"
    assert root.find("a:registrering", N) is None
    folder = root.find("a:mappe", N)
    assert folder is not None
    assert folder.get(XSI_TYPE) == "saksmappe"
    assert folder.findtext("a:tittel", namespaces=N) == KNOWN_CASE.title
    assert folder.findtext("a:saksaar", namespaces=N) == "2025"
    assert folder.findtext("a:sakssekvensnummer", namespaces=N) == "1234"
    assert folder.findtext("a:saksansvarlig/m:navn", namespaces=N) == "Kari Nordmann"
    assert folder.findtext("a:administrativEnhet/m:navn", namespaces=N) == "Areal"
    key = folder.find("a:referanseEksternNoekkel", N)
    assert key is not None
    assert key.findtext("m:fagsystem", namespaces=N) == "Medvirk Lillevik"
    assert key.findtext("m:noekkel", namespaces=N) == "hearing-8"
    # A new case has no saksnummer yet: the archive gives it one.
    new = _root(am.build_saksmappe(CASE)).find("a:mappe", N)
    assert new is not None
    assert new.find("a:saksaar", N) is None
    assert new.findtext("a:saksdato", namespaces=N) == "2025-02-03"
    assert new.findtext("a:saksansvarlig/m:initialer", namespaces=N) == "ÅØ"


def test_person_sender_journalpost() -> None:
    message = am.build_journalpost(CASE, PERSON, journal_date=DAY)
    root = _root(message.xml)
    assert root.findtext("a:antallFiler", namespaces=N) == "1"
    post = root.find("a:registrering", N)
    assert post is not None
    assert post.get(XSI_TYPE) == "journalpost"
    assert post.findtext("a:journalposttype/m:kode", namespaces=N) == "I"
    assert post.findtext("a:tittel", namespaces=N) == PERSON.title
    assert post.findtext("a:offentligTittel", namespaces=N) == "Høyringsinnspel frå privatperson"
    assert post.findtext("a:mottattDato", namespaces=N) == "2025-03-01T14:30:00+01:00"
    assert post.findtext("a:dokumentetsDato", namespaces=N) == "2025-03-01"
    assert post.findtext("a:journaldato", namespaces=N) == "2025-03-20"
    assert post.findtext("a:antallVedlegg", namespaces=N) == "0"
    part = post.find("a:korrespondansepart", N)
    assert part is not None
    assert part.findtext("a:korrespondanseparttype/m:kode", namespaces=N) == "EA"
    assert part.findtext("a:korrespondansepartNavn", namespaces=N) == "Bjørg Æsøy"
    assert part.find("a:organisasjonid", N) is None
    assert part.findtext("a:epostadresse", namespaces=N) == "bjorg@example.no"
    assert part.findtext("a:erSkjermet", namespaces=N) == "true"
    assert part.findtext("a:erPersonnavn", namespaces=N) == "true"
    parent = post.find("a:referanseForelderMappe", N)
    assert parent is not None
    assert parent.findtext("m:referanseEksternNoekkel/m:noekkel", namespaces=N) == "hearing-7"
    assert parent.find("m:saksnummer", N) is None
    doc = post.find("a:dokumentbeskrivelse", N)
    assert doc is not None
    assert doc.findtext("a:tilknyttetRegistreringSom/m:kode", namespaces=N) == "H"
    obj = doc.find("a:dokumentobjekt", N)
    assert obj is not None
    assert obj.findtext("a:filstoerrelse", namespaces=N) == "1234"
    assert obj.findtext("a:sjekksumAlgoritme", namespaces=N) == "SHA-256"
    assert message.files == (("01-innspel.pdf", PERSON.files[0]),)


def test_organisation_sender_and_files() -> None:
    message = am.build_journalpost(KNOWN_CASE, ORGANISATION, journal_date=DAY)
    root = _root(message.xml)
    assert root.findtext("a:antallFiler", namespaces=N) == "4"
    post = root.find("a:registrering", N)
    assert post is not None
    part = post.find("a:korrespondansepart", N)
    assert part is not None
    assert part.findtext("a:korrespondansepartNavn", namespaces=N) == "Lillevik vel"
    assert part.findtext("a:organisasjonid", namespaces=N) == "974760673"
    assert part.findtext("a:kontaktperson", namespaces=N) == "Per Ås"
    assert part.findtext("a:erPersonnavn", namespaces=N) == "false"
    assert part.find("a:erSkjermet", N) is None
    assert post.findtext("a:antallVedlegg", namespaces=N) == "3"
    parent = post.find("a:referanseForelderMappe", N)
    assert parent is not None
    assert parent.findtext("m:saksnummer/m:sakssekvensnummer", namespaces=N) == "1234"
    docs = post.findall("a:dokumentbeskrivelse", N)
    roles = [d.findtext("a:tilknyttetRegistreringSom/m:kode", namespaces=N) for d in docs]
    assert roles == ["H", "V", "V", "V"]
    assert [d.findtext("a:dokumentnummer", namespaces=N) for d in docs] == ["1", "2", "3", "4"]
    assert docs[0].findtext("a:tittel", namespaces=N) == "Høringsinnspill"
    names = [d.findtext("a:dokumentobjekt/a:referanseDokumentfil", namespaces=N) for d in docs]
    originals = [d.findtext("a:dokumentobjekt/a:filnavn", namespaces=N) for d in docs]
    assert names == [
        "01-Innspel-fraa-velet.pdf",
        "02-kart-soer.png",
        "03-kart-soer.png",
        "04-vedlegg.docx",
    ]
    assert originals == [f.filename for f in ORGANISATION.files]
    # The caller packs each file under the name the XML gives it.
    assert [name for name, _ in message.files] == names
    assert [file for _, file in message.files] == list(ORGANISATION.files)


def test_ids_are_uuids_stable_and_distinct() -> None:
    first = am.build_export(CASE, [PERSON, ORGANISATION], journal_date=DAY)
    again = am.build_export(CASE, [PERSON, ORGANISATION], journal_date=DAY)
    assert [m.xml for m in first] == [m.xml for m in again]  # a re-export is the same
    ids = [
        node.text
        for message in first
        for node in _root(message.xml).iter()
        if node.tag == f"{{{am.NS}}}systemID"
    ]
    assert len(ids) == 1 + 2 + 2 * (1 + 4)  # mappe, journalposts, documents and objects
    assert len(set(ids)) == len(ids)


def test_control_characters_are_dropped_and_empty_values_refused() -> None:
    noisy = Submission(
        reference="hearing-7/submission-9",
        title="Innspel\x00 med\x0b styreteikn",
        sender=Sender("Ola\x1f Normann"),
        received=dt.datetime(2025, 3, 3, 8, 0),
    )
    xml = am.build_journalpost(CASE, noisy, journal_date=DAY).xml
    post = _root(xml).find("a:registrering", N)
    assert post is not None
    assert post.findtext("a:tittel", namespaces=N) == "Innspel med styreteikn"
    with pytest.raises(ValueError, match="korrespondansepartNavn"):
        am.build_journalpost(
            CASE, Submission("r", "Tittel", Sender(" \x00 "), noisy.received), journal_date=DAY
        )


def test_package_names_are_safe() -> None:
    assert am.package_name("../../etc/passwd", 1) == "01-passwd"
    assert am.package_name("C:\\Users\\Åse\\Høring, svar.pdf", 2) == "02-Hoering-svar.pdf"
    assert am.package_name("…", 3) == "03-dokument"
    assert len(am.package_name("a" * 300 + ".pdf", 4)) <= 103


def test_schema_licence_is_noted() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "Fiks Arkiv" in text
    assert "MIT" in text


REPORT = InternalDocument(
    reference="sak-7/medverknadsrapport/2025-03-20",
    title="Medverknadsrapport: reguleringsplan for Ævre Øyvågen",
    author="Åsmund Ødegård",
    unit="Lillevik kommune",
    created=DAY,
    files=(ArchiveFile("rapport, vår.pdf", "application/pdf", size=10, sha256="cd" * 32),),
)


def test_internal_document_is_a_valid_organinternt_journalpost_in_the_case() -> None:
    message = build_internal_journalpost(KNOWN_CASE, REPORT, journal_date=DAY)
    _assert_valid(message.xml)
    post = _root(message.xml).find("a:registrering", N)
    assert post is not None
    assert post.findtext("a:journalposttype/m:kode", namespaces=N) == "X"
    assert post.findtext("a:forfatter", namespaces=N) == "Åsmund Ødegård"
    assert post.findtext("a:korrespondansepart/a:korrespondanseparttype/m:kode", namespaces=N) == (
        "IA"
    )
    # In the case's folder: by its saksnummer and its external key.
    parent = post.find("a:referanseForelderMappe", N)
    assert parent is not None
    assert parent.findtext("m:saksnummer/m:sakssekvensnummer", namespaces=N) == "1234"
    assert parent.findtext("m:referanseEksternNoekkel/m:noekkel", namespaces=N) == "hearing-8"
    assert post.findtext("a:mottattDato", namespaces=N) is None
    assert [name for name, _file in message.files] == ["01-rapport-vaar.pdf"]
    assert post.findtext(".//a:referanseDokumentfil", namespaces=N) == "01-rapport-vaar.pdf"
    # The same report made again is the same record.
    again = build_internal_journalpost(KNOWN_CASE, REPORT, journal_date=DAY)
    assert again.xml == message.xml
