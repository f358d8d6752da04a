// Shared by the calculator pages: the parts of a result every tool has (answer, dates,
// explanation with 依据) and the small layout helpers the tools' render() functions use.
// Form state, the error view and the computing loop have their own modules (formstate.mjs,
// errors.mjs, controller.mjs); runTool ties them together for a form of declared fields.
// Nothing typed leaves the device: inputs are kept in localStorage only (storage.mjs).

import { FormState, declared, compact } from "./formstate.mjs";
import { clearErrors, showErrors, labelOf } from "./errors.mjs";
import { controller, listen, onClear } from "./controller.mjs";

// What the tool modules take from here rather than from the module that has it.
export { readFields, writeFields, dateValue, compact } from "./formstate.mjs";
export { requestOffline } from "./status.mjs";

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

/** "2025-09-10" -> "2025年9月10日（星期三）"; "2026-01-06T10:30" -> "2026年1月6日 10:30". */
export function zhDate(text, { weekday = true } = {}) {
  if (!text) return "";
  const [d, t] = String(text).split("T");
  const [y, m, day] = d.split("-").map(Number);
  let out = `${y}年${m}月${day}日`;
  if (weekday) {
    const wd = new Date(Date.UTC(y, m - 1, day)).getUTCDay();
    out += `（星期${WEEKDAYS[wd]}）`;
  }
  if (t) out += ` ${t}`;
  return out;
}

/** A guide page of this site from a response's guide path (the docs/ source, as the
 * rules name it), relative to this page. */
export function guideHref(path) {
  // The page's config, as boot.js read it once (a page without it: links stay relative).
  const base = (api && api.config && api.config.base) || "./";
  return base + path.replace(/(^|\/)index\.md$/, "$1").replace(/\.md$/, "/");
}

// --- result parts --------------------------------------------------------------------

export function datesTable(dates) {
  if (!dates || !dates.length) return null;
  return el(
    "table",
    { class: "sg-dates" },
    el("caption", { class: "sg-visually-hidden" }, "全部日期"),
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

/** A next step ({text, guide, date?, late?} from the rules): what to do, by when, and the
 * guide. When the answer sentence (``said``) already says what to do, only the date and the
 * guide are added, not the words again.  A late state's step (every tool's ``next_step``;
 * the plan's ``next`` when ``late``) is edged as a warning, any other as a plan. */
export function nextStepBlock(step, said = "") {
  if (!step) return null;
  const repeated = said && said.includes(step.text);
  const late = step.late !== false;
  return el("section", { class: `sg-outcome ${late ? "sg-no" : "sg-yes"} sg-next-step`, "aria-labelledby": "sg-next-title" },
    el("h3", { id: "sg-next-title" }, "下一步"),
    repeated ? null : el("p", {}, step.text),
    step.date ? el("p", {}, "日期：", el("time", { datetime: step.date }, zhDate(step.date))) : null,
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
  const request = opts.request || ((v) => ({ tool: opts.tool, ...compact(v) }));
  const state = new FormState(form, opts);
  state.start();
  const ctl = controller({
    prepare() {
      printValues(form);
      const taken = state.take();
      const missing = state.missing(taken.values);
      if (!missing.length || !missing.every((f) => state.quiet(f))) return taken;
      clearErrors(form);
      return { empty: `填写${missing.map((f) => `「${labelOf(form, f)}」`).join("、")}后，这里会显示结果。` };
    },
    // A number JSON cannot carry is named by its label (boot.js checks before sending).
    send: ({ values }) => api.evaluate(request(values), (field) => labelOf(form, field)),
    show: (response, taken, setAnswer) => showAnswer(form, state, opts.render, response, taken, setAnswer),
  });
  state.onRestore = ctl.run;
  listen(form, state, ctl);
  onClear(() => {
    state.readerChanged();
    state.reset(opts.empty);
    ctl.run();
  });
  window.addEventListener("beforeprint", () => printValues(form));
  ctl.run();
}

// What the result area shows now: a late computation that gives the same answer (a
// "change" event after Enter, say) leaves the DOM alone, so keyboard focus inside the
// result is kept and screen readers do not hear the same answer twice. Writing the form
// forgets it, as a write may rebuild form parts a render fills in (training's rows).
let shownKey = "";

function showAnswer(form, state, render, response, { values, fromExample }, setAnswer) {
  const result = document.getElementById("sg-result");
  if (!response.ok) {
    const shown = showErrors(form, response.errors, (f) => state.quiet(f));
    result.replaceChildren();
    result.dataset.state = "errors";
    setAnswer(shown.length ? `请先改正上面标出的${shown.length}处输入。` : "还有必填项没有填写。", "errors");
    return;
  }
  clearErrors(form);
  const key = JSON.stringify([response, values, state.writes]);
  if (key !== shownKey || result.dataset.state !== "ok") {
    result.replaceChildren(...[
      el("h2", { id: "sg-result-title" }, fromExample.length ? "示例的结果" : "结果"),
      fromExample.length ? el("p", { class: "sg-example-note" }, `这是示例的结果，不是你的：${state.exampleWords(fromExample)}`) : null,
      ...render(response, values),
      explanationBlock(response.explanation),
    ].filter(Boolean));
    result.dataset.state = "ok";
  }
  setAnswer(fromExample.length ? `示例：${response.summary}` : response.summary, "ok");
  shownKey = key;
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

/** The response's calendar (made by the rules, shegong.ics) as a download, with the rules'
 * own words on it, or nothing when no step is still to come. */
export function icsButton(label, calendar) {
  if (!calendar || !calendar.events.length) return null;
  const button = el("button", { type: "button", class: "md-button sg-ics" }, label);
  button.addEventListener("click", () => saveFile(new Blob([calendar.ics], { type: "text/calendar;charset=utf-8" }), calendar.filename));
  return el("div", { class: "sg-ics-box" }, button, el("p", { class: "sg-hint" }, calendar.note));
}
