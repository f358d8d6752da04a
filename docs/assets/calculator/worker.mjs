// Module Web Worker: runs the rules package `shegong` on Pyodide, off the main thread.
// Messages in:  {type: "evaluate", id, request: "<JSON text>"}
// Messages out: {type: "progress", stage}, {type: "ready"}, {type: "failed", message},
//               {type: "result", id, response: "<JSON text>"} or {type: "result", id, error}
// The request and response are the JSON of `python -m shegong`.

// Where Pyodide and the wheels are: set by the page in the worker's name (a query
// string would be lost when the service worker answers from its cache).
const { runtime: runtimeURL, packages: packagesURL } = JSON.parse(self.name);

// --- fetching the runtime -------------------------------------------------------------
// The runtime's URLs never change content (version and hash are in the paths), so the
// worker keeps each file in the same cache the service worker uses, "shegong-runtime":
// the first visit then downloads each file once, and later visits read it from the
// cache even before the service worker controls the page. The big files are requested
// right away, while pyodide.mjs is still loading.
const RUNTIME_CACHE = "shegong-runtime";
const nativeFetch = self.fetch.bind(self);
const cacheReady = "caches" in self ? caches.open(RUNTIME_CACHE).catch(() => null) : Promise.resolve(null);
const early = new Map();

function keyOf(input) {
  const u = new URL(typeof input === "string" ? input : input.url || String(input), self.location.href);
  return u.origin + u.pathname;
}

function isRuntime(key) {
  return key.startsWith(runtimeURL) || key.startsWith(packagesURL);
}

async function cachedFetch(key, input, init) {
  const cache = await cacheReady;
  if (cache) {
    try {
      const hit = await cache.match(key);
      if (hit) return hit;
    } catch { /* fall through to the network */ }
  }
  const res = await nativeFetch(input || key, init);
  if (cache && res.status === 200) cache.put(key, res.clone()).catch(() => {});
  return res;
}

self.fetch = (input, init) => {
  const key = keyOf(input);
  if (!isRuntime(key)) return nativeFetch(input, init);
  const started = early.get(key);
  if (started) {
    early.delete(key);
    return started;
  }
  return cachedFetch(key, input, init);
};

function fail(message) {
  self.postMessage({ type: "failed", message: String(message) });
}

for (const url of [
  new URL("pyodide.asm.wasm", runtimeURL).href,
  new URL("python_stdlib.zip", runtimeURL).href,
  new URL("pyodide-lock.json", packagesURL).href,
]) {
  const started = cachedFetch(url);
  early.set(url, started);
  // Pyodide does not always settle when a core file is missing: say so here.
  started.then(
    (res) => { if (!res.ok) fail(`${url.split("/").pop()}: HTTP ${res.status}`); },
    (err) => fail(`${url.split("/").pop()}: ${err && err.message ? err.message : err}`)
  );
}
self.addEventListener("unhandledrejection", (ev) => fail(ev.reason && ev.reason.message ? ev.reason.message : ev.reason));

// --- the rules ---------------------------------------------------------------------------

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

// Milliseconds since the worker started, reported with "ready" for the benchmark.
// Times are converted to the page's clock by adding performance.timeOrigin.
const timings = { origin: performance.timeOrigin };
const lap = (name) => { timings[name] = Math.round(performance.now()); };

async function start() {
  self.postMessage({ type: "progress", stage: "runtime" });
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeURL).href);
  lap("pyodide_imported");
  const pyodide = await loadPyodide({
    indexURL: runtimeURL,
    lockFileURL: new URL("pyodide-lock.json", packagesURL).href,
    // Downloaded while Pyodide boots, from this site (no CDN, no micropip).
    packages: ["shegong"],
    stdout: () => {},
    stderr: (line) => console.warn(line),
  });
  lap("pyodide_loaded");
  self.postMessage({ type: "progress", stage: "rules" });
  // The package's own JSON entry point: the same function the CLI's contract is built on.
  pyodide.runPython("from shegong.api import evaluate_json as _shegong_evaluate_json");
  const fn = pyodide.globals.get("_shegong_evaluate_json");
  evaluateJSON = (text) => fn(text);
  lap("rules_imported");
  self.postMessage({ type: "ready", timings });
  // Only the newest queued request of each kind matters to a page, but the API promises
  // an answer to every call: answer them all, in order.
  while (queue.length) {
    const m = queue.shift();
    answer(m.id, m.request);
  }
}

start().catch((err) => fail(err && err.message ? err.message : err));
