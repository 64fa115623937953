"""Build KS Fiks Arkiv arkivmelding messages (no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett).

A høring's submissions go to the kommune's sak/arkiv system as one saksmappe for the case
and one journalpost (type "I", inngående) per submission; a document the kommune wrote
itself (a case's council report) goes as an organinternt journalpost (type "X"); each with
its files as dokumentbeskrivelse/dokumentobjekt. The schema (``shared/data/fiks-arkiv``)
lets one message create at most one mappe and one registrering, so an export is a list of
messages: first the saksmappe, then one message per submission whose journalpost points to
the saksmappe through its external key (``referanseForelderMappe`` →
``referanseEksternNoekkel``, plus the saksnummer when the case already has one). Each
message travels as its own package: ``arkivmelding.xml`` with the files it names in
``referanseDokumentfil`` beside it (``ArkivMessage.files`` says which bytes go under which
name).

System ids are UUIDs derived (uuid5) from the caller's stable references, so exporting
the same høring twice gives the same ids and external keys, and the archive can tell a
repeat from a new record.

Codes chosen where the schema leaves a choice (Noark 5 code lists):
journalposttype I (Inngående dokument) for what residents sent and X (Organinternt dokument
uten oppfølging) for a report the administration wrote; korrespondanseparttype EA (Avsender)
and IA (Intern avsender);
tilknyttetRegistreringSom H (Hoveddokument) for a submission's first file and V
(Vedlegg) for the rest; dokumentstatus F (Dokumentet er ferdigstilt); variantformat P
(Produksjonsformat: files are sent as received, the archive converts to arkivformat).
journalstatus, saksstatus, arkivdel and klassifikasjon are left to the archive's rules.

Pure Python: the standard library's ElementTree only (no Django, no lxml).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

NS = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MESSAGE_TYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett"
XML_NAME = "arkivmelding.xml"

# Without it ElementTree would write the metadata catalogue's namespace as "ns1".
ET.register_namespace("n5mdk", MDK)

# Characters XML 1.0 does not allow (C0 controls but tab/newline/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_ID_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, "urn:medvirk:fiks-arkiv")

JOURNALPOSTTYPE = ("I", "Inngående dokument")
INTERNAL = ("X", "Organinternt dokument uten oppfølging")
AVSENDER = ("EA", "Avsender")
INTERN_AVSENDER = ("IA", "Intern avsender")
HOVEDDOKUMENT = ("H", "Hoveddokument")
VEDLEGG = ("V", "Vedlegg")
FERDIGSTILT = ("F", "Dokumentet er ferdigstilt")
PRODUKSJONSFORMAT = ("P", "Produksjonsformat")


@dataclass(frozen=True)
class Identifiers:
    """A person or unit on the archive side (``saksansvarlig``, ``administrativEnhet``)."""

    name: str
    identifier: str | None = None  # e.g. the user name in the kommune's directory
    initials: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Case:
    """The saksmappe: the case the høring belongs to."""

    reference: str  # stable key in Medvirk, e.g. "hearing-12"; the external key
    title: str
    responsible: Identifiers  # saksansvarlig
    unit: Identifiers  # administrativEnhet
    public_title: str | None = None  # offentligTittel, when the title names people
    description: str | None = None
    case_date: dt.date | None = None  # saksdato
    case_year: int | None = None  # saksaar, when the archive already has the case
    case_number: int | None = None  # sakssekvensnummer


@dataclass(frozen=True)
class Sender:
    """Who sent a submission: a person, or an organisation (with its number)."""

    name: str  # the person's name, or the organisation's name
    organisation_number: str | None = None  # nine digits; its presence marks an organisation
    contact_person: str | None = None  # for an organisation: the person who wrote
    email: str | None = None
    shielded: bool = False  # erSkjermet: the name is not to appear in the public journal


@dataclass(frozen=True)
class ArchiveFile:
    """One file of a submission, as it is stored; the bytes travel beside the XML."""

    filename: str  # the original name, shown to the archivist (``filnavn``)
    mime_type: str
    title: str | None = None  # dokumentbeskrivelse tittel; defaults to the file name
    size: int | None = None
    sha256: str | None = None  # hex digest


@dataclass(frozen=True)
class Submission:
    """One høringsinnspel: becomes one journalpost. The first file is the main document."""

    reference: str  # stable key in Medvirk, e.g. "hearing-12/submission-5"
    title: str
    sender: Sender
    received: dt.datetime  # mottattDato; its date is also dokumentetsDato
    files: Sequence[ArchiveFile] = field(default_factory=tuple)
    public_title: str | None = None  # offentligTittel, e.g. without the sender's name
    description: str | None = None


@dataclass(frozen=True)
class InternalDocument:
    """A document the kommune wrote (a case's council report): an organinternt journalpost
    from ``unit``, written by ``author``. The first file is the main document."""

    reference: str  # stable key in Medvirk, e.g. "case-12/council-report"
    title: str
    author: str  # forfatter: the person or unit that wrote it
    unit: str  # the internal sender (the unit responsible for the case)
    created: dt.date  # dokumentetsDato
    files: Sequence[ArchiveFile] = field(default_factory=tuple)
    public_title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ArkivMessage:
    """One arkivmelding: its XML and the files to pack beside it, by name in the package."""

    xml: bytes
    files: tuple[tuple[str, ArchiveFile], ...]


def system_id(*parts: str) -> str:
    """A stable UUID for an archive object from the references that name it."""
    return str(uuid.uuid5(_ID_ROOT, "\x1f".join(parts)))


def build_saksmappe(case: Case, *, system: str = "Medvirk") -> bytes:
    """The arkivmelding that creates the saksmappe for ``case``."""
    root = _root(system, file_count=0)
    mappe = _sub(root, "mappe", **{f"{{{XSI}}}type": "saksmappe"})
    _text(mappe, "systemID", system_id("saksmappe", case.reference))
    _text(mappe, "tittel", case.title)
    if case.public_title:
        _text(mappe, "offentligTittel", case.public_title)
    if case.description:
        _text(mappe, "beskrivelse", case.description)
    _external_key(mappe, system, case.reference)
    if case.case_year is not None and case.case_number is not None:
        _text(mappe, "saksaar", str(case.case_year))
        _text(mappe, "sakssekvensnummer", str(case.case_number))
    if case.case_date is not None:
        _text(mappe, "saksdato", case.case_date.isoformat())
    _identifiers(mappe, "administrativEnhet", case.unit)
    _identifiers(mappe, "saksansvarlig", case.responsible)
    return _serialise(root)


def build_journalpost(
    case: Case,
    submission: Submission,
    *,
    journal_date: dt.date,
    system: str = "Medvirk",
) -> ArkivMessage:
    """The arkivmelding that files ``submission`` as an inngående journalpost in the case."""
    root, post, names = _journalpost(case, submission, system)
    _sender(post, submission.sender)
    _external_key(post, system, submission.reference)
    _code(post, "journalposttype", JOURNALPOSTTYPE)
    _text(post, "journaldato", journal_date.isoformat())
    _text(post, "dokumentetsDato", submission.received.date().isoformat())
    _text(post, "mottattDato", submission.received.isoformat())
    return _message(root, post, names, submission.files)


def build_internal_journalpost(
    case: Case,
    document: InternalDocument,
    *,
    journal_date: dt.date,
    system: str = "Medvirk",
) -> ArkivMessage:
    """The arkivmelding that files ``document`` in the case as an organinternt journalpost."""
    root, post, names = _journalpost(case, document, system)
    _text(post, "forfatter", document.author)
    part = _sub(post, "korrespondansepart")
    _code(part, "korrespondanseparttype", INTERN_AVSENDER)
    _text(part, "korrespondansepartNavn", document.unit)
    _text(part, "erPersonnavn", "false")
    _external_key(post, system, document.reference)
    _code(post, "journalposttype", INTERNAL)
    _text(post, "journaldato", journal_date.isoformat())
    _text(post, "dokumentetsDato", document.created.isoformat())
    return _message(root, post, names, document.files)


def _journalpost(
    case: Case, record: Submission | InternalDocument, system: str
) -> tuple[ET.Element, ET.Element, list[str]]:
    """The parts every journalpost starts with, in the schema's order: its id, the case it
    belongs to, its documents, its titles and description."""
    names = _package_names(record.files)
    root = _root(system, file_count=len(names))
    post = _sub(root, "registrering", **{f"{{{XSI}}}type": "journalpost"})
    _text(post, "systemID", system_id("journalpost", record.reference))
    _parent(post, case, system)
    for index, (file, name) in enumerate(zip(record.files, names, strict=True), start=1):
        _document(post, record.reference, index, file, name)
    _text(post, "tittel", record.title)
    if record.public_title:
        _text(post, "offentligTittel", record.public_title)
    if record.description:
        _text(post, "beskrivelse", record.description)
    return root, post, names


def _message(
    root: ET.Element, post: ET.Element, names: list[str], files: Sequence[ArchiveFile]
) -> ArkivMessage:
    _text(post, "antallVedlegg", str(max(len(names) - 1, 0)))
    return ArkivMessage(xml=_serialise(root), files=tuple(zip(names, files, strict=True)))


def build_export(
    case: Case,
    submissions: Sequence[Submission],
    *,
    journal_date: dt.date,
    system: str = "Medvirk",
) -> list[ArkivMessage]:
    """Every message for a høring: the saksmappe first, then one per submission, in order."""
    folder = ArkivMessage(xml=build_saksmappe(case, system=system), files=())
    posts = [
        build_journalpost(case, submission, journal_date=journal_date, system=system)
        for submission in submissions
    ]
    return [folder, *posts]


def package_name(filename: str, number: int) -> str:
    """A safe ASCII name for a file inside a message: "01-hoeringsinnspel.pdf".

    The schema says ``referanseDokumentfil`` should avoid commas and æøå; the number
    keeps two files with the same original name apart.
    """
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    for letter, ascii_form in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        base = base.replace(letter, ascii_form).replace(letter.upper(), ascii_form.upper())
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.") or "dokument"
    return f"{number:02d}-{base[:100]}"


def _parent(post: ET.Element, case: Case, system: str) -> None:
    # The saksmappe by its external key, and by its saksnummer when the archive gave one.
    parent = _sub(post, "referanseForelderMappe")
    if case.case_year is not None and case.case_number is not None:
        number = _sub(parent, "saksnummer", ns=MDK)
        _text(number, "saksaar", str(case.case_year), ns=MDK)
        _text(number, "sakssekvensnummer", str(case.case_number), ns=MDK)
    _external_key(parent, system, case.reference, ns=MDK)


def _package_names(files: Sequence[ArchiveFile]) -> list[str]:
    return [package_name(file.filename, number) for number, file in enumerate(files, start=1)]


def _root(system: str, *, file_count: int) -> ET.Element:
    root = ET.Element(f"{{{NS}}}arkivmelding")
    _text(root, "system", system)
    _text(root, "antallFiler", str(file_count))
    return root


def _document(post: ET.Element, reference: str, number: int, file: ArchiveFile, name: str) -> None:
    doc = _sub(post, "dokumentbeskrivelse")
    _text(doc, "systemID", system_id("dokumentbeskrivelse", reference, str(number)))
    _code(doc, "dokumentstatus", FERDIGSTILT)
    _text(doc, "tittel", file.title or file.filename)
    _code(doc, "tilknyttetRegistreringSom", HOVEDDOKUMENT if number == 1 else VEDLEGG)
    _text(doc, "dokumentnummer", str(number))
    obj = _sub(doc, "dokumentobjekt")
    _text(obj, "systemID", system_id("dokumentobjekt", reference, str(number)))
    _text(obj, "versjonsnummer", "1")
    _code(obj, "variantformat", PRODUKSJONSFORMAT)
    _text(obj, "mimeType", file.mime_type)
    _text(obj, "filnavn", file.filename)
    _text(obj, "referanseDokumentfil", name)
    if file.sha256:
        _text(obj, "sjekksum", file.sha256)
        _text(obj, "sjekksumAlgoritme", "SHA-256")
    if file.size is not None:
        _text(obj, "filstoerrelse", str(file.size))


def _sender(post: ET.Element, sender: Sender) -> None:
    part = _sub(post, "korrespondansepart")
    _code(part, "korrespondanseparttype", AVSENDER)
    _text(part, "korrespondansepartNavn", sender.name)
    if sender.organisation_number:
        _text(part, "organisasjonid", sender.organisation_number)
    if sender.email:
        _text(part, "epostadresse", sender.email)
    if sender.contact_person:
        _text(part, "kontaktperson", sender.contact_person)
    if sender.shielded:
        _text(part, "erSkjermet", "true")
    _text(part, "erPersonnavn", "false" if sender.organisation_number else "true")


def _identifiers(parent: ET.Element, tag: str, who: Identifiers) -> None:
    node = _sub(parent, tag)
    _text(node, "navn", who.name, ns=MDK)
    if who.identifier:
        _text(node, "identifikator", who.identifier, ns=MDK)
    if who.initials:
        _text(node, "initialer", who.initials, ns=MDK)
    if who.email:
        _text(node, "epostadresse", who.email, ns=MDK)


def _external_key(parent: ET.Element, system: str, key: str, *, ns: str = NS) -> None:
    node = _sub(parent, "referanseEksternNoekkel", ns=ns)
    _text(node, "fagsystem", system, ns=MDK)
    _text(node, "noekkel", key, ns=MDK)


def _code(parent: ET.Element, tag: str, code: tuple[str, str]) -> None:
    # A Noark code: the element in this schema, its value and label in the catalogue's.
    node = _sub(parent, tag)
    _text(node, "kode", code[0], ns=MDK)
    _text(node, "beskrivelse", code[1], ns=MDK)


def _sub(parent: ET.Element, tag: str, *, ns: str = NS, **attrib: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{ns}}}{tag}", attrib)


def _text(parent: ET.Element, tag: str, value: str, *, ns: str = NS) -> ET.Element:
    # Text people typed may hold control characters XML 1.0 cannot carry: drop them,
    # and refuse an empty value (every text element written here has minLength 1).
    clean = _NOT_XML.sub("", value).strip()
    if not clean:
        raise ValueError(f"arkivmelding: <{tag}> needs a value")
    node = _sub(parent, tag, ns=ns)
    node.text = clean
    return node


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", default_namespace=NS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
