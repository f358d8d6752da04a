"""Performance benchmark of the calculator (``make bench``; not part of the tests).

Serves the built site on 127.0.0.1 and drives headless Chromium. Reports the median of
5 interleaved runs of:

* time to first result on the 登记期限 page, cold (new browser context) and warm (the same
  context again), next to a bare page that only loads the same Pyodide files and runs
  ``1+1``, and their ratio;
* bytes transferred (counted by the server) for a first visit to a guide page and to a
  calculator page;
* the main thread's long tasks during start-up.

Usage: .venv/bin/python bench/run.py [--site DIR] [--runs 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import socketserver
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The same browser and flags as the tests.
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, _Handler  # noqa: E402

CALC_PAGE = "calculator/registration/"
# A plain guide page, and the one guide page with a diagram (it loads Mermaid).
GUIDE_PAGES = ["certificate/paper/", "registration/first/"]
MARK = "shegong:first-result"
LONGTASKS = """
window.__longtasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
} catch (e) {}
"""


def bare_page(runtime: str, packages: str) -> bytes:
    """The baseline: the same Pyodide files (runtime and lockfile), then 1+1."""
    return f"""<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module">
import {{ loadPyodide }} from "/{runtime}pyodide.mjs";
const py = await loadPyodide({{ indexURL: "/{runtime}", lockFileURL: "/{packages}pyodide-lock.json" }});
py.runPython("1+1");
performance.mark("{MARK}");
</script></html>""".encode()


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.bytes = 0
        self.paths: list[str] = []

    def reset(self):
        with self.lock:
            self.bytes = 0
            self.paths = []

    def add(self, n: int):
        with self.lock:
            self.bytes += n


class _CountingWriter:
    def __init__(self, raw, counter: Counter):
        self.raw = raw
        self.counter = counter

    def write(self, data):
        n = self.raw.write(data)
        self.counter.add(len(data))
        return n

    def flush(self):
        return self.raw.flush()

    def __getattr__(self, name):
        return getattr(self.raw, name)


class Handler(_Handler):
    counter: Counter
    bare: bytes

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.counter)

    def do_GET(self):  # noqa: N802
        with self.counter.lock:
            self.counter.paths.append(self.path)
        if self.path.startswith("/__bench__/bare.html"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.bare)))
            self.end_headers()
            self.wfile.write(self.bare)
            return
        return super().do_GET()

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A browser context closed while the service worker was still downloading.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def first_result_ms(page, url: str) -> float:
    page.goto(url)
    page.wait_for_function(f"performance.getEntriesByName('{MARK}').length > 0", timeout=120_000)
    return page.evaluate(f"performance.getEntriesByName('{MARK}')[0].startTime")


def breakdown(page) -> dict:
    """Milestones of a calculator start-up on the page's clock (ms since navigation)."""
    return page.evaluate(
        """() => {
            const t = window.shegongCalculator && window.shegongCalculator.timings;
            if (!t || !t.worker) return null;
            const w = (k) => Math.round(t.worker.origin + t.worker[k] - performance.timeOrigin);
            return {worker_created: Math.round(t.worker_created), pyodide_imported: w('pyodide_imported'),
                    pyodide_loaded: w('pyodide_loaded'), rules_imported: w('rules_imported'),
                    first_result: Math.round(performance.getEntriesByName('shegong:first-result')[0].startTime)};
        }"""
    )


def long_tasks(page, until_ms: float) -> dict:
    tasks = page.evaluate("window.__longtasks || []")
    during = [d for (s, d) in tasks if s <= until_ms]
    return {"count": len(during), "total_ms": round(sum(during), 1), "max_ms": round(max(during, default=0), 1)}


