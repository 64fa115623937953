"""iCalendar files (RFC 5545): escaping, folding at 75 octets, UTC times, one UID per
meeting; the file for one meeting and the open-data file with all of them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from medvirk.methods.meeting import calendars, ics
from medvirk.methods.meeting.models import Meeting
from tests.methods.meeting.conftest import Meetings, make_meeting

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def unfold(text: str) -> list[str]:
    """The content lines with folding undone (RFC 5545 § 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")


def test_text_values_escape_backslash_semicolon_comma_and_line_breaks() -> None:
    assert ics.escape("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"


def test_control_characters_are_dropped() -> None:
    assert ics.escape("bell\x07 tab\tend\x00") == "bell tab end"


def test_lines_fold_at_75_octets_never_inside_a_character() -> None:
    line = "DESCRIPTION:" + "æøå " * 60
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    for part in parts:
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")  # each physical line is whole UTF-8
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_is_left_alone() -> None:
    assert ics.fold("SUMMARY:Møte") == "SUMMARY:Møte"


def test_times_are_written_in_utc() -> None:
    local = dt.datetime(2026, 12, 3, 18, 0, tzinfo=OSLO)  # winter: UTC+1
    assert ics.utc(local) == "20261203T170000Z"
    summer = dt.datetime(2026, 6, 3, 18, 0, tzinfo=OSLO)  # summer: UTC+2
    assert ics.utc(summer) == "20260603T160000Z"


def test_the_calendar_has_the_required_parts_and_crlf_everywhere() -> None:
    event = ics.Event(
        uid="meeting-1@example.org",
        starts_at=dt.datetime(2026, 12, 3, 18, 0, tzinfo=OSLO),
        ends_at=dt.datetime(2026, 12, 3, 20, 0, tzinfo=OSLO),
        summary="Folkemøte; skulen, framtida",
        location="Samfunnshuset, Storvegen 12",
        description="Line one\nLine two",
    )
    text = ics.calendar([event], name="Møte", stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert "METHOD:PUBLISH" in lines
    assert "UID:meeting-1@example.org" in lines
    assert "DTSTAMP:20260101T000000Z" in lines
    assert "DTSTART:20261203T170000Z" in lines
    assert "DTEND:20261203T190000Z" in lines
    assert "SUMMARY:Folkemøte\\; skulen\\, framtida" in lines
    assert "LOCATION:Samfunnshuset\\, Storvegen 12" in lines
    assert "DESCRIPTION:Line one\\nLine two" in lines
    assert lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1


def test_a_cancellation_keeps_the_uid_and_says_cancelled(meetings: Meetings) -> None:
    meeting = make_meeting(meetings.instance)
    text = calendars.for_meeting(meeting, cancelled=True)
    lines = unfold(text)
    assert "METHOD:CANCEL" in lines
    assert "STATUS:CANCELLED" in lines
    assert f"UID:{calendars.uid(meeting)}" in lines


def test_the_meeting_file_has_accessibility_and_links(meetings: Meetings, client: Client) -> None:
    meeting = make_meeting(
        meetings.instance,
        accessibility="Ramp at the main door; quiet room",
        digital_link="https://example.org/live",
    )
    response = client.get(meetings.url("meeting_ics", pk=meeting.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = unfold(response.content.decode())
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Step-free access\\, Hearing loop" in description
    assert "Ramp at the main door\\; quiet room" in description
    assert "https://example.org/live" in description
    assert meetings.url("meeting", pk=meeting.pk) in description
    assert f"UID:meeting-{meeting.pk}@" in "\n".join(lines)
    start = next(line for line in lines if line.startswith("DTSTART:"))
    assert re.fullmatch(r"DTSTART:\d{8}T\d{6}Z", start)


def test_the_open_data_calendar_has_every_meeting_and_no_host(
    meetings: Meetings, client: Client
) -> None:
    make_meeting(meetings.instance, title="First")
    make_meeting(
        meetings.instance,
        title="Second",
        format="gjestebud",
        host_name="Hilde Host",
        host_email="hilde@example.org",
        days=-3,
    )
    response = client.get(meetings.export_url("kalender"))
    assert response.status_code == 200
    text = response.content.decode()
    lines = unfold(text)
    assert lines.count("BEGIN:VEVENT") == 2
    assert "Hilde" not in text and "hilde@example.org" not in text
    assert "SUMMARY:First" in lines and "SUMMARY:Second" in lines


def test_the_open_data_calendar_is_listed_once_there_are_meetings(
    meetings: Meetings, client: Client
) -> None:
    process = meetings.instance.process
    open_data = f"{process.get_absolute_url()}opne-data/"
    assert meetings.export_url("kalender") not in client.get(open_data).content.decode()
    assert client.get(meetings.export_url("kalender")).status_code == 404
    make_meeting(meetings.instance)
    assert meetings.export_url("kalender") in client.get(open_data).content.decode()


def test_an_unknown_meeting_has_no_file(meetings: Meetings, client: Client) -> None:
    assert client.get(meetings.url("meeting_ics", pk=999999)).status_code == 404
    assert Meeting.objects.count() == 0
