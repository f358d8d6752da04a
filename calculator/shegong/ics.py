"""An iCalendar (RFC 5545) file of one-day all-day events with reminders, in pure stdlib.

It runs in Pyodide beside the rules, so the file a page offers is the one the command
line writes and the tests parse (with PyPI's ``icalendar``).  The registration and
certificate rules make their own events (``calendar_events``); a tool's response carries
them as ``attachment``, and the plan gathers theirs into one file.

A window (a re-registration window is about three months) is written as two events, the
day it opens and its last day (``window``): one event spanning it would sit in a phone's
all-day banner on every one of its days.

    calendar(window("rereg-1@shegong-guide", "再登记受理期", dt.date(2027, 12, 15), dt.date(2028, 3, 15),
                    "", window_rings(dt.date(2027, 12, 15), dt.date(2028, 3, 15)), today=dt.date(2026, 1, 1)),
             stamp=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))

What the RFC asks and is done here: CRLF line ends; lines folded at 75 octets without
splitting a UTF-8 character; TEXT values escaped; every event with UID and DTSTAMP;
all-day dates as ``VALUE=DATE`` with an exclusive DTEND (3.6.1: the day after the last).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Iterator

PRODID = "-//shegong-guide//shegong//ZH"
UID_DOMAIN = "shegong-guide"
# Reminders of a window: when it opens, and this many days before its last day.
BEFORE_CLOSE = (30, 7)
# What an event marks (``Event.kind``): the day a window opens, its last day, or a day of its own.
OPENS, LAST_DAY, DAY = "opens", "last_day", "day"
# The opening event's UID is the window's with this added; the last-day event keeps the
# window's own, so a file imported before windows were split has its span replaced by the
# last day instead of kept beside it (where the calendar app replaces events by UID).
OPENS_SUFFIX = "-opens"
# Reminders ring at this hour of the day they fall on, in the reader's own time zone:
# an all-day event has no time of its own, and midnight would wake nobody usefully.
ALARM_HOUR = 9
FOLD = 75


@dataclass(frozen=True)
class Event:
    """One all-day event on ``day``, and no longer: a phone shows it on that day only.

    ``uid`` is stable for the same step of the same plan (no time stamp or random part in
    it), so importing an updated file replaces the event instead of adding a second one.
    ``alarms`` are day offsets from ``day`` (0: on it; negative: before it), each ringing
    at ALARM_HOUR.  ``kind`` is OPENS or LAST_DAY for the two ends of the window named
    ``window``, DAY (and no window) for a day of its own.
    """

    uid: str
    summary: str
    day: dt.date
    description: str = ""
    alarms: tuple[int, ...] = ()
    kind: str = DAY
    window: str | None = None


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """A content line folded so that no physical line passes 75 octets (3.1); a continuation
    starts with one space, which counts toward its own 75."""
    if len(line) * 4 <= FOLD or len(line.encode("utf-8")) <= FOLD:
        return line
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > FOLD:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def duration(offset: dt.timedelta) -> str:
    """A signed DURATION (3.3.6) in days, hours and minutes: -P29DT15H."""
    sign = "-" if offset < dt.timedelta(0) else ""
    offset = abs(offset)
    hours, rest = divmod(offset.seconds, 3600)
    time = (f"{hours}H" if hours else "") + (f"{rest // 60}M" if rest // 60 else "")
    days = f"{offset.days}D" if offset.days or not time else ""
    return f"{sign}P{days}" + (f"T{time}" if time else "")


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def calendar(events: Iterable[Event], stamp: dt.datetime, name: str = "") -> str:
    """The whole file.  ``stamp`` (DTSTAMP, in UTC) is given, not read from a clock, so that
    the same request gives the same file on the command line and in the page."""
    return "".join(lines(events, stamp, name))


def lines(events: Iterable[Event], stamp: dt.datetime, name: str = "") -> Iterator[str]:
    """The file's lines, folded and ended, one event at a time: a team's file is written as
    its rows are computed."""
    for line in _content(events, stamp, name):
        yield fold(line) + "\r\n"


def _content(events: Iterable[Event], stamp: dt.datetime, name: str) -> Iterator[str]:
    utc = stamp.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    yield from ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        yield f"X-WR-CALNAME:{escape(name)}"
    for e in events:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{utc}",
            f"DTSTART;VALUE=DATE:{_date(e.day)}",
            f"DTEND;VALUE=DATE:{_date(e.day + dt.timedelta(days=1))}",
            f"SUMMARY:{escape(e.summary)}",
        ]
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        # A reminder of a day does not make the reader busy on it.
        lines.append("TRANSP:TRANSPARENT")
        for days in e.alarms:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{escape(e.summary)}",
                f"TRIGGER:{duration(dt.timedelta(days=days, hours=ALARM_HOUR))}",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
        yield from lines
    yield "END:VCALENDAR"


def uid(*parts: str) -> str:
    """The same step of the same case gets the same UID in every tool's file, so importing
    the plan after the registration file replaces events instead of doubling them."""
    return "-".join(p for p in parts if p) + "@" + UID_DOMAIN


def case_key(*facts: object) -> str:
    """A short digest of a case's facts, for its UIDs: two people's files in one shared
    calendar do not replace each other's events, the same facts give the same UIDs, and no
    fact can be read back from it."""
    text = json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def window_rings(start: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The days a window's reminders ring: when it opens, and BEFORE_CLOSE days before its
    last day."""
    return (start, *(last - dt.timedelta(days=d) for d in BEFORE_CLOSE))


