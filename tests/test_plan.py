"""我的时间表 (shegong.plan) and its calendar file (shegong.ics).

The plan is composed of the other tools' rules: the properties check that it says what
registration and training say for the same input.  The .ics is parsed with PyPI's
``icalendar`` (a maintained implementation of RFC 5545, not ours), and its events, alarms
and dates are compared with the JSON the page shows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from hypothesis import given, settings, strategies as st

from shegong import evaluate, ics
from shegong.api import QUESTIONS
from shegong.policy import load

ROOT = Path(__file__).resolve().parents[1]
POLICY = load()
LEVELS = ("助理社会工作师", "社会工作师", "高级社会工作师")


def plan(**request):
    out = evaluate({"tool": "plan", **request})
    assert out["ok"], out.get("errors")
    return out


def parsed(response) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(response["calendar"]["ics"])
    assert cal.errors == [] and all(c.errors == [] for c in cal.walk())
    return cal


def alarm_days(event) -> list[dt.date]:
    """The day each reminder rings: DTSTART (a date) plus the trigger."""
    start = event.get("DTSTART").dt
    return sorted((dt.datetime.combine(start, dt.time()) + a.get("TRIGGER").dt).date() for a in event.walk("VALARM"))


# --- the calendar file, checked by icalendar ----------------------------------------


def assert_file_matches_json(response):
    text = response["calendar"]["ics"]
    lines = text.split("\r\n")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= ics.FOLD for line in lines)
    cal = parsed(response)
    assert str(cal.get("VERSION")) == "2.0" and cal.get("PRODID")
    events = cal.walk("VEVENT")
    expected = response["calendar"]["events"]
    assert len(events) == len(expected)
    assert len({str(e.get("UID")) for e in events}) == len(events)
    for got, want in zip(events, expected):
        assert str(got.get("UID")) == want["uid"]
        assert str(got.get("SUMMARY")) == want["summary"]
        assert str(got.get("DESCRIPTION")) == want["description"]
        # All-day: DATE values, the end exclusive (RFC 5545 3.6.1), one day long.
        assert type(got.get("DTSTART").dt) is dt.date
        assert got.get("DTSTART").dt.isoformat() == want["date"]
        assert got.get("DTEND").dt == dt.date.fromisoformat(want["date"]) + dt.timedelta(days=1)
        assert got.get("DTSTAMP").dt.tzinfo is not None
        assert [d.isoformat() for d in alarm_days(got)] == want["alarms"]
        assert all(str(a.get("ACTION")) == "DISPLAY" and a.get("DESCRIPTION") for a in got.walk("VALARM"))
    return events


def test_a_registered_worker_gets_each_window_as_two_days_with_three_reminders_on_the_last():
    r = plan(level="社会工作师", passed_on="2024-09-10", first_registered_on="2025-03-15", today="2026-01-01")
    events = assert_file_matches_json(r)
    windows = [d for d in r["deadlines"] if d["key"].startswith("periods")]
    assert len(events) == len(windows) == 4
    for (opening, closing), (opens, closes) in zip(zip(events[::2], events[1::2]), zip(windows[::2], windows[1::2])):
        start, last = dt.date.fromisoformat(opens["date"]), dt.date.fromisoformat(closes["date"])
        assert opening.get("DTSTART").dt == start and closing.get("DTSTART").dt == last
        assert str(opening.get("UID")) == str(closing.get("UID")).replace("@", "-opens@")
        # When it opens, 30 and 7 days before its last day (no holiday moves these two),
        # all rung by the last day's event.
        assert opening.walk("VALARM") == []
        assert alarm_days(closing) == [start, last - dt.timedelta(days=30), last - dt.timedelta(days=7)]


def test_a_new_worker_gets_the_first_registration_window_and_the_paper_estimate():
    r = plan(level="助理社会工作师", passed_on="2025-11-15", results_published_on="2025-12-20", today="2026-01-10")
    first_opens, first_last, paper_opens, paper_last = assert_file_matches_json(r)
    # The window is the rules' own, its last day moved past the weekend; its opening day has
    # gone, so no reminder for it.
    assert first_opens.get("DTSTART").dt.isoformat() == r["passed_on"]
    assert first_last.get("DTSTART").dt.isoformat() == r["first_registration"]["holiday_extended_last_day"]
    assert len(first_last.walk("VALARM")) == 2
    # The estimate's one reminder, on the day it may begin, is rung by its last day's event.
    assert paper_opens.get("DTSTART").dt.isoformat() == r["certificate"]["paper_expected"]["from"]
    assert paper_last.get("DTSTART").dt.isoformat() == r["certificate"]["paper_expected"]["to"]
    assert alarm_days(paper_last) == [paper_opens.get("DTSTART").dt] and paper_opens.walk("VALARM") == []


def test_the_file_is_the_same_for_the_same_request():
    """DTSTAMP comes from the request's day, not a clock: the page and the command line agree."""
    request = dict(level="社会工作师", passed_on="2024-09-10", first_registered_on="2025-03-15", today="2026-01-01")
    assert plan(**request)["calendar"]["ics"] == plan(**request)["calendar"]["ics"]
    assert "DTSTAMP:20260101T000000Z" in plan(**request)["calendar"]["ics"]


