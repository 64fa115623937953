"""Background work for accounts: e-mail leaves from a task worker, never while a person waits.

Tasks take ids, not links: the signed link is made here, in the worker, so the task queue
(a database table in production) never holds a link that would confirm an address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import User
from .tokens import email_confirmation_token


@task()
def send_email_confirmation(user_id: int, email: str, language: str) -> int:
    """Send the link that confirms ``email`` for the account; 0 if the account is gone."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        link = settings.MEDVIRK_BASE_URL.rstrip("/") + reverse(
            "identity:email_confirm", kwargs={"token": email_confirmation_token(user, email)}
        )
        return send_mail(
            _("Confirm your e-mail address"),
            _(
                "Open this link to confirm that this is your e-mail address on Medvirk:\n\n"
                "%(link)s\n\n"
                "The link works for three days. If you did not ask for this, ignore this "
                "message."
            )
            % {"link": link},
            None,
            [email],
        )
