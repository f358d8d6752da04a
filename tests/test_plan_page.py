"""我的时间表 in the browser: reached from the home page's button, used with the keyboard
alone, the calendar file downloaded and parsed by icalendar (the same text the command
line writes), axe clean with a result, and usable at 390 px.

Set SHEGONG_SCREENSHOTS to a directory to keep screenshots of the page to look at.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import icalendar
import pytest

from shegong import evaluate
from support.browser import axe_violations, focused, press_until, settled, tab_to, type_date, wait_for, wait_ready

SHOTS = os.environ.get("SHEGONG_SCREENSHOTS")


@pytest.fixture(scope="module")
def ctx(module_context):
    return module_context


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_plan_from_the_home_page_by_keyboard_with_its_calendar_file(ctx, site_url):
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # The entry point: the home page's button.
    page.goto(site_url)
    page.locator("a.md-button", has_text="我的时间表").click()
    page.wait_for_url("**/calculator/plan/")
    wait_ready(page)
    settled(page, "empty")
    # A first visit is empty (issue 22); the first example: registered, with records.
    page.click("[data-example]")
    settled(page, "ok")
    assert page.locator("#sg-records-body tr").count() == 2
    assert page.locator(".sg-next-step a").get_attribute("href") == "../../registration/continuing-education/"
    # Nothing is late: the step is a plan, not a warning (test_calculator_answer_first: late).
    assert "sg-yes" in page.locator(".sg-next-step").get_attribute("class")
    assert page.locator("svg.sg-timeline title").text_content() == "我的时间表"
    assert "首次登记受理期" in page.locator("svg.sg-timeline desc").text_content()
    assert axe_violations(page) == []
    shot(page, "plan-1280-example")

    # From empty inputs, with the keyboard alone.
    page.click("#sg-clear")
    wait_for(page, "document.querySelector('#sg-cleared').textContent !== ''")
    page.evaluate("document.activeElement.blur()")
    assert page.locator("#sg-records-body tr").count() == 0
    tab_to(page, "sg-level")
    page.keyboard.press("Tab")
    assert focused(page) == "sg-passed_on"
    type_date(page, "sg-passed_on", "2021-12-01")
    tab_to(page, "sg-first_registered_on")
    type_date(page, "sg-first_registered_on", "2022-05-31")
    tab_to(page, "sg-add-reregistered_on")
    page.keyboard.press("Enter")
    assert focused(page) == "sg-rr0"
    type_date(page, "sg-rr0", "2025-04-01")
    tab_to(page, "sg-add-record")
    page.keyboard.press("Enter")
    assert focused(page) == "sg-r0-kind"
    page.keyboard.press("Tab")
    type_date(page, "sg-r0-date", "2024-06-30")
    tab_to(page, "sg-r0-hours")
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    press_until(page, "summary", limit=20)  # the optional group: open it with Enter on its summary
    page.keyboard.press("Enter")
    tab_to(page, "sg-today")
    type_date(page, "sg-today", "2026-02-01")
    page.keyboard.press("Enter")
    settled(page, "ok")

    request = {"tool": "plan", "level": "社会工作师", "passed_on": "2021-12-01", "first_registered_on": "2022-05-31",
               "reregistered_on": ["2025-04-01"], "today": "2026-02-01",
               "records": [{"kind": "training", "date": "2024-06-30", "hours": 30, "certified": True, "approved": True}]}
    expected = evaluate(request)
    assert page.inner_text("#sg-answer") == expected["summary"]
    assert page.inner_text("#sg-r0-counted") == "第1期 30 小时"
    deadlines = page.inner_text(".sg-deadlines")
    assert "第2次再登记开始受理" in deadlines and "第3次再登记受理期限最后一天" in deadlines
    assert page.locator(".sg-hours tbody tr").count() == len(expected["periods"])
    assert page.locator("svg.sg-timeline .sg-tl-window").count() == len(expected["periods"])

    # The calendar file, by keyboard: the rules' own text, as icalendar reads it.
    page.focus(".sg-next-step a")
    press_until(page, ".sg-ics", limit=30)
    with page.expect_download() as dl:
        page.keyboard.press("Enter")
    assert dl.value.suggested_filename == expected["calendar"]["filename"]
    text = Path(dl.value.path()).read_bytes().decode("utf-8")  # as written: CRLF kept
    assert text == expected["calendar"]["ics"]
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert [e.get("DTSTART").dt.isoformat() for e in events] == [e["date"] for e in expected["calendar"]["events"]]
    # Each window: its opening day bare, its last day with the three reminders.
    assert [len(e.walk("VALARM")) for e in events] == [0, 3] * (len(events) // 2) and events
    hint = page.inner_text(".sg-ics-box .sg-hint")
    assert hint == expected["calendar"]["note"]  # the rules' words, laid out
    assert hint.count(expected["calendar"]["events"][0]["window"]) == 1 and "最后一天" in hint
    # Axe with the focus still on the button: its focus colours are checked too.
    assert axe_violations(page) == []
    shot(page, "plan-1280-keyboard")

    # Removing the re-registration date by keyboard recomputes the plan.
    page.focus("#sg-rr0")
    press_until(page, ".sg-remove", limit=6)  # past the date field's own parts
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "删除第1次再登记的日期"
    page.keyboard.press("Enter")
    wait_for(page, "document.querySelectorAll('#sg-reregistered_on-body input').length === 0")
    assert focused(page) == "sg-add-reregistered_on"
    settled(page, "ok")
    saved = json.loads(page.evaluate("localStorage.getItem('shegong:calculator:plan')"))
    assert saved["reregistered_on"] == [] and len(saved["records"]) == 1

    # A phone: nothing wider than the screen, still axe clean.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    shot(page, "plan-390")
    page.emulate_media(color_scheme="dark")
    shot(page, "plan-390-dark")
    page.close()
    assert errors == []
