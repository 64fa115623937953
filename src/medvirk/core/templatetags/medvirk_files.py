"""Files in words for links: ``{{ document|file_description }}`` → "PDF, 1.2 MB"."""

from __future__ import annotations

from typing import Any

from django import template

from medvirk.core import uploads

register = template.Library()


@register.filter
def file_description(stored: Any) -> str:
    """Kind and size of anything with ``content_type`` and ``size`` (a document, a file)."""
    return uploads.describe(str(getattr(stored, "content_type", "")), int(stored.size or 0))
