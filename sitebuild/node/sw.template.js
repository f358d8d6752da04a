/* 社工证书指南 service worker, generated at build time by sitebuild/offline.py.
 *
 * Version __VERSION__ is a content hash of every built file, so each new build
 * replaces this worker and its cache of the site.
 *
 * - A guide page only caches what it uses (cache on fetch): a reader of one guide page
 *   never downloads the Pyodide runtime.
 * - A calculator page, once it is open, asks this worker ("precache") to keep every
 *   page and asset of the site and the Pyodide runtime and wheels. From then on the
 *   whole site and every tool work offline.
 * - Runtime URLs never change content (the Pyodide version and a hash of the wheels
 *   are in their paths), so the runtime cache survives site updates and only loses
 *   files that the new build no longer lists. They are answered from the cache first.
 * - Pages are asked from the network first (a reader acts on the date a page prints),
 *   and from the cache when the network is gone or slower than NAVIGATION_TIMEOUT_MS.
 * - Every fetch that fills or refreshes a cache bypasses the browser's HTTP cache: a
 *   host that sends `Cache-Control: max-age=600` (GitHub Pages) would otherwise fill a
 *   new version's cache with the old files.
 * - The other site files (theme assets, the calculator's scripts, the search index)
 *   come from this version's cache first, so a page never mixes two builds' scripts.
 */
"use strict";

const VERSION = "__VERSION__";
// The day this build was made (Asia/Shanghai), for the update notice.
const BUILD_DATE = "__BUILD_DATE__";
const NAVIGATION_TIMEOUT_MS = 3000;
const RUNTIME_VERSION = "__RUNTIME_VERSION__";
const SITE_CACHE = "shegong-site-" + VERSION;
const RUNTIME_CACHE = "shegong-runtime";
const SITE_FILES = __SITE_FILES__;
const RUNTIME_FILES = __RUNTIME_FILES__;
// Wheels only the team page loads (openpyxl): no other page loads them, but "precache"
// keeps them too, so that the team page works offline after a visit to any calculator
// page, as the page's "已保存到本机" note promises (issue 22).
const PAGE_ONLY_FILES = __PAGE_ONLY_FILES__;

const scopeURL = new URL(self.registration.scope);
const abs = (path) => new URL(path, scopeURL).href;
const RUNTIME_URLS = new Set(RUNTIME_FILES.map(abs));
const RUNTIME_PREFIX = abs("assets/pyodide/");

/** Whether this is an update for someone who has used the calculator: an older site
 * cache and the runtime are both there. (On a first visit to a calculator page the
 * worker fills the runtime cache itself; the page asks for the rest once its first
 * result is shown, so the download does not compete with the start-up.) */
async function wasComplete() {
  const names = await caches.keys();
  if (!names.some((n) => n.startsWith("shegong-site-") && n !== SITE_CACHE)) return false;
  if (!names.includes(RUNTIME_CACHE)) return false;
  const cache = await caches.open(RUNTIME_CACHE);
  return (await cache.keys()).length > 0;
}

async function addMissing(cacheName, urls) {
  const cache = await caches.open(cacheName);
  const missing = [];
  for (const url of urls) {
    if (!(await cache.match(url))) missing.push(url);
  }
  // Batches keep a slow phone from opening hundreds of requests at once.
  for (let i = 0; i < missing.length; i += 8) {
    await cache.addAll(missing.slice(i, i + 8).map((url) => new Request(url, { cache: "reload" })));
  }
  return missing.length;
}

async function precacheAll() {
  const site = await addMissing(SITE_CACHE, SITE_FILES.map(abs));
  // The shared runtime first, the team page's own wheels last.
  const pageOnly = new Set(PAGE_ONLY_FILES.map(abs));
  const runtime = await addMissing(RUNTIME_CACHE, [...RUNTIME_URLS].filter((u) => !pageOnly.has(u)));
  const teamOnly = await addMissing(RUNTIME_CACHE, [...pageOnly]);
  return { site, runtime: runtime + teamOnly, version: VERSION };
}

