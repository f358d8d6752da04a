"""Offline use and what goes over the network.

* After one visit to a calculator page, every page and every tool work with the network
  cut (the browser context offline and the server stopped).
* No request ever goes to another host (here with the network cut; every calculator
  page with its result shown: the module context of test_calculator_a11y; every guide
  page: the walk of test_site_browser).
* A reader of a guide page never downloads the Pyodide runtime.
"""

from __future__ import annotations

from pathlib import Path

from shegong.api import TOOLS
from support.browser import WAIT, new_context, settled, settled_any, wait_for

GUIDES = ["registration/first/", "certificate/paper/"]
TEMPLATE = Path(__file__).resolve().parents[1] / "docs" / "assets" / "calculator" / "team-template.xlsx"


def test_everything_works_offline_after_one_calculator_visit(browser, own_server):
    url = own_server.url
    ctx = new_context(browser, url)
    page = ctx.new_page()
    page.goto(url + "calculator/title/?from=%E7%A4%BE%E4%BC%9A%E5%B7%A5%E4%BD%9C%E5%B8%88")
    settled(page)
    kept = page.evaluate("window.shegongCalculator.offlineReady")
    assert kept["ok"] is True, kept
    assert "已保存到本机" in page.inner_text("#sg-offline")
    # The team page's own packages (openpyxl) are not loaded here, but kept: the note says
    # every calculator works offline, the team page included (issue 22).
    kept_runtime = page.evaluate("caches.open('shegong-runtime').then(c => c.keys()).then(ks => ks.map(r => r.url))")
    assert any(u.endswith(".whl") for u in kept_runtime)
    assert [u for u in kept_runtime if "openpyxl" in u] and [u for u in kept_runtime if "et_xmlfile" in u]

    # Cut the network: the browser is offline and the server is gone.
    ctx.set_offline(True)
    own_server.stop()

    for guide in GUIDES:
        page.goto(url + guide)
        assert page.locator("h1").count() == 1
        assert "当前没有网络" not in page.inner_text("body")
        # The theme's own script ran from the cache too.
        wait_for(page, "document.querySelector('.md-header') !== null")
    page.goto(url)
    assert "社工证书指南" in page.title()

    for tool in TOOLS:
        page.goto(url + f"calculator/{tool}/")
        page.reload()
        wait_for(page, "window.shegongCalculator.state().phase !== 'loading'", timeout=WAIT)
        settled_any(page)
        assert page.evaluate("window.shegongCalculator.state().phase") == "ready"

    # Compute on the last page through the form, and through the API.
    page.goto(url + "calculator/registration/?level=assistant&passed_on=2024-02-29")
    wait_for(
        page, "document.querySelector('#sg-answer').textContent.includes('2025年2月28日')", timeout=WAIT
    )
    answer = page.evaluate(
        "window.shegongCalculator.evaluate({tool: 'training', level: '社会工作师', period_start: '2023-07-01',"
        " records: [{kind: 'degree', date: '2024-06-30', awarded: true}]})"
    )
    assert answer["ok"] is True and answer["counted_hours"] == 90 and answer["met"] is True

    # The team page, never opened online, reads a spreadsheet (.xlsx: openpyxl) offline.
    page.goto(url + "calculator/team/")
    page.set_input_files("#sg-file", str(TEMPLATE))
    wait_for(page, "document.querySelector('#sg-result').dataset.state === 'ok'", timeout=WAIT)
    assert page.locator("#sg-result tbody tr").count() >= 1
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body
    assert ctx.request_log.foreign() == []
    ctx.close()


def test_a_guide_page_never_fetches_the_runtime(browser, own_server):
    url = own_server.url
    ctx = new_context(browser, url)
    page = ctx.new_page()
    for guide in GUIDES:
        page.goto(url + guide)
        page.wait_for_load_state("networkidle")
    # The service worker is installed (it keeps what guide pages use) ...
    wait_for(page, "navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready", timeout=WAIT)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    # ... but neither the page, its workers, nor the service worker asked for Pyodide.
    assert not [p for p in own_server.paths if "pyodide" in p], own_server.paths
    assert not [u for u in ctx.request_log.urls if "pyodide" in u or "worker.mjs" in u]
    cached = page.evaluate(
        """async () => {
            const out = [];
            for (const name of await caches.keys()) {
                for (const req of await (await caches.open(name)).keys()) out.push(req.url);
            }
            return out;
        }"""
    )
    assert not [u for u in cached if "pyodide" in u]
    assert ctx.request_log.foreign() == []
    ctx.close()

