"""No data lost: a link's values never replace what the reader saved until the reader
changes something, and 清除数据 clears the saved inputs even where Cache Storage throws."""

from __future__ import annotations

import json

import pytest

from support.browser import new_context, open_tool, settled, settled_any, stored, wait_for

LINK = "?level=%E7%A4%BE%E4%BC%9A%E5%B7%A5%E4%BD%9C%E5%B8%88&period_start=2023-03-15"


@pytest.fixture
def tab(browser, site_url):
    ctx = new_context(browser, site_url, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    ctx.close()
    assert errors == []


def four_records(page):
    page.click("#sg-clear")
    settled(page, "empty")
    page.select_option("#sg-level", "助理社会工作师")
    page.fill("#sg-period_start", "2022-03-15")
    for i, (date, hours) in enumerate([("2022-06-01", "30"), ("2023-04-10", "12"), ("2024-01-10", "10"), ("2024-05-01", "8")]):
        if i:
            page.click("#sg-add-record")
        page.fill(f"#sg-r{i}-date", date)
        page.fill(f"#sg-r{i}-hours", hours)
    settled(page, "ok")
    saved = json.loads(stored(page, "training"))
    assert len(saved["records"]) == 4 and saved["period_start"] == "2022-03-15"
    return saved


def test_a_link_fills_the_form_but_keeps_the_saved_inputs(tab, site_url):
    page = tab
    open_tool(page, site_url, "training")
    saved = four_records(page)

    # A shared or bookmarked link with values.
    open_tool(page, site_url, "training", LINK)
    settled_any(page)
    assert page.input_value("#sg-level") == "社会工作师"
    assert page.input_value("#sg-period_start") == "2023-03-15"
    assert json.loads(stored(page, "training")) == saved
    note = page.locator("#sg-link-note")
    assert note.is_visible() and "仍然保留" in note.inner_text()

    # A reload of the link changes nothing either.
    page.reload()
    wait_for(page, "window.shegongCalculator.state().phase === 'ready'", timeout=60_000)
    settled_any(page)
    assert json.loads(stored(page, "training")) == saved

    # 恢复我保存的内容 brings back the four records.
    page.click("text=恢复我保存的内容")
    settled(page, "ok")
    assert page.locator("#sg-records-body tr").count() == 4
    assert page.input_value("#sg-period_start") == "2022-03-15"
    assert page.locator("#sg-link-note").count() == 0
    assert json.loads(stored(page, "training")) == saved


def test_a_change_after_a_link_is_saved(tab, site_url):
    page = tab
    open_tool(page, site_url, "training")
    four_records(page)
    open_tool(page, site_url, "training", LINK)
    settled_any(page)
    page.fill("#sg-r0-date", "2024-01-01")
    page.fill("#sg-r0-hours", "45")
    settled(page, "ok")
    now = json.loads(stored(page, "training"))
    assert now["period_start"] == "2023-03-15" and now["records"][0]["hours"] == "45"
    assert page.locator("#sg-link-note").count() == 0


# Older Firefox private windows: every Cache Storage call throws at once.
THROWING_CACHES = """
for (const name of ['open', 'delete', 'has', 'keys', 'match']) {
  CacheStorage.prototype[name] = function () { throw new DOMException('The operation is insecure.', 'SecurityError'); };
}
"""


def test_clear_works_when_cache_storage_throws(browser, site_url):
    ctx = browser.new_context(locale="zh-CN")
    ctx.add_init_script(THROWING_CACHES)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_tool(page, site_url, "registration")
    page.fill("#sg-passed_on", "2024-09-10")
    settled(page, "ok")
    page.evaluate("localStorage.setItem('shegong:calculator:training', JSON.stringify({level: '社会工作师'}))")
    assert stored(page, "registration") is not None

    page.click("#sg-clear")
    settled(page, "empty")
    wait_for(page, "document.querySelector('#sg-cleared').textContent !== ''")
    note = page.inner_text("#sg-cleared")
    assert "已清除：本机保存的输入（2个计算器）" in note
    assert "未能清除：计算引擎的快照" in note
    assert page.input_value("#sg-passed_on") == ""
    assert stored(page, "training") is None
    # What is kept is the cleared form itself, nothing that was typed.
    assert json.loads(stored(page, "registration")).get("passed_on", "") == ""
    assert errors == []
    ctx.close()


def test_the_calendar_file_leaves_out_days_already_past(browser, site_url):
    ctx = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    # Results of 2020 and an annotation two weeks ago: the paper certificate's weeks are
    # long past, the annotation's last day is still ahead.
    import datetime as dt

    recent = (dt.date.today() - dt.timedelta(days=14)).isoformat()
    open_tool(page, site_url, "certificate", f"?results_published_on=2020-06-10&annotation_requested_at={recent}T10:00")
    settled(page, "ok")
    with page.expect_download() as dl:
        page.click("button.sg-ics")
    text = open(dl.value.path(), encoding="utf-8").read()
    assert "电子证书加注可能到期" in text
    assert "纸质证书" not in text
    # Only past days: no calendar button at all.
    open_tool(page, site_url, "certificate", "?results_published_on=2020-06-10")
    settled(page, "ok")
    assert page.locator("button.sg-ics").count() == 0
    ctx.close()
