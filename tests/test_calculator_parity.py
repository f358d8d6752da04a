"""Parity: the rules package's named cases (tests/cases.json), run in the browser through
``window.shegongCalculator.evaluate`` on Pyodide, give the same JSON as CPython's
``python -m shegong``."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from support.rulecases import crash_text, load_cases, load_crash_inputs
from support.browser import new_context
from support import cli

CASES = load_cases()


@pytest.fixture(scope="module")
def browser_answers(browser, site_url):
    """Every case answered by the calculator page, in one page load."""
    ctx = new_context(browser, site_url)
    # The page's and its worker's requests for the fallback zip; the service worker's
    # offline copy fetches it too, and does not count.
    fallback = []
    ctx.on("request", lambda r: fallback.append(r.url)
           if r.url.endswith("python_stdlib_full.zip") and r.service_worker is None else None)
    page = ctx.new_page()
    page.goto(site_url + "calculator/registration/")
    # The API exists as soon as the page's script has run, before Pyodide is ready.
    assert page.evaluate("typeof window.shegongCalculator.evaluate") == "function"
    answers = page.evaluate(
        """async (requests) => {
            const out = [];
            for (const r of requests) out.push(await window.shegongCalculator.evaluate(r));
            return out;
        }""",
        [c["request"] for c in CASES],
    )
    browser_today = page.evaluate(
        "() => window.shegongCalculator.evaluate({tool: 'registration', level: '社会工作师', passed_on: '2024-09-10'})"
        ".then(r => r.today)"
    )
    ctx.close()
    assert ctx.request_log.foreign() == []
    # Every case ran on the traced stdlib zip alone (sitebuild/node/build_stdlib.mjs): the
    # fallback zip is for modules no rule imports.
    assert fallback == []
    return dict(zip((c["name"] for c in CASES), answers)), browser_today


def cpython_cli(request) -> dict:
    code, out = cli.run(request if isinstance(request, str) else json.dumps(request, ensure_ascii=False))
    assert code in (0, 2), out
    return json.loads(out)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_same_json_as_cpython(case, browser_answers):
    answers, browser_today = browser_answers
    expected = cpython_cli(case["request"])
    if "today" not in case["request"] and expected.get("today") not in (None, browser_today):
        # Both sides default "today" to their own clock; only midnight can split them.
        pytest.skip(f"CPython's today {expected.get('today')} differs from the browser's {browser_today}")
    assert answers[case["name"]] == expected


def test_browser_today_is_the_local_date(browser_answers):
    _answers, browser_today = browser_answers
    assert abs(dt.date.fromisoformat(browser_today) - dt.date.today()) <= dt.timedelta(days=1)


def test_bad_json_text_and_unknown_tool(browser, site_url):
    """The API takes JSON text too, and answers bad requests like the CLI does."""
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(site_url + "calculator/certificate/")
    got = page.evaluate(
        """async () => [
            await window.shegongCalculator.evaluate('{"tool": "registration", "level": '),
            await window.shegongCalculator.evaluate({tool: "lottery"}),
            await window.shegongCalculator.evaluate('{"tool":"training","level":"senior","period_start":"2022-02-30"}'),
        ]"""
    )
    ctx.close()
    for answer in got:
        assert answer["ok"] is False and answer["errors"]
    assert got[0] == cpython_cli('{"tool": "registration", "level": ')
    assert got[0]["errors"][0]["field"] == "request"
    assert got[1]["errors"][0]["field"] == "tool"
    assert got[2] == cpython_cli({"tool": "training", "level": "senior", "period_start": "2022-02-30"})
    assert got[2]["errors"][0]["field"] == "period_start"


CRASHES = [c for c in load_crash_inputs() if not c.get("cli_only")]


def test_crash_inputs_same_json_as_cpython(browser, site_url):
    """The inputs that once crashed the CLI (lone surrogates, deep nesting, BOM, empty): the
    browser's evaluate(text) answers each one as `python -m shegong` does."""
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(site_url + "calculator/certificate/")
    got = page.evaluate(
        """async (texts) => {
            const out = [];
            for (const t of texts) out.push(await window.shegongCalculator.evaluate(t));
            return out;
        }""",
        [crash_text(c) for c in CRASHES],
    )
    ctx.close()
    for case, answer in zip(CRASHES, got):
        assert answer == cpython_cli(crash_text(case)), case["name"]
