// 继续教育学时: records table, hours counted in one registration period.
import { runTool, readFields, writeFields, compact, el, zhDate, nextStepBlock } from "./ui.mjs";
import { KINDS, blankRecord, recordsTable, recordsRequest } from "./records.mjs";
import { answerFirst, more } from "./answer.mjs";

// The simple fields, the link parameters and the required ones come from the form's
// declaration (rendered at build time); the records table is shared (records.mjs).
const form = document.getElementById("sg-form");
const declaredForm = JSON.parse(form.dataset.form);
const FIELDS = declaredForm.fields;
const recordRows = recordsTable(form);

function read(f) {
  return { ...readFields(f, FIELDS), records: recordRows.read() };
}

function write(f, values) {
  writeFields(f, values);
  recordRows.write(values.records);
}

function request(values) {
  return {
    tool: "training",
    ...compact({ level: values.level, period_start: values.period_start, period_end: values.period_end }),
    records: recordsRequest(values.records),
  };
}

function progressBar(res) {
  const pct = Math.min(100, Math.round((res.counted_hours / res.required_hours) * 100));
  return el("div", { class: "sg-progress" },
    el("p", { class: "sg-progress-label", id: "sg-progress-label" }, `${res.counted_hours}/${res.required_hours} 小时`),
    el("div", {
      class: `sg-bar ${res.met ? "sg-bar-met" : ""}`, role: "progressbar", "aria-labelledby": "sg-progress-label",
      "aria-valuemin": "0", "aria-valuemax": String(res.required_hours), "aria-valuenow": String(Math.min(res.counted_hours, res.required_hours)),
      "aria-valuetext": `已计入${res.counted_hours}小时，共需${res.required_hours}小时`,
    }, el("span", { style: `width:${pct}%` })));
}

/** Each record, what it counts for and why (the rules' reason). */
function recordsResult(res) {
  if (!res.records.length) return el("p", {}, "还没有学习记录。点“添加一条记录”逐条填写。");
  const kindName = Object.fromEntries(KINDS);
  return el("table", { class: "sg-dates sg-records-result" },
    el("caption", {}, "每条记录"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "记录"), el("th", { scope: "col" }, "计入"), el("th", { scope: "col" }, "理由"))),
    el("tbody", {}, res.records.map((r, i) => el("tr", {},
      el("th", { scope: "row" }, `第${i + 1}条 ${kindName[r.kind] || r.kind}（${zhDate(r.date, { weekday: false })}）`),
      el("td", {}, `${r.counted_hours} 小时`),
      el("td", {}, r.reason)))));
}

function render(res) {
  // Each row of the form shows what it counts for.
  res.records.forEach((r, i) => recordRows.counted(i, `${r.counted_hours} 小时`));
  recordRows.answered(res.records.length);
  // Possible duplicates, a start day that may belong to the period before, a missed window.
  const warnings = (res.warnings || []).length ? el("ul", { class: "sg-warnings" },
    res.warnings.map((w) => el("li", {}, w.message))) : null;
  // Which period this is: one that has ended says which period today is in (its hint).
  const state = res.period_state;
  const period = state.hint ? el("p", { class: `sg-period-state sg-period-${state.code}` }, state.hint) : null;
  return answerFirst(res, {
    next: nextStepBlock(res.next_step, res.summary),
    facts: [
      [state.code === "ended" ? "这个登记有效期（已结束）" : "本登记有效期", `${zhDate(res.period_start)} 至 ${zhDate(res.period_end)}`],
      ["还差", `${res.remaining_hours} 小时（已计入 ${res.counted_hours} 小时，需要 ${res.required_hours} 小时）`],
      res.pending_hours ? ["待审核", `${res.pending_hours} 小时`] : null,
    ],
    rest: [period, progressBar(res), warnings, res.records.length ? more("每条记录的计入理由", recordsResult(res)) : recordsResult(res)],
  });
}

runTool({
  tool: "training",
  read,
  write,
  empty: { ...declaredForm.empty, records: [blankRecord()] },
  request,
  render,
});
