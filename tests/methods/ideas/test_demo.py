"""The Lillevik demo's idea board, and the plug-in's names kept equal to the actions'."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.accountability.models import Response
from medvirk.contributions.models import ModerationState
from medvirk.demo.loader import load_demo
from medvirk.methods.ideas import actions, demo, plugin, queries
from medvirk.methods.ideas.models import Idea, IdeaComment, Outcome, Support
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, Process, ProcessStatus

pytestmark = pytest.mark.django_db


def test_the_plugin_and_the_actions_use_the_same_names() -> None:
    assert (plugin.SUBMIT, plugin.COMMENT, plugin.SUPPORT) == (
        actions.SUBMIT,
        actions.COMMENT,
        actions.SUPPORT,
    )
    assert (plugin.KIND, plugin.COMMENT_KIND) == (actions.KIND, actions.COMMENT_KIND)
    ideas = registry.get("ideas")
    assert ideas.key == actions.METHOD_KEY
    assert ideas.catalogue_entries == ("idea_board",)


def test_the_lillevik_demo_has_a_living_idea_board() -> None:
    load_demo()
    instance = MethodInstance.objects.get(method_key="ideas")
    assert instance.process.slug == "lillevik-skule"
    ideas = {i.title: i for i in Idea.objects.filter(method_instance=instance)}
    assert 6 <= len(ideas) <= 10
    assert all(i.contribution.moderation == ModerationState.PUBLISHED for i in ideas.values())
    kept = ideas[demo.IDEAS[demo.KEPT].title]
    duplicate = ideas[demo.IDEAS[demo.DUPLICATE].title]
    assert duplicate.merged_into == kept
    # The supporters of both count once on the idea kept.
    expected = demo.IDEAS[demo.KEPT].supporters + demo.IDEAS[demo.DUPLICATE].supporters
    assert Support.objects.filter(idea=kept).count() == expected - demo.IN_BOTH
    moved = ideas[demo.IDEAS[demo.TAKEN_UP].title]
    assert moved.outcome == Outcome.MOVED and moved.taken_up_in == instance.process
    started = ideas[demo.IDEAS[demo.NEW_CASE].title]
    assert started.outcome == Outcome.NEW_CASE
    case = Process.objects.get(pk=started.taken_up_in_id)
    assert case.status == ProcessStatus.DRAFT and case.title == demo.NEW_CASE_VALUES.title
    answered = Response.objects.filter(contribution__idea__method_instance=instance)
    assert answered.count() == len(demo.ANSWERS)
    assert IdeaComment.objects.filter(idea__method_instance=instance).count() == len(demo.COMMENTS)
    assert {i.category for i in ideas.values()} <= set(actions.categories(instance))
    listing = queries.board(instance)
    assert listing.total == len(ideas) - 1  # the merged one is listed under its idea

    client = Client()
    board = client.get(instance.get_absolute_url())
    assert board.status_code == 200
    assert "Lys langs skulevegen" in board.content.decode()
    page = client.get(registry.get("ideas").url(instance, "idea", pk=moved.pk))
    assert instance.process.get_absolute_url() in page.content.decode()
