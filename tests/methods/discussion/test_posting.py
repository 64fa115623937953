"""Posting and replying through the pages: what is stored (as typed) and shown (sanitised),
the thread's shape and counts, staff and elected representatives as themselves, and every
refusal with a clear message and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from medvirk.contributions.actions import do_approve, do_hide, do_set_moderation_mode
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.discussion import actions, staff_actions
from medvirk.methods.discussion.actions import Writing
from medvirk.methods.discussion.forms import WHOLE_CASE
from medvirk.methods.discussion.models import Post
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import Discussion, contribution_of, make_discussion

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> '
    "[click](javascript:alert(1)) https://example.org/ok"
)


def _post(client: Client, d: Discussion, text: str, topic: str | None = None, **extra: Any) -> Any:
    data = {"topic": topic or str(d.topic.pk), "text": text, **extra}
    return client.post(d.url("new"), data)


# --- the pages ------------------------------------------------------------------------------


def test_the_overview_shows_questions_rules_and_a_form(
    client: Client, discussion: Discussion
) -> None:
    discussion.post("A post on the case.", topic=False)
    response = client.get(discussion.url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rules for the discussion" in html
    assert discussion.topic.title in html
    assert "A post on the case." in html
    assert 'id="post-form"' in html and 'name="text"' in html
    assert response["Cache-Control"] == "private, no-store"


def test_a_resident_posts_on_a_question_and_sees_it_in_the_thread(
    client: Client, discussion: Discussion
) -> None:
    response = _post(
        client,
        discussion,
        "Open the gym for clubs.\n\nAnd the music room.",
        author_name="Kari",
        show_name="on",
        contact_email="kari@example.org",
    )
    assert response.status_code == 302
    post = Post.objects.get()
    c = contribution_of(post)
    assert (c.kind, c.needs_answer, c.moderation) == ("discussion_post", True, "published")
    assert (c.author_name, c.show_name, c.contact_email) == ("Kari", True, "kari@example.org")
    assert (post.topic, post.parent, post.root, post.depth) == (discussion.topic, None, post, 0)
    assert post.html == "<p>Open the gym for clubs.</p><p>And the music room.</p>"
    assert response["Location"].endswith(f"innlegg/{post.pk}/#innlegg-{post.pk}")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Open the gym for clubs." in html and "Kari" in html
    assert 'id="own-receipt"' in html and c.receipt_url() in html
    # The receipt link is shown once.
    assert c.receipt_url() not in client.get(response["Location"]).content.decode()


def test_hostile_text_is_stored_as_typed_and_shown_as_text(
    client: Client, discussion: Discussion
) -> None:
    response = _post(client, discussion, HOSTILE)
    assert response.status_code == 302
    c = Contribution.objects.get()
    post = Post.objects.get()
    # A link holds it for a moderator (screening), whatever the mode.
    assert c.moderation == ModerationState.HELD
    assert c.text == HOSTILE
    moderator = factories.staff(discussion.instance.process.municipality, "moderator")
    do_approve(moderator, c)
    html = client.get(discussion.url("thread", pk=post.pk)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org/ok" rel="nofollow ugc noopener">' in html


def test_a_huge_post_is_refused_with_the_limit_and_the_text_kept(
    client: Client, discussion: Discussion
) -> None:
    huge = "x" * 100_000
    response = _post(client, discussion, huge)
    assert response.status_code == 400
    html = response.content.decode()
    limit = settings.MEDVIRK_MAX_TEXT_LENGTH
    assert f"The text is too long: at most {limit} characters (it has 100000)." in html
    assert huge in html  # kept in the form
    assert not Contribution.objects.exists() and not Post.objects.exists()


def test_the_action_refuses_a_huge_text_too(discussion: Discussion) -> None:
    with pytest.raises(ActionRefused, match="too long"):
        discussion.post("y" * (settings.MEDVIRK_MAX_TEXT_LENGTH + 1))
    assert not Contribution.objects.exists()


def test_an_empty_post_is_refused(client: Client, discussion: Discussion) -> None:
    response = _post(client, discussion, "   ")
    assert response.status_code == 400
    assert "Write something before you send it." in response.content.decode()
    assert not Post.objects.exists()


def test_an_unknown_question_is_refused(client: Client, discussion: Discussion) -> None:
    other = make_discussion(discussion.instance.process.municipality)
    response = _post(client, discussion, "Hello", topic=str(other.topic.pk))
    assert response.status_code == 400
    assert "Choose one of the questions in this discussion." in response.content.decode()
    assert not Post.objects.exists()


def test_posts_on_the_case_as_a_whole_can_be_turned_off(client: Client, org: Municipality) -> None:
    d = make_discussion(org, settings={"case_posts": False})
    assert 'id="post-form"' not in client.get(d.url()).content.decode()
    response = _post(client, d, "On the whole case", topic=WHOLE_CASE)
    assert response.status_code == 400
    with pytest.raises(ActionRefused):
        d.post("On the whole case", topic=False)
    assert not Post.objects.exists()
    assert _post(client, d, "On the question").status_code == 302


def test_a_closed_question_takes_no_posts_or_replies(
    client: Client, discussion: Discussion
) -> None:
    first = discussion.post()
    staff_actions.do_set_topic_open(None, discussion.instance, discussion.topic.pk, False)
    response = _post(client, discussion, "Late")
    assert response.status_code in (400, 403)
    reply = client.post(discussion.url("reply", pk=first.pk), {"text": "Late reply"})
    assert reply.status_code == 403
    assert "closed" in reply.content.decode()
    assert Post.objects.count() == 1


def test_nothing_is_taken_after_the_phase_or_when_the_method_is_closed(
    client: Client, discussion: Discussion
) -> None:
    first = discussion.post()
    discussion.instance.closed_at = discussion.instance.created_at
    discussion.instance.save(update_fields=["closed_at"])
    assert _post(client, discussion, "Too late").status_code == 403
    assert client.post(discussion.url("reply", pk=first.pk), {"text": "x"}).status_code == 403
    assert Post.objects.count() == 1


# --- replies and the thread ---------------------------------------------------------------


def test_replies_nest_to_three_levels_then_say_whom_they_answer(
    client: Client, discussion: Discussion
) -> None:
    root = discussion.post("Root")
    chain = [root]
    for n in range(1, 6):
        chain.append(
            discussion.reply(chain[-1], f"Reply at depth {n}", author_name=f"P{n}", show_name=True)
        )
    assert [p.depth for p in chain] == [0, 1, 2, 3, 4, 5]
    assert all(p.root_id == root.pk for p in chain)
    html = client.get(discussion.url("thread", pk=root.pk)).content.decode()
    assert "level-3" in html and "level-4" not in html
    # Depth 4 and 5 are shown at level 3, saying whom they reply to, with a link to it.
    assert f'<a class="ds-link" href="#innlegg-{chain[3].pk}">in reply to P3</a>' in html
    assert f'<a class="ds-link" href="#innlegg-{chain[4].pk}">in reply to P4</a>' in html
    # Reading order is the thread's: each reply after the one it answers.
    positions = [html.index(f'id="innlegg-{p.pk}"') for p in chain]
    assert positions == sorted(positions)
    # Any reply's address leads to its thread at its place.
    response = client.get(discussion.url("thread", pk=chain[4].pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"innlegg/{root.pk}/#innlegg-{chain[4].pk}")


def test_a_reply_through_the_page_counts_in_its_thread(
    client: Client, discussion: Discussion
) -> None:
    root = discussion.post()
    before = Post.objects.get(pk=root.pk).last_activity_at
    assert client.get(discussion.url("reply", pk=root.pk)).status_code == 200
    response = client.post(discussion.url("reply", pk=root.pk), {"text": "Yes, please."})
    assert response.status_code == 302
    reply = Post.objects.exclude(pk=root.pk).get()
    c = contribution_of(reply)
    assert (c.kind, c.needs_answer) == ("discussion_reply", False)
    root.refresh_from_db()
    assert root.reply_count == 1
    assert root.last_activity_at is not None and before is not None
    assert root.last_activity_at >= before
    assert root.last_activity_at == c.created_at


def test_only_replies_shown_are_counted(discussion: Discussion, moderator: User) -> None:
    root = discussion.post()
    shown = discussion.reply(root, "Shown")
    do_set_moderation_mode(
        factories.administrator(discussion.instance.process.municipality),
        discussion.instance.process.municipality,
        "pre",
    )
    discussion.instance.process.municipality.refresh_from_db()
    waiting = discussion.reply(root, "Waits")
    root.refresh_from_db()
    assert contribution_of(waiting).moderation == ModerationState.PENDING
    assert root.reply_count == 1
    # Hidden replies stay in place (with the reason), so they still count.
    do_hide(moderator, contribution_of(shown), "Off topic")
    root.refresh_from_db()
    assert root.reply_count == 1


def test_a_reply_to_a_post_not_shown_is_refused(discussion: Discussion, moderator: User) -> None:
    root = discussion.post()
    do_hide(moderator, contribution_of(root), "Off topic")
    with pytest.raises(ActionRefused) as refused:
        discussion.reply(root)
    assert refused.value.status == 409


def test_a_reply_to_a_post_of_another_discussion_is_not_found(
    client: Client, discussion: Discussion
) -> None:
    other = make_discussion(discussion.instance.process.municipality)
    foreign = other.post()
    assert client.get(discussion.url("reply", pk=foreign.pk)).status_code == 404
    assert client.post(discussion.url("reply", pk=foreign.pk), {"text": "x"}).status_code == 404
    with pytest.raises(ActionRefused) as refused:
        actions.do_reply(AnonymousUser(), discussion.instance, foreign.pk, Writing("x"))
    assert refused.value.status == 404


def test_sorting_newest_and_most_discussed(client: Client, discussion: Discussion) -> None:
    quiet = discussion.post("Quiet thread")
    busy = discussion.post("Busy thread")
    newest = discussion.post("Newest thread")
    for _n in range(3):
        discussion.reply(busy)
    discussion.reply(quiet)
    url = discussion.url("topic", pk=discussion.topic.pk)
    by_new = client.get(url).content.decode()
    assert (
        by_new.index("Newest thread") < by_new.index("Busy thread") < by_new.index("Quiet thread")
    )
    by_talk = client.get(url + "?sorter=mest-diskutert").content.decode()
    assert (
        by_talk.index("Busy thread")
        < by_talk.index("Quiet thread")
        < by_talk.index("Newest thread")
    )
    assert newest.pk  # made


# --- as themselves ------------------------------------------------------------------------


def test_a_case_officer_replies_as_themselves(
    client: Client, discussion: Discussion, officer: User
) -> None:
    root = discussion.post()
    client.force_login(officer)
    form = client.get(discussion.url("reply", pk=root.pk)).content.decode()
    assert 'name="author_name"' not in form and "You write as yourself" in form
    response = client.post(discussion.url("reply", pk=root.pk), {"text": "We will look at it."})
    assert response.status_code == 302
    reply = Post.objects.exclude(pk=root.pk).get()
    c = contribution_of(reply)
    municipality = discussion.instance.process.municipality
    assert reply.role_label == actions.role_label(officer, municipality)
    assert municipality.name in reply.role_label
    assert (c.author, c.show_name, c.needs_answer) == (officer, True, False)
    html = client.get(discussion.url("thread", pk=root.pk)).content.decode()
    assert "Sigrid Vik" in html and reply.role_label in html


def test_an_elected_representative_posts_as_themselves_and_waits_for_no_answer(
    discussion: Discussion, politician: User
) -> None:
    post = discussion.post("I will bring this to the council.", politician)
    c = contribution_of(post)
    assert post.role_label == actions.role_label(
        politician, discussion.instance.process.municipality
    )
    assert post.role_label
    assert c.needs_answer is False and c.public_author == "Marit Bakke"


def test_the_role_label_is_in_the_municipality_language(
    discussion: Discussion, officer: User
) -> None:
    municipality = discussion.instance.process.municipality
    municipality.default_language = "nn"
    municipality.save(update_fields=["default_language"])
    with translation.override("nn"):
        expected = actions._role_text("case_officer", municipality.name)
    with translation.override("en"):
        assert actions.role_label(officer, municipality) == expected


def test_a_resident_is_shown_without_a_role(discussion: Discussion, resident: User) -> None:
    post = discussion.post("Hello", resident, show_name=True)
    assert post.role_label == ""
    assert contribution_of(post).public_author == "Kari Nordmann"


# --- moderation of posts ------------------------------------------------------------------


def test_an_anonymous_post_waits_in_auto_mode_and_goes_to_the_receipt(
    client: Client, discussion: Discussion
) -> None:
    municipality = discussion.instance.process.municipality
    do_set_moderation_mode(factories.administrator(municipality), municipality, "auto")
    response = _post(client, discussion, "Needs a look")
    c = Contribution.objects.get()
    assert c.moderation == ModerationState.PENDING
    assert response["Location"] == c.receipt_url()
    assert (
        "Needs a look"
        not in client.get(discussion.url("topic", pk=discussion.topic.pk)).content.decode()
    )


def test_a_hidden_post_shows_the_reason_in_its_place(
    client: Client, discussion: Discussion, moderator: User
) -> None:
    root = discussion.post("Something rude")
    discussion.reply(root, "A reply stays")
    do_hide(moderator, contribution_of(root), "Breaks the rule on respect")
    html = client.get(discussion.url("thread", pk=root.pk)).content.decode()
    assert "Something rude" not in html
    assert "Hidden by a moderator: Breaks the rule on respect" in html
    assert "A reply stays" in html


def test_a_fodselsnummer_is_masked_and_held(discussion: Discussion) -> None:
    post = discussion.post("My number is 01010012356, call me")
    c = contribution_of(post)
    assert c.moderation == ModerationState.HELD
    assert "01010012356" not in c.text and "01010012356" not in post.html


# --- a fixed number of queries ------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_make_a_fixed_number_of_queries(client: Client, discussion: Discussion) -> None:
    root = discussion.post()
    for _n in range(3):
        discussion.post()
        discussion.post(topic=False)
        discussion.reply(root)
    client.get(discussion.url())  # the visitor's session is made on the first page
    small = (
        _queries(client, discussion.url()),
        _queries(client, discussion.url("topic", pk=discussion.topic.pk)),
        _queries(client, discussion.url("thread", pk=root.pk)),
    )
    for _n in range(25):
        discussion.post()
        discussion.post(topic=False)
        reply = discussion.reply(root)
        discussion.reply(reply)
    large = (
        _queries(client, discussion.url()),
        _queries(client, discussion.url("topic", pk=discussion.topic.pk)),
        _queries(client, discussion.url("thread", pk=root.pk)),
    )
    assert small == large
