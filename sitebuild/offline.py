"""The offline layer, written after the build: the Pyodide runtime and packages copied
into the site, the web app manifest, and the service worker ``sw.js`` with the list of
files it keeps (from node/sw.template.js), versioned by a content hash of every built file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from sitebuild.pyodide_bundle import RUNTIME_FILES, STDLIB, Bundle, closure

SW_TEMPLATE = Path(__file__).resolve().parent / "node" / "sw.template.js"
# Not worth keeping offline: compressed duplicates and source maps; the runtime has its own list.
SW_SKIP = re.compile(r"(^sw\.js$|\.map$|\.gz$|^assets/pyodide/)")
ICONS = "assets/calculator/icons/"


def worker_config(bundle: Bundle, packages: tuple[str, ...] = (), snapshot: bool = True) -> dict:
    """What a calculator page's worker is given to start (calculator_pages.add_scripts):
    ``packages`` are the page's own (a tool's declared ``Page``), loaded there only."""
    unknown = [p for p in packages if p not in bundle.page_only]
    if unknown:
        raise ValueError(f"页面声明的包 {unknown} 不在网站的页面专用包里(pyproject.toml 的 {bundle.page_only})")
    return {
        "runtime": runtime_path(bundle),
        "packages": packages_path(bundle),
        # What a stored memory snapshot must match to be restored (snapshot.mjs): the
        # Pyodide version, the rules wheel's hash, and the packages' content hash, which
        # covers the other wheels and the stdlib zip whose modules the snapshot holds.
        "snapshot": f"pyodide-{bundle.pyodide_version}_shegong-{bundle.rules_wheel_sha[:16]}"
                    f"_rest-{bundle.packages_hash}" if snapshot else "",
        "stdlib": stdlib_path(bundle),
        "download": first_download(bundle, ("shegong", *packages)),
        "load": list(packages),
    }


def runtime_path(bundle: Bundle) -> str:
    return f"assets/pyodide/{bundle.pyodide_version}/"


def packages_path(bundle: Bundle) -> str:
    return f"assets/pyodide/packages-{bundle.packages_hash}/"


def stdlib_path(bundle: Bundle) -> str:
    return (packages_path(bundle) if bundle.own_stdlib else runtime_path(bundle)) + STDLIB


def first_download(bundle: Bundle, packages: tuple[str, ...] = ("shegong",)) -> dict[str, int]:
    """What the worker itself fetches on a first visit, path (from the site root) -> bytes:
    the wasm, the stdlib zip, the lockfile and the wheels of ``packages`` and their
    dependencies. The page's progress bar counts against these sizes."""
    lock = json.loads((bundle.packages_dir / "pyodide-lock.json").read_text())["packages"]
    wanted = closure(lock, packages)
    files = {runtime_path(bundle) + "pyodide.asm.wasm": bundle.pyodide_dir / "pyodide.asm.wasm",
             stdlib_path(bundle): (bundle.packages_dir if bundle.own_stdlib else bundle.pyodide_dir) / STDLIB,
             packages_path(bundle) + "pyodide-lock.json": bundle.packages_dir / "pyodide-lock.json"}
    files |= {packages_path(bundle) + lock[n]["file_name"]: bundle.packages_dir / lock[n]["file_name"]
              for n in sorted(wanted)}
    return {path: src.stat().st_size for path, src in files.items()}


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def copy_runtime(site: Path, bundle: Bundle) -> None:
    runtime, packages = site / runtime_path(bundle), site / packages_path(bundle)
    pyodide = site / "assets" / "pyodide"
    # Stale copies from earlier builds into the same directory.
    for old in pyodide.glob("*") if pyodide.exists() else []:
        if old.resolve() not in (runtime.resolve(), packages.resolve()):
            shutil.rmtree(old, ignore_errors=True)
    for name in RUNTIME_FILES:
        if name == STDLIB and bundle.own_stdlib:
            # Replaced by the packages' bytecode zip: not shipped, so not kept offline either.
            (runtime / name).unlink(missing_ok=True)
        else:
            _copy_if_changed(bundle.pyodide_dir / name, runtime / name)
    for p in bundle.packages_dir.iterdir():
        _copy_if_changed(p, packages / p.name)


def write_manifest(site: Path, name: str, description: str) -> None:
    manifest = {
        "name": name,
        "short_name": "社工证书",
        "description": description,
        "lang": "zh-CN",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#3949ab",
        "icons": [
            {"src": ICONS + "icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": ICONS + "icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": ICONS + "maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
        "shortcuts": [
            {"name": "登记期限计算器", "url": "calculator/registration/"},
            {"name": "继续教育学时计算器", "url": "calculator/training/"},
        ],
    }
    (site / "manifest.webmanifest").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _url_for(rel: str) -> str:
    if rel == "index.html":
        return "./"
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def build_date() -> str:
    """The day of this build in China (UTC+8 all year), which the update notice shows;
    SOURCE_DATE_EPOCH makes a rebuild reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()


def write_service_worker(site: Path, bundle: Bundle) -> tuple[str, int]:
    """``sw.js`` for the site as built; returns its version and how many site files it keeps."""
    site_files, runtime_files = [], []
    h = hashlib.sha256()
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if not p.is_file() or rel == "sw.js":
            continue
        h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
        if rel.startswith("assets/pyodide/"):
            runtime_files.append(rel)
        elif not SW_SKIP.search(rel):
            site_files.append(_url_for(rel))
    version = h.hexdigest()[:16]
    runtime_version = hashlib.sha256(
        "\n".join(runtime_files).encode() + bundle.pyodide_version.encode()
    ).hexdigest()[:12]
    sw = (
        SW_TEMPLATE.read_text(encoding="utf-8")
        .replace("__VERSION__", version)
        .replace("__BUILD_DATE__", build_date())
        .replace("__RUNTIME_VERSION__", runtime_version)
        .replace("__SITE_FILES__", json.dumps(site_files, ensure_ascii=False))
        .replace("__RUNTIME_FILES__", json.dumps(runtime_files, ensure_ascii=False))
        .replace("__PAGE_ONLY_FILES__", json.dumps(
            [f"{packages_path(bundle)}{name}" for name in bundle.page_only_files()], ensure_ascii=False))
    )
    (site / "sw.js").write_text(sw, encoding="utf-8")
    return version, len(site_files)
