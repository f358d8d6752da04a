"""Browser contexts that record their requests, and waits for what the page reports:
the calculator's state and result, never a fixed sleep."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sitebuild import devserver
from sitebuild.devserver import RequestLog

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Pyodide's cold start is a few seconds, much more on a loaded 2-core machine; a wait
# this long only ever ends early. Never assert on timings (make bench measures them).
WAIT = 90_000
AXE_TAGS = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"


def new_context(browser, url: str, **options):
    """A context whose ``request_log`` records every request it makes."""
    ctx = browser.new_context(**{"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, **options})
    ctx.request_log = RequestLog(url)
    ctx.on("request", ctx.request_log)
    return ctx


def wait_for(page, predicate: str, arg=None, timeout: float = WAIT):
    """Waits until the JS ``predicate`` holds, on a timer (devserver.wait_for)."""
    return devserver.wait_for(page, predicate, arg=arg, timeout=timeout)


# Recorded before any page script runs (a context's init script, which the page's policy
# does not govern): every Content-Security-Policy violation the page reports.
CSP_WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
                            line: e.lineNumber, source: e.sourceFile});
});
"""


def wait_ready(page) -> None:
    wait_for(page, "window.shegongCalculator && window.shegongCalculator.state().phase === 'ready'",
             timeout=WAIT)


def open_ready(ctx, url: str):
    page = ctx.new_page()
    page.goto(url)
    wait_ready(page)
    return page


def press_until(page, selector: str, key: str = "Tab", limit: int = 80) -> None:
    """Presses ``key`` until the focused element matches ``selector``, as a keyboard user
    moves through a page."""
    def there() -> bool:
        return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)

    for _ in range(limit):
        if there():
            return
        page.keyboard.press(key)
    if not there():
        raise AssertionError(f"{selector} is not reachable with {key} in {limit} presses")


def focused(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.tagName)")


def tab_to(page, element_id, limit=80):
    """Presses Tab from where the focus is until ``element_id`` has it."""
    press_until(page, f"#{element_id}", limit=limit)


def type_date(page, element_id, iso):
    """Types a date into the focused date field digit by digit, as a user would."""
    y, m, d = iso.split("-")
    # The order of the field's parts follows the browser's locale.
    for order in (m + d + y, y + m + d, d + m + y):
        page.keyboard.type(order)
        if page.input_value(f"#{element_id}") == iso:
            return
        page.fill(f"#{element_id}", "")  # start again with the next order
        page.focus(f"#{element_id}")
    raise AssertionError(f"could not type {iso} into #{element_id}")


def settled(page, state: str = "ok") -> None:
    """The result area shows ``state`` (ok, errors, empty, failed) for the latest input:
    no computation is scheduled or running (controller.mjs marks the result ``data-busy``)."""
    wait_for(
        page, """s => { const r = document.querySelector('#sg-result');
                  return r && r.dataset.state === s && !('busy' in r.dataset); }""",
        arg=state, timeout=WAIT,
    )


def settled_any(page) -> str:
    """Waits until the latest input has been computed, whatever the outcome; returns the
    state shown (ok, errors, empty)."""
    wait_for(
        page, """() => { const r = document.querySelector('#sg-result');
                   return r && ['ok', 'errors', 'empty'].includes(r.dataset.state) && !('busy' in r.dataset); }""",
        timeout=WAIT,
    )
    return page.evaluate("document.querySelector('#sg-result').dataset.state")


def open_tool(page, site_url: str, tool: str, query: str = "") -> None:
    page.goto(f"{site_url}calculator/{tool}/{query}")
    wait_ready(page)


def stored(page, tool: str) -> str | None:
    """The inputs the calculator saved in localStorage for ``tool`` (JSON text)."""
    return page.evaluate("t => localStorage.getItem('shegong:calculator:' + t)", tool)


def with_axe(ctx):
    """``ctx`` with axe-core in every page it opens, before the page's own scripts: a
    context that checks many pages parses it once per page instead of receiving it
    through the driver each time."""
    ctx.add_init_script(path=str(AXE))
    return ctx


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (after transitions)."""
    # allSettled: an animation cancelled meanwhile (a resize ends a transition) rejects.
    # The theme starts some transitions a frame or two after a scroll (its back-to-top
    # button fades in): settle, look again after two frames, until nothing runs. Axe once
    # measured that button half faded in and called its contrast too low.
    page.evaluate("""async () => {
        for (let i = 0; i < 10; i++) {
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            const running = document.getAnimations().filter((a) => a.playState === "running");
            if (!running.length) return;
            await Promise.allSettled(running.map((a) => a.finished));
        }
    }""")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    # resultTypes: the passes are not collected node by node; the violations are all there.
    result = page.evaluate(
        f"() => axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}, resultTypes: ['violations']}})")
    return [
        f"{v['id']}: {v['help']} — " + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def scheme(page) -> str:
    return "dark" if page.evaluate("document.body.dataset.mdColorScheme") == "slate" else "light"


def switch_scheme(page) -> str:
    """Switches light and dark with the theme's own toggle in the header, as a reader
    does (the choice is kept for the next pages); returns the scheme now shown."""
    before = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    wait_for(page, "b => document.body.dataset.mdColorScheme !== b", arg=before)
    return scheme(page)


# --- the theme's search -----------------------------------------------------------


def open_search(page, word: str) -> list[str]:
    page.locator(".md-search__input").click()
    page.keyboard.type(word)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return result_paths(page)


def result_paths(page) -> list[str]:
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")
    return [urlsplit(h).path for h in hrefs]
