"""Reads of the discussion for its pages and exports, each a fixed number of queries.

- the municipality's rules (or the default text in the reader's language);
- the staff's questions (topics) with how many threads each has;
- a page of threads (their first posts) on a question or on the case as a whole, newest
  first or most discussed first, with the answer and the reactions;
- one thread with its replies in order, nested to three levels and flat after that with
  "in reply to", each with its reactions and the reader's own.

Shown publicly: published posts, and hidden ones as the moderator's reason in their place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from medvirk.accountability.models import FINAL_STATUSES
from medvirk.contributions.models import ModerationState
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance

from .actions import KINDS, MAX_SHOWN_DEPTH, POST_KIND, PUBLIC_STATES, REPLY_KIND
from .models import Post, Reaction, Rules, ThreadFollow, Topic

THREADS_PER_PAGE = 20
# How many reasons each side shows on a post's reactions page (newest first).
REASONS_SHOWN = 200
NEWEST = "nyaste"
MOST_DISCUSSED = "mest-diskutert"
SORTS = (NEWEST, MOST_DISCUSSED)
# Published counts of people hide every group smaller than this (the open-data promise).
SUPPRESS_BELOW = 5


# --- the rules ----------------------------------------------------------------------------


def default_rules() -> str:
    """The rules shown until the municipality writes its own, in the reader's language."""
    return _(
        "Write to the point and with respect for others, also when you disagree.\n"
        "Do not write anything about other people that they would not want known, such as "
        "health, family matters or a national identity number.\n"
        "Do not write phone numbers, e-mail addresses or links to private pages.\n"
        "No harassment, threats, discrimination, advertising or spam.\n"
        "Moderators may hide posts that break these rules; the reason is shown in their "
        "place. Anyone can report a post they think breaks them.\n"
        "The municipality reads every post and gives each new post a reasoned answer."
    )


@dataclass(frozen=True)
class RulesView:
    text: str
    is_default: bool

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


def rules_of(municipality: Municipality | int) -> Rules | None:
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    return Rules.objects.filter(municipality_id=municipality_id).first()


def rules(municipality: Municipality | int) -> RulesView:
    row = rules_of(municipality)
    if row is None or not row.text.strip():
        return RulesView(default_rules(), True)
    return RulesView(row.text, False)


# --- topics -------------------------------------------------------------------------------


def _shown_roots() -> Q:
    return Q(
        posts__parent__isnull=True,
        posts__contribution__moderation__in=PUBLIC_STATES,
    )


def topics(instance: MethodInstance) -> list[Topic]:
    """The instance's questions in order, each with ``n_threads`` (threads shown)."""
    return list(
        Topic.objects.filter(method_instance=instance)
        .annotate(n_threads=Count("posts", filter=_shown_roots()))
        .order_by("order", "pk")
    )


def topic(instance: MethodInstance, pk: int) -> Topic | None:
    return Topic.objects.filter(method_instance=instance, pk=pk).first()


def case_thread_count(instance: MethodInstance) -> int:
    return Post.objects.filter(
        contribution__method_instance=instance,
        topic__isnull=True,
        parent__isnull=True,
        contribution__moderation__in=PUBLIC_STATES,
    ).count()


# --- threads ------------------------------------------------------------------------------


