"""The participation plan as a tagged, accessible PDF (PDF/UA-1) with WeasyPrint.

The rendering itself is the core's (``medvirk.core.pdf``), shared with the methods' PDF
exports; this module keeps the planner's name for it.
"""

from __future__ import annotations

from medvirk.core.pdf import PDF_VARIANT, render

__all__ = ["PDF_VARIANT", "render"]
