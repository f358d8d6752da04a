/* Loaded as a file (never inline, so the Content-Security-Policy needs no hash for it)
 * at the top of <head> of each calculator page by sitebuild/calculator_pages.py. Its
 * config is the JSON in <script type="application/json" id="sg-config"> just before it.
 * Starts the Pyodide worker before the rest of the page loads and defines
 * window.shegongCalculator.evaluate(request) -> Promise<response>, the same JSON as
 * `python -m shegong`. Plain ES5-compatible syntax, so that an old browser reaches the
 * point where it can say it is too old. Its one other global is ShegongEngine. */

/** The worker and the requests on their way to it. Every request is a pending entry
 * {resolve, reject, message}: message(id) gives [data, transfer] to post, again to a
 * restarted worker. */
function ShegongEngine(cfg) {
  this.cfg = cfg;
  this.root = new URL(cfg.base || "./", location.href);
  this.pending = {};
  this.nextId = 1;
  this.listeners = [];
  this.state = { phase: "loading", detail: "", error: null };
  this.worker = null;
  // A worker that failed is replaced once before the page gives up: a dropped download
  // or a Pyodide that died on one request should not need a reload. 重试 starts afresh.
  this.restartsLeft = 1;
  this.restarts = 0;
  // How the worker started: {start: "snapshot"|"boot", snapshot: "restored"|"none"|...}.
  this.started = null;
  // When the worker was started, and its own laps (for the benchmark).
  this.timings = { boot: performance.now() };
  // A download that gets no byte for this long has stalled: a phone that lost its
  // signal, or a proxy that holds the connection open. Slow but moving is fine, and so
  // is a long boot after the downloads (the worker reports both).
  this.stallMs = cfg.stall_ms || 30000;
  this.stallTimer = null;
  // Bytes of the engine's first download so far, of what this visit has to fetch (the
  // sizes come from the build), or null where nothing is downloaded.
  this.download = null;
  var self = this;
  this.snapshotStored = new Promise(function (res) { self.snapshotResolve = res; });
  // Settled by the page script once it has asked the service worker to keep the site.
  this.offlineReady = new Promise(function (res) { self.offlineResolve = res; });
  this.newReady();
}

ShegongEngine.prototype.newReady = function () {
  var self = this;
  this.ready = new Promise(function (res, rej) { self.readyResolve = res; self.readyReject = rej; });
  this.ready.catch(function () {});
};

ShegongEngine.prototype.setState = function (phase, detail, error) {
  this.state = { phase: phase, detail: detail || "", error: error || null, download: this.download };
  for (var i = 0; i < this.listeners.length; i++) {
    try { this.listeners[i](this.state); } catch (e) { /* a listener's bug must not stop others */ }
  }
};

ShegongEngine.prototype.watchStall = function () {
  var self = this;
  clearTimeout(this.stallTimer);
  if (this.state.phase === "loading") this.stallTimer = setTimeout(function () { self.workerFailed("stalled"); }, this.stallMs);
};

ShegongEngine.prototype.giveUp = function (reason) {
  clearTimeout(this.stallTimer);
  if (this.state.phase === "failed") return;
  this.setState("failed", reason, reason);
  this.readyReject(new Error(reason));
  for (var id in this.pending) {
    this.pending[id].reject(new Error(reason));
    delete this.pending[id];
  }
};

ShegongEngine.prototype.workerFailed = function (reason) {
  if (this.state.phase === "failed") return;
  if (this.worker) { try { this.worker.terminate(); } catch (e) {} }
  this.worker = null;
  if (reason !== "unsupported" && this.restartsLeft > 0) {
    this.restartsLeft--;
    this.restarts++;
    this.startWorker();
    return;
  }
  this.giveUp(reason);
};

ShegongEngine.prototype.onProgress = function (m) {
  if (m.stage === "download") {
    if (m.active > 0) this.watchStall();
    else clearTimeout(this.stallTimer);
    if (m.expected) {
      this.download = { received: m.received, expected: m.expected };
      if (this.state.phase === "loading") this.setState("loading", this.state.detail);
    }
  } else {
    // The worker's script has loaded; from now on only downloads can stall.
    clearTimeout(this.stallTimer);
    if (this.state.phase !== "ready") this.setState("loading", m.stage);
  }
};

