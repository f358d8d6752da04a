// Shared by the four calculator pages: reading and saving the form, talking to the
// worker through window.shegongCalculator, showing errors next to their fields, and
// the parts of a result every tool has (answer, dates, explanation with 依据).
// Nothing typed leaves the device: inputs are kept in localStorage only.

const STORAGE_PREFIX = "shegong:calculator:";
const api = window.shegongCalculator;

// --- small helpers -------------------------------------------------------------------

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const WEEKDAYS = "日一二三四五六";

/** "2025-09-10" -> "2025年9月10日(星期三)"; "2026-01-06T10:30" -> "2026年1月6日 10:30". */
export function zhDate(text, { weekday = true } = {}) {
  if (!text) return "";
  const [d, t] = String(text).split("T");
  const [y, m, day] = d.split("-").map(Number);
  let out = `${y}年${m}月${day}日`;
  if (weekday) {
    const wd = new Date(Date.UTC(y, m - 1, day)).getUTCDay();
    out += `(星期${WEEKDAYS[wd]})`;
  }
  if (t) out += ` ${t}`;
  return out;
}

// --- storage -------------------------------------------------------------------------

function loadSaved(tool) {
  try {
    const text = localStorage.getItem(STORAGE_PREFIX + tool);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Keeps the form's values, except those declared never to be kept (an ID number, a
 * photo's details: data-form's "unsaved"); a tool with nothing else keeps nothing. */
function save(tool, values, unsaved = []) {
  try {
    const kept = Object.fromEntries(Object.entries(values).filter(([k]) => !unsaved.includes(k)));
    if (Object.keys(values).length && !Object.keys(kept).length) localStorage.removeItem(STORAGE_PREFIX + tool);
    else localStorage.setItem(STORAGE_PREFIX + tool, JSON.stringify(kept));
  } catch {
    /* private mode or full storage: the calculator still works */
  }
}

/** 清除数据, in order of what matters: the reader's inputs first, then the caches, each
 * step on its own so that one that throws (Cache Storage in older private windows) does
 * not stop the other. Returns what was removed and what could not be. */
export async function clearAll() {
  const removed = [];
  const failed = [];
  try {
    let tools = 0;
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (key && key.startsWith(STORAGE_PREFIX)) {
        localStorage.removeItem(key);
        tools++;
      }
    }
    removed.push(tools ? `本机保存的输入(${tools}个计算器)` : "本机保存的输入(原本没有)");
  } catch {
    failed.push("本机保存的输入(浏览器不允许访问本地存储)");
  }
  // The Python memory snapshot holds no input, but it is this site's data on the device.
  try {
    if (api && api.forgetSnapshot && (await api.forgetSnapshot())) removed.push("计算引擎的快照(不含你的输入)");
  } catch {
    failed.push("计算引擎的快照(浏览器不允许访问缓存；快照不含你的输入)");
  }
  return { removed, failed };
}

// --- status: loading, ready, failed, offline -----------------------------------------

const FAILURE_TEXT = {
  unsupported:
    "这个浏览器无法运行计算器：需要支持 WebAssembly 和模块化 Web Worker 的较新浏览器(例如最新版的 Chrome、Edge、Firefox、Safari 或手机自带浏览器的新版本)。",
  worker: "计算引擎没有加载成功(可能是浏览器版本太旧，或网络中断)。请刷新页面重试，或换用较新的浏览器。",
};

FAILURE_TEXT.stalled = "计算引擎的下载停住了(网络可能中断或太慢)。可以点“重试”，或先阅读指南。";

// The reason itself (a file name, an exception, a Python traceback) is for the console,
// never for the page: readers get Chinese words, 重试 and the guides.
function failureText(reason) {
  if (FAILURE_TEXT[reason]) return FAILURE_TEXT[reason];
  if (reason) console.warn("shegong: the engine failed:", reason);
  return "计算引擎没有加载成功(可能是网络中断，或这个页面还没有保存到本机)。可以点“重试”，或先阅读指南。";
}

/** The guides this page names (its #sg-guides), as links to append to a message. */
export function guideLinks() {
  const guides = document.getElementById("sg-guides");
  return guides ? [...guides.cloneNode(true).childNodes] : [];
}

const SPEAK_EVERY_MS = 3000;

/** A guide page of this site from a response's guide path (the docs/ source, as the
 * rules name it), relative to this page. */
