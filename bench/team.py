"""The team page and `python -m shegong batch` at scale (run by bench/run.py; not a test).

* the page: 1,000 workers, from the file chosen to the table shown (team.mjs marks both),
  next to one worker's request (shegong.api.evaluate) in the same page and run, once the
  engine is ready;
* the command line: 100,000 rows, .csv in and out, .xlsx in and out, and .csv in with
  .json and .ics out: wall time and peak memory (the command's own maximum resident set
  size) of each output format.  With ``--baseline SRC`` (a copy of another version's
  ``calculator/``, e.g. ``git archive a3fa1c0 calculator | tar -x -C /tmp/base``) the same
  commands also run on that version, in the same run, for a ratio.

The sheets are made up here, the same every run: a mix of stages, some re-registrations,
hours, and one bad row in fifty.

Usage: .venv/bin/python bench/team.py [--site DIR] [--runs 5] [--rows 100000] [--json OUT]
       .venv/bin/python bench/team.py --cli-only [--rows 100000] [--baseline /tmp/base/calculator]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "calculator"))
from shegong import sheets  # noqa: E402

LEVELS = ["助理社会工作师", "社会工作师", "高级社会工作师"]


def rows(n: int, seed: int = 16) -> list[list[str]]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        passed = dt.date(2012, 6, 1) + dt.timedelta(days=rnd.randrange(0, 14 * 365))
        first = passed + dt.timedelta(days=rnd.randrange(30, 400)) if rnd.random() < 0.85 else None
        rereg = ""
        due = first + dt.timedelta(days=3 * 365 - rnd.randrange(5, 80)) if first else None
        if due and due <= dt.date(2026, 3, 1) and rnd.random() < 0.7:
            rereg = due.isoformat()
        when = passed.isoformat() if i % 50 else "2024-02-30"  # one bad date in fifty
        out.append([f"员工{i:06d}", f"A{i:06d}", LEVELS[i % 3], when, first.isoformat() if first else "", rereg,
                    str(rnd.randrange(0, 150))])
    return out


def csv_bytes(data: list[list[str]]) -> bytes:
    return sheets.template_csv(data)


def xlsx_bytes(data: list[list[str]]) -> bytes:
    """Not sheets.template_xlsx: a write-only workbook (no <dimension>, as openpyxl writes
    it, unlike Excel; README) that keeps the bad date as text."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("人员")
    sheet.append(list(sheets.COLUMNS))
    for r in data:
        sheet.append([dt.date.fromisoformat(v) if i in (3, 4, 5) and v and v != "2024-02-30" else v for i, v in enumerate(r)])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


ONE = {"tool": "registration", "level": "社会工作师", "passed_on": "2021-06-20", "first_registered_on": "2021-09-01"}


def page(site: Path, runs: int, n: int = 1000) -> dict:
    from playwright.sync_api import sync_playwright

    from sitebuild import devserver

    server = devserver.serve(site)
    files = {"xlsx": xlsx_bytes(rows(n)), "csv": csv_bytes(rows(n))}
    out: dict = {"workers": n, "file_bytes": {k: len(v) for k, v in files.items()}}
    with sync_playwright() as pw:
        browser = devserver.launch(pw)
        ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        p = ctx.new_page()
        t0 = time.perf_counter()
        p.goto(server.url + "calculator/team/")
        devserver.wait_for(p, "window.shegongCalculator.state().phase === 'ready'", timeout=180_000)
        out["engine_ready_ms"] = round((time.perf_counter() - t0) * 1000)
        one = []
        for _ in range(runs * 3):
            one.append(p.evaluate("""async (req) => { const t = performance.now();
                await window.shegongCalculator.evaluate(req); return performance.now() - t; }""", ONE))
        out["one_worker_request_ms"] = round(statistics.median(one), 1)
        for kind, data in files.items():
            total, worker = [], []
            for i in range(runs):
                p.evaluate("performance.clearMarks(); performance.clearMeasures()")
                p.set_input_files("#sg-file", files=[{"name": f"team{i}.{kind}", "mimeType": "application/octet-stream",
                                                             "buffer": data}])
                devserver.wait_for(p, "performance.getEntriesByName('shegong:team-table').length > 0", timeout=180_000)
                total.append(p.evaluate("""performance.getEntriesByName('shegong:team-table')[0].startTime
                    - performance.getEntriesByName('shegong:team-file')[0].startTime"""))
                worker.append(p.evaluate("performance.getEntriesByName('shegong:team')[0].duration"))
            out[f"file_to_table_ms_{kind}"] = round(statistics.median(total))
            out[f"in_worker_ms_{kind}"] = round(statistics.median(worker))
        ctx.close()
        browser.close()
    server.stop()
    return out


