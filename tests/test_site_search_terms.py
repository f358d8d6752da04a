"""Search finds what people type: the words and site names readers search for, each
of which must bring up the page that answers it (issue 14).

The search plugin's separator (mkdocs.yml) splits on ASCII and CJK punctuation, so
"(www.cpta.com.cn)" is indexed as www / cpta / com / cn and "shgz" is a word of the
社工网 address; jieba keeps this field's Chinese terms whole.
"""

from __future__ import annotations

import json
import re

import pytest
from support.browser import open_search, result_paths, wait_for

TERMS = [
    ("cpta", "certificate/electronic/"),
    ("shgz", "registration/account/"),
    ("副高", "titles/foreign/"),
    ("研究生", "registration/continuing-education/"),
    ("打印", "faq/"),
    ("加注", "certificate/electronic/"),
    ("再登记", "registration/reregistration/"),
    ("学时", "registration/continuing-education/"),
    ("三区计划", "registration/profile/"),
    ("身份证号", "registration/account/"),
]


@pytest.fixture(scope="module")
def home(module_context, site_url):
    """The home page, whose search index is built once for every word below."""
    p = module_context.new_page()
    p.goto(site_url)
    yield p
    p.close()


@pytest.mark.parametrize("word,expected", TERMS, ids=[w for w, _ in TERMS])
def test_search_finds_the_page_for_what_people_type(home, word, expected):
    page = home
    # The last word's results go first, so none of them can pass for this word's.
    page.fill(".md-search__input", "")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", state="detached")
    open_search(page, word)
    try:
        wait_for(
            page, """expected => [...document.querySelectorAll('.md-search-result__item > a')].slice(0, 5)
                 .some(a => new URL(a.href).pathname.endsWith('/' + expected))""",
            arg=expected, timeout=10_000,
        )
    except Exception:
        pytest.fail(f"搜索“{word}”的前五个结果里没有 {expected}:{result_paths(page)[:5]}")
    assert page.input_value(".md-search__input") == word
    assert page.context.request_log.foreign() == []


def test_the_index_has_no_token_glued_to_punctuation(site_dir):
    """No indexed word keeps punctuation: the separator splits "(www.cpta.com.cn)"
    and "500KB);" apart."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    sep = re.compile(index["config"]["separator"])
    tokens = set()
    for doc in index["docs"]:
        tokens.update(t for t in sep.split(re.sub(r"<[^>]+>", " ", doc["text"])) if t)
    assert {"cpta", "shgz", "500KB"} <= tokens
    glued = sorted(t for t in tokens if re.search(r"[,.;:()（），。；：、《》“”]", t))
    assert glued == []
