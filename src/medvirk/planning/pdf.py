"""The participation plan as a tagged, accessible PDF (PDF/UA-1) with WeasyPrint.

PDF/UA-1 makes WeasyPrint tag the structure (headings, lists, tables, links) under a
StructTreeRoot, write the document language (``<html lang>``) and title (``<title>``), and
ask readers to show the title, not the file name. Authors and subject come from the
template's ``<meta>`` tags. WeasyPrint needs Pango from the operating system; without it
there is no PDF and the caller offers the print-friendly page.
"""

from __future__ import annotations

PDF_VARIANT = "pdf/ua-1"


def render(html: str, base_url: str) -> bytes | None:
    """The PDF of ``html``, or None where WeasyPrint cannot run."""
    try:
        from weasyprint import HTML  # optional: needs pango from the operating system
    except (ImportError, OSError):
        return None
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