ShegongEngine.prototype.onResult = function (m) {
  var p = this.pending[m.id];
  if (!p) return;
  delete this.pending[m.id];
  if (m.fatal) {
    // Pyodide can no longer answer. This request is not sent again (it may be what
    // broke it); the others go to a new worker.
    p.reject(new Error(m.error || "计算引擎出错"));
    this.workerFailed("worker");
  } else if (m.error) p.reject(new Error(m.error));
  else if (m.bytes) p.resolve(m.bytes);
  else if (typeof m.response !== "string") p.reject(new Error("计算引擎没有给出有效的结果"));
  else {
    try { p.resolve(JSON.parse(m.response)); } catch (e) { p.reject(new Error("计算引擎没有给出有效的结果")); }
  }
};

ShegongEngine.prototype.onMessage = function (ev) {
  if (ev.target !== this.worker) return; // a replaced worker's last words
  var m = ev.data || {};
  if (m.type === "progress") this.onProgress(m);
  else if (m.type === "ready") {
    clearTimeout(this.stallTimer);
    if (m.timings) this.timings.worker = m.timings;
    this.started = m.start || null;
    this.setState("ready", "");
    this.readyResolve(true);
  } else if (m.type === "snapshot") this.snapshotResolve(m);
  else if (m.type === "failed") this.workerFailed(m.message || "启动失败");
  else if (m.type === "result") this.onResult(m);
};

/** The worker reads where Pyodide and the wheels are from its name: a query string
 * would be lost when the service worker answers from its cache. */
ShegongEngine.prototype.workerName = function () {
  var cfg = this.cfg, root = this.root;
  return JSON.stringify({
    load: cfg.load || [],
    runtime: new URL(cfg.runtime, root).href,
    packages: new URL(cfg.packages, root).href,
    snapshot: cfg.snapshot || "",
    stdlib: new URL(cfg.stdlib, root).href,
    download: Object.keys(cfg.download || {}).reduce(function (out, path) {
      out[new URL(path, root).href] = cfg.download[path];
      return out;
    }, {})
  });
};

ShegongEngine.prototype.startWorker = function () {
  var self = this;
  this.setState("loading", this.restarts ? "restart" : "");
  var w = new Worker(new URL("assets/calculator/worker.mjs", this.root).href, { type: "module", name: this.workerName() });
  this.worker = w;
  this.timings.worker_created = performance.now();
  w.addEventListener("message", function (ev) { self.onMessage(ev); });
  w.addEventListener("error", function (e) {
    if (e && e.preventDefault) e.preventDefault();
    if (w === self.worker) self.workerFailed("worker");
  });
  w.addEventListener("messageerror", function () { if (w === self.worker) self.workerFailed("worker"); });
  this.watchStall();
  // Requests sent to a worker that died go to this one.
  for (var id in this.pending) this.post(this.pending[id].message(Number(id)));
};

ShegongEngine.prototype.post = function (message) {
  this.worker.postMessage(message[0], message[1]);
};

ShegongEngine.prototype.start = function () {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function" || typeof Promise !== "function") {
    this.giveUp("unsupported");
    return;
  }
  try { this.startWorker(); } catch (e) { this.giveUp("unsupported"); }
};

/** The one send path: ``message(id)`` -> [data, transfer]. The worker queues requests
 * that arrive while Pyodide is still loading. */
ShegongEngine.prototype.send = function (message) {
  var self = this;
  if (!this.cfg.tool) return Promise.reject(new Error("这个页面没有计算器"));
  if (this.state.phase === "failed") return Promise.reject(new Error(this.state.error));
  var id = this.nextId++;
  return new Promise(function (resolve, reject) {
    self.pending[id] = { resolve: resolve, reject: reject, message: message };
    self.post(message(id));
  });
};

/** 重试 after the page gave up: a new worker, with one restart again in reserve. */
ShegongEngine.prototype.retry = function () {
  if (!this.cfg.tool || this.state.phase !== "failed") return this.ready;
  this.restartsLeft = 1;
  this.newReady();
  this.start();
  return this.ready;
};

/** The path of the first number JSON cannot carry (it would be sent as null, then
 * reported as "missing"), e.g. "records[0].hours"; "" if there is none. */
