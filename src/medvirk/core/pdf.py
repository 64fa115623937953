"""Tagged, accessible PDFs (PDF/UA-1) from HTML with WeasyPrint, for every app.

PDF/UA-1 makes WeasyPrint tag the structure (headings, lists, tables, links) under a
StructTreeRoot, write the document language (``<html lang>``) and title (``<title>``), and
ask readers to show the title, not the file name. Authors and subject come from the
template's ``<meta>`` tags. WeasyPrint needs Pango from the operating system; without it
there is no PDF and the caller offers something else (a print-friendly page, a text file).
"""

from __future__ import annotations

PDF_VARIANT = "pdf/ua-1"


def render(html: str, base_url: str | None = None) -> bytes | None:
    """The PDF of ``html``, or None where WeasyPrint cannot run."""
    try:
        from weasyprint import HTML  # optional: needs pango from the operating system
    except (ImportError, OSError):
        return None
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
