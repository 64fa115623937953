"""iCalendar files (RFC 5545) for meetings: one meeting, or all of an instance's.

Written by hand, small and exact: CRLF line ends; every content line folded at 75 octets
(not characters: "ø" is two), continuation lines starting with one space; TEXT values with
backslash, semicolon, comma and line breaks escaped and control characters dropped; times
in UTC ("…Z"), so no VTIMEZONE is needed and every calendar shows the local time. Each
event has a stable UID (the meeting's number at this site), so a calendar that imports the
file again updates the event instead of adding a second one; a cancellation uses the same
UID with ``METHOD:CANCEL`` and ``STATUS:CANCELLED``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

PRODID = "-//Medvirk//Meetings//NB"
LIMIT = 75  # octets per line, without the CRLF


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    categories: list[str] = field(default_factory=list)


def utc(moment: dt.datetime) -> str:
    """``20261203T170000Z``; an aware time in any zone, or a naive one taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def escape(value: str) -> str:
    """A TEXT value (RFC 5545 § 3.3.11): ``\\``, ``;``, ``,`` and line breaks escaped,
    other control characters dropped."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs")
    ).replace("\t", " ")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (§ 3.1), never inside a UTF-8 character."""
    parts: list[bytes] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > LIMIT:
            parts.append(current)
            current = b" "
        current += encoded
    parts.append(current)
    return "\r\n".join(p.decode("utf-8") for p in parts)


def _lines(event: Event, stamp: dt.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape(event.uid)}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SUMMARY:{escape(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        # A URI value, not TEXT: no escaping (the address has no line breaks).
        lines.append(f"URL:{event.url}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in event.categories))
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines.append("TRANSP:OPAQUE")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    name: str = "",
    method: str = "PUBLISH",
    stamp: dt.datetime | None = None,
) -> str:
    """The whole file, folded, with CRLF line ends (also after the last line)."""
    stamp = stamp or dt.datetime.now(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines.extend(_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
