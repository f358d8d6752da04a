/* Loaded as a file (never inline, so the Content-Security-Policy needs no hash for it)
 * at the top of <head> of each calculator page by sitebuild/calculator_pages.py. Its
 * config is the JSON in <script type="application/json" id="sg-config"> just before it.
 * Starts the Pyodide worker before the rest of the page loads and defines
 * window.shegongCalculator.evaluate(request) -> Promise<response>, the same JSON as
 * `python -m shegong`. Plain ES5-compatible syntax, so that an old browser reaches the
 * point where it can say it is too old. */
(function () {
  var cfg = {};
  try {
    cfg = JSON.parse(document.getElementById("sg-config").textContent) || {};
  } catch (e) { /* then there is no tool on this page */ }
  var root = new URL(cfg.base || "./", location.href);
  var pending = {};
  var nextId = 1;
  var listeners = [];
  var state = { phase: "loading", detail: "", error: null };
  var readyResolve, readyReject;
  var ready = new Promise(function (res, rej) { readyResolve = res; readyReject = rej; });
  ready.catch(function () {});
  var worker = null;
  // A worker that failed is replaced once before the page gives up: a dropped download
  // or a Pyodide that died on one request should not need a reload. 重试 starts afresh.
  var restartsLeft = 1;
  var restarts = 0;
  // How the worker started: {start: "snapshot"|"boot", snapshot: "restored"|"none"|...}.
  var started = null;
  var snapshotResolve;
  var snapshotStored = new Promise(function (res) { snapshotResolve = res; });
  // Settled by the page script once it has asked the service worker to keep the site.
  var offlineResolve;
  var offlineReady = new Promise(function (res) { offlineResolve = res; });
  // When the worker was started, and its own laps (for the benchmark).
  var timings = { boot: performance.now() };
  // A download that gets no byte for this long has stalled: a phone that lost its
  // signal, or a proxy that holds the connection open. Slow but moving is fine, and so
  // is a long boot after the downloads (the worker reports both).
  var STALL_MS = cfg.stall_ms || 30000;
  var stallTimer = null;

  // Bytes of the engine's first download so far, of what this visit has to fetch (the
  // sizes come from the build), or null where nothing is downloaded.
  var download = null;

  function setState(phase, detail, error) {
    state = { phase: phase, detail: detail || "", error: error || null, download: download };
    for (var i = 0; i < listeners.length; i++) {
      try { listeners[i](state); } catch (e) { /* a listener's bug must not stop others */ }
    }
  }

  function watchStall() {
    clearTimeout(stallTimer);
    if (state.phase === "loading") stallTimer = setTimeout(function () { workerFailed("stalled"); }, STALL_MS);
  }

  function giveUp(reason) {
    clearTimeout(stallTimer);
    if (state.phase === "failed") return;
    setState("failed", reason, reason);
    readyReject(new Error(reason));
    for (var id in pending) {
      pending[id].reject(new Error(reason));
      delete pending[id];
    }
  }

  function stopWorker() {
    if (worker) { try { worker.terminate(); } catch (e) {} }
    worker = null;
  }

  function workerFailed(reason) {
    if (state.phase === "failed") return;
    stopWorker();
    if (reason !== "unsupported" && restartsLeft > 0) {
      restartsLeft--;
      restarts++;
      startWorker();
      return;
    }
    giveUp(reason);
  }

  function onMessage(ev) {
    if (ev.target !== worker) return; // a replaced worker's last words
    var m = ev.data || {};
    if (m.type === "progress") {
      if (m.stage === "download") {
        if (m.active > 0) watchStall();
        else clearTimeout(stallTimer);
        if (m.expected) {
          download = { received: m.received, expected: m.expected };
          if (state.phase === "loading") setState("loading", state.detail);
        }
      } else {
        // The worker's script has loaded; from now on only downloads can stall.
        clearTimeout(stallTimer);
        if (state.phase !== "ready") setState("loading", m.stage);
      }
    } else if (m.type === "ready") {
      clearTimeout(stallTimer);
      if (m.timings) timings.worker = m.timings;
      started = m.start || null;
      setState("ready", "");
      readyResolve(true);
    } else if (m.type === "snapshot") {
      snapshotResolve(m);
    } else if (m.type === "failed") {
      workerFailed(m.message || "启动失败");
    } else if (m.type === "result" && pending[m.id]) {
      var p = pending[m.id];
      delete pending[m.id];
      if (m.fatal) {
        // Pyodide can no longer answer. This request is not sent again (it may be what
        // broke it); the others go to a new worker.
        p.reject(new Error(m.error || "计算引擎出错"));
        workerFailed("worker");
        return;
      }
      if (m.error) p.reject(new Error(m.error));
      else if (m.bytes) p.resolve(m.bytes);
      else if (typeof m.response !== "string") p.reject(new Error("计算引擎没有给出有效的结果"));
      else {
        try { p.resolve(JSON.parse(m.response)); } catch (e) { p.reject(new Error("计算引擎没有给出有效的结果")); }
      }
    }
  }

  function startWorker() {
    // The worker reads where Pyodide and the wheels are from its name: a query
    // string would be lost when the service worker answers from its cache.
    var name = JSON.stringify({
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
    setState("loading", restarts ? "restart" : "");
    var w = new Worker(new URL("assets/calculator/worker.mjs", root).href, { type: "module", name: name });
    worker = w;
    timings.worker_created = performance.now();
    w.addEventListener("message", onMessage);
    w.addEventListener("error", function (e) {
      if (e && e.preventDefault) e.preventDefault();
      if (w === worker) workerFailed("worker");
    });
    w.addEventListener("messageerror", function () { if (w === worker) workerFailed("worker"); });
    watchStall();
    // Requests sent to a worker that died go to this one.
    for (var id in pending) {
      if (pending[id].message) {
        var again = pending[id].message();
        w.postMessage(again[0], again[1]);
      } else w.postMessage({ type: "evaluate", id: Number(id), request: pending[id].text });
    }
  }

  var needsTool = !!cfg.tool;
  if (needsTool) {
    if (typeof WebAssembly !== "object" || typeof Worker !== "function" || typeof Promise !== "function") {
      giveUp("unsupported");
    } else {
      try {
        startWorker();
      } catch (e) {
        giveUp("unsupported");
      }
    }
  }

  /** The path of the first number JSON cannot carry (it would be sent as null, then
   * reported as "missing"), e.g. "records[0].hours"; "" if there is none. */
  function unrepresentable(value, path) {
    if (typeof value === "number") return isFinite(value) ? "" : (path || "request");
    if (!value || typeof value !== "object") return "";
    for (var k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      var sub = Object.prototype.toString.call(value) === "[object Array]" ? path + "[" + k + "]" : (path ? path + "." + k : k);
      var found = unrepresentable(value[k], sub);
      if (found) return found;
    }
    return "";
  }

  function send(message) {
    if (!needsTool) return Promise.reject(new Error("这个页面没有计算器"));
    if (state.phase === "failed") return Promise.reject(new Error(state.error));
    var id = nextId++;
    return new Promise(function (resolve, reject) {
      pending[id] = { resolve: resolve, reject: reject, message: function () { return message(id); } };
      var first = message(id);
      worker.postMessage(first[0], first[1]);
    });
  }

  window.shegongCalculator = {
    /** The same JSON response as `python -m shegong`, once the worker is ready. */
    evaluate: function (request) {
      if (!needsTool) return Promise.reject(new Error("这个页面没有计算器"));
      if (state.phase === "failed") return Promise.reject(new Error(state.error));
      var text;
      try {
        if (typeof request === "string") text = request;
        else {
          var bad = unrepresentable(request, "");
          if (bad) {
            return Promise.resolve({ ok: false, tool: request && request.tool || null, explanation: [],
              errors: [{ field: bad, message: "「" + bad + "」的数字太大，超出了能计算的范围，请检查这个数。" }] });
          }
          text = JSON.stringify(request);
        }
      } catch (e) {
        return Promise.reject(e);
      }
      var id = nextId++;
      return new Promise(function (resolve, reject) {
        pending[id] = { resolve: resolve, reject: reject, text: text };
        // The worker queues requests that arrive while Pyodide is still loading.
        worker.postMessage({ type: "evaluate", id: id, request: text });
      });
    },
    /** The team page: a spreadsheet's bytes (ArrayBuffer) -> the response of
     * shegong.api.evaluate_sheet. A copy of the bytes is transferred, so that a restarted
     * worker can be sent them again. */
    evaluateSheet: function (buffer, name, today) {
      return send(function (id) {
        var copy = buffer.slice(0);
        return [{ type: "sheet", id: id, bytes: copy, name: name, today: today }, [copy]];
      });
    },
    /** The team page: a response (JSON text) as a file, "xlsx", "csv" or "ics" -> Uint8Array. */
    exportFile: function (responseText, format) {
      return send(function (id) { return [{ type: "export", id: id, response: responseText, format: format }, []]; });
    },
    /** Resolves once Pyodide and the rules are loaded (by the first worker or the restarted one). */
    ready: ready,
    /** Resolves once the whole site is kept for offline use, with {ok, reason}. */
    offlineReady: offlineReady,
    /** For the page script: the outcome of its request to keep the site offline. */
    keptOffline: function (outcome) { offlineResolve(outcome); },
    state: function () { return state; },
    /** How the worker started (after "ready"): from a stored snapshot or a full boot. */
    started: function () { return started; },
    /** The path of a number in `request` that JSON cannot carry (too large), or "". */
    unrepresentable: function (request) { return unrepresentable(request, ""); },
    /** How many times a failed worker was replaced. */
    restarts: function () { return restarts; },
    /** 重试 after the page gave up: a new worker, with one restart again in reserve. */
    retry: function () {
      if (!needsTool || state.phase !== "failed") return ready;
      restartsLeft = 1;
      ready = new Promise(function (res, rej) { readyResolve = res; readyReject = rej; });
      ready.catch(function () {});
      window.shegongCalculator.ready = ready;
      try { startWorker(); } catch (e) { giveUp("unsupported"); }
      return ready;
    },
    /** Resolves with the worker's report on a new snapshot: {stored: true, bytes, stored_bytes,
     * make_ms, store_ms}, or {stored: false, error} (restored from one, 清除数据, no storage). */
    snapshotStored: snapshotStored,
    /** 清除数据: deletes the stored snapshot, and stops this worker from storing one.
     * Resolves true if it was deleted, false if there was none or storage refused; never
     * throws, even where Cache Storage throws on access (older private windows). */
    forgetSnapshot: function () {
      if (worker) { try { worker.postMessage({ type: "forget-snapshot" }); } catch (e) {} }
      try {
        if (typeof caches === "undefined") return Promise.resolve(false);
        return Promise.resolve(caches["delete"]("shegong-snapshot")).then(null, function () { return false; });
      } catch (e) {
        return Promise.reject(e);
      }
    },
    onState: function (fn) { listeners.push(fn); fn(state); },
    config: cfg,
    timings: timings
  };
})();
