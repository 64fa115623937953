"""The council report for staff: a page that says what is in it, the PDF, a print version
and the arkivmelding for the archive. Downloads are audited (``export.downloaded``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core import audit, pdf, ratelimit
from medvirk.processes import lookups
from medvirk.processes.models import Process
from medvirk.staff.access import acting, staff_process
from medvirk.vocabulary import Capability

from .report import archive, content, document


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
        {"process": process, "report": report, "language": document.language_of(process)},
    )


@login_required
def print_version(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.EXPORT)
    rendered = document.render_html(process)
    _audit(request, process, "council_report_html")
    return HttpResponse(rendered.html)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.EXPORT)
    rendered = document.render_html(process)
    made = pdf.render(rendered.html)
    if made is None:
        messages.info(request, _("PDF export is not available here; print this page instead."))
        return redirect("insights:report_print", pk=process.pk)
    _audit(request, process, "council_report_pdf")
    response = HttpResponse(made, content_type="application/pdf")
    name = document.filename(process, rendered.report.generated)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_archive(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.EXPORT)
    rendered = document.render_html(process)
    made = pdf.render(rendered.html)
    if made is None:
        messages.info(request, _("PDF export is not available here; print this page instead."))
        return redirect("insights:report_print", pk=process.pk)
    generated = timezone.localdate()
    data = archive.zip_bytes(process, acting(request), made, generated=generated)
    _audit(request, process, "council_report_arkivmelding")
    response = HttpResponse(data, content_type="application/zip")
    name = document.filename(process, generated, "zip").replace(".zip", "-arkivmelding.zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_pdf(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    """The same report for everyone: it holds only what the case's public pages show. Made
    at most once per ``MEDVIRK_REPORT_CACHE_SECONDS`` per case and language (it is heavy),
    and limited per client address."""
    process = lookups.public_process(request, municipality, slug)
    try:
        ratelimit.check_client(request, "report", process.pk)
    except ratelimit.Limited as limited:
        refused = HttpResponse(limited.message, status=429, content_type="text/plain")
        return ratelimit.retry_later(refused, limited.retry_after)
    key = f"medvirk:council-report:{process.pk}:{document.language_of(process)}"
    made: tuple[bytes, str] | None = cache.get(key)
    if made is None:
        rendered = document.render_html(process)
        data = pdf.render(rendered.html)
        if data is None:
            return HttpResponse(rendered.html)  # no WeasyPrint here: the print version
        made = (data, document.filename(process, rendered.report.generated))
        cache.set(key, made, settings.MEDVIRK_REPORT_CACHE_SECONDS)
    response = HttpResponse(made[0], content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{made[1]}"'
    return response
