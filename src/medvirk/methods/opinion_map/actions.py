"""Writes of the opinion map by residents: votes (the hot path) and statements they add.

A vote is one row, never a contribution: :func:`do_vote` checks, finds (or makes) the
participant, and upserts the vote in one ``INSERT … ON CONFLICT DO UPDATE`` (a changed vote
replaces the earlier one, enforced by the unique participant + statement). It computes no
map: it asks for one (:func:`request_recompute`), which sets ``OpinionMap.requested_at``
with one conditional ``UPDATE`` and enqueues ONE background task when none is pending. The
task (``tasks.recompute_map``) runs after a short debounce, so a burst of votes is drawn
as one map.

A statement a participant adds is input: a contribution (kind ``opinion_statement``) that a
moderator sees before anyone votes on it (``Draft.review``), answerable from the inbox. Its
:class:`~.models.Statement` is made with it and becomes votable when the contribution is
published (``queries.VOTABLE``).

Who is a participant: a keyed hash of the account (logged in) or of the browser's session
(anonymous, as Pol.is does), salted per conversation so that two conversations cannot be
linked. The session key itself is never stored.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Channel, Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance, ProcessStatus
from medvirk.processes.phases import Timing, timing

from . import tasks
from .models import OpinionMap, Participant, Statement, Vote

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

METHOD_KEY = "opinion_map"
VOTE = "vote"
ADD = "add_statement"
STATEMENT_KIND = "opinion_statement"
# Short statements, as Pol.is keeps them: one thought people can agree or disagree with.
MAX_STATEMENT = 140
# What the vote buttons post: the word, never a number a person could mistype.
VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}
VOTE_WORDS = {value: word for word, value in VOTE_VALUES.items()}

# The debounce: a recompute runs this long after the first vote that asked for it, so a
# burst of votes is drawn once. The map is at most DEBOUNCE + the time to compute old
# while votes arrive (docs/methods/opinion_map.md, docs/performance.md).
DEBOUNCE = dt.timedelta(seconds=15)
# A request older than this whose task never ran (a lost queue, a crashed worker before it
# claimed it) is renewed by the next vote, which enqueues again.
REQUEST_STALE = dt.timedelta(minutes=2)
# Staff's "draw it now", an import, a statement taken out: no debounce.
AT_ONCE = dt.timedelta(0)


@dataclass(frozen=True)
class Voted:
    participant_id: int
    statement_id: int
    value: int
    key: str = ""


def participant_key(
    instance_id: int, user: User | AnonymousUser, session_key: str | None
) -> str | None:
    """The participant's key in this conversation, or None when there is nobody to key.

    Logged in: a keyed hash of the account id; anonymous: of the browser's session key.
    Salted with the conversation, so the same person has unrelated keys in two of them.
    """
    if user.is_authenticated:
        material = f"user:{user.pk}"
    elif session_key:
        material = f"browser:{session_key}"
    else:
        return None
    salt = f"medvirk.opinion_map.participant:{instance_id}"
    return salted_hmac(salt, material, algorithm="sha256").hexdigest()


def imported_key(instance_id: int, external_id: str) -> str:
    """The key of a participant imported from a Pol.is export (never a person's)."""
    salt = f"medvirk.opinion_map.imported:{instance_id}"
    return salted_hmac(salt, f"polis:{external_id}", algorithm="sha256").hexdigest()


def erased_key() -> str:
    """A key no one can be recognised by (erasure keeps the votes in the map)."""
    return "erased:" + secrets.token_hex(16)


def is_open(instance: MethodInstance) -> bool:
    """Does the conversation take votes now, as far as its dates go?"""
    if instance.closed_at is not None or instance.process.status == ProcessStatus.DECIDED:
        return False
    return timing(instance.phase) is Timing.DURING


def statements_allowed(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("allow_statements", True))


def check_vote(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` (403) when this person cannot vote here now."""
    verdict = permissions.can_act(user, instance, VOTE)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)


def check_add(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` (403) when this person cannot add a statement now."""
    if not statements_allowed(instance):
        raise ActionRefused(
            _("In this conversation only the municipality writes the statements."), status=403
        )
    verdict = permissions.can_act(user, instance, ADD)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)


def vote_value(word: str) -> int:
    """agree / disagree / pass → 1 / −1 / 0; anything else is refused (400)."""
    try:
        return VOTE_VALUES[word]
    except KeyError:
        raise ActionRefused(_("Choose agree, disagree or pass.")) from None


# The statements people vote on: in the vote, and the municipality's or imported, or a
# participant's that a moderator has published.
VOTABLE = Q(is_active=True) & (
    Q(contribution__isnull=True) | Q(contribution__moderation=ModerationState.PUBLISHED)
)


def participant_id(
    instance: MethodInstance, key: str, user: User | AnonymousUser | None = None
) -> int:
    """The id of the participant with ``key``, made on their first vote."""
    found = (
        Participant.objects.filter(method_instance=instance, key=key)
        .values_list("pk", flat=True)
        .first()
    )
    if found is not None:
        return int(found)
    account = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            made = Participant.objects.create(method_instance=instance, key=key, user=account)
    except IntegrityError:
        # The same browser's parallel first vote made it (the unique key).
        return int(
            Participant.objects.filter(method_instance=instance, key=key)
            .values_list("pk", flat=True)
            .get()
        )
    # The map's row exists once anyone takes part: the vote path only ever updates it.
    OpinionMap.objects.get_or_create(method_instance=instance)
    return made.pk


def do_vote(
    user: User | AnonymousUser,
    instance: MethodInstance,
    statement_id: int,
    value: int,
    *,
    session_key: str | None,
    known: tuple[str, int] | None = None,
    recompute: bool = True,
) -> Voted:
    """Store this person's vote on one statement (a changed vote replaces the earlier one).

    Refused, with nothing stored: not allowed now (403), a statement not in this
    conversation's vote (400), a value other than −1, 0, 1 (400), or no session to count
    the vote once (400). ``known`` is (key, participant id) as the view remembered it in
    the session: used when the key is still this person's, saving a lookup. ``recompute``
    False is for bulk writers that ask once at the end.

    The hot path: the upsert checks that the statement is in the vote in the same
    statement (``INSERT … SELECT … WHERE`` the statement is votable ``ON CONFLICT … DO
    UPDATE``), so a vote is this one statement and the recompute request.
    """
    check_vote(user, instance)
    if value not in (-1, 0, 1):
        raise ActionRefused(_("Choose agree, disagree or pass."))
    key = participant_key(instance.pk, user, session_key)
    if key is None:
        raise ActionRefused(
            _("Your browser did not keep the page's session. Reload the page and try again.")
        )
    stored = False
    if known is not None and known[0] == key:
        pid = known[1]
        stored = _upsert_one(instance.pk, pid, key, statement_id, value)
    if not stored:
        # Not remembered, or the remembered participant is gone: find (or make) them.
        found = (
            Participant.objects.filter(method_instance=instance, key=key)
            .values_list("pk", flat=True)
            .first()
        )
        if found is None and not _votable(instance, [statement_id]):
            raise _gone()  # refused before anyone is made a participant
        pid = int(found) if found is not None else participant_id(instance, key, user)
        if not _upsert_one(instance.pk, pid, key, statement_id, value):
            raise _gone()
    if recompute:
        request_recompute(instance.pk)
    return Voted(pid, statement_id, value, key)


def _gone() -> ActionRefused:
    return ActionRefused(_("This statement is not in the vote any more. Go on with the next one."))


def _votable(instance: MethodInstance, statement_ids: list[int]) -> bool:
    found = Statement.objects.filter(VOTABLE, pk__in=statement_ids, method_instance=instance)
    return found.count() == len(set(statement_ids))


def _upsert_one(
    instance_id: int, participant: int, key: str, statement_id: int, value: int
) -> bool:
    """One vote in one SQL statement; False, with nothing stored, unless the statement is
    in this conversation's vote and the participant is this one (id, conversation, key).

    ``INSERT … SELECT`` from the statement joined with the participant (so a statement of
    another conversation, taken out or not yet published, or a participant that is gone,
    inserts nothing) ``ON CONFLICT (participant, statement) DO UPDATE``: a changed vote
    replaces the earlier one. In autocommit, one round trip.
    """
    vote = Vote._meta.db_table
    statement = Statement._meta.db_table
    person = Participant._meta.db_table
    contribution = Contribution._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {vote} (participant_id, statement_id, value, updated_at) "  # noqa: S608
        f"SELECT p.id, s.id, %s, %s FROM {statement} s "
        f"INNER JOIN {person} p ON p.id = %s AND p.method_instance_id = s.method_instance_id "
        "AND p.key = %s "
        f"LEFT OUTER JOIN {contribution} c ON c.id = s.contribution_id "
        "WHERE s.id = %s AND s.method_instance_id = %s AND s.is_active = %s "
        "AND (s.contribution_id IS NULL OR c.moderation = %s) "
        "ON CONFLICT (participant_id, statement_id) "
        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
    )
    params = [
        value,
        now,
        participant,
        key,
        statement_id,
        instance_id,
        True,
        ModerationState.PUBLISHED,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount)


def do_votes(
    user: User | AnonymousUser,
    instance: MethodInstance,
    votes: dict[int, int],
    *,
    session_key: str | None,
    recompute: bool = True,
) -> int:
    """One person's votes on one or more statements, all or none (:func:`do_vote`'s
    checks); returns the participant's id. One upsert for them all."""
    check_vote(user, instance)
    if not votes or any(value not in (-1, 0, 1) for value in votes.values()):
        raise ActionRefused(_("Choose agree, disagree or pass."))
    key = participant_key(instance.pk, user, session_key)
    if key is None:
        raise ActionRefused(
            _("Your browser did not keep the page's session. Reload the page and try again.")
        )
    if not _votable(instance, list(votes)):
        raise _gone()
    pid = participant_id(instance, key, user)
    # INSERT … ON CONFLICT (participant, statement) DO UPDATE: a changed vote replaces.
    Vote.objects.bulk_create(
        [Vote(participant_id=pid, statement_id=sid, value=value) for sid, value in votes.items()],
        update_conflicts=True,
        unique_fields=["participant", "statement"],
        update_fields=["value", "updated_at"],
    )
    if recompute:
        request_recompute(instance.pk)
    return pid


def request_recompute(
    instance_id: int, *, delay: dt.timedelta = DEBOUNCE, now: dt.datetime | None = None
) -> bool:
    """Ask for the map to be drawn again; True when this call enqueued the task.

    One conditional ``UPDATE``: only the first request after a map was started (or one
    whose task was lost, older than :data:`REQUEST_STALE`) sets ``requested_at`` and
    enqueues; every later vote finds a request pending and does nothing more.
    """
    now = now or timezone.now()
    asked = (
        OpinionMap.objects.filter(method_instance_id=instance_id)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - REQUEST_STALE))
        .update(requested_at=now)
    )
    if asked:
        transaction.on_commit(lambda: tasks.enqueue(instance_id, delay))
    return bool(asked)


