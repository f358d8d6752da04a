"""The calculator's Python for the browser: the rules wheel, its dependencies and a
bytecode standard library, registered in the site's own ``pyodide-lock.json``.

Modules ship as bytecode compiled by Pyodide's own Python (run in Node): importing from
source would cost a compile of every module on each start, and the host Python's
bytecode has another magic number. Nothing comes from a CDN: the rules wheel is built
from this checkout, the dependencies come from PyPI at build time (checked against the hashes in
requirements.lock), the runtime from npm.

Two caches under ``<checkout>/.cache/calculator/``, each keyed by what feeds it:

* ``code-<key>``: the rules' compiled modules, the dependency wheels (compiled) and the
  stdlib zip. Key: the rules' ``.py`` sources, the dependency pins and requirements.lock,
  Pyodide's lockfile, the Node scripts and this module. This is the slow part (two Pyodide boots in Node).
* ``packages-<key>``: what the site ships. Key: the code key plus the rules' data files
  and metadata (policy.json, schema.json, pyproject.toml; not README.md, which the shipped
  wheel leaves out). A policy change
  only re-zips the rules wheel and re-registers it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.calculator")

NODE_SCRIPTS = Path(__file__).resolve().parent / "node"
STDLIB = "python_stdlib.zip"
# Pyodide's own stdlib zip, shipped beside the site's for the modules the site's zip
# leaves out (node/stdlib_fallback.py fetches it on the first import of one).
STDLIB_FULL = "python_stdlib_full.zip"
# The files of the Pyodide runtime the calculator uses (no source maps, no pyodide.js).
RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", STDLIB]
# Reproducible zips: the same sources give the same wheel bytes, hence the same hashes.
BUILD_ENV = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "SOURCE_DATE_EPOCH": "1700000000"}


@dataclass
class Bundle:
    pyodide_dir: Path  # node_modules/pyodide: the runtime files
    pyodide_version: str
    packages_dir: Path  # wheels, pyodide-lock.json and (with Node) python_stdlib.zip
    packages_hash: str  # content hash of packages_dir
    page_only: tuple[str, ...] = ()  # lockfile names loaded only by the pages that declare them (Questions.page)

    def page_only_files(self) -> list[str]:
        lock = json.loads((self.packages_dir / "pyodide-lock.json").read_text())
        return sorted(lock["packages"][n]["file_name"] for n in self.page_only if n in lock["packages"])

    @property
    def own_stdlib(self) -> bool:
        return (self.packages_dir / STDLIB).exists()

    @property
    def rules_wheel_sha(self) -> str:
        lock = json.loads((self.packages_dir / "pyodide-lock.json").read_text())
        return lock["packages"]["shegong"]["sha256"]


def _digest(parts: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in parts:
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()[:16]


def _files(root: Path, paths: list[Path]) -> list[tuple[str, bytes]]:
    return [(p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name, p.read_bytes())
            for p in paths if p.exists()]


def content_hash(directory: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def _run(cmd: list, cwd: Path | None = None) -> str:
    res = subprocess.run([str(c) for c in cmd], cwd=cwd, env={**os.environ, **BUILD_ENV},
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{res.stdout}\n{res.stderr}")
    return res.stdout


# Optional dependencies shipped to readers but loaded by one page only (the team page reads
# spreadsheets with openpyxl): in the site's lockfile as packages of their own, not as
# dependencies of the rules, so no other page downloads them.
PAGE_EXTRAS = ("sheets",)


def _dependencies(root: Path) -> list[str]:
    with open(root / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    extras = project.get("optional-dependencies", {})
    return list(project.get("dependencies", [])) + [r for e in PAGE_EXTRAS for r in extras.get(e, [])]


def normalized(name: str) -> str:
    """A package name as the lockfiles write it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def page_packages(root: Path) -> list[str]:
    """The lockfile names of the page-only packages."""
    with open(root / "pyproject.toml", "rb") as f:
        extras = tomllib.load(f)["project"].get("optional-dependencies", {})
    return [normalized(r.partition("==")[0]) for e in PAGE_EXTRAS for r in extras.get(e, [])]


def locked_requirements(root: Path) -> dict[str, tuple[str, str, list[str]]]:
    """requirements.lock: normalized name -> (name as written, version, its sha256 hashes)."""
    entries = re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)",
                          (root / "requirements.lock").read_text(encoding="utf-8"), re.M)
    return {normalized(m.group(1)): (m.group(1), m.group(2), re.findall(r"[0-9a-f]{64}", m.group(3))) for m in entries}


def closure(packages: dict, names) -> set[str]:
    """``names`` and everything they depend on, in a Pyodide lockfile's ``packages``."""
    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(packages[name]["depends"])
    return found


