"""The opinion map's section of the council report: the groups and their sizes (a group
under 5 people is not shown), what every group agrees on and what sets each apart, from
statements the public may see only."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from medvirk.contributions.actions import do_approve, do_hide, do_reject
from medvirk.core import pdf
from medvirk.identity.models import User
from medvirk.methods.opinion_map import actions
from medvirk.methods.opinion_map.models import Statement
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests.report_html import text as _text

from .conftest import Conversation, draw, make_conversation

pytestmark = pytest.mark.django_db

# Two camps that disagree on the first six statements and agree on the last four
# (agree on 7–9, disagree on 10).
CAMP_A = [1, 1, 1, -1, -1, -1, 1, 1, 1, -1]
CAMP_B = [-1, -1, -1, 1, 1, 1, 1, 1, 1, -1]
HIDDEN = "The mayor's neighbour parks on the school road."
WAITING = "Statement still waiting for a moderator."
REJECTED = "Statement a moderator rejected."


def crowd(conversation: Conversation, sizes: tuple[int, int], *, extra: int | None = None) -> None:
    """Participants in two camps, each from their own browser; one vote in twenty flipped.
    ``extra``: a statement every participant agrees with as well."""
    rng = random.Random(1)
    for camp, size in enumerate(sizes):
        pattern = CAMP_A if camp == 0 else CAMP_B
        for n in range(size):
            votes = {
                s.pk: (-v if rng.random() < 0.05 else v)
                for s, v in zip(conversation.statements, pattern, strict=True)
            }
            if extra is not None:
                votes[extra] = 1
            actions.do_votes(
                AnonymousUser(),
                conversation.instance,
                votes,
                session_key=f"camp-{camp}-{n}",
                recompute=False,
            )


def _section(conversation: Conversation) -> str:
    return str(registry.get("opinion_map").report_section(conversation.instance))


def _part(words: str, start: str, end: str | None = None) -> str:
    rest = words[words.index(start) :]
    return rest[: rest.index(end)] if end else rest


def _participant_statement(conversation: Conversation, text: str) -> Statement:
    receipt = actions.do_add_statement(AnonymousUser(), conversation.instance, text)
    return Statement.objects.get(contribution=receipt.contribution)


def test_groups_common_ground_and_what_sets_them_apart(
    conversation: Conversation, moderator: User
) -> None:
    hidden = _participant_statement(conversation, HIDDEN)
    do_approve(moderator, hidden.contribution)
    _participant_statement(conversation, WAITING)
    do_reject(moderator, _participant_statement(conversation, REJECTED).contribution, "No.")
    sizes = (12, 9)
    crowd(conversation, sizes, extra=hidden.pk)
    # Hidden after everyone agreed with it: it would be common ground, but is not public.
    do_hide(moderator, hidden.contribution, "About a person.")
    draw(conversation)

    html = _section(conversation)
    words = _text(html)

    votes = sum(sizes) * (len(conversation.statements) + 1)
    assert f"from {votes} votes by {sum(sizes)} participants." in words
    groups = _part(words, "Groups and their sizes", "A group needs")
    assert f"Group A {sizes[0]}" in groups and f"Group B {sizes[1]}" in groups
    assert "Not in a group" not in groups
    common = _part(words, "What most people in every group agree on", "What sets each")
    for statement in conversation.statements[6:10]:
        assert statement.text in common
    assert conversation.statements[0].text not in common
    apart = _part(words, "What sets each group apart")
    assert f"Group A ({sizes[0]} people)" in apart and f"Group B ({sizes[1]} people)" in apart
    assert conversation.statements[0].text in apart
    assert "of group A agree, against" in apart or "of group A disagree, against" in apart
    # The drawing beside its table.
    assert 'role="img"' in html and f'id="report-opinion-map-{conversation.instance.pk}-t"' in html
    for text in (HIDDEN, WAITING, REJECTED):
        assert text not in words
    for tag in ("<script", "<form", "<h1", "<h2", "<h3", "<a "):
        assert tag not in html


def test_a_group_under_five_people_is_not_shown(org: Municipality) -> None:
    conversation = make_conversation(org)
    crowd(conversation, (6, 3))
    draw(conversation)
    html = _section(conversation)
    groups = _part(_text(html), "Groups and their sizes", "A group needs")
    assert "Group A 6" in groups
    assert "Group B" not in groups
    assert "Not in a group <5" in groups


def test_no_map_yet(conversation: Conversation) -> None:
    words = _text(_section(conversation))
    assert words == "The map has not been drawn: too few people have voted yet."


def test_the_section_makes_a_pdf(conversation: Conversation) -> None:
    crowd(conversation, (12, 9))
    draw(conversation)
    with translation.override("nn"):
        html = _section(conversation)
    document = "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    rendered = pdf.render(document)
    assert rendered is not None and rendered.startswith(b"%PDF")
