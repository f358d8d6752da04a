"""The worker boundary in the browser: requests that are too deep, numbers too large for
JavaScript, a worker that fails once, a download that stalls, and any JSON at all
answered exactly as the CLI answers it."""

from __future__ import annotations

import functools
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitebuild import devserver
from support.browser import WAIT, wait_for, wait_ready
from shegong.api import MAX_DEPTH
from support import cli as support_cli

DEEP = 2500  # deep enough to overflow the JS stack inside Pyodide, were it parsed


@pytest.fixture(scope="module")
def calc(browser, site_url):
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(site_url + "calculator/registration/")
    wait_ready(page)
    yield page
    ctx.close()


def evaluate(page, request):
    return page.evaluate("(r) => window.shegongCalculator.evaluate(r)", request)


NORMAL = {"tool": "registration", "level": "社会工作师", "passed_on": "2024-09-10", "today": "2025-01-01"}


def test_a_deep_request_is_refused_and_the_calculator_keeps_working(calc):
    deep_text = "[" * DEEP + "]" * DEEP
    deep_object = '{"tool": "training", "records": ' + '{"a":' * DEEP + "1" + "}" * DEEP + "}"
    # The text twice (the second used to get `"undefined" is not valid JSON`), then the
    # same depth as an object, built in the page (Playwright cannot pass one that deep).
    for request, as_object in ((deep_text, False), (deep_text, False), (deep_object, True)):
        res = calc.evaluate("([t, o]) => window.shegongCalculator.evaluate(o ? JSON.parse(t) : t)", [request, as_object])
        assert res["ok"] is False
        assert res["errors"][0]["field"] == "request" and "嵌套" in res["errors"][0]["message"]
    after = evaluate(calc, NORMAL)
    assert after["ok"] is True and after["first_registration"]["last_day"] == "2025-09-10"


def test_a_number_too_large_for_javascript_is_named(calc):
    res = evaluate(calc, {"tool": "training", "level": "社会工作师", "period_start": "2023-07-01",
                          "records": [{"kind": "course", "date": "2024-01-01", "hours": float("inf")}]})
    assert res["ok"] is False
    assert res["errors"][0]["field"] == "records[0].hours" and "数字太大" in res["errors"][0]["message"]


def test_hours_of_400_nines_in_the_form(browser, site_url):
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(site_url + "calculator/training/")
    wait_ready(page)
    page.fill("#sg-period_start", "2025-03-15")  # the form starts empty (issue 22)
    page.fill("#sg-r0-date", "2025-06-01")
    page.fill("#sg-r0-hours", "9" * 400)
    # The form answers as it is filled: the answer to the row without its hours ('缺少…')
    # can come first, so wait for the hours' own message.
    wait_for(page, """document.querySelector('#sg-result').dataset.state === 'errors'
        && (document.querySelector("[data-error-for='records[0].hours']")?.textContent || '').includes('数字太大')""",
             timeout=WAIT)
    err = page.locator("[data-error-for='records[0].hours']")
    assert "「第1条的学时」的数字太大" in err.inner_text()
    ctx.close()


# --- a worker that fails -------------------------------------------------------------


