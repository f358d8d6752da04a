"""A guide printed to take along (issue 14): Chromium prints registration/account to a
PDF on A4 with the site's print CSS, and the PDF's own text (read back with pypdf)
has the official address printed beside its link, no menu or search, and 所需材料 and
办理流程 on the same sheet.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest

pypdf = pytest.importorskip("pypdf")

A4_PT = (595.28, 841.89)  # 210 × 297 mm in PDF points
SHGZ = "https://shgz.mca.gov.cn/SWMS/LEAP/swmss/index.html#/index"


def _squeeze(text: str) -> str:
    """The text without whitespace; NFKC maps the CJK radicals that the PDF's font
    tables give for some characters (⼾ for 户) back to the characters themselves."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture
def printed(page, site_url):
    page.goto(site_url + "registration/account/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader


def test_a_guide_prints_on_a4_with_its_addresses_and_without_the_menu(printed, page):
    for sheet in printed.pages:
        w, h = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert abs(w - A4_PT[0]) < 2 and abs(h - A4_PT[1]) < 2, (w, h)
    texts = [_squeeze(p.extract_text()) for p in printed.pages]
    whole = "".join(texts)
    # The page's own words are there, and the official address is printed as text
    # (in the 办事入口 box and beside the link in 办理流程), not only as a link.
    # (A few characters come back as look-alike radicals, e.g. 户 as 戶: the words
    # checked here are ones that read back exactly.)
    assert "请输入正确的身份证号" in whole and "社会工作信息网" in whole
    assert "办事入口" in whole
    assert whole.count(SHGZ) >= 2, whole[:400]
    # No navigation: the menu's entries for other sections are not printed.
    for word in ("技能人员与职称", "数字技术工程师", "境外职业资格"):
        assert word not in whole, word
    # 所需材料 and 办理流程 start on the same sheet.
    (materials,) = [i for i, t in enumerate(texts) if "所需材料" in t and "本人姓名和身份证号" in t]
    assert "办理流程" in texts[materials] and "进入中国社会工作信息网" in texts[materials]
    assert page.context.request_log.foreign() == []


def test_print_media_hides_the_menu_search_and_footer(page, site_url):
    page.goto(site_url + "registration/account/")
    page.emulate_media(media="print")
    shown = page.evaluate("""sels => sels.filter(s => [...document.querySelectorAll(s)]
        .some(e => getComputedStyle(e).display !== 'none'))""",
        [".md-header", ".md-tabs", ".md-sidebar", ".md-search", ".md-footer", ".headerlink", ".md-button"])
    assert shown == []
    after = page.evaluate("""() => getComputedStyle(document.querySelector('.sg-entry__link'), '::after').content""")
    assert SHGZ in after
