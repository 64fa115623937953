"""The council report for the kommune's archive: KS Fiks Arkiv arkivmeldinger in a ZIP.

Two messages: the case's saksmappe (the same external key as the høring's export,
``sak-<id>``, so both land in one folder of the archive) and an organinternt journalpost
(type X) whose main document is the report's PDF. The journalpost's key holds the day the
report was made: a report made again the same day is the same record to the archive, a
report made later is a new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _

from medvirk.accountability.archive import SYSTEM, case_folder, responsible
from medvirk.algorithms.archive import arkivmelding as am
from medvirk.algorithms.archive.arkivmelding import XML_NAME
from medvirk.identity.models import User
from medvirk.processes.models import Process

from . import document


def zip_bytes(process: Process, staff: User | None, pdf: bytes, *, generated: dt.date) -> bytes:
    """The saksmappe and the report's journalpost, a folder each, in one ZIP."""
    with translation.override(document.language_of(process)):
        case = case_folder(process, staff)
        title = _("Participation report: %(title)s") % {"title": process.title}
        name = document.filename(process, generated)
        report = am.InternalDocument(
            reference=f"{case.reference}/medverknadsrapport/{generated.isoformat()}",
            title=title,
            public_title=title,  # names no person
            author=responsible(staff).name,
            unit=process.municipality.name,
            created=generated,
            files=(
                am.ArchiveFile(
                    filename=name,
                    mime_type="application/pdf",
                    title=title,
                    size=len(pdf),
                    sha256=hashlib.sha256(pdf).hexdigest(),
                ),
            ),
            description=_("Who took part, what they said and how the municipality answered."),
        )
        post = am.build_internal_journalpost(case, report, journal_date=generated, system=SYSTEM)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"001-saksmappe/{XML_NAME}", am.build_saksmappe(case, system=SYSTEM))
        archive.writestr(f"002-rapport/{XML_NAME}", post.xml)
        for package_name, _file in post.files:
            archive.writestr(f"002-rapport/{package_name}", pdf)
    return buffer.getvalue()
