"""Performance benchmark of the calculator (``make bench``; not part of the tests).

Serves the built site on 127.0.0.1 as a static host would (bench/host.py: gzip by
Content-Type, the S3 target's cache headers) and drives headless Chromium. Reports the
median of interleaved runs of:

* time to first result on the 登记期限 page, next to a bare page that loads stock Pyodide
  (its own runtime files, from node_modules, served the same way) and runs ``1+1``, with
  their ratios, under three network profiles (bench/host.py: localhost, 4G, slow 4G,
  emulated by Chromium through a CDP session):
  - cold: a new browser context (nothing cached);
  - warm: the same context again; the calculator restores from its memory snapshot;
  and the bytes on the wire (counted by the server, headers included) until the first
  result;
* the same cold and warm visits in on-disk profiles (``launch_persistent_context``): the
  browser is closed after the first visit and started again on the same profile for the
  second, about 8 s after the first began, so the disk cache and V8's code cache count;
* the same calculator page with Pyodide's own standard library instead of the site's
  bytecode zip (sitebuild/node/build_stdlib.mjs), to show what that zip is worth;
* making and storing the snapshot (the worker's own report), and its size; reading it
  back raw or gzipped with (De)CompressionStream, and hashing it;
* bytes on the wire for a first visit to a guide page and to a calculator page;
* the main thread's long tasks during start-up;
* Lighthouse (npm package, pinned) on a home page, a guide and a calculator, mobile
  defaults; its reports are written beside bench.json;
* the team page with 1,000 workers and the command line with 100,000 rows (bench/team.py);
* a second host model, the mirror (bench/host.py MirrorHandler: each file as
  sitebuild/publish_s3.py stores it for an https address, brotli for the engine), with the
  calculator and the bare page both served by it, interleaved with the gzip host's runs on
  localhost and on slow 4G: ``mirror_calc`` / ``mirror_bare``. ``--mirror-only`` runs just
  those two profiles (gzip host and mirror, calculator and bare page, interleaved).

Usage: .venv/bin/python bench/run.py [--site DIR] [--runs 5] [--net-runs 3] [--disk-runs 3]
       [--json OUT] [--no-lighthouse] [--mirror-only]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
import json
import os
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
# The same browser as the tests; the server models a static host.
import host  # noqa: E402
import team as team_bench  # noqa: E402
from sitebuild import devserver  # noqa: E402

CALC_PAGE = "calculator/registration/"
# Forms start empty (issue 22): the measured visit follows a link with values, so the page
# computes at once, as it did when it opened with an example.
CALC_QUERY = "?level=%E7%A4%BE%E4%BC%9A%E5%B7%A5%E4%BD%9C%E5%B8%88&passed_on=2024-09-10"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
STOCK = "/__bench__/pyodide/"  # stock Pyodide files, served from node_modules
# A plain guide page, and the one guide page with a diagram (drawn ahead of time, inline SVG).
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


def bare_page() -> bytes:
    """The baseline: stock Pyodide, as its npm package ships it, then 1+1."""
    return f"""<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module">
import {{ loadPyodide }} from "{STOCK}pyodide.mjs";
const py = await loadPyodide({{ indexURL: "{STOCK}" }});
py.runPython("1+1");
performance.mark("{MARK}");
</script></html>""".encode()


def bare_worker_page() -> bytes:
    """The same baseline in a module Web Worker, as the calculator runs it."""
    return f"""<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>bare Pyodide, worker</title>
