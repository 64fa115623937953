"""E-mail of innbyggerforslag, sent from tasks after the change is committed.

Tasks take ids; addresses and links are found here, in the worker. Each is safe to run
twice: a "sent" time on the proposal is claimed before anything goes out.

- ``after_delivery``: the proposal and its arkivmelding (ZIP) to the instance's postmottak
  address, when one is set; the proposer hears that it is delivered.
- ``tell_signers``: the council's position to every e-ID signer — a message on their page
  in Medvirk, and an e-mail when their account has a verified address (paper signers left
  no address). The proposer gets the position as the answer to their proposal (the
  inbox's notification).
- ``warn_deadline``: staff who run cases or decide are told that the council's six months
  end soon, or have ended (``initiative_deadlines``, the daily command, queues it once).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.accountability import contact, unsubscribe
from medvirk.accountability.models import Notification
from medvirk.accountability.tasks import send_case_email
from medvirk.core import audit
from medvirk.core.language import email_language
from medvirk.processes import registry

from . import archive, queries
from .models import Initiative, Signature

SOON = "soon"
OVERDUE = "overdue"


def _base() -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/")


def page_link(initiative: Initiative) -> str:
    instance = initiative.method_instance
    return _base() + registry.get(instance.method_key).url(instance, "initiative", pk=initiative.pk)


def staff_link(initiative: Initiative) -> str:
    instance = initiative.method_instance
    return _base() + registry.get(instance.method_key).url(
        instance, "staff_initiative", pk=initiative.pk
    )


def _long(day: dt.date | dt.datetime) -> str:
    return date_format(day, "j. F Y" if translation.get_language() != "en" else "j F Y")


def _load(initiative_id: int) -> Initiative | None:
    return (
        Initiative.objects.filter(pk=initiative_id)
        .select_related(
            "method_instance__process__municipality",
            "contribution__author",
            "contribution__response",
            "decision",
        )
        .first()
    )


def _sender(initiative: Initiative) -> str:
    municipality = initiative.method_instance.process.municipality
    return municipality.email_from or settings.DEFAULT_FROM_EMAIL


@task()
def after_delivery(initiative_id: int) -> int:
    """Send the delivered proposal to postmottak (when set) and tell the proposer.
    Returns how many e-mails were sent."""
    initiative = _load(initiative_id)
    if initiative is None or initiative.delivered_at is None:
        return 0
    return _to_postmottak(initiative) + _tell_proposer(initiative)


def _to_postmottak(initiative: Initiative) -> int:
    instance = initiative.method_instance
    address = str(instance.settings.get("postmottak") or "").strip()
    if not address:
        return 0
    # Claimed first: a second run of the task sends nothing.
    claimed = Initiative.objects.filter(pk=initiative.pk, postmottak_sent_at__isnull=True).update(
        postmottak_sent_at=timezone.now()
    )
    if not claimed:
        return 0
    process = instance.process
    row = queries.row_of(initiative)
    with translation.override(email_language(process.municipality.default_language)):
        subject = _("Citizens' initiative delivered: %(title)s") % {"title": initiative.title}
        body = render_to_string(
            "initiative/email_postmottak.txt",
            {
                "initiative": initiative,
                "row": row,
                "municipality": process.municipality.name,
                "delivered": _long(timezone.localtime(initiative.delivered_at)),
                "deadline": _long(row.deadline) if row.deadline else "",
                "page": page_link(initiative),
                "staff_page": staff_link(initiative),
            },
        )
        message = EmailMessage(subject, body, _sender(initiative), [address])
        message.attach(
            archive.zip_name(initiative), archive.zip_bytes(initiative, None), "application/zip"
        )
        message.send()
    with transaction.atomic():
        audit.record(
            "initiative.sent_to_postmottak",
            obj=initiative,
            municipality_id=process.municipality_id,
            data={"method": instance.pk, "signatures": row.count},
        )
    return 1


def _proposer_address(initiative: Initiative) -> str:
    contribution = initiative.contribution
    return contribution.contact_email.strip() or contact.account_email(contribution.author)


def _tell_proposer(initiative: Initiative) -> int:
    contribution = initiative.contribution
    author = contribution.author
    address = _proposer_address(initiative)
    if author is None and not address:
        return 0
    process = initiative.method_instance.process
    row = queries.row_of(initiative)
    language = email_language(
        contribution.language,
        author.preferred_language if author is not None else "",
        process.municipality.default_language,
    )
    with translation.override(language):
        subject = _("Your proposal is delivered: %(title)s") % {"title": initiative.title}
        body = render_to_string(
            "initiative/email_delivered.txt",
            {
                "initiative": initiative,
                "row": row,
                "municipality": process.municipality.name,
                "deadline": _long(row.deadline) if row.deadline else "",
                "plan": initiative.plan_case,
                "link": page_link(initiative),
            },
        )
        notification = Notification.objects.create(
            user=author,
            email=address,
            contribution=contribution,
            subject=subject,
            body=body,
            link=page_link(initiative),
        )
        if address and not unsubscribe.is_opted_out(process.pk, address):
            send_case_email(process, address, subject, body)
            notification.sent_at = timezone.now()
            notification.save(update_fields=["sent_at"])
            return 1
    return 0


@task()
def tell_signers(initiative_id: int) -> int:
    """Every e-ID signer hears the council's position, once. Returns e-mails sent."""
    initiative = _load(initiative_id)
    if initiative is None or initiative.decision is None:
        return 0
    claimed = Initiative.objects.filter(pk=initiative.pk, signers_told_at__isnull=True).update(
        signers_told_at=timezone.now()
    )
    if not claimed:
        return 0
    process = initiative.method_instance.process
    decision = initiative.decision
    response = getattr(initiative.contribution, "response", None)
    link = page_link(initiative)
    sent = 0
    signed = (
        Signature.objects.filter(initiative=initiative, kind=Signature.Kind.EID, user__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    for signature in signed.iterator(chunk_size=500):
        user = signature.user
        assert user is not None
        if user.pk == initiative.contribution.author_id:
            continue  # the proposer hears it as the answer to the proposal
        language = email_language(
            user.preferred_language, signature.language, process.municipality.default_language
        )
        with translation.override(language):
            subject = _("The council's position on “%(title)s”") % {"title": initiative.title}
            body = render_to_string(
                "initiative/email_position.txt",
                {
                    "initiative": initiative,
                    "decision": decision,
                    "date": _long(decision.date) if decision.date else "",
                    "position": response.get_status_display() if response else "",
                    "reason": response.reason if response else "",
                    "link": link,
                },
            )
            address = contact.account_email(user)
            mailed = bool(address) and not unsubscribe.is_opted_out(process.pk, address)
            Notification.objects.create(
                user=user,
                email=address if mailed else "",
                subject=subject[:200],
                body=body,
                link=link,
                sent_at=timezone.now() if mailed else None,
            )
            if mailed:
                send_case_email(process, address, subject, body)
                sent += 1
    return sent


@task()
def warn_deadline(initiative_id: int, kind: str) -> int:
    """Tell the municipality's staff that the council's deadline is near (``soon``) or
    passed (``overdue``). Returns e-mails sent."""
    initiative = _load(initiative_id)
    if initiative is None or kind not in (SOON, OVERDUE):
        return 0
    row = queries.row_of(initiative)
    if row.deadline is None:
        return 0
    process = initiative.method_instance.process
    sent = 0
    for address, preferred in queries.staff_to_warn(process.municipality_id):
        with translation.override(email_language(preferred, process.municipality.default_language)):
            if kind == SOON:
                subject = _("Deadline on %(date)s: the council's position on “%(title)s”") % {
                    "date": _long(row.deadline),
                    "title": initiative.title,
                }
            else:
                subject = _("Deadline passed: the council's position on “%(title)s”") % {
                    "title": initiative.title
                }
            body = render_to_string(
                "initiative/email_deadline.txt",
                {
                    "initiative": initiative,
                    "row": row,
                    "overdue": kind == OVERDUE,
                    "deadline": _long(row.deadline),
                    "delivered": _long(timezone.localtime(initiative.delivered_at)),
                    "municipality": process.municipality.name,
                    "link": staff_link(initiative),
                },
            )
            EmailMessage(subject, body, _sender(initiative), [address]).send()
            sent += 1
    return sent
