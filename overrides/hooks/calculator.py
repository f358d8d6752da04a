"""Build-time work for the in-browser calculator.

* builds the ``shegong`` rules package and its dependencies (chinese-calendar) as wheels,
  registers them in a copy of Pyodide's ``pyodide-lock.json`` with pyodide-build
  (``pyodide lockfile add-wheels``) and keeps only the packages the calculator needs;
* copies the Pyodide runtime from ``node_modules/pyodide`` (npm, pinned in
  package-lock.json) into ``assets/pyodide/<version>/``;
* fills the title tool's choices from ``calculator/shegong/policy.json``;
* puts the worker start-up script (boot.js, as a file) and its config (JSON) at the top
  of each calculator page, so Pyodide starts loading before anything else on the page;
* writes the web app manifest and the service worker ``sw.js``, versioned by a content
  hash of every built file.

Nothing here is fetched from a CDN: the wheels come from this repository and from the
pip cache/PyPI at build time (checked against the hashes in requirements.lock), the
runtime from npm.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.calculator")

ROOT = Path(__file__).resolve().parents[2]
HOOK_DIR = Path(__file__).resolve().parent
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
CACHE = ROOT / ".cache" / "calculator"
ASSETS = ROOT / "docs" / "assets" / "calculator"
# The files of the Pyodide runtime the calculator uses (no source maps, no pyodide.js).
RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
TOOL_PAGES = {
    "calculator/registration.md": "registration",
    "calculator/training.md": "training",
    "calculator/title.md": "title",
    "calculator/certificate.md": "certificate",
}
CALC_INDEX = "calculator/index.md"
# Not worth keeping offline: compressed duplicates and source maps.
SW_SKIP = re.compile(r"(^sw\.js$|\.map$|\.gz$|^assets/pyodide/)")

_state: dict = {}


# --- wheels and lockfile -------------------------------------------------------------


def _sources_digest() -> str:
    h = hashlib.sha256()
    # This hook and the bytecode compiler decide what goes into the wheels too.
    files = [ROOT / "pyproject.toml", ROOT / "README.md", HOOK_DIR / "calculator.py", HOOK_DIR / "compile_pyc.mjs",
             HOOK_DIR / "build_stdlib.mjs", LOCK]
    files += sorted(p for p in (ROOT / "calculator" / "shegong").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for p in files:
        if p.exists():
            h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes() + b"\0")
    lock = NODE_PYODIDE / "pyodide-lock.json"
    h.update(lock.read_bytes())
    return h.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{res.stdout}\n{res.stderr}")


LOCK = ROOT / "requirements.lock"


def _locked_requirement(req: str, out: Path) -> Path:
    """A requirements file for ``req`` with the hashes requirements.lock gives it, so pip
    (--require-hashes) refuses a wheel shipped to readers that is not the locked one."""
    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    name, _, version = req.partition("==")
    entries = re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)",
                          LOCK.read_text(encoding="utf-8"), re.M)
    for m in entries:
        if norm(m.group(1)) == norm(name.strip()):
            if version and m.group(2) != version.strip():
                raise RuntimeError(f"{req} is not the version in requirements.lock ({m.group(2)}): run `make lock`")
            hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}", m.group(3))
            out.write_text(f"{m.group(1)}=={m.group(2)} {' '.join(hashes)}\n", encoding="utf-8")
            return out
    raise RuntimeError(f"{req} is not in requirements.lock: run `make lock`")


def _dependencies() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["project"].get("dependencies", []))


def _build_packages() -> Path:
    """Wheels plus a trimmed pyodide-lock.json, in a directory named by their hash."""
    digest = _sources_digest()
    out = CACHE / f"build-{digest}"
    if (out / "pyodide-lock.json").exists():
        return out
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="shegong-wheels-") as tmp:
        tmp = Path(tmp)
        # Build from a copy, so parallel builds never share a build/ directory.
        src = tmp / "src"
        src.mkdir()
        shutil.copy2(ROOT / "pyproject.toml", src)
        shutil.copy2(ROOT / "README.md", src)
        shutil.copytree(ROOT / "calculator" / "shegong", src / "calculator" / "shegong",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        wheels = tmp / "wheels"
        _run([python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), "."], cwd=src)
        for i, req in enumerate(_dependencies()):
            locked = str(_locked_requirement(req, tmp / f"locked-{i}.txt"))
            try:
                _run([python, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                      "--require-hashes", "-d", str(wheels), "-r", locked])
            except RuntimeError:
                _run([python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--require-hashes", "-w", str(wheels),
                      "-r", locked])
        whls = sorted(wheels.glob("*.whl"))
        for w in whls:
            if not w.name.endswith("-none-any.whl"):
                raise RuntimeError(f"{w.name} is not a pure-Python wheel; Pyodide cannot load it")
        _add_pyodide_bytecode(whls, tmp / "pyc")
        full = tmp / "full-lock.json"
        pyodide_cli = Path(python).with_name("pyodide")
        _run([str(pyodide_cli), "lockfile", "add-wheels", "--input", str(NODE_PYODIDE / "pyodide-lock.json"),
              "--output", str(full), *map(str, whls)])
        lock = json.loads(full.read_text())
        # Keep only shegong and what it depends on: the stock list has 357 packages the
        # calculator never loads, and the lockfile is downloaded on every cold start.
        keep, todo = set(), ["shegong"]
        while todo:
            name = todo.pop()
            if name in keep:
                continue
            keep.add(name)
            todo.extend(lock["packages"][name]["depends"])
        lock["packages"] = {k: v for k, v in lock["packages"].items() if k in keep}
        for name, pkg in lock["packages"].items():
            if not (wheels / pkg["file_name"]).exists():
                raise RuntimeError(f"{name} depends on a package that is not in the site: {pkg['file_name']}")
        staging = CACHE / f"staging-{digest}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for pkg in lock["packages"].values():
            shutil.copy2(wheels / pkg["file_name"], staging / pkg["file_name"])
        (staging / "pyodide-lock.json").write_text(json.dumps(lock, ensure_ascii=False, indent=1, sort_keys=True))
        _build_stdlib(staging)
        try:
            staging.rename(out)
        except OSError:  # another build finished first
            shutil.rmtree(staging, ignore_errors=True)
    for old in CACHE.glob("build-*"):
        if old != out:
            shutil.rmtree(old, ignore_errors=True)
    return out


STDLIB = "python_stdlib.zip"


def _build_stdlib(packages: Path) -> None:
    """Writes ``packages/python_stdlib.zip``: bytecode of the modules the rules can import.

    See build_stdlib.mjs for how the modules are chosen. Without Node the calculator uses
    Pyodide's own zip (sources of the whole standard library), which is slower to start.
    """
    node = shutil.which("node")
    if not node:
        log.warning("calculator: node not found; the calculator uses Pyodide's full source stdlib")
        return
    res = subprocess.run([node, str(HOOK_DIR / "build_stdlib.mjs"), str(NODE_PYODIDE), str(packages),
                          str(packages / STDLIB)], capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"build_stdlib.mjs failed:\n{res.stdout}\n{res.stderr}")
    log.info("calculator: standard library %s", res.stdout.strip())


def _add_pyodide_bytecode(wheels: list[Path], work: Path) -> None:
    """Replaces the wheels' modules by bytecode compiled with Pyodide's Python (in place).

    Importing from source costs the calculator a compile of every module on each start
    (about 0.2 s here, more on a phone); bytecode-only modules are imported directly and
    the wheels stay about as small. The sources are in this repository. All wheels are
    compiled in one Node run (each run boots Pyodide). Without Node the wheels are left
    as they are (the calculator works, a little slower).
    """
    node = shutil.which("node")
    if not node:
        log.warning("calculator: node not found; the wheels keep source only")
        return
    import zipfile

    dirs = {wheel: work / wheel.stem for wheel in wheels}
    for wheel, d in dirs.items():
        with zipfile.ZipFile(wheel) as z:
            z.extractall(d)
    _run([node, str(HOOK_DIR / "compile_pyc.mjs"), str(NODE_PYODIDE), str(work)])
    for wheel, d in dirs.items():
        _repack_bytecode_only(wheel, d)


def _repack_bytecode_only(wheel: Path, work: Path) -> None:
    """Writes ``wheel`` again from ``work`` without the sources that have bytecode, with a
    RECORD that lists what is in it."""
    import base64
    import zipfile

    for pyc in work.rglob("*.pyc"):
        src = pyc.with_suffix(".py")
        if src.exists():
            src.unlink()
    files = sorted(p for p in work.rglob("*") if p.is_file())
    record = next(p for p in files if p.name == "RECORD" and p.parent.name.endswith(".dist-info"))
    lines = []
    out = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            if p == record:
                continue
            name = p.relative_to(work).as_posix()
            data = p.read_bytes()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{name},sha256={digest},{len(data)}")
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
        lines.append(f"{record.relative_to(work).as_posix()},,")
        info = zipfile.ZipInfo(record.relative_to(work).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, "\n".join(lines) + "\n")
    out.replace(wheel)


def _content_hash(directory: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


# --- MkDocs events -------------------------------------------------------------------


def on_config(config):
    if not (NODE_PYODIDE / "pyodide.mjs").exists():
        raise RuntimeError("node_modules/pyodide is missing: run `make node` (npm ci)")
    version = json.loads((NODE_PYODIDE / "package.json").read_text())["version"]
    pkgs = _build_packages()
    pkg_hash = _content_hash(pkgs)
    runtime_path = f"assets/pyodide/{version}/"
    packages_path = f"assets/pyodide/packages-{pkg_hash}/"
    own_stdlib = (pkgs / STDLIB).exists()
    rules = json.loads((pkgs / "pyodide-lock.json").read_text())["packages"]["shegong"]["sha256"][:16]
    _state.update(
        pyodide_version=version,
        packages_dir=pkgs,
        runtime_path=runtime_path,
        packages_path=packages_path,
        own_stdlib=own_stdlib,
        stdlib_path=(packages_path if own_stdlib else runtime_path) + STDLIB,
        # What a stored Python memory snapshot must match to be restored (see worker.mjs):
        # the Pyodide version, the rules wheel's hash (from the lockfile pyodide-build
        # wrote), and the packages directory's content hash, which covers the other
        # wheels and the stdlib zip whose modules and directory the snapshot holds.
        snapshot_key=f"pyodide-{version}_shegong-{rules}_rest-{pkg_hash}",
    )
    return config


def on_files(files, config):
    # The service worker template lives beside this hook; it is not a site file.
    for f in list(files):
        if f.src_uri.startswith("hooks/"):
            files.remove(f)
    return files


def _title_choices() -> tuple[str, str]:
    data = json.loads((ROOT / "calculator" / "shegong" / "policy.json").read_text())
    titles = data["titles"]
    froms: list[str] = []
    for r in titles["routes"]:
        if r["from"] not in froms:
            froms.append(r["from"])
    from_opts = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in froms)
    series_opts = '<option value="">(不限或不清楚)</option>' + "".join(
        f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in titles["skill_series"]
    )
    return from_opts, series_opts


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "calculator/title.md":
        from_opts, series_opts = _title_choices()
        markdown = markdown.replace("<!-- title-from-options -->", from_opts)
        markdown = markdown.replace("<!-- title-series-options -->", series_opts)
    return markdown


def _root_prefix(page) -> str:
    url = page.url  # e.g. "calculator/registration/"
    depth = url.count("/") if url.endswith("/") else url.count("/")
    return "../" * depth if depth else "./"


def on_post_page(output, page, config):
    src = page.file.src_uri
    if src not in TOOL_PAGES and src != CALC_INDEX:
        return output
    base = _root_prefix(page)
    cfg = {
        "base": base,
        "tool": TOOL_PAGES.get(src),
        "runtime": _state["runtime_path"],
        "packages": _state["packages_path"],
        "snapshot": _state["snapshot_key"],
        "stdlib": _state["stdlib_path"],
    }
    # Data, not code, and boot.js a file: the Content-Security-Policy (hooks/csp.py)
    # then needs no hash for either. "</" is escaped so no value can close the element.
    data = json.dumps(cfg, ensure_ascii=False).replace("</", "<\\/")
    head = (
        f'<script type="application/json" id="sg-config">{data}</script>\n'
        f'<script src="{base}assets/calculator/boot.js"></script>\n'
    )
    if cfg["tool"]:
        head += f'<link rel="modulepreload" href="{base}assets/calculator/{cfg["tool"]}.mjs">\n'
        head += f'<link rel="modulepreload" href="{base}assets/calculator/ui.mjs">\n'
    output = re.sub(r'(<meta charset="utf-8">)', lambda m: m.group(1) + "\n" + head, output, count=1, flags=re.I)
    # After the theme's stylesheets, so that equal selectors here win.
    css = f'<link rel="stylesheet" href="{base}assets/calculator/calculator.css">\n'
    output = output.replace("</head>", css + "</head>", 1)
    module = cfg["tool"] or "index"
    tail = f'<script type="module" src="{base}assets/calculator/{module}.mjs"></script>\n'
    return output.replace("</body>", tail + "</body>", 1)


# --- after the build: runtime, manifest, service worker ------------------------------


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def _url_for(rel: str) -> str:
    if rel == "index.html":
        return "./"
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def _build_date() -> str:
    # China keeps UTC+8 all year; SOURCE_DATE_EPOCH makes a rebuild reproducible.
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()


@event_priority(-100)  # after every other plugin and hook has written its files
def on_post_build(config):
    site = Path(config["site_dir"])
    runtime = site / _state["runtime_path"]
    packages = site / _state["packages_path"]
    # Stale copies from earlier builds into the same directory.
    for old in (site / "assets" / "pyodide").glob("*") if (site / "assets" / "pyodide").exists() else []:
        if old.resolve() not in (runtime.resolve(), packages.resolve()):
            shutil.rmtree(old, ignore_errors=True)
    for name in RUNTIME_FILES:
        if name == STDLIB and _state["own_stdlib"]:
            # Replaced by the packages' bytecode zip: not shipped, so not kept offline either.
            (runtime / name).unlink(missing_ok=True)
            continue
        _copy_if_changed(NODE_PYODIDE / name, runtime / name)
    for p in _state["packages_dir"].iterdir():
        _copy_if_changed(p, packages / p.name)

    manifest = {
        "name": config["site_name"],
        "short_name": "社工证书",
        "description": config.get("site_description") or "",
        "lang": "zh-CN",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#3949ab",
        "icons": [
            {"src": "assets/calculator/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "assets/calculator/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "assets/calculator/icons/maskable-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
        "shortcuts": [
            {"name": "登记期限计算器", "url": "calculator/registration/"},
            {"name": "继续教育学时计算器", "url": "calculator/training/"},
        ],
    }
    (site / "manifest.webmanifest").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")

    site_files, runtime_files = [], []
    h = hashlib.sha256()
    for p in sorted(site.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(site).as_posix()
        if rel == "sw.js":
            continue
        h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
        if rel.startswith("assets/pyodide/"):
            runtime_files.append(rel)
        elif not SW_SKIP.search(rel):
            site_files.append(_url_for(rel))
    version = h.hexdigest()[:16]
    runtime_version = hashlib.sha256(
        "\n".join(runtime_files).encode() + _state["pyodide_version"].encode()
    ).hexdigest()[:12]
    template = (HOOK_DIR / "sw.template.js").read_text(encoding="utf-8")
    sw = (
        template.replace("__VERSION__", version)
        .replace("__BUILD_DATE__", _build_date())
        .replace("__RUNTIME_VERSION__", runtime_version)
        .replace("__SITE_FILES__", json.dumps(site_files, ensure_ascii=False))
        .replace("__RUNTIME_FILES__", json.dumps(runtime_files, ensure_ascii=False))
    )
    (site / "sw.js").write_text(sw, encoding="utf-8")
    log.info("calculator: Pyodide %s, %d wheels, service worker %s (%d site files)",
             _state["pyodide_version"], len(list(packages.glob("*.whl"))), version, len(site_files))