<script>
const stock = location.origin + "{STOCK}";
const code = `import {{ loadPyodide }} from "${{stock}}pyodide.mjs";
const py = await loadPyodide({{ indexURL: "${{stock}}" }});
postMessage(String(py.runPython("1+1")));`;
const src = URL.createObjectURL(new Blob([code], {{type: "text/javascript"}}));
new Worker(src, {{type: "module"}}).onmessage = () => performance.mark("{MARK}");
</script></html>""".encode()


# The calculator page again, told to use Pyodide's own stdlib (and a snapshot key of its
# own, so the two variants never restore each other's snapshot).
STOCK_PREFIX = "/__bench__/stock-stdlib/"


def stock_stdlib_page(html: bytes) -> bytes:
    text = html.decode()
    # The page's configuration, a JSON script (sitebuild/calculator_pages.py).
    m = re.search(r'<script type="application/json" id="sg-config">(.*?)</script>', text, re.S)
    cfg = json.loads(m.group(1))
    cfg["stdlib"] = STOCK + "python_stdlib.zip"
    cfg["snapshot"] += "-stock-stdlib"
    return (text[:m.start(1)] + json.dumps(cfg, ensure_ascii=False) + text[m.end(1):]).encode()


# Reads the stored snapshot back as it is stored (uncompressed, checked with SHA-256) and
# as it could have been stored (gzipped with CompressionStream), in the page: the
# figures behind storing it uncompressed.
COMPRESSION = """async () => {
    const c = await caches.open('shegong-snapshot');
    const [req] = await c.keys();
    let t = performance.now();
    const raw = new Uint8Array(await (await c.match(req)).arrayBuffer());
    const read_raw_ms = performance.now() - t;
    t = performance.now();
    await crypto.subtle.digest('SHA-256', raw);
    const sha256_ms = performance.now() - t;
    t = performance.now();
    const gz = await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    const gzip_ms = performance.now() - t;
    const tmp = await caches.open('bench-gz');
    await tmp.put('/__bench__/gz', new Response(gz));
    t = performance.now();
    const res = await tmp.match('/__bench__/gz');
    const back = await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
    const read_gunzip_ms = performance.now() - t;
    await caches.delete('bench-gz');
    if (back.byteLength !== raw.byteLength) throw new Error('gzip round trip changed the size');
    return {raw_bytes: raw.byteLength, read_raw_ms, sha256_ms, gzip_bytes: gz.byteLength, gzip_ms, read_gunzip_ms};
}"""






class Handler(host.HostHandler):
    bare: bytes

    def do_GET(self):  # noqa: N802
        with self.counter.lock:
            self.counter.paths.append(self.path)
        path = self.path.split("?", 1)[0]
        if path == "/__bench__/bare.html":
            return self.send_body(self.bare, "text/html; charset=utf-8")
        if path == "/__bench__/bare-worker.html":
            return self.send_body(bare_worker_page(), "text/html; charset=utf-8")
        if path.startswith(STOCK) and "/" not in path[len(STOCK):]:
            f = NODE_PYODIDE / path[len(STOCK):]
            if f.is_file():
                # Served as the site's own runtime is: a versioned path.
                return self.send_file(f, "assets/pyodide/0.0/" + f.name)
        if path.startswith(STOCK_PREFIX):
            rest = path[len(STOCK_PREFIX):]
            if rest == CALC_PAGE:
                return self.send_body(stock_stdlib_page((self.site / CALC_PAGE / "index.html").read_bytes()),
                                      "text/html; charset=utf-8")
            self.path = "/" + rest
            return super().do_GET()
        return super().do_GET()


class MirrorRunHandler(Handler, host.MirrorHandler):
    """The bench's pages (the bare page, stock Pyodide) on the mirror model."""


# Each measured page's baseline: the bare page served by the same host.
BASELINE = {"calc": "bare", "stock": "bare", "mirror_calc": "mirror_bare"}


def emulate(context, page, profile: host.Profile):
    """The profile's network for everything ``page`` fetches, its Web Worker included."""
    if not profile.down_bps:
        return
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False,
        "latency": profile.rtt_ms,
        "downloadThroughput": profile.down_bps / 8,
        # Lighthouse's upload for both: requests are small.
        "uploadThroughput": 750_000 / 8,
    })


def first_result_ms(page, url: str) -> float:
    page.goto(url, timeout=180_000)
    devserver.wait_for(page, f"performance.getEntriesByName('{MARK}').length > 0", timeout=240_000)
    return page.evaluate(f"performance.getEntriesByName('{MARK}')[0].startTime")


def breakdown(page) -> dict:
    """Milestones of a calculator start-up on the page's clock (ms since navigation)."""
    return page.evaluate(
        """() => {
            const t = window.shegongCalculator && window.shegongCalculator.timings;
            if (!t || !t.worker) return null;
            const out = {worker_created: Math.round(t.worker_created)};
            for (const k of ['pyodide_imported', 'snapshot_read', 'snapshot_verified', 'pyodide_loaded',
                             'rules_imported', 'snapshot_made']) {
                if (k in t.worker) out[k] = Math.round(t.worker.origin + t.worker[k] - performance.timeOrigin);
            }
            out.first_result = Math.round(performance.getEntriesByName('shegong:first-result')[0].startTime);
            return out;
        }"""
    )


