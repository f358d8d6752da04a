"""Each calculator driven through its form, as a user would: typing, seeing the result
and the errors, saving and clearing inputs, URL parameters, the calendar file."""

from __future__ import annotations

import re
import threading

import pytest

from shegong.api import evaluate
from sitebuild import devserver
from support.browser import WAIT, open_tool, settled, stored, wait_for


@pytest.fixture(scope="module")
def ctx(module_context):
    return module_context


@pytest.fixture
def tab(ctx):
    p = ctx.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    p.close()
    assert errors == []


def answer(page):
    return page.inner_text("#sg-answer")


# --- 登记期限 --------------------------------------------------------------------------


def test_registration_form(tab, site_url):
    page = tab
    open_tool(page, site_url, "registration")
    # First visit: an empty form and no result (issue 22); 填入示例 fills an example.
    settled(page, "empty")
    assert page.input_value("#sg-passed_on") == ""
    page.click("[data-example]")
    settled(page, "ok")
    assert page.input_value("#sg-passed_on") == "2024-09-10"
    assert page.locator("svg.sg-timeline").count() == 1

    page.click("#sg-clear")
    settled(page, "empty")
    assert page.input_value("#sg-passed_on") == ""
    assert stored(page, "registration") is not None  # the cleared (empty) form itself

    page.select_option("#sg-level", "助理社会工作师")
    page.fill("#sg-passed_on", "2024-09-10")
    page.click("summary:has-text('按另一天判断')")
    page.fill("#sg-today", "2025-01-01")
    settled(page, "ok")
    assert "现在可以办理首次登记" in answer(page)
    assert "2025年9月10日" in answer(page)
    result = page.inner_text("#sg-result")
    assert "72 小时" in result  # 助理社会工作师
    assert "依据" in result and "民发〔2009〕44号" in result

    page.fill("#sg-first_registered_on", "2025-03-15")
    page.fill("#sg-today", "2026-01-01")
    settled(page, "ok")
    assert "第1个登记有效期" in answer(page)
    # The timeline: the first-registration window and three periods, each with its
    # re-registration window, and today.
    svg = page.locator("svg.sg-timeline")
    assert svg.locator(".sg-tl-period").count() == 3
    assert svg.locator(".sg-tl-window").count() == 3
    assert svg.locator(".sg-tl-today").count() == 1
    page.click("summary:has-text('全部日期')")  # every date, collapsed under the timeline
    assert "2027年12月15日" in page.inner_text(".sg-dates")

    # The calendar file.
    with page.expect_download() as dl:
        page.click("button.sg-ics")
    text = open(dl.value.path(), encoding="utf-8", newline="").read()
    # The rules' own file, as the command line gives it for the same inputs.
    assert text == evaluate({"tool": "registration", "level": "助理社会工作师", "passed_on": "2024-09-10",
                             "first_registered_on": "2025-03-15", "today": "2026-01-01"})["calendar"]["ics"]
    assert "DTSTART;VALUE=DATE:20271215" in text and "BEGIN:VALARM" in text

    # An error from the rules, next to the field it names.
    page.fill("#sg-passed_on", "1900-01-01")
    settled(page, "errors")
    err = page.locator("[data-error-for='passed_on']")
    assert err.is_visible()
    assert "1950" in err.inner_text() and "「通过考试的日期」" in err.inner_text()
    assert page.get_attribute("#sg-passed_on", "aria-invalid") == "true"
    assert "改正" in answer(page)

    page.fill("#sg-passed_on", "2024-09-10")
    settled(page, "ok")
    assert not err.is_visible()

    # Saved inputs survive a reload; 清除数据 removes them.
    page.reload()
    settled(page, "ok")
    assert page.input_value("#sg-first_registered_on") == "2025-03-15"
    assert page.input_value("#sg-level") == "助理社会工作师"
    page.click("#sg-clear")
    settled(page, "empty")
    # The note comes once the snapshot is dropped too, which may be after the form is empty.
    wait_for(page, "document.querySelector('#sg-cleared').textContent.includes('已清除')", timeout=WAIT)
    page.reload()
    settled(page, "empty")
    assert page.input_value("#sg-first_registered_on") == ""


