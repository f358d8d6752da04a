"""A calculator page printed to take along (issue 25, item 6): Chromium prints the page to
an A4 PDF with the site's print CSS, and the PDF's own text (read back with pypdf) has
the reader's inputs as label and value, the answer, the key dates and 计算过程 with its
依据, and none of the page's controls or notes about them (the engine's status,
填入示例, 已清除, the buttons, the calendar file's line, the privacy and offline notes).
With print emulation at A4's width the timeline fits the content's width.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest

from support.browser import new_context, settled, wait_for, wait_ready

pypdf = pytest.importorskip("pypdf")

# Words only the page's controls and notes about them say: none belongs on paper.
UI_WORDS = [
    "计算引擎",  # the status box
    "填入示例",
    "已登记的社会工作师", "刚通过考试，还没登记", "已登记，有学习记录",  # the example buttons
    "已清除",
    "清除数据",  # its button, and the privacy note that names it
    "添加到手机日历", "下载日历文件", "个事件：", "用手机日历打开",  # the .ics button and its line
    "不会发送到任何地方", "已保存到本机",  # privacy and offline notes
    "添加一个日期", "添加一条记录", "删除",
    "按另一天判断(可选)", "留空就按今天",  # a summary to click, a hint on how to fill in
    "时间线的文字说明",
    "mm/dd/yyyy", "年/月/日",  # an empty date box
]
# The printable area of A4 within the site's @page margins (15 mm, 14 mm), at 96 px per
# inch: print emulation lays the page out in the viewport, without those margins.
A4_PRINTABLE_PX = {"width": 688, "height": 1009}


# The simplified forms the PDF's font tables give as radicals that NFKC leaves alone.
RADICALS = str.maketrans("⻔⻅⻓⻋⻛⻉⻢⻚⻄⻣⻝⻥⻩", "门见长车风贝马页西骨食鱼黄")


def _squeeze(text: str) -> str:
    """The text without whitespace, NFKC-normalised: the PDF's font tables give some
    characters as look-alike radicals (⽇ for 日), which NFKC maps back (and RADICALS
    the rest); NFKC also maps full-width punctuation to ASCII, so both sides of a
    comparison go through it."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))


