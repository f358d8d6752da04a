// Builds the calculator's standard library zip, run by sitebuild/pyodide_bundle.py at
// build time with Node: Pyodide's own python_stdlib.zip holds .py sources only, so every
// start compiles each module Python imports while booting. This zip holds bytecode,
// compiled by Pyodide's own Python (the host Python's magic number would be refused), of
// the modules the calculator can import and nothing else.
//
// "Can import" is a closure, not a trace: it starts from what a boot, loading the wheels
// and a request to each tool import, then adds every module named by an import
// statement anywhere in those modules (inside functions and try blocks too), until
// nothing new is found. Only imports computed at run time escape it; the one such family
// in the standard library that a request can reach, the codecs in `encodings`, is kept
// whole.
//
// Usage: node build_stdlib.mjs <pyodide dir> <packages dir with pyodide-lock.json> <out.zip>
// Prints a JSON report on stdout (the build logs it): "traced", the modules imported by
// the runs; "kept", the closure shipped; "of", the modules in Pyodide's zip.
// Depends on CPython's private importlib._bootstrap_external._code_to_hash_pyc (see
// CONTRIBUTING.md, 升级 Pyodide).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, packagesDir, out] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  lockFileURL: path.join(packagesDir, "pyodide-lock.json"),
  stdout: () => {},
  stderr: (l) => console.error(l),
});
await py.loadPackage("shegong", { messageCallback: () => {} });
py.globals.set("OUT", "/tmp/python_stdlib.zip");
const report = py.runPython(`
import ast, importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

from shegong.api import TOOLS, evaluate_json
for tool in TOOLS:  # each tool's path through the rules, with its errors
    evaluate_json(json.dumps({"tool": tool}))
evaluate_json("{")

ZIP = next(p for p in sys.path if p.endswith(".zip"))
src = zipfile.ZipFile(ZIP)
names = set(src.namelist())

def source_of(mod):
    p = mod.replace(".", "/")
    for cand, is_pkg in ((p + "/__init__.py", True), (p + ".py", False)):
        if cand in names:
            return cand, is_pkg
    return None

roots = {n for n, m in list(sys.modules.items()) if (getattr(m, "__file__", None) or "").startswith(ZIP + "/")}
roots |= {n[:-3].replace("/", ".").removesuffix(".__init__") for n in names if n.startswith("encodings/") and n.endswith(".py")}
keep, todo = {}, sorted(roots)
while todo:
    mod = todo.pop()
    if not mod or mod in keep:
        continue
    found = source_of(mod)
    if not found:
        continue
    keep[mod] = found
    parts = mod.split(".")
    todo += [".".join(parts[:i]) for i in range(1, len(parts))]
    pkg = mod if found[1] else mod.rpartition(".")[0]
    for node in ast.walk(ast.parse(src.read(found[0]))):
        if isinstance(node, ast.Import):
            todo += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = ".".join(base[: len(base) - (node.level - 1)])
                target = base + ("." + node.module if node.module else "")
            else:
                target = node.module
            todo.append(target)
            todo += [target + "." + a.name for a in node.names]

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
            data = src.read(name)
            code = compile(data, ZIP + "/" + name, "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            zi = zipfile.ZipInfo(name[:-3] + ".pyc", date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, bytes(pyc))
        elif name.rsplit("/", 1)[0] in dirs if "/" in name else "" in dirs:
            zi = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, src.read(name))

json.dumps({"traced": len(roots), "kept": len(keep), "of": sum(n.endswith(".py") for n in names)})
`);
fs.writeFileSync(out, py.FS.readFile("/tmp/python_stdlib.zip"));
console.log(report);
