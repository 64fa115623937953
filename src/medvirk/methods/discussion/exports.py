"""The discussion's downloads, served by the core at ``<instance>/eksport/<key>/``.

- ``innlegg-csv`` (public, open data): every published post and reply with the day it was
  written, the role shown for staff and elected representatives, how many agree and
  disagree, and the municipality's answer. Never a resident's name, an e-mail address, an
  account or an exact time; held, waiting, hidden and rejected posts are not in it; a count
  of people (agree, disagree) from 1 to 4 is left empty (the file gives no totals).
- ``alle-innlegg-csv`` (staff with the ``export`` capability; private, never cached, the
  download audited by the core): every post, reply and reaction with moderation, names as
  shown, exact times and answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.processes.types import MethodInstance

from . import queries
from .models import Post, Reaction


def public_available(instance: MethodInstance) -> bool:
    """Open data while the instance has at least one published post."""
    return queries.has_published(instance)


def _question(post: Post) -> str:
    return post.topic.title if post.topic is not None else _("The case as a whole")


def _answer(post: Post) -> tuple[str, str]:
    response: Any = getattr(post.contribution, "response", None)
    if response is None:
        return ("", "")
    return (str(response.get_status_display()), response.reason)


def _shown(count: int) -> int | None:
    """A count of people as open data: None (left empty) from 1 to 4."""
    return None if 0 < count < queries.SUPPRESS_BELOW else count


def public_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    yield [
        _("Post"),
        _("In reply to"),
        _("Thread"),
        _("Question"),
        _("Day"),
        _("Role shown"),
        _("Text"),
        _("Agree"),
        _("Disagree"),
        _("Hidden (fewer than %(n)s)") % {"n": queries.SUPPRESS_BELOW},
        _("Answer"),
        _("Reason given"),
    ]
    posts = list(queries.published_posts(instance))
    counts = queries.reaction_counts(p.pk for p in posts)
    for post in posts:
        agree = counts.get(post.pk, {}).get(Reaction.Stance.AGREE, 0)
        disagree = counts.get(post.pk, {}).get(Reaction.Stance.DISAGREE, 0)
        shown_agree, shown_disagree = _shown(agree), _shown(disagree)
        status, reason = _answer(post)
        yield [
            post.pk,
            post.parent_id or "",
            post.root_id or post.pk,
            _question(post),
            post.contribution.created_at.date().isoformat(),
            post.role_label,
            post.contribution.text,
            "" if shown_agree is None else shown_agree,
            "" if shown_disagree is None else shown_disagree,
            "1" if shown_agree is None or shown_disagree is None else "0",
            status,
            reason,
        ]


def public_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    return csv_download(
        public_rows(instance), f"{instance.process.slug}-{instance.slug}-innlegg.csv"
    )


def staff_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    yield [
        _("Type"),
        _("Post"),
        _("In reply to"),
        _("Thread"),
        _("Question"),
        _("Written at"),
        _("Moderation"),
        _("Shown in place of hidden input"),
        _("Name shown"),
        _("Role shown"),
        _("Text"),
        _("Stance"),
        _("Reason shown"),
        _("Agree"),
        _("Disagree"),
        _("Answer"),
        _("Reason given"),
    ]
    posts = list(queries.all_posts(instance))
    counts = queries.reaction_counts(p.pk for p in posts)
    for post in posts:
        c = post.contribution
        status, reason = _answer(post)
        yield [
            _("Post") if post.parent_id is None else _("Reply"),
            post.pk,
            post.parent_id or "",
            post.root_id or post.pk,
            _question(post),
            c.created_at.isoformat(),
            c.get_moderation_display(),
            c.hidden_reason,
            c.public_author,
            post.role_label,
            c.text,
            "",
            "",
            counts.get(post.pk, {}).get(Reaction.Stance.AGREE, 0),
            counts.get(post.pk, {}).get(Reaction.Stance.DISAGREE, 0),
            status,
            reason,
        ]
    for reaction in queries.all_reactions(instance).iterator():
        yield [
            _("Reaction"),
            reaction.post_id,
            "",
            reaction.post.root_id or reaction.post_id,
            "",
            reaction.updated_at.isoformat(),
            "",
            "",
            "",
            "",
            reaction.reason,
            reaction.get_stance_display(),
            _("yes") if reaction.is_visible else _("no"),
            "",
            "",
            "",
            "",
        ]


def staff_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    return csv_download(
        staff_rows(instance),
        f"{instance.process.slug}-{instance.slug}-alle-innlegg.csv",
        private=True,
    )