def long_tasks(page, until_ms: float) -> dict:
    tasks = page.evaluate("window.__longtasks || []")
    during = [d for (s, d) in tasks if s <= until_ms]
    return {"count": len(during), "total_ms": round(sum(during), 1), "max_ms": round(max(during, default=0), 1)}


def wait_offline_copy(page):
    devserver.wait_for(page, "window.shegongCalculator && window.shegongCalculator.offlineReady", timeout=240_000)
    return page.evaluate("window.shegongCalculator.offlineReady")


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def settle(page, name):
    """After a first visit: what the page stores for the next one (snapshot, offline copy)."""
    if name in ("calc", "stock", "mirror_calc"):
        # Waited for, so the service worker's offline copy is not counted as the next
        # visit's bytes.
        page.evaluate("shegongCalculator.snapshotStored")
        wait_offline_copy(page)
    else:
        page.wait_for_timeout(500)


def memory_profile(browser, counter, urls, profile, names, runs, extra):
    """Cold then warm visits in fresh in-memory contexts, interleaved; ``extra`` collects
    the localhost-only figures."""
    samples = {f"{n}_{k}": [] for n in names for k in ("cold", "warm")}
    wire = {f"{n}_{k}": [] for n in names for k in ("cold", "warm")}

    def ctx():
        c = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, bypass_csp=True)
        c.add_init_script(LONGTASKS)
        return c

    for i in range(runs):
        order = names[i % len(names):] + names[: i % len(names)]
        contexts = {}
        for name in order:
            c = contexts[name] = ctx()
            p = c.new_page()
            emulate(c, p, profile)
            counter.reset()
            ms = first_result_ms(p, urls[name])
            wire[f"{name}_cold"].append(counter.bytes)
            samples[f"{name}_cold"].append(ms)
            if extra is not None:
                if name in ("calc", "bare"):
                    extra["tasks"][f"{name}_cold"].append(long_tasks(p, ms))
                if name == "calc":
                    extra["milestones"]["cold"].append(breakdown(p))
                    extra["started"]["calc_cold"].append(p.evaluate("shegongCalculator.started().start"))
                    extra["snapshot"].append(p.evaluate("shegongCalculator.snapshotStored"))
            settle(p, name)
            if extra is not None and name == "calc":
                extra["bytes"]["calc_first_visit_offline_copy"].append(counter.bytes)
            p.close()
        for name in order:
            p = contexts[name].new_page()
            emulate(contexts[name], p, profile)
            counter.reset()
            samples[f"{name}_warm"].append(first_result_ms(p, urls[name]))
            wire[f"{name}_warm"].append(counter.bytes)
            if extra is not None:
                if name in ("calc", "stock"):
                    extra["started"][f"{name}_warm"].append(p.evaluate("shegongCalculator.started().start"))
                if name == "calc":
                    extra["milestones"]["warm"].append(breakdown(p))
                    extra["compression"].append(p.evaluate(COMPRESSION))
            p.close()
        for c in contexts.values():
            c.close()
        print(f"{profile.name} run {i + 1}/{runs}: " + ", ".join(
            f"{k} {v[-1]:.0f} ms" for k, v in samples.items()), file=sys.stderr)
    return summarize(samples, wire, names)


def summarize(samples, wire, names):
    t = {k: round(med(v)) for k, v in samples.items()}
    out = {"time_to_first_result_ms": t,
           "bytes_on_the_wire": {k: int(med(v)) for k, v in wire.items()},
           "samples_ms": {k: [round(x) for x in v] for k, v in samples.items()},
           "ratio_to_bare": {}}
    for n in names:
        if n not in BASELINE:
            continue
        base = BASELINE[n]
        for k in ("cold", "warm"):
            out["ratio_to_bare"][f"{n}_{k}"] = round(t[f"{n}_{k}"] / t[f"{base}_{k}"], 3)
            if "bareworker" in names and base == "bare":
                out["ratio_to_bare"][f"{n}_{k}_worker"] = round(t[f"{n}_{k}"] / t[f"bareworker_{k}"], 3)
        out["ratio_to_bare"][f"{n}_cold_bytes"] = round(
            out["bytes_on_the_wire"][f"{n}_cold"] / out["bytes_on_the_wire"][f"{base}_cold"], 3)
    return out


