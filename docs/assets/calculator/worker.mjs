// Module Web Worker: runs the rules package `shegong` on Pyodide, off the main thread.
// Messages in:  {type: "evaluate", id, request: "<JSON text>"}, {type: "forget-snapshot"}
// Messages out: {type: "progress", stage}, {type: "ready", timings, start},
//               {type: "snapshot", ...} (stored, or why not), {type: "failed", message},
//               {type: "result", id, response: "<JSON text>"} or {type: "result", id, error}
// The request and response are the JSON of `python -m shegong`.

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

let snapshotForgotten = false;
self.addEventListener("message", (event) => {
  const m = event.data || {};
  if (m.type === "forget-snapshot") {
    // 清除数据: a snapshot still waiting to be stored is dropped too.
    snapshotForgotten = true;
    pendingSnapshot = null;
    return;
  }
  if (!["evaluate", "sheet", "export"].includes(m.type)) return;
  if (evaluateJSON) dispatch(m);
  else queue.push(m);
});

// Milliseconds since the worker started, reported with "ready" for the benchmark.
// Times are converted to the page's clock by adding performance.timeOrigin.
const timings = { origin: performance.timeOrigin };
const lap = (name) => { timings[name] = Math.round(performance.now()); };

// --- memory snapshot -----------------------------------------------------------------------
// A repeat visit restores Python from a memory snapshot instead of booting it: the rules
// are already imported and the policy already read. `_makeSnapshot`/`_loadSnapshot` are
// experimental options of the pinned Pyodide, so every step here may fail, and each
// failure falls back to the normal boot (which then stores a fresh snapshot).
//
// - The snapshot is made in this worker right after the imports and a fixed warm-up
//   request, before the first request from the page is read: it never holds user input
//   (the heap is copied whole, freed memory included, so "after the first answer" would
//   not be safe). Making it here is cheap; a second worker would download and boot
//   Pyodide again on a phone's two cores.
// - It is keyed by the Pyodide version, the rules wheel's hash and the standard
//   library's hash (snapshotKey, from the build), and stored under one URL, so a new
//   release replaces the old snapshot instead of restoring it.
// - It is stored without its all-zero pages (see pack), uncompressed, with its SHA-256,
//   checked before Pyodide sees the bytes. Pyodide starts its wasm only once it has the
//   snapshot, so reading it back is on a repeat visit's critical path. Gzip
//   (CompressionStream) would store less but measured slower to compress and no faster
//   to read back, on the worker's own thread; the README has the figures (`make bench`).
const SNAPSHOT_CACHE = "shegong-snapshot";
const SNAPSHOT_URL = new URL("../snapshot", packagesURL).href;
// Run once before the snapshot (so the policy is read and lazy imports are done) and
// once after a restore (its answer must be the same, or the restore is not trusted).
const WARMUP = JSON.stringify({ tool: "registration", level: "社会工作师", passed_on: "2024-09-10", today: "2025-01-01" });
let pendingSnapshot = null;

async function sha256hex(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The stored snapshot's bytes (a promise, started right away) if it was made for this
 * build, or why there is none. */
async function findSnapshot() {
  if (!snapshotKey || !("caches" in self) || !self.crypto || !crypto.subtle) return { why: "unsupported" };
  try {
    const res = await (await caches.open(SNAPSHOT_CACHE)).match(SNAPSHOT_URL);
    if (!res) return { why: "none" };
    if (res.headers.get("x-shegong-key") !== snapshotKey) return { why: "mismatch" };
    if (res.headers.get("x-shegong-disabled")) return { why: "disabled" };
    const bytes = verifiedBytes(res);
    // Pyodide awaits it later; until then a rejection must not count as unhandled.
    bytes.catch(() => {});
    return { bytes, check: res.headers.get("x-shegong-check") };
  } catch (err) {
    return { why: "unreadable: " + (err && err.message ? err.message : err) };
  }
}

class CorruptSnapshot extends Error {}

async function verifiedBytes(res) {
  const packed = new Uint8Array(await res.arrayBuffer());
  lap("snapshot_read");
  if ((await sha256hex(packed)) !== res.headers.get("x-shegong-sha256")) throw new CorruptSnapshot("corrupt");
  const bytes = unpack(packed);
  lap("snapshot_verified");
  return bytes;
}

// Most of the heap is memory Python never touched: most of its pages are all zeros.
// The stored copy leaves them out ("SGS1", the heap's length, the page size, a bitmap of
// the pages kept, then those pages), which cuts what a repeat visit reads and hashes
// (the README has the sizes).
const PACK_MAGIC = 0x53475331; // "SGS1"
const PAGE = 4096;

function pack(bytes) {
  const total = bytes.length;
  const pages = Math.ceil(total / PAGE);
  const bitmap = new Uint8Array(Math.ceil(pages / 8));
  const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, total >> 2) : null;
  let size = 12 + bitmap.length;
  for (let p = 0; p < pages; p++) {
    const start = p * PAGE;
    const end = Math.min(start + PAGE, total);
    let used = false;
    if (words && end - start === PAGE) {
      for (let w = start >> 2, e = end >> 2; w < e; w++) if (words[w] !== 0) { used = true; break; }
    } else {
      for (let i = start; i < end; i++) if (bytes[i] !== 0) { used = true; break; }
    }
    if (used) {
      bitmap[p >> 3] |= 1 << (p & 7);
      size += end - start;
    }
  }
  const out = new Uint8Array(size);
  const head = new DataView(out.buffer);
  head.setUint32(0, PACK_MAGIC);
  head.setUint32(4, total);
  head.setUint32(8, PAGE);
  out.set(bitmap, 12);
  let off = 12 + bitmap.length;
  for (let p = 0; p < pages; p++) {
    if (bitmap[p >> 3] & (1 << (p & 7))) {
      const chunk = bytes.subarray(p * PAGE, Math.min((p + 1) * PAGE, total));
      out.set(chunk, off);
      off += chunk.length;
    }
  }
  return out;
}

