// The engine's status line on a calculator page (loading, ready, failed, with 重试) and
// the request to keep the whole site offline once the page has shown an answer.

import { guideLinks, retryButton } from "./errors.mjs";

const api = window.shegongCalculator;

const FAILURE_TEXT = {
  unsupported:
    "这个浏览器无法运行计算器：需要支持 WebAssembly 和模块化 Web Worker 的较新浏览器（例如最新版的 Chrome、Edge、Firefox、Safari 或手机自带浏览器的新版本）。",
  worker: "计算引擎没有加载成功（可能是浏览器版本太旧，或网络中断）。请刷新页面重试，或换用较新的浏览器。",
  stalled: "计算引擎的下载停住了（网络可能中断或太慢）。可以点“重试”，或先阅读指南。",
};

// The reason itself (a file name, an exception, a Python traceback) is for the console,
// never for the page: readers get Chinese words, 重试 and the guides.
function failureText(reason) {
  if (FAILURE_TEXT[reason]) return FAILURE_TEXT[reason];
  if (reason) console.warn("shegong: the engine failed:", reason);
  return "计算引擎没有加载成功（可能是网络中断，或这个页面还没有保存到本机）。可以点“重试”，或先阅读指南。";
}

const SPEAK_EVERY_MS = 3000;
const STAGES = {
  runtime: "正在加载计算引擎……之后可离线使用。现在就可以填写表格。",
  rules: "正在载入计算规则……",
};
const mb = (bytes) => (bytes / 1e6).toFixed(1);

function downloadWords(d) {
  if (d.received >= d.expected) return "计算引擎已下载，正在启动……现在就可以填写表格。";
  return `正在下载计算引擎：${mb(Math.min(d.received, d.expected))} / ${mb(d.expected)} MB。之后可离线使用，现在就可以填写表格。`;
}

function showFailure(box, text, error) {
  box.classList.add("sg-failed");
  text.textContent = failureText(error);
  text.append(" ", ...guideLinks());
  if (error === "unsupported" || !api.retry) return;
  text.append(" ", retryButton(() => {
    box.classList.remove("sg-failed");
    api.retry().then(() => { const f = document.getElementById("sg-form"); if (f) f.dispatchEvent(new Event("sg-recompute")); }, () => {});
  }));
}

function showReady(text) {
  text.textContent = "计算引擎已就绪，结果会随输入自动更新。";
  if (!api.offlineReady) return;
  api.offlineReady.then((r) => {
    if (r && r.ok && api.state().phase === "ready") text.textContent = "计算引擎已就绪，已可离线使用。结果会随输入自动更新。";
  });
}

export function watchStatus() {
  const box = document.getElementById("sg-status");
  if (!box) return;
  const text = box.querySelector(".sg-status-text");
  const bar = box.querySelector("progress");
  // The bar moves with every report; the text is read out by screen readers (role
  // "status"), so while bytes arrive it changes at most every few seconds.
  let spokenAt = 0;
  let counting = false;
  function say(words, bytes) {
    const now = performance.now();
    if (text.textContent === words || (bytes && counting && now - spokenAt < SPEAK_EVERY_MS)) return;
    text.textContent = words;
    spokenAt = now;
    counting = bytes;
  }
  api.onState((s) => {
    box.dataset.phase = s.phase;
    bar.hidden = s.phase !== "loading";
    const d = s.download;
    if (s.phase === "loading" && d && d.expected && s.detail !== "rules") {
      bar.max = d.expected;
      bar.value = Math.min(d.received, d.expected);
      say(downloadWords(d), d.received < d.expected);
    } else if (s.phase === "loading") say(STAGES[s.detail] || STAGES.runtime, false);
    else if (s.phase === "ready") showReady(text);
    else if (s.phase === "failed") showFailure(box, text, s.error);
  });
}

/** Asks the service worker to keep the whole site; resolves with its {ok, reason}. */
export function requestOffline() {
  const note = document.getElementById("sg-offline");
  const done = new Promise((resolve) => {
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker) {
      resolve({ ok: false, reason: "no service worker" });
      return;
    }
    navigator.serviceWorker.ready.then((reg) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (ev) => resolve(ev.data);
      reg.active.postMessage({ type: "precache" }, [channel.port2]);
    }, (err) => resolve({ ok: false, reason: String(err) }));
  });
  done.then((r) => {
    if (note && r && r.ok) {
      note.textContent = "已保存到本机：断网后，全站的指南和所有计算器都能继续使用。";
      note.hidden = false;
    }
  });
  api.keptOffline(done);
  return done;
}
