"""A minimal iCalendar (RFC 5545) writer for all-day reminders.

Only what a phone's calendar needs to import deadlines: all-day events (VALUE=DATE),
with display alarms some days before.  Lines end in CRLF and are folded at 75 octets
without splitting a UTF-8 character (3.1); text is escaped (3.3.11).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

PRODID = "-//shegong//calculator//ZH"


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: dt.date
    end: dt.date | None = None  # the last day, inclusive (DTEND is the day after)
    description: str = ""
    alarms: tuple[int, ...] = ()  # days before start


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """``line`` split into pieces of at most 75 octets, each continuation led by a space."""
    out, cur, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(cur)
            cur, size = " ", 1
        cur += ch
        size += n
    out.append(cur)
    return "\r\n".join(out)


def _day(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def calendar(events: Iterable[Event], name: str) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for e in events:
        last = e.end or e.start
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_day(e.start)}",
            f"DTEND;VALUE=DATE:{_day(last + dt.timedelta(days=1))}",
            f"SUMMARY:{escape(e.summary)}",
        ]
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        lines.append("TRANSP:TRANSPARENT")
        for days in e.alarms:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape(e.summary)}",
                      f"TRIGGER:-P{days}D", "END:VALARM"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
