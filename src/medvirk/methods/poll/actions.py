"""Writes of the quick poll: the question and options (staff or demo) and votes (residents).

A vote is one contribution plus its ``PollVote`` row, stored in one transaction. One vote per
person: a logged-in person's key is their account, an anonymous person's a keyed hash of the
browser's session; the database's unique (method, once_key) refuses a second (409), even
when two requests race.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Channel, Contribution
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance, ProcessStatus
from medvirk.processes.phases import Timing, timing

from .models import MAX_OPTIONS, MIN_OPTIONS, PollOption, PollQuestion, PollVote

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

METHOD_KEY = "poll"
ACTION = "vote"
KIND = "poll_vote"
MAX_QUESTION = 300
MAX_LABEL = 200
AFTER_VOTE = "after_vote"
AFTER_CLOSE = "after_close"


class AlreadyVoted(ActionRefused):
    """This person or browser has voted in this poll already (409); nothing was stored."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "You have already voted in this poll, and each person votes once. "
                "Your first vote counts."
            ),
            status=409,
        )


def once_key(user: User | AnonymousUser, session_key: str) -> str | None:
    """The key that makes a vote count once (``Draft.once_key``), or None without one.

    Logged in: the account. Anonymous: the browser's session, as a keyed hash (the session
    key itself is never stored; the hash cannot be turned back into a login cookie).
    """
    if user.is_authenticated:
        return f"user:{user.pk}"
    if not session_key:
        return None
    digest = salted_hmac("medvirk.poll.browser", session_key, algorithm="sha256").hexdigest()
    return f"browser:{digest}"


def is_closed(instance: MethodInstance) -> bool:
    """Is the poll over: closed by staff, the case decided, or its phase ended?"""
    if instance.closed_at is not None or instance.process.status == ProcessStatus.DECIDED:
        return True
    return timing(instance.phase) is Timing.AFTER


def results_after(instance: MethodInstance) -> str:
    return str(instance.settings.get("results_shown", AFTER_VOTE))


def results_visible(instance: MethodInstance, *, voted: bool, staff: bool) -> bool:
    """Staff always see the results; others after the poll closes, or after their own vote
    when the poll shows them "after voting"."""
    if staff or is_closed(instance):
        return True
    return voted and results_after(instance) == AFTER_VOTE


def check_vote(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` (403) when this person cannot vote here now."""
    verdict = permissions.can_act(user, instance, ACTION)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)


def do_vote(
    user: User | AnonymousUser,
    instance: MethodInstance,
    option_id: int,
    *,
    session_key: str = "",
    channel: str = Channel.WEB,
) -> Receipt:
    """Store one vote for ``option_id`` and return its receipt.

    An option of another poll, or none, is refused (400) and nothing is stored; a second
    vote by the same person or browser raises :class:`AlreadyVoted`.
    """
    check_vote(user, instance)
    key = once_key(user, session_key)
    if key is None:
        # The web form always gives a session; a vote that cannot be counted once is refused.
        raise ActionRefused(
            _("Your browser did not keep the page's session. Reload the page and try again."),
            status=400,
        )
    draft = Draft(
        kind=KIND,
        text="",
        channel=channel,
        # A tick asks nothing of the kommune: the published result answers it.
        needs_answer=False,
        has_free_text=False,
        once_key=key,
    )
    with transaction.atomic():
        # The question's row is locked while the vote is stored, as the editor locks it
        # while it changes the options: a vote never points at an option being replaced.
        poll = PollQuestion.objects.select_for_update().filter(method_instance=instance).first()
        option = PollOption.objects.filter(pk=option_id, question=poll).first() if poll else None
        if option is None:
            raise ActionRefused(_("Choose one of the options."), status=400)
        draft = replace(draft, data={"option": option.label})
        try:
            receipt = do_contribute(user, instance, ACTION, draft)
        except ActionRefused as refused:
            if refused.status == 409:
                raise AlreadyVoted() from refused
            raise
        PollVote.objects.create(contribution=receipt.contribution, option=option)
    return receipt


# --- the question and its options (staff, or the demo as the system) ---------------------


def has_votes(instance: MethodInstance) -> bool:
    return Contribution.objects.filter(method_instance=instance, kind=KIND).exists()


def clean_labels(labels: Sequence[str]) -> list[str]:
    """The options as typed, spaces trimmed and empty lines left out; refused when there are
    not 2–10 different ones of at most 200 characters."""
    cleaned = [" ".join(label.split()) for label in labels if label.strip()]
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise ActionRefused(
            _("A poll needs from %(min)d to %(max)d options (you gave %(n)d).")
            % {"min": MIN_OPTIONS, "max": MAX_OPTIONS, "n": len(cleaned)}
        )
    seen: set[str] = set()
    for label in cleaned:
        if len(label) > MAX_LABEL:
            raise ActionRefused(
                _("Each option has at most %(max)d characters.") % {"max": MAX_LABEL}
            )
        folded = label.casefold()
        if folded in seen:
            raise ActionRefused(
                _("Each option must be different: “%(label)s” is listed more than once.")
                % {"label": label}
            )
        seen.add(folded)
    return cleaned


def do_save_poll(
    staff: User | None, instance: MethodInstance, question: str, labels: Sequence[str]
) -> PollQuestion:
    """Set the poll's question and options (replacing any before).

    ``None`` as ``staff`` is the demo loader and tests acting as the system. Once anyone
    has voted the poll is fixed (409): a changed question or option would change what the
    votes already given mean.
    """
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not a poll."), status=404)
    municipality_id = instance.process.municipality_id
    if staff is not None and not capabilities.staff_can(staff, "manage_process", municipality_id):
        raise ActionRefused(_("You cannot change polls in this municipality."), status=403)
    text = " ".join(question.split())
    if not text or len(text) > MAX_QUESTION:
        raise ActionRefused(
            _("The poll needs a question of at most %(max)d characters.") % {"max": MAX_QUESTION}
        )
    cleaned = clean_labels(labels)
    with transaction.atomic():
        # Locks the question's row (see do_vote): a vote and an edit never interleave.
        PollQuestion.objects.select_for_update().filter(method_instance=instance).first()
        if has_votes(instance):
            raise ActionRefused(
                _("People have voted, so the question and options can no longer change."),
                status=409,
            )
        poll, _created = PollQuestion.objects.update_or_create(
            method_instance=instance, defaults={"text": text}
        )
        poll.options.all().delete()
        PollOption.objects.bulk_create(
            PollOption(question=poll, order=n, label=label) for n, label in enumerate(cleaned, 1)
        )
        if staff is not None:
            audit.record(
                "poll.saved",
                actor=staff,
                obj=poll,
                municipality_id=municipality_id,
                data={"method": instance.pk, "options": len(cleaned)},
            )
    return poll
