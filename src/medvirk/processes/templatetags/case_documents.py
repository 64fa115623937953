"""The published documents of a case, for the public case page (``processes/_documents.html``)."""

from __future__ import annotations

from django import template

from medvirk.processes import documents
from medvirk.processes.models import CaseDocument, Process

register = template.Library()


@register.simple_tag
def published_documents(process: Process) -> list[CaseDocument]:
    """One query, whatever the number of documents."""
    return list(documents.published_documents(process))