# The command line in a child that reports its own peak memory (RUSAGE_CHILDREN would
# count the browser's processes too).
CHILD = ("import resource, sys\nfrom shegong.cli import main\nrc = main(sys.argv[1:])\n"
         "sys.stderr.write('MAXRSS=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(rc)")


# (input, output): every output format the command writes.
COMMANDS = (("csv", "csv"), ("xlsx", "xlsx"), ("csv", "json"), ("csv", "ics"))


def cli(n: int, baseline: Path | None = None) -> dict:
    """``python -m shegong batch`` on ``n`` rows, each output format.  With ``baseline``
    (another version's calculator/), each command also runs on it, right after this
    version's: the two see the same load, and the ratio is fair."""
    import os

    versions = {"cli": None} | ({"baseline": baseline} if baseline else {})
    out: dict = {name: {"rows": n} for name in versions}
    data = rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {"csv": csv_bytes(data), "xlsx": xlsx_bytes(data)}
        for kind, fmt in COMMANDS:
            src = Path(tmp) / f"staff.{kind}"
            src.write_bytes(inputs[kind])
            for name, source in versions.items():
                env = dict(os.environ, PYTHONPATH=str(source)) if source else None
                result = Path(tmp) / f"result.{fmt}"
                t0 = time.perf_counter()
                proc = subprocess.run([sys.executable, "-c", CHILD, "batch", str(src), "-o", str(result),
                                       "--today", "2026-03-01"], capture_output=True, cwd=tmp if source else ROOT, env=env)
                seconds = time.perf_counter() - t0
                assert proc.returncode == 0, proc.stderr.decode()
                rss = int(proc.stderr.decode().rsplit("MAXRSS=", 1)[1].split()[0])
                out[name][f"{kind}->{fmt}"] = {"file_bytes": src.stat().st_size, "result_bytes": result.stat().st_size,
                                               "seconds": round(seconds, 1), "peak_rss_mib": round(rss / 1024)}
                out[name]["summary"] = proc.stdout.decode().splitlines()[0]
    return out


def measure(site: Path, runs: int, cli_rows: int, baseline: Path | None = None) -> dict:
    return {"page": page(site, runs)} | cli(cli_rows, baseline)


def report(result: dict) -> None:
    if "page" in result:
        p = result["page"]
        print(f"team page, {p['workers']} workers: file chosen → table {p['file_to_table_ms_xlsx']} ms (.xlsx, "
              f"{p['file_bytes']['xlsx']:,} bytes), {p['file_to_table_ms_csv']} ms (.csv); in the worker "
              f"{p['in_worker_ms_xlsx']} / {p['in_worker_ms_csv']} ms; one worker's request {p['one_worker_request_ms']} ms; "
              f"engine ready {p['engine_ready_ms']} ms after navigation")
    c, base = result["cli"], result.get("baseline")
    for kind, fmt in COMMANDS:
        k = c[f"{kind}->{fmt}"]
        line = (f"command line, {c['rows']:,} rows (.{kind} → .{fmt}, {k['file_bytes']:,} → {k['result_bytes']:,} bytes): "
                f"{k['seconds']} s, peak memory {k['peak_rss_mib']} MiB")
        if base and f"{kind}->{fmt}" in base:
            b = base[f"{kind}->{fmt}"]
            line += (f"; baseline {b['seconds']} s, {b['peak_rss_mib']} MiB "
                     f"(memory ×{k['peak_rss_mib'] / b['peak_rss_mib']:.2f}, time ×{k['seconds'] / b['seconds']:.2f})")
        print(line)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default=str(ROOT / "site"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--json", default=str(ROOT / "bench-results" / "team.json"))
    ap.add_argument("--cli-only", action="store_true", help="only the command line (no browser)")
    ap.add_argument("--baseline", help="another version's calculator/ directory, run beside this one")
    args = ap.parse_args()
    baseline = Path(args.baseline) if args.baseline else None
    result = cli(args.rows, baseline) if args.cli_only else measure(Path(args.site), args.runs, args.rows, baseline)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