def wait_offline_copy(page):
    page.wait_for_function("window.shegongCalculator && window.shegongCalculator.offlineReady", timeout=120_000)
    return page.evaluate("window.shegongCalculator.offlineReady")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=os.environ.get("SHEGONG_SITE_DIR", str(ROOT / "site")))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", default=str(ROOT / "bench-results" / "bench.json"))
    args = ap.parse_args(argv)
    site = Path(args.site)
    html = (site / CALC_PAGE / "index.html").read_text(encoding="utf-8")
    cfg = json.loads(re.search(r"window\.__SHEGONG__=(\{.*?\});", html).group(1))

    counter = Counter()
    handler = functools.partial(Handler, directory=str(site))
    Handler.counter = counter
    Handler.bare = bare_page(cfg["runtime"], cfg["packages"])
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    calc_url, bare_url = base + CALC_PAGE, base + "__bench__/bare.html"

    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {k: [] for k in ("calc_cold", "bare_cold", "calc_warm", "bare_warm")}
    tasks: dict[str, list[dict]] = {"calc_cold": [], "bare_cold": []}
    milestones: list[dict] = []
    bytes_: dict[str, list[int]] = {"calc_first_result": [], "calc_first_visit_offline_copy": []}
    bytes_.update({f"guide_first_visit:{g}": [] for g in GUIDE_PAGES})
    guide_touches_runtime = []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

        def ctx():
            c = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
            c.add_init_script(LONGTASKS)
            return c

        # Warm the OS file cache and the server once; not counted.
        c = ctx(); first_result_ms(c.new_page(), calc_url); c.close()

        for i in range(args.runs):
            order = [("calc", calc_url), ("bare", bare_url)]
            if i % 2:
                order.reverse()
            contexts = {}
            for name, url in order:
                c = ctx()
                contexts[name] = c
                p = c.new_page()
                counter.reset()
                ms = first_result_ms(p, url)
                samples[f"{name}_cold"].append(ms)
                tasks[f"{name}_cold"].append(long_tasks(p, ms))
                if name == "calc":
                    milestones.append(breakdown(p))
                    bytes_["calc_first_result"].append(counter.bytes)
                    wait_offline_copy(p)
                    bytes_["calc_first_visit_offline_copy"].append(counter.bytes)
                else:
                    p.wait_for_timeout(500)
                p.close()
            for name, url in order:
                p = contexts[name].new_page()
                samples[f"{name}_warm"].append(first_result_ms(p, url))
                p.close()
            for c in contexts.values():
                c.close()

            # A first visit to a guide page: everything until the network is idle and
            # the service worker has installed.
            for guide in GUIDE_PAGES:
                c = ctx()
                p = c.new_page()
                counter.reset()
                p.goto(base + guide)
                p.wait_for_load_state("networkidle")
                p.evaluate("navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : true")
                p.wait_for_timeout(1000)
                bytes_[f"guide_first_visit:{guide}"].append(counter.bytes)
                guide_touches_runtime.append(any("pyodide" in q or "worker.mjs" in q for q in counter.paths))
                c.close()
            print(f"run {i + 1}/{args.runs}: calc cold {samples['calc_cold'][-1]:.0f} ms, bare cold "
                  f"{samples['bare_cold'][-1]:.0f} ms, calc warm {samples['calc_warm'][-1]:.0f} ms, bare warm "
                  f"{samples['bare_warm'][-1]:.0f} ms", file=sys.stderr)
        browser.close()
    server.shutdown()

    med = {k: statistics.median(v) for k, v in samples.items()}
    mib = 1024 * 1024
    result = {
        "runs": args.runs,
        "time_to_first_result_ms": {k: round(v) for k, v in med.items()},
        "ratio": {
            "cold": round(med["calc_cold"] / med["bare_cold"], 3),
            "warm": round(med["calc_warm"] / med["bare_warm"], 3),
        },
        "bytes": {k: int(statistics.median(v)) for k, v in bytes_.items()},
        "guide_page_touches_runtime": any(guide_touches_runtime),
        "long_tasks_until_first_result": {
            k: {
                "count": statistics.median(t["count"] for t in v),
                "total_ms": statistics.median(t["total_ms"] for t in v),
                "max_ms": statistics.median(t["max_ms"] for t in v),
            }
            for k, v in tasks.items()
        },
        "samples_ms": {k: [round(x) for x in v] for k, v in samples.items()},
        "calc_cold_milestones_median_ms": {
            k: statistics.median(m[k] for m in milestones if m) for k in (milestones[0] or {})
        } if milestones and milestones[0] else None,
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))

    t, r, b = result["time_to_first_result_ms"], result["ratio"], result["bytes"]
    lt = result["long_tasks_until_first_result"]
    print(f"\n社工证书指南 benchmark — median of {args.runs} interleaved runs, headless Chromium, 127.0.0.1")
    print(f"{'':28}{'calculator':>12}{'bare Pyodide':>14}{'ratio':>8}")
    print(f"{'time to first result, cold':28}{t['calc_cold']:>10} ms{t['bare_cold']:>12} ms{r['cold']:>8.2f}")
    print(f"{'time to first result, warm':28}{t['calc_warm']:>10} ms{t['bare_warm']:>12} ms{r['warm']:>8.2f}")
    for g in GUIDE_PAGES:
        n = b[f"guide_first_visit:{g}"]
        print(f"bytes, first visit to guide {g:22} {n:>11,} ({n / mib:.2f} MiB)")
    print("guide pages fetch a Pyodide file: " + ("YES" if result["guide_page_touches_runtime"] else "no"))
    print(f"bytes, calculator page until first result:   {b['calc_first_result']:>11,} ({b['calc_first_result'] / mib:.2f} MiB)")
    print(f"bytes, calculator page incl. offline copy:   {b['calc_first_visit_offline_copy']:>11,}"
          f" ({b['calc_first_visit_offline_copy'] / mib:.2f} MiB)")
    print(f"main-thread long tasks until first result: calculator {lt['calc_cold']['count']} "
          f"(total {lt['calc_cold']['total_ms']} ms, longest {lt['calc_cold']['max_ms']} ms); "
          f"bare page {lt['bare_cold']['count']} (total {lt['bare_cold']['total_ms']} ms, longest {lt['bare_cold']['max_ms']} ms)")
    print(f"targets: ratio <= 1.10 cold and warm: {'met' if max(r.values()) <= 1.10 else 'NOT met'}; "
          f"guide page <= 1 MiB without Pyodide: "
          + ", ".join(f"{g} {'met' if b[f'guide_first_visit:{g}'] <= mib else 'NOT met'}" for g in GUIDE_PAGES)
          + ("" if not result["guide_page_touches_runtime"] else " (a guide page touched Pyodide!)"))
    if result["calc_cold_milestones_median_ms"]:
        print("calculator cold start, ms after navigation: " + ", ".join(
            f"{k} {v:.0f}" for k, v in result["calc_cold_milestones_median_ms"].items()))
    print(f"(written to {out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