def on_disk(pw, profile_dir):
    """The browser on the on-disk profile ``profile_dir`` (a reader's own, kept between
    visits), and its page."""
    c = pw.chromium.launch_persistent_context(
        profile_dir, executable_path=devserver.CHROMIUM, args=devserver.CHROMIUM_ARGS, headless=True,
        locale="zh-CN", viewport={"width": 390, "height": 844}, bypass_csp=True)
    return c, (c.pages[0] if c.pages else c.new_page())


def disk_profile(pw, counter, urls, names, runs, gap_s=8.0):
    """Cold and warm visits in fresh on-disk profiles: the browser quits after the first
    visit and starts again on the same profile for the second, ``gap_s`` after the first
    began, as a reader comes back."""
    samples = {f"{n}_{k}": [] for n in names for k in ("cold", "warm")}
    wire = {f"{n}_{k}": [] for n in names for k in ("cold", "warm")}
    milestones, started = [], []

    for i in range(runs):
        order = names[i % len(names):] + names[: i % len(names)]
        for name in order:
            with tempfile.TemporaryDirectory(prefix="shegong-bench-profile-") as d:
                c, p = on_disk(pw, d)
                t0 = time.monotonic()
                counter.reset()
                samples[f"{name}_cold"].append(first_result_ms(p, urls[name]))
                wire[f"{name}_cold"].append(counter.bytes)
                settle(p, name)
                c.close()
                time.sleep(max(0.0, gap_s - (time.monotonic() - t0)))
                c, p = on_disk(pw, d)
                counter.reset()
                samples[f"{name}_warm"].append(first_result_ms(p, urls[name]))
                wire[f"{name}_warm"].append(counter.bytes)
                if name == "calc":
                    milestones.append(breakdown(p))
                    started.append(p.evaluate("shegongCalculator.started().start"))
                c.close()
        print(f"on-disk run {i + 1}/{runs}: " + ", ".join(
            f"{k} {v[-1]:.0f} ms" for k, v in samples.items()), file=sys.stderr)
    out = summarize(samples, wire, names)
    out["calc_warm_started"] = started
    out["calc_warm_milestones_median_ms"] = (
        {k: med(x.get(k) for x in milestones if x) for k in (milestones[0] or {})} if milestones and milestones[0] else None)
    return out


LIGHTHOUSE_PAGES = {"home": "", "guide": "registration/first/", "calculator": CALC_PAGE}