def _locked_requirement(root: Path, req: str, out: Path) -> Path:
    """A requirements file for ``req`` with the hashes requirements.lock gives it, so pip
    (--require-hashes) refuses a wheel shipped to readers that is not the locked one."""
    name, _, version = req.partition("==")
    entry = locked_requirements(root).get(normalized(name))
    if entry:
        written, locked_version, hashes = entry
        if version and locked_version != version.strip():
            raise RuntimeError(f"{req} is not the version in requirements.lock ({locked_version}): run `make lock`")
        out.write_text(f"{written}=={locked_version} " + " ".join(f"--hash=sha256:{h}" for h in hashes) + "\n",
                       encoding="utf-8")
        return out
    raise RuntimeError(f"{req} is not in requirements.lock: run `make lock`")


def cache_keys(root: Path) -> tuple[str, str]:
    """(code key, packages key) of the checkout at ``root``: see the module's docstring."""
    pyodide_dir = root / "node_modules" / "pyodide"
    rules_dir = root / "calculator" / "shegong"
    sources = sorted(p for p in rules_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                     and p.suffix != ".pyc")
    code_key = _digest(
        _files(root, [p for p in sources if p.suffix == ".py"])
        + _files(NODE_SCRIPTS, [NODE_SCRIPTS / "compile_pyc.mjs", NODE_SCRIPTS / "build_stdlib.mjs",
                                NODE_SCRIPTS / "stdlib_fallback.py", Path(__file__).resolve()])
        + _files(root, [root / "requirements.lock"])
        + [("dependencies", json.dumps(_dependencies(root)).encode()),
           ("pyodide-lock", (pyodide_dir / "pyodide-lock.json").read_bytes())]
    )
    data_key = _digest(
        [("code", code_key.encode())]
        + _files(root, [p for p in sources if p.suffix != ".py"] + [root / "pyproject.toml"])
    )
    return code_key, data_key


def build(root: Path) -> Bundle:
    """The packages directory for the checkout at ``root``, from the caches when it can."""
    pyodide_dir = root / "node_modules" / "pyodide"
    if not (pyodide_dir / "pyodide.mjs").exists():
        raise FileNotFoundError("node_modules/pyodide is missing: run `make node` (npm ci)")
    version = json.loads((pyodide_dir / "package.json").read_text())["version"]
    code_key, data_key = cache_keys(root)
    cache = root / ".cache" / "calculator"
    out = cache / f"packages-{data_key}"
    if not (out / "pyodide-lock.json").exists():
        _build_packages(root, pyodide_dir, cache / f"code-{code_key}", out)
    for old in list(cache.glob("packages-*")) + list(cache.glob("code-*")):
        if old.name not in (out.name, f"code-{code_key}"):
            shutil.rmtree(old, ignore_errors=True)
    return Bundle(pyodide_dir, version, out, content_hash(out), tuple(page_packages(root)))


def _build_packages(root: Path, pyodide_dir: Path, code: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="shegong-wheels-") as tmp:
        work = Path(tmp) / "work"
        rules = _unpacked(_rules_wheel(root, Path(tmp)), work / "rules")
        _drop_developer_extras(next(rules.glob("*.dist-info")) / "METADATA")
        if not (code / "complete").exists():
            _compile(root, pyodide_dir, rules, code, work)
        _use_bytecode(rules, code / "shegong")
        staging = out.with_name(f"staging-{out.name}-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        _run([sys.executable, "-m", "wheel", "pack", rules, "-d", staging])
        for wheel in (code / "deps").glob("*.whl"):
            shutil.copy2(wheel, staging / wheel.name)
        _write_lockfile(pyodide_dir, staging, Path(tmp), page_packages(root))
        if (code / "complete").read_text() == "bytecode" and not (code / STDLIB).exists():
            _build_stdlib(pyodide_dir, staging, code / STDLIB)
        if (code / STDLIB).exists():
            shutil.copy2(code / STDLIB, staging / STDLIB)
            shutil.copy2(pyodide_dir / STDLIB, staging / STDLIB_FULL)
        try:
            staging.rename(out)
        except OSError:  # a parallel build finished first
            shutil.rmtree(staging, ignore_errors=True)


def _rules_wheel(root: Path, tmp: Path) -> Path:
    # Built from a copy, so parallel builds never share a build/ directory.
    src = tmp / "src"
    (src / "calculator").mkdir(parents=True)
    shutil.copy2(root / "pyproject.toml", src)
    # The wheel's METADATA would carry the whole README (pyproject's readme): bytes every
    # reader downloads, and a new rules-wheel hash (so a new snapshot for every reader)
    # whenever the README changes. The shipped wheel gets a one-line description instead.
    (src / "README.md").write_text("社工证书指南的规则包 shegong。说明见项目仓库的 README.md。\n", encoding="utf-8")
    shutil.copytree(root / "calculator" / "shegong", src / "calculator" / "shegong",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # setuptools is pinned in this environment: no isolated build environment to set up.
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "-w", tmp / "wheel", "."], cwd=src)
    return _pure(next((tmp / "wheel").glob("shegong-*.whl")))


