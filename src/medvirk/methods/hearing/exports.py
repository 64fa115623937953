"""Staff exports of a høyring, served by the core at ``<instance>/eksport/<key>/`` after it
checked the ``export`` capability (and audited the download):

- ``innspel-csv``: every submission and comment, in full, with its answer;
- ``innspel-pdf``: one tagged PDF of all submissions with their answers, for the case file;
- ``arkivmelding``: a ZIP of arkivmeldinger for KS Fiks Arkiv (``archive.py``).

These are for the case file: names in full, minors included, withheld text included. They
are never cached (``Cache-Control: private, no-store``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.accountability.models import Response
from medvirk.contributions.models import Contribution
from medvirk.core import pdf
from medvirk.core.csvfiles import csv_download
from medvirk.core.uploads import content_disposition
from medvirk.identity.models import User
from medvirk.processes.types import MethodInstance

from . import archive, period, staff_actions, staff_queries
from .models import AnchoredComment, PlanStage, SenderKind


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def response_of(contribution: Contribution) -> Response | None:
    try:
        return contribution.response
    except Response.DoesNotExist:
        return None


def _answer(contribution: Contribution) -> list[str]:
    response = response_of(contribution)
    if response is None:
        return ["", "", ""]
    return [
        response.get_status_display(),
        response.reason,
        timezone.localdate(response.updated_at).isoformat(),
    ]


def _anchor(contribution: Contribution, numbers: staff_queries.Numbers) -> tuple[str, str]:
    """(document number, part number "1.2") a comment points at."""
    try:
        anchor: AnchoredComment = contribution.hearing_anchor
    except AnchoredComment.DoesNotExist:
        return "", ""
    document = numbers.document_of_section.get(anchor.section_id)
    part = numbers.anchor(anchor.section_id, anchor.paragraph_id)
    return (str(numbers.documents.get(document, "")) if document else ""), part


def _comment_is_minor(contribution: Contribution) -> bool:
    return bool((contribution.data or {}).get("under_18", False))


def csv_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    yield [
        _("Type"),
        _("Number"),
        _("Received"),
        _("Late"),
        _("Sent by"),
        _("Name"),
        _("Name shown publicly"),
        _("Organisation"),
        _("Organisation number"),
        _("Under 18"),
        _("Document"),
        _("Part"),
        _("Text"),
        _("Files"),
        _("Withheld from the register"),
        _("Moderation"),
        _("Answer"),
        _("Reason given"),
        _("Answered on"),
    ]
    for row in staff_queries.submissions(instance):
        submission, contribution = row.submission, row.contribution
        withheld = [r.passage for r in row.redactions if r.passage] + [
            r.attachment.name for r in row.redactions if r.attachment is not None
        ]
        yield [
            _("Submission"),
            contribution.pk,
            _when(contribution.created_at),
            _yes(submission.is_late),
            submission.get_sender_kind_display(),
            archive.sender_name(row),
            _yes(contribution.show_name and not submission.is_minor),
            submission.organisation_name,
            submission.organisation_number,
            _yes(submission.is_minor),
            "",
            "",
            submission.text,
            "; ".join(a.name for a in row.attachments),
            " | ".join(withheld),
            contribution.get_moderation_display(),
            *_answer(contribution),
        ]
    numbers = staff_queries.numbers(instance)
    for contribution in staff_queries.comments(instance):
        minor = _comment_is_minor(contribution)
        document, part = _anchor(contribution, numbers)
        author = contribution.author_name or (
            str(contribution.author.public_name()) if contribution.author else ""
        )
        yield [
            _("Comment"),
            contribution.pk,
            _when(contribution.created_at),
            "",
            "",
            author,
            _yes(contribution.show_name and not minor),
            "",
            "",
            _yes(minor),
            document,
            part,
            contribution.text,
            "",
            "",
            contribution.get_moderation_display(),
            *_answer(contribution),
        ]


def _filename(instance: MethodInstance, suffix: str) -> str:
    return f"{instance.process.slug}-{instance.slug}-{suffix}"


def submissions_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    return csv_download(csv_rows(instance), _filename(instance, "innspel.csv"), private=True)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def bundle_html(instance: MethodInstance, *, lang: str) -> str:
    """The HTML of the case-file bundle (the PDF's source)."""
    hearing = staff_queries.hearing(instance)
    span = period.period_of(instance, hearing)
    rows = staff_queries.submissions(instance)
    return render_to_string(
        "hearing/pdf_submissions.html",
        {
            "instance": instance,
            "process": instance.process,
            "period": span,
            "plan_stage": PlanStage(span.stage).label,
            "rows": [
                {
                    "row": r,
                    "sender": archive.sender_name(r),
                    "is_organisation": r.submission.sender_kind == SenderKind.ORGANISATION,
                    "response": r.response,
                }
                for r in rows
            ],
            "counts": staff_queries.counts(instance),
            "made_at": timezone.localtime(),
            "lang": lang,
        },
    )


def submissions_pdf(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """One tagged PDF of every submission with its answer; the print page without WeasyPrint."""
    html = bundle_html(instance, lang=request.LANGUAGE_CODE or "nn")
    rendered = pdf.render(html, base_url=request.build_absolute_uri("/"))
    if rendered is None:
        return _private(HttpResponse(html, content_type="text/html; charset=utf-8"))
    response = HttpResponse(rendered, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_filename(instance, "innspel.pdf"))
    return _private(response)


def arkivmelding_zip(request: HttpRequest, instance: MethodInstance) -> FileResponse:
    """The arkivmeldinger as one ZIP; the submissions in it are marked as archived."""
    staff = request.user if isinstance(request.user, User) else None
    handle, ids = archive.write_zip(instance, staff)
    staff_actions.do_mark_archived(staff, instance, ids, how="zip")
    response = FileResponse(
        handle,
        content_type="application/zip",
        as_attachment=True,
        filename=_filename(instance, "arkivmelding.zip"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