def test_text_is_escaped_and_long_lines_fold_between_characters():
    text = ics.calendar([ics.Event("x@y", "逗号,分号;反斜杠\\换行\n" + "长" * 40, dt.date(2030, 1, 31))],
                        stamp=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    assert "SUMMARY:逗号\\,分号\\;反斜杠\\\\换行\\n" in text.replace("\r\n ", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event.get("SUMMARY")) == "逗号,分号;反斜杠\\换行\n" + "长" * 40
    # No DESCRIPTION when there is none, no alarms when none are asked for, no name.
    assert "DESCRIPTION" not in text and "VALARM" not in text and "X-WR-CALNAME" not in text
    assert event.get("DTEND").dt == dt.date(2030, 2, 1)


def test_durations():
    assert ics.duration(dt.timedelta(hours=9)) == "PT9H"
    assert ics.duration(dt.timedelta(days=-3, hours=9)) == "-P2DT15H"
    assert ics.duration(dt.timedelta(days=2, minutes=30)) == "P2DT30M"
    assert ics.duration(dt.timedelta(0)) == "P0D"
    assert icalendar.vDuration.from_ical(ics.duration(dt.timedelta(days=-3, hours=9))) == dt.timedelta(days=-3, hours=9)


# --- composed, not re-implemented -----------------------------------------------------


dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2032, 12, 31))


@settings(max_examples=60, deadline=None)
@given(passed=dates, registered_after=st.integers(0, 500), today_after=st.integers(-400, 4000),
       level=st.sampled_from(LEVELS), registered=st.booleans())
def test_the_plan_says_what_the_registration_tool_says(passed, registered_after, today_after, level, registered):
    request = {"level": level, "passed_on": passed.isoformat(), "today": (passed + dt.timedelta(days=today_after)).isoformat()}
    if registered:
        request["first_registered_on"] = (passed + dt.timedelta(days=registered_after)).isoformat()
    reg = evaluate({"tool": "registration", **request})
    got = plan(**request)
    assert got["stage"] == reg["stage"] and got["first_registration"] == reg["first_registration"]
    shown = [p for p in got["periods"] if not p["assumed"]]
    for p in shown:
        same = next((q for q in reg["periods"] if q["index"] == p["index"]), None)
        if same is not None:
            assert {k: p[k] for k in same} == same
    # Periods chain, and the calendar holds exactly the windows still to come.
    assert all(a["end"] == b["start"] for a, b in zip(shown, shown[1:]))
    assert_file_matches_json(got)
    assert all(e["date"] >= got["today"] for e in got["calendar"]["events"] if e["kind"] != "opens")


records = st.lists(st.fixed_dictionaries({
    "kind": st.sampled_from(["training", "online"]),
    "date": dates.map(dt.date.isoformat),
    "hours": st.integers(0, 60),
    "certified": st.booleans(),
}), max_size=6)


@settings(max_examples=40, deadline=None)
@given(first=st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2026, 12, 31)), today_after=st.integers(0, 3000),
       level=st.sampled_from(LEVELS), recs=records)
