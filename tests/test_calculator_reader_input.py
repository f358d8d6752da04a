"""The answer uses only what the reader typed (issue 22), in a fresh browser profile at
390 px, as a new reader on a phone:

* every calculator page starts with empty inputs and no result; 填入示例 fills one, and
  the form and the result say it is an example, which is never saved; 清除数据 empties it;
* the home page's links carry no values;
* a late reader gets a next step with a link to a guide; a period that has ended is
  named as ended before its hours;
* errors are for people: labels not paths, a negative number called negative, a blank
  row just added ignored, and 计算 moves the focus to the first error.

The team page offline (after a visit to another calculator page) is in
test_calculator_offline.
"""

from __future__ import annotations

import json
import re

import pytest

from shegong.api import TOOLS
from support.browser import WAIT, new_context, settled, settled_any, stored, wait_for, wait_ready

# Fields a reader types into: an example or a stale value in any of them is what misled.
TYPED = "#sg-form input:not([type=checkbox]):not([type=file]):not([type=hidden]), #sg-form textarea"


@pytest.fixture
def fresh(browser, site_url):
    """A fresh profile (nothing saved, no snapshot) per test, as a first visit is."""
    ctx = new_context(browser, site_url)
    errors: list[str] = []
    ctx.on("page", lambda p: p.on("pageerror", lambda e: errors.append(str(e))))
    yield ctx
    assert ctx.request_log.foreign() == []
    ctx.close()
    assert errors == []


def open_page(ctx, site_url, tool, query=""):
    page = ctx.new_page()
    page.goto(f"{site_url}calculator/{tool}/{query}")
    wait_ready(page)
    return page


def typed_values(page) -> list[str]:
    return page.eval_on_selector_all(TYPED, "els => els.map(e => e.value)")


def assert_empty(page, tool):
    assert [v for v in typed_values(page) if v] == [], tool
    assert page.locator("#sg-records-body tr").count() == 0 or tool == "training"
    if tool == "training":  # one blank row to type into
        assert page.evaluate("[...document.querySelectorAll('#sg-records-body input')].every(i => i.type === 'checkbox' || !i.value)")
    assert page.locator(".sg-example-note").count() == 0
    state = settled_any(page)
    if tool == "photo":
        # No photo chosen: the page shows the size's requirements, never a check of a file.
        assert state == "ok" and page.locator("#sg-result .sg-outcome").count() == 0
        assert "照片超过" not in page.inner_text("#sg-result") and "null" not in page.inner_text("#sg-result")
    else:
        assert state == "empty", (tool, page.inner_text("#sg-answer"))
        assert page.inner_text("#sg-result").strip() == ""


def test_every_calculator_starts_empty_and_says_when_it_shows_an_example(fresh, site_url):
    for tool in TOOLS:
        page = open_page(fresh, site_url, tool)
        assert_empty(page, tool)

        # 填入示例: the form and the result say it is an example, and it is not saved.
        page.locator("[data-example]").first.click()
        settled(page, "ok")
        note = page.locator("#sg-example-form-note")
        assert note.is_visible() and "示例" in note.inner_text(), tool
        assert page.inner_text("#sg-result-title") == "示例的结果", tool
        assert page.inner_text("#sg-answer").startswith("示例："), tool
        example = json.loads(page.locator("[data-example]").first.get_attribute("data-example"))
        kept = json.loads(stored(page, tool) or "{}")
        for key, value in example.items():
            if isinstance(value, list):
                assert kept.get(key, []) == [], (tool, key, kept)
            elif key in kept and kept[key]:
                # Only a value that is also the empty form's (a default level) may be kept.
                empty = json.loads(page.get_attribute("#sg-form", "data-form"))["empty"]
                assert str(kept[key]) == str(empty.get(key)), (tool, key, kept)

        # 清除数据 empties the form again, and nothing says "example" any more.
        page.click("#sg-clear")
        assert_empty(page, tool)
        page.reload()
        wait_ready(page)
        assert_empty(page, tool)
        page.close()


