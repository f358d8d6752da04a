"""办事入口 and the 办事指南 fields (issue 14).

The official systems are listed once, in mkdocs.yml ``extra.entries``; a page names the
ones it needs in its front matter (``entry: [shgz]``) and the theme override
(overrides/partials/sg-entry.html) shows them as a box of plain links under the title.
These tests read that one list, and check every built page against it: the box has
exactly the page's entries, in order, as links to the listed addresses; every page
whose steps happen in an official system has one; the 依据与来源 page carries them
all (so tests/test_links.py keeps checking that every external link is listed there).
Every guide has the six 基本信息 fields, with 办理期限 apart from 审核时间.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
import yaml

from support.build import text as text_of

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its !ENV and !!python tags read as nothing."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
ENTRIES = CONFIG["extra"]["entries"]


def front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(m.group(1)) if m else {}


GUIDES = {
    md.relative_to(DOCS).with_suffix("").as_posix().removesuffix("/index").removesuffix("index"): md
    for md in sorted(DOCS.rglob("*.md"))
    if "calculator" not in md.relative_to(DOCS).parts
}


def entry_box(site_dir: Path, page: str) -> list[tuple[str, str, str]]:
    """(key, href, link text) of each entry in the page's 办事入口 box, in order."""
    html = (site_dir / page / "index.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<aside class="sg-entry".*?</aside>', html, re.S)
    if not boxes:
        return []
    assert len(boxes) == 1, page
    return [
        (key, htmllib.unescape(href), text)
        for key, href, text in re.findall(
            r'<li data-entry="([^"]+)"><a class="sg-entry__link" href="([^"]+)">([^<]+)</a>', boxes[0]
        )
    ]


def test_the_list_of_entries_has_the_two_official_sites():
    assert set(ENTRIES) == {"cpta", "shgz"}
    assert "www.cpta.com.cn" in ENTRIES["cpta"]["url"]
    # The address exactly as the source article gives it.
    assert ENTRIES["shgz"]["url"] == "https://shgz.mca.gov.cn/SWMS/LEAP/swmss/index.html#/index"
    for e in ENTRIES.values():
        assert e["name"] and e["does"] and e["url"].startswith("https://")


@pytest.mark.parametrize("page", sorted(GUIDES), ids=lambda p: p or "home")
def test_each_page_shows_exactly_the_entries_its_front_matter_names(site_dir, page):
    wanted = front_matter(GUIDES[page]).get("entry") or []
    assert set(wanted) <= set(ENTRIES), f"{page}: 未知的入口 {set(wanted) - set(ENTRIES)}"
    shown = entry_box(site_dir, page)
    assert shown == [(k, ENTRIES[k]["url"], ENTRIES[k]["name"]) for k in wanted]


# Pages whose steps are done in an official system, and the system.
SYSTEM_PAGES = {
    "certificate": "cpta",
    "certificate/electronic": "cpta",
    "registration": "shgz",
    "registration/account": "shgz",
    "registration/profile": "shgz",
    "registration/first": "shgz",
    "registration/reregistration": "shgz",
    "registration/change": "shgz",
    "registration/service-records": "shgz",
    "registration/continuing-education": "shgz",
    "registration/appeal": "shgz",
}


@pytest.mark.parametrize("page,key", sorted(SYSTEM_PAGES.items()))
def test_pages_done_in_an_official_system_link_to_it(site_dir, page, key):
    assert key in [k for k, _, _ in entry_box(site_dir, page)], f"{page} 没有{ENTRIES[key]['name']}的办事入口"


def test_the_sources_page_lists_every_entry(site_dir):
    assert [k for k, _, _ in entry_box(site_dir, "sources")] == list(ENTRIES)


def test_the_entry_box_is_under_the_title(site_dir):
    html = (site_dir / "registration" / "continuing-education" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"</h1>\s*<aside class=\"sg-entry\"", html)
    # Whose 主页: the system's, named on the page.
    assert "系统主页的[继续教育]" in text_of(site_dir / "registration" / "continuing-education" / "index.html")


FIELDS = ["受理机构", "办理形式", "办理期限", "审核时间", "办理结果", "咨询方式"]
GUIDE_PAGES = sorted(p for p in GUIDES if p.startswith(("certificate", "registration", "titles")))


@pytest.mark.parametrize("page", GUIDE_PAGES)
def test_every_guide_has_the_service_guide_fields(site_dir, page):
    html = (site_dir / page / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<h2 id="基本信息">.*?<table>(.*?)</table>', html, re.S)
    assert m, f"{page} 没有“基本信息”表"
    rows = dict(re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>(.*?)</td>\s*</tr>", m.group(1), re.S))
    assert list(rows) == FIELDS, page
    # Each field says something: a fact with its source, or 原文未说明 / 以当地…为准.
    assert all(re.sub(r"<[^>]+>", "", v).strip() for v in rows.values()), page