export function guideHref(path) {
  let base = "./";
  try {
    base = JSON.parse(document.getElementById("sg-config").textContent).base || "./";
  } catch { /* a page without the config: links stay relative to it */ }
  return base + path.replace(/(^|\/)index\.md$/, "$1").replace(/\.md$/, "/");
}

export function watchStatus() {
  const box = document.getElementById("sg-status");
  if (!box) return;
  const text = box.querySelector(".sg-status-text");
  const bar = box.querySelector("progress");
  const stages = {
    runtime: "正在加载计算引擎……之后可离线使用。现在就可以填写表格。",
    rules: "正在载入计算规则……",
  };
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
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
    if (s.phase === "loading") {
      const d = s.download;
      bar.hidden = false;
      if (d && d.expected && s.detail !== "rules") {
        bar.max = d.expected;
        bar.value = Math.min(d.received, d.expected);
        const done = d.received >= d.expected;
        say(done ? "计算引擎已下载，正在启动……现在就可以填写表格。"
          : `正在下载计算引擎：${mb(Math.min(d.received, d.expected))} / ${mb(d.expected)} MB。之后可离线使用，现在就可以填写表格。`, !done);
      } else {
        say(stages[s.detail] || stages.runtime, false);
      }
    } else if (s.phase === "ready") {
      bar.hidden = true;
      text.textContent = "计算引擎已就绪，结果会随输入自动更新。";
      if (api.offlineReady) {
        api.offlineReady.then((r) => {
          if (r && r.ok && api.state().phase === "ready") text.textContent = "计算引擎已就绪，已可离线使用。结果会随输入自动更新。";
        });
      }
    } else if (s.phase === "failed") {
      bar.hidden = true;
      box.classList.add("sg-failed");
      text.textContent = failureText(s.error);
      text.append(" ", ...guideLinks());
      if (s.error !== "unsupported" && api.retry) {
        const retry = el("button", { type: "button", class: "md-button sg-retry" }, "重试");
        retry.addEventListener("click", () => {
          box.classList.remove("sg-failed");
          api.retry().then(() => { const f = document.getElementById("sg-form"); if (f) f.dispatchEvent(new Event("sg-recompute")); }, () => {});
        });
        text.append(" ", retry);
      }
    }
  });
}

// --- offline: ask the service worker to keep the whole site --------------------------

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

// --- errors --------------------------------------------------------------------------

function errorSlot(form, field) {
  return form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
}

function controlFor(form, field) {
  return form.querySelector(`[data-field="${CSS.escape(field)}"]`) || form.elements.namedItem(field);
}

function clearErrors(form) {
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  const general = form.querySelector(".sg-form-error");
  if (general) {
    general.textContent = "";
    general.hidden = true;
  }
}

/** Puts each error next to the field it names; returns the errors that are shown. */
function showErrors(form, errors, isQuiet) {
  clearErrors(form);
  const shown = [];
  for (const e of errors) {
    if (isQuiet && isQuiet(e.field)) continue;
    shown.push(e);
    const slot = errorSlot(form, e.field);
    const control = controlFor(form, e.field);
    if (control && control.setAttribute) control.setAttribute("aria-invalid", "true");
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} ${e.message}` : e.message;
      slot.hidden = false;
    } else {
      const general = form.querySelector(".sg-form-error");
      general.textContent = general.textContent ? `${general.textContent} ${e.message}` : e.message;
      general.hidden = false;
    }
  }
  return shown;
}

// --- result parts --------------------------------------------------------------------

export function datesTable(dates) {
  if (!dates || !dates.length) return null;
  return el(
    "table",
    { class: "sg-dates" },
    el("caption", {}, "日期"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "事项"), el("th", { scope: "col" }, "日期"), el("th", { scope: "col" }, "依据"))),
    el(
      "tbody",
      {},
      dates.map((d) =>
        el("tr", {}, el("th", { scope: "row" }, d.label), el("td", {}, el("time", { datetime: d.date }, zhDate(d.date))), el("td", { class: "sg-source" }, refs(d.sources)))
      )
    )
  );
}

/** References into the 依据 list (answer.mjs) by the response's source ids: ［1］［2］. */
export function refs(ids) {
  return (ids || []).map((n) => el("a", { href: `#sg-source-${n}`, class: "sg-ref", "aria-label": `依据［${n}］` }, `［${n}］`));
}

/** A next step ({text, guide} from the rules): what to do, and the guide. When the answer
 * sentence (``said``) already says what to do, only the guide is added, not the words again. */