def test_registration_url_parameters(tab, site_url):
    open_tool(tab, site_url, "registration", "?level=assistant&passed_on=2023-05-06&first_registered_on=2023-11-20")
    settled(tab, "ok")
    assert tab.input_value("#sg-passed_on") == "2023-05-06"
    assert tab.input_value("#sg-first_registered_on") == "2023-11-20"
    assert "2026年11月20日" in tab.inner_text("#sg-result")

    open_tool(tab, site_url, "registration", "?level=%E9%AB%98%E7%BA%A7%E7%A4%BE%E4%BC%9A%E5%B7%A5%E4%BD%9C%E5%B8%88&passed_on=2025-10-01")
    settled(tab, "ok")
    assert tab.input_value("#sg-level") == "高级社会工作师"
    assert tab.input_value("#sg-first_registered_on") == ""
    assert "90 小时" in tab.inner_text("#sg-result")


# --- 继续教育学时 ----------------------------------------------------------------------


def test_training_form(tab, site_url):
    page = tab
    open_tool(page, site_url, "training")
    # The example again, over itself: its rows are rebuilt and must show their counts again.
    for _ in range(2):
        page.click("[data-example]")
        settled(page, "ok")
        assert page.inner_text("#sg-r0-counted") == "30 小时"
    page.click("#sg-clear")
    settled(page, "empty")
    assert page.locator("#sg-records-body tr").count() == 1

    page.select_option("#sg-level", "助理社会工作师")
    page.fill("#sg-period_start", "2022-03-15")
    # Row 1: a training course with its certificate.
    page.fill("#sg-r0-date", "2022-06-01")
    page.fill("#sg-r0-hours", "30")
    settled(page, "ok")
    bar = page.locator("[role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "30"
    assert "30/72" in page.inner_text(".sg-progress-label")

    # Add rows: online learning, then a course still waiting for review.
    page.click("#sg-add-record")
    page.select_option("#sg-r1-kind", "online")
    page.fill("#sg-r1-date", "2023-04-10")
    page.fill("#sg-r1-hours", "32")
    page.click("#sg-add-record")
    page.select_option("#sg-r2-kind", "course")
    page.fill("#sg-r2-date", "2024-01-10")
    page.fill("#sg-r2-hours", "10")
    page.uncheck("#sg-r2-approved")
    settled(page, "ok")
    assert "62/72" in page.inner_text(".sg-progress-label")
    assert page.inner_text("#sg-r1-counted") == "32 小时"
    assert page.inner_text("#sg-r2-counted") == "0 小时"
    assert "10小时待审核" in answer(page)
    # The period 2022-03-15 to 2025-03-15 has ended: said first, then what it was short by.
    assert answer(page).startswith("这个登记有效期（2022年3月15日至2025年3月15日）已经结束。")
    assert "少10小时" in answer(page)

    # A degree needs no hours: the field is disabled and 90 hours count at once.
    page.click("#sg-add-record")
    page.select_option("#sg-r3-kind", "degree")
    assert page.is_disabled("#sg-r3-hours")
    page.fill("#sg-r3-date", "2024-06-30")
    settled(page, "ok")
    assert page.inner_text("#sg-r3-counted") == "90 小时"
    assert "已达到" in answer(page) or "达到" in answer(page)

    # Remove the degree row again.
    page.click("#sg-records-body tr:nth-child(4) .sg-remove")
    settled(page, "ok")
    assert page.locator("#sg-records-body tr").count() == 3
    assert "62/72" in page.inner_text(".sg-progress-label")

    # A record outside the period does not count, and the row says why.
    page.fill("#sg-r1-date", "2021-12-31")
    settled(page, "ok")
    assert "30/72" in page.inner_text(".sg-progress-label")
    page.click("summary:has-text('每条记录的计入理由')")
    assert "不在本登记有效期" in page.inner_text("#sg-result")

    # Bad hours: the error is next to that row's hours.
    page.fill("#sg-r0-hours", "三十")
    settled(page, "errors")
    err = page.locator("[data-error-for='records[0].hours']")
    assert err.is_visible()
    assert "第1条学习记录「学时」" in err.inner_text()
    assert page.get_attribute("#sg-r0-hours", "aria-invalid") == "true"

    page.fill("#sg-r0-hours", "30")
    settled(page, "ok")
    saved = stored(page, "training")
    assert '"period_start":"2022-03-15"' in saved and '"hours":"30"' in saved


def test_training_url_parameters(tab, site_url):
    open_tool(tab, site_url, "training", "?level=%E7%A4%BE%E4%BC%9A%E5%B7%A5%E4%BD%9C%E5%B8%88&period_start=2023-07-01")
    assert tab.input_value("#sg-level") == "社会工作师"
    assert tab.input_value("#sg-period_start") == "2023-07-01"
    tab.fill("#sg-r0-date", "2024-01-01")
    tab.fill("#sg-r0-hours", "45")
    settled(tab, "ok")
    assert "45/90" in tab.inner_text(".sg-progress-label")


# --- 职称对应 --------------------------------------------------------------------------


def test_title_form(tab, site_url):
    page = tab
    open_tool(page, site_url, "title")
    settled(page, "empty")
    page.select_option("#sg-from", "技师")
    page.fill("#sg-since", "2021-07-01")
    page.select_option("#sg-series", "工程技术")
    page.click("summary:has-text('按另一天判断')")
    page.fill("#sg-today", "2024-07-01")
    settled(page, "ok")
    outcome = page.locator(".sg-outcome").first
    # 从事技术技能工作满3年: the years of work decide it, not time held.
    assert "相应系列中级职称" in outcome.inner_text() and "有前提条件" in outcome.inner_text()
    assert "2024年7月1日" in outcome.inner_text() and "取得后从事技能工作的年数" in outcome.inner_text()
    page.fill("#sg-work_years", "3")
    settled(page, "ok")
    assert "符合" in outcome.inner_text() and "有前提条件" not in outcome.inner_text()

    page.fill("#sg-work_years", "")
    page.fill("#sg-today", "2024-06-30")
    settled(page, "ok")
    assert "暂不符合" in page.locator(".sg-outcome").first.inner_text()

    page.fill("#sg-since", "1800-01-01")
    settled(page, "errors")
    assert "取得日期" in page.inner_text("[data-error-for='since']")


def test_title_url_parameters(tab, site_url):
    open_tool(tab, site_url, "title", "?from=%E9%AB%98%E7%BA%A7%E5%B7%A5&since=2022-03-01&series=%E8%89%BA%E6%9C%AF")
    settled(tab, "ok")
    assert tab.input_value("#sg-from") == "高级工"
    assert tab.input_value("#sg-series") == "艺术"
    assert "初级职称" in tab.inner_text("#sg-result")


# --- 证书领取时间 ----------------------------------------------------------------------


def test_certificate_form(tab, site_url):
    page = tab
    open_tool(page, site_url, "certificate")
    page.click("#sg-clear")
    settled(page, "empty")
    page.fill("#sg-results_published_on", "2025-12-20")
    settled(page, "ok")
    assert "2026年2月20日" in answer(page)
    page.fill("#sg-annotation_requested_at", "2026-01-05T10:30")
    settled(page, "ok")
    facts = page.inner_text(".sg-facts")
    assert "2026年1月6日" in facts and "10:30" in facts
    assert "2026年4月6日" in facts

    # A request before the results were published is a mistake the rules name.
    page.fill("#sg-annotation_requested_at", "2025-12-01T09:00")
    settled(page, "errors")
    assert page.locator("[data-error-for='annotation_requested_at']").is_visible()


def test_certificate_url_parameters(tab, site_url):
    open_tool(tab, site_url, "certificate", "?results_published_on=2025-06-10&annotation_requested_at=2025-07-01T08:00")
    settled(tab, "ok")
    assert tab.input_value("#sg-annotation_requested_at") == "2025-07-01T08:00"
    assert re.search(r"2025年7月2日.*08:00", tab.inner_text(".sg-facts"), re.S)


# --- loading, failure, no JavaScript -------------------------------------------------------


class _GatedHandler(devserver.Handler):
    """Serves the site, but holds pyodide.asm.wasm until ``gate`` is set, or refuses it."""

    def do_GET(self):  # noqa: N802
        if self.path.endswith("pyodide.asm.wasm"):
            self.server.asked.set()
            if self.server.refuse:
                self.send_error(404)
                return
            self.server.gate.wait(120)
        return super().do_GET()


@pytest.fixture
def gated(site_dir):
    server = devserver.Server(("127.0.0.1", 0), lambda *a, **k: _GatedHandler(*a, directory=str(site_dir), **k))
    server.gate, server.asked, server.refuse = threading.Event(), threading.Event(), False
    server.start()
    yield server
    server.gate.set()
    server.stop()


def test_form_can_be_filled_while_pyodide_loads(browser, gated):
    """The API and the form work before the worker is ready; the answer comes once it is."""
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(gated.url + "calculator/certificate/")
    assert gated.asked.wait(60), "the worker never asked for pyodide.asm.wasm"
    assert page.evaluate("window.shegongCalculator.state().phase") == "loading"
    assert page.locator("#sg-status progress").is_visible()
    assert re.search("正在(加载|下载)计算引擎", page.inner_text("#sg-status"))
    page.click("#sg-clear")
    page.fill("#sg-results_published_on", "2025-12-20")
    page.evaluate(
        "window.__early = window.shegongCalculator.evaluate({tool: 'certificate', results_published_on: '2025-06-10'}); 0"
    )
    assert page.evaluate("window.shegongCalculator.state().phase") == "loading"
    gated.gate.set()
    wait_for(page, "document.querySelector('#sg-answer').textContent.includes('2026年2月20日')", timeout=WAIT)
    assert page.evaluate("window.__early.then(r => r.paper_expected.from)") == "2025-08-10"
    ctx.close()


def test_without_webassembly_the_page_says_so(browser, site_url):
    ctx = browser.new_context(locale="zh-CN")
    ctx.add_init_script("delete globalThis.WebAssembly")
    page = ctx.new_page()
    page.goto(site_url + "calculator/registration/")
    wait_for(page, "window.shegongCalculator.state().phase === 'failed'")
    status = page.inner_text("#sg-status")
    assert "无法运行计算器" in status and "WebAssembly" in status
    assert page.locator("#sg-status a[href*='registration/first']").count() == 1
    assert not page.locator("#sg-status progress").is_visible()
    answer = page.evaluate("window.shegongCalculator.evaluate({tool: 'title', from: '技师'}).then(() => 'ok', e => 'rejected')")
    assert answer == "rejected"
    ctx.close()


def test_when_the_runtime_cannot_load_the_page_says_so(browser, gated):
    gated.refuse = True
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(gated.url + "calculator/training/")
    wait_for(page, "window.shegongCalculator.state().phase === 'failed'", timeout=WAIT)
    assert "没有加载成功" in page.inner_text("#sg-status")
    assert page.locator("#sg-status a[href*='continuing-education']").count() == 1
    ctx.close()


def test_without_javascript_a_noscript_note_points_to_the_guides(browser, site_url):
    ctx = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = ctx.new_page()
    for tool, guide in [("registration", "registration/first/"), ("training", "registration/continuing-education/"),
                        ("title", "titles/"), ("certificate", "certificate/electronic/")]:
        page.goto(site_url + f"calculator/{tool}/")
        note = page.locator(".sg-noscript")
        assert note.is_visible()
        assert "JavaScript" in note.inner_text()
        href = note.locator("a").first.get_attribute("href")
        assert href.endswith(guide)
    ctx.close()
