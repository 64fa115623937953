"""Writes of the discussion for everyone who takes part: posts, replies, reactions, follows.

- A post or a reply is a contribution (``do_contribute``: the checks, the length, the
  screening for fødselsnummer and contact details, the kommune's moderation mode and the
  receipt) plus its :class:`~.models.Post` row, in one transaction. The text is stored as
  typed; the HTML shown is built from it by :mod:`.rendering`.
- A top-level post waits for the municipality's reasoned answer (``needs_answer``); a reply
  does not. Staff and elected representatives post as themselves: their name is shown with
  the role they had when they wrote (``Post.role_label``), and their posts wait for no answer.
- A reply locks its thread's first post, so the thread's ``reply_count`` and
  ``last_activity_at`` are recounted in the same transaction, whatever runs at once.
- A reaction (agree or disagree, with a reason) is one per person per post: an account, or
  a keyed hash of the browser's session. Its reason is screened like a post: if it holds a
  fødselsnummer (masked) or contact details it is kept from view for a moderator.
- Following a thread: one click with an account's verified address; anyone else confirms
  an e-mail address first (a link with the token in its path, sent by a task).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.accountability import contact, unsubscribe
from medvirk.contributions import screening
from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.language import email_language
from medvirk.core.text import clean_line
from medvirk.core.tokens import new_nonce
from medvirk.organisations import capabilities
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance

from . import links, rendering, tasks
from .links import CONFIRM, STOP
from .models import Post, Reaction, ThreadFollow, Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

# The plug-in's names (plugin.py declares the same; a test keeps them equal).
METHOD_KEY = "discussion"
POST = "post"
REPLY = "reply"
REACT = "react"
FOLLOW = "follow"
POST_KIND = "discussion_post"
REPLY_KIND = "discussion_reply"
KINDS = (POST_KIND, REPLY_KIND)
# Shown publicly: published posts, and hidden ones as the moderator's reason in their place.
PUBLIC_STATES = (ModerationState.PUBLISHED, ModerationState.HIDDEN)
NAME_MAX = 150
REASON_MAX = 500
ROLE_LABEL_MAX = 120
# Nesting is shown to this depth; deeper replies are shown at it, "in reply to" someone.
MAX_SHOWN_DEPTH = 3
# An e-mail address that never confirmed a follow is forgotten after this long.
UNCONFIRMED_FOLLOW_DAYS = 7


# --- settings -------------------------------------------------------------------------------


def case_posts_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("case_posts", True))


def reactions_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("reactions", True))


def following_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("following", True))


# --- who is writing -------------------------------------------------------------------------


def _can_act(user: User | AnonymousUser, instance: MethodInstance, action: str) -> None:
    permissions.require(user, instance, action)


# Which role a person with several is shown with: the one that speaks for the most.
_ROLE_ORDER = (
    Role.POLITICIAN,
    Role.CASE_OFFICER,
    Role.ADMINISTRATOR,
    Role.MODERATOR,
    Role.IDENTITY_OFFICER,
)


def _role_text(role: str, municipality: str) -> str:
    if role == Role.POLITICIAN:
        return _("Elected representative")
    if role == Role.CASE_OFFICER:
        return _("Case officer, %(municipality)s") % {"municipality": municipality}
    if role == Role.MODERATOR:
        return _("Moderator, %(municipality)s") % {"municipality": municipality}
    return _("Employee, %(municipality)s") % {"municipality": municipality}


def role_label(user: User | AnonymousUser, municipality: Municipality) -> str:
    """The role shown beside a staff member's or an elected representative's post, in the
    municipality's own language ("Sakshandsamar, Lillevik kommune", "Folkevald"); "" for
    everyone else. Stored with the post: a later change of role does not rewrite history."""
    held = capabilities.roles(user, municipality.pk)
    role = next((r for r in _ROLE_ORDER if r in held), None)
    if role is None:
        return ""
    with translation.override(email_language(municipality.default_language)):
        return _role_text(role, municipality.name)[:ROLE_LABEL_MAX]


def person_key(user: User | AnonymousUser, session_key: str) -> str:
    """A keyed hash that recognises one person (an account, or a browser's session) again
    without keeping who it is; "" when there is neither."""
    if user.is_authenticated:
        raw = f"user:{user.pk}"
    elif session_key:
        raw = f"session:{session_key}"
    else:
        return ""
    return salted_hmac("medvirk.discussion.person", raw, algorithm="sha256").hexdigest()


def check_rate(request_person: str, instance: MethodInstance, what: str) -> None:
    """Posts, replies and reactions per person (account or browser) and instance; the
    caller has already counted the client's address (``ratelimit.check_client``)."""
    if request_person and not ratelimit.hit(
        "input", "discussion", what, request_person, instance.pk
    ):
        raise ratelimit.Limited(ratelimit.too_many_message(), "input")


# --- posts and replies ----------------------------------------------------------------------


def _open_topic(instance: MethodInstance, topic_id: int | None, *, lock: bool) -> Topic | None:
    if topic_id is None:
        return None
    rows = Topic.objects.filter(pk=topic_id, method_instance=instance)
    topic = (rows.select_for_update() if lock else rows).first()
    if topic is None:
        raise ActionRefused(_("Choose one of the questions in this discussion."), status=400)
    if not topic.is_open:
        raise ActionRefused(
            _("This question is closed for new posts. You can still read what was written."),
            status=403,
        )
    return topic


def check_post(
    user: User | AnonymousUser, instance: MethodInstance, topic_id: int | None = None
) -> None:
    """Raise :class:`ActionRefused` when this person cannot start a thread here now."""
    _can_act(user, instance, POST)
    if topic_id is None and not case_posts_on(instance):
        raise ActionRefused(
            _("Posts here answer one of the municipality's questions. Choose a question."),
            status=403,
        )
    _open_topic(instance, topic_id, lock=False)


def check_post_anywhere(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` when this person has nowhere to start a thread now."""
    _can_act(user, instance, POST)
    if case_posts_on(instance):
        return
    if not Topic.objects.filter(method_instance=instance, is_open=True).exists():
        raise ActionRefused(_("There is no open question to post on yet."), status=403)


def _clean_text(text: str, empty: str) -> str:
    text = text.strip()
    if not text:
        raise ActionRefused(empty)
    if len(text) > settings.MEDVIRK_MAX_TEXT_LENGTH:
        raise ActionRefused(
            _("The text is too long: at most %(max)d characters.")
            % {"max": settings.MEDVIRK_MAX_TEXT_LENGTH}
        )
    return text


@dataclass(frozen=True)
class Writing:
    """What a person writes: the text, the name to show, and an address for the receipt."""

    text: str
    author_name: str = ""
    show_name: bool = False
    contact_email: str = ""


def _draft(
    user: User | AnonymousUser,
    instance: MethodInstance,
    kind: str,
    writing: Writing,
    data: dict[str, int],
) -> tuple[Draft, str]:
    role = role_label(user, instance.process.municipality)
    if role:
        # As themselves: the account's public name with the role; nothing to answer.
        return (
            Draft(kind=kind, text=writing.text, show_name=True, needs_answer=False, data=data),
            role,
        )
    return (
        Draft(
            kind=kind,
            text=writing.text,
            author_name=writing.author_name.strip()[:NAME_MAX],
            show_name=writing.show_name,
            contact_email=writing.contact_email.strip(),
            needs_answer=kind == POST_KIND,
            data=data,
        ),
        "",
    )


def do_post(
    user: User | AnonymousUser,
    instance: MethodInstance,
    writing: Writing,
    topic_id: int | None = None,
) -> Receipt:
    """Start a thread on one of the staff's questions (``topic_id``) or on the case."""
    check_post(user, instance, topic_id)
    text = _clean_text(writing.text, _("Write your post."))
    data = {"topic": topic_id} if topic_id is not None else {}
    draft, role = _draft(user, instance, POST_KIND, replace(writing, text=text), data)
    with transaction.atomic():
        # The question's row is locked: a post and closing the question never interleave.
        topic = _open_topic(instance, topic_id, lock=True)
        receipt = do_contribute(user, instance, POST, draft)
        contribution = receipt.contribution
        post = Post.objects.create(
            contribution=contribution,
            topic=topic,
            depth=0,
            html=rendering.to_html(contribution.text),
            role_label=role,
            last_activity_at=contribution.created_at,
        )
        post.root = post
        post.save(update_fields=["root"])
    return receipt


def _reply_target(instance: MethodInstance, parent_id: int) -> Post:
    parent = (
        Post.objects.select_related("contribution", "topic", "root")
        .filter(pk=parent_id, contribution__method_instance=instance)
        .first()
    )
    if parent is None:
        raise ActionRefused(_("The post you reply to is not in this discussion."), status=404)
    if parent.contribution.moderation != ModerationState.PUBLISHED:
        raise ActionRefused(
            _("The post you reply to is not shown, so it cannot be replied to."), status=409
        )
    return parent


def check_reply(user: User | AnonymousUser, instance: MethodInstance, parent_id: int) -> Post:
    """The post to reply to, or :class:`ActionRefused` when this person cannot reply now."""
    _can_act(user, instance, REPLY)
    parent = _reply_target(instance, parent_id)
    if parent.topic is not None and not parent.topic.is_open:
        raise ActionRefused(
            _("This question is closed for new posts. You can still read what was written."),
            status=403,
        )
    return parent


def recount_thread(root_id: int) -> None:
    """The thread's replies shown publicly and the time of the latest, under the first
    post's row lock (call inside a transaction)."""
    root = Post.objects.select_for_update().filter(pk=root_id).first()
    if root is None:
        return
    shown = Post.objects.filter(
        root_id=root_id, contribution__moderation__in=PUBLIC_STATES
    ).exclude(pk=root_id)
    summary = shown.aggregate(latest=Max("contribution__created_at"))
    root.reply_count = shown.count()
    root.last_activity_at = summary["latest"] or root.contribution.created_at
    root.save(update_fields=["reply_count", "last_activity_at"])


def do_reply(
    user: User | AnonymousUser,
    instance: MethodInstance,
    parent_id: int,
    writing: Writing,
) -> Receipt:
    """Reply to any post shown in the discussion; the thread's counts change with it, and
    once the reply is shown its followers are e-mailed (a task, after commit)."""
    parent = check_reply(user, instance, parent_id)
    text = _clean_text(writing.text, _("Write your reply."))
    data = {"parent": parent.contribution_id}
    draft, role = _draft(user, instance, REPLY_KIND, replace(writing, text=text), data)
    root_id = parent.root_id or parent.pk
    with transaction.atomic():
        # The thread's first post is locked first: replies in one thread queue up here.
        Post.objects.select_for_update().filter(pk=root_id).first()
        parent = check_reply(user, instance, parent_id)
        receipt = do_contribute(user, instance, REPLY, draft)
        contribution = receipt.contribution
        reply = Post.objects.create(
            contribution=contribution,
            topic=parent.topic,
            parent=parent,
            root_id=root_id,
            depth=parent.depth + 1,
            html=rendering.to_html(contribution.text),
            role_label=role,
            last_activity_at=contribution.created_at,
        )
        recount_thread(root_id)
        if contribution.moderation == ModerationState.PUBLISHED:
            reply_id = reply.pk
            transaction.on_commit(lambda: tasks.notify_followers.enqueue(reply_id))
    return receipt


# --- reactions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionResult:
    reaction: Reaction
    created: bool
    # False when the reason is kept from view for a moderator (screening found something).
    reason_shown: bool


def _reaction_target(user: User | AnonymousUser, instance: MethodInstance, post_id: int) -> Post:
    if not reactions_on(instance):
        raise ActionRefused(
            _("This discussion does not take agreement or disagreement."), status=403
        )
    _can_act(user, instance, REACT)
    post = (
        Post.objects.select_related("contribution", "topic")
        .filter(pk=post_id, contribution__method_instance=instance)
        .first()
    )
    if post is None:
        raise ActionRefused(_("The post is not in this discussion."), status=404)
    if post.contribution.moderation != ModerationState.PUBLISHED:
        raise ActionRefused(
            _("This post is not shown, so you cannot agree or disagree with it."), status=409
        )
    if post.topic is not None and not post.topic.is_open:
        raise ActionRefused(
            _("This question is closed. You can still read what was written."), status=403
        )
    return post


def check_react(user: User | AnonymousUser, instance: MethodInstance, post_id: int) -> Post:
    """The post to agree or disagree with, or :class:`ActionRefused`."""
    post = _reaction_target(user, instance, post_id)
    if user.is_authenticated and post.contribution.author_id == user.pk:
        raise ActionRefused(_("You cannot agree or disagree with your own post."), status=403)
    return post


def clean_reason(reason: str) -> str:
    cleaned = clean_line(reason or "")
    if not cleaned:
        raise ActionRefused(_("Say why you agree or disagree, in a sentence or two."))
    if len(cleaned) > REASON_MAX:
        raise ActionRefused(
            _("The reason is too long: at most %(max)d characters.") % {"max": REASON_MAX}
        )
    return cleaned


def do_react(
    user: User | AnonymousUser,
    instance: MethodInstance,
    post_id: int,
    stance: str,
    reason: str,
    *,
    session_key: str = "",
) -> ReactionResult:
    """Agree or disagree with a post, with a reason: one per person, a second time changes
    the first. A reason with a fødselsnummer (masked) or contact details is not shown."""
    post = check_react(user, instance, post_id)
    if stance not in Reaction.Stance.values:
        raise ActionRefused(_("Choose whether you agree or disagree."))
    key = person_key(user, session_key)
    if not key:
        raise ActionRefused(
            _("Your browser did not keep the page's session. Reload the page and try again."),
            status=400,
        )
    masked, findings = screening.screen("reason", clean_reason(reason))
    visible = not findings
    values = {
        "stance": stance,
        "reason": masked,
        "is_visible": visible,
        "user": user if user.is_authenticated else None,
    }
    try:
        with transaction.atomic():
            reaction, created = Reaction.objects.update_or_create(
                post=post, person_key=key, defaults=values
            )
    except IntegrityError:
        # The same person's parallel request got in first: theirs is replaced by this one.
        with transaction.atomic():
            reaction = Reaction.objects.select_for_update().get(post=post, person_key=key)
            for name, value in values.items():
                setattr(reaction, name, value)
            reaction.save()
        created = False
    return ReactionResult(reaction, created, visible)


def do_withdraw_reaction(
    user: User | AnonymousUser, instance: MethodInstance, post_id: int, *, session_key: str = ""
) -> bool:
    """Take back one's own reaction to a post; False when there was none."""
    key = person_key(user, session_key)
    if not key:
        return False
    deleted, _rows = Reaction.objects.filter(
        post_id=post_id, post__contribution__method_instance=instance, person_key=key
    ).delete()
    return deleted > 0


# --- following a thread ---------------------------------------------------------------------


def _thread_root(instance: MethodInstance, post_id: int) -> Post:
    if not following_on(instance):
        raise ActionRefused(_("Following threads is turned off in this discussion."), status=403)
    post = (
        Post.objects.select_related("contribution", "root__contribution")
        .filter(pk=post_id, contribution__method_instance=instance)
        .first()
    )
    if post is None or post.root is None:
        raise ActionRefused(_("The post is not in this discussion."), status=404)
    root = post.root
    if root.contribution.moderation not in PUBLIC_STATES:
        raise ActionRefused(_("This thread is not shown, so it cannot be followed."), status=409)
    return root


def check_follow(user: User | AnonymousUser, instance: MethodInstance, post_id: int) -> Post:
    """The thread's first post, or :class:`ActionRefused` when it cannot be followed."""
    root = _thread_root(instance, post_id)
    _can_act(user, instance, FOLLOW)
    return root


def do_follow_with_account(user: User, instance: MethodInstance, post_id: int) -> ThreadFollow:
    """Follow a thread at the account's verified address: one click, confirmed at once.
    Asking again changes nothing. Refused (400) without a verified address."""
    root = check_follow(user, instance, post_id)
    if not contact.account_email(user):
        raise ActionRefused(_("Your account has no verified e-mail address."))
    language = user.preferred_language or get_language() or ""
    with transaction.atomic():
        follow, created = ThreadFollow.objects.get_or_create(
            root=root,
            user=user,
            defaults={"confirmed_at": timezone.now(), "nonce": new_nonce(), "language": language},
        )
        if not created and follow.confirmed_at is None:
            follow.confirmed_at = timezone.now()
            follow.save(update_fields=["confirmed_at"])
    return follow


def do_unfollow_with_account(user: User, instance: MethodInstance, post_id: int) -> bool:
    root = _thread_root(instance, post_id)
    deleted, _rows = ThreadFollow.objects.filter(root=root, user=user).delete()
    return deleted > 0


def do_request_follow(
    user: User | AnonymousUser, instance: MethodInstance, post_id: int, email: str
) -> ThreadFollow | None:
    """Ask an address to confirm that it wants replies to a thread (double opt-in).

    The answer is the same whether the address already follows or not, and nothing is sent
    or kept when the address has had too many e-mails lately (``email_to``): the page says
    the same either way, so it reveals no one's address.
    """
    root = check_follow(user, instance, post_id)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ActionRefused(_("The e-mail address is not valid.")) from exc
    # Addresses that never confirmed are forgotten after a week.
    ThreadFollow.objects.filter(
        root__contribution__method_instance=instance,
        confirmed_at__isnull=True,
        created_at__lt=timezone.now() - dt.timedelta(days=UNCONFIRMED_FOLLOW_DAYS),
    ).delete()
    if ThreadFollow.objects.filter(root=root, email=email).exists():
        return None
    if not ratelimit.hit("email_to", email):
        return None
    try:
        with transaction.atomic():
            follow = ThreadFollow.objects.create(
                root=root, email=email, nonce=new_nonce(), language=get_language() or ""
            )
    except IntegrityError:
        return None  # asked at the same moment: as above
    follow_id = follow.pk
    transaction.on_commit(lambda: tasks.send_follow_confirmation.enqueue(follow_id))
    return follow


def do_confirm_follow(pk: int, token: str) -> ThreadFollow:
    """The address opened its confirmation link: it follows the thread from now on."""
    follow = links.follow_by_token(pk, token, CONFIRM)
    if follow is None:
        raise ActionRefused(_("This link is not valid."), status=404)
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
        process_id = follow.root.contribution.process_id
        unsubscribe.clear_opt_out(process_id, follow.email)
    return follow


def do_stop_following(pk: int, token: str) -> Post:
    """The stop link in a reply e-mail: the follow ends (the thread's first post returned)."""
    follow = links.follow_by_token(pk, token, STOP)
    if follow is None:
        raise ActionRefused(_("This link is not valid."), status=404)
    root = follow.root
    follow.delete()
    return root


# --- reading a contribution's post -----------------------------------------------------------


def post_of(contribution_id: int) -> Post | None:
    return (
        Post.objects.select_related("contribution", "root")
        .filter(contribution_id=contribution_id)
        .first()
    )


def is_discussion_input(contribution: Contribution) -> bool:
    return contribution.kind in KINDS