export function nextStepBlock(step, said = "") {
  if (!step) return null;
  const repeated = said && said.includes(step.text);
  return el("section", { class: "sg-outcome sg-no sg-next-step", "aria-labelledby": "sg-next-title" },
    el("h3", { id: "sg-next-title" }, "下一步"),
    repeated ? null : el("p", {}, step.text),
    step.guide ? el("p", {}, "怎么办理：", el("a", { href: guideHref(step.guide.path), class: "sg-guide-link" }, `阅读指南「${step.guide.title}」`)) : null);
}

/** 计算过程, collapsed: each step with its references into 依据 (which stays numbered the
 * same whether this is open or not). Print opens it (calculator.css). */
function explanationBlock(steps) {
  return el(
    "details",
    { class: "sg-explanation" },
    el("summary", {}, "计算过程"),
    el("h3", { class: "sg-print-only" }, "计算过程"),
    el("ol", {}, steps.map((s) => el("li", {}, s.text, " ", refs(s.sources))))
  );
}

// --- the tool loop -------------------------------------------------------------------

/**
 * opts: {
 *   tool,
 *   fields, params, empty, required: by default what the form's data-form says (the
 *     tool's declared questions, rendered at build time);
 *   fields: the form's simple fields; with them read, write and request default to
 *     readFields, writeFields and {tool, ...compact(values)},
 *   read(form) -> values (JSON-ready, saved as is),
 *   write(form, values),
 *   params: the URL parameters that pre-fill the form (missing ones take `empty`),
 *   empty -> values (after 清除数据),
 *   request(values) -> request object,
 *   required: the fields that must not be empty,
 *   render(response, values) -> Node[]: what the result shows between its heading and
 *     the explanation (计算过程), which every tool has.
 * }
 */