class _Flaky(devserver.Handler):
    """Fails (or stalls) the first ``server.bad`` downloads of the WebAssembly runtime."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path.endswith("pyodide.asm.wasm") and self.server.bad > 0:
            self.server.bad -= 1
            if self.server.mode == "fail":
                self.send_error(503)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/wasm")
            self.send_header("Content-Length", "10000000")
            self.end_headers()
            self.wfile.write(b"\0asm" + b"\0" * 1000)
            self.wfile.flush()
            self.server.release.wait(WAIT / 1000)
            return
        super().do_GET()


@pytest.fixture
def flaky(site_dir):
    server = devserver.Server(("127.0.0.1", 0), functools.partial(_Flaky, directory=str(site_dir)))
    server.bad, server.mode, server.release = 0, "fail", threading.Event()
    server.start()
    yield server
    server.release.set()
    server.stop()


def test_a_failed_worker_is_restarted_once(browser, flaky):
    flaky.bad = 1
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(flaky.url + "calculator/registration/")
    wait_for(page, "['ready', 'failed'].includes(window.shegongCalculator.state().phase)", timeout=WAIT)
    assert page.evaluate("window.shegongCalculator.state()")["phase"] == "ready"
    assert page.evaluate("window.shegongCalculator.restarts()") == 1
    assert evaluate(page, NORMAL)["ok"] is True
    page.fill("#sg-passed_on", "2024-09-10")  # the form starts empty (issue 22)
    wait_for(page, "document.querySelector('#sg-result').dataset.state === 'ok'", timeout=WAIT)
    ctx.close()


def test_a_stalled_download_times_out_with_a_retry_button(browser, flaky):
    # Two stalls: the first restart stalls too, then the page gives up and offers 重试.
    flaky.bad, flaky.mode = 2, "stall"
    ctx = browser.new_context(locale="zh-CN", service_workers="block")
    # The page's own timeout, shortened for the test in the page's config (not in code).
    ctx.route("**/calculator/registration/", lambda route: route.fulfill(
        response=(res := route.fetch()),
        body=res.text().replace('"tool": "registration"', '"tool": "registration", "stall_ms": 1500')))
    page = ctx.new_page()
    page.goto(flaky.url + "calculator/registration/")
    wait_for(page, "window.shegongCalculator.state().phase === 'failed'", timeout=WAIT)
    assert "下载停住了" in page.inner_text("#sg-status")
    page.click("#sg-status button:has-text('重试')")
    wait_ready(page)
    page.fill("#sg-passed_on", "2024-09-10")  # the form starts empty (issue 22)
    wait_for(page, "document.querySelector('#sg-result').dataset.state === 'ok'", timeout=WAIT)
    ctx.close()


# --- any JSON, as the CLI answers it ---------------------------------------------------


def cli(texts: list[str]) -> list[dict | None]:
    """The CLI's answer to each text (its own entry point, in this process); None where it
    printed no JSON."""
    return [support_cli.answer(text) for text in texts]


def browser_answers(page, texts: list[str]) -> list[dict]:
    return page.evaluate(
        "async (ts) => { const o = []; for (const t of ts) o.push(await window.shegongCalculator.evaluate(t)); return o; }",
        texts,
    )


scalars = st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(max_size=12) | st.sampled_from(["registration", "training", "title", "certificate", "社会工作师", "2024-02-29"])
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(["tool", "level", "passed_on", "records", "hours", "x"]) | st.text(max_size=6),
                                             inner, max_size=4), max_leaves=12)
requests = st.fixed_dictionaries({"tool": st.sampled_from(["registration", "training", "title", "certificate"])},
                                 optional={"level": scalars, "passed_on": scalars, "period_start": scalars,
                                           "records": json_values, "today": st.just("2025-01-01")}) | json_values


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(requests, min_size=1, max_size=5))
def test_any_json_is_answered_as_the_cli_answers_it(calc, batch):
    texts = [json.dumps(r, ensure_ascii=False) for r in batch]
    assert browser_answers(calc, texts) == cli(texts)


def test_nesting_and_surrogates_as_the_cli(calc):
    texts = [
        "[" * MAX_DEPTH + "]" * MAX_DEPTH,  # as deep as the rules parse
        '{"tool": "registration", "level": ' + "[" * 150 + "]" * 150 + "}",
        '{"tool": "registration", "level": "\\ud800"}',  # a lone surrogate, escaped
        '{"tool": "\\udfff\\ud800"}',
        '{"tool": "training", "records": [{"hours": "\\ud83d\\ude00"}]}',  # a valid pair
    ]
    got = browser_answers(calc, texts)
    want = cli(texts)
    for text, g, w in zip(texts, got, want):
        assert g["ok"] is False and g["errors"], text
        assert g == w, text
    # Deeper than the rules' cap, and far deeper: refused before parsing, as the CLI does.
    for depth in (MAX_DEPTH + 1, DEEP):
        too_deep = "[" * depth + "]" * depth
        [g] = browser_answers(calc, [too_deep])
        assert g == cli([too_deep])[0]
        assert g["ok"] is False and g["errors"][0]["field"] == "request"
    assert evaluate(calc, NORMAL)["ok"] is True
