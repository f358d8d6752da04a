// 我的时间表: where the worker stands, the next step, every deadline of this period and the
// next, the hours of each period, a timeline and the calendar file. Every date, number
// and sentence comes from the response (shegong.plan, composed of the other tools' rules);
// the calendar file is the response's own text (shegong.ics), offered as a download.
import { runTool, readFields, writeFields, dateValue, compact, el, zhDate, datesTable, icsButton, nextStepBlock } from "./ui.mjs";
import { KINDS, recordsTable, recordsRequest } from "./records.mjs";
import { timelineSvg } from "./timeline.mjs";
import { answerFirst, more } from "./answer.mjs";

const form = document.getElementById("sg-form");
const declaredForm = JSON.parse(form.dataset.form);
const FIELDS = declaredForm.fields;
const recordRows = recordsTable(form);
const short = (iso) => zhDate(iso, { weekday: false });

// --- the re-registration dates: one date input per item --------------------------------

const datesBody = document.getElementById("sg-reregistered_on-body");
const dateBounds = datesBody.closest("fieldset").dataset;

function dateRow(value, i) {
  const n = i + 1;
  const id = `sg-rr${i}`;
  const input = el("input", {
    type: "date", id, name: "reregistered_on.item", "data-field": `reregistered_on[${i}]`,
    min: dateBounds.min, max: dateBounds.max, "aria-describedby": `${id}-error`,
  });
  input.value = value || "";
  const remove = el("button", { type: "button", class: "sg-remove", "aria-label": `删除第${n}次再登记的日期` }, "删除");
  remove.addEventListener("click", () => {
    const values = readDates();
    values.splice(i, 1);
    writeDates(values);
    form.dispatchEvent(new Event("change"));
    const left = datesBody.querySelectorAll("input");
    (left[Math.min(i, left.length - 1)] || document.getElementById("sg-add-reregistered_on")).focus();
  });
  return el("li", { class: "sg-date-item" },
    el("label", { for: id }, `第${n}次再登记的日期`), input, remove,
    el("p", { class: "sg-error", id: `${id}-error`, "data-error-for": `reregistered_on[${i}]`, hidden: true }));
}

function readDates() {
  return [...datesBody.querySelectorAll("input")].map(dateValue);
}

function writeDates(values) {
  datesBody.replaceChildren(...(Array.isArray(values) ? values : []).map(dateRow));
}

document.getElementById("sg-add-reregistered_on").addEventListener("click", () => {
  writeDates([...readDates(), ""]);
  const all = datesBody.querySelectorAll("input");
  all[all.length - 1].focus();
  form.dispatchEvent(new Event("change"));
});

// --- the form's values and the request --------------------------------------------------

function read(f) {
  return { ...readFields(f, FIELDS), reregistered_on: readDates(), records: recordRows.read() };
}

function write(f, values) {
  writeFields(f, values);
  writeDates(values.reregistered_on);
  recordRows.write(values.records);
}

function request(values) {
  const out = { tool: "plan", ...compact(Object.fromEntries(FIELDS.map((k) => [k, values[k]]))) };
  const dates = values.reregistered_on.filter((d) => d);
  if (dates.length) out.reregistered_on = dates;
  if (values.records.length) out.records = recordsRequest(values.records);
  return out;
}

// --- the result ----------------------------------------------------------------------

function deadlinesTable(res) {
  return el("table", { class: "sg-dates sg-deadlines" },
    el("caption", {}, "期限（本期和下一期）"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "事项"), el("th", { scope: "col" }, "日期"), el("th", { scope: "col" }, "说明"))),
    el("tbody", {}, res.deadlines.map((d) => el("tr", { class: d.done ? "sg-done" : null },
      el("th", { scope: "row" }, d.label),
      el("td", {}, el("time", { datetime: d.date }, zhDate(d.date))),
      el("td", {}, d.note)))),
    el("tfoot", {}, el("tr", {}, el("td", { colspan: "3", class: "sg-hint" }, res.local_notice))));
}

const hours = (h) => (h === null || h === undefined ? "—" : `${h} 小时`);

function hoursTable(res) {
  return el("table", { class: "sg-dates sg-hours" },
    el("caption", {}, "每个登记有效期的继续教育学时"),
    el("thead", {}, el("tr", {}, ["登记有效期", "需要", "已计入", "还差", "待审核"].map((t) => el("th", { scope: "col" }, t)))),
    el("tbody", {}, res.periods.map((p) => el("tr", {},
      el("th", { scope: "row" }, p.name),
      p.required_hours === null
        ? el("td", { colspan: "4" }, "这一期开始时还没有继续教育学时的规定")
        : [["需要", p.required_hours], ["已计入", p.counted_hours], ["还差", p.remaining_hours], ["待审核", p.pending_hours]]
          // On a phone the cells stack under their period: each says what it is.
          .map(([what, h]) => el("td", {}, el("span", { class: "sg-cell-label-inline" }, `${what}：`), hours(h)))))));
}

