"""A delivered innbyggerforslag for the kommune's archive: a saksmappe of its own and one
inngående journalpost (KS Fiks Arkiv arkivmelding, ``algorithms/archive/arkivmelding``).

The journalpost's main document (hoveddokument) is the proposal as received: title, text,
proposer (shielded unless they chose to show their name), the signing period, the
threshold and the count by kind. Its attachment (vedlegg) is the signature list as CSV:
for an e-ID signature its number, day and how residence was checked (no name: none is
kept); for a paper signature the name and address from the list (not the date of birth,
kept only to find duplicates). Written in the municipality's language.

Offered to staff as a ZIP download (one folder per message, as the høring's export), and
e-mailed to the postmottak address set for the instance when the proposal is delivered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from medvirk.algorithms.archive import arkivmelding as am
from medvirk.algorithms.archive.arkivmelding import XML_NAME
from medvirk.core import pdf
from medvirk.core.csvfiles import csv_lines
from medvirk.identity.models import User

from . import queries
from .models import Initiative, Signature

SYSTEM = "Medvirk"


@dataclass(frozen=True)
class Package:
    folder: str
    xml: bytes
    files: tuple[tuple[str, bytes], ...] = ()


def _language(initiative: Initiative) -> str:
    municipality = initiative.method_instance.process.municipality
    return str(municipality.default_language or settings.LANGUAGE_CODE)


def _responsible(staff: User | None) -> am.Identifiers:
    if staff is not None:
        name = staff.get_full_name() or staff.get_username()
        return am.Identifiers(name, identifier=staff.get_username(), email=staff.email or None)
    return am.Identifiers(SYSTEM)


def reference(initiative: Initiative) -> str:
    return f"innbyggjarforslag-{initiative.pk}"


def case_for(initiative: Initiative, staff: User | None) -> am.Case:
    process = initiative.method_instance.process
    title = _("Citizens' initiative: %(title)s") % {"title": initiative.title}
    return am.Case(
        reference=reference(initiative),
        title=title,
        responsible=_responsible(staff),
        unit=am.Identifiers(process.municipality.name),
        description=_("Under kommuneloven § 12-1, received through Medvirk (%(case)s).")
        % {"case": process.title},
        case_date=timezone.localdate(initiative.delivered_at or initiative.submitted_at),
    )


def _sender(initiative: Initiative) -> am.Sender:
    contribution = initiative.contribution
    name = queries.proposer_name(initiative)
    email = contribution.contact_email or (
        contribution.author.email if contribution.author is not None else ""
    )
    return am.Sender(
        name or _("The proposer (name not given)"),
        email=email or None,
        shielded=not contribution.show_name,
    )


def main_document(initiative: Initiative, row: queries.Row) -> tuple[str, str, bytes]:
    """(file name, MIME type, content): the proposal as a PDF, or text where no PDF can be
    made."""
    context = {
        "initiative": initiative,
        "row": row,
        "process": initiative.method_instance.process,
        "proposer": queries.proposer_name(initiative) if initiative.contribution.show_name else "",
        "counts": queries.counts_by_kind(initiative),
        "lang": translation.get_language() or "nn",
    }
    name = _("Citizens' initiative %(n)d") % {"n": initiative.pk}
    rendered = pdf.render(render_to_string("initiative/pdf_proposal.html", context))
    if rendered is not None:
        return f"{name}.pdf", "application/pdf", rendered
    text = render_to_string("initiative/pdf_proposal.txt", context)
    return f"{name}.txt", "text/plain", text.encode("utf-8")


def signature_rows(initiative: Initiative) -> list[list[object]]:
    """The signature list for the archive: no date of birth, no name for e-ID."""
    rows: list[list[object]] = [
        [
            _("No."),
            _("Signed"),
            _("Kind"),
            _("Where they live, checked by"),
            _("Kommunenummer"),
            _("Name"),
            _("Address"),
        ]
    ]
    for number, signature in enumerate(queries.signatures(initiative), start=1):
        rows.append(
            [
                number,
                timezone.localdate(signature.created_at).isoformat(),
                signature.get_kind_display(),
                signature.get_residence_display(),
                signature.kommunenummer,
                signature.signer_name if signature.kind == Signature.Kind.PAPER else "",
                signature.address if signature.kind == Signature.Kind.PAPER else "",
            ]
        )
    return rows


def _csv(rows: list[list[object]]) -> bytes:
    return "".join(csv_lines(rows)).encode("utf-8")


def packages(
    initiative: Initiative, staff: User | None, *, journal_date: dt.date | None = None
) -> list[Package]:
    """The saksmappe, then the proposal's journalpost with its two files."""
    with translation.override(_language(initiative)):
        row = queries.row_of(initiative)
        case = case_for(initiative, staff)
        main_name, main_type, main = main_document(initiative, row)
        listed = _csv(signature_rows(initiative))
        list_name = _("Signatures %(n)d.csv") % {"n": initiative.pk}
        contents = [
            (main, main_type, main_name, _("The proposal")),
            (listed, "text/csv", list_name, _("The signature list")),
        ]
        files = tuple(
            am.ArchiveFile(
                filename=name,
                mime_type=mime,
                title=title,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
            for content, mime, name, title in contents
        )
        received = initiative.delivered_at or timezone.now()
        entry = am.Submission(
            reference=f"{case.reference}/forslag",
            title=case.title,
            public_title=case.title,  # the title names no person: public as it is
            sender=_sender(initiative),
            received=timezone.localtime(received),
            files=files,
            description=_("%(count)d signatures; %(needed)d needed.")
            % {"count": row.count, "needed": initiative.threshold or 0},
        )
        message = am.build_journalpost(
            case, entry, journal_date=journal_date or timezone.localdate(), system=SYSTEM
        )
        packed = tuple(
            (name, content[0])
            for (name, _file), content in zip(message.files, contents, strict=True)
        )
        return [
            Package("001-saksmappe", am.build_saksmappe(case, system=SYSTEM)),
            Package("002-forslag", message.xml, packed),
        ]


def zip_bytes(initiative: Initiative, staff: User | None) -> bytes:
    """Every message in one ZIP, a folder each (``arkivmelding.xml`` and its files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for package in packages(initiative, staff):
            archive.writestr(f"{package.folder}/{XML_NAME}", package.xml)
            for name, content in package.files:
                archive.writestr(f"{package.folder}/{name}", content)
    return buffer.getvalue()


def zip_name(initiative: Initiative) -> str:
    return f"innbyggjarforslag-{initiative.pk}-arkivmelding.zip"
