"""Writes of the idea board for everyone who takes part: ideas, comments and supports.

- An idea is a contribution (``do_contribute``: the checks, the length, the screening for
  fødselsnummer and contact details, the kommune's moderation mode and the receipt) plus
  its :class:`~.models.Idea` row, in one transaction. The contribution's text is the title,
  a blank line and the description, so the inbox, the receipt and the case's list of input
  read as the resident wrote it; the title (screened with the rest) is kept for the board.
- A comment is a contribution that waits for no answer (``needs_answer=False``, as the
  discussion's replies), with data linking the idea. It can still be answered in the inbox.
- A support is one row per person and idea (:class:`~.models.Support`), kept once by a
  unique constraint on a keyed hash of the person: the account when logged in, else the
  browser's session. Who may support, and at which identity level, is the instance's
  "Identity needed to take part" for "Support an idea". The idea's row is locked while a
  support is added or taken back, so a merge (which moves supporters) never interleaves.

Text is stored cleaned of control and direction-changing characters (line breaks kept) and
is always shown escaped: nothing anyone writes becomes markup.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import ModerationState
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance, Phase
from medvirk.processes.phases import active_phase

from .forms import DEFAULT_LENGTH, split_categories
from .models import TITLE_MAX, Idea, IdeaComment, Support

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

# The plug-in's names (plugin.py declares the same; a test keeps them equal).
METHOD_KEY = "ideas"
SUBMIT = "submit_idea"
COMMENT = "comment"
SUPPORT = "support"
KIND = "idea"
COMMENT_KIND = "idea_comment"
NAME_MAX = 150
# Shown publicly: published input, and hidden input as the moderator's reason in its place.
PUBLIC_STATES = (ModerationState.PUBLISHED, ModerationState.HIDDEN)
# Characters that change the direction of the text after them (bidi embeddings, overrides,
# isolates) or hide it: dropped from what is stored, as from names (core.text).
_DROPPED = frozenset({"Cc", "Cf", "Cs"})


# --- settings -------------------------------------------------------------------------------


def categories(instance: MethodInstance) -> list[str]:
    return split_categories(str(instance.settings.get("categories", "")))


def max_length(instance: MethodInstance) -> int:
    return int(instance.settings.get("max_length", DEFAULT_LENGTH))


def supports_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("supports", True))


def comments_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("comments", True))


# --- who is acting --------------------------------------------------------------------------


def can_act(user: User | AnonymousUser, instance: MethodInstance, action: str) -> None:
    """Raise :class:`ActionRefused` (or :class:`NeedsLogin`) when the core says no."""
    permissions.require(user, instance, action)


def person_key(user: User | AnonymousUser, session_key: str) -> str:
    """A keyed hash that recognises one person (an account, or a browser's session) again
    without keeping who it is; "" when there is neither."""
    if user.is_authenticated:
        raw = f"user:{user.pk}"
    elif session_key:
        raw = f"browser:{session_key}"
    else:
        return ""
    return salted_hmac("medvirk.ideas.person", raw, algorithm="sha256").hexdigest()


def check_rate(key: str, instance: MethodInstance, what: str) -> None:
    """Ideas and comments per person (account or browser) and board; the caller has already
    counted the client's address (``ratelimit.check_client``)."""
    if key and not ratelimit.hit("input", "ideas", what, key, instance.pk):
        raise ratelimit.Limited(ratelimit.too_many_message(), "input")


# --- text -----------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """A multi-line text as it will be shown: line breaks kept (as ``\\n``), tabs as spaces,
    control, format and direction-changing characters left out, NFC, trimmed."""
    kept = []
    for char in str(value or "").replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\n":
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED:
            kept.append(char)
    lines = [line.rstrip() for line in "".join(kept).split("\n")]
    return unicodedata.normalize("NFC", "\n".join(lines)).strip()


def compose(title: str, body: str) -> str:
    """The contribution's text: the title, a blank line, the description."""
    return f"{title}\n\n{body}"


def body_of(idea: Idea) -> str:
    """The description as shown: the contribution's text after the title (screening may
    have masked a number across both, then the whole text is shown)."""
    text = idea.contribution.text
    head = f"{idea.title}\n\n"
    return text[len(head) :] if text.startswith(head) else text


@dataclass(frozen=True)
class Writing:
    """What a person writes: the text, the name to show, and an address for the receipt."""

    text: str
    author_name: str = ""
    show_name: bool = False
    contact_email: str = ""


def _draft(kind: str, text: str, writing: Writing, data: dict[str, object]) -> Draft:
    return Draft(
        kind=kind,
        text=text,
        data=data,
        author_name=clean_line(writing.author_name)[:NAME_MAX],
        show_name=writing.show_name,
        contact_email=writing.contact_email.strip(),
        needs_answer=kind == KIND,
    )


# --- ideas ----------------------------------------------------------------------------------


def _takes_ideas(instance: MethodInstance, phases: list[Phase]) -> bool:
    current = active_phase(phases)
    if current is None:
        return True
    return bool(instance.settings_for_phase(current).get("takes_ideas", True))


def check_submit(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` when this person cannot put forward an idea here now."""
    can_act(user, instance, SUBMIT)
    phases = list(Phase.objects.filter(process_id=instance.process_id).order_by("start"))
    if not _takes_ideas(instance, phases):
        raise ActionRefused(
            _(
                "The board takes no new ideas in this phase of the case. You can still "
                "support and comment on the ideas that are here."
            ),
            status=403,
        )


def clean_title(title: str) -> str:
    cleaned = clean_line(title)
    if not cleaned:
        raise ActionRefused(_("Give the idea a short headline."))
    if len(cleaned) > TITLE_MAX:
        raise ActionRefused(
            _("The headline is too long: at most %(max)d characters.") % {"max": TITLE_MAX}
        )
    return cleaned


def _clean_body(text: str, empty: str, limit: int) -> str:
    body = clean_text(text)
    if not body:
        raise ActionRefused(empty)
    if len(body) > limit:
        raise ActionRefused(
            _("The text is too long: at most %(max)d characters (it has %(n)d).")
            % {"max": limit, "n": len(body)}
        )
    return body


def do_submit_idea(
    user: User | AnonymousUser,
    instance: MethodInstance,
    title: str,
    writing: Writing,
    category: str = "",
) -> Receipt:
    """Put forward one idea; returns its private receipt."""
    check_submit(user, instance)
    title = clean_title(title)
    body = _clean_body(
        writing.text, _("Describe the idea in a few sentences."), max_length(instance)
    )
    category = clean_line(category)
    if category and category not in categories(instance):
        raise ActionRefused(_("Choose one of the categories."))
    data: dict[str, object] = {"title": title}
    if category:
        data["category"] = category
    draft = _draft(KIND, compose(title, body), writing, data)
    with transaction.atomic():
        receipt = do_contribute(user, instance, SUBMIT, draft)
        contribution = receipt.contribution
        # The title as screened (a fødselsnummer in it is masked like one in the text).
        shown = str(contribution.data.get("title", title))[:TITLE_MAX]
        Idea.objects.create(
            contribution=contribution, method_instance=instance, title=shown, category=category
        )
    return receipt


def _shown_idea(instance: MethodInstance, idea_id: int, *, lock: bool = False) -> Idea:
    rows = Idea.objects.filter(pk=idea_id, method_instance=instance).select_related("contribution")
    # Locked, the idea it is merged into is not joined: when the lock waits for a merge,
    # PostgreSQL re-reads the locked row but not a joined one, so a joined merged_into
    # would still say "not merged". Read lazily, it follows the new value.
    rows = rows.select_for_update(of=("self",)) if lock else rows.select_related("merged_into")
    idea = rows.first()
    if idea is None:
        raise ActionRefused(_("The idea is not on this board."), status=404)
    if idea.contribution.moderation != ModerationState.PUBLISHED:
        raise ActionRefused(_("This idea is not shown, so nothing can be added to it."), status=409)
    return idea


class MergedIdea(ActionRefused):
    """The idea is merged into another (409): support or comment that one instead."""

    def __init__(self, target: Idea) -> None:
        super().__init__(
            _("This idea is merged into «%(title)s». Support and comment on that one instead.")
            % {"title": target.title},
            status=409,
        )
        self.target = target


# --- comments -------------------------------------------------------------------------------


def check_comment(user: User | AnonymousUser, instance: MethodInstance, idea_id: int) -> Idea:
    """The idea to comment on, or :class:`ActionRefused` when this person cannot now."""
    if not comments_on(instance):
        raise ActionRefused(_("This board does not take comments."), status=403)
    can_act(user, instance, COMMENT)
    idea = _shown_idea(instance, idea_id)
    if idea.merged_into is not None:
        raise MergedIdea(idea.merged_into)
    return idea


def do_comment(
    user: User | AnonymousUser, instance: MethodInstance, idea_id: int, writing: Writing
) -> Receipt:
    """Comment on a published idea; the comment waits for no answer."""
    check_comment(user, instance, idea_id)
    text = _clean_body(
        writing.text,
        _("Write your comment before you send it."),
        settings.MEDVIRK_MAX_TEXT_LENGTH,
    )
    with transaction.atomic():
        # The idea's row is locked: a comment and a merge of the idea never interleave.
        idea = _shown_idea(instance, idea_id, lock=True)
        if idea.merged_into is not None:
            raise MergedIdea(idea.merged_into)
        draft = _draft(COMMENT_KIND, text, writing, {"idea": idea.pk})
        receipt = do_contribute(user, instance, COMMENT, draft)
        IdeaComment.objects.create(contribution=receipt.contribution, idea=idea)
    return receipt


# --- supports -------------------------------------------------------------------------------


class AlreadySupported(ActionRefused):
    """This person supports the idea already (409); nothing was stored."""

    def __init__(self) -> None:
        super().__init__(_("You already support this idea. Each person counts once."), status=409)


def check_support(user: User | AnonymousUser, instance: MethodInstance, idea_id: int) -> Idea:
    """The idea to support, or :class:`ActionRefused` when this person cannot now."""
    if not supports_on(instance):
        raise ActionRefused(_("Supporting ideas is turned off on this board."), status=403)
    can_act(user, instance, SUPPORT)
    idea = _shown_idea(instance, idea_id)
    if idea.merged_into is not None:
        raise MergedIdea(idea.merged_into)
    return idea


def _key_or_refuse(user: User | AnonymousUser, session_key: str) -> str:
    key = person_key(user, session_key)
    if not key:
        # The web form always gives a session; a support that cannot be counted once is refused.
        raise ActionRefused(
            _("Your browser did not keep the page's session. Reload the page and try again."),
            status=400,
        )
    return key


def do_support(
    user: User | AnonymousUser, instance: MethodInstance, idea_id: int, *, session_key: str = ""
) -> Support:
    """Support an idea, once per person: a second time is :class:`AlreadySupported` (409),
    also when two requests of one person race (the unique constraint decides)."""
    check_support(user, instance, idea_id)
    key = _key_or_refuse(user, session_key)
    with transaction.atomic():
        idea = _shown_idea(instance, idea_id, lock=True)
        if idea.merged_into is not None:
            raise MergedIdea(idea.merged_into)
        if Support.objects.filter(idea=idea, person_key=key).exists():
            raise AlreadySupported()
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    idea=idea,
                    person_key=key,
                    user=user if user.is_authenticated else None,
                    level=int(permissions.user_level(user)),
                )
        except IntegrityError as exc:
            raise AlreadySupported() from exc
    return support


def do_withdraw_support(
    user: User | AnonymousUser, instance: MethodInstance, idea_id: int, *, session_key: str = ""
) -> bool:
    """Take back one's own support while the board takes supports; False when there was none."""
    if not supports_on(instance):
        raise ActionRefused(_("Supporting ideas is turned off on this board."), status=403)
    can_act(user, instance, SUPPORT)
    key = person_key(user, session_key)
    if not key:
        return False
    with transaction.atomic():
        idea = _shown_idea(instance, idea_id, lock=True)
        deleted, _rows = Support.objects.filter(idea=idea, person_key=key).delete()
    return deleted > 0
