"""Reads of the panel's member side, a fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance

from . import dimensions, draws
from .models import Dimension, Draw, Invitation, PanelMember, PanelSettings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User


def membership(user: User | AnonymousUser, municipality: Municipality) -> PanelMember | None:
    """The person's membership of the municipality's panel, or None (also for anonymous)."""
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(municipality=municipality, user=user).first()


def members(municipality: Municipality) -> list[PanelMember]:
    """Every current member of the municipality's panel, in the order they joined."""
    return list(PanelMember.objects.filter(municipality=municipality).order_by("joined_at", "pk"))


def member_count(municipality: Municipality) -> int:
    return PanelMember.objects.filter(municipality=municipality).count()


def panel_settings(municipality: Municipality) -> PanelSettings:
    return dimensions.settings_of(municipality)


@dataclass(frozen=True)
class Question:
    """One profile question with its options in the reader's language."""

    key: str
    name: str
    options: list[dimensions.Option]

    def label_of(self, option: str) -> str:
        for o in self.options:
            if o.key == option:
                return o.label
        return option


def questions(municipality: Municipality, min_age: int) -> list[Question]:
    """The municipality's profile questions (the three built-ins made on first use); a
    question without options yet (districts before staff name them) is not asked."""
    found: list[Dimension] = dimensions.ensure_defaults(municipality)
    asked = [
        Question(d.key, dimensions.name_of(d), dimensions.options_of(d, min_age)) for d in found
    ]
    return [q for q in asked if q.options]


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str  # "" when the member did not answer


def answers(member: PanelMember, asked: list[Question]) -> list[Answer]:
    """The member's profile as question and answer, every question listed."""
    return [
        Answer(q.name, q.label_of(member.profile[q.key]) if q.key in member.profile else "")
        for q in asked
    ]


def invitations(member: PanelMember) -> list[Invitation]:
    """The invitations the member received, newest first, with the survey or dialogue."""
    return list(
        Invitation.objects.filter(member=member)
        .select_related("draw__target")
        .order_by("-draw__created_at", "-pk")
    )


# --- the council report -------------------------------------------------------------------


@dataclass(frozen=True)
class DrawSummary:
    """One published draw as its public page shows it: who was invited to what, from how
    many members, and the quotas beside those invited (1 to 4 hidden)."""

    draw: Draw
    pool: int
    balanced_on: list[str]
    quotas: list[draws.QuotaRow]


@dataclass(frozen=True)
class PanelReport:
    members: int | None  # None: 1 to 4 members, not shown
    draws: list[DrawSummary]


def report(instance: MethodInstance) -> PanelReport:
    """The panel for the council report: its size and every published draw (a fixed number
    of queries whatever the number of draws)."""
    found = draws.published_draws(instance, with_lottery=True)
    labels = draws.labels_of(found[0]) if found else None
    summaries = []
    for draw in found:
        assert labels is not None
        data = draw.lottery
        summaries.append(
            DrawSummary(
                draw=draw,
                pool=len(data.get("pool", [])),
                balanced_on=[labels.name(k) for k in data.get("features", [])],
                quotas=draws.quota_rows(draw, labels),
            )
        )
    return PanelReport(
        members=draws.shown(member_count(instance.process.municipality)), draws=summaries
    )
