"""The discussion's downloads: open data without names, e-mail addresses or exact times,
published posts only and small counts hidden; the staff file complete and private."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from medvirk.accountability.actions import do_respond
from medvirk.contributions.actions import do_hide
from medvirk.identity.models import User
from medvirk.methods.discussion import actions
from tests import factories

from .conftest import Discussion, contribution_of

pytestmark = pytest.mark.django_db


def _rows(response: object) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))


def _people_react(d: Discussion, post_id: int, stance: str, n: int) -> None:
    for i in range(n):
        actions.do_react(factories.user(), d.instance, post_id, stance, f"Because {i}")


def test_open_data_has_published_posts_without_names_or_times(
    client: Client, discussion: Discussion, moderator: User, officer: User
) -> None:
    url = discussion.export_url("innlegg-csv")
    assert client.get(url).status_code == 404  # nothing published yet
    shown = discussion.post(
        "=SUM(A1) shown", author_name="Kari Nordmann", show_name=True, contact_email="k@example.org"
    )
    reply = discussion.reply(shown, "A reply", author_name="Ola", show_name=True)
    hidden = discussion.post("Hidden one")
    do_hide(moderator, contribution_of(hidden), "Rude")
    held = discussion.post("Mail me at k@example.org")
    _people_react(discussion, shown.pk, "agree", 6)
    _people_react(discussion, shown.pk, "disagree", 2)
    do_respond(officer, discussion.instance.process, [shown.contribution_id], "adopted", "Yes.")
    response = client.get(url)
    assert response.status_code == 200
    rows = _rows(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "Post" and "Agree" in header
    texts = [r[header.index("Text")] for r in body]
    assert texts == ["'=SUM(A1) shown", "A reply"]  # formula-safe; hidden and held left out
    joined = "\n".join(",".join(r) for r in rows)
    for secret in ("Kari", "Ola", "k@example.org", "Hidden one"):
        assert secret not in joined
    post_ids = {r[header.index("Post")] for r in body}
    assert post_ids == {str(shown.pk), str(reply.pk)}  # the held post is not there at all
    assert str(held.pk) not in post_ids and str(hidden.pk) not in post_ids
    first = body[0]
    assert first[header.index("Day")] == contribution_of(shown).created_at.date().isoformat()
    assert first[header.index("Agree")] == "6"
    assert first[header.index("Disagree")] == ""  # 2 people: hidden
    assert first[header.index("Hidden (fewer than 5)")] == "1"
    assert first[header.index("Reason given")] == "Yes."
    second = body[1]
    assert second[header.index("In reply to")] == str(shown.pk)
    assert second[header.index("Thread")] == str(shown.pk)
    assert reply.pk


def test_open_data_is_listed_on_the_cases_open_data_page(
    client: Client, discussion: Discussion
) -> None:
    discussion.post()
    process = discussion.instance.process
    page = client.get(f"/{process.municipality.slug}/{process.slug}/opne-data/").content.decode()
    assert discussion.export_url("innlegg-csv") in page
    assert discussion.export_url("alle-innlegg-csv") not in page


def test_the_staff_file_is_complete_private_and_audited(
    client: Client, discussion: Discussion, officer: User, moderator: User
) -> None:
    url = discussion.export_url("alle-innlegg-csv")
    assert client.get(url).status_code == 302  # to the login page
    root = discussion.post("Named", author_name="Kari Nordmann", show_name=True)
    hidden = discussion.reply(root, "Rude reply")
    do_hide(moderator, contribution_of(hidden), "Rude")
    actions.do_react(factories.user(), discussion.instance, root.pk, "agree", "Good point")
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    rows = _rows(response)
    header = rows[0]
    kinds = [r[header.index("Type")] for r in rows[1:]]
    assert kinds == ["Post", "Reply", "Reaction"]
    assert "Kari Nordmann" in rows[1]
    assert rows[2][header.index("Shown in place of hidden input")] == "Rude"
    assert rows[3][header.index("Text")] == "Good point"
    assert [r.action for r in factories.audited_since(mark)] == ["export.downloaded"]
    client.force_login(factories.user())
    assert client.get(url).status_code == 403