self.addEventListener("install", (event) => {
  self.skipWaiting();
  // Someone who has used the calculator keeps a complete offline copy across updates.
  event.waitUntil(
    wasComplete().then((full) => (full ? precacheAll() : null))
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("shegong-site-") && name !== SITE_CACHE) await caches.delete(name);
      }
      if (await caches.has(RUNTIME_CACHE)) {
        const cache = await caches.open(RUNTIME_CACHE);
        for (const req of await cache.keys()) {
          if (!RUNTIME_URLS.has(req.url)) await cache.delete(req);
        }
      }
      await self.clients.claim();
    })()
  );
});

let precaching = null;
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type === "precache") {
    if (!precaching) {
      precaching = precacheAll().finally(() => { precaching = null; });
    }
    const job = precaching.then(
      (result) => port && port.postMessage({ ok: true, ...result }),
      (err) => port && port.postMessage({ ok: false, error: String(err) })
    );
    event.waitUntil(job);
  } else if (data.type === "version" && port) {
    port.postMessage({ version: VERSION, runtime: RUNTIME_VERSION, date: BUILD_DATE });
  }
});

function offlinePage() {
  const body =
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    "<title>离线</title><main style=\"font-family:sans-serif;padding:1em;max-width:36em\">" +
    "<h1>当前没有网络</h1><p>这个页面还没有保存到本机。打开任意一个计算器页面并等它显示“已保存到本机”后，" +
    "全站的指南和计算器都可以离线使用。</p>" +
    '<p><a href="' + scopeURL.href + '">返回首页</a></p></main></html>';
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function keep(cacheName, key, res) {
  if (!cacheName || !res.ok || res.type !== "basic") return Promise.resolve();
  const copy = res.clone();
  return caches.open(cacheName).then((c) => c.put(key, copy)).catch(() => {});
}

async function fromCache(cacheName, key) {
  try {
    return (await (await caches.open(cacheName)).match(key)) || null;
  } catch {
    return null;
  }
}

/** Network first, past the HTTP cache; this version's copy when offline or slow. */
async function navigation(event, url) {
  const key = url.origin + url.pathname;
  // "manual": a redirect (a folder without its slash) is handed to the browser as is.
  const network = fetch(url.href, { cache: "no-cache", redirect: "manual", credentials: "same-origin" });
  // Kept even when the cached copy answered first (a slow network).
  event.waitUntil(network.then((res) => keep(SITE_CACHE, key, res), () => {}));
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(resolve, NAVIGATION_TIMEOUT_MS); });
  const first = await Promise.race([network.then(() => "network", () => "failed"), slow.then(() => "slow")]);
  clearTimeout(timer);
  if (first === "network") return network;
  const cached = await fromCache(SITE_CACHE, key);
  if (cached) return cached;
  try {
    return await network;
  } catch {
    return offlinePage();
  }
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== scopeURL.origin || req.headers.has("range")) return;
  if (req.mode === "navigate") {
    event.respondWith(navigation(event, url));
    return;
  }
  const key = url.origin + url.pathname;
  const runtime = url.href.startsWith(RUNTIME_PREFIX);
  const cacheName = runtime ? (RUNTIME_URLS.has(key) ? RUNTIME_CACHE : null) : SITE_CACHE;
  event.respondWith(
    (async () => {
      if (cacheName) {
        const hit = await fromCache(cacheName, key);
        if (hit) return hit;
      }
      // Runtime paths are versioned, so the HTTP cache may answer them; a site file is
      // revalidated, or an old copy would be kept under this version.
      const res = await fetch(runtime ? req : new Request(req, { cache: "no-cache" }));
      event.waitUntil(keep(cacheName, key, res));
      return res;
    })()
  );
});
