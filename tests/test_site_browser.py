"""The guide site in Debian's Chromium: no page requests anything from another host,
axe-core finds no WCAG 2.1 AA violation in the light or the dark scheme, a first visit
stays small and within the page's Content-Security-Policy, and each guide opens its
calculator with the inputs filled. (Search terms: test_site_search_terms.py.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support.browser import CSP_WATCH, axe_violations, new_context, open_search, scheme, switch_scheme, wait_for, with_axe
from support.build import built_pages


def guide_pages(site_dir: Path) -> list[str]:
    """Every page but the calculator's, whose tests check them with a result shown
    (test_calculator_a11y: axe; test_calculator_offline: requests)."""
    return [rel for rel in built_pages(site_dir) if not rel.startswith("calculator/")]


@pytest.fixture(scope="module")
def walk(browser, site_url, site_dir):
    """Every guide page once, then search: the requests made, and what axe-core finds on
    each page in both colour schemes (the theme's own toggle switches them, so one visit
    serves both; the choice is kept, so pages alternate which scheme comes first)."""
    pages = guide_pages(site_dir)
    ctx = with_axe(new_context(browser, site_url, service_workers="block", viewport={"width": 1280, "height": 900}))
    p = ctx.new_page()
    found, checked = {}, set()

    def check(where):
        shown = scheme(p)
        checked.add((where, shown))
        if violations := axe_violations(p):
            found[f"{where} ({shown})"] = violations

    # "load", not "networkidle": a request made after it is still logged, and the wait
    # for half a second of quiet cost more than the checks on every page.
    for rel in pages:
        p.goto(site_url + rel, wait_until="load")
        if rel == "registration/first/":
            p.wait_for_selector("figure.sg-diagram > svg", timeout=20_000)
        check(rel or "/")
        switch_scheme(p)
        check(rel or "/")
    # With the search dialog open and showing results (the search worker and its index
    # load on interaction too), in each scheme.
    p.goto(site_url, wait_until="networkidle")
    for _ in range(2):
        open_search(p, "登记")
        check("/ (搜索)")
        p.keyboard.press("Escape")
        switch_scheme(p)
        p.reload(wait_until="load")
    p.wait_for_load_state("networkidle")
    ctx.close()
    return {"pages": pages, "foreign": ctx.request_log.foreign(), "requests": len(ctx.request_log.urls),
            "axe": found, "checked": checked}


def test_no_page_requests_another_host(walk):
    assert len(walk["pages"]) >= 20
    assert walk["foreign"] == []
    assert walk["requests"] > len(walk["pages"])


def test_axe_finds_no_wcag21aa_violation_on_any_page(walk):
    wanted = {(rel or "/", s) for rel in walk["pages"] + ["/ (搜索)"] for s in ("light", "dark")}
    assert walk["checked"] == wanted
    assert walk["axe"] == {}


FIRST_VISIT_LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def first_visits(browser, site_url, site_dir):
    """A reader's first visit to each guide page (empty cache, the service worker
    registering), on a phone, under the page's own Content-Security-Policy: the bytes
    moved, the runtime files asked for, the policy violations reported, and whether the
    theme's scripts ran.

    Bytes are counted in the browser from every response of the site, the document
    included: headers and body as received. Responses the service worker answers are
    skipped (its own fetch is counted)."""
    guides = guide_pages(site_dir)
    assert len(guides) >= 20
    out = {"bytes": {}, "runtime": [], "violations": {}, "theme_missing": [], "errors": []}
    for rel in guides:
        where = rel or "/"
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, bypass_csp=False)
        ctx.add_init_script(CSP_WATCH)
        finished, pending = [], set()
        ctx.on("request", lambda req: pending.add(req))
        ctx.on("requestfinished", lambda req: (finished.append(req), pending.discard(req)))
        ctx.on("requestfailed", lambda req: pending.discard(req))
        p = ctx.new_page()
        p.on("pageerror", lambda e, where=where: out["errors"].append(f"{where}: {e}"))
        p.goto(site_url + rel, wait_until="load")
        # The service worker active means its install (and what it stores) is done; then
        # every request started must have ended, and none begun within a short pause.
        p.evaluate("navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : true")
        deadline = time.monotonic() + 60
        while True:
            while pending and time.monotonic() < deadline:
                p.wait_for_timeout(50)
            p.wait_for_timeout(200)
            if not pending or time.monotonic() >= deadline:
                break
        assert not pending, f"{where}: still loading {[r.url for r in pending]}"
        # The theme's first inline script defines __md_get; its bundle, component$.
        if not p.evaluate("typeof window.__md_get === 'function' && typeof window.component$ === 'object'"):
            out["theme_missing"].append(where)
        if got := p.evaluate("window.__violations"):
            out["violations"][where] = got
        total = 0
        for req in finished:
            if not req.url.startswith(site_url):
                continue  # data: URLs; another host fails test_no_page_requests_another_host
            res = req.response()
            if res is None or res.from_service_worker:
                continue
            sizes = req.sizes()
            # Chromium reports no body size for worker scripts (sw.js, the search
            # worker): take the body itself (the test server does not compress).
            total += sizes["responseHeadersSize"] + (sizes["responseBodySize"] or len(res.body()))
            if "pyodide" in req.url or "mermaid" in req.url:
                out["runtime"].append(f"{where}: {req.url}")
        ctx.close()
        assert any(r.url == site_url + rel for r in finished), rel  # the document is counted
        out["bytes"][where] = total
    return out


def test_a_first_visit_to_any_guide_page_transfers_at_most_1_mib(first_visits):
    """On a slow phone network: at most 1 MiB, and never a Pyodide or Mermaid file."""
    totals = first_visits["bytes"]
    largest = max(totals, key=totals.get)
    print(f"largest first visit: {largest} {totals[largest]:,} B")
    assert first_visits["runtime"] == []
    assert {k: v for k, v in totals.items() if v > FIRST_VISIT_LIMIT} == {}, f"largest: {largest} {totals[largest]:,} B"


def test_a_first_visit_to_any_guide_page_runs_under_its_policy(first_visits):
    """No Content-Security-Policy violation, no script error, and the theme's scripts ran
    (test_csp.py checks the calculator pages and the 404 page, at 1280 px)."""
    assert first_visits["violations"] == {}
    assert first_visits["errors"] == []
    assert first_visits["theme_missing"] == []


def test_axe_on_a_phone_with_the_menu_open(browser, site_url):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, service_workers="block")
    p = ctx.new_page()
    p.goto(site_url + "registration/first/", wait_until="networkidle")
    p.locator("label.md-header__button[for='__drawer']").click()
    wait_for(p, "document.getElementById('__drawer').checked")
    violations = axe_violations(p)
    ctx.close()
    assert violations == []


@pytest.mark.parametrize(
    "guide,button,fields",
    [
        # Only links whose words name the value carry one; no link carries a date (issue 22).
        ("titles/social-work/", "用计算器查社会工作师对应的职称", {"from": "社会工作师"}),
        ("titles/foreign/", "用计算器查境外职业资格对应的职称", {"from": "境外职业资格"}),
    ],
)
def test_a_guide_opens_its_calculator_with_the_inputs_filled(page, site_url, guide, button, fields):
    page.goto(site_url + guide)
    page.get_by_role("link", name=button).click()
    for name, value in fields.items():
        wait_for(
            page, "([name, value]) => { const el = document.getElementById('sg-' + name); return el && el.value === value }",
            arg=[name, value], timeout=20_000,
        )
    assert page.context.request_log.foreign() == []
