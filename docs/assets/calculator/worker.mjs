// Module Web Worker: runs the rules package `shegong` on Pyodide, off the main thread.
// Messages in:  {type: "evaluate", id, request: "<JSON text>"}, {type: "sheet", id, bytes, name, today},
//               {type: "export", id, response, format}, {type: "forget-snapshot"}
// Messages out: {type: "progress", stage}, {type: "ready", timings, start},
//               {type: "snapshot", ...} (stored, or why not), {type: "failed", message},
//               {type: "result", id, response: "<JSON text>"} or {type: "result", id, error}
// The request and response are the JSON of `python -m shegong`.

import { CorruptSnapshot, Snapshots, sha256hex } from "./snapshot.mjs";

// Where Pyodide and the wheels are: set by the page in the worker's name (a query
// string would be lost when the service worker answers from its cache).
// `load`: the page's own packages besides the rules (the team page's openpyxl).
const { runtime: runtimeURL, packages: packagesURL, snapshot: snapshotKey, stdlib: stdlibURL, download: sizes = {},
  load: pagePackages = [] } =
  JSON.parse(self.name);

// --- fetching the runtime -------------------------------------------------------------
// The runtime's URLs never change content (version and hash are in the paths), so the
// worker keeps each file in the same cache the service worker uses, "shegong-runtime":
// the first visit then downloads each file once, and later visits read it from the
// cache even before the service worker controls the page. The big files are requested
// right away, while pyodide.mjs is still loading.
const RUNTIME_CACHE = "shegong-runtime";
const nativeFetch = self.fetch.bind(self);
// Where Cache Storage throws on access (older private windows), the worker downloads
// every time and boots without a snapshot instead of stopping.
function openCache(name) {
  try {
    return "caches" in self ? Promise.resolve(caches.open(name)).catch(() => null) : Promise.resolve(null);
  } catch {
    return Promise.resolve(null);
  }
}
const cacheReady = openCache(RUNTIME_CACHE);
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
  await plan();
  downloading(1);
  let res;
  try {
    res = await nativeFetch(input || key, init);
  } catch (err) {
    downloading(-1);
    throw err;
  }
  if (cache && res.status === 200) {
    try { cache.put(key, res.clone()).catch(() => {}); } catch { /* not kept: downloaded again next time */ }
  }
  return counted(res, sizes[key]);
}

// The page gives up on a download that stalls (boot.js), not on one that is slow, nor
// while Python boots: it hears when downloads start and end, and that bytes still arrive.
// The page's progress bar: bytes received of the files this visit downloads, whose sizes
// the build put in the page config (a file already in the cache is not counted).
let active = 0;
let lastProgress = 0;
let received = 0;
let expected = 0;
// Counted at the first cache miss, so a visit that finds everything on the device does
// no extra work; every download waits for it, so no file is put in the cache before it
// is looked up here.
let planned = null;
function plan() {
  planned = planned || cacheReady.then(async (cache) => {
    const entries = Object.entries(sizes);
    const hits = await Promise.all(entries.map(([key]) => (cache ? cache.match(key).catch(() => null) : null)));
    expected = entries.reduce((sum, [, size], i) => sum + (hits[i] ? 0 : size), 0);
  });
  return planned;
}
function downloading(delta) {
  active += delta;
  self.postMessage({ type: "progress", stage: "download", active, received, expected });
}