export function runTool(opts) {
  const form = document.getElementById("sg-form");
  opts = { ...declared(form), ...opts };
  const { tool } = opts;
  const result = document.getElementById("sg-result");
  const answer = document.getElementById("sg-answer");
  const read = opts.read || ((f) => readFields(f, opts.fields));
  const request = opts.request || ((v) => ({ tool, ...compact(v) }));
  const touched = new Set();
  let seq = 0;
  let timer = null;

  watchStatus();

  // The form starts with what the reader gave: a link's values, or what they saved here,
  // else nothing. An example is shown only when asked for (填入示例), and is said to be one.
  const fromParams = paramsToValues(new URLSearchParams(location.search), opts.params, form);
  const fromURL = fromParams && { ...opts.empty, ...fromParams };
  // Before issue 22 a first visit saved the page's first example as the reader's input:
  // such a copy is not theirs, and is not brought back.
  let saved = loadSaved(tool);
  if (saved && isOldExample(saved)) saved = null;
  const initial = fromURL || saved || opts.empty;
  // A link's values fill the form but are not saved over what the reader saved here,
  // until the reader changes something or confirms (计算); until then they can go back.
  let linkOverSaved = !!(fromURL && saved);
  const linkNote = linkOverSaved ? savedNote() : null;
  // The example last filled in, as the form reads it back; a value still equal to it is
  // the example's, not the reader's: never saved, and the result says so.
  let example = null;

  // What the result area shows now: a late computation that gives the same answer (a
  // "change" event after Enter, say) leaves the DOM alone, so keyboard focus inside the
  // result is kept and screen readers do not hear the same answer twice. Writing the form
  // forgets it, as a write may rebuild form parts a render fills in (training's rows).
  let shownKey = "";
  let firstResult = true;

  function write(values) {
    (opts.write || writeFields)(form, values);
    shownKey = "";
  }
  write(initial);

  function quiet(field) {
    // A field nobody has filled in yet is not an error yet, only "still needed".
    const control = controlFor(form, field);
    if (!control || !("value" in control)) return false;
    return control.value === "" && !touched.has(field) && !(control.validity && control.validity.badInput);
  }

  function setAnswer(text, kind) {
    if (answer.textContent !== text) answer.textContent = text;
    answer.dataset.kind = kind;
  }

  function savedNote() {
    const restore = el("button", { type: "button", class: "md-button", id: "sg-restore" }, "恢复我保存的内容");
    const note = el("p", { class: "sg-hint sg-link-note", id: "sg-link-note", role: "status" },
      "表格里是链接带来的内容，还没有保存；你之前在本机保存的内容仍然保留，改动表格后才会被替换。", " ", restore);
    restore.addEventListener("click", () => {
      linkOverSaved = false;
      note.remove();
      history.replaceState(null, "", location.pathname);
      example = null;
      write(saved);
      touched.clear();
      run();
    });
    form.before(note);
    return note;
  }

  function readerChanged() {
    if (!linkOverSaved) return;
    linkOverSaved = false;
    if (linkNote) linkNote.remove();
  }

  async function compute() {
    printValues(form);
    const values = read(form);
    const fromExample = exampleParts(values, example, opts.empty);
    if (!linkOverSaved) save(tool, withoutExample(values, example, fromExample, opts.empty), opts.unsaved);
    exampleNote(fromExample);
    const group = opts.group || [];
    const given = (f) => values[f] || (group.includes(f) && group.some((g) => values[g]));
    const missing = opts.required.filter((f) => !given(f));
    const mine = ++seq;
    if (missing.length && missing.every((f) => quiet(f))) {
      clearErrors(form);
      result.replaceChildren();
      result.dataset.state = "empty";
      const names = missing.map((f) => {
        const c = controlFor(form, f);
        const label = c && c.id ? form.querySelector(`label[for="${c.id}"]`) : null;
        return label ? `「${label.textContent.trim()}」` : f;
      });
      setAnswer(`填写${names.join("、")}后，这里会显示结果。`, "empty");
      return;
    }
    let response;
    try {
      const req = request(values);
      const huge = api.unrepresentable ? api.unrepresentable(req) : "";
      response = huge ? tooLargeResponse(huge) : await api.evaluate(req);
    } catch (err) {
      if (mine !== seq) return;
      if (err) console.warn("shegong: the computation failed:", err);
      result.replaceChildren(engineFailed(() => run()));
      result.dataset.state = "failed";
      setAnswer("计算引擎出错，这次没有算出结果。可以点“重试”，或先阅读指南。", "failed");
      return;
    }
    if (mine !== seq) return; // a newer input has been sent meanwhile
    if (!response.ok) {
      const shown = showErrors(form, response.errors, quiet);
      result.replaceChildren();
      result.dataset.state = "errors";
      setAnswer(
        shown.length ? `请先改正上面标出的${shown.length}处输入。` : "还有必填项没有填写。",
        "errors"
      );
      return;
    }
    clearErrors(form);
    const key = JSON.stringify([response, values]);
    if (key !== shownKey || result.dataset.state !== "ok") {
      result.replaceChildren(...[
        el("h2", { id: "sg-result-title" }, fromExample.length ? "示例的结果" : "结果"),
        fromExample.length ? el("p", { class: "sg-example-note" }, `这是示例的结果，不是你的：${exampleWords(fromExample)}`) : null,
        ...opts.render(response, values),
        explanationBlock(response.explanation),
      ].filter(Boolean));
      result.dataset.state = "ok";
    }
    setAnswer(fromExample.length ? `示例：${response.summary}` : response.summary, "ok");
    shownKey = key;
    if (firstResult) {
      firstResult = false;
      performance.mark("shegong:first-result");
      // Only now keep the whole site offline, so that download never slows the start.
      keepOffline();
    }
  }

  function isOldExample(kept) {
    const button = form.querySelector("[data-example]");
    if (!button) return false;
    const writer = opts.write || writeFields;
    writer(form, JSON.parse(button.dataset.example));
    const shown = read(form);
    writer(form, opts.empty);
    const unsaved = opts.unsaved || [];
    return same(kept, Object.fromEntries(Object.entries(shown).filter(([k]) => !unsaved.includes(k))));
  }

  function labelOf(field) {
    const c = controlFor(form, field);
    const label = c && c.id ? form.querySelector(`label[for="${c.id}"]`) : null;
    // The label without its "(可不填)": the field is named, not its status.
    if (label) return label.textContent.trim().replace(/\(可不填\)$/, "");
    const group = form.querySelector(`[data-label-for="${CSS.escape(field)}"]`);
    return group ? group.textContent.trim() : field;
  }

  function exampleWords(fields) {
    return `用到了示例里的${fields.map((f) => `「${labelOf(f)}」`).join("、")}。改成你自己的，或点“清除数据”清空表格。`;
  }

  /** Above the form while any value in it is still the example's. */
  function exampleNote(fields) {
    let note = document.getElementById("sg-example-form-note");
    if (!fields.length) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = el("p", { class: "sg-hint sg-example-note", id: "sg-example-form-note", role: "status" });
      form.prepend(note);
    }
    const words = `表格里是示例，不是你的数据：${exampleWords(fields)}示例不会保存。`;
    if (note.textContent !== words) note.textContent = words;
  }

  function tooLargeResponse(field) {
    const c = controlFor(form, field);
    const label = (c && c.labels && c.labels[0] && c.labels[0].textContent.trim()) || (c && c.getAttribute && c.getAttribute("aria-label")) || field;
    return { ok: false, errors: [{ field, message: `「${label}」的数字太大，超出了能计算的范围，请检查这个数。` }] };
  }

  // data-busy on the result while a computation is scheduled or running, so that a
  // test (or an assistive tool) can tell a settled answer from one about to change.
  let running = 0;
  function markBusy() {
    if (timer !== null || running) result.dataset.busy = "";
    else delete result.dataset.busy;
  }
  async function run() {
    clearTimeout(timer);
    timer = null;
    running++;
    markBusy();
    try {
      await compute();
    } finally {
      running--;
      markBusy();
    }
  }

  function schedule(ev) {
    if (ev && (ev.type === "input" || ev.type === "change")) readerChanged();
    if (ev && ev.target && ev.target.name) touched.add(ev.target.dataset.field || ev.target.name);
    clearTimeout(timer);
    timer = setTimeout(run, 150);
    markBusy();
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("focusout", (ev) => {
    if (ev.target && ev.target.name) {
      const key = ev.target.dataset.field || ev.target.name;
      if (!touched.has(key)) {
        touched.add(key);
        schedule();
      }
    }
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    // run() cancels the pending timer: the typing that led here is computed now, not again in 150 ms.
    for (const c of form.elements) if (c.name) touched.add(c.dataset.field || c.name);
    readerChanged(); // 计算 confirms the link's values
    run().then(() => { if (result.dataset.state === "errors") focusFirstError(form); });
  });
  form.addEventListener("sg-recompute", () => run());

  for (const button of form.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => {
      readerChanged();
      write(JSON.parse(button.dataset.example));
      example = read(form);
      touched.clear();
      run();
    });
  }
  const clear = document.getElementById("sg-clear");
  if (clear) {
    clear.addEventListener("click", async () => {
      const done = clearAll();
      readerChanged();
      example = null;
      write(opts.empty);
      touched.clear();
      try {
        history.replaceState(null, "", location.pathname);
      } catch { /* the form is cleared all the same */ }
      run();
      const { removed, failed } = await done;
      const note = document.getElementById("sg-cleared");
      if (note) {
        note.textContent = `已清除：${removed.join("、") || "没有可清除的内容"}。` +
          (failed.length ? `未能清除：${failed.join("、")}。` : "");
        note.hidden = false;
      }
    });
  }

  let offlineAsked = false;
  function keepOffline() {
    if (!offlineAsked) {
      offlineAsked = true;
      requestOffline();
    }
  }

  window.addEventListener("beforeprint", () => printValues(form));
  run();
  // Someone who never gets a result (bad input) still gets the offline copy.
  api.ready.then(() => setTimeout(keepOffline, 3000), () => {});
}

