"""Accessibility of the calculator pages: axe-core finds nothing (WCAG 2.1 A and AA),
with a result, with errors shown, and on a phone-sized screen; and every form can be
used with the keyboard alone."""

from __future__ import annotations

import pytest

from shegong.api import TOOLS
from support.browser import (WAIT, settled_any, axe_violations, focused, new_context, press_until, scheme, settled, switch_scheme, tab_to,
                             type_date, wait_for, with_axe)

PAGES = ["calculator/"] + [f"calculator/{tool}/" for tool in TOOLS]


@pytest.fixture(scope="module")
def shared(browser, site_url):
    """One context for the module: the first calculator page boots Pyodide and stores the
    snapshot, later ones restore from it, as a returning reader's would (the cold start
    is covered by test_calculator_snapshot and the keyboard tests, whose 清除数据 drops
    the snapshot)."""
    ctx = with_axe(new_context(browser, site_url, viewport={"width": 1280, "height": 720}, accept_downloads=True))
    yield ctx
    assert ctx.request_log.foreign() == []
    ctx.close()


@pytest.fixture
def page(shared):
    p = shared.new_page()
    yield p
    p.close()


def ready(page):
    if page.locator("#sg-result").count():
        settled_any(page)


def fresh(page, url):
    """``url`` as a first visit shows it, whatever earlier tests saved, with its first
    example filled in (填入示例): the form, the example's notes and the result."""
    page.goto(url)
    page.evaluate("localStorage.clear()")
    page.reload()
    ready(page)
    if page.locator("[data-example]").count():
        page.locator("[data-example]").first.click()
        settled(page, "ok")


@pytest.mark.parametrize("path", PAGES)
def test_axe_clean_in_both_schemes(page, site_url, path):
    """With the example's result shown, in light and then in dark (the theme's toggle)."""
    fresh(page, site_url + path)
    found = {}
    for _ in range(2):
        found[scheme(page)] = axe_violations(page)
        switch_scheme(page)
    assert found == {"light": [], "dark": []}