// `size`: the file's size from the build, or undefined for a file not counted. A file can
// arrive larger: the mirror stores the stdlib zip re-packed with its members stored
// (sitebuild/publish_s3.py: STORED_MEMBERS), fewer bytes on the wire but more once
// decoded, and pages are not rebuilt for the mirror. The bytes beyond the build's size are
// added to what is expected as they come, so the bar never claims more than it received.
function counted(res, size) {
  if (!res.ok || !res.body || typeof TransformStream !== "function") {
    downloading(-1);
    return res;
  }
  let got = 0;
  const tick = new TransformStream({
    transform(chunk, controller) {
      if (size !== undefined) {
        const before = Math.max(got, size);
        got += chunk.byteLength;
        received += chunk.byteLength;
        expected += Math.max(got, size) - before;
      }
      const now = performance.now();
      if (now - lastProgress > 200) {
        lastProgress = now;
        self.postMessage({ type: "progress", stage: "download", active, received, expected });
      }
      controller.enqueue(chunk);
    },
    flush() { downloading(-1); },
  });
  return new Response(res.body.pipeThrough(tick), { status: res.status, statusText: res.statusText, headers: res.headers });
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
  stdlibURL,
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
// The team page's entry points (shegong.api.evaluate_sheet_json and export), set at boot
// when the page loads the spreadsheet packages.
let sheetFns = null;

// Deep JSON is refused by the rules before they parse it (shegong.api.parse counts the
// nesting without recursing), so a 10,000-deep request cannot overflow the stack here.
function answer(id, request) {
  let out;
  try {
    out = evaluateJSON(request);
  } catch (err) {
    // evaluate_json answers bad input in JSON and never raises: whatever gets here
    // (a stack overflow, a Pyodide fatal error) may have left Python unusable.
    self.postMessage({ type: "result", id, fatal: true,
      error: "计算引擎出错：" + String(err && err.message ? err.message : err).slice(0, 200) });
    return;
  }
  if (typeof out !== "string") {
    self.postMessage({ type: "result", id, fatal: true, error: "计算引擎没有给出有效的结果" });
    return;
  }
  self.postMessage({ type: "result", id, response: out });
}

function dispatch(m) {
  if (m.type === "evaluate") {
    answer(m.id, m.request);
    return;
  }
  if (!sheetFns) {
    self.postMessage({ type: "result", id: m.id, error: "这个页面没有载入读取表格的模块" });
    return;
  }
  try {
    if (m.type === "sheet") {
      // The file's bytes arrive as a transferred ArrayBuffer; Python reads them (to_py).
      self.postMessage({ type: "result", id: m.id, response: sheetFns.sheet(m.bytes, m.name || "", m.today || "") });
    } else {
      const out = sheetFns.exportFile(m.response, m.format);
      const bytes = new Uint8Array(out);
      self.postMessage({ type: "result", id: m.id, bytes }, [bytes.buffer]);
    }
  } catch (err) {
    self.postMessage({ type: "result", id: m.id, fatal: true,
      error: "计算引擎出错：" + String(err && err.message ? err.message : err).slice(0, 200) });
  }
}

const snapshots = new Snapshots(snapshotKey, packagesURL, (name) => lap(name), (m) => self.postMessage(m));
self.addEventListener("message", (event) => {
  const m = event.data || {};
  if (m.type === "forget-snapshot") snapshots.forget();
  if (!["evaluate", "sheet", "export"].includes(m.type)) return;
  if (evaluateJSON) dispatch(m);
  else queue.push(m);
});

// Milliseconds since the worker started, reported with "ready" for the benchmark.
// Times are converted to the page's clock by adding performance.timeOrigin.
const timings = { origin: performance.timeOrigin };
const lap = (name) => { timings[name] = Math.round(performance.now()); };

// --- boot: from the memory snapshot (snapshot.mjs), or in full -----------------------------
// Run once before the snapshot (so the policy is read and lazy imports are done) and
// once after a restore (its answer must be the same, or the restore is not trusted).
const WARMUP = JSON.stringify({ tool: "registration", level: "社会工作师", passed_on: "2024-09-10", today: "2025-01-01" });

const baseOptions = () => ({
  indexURL: runtimeURL,
  lockFileURL: new URL("pyodide-lock.json", packagesURL).href,
  // Bytecode of the modules the rules can import, built by sitebuild/node/build_stdlib.mjs.
  stdLibURL: stdlibURL,
  stdout: () => {},
  stderr: (line) => console.warn(line),
});

async function restore(loadPyodide, found) {
  const pyodide = await loadPyodide({ ...baseOptions(), _loadSnapshot: found.bytes });
  const fn = pyodide.globals.get("_shegong_evaluate_json");
  if (!fn || (await sha256hex(new TextEncoder().encode(fn(WARMUP)))) !== found.check) {
    throw new Error("the restored rules do not give the answer they gave when the snapshot was made");
  }
  return fn;
}

// The site's stdlib zip holds only the modules a start imports: any other one comes from
// Pyodide's own zip beside it, fetched when first imported (sitebuild/node/stdlib_fallback.py).
// Pyodide's own zip (the bench's stock-stdlib variant) has every module and no finder.
function installStdlibFallback(pyodide) {
  pyodide.runPython(`try:
    import _shegong_stdlib
except ImportError:
    pass
else:
    _shegong_stdlib.install(${JSON.stringify(new URL("python_stdlib_full.zip", stdlibURL).href)})`);
}

// The page's own packages (the team page's openpyxl) come with the spreadsheet entry
// points, imported now with a round trip through both, so that the first file chosen
// does not wait for openpyxl's modules (nor the standard library they need).
function importSheets(pyodide) {
  pyodide.runPython(`from shegong.api import evaluate_sheet_json as _sheet_json, export as _export
from pyodide.ffi import to_js as _to_js
def _shegong_sheet(buf, name, today):
    return _sheet_json(buf.to_py(), name, today)
def _shegong_export(text, fmt):
    return _to_js(_export(text, fmt))
_sheet_json(_export({"workers": []}, "xlsx"), "warm-up.xlsx", "")`);
  sheetFns = { sheet: pyodide.globals.get("_shegong_sheet"), exportFile: pyodide.globals.get("_shegong_export") };
}

async function boot(loadPyodide, makeOne) {
  const pyodide = await loadPyodide({
    ...baseOptions(),
    // Downloaded while Pyodide boots, from this site (no CDN, no micropip).
    packages: ["shegong", ...pagePackages],
    _makeSnapshot: makeOne,
  });
  lap("pyodide_loaded");
  installStdlibFallback(pyodide);
  self.postMessage({ type: "progress", stage: "rules" });
  // The package's own JSON entry point: the same function the CLI's contract is built on.
  pyodide.runPython("from shegong.api import evaluate_json as _shegong_evaluate_json");
  const fn = pyodide.globals.get("_shegong_evaluate_json");
  const warm = fn(WARMUP);
  if (pagePackages.length) importSheets(pyodide);
  lap("rules_imported");
  const made = makeOne ? await snapshots.make(pyodide, warm) : snapshots.forgotten ? "清除数据" : "off";
  return { fn, made };
}

/** Restored from the stored snapshot, or null (and why not, in ``how``). */
async function restored(loadPyodide, found, how) {
  if (!found.bytes) {
    if (found.why === "mismatch") await snapshots.remove();
    return null;
  }
  try {
    const fn = await restore(loadPyodide, found);
    how.start = "snapshot";
    lap("pyodide_loaded");
    lap("rules_imported");
    return fn;
  } catch (err) {
    if (err instanceof CorruptSnapshot) {
      how.snapshot = "corrupt";
      await snapshots.remove();
    } else {
      how.snapshot = "restore failed: " + (err && err.message ? err.message : err);
      await snapshots.disable();
    }
    return null;
  }
}

async function start() {
  self.postMessage({ type: "progress", stage: "runtime" });
  const [{ loadPyodide }, found] = await Promise.all([import(new URL("pyodide.mjs", runtimeURL).href), snapshots.find()]);
  lap("pyodide_imported");
  // How this worker started, for the page, the tests and the benchmark.
  const how = { start: "boot", snapshot: found.why || "restored" };
  let fn = await restored(loadPyodide, found, how);
  if (!fn) {
    // No snapshot is made where none could be stored (no Cache Storage, no WebCrypto) or
    // restored (see Snapshots.disable), nor after 清除数据.
    const makeOne = !snapshots.forgotten && !how.snapshot.startsWith("restore failed") &&
      !["unsupported", "disabled"].includes(found.why) && !String(found.why).startsWith("unreadable");
    const booted = await boot(loadPyodide, makeOne);
    fn = booted.fn;
    how.made = booted.made;
  }
  evaluateJSON = (text) => fn(text);
  self.postMessage({ type: "ready", timings, start: how });
  // Only the newest queued request of each kind matters to a page, but the API promises
  // an answer to every call: answer them all, in order.
  while (queue.length) dispatch(queue.shift());
  // Stored once the page has its first answers, so packing and writing it do not delay them.
  if (snapshots.pending) setTimeout(() => snapshots.store(), 0);
  else self.postMessage({ type: "snapshot", stored: false, error: how.start === "snapshot" ? "restored from one" : how.made });
}

start().catch((err) => fail(err && err.message ? err.message : err));
