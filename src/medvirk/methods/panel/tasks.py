"""Background work of the panel: the invitation and reminder e-mails of a draw.

Tasks take ids, not links: the one-time links are made here, in the worker, so the queue
never holds one. Each e-mail is in the member's own language (their saved choice, else the
municipality's), goes to the account's verified address only, skips addresses that asked
for no more e-mail about the case, and carries that way out at its foot
(``accountability.tasks.send_case_email``).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.accountability import contact, unsubscribe
from medvirk.accountability.tasks import send_case_email
from medvirk.core.language import email_language
from medvirk.processes import registry

from . import invites
from .models import Invitation

INVITE = "invite"
REMIND = "remind"
TEMPLATES = {
    INVITE: "panel/email_invitation.txt",
    REMIND: "panel/email_reminder.txt",
}


def _base() -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/")


@task()
def send_invitations(invitation_ids: list[int], kind: str) -> int:
    """E-mail the invitation (``kind`` "invite") or a reminder ("remind"); returns how many
    were sent. A member who left, answered meanwhile or has no verified address gets none."""
    template = TEMPLATES.get(kind)
    if template is None:
        return 0
    invitations = (
        Invitation.objects.filter(pk__in=invitation_ids, member__isnull=False)
        .select_related(
            "member__user",
            "draw__target__process__municipality",
            "draw__method_instance__process__municipality",
        )
        .order_by("pk")
    )
    sent = 0
    for invitation in invitations:
        if kind == REMIND and invitation.responded_at is not None:
            continue
        assert invitation.member is not None
        user = invitation.member.user
        address = contact.account_email(user)
        draw = invitation.draw
        process = draw.target.process
        if not address or unsubscribe.is_opted_out(process.pk, address):
            continue
        panel = draw.method_instance
        municipality = process.municipality
        language = email_language(user.preferred_language, municipality.default_language)
        with translation.override(language):
            plugin = registry.get(panel.method_key)
            context = {
                "municipality": municipality.name,
                "target": draw.target.title,
                "case": process.title,
                "link": invites.link(invitation),
                "lottery": _base() + plugin.url(panel, "draw", pk=draw.pk),
                "panel": _base() + panel.get_absolute_url(),
                "code": invitation.code,
            }
            if kind == INVITE:
                subject = _("You are invited: «%(title)s»") % {"title": draw.target.title}
            else:
                subject = _("Reminder: «%(title)s»") % {"title": draw.target.title}
            body = render_to_string(template, context)
            send_case_email(process, address, subject, body)
        sent += 1
    return sent
