// The team page: a spreadsheet chosen on the device goes to the worker as bytes
// (shegong.api.evaluate_sheet); the answer is a table to sort and filter, and files to save.
// Its form is generated from its declaration (shegong/team.py) like every tool's, and it
// runs on the shared controller (controller.mjs). Nothing leaves the device. The file is
// kept (storage.mjs) only when 在本机保存 is ticked.

import { el, zhDate, localToday, saveFile, guideHref } from "./ui.mjs";
import { controller, onClear } from "./controller.mjs";
import { clearErrors, showErrors } from "./errors.mjs";
import { forget, keep, loadSaved } from "./storage.mjs";

const api = window.shegongCalculator;
const TOOL = "team";
const form = document.getElementById("sg-form");
const input = form.elements.namedItem("file");
const saveBox = form.elements.namedItem("save");

let current = null; // {response, text, name}
let chosen = null; // the file last chosen: {name, buffer}, computed again on 重试
let filter = "all";
let sortAsc = true;

function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out.buffer;
}

// Said under the checkbox, where the answer (written after each computation) cannot cover it.
const saveNote = el("p", { class: "sg-hint", role: "status", hidden: true });
saveBox.closest(".sg-field, .sg-check, div").after(saveNote);

/** The chosen file is kept while 在本机保存 is ticked, and only then. */
function keepFile() {
  let kept = true;
  if (!saveBox.checked || !chosen) forget(TOOL);
  else kept = keep(TOOL, { name: chosen.name, data: toBase64(new Uint8Array(chosen.buffer)) });
  saveNote.textContent = kept ? "" : "这个浏览器不允许在本机保存（可能是隐私模式或空间已满）；表格照常计算，但不会保存。";
  saveNote.hidden = kept;
}

const ctl = controller({
  prepare: () => chosen || { empty: "" },
  async send({ name, buffer }) {
    const t0 = performance.now();
    const response = await api.evaluateSheet(buffer, name, localToday());
    performance.measure("shegong:team", { start: t0, end: performance.now() });
    return response;
  },
  show(response, { name }) {
    current = { response, text: JSON.stringify(response), name };
    render();
    performance.mark("shegong:team-table");
  },
});

input.addEventListener("change", async () => {
  const file = input.files && input.files[0];
  if (!file) return;
  performance.mark("shegong:team-file");
  chosen = { name: file.name, buffer: await file.arrayBuffer() };
  keepFile();
  ctl.run();
});

saveBox.addEventListener("change", keepFile);
form.addEventListener("submit", (ev) => ev.preventDefault());
form.addEventListener("sg-recompute", () => { if (chosen) ctl.run(); });

onClear(() => {
  ctl.cancel();
  current = null;
  chosen = null;
  input.value = "";
  saveBox.checked = false;
  ctl.show("empty", [], "");
});

// --- the table ---------------------------------------------------------------------------

function shown(workers) {
  const out = filter === "all" ? workers.slice() : workers.filter((w) => w.flags.includes(filter));
  // No deadline (an error, not yet passed) sorts last either way.
  out.sort((a, b) => {
    if (a.deadline === b.deadline) return a.row - b.row;
    if (!a.deadline) return 1;
    if (!b.deadline) return -1;
    return (a.deadline < b.deadline ? -1 : 1) * (sortAsc ? 1 : -1);
  });
  return out;
}

function hours(w) {
  if (w.hours_required === null) return "—";
  if (w.hours_remaining === null) return `要求${w.hours_required}小时`;
  const done = w.hours_counted === null ? "未填" : `已计入${w.hours_counted}`;
  return w.hours_remaining ? `${done}，还差${w.hours_remaining}小时` : `${done}，已达到${w.hours_required}小时`;
}

function days(w) {
  if (w.days_left === null) return "—";
  if (w.days_left < 0) return `已过${-w.days_left}天`;
  return `${w.days_left}天` + (w.conditional ? "（可能顺延）" : "");
}

// A worker's row, and under it a full-width row with the problems: on a phone the table
// scrolls sideways, and a message squeezed into its last column could not be read.
function rows(w, labels) {
  const out = [row(w, labels)];
  if (w.problems.length) {
    out.push(el("tr", { class: "sg-problem-row", "data-flags": w.flags.join(" ") },
      el("td", { colspan: "7" }, w.problems.map((p) => el("p", { class: "sg-error" }, p.message)))));
  }
  return out;
}

