"""Background work of the discussion: asking an address to confirm a follow, and telling a
thread's followers of a new reply.

Tasks take ids, not links: the links are made here, in the worker, so the queue never holds
one. Each e-mail is in the follower's language (the account's saved choice, else the
language they followed in, else the municipality's), skips addresses that asked for no more
e-mail about the case, and carries a link to stop following the thread as well as the
case's own way out at its foot (``accountability.tasks.send_case_email``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.accountability import contact, unsubscribe
from medvirk.accountability.tasks import send_case_email
from medvirk.contributions.models import ModerationState
from medvirk.core.language import email_language
from medvirk.processes import registry

from . import links, rendering
from .models import Post, ThreadFollow

EXCERPT = 400


def _base() -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/")


def _thread_link(post: Post, anchor: int | None = None) -> str:
    instance = post.contribution.method_instance
    assert instance is not None
    root_id = post.root_id or post.pk
    path = registry.get(instance.method_key).url(instance, "thread", pk=root_id)
    return _base() + path + (f"#innlegg-{anchor}" if anchor else "")


@task()
def send_follow_confirmation(follow_id: int) -> int:
    """Ask the address to confirm that it wants replies to the thread (double opt-in)."""
    follow = (
        ThreadFollow.objects.filter(pk=follow_id, confirmed_at__isnull=True)
        .exclude(email="")
        .select_related("root__contribution__method_instance__process__municipality")
        .first()
    )
    if follow is None:  # confirmed meanwhile, or gone
        return 0
    instance = follow.root.contribution.method_instance
    assert instance is not None
    process = instance.process
    municipality = process.municipality
    with translation.override(email_language(follow.language, municipality.default_language)):
        subject = _("Confirm that you want to follow a thread in «%(title)s»") % {
            "title": process.title
        }
        body = _(
            "Someone (we hope you) asked to get an e-mail when there are new replies in a "
            "thread of the discussion «%(discussion)s» in «%(title)s».\n\n"
            "Open this link to confirm:\n%(link)s\n\n"
            "If it was not you, do nothing: without the confirmation we send nothing more, "
            "and the address is forgotten after a week.\n"
        ) % {
            "discussion": instance.title,
            "title": process.title,
            "link": links.absolute(follow, links.CONFIRM),
        }
        return send_mail(
            subject,
            body,
            municipality.email_from or settings.DEFAULT_FROM_EMAIL,
            [follow.email],
        )


@task()
def notify_followers(reply_id: int) -> int:
    """E-mail each confirmed follower of the reply's thread once, but not its author.

    Runs after the reply is shown (at once, or when a moderator approves it); a reply that
    is not published (any more) sends nothing. Returns how many e-mails were sent.
    """
    reply = (
        Post.objects.filter(pk=reply_id)
        .select_related(
            "contribution__method_instance__process__municipality",
            "contribution__author",
            "root__contribution",
        )
        .first()
    )
    if reply is None or reply.root is None or reply.parent_id is None:
        return 0
    contribution = reply.contribution
    if contribution.moderation != ModerationState.PUBLISHED:
        return 0
    if reply.root.contribution.moderation not in (
        ModerationState.PUBLISHED,
        ModerationState.HIDDEN,
    ):
        return 0
    instance = contribution.method_instance
    assert instance is not None
    process = instance.process
    municipality = process.municipality
    # The reply's author is not told of their own reply.
    own = {
        a.lower()
        for a in (contact.account_email(contribution.author), contribution.contact_email)
        if a
    }
    follows = list(
        ThreadFollow.objects.filter(root=reply.root, confirmed_at__isnull=False)
        .select_related("user", "root__contribution__method_instance")
        .order_by("pk")
    )
    targets: list[tuple[ThreadFollow, str]] = []
    seen: set[str] = set()
    for follow in follows:
        if follow.user_id is not None and follow.user_id == contribution.author_id:
            continue
        address = contact.account_email(follow.user) if follow.user_id else follow.email
        key = address.strip().lower()
        if not key or key in seen or key in own:
            continue
        seen.add(key)
        targets.append((follow, address.strip()))
    stopped = unsubscribe.opted_out(process.pk, (a for _f, a in targets))
    sent = 0
    who = contribution.public_author
    for follow, address in targets:
        if address.lower() in stopped:
            continue
        saved = follow.user.preferred_language if follow.user is not None else ""
        language = email_language(saved, follow.language, municipality.default_language)
        with translation.override(language):
            subject = _("New reply in the discussion «%(discussion)s»") % {
                "discussion": instance.title
            }
            name = f"{who} ({reply.role_label})" if who and reply.role_label else who
            intro = (
                _("%(name)s replied in a thread you follow:") % {"name": name}
                if name
                else _("There is a new reply in a thread you follow:")
            )
            body = "\n\n".join(
                [
                    intro,
                    rendering.excerpt(contribution.text, EXCERPT),
                    _("Read the thread and reply: %(link)s")
                    % {"link": _thread_link(reply, reply.pk)},
                    _("To stop following this thread, open: %(link)s")
                    % {"link": links.absolute(follow, links.STOP)},
                ]
            )
            send_case_email(process, address, subject, body)
        sent += 1
    return sent
