"""The Content-Security-Policy every page carries (overrides/hooks/csp.py).

Every built page is opened under its own policy; any ``securitypolicyviolation`` fails
the test, and the theme's scripts, search and the calculators must still work. The guide
pages are opened so on a reader's first visit (test_site_browser.py's ``first_visits``);
the calculator pages and the 404 page here.
"""

from __future__ import annotations

import re

import pytest
from support.browser import CSP_WATCH
from support.build import built_pages

WAIT = 60_000
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def until(page, predicate: str, timeout_ms: int = WAIT) -> None:
    """Waits for ``predicate`` (a JS expression) without eval, which the policy forbids
    and Playwright's polling wait_for_function uses."""
    ok = page.evaluate(
        """async ([timeout]) => {
            const end = performance.now() + timeout;
            while (performance.now() < end) {
                if (PREDICATE) return true;
                await new Promise((r) => setTimeout(r, 50));
            }
            return false;
        }""".replace("PREDICATE", predicate),
        [timeout_ms],
    )
    assert ok, f"timed out waiting for {predicate}"


def pages(site_dir):
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))


def test_every_page_declares_the_policy_first(site_dir):
    found = pages(site_dir)
    assert len(found) > 20
    for rel in found:
        html = (site_dir / rel).read_text(encoding="utf-8")
        m = META.search(html)
        assert m, f"{rel} has no Content-Security-Policy"
        policy = dict(d.strip().split(" ", 1) for d in m.group(1).split(";"))
        script_src = policy["script-src"].split()
        assert script_src[:2] == ["'self'", "'wasm-unsafe-eval'"], rel
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, rel
        assert all(s.startswith("'sha256-") for s in script_src[2:]), rel
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'", rel
        # Before any script, so it governs them all.
        assert html.index(m.group(0)) < html.find("<script"), rel
        # The calculator's config is data and boot.js is a file: neither needs a hash.
        assert "window.__SHEGONG__" not in html and "<script nomodule" not in html, rel


@pytest.fixture(scope="module")
def csp_context(browser, site_url):
    # Under the pages' own policy: no waits through wait_for_function here (see until()).
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=False)
    ctx.add_init_script(CSP_WATCH)
    yield ctx
    ctx.close()


def test_every_other_page_runs_under_its_policy_with_no_violation(csp_context, site_url, site_dir):
    guides = {rel + "index.html" for rel in built_pages(site_dir) if not rel.startswith("calculator/")}
    others = [rel for rel in pages(site_dir) if rel not in guides]
    assert "404.html" in others and "calculator/registration/index.html" in others
    page = csp_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    violations = {}
    for rel in others:
        path = rel.removesuffix("index.html")
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        # The theme's first inline script defines __md_get; its bundle uses it.
        until(page, "typeof window.__md_get === 'function' && document.querySelector('.md-header')")
        if re.fullmatch(r"calculator/\w+/", path):
            # A form starts empty (issue 22): its engine is ready and its (empty) answer
            # shown; a page that waits for a file (the team page) shows its engine ready.
            until(page, "window.shegongCalculator.state().phase === 'ready' && "
                        "['ok', 'empty'].includes(document.querySelector('#sg-result').dataset.state)")
        got = page.evaluate("window.__violations")
        if got:
            violations[rel] = got
    page.close()
    assert violations == {}
    assert errors == []


def test_search_works_under_the_policy(csp_context, site_url):
    page = csp_context.new_page()
    page.goto(site_url)
    page.locator(".md-search__input").click()
    page.keyboard.type("再登记")
    page.keyboard.press("End")  # typed text arrives without key events; the theme searches on keyup
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert page.evaluate("window.__violations") == []
    page.close()


def test_the_team_page_reads_a_file_and_exports_under_the_policy(csp_context, site_url, site_dir):
    """The file goes to the worker and the exports come back as Blob URLs, under the policy."""
    page = csp_context.new_page()
    page.goto(site_url + "calculator/team/")
    data = (site_dir / "assets" / "calculator" / "team-template.xlsx").read_bytes()
    page.set_input_files("#sg-file", files=[{"name": "t.xlsx", "mimeType": "application/octet-stream", "buffer": data}])
    until(page, "document.querySelector('#sg-result').dataset.state === 'ok'")
    for fmt in ("xlsx", "csv", "ics"):
        with page.expect_download() as d:
            page.click(f"[data-export='{fmt}']")
        assert d.value.suggested_filename.endswith("." + fmt)
    assert page.evaluate("window.__violations") == []
    page.close()
