"""Who took part through the panel, for the case's "who took part" page
(``MethodPlugin.participants``): the members a draw of this panel instance invited who
answered. Their age band, gender and district are what they gave with consent when they
joined: the invitation's stratum (kept even after a member leaves), else the member's
profile. An answer they did not give stays empty; nothing is guessed.

``Participant.contribution`` is the member's answer to the draw's target (the survey or
dialogue they were invited to) when they gave exactly one there that is not rejected (a
survey's answer set); with several (posts in a dialogue) or none found (a member who left
is no longer anyone's), it stays None rather than naming one at random.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Min

from medvirk.algorithms.representation import Participant, read_age_range
from medvirk.algorithms.sortition.memory import UNKNOWN
from medvirk.contributions.models import Channel, Contribution, ModerationState
from medvirk.processes.models import MethodInstance

from . import dimensions
from .models import DimensionKind, Invitation

SEX_OPTIONS = {"female": "female", "male": "male", "other": "other"}


def _given(sources: tuple[dict[str, object], ...], key: str | None) -> str:
    """The member's consented answer for ``key``: the draw's stratum first, then the profile."""
    if key is None:
        return ""
    for source in sources:
        value = source.get(key)
        if isinstance(value, str) and value and value != UNKNOWN:
            return value
    return ""


def _answers(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(user id, target id) -> the id of the one input that user gave there (one query)."""
    if not pairs:
        return {}
    rows = (
        Contribution.objects.filter(
            method_instance_id__in={target for _user, target in pairs},
            author_id__in={user for user, _target in pairs},
        )
        .exclude(moderation=ModerationState.REJECTED)
        .values_list("author_id", "method_instance_id")
        .annotate(n=Count("pk"), first=Min("pk"))
        .order_by()
    )
    return {
        (user, target): first
        for user, target, n, first in rows
        if n == 1 and (user, target) in pairs
    }


def participants(instance: MethodInstance) -> Iterator[Participant]:
    """One participant per answered invitation (three queries and the dimensions)."""
    found = {
        d.kind: d
        for d in dimensions.ensure_defaults(instance.process.municipality)
        if d.kind in (DimensionKind.AGE_BAND, DimensionKind.GENDER, DimensionKind.DISTRICT)
    }
    age = found.get(DimensionKind.AGE_BAND)
    gender = found.get(DimensionKind.GENDER)
    district = found.get(DimensionKind.DISTRICT)
    places = {o.key: o.label for o in dimensions.options_of(district)} if district else {}
    answered = list(
        Invitation.objects.filter(draw__method_instance=instance, responded_at__isnull=False)
        .select_related("member", "draw")
        .order_by("pk")
    )
    given = _answers(
        {(i.member.user_id, i.draw.target_id) for i in answered if i.member is not None}
    )
    for invitation in answered:
        member = invitation.member
        profile = member.profile if member is not None and isinstance(member.profile, dict) else {}
        stratum = invitation.stratum if isinstance(invitation.stratum, dict) else {}
        sources = (stratum, profile)
        band = read_age_range(_given(sources, age.key if age else None))
        yield Participant(
            channel=Channel.WEB,
            age_from=band[0] if band else None,
            age_to=band[1] if band else None,
            sex=SEX_OPTIONS.get(_given(sources, gender.key if gender else None), ""),
            district=places.get(_given(sources, district.key if district else None), ""),
            person=f"user:{member.user_id}" if member is not None else "",
            contribution=(
                given.get((member.user_id, invitation.draw.target_id))
                if member is not None
                else None
            ),
        )
