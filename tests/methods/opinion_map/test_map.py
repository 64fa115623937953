"""The map drawn from the database and shown: groups and sizes (under 5 people not shown as
a group), what sets each apart, what every group agrees on, each statement's result with
the municipality's answer, the participant's own group, the accessible SVG with its table,
and a fixed number of queries whatever the size."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.actions import do_approve
from medvirk.methods.opinion_map import actions, mapping, queries, staff_actions
from medvirk.methods.opinion_map.models import OpinionMap, Participant, Statement
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import EN, Conversation, browser, draw, make_conversation, vote

pytestmark = pytest.mark.django_db

# Two camps that disagree on the first six statements and agree on the last four.
CAMP_A = [1, 1, 1, -1, -1, -1, 1, 1, 1, -1]
CAMP_B = [-1, -1, -1, 1, 1, 1, 1, 1, 1, -1]


def crowd(conversation: Conversation, sizes: tuple[int, int] = (12, 9), seed: int = 1) -> None:
    """Participants in two camps, each from their own browser; one vote in twenty flipped."""
    rng = random.Random(seed)
    anonymous = AnonymousUser()
    for camp, size in enumerate(sizes):
        pattern = CAMP_A if camp == 0 else CAMP_B
        for n in range(size):
            votes = {
                s.pk: (-v if rng.random() < 0.05 else v)
                for s, v in zip(conversation.statements, pattern, strict=True)
            }
            actions.do_votes(
                anonymous,
                conversation.instance,
                votes,
                session_key=f"camp-{camp}-{n}",
                recompute=False,
            )


def test_the_map_shows_groups_what_sets_them_apart_and_common_ground(
    conversation: Conversation,
) -> None:
    crowd(conversation)
    client = browser(conversation)
    for statement, value in zip(conversation.statements, CAMP_B, strict=True):
        word = {1: "agree", -1: "disagree"}[value]
        assert vote(client, conversation, statement, word).status_code == 302
    row = draw(conversation)
    assert row.participants_seen == 22 and row.votes_seen == 220
    assert row.computed_at is not None and row.requested_at is None
    groups = row.result["groups"]
    assert [g["size"] for g in groups] == [12, 10]
    # Every participant's group is stored; the browser that voted like camp B is in it.
    me = Participant.objects.get(key__in=[p.key for p in Participant.objects.all()][-1:])
    assert me.group == 1

    page = client.get(conversation.url("map"), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="own-group"' in html and "You are in group B" in html
    # The drawing: an image with a title and a description in words, and its table.
    svg = re.search(r"<svg class=\"opinion-map__svg\"[^>]*>", html)
    assert svg and 'role="img"' in svg.group(0)
    assert "<title id=" in html and "<desc id=" in html
    assert "2 opinion groups (group A: 12 people, group B: 10 people)." in html
    assert "You are in group B." in html
    table = html[html.index('id="groups-table"') :]
    assert "Group A" in table and ">12<" in table and ">10<" in table
    # Common ground: the statements both camps agree with.
    consensus = html[html.index('id="consensus"') : html.index('id="apart"')]
    for statement in conversation.statements[6:9]:
        assert statement.text in consensus
    assert conversation.statements[0].text not in consensus
    # What sets each apart.
    apart = html[html.index('id="apart"') : html.index('id="results"')]
    assert conversation.statements[0].text in apart
    assert "of group A agree, against" in apart
    # Every statement's result.
    results = html[html.index('id="results"') :]
    assert all(s.text in results for s in conversation.statements)

    main = client.get(conversation.url(), **EN).content.decode()
    assert "You are in group B: 10 people who vote much like you." in main


def test_groups_under_five_people_are_not_shown(org: Municipality) -> None:
    conversation = make_conversation(org)
    crowd(conversation, sizes=(6, 3))
    row = draw(conversation)
    sizes = sorted(g["size"] for g in row.result["groups"])
    assert sizes == [3, 6]
    html = Client().get(conversation.url("map"), **EN).content.decode()
    view = queries.map_view(conversation.instance, row, None)
    assert all(g.size >= 5 for g in view.shown_groups)
    assert view.outside == 3 and view.outside_hidden
    assert "Not in a group" in html and "&lt;5" in html
    assert "Group B" not in html
    # A small group's members are not told they are in a group.
    small = [g["id"] for g in row.result["groups"] if g["size"] < 5]
    for participant in Participant.objects.filter(group__in=small):
        assert queries.own_group(row, participant.group) is None


def test_counts_under_five_are_hidden() -> None:
    assert queries.suppress([3, 1, 0]) is None
    shown = queries.suppress([20, 3, 9])
    assert shown is not None
    # The small count is hidden, and so are the total and the shares it could come from.
    assert (shown.agree, shown.disagree, shown.passed, shown.total) == (20, None, 9, None)
    assert shown.agree_percent == ""
    full = queries.suppress([20, 5, 0])
    assert full is not None and full.total == 25 and full.agree_percent == "80 %"
    assert full.pass_percent == "0 %"


def test_a_participant_statement_s_result_is_answered_through_the_inbox(
    conversation: Conversation, moderator: Any, officer: Any
) -> None:
    receipt = actions.do_add_statement(
        AnonymousUser(), conversation.instance, "The gym should be open in the evenings."
    )
    contribution = receipt.contribution
    assert contribution.needs_answer
    do_approve(moderator, contribution)
    crowd(conversation)
    statement = Statement.objects.get(contribution=contribution)
    for n in range(6):
        actions.do_vote(
            AnonymousUser(),
            conversation.instance,
            statement.pk,
            1,
            session_key=f"camp-0-{n}",
            recompute=False,
        )
    factories.response(
        contribution, ResponseStatus.PARTLY_ADOPTED, "The gym gets its own door.", by=officer
    )
    draw(conversation)
    html = Client().get(conversation.url("map"), **EN).content.decode()
    item = html[html.index(f'id="pastand-{statement.pk}"') :]
    item = item[: item.index("</li>")]
    assert "Written by a participant" in item
    assert "The gym gets its own door." in item
    assert "6 votes: 100 % agree, 0 % disagree, 0 % pass." in item
    # The municipality's own statements are not input: no answer under them.
    own = html[html.index(f'id="pastand-{conversation.statements[0].pk}"') :]
    own = own[: own.index("</li>")]
    assert "Written by the municipality" in own and "Not answered yet" not in own


def test_no_votes_no_map(conversation: Conversation) -> None:
    OpinionMap.objects.create(method_instance=conversation.instance, requested_at=None)
    mapping.draw_now(conversation.instance.pk)
    row = OpinionMap.objects.get()
    assert row.result["groups"] == [] and row.votes_seen == 0
    html = Client().get(conversation.url("map"), **EN).content.decode()
    assert 'id="no-map"' in html


def test_a_statement_taken_out_leaves_the_map(conversation: Conversation) -> None:
    crowd(conversation)
    first = conversation.statements[0]
    staff_actions.do_set_active(None, first, False)
    row = draw(conversation)
    assert str(first.pk) not in row.result["totals"]
    html = Client().get(conversation.url("map"), **EN).content.decode()
    assert first.text not in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **EN).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["", "map", "mine"])
def test_pages_make_a_fixed_number_of_queries(org: Municipality, name: str) -> None:
    counts = []
    for size in (1, 4):
        conversation = make_conversation(
            org, texts=[f"Statement {n} of {size}." for n in range(10 * size)]
        )
        rng = random.Random(size)
        for n in range(12 * size):
            votes = {s.pk: rng.choice([1, -1, 0]) for s in conversation.statements}
            actions.do_votes(
                AnonymousUser(),
                conversation.instance,
                votes,
                session_key=f"p-{size}-{n}",
                recompute=False,
            )
        draw(conversation)
        client = browser(conversation)
        vote(client, conversation, conversation.statements[0], "agree")
        counts.append(_queries(client, conversation.url(name)))
    assert counts[0] == counts[1], counts


def test_the_svg_samples_a_large_crowd(conversation: Conversation) -> None:
    crowd(conversation, sizes=(400, 300))
    row = draw(conversation)
    assert len(row.result["dots"]) == mapping.MAX_DOTS
    html = Client().get(conversation.url("map"), **EN).content.decode()
    assert "A sample of 600 people is drawn." in html
    assert html.count("<circle") + html.count("<rect") + html.count("<polygon") >= 600
