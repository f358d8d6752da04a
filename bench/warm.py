"""A returning reader's calculator visit, compared between builds (not part of the tests).

For each build, in turn, many times: a fresh on-disk profile (``launch_persistent_context``)
makes a first visit to the 登记期限 page and keeps its offline copy; the browser quits and
starts again on the same profile; the second visit's time to first result and the worker's
milestones are recorded. Builds are interleaved run by run, each served as a static host
would (bench/host.py), so a busy machine slows them alike. Prints the medians and the
ratio of each build to the first.

``--visit first`` measures the first visit instead (a fresh profile each time, nothing
cached), and ``--net slow4g`` (or ``4g``) emulates that network for the measured visit.

Usage: .venv/bin/python bench/warm.py [--runs 7] [--gap 2] [--visit warm|first] [--net local|4g|slow4g]
       SITE_DIR [SITE_DIR ...]
(a build of another commit: ``git worktree add /tmp/old REV && make -C /tmp/old site``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import host  # noqa: E402
import run  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sites", nargs="+")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--gap", type=float, default=2.0, help="seconds between the two visits")
    ap.add_argument("--visit", choices=["warm", "first"], default="warm")
    ap.add_argument("--net", choices=sorted(host.PROFILES), default="local")
    args = ap.parse_args(argv)
    profile = host.PROFILES[args.net]
    run.Handler.bare = run.bare_page()
    servers = [host.serve(Path(s), run.Handler)[0] for s in args.sites]
    times = [[] for _ in servers]
    milestones = [[] for _ in servers]

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        for i in range(args.runs):
            order = list(range(len(servers)))
            order = order[i % len(order):] + order[:i % len(order)]
            for k in order:
                url = servers[k].url + run.CALC_PAGE + run.CALC_QUERY
                with tempfile.TemporaryDirectory(prefix="shegong-warm-") as d:
                    c, page = run.on_disk(pw, d)
                    if args.visit == "warm":
                        run.first_result_ms(page, url)
                        run.settle(page, "calc")
                        c.close()
                        time.sleep(args.gap)
                        c, page = run.on_disk(pw, d)
                    run.emulate(c, page, profile)
                    times[k].append(run.first_result_ms(page, url))
                    milestones[k].append(run.breakdown(page))
                    c.close()
            print(f"run {i + 1}/{args.runs}: " + ", ".join(f"{round(times[k][-1])} ms" for k in range(len(servers))),
                  file=sys.stderr)
    for s in servers:
        s.shutdown()
    base = statistics.median(times[0])
    out = []
    for site, t, ms in zip(args.sites, times, milestones):
        keys = [k for k in ms[0] if all(k in m for m in ms)]
        out.append({"site": site, "median_ms": round(statistics.median(t)), "ratio_to_first": round(statistics.median(t) / base, 3),
                    "samples_ms": [round(x) for x in t], "milestones_median_ms": {k: statistics.median(m[k] for m in ms) for k in keys}})
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
