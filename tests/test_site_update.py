"""A new deploy reaches a returning reader, who is told about it.

Build A (site/) is served with `Cache-Control: max-age=600`, as GitHub Pages serves it.
A reader opens the training calculator until the whole site is kept on the device. The
server then switches to build B (conftest.changed_site: among its changes, 助理社会工作师
needs 80 hours from 2026-01-01). On the first visit after the switch the page says 本站规则已更新
and never answers from the other build's snapshot; on the second, the guide and
`evaluate` both show B's value.
"""

from __future__ import annotations

from sitebuild import devserver
from support.browser import WAIT, new_context, wait_ready
from support.build import APPENDED
from support.build import text as _text
ASK = "(start) => window.shegongCalculator.evaluate({tool: 'training', level: '助理社会工作师', period_start: start, records: []})"


class _Switchable(devserver.Handler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.server_dir), **kwargs)

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


def serve(site_dir):
    state = {"dir": site_dir}
    handler = type("Handler", (_Switchable,), {"server_dir": property(lambda self: state["dir"])})
    return devserver.Server(("127.0.0.1", 0), handler).start(), state


def calculator(page, url):
    page.goto(url + "calculator/training/")
    wait_ready(page)


def guide_text(page, url):
    page.goto(url + "registration/continuing-education/")
    return page.inner_text("article")


def test_a_new_build_reaches_a_returning_reader_with_a_notice(browser, site_dir, changed_site):
    key, entry = APPENDED
    assert (key, entry["from"], entry["value"]) == ("training.required_hours.助理社会工作师", "2026-01-01", 80)
    assert "80小时" not in _text(site_dir / "registration" / "continuing-education" / "index.html")
    server, state = serve(site_dir)
    url = server.url
    ctx = new_context(browser, url, viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        calculator(page, url)
        assert page.evaluate("window.shegongCalculator.offlineReady")["ok"] is True
        assert page.evaluate(ASK, "2026-03-15")["required_hours"] == 72
        old_key = page.evaluate("window.shegongCalculator.config.snapshot")
        page.evaluate("window.shegongCalculator.snapshotStored")
        assert "80小时" not in guide_text(page, url)

        state["dir"] = changed_site[0]  # the deploy

        # First visit after it: told, and the calculator answers as its own page's build.
        calculator(page, url)
        page.wait_for_selector("#sg-update", timeout=WAIT)
        notice = page.inner_text("#sg-update")
        assert "本站规则已更新" in notice and "请刷新页面" in notice
        assert page.locator("#sg-update button").inner_text() == "刷新页面"
        key = page.evaluate("window.shegongCalculator.config.snapshot")
        first = page.evaluate(ASK, "2026-03-15")["required_hours"]
        assert (key, first) in {(old_key, 72)} | ({(key, 80)} if key != old_key else set())
        assert page.evaluate("window.shegongCalculator.started()")["snapshot"] != "restored"

        # The reader reloads, as the notice asks: B's value everywhere.
        page.click("#sg-update button")
        wait_ready(page)
        assert page.evaluate(ASK, "2026-03-15")["required_hours"] == 80
        assert page.evaluate(ASK, "2025-03-15")["required_hours"] == 72
        assert "80小时（自2026年1月1日起；此前为72小时" in guide_text(page, url)
        calculator(page, url)
        assert page.evaluate(ASK, "2026-03-15")["required_hours"] == 80
        assert page.locator("#sg-update").count() == 0
        assert ctx.request_log.foreign() == []
    finally:
        ctx.close()
        server.stop()