// --- examples: what in the form is still the example's ---------------------------------

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The fields whose value is still the example's (a list field: any of its items), leaving
 * out those where the example has the empty form's value (a default level, say). */
export function exampleParts(values, example, empty = {}) {
  if (!example) return [];
  return Object.keys(values).filter((k) => {
    const v = values[k];
    const ex = example[k];
    if (Array.isArray(v)) return Array.isArray(ex) && v.some((item) => ex.some((e) => same(e, item)));
    return v !== "" && v !== undefined && same(v, ex) && !same(ex, empty[k]);
  });
}

/** ``values`` with the example's parts emptied: what may be kept as the reader's. */
export function withoutExample(values, example, fields, empty = {}) {
  const out = { ...values };
  for (const k of fields) {
    out[k] = Array.isArray(values[k]) ? values[k].filter((item) => !example[k].some((e) => same(e, item))) : (empty[k] ?? "");
  }
  return out;
}

/** Keyboard focus on the first field marked wrong (or the form's general error). */
function focusFirstError(form) {
  const first = form.querySelector("[aria-invalid='true']") || form.querySelector(".sg-form-error:not([hidden])");
  if (!first) return;
  if (!first.matches("input, select, textarea, button")) first.setAttribute("tabindex", "-1");
  first.focus();
}

/** What a failed computation shows: Chinese words, 重试 and the page's guides. */
export function engineFailed(retry) {
  const button = el("button", { type: "button", class: "md-button sg-retry" }, "重试");
  button.addEventListener("click", retry);
  return el("div", { class: "sg-engine-failed" },
    el("p", {}, "计算引擎出错，这次没有算出结果。可以点“重试”，或先阅读指南。", " ", ...guideLinks()),
    button);
}