function unpack(packed) {
  const head = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.length < 12 || head.getUint32(0) !== PACK_MAGIC) throw new CorruptSnapshot("corrupt");
  const total = head.getUint32(4);
  const page = head.getUint32(8);
  const pages = Math.ceil(total / page);
  const bitmap = packed.subarray(12, 12 + Math.ceil(pages / 8));
  const out = new Uint8Array(total); // zero-filled: the pages left out
  let off = 12 + bitmap.length;
  for (let p = 0; p < pages; p++) {
    if (bitmap[p >> 3] & (1 << (p & 7))) {
      const len = Math.min(page, total - p * page);
      if (off + len > packed.length) throw new CorruptSnapshot("corrupt");
      out.set(packed.subarray(off, off + len), p * page);
      off += len;
    }
  }
  if (off !== packed.length) throw new CorruptSnapshot("corrupt");
  return out;
}

async function disableSnapshots() {
  try {
    await (await caches.open(SNAPSHOT_CACHE)).put(SNAPSHOT_URL, new Response("", {
      headers: { "x-shegong-key": snapshotKey, "x-shegong-disabled": "restore failed" },
    }));
  } catch { /* then the next visit tries again */ }
}

async function deleteSnapshot() {
  try { await (await caches.open(SNAPSHOT_CACHE)).delete(SNAPSHOT_URL); } catch { /* nothing stored */ }
}

async function storeSnapshot() {
  const snap = pendingSnapshot;
  pendingSnapshot = null;
  if (!snap || snapshotForgotten) {
    self.postMessage({ type: "snapshot", stored: false, error: "清除数据" });
    return;
  }
  const t0 = performance.now();
  try {
    const packed = pack(snap.bytes);
    const res = new Response(packed, {
      headers: {
        "content-type": "application/octet-stream",
        "x-shegong-key": snapshotKey,
        "x-shegong-sha256": await sha256hex(packed),
        "x-shegong-check": snap.check,
      },
    });
    const cache = await caches.open(SNAPSHOT_CACHE);
    if (!snapshotForgotten) await cache.put(SNAPSHOT_URL, res);
    if (snapshotForgotten) {
      await deleteSnapshot();
      self.postMessage({ type: "snapshot", stored: false, error: "清除数据" });
      return;
    }
    self.postMessage({
      type: "snapshot", stored: true, bytes: snap.bytes.length, stored_bytes: packed.length,
      make_ms: snap.make_ms, store_ms: Math.round(performance.now() - t0),
    });
  } catch (err) {
    // A full disk or a private window: the calculator works, the next visit boots.
    self.postMessage({ type: "snapshot", stored: false, error: String(err && err.message ? err.message : err) });
  }
}

/** The one place this file leans on Pyodide internals: the lockfile bookkeeping of loaded
 * packages is a JS object the snapshot cannot carry, so it is emptied while the snapshot
 * is taken (the packages themselves are in the heap) and put back. */
function makeSnapshot(pyodide) {
  const loaded = { ...pyodide.loadedPackages };
  for (const k of Object.keys(loaded)) delete pyodide.loadedPackages[k];
  try {
    return pyodide.makeMemorySnapshot();
  } finally {
    Object.assign(pyodide.loadedPackages, loaded);
  }
}

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