def test_a_value_left_from_the_example_is_named_and_not_kept(fresh, site_url):
    page = open_page(fresh, site_url, "registration")
    page.locator("[data-example]").first.click()
    settled(page, "ok")
    # The reader types their own pass date; the first-registration date is still the example's.
    page.fill("#sg-passed_on", "2024-05-01")
    settled(page, "ok")
    words = page.inner_text("#sg-example-form-note")
    assert "首次登记的日期" in words and "通过考试的日期" not in words
    assert page.inner_text("#sg-result-title") == "示例的结果"
    kept = json.loads(stored(page, "registration"))
    assert kept["passed_on"] == "2024-05-01" and kept["first_registered_on"] == ""
    # Emptied by the reader: now it is all theirs.
    page.fill("#sg-first_registered_on", "")
    settled(page, "ok")
    assert page.locator(".sg-example-note").count() == 0
    assert page.inner_text("#sg-result-title") == "结果"


def test_the_home_page_links_carry_no_values(fresh, site_url):
    page = fresh.new_page()
    page.goto(site_url)
    hrefs = page.eval_on_selector_all("a[href*='calculator/']", "as => as.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 4
    assert [h for h in hrefs if "?" in h or re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", h)] == []
    # Followed, such a link opens an empty form and keeps what the reader saved.
    page.goto(site_url + "calculator/registration/")
    wait_ready(page)
    page.fill("#sg-passed_on", "2023-06-18")
    settled(page, "ok")
    page.goto(site_url)
    page.get_by_role("link", name="算我的首次登记期限").click()
    wait_ready(page)
    assert page.input_value("#sg-passed_on") == "2023-06-18"
    assert page.locator("#sg-link-note").count() == 0


def late_registration(page):
    page.select_option("#sg-level", "社会工作师")
    page.fill("#sg-passed_on", "2024-09-10")
    page.click("summary:has-text('按另一天判断')")
    page.fill("#sg-today", "2026-12-07")


def test_the_late_reader_gets_a_next_step_and_a_guide(fresh, site_url):
    # Passed 2024-09-10, not registered, asked on 2026-12-07.
    page = open_page(fresh, site_url, "registration")
    late_registration(page)
    settled(page, "ok")
    assert page.inner_text("#sg-answer").startswith("首次登记的受理期限已于2025年9月10日届满")
    # The answer says what to do; the next step under it adds the guide, not the words again.
    said = page.inner_text("#sg-answer")
    assert "当地民政部门" in said and "全国性规定没有写明" in said
    step = page.locator(".sg-next-step")
    assert step.is_visible() and "全国性规定没有写明" not in step.inner_text()
    link = step.locator("a.sg-guide-link")
    assert link.get_attribute("href").endswith("registration/first/")
    link.click()
    page.wait_for_url(re.compile(r"registration/first/$"))
    assert "首次登记" in page.inner_text("h1")

    # Re-registration missed (a date after the window), on 我的时间表.
    page = open_page(fresh, site_url, "plan")
    page.fill("#sg-passed_on", "2021-11-20")
    page.fill("#sg-first_registered_on", "2022-03-15")
    page.click("#sg-add-reregistered_on")
    page.fill("#sg-rr0", "2025-06-01")
    page.click("summary:has-text('按另一天判断')")
    page.fill("#sg-today", "2026-12-07")
    settled(page, "ok")
    assert "逾期未再登记" in page.inner_text("#sg-answer")
    assert page.locator(".sg-next-step a").first.get_attribute("href").endswith("registration/reregistration/")


def test_a_training_period_that_ended_is_named_as_ended(fresh, site_url):
    page = open_page(fresh, site_url, "training")
    page.select_option("#sg-level", "社会工作师")
    page.fill("#sg-period_start", "2022-03-15")
    page.fill("#sg-r0-date", "2022-06-01")
    page.fill("#sg-r0-hours", "88")
    settled(page, "ok")
    assert page.inner_text("#sg-answer").startswith("这个登记有效期（2022年3月15日至2025年3月15日）已经结束。")
    state = page.locator(".sg-period-ended")
    assert state.is_visible() and "把开始日期改为2025年3月15日" in state.inner_text()
    assert page.locator(".sg-next-step a").get_attribute("href").endswith("registration/continuing-education/")


def test_errors_are_for_people(fresh, site_url):
    page = open_page(fresh, site_url, "training")
    page.select_option("#sg-level", "社会工作师")
    page.fill("#sg-period_start", "2025-03-15")
    page.fill("#sg-r0-date", "2025-06-01")
    page.fill("#sg-r0-hours", "30")
    settled(page, "ok")
    # A row added and left empty is ignored, and says so.
    page.click("#sg-add-record")
    settled(page, "ok")
    assert page.inner_text("#sg-r1-counted") == "空行，不计入"
    assert "30小时" in page.inner_text("#sg-answer")

    # −5 hours is negative; a record without its date is named by its label.
    page.fill("#sg-r0-hours", "-5")
    page.fill("#sg-r1-hours", "3")
    page.click("#sg-form button[type=submit]")
    settled(page, "errors")
    messages = page.inner_text("#sg-form")
    assert "不能是负数" in page.inner_text("[data-error-for='records[0].hours']")
    assert "第2条学习记录缺少「日期」" in page.inner_text("[data-error-for='records[1].date']")
    assert "records[" not in messages and "不是数字" not in messages
    # The summary counts them, and the focus is on the first.
    assert page.inner_text("#sg-answer") == "请先改正上面标出的2处输入。"
    wait_for(page, "document.activeElement && document.activeElement.id === 'sg-r0-hours'", timeout=WAIT)


def test_an_example_saved_by_an_older_version_is_not_brought_back(fresh, site_url):
    page = open_page(fresh, site_url, "registration")
    # What a first visit used to save: the first example, as the form read it.
    old = {"level": "社会工作师", "passed_on": "2024-09-10", "first_registered_on": "2025-03-15", "today": ""}
    page.evaluate("v => localStorage.setItem('shegong:calculator:registration', JSON.stringify(v))", old)
    page.reload()
    wait_ready(page)
    assert_empty(page, "registration")
    # A reader's own saved input is brought back as before.
    mine = {**old, "passed_on": "2023-06-18"}
    page.evaluate("v => localStorage.setItem('shegong:calculator:registration', JSON.stringify(v))", mine)
    page.reload()
    wait_ready(page)
    settled(page, "ok")
    assert page.input_value("#sg-passed_on") == "2023-06-18"


FAILING = """() => {
  const api = window.shegongCalculator;
  window.__evaluate = api.evaluate;
  api.evaluate = () => Promise.reject(new Error("Traceback (most recent call last): ModuleNotFoundError: No module named 'x'"));
}"""


def test_a_failed_computation_says_so_in_chinese_with_retry_and_guides(fresh, site_url):
    page = open_page(fresh, site_url, "registration")
    page.evaluate(FAILING)
    page.fill("#sg-passed_on", "2024-09-10")
    settled(page, "failed")
    result = page.inner_text("#sg-result")
    assert "计算引擎出错" in result and "Traceback" not in result and "Error" not in page.inner_text("body")
    assert page.locator("#sg-result a[href*='registration/first']").count() == 1
    # 重试, once the engine answers again.
    page.evaluate("() => { window.shegongCalculator.evaluate = window.__evaluate; }")
    page.click("#sg-result button.sg-retry")
    settled(page, "ok")
    assert "2025年9月10日" in page.inner_text("#sg-answer")


def test_either_question_of_a_pair_is_answered_on_its_own(fresh, site_url):
    """证书领取时间 asks for the results date or the annotation time: the second alone is a
    question of its own, not a form still waiting for the first."""
    page = open_page(fresh, site_url, "certificate")
    page.fill("#sg-annotation_requested_at", "2026-01-05T10:30")
    settled(page, "ok")
    assert "10:30" in page.inner_text("#sg-result")