def test_axe_clean_with_errors_and_on_a_phone(browser, site_url):
    ctx = new_context(browser, site_url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(site_url + "calculator/training/")
    ready(page)
    page.fill("#sg-r0-hours", "很多")
    page.fill("#sg-period_start", "1800-01-01")
    wait_for(
        page, "[...document.querySelectorAll('.sg-error')].filter(e => !e.hidden).length >= 2", timeout=WAIT
    )
    assert page.locator("[data-error-for='period_start']").is_visible()
    assert page.locator("[data-error-for='records[0].hours']").is_visible()
    assert axe_violations(page) == []
    page.goto(site_url + "calculator/registration/")
    ready(page)
    assert axe_violations(page) == []
    ctx.close()


# --- keyboard --------------------------------------------------------------------------


def start(page, site_url, tool):
    page.goto(site_url + f"calculator/{tool}/")
    ready(page)
    page.click("#sg-clear")  # by mouse only to start from empty inputs; the keyboard takes over
    wait_for(page, "document.querySelector('#sg-cleared').textContent !== ''")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Tab")


def test_keyboard_registration(page, site_url):
    start(page, site_url, "registration")
    tab_to(page, "sg-level")
    page.keyboard.press("ArrowUp")  # 社会工作师 -> 助理社会工作师
    page.keyboard.press("Tab")
    assert focused(page) == "sg-passed_on"
    type_date(page, "sg-passed_on", "2024-09-10")
    tab_to(page, "sg-first_registered_on")
    type_date(page, "sg-first_registered_on", "2025-03-15")
    page.keyboard.press("Enter")
    settled(page, "ok")
    assert page.input_value("#sg-level") == "助理社会工作师"
    assert "72 小时" in page.inner_text("#sg-result")
    # The calendar button in the result is reachable and works with Enter.
    press_until(page, ".sg-ics", limit=10)
    with page.expect_download() as dl:
        page.keyboard.press("Enter")
    assert open(dl.value.path(), encoding="utf-8").read().startswith("BEGIN:VCALENDAR")


def test_keyboard_training(page, site_url):
    start(page, site_url, "training")
    tab_to(page, "sg-period_start")
    type_date(page, "sg-period_start", "2022-03-15")
    tab_to(page, "sg-r0-kind")
    page.keyboard.press("Tab")
    type_date(page, "sg-r0-date", "2022-06-01")
    tab_to(page, "sg-r0-hours")
    page.keyboard.type("40")
    # Add a second record with Enter on the button: the new row's first field gets focus.
    tab_to(page, "sg-add-record")
    page.keyboard.press("Enter")
    assert focused(page) == "sg-r1-kind"
    page.keyboard.press("ArrowDown")  # training -> online
    tab_to(page, "sg-r1-date")
    type_date(page, "sg-r1-date", "2023-01-01")
    tab_to(page, "sg-r1-hours")
    page.keyboard.type("22")
    wait_for(page, "document.querySelector('.sg-progress-label') && document.querySelector('.sg-progress-label').textContent.includes('62/72')", timeout=WAIT)
    # Remove the first row with the keyboard.
    page.focus("#sg-r1-hours")
    page.keyboard.press("Shift+Tab")
    press_until(page, ".sg-remove", key="Shift+Tab", limit=12)
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label == "删除第1条记录"
    page.keyboard.press("Enter")
    wait_for(page, "document.querySelectorAll('#sg-records-body tr').length === 1")
    wait_for(page, "document.querySelector('.sg-progress-label').textContent.includes('22/72')", timeout=WAIT)


def test_keyboard_title(page, site_url):
    start(page, site_url, "title")
    tab_to(page, "sg-from")
    steps = page.evaluate(
        "() => { const s = document.querySelector('#sg-from');"
        " return [...s.options].findIndex(o => o.value === '技师') - s.selectedIndex; }"
    )
    assert steps > 0
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    tab_to(page, "sg-since")
    type_date(page, "sg-since", "2020-01-01")
    tab_to(page, "sg-series")
    page.keyboard.press("ArrowDown")  # the first series, 工程技术
    assert page.input_value("#sg-from") == "技师"
    assert page.input_value("#sg-series") == "工程技术"
    wait_for(
        page, "document.querySelector('#sg-result').textContent.includes('相应系列中级职称')", timeout=WAIT
    )


def test_keyboard_certificate(page, site_url):
    start(page, site_url, "certificate")
    tab_to(page, "sg-results_published_on")
    type_date(page, "sg-results_published_on", "2025-12-20")
    page.keyboard.press("Enter")
    settled(page, "ok")
    assert "2026年2月20日" in page.inner_text("#sg-answer")
    # Example buttons work with the keyboard.
    tab_to(page, "sg-annotation_requested_at")
    press_until(page, "[data-example]", limit=12)  # past the date-time field's parts to the first example button
    page.keyboard.press("Enter")  # the first example: 已申请加注
    wait_for(page, "document.querySelector('#sg-annotation_requested_at').value === '2026-01-05T10:30'")
    wait_for(page, "document.querySelector('.sg-facts') && document.querySelector('.sg-facts').textContent.includes('10:30')", timeout=WAIT)


def test_an_unchanged_answer_keeps_focus_and_is_not_announced_again(page, site_url):
    """A late computation with the same inputs (a "change" event after Enter, say) must not
    rebuild the result: keyboard focus inside it would be lost, and the live region would
    read the same answer again."""
    fresh(page, site_url + "calculator/registration/")
    assert page.input_value("#sg-level") == "社会工作师"
    page.focus("#sg-result .sg-ics")
    page.evaluate("""() => {
        window.__answerChanges = 0;
        new MutationObserver((m) => { window.__answerChanges += m.length; })
            .observe(document.getElementById('sg-answer'), {childList: true, characterData: true, subtree: true});
        window.__icsBefore = document.activeElement;
        const level = document.getElementById('sg-level');
        level.dispatchEvent(new Event('change', {bubbles: true}));
    }""")
    # The debounced computation (150 ms) has run and answered.
    settled(page, "ok")
    assert page.evaluate("document.activeElement === window.__icsBefore && document.activeElement.isConnected")
    assert page.evaluate("window.__answerChanges") == 0
    # A real change still updates the result.
    page.select_option("#sg-level", "助理社会工作师")
    wait_for(page, "document.querySelector('#sg-result').textContent.includes('72 小时')", timeout=WAIT)
