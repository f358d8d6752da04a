"""Each file a first visit to the calculator page fetches, as the mirror stores it
(sitebuild/publish_s3.py with an https address: brotli for the engine, the stdlib zip
re-packed with stored members first, gzip for the rest),
beside what brotli on every file would give (not part of the tests). Body bytes only; the
bench (bench/run.py) counts the headers too.

Usage: .venv/bin/python bench/mirror_files.py [SITE_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import host  # noqa: E402
import run  # noqa: E402
from sitebuild import devserver, publish_s3  # noqa: E402

CACHE = ROOT / publish_s3.BROTLI_CACHE


def fetched(site: Path) -> list[str]:
    """The site paths a first visit requests until the first result."""
    run.Handler.bare = run.bare_page()
    server, _ = host.serve(site, run.MirrorRunHandler)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = devserver.launch(pw)
        page = browser.new_context(bypass_csp=True).new_page()
        urls: list[str] = []
        page.on("request", lambda r: urls.append(r.url))
        run.first_result_ms(page, server.url + run.CALC_PAGE + run.CALC_QUERY)
        browser.close()
    server.shutdown()
    paths = [unquote(urlsplit(u).path).lstrip("/") for u in urls]
    return [p + "index.html" if p.endswith("/") or not p else p for p in paths]


def main(argv=None) -> int:
    site = Path((argv or sys.argv[1:] or [str(ROOT / "site")])[0])
    rows = []
    for rel in fetched(site):
        data = (site / rel).read_bytes()
        body, encoding = publish_s3.stored_body(data, rel, True, CACHE)
        stored = len(body)
        all_br = len(brotli.compress(data, quality=11)) if encoding == "gzip" else stored
        rows.append((stored, all_br, encoding or "-", rel))
    print(f"{'as stored':>10} {'all br':>10} {'enc':5} file")
    for stored, all_br, encoding, rel in sorted(rows, reverse=True):
        print(f"{stored:>10,} {all_br:>10,} {encoding:5} {rel}")
    print(f"{sum(r[0] for r in rows):>10,} {sum(r[1] for r in rows):>10,}       total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