def _drop_developer_extras(metadata: Path) -> None:
    """Leaves out of the shipped wheel's METADATA the extras only developers install (test,
    docs, publish): their pins would give the rules wheel a new hash, so every reader a new
    snapshot and a fresh download, whenever a test tool is bumped. PAGE_EXTRAS stay."""
    head, sep, body = metadata.read_text(encoding="utf-8").partition("\n\n")
    keep = set(PAGE_EXTRAS)

    def shipped(line: str) -> bool:
        extra = re.match(r"Provides-Extra: (\S+)$", line) or re.search(r"; extra == \"([^\"]+)\"$", line)
        return not extra or extra.group(1) in keep

    metadata.write_text("\n".join(filter(shipped, head.split("\n"))) + sep + body, encoding="utf-8")


def _pure(wheel: Path) -> Path:
    if not wheel.name.endswith("-none-any.whl"):
        raise RuntimeError(f"{wheel.name} is not a pure-Python wheel; Pyodide cannot load it")
    return wheel


def _unpacked(wheel: Path, dest: Path) -> Path:
    """The wheel unpacked into its own folder under ``dest``."""
    _run([sys.executable, "-m", "wheel", "unpack", wheel, "-d", dest])
    return next(dest.iterdir())


def _compile(root: Path, pyodide_dir: Path, rules: Path, code: Path, work: Path) -> None:
    """Fills ``code`` with the rules' bytecode and the dependency wheels as bytecode,
    compiled in one Node run (each run boots Pyodide). Without Node the modules stay
    source: the calculator works, a little slower to start."""
    downloads = work.parent / "downloads"
    for i, req in enumerate(_dependencies(root)):
        locked = _locked_requirement(root, req, work.parent / f"locked-{i}.txt")
        try:
            _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                  "--require-hashes", "-d", downloads, "-r", locked])
        except RuntimeError:
            _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--require-hashes",
                  "-w", downloads, "-r", locked])
    deps = [_unpacked(_pure(w), work / "deps" / w.stem) for w in sorted(downloads.glob("*.whl"))]
    node = shutil.which("node")
    if node:
        _run([node, NODE_SCRIPTS / "compile_pyc.mjs", pyodide_dir, work])
    else:
        log.warning("calculator: node not found; the wheels keep source only")
    staging = code.with_name(f"{code.name}-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    for pyc in rules.rglob("*.pyc"):
        dest = staging / "shegong" / pyc.relative_to(rules)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(pyc, dest)
    (staging / "deps").mkdir(parents=True)
    for d in deps:
        _drop_compiled_sources(d)
        _run([sys.executable, "-m", "wheel", "pack", d, "-d", staging / "deps"])
    (staging / "complete").write_text("bytecode" if node else "source")
    try:
        staging.rename(code)
    except OSError:  # a parallel build finished first
        shutil.rmtree(staging, ignore_errors=True)


def _use_bytecode(unpacked: Path, compiled: Path) -> None:
    """The cached bytecode in place of the sources it was compiled from."""
    if compiled.is_dir():
        for pyc in compiled.rglob("*.pyc"):
            shutil.copy2(pyc, unpacked / pyc.relative_to(compiled))
    _drop_compiled_sources(unpacked)


def _drop_compiled_sources(unpacked: Path) -> None:
    for pyc in unpacked.rglob("*.pyc"):
        pyc.with_suffix(".py").unlink(missing_ok=True)


def _write_lockfile(pyodide_dir: Path, packages: Path, tmp: Path, extra: list[str] = ()) -> None:
    """Pyodide's lockfile with the site's wheels added by pyodide-build, trimmed to the
    rules and what they depend on: the stock list has hundreds of packages the
    calculator never loads, and the lockfile is downloaded on every cold start."""
    wheels = sorted(packages.glob("*.whl"))
    full = tmp / "full-lock.json"
    _run([Path(sys.executable).with_name("pyodide"), "lockfile", "add-wheels",
          "--input", pyodide_dir / "pyodide-lock.json", "--output", full, *wheels])
    lock = json.loads(full.read_text())
    keep = closure(lock["packages"], ["shegong", *extra])
    lock["packages"] = {k: v for k, v in lock["packages"].items() if k in keep}
    for name, pkg in lock["packages"].items():
        if not (packages / pkg["file_name"]).exists():
            raise RuntimeError(f"{name} depends on a package that is not in the site: {pkg['file_name']}")
    (packages / "pyodide-lock.json").write_text(json.dumps(lock, ensure_ascii=False, indent=1, sort_keys=True))


def _build_stdlib(pyodide_dir: Path, packages: Path, out: Path) -> None:
    """Bytecode of the standard library modules the calculator imports (build_stdlib.mjs
    says how they are chosen), in place of Pyodide's zip of sources."""
    report = _run([shutil.which("node"), NODE_SCRIPTS / "build_stdlib.mjs", pyodide_dir, packages, out,
                   NODE_SCRIPTS / "stdlib_fallback.py"])
    log.info("calculator: standard library %s", report.strip())