# --- a statement from a participant ------------------------------------------------------


def clean_statement(text: str) -> str:
    """One line, hidden characters gone; refused when empty or longer than the limit."""
    cleaned = clean_line(text or "")
    if not cleaned:
        raise ActionRefused(_("Write the statement."))
    if len(cleaned) > MAX_STATEMENT:
        raise ActionRefused(
            _("A statement has at most %(max)d characters (this has %(n)d).")
            % {"max": MAX_STATEMENT, "n": len(cleaned)}
        )
    return cleaned


def check_new_text(instance: MethodInstance, text: str, exclude: int | None = None) -> None:
    """The same statement twice in one conversation is refused (409)."""
    # Compared in Python: SQLite's iexact folds ASCII letters only (not æ, ø, å).
    folded = text.casefold()
    texts = Statement.objects.filter(method_instance=instance).exclude(pk=exclude or 0)
    if any(t.casefold() == folded for t in texts.values_list("text", flat=True).iterator()):
        raise ActionRefused(
            _("This statement is already in the conversation. You can vote on it there."),
            status=409,
        )


def do_add_statement(
    user: User | AnonymousUser,
    instance: MethodInstance,
    text: str,
    *,
    contact_email: str = "",
    channel: str = Channel.WEB,
) -> Receipt:
    """A participant's statement: a contribution a moderator sees before it is voted on.

    The statement's text is the contribution's as stored, after screening (a national
    identity number is masked there and the input held for a moderator).
    """
    check_add(user, instance)
    cleaned = clean_statement(text)
    check_new_text(instance, cleaned)
    draft = Draft(
        kind=STATEMENT_KIND,
        text=cleaned,
        channel=channel,
        contact_email=contact_email.strip(),
        has_free_text=True,
        needs_answer=True,
        # Nobody votes on a participant's statement before a moderator has read it.
        review=True,
    )
    with transaction.atomic():
        receipt = do_contribute(user, instance, ADD, draft)
        Statement.objects.create(
            method_instance=instance,
            text=receipt.contribution.text[: Statement._meta.get_field("text").max_length],
            contribution=receipt.contribution,
            is_seed=False,
        )
    return receipt
