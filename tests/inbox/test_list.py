"""The inbox list: search, filters that combine and stay in the address, the count, the
late marker, pages, and a fixed number of queries at 10 and 1 000 inputs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medvirk.accountability.actions import do_respond
from medvirk.accountability.inbox import do_add_to_theme, do_assign
from medvirk.accountability.inbox_queries import InboxFilter, inbox_items
from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.models import Channel, Contribution
from medvirk.organisations.models import Role
from tests import factories
from tests.inbox.helpers import group, inbox_url

pytestmark = pytest.mark.django_db


def listed(client: Client, w: factories.World, query: str) -> list[int]:
    res = client.get(inbox_url(w, query))
    assert res.status_code == 200
    return [c.pk for c in res.context["page"].object_list]


def newest_first(*items: Contribution) -> list[int]:
    return sorted((c.pk for c in items), reverse=True)


def test_search_finds_text_name_and_number(w: factories.World, officer: Client) -> None:
    road = factories.contribution(w.method, text="Trygg skuleveg over brua")
    named = factories.contribution(w.method, text="Anna tekst", author_name="Kari Nordmann")
    other = factories.contribution(w.method, text="Gymsal")
    assert listed(officer, w, "vis=all&sok=SKULEVEG") == [road.pk]
    assert listed(officer, w, "vis=all&sok=nordmann") == [named.pk]
    assert listed(officer, w, f"vis=all&sok=%23{other.pk}") == [other.pk]
    assert listed(officer, w, f"vis=all&sok={other.pk}") == [other.pk]


def test_filters_combine_and_the_page_keeps_them(w: factories.World, officer: Client) -> None:
    second = factories.method(w.process, w.phase, title="Andre metode")
    meeting = factories.contribution(w.method, text="Frå møtet", channel=Channel.MEETING)
    web_mine = factories.contribution(w.method, text="Web, min")
    web_other_method = factories.contribution(second, text="Web, anna metode")
    adopted = factories.contribution(w.method, text="Svart")
    do_respond(w.officer, w.process, [adopted.pk], ResponseStatus.ADOPTED, "Ja.")
    do_assign(w.officer, w.process, [web_mine.pk, web_other_method.pk, adopted.pk], w.officer)
    g = group(w, "Skuleveg", web_mine, meeting)

    assert listed(officer, w, "kanal=meeting") == [meeting.pk]
    assert listed(officer, w, "tildelt=me") == newest_first(web_mine, web_other_method)
    assert listed(officer, w, "tildelt=nobody") == [meeting.pk]
    assert listed(officer, w, f"tildelt={w.officer.pk}&vis=all") == newest_first(
        web_mine, web_other_method, adopted
    )
    assert listed(officer, w, f"metode={second.pk}") == [web_other_method.pk]
    assert listed(officer, w, f"tema={g.pk}&tildelt=me&kanal=web") == [web_mine.pk]
    assert listed(officer, w, "tema=none") == [web_other_method.pk]
    assert listed(officer, w, "vis=adopted") == [adopted.pk]
    assert listed(officer, w, "vis=answered") == [adopted.pk]
    assert listed(officer, w, "vis=under_review") == []

    res = officer.get(inbox_url(w, f"tema={g.pk}&tildelt=me&kanal=web"))
    html = res.content.decode()
    # The form shows the filters chosen, and the count says how many match.
    assert f'<option value="{g.pk}" selected>' in html
    assert '<option value="me" selected>' in html
    assert "1 input matches" in html
    # Links to the input carry the filter, so "save and next" walks the same list.
    assert f"/stab/innspel/{web_mine.pk}/?vis=unanswered&amp;kanal=web&amp;tema={g.pk}" in html


def test_the_case_as_a_whole_is_a_method_filter(w: factories.World, officer: Client) -> None:
    item = factories.contribution(w.method, text="Til ein metode")
    assert listed(officer, w, "metode=case") == []
    assert listed(officer, w, "metode=") == [item.pk]


def test_survey_answers_without_text_do_not_wait(w: factories.World, officer: Client) -> None:
    waiting = factories.contribution(w.method, text="Spørsmål")
    quiet = factories.contribution(w.method, text="")
    Contribution.objects.filter(pk=quiet.pk).update(needs_answer=False)
    assert listed(officer, w, "vis=unanswered") == [waiting.pk]
    assert quiet.pk in listed(officer, w, "vis=all")


def test_late_input_is_marked_and_filtered(w: factories.World, officer: Client) -> None:
    old = factories.contribution(w.method, text="Gammalt")
    old_answered = factories.contribution(w.method, text="Gammalt, svart")
    fresh = factories.contribution(w.method, text="Nytt")
    long_ago = timezone.now() - dt.timedelta(days=40)
    Contribution.objects.filter(pk__in=[old.pk, old_answered.pk]).update(created_at=long_ago)
    do_respond(w.officer, w.process, [old_answered.pk], ResponseStatus.NOT_ADOPTED, "Nei.")
    assert listed(officer, w, "sein=on&vis=all") == [old.pk]
    res = officer.get(inbox_url(w, "vis=all"))
    late = {c.pk: c.is_late for c in res.context["page"].object_list}
    assert late == {old.pk: True, old_answered.pk: False, fresh.pk: False}
    assert "Late" in res.content.decode()


def test_offline_input_is_late_from_the_day_it_was_given(w: factories.World) -> None:
    item = factories.contribution(w.method, text="Frå møtet")
    Contribution.objects.filter(pk=item.pk).update(given_on=dt.date.today() - dt.timedelta(days=60))
    late = inbox_items(w.process, InboxFilter(sein=True), w.officer)
    assert [c.pk for c in late] == [item.pk]


@pytest.mark.parametrize(
    "query",
    [
        "vis=<script>",
        "metode=999999",
        "tema=abc",
        "tildelt=999999",
        "kanal=pigeon",
        "sok=" + "x" * 500,
    ],
)
def test_a_filter_value_not_on_offer_is_ignored(
    w: factories.World, officer: Client, query: str
) -> None:
    item = factories.contribution(w.method, text="Innspel")
    assert listed(officer, w, query) == [item.pk]


def test_an_unknown_value_does_not_widen_to_another_case(
    w: factories.World, officer: Client
) -> None:
    other = factories.process(w.org)
    theirs = factories.contribution(factories.method(other, factories.phase(other)))
    elsewhere = do_add_to_theme(w.admin, other, [theirs.pk], new_name="Der").pk
    mine = factories.contribution(w.method)
    # Another case's group is not on offer here: ignored, and its input never shows.
    assert listed(officer, w, f"tema={elsewhere}") == [mine.pk]


def test_pages_keep_the_filter(w: factories.World, officer: Client) -> None:
    for i in range(55):
        factories.contribution(w.method, text=f"Innspel {i}", channel=Channel.LETTER)
    res = officer.get(inbox_url(w, "kanal=letter"))
    html = res.content.decode()
    assert res.context["page"].paginator.count == 55
    assert "55 inputs match" in html
    assert "?vis=unanswered&amp;kanal=letter&amp;side=2" in html
    second = officer.get(inbox_url(w, "kanal=letter&side=2"))
    assert len(second.context["page"].object_list) == 5


def test_only_people_who_answer_are_offered_for_assignment(
    w: factories.World, officer: Client
) -> None:
    factories.contribution(w.method)
    res = officer.get(inbox_url(w))
    offered = dict(res.context["bulk_form"].fields["assignee"].choices)
    assert str(w.officer.pk) in offered
    assert str(w.admin.pk) in offered
    assert str(w.moderator.pk) not in offered
    assert str(w.other_officer.pk) not in offered


def test_moderators_and_other_municipalities_do_not_see_the_inbox(w: factories.World) -> None:
    for person in (w.moderator, w.other_officer):
        client = Client()
        client.force_login(person)
        assert client.get(inbox_url(w)).status_code == 404


# -- a fixed number of queries -----------------------------------------------------------


def _fill(w: factories.World, n: int) -> None:
    items = [
        factories.contribution(
            w.method,
            text=f"Skuleveg {i}",
            author_name=f"P{i}",
            channel=Channel.WEB if i % 3 else Channel.MEETING,
        )
        for i in range(n)
    ]
    ids = [c.pk for c in items]
    do_respond(w.officer, w.process, ids[: n // 3], ResponseStatus.UNDER_REVIEW, "Vi ser på det.")
    do_assign(w.officer, w.process, ids[::2], w.officer)
    do_add_to_theme(w.officer, w.process, ids[::3], new_name="Skuleveg")
    do_add_to_theme(w.officer, w.process, ids[1::3], new_name="Kostnad", kind="theme")


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        res = client.get(url)
    assert res.status_code == 200
    return len(ctx.captured_queries)


QUERIES = [
    "vis=all",
    "vis=unanswered&tildelt=me",
    "vis=under_review&kanal=web&sok=skuleveg",
    "tema=THEME&sein=on",
    "tema=none&tildelt=nobody&metode=METHOD",
]


def test_the_inbox_makes_the_same_number_of_queries_for_10_and_1000(
    w: factories.World, officer: Client
) -> None:
    factories.staff(w.org, Role.CASE_OFFICER)  # more than one person to assign to
    _fill(w, 10)
    theme = w.process.themes.get(name="Skuleveg")
    urls = [
        inbox_url(w, q.replace("THEME", str(theme.pk)).replace("METHOD", str(w.method.pk)))
        for q in QUERIES
    ]
    # A warm-up request first: a staff session is touched once a while (TOUCH_EVERY), and
    # filling 990 rows on a busy machine can take that long; the touch is not the list's.
    officer.get(urls[0])
    small = [_count(officer, url) for url in urls]
    _fill(w, 990)
    officer.get(urls[0])
    large = [_count(officer, url) for url in urls]
    assert large == small, f"{small} queries at 10 rows, {large} at 1000 ({QUERIES})"
    # The page really lists a full page of rows with themes, assignee and answer.
    res = officer.get(urls[0])
    assert len(res.context["page"].object_list) == 50
    assert res.context["page"].paginator.count == 1000
