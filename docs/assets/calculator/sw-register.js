/* Registers the site's service worker (sw.js at the site root) on every page, and says
   so when a new build of the site takes over while this page is open.
   It only caches what a page uses; the Pyodide runtime is kept once a calculator
   page has been opened. Loaded through extra_javascript. */
(function () {
  if (!("serviceWorker" in navigator)) return;
  var sw = navigator.serviceWorker;
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href);
  // A page shown by one build while another build's worker takes over may show old
  // rules (or a calculator from the other build): the reader is told to reload. The
  // first worker of a first visit also "takes over", but nothing changed then.
  var hadController = !!sw.controller;

  function zhDate(iso) {
    var p = String(iso || "").split("-");
    return p.length === 3 ? Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日" : "";
  }

  function showNotice(date) {
    if (document.getElementById("sg-update")) return;
    var box = document.createElement("div");
    box.id = "sg-update";
    box.className = "sg-update";
    box.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.textContent = "本站规则已更新" + (date ? "(" + zhDate(date) + ")" : "") + "，请刷新页面";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button md-button--primary";
    button.textContent = "刷新页面";
    button.addEventListener("click", function () { location.reload(); });
    box.appendChild(text);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(button);
    // Styles set from script, which the page's Content-Security-Policy allows.
    var s = box.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "10";
    s.padding = "0.6em 1em"; s.background = "#fff3cd"; s.color = "#3d2e00";
    s.borderTop = "2px solid #b58900"; s.fontSize = "0.8rem"; s.textAlign = "center";
    document.body.appendChild(box);
    document.documentElement.dataset.sgUpdate = date || "yes";
  }

  sw.addEventListener("controllerchange", function () {
    if (!hadController) {
      hadController = true;
      return;
    }
    var worker = sw.controller;
    if (!worker) return showNotice("");
    var channel = new MessageChannel();
    var shown = false;
    channel.port1.onmessage = function (ev) {
      shown = true;
      showNotice(ev.data && ev.data.date);
    };
    worker.postMessage({ type: "version" }, [channel.port2]);
    setTimeout(function () { if (!shown) showNotice(""); }, 2000);
  });

  function register() {
    sw.register(new URL("sw.js", root).href, { scope: root.href }).then(function (reg) {
      // A page left open (a phone's tab) looks for a new build when it is shown again.
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "visible") reg.update().catch(function () {});
      });
    }).catch(function () {
      /* file:// or a browser that refuses: the site still works online */
    });
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
