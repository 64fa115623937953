"""Diskusjon (e-demokrati): threaded posts on a case or on a question staff ask, with
reactions that carry a reason, and people following a thread.

Every post is a :class:`~medvirk.contributions.models.Contribution` (kind
``discussion_post``), so it is moderated, reported, hidden with a reason in place and
answered through the inbox like any input; a top-level post waits for a reasoned answer,
a reply does not (``needs_answer``). The rows here add the thread's shape and the
sanitised HTML that is shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A question staff ask in the discussion ("Kva bør skulen brukast til om kvelden?")."""

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="discussion_topics"
    )
    title = models.CharField(_("question"), max_length=300)
    body = models.TextField(_("background"), blank=True, max_length=4000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_open = models.BooleanField(_("open for new posts"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("discussion question")
        verbose_name_plural = _("discussion questions")

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """One post: top-level (``parent`` None) in a topic or on the case, or a reply."""

    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="discussion_post"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    # The top-level post of the thread (itself for a top-level post once saved; None until).
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="thread"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # The text as shown: sanitised HTML (allow-list; links rel="nofollow ugc").
    html = models.TextField(blank=True)
    # Staff and politicians answer as themselves: the role shown beside the name, kept as
    # it was when they wrote (a later change of role does not rewrite history).
    role_label = models.CharField(_("role shown"), max_length=120, blank=True)
    # Denormalised for sorting by "most discussed" (replies in the whole thread).
    reply_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("discussion post")
        verbose_name_plural = _("discussion posts")

    def __str__(self) -> str:
        return f"#{self.contribution_id}"


class Reaction(models.Model):
    """Agree or disagree with a post, with a reason; one per person per post."""

    class Stance(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Keyed hash of the person (account or browser session): one reaction per person.
    person_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_reactions",
    )
    # The reason is free text shown publicly: screened and moderated like a post.
    is_visible = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["post", "person_key"], name="reaction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.stance}"


class ThreadFollow(models.Model):
    """Someone told of new replies in a thread (account, or a confirmed e-mail)."""

    root = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_follows",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    nonce = models.CharField(max_length=32)
    language = models.CharField(max_length=5, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread follower")
        verbose_name_plural = _("thread followers")
        constraints = [
            models.UniqueConstraint(
                fields=["root", "user"],
                condition=models.Q(user__isnull=False),
                name="follow_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["root", "email"],
                condition=~models.Q(email=""),
                name="follow_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.root_id}"


class Rules(models.Model):
    """The municipality's rules for discussions, shown beside every discussion form."""

    municipality = models.OneToOneField(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="discussion_rules"
    )
    text = models.TextField(_("rules for discussions"), max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("discussion rules")
        verbose_name_plural = _("discussion rules")

    def __str__(self) -> str:
        return str(self.municipality_id)
