"""Telling an idea's author what staff did with it: merged into another idea, taken up in a
case, or a new case started from it.

The task takes the idea's id, not a link: links are made here, in the worker. The message
goes to the author's account (a ``Notification``) and by e-mail to the address given with
the idea or the account's verified address, in the language the idea was given in (else
the account's, else the municipality's), unless the address asked for no more e-mail about
the case (``accountability.tasks.send_case_email`` adds the way out).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.accountability import contact, unsubscribe
from medvirk.accountability.models import Notification
from medvirk.accountability.tasks import send_case_email
from medvirk.core.language import email_language
from medvirk.processes import registry

from .models import Idea

MERGED = "merged"
TAKEN_UP = "taken_up"
CASE_STARTED = "case_started"


def _base() -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/")


def idea_link(idea: Idea) -> str:
    instance = idea.method_instance
    return _base() + registry.get(instance.method_key).url(instance, "idea", pk=idea.pk)


def _message(idea: Idea, event: str) -> tuple[str, str, str] | None:
    """Subject, body and link in the active language; None for an unknown event."""
    board = idea.method_instance.title
    if event == MERGED and idea.merged_into is not None:
        kept = idea.merged_into
        subject = _("Your idea «%(title)s» is merged with a similar idea") % {"title": idea.title}
        body = _(
            "Your idea «%(title)s» on «%(board)s» says much the same as «%(kept)s», so the "
            "municipality has merged the two. Your idea now points to «%(kept)s», and the "
            "people who supported yours are counted there (each person once).\n\n"
            "The municipality still answers your idea with its reasons, and we will tell you "
            "when it does."
        ) % {"title": idea.title, "board": board, "kept": kept.title}
        return subject, body, idea_link(kept)
    if event == TAKEN_UP and idea.taken_up_in is not None:
        case = idea.taken_up_in
        subject = _("Your idea «%(title)s» is taken up in a case") % {"title": idea.title}
        body = _(
            "The municipality has taken your idea «%(title)s» up in the case «%(case)s». "
            "It is considered there, with the case's other input.\n\n"
            "The municipality also answers your idea with its reasons, and we will tell you "
            "when it does."
        ) % {"title": idea.title, "case": case.title}
        return subject, body, idea_link(idea)
    if event == CASE_STARTED and idea.taken_up_in is not None:
        subject = _("A new case is started from your idea «%(title)s»") % {"title": idea.title}
        body = _(
            "The municipality has started a new case from your idea «%(title)s». The case is "
            "being prepared, and the idea will link to it when it is published.\n\n"
            "The municipality also answers your idea with its reasons, and we will tell you "
            "when it does."
        ) % {"title": idea.title}
        return subject, body, idea_link(idea)
    return None


@task()
def tell_author(idea_id: int, event: str) -> int:
    """Tell the author (account and/or e-mail) what happened to the idea; 1 when e-mailed."""
    idea = (
        Idea.objects.filter(pk=idea_id)
        .select_related(
            "contribution__author",
            "method_instance__process__municipality",
            "merged_into",
            "taken_up_in__municipality",
        )
        .first()
    )
    if idea is None:
        return 0
    contribution = idea.contribution
    author = contribution.author
    address = contribution.contact_email.strip() or contact.account_email(author)
    if author is None and not address:
        return 0  # anonymous without an address: the board itself shows what happened
    process = idea.method_instance.process
    language = email_language(
        "" if contribution.registered_by_id else contribution.language,
        author.preferred_language if author is not None else "",
        process.municipality.default_language,
    )
    with translation.override(language):
        told = _message(idea, event)
        if told is None:
            return 0
        subject, body, link = told
        see = _("See the idea: %(link)s") % {"link": link}
        body = f"{body}\n\n{see}\n"
        mailed = bool(address) and not unsubscribe.is_opted_out(process.pk, address)
        if mailed:
            send_case_email(process, address, subject, body)
        Notification.objects.create(
            user=author,
            email=address if mailed else "",
            contribution=contribution,
            subject=subject[:200],
            body=body,
            link=link[:500],
            sent_at=timezone.now() if mailed else None,
        )
    return int(mailed)