@pytest.fixture
def reader(browser, site_url):
    """A fresh profile, as a reader's first visit; it must make no request elsewhere."""
    ctx = new_context(browser, site_url, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    ctx.on("page", lambda p: p.on("pageerror", lambda e: errors.append(str(e))))
    yield ctx
    assert ctx.request_log.foreign() == []
    ctx.close()
    assert errors == []


def open_cleared(ctx, site_url, tool):
    """The page after 清除数据, which leaves its 已清除 note on screen."""
    page = ctx.new_page()
    page.goto(f"{site_url}calculator/{tool}/")
    wait_ready(page)
    page.click("#sg-clear")
    wait_for(page, "document.querySelector('#sg-cleared').textContent !== ''")
    return page


def printed(page) -> str:
    pdf = page.pdf(format="A4", print_background=False)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join(_squeeze(p.extract_text()) for p in reader.pages)


def assert_no_ui_words(whole: str):
    left = [w for w in UI_WORDS if _squeeze(w) in whole]
    assert left == [], left


def timeline_fits(page) -> dict:
    """Under print emulation at A4's width: the timeline's width and the content's."""
    page.set_viewport_size(A4_PRINTABLE_PX)
    page.emulate_media(media="print")
    return page.evaluate("""() => {
        const inner = document.querySelector('.md-content__inner');
        const cs = getComputedStyle(inner);
        const content = inner.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const tl = document.querySelector('svg.sg-timeline').getBoundingClientRect();
        const box = inner.getBoundingClientRect();
        return {content, width: tl.width, left: tl.left - box.left - parseFloat(cs.paddingLeft)};
    }""")


def controls_shown(page) -> list[str]:
    """The buttons, boxes and summaries laid out now (a ticked box is a value: it prints)."""
    return page.evaluate("""() => [...document.querySelectorAll(
            '.sg-calc button, .sg-calc input:not([type=checkbox]), .sg-calc select, .sg-calc textarea, .sg-calc summary')]
        .filter(e => e.getClientRects().length).map(e => e.id || e.textContent.trim() || e.type)""")


def assert_page_wide(fit: dict):
    assert fit["width"] <= fit["content"] + 0.5 and fit["left"] >= -0.5, fit
    assert fit["width"] >= 0.9 * fit["content"], fit


def test_registration_prints_inputs_answer_dates_and_sources_without_controls(reader, site_url):
    page = open_cleared(reader, site_url, "registration")
    # A late reader: passed 2024-09-10, not registered, asked on 2026-12-07.
    page.select_option("#sg-level", "社会工作师")
    page.fill("#sg-passed_on", "2024-09-10")
    page.click("summary:has-text('按另一天判断')")
    page.fill("#sg-today", "2026-12-07")
    settled(page, "ok")
    answer = page.inner_text("#sg-answer")
    assert answer.startswith("首次登记的受理期限已于2025年9月10日届满")

    whole = printed(page)
    assert _squeeze(answer) in whole
    # The inputs, each as its label and the value typed (a date as a reader writes it).
    for line in ("证书级别：社会工作师", "通过考试的日期：2024年9月10日", "按哪一天判断所处阶段：2026年12月7日"):
        assert _squeeze(line) in whole, line
    # A field left empty is not printed as an empty box.
    assert _squeeze("首次登记的日期（可不填）") not in whole
    # The key dates, the dates table (collapsed on screen, open on paper), 依据 once with
    # its numbers and 计算过程 pointing to them.
    assert _squeeze("首次登记最晚2025年9月10日（星期三）") in whole
    assert _squeeze("首次登记受理期限最后一天2025年9月10日（星期三）［1］［2］") in whole
    assert _squeeze("依据［1］《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条") in whole
    assert _squeeze("计算过程") in whole and _squeeze("最后一天是2025年9月10日。［1］［2］") in whole
    assert_no_ui_words(whole)

    assert_page_wide(timeline_fits(page))
    assert controls_shown(page) == []


def test_plan_prints_inputs_records_answer_deadlines_and_timeline(reader, site_url):
    page = open_cleared(reader, site_url, "plan")
    page.select_option("#sg-level", "社会工作师")
    page.fill("#sg-passed_on", "2021-12-01")
    page.fill("#sg-first_registered_on", "2022-05-31")
    page.click("#sg-add-reregistered_on")
    page.fill("#sg-rr0", "2025-04-01")
    page.click("#sg-add-record")
    page.select_option("#sg-r0-kind", "online")
    page.fill("#sg-r0-date", "2024-06-30")
    page.fill("#sg-r0-hours", "30")
    page.click("summary:has-text('按另一天判断')")
    page.fill("#sg-today", "2026-12-07")
    settled(page, "ok")
    answer = page.inner_text("#sg-answer")
    assert answer.startswith("登记有效")

    whole = printed(page)
    assert _squeeze(answer) in whole
    for line in ("证书级别：社会工作师", "通过考试的日期：2021年12月1日", "首次登记的日期（可不填）：2022年5月31日",
                 "第1次再登记的日期：2025年4月1日", "按哪一天判断所处阶段：2026年12月7日"):
        assert _squeeze(line) in whole, line
    # The record's row: its kind, date and hours as values.
    assert _squeeze("第1条线上学习2024年6月30日30") in whole
    assert _squeeze("成绩发布的日期") not in whole  # left empty
    # The deadlines of this period and the next, and the sources.
    deadlines = page.inner_text(".sg-deadlines tbody")
    for row in deadlines.splitlines():
        assert _squeeze(row) in whole, row
    assert _squeeze("计算过程") in whole and _squeeze("《社会工作者继续教育办法》（民发〔2009〕123号）第七条") in whole
    assert_no_ui_words(whole)

    assert_page_wide(timeline_fits(page))
    assert controls_shown(page) == []


def test_the_dark_scheme_prints_in_the_light_schemes_colours(browser, site_url):
    ctx = new_context(browser, site_url, color_scheme="dark")
    page = ctx.new_page()
    page.goto(f"{site_url}calculator/registration/")
    wait_ready(page)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.emulate_media(media="print", color_scheme="dark")
    marks = """() => ['--sg-ok', '--sg-warn', '--sg-bad', '--sg-bar', '--sg-window', '--sg-today']
        .map(v => getComputedStyle(document.querySelector('.sg-calc')).getPropertyValue(v).trim())"""
    dark = page.evaluate(marks)
    page.evaluate("document.body.dataset.mdColorScheme = 'default'")
    assert dark == page.evaluate(marks)
    ctx.close()

