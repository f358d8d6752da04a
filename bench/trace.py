"""Where a calculator visit's time goes, from Chromium's own trace (not part of the tests).

``main PAGE [--cpu 4]``: one first visit in a fresh context, with the CPU slowed as
Lighthouse's mobile setting is; prints the main thread's tasks over 50 ms with what ran
in them, and the script time per file (the site's own files against the theme's bundle).

``warm [--visits 3]``: visits in one on-disk profile, the browser restarted between them;
for each, the time to first result, the worker's milestones, the counts of V8's wasm
cache and compile events (is the compiled wasm cached between visits?), and the
worker's CPU time by function (sampled profile).

Usage: .venv/bin/python bench/trace.py main calculator/registration/
       .venv/bin/python bench/trace.py warm --visits 3
Served as bench/host.py serves the site (gzip, the S3 target's cache headers).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import host  # noqa: E402
import run  # noqa: E402
from sitebuild import devserver  # noqa: E402

TIMELINE = ["devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-v8.cpu_profiler",
            "v8.execute", "v8.wasm", "disabled-by-default-v8.wasm.detailed", "v8", "blink", "loading"]
WASM_EVENTS = ("v8.wasm.", "wasm.StartStreamingCompilation", "wasm.CompileLazy", "wasm.SyncCompile",
               "wasm.TopTierCompilation")


def traced(context, page, go) -> list[dict]:
    """Runs ``go()`` under a Chromium trace of the whole browser; returns its events."""
    cdp = context.new_cdp_session(page)
    events, done = [], []
    cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
    cdp.on("Tracing.tracingComplete", lambda e: done.append(True))
    cdp.send("Tracing.start", {"traceConfig": {"includedCategories": TIMELINE}, "transferMode": "ReportEvents"})
    go(cdp)
    cdp.send("Tracing.end")
    while not done:
        page.wait_for_timeout(100)
    return events


def threads(events, name: str) -> list[tuple]:
    return [(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e["name"] == "thread_name" and e["args"]["name"] == name]


def spans(events, thread) -> list[dict]:
    return [e for e in events if (e["pid"], e["tid"]) == thread and e.get("ph") == "X"]


def script_of(e) -> str:
    url = str(e.get("args", {}).get("data", {}).get("url", ""))
    return url.rsplit("/", 1)[-1] if url.startswith("http") else ""


def cpu_by_function(events, thread, top=15) -> list[tuple[float, str]]:
    """Self time per function on ``thread`` from the sampled profile, in ms."""
    pid, tid = thread
    ids = {e["id"] for e in events if e["name"] == "Profile" and e["pid"] == pid and e["tid"] == tid}
    nodes, samples, deltas = {}, [], []
    for c in sorted((e for e in events if e["name"] == "ProfileChunk" and e["pid"] == pid and e.get("id") in ids),
                    key=lambda e: e["ts"]):
        data = c["args"]["data"]
        for n in data.get("cpuProfile", {}).get("nodes", []):
            nodes[n["id"]] = n
        samples += data.get("cpuProfile", {}).get("samples", [])
        deltas += data.get("timeDeltas", [])
    spent = collections.Counter()
    for s, dt in zip(samples, deltas[1:] + [0]):
        frame = nodes[s]["callFrame"]
        spent[f"{frame.get('functionName') or '(anonymous)'} {frame.get('url', '').rsplit('/', 1)[-1]}"] += dt / 1000
    return [(round(ms, 1), fn) for fn, ms in spent.most_common() if not fn.startswith("(idle)")][:top]


def main_thread(server, rel: str, cpu: float) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = devserver.launch(pw)
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, bypass_csp=True)
        page = ctx.new_page()

        def go(cdp):
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
            page.goto(server.url + rel)
            if rel.startswith("calculator/"):
                devserver.wait_for(page, f"performance.getEntriesByName('{run.MARK}').length > 0", timeout=240_000)
            page.wait_for_timeout(2000)

        events = traced(ctx, page, go)
        browser.close()
    for thread in threads(events, "CrRendererMain"):
        ev = spans(events, thread)
        tasks = [e for e in ev if e["name"] == "RunTask" and e.get("dur", 0) > 50_000]
        if not tasks:
            continue
        print(f"main thread: {len(tasks)} tasks over 50 ms (CPU slowed {cpu}×)")
        for t in sorted(tasks, key=lambda e: e["ts"]):
            inside = [e for e in ev if t["ts"] <= e["ts"] < t["ts"] + t["dur"] and e["name"] != "RunTask"]
            scripts = sorted({script_of(e) for e in inside if script_of(e)})
            top = max((e for e in inside if e.get("dur")), key=lambda e: e["dur"], default=None)
            print(f"  {t['dur'] / 1000:6.0f} ms  {top['name'] if top else ''}  {', '.join(scripts)}")
        per_script = collections.Counter()
        longest = collections.Counter()
        for e in ev:
            if e["name"] in ("FunctionCall", "EvaluateScript", "v8.evaluateModule") and script_of(e):
                per_script[script_of(e)] += e["dur"] / 1000
                longest[script_of(e)] = max(longest[script_of(e)], e["dur"] / 1000)
        print("script time per file (total / longest call, ms):")
        for f, ms in per_script.most_common():
            print(f"  {ms:7.1f} / {longest[f]:6.1f}  {f}")


def warm(server, visits: int) -> None:
    from playwright.sync_api import sync_playwright

    url = server.url + run.CALC_PAGE + run.CALC_QUERY
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="shegong-trace-") as d:
        for v in range(visits):
            ctx, page = run.on_disk(pw, d)
            out = {}

            def go(cdp):
                out["ms"] = run.first_result_ms(page, url)
                out["milestones"] = run.breakdown(page)
                if v == 0:
                    run.settle(page, "calc")
                page.wait_for_timeout(4000)  # time for V8 to tier up and write a code cache

            events = traced(ctx, page, go)
            ctx.close()
            counts = collections.Counter(e["name"] for e in events if e["name"].startswith(WASM_EVENTS))
            print(f"visit {v + 1}: first result {out['ms']:.0f} ms; {out['milestones']}")
            print(f"  wasm events: {dict(sorted(counts.items()))}")
            worker = [t for t in threads(events, "DedicatedWorker thread")
                      if any(e["name"] == "wasm.StartStreamingCompilation" for e in spans(events, t))]
            if worker:
                print("  worker CPU by function (ms): " + "; ".join(f"{ms} {fn}" for ms, fn in cpu_by_function(events, worker[0])))
            time.sleep(2)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["main", "warm"])
    ap.add_argument("page", nargs="?", default=run.CALC_PAGE)
    ap.add_argument("--cpu", type=float, default=4.0)
    ap.add_argument("--visits", type=int, default=3)
    ap.add_argument("--site", default=os.environ.get("SHEGONG_SITE_DIR", str(ROOT / "site")))
    args = ap.parse_args(argv)
    run.Handler.bare = run.bare_page()
    server, _ = host.serve(Path(args.site), run.Handler)
    try:
        if args.what == "main":
            main_thread(server, args.page, args.cpu)
        else:
            warm(server, args.visits)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