async function boot(loadPyodide, snapshots) {
  const pyodide = await loadPyodide({
    ...baseOptions(),
    // Downloaded while Pyodide boots, from this site (no CDN, no micropip).
    packages: ["shegong", ...pagePackages],
    _makeSnapshot: snapshots,
  });
  lap("pyodide_loaded");
  // The site's stdlib zip holds only the modules a start imports: any other one comes from
  // Pyodide's own zip beside it, fetched when first imported (sitebuild/node/stdlib_fallback.py).
  // Pyodide's own zip (the bench's stock-stdlib variant) has every module and no finder.
  pyodide.runPython(`try:
    import _shegong_stdlib
except ImportError:
    pass
else:
    _shegong_stdlib.install(${JSON.stringify(new URL("python_stdlib_full.zip", stdlibURL).href)})`);
  self.postMessage({ type: "progress", stage: "rules" });
  // The package's own JSON entry point: the same function the CLI's contract is built on.
  pyodide.runPython("from shegong.api import evaluate_json as _shegong_evaluate_json");
  const fn = pyodide.globals.get("_shegong_evaluate_json");
  const warm = fn(WARMUP);
  if (pagePackages.length) {
    // Imported now, with a round trip through both entry points, so that the first file
    // chosen does not wait for openpyxl's modules (nor the standard library they need).
    pyodide.runPython(`from shegong.api import evaluate_sheet_json as _sheet_json, export as _export
from pyodide.ffi import to_js as _to_js
def _shegong_sheet(buf, name, today):
    return _sheet_json(buf.to_py(), name, today)
def _shegong_export(text, fmt):
    return _to_js(_export(text, fmt))
_sheet_json(_export({"workers": []}, "xlsx"), "warm-up.xlsx", "")`);
    sheetFns = { sheet: pyodide.globals.get("_shegong_sheet"), exportFile: pyodide.globals.get("_shegong_export") };
  }
  lap("rules_imported");
  let made = snapshotForgotten ? "清除数据" : "off";
  if (snapshots && !snapshotForgotten) {
    try {
      const t0 = performance.now();
      const bytes = makeSnapshot(pyodide);
      const make_ms = Math.round(performance.now() - t0);
      pendingSnapshot = { bytes, make_ms, check: await sha256hex(new TextEncoder().encode(warm)) };
      made = "made";
      lap("snapshot_made");
    } catch (err) {
      made = "failed: " + (err && err.message ? err.message : err);
    }
  }
  return { fn, made };
}

async function start() {
  self.postMessage({ type: "progress", stage: "runtime" });
  const [{ loadPyodide }, found] = await Promise.all([
    import(new URL("pyodide.mjs", runtimeURL).href),
    findSnapshot(),
  ]);
  lap("pyodide_imported");
  // How this worker started, for the page, the tests and the benchmark.
  const how = { start: "boot", snapshot: found.why || "restored" };
  let fn = null;
  if (found.bytes) {
    try {
      fn = await restore(loadPyodide, found);
      how.start = "snapshot";
      lap("pyodide_loaded");
      lap("rules_imported");
    } catch (err) {
      if (err instanceof CorruptSnapshot) {
        how.snapshot = "corrupt";
        await deleteSnapshot();
      } else {
        // A good copy that this browser cannot restore would fail on every visit: leave
        // a marker so this build stops making snapshots here (a new build or 清除数据
        // removes it).
        how.snapshot = "restore failed: " + (err && err.message ? err.message : err);
        await disableSnapshots();
      }
    }
  } else if (found.why === "mismatch") {
    await deleteSnapshot();
  }
  if (!fn) {
    // No snapshot is made where none could be stored (no Cache Storage, no WebCrypto) or
    // restored (see disableSnapshots).
    const booted = await boot(loadPyodide, !how.snapshot.startsWith("restore failed") &&
      !["unsupported", "disabled"].includes(found.why) && !String(found.why).startsWith("unreadable"));
    fn = booted.fn;
    how.made = booted.made;
  }
  evaluateJSON = (text) => fn(text);
  self.postMessage({ type: "ready", timings, start: how });
  // Only the newest queued request of each kind matters to a page, but the API promises
  // an answer to every call: answer them all, in order.
  while (queue.length) {
    dispatch(queue.shift());
  }
  // Stored once the page has its first answers, so packing and writing it do not delay them.
  if (pendingSnapshot) setTimeout(storeSnapshot, 0);
  else self.postMessage({ type: "snapshot", stored: false, error: how.start === "snapshot" ? "restored from one" : how.made });
}

start().catch((err) => fail(err && err.message ? err.message : err));
