"""Publishing the council report on the case page: staff ask, a task makes the PDF.

``do_publish`` records the request (audited) and queues ``make_published_report``; the
task renders the report as it stands then and stores it. ``do_unpublish`` takes it off.
The public address serves the stored file only, so no request from outside makes a PDF.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.core import audit
from medvirk.core import pdf as core_pdf
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.organisations import capabilities
from medvirk.processes.models import Process
from medvirk.vocabulary import Capability

from ..models import PublishedReport
from . import document


def _check(staff: User, process: Process) -> None:
    if not capabilities.staff_can(staff, Capability.MANAGE_PROCESS, process.municipality_id):
        raise ActionRefused(_("You cannot publish reports in this municipality."), status=403)


def do_publish(staff: User, process: Process) -> PublishedReport:
    """Publish (or make again) the case's report; the PDF follows from a task."""
    _check(staff, process)
    if not process.is_public:
        raise ActionRefused(
            _("The case is a draft: publish the case before its report."), status=409
        )
    with transaction.atomic():
        report, _created = PublishedReport.objects.select_for_update().get_or_create(
            process=process, defaults={"requested_at": timezone.now()}
        )
        report.requested_at = timezone.now()
        report.save(update_fields=["requested_at"])
        audit.record(
            "report.published",
            actor=staff,
            obj=process,
            municipality_id=process.municipality_id,
            data={"process": process.pk},
        )
        transaction.on_commit(lambda: make_published_report.enqueue(process.pk))
    return report


def do_unpublish(staff: User, process: Process) -> bool:
    """Take the report off the case page; False when it was not there."""
    _check(staff, process)
    with transaction.atomic():
        deleted, _rows = PublishedReport.objects.filter(process=process).delete()
        if deleted:
            audit.record(
                "report.unpublished",
                actor=staff,
                obj=process,
                municipality_id=process.municipality_id,
                data={"process": process.pk},
            )
    return bool(deleted)


@task()
def make_published_report(process_id: int) -> None:
    """Render the report as the case stands now and keep it (nothing when it was taken off
    meanwhile, or when WeasyPrint cannot run here)."""
    process = Process.objects.select_related("municipality").filter(pk=process_id).first()
    if process is None or not PublishedReport.objects.filter(process=process).exists():
        return
    rendered = document.render_html(process)
    made = core_pdf.render(rendered.html)
    if made is None:
        return
    PublishedReport.objects.filter(process=process).update(
        pdf=made,
        made_at=timezone.now(),
        filename=document.filename(process, rendered.report.generated),
    )


def published(process: Process) -> PublishedReport | None:
    """The report on the case page, once it is made."""
    return PublishedReport.objects.filter(process=process, made_at__isnull=False).first()


def state(process: Process) -> PublishedReport | None:
    """The published report, made or being made (for the staff page)."""
    return PublishedReport.objects.filter(process=process).defer("pdf").first()
