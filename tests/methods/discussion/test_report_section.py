"""The discussion's section of the council report: published threads and replies counted per
question, the threads with the most replies, answers counted, small reaction counts hidden,
and nothing held, hidden or rejected."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medvirk.contributions.actions import do_hide, do_reject
from medvirk.contributions.models import ModerationState
from medvirk.core.pdf import render
from medvirk.identity.models import User
from medvirk.methods.discussion import actions
from medvirk.methods.discussion.models import Post
from medvirk.processes import registry
from tests import factories
from tests.report_html import rows

from .conftest import QUESTION, Discussion, contribution_of

pytestmark = pytest.mark.django_db


def section(discussion: Discussion) -> str:
    return str(registry.get("discussion").report_section(discussion.instance))


def react(discussion: Discussion, post: Post, stance: str, n: int, prefix: str) -> None:
    for i in range(n):
        actions.do_react(
            AnonymousUser(),
            discussion.instance,
            post.pk,
            stance,
            "Because it matters.",
            session_key=f"{prefix}{i}",
        )


def test_threads_and_replies_are_counted_per_question_and_the_busiest_listed(
    discussion: Discussion, moderator: User, officer: User, politician: User
) -> None:
    replies = {"Gym in the evening": 4, "Library on Saturdays": 2, "Nothing more": 0}
    threads = {}
    for text, n in replies.items():
        threads[text] = root = discussion.post(text)
        for i in range(n):
            discussion.reply(root, f"Reply {i} to {text}")
    on_case = discussion.post("Keep the school open", topic=False)
    discussion.reply(on_case, "Agreed", politician)
    held = discussion.reply(threads["Nothing more"], "Call 912 34 567")
    assert contribution_of(held).moderation == ModerationState.HELD
    do_reject(moderator, contribution_of(held), "Phone number")
    hidden_reply = discussion.reply(threads["Gym in the evening"], "Rude reply")
    do_hide(moderator, contribution_of(hidden_reply), "Breaks the rules")
    hidden_thread = discussion.post("Rude thread")
    discussion.reply(hidden_thread, "Under a hidden thread")
    do_hide(moderator, contribution_of(hidden_thread), "Breaks the rules")
    waiting = discussion.post("Mail me at kari@example.org")
    assert contribution_of(waiting).moderation == ModerationState.HELD
    react(discussion, threads["Gym in the evening"], "agree", 6, "a")
    react(discussion, threads["Gym in the evening"], "disagree", 2, "d")
    factories.response(
        contribution_of(threads["Library on Saturdays"]), "adopted", "We open it.", by=officer
    )
    factories.response(contribution_of(on_case), "under_review", "", by=officer)

    html = section(discussion)
    table = rows(html)

    assert ["The case as a whole", "1", "1"] in table
    assert [QUESTION, "3", "6"] in table
    assert ["In all", "4", "7"] in table
    busiest = [r for r in table if len(r) == 6 and r[0] != "The first post"]
    assert busiest == [
        ["Gym in the evening", QUESTION, "4", "6", "fewer than 5", "–"],
        ["Library on Saturdays", QUESTION, "2", "0", "0", "Adopted"],
        ["Keep the school open", "The case as a whole", "1", "0", "0", "–"],
    ]
    assert "1 of the posts is written by staff or elected representatives" in html
    assert "1 of 4 posts from residents have the municipality's reasoned answer." in html
    for secret in ("912 34 567", "Rude", "Under a hidden thread", "example.org", "Marit"):
        assert secret not in html
    for tag in ("<script", "<form", "<h1", "<h2"):
        assert tag not in html


def test_an_empty_discussion_says_so_and_the_section_makes_a_pdf(discussion: Discussion) -> None:
    assert "No posts have been published" in section(discussion)
    root = discussion.post("Open the gym – æ, ø og å")
    discussion.reply(root)
    html = section(discussion)
    assert "1 thread is published, with 1 reply." in html
    pdf = render("<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>")
    assert pdf is not None and pdf.startswith(b"%PDF")


def test_the_section_makes_the_same_number_of_queries_for_any_number_of_posts(
    discussion: Discussion, officer: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            section(discussion)
        return len(captured)

    discussion.reply(discussion.post("The first thread"))
    few = queries()
    for i in range(8):
        root = discussion.post(f"Thread {i}", topic=i % 2 == 0)
        discussion.reply(root, f"Reply to {i}")
        factories.response(contribution_of(root), "adopted", "Yes.", by=officer)
    assert queries() == few
