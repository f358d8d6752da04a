"""The engine's first download shows real progress: bytes of the build's own files, a bar
that only moves forward and ends full, a spoken text that changes at most every few
seconds, and 已可离线使用 at the end, in a box whose height never changes meanwhile. A later visit downloads nothing and says nothing
about bytes.
"""

from __future__ import annotations

import re

from support.browser import WAIT, new_context, settled, wait_for, wait_ready
from support.build import calculator_config

PAGE = "calculator/registration/"
# A network slow enough that the download takes a few seconds on localhost.
THROUGHPUT = 3_000_000  # bytes per second
SHOWN = re.compile(r"正在下载计算引擎：(\d+\.\d) / (\d+\.\d) MB")

# Every change of the bar or the status text, with its time on the page's clock.
RECORD = """
window.__progress = [];
new MutationObserver(() => {
  const box = document.getElementById('sg-status');
  if (!box) return;
  const bar = box.querySelector('progress');
  const row = {t: performance.now(), hidden: bar.hidden, value: bar.getAttribute('value'),
               max: bar.getAttribute('max'), text: box.querySelector('.sg-status-text').textContent,
               height: box.getBoundingClientRect().height,
               // Until calculator.css has loaded, the box has the theme's look only.
               styled: !!(document.querySelector('link[href$="calculator.css"]') || {}).sheet};
  const last = window.__progress[window.__progress.length - 1];
  if (!last || ['hidden', 'value', 'max', 'text', 'height'].some(k => last[k] !== row[k])) window.__progress.push(row);
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def test_the_progress_bar_counts_the_builds_own_bytes(browser, own_server, site_dir):
    sizes = calculator_config(site_dir, PAGE)["download"]
    # The figures come from the files the build wrote, not from a constant.
    assert sizes and all((site_dir / path).stat().st_size == n for path, n in sizes.items())
    total = sum(sizes.values())

    ctx = new_context(browser, own_server.url)
    ctx.add_init_script(RECORD)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 20, "downloadThroughput": THROUGHPUT, "uploadThroughput": THROUGHPUT})
    page.goto(own_server.url + PAGE)
    wait_ready(page)
    page.fill("#sg-passed_on", "2024-06-01")
    settled(page)
    assert page.evaluate("window.shegongCalculator.offlineReady.then(r => r.ok)") is True
    wait_for(page, "document.querySelector('#sg-status .sg-status-text').textContent.includes('已可离线使用')",
             timeout=WAIT)
    rows = page.evaluate("window.__progress")

    counted = [r for r in rows if r["max"] is not None and not r["hidden"]]
    assert counted, rows
    assert {int(float(r["max"])) for r in counted} == {total}
    values = [float(r["value"]) for r in counted]
    assert values == sorted(values) and values[-1] == total
    assert len(set(values)) >= 3, values  # it moved while bytes arrived, not only at the end

    said = [r for i, r in enumerate(rows) if i == 0 or r["text"] != rows[i - 1]["text"]]
    shown = [(m.group(1), m.group(2), r["t"]) for r in said if (m := SHOWN.search(r["text"]))]
    assert shown and {s[1] for s in shown} == {f"{total / 1e6:.1f}"}
    # Spoken at most every few seconds while it downloads.
    times = [t for _, _, t in shown]
    assert all(b - a >= 2900 for a, b in zip(times, times[1:])), times
    assert rows[-1]["hidden"] and "已可离线使用" in rows[-1]["text"]
    # On a phone the box keeps its height from the first message to the last, so the form
    # below it never jumps (a layout shift) while the engine loads.
    styled = [r for r in rows if r["styled"]]
    assert [r for r in styled if SHOWN.search(r["text"])], rows
    assert {r["height"] for r in styled} == {styled[0]["height"]}, [(r["height"], r["text"]) for r in styled]

    # The next visit finds every file on the device: nothing to count, no byte figures.
    page.evaluate("window.shegongCalculator.snapshotStored")
    page.evaluate("window.__progress = []")
    page.reload()
    wait_ready(page)
    rows = page.evaluate("window.__progress")
    assert not any(SHOWN.search(r["text"]) for r in rows), rows
    assert all(r["max"] is None for r in rows), rows
    ctx.close()
