// 继续教育学时: records table, hours counted in one registration period.
import { runTool, readFields, writeFields, compact, el, zhDate, nextStepBlock } from "./ui.mjs";
import { KINDS, blankRecord, recordsTable, recordsRequest } from "./records.mjs";

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

function render(res) {
  // Each row shows what it counts for.
  res.records.forEach((r, i) => recordRows.counted(i, `${r.counted_hours} 小时`));
  recordRows.answered(res.records.length);
  const pct = Math.min(100, Math.round((res.counted_hours / res.required_hours) * 100));
  const progress = el("div", { class: "sg-progress" },
    el("p", { class: "sg-progress-label", id: "sg-progress-label" }, `${res.counted_hours}/${res.required_hours} 小时`),
    el("div", {
      class: `sg-bar ${res.met ? "sg-bar-met" : ""}`, role: "progressbar", "aria-labelledby": "sg-progress-label",
      "aria-valuemin": "0", "aria-valuemax": String(res.required_hours), "aria-valuenow": String(Math.min(res.counted_hours, res.required_hours)),
      "aria-valuetext": `已计入${res.counted_hours}小时，共需${res.required_hours}小时`,
    }, el("span", { style: `width:${pct}%` })));
  const facts = el("dl", { class: "sg-facts" },
    el("dt", {}, res.period_state.code === "ended" ? "这个登记有效期(已结束)" : "本登记有效期"), el("dd", {}, `${zhDate(res.period_start)} 至 ${zhDate(res.period_end)}`),
    el("dt", {}, "需要"), el("dd", {}, `${res.required_hours} 小时`),
    el("dt", {}, "已计入"), el("dd", {}, `${res.counted_hours} 小时`),
    el("dt", {}, "还差"), el("dd", {}, `${res.remaining_hours} 小时`));
  if (res.pending_hours) facts.append(el("dt", {}, "待审核"), el("dd", {}, `${res.pending_hours} 小时`));
  const kindName = Object.fromEntries(KINDS);
  const table = res.records.length ? el("table", { class: "sg-dates" },
    el("caption", {}, "每条记录"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "记录"), el("th", { scope: "col" }, "计入"), el("th", { scope: "col" }, "理由"))),
    el("tbody", {}, res.records.map((r, i) => el("tr", {},
      el("th", { scope: "row" }, `第${i + 1}条 ${kindName[r.kind] || r.kind}(${zhDate(r.date, { weekday: false })})`),
      el("td", {}, `${r.counted_hours} 小时`),
      el("td", {}, r.reason))))) : el("p", {}, "还没有学习记录。点“添加一条记录”逐条填写。");
  // Possible duplicates, a start day that may belong to the period before, a missed window.
  const warnings = (res.warnings || []).length ? el("ul", { class: "sg-warnings" },
    res.warnings.map((w) => el("li", {}, w.message))) : null;
  // Which period this is comes first: one that has ended is said to have ended.
  const state = res.period_state;
  const period = state.text || state.hint
    ? el("p", { class: `sg-period-state sg-period-${state.code}` }, state.text ? el("strong", {}, state.text) : null, state.hint)
    : null;
  return [period, nextStepBlock(res.next_step), progress, facts, warnings, table];
}

runTool({
  tool: "training",
  read,
  write,
  empty: { ...declaredForm.empty, records: [blankRecord()] },
  request,
  render,
});
