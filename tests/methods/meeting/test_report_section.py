"""The meetings in the case's council report: each meeting's public facts and counts (small
counts hidden), a summary of its published results, nothing held, hidden or rejected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core import pdf
from medvirk.identity.models import User
from medvirk.methods.meeting import actions, staff_actions
from medvirk.methods.meeting.actions import ResultRow
from medvirk.methods.meeting.guides import ResultType, Stage
from medvirk.methods.meeting.models import Format, Meeting
from medvirk.processes import registry
from tests.methods.meeting.conftest import Meetings, make_meeting
from tests.report_html import tables

pytestmark = pytest.mark.django_db

PLUGIN = registry.get("meeting")
SECRETS = ("HELD-TEXT", "HIDDEN-TEXT", "REJECTED-TEXT", "PENDING-TEXT")


def register(meetings: Meetings, meeting: Meeting, n: int) -> None:
    for i in range(n):
        actions.do_register(
            AnonymousUser(),
            meetings.instance,
            meeting,
            name=f"Person {i}",
            email=f"p{meeting.pk}-{i}@example.org",
            needs={},
        )


def hold(meeting: Meeting, days_ago: int) -> None:
    starts = timezone.now() - dt.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    meeting.refresh_from_db()


@pytest.fixture
def filled(meetings: Meetings, officer: User) -> dict[str, Any]:
    """A held workshop (9 places taken, 23 came) with results in every state, a held
    café (3 places, 4 came), a gjestebod (12 guests), an upcoming folkemøte (7 places)
    and a cancelled one."""
    instance = meetings.instance
    workshop = make_meeting(
        instance, format=Format.FUTURE_WORKSHOP, title="Future workshop", capacity=40
    )
    register(meetings, workshop, 9)
    cafe = make_meeting(instance, format=Format.DEMOCRACY_CAFE, title="Café")
    register(meetings, cafe, 3)
    upcoming = make_meeting(instance, title="Town meeting", days=14)
    register(meetings, upcoming, 7)
    cancelled = make_meeting(instance, title="Flooded meeting", days=20)
    staff_actions.do_cancel_meeting(officer, cancelled, "The hall is flooded.")
    hold(workshop, 10)
    hold(cafe, 8)
    staff_actions.do_set_attendance(officer, workshop, 23)
    staff_actions.do_set_attendance(officer, cafe, 4)
    shown = [
        ResultRow(type=ResultType.POSTIT, text="Cold classrooms", stage=Stage.CRITIQUE),
        ResultRow(type=ResultType.POSTIT, text="No pavement", stage=Stage.CRITIQUE),
        ResultRow(type=ResultType.POSTIT, text="A school for the village", stage=Stage.FANTASY),
        ResultRow(
            type=ResultType.PRIORITY, text="Second: a pavement", stage=Stage.REALISATION, rank=2
        ),
        ResultRow(
            type=ResultType.PRIORITY, text="First: fresh air", stage=Stage.REALISATION, rank=1
        ),
    ]
    secret = [ResultRow(type=ResultType.NOTE, text=text, stage=Stage.CRITIQUE) for text in SECRETS]
    receipts = actions.do_report_results(workshop, [*shown, *secret], staff=officer)
    states = (
        ModerationState.HELD,
        ModerationState.HIDDEN,
        ModerationState.REJECTED,
        ModerationState.PENDING,
    )
    for receipt, state in zip(receipts[len(shown) :], states, strict=True):
        Contribution.objects.filter(pk=receipt.contribution.pk).update(moderation=state)
    gjestebod = make_meeting(
        instance,
        format=Format.HOSTED,
        title="Gjestebod in Nordbygda",
        days=-5,
        place_name="Nordbygda",
    )
    actions.do_report_results(
        gjestebod,
        [ResultRow(type=ResultType.NOTE, text="Keep the school")],
        guests=12,
        staff=officer,
    )
    return {"instance": instance}


def test_each_meeting_with_its_facts_and_counts(filled: dict[str, Any]) -> None:
    html = str(PLUGIN.report_section(filled["instance"]))
    meetings_table = tables(html)[0]
    header, *body, foot = meetings_table
    assert header == [
        "Meeting",
        "When",
        "Where",
        "Kind of meeting",
        "Registered",
        "Took part",
        "Published results",
    ]
    by_title = {row[0]: row for row in body}
    workshop = by_title["Future workshop"]
    assert workshop[2] == "Lillevik community hall, Storvegen 12, Lillevik"
    assert workshop[3] == "Future workshop (framtidsverkstad)"
    assert workshop[6] == "5"  # published results only
    cafe = by_title["Café"]
    # Registered: 9, 3, 7 → 3 is under 5, and the next smallest (7) is hidden too, so the
    # total (19) cannot give the 3 away.
    assert (workshop[4], cafe[4], by_title["Town meeting"][4]) == ("9", "fewer than 5", "not shown")
    # Took part: 23, 4, 12 (the gjestebod's guests) → 4 under 5, then the next smallest
    # (12) hidden; the total 39 stays.
    gjestebod = by_title["Gjestebod in Nordbygda"]
    assert (workshop[5], cafe[5], gjestebod[5]) == ("23", "fewer than 5", "not shown")
    assert gjestebod[4] == "–"  # a gjestebod takes no registration
    assert by_title["Town meeting"][5] == "not held yet"
    assert by_title["Flooded meeting (cancelled)"][5] == "not held"
    assert foot == ["In all", str(9 + 3 + 7), str(23 + 4 + 12), str(5 + 1)]
    assert "4 meetings were held." not in html and "3 meetings were held." in html
    assert f"In all, {23 + 4 + 12} people took part" in html
    assert "not shown as a number" in html


def test_the_published_results_are_summarised_and_nothing_else_leaks(
    filled: dict[str, Any],
) -> None:
    html = str(PLUGIN.report_section(filled["instance"]))
    for text in SECRETS:
        assert text not in html
    summary = tables(html)[1]
    assert summary[1:] == [
        [str(Stage.CRITIQUE.label), "2"],
        [str(Stage.FANTASY.label), "1"],
        [str(Stage.REALISATION.label), "2"],
    ]
    first, second = html.index("First: fresh air"), html.index("Second: a pavement")
    assert first < second  # the priorities in their order
    assert "Cold classrooms" not in html  # post-its are counted, not printed
    assert "Results from “Gjestebod in Nordbygda”" in html
    for tag in ("<script", "<form", "<h1", "<h2", "<h3", "<img", "<a "):
        assert tag not in html
    assert "p0-" not in html and "Person 0" not in html  # no names or addresses


def test_small_numbers_take_the_municipalitys_figures_not_the_limit_text(
    meetings: Meetings, officer: User
) -> None:
    held = make_meeting(meetings.instance, title="Small")
    register(meetings, held, 2)
    hold(held, 3)
    staff_actions.do_set_attendance(officer, held, 3)
    html = str(PLUGIN.report_section(meetings.instance))
    [[_header, row, foot]] = tables(html)
    assert row[4:6] == ["fewer than 5", "fewer than 5"]
    assert foot[1:3] == ["fewer than 5", "fewer than 5"]
    assert "In all, fewer than 5 people took part" in html
    assert ">2<" not in html and ">3<" not in html


def test_without_meetings_one_sentence(meetings: Meetings) -> None:
    html = str(PLUGIN.report_section(meetings.instance))
    assert "No meetings were planned." in html
    assert "<table" not in html


def test_a_fixed_number_of_queries(
    filled: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        PLUGIN.report_section(filled["instance"])


def test_the_section_makes_a_pdf(filled: dict[str, Any]) -> None:
    html = str(PLUGIN.report_section(filled["instance"]))
    made = pdf.render(
        "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    )
    if made is None:
        pytest.skip("WeasyPrint cannot run here (no Pango)")
    assert made.startswith(b"%PDF")