ShegongEngine.unrepresentable = function (value, path) {
  if (typeof value === "number") return isFinite(value) ? "" : (path || "request");
  if (!value || typeof value !== "object") return "";
  var list = Object.prototype.toString.call(value) === "[object Array]";
  for (var k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    var found = ShegongEngine.unrepresentable(value[k], list ? path + "[" + k + "]" : (path ? path + "." + k : k));
    if (found) return found;
  }
  return "";
};

/** A request as the worker's message; a number too large for JSON is answered here, as
 * the rules answer bad input, naming the field by ``label(path)`` where the page gives one. */
ShegongEngine.prototype.evaluate = function (request, label) {
  var text = request;
  if (typeof request !== "string") {
    var bad = ShegongEngine.unrepresentable(request, "");
    if (bad) {
      return Promise.resolve({ ok: false, tool: request && request.tool || null, explanation: [],
        errors: [{ field: bad, message: "「" + (label ? label(bad) : bad) + "」的数字太大，超出了能计算的范围，请检查这个数。" }] });
    }
    text = JSON.stringify(request);
  }
  return this.send(function (id) { return [{ type: "evaluate", id: id, request: text }, []]; });
};

/** 清除数据: deletes the stored snapshot, and stops this worker from storing one.
 * Resolves true if it was deleted, false if there was none or storage refused; never
 * throws, even where Cache Storage throws on access (older private windows). */
ShegongEngine.prototype.forgetSnapshot = function () {
  if (this.worker) { try { this.worker.postMessage({ type: "forget-snapshot" }); } catch (e) {} }
  try {
    if (typeof caches === "undefined") return Promise.resolve(false);
    return Promise.resolve(caches["delete"]("shegong-snapshot")).then(null, function () { return false; });
  } catch (e) {
    return Promise.reject(e);
  }
};

/** What the page scripts (ui.mjs and the tools' modules), the tests and the benchmark use. */
ShegongEngine.prototype.api = function () {
  var engine = this;
  var api = {
    /** The same JSON response as `python -m shegong`, once the worker is ready. */
    evaluate: function (request, label) {
      try { return engine.evaluate(request, label); } catch (e) { return Promise.reject(e); }
    },
    /** A spreadsheet's bytes (ArrayBuffer) -> the response of shegong.api.evaluate_sheet.
     * A copy of the bytes is transferred, so that a restarted worker can be sent them again. */
    evaluateSheet: function (buffer, name, today) {
      return engine.send(function (id) {
        var copy = buffer.slice(0);
        return [{ type: "sheet", id: id, bytes: copy, name: name, today: today }, [copy]];
      });
    },
    /** A sheet's response (JSON text) as a file, "xlsx", "csv" or "ics" -> Uint8Array. */
    exportFile: function (responseText, format) {
      return engine.send(function (id) { return [{ type: "export", id: id, response: responseText, format: format }, []]; });
    },
    /** Resolves once Pyodide and the rules are loaded (by the first worker or the restarted one). */
    ready: engine.ready,
    /** Resolves once the whole site is kept for offline use, with {ok, reason}. */
    offlineReady: engine.offlineReady,
    /** For the page script: the outcome of its request to keep the site offline. */
    keptOffline: function (outcome) { engine.offlineResolve(outcome); },
    state: function () { return engine.state; },
    /** How the worker started (after "ready"): from a stored snapshot or a full boot. */
    started: function () { return engine.started; },
    /** How many times a failed worker was replaced. */
    restarts: function () { return engine.restarts; },
    retry: function () { return (api.ready = engine.retry()); },
    /** Resolves with the worker's report on a new snapshot: {stored: true, bytes, stored_bytes,
     * make_ms, store_ms}, or {stored: false, error} (restored from one, 清除数据, no storage). */
    snapshotStored: engine.snapshotStored,
    forgetSnapshot: function () { return engine.forgetSnapshot(); },
    onState: function (fn) { engine.listeners.push(fn); fn(engine.state); },
    config: engine.cfg,
    timings: engine.timings
  };
  return api;
};

window.shegongCalculator = (function () {
  var cfg = {};
  try {
    cfg = JSON.parse(document.getElementById("sg-config").textContent) || {};
  } catch (e) { /* then there is no tool on this page */ }
  var engine = new ShegongEngine(cfg);
  if (cfg.tool) engine.start();
  return engine.api();
})();
