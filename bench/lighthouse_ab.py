"""Lighthouse on the calculator page of two or more builds, interleaved run by run (not
part of the tests): a change meant to lower total blocking time is judged on the same
machine at the same time as the build it changes, since the score moves by 0.1 between
runs on a busy machine. Each build is served as a static host would (bench/host.py).
Prints each build's median score, TBT and LCP, every sample, and the load average.

Usage: .venv/bin/python bench/lighthouse_ab.py [--runs 5] [--out DIR] SITE_DIR [SITE_DIR ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import host  # noqa: E402
import run  # noqa: E402

FIGURES = ("performance", "total_blocking_time_ms", "largest_contentful_paint_ms", "first_contentful_paint_ms")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sites", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=tempfile.mkdtemp(prefix="shegong-lighthouse-"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    servers = [host.serve(Path(s))[0] for s in args.sites]
    samples = [{f: [] for f in FIGURES} for _ in servers]
    load = [os.getloadavg()]
    for i in range(args.runs):
        order = list(range(len(servers)))
        order = order[i % len(order):] + order[:i % len(order)]
        for k in order:
            res = run.lighthouse(servers[k].url, out, {"calculator": run.CALC_PAGE}, tag=f"-{k}-{i}")["calculator"]
            if "error" in res:
                print(f"site {k} run {i + 1}: FAILED {res['error'][-300:]}", file=sys.stderr)
                continue
            figures = {"performance": res["scores"]["performance"], **{f: res[f] for f in FIGURES[1:]}}
            for f, v in figures.items():
                samples[k][f].append(v)
            print(f"run {i + 1}/{args.runs} site {k}: {figures}", file=sys.stderr)
        load.append(os.getloadavg())
    for s in servers:
        s.shutdown()
    print(json.dumps({"load_average": [[round(x, 2) for x in v] for v in load], "reports": str(out), "sites": [
        {"site": site, **{f"median_{f}": statistics.median(v[f]) if v[f] else None for f in FIGURES},
         "samples": v} for site, v in zip(args.sites, samples)]}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
