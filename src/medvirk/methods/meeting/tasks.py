"""E-mail of the meeting method, sent from tasks after the change is committed.

Tasks take ids, not links: the private links are made here, in the worker, so the queue
never holds one (nor an address). Each e-mail is in the person's language (the page's
language when they registered, else their account's, else the municipality's).

- ``send_registration``: the confirmation with the private link and the meeting as an
  iCalendar file (registered, moved up from the wait list, or the time or place changed);
  a place on the wait list; the link again when someone registers an address twice.
- ``send_host_link``: the gjestebod host's private link to report the results.
- ``announce_cancellation``: everyone registered or waiting (and the host) hears that the
  meeting is cancelled, with a calendar cancellation; then the meeting is deleted.

These e-mails are about an appointment the person made, so they are sent even to an
address that asked for no more news about the case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.core.language import email_language
from medvirk.processes.models import Process

from . import calendars, links, needs, queries, timeformat
from .models import Meeting, Registration

REGISTERED = "registered"
WAITING = "waiting"
PROMOTED = "promoted"
CHANGED = "changed"
AGAIN = "again"
KINDS = (REGISTERED, WAITING, PROMOTED, CHANGED, AGAIN)
ICS_NAME = "mote.ics"


def _sender(process: Process) -> str:
    return process.municipality.email_from or settings.DEFAULT_FROM_EMAIL


def facts(meeting: Meeting) -> dict[str, str]:
    """What every e-mail says about the meeting."""
    access = queries.accessibility_words(meeting)
    text = ", ".join(access)
    if meeting.accessibility.strip():
        text = f"{text}. {meeting.accessibility.strip()}" if text else meeting.accessibility.strip()
    return {
        "title": meeting.title,
        "format": str(meeting.get_format_display()),
        "when": timeformat.when(meeting.starts_at, meeting.ends_at),
        "where": calendars.location(meeting),
        "accessibility": text,
        "online": meeting.digital_link,
        "page": links.absolute(calendars.page_path(meeting)),
    }


def _send(
    process: Process,
    address: str,
    subject: str,
    body: str,
    *,
    calendar: str = "",
    method: str = "PUBLISH",
) -> None:
    message = EmailMessage(subject, body, _sender(process), [address])
    if calendar:
        message.attach(ICS_NAME, calendar, f"text/calendar; charset=utf-8; method={method}")
    message.send()


def _language(registration: Registration, process: Process) -> str:
    user = registration.user
    return email_language(
        registration.language,
        user.preferred_language if user is not None else "",
        process.municipality.default_language,
    )


@task()
def send_registration(registration_id: int, kind: str) -> int:
    """One e-mail about one registration; returns 1 when sent."""
    if kind not in KINDS:
        return 0
    registration = (
        Registration.objects.filter(pk=registration_id)
        .select_related("meeting__method_instance__process__municipality", "user")
        .first()
    )
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return 0
    meeting = registration.meeting
    process = meeting.method_instance.process
    with translation.override(_language(registration, process)):
        context = {
            **facts(meeting),
            "name": registration.name,
            "municipality": process.municipality.name,
            "case": process.title,
            "link": links.registration_link(registration),
            "waiting": registration.status == Registration.Status.WAITING,
            "position": queries.waiting_position(registration),
            "needs": ", ".join(_needs_words(registration)),
            "kind": kind,
        }
        subjects = {
            REGISTERED: _("You are registered: %(title)s"),
            WAITING: _("You are on the wait list: %(title)s"),
            PROMOTED: _("You have a place: %(title)s"),
            CHANGED: _("Changed time or place: %(title)s"),
            AGAIN: _("Your registration: %(title)s"),
        }
        subject = subjects[kind] % {"title": meeting.title}
        body = render_to_string("meeting/email_registration.txt", context)
        with_calendar = registration.status == Registration.Status.REGISTERED
        _send(
            process,
            registration.email,
            subject,
            body,
            calendar=calendars.for_meeting(meeting) if with_calendar else "",
        )
    return 1


def _needs_words(registration: Registration) -> list[str]:
    return needs.describe(registration.needs if isinstance(registration.needs, dict) else {})


@task()
def send_host_link(meeting_id: int) -> int:
    """The gjestebod host's private link; returns 1 when sent."""
    meeting = (
        Meeting.objects.filter(pk=meeting_id)
        .exclude(host_email="")
        .exclude(host_nonce="")
        .select_related("method_instance__process__municipality")
        .first()
    )
    if meeting is None:
        return 0
    process = meeting.method_instance.process
    with translation.override(email_language(process.municipality.default_language)):
        context = {
            **facts(meeting),
            "name": meeting.host_name,
            "municipality": process.municipality.name,
            "case": process.title,
            "link": links.host_link(meeting),
        }
        subject = _("Your gjestebod: the link to report back") + f" – {meeting.title}"
        body = render_to_string("meeting/email_host.txt", context)
        _send(process, meeting.host_email, subject, body)
    return 1


@task()
def announce_cancellation(meeting_id: int, registration_ids: list[int], message: str) -> int:
    """Tell each registration (and the host) that the meeting is cancelled, with a calendar
    cancellation; then delete the registrations (they were only for planning the meeting).
    Returns how many e-mails were sent."""
    meeting = (
        Meeting.objects.filter(pk=meeting_id)
        .select_related("method_instance__process__municipality")
        .first()
    )
    if meeting is None:
        return 0
    process = meeting.method_instance.process
    sent = 0
    recipients: list[tuple[str, str, str]] = []
    for registration in Registration.objects.filter(
        pk__in=registration_ids, meeting=meeting
    ).select_related("user"):
        recipients.append((registration.email, registration.name, _language(registration, process)))
    if meeting.host_email:
        recipients.append(
            (
                meeting.host_email,
                meeting.host_name,
                email_language(process.municipality.default_language),
            )
        )
    for address, name, language in recipients:
        with translation.override(language):
            context = {
                **facts(meeting),
                "name": name,
                "municipality": process.municipality.name,
                "case": process.title,
                "message": message,
                "case_link": links.absolute(process.get_absolute_url()),
            }
            subject = _("Cancelled: %(title)s") % {"title": meeting.title}
            body = render_to_string("meeting/email_cancelled.txt", context)
            _send(
                process,
                address,
                subject,
                body,
                calendar=calendars.for_meeting(meeting, cancelled=True),
                method="CANCEL",
            )
        sent += 1
    Registration.objects.filter(meeting=meeting).delete()
    return sent
