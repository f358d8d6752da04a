"""The team page in the browser: a spreadsheet chosen on the device becomes a table to sort,
filter and export, with the same answers as shegong.api (and so the command line); nothing
leaves the device, and the page works offline after one visit.  One page, one cold boot;
the reload (saved team, offline) is the second."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re

import icalendar
import openpyxl

from shegong import api
from support.browser import WAIT, axe_violations, new_context, scheme, settled, switch_scheme, wait_for
from support.rulecases import ROOT

TEMPLATE = ROOT / "docs" / "assets" / "calculator" / "team-template.xlsx"
# Messy: GBK, an unknown column, text dates in three forms, an unknown level, an impossible
# date, a worker who is overdue.
MESSY = ("\n".join([
    "姓名,工号,级别,通过考试日期,首次登记日期,再登记日期,本期已获学时,备注",
    "张三,A01,社会工作师,2024/6/15,2024年9月10日,,20,",
    "李四,A02,中级,2024-06-15,,,,新人",
    "王五,A03,社会工作师,2019-06-20,2019-08-01,,,",
    "钱七,A05,社会工作师,2024-02-30,,,,",
]) + "\n").encode("gbk")
NAMES = ("示例甲", "示例乙", "示例丙", "张三", "李四", "王五", "钱七")
PAGE_ONLY = re.compile(r"openpyxl|et_xmlfile")


def shown_rows(page) -> list[str]:
    return page.eval_on_selector_all("#sg-result tbody tr:not(.sg-problem-row)", "rows => rows.map(r => r.querySelector('.sg-rownum').textContent)")


def choose(page, name: str, data: bytes, mime: str) -> None:
    page.set_input_files("#sg-file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    wait_for(page, "document.querySelector('#sg-result').dataset.busy !== undefined "
                           "|| document.querySelector('#sg-result').dataset.state !== 'empty'", timeout=WAIT)
    settled(page)


# Where the first row's name, flags and next deadline sit, the table scrolled to ``left`` (its
# right end when "end"); cells found by their column headers, whatever the order.
WHERE = """left => {
  const wrap = document.querySelector('#sg-result .sg-table-wrap');
  wrap.scrollLeft = left === 'end' ? wrap.scrollWidth : left;
  const heads = [...wrap.querySelectorAll('thead th')].map(th => th.textContent);
  const row = wrap.querySelector('tbody tr:not(.sg-problem-row)');
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
  const cell = name => box(row.cells[heads.findIndex(h => h.includes(name))]);
  return {width: document.documentElement.clientWidth, scrolled: wrap.scrollLeft, name: box(row.querySelector('th')),
          flags: cell('标记'), deadline: cell('下一个期限'), flagged: row.querySelectorAll('.sg-flag').length};
}"""


def assert_phone_layout(page) -> None:
    """At 390 px: the first row's flags and next deadline are on screen without scrolling, and
    its name stays on screen with the table scrolled all the way right."""
    at = page.evaluate(WHERE, 0)
    assert at["flagged"] and at["scrolled"] == 0
    for part in ("name", "flags", "deadline"):
        assert 0 <= at[part][0] < at[part][1] <= at["width"], (part, at)
    end = page.evaluate(WHERE, "end")
    assert end["scrolled"] > 0, end  # the table is wider than the phone: the test scrolls it
    assert 0 <= end["name"][0] < end["name"][1] <= end["width"], end
    page.evaluate(WHERE, 0)


def download(page, fmt: str) -> bytes:
    with page.expect_download() as d:
        page.click(f"[data-export='{fmt}']")
    return open(d.value.path(), "rb").read()


def test_the_team_page(browser, own_server):
    ctx = new_context(browser, own_server.url)  # 390 px wide, as a phone
    page = ctx.new_page()
    page.goto(own_server.url + "calculator/team/")
    # What the page promises about names, and its own packages (no snapshot: Page(snapshot=False) in shegong/team.py).
    text = page.inner_text(".sg-privacy")
    assert "不会发送到任何地方" in text and "在本机保存" in text and "清除数据" in text
    cfg = json.loads(page.eval_on_selector("#sg-config", "e => e.textContent"))
    assert cfg["tool"] == "team" and cfg["snapshot"] == "" and "openpyxl" in cfg["load"]
    today = page.evaluate("(() => { const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0')"
                          " + '-' + String(d.getDate()).padStart(2, '0'); })()")
    day = dt.date.fromisoformat(today)

    # The template: the table and summary are shegong.api's answer for the same bytes.
    data = TEMPLATE.read_bytes()
    choose(page, "团队.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    want = api.evaluate_sheet(data, "团队.xlsx", day)
    assert page.inner_text("#sg-answer") == want["summary"]
    assert sorted(shown_rows(page)) == sorted(str(w["row"]) for w in want["workers"])
    assert any(re.search(r"openpyxl-.*\.whl", u) for u in ctx.request_log.urls)

    # The messy sheet (GBK CSV): problems by row and column, the others computed.
    choose(page, "messy.csv", MESSY, "text/csv")
    messy = api.evaluate_sheet(MESSY, "messy.csv", day)
    assert page.inner_text("#sg-answer") == messy["summary"]
    text = page.inner_text("#sg-result")
    assert "第3行「级别」无法识别" in text and "第5行「通过考试日期」不是有效的日期" in text and "「备注」" in text
    assert_phone_layout(page)
    if os.environ.get("SHEGONG_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SHEGONG_SCREENSHOTS"], "team-390.png"), full_page=True)

    # Sorted by the next deadline, nearest first; the header's button reverses it (keyboard).
    dated = sorted((w for w in messy["workers"] if w["deadline"]), key=lambda w: (w["deadline"], w["row"]))
    assert shown_rows(page)[: len(dated)] == [str(w["row"]) for w in dated]
    page.focus(".sg-sort")
    page.keyboard.press("Enter")
    assert page.get_attribute("th[aria-sort]", "aria-sort") == "descending"
    assert shown_rows(page)[: len(dated)] == [str(w["row"]) for w in reversed(dated)]

    # The filters, each showing the rows with its flag; arrow keys move between them.
    for flag in ("overdue", "due_soon", "hours_short", "error"):
        page.check(f"input[name='sg-filter'][value='{flag}']")
        assert sorted(shown_rows(page)) == sorted(str(w["row"]) for w in messy["workers"] if flag in w["flags"]), flag
    # Each overdue row links to the guide that says what to do next.
    page.check("input[name='sg-filter'][value='overdue']")
    late = [w for w in messy["workers"] if "overdue" in w["flags"]]
    links = page.eval_on_selector_all("#sg-result tbody tr:not(.sg-problem-row) a.sg-guide-link", "as => as.map(a => a.textContent)")
    assert late and sorted(links) == sorted(f"怎么办：指南「{w['guide']['title']}」" for w in late)
    page.focus("input[name='sg-filter'][value='error']")
    page.keyboard.press("ArrowLeft")
    assert page.eval_on_selector("input[name='sg-filter']:checked", "e => e.value") == "hours_short"
    page.check("input[name='sg-filter'][value='all']")
    # The table (its sticky name column on the page's background too) in light, then dark.
    found = {scheme(page): axe_violations(page)}
    found[switch_scheme(page)] = axe_violations(page)
    switch_scheme(page)
    assert found == {"light": [], "dark": []}

    # The three exports: the command line's files for the same answer.
    assert download(page, "csv") == api.export(messy, "csv")
    got = list(openpyxl.load_workbook(io.BytesIO(download(page, "xlsx"))).active.values)
    assert got == list(openpyxl.load_workbook(io.BytesIO(api.export(messy, "xlsx"))).active.values)
    events = icalendar.Calendar.from_ical(download(page, "ics")).walk("VEVENT")
    assert len(events) == sum(len(w["windows"]) for w in messy["workers"]) > 0

    # Saved only when ticked; kept offline after this one visit.
    assert page.evaluate("localStorage.getItem('shegong:calculator:team')") is None
    page.check("#sg-save")
    wait_for(page, "localStorage.getItem('shegong:calculator:team') !== null")
    assert page.evaluate("window.shegongCalculator.offlineReady")["ok"] is True
    ctx.set_offline(True)
    own_server.stop()
    page.reload()
    settled(page)
    assert page.inner_text("#sg-answer") == messy["summary"] and page.is_checked("#sg-save")
    page.click("#sg-clear")
    wait_for(page, "document.querySelector('#sg-cleared').hidden === false")
    assert page.evaluate("localStorage.getItem('shegong:calculator:team')") is None
    assert shown_rows(page) == [] and not page.is_checked("#sg-save")

    # Nothing went to another host, and no request carried a name.
    assert ctx.request_log.foreign() == []
    assert not [u for u in ctx.request_log.urls if any(n in u or n.encode("utf-8").hex() in u for n in NAMES)]
    ctx.close()