def test_each_period_counts_what_the_training_tool_counts(first, today_after, level, recs):
    """Today's period, asked the training tool's other way (first registration and a day):
    the same hours.  And every record lands in at most one period."""
    today = first + dt.timedelta(days=today_after)
    base = {"level": level, "first_registered_on": first.isoformat(), "records": recs, "today": today.isoformat()}
    got = plan(passed_on=first.isoformat(), **base)
    train = evaluate({"tool": "training", **base})
    now = next(p for p in got["periods"] if p["start"] == train["period_start"])
    assert (now["counted_hours"], now["remaining_hours"], now["pending_hours"]) == (
        train["counted_hours"], train["remaining_hours"], train["pending_hours"])
    held = [i for p in got["periods"] for i in p["records"]]
    assert len(held) == len(set(held))
    assert [r["period"] for r in got["records"]] == [
        next((p["index"] for p in got["periods"] if i in p["records"]), None) for i in range(len(recs))]


# --- each stage's next step -----------------------------------------------------------


def test_next_steps_name_a_guide_that_exists():
    cases = [
        (dict(level="社会工作师", passed_on="2026-03-01", today="2026-01-01"), "not_passed_yet", "registration/first.md"),
        (dict(level="社会工作师", passed_on="2024-09-10", today="2025-09-11"), "first_registration_missed", "registration/first.md"),
        (dict(level="社会工作师", passed_on="2021-12-01", first_registered_on="2022-05-31", today="2025-03-01"),
         "reregistration_open", "registration/reregistration.md"),
    ]
    for request, code, guide in cases:
        r = plan(**request)
        assert r["stage"]["code"] == code and r["next"]["guide"]["path"] == guide
        assert (ROOT / "docs" / guide).is_file()
        assert r["summary"].endswith(r["next"]["text"])
    assert plan(**cases[1][0])["calendar"]["events"] == []


def test_an_open_window_says_how_many_hours_are_missing_and_a_met_period_does_not():
    base = dict(level="助理社会工作师", passed_on="2021-12-01", first_registered_on="2022-05-31", today="2025-03-01")
    short = plan(**base)
    assert "还差" in short["next"]["text"] and short["next"]["date"] == short["periods"][0]["holiday_extended_last_day"]
    needed = short["periods"][0]["required_hours"]
    met = plan(**base, records=[{"kind": "online", "date": "2023-01-01", "hours": needed}])
    assert "还差" not in met["next"]["text"] and met["periods"][0]["met"] is True
    # Before the window, with the hours met: the next step is the window itself.
    early = plan(**{**base, "today": "2024-01-01"}, records=[{"kind": "online", "date": "2023-01-01", "hours": needed}])
    assert early["next"]["guide"]["path"] == "registration/reregistration.md"
    assert early["next"]["date"] == early["periods"][0]["reregistration_opens"]
    # An unknown holiday arrangement: the last day may move, and the plan says so.
    late = plan(**{**base, "first_registered_on": "2025-03-15", "today": "2028-01-10"})
    assert late["stage"]["code"] == "reregistration_open" and "可能顺延" in late["next"]["text"]


def test_after_re_registering_the_next_window_is_the_next_period_s():
    r = plan(level="社会工作师", passed_on="2021-12-01", first_registered_on="2022-05-31",
             reregistered_on=["2025-04-01"], today="2025-05-01")
    assert r["stage"]["code"] == "registered" and r["stage"]["period"] == 1
    assert [e["summary"] for e in r["calendar"]["events"]] == ["社工证第2次再登记受理期开始", "社工证第2次再登记受理期最后一天"]
    assert r["next"]["date"] == r["periods"][1]["reregistration_opens"]


def test_the_period_after_the_last_the_chain_reached_is_added():
    r = plan(level="社会工作师", passed_on="2009-12-01", first_registered_on="2010-05-31", today="2025-06-10")
    current = r["stage"]["period"]
    assert [p["index"] for p in r["periods"]][-2:] == [current, current + 1]
    assert r["periods"][-1]["required_hours"] == POLICY.value("training.required_hours.社会工作师", on=dt.date(2028, 6, 1))
    assert r["records"] == []