// The name first (it stays at the left edge while the table scrolls), then what the reader
// scans for: the flags and the next deadline, in view on a phone without scrolling.
function row(w, labels) {
  const who = w.name || w.id ? [w.name || w.id, w.name && w.id ? el("span", { class: "sg-id" }, ` ${w.id}`) : null].filter(Boolean)
    : `第${w.row}行`;
  return el(
    "tr",
    { "data-flags": w.flags.join(" ") },
    el("th", { scope: "row", class: "sg-who" }, who),
    el("td", { class: "sg-flags" }, w.flags.map((f) => el("span", { class: `sg-flag sg-flag-${f}` }, labels[f]))),
    el("td", { class: "sg-deadline" }, w.deadline ? [el("time", { datetime: w.deadline }, zhDate(w.deadline, { weekday: false })), el("br"), w.deadline_label] : "—"),
    el("td", { class: "sg-days" }, days(w)),
    el("td", {}, w.stage_zh || "—", w.guide
      ? [el("br"), el("a", { href: guideHref(w.guide.path), class: "sg-guide-link" }, `怎么办：指南「${w.guide.title}」`)] : null),
    el("td", {}, hours(w)),
    el("td", { class: "sg-rownum" }, String(w.row))
  );
}

function exportButton(format, label, mime) {
  const button = el("button", { type: "button", class: "md-button", "data-export": format }, label);
  button.addEventListener("click", async () => {
    const bytes = await api.exportFile(current.text, format);
    saveFile(new Blob([bytes], { type: mime }), `团队期限-${current.response.today}.${format}`);
  });
  return button;
}

/** The file's or the rows' problems, one line each. */
function problemList(items) {
  return el("ul", { class: "sg-problems" }, items.map((p) => el("li", { class: "sg-error" }, p.message)));
}

function render() {
  const r = current.response;
  if (!r.ok) {
    // The file is what is wrong: its messages beside the file input too, which is marked
    // invalid (the input names them through aria-describedby).
    showErrors(form, r.errors.map((e) => ({ ...e, field: "file" })));
    ctl.show("errors", [problemList(r.errors)], r.errors.map((e) => e.message).join(" "));
    return;
  }
  clearErrors(form);
  const labels = r.labels;
  const choices = [["all", "全部", r.counts.total], ...Object.keys(labels).map((f) => [f, labels[f], r.counts[f]])];
  const filters = el(
    "fieldset",
    { class: "sg-filters" },
    el("legend", {}, "只看"),
    choices.map(([value, text, n]) =>
      el("label", {}, el("input", { type: "radio", name: "sg-filter", value, checked: value === filter }), ` ${text}（${n}）`))
  );
  filters.addEventListener("change", (ev) => {
    filter = ev.target.value;
    fillBody();
  });
  const sortButton = el("button", { type: "button", class: "sg-sort" }, "下一个期限");
  const sortHead = el("th", { scope: "col", "aria-sort": sortAsc ? "ascending" : "descending" }, sortButton);
  sortButton.addEventListener("click", () => {
    sortAsc = !sortAsc;
    sortHead.setAttribute("aria-sort", sortAsc ? "ascending" : "descending");
    fillBody();
  });
  const body = el("tbody");
  const caption = el("caption");
  function fillBody() {
    const list = shown(r.workers);
    body.replaceChildren(...list.flatMap((w) => rows(w, labels)));
    caption.textContent = `${list.length} 人（按下一个期限${sortAsc ? "从近到远" : "从远到近"}排列）`;
  }
  const table = el(
    "table",
    { class: "sg-team-table" },
    caption,
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", class: "sg-who" }, "姓名/工号"), el("th", { scope: "col" }, "标记"), sortHead,
      el("th", { scope: "col" }, "剩余"), el("th", { scope: "col" }, "阶段"), el("th", { scope: "col" }, "本期学时"),
      el("th", { scope: "col" }, "行号"))),
    body
  );
  fillBody();
  ctl.show("ok", [
    el("h2", { id: "sg-result-title" }, "结果"),
    r.problems.length ? problemList(r.problems) : null,
    filters,
    el("p", { class: "sg-hint" }, "表格较宽时，可以左右滑动查看其余各列。"),
    el("div", { class: "sg-table-wrap", tabindex: "0", role: "region", "aria-labelledby": "sg-result-title" }, table),
    el("div", { class: "sg-actions" },
      exportButton("xlsx", "导出 .xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
      exportButton("csv", "导出 .csv", "text/csv;charset=utf-8"),
      exportButton("ics", "导出日历 .ics", "text/calendar;charset=utf-8")),
    el("p", { class: "sg-hint" }, "导出的文件在本机生成，不经过网络。日历文件包含每个人还没有结束的受理期，提醒和“登记期限”计算器的日历文件相同。")
  ].filter(Boolean), r.summary);
}

// A saved team is read again with today's date.
const saved = loadSaved(TOOL);
if (saved && saved.data) {
  try {
    chosen = { name: saved.name, buffer: fromBase64(saved.data) };
    saveBox.checked = true;
    ctl.run();
  } catch { /* unreadable: start empty */ }
}
if (!chosen) ctl.show("empty", [], "");
