"""A maintainer's rule change, end to end: change one value in a temporary copy of the
repository, build it, and both the guide page and the in-browser calculator follow.

It also shows the dated-value path: the old value stays for earlier dates.
"""

from __future__ import annotations

import functools
import threading

from conftest import _Handler, _Server
from test_site_build import _text


def test_a_new_dated_value_reaches_the_guides_and_the_calculator(rules_changed_site, browser):
    # Built once per session by conftest.rules_changed_site (also the update test's build B).
    site = rules_changed_site
    guide = _text(site / "registration" / "continuing-education" / "index.html")
    # The guide shows the value in force and from when; the calculator page too.
    assert "80小时(自2026年1月1日起;此前为72小时)" in guide
    # Every page's 纠错 link goes to its own source file.
    html = (site / "registration" / "continuing-education" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.invalid/owner/repo/edit/main/docs/registration/continuing-education.md"' in html

    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ctx = browser.new_context(locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/calculator/training/")
        ask = """(start) => window.shegongCalculator.evaluate(
            {tool: 'training', level: '助理社会工作师', period_start: start, records: []})"""
        now = page.evaluate(ask, "2026-03-15")
        before = page.evaluate(ask, "2025-03-15")
        ctx.close()
    finally:
        server.shutdown()
        server.server_close()
    assert now["ok"] and now["required_hours"] == 80
    assert before["ok"] and before["required_hours"] == 72  # the rule then in force