def test_records_outside_every_period_say_why():
    r = plan(level="社会工作师", passed_on="2024-09-10", first_registered_on="2025-03-15", today="2026-01-01",
             records=[{"kind": "online", "date": "2024-01-01", "hours": 5}, {"kind": "online", "date": "2040-01-01", "hours": 5}])
    assert [x["period"] for x in r["records"]] == [None, None]
    assert all("不在本登记有效期" in x["reason"] for x in r["records"])


def test_before_the_hours_rules_took_effect_the_period_has_no_hours():
    year, month = map(int, POLICY.entries("training.required_hours.社会工作师")[0]["from"].split("-")[:2])
    first_from = dt.date(year, month, 1)
    before = first_from - dt.timedelta(days=60)
    r = plan(level="社会工作师", passed_on=(before - dt.timedelta(days=30)).isoformat(), today=before.isoformat(),
             records=[{"kind": "online", "date": before.isoformat(), "hours": 5}])
    assert r["periods"][0]["assumed"] and r["periods"][0]["required_hours"] is None and r["periods"][0]["end"] is None
    assert r["records"] == []
    registered = plan(level="社会工作师", passed_on=(before - dt.timedelta(days=30)).isoformat(),
                      first_registered_on=(before - dt.timedelta(days=10)).isoformat(), today=before.isoformat())
    assert registered["periods"][0]["required_hours"] is None and registered["periods"][1]["required_hours"] is not None
    assert "本期需" not in registered["calendar"]["events"][0]["description"]
    assert registered["next"]["guide"]["path"] == "registration/reregistration.md"


def test_a_paper_window_already_gone_is_left_out_of_the_calendar():
    r = plan(level="社会工作师", passed_on="2024-09-10", results_published_on="2024-11-01", today="2025-06-01")
    assert r["certificate"]["paper_expected"] and not any("纸质" in e["summary"] for e in r["calendar"]["events"])
    started = plan(level="社会工作师", passed_on="2024-09-10", results_published_on="2025-03-01", today="2025-05-10")
    # Begun: both its days stay in the file, and its one reminder (on the day it began) is gone.
    paper = [e for e in started["calendar"]["events"] if "纸质" in e["summary"]]
    assert [e["kind"] for e in paper] == ["opens", "last_day"] and all(e["alarms"] == [] for e in paper)


# --- questions and bad input ----------------------------------------------------------


def test_the_questions_are_the_other_tools_declarations():
    q = QUESTIONS["plan"]
    for name, tool in [("level", "registration"), ("passed_on", "registration"), ("first_registered_on", "registration"),
                       ("reregistered_on", "registration"), ("records", "training"), ("results_published_on", "certificate")]:
        theirs = QUESTIONS[tool].field(name)
        assert (q.field(name).label, q.field(name).hint, q.field(name).kind) == (theirs.label, theirs.hint, theirs.kind)
    assert q.field("reregistered_on").form


def test_bad_input_names_the_field_in_chinese():
    for request, field in [
        ({"level": "社会工作师", "passed_on": "2024-09-10", "reccords": []}, "reccords"),
        ({"level": "社会工作师", "passed_on": "2024-13-10"}, "passed_on"),
        ({"level": "社会工作师", "passed_on": "2024-09-10", "first_registered_on": "2025-03-15",
          "records": [{"kind": "online", "date": "2025-06-01", "hours": "很多"}]}, "records[0].hours"),
        ({"level": "社会工作师", "passed_on": "2024-09-10", "results_published_on": "昨天"}, "results_published_on"),
        ({"level": "社会工作师", "passed_on": "2024-09-10", "reregistered_on": ["2026-01-01"]}, "reregistered_on"),
    ]:
        out = evaluate({"tool": "plan", **request})
        assert out["ok"] is False and out["errors"][0]["field"] == field, out
        assert not out.get("internal_error")
    assert evaluate({"tool": "plan", "level": "社会工作师", "passed_on": "2024-09-10", "results_published_on": ""})["ok"]
