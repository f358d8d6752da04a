/* Inlined at the top of <head> of each calculator page by sitebuild/calculator_pages.py.
 * Starts the Pyodide worker before the rest of the page loads and defines
 * window.shegongCalculator.evaluate(request) -> Promise<response>, the same JSON as
 * `python -m shegong`. Plain ES5-compatible syntax, so that an old browser reaches the
 * point where it can say it is too old. */
(function () {
  var cfg = window.__SHEGONG__ || {};
  var root = new URL(cfg.base || "./", location.href);
  var pending = {};
  var nextId = 1;
  var listeners = [];
  var state = { phase: "loading", detail: "", error: null };
  var readyResolve, readyReject;
  var ready = new Promise(function (res, rej) { readyResolve = res; readyReject = rej; });
  ready.catch(function () {});
  var worker = null;
  // How the worker started: {start: "snapshot"|"boot", snapshot: "restored"|"none"|...}.
  var started = null;
  var snapshotResolve;
  var snapshotStored = new Promise(function (res) { snapshotResolve = res; });
  // When the worker was started, and its own laps (for the benchmark).
  var timings = { boot: performance.now() };

  function setState(phase, detail, error) {
    state = { phase: phase, detail: detail || "", error: error || null };
    for (var i = 0; i < listeners.length; i++) {
      try { listeners[i](state); } catch (e) { /* a listener's bug must not stop others */ }
    }
  }

  function fail(reason) {
    if (state.phase === "failed") return;
    setState("failed", reason, reason);
    readyReject(new Error(reason));
    for (var id in pending) {
      pending[id].reject(new Error(reason));
      delete pending[id];
    }
    if (worker) { try { worker.terminate(); } catch (e) {} }
  }

  function onMessage(ev) {
    var m = ev.data || {};
    if (m.type === "progress") {
      setState("loading", m.stage);
    } else if (m.type === "ready") {
      if (m.timings) timings.worker = m.timings;
      started = m.start || null;
      setState("ready", "");
      readyResolve(true);
    } else if (m.type === "snapshot") {
      snapshotResolve(m);
    } else if (m.type === "failed") {
      fail(m.message || "启动失败");
    } else if (m.type === "result" && pending[m.id]) {
      var p = pending[m.id];
      delete pending[m.id];
      if (m.error) p.reject(new Error(m.error));
      else {
        try { p.resolve(JSON.parse(m.response)); } catch (e) { p.reject(e); }
      }
    }
  }

  var needsTool = !!cfg.tool;
  if (needsTool) {
    if (typeof WebAssembly !== "object" || typeof Worker !== "function" || typeof Promise !== "function") {
      fail("unsupported");
    } else {
      try {
        // The worker reads where Pyodide and the wheels are from its name: a query
        // string would be lost when the service worker answers from its cache.
        var name = JSON.stringify({
          runtime: new URL(cfg.runtime, root).href,
          packages: new URL(cfg.packages, root).href,
          snapshot: cfg.snapshot || "",
          stdlib: new URL(cfg.stdlib, root).href
        });
        worker = new Worker(new URL("assets/calculator/worker.mjs", root).href, { type: "module", name: name });
        timings.worker_created = performance.now();
        worker.addEventListener("message", onMessage);
        worker.addEventListener("error", function (e) {
          if (e && e.preventDefault) e.preventDefault();
          fail("worker");
        });
        worker.addEventListener("messageerror", function () { fail("worker"); });
      } catch (e) {
        fail("unsupported");
      }
    }
  }

  window.shegongCalculator = {
    /** The same JSON response as `python -m shegong`, once the worker is ready. */
    evaluate: function (request) {
      if (!needsTool) return Promise.reject(new Error("这个页面没有计算器"));
      if (state.phase === "failed") return Promise.reject(new Error(state.error));
      var text;
      try {
        text = typeof request === "string" ? request : JSON.stringify(request);
      } catch (e) {
        return Promise.reject(e);
      }
      var id = nextId++;
      return new Promise(function (resolve, reject) {
        pending[id] = { resolve: resolve, reject: reject };
        // The worker queues requests that arrive while Pyodide is still loading.
        worker.postMessage({ type: "evaluate", id: id, request: text });
      });
    },
    /** Resolves once Pyodide and the rules are loaded. */
    ready: ready,
    /** Resolves once the whole site is kept for offline use (set by the page script). */
    offlineReady: null,
    state: function () { return state; },
    /** How the worker started (after "ready"): from a stored snapshot or a full boot. */
    started: function () { return started; },
    /** Resolves with the worker's report on a new snapshot: {stored: true, bytes, stored_bytes,
     * make_ms, store_ms}, or {stored: false, error} (restored from one, 清除数据, no storage). */
    snapshotStored: snapshotStored,
    /** 清除数据: deletes the stored snapshot, and stops this worker from storing one. */
    forgetSnapshot: function () {
      if (worker) { try { worker.postMessage({ type: "forget-snapshot" }); } catch (e) {} }
      if (typeof caches === "undefined") return Promise.resolve(false);
      return caches.delete("shegong-snapshot").catch(function () { return false; });
    },
    onState: function (fn) { listeners.push(fn); fn(state); },
    config: cfg,
    timings: timings
  };
})();