// --- print: what was typed, as text ------------------------------------------------------

const NOT_PRINTED = ["checkbox", "radio", "file", "hidden", "button", "submit", "reset"];

/** Beside each field, its value as text, which only a printout shows (calculator.css) in
 * place of the box: a date field prints as the browser's own format, and an empty one as
 * an empty box, which CSS cannot tell from a filled one. Empty when nothing is typed. */
function printValues(form) {
  for (const c of form.querySelectorAll("input, select, textarea")) {
    if (NOT_PRINTED.includes(c.type)) continue;
    let out = c.nextElementSibling;
    if (!out || !out.classList.contains("sg-print-value")) c.after((out = el("span", { class: "sg-print-value" })));
    const text = c.tagName === "SELECT" ? (c.value && c.selectedOptions[0] ? c.selectedOptions[0].textContent : "")
      : c.type === "date" || c.type === "datetime-local" ? zhDate(c.value, { weekday: false }) : c.value.trim();
    if (out.textContent !== text) out.textContent = text;
  }
}

// --- form helpers for simple fields --------------------------------------------------

export function readFields(form, names) {
  const out = {};
  for (const name of names) {
    const c = form.elements.namedItem(name);
    if (!c) continue;
    if (c.type === "checkbox") out[name] = c.checked;
    else if (c.type === "date" || c.type === "datetime-local") out[name] = dateValue(c);
    else out[name] = c.value;
  }
  return out;
}

/** A date field's value; an incomplete or impossible date (which the browser reads as "")
 * is sent as text, so that the rules say what is wrong. */
export function dateValue(control) {
  return control.value || (control.validity.badInput ? "日期不完整或不存在" : "");
}

export function writeFields(form, values) {
  for (const [name, v] of Object.entries(values || {})) {
    const c = form.elements.namedItem(name);
    if (!c || typeof v === "object") continue;
    if (c.type === "checkbox") c.checked = !!v;
    else c.value = v == null ? "" : String(v);
  }
}

/** What the tool's declaration (rendered into the form at build time) says: the fields,
 * the ones a link may fill in, the values after 清除数据, and the required ones. */
function declared(form) {
  try {
    return JSON.parse(form.dataset.form || "{}");
  } catch {
    return {};
  }
}

/** The form's spelling of a value a link may give another way (level=assistant): the
 * aliases the rules accept, declared with the field and put on its control at build time. */
function unalias(form, name, value) {
  const control = form.elements.namedItem(name);
  let aliases = {};
  try {
    aliases = JSON.parse((control && control.dataset && control.dataset.aliases) || "{}");
  } catch {
    /* no aliases */
  }
  return aliases[value.toLowerCase()] || value;
}

function paramsToValues(params, names, form) {
  const out = {};
  let any = false;
  for (const name of names) {
    if (params.has(name)) {
      out[name] = unalias(form, name, params.get(name).trim());
      any = true;
    }
  }
  return any ? out : null;
}

/** Request fields: empty strings are left out, so the rules see "missing". */
export function compact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (v !== "" && v !== null && v !== undefined) out[k] = v;
  return out;
}

// --- calendar file -------------------------------------------------------------------

/** Today on this device, as YYYY-MM-DD. */
export function localToday() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Saves ``blob`` as a file named ``name``: made on this device, nothing is sent. */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The response's calendar (made by the rules, shegong.ics) as a download, or nothing
 * when no step is still to come.  A window is two events (the day it opens and its last
 * day), so the hint names each window once. */
export function icsButton(label, calendar) {
  if (!calendar || !calendar.events.length) return null;
  const button = el("button", { type: "button", class: "md-button sg-ics" }, label);
  button.addEventListener("click", () => saveFile(new Blob([calendar.ics], { type: "text/calendar;charset=utf-8" }), calendar.filename));
  const names = [...new Set(calendar.events.map((e) => e.window || e.summary))];
  const windows = calendar.events.some((e) => e.kind === "opens");
  return el(
    "div",
    { class: "sg-ics-box" },
    button,
    el("p", { class: "sg-hint" },
      `${calendar.events.length}个全天事件：${names.join("、")}。` +
      (windows ? "每段时间只记开始那天和最后一天，不会天天显示；提醒都设在最后一天的事件上。" : "") +
      "文件在本机生成，不经过网络，用手机日历打开即可添加。")
  );
}