def lighthouse(base: str, out_dir: Path, pages: dict = LIGHTHOUSE_PAGES, tag: str = "") -> dict:
    """Lighthouse's mobile defaults (simulated slow 4G, a mid-range phone's CPU) on each
    page kind, with Debian's Chromium; the reports are kept beside bench.json."""
    cli = ROOT / "node_modules" / ".bin" / "lighthouse"
    flags = " ".join(devserver.CHROMIUM_ARGS + ["--headless=new"])
    out = {}
    for kind, path in pages.items():
        report = out_dir / f"lighthouse-{kind}{tag}.json"
        res = subprocess.run(
            [str(cli), base + path, "--quiet", "--output=json", f"--output-path={report}",
             f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"],
            env={**os.environ, "CHROME_PATH": devserver.CHROMIUM}, capture_output=True, text=True, timeout=600)
        if res.returncode != 0 or not report.exists():
            out[kind] = {"error": (res.stderr or res.stdout)[-2000:]}
            continue
        lhr = json.loads(report.read_text())
        audits = lhr["audits"]
        out[kind] = {
            "url_path": path,
            "scores": {k: v["score"] for k, v in lhr["categories"].items()},
            "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
            "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
            "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
            "speed_index_ms": round(audits["speed-index"]["numericValue"]),
            "cumulative_layout_shift": round(audits["cumulative-layout-shift"]["numericValue"], 3),
            "lighthouse": lhr["lighthouseVersion"],
        }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=os.environ.get("SHEGONG_SITE_DIR", str(ROOT / "site")))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--net-runs", type=int, default=3)
    ap.add_argument("--disk-runs", type=int, default=3)
    ap.add_argument("--json", default=str(ROOT / "bench-results" / "bench.json"))
    ap.add_argument("--no-lighthouse", action="store_true")
    ap.add_argument("--mirror-only", action="store_true",
                    help="only the gzip host against the mirror, localhost and slow 4G")
    args = ap.parse_args(argv)
    site = Path(args.site)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)

    Handler.bare = bare_page()
    server, counter = host.serve(site, Handler)
    # The same counter: the two hosts are measured in turn, never at once.
    mirror, _ = host.serve(site, MirrorRunHandler, counter)
    base = server.url
    urls = {
        "calc": base + CALC_PAGE + CALC_QUERY,
        "stock": base + STOCK_PREFIX.lstrip("/") + CALC_PAGE + CALC_QUERY,
        "bare": base + "__bench__/bare.html",
        "bareworker": base + "__bench__/bare-worker.html",
        "mirror_calc": mirror.url + CALC_PAGE + CALC_QUERY,
        "mirror_bare": mirror.url + "__bench__/bare.html",
    }
    if args.mirror_only:
        return mirror_only(args, urls, counter, out, [server, mirror])
    extra = {
        "tasks": {"calc_cold": [], "bare_cold": []},
        "milestones": {"cold": [], "warm": []},
        "started": {"calc_cold": [], "calc_warm": [], "stock_warm": []},
        "snapshot": [], "compression": [],
        "bytes": {"calc_first_visit_offline_copy": []},
    }
    guides = {g: [] for g in GUIDE_PAGES}
    guide_touches_runtime = []
    load = {"start": os.getloadavg()}

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = devserver.launch(pw)
        # Warm the OS file cache and the server's gzip cache once; not counted.
        for url in urls.values():
            c = browser.new_context(bypass_csp=True); first_result_ms(c.new_page(), url); c.close()
        profiles = {"localhost": memory_profile(browser, counter, urls, host.LOCAL,
                                                ["calc", "stock", "bare", "bareworker", *MIRROR], args.runs, extra)}
        for key in ("4g", "slow4g"):
            p = host.PROFILES[key]
            names = ["calc", "bare", *MIRROR] if key == "slow4g" else ["calc", "bare"]
            profiles[p.name] = memory_profile(browser, counter, urls, p, names, args.net_runs, None)
        for _ in range(args.runs):
            # A first visit to a guide page: everything until the network is idle and
            # the service worker has installed.
            for guide in GUIDE_PAGES:
                c = browser.new_context(bypass_csp=True)
                p = c.new_page()
                counter.reset()
                p.goto(base + guide)
                p.wait_for_load_state("networkidle")
                p.evaluate("navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : true")
                p.wait_for_timeout(1000)
                guides[guide].append(counter.bytes)
                guide_touches_runtime.append(any("pyodide" in q or "worker.mjs" in q for q in counter.paths))
                c.close()
        browser.close()
        disk = disk_profile(pw, counter, urls, ["calc", "bare"], args.disk_runs)
    load["after_browser_runs"] = os.getloadavg()
    lh = None if args.no_lighthouse else lighthouse(base, out.parent)
    load["end"] = os.getloadavg()
    server.shutdown()
    mirror.shutdown()

    snapshot, compression, tasks = extra["snapshot"], extra["compression"], extra["tasks"]
    result = {
        "runs": {"localhost": args.runs, "network": args.net_runs, "on_disk": args.disk_runs},
        "load_average": {k: [round(x, 2) for x in v] for k, v in load.items()},
        "profiles": profiles,
        "on_disk": disk,
        "started": extra["started"],
        "snapshot": {
            "bytes": med(r.get("bytes") for r in snapshot),
            "stored_bytes": med(r.get("stored_bytes") for r in snapshot),
            "make_ms": med(r.get("make_ms") for r in snapshot),
            "store_ms": med(r.get("store_ms") for r in snapshot),
            "stored": [bool(r.get("stored")) for r in snapshot],
        },
        "snapshot_compression": {k: round(med(r[k] for r in compression), 1) for k in compression[0]},
        "bytes": {
            "calc_first_result": profiles["localhost"]["bytes_on_the_wire"]["calc_cold"],
            "calc_first_visit_offline_copy": int(med(extra["bytes"]["calc_first_visit_offline_copy"])),
            **{f"guide_first_visit:{g}": int(med(v)) for g, v in guides.items()},
        },
        "guide_page_touches_runtime": any(guide_touches_runtime),
        "long_tasks_until_first_result": {
            k: {
                "count": med(t["count"] for t in v),
                "total_ms": med(t["total_ms"] for t in v),
                "max_ms": med(t["max_ms"] for t in v),
            }
            for k, v in tasks.items()
        },
        "calc_milestones_median_ms": {
            kind: {k: med(x.get(k) for x in ms if x) for k in (ms[0] or {})} if ms and ms[0] else None
            for kind, ms in extra["milestones"].items()
        },
        "lighthouse": lh,
    }
    # The team page and `python -m shegong batch` at scale (bench/team.py), after the rest,
    # so that its CPU-heavy command line run disturbs no other figure.
    result["team"] = team_bench.measure(site, args.runs, 100_000)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    report(result, out)
    team_bench.report(result["team"])
    return 0


