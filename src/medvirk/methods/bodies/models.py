"""Råd og utval: the municipality's bodies, their members and meetings, and their statements.

A :class:`Body` belongs to the municipality, not to one case: the ungdomsråd is the same
in every case that asks it. A case's method instance asks bodies for a statement
(:class:`StatementRequest`, with a deadline); the body's secretary registers the
statement adopted in a meeting (:class:`Statement`), which is a core ``Contribution``
carrying the body's name, so it is answered and shown like any other input.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    COMMITTEE = "utval", _("Committee with delegated power (utval)")
    DISTRICT = "kommunedelsutval", _("District committee (kommunedelsutval)")
    YOUTH_COUNCIL = "ungdomsrad", _("Youth council (ungdomsråd)")
    CHILDREN_COUNCIL = "buk", _("Children's and young people's council (BUK)")
    BOARD = "styre", _("Board of a municipal institution (styre)")
    ELDERLY_COUNCIL = "eldrerad", _("Council for the elderly (eldreråd)")
    DISABILITY_COUNCIL = (
        "funksjonsrad",
        _("Council for people with disabilities (råd for personar med funksjonsnedsetting)"),
    )


# The councils kommuneloven § 5-12 requires (the ungdomsråd or another youth body).
STATUTORY_KINDS = frozenset(
    {BodyKind.YOUTH_COUNCIL, BodyKind.ELDERLY_COUNCIL, BodyKind.DISABILITY_COUNCIL}
)


class MemberRole(models.TextChoices):
    CHAIR = "leiar", _("Chair (leiar)")
    DEPUTY_CHAIR = "nestleiar", _("Deputy chair (nestleiar)")
    MEMBER = "medlem", _("Member")
    SUBSTITUTE = "varamedlem", _("Substitute (varamedlem)")
    SECRETARY = "sekretar", _("Secretary (sekretær)")


# Who sits in the body and votes: a group for other methods (a body allocating a budget).
# A substitute votes only when standing in, and the secretary serves the body.
VOTING_ROLES = frozenset({MemberRole.CHAIR, MemberRole.DEPUTY_CHAIR, MemberRole.MEMBER})


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Body(models.Model):
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="bodies"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address"), max_length=80)
    mandate = models.TextField(_("mandate"), blank=True, max_length=4000)
    # What the body may decide itself, and from whom the power comes (kommuneloven § 5-3).
    delegation = models.TextField(_("what it may decide itself"), blank=True, max_length=4000)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    # The body's own address (its secretariat); the answers to its statements go there.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_published = models.BooleanField(_("shown publicly"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="body_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=150)
    # False: the page shows the role and whom the member represents, not the name (a
    # municipality may choose so for a child in a youth council).
    name_public = models.BooleanField(_("name shown publicly"), default=True)
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices)
    represents = models.CharField(_("represents"), max_length=200, blank=True)
    term_from = models.DateField(_("term from"))
    term_to = models.DateField(_("term to"), null=True, blank=True)
    # Personal data: lets the member act for the body (a secretary registers its
    # statements; members vote where the body is a voter group).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="body_memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__isnull=True) | Q(term_from__lte=models.F("term_to")),
                name="body_member_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_id}: {self.role}"


class BodyMeeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    minutes_file = models.FileField(upload_to="organ/%Y/%m/", max_length=300, blank=True)
    minutes_filename = models.CharField(max_length=200, blank=True)
    minutes_content_type = models.CharField(max_length=100, blank=True)
    minutes_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting of a body")
        verbose_name_plural = _("meetings of bodies")

    def __str__(self) -> str:
        return f"{self.body_id}: {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(BodyMeeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    # The body's own number and/or the archive's case number ("US 2/26", "2026/118").
    case_reference = models.CharField(_("case reference"), max_length=60, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class StatementRequest(models.Model):
    """A case asks a body for its statement (uttale) by a deadline."""

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="statement_requests"
    )
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="requests")
    deadline = models.DateField(_("deadline"))
    # What the body is asked about, in a sentence or two (optional).
    question = models.TextField(_("what the body is asked about"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body__name", "pk"]
        verbose_name = _("request for a statement")
        verbose_name_plural = _("requests for statements")
        constraints = [
            models.UniqueConstraint(
                fields=["method_instance", "body"], name="body_asked_once_per_instance"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method_instance_id}: {self.body_id}"


class Statement(models.Model):
    """A body's statement: the core contribution, and where and when it was adopted."""

    request = models.ForeignKey(
        StatementRequest, on_delete=models.CASCADE, related_name="statements"
    )
    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="body_statement"
    )
    meeting = models.ForeignKey(
        BodyMeeting, on_delete=models.PROTECT, related_name="statements", null=True, blank=True
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, related_name="statements", null=True, blank=True
    )
    adopted_on = models.DateField(_("adopted on"))
    is_late = models.BooleanField(_("after the deadline"), default=False)
    # The member (secretary) who registered it; staff registering it is the contribution's
    # ``registered_by``.
    registered_by_member = models.ForeignKey(
        BodyMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.adopted_on}"
