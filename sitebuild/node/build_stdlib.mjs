// Builds the calculator's standard library zip, run by sitebuild/pyodide_bundle.py at
// build time with Node: Pyodide's own python_stdlib.zip holds .py sources only, so every
// start compiles each module Python imports while booting. This zip holds bytecode,
// compiled by Pyodide's own Python (the host Python's magic number would be refused), of
// the modules the calculator imports and nothing else, so a first visit downloads less.
//
// "Imports" is a trace: the modules loaded by a boot, loading the wheels, a request to
// each tool and a malformed request. Any other module still imports in the browser:
// stdlib_fallback.py, shipped in the zip as `_shegong_stdlib` with the names of every
// module in Pyodide's zip, fetches that zip on first use (the worker installs it).
//
// Usage: node build_stdlib.mjs <pyodide dir> <packages dir with pyodide-lock.json> <out.zip> <stdlib_fallback.py>
// Prints a JSON report on stdout (the build logs it): "traced", the modules shipped;
// "of", the modules in Pyodide's zip; "bytes", the zip's size.
// Depends on CPython's private importlib._bootstrap_external._code_to_hash_pyc (see
// CONTRIBUTING.md, 升级 Pyodide).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, packagesDir, out, fallback] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  lockFileURL: path.join(packagesDir, "pyodide-lock.json"),
  stdout: () => {},
  stderr: (l) => console.error(l),
});
await py.loadPackage("shegong", { messageCallback: () => {} });
py.globals.set("OUT", "/tmp/python_stdlib.zip");
py.globals.set("FALLBACK", fs.readFileSync(fallback, "utf8"));
const report = py.runPython(`
import importlib.util, json, os, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

from shegong.api import TOOLS, evaluate_json
for tool in TOOLS:  # each tool's path through the rules, with its errors
    evaluate_json(json.dumps({"tool": tool}))
evaluate_json("{")
# The worker's warm-up request (worker.mjs WARMUP), a complete one.
evaluate_json(json.dumps({"tool": "registration", "level": "社会工作师", "passed_on": "2024-09-10", "today": "2025-01-01"}))

ZIP = next(p for p in sys.path if p.endswith(".zip"))
src = zipfile.ZipFile(ZIP)
names = set(src.namelist())

def source_of(mod):
    p = mod.replace(".", "/")
    for cand, is_pkg in ((p + "/__init__.py", True), (p + ".py", False)):
        if cand in names:
            return cand, is_pkg
    return None

traced = {n for n, m in list(sys.modules.items()) if (getattr(m, "__file__", None) or "").startswith(ZIP + "/")}
keep = {mod: source_of(mod) for mod in traced}
keep = {mod: found for mod, found in keep.items() if found}
every = sorted(n[:-3].replace("/", ".").removesuffix(".__init__") for n in names if n.endswith(".py"))

def pyc(source, filename):
    # Docstrings and asserts out (python -OO): smaller, and nothing here reads __doc__.
    code = compile(source, ZIP + "/" + filename, "exec", dont_inherit=True, optimize=2)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))

def entry(name):
    return zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))

dirs = {"" if "/" not in p else p.rsplit("/", 1)[0] for p, _ in keep.values()}
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for info in sorted(src.infolist(), key=lambda i: i.filename):
        name = info.filename
        if name.endswith("/"):
            continue
        if name.endswith(".py"):
            mod = name[:-3].replace("/", ".").removesuffix(".__init__")
            if keep.get(mod, (None,))[0] != name:
                continue
            z.writestr(entry(name[:-3] + ".pyc"), pyc(src.read(name), name), zipfile.ZIP_DEFLATED)
        elif name.rsplit("/", 1)[0] in dirs if "/" in name else "" in dirs:
            z.writestr(entry(name), src.read(name), zipfile.ZIP_DEFLATED)
    finder = FALLBACK.replace("__NAMES__", repr(tuple(every)))
    z.writestr(entry("_shegong_stdlib.pyc"), pyc(finder.encode(), "_shegong_stdlib.py"), zipfile.ZIP_DEFLATED)

json.dumps({"traced": len(keep), "of": len(every), "bytes": os.path.getsize(OUT)})
`);
fs.writeFileSync(out, py.FS.readFile("/tmp/python_stdlib.zip"));
console.log(report);