MIRROR = ["mirror_calc", "mirror_bare"]


def mirror_only(args, urls, counter, out: Path, servers) -> int:
    """The gzip host and the mirror, calculator and bare page, interleaved: localhost
    (time and bytes) and slow 4G (time)."""
    load = {"start": os.getloadavg()}
    names = ["calc", "bare", *MIRROR]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = devserver.launch(pw)
        for name in names:  # the OS file cache and the hosts' compression caches; not counted
            c = browser.new_context(bypass_csp=True); first_result_ms(c.new_page(), urls[name]); c.close()
        profiles = {"localhost": memory_profile(browser, counter, urls, host.LOCAL, names, args.runs, None)}
        load["after_localhost"] = os.getloadavg()
        profiles["slow 4G"] = memory_profile(browser, counter, urls, host.SLOW_4G, names, args.net_runs, None)
        browser.close()
    load["end"] = os.getloadavg()
    for s in servers:
        s.shutdown()
    result = {"runs": {"localhost": args.runs, "network": args.net_runs}, "mirror_only": True,
              "load_average": {k: [round(x, 2) for x in v] for k, v in load.items()}, "profiles": profiles}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    report_hosts(result)
    print(f"(written to {out})")
    return 0


def report_hosts(result: dict) -> None:
    """The gzip host and the mirror side by side: first-visit bytes and times, each page
    against the bare page served by the same host."""
    print(f"\nload average (1, 5, 15 min): {result['load_average']}")
    print(f"{'profile':10}{'host':8}{'visit':6}{'calculator':>12}{'bare':>10}{'ratio':>7}{'calc bytes':>13}{'bare bytes':>13}{'ratio':>7}")
    for name, pr in result["profiles"].items():
        t, w, r = pr["time_to_first_result_ms"], pr["bytes_on_the_wire"], pr["ratio_to_bare"]
        for hname, calc, bare in (("gzip", "calc", "bare"), ("mirror", "mirror_calc", "mirror_bare")):
            if f"{calc}_cold" not in t:
                continue
            for k in ("cold", "warm"):
                print(f"{name:10}{hname:8}{k:6}{t[f'{calc}_{k}']:>9} ms{t[f'{bare}_{k}']:>7} ms{r[f'{calc}_{k}']:>7.2f}"
                      f"{w[f'{calc}_{k}']:>13,}{w[f'{bare}_{k}']:>13,}{w[f'{calc}_{k}'] / max(1, w[f'{bare}_{k}']):>7.2f}")


