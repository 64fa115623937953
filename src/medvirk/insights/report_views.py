"""The council report for staff: a page that says what is in it, the PDF, a print version
and the arkivmelding for the archive. Downloads are audited (``export.downloaded``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.core import audit, pdf
from medvirk.core.errors import ActionRefused
from medvirk.processes import lookups
from medvirk.processes.models import Process
from medvirk.staff.access import acting, staff_process
from medvirk.vocabulary import Capability

from .report import archive, content, document, publish


def _audit(request: HttpRequest, process: Process, what: str) -> None:
    audit.record(
        "export.downloaded",
        actor=request.user,
        obj=process,
        municipality_id=process.municipality_id,
        data={"export": what, "audience": "staff", "process": process.pk},
    )


@login_required
def page(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.EXPORT)
    report = content.build(process)
    return render(
        request,
        "insights/report/staff_page.html",
        {
            "process": process,
            "report": report,
            "language": document.language_of(process),
            "published": publish.state(process),
        },
    )


@login_required
def print_version(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.EXPORT)
    rendered = document.render_html(process)
    _audit(request, process, "council_report_html")
    return HttpResponse(rendered.html)


def _made(request: HttpRequest, process: Process) -> tuple[document.Rendered, bytes | None]:
    """The report rendered now, and its PDF (None where WeasyPrint cannot run: the caller
    sends staff to the print version with a message)."""
    rendered = document.render_html(process)
    made = pdf.render(rendered.html)
    if made is None:
        messages.info(request, _("PDF export is not available here; print this page instead."))
    return rendered, made


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.EXPORT)
    rendered, made = _made(request, process)
    if made is None:
        return redirect("insights:report_print", pk=process.pk)
    _audit(request, process, "council_report_pdf")
    response = HttpResponse(made, content_type="application/pdf")
    name = document.filename(process, rendered.report.generated)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_archive(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.EXPORT)
    rendered, made = _made(request, process)
    if made is None:
        return redirect("insights:report_print", pk=process.pk)
    generated = rendered.report.generated
    data = archive.zip_bytes(process, acting(request), made, generated=generated)
    _audit(request, process, "council_report_arkivmelding")
    response = HttpResponse(data, content_type="application/zip")
    name = document.filename(process, generated, "zip").replace(".zip", "-arkivmelding.zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_pdf(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    """The report the municipality published on the case page, as stored (never made here:
    a resident's request must not make the server render a large PDF)."""
    process = lookups.public_process(request, municipality, slug)
    stored = publish.published(process)
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{stored.filename}"'
    return response


@login_required
@require_POST
def publish_report(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    try:
        if request.POST.get("action") == "unpublish":
            if publish.do_unpublish(acting(request), process):
                messages.success(request, _("The report is taken off the case page."))
        else:
            publish.do_publish(acting(request), process)
            messages.success(
                request,
                _(
                    "The report is being made with today's figures; it is on the case page "
                    "when it is ready."
                ),
            )
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("insights:report", pk=process.pk)
