"""Background work for closing the loop: telling people their input was answered, and
confirming that an address wants to follow a case.

Every e-mail Medvirk sends leaves from a task, never while a person waits. Tasks take ids,
not links: links are made here, in the worker, so the queue never holds one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.core.tokens import receipt_token
from medvirk.processes.models import Process

from .models import Notification, Response, Subscription


@task()
def notify_responses(response_ids: list[int]) -> int:
    """Notify each author (account and/or e-mail) that their input has an answer."""
    sent = 0
    responses = Response.objects.filter(pk__in=response_ids).select_related(
        "contribution__process__municipality", "contribution__author"
    )
    for response in responses:
        contribution = response.contribution
        author = contribution.author
        email = contribution.contact_email or (author.email if author is not None else "")
        if author is None and not email:
            continue
        language = contribution.language or contribution.process.municipality.default_language
        with translation.override(language):
            process = contribution.process
            link = settings.MEDVIRK_BASE_URL.rstrip("/") + contribution.receipt_url()
            subject = _("Your input to «%(title)s» has been answered") % {"title": process.title}
            body = _(
                "The municipality has answered your input.\n\nStatus: %(status)s\n\n"
                "%(reason)s\n\nSee your input and the answer: %(link)s\n"
            ) % {"status": response.get_status_display(), "reason": response.reason, "link": link}
            notification = Notification.objects.create(
                user=author,
                email=email,
                contribution=contribution,
                subject=subject,
                body=body,
                link=link,
            )
            if email:
                from_email = process.municipality.email_from or settings.DEFAULT_FROM_EMAIL
                send_mail(subject, body, from_email, [email])
                notification.sent_at = timezone.now()
                notification.save(update_fields=["sent_at"])
                sent += 1
    return sent


@task()
def notify_subscribers(process_id: int, event: str) -> int:
    """Tell confirmed followers of a process that something happened (a decision, a status)."""
    process = Process.objects.select_related("municipality").get(pk=process_id)
    link = settings.MEDVIRK_BASE_URL.rstrip("/") + process.get_absolute_url()
    sent = 0
    with translation.override(process.municipality.default_language):
        subject = _("News in «%(title)s»") % {"title": process.title}
        messages = {
            "decision": _("A decision has been recorded in the case."),
            "status": _("The status of the case has changed: %(status)s.")
            % {"status": process.get_status_display()},
        }
        body = f"{messages.get(event, messages['status'])}\n\n{link}\n"
        from_email = process.municipality.email_from or settings.DEFAULT_FROM_EMAIL
        emails = Subscription.objects.filter(
            process=process, confirmed_at__isnull=False
        ).values_list("email", flat=True)
        for email in emails.iterator():
            send_mail(subject, body, from_email, [email])
            sent += 1
    return sent


def subscription_token(subscription: Subscription) -> str:
    """The secret in a subscription's confirmation link (HMAC of its stored nonce)."""
    return receipt_token(-subscription.pk, subscription.token_hash)


@task()
def send_subscription_confirmation(subscription_id: int, language: str) -> int:
    """Ask the address to confirm that it wants to follow the case (double opt-in)."""
    subscription = (
        Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True)
        .select_related("process__municipality")
        .first()
    )
    if subscription is None:  # confirmed meanwhile, or erased
        return 0
    process = subscription.process
    link = settings.MEDVIRK_BASE_URL.rstrip("/") + reverse(
        "public:confirm_subscription",
        kwargs={"pk": subscription.pk, "token": subscription_token(subscription)},
    )
    with translation.override(language or process.municipality.default_language):
        return send_mail(
            _("Confirm that you want to follow «%(title)s»") % {"title": process.title},
            _("Open this link to start receiving updates:\n%(link)s\n") % {"link": link},
            process.municipality.email_from or settings.DEFAULT_FROM_EMAIL,
            [subscription.email],
        )