def report(result: dict, out: Path) -> None:
    mib = 1024 * 1024
    print("\n社工证书指南 benchmark — medians of interleaved runs, headless Chromium, site served gzipped")
    print(f"load average (1, 5, 15 min): {result['load_average']}")
    print(f"{'profile':12}{'visit':6}{'calculator':>12}{'bare':>10}{'ratio':>7}{'calc bytes':>13}{'bare bytes':>13}{'ratio':>7}")
    rows = [(name, pr) for name, pr in result["profiles"].items()] + [("on-disk", result["on_disk"])]
    for name, pr in rows:
        t, w, r = pr["time_to_first_result_ms"], pr["bytes_on_the_wire"], pr["ratio_to_bare"]
        for k in ("cold", "warm"):
            print(f"{name:12}{k:6}{t['calc_' + k]:>9} ms{t['bare_' + k]:>7} ms{r['calc_' + k]:>7.2f}"
                  f"{w['calc_' + k]:>13,}{w['bare_' + k]:>13,}{w['calc_' + k] / max(1, w['bare_' + k]):>7.2f}")
    loc = result["profiles"]["localhost"]
    t, r = loc["time_to_first_result_ms"], loc["ratio_to_bare"]
    print(f"localhost, calculator with Pyodide's stock stdlib: cold {t['stock_cold']} ms ({r['stock_cold']:.2f}), "
          f"warm {t['stock_warm']} ms ({r['stock_warm']:.2f}); bare Pyodide in a module worker: cold "
          f"{t['bareworker_cold']} ms, warm {t['bareworker_warm']} ms (calculator ÷ it: {r['calc_cold_worker']:.2f} / "
          f"{r['calc_warm_worker']:.2f})")
    sn, cz, b, lt = result["snapshot"], result["snapshot_compression"], result["bytes"], result["long_tasks_until_first_result"]
    print(f"how the calculator started, warm: {', '.join(result['started']['calc_warm'])}; "
          f"on disk: {', '.join(result['on_disk']['calc_warm_started'])}")
    print(f"snapshot: heap {sn['bytes']:,} bytes, stored without zero pages {sn['stored_bytes']:,} bytes; "
          f"made in {sn['make_ms']} ms, stored in {sn['store_ms']} ms (after the first result)")
    print(f"snapshot as stored: read {cz['read_raw_ms']} ms + SHA-256 {cz['sha256_ms']} ms; "
          f"if gzipped {cz['gzip_bytes']:,} bytes, gzip {cz['gzip_ms']} ms, read + gunzip {cz['read_gunzip_ms']} ms")
    for g in GUIDE_PAGES:
        n = b[f"guide_first_visit:{g}"]
        print(f"bytes, first visit to guide {g:22} {n:>11,} ({n / mib:.2f} MiB)")
    print("guide pages fetch a Pyodide file: " + ("YES" if result["guide_page_touches_runtime"] else "no"))
    print(f"bytes, calculator page incl. offline copy: {b['calc_first_visit_offline_copy']:>11,}")
    print(f"main-thread long tasks until first result (localhost): calculator {lt['calc_cold']['count']} "
          f"(total {lt['calc_cold']['total_ms']} ms, longest {lt['calc_cold']['max_ms']} ms); "
          f"bare page {lt['bare_cold']['count']} (longest {lt['bare_cold']['max_ms']} ms)")
    for kind, ms in result["calc_milestones_median_ms"].items():
        if ms:
            print(f"calculator {kind} start, ms after navigation: " + ", ".join(f"{k} {v:.0f}" for k, v in ms.items()))
    ms = result["on_disk"]["calc_warm_milestones_median_ms"]
    if ms:
        print("calculator warm start on disk, ms after navigation: " + ", ".join(f"{k} {v:.0f}" for k, v in ms.items()))
    for kind, lh in (result["lighthouse"] or {}).items():
        if "error" in lh:
            print(f"lighthouse {kind}: FAILED {lh['error'][-300:]}")
        else:
            print(f"lighthouse {kind} ({lh['url_path'] or '/'}): " + ", ".join(f"{k} {v}" for k, v in lh["scores"].items())
                  + f"; TBT {lh['total_blocking_time_ms']} ms, LCP {lh['largest_contentful_paint_ms']} ms")
    report_hosts(result)
    ok = lambda cond: "met" if cond else "NOT met"  # noqa: E731
    print("targets: " + "; ".join(
        f"{name} cold {pr['ratio_to_bare']['calc_cold']:.2f} <= 0.8 {ok(pr['ratio_to_bare']['calc_cold'] <= 0.8)}"
        for name, pr in result["profiles"].items() if name != "localhost")
        + f"; bytes {loc['ratio_to_bare']['calc_cold_bytes']:.2f} <= 0.70 {ok(loc['ratio_to_bare']['calc_cold_bytes'] <= 0.7)}"
        + f"; on-disk warm {result['on_disk']['ratio_to_bare']['calc_warm']:.2f} <= 0.3 "
        f"{ok(result['on_disk']['ratio_to_bare']['calc_warm'] <= 0.3)}")
    print(f"(written to {out})")


if __name__ == "__main__":
    raise SystemExit(main())