def _with_contribution(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("contribution__author", "contribution__response", "topic")


def sort_of(value: str | None) -> str:
    return value if value in SORTS else NEWEST


@dataclass
class Entry:
    """A post as a page shows it: its level of nesting, whom it replies to (when that is not
    shown by the nesting), and its reactions."""

    post: Post
    level: int = 0
    # The post it replies to (for a reply shown in a thread).
    in_reply_to: Post | None = None
    # Deeper than the nesting shows: "in reply to …" is said in words.
    flattened: bool = False
    agree: int = 0
    disagree: int = 0
    own: Reaction | None = None
    # The addresses of the post's own links (set by the view).
    links: dict[str, str] = field(default_factory=dict)

    @property
    def hidden(self) -> bool:
        return self.post.contribution.moderation == ModerationState.HIDDEN

    @property
    def is_root(self) -> bool:
        return self.post.parent_id is None

    @property
    def response(self) -> object | None:
        return getattr(self.post.contribution, "response", None)


def reaction_counts(post_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Agree and disagree per post (one query)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Reaction.objects.filter(post_id__in=list(post_ids))
        .values_list("post_id", "stance")
        .annotate(n=Count("id"))
        .order_by()
    )
    for post_id, stance, n in rows:
        counts[post_id][stance] = n
    return counts


def own_reactions(post_ids: Iterable[int], key: str) -> dict[int, Reaction]:
    """The reader's own reaction per post (one query; none without a key)."""
    if not key:
        return {}
    return {
        r.post_id: r for r in Reaction.objects.filter(post_id__in=list(post_ids), person_key=key)
    }


def _entries(posts: Sequence[Post], key: str) -> list[Entry]:
    ids = [p.pk for p in posts]
    counts = reaction_counts(ids)
    own = own_reactions(ids, key)
    return [
        Entry(
            post=p,
            agree=counts.get(p.pk, {}).get(Reaction.Stance.AGREE, 0),
            disagree=counts.get(p.pk, {}).get(Reaction.Stance.DISAGREE, 0),
            own=own.get(p.pk),
        )
        for p in posts
    ]


@dataclass
class ThreadPage:
    page: Page[Post]
    entries: list[Entry]
    sort: str


def threads(
    instance: MethodInstance,
    topic_id: int | None,
    *,
    sort: str = NEWEST,
    page: int = 1,
    key: str = "",
) -> ThreadPage:
    """One page of threads on a question (``topic_id``) or on the case (None): 4 queries
    (the count, the page, the reactions, the reader's own)."""
    on: dict[str, Any] = {"topic__isnull": True} if topic_id is None else {"topic_id": topic_id}
    qs = _with_contribution(
        Post.objects.filter(
            **on,
            contribution__method_instance=instance,
            parent__isnull=True,
            contribution__moderation__in=PUBLIC_STATES,
        )
    )
    if sort == MOST_DISCUSSED:
        qs = qs.order_by("-reply_count", "-last_activity_at", "-pk")
    else:
        qs = qs.order_by("-contribution__created_at", "-pk")
    shown = Paginator(qs, THREADS_PER_PAGE).get_page(page)
    entries = _entries(list(shown.object_list), key)
    return ThreadPage(page=shown, entries=entries, sort=sort_of(sort))


def public_post(instance: MethodInstance, pk: int) -> Post | None:
    """A post shown in this instance (published or hidden); None for any other."""
    return (
        _with_contribution(Post.objects.select_related("root", "parent__contribution__author"))
        .filter(
            pk=pk,
            contribution__method_instance=instance,
            contribution__moderation__in=PUBLIC_STATES,
        )
        .first()
    )


@dataclass
class Thread:
    root: Entry
    replies: list[Entry] = field(default_factory=list)

    @property
    def topic(self) -> Topic | None:
        return self.root.post.topic


def thread(instance: MethodInstance, root: Post, key: str = "") -> Thread:
    """The thread under ``root`` in reading order (3 queries): replies nested to
    :data:`MAX_SHOWN_DEPTH` levels, deeper ones at that level with whom they reply to."""
    posts = list(
        _with_contribution(
            Post.objects.filter(root=root, contribution__moderation__in=PUBLIC_STATES)
        ).order_by("pk")
    )
    entries = {e.post.pk: e for e in _entries(posts, key)}
    children: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries.values():
        parent = entry.post.parent_id
        if parent is None:
            continue
        # A reply under a post no longer shown is shown under the first post.
        children[parent if parent in entries else root.pk].append(entry)
    ordered: list[Entry] = []
    stack = list(reversed(children.get(root.pk, [])))
    while stack:
        entry = stack.pop()
        depth = entry.post.depth
        entry.level = min(depth, MAX_SHOWN_DEPTH)
        parent_entry = entries.get(entry.post.parent_id or root.pk)
        if parent_entry is not None:
            entry.in_reply_to = parent_entry.post
        entry.flattened = depth > MAX_SHOWN_DEPTH
        ordered.append(entry)
        stack.extend(reversed(children.get(entry.post.pk, [])))
    root_entry = entries.get(root.pk) or _entries([root], key)[0]
    return Thread(root=root_entry, replies=ordered)


# --- reactions ----------------------------------------------------------------------------


@dataclass
class Reasons:
    agree: list[Reaction]
    disagree: list[Reaction]
    agree_count: int
    disagree_count: int


def reasons(post: Post) -> Reasons:
    """The reasons shown for a post, newest first, at most :data:`REASONS_SHOWN` a side, with
    the counts of everyone who agrees or disagrees (3 queries)."""
    counts = reaction_counts([post.pk]).get(post.pk, {})
    shown = Reaction.objects.filter(post=post, is_visible=True).exclude(reason="")
    return Reasons(
        agree=list(
            shown.filter(stance=Reaction.Stance.AGREE).order_by("-updated_at", "-pk")[
                :REASONS_SHOWN
            ]
        ),
        disagree=list(
            shown.filter(stance=Reaction.Stance.DISAGREE).order_by("-updated_at", "-pk")[
                :REASONS_SHOWN
            ]
        ),
        agree_count=counts.get(Reaction.Stance.AGREE, 0),
        disagree_count=counts.get(Reaction.Stance.DISAGREE, 0),
    )


def own_reaction(post: Post, key: str) -> Reaction | None:
    if not key:
        return None
    return Reaction.objects.filter(post=post, person_key=key).first()


def follows(root: Post, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return ThreadFollow.objects.filter(
        root=root, user_id=user_id, confirmed_at__isnull=False
    ).exists()


# --- staff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    posts: int
    replies: int
    waiting: int
    hidden: int
    unanswered: int
    reasons_held: int


def summary(instance: MethodInstance) -> Summary:
    """What the staff editor shows at the top (2 queries)."""
    mine = Post.objects.filter(contribution__method_instance=instance)
    counted = mine.aggregate(
        posts=Count("pk", filter=Q(contribution__kind=POST_KIND)),
        replies=Count("pk", filter=Q(contribution__kind=REPLY_KIND)),
        waiting=Count(
            "pk",
            filter=Q(contribution__moderation__in=(ModerationState.PENDING, ModerationState.HELD)),
        ),
        hidden=Count("pk", filter=Q(contribution__moderation=ModerationState.HIDDEN)),
        unanswered=Count(
            "pk",
            filter=Q(contribution__needs_answer=True, contribution__kind=POST_KIND)
            & ~Q(contribution__moderation=ModerationState.REJECTED)
            & ~Q(contribution__response__status__in=FINAL_STATUSES),
        ),
    )
    held = Reaction.objects.filter(
        post__contribution__method_instance=instance, is_visible=False
    ).count()
    return Summary(reasons_held=held, **counted)


def staff_topics(instance: MethodInstance) -> list[Topic]:
    """Every question with its counts: threads shown, and all posts in it."""
    return list(
        Topic.objects.filter(method_instance=instance)
        .annotate(
            n_threads=Count("posts", filter=_shown_roots()),
            n_posts=Count("posts"),
        )
        .order_by("order", "pk")
    )


def reactions_for_staff(instance: MethodInstance, *, held: bool) -> QuerySet[Reaction]:
    """Reasons kept from view (``held``) or shown, newest first, with their posts."""
    return (
        Reaction.objects.filter(post__contribution__method_instance=instance, is_visible=not held)
        .exclude(reason="")
        .select_related("post__contribution")
        .order_by("-updated_at", "-pk")
    )


def reaction_of(instance: MethodInstance, pk: int) -> Reaction | None:
    return (
        Reaction.objects.filter(pk=pk, post__contribution__method_instance=instance)
        .select_related("post__contribution")
        .first()
    )


# --- exports ------------------------------------------------------------------------------


def all_posts(instance: MethodInstance) -> QuerySet[Post]:
    """Every post of the instance in order of writing, for the staff export."""
    return (
        Post.objects.filter(contribution__method_instance=instance, contribution__kind__in=KINDS)
        .select_related("contribution__author", "contribution__response", "topic", "parent", "root")
        .order_by("pk")
    )


def published_posts(instance: MethodInstance) -> QuerySet[Post]:
    """Published posts only (never held, waiting, hidden or rejected), for open data."""
    return all_posts(instance).filter(contribution__moderation=ModerationState.PUBLISHED)


def has_published(instance: MethodInstance) -> bool:
    return published_posts(instance).exists()


def all_reactions(instance: MethodInstance) -> QuerySet[Reaction]:
    return (
        Reaction.objects.filter(post__contribution__method_instance=instance)
        .select_related("post")
        .order_by("pk")
    )


# --- the council report ---------------------------------------------------------------------

REPORT_THREADS = 5


@dataclass(frozen=True)
class QuestionCount:
    """Threads and replies published on one question (``title`` "" for the case as a whole)."""

    title: str
    threads: int
    replies: int


@dataclass(frozen=True)
class BusyThread:
    """One of the most answered threads: the start of its first post and its counts, with
    reactions as published (None from 1 to 4)."""

    excerpt: str
    question: str
    replies: int
    agree: int | None
    disagree: int | None
    answer: str


@dataclass(frozen=True)
class Report:
    threads: int
    replies: int
    as_self: int
    awaiting_answer: int
    answered: int
    questions: list[QuestionCount]
    busiest: list[BusyThread]


def _published_count(n: int) -> int | None:
    return None if 0 < n < SUPPRESS_BELOW else n


def report(instance: MethodInstance) -> Report:
    """The discussion in the council report (4 queries): published posts only, replies
    counted under published threads, the threads with the most replies first."""
    published = Post.objects.filter(
        contribution__method_instance=instance,
        contribution__moderation=ModerationState.PUBLISHED,
    ).filter(Q(parent__isnull=True) | Q(root__contribution__moderation=ModerationState.PUBLISHED))
    root = Q(parent__isnull=True)
    per_topic = {
        row["topic_id"]: row
        for row in published.order_by()
        .values("topic_id")
        .annotate(
            n_threads=Count("pk", filter=root),
            n_replies=Count("pk", filter=~root),
            n_as_self=Count("pk", filter=~Q(role_label="")),
            n_awaiting=Count("pk", filter=root & Q(contribution__needs_answer=True)),
            n_answered=Count(
                "pk",
                filter=root
                & Q(contribution__needs_answer=True)
                & Q(contribution__response__status__in=FINAL_STATUSES),
            ),
        )
    }
    questions = [
        QuestionCount(t.title, per_topic[t.pk]["n_threads"], per_topic[t.pk]["n_replies"])
        for t in Topic.objects.filter(method_instance=instance).order_by("order", "pk")
        if t.pk in per_topic
    ]
    if None in per_topic:
        on_case = per_topic[None]
        questions.insert(0, QuestionCount("", on_case["n_threads"], on_case["n_replies"]))
    busiest = list(
        _with_contribution(published.filter(root))
        .annotate(n_replies=Count("thread", filter=_published_reply()))
        .filter(n_replies__gt=0)
        .order_by("-n_replies", "-pk")[:REPORT_THREADS]
    )
    reactions = reaction_counts(p.pk for p in busiest)

    def total(key: str) -> int:
        return sum(int(row[key]) for row in per_topic.values())

    return Report(
        threads=total("n_threads"),
        replies=total("n_replies"),
        as_self=total("n_as_self"),
        awaiting_answer=total("n_awaiting"),
        answered=total("n_answered"),
        questions=questions,
        busiest=[
            BusyThread(
                excerpt=p.contribution.text,
                question=p.topic.title if p.topic is not None else "",
                replies=p.n_replies,
                agree=_published_count(reactions.get(p.pk, {}).get(Reaction.Stance.AGREE, 0)),
                disagree=_published_count(reactions.get(p.pk, {}).get(Reaction.Stance.DISAGREE, 0)),
                answer=_final_answer(p),
            )
            for p in busiest
        ],
    )


def _published_reply() -> Q:
    return Q(thread__contribution__moderation=ModerationState.PUBLISHED) & Q(
        thread__parent__isnull=False
    )


def _final_answer(post: Post) -> str:
    """The municipality's reasoned answer's status, "" until there is one."""
    response: Any = getattr(post.contribution, "response", None)
    if response is None or response.status not in FINAL_STATUSES:
        return ""
    return str(response.get_status_display())
