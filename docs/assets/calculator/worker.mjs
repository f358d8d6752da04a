// Module Web Worker: runs the rules package `shegong` on Pyodide, off the main thread.
// Messages in:  {type: "evaluate", id, request: "<JSON text>"}
// Messages out: {type: "progress", stage}, {type: "ready"}, {type: "failed", message},
//               {type: "result", id, response: "<JSON text>"} or {type: "result", id, error}
// The request and response are the JSON of `python -m shegong`.

// Where Pyodide and the wheels are: set by the page in the worker's name.
const { runtime: runtimeURL, packages: packagesURL } = JSON.parse(self.name);

const queue = [];
let evaluateJSON = null;

function answer(id, request) {
  try {
    self.postMessage({ type: "result", id, response: evaluateJSON(request) });
  } catch (err) {
    self.postMessage({ type: "result", id, error: String(err && err.message ? err.message : err) });
  }
}

self.addEventListener("message", (event) => {
  const m = event.data || {};
  if (m.type !== "evaluate") return;
  if (evaluateJSON) answer(m.id, m.request);
  else queue.push(m);
});

async function start() {
  self.postMessage({ type: "progress", stage: "runtime" });
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeURL).href);
  const pyodide = await loadPyodide({
    indexURL: runtimeURL,
    lockFileURL: new URL("pyodide-lock.json", packagesURL).href,
    // Downloaded while Pyodide boots, from this site (no CDN, no micropip).
    packages: ["shegong"],
    stdout: () => {},
    stderr: (line) => console.warn(line),
  });
  self.postMessage({ type: "progress", stage: "rules" });
  pyodide.runPython(`
import json as _json
from shegong.api import evaluate as _evaluate

def _shegong_evaluate_json(text):
    return _json.dumps(_evaluate(text), ensure_ascii=False)
`);
  const fn = pyodide.globals.get("_shegong_evaluate_json");
  evaluateJSON = (text) => fn(text);
  self.postMessage({ type: "ready" });
  while (queue.length) {
    const m = queue.shift();
    answer(m.id, m.request);
  }
}

start().catch((err) => {
  self.postMessage({ type: "failed", message: String(err && err.message ? err.message : err) });
});
