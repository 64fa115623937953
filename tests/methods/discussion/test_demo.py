"""The Lillevik demo's discussion: a question, posts and replies (one from the case officer,
one from an elected representative, as themselves), reactions with reasons, answers; and the
plug-in's names kept equal to the actions'."""

from __future__ import annotations

import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from medvirk.accountability.models import Response
from medvirk.contributions.models import ModerationState
from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.methods.discussion import actions, demo, plugin
from medvirk.methods.discussion.models import Post, Reaction, Topic
from medvirk.organisations.models import Membership, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance

from .conftest import Discussion

pytestmark = pytest.mark.django_db


def test_the_plugin_and_the_actions_use_the_same_names() -> None:
    assert (plugin.POST, plugin.REPLY, plugin.REACT, plugin.FOLLOW) == (
        actions.POST,
        actions.REPLY,
        actions.REACT,
        actions.FOLLOW,
    )
    assert (plugin.POST_KIND, plugin.REPLY_KIND) == (actions.POST_KIND, actions.REPLY_KIND)
    assert registry.get("discussion").key == actions.METHOD_KEY


def test_the_lillevik_demo_has_a_living_discussion(client: Client) -> None:
    load_demo()
    instance = MethodInstance.objects.get(method_key="discussion")
    [topic] = Topic.objects.filter(method_instance=instance)
    assert topic.title == demo.TOPIC
    posts = Post.objects.filter(contribution__method_instance=instance).select_related(
        "contribution"
    )
    assert posts.count() == len(demo.POSTS) + len(demo.REPLIES)
    assert 6 <= posts.count() <= 8
    assert all(p.contribution.moderation == ModerationState.PUBLISHED for p in posts)
    municipality = instance.process.municipality
    with translation.override("nn"):
        officer_label = actions._role_text(Role.CASE_OFFICER, municipality.name)
        politician_label = actions._role_text(Role.POLITICIAN, municipality.name)
    labels = {p.role_label for p in posts if p.role_label}
    assert labels == {officer_label, politician_label}
    assert Membership.objects.filter(municipality=municipality, role=Role.POLITICIAN).exists()
    assert Reaction.objects.filter(post__contribution__method_instance=instance).count() >= 8
    answered = Response.objects.filter(contribution__method_instance=instance)
    assert answered.count() == len(demo.ANSWERS)
    nested = posts.filter(depth=2)
    assert nested.exists()  # the politician answers a reply
    # The politician is a demo login of her own, who answered as herself.
    politician = next(x for x in DEMO_LOGINS if x.username == "folkevald")
    assert posts.filter(
        role_label=politician_label, contribution__author__username="folkevald"
    ).exists()
    assert client.login(username=politician.username, password=politician.password)
    assert client.get(reverse("staff:dashboard")).status_code in (403, 404)
    client.logout()
    page = client.get(instance.get_absolute_url())
    assert page.status_code == 200
    assert demo.TOPIC in page.content.decode()


def test_the_seed_works_in_any_municipality(discussion: Discussion) -> None:
    made = demo.seed(discussion.instance, random.Random(3))
    assert made == len(demo.POSTS) + len(demo.REPLIES)
    kind = registry.get("discussion").contribution_kinds[1]
    url = registry.get("discussion").kind_url(discussion.instance, kind)
    assert "/innlegg/" in url and url.endswith("/svar/")