function recordsResult(res) {
  if (!res.records.length) return null;
  const kindName = Object.fromEntries(KINDS);
  return el("table", { class: "sg-dates" },
    el("caption", {}, "每条记录计入哪一期"),
    el("thead", {}, el("tr", {}, ["记录", "计入", "理由"].map((t) => el("th", { scope: "col" }, t)))),
    el("tbody", {}, res.records.map((r, i) => el("tr", {},
      el("th", { scope: "row" }, `第${i + 1}条 ${kindName[r.kind] || r.kind}（${short(r.date)}）`),
      el("td", {}, where(r)),
      el("td", {}, r.reason)))));
}

// --- the timeline ----------------------------------------------------------------------

/** The rows of the plan: first registration, each period (its window inside), the paper
 * certificate's estimate. Each row says itself in words too (the text alternative). */
function planRows(res) {
  const rows = [];
  const f = res.first_registration;
  rows.push({ kind: "first", label: "首次登记受理期", from: res.passed_on, to: f.deadline });
  for (const p of res.periods) {
    if (p.assumed) {
      rows.push({ kind: "assumed", label: "第1个登记有效期（假如现在登记）", from: p.start, to: p.end });
      continue;
    }
    rows.push({ kind: "period", label: `第${p.index}个登记有效期`, from: p.start, to: p.end,
      window: [p.reregistration_opens, p.reregistration_deadline], windowLabel: `第${p.index}次再登记受理期` });
  }
  const c = res.certificate;
  if (c && c.paper_expected) rows.push({ kind: "paper", label: "纸质证书（估计）", from: c.paper_expected.from, to: c.paper_expected.to });
  return rows.filter((r) => r.from && r.to);
}

function rowText(r) {
  return `${r.label}：${short(r.from)}至${short(r.to)}` +
    (r.window ? `，其中${r.windowLabel}${short(r.window[0])}至${short(r.window[1])}` : "");
}

function timeline(res) {
  const rows = planRows(res);
  const root = timelineSvg({
    rows: rows.map((r) => ({ ...r, text: r.label })),
    today: res.today, title: "我的时间表", desc: rows.map(rowText).join("；") + `；今天是${short(res.today)}。`,
    id: "sg-plan-tl",
  });

  // One key per kind of bar drawn.
  const has = (kind) => rows.some((r) => r.kind === kind);
  const key = (cls, text) => el("li", {}, el("span", { class: `sg-key ${cls}`, "aria-hidden": "true" }), text);
  const legend = el("ul", { class: "sg-legend" },
    key("sg-key-first", "首次登记受理期"),
    has("period") ? key("sg-key-bar", "登记有效期") : null,
    has("assumed") || has("paper") ? key("sg-key-estimate", "估计（假如现在登记的有效期、纸质证书发放）") : null,
    rows.some((r) => r.window) ? key("sg-key-window", "再登记受理期") : null,
    key("sg-key-today", "今天"));
  const wordsBox = el("details", { class: "sg-tl-text" },
    el("summary", {}, "时间线的文字说明"),
    el("ul", {}, rows.map((r) => el("li", {}, rowText(r))), el("li", {}, `今天：${zhDate(res.today)}`)));
  return el("figure", { class: "sg-figure" }, root, el("figcaption", {}, legend, wordsBox));
}

/** Where a record counts: its period and hours, or that it waits for review there. */
function where(r) {
  if (!r.period) return "不计入列出的任何一期";
  return `第${r.period}期 ${r.status === "pending" ? "待审核" : hours(r.counted_hours)}`;
}

/** The period the rules name (the reader's now, or the one whose window was missed): its
 * window and its hours matter.  When the rules say the step is late, that window is over
 * and the re-registration dates the reader gave are shown beside it. */
function keyFacts(res) {
  const p = res.periods.find((q) => q.index === res.stage.period);
  if (!p) return [["首次登记最晚", zhDate(res.first_registration.deadline)]];
  const late = res.next.late;
  const given = res.reregistered_on || [];
  return [
    [`第${p.index}次再登记受理期${late ? "（已结束）" : ""}`, `${zhDate(p.reregistration_opens)} 至 ${zhDate(p.reregistration_deadline)}`],
    late && given.length ? ["你填写的再登记日期", given.map((d) => zhDate(d)).join("、")] : null,
    p.required_hours === null ? null : [late ? `第${p.index}个登记有效期的继续教育` : "本期继续教育",
      `还差 ${p.remaining_hours} 小时（已计入 ${p.counted_hours} 小时，需要 ${p.required_hours} 小时）`],
  ];
}

function render(res) {
  res.records.forEach((r, i) => recordRows.counted(i, where(r)));
  recordRows.answered(res.records.length);
  return answerFirst(res, {
    next: nextStepBlock(res.next, res.summary),
    facts: keyFacts(res),
    rest: [
      deadlinesTable(res),
      hoursTable(res),
      timeline(res),
      icsButton("下载日历文件（.ics）", res.calendar),
      more("每条记录的计入理由和全部日期", recordsResult(res), datesTable(res.dates)),
    ],
  });
}

runTool({
  tool: "plan",
  read,
  write,
  empty: { ...declaredForm.empty, reregistered_on: [], records: [] },
  request,
  render,
});