def window(uid: str, name: str, start: dt.date, last: dt.date, description: str, rings: Iterable[dt.date],
           today: dt.date, opens: str = "", closes: str = "") -> list[Event]:
    """The window ``name`` from ``start`` to ``last`` (both included) as two one-day events:
    the day it opens (``opens``, else 「name开始」) and its last day (``closes``, else
    「name最后一天」).  Every reminder is on the last-day event, since that is the day they
    are about; of ``rings``, those inside the window and not yet gone (a reminder of a day
    past only clutters the calendar)."""
    alarms = tuple(sorted({(d - last).days for d in rings if start <= d <= last and d >= today}))
    local, _, domain = uid.rpartition("@")
    return [Event(f"{local}{OPENS_SUFFIX}@{domain}", opens or f"{name}开始", start, description, (), OPENS, name),
            Event(uid, closes or f"{name}最后一天", last, description, alarms, LAST_DAY, name)]


def before(day: dt.date, days: tuple[int, ...], today: dt.date) -> tuple[int, ...]:
    """Reminders ``days`` before ``day``, those not yet gone."""
    return tuple(sorted(-d for d in days if day - dt.timedelta(days=d) >= today))


def as_json(e: Event) -> dict[str, object]:
    return {"uid": e.uid, "kind": e.kind, "window": e.window, "summary": e.summary, "date": e.day.isoformat(),
            "description": e.description,
            "alarms": [(e.day + dt.timedelta(days=d)).isoformat() for d in e.alarms]}


def stamp(day: dt.date) -> dt.datetime:
    """A file's DTSTAMP: midnight UTC of ``day`` (the request's today), so the command line
    and the page write the same bytes on the same day."""
    return dt.datetime.combine(day, dt.time(), dt.timezone.utc)


def attachment(events: list[Event], today: dt.date, name: str, filename: str) -> dict[str, object]:
    """A response's calendar: its events as JSON, the file itself (stamped with ``today``,
    so the command line and the page give the same bytes) and what a page says of it."""
    return {"filename": filename, "events": [as_json(e) for e in events],
            "ics": calendar(events, stamp(today), name),
            "note": note(events)}


def note(events: list[Event]) -> str:
    """The file in words: its events, each window named once; why a window is not a banner
    on every day of it; and, since files from before 2026-12-07 held a window as one long
    event under another UID, that old events are deleted by hand (an import adds, it does
    not replace another file's events)."""
    names = list(dict.fromkeys(e.window or e.summary for e in events))
    windows = any(e.kind == OPENS for e in events)
    return (f"{len(events)}个全天事件：{'、'.join(names)}。"
            + ("每段时间只记开始那天和最后一天，不会天天显示；提醒都设在最后一天的事件上。" if windows else "")
            + "以前导入过本站日历文件的，请先在手机日历里删除旧的事件，以免重复。"
            + "文件在本机生成，不经过网络，用手机日历打开即可添加。")
