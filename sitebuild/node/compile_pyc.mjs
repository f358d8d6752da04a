// Compiles the .py files under a directory to .pyc with Pyodide's own Python (run by
// sitebuild/pyodide_bundle.py at build time, with Node). The host Python cannot do
// this: its bytecode has another magic number and Pyodide would refuse it.
// The .pyc files are written beside their sources ("legacy" layout), so the wheel can
// ship bytecode only; unchecked-hash pycs (PEP 552) never look at a source file.
// Usage: node compile_pyc.mjs <pyodide dir> <dir>
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, dir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: (l) => console.error(l) });
py.FS.mkdirTree("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(dir) }, "/src");
const ok = py.runPython(`
import compileall, py_compile, sys
ok = compileall.compile_dir("/src", quiet=1, legacy=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
print(sys.implementation.cache_tag)
bool(ok)
`);
process.exit(ok ? 0 : 1);
