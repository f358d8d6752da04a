"""Every .ics the site writes, read back with PyPI's ``icalendar`` (not our writer's code).

A window (a re-registration window is about three months) must not sit in a phone's
all-day banner for its whole span: each is two one-day events, the day it opens and its
last day, and every reminder is on the last-day event.  Checked over each named case with
a calendar, the certificate's file and the team's file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import icalendar
import pytest

from shegong import api, evaluate, ics
from support.rulecases import load_cases

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 1, 25)

CALENDAR_CASES = [c for c in load_cases() if c["request"]["tool"] in ("registration", "plan")]
# Beyond the named cases: the certificate's estimate and annotation, and a plan holding both
# kinds of window and a day of its own.
MORE = [
    {"tool": "certificate", "results_published_on": "2026-01-10", "annotation_requested_at": "2026-01-20T10:00"},
    {"tool": "plan", "level": "社会工作师", "passed_on": "2025-12-01", "results_published_on": "2026-01-10",
     "today": TODAY.isoformat()},
    {"tool": "registration", "level": "社会工作师", "passed_on": "2022-03-01", "first_registered_on": "2022-11-20",
     "today": "2025-10-01"},  # inside a re-registration window: its opening day is past
]


def ring_days(event) -> list[dt.date]:
    """The day each reminder rings: the event's date plus the trigger, less the hour it rings at."""
    day = event.decoded("DTSTART")
    return sorted((dt.datetime.combine(day, dt.time()) + a.decoded("TRIGGER")).date() for a in event.walk("VALARM"))


def check_file(text: str | bytes, today: dt.date, kinds: dict[str, str] | None = None) -> list:
    """What the brief asks of every file; returns its events.  ``kinds`` (UID to the JSON's
    kind) names the days of their own; without it, every event must be half of a window."""
    cal = icalendar.Calendar.from_ical(text)
    assert cal.errors == [] and all(c.errors == [] for c in cal.walk())
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for e in events:
        # One all-day event of one day: no banner across a window.
        start = e.decoded("DTSTART")
        assert type(start) is dt.date and e.decoded("DTEND") - start == dt.timedelta(days=1), e["SUMMARY"]
        assert all(day >= today for day in ring_days(e)), e["SUMMARY"]
        assert all(day <= start for day in ring_days(e)), e["SUMMARY"]
    by_uid = {str(e["UID"]): e for e in events}
    opening = {u for u in uids if u.endswith(ics.OPENS_SUFFIX + "@" + ics.UID_DOMAIN)}
    for u in opening:
        # Each window: an opening event with no reminder, and its last day holding them,
        # none rung before the window opened.
        last = by_uid[u.replace(ics.OPENS_SUFFIX + "@", "@")]
        assert by_uid[u].walk("VALARM") == []
        assert by_uid[u].decoded("DTSTART") <= last.decoded("DTSTART")
        assert all(day >= by_uid[u].decoded("DTSTART") for day in ring_days(last))
    closing = {u.replace(ics.OPENS_SUFFIX + "@", "@") for u in opening}
    alone = set(uids) - opening - closing
    assert all((kinds or {}).get(u) == ics.DAY for u in alone), alone
    if kinds is not None:
        assert {u for u, k in kinds.items() if k == ics.OPENS} == opening
        assert {u for u, k in kinds.items() if k == ics.LAST_DAY} == closing
    return events


def answer(request: dict) -> dict:
    return evaluate(request, today=TODAY)


@pytest.mark.parametrize("request_", [c["request"] for c in CALENDAR_CASES] + MORE,
                         ids=[c["name"] for c in CALENDAR_CASES] + [r["tool"] for r in MORE])
def test_each_file_has_one_day_events_and_reminders_on_last_days_only(request_):
    r = answer(request_)
    if not r["ok"]:
        return  # a named case of bad input: no file
    today = dt.date.fromisoformat(r.get("today", TODAY.isoformat()))
    json_events = r["calendar"]["events"]
    events = check_file(r["calendar"]["ics"], today, {e["uid"]: e["kind"] for e in json_events})
    # The JSON is the file: each event's date, and its reminders only where the file has them.
    assert [(str(e["UID"]), e.decoded("DTSTART").isoformat()) for e in events] == [(e["uid"], e["date"]) for e in json_events]
    assert [[d.isoformat() for d in ring_days(e)] for e in events] == [e["alarms"] for e in json_events]
    # Each window's two events name it, the opening first.
    windows = defaultdict(list)
    for e in json_events:
        if e["kind"] != ics.DAY:
            windows[e["window"]].append(e["kind"])
    assert all(k == [ics.OPENS, ics.LAST_DAY] for k in windows.values()), windows
    # The same request, the same file: every UID stable.
    assert answer(request_)["calendar"]["ics"] == r["calendar"]["ics"]


def test_the_files_checked_hold_windows_and_days_of_their_own():
    """The cases above are not vacuous: both kinds of event, and reminders, are in them."""
    kinds = [e["kind"] for req in MORE for e in answer(req)["calendar"]["events"]]
    assert {ics.OPENS, ics.LAST_DAY, ics.DAY} <= set(kinds)
    cert = answer(MORE[0])["calendar"]["events"]
    assert [e["kind"] for e in cert] == [ics.OPENS, ics.LAST_DAY, ics.DAY] and all(e["alarms"] for e in cert[1:])
    # Inside a window: its opening day is past, yet the window is written whole.
    inside = answer(MORE[2])
    opening, last = inside["calendar"]["events"][:2]
    assert opening["date"] < inside["today"] <= last["date"] and last["alarms"]


def test_the_last_day_keeps_the_window_s_old_uid():
    """A file imported before windows were split had one event per window with this UID:
    the last day's event replaces it, where the calendar app goes by UID."""
    events = answer(MORE[1])["calendar"]["events"]
    for opening, last in zip(events[::2], events[1::2]):
        if opening["kind"] == ics.OPENS:
            assert opening["uid"] == last["uid"].replace("@", ics.OPENS_SUFFIX + "@")
    assert events[1]["uid"].startswith("first-2025-12-01-") and events[3]["uid"] == "paper-2026-01-10@shegong-guide"


def test_the_team_file_too():
    data = (ROOT / "docs" / "assets" / "calculator" / "team-template.xlsx").read_bytes()
    r = api.evaluate_sheet(data, "team.xlsx", TODAY)
    text = api.export(r, "ics")
    assert text == api.export(api.evaluate_sheet(data, "team.xlsx", TODAY), "ics")
    events = check_file(text, TODAY)
    assert len(events) == sum(len(w["windows"]) for w in r["workers"]) > 0
    assert any(e.walk("VALARM") for e in events)


@pytest.mark.parametrize("request_", MORE, ids=[r["tool"] for r in MORE])
def test_the_note_names_each_window_once_and_old_imports(request_):
    """What the page prints under the button is the rules' note: the file's events with each
    window named once, and (the file changed shape on 2026-12-07) deleting old events."""
    calendar = answer(request_)["calendar"]
    note, events = calendar["note"], calendar["events"]
    assert note.startswith(f"{len(events)}个全天事件：")
    for name in {e["window"] or e["summary"] for e in events}:
        assert note.count(name) == 1, name
    assert ("不会天天显示" in note) == any(e["kind"] == ics.OPENS for e in events)
    assert "删除旧的事件" in note
