/* Registers the site's service worker (sw.js at the site root) on every page.
   It only caches what a page uses; the Pyodide runtime is kept once a calculator
   page has been opened. Loaded through extra_javascript. */
(function () {
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href);
  function register() {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.href }).catch(function () {
      /* file:// or a browser that refuses: the site still works online */
    });
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
