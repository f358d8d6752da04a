"""The built guide pages: every procedure of the source is on a page, every page has its
依据 and 最后核对 date, the rule values are those of policy.json, and nothing from the
source's advertising tail made it in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.build import ROOT, built_pages
from support.build import text as text_of
from support.procedures import PROCEDURES

@pytest.mark.parametrize("page,procedure,words", PROCEDURES, ids=[f"{p or 'home'}:{what}" for p, what, _ in PROCEDURES])
def test_each_procedure_of_the_source_is_on_its_page(site_dir, page, procedure, words):
    text = text_of(site_dir / page / "index.html")
    missing = [w for w in words if w not in text]
    assert not missing, f"{page or '首页'}({procedure})缺少:{missing}"


def test_every_guide_page_has_a_basis_section_and_a_last_checked_date(site_dir):
    problems = []
    for page in built_pages(site_dir):
        if page.startswith("calculator") or page == "about/":
            continue  # the calculator's pages are checked by the calculator's tests; 关于本站 is no guide
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        if not re.search(r"<h2[^>]*>依据", html):
            problems.append(f"{page or '首页'}: 没有“依据”一节")
        if not re.search(r'class="sg-last-checked">(最后核对：|未与官网原文核对：[^<]*整理于)<time datetime="2026-11-27"', html):
            problems.append(f"{page or '首页'}: 没有最后核对日期")
    assert not problems


PROCEDURE_HEADINGS = ["适用对象", "办理期限", "所需材料", "办理流程", "注意事项", "常见问题", "依据"]


PROCEDURE_PAGES = sorted({p for p, _, _ in PROCEDURES if p.startswith(("certificate", "registration", "titles"))})


@pytest.mark.parametrize("page", PROCEDURE_PAGES)
def test_procedure_pages_use_the_service_guide_form(site_dir, page):
    html = (site_dir / page / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]+)", html)
    assert [h for h in headings if h in PROCEDURE_HEADINGS] == PROCEDURE_HEADINGS


def test_procedure_pages_link_to_the_calculator_without_example_values(site_dir):
    """A guide's calculator button opens the tool with what the reader saved, or empty:
    never with an example date (issue 22). Only a link whose words name the value carries it."""
    expected = {
        "registration/first": "calculator/registration/",
        "registration/reregistration": "calculator/registration/",
        "registration/continuing-education": "calculator/training/",
        "titles/skills": "calculator/title/",
        "certificate/electronic": "calculator/certificate/",
        "titles/social-work": "calculator/title/?from=社会工作师",
    }
    for page, href in expected.items():
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        assert f'{href}"' in html, page
        assert (site_dir / href.split("?")[0].replace("../", "") / "index.html").exists()
    for f in site_dir.rglob("*.html"):
        links = re.findall(r'href="[^"]*calculator/[a-z]+/\?([^"]*)"', f.read_text(encoding="utf-8"))
        assert [q for q in links if re.search(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", q)] == [], f


def test_nothing_from_the_advertising_tail(site_dir):
    for f in site_dir.rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        for word in ("kushe800", "支付宝", "微信扫一扫", "PDF电子版资料", "免费下载"):
            assert word not in html, f"{f.relative_to(site_dir)} 含有广告内容“{word}”"


def test_no_page_loads_anything_from_a_cdn(site_dir):
    for f in site_dir.rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net"):
            assert host not in html, f"{f.relative_to(site_dir)} 引用了 {host}"


SVG_NS = "{http://www.w3.org/2000/svg}"


def mermaid_fence(md: Path) -> str:
    """The one ```mermaid fence of a guide page, as written."""
    (body,) = re.findall(r"^```mermaid[^\n]*\n(.*?)^```", md.read_text(encoding="utf-8"), re.S | re.M)
    return body


def test_the_diagram_is_inline_svg_with_every_state_and_arrow_of_its_fence(site_dir):
    """registration/first's flowchart is drawn ahead of time (make diagrams) and put in
    the page as SVG text: the same states, arrows and labels as the fence in the page's
    source, with a title for screen readers and the caption under it."""
    import xml.etree.ElementTree as ET

    body = mermaid_fence(ROOT / "docs" / "registration" / "first.md")
    nodes = dict(re.findall(r'\b(\w+)\["([^"]+)"\]', body))
    arrows = re.findall(r'\b(\w+)(?:\["[^"]*"\])?\s*-->\s*(?:\|"([^"]*)"\|\s*)?(\w+)', body)
    assert len(nodes) == 8 and len(arrows) == 7  # the fence as the page describes it

    html = (site_dir / "registration" / "first" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<figure class="sg-diagram">(<svg\b.*?</svg>)<figcaption>([^<]+)</figcaption></figure>', html, re.S)
    assert m, "registration/first 没有内嵌 SVG 的流程图"
    svg = ET.fromstring(m.group(1))
    assert svg.tag == SVG_NS + "svg"
    assert not list(svg.iter(SVG_NS + "foreignObject")), "标签应是 SVG 文字,不用 foreignObject"

    rows = {"".join(t.itertext()).strip() for t in svg.iter(SVG_NS + "tspan") if "row" in t.get("class", "").split()}
    lines = [line for label in nodes.values() for line in re.split(r"<br\s*/?>", label)]
    lines += [line for _, label, _ in arrows if label for line in re.split(r"<br\s*/?>", label)]
    assert [line for line in lines if line not in rows] == [], rows
    drawn_nodes = [g for g in svg.iter(SVG_NS + "g") if "node" in g.get("class", "").split()]
    assert len(drawn_nodes) == len(nodes)
    drawn_arrows = {
        tuple(re.fullmatch(r"L_(\w+?)_(\w+?)_\d+", p.get("data-id")).groups())
        for p in svg.iter(SVG_NS + "path") if "flowchart-link" in p.get("class", "").split()
    }
    assert drawn_arrows == {(a, b) for a, _, b in arrows}

    # Accessible: an image named by its <title> (the fence's accTitle), described by
    # its <desc>; the caption says the same title.
    assert svg.get("role") == "img"
    title = svg.find(SVG_NS + "title")
    assert title is not None and svg.get("aria-labelledby") == title.get("id")
    assert title.text.strip() == m.group(2).strip()
    desc = svg.find(SVG_NS + "desc")
    assert desc is not None and svg.get("aria-describedby") == desc.get("id")
    assert desc.text.count("→") == len(arrows)
    # The note under the diagram is still there.
    assert re.search(r"</figure>\s*<p>图中的顺序按原文列出状态的顺序画出", html)


def test_no_page_ships_or_loads_mermaid(site_dir):
    """No Mermaid JavaScript in the site, and nothing with class="mermaid" (the theme
    would fetch Mermaid from a CDN for it)."""
    assert [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*mermaid*")] == []
    for page in built_pages(site_dir):
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        assert "mermaid.min.js" not in html, page
        assert not re.search(r'class="[^"]*\bmermaid\b', html), page
        assert "```mermaid" not in html and "language-mermaid" not in html, page


def test_the_search_index_keeps_this_fields_terms_whole(site_dir):
    """jieba with docs/jieba_user_dict.txt: 学时 must not become 教育学 / 时."""
    import json

    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    tokens = set()
    for doc in index["docs"]:
        tokens.update(re.split(index["config"]["separator"], re.sub(r"<[^>]+>", " ", doc["text"])))
    for term in ("学时", "再登记", "首次登记", "加注", "社会工作师", "助理社会工作师", "三区计划", "牵手计划", "继续教育"):
        assert term in tokens, term
    assert "教育学" not in tokens


def test_the_search_dialog_has_a_name(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-search"[^>]*role="dialog"[^>]*aria-label="[^"]+"', html)


def test_the_search_worker_keeps_a_whole_chinese_word_whole(site_dir):
    (worker,) = (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    assert "o<=t.length;o++)t.slice(s,o)in e" in worker.read_text(encoding="utf-8")
