"""The site's stdlib zip on each host: members deflated one by one (as built) or stored,
measured as bytes on the wire under each host's compression (not part of the tests).

* GitHub Pages and the bench's gzip host compress by Content-Type and leave
  ``application/zip`` as it is; shown too is gzip of the whole zip (what a host that did
  compress zips would send).
* The mirror (sitebuild/publish_s3.py) stores a zip brotli-compressed when that saves
  ``MIN_SAVING``, and as it is otherwise.

The stored variant is the same members, in the same order, with the same names and dates,
repacked with ``ZIP_STORED`` (sitebuild/publish_s3.py ``stored_members``, what the mirror
gets).
Also prints the rest of a first calculator visit (the files the worker's download list
names, and the runtime's ``pyodide.asm.mjs``) under gzip and brotli, so the table's totals
can be read against the 4.2 MB target.

Usage: .venv/bin/python bench/stdlib_zip.py [SITE_DIR]
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sitebuild.publish_s3 import MIN_SAVING, stored_members  # noqa: E402


def stored_copy(data: bytes) -> bytes:
    return stored_members(data)  # what publish_s3 uploads to the mirror


def sizes(data: bytes) -> dict:
    t = time.perf_counter()
    br = len(brotli.compress(data, quality=11))
    br_s = time.perf_counter() - t
    return {"raw": len(data), "gzip6": len(gzip.compress(data, 6, mtime=0)),
            "gzip9": len(gzip.compress(data, 9, mtime=0)), "br11": br, "br11_seconds": round(br_s, 1)}


def on_mirror(s: dict) -> int:
    """What publish_s3 stores for a zip: brotli when it saves MIN_SAVING, else the zip."""
    return s["br11"] if s["br11"] < s["raw"] * (1 - MIN_SAVING) else s["raw"]


def main(argv=None) -> int:
    site = Path((argv or sys.argv[1:] or [str(ROOT / "site")])[0])
    page = (site / "calculator" / "registration" / "index.html").read_text(encoding="utf-8")
    cfg = json.loads(page.split('id="sg-config">', 1)[1].split("</script>", 1)[0])
    stdlib = site / cfg["stdlib"]  # paths from the site root (sitebuild/offline.py)
    built = stdlib.read_bytes()
    variants = {"deflated (as built)": sizes(built), "stored": sizes(stored_copy(built))}
    print(f"{stdlib.relative_to(site)}")
    print(f"{'members':22}{'raw':>12}{'gzip -6':>12}{'gzip -9':>12}{'brotli -11':>12}{'Pages/gzip host':>17}{'mirror':>12}")
    for name, s in variants.items():
        print(f"{name:22}{s['raw']:>12,}{s['gzip6']:>12,}{s['gzip9']:>12,}{s['br11']:>12,}{s['raw']:>17,}{on_mirror(s):>12,}"
              f"   (brotli took {s['br11_seconds']} s)")
    rest = {p: site / p for p in cfg["download"] if not p.endswith("python_stdlib.zip")}
    rest[cfg["runtime"] + "pyodide.asm.mjs"] = site / cfg["runtime"] / "pyodide.asm.mjs"
    total = {"gzip9": 0, "br11": 0}
    for rel, f in rest.items():
        s = sizes(f.read_bytes())
        is_zip = f.suffix in (".whl", ".zip")
        g = s["raw"] if is_zip else s["gzip9"]
        b = on_mirror(s) if is_zip else s["br11"]
        total["gzip9"] += g
        total["br11"] += b
        print(f"  {rel:70} gzip host {g:>10,}  mirror {b:>10,}")
    print(f"engine files other than the stdlib zip: gzip host {total['gzip9']:,} B, mirror {total['br11']:,} B")
    for name, s in variants.items():
        print(f"engine with the {name} zip: gzip host {total['gzip9'] + s['raw']:,} B, mirror {total['br11'] + on_mirror(s):,} B")
    # The rules wheel is a zip of deflated members too: the same two forms, for comparison.
    wheel = next(f for f in rest.values() if f.name.startswith("shegong-"))
    data = wheel.read_bytes()
    for name, s in {"deflated (as built)": sizes(data), "stored": sizes(stored_copy(data))}.items():
        print(f"rules wheel {wheel.name}, {name}: raw {s['raw']:,}, gzip -9 {s['gzip9']:,}, brotli -11 {s['br11']:,}, "
              f"mirror {on_mirror(s):,}")
    print(json.dumps({"stdlib": variants, "rest": total}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
