"""Downloads of a case's statements from councils and committees.

- ``uttaler-pdf`` (staff): every body asked, its statement in full with the meeting and
  agenda item where it was adopted, and the municipality's answer — the attachment to the
  saksframlegg, so the statements follow the case to whoever decides (kommuneloven § 5-12).
- ``alle-uttaler-csv`` (staff): the same as rows, with the moderation state.
- ``uttaler-csv`` (public, open data): published statements of published bodies. A
  statement is the body's, not a person's: it names no one but the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from medvirk.core import pdf
from medvirk.core.csvfiles import csv_download
from medvirk.core.uploads import content_disposition
from medvirk.processes.types import MethodInstance

from . import queries
from .models import Statement


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _where(statement: Statement) -> list[str]:
    meeting = queries.meeting_label(statement.meeting) if statement.meeting else ""
    item = statement.agenda_item
    return [meeting, f"{item.case_reference} {item.title}".strip() if item else ""]


def _answer(statement: Statement) -> list[str]:
    response = queries.response_of(statement)
    if response is None:
        return ["", ""]
    return [str(response.get_status_display()), response.reason]


def _rows(instance: MethodInstance, *, public: bool) -> Iterator[list[Any]]:
    head = [
        _("Body"),
        _("Adopted on"),
        _("Meeting"),
        _("Agenda item"),
        _("Late"),
        pgettext("uttale", "Statement"),
        _("Answer"),
        _("Reason given"),
    ]
    yield head if public else [*head, _("Input number"), _("Moderation")]
    for s in queries.statements_for_export(instance, public=public):
        row: list[Any] = [
            s.request.body.name,
            s.adopted_on.isoformat(),
            *_where(s),
            _yes(s.is_late),
            s.contribution.text,
            *_answer(s),
        ]
        if not public:
            row += [s.contribution.pk, s.contribution.get_moderation_display()]
        yield row


def _filename(instance: MethodInstance, suffix: str) -> str:
    return f"{instance.process.slug}-{instance.slug}-{suffix}"


def public_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    return csv_download(_rows(instance, public=True), _filename(instance, "uttaler.csv"))


def staff_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    return csv_download(
        _rows(instance, public=False), _filename(instance, "alle-uttaler.csv"), private=True
    )


def bundle_html(instance: MethodInstance, *, lang: str) -> str:
    return render_to_string(
        "bodies/pdf_statements.html",
        {
            "instance": instance,
            "process": instance.process,
            "rows": queries.asked(instance, public=False),
            "made_at": timezone.localtime(),
            "lang": lang,
        },
    )


def statements_pdf(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """One tagged PDF for the decision papers; the print page where WeasyPrint cannot run."""
    html = bundle_html(instance, lang=request.LANGUAGE_CODE or "nn")
    rendered = pdf.render(html, base_url=request.build_absolute_uri("/"))
    if rendered is None:
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
    else:
        response = HttpResponse(rendered, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(_filename(instance, "uttaler.pdf"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
