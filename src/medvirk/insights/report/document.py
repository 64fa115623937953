"""The council report as HTML and as a tagged PDF (PDF/UA-1), in the municipality's language.

A council report is a document of the municipality, so it is written in the municipality's
målform (``Municipality.default_language``) whatever the language of the staff member who
asks for it. WeasyPrint needs Pango from the operating system; without it ``pdf`` returns
None and the staff page offers the print version instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from medvirk.core import pdf as core_pdf
from medvirk.processes.models import Process

from . import content


@dataclass(frozen=True)
class Rendered:
    html: str
    language: str
    report: content.CouncilReport


def language_of(process: Process) -> str:
    return str(process.municipality.default_language or settings.LANGUAGE_CODE)


def render_html(process: Process, *, today: dt.date | None = None) -> Rendered:
    lang = language_of(process)
    with translation.override(lang):
        report = content.build(process, today=today)
        html = render_to_string(
            "insights/report/council_report.html", {"report": report, "process": process}
        )
    return Rendered(html=html, language=lang, report=report)


def pdf(process: Process, *, today: dt.date | None = None) -> bytes | None:
    return core_pdf.render(render_html(process, today=today).html)


def filename(process: Process, generated: dt.date, extension: str = "pdf") -> str:
    return f"medverknadsrapport-{process.slug}-{generated.isoformat()}.{extension}"
