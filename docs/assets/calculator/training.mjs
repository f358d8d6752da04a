// 继续教育学时: records table, hours counted in one registration period.
import { runTool, readFields, writeFields, dateValue, compact, el, zhDate } from "./ui.mjs";

const KINDS = [
  ["training", "社会工作培训"],
  ["online", "线上学习"],
  ["course", "学历教育课程"],
  ["degree", "学历或学位"],
];
// The yes/no each kind needs, and the request field it becomes.
const STATUS = {
  training: ["已取得合格证明", "certified"],
  course: ["考试合格", "passed"],
  degree: ["已取得学历或学位", "awarded"],
};

const body = document.getElementById("sg-records-body");
const form = document.getElementById("sg-form");
// The simple fields, the link parameters and the required ones come from the form's
// declaration (rendered at build time); the records table is this page's own.
const declaredForm = JSON.parse(form.dataset.form);
const FIELDS = declaredForm.fields;

function blankRecord() {
  return { kind: "training", date: "", hours: "", status: true, approved: true };
}

/** A cell with a label that only phones show, the control and its error slot. */
function cell(label, control, error) {
  return el("td", { class: "sg-cell" }, el("label", { class: "sg-cell-label", for: control.id }, label), control, error);
}

function rowFor(rec, i) {
  const n = i + 1;
  const id = (k) => `sg-r${i}-${k}`;
  const kind = el("select", { id: id("kind"), name: `records.kind`, "data-field": `records[${i}].kind`, "aria-describedby": id("kind-error") },
    KINDS.map(([v, t]) => el("option", { value: v }, t)));
  kind.value = rec.kind || "training";
  const date = el("input", { type: "date", id: id("date"), name: "records.date", "data-field": `records[${i}].date`, min: "1950-01-01", max: "2100-12-31", "aria-describedby": id("date-error") });
  date.value = rec.date || "";
  const hours = el("input", { type: "text", inputmode: "decimal", id: id("hours"), name: "records.hours", "data-field": `records[${i}].hours`, size: "5", autocomplete: "off", "aria-describedby": id("hours-error") });
  hours.value = rec.hours == null ? "" : String(rec.hours);
  const status = el("input", { type: "checkbox", id: id("status"), name: "records.status", "data-field": `records[${i}].status` });
  status.checked = rec.status !== false;
  const approved = el("input", { type: "checkbox", id: id("approved"), name: "records.approved", "data-field": `records[${i}].approved` });
  approved.checked = rec.approved !== false;
  const remove = el("button", { type: "button", class: "sg-remove", "aria-label": `删除第${n}条记录` }, "删除");
  remove.addEventListener("click", () => {
    const values = read(form);
    values.records.splice(i, 1);
    write(form, values);
    form.dispatchEvent(new Event("change"));
    const rows = body.querySelectorAll("tr");
    const next = rows[Math.min(i, rows.length - 1)];
    (next ? next.querySelector("select") : document.getElementById("sg-add-record")).focus();
  });

  const statusLabel = el("span", { class: "sg-status-label" });
  const statusCell = el("td", { class: "sg-cell" }, el("label", { class: "sg-check", for: status.id }, status, statusLabel));
  const none = el("span", { class: "sg-na" }, "不需要");
  statusCell.append(none);
  const err = (k) => el("p", { class: "sg-error", id: id(`${k}-error`), "data-error-for": `records[${i}].${k}`, hidden: true });

  function sync() {
    const k = kind.value;
    const st = STATUS[k];
    statusLabel.textContent = st ? st[0] : "";
    status.hidden = !st;
    statusLabel.hidden = !st;
    none.hidden = !!st;
    none.textContent = k === "online" ? "按学习时间计" : "";
    const noHours = k === "degree";
    hours.disabled = noHours;
    hours.placeholder = noHours ? "一次性计" : "小时";
  }
  kind.addEventListener("change", sync);
  sync();

  const tr = el("tr", { "data-index": String(i) },
    el("th", { scope: "row", class: "sg-cell sg-rownum" }, `第${n}条`),
    cell(`第${n}条的形式`, kind, err("kind")),
    cell(`第${n}条的日期`, date, err("date")),
    cell(`第${n}条的学时`, hours, err("hours")),
    statusCell,
    el("td", { class: "sg-cell" }, el("label", { class: "sg-check", for: approved.id }, approved, el("span", { class: "sg-cell-label-inline" }, "已审核通过"))),
    el("td", { class: "sg-cell sg-counted", "aria-live": "off" }, el("output", { id: id("counted"), for: `${kind.id} ${hours.id}` }, "")),
    el("td", { class: "sg-cell" }, remove),
  );
  return tr;
}

function read(f) {
  const values = readFields(f, FIELDS);
  values.records = [...body.querySelectorAll("tr")].map((tr) => {
    const i = tr.dataset.index;
    const get = (k) => document.getElementById(`sg-r${i}-${k}`);
    return {
      kind: get("kind").value,
      date: dateValue(get("date")),
      hours: get("hours").value.trim(),
      status: get("status").checked,
      approved: get("approved").checked,
    };
  });
  return values;
}

function write(f, values) {
  writeFields(f, values);
  const records = Array.isArray(values.records) ? values.records : [];
  body.replaceChildren(...records.map(rowFor));
}

function request(values) {
  return {
    tool: "training",
    ...compact({ level: values.level, period_start: values.period_start, period_end: values.period_end }),
    records: values.records.map((r) => {
      const out = { kind: r.kind };
      if (r.date) out.date = r.date;
      if (r.kind !== "degree" && r.hours !== "") {
        // Numbers go as numbers, anything else as typed, so the rules can name the mistake.
        out.hours = /^\d+(\.\d+)?$/.test(r.hours) ? Number(r.hours) : r.hours;
      }
      if (STATUS[r.kind]) out[STATUS[r.kind][1]] = r.status;
      out.approved = r.approved;
      return out;
    }),
  };
}

function render(res) {
  // Each row shows what it counts for.
  res.records.forEach((r, i) => {
    const out = document.getElementById(`sg-r${i}-counted`);
    if (out) out.textContent = `${r.counted_hours} 小时`;
  });
  const pct = Math.min(100, Math.round((res.counted_hours / res.required_hours) * 100));
  const progress = el("div", { class: "sg-progress" },
    el("p", { class: "sg-progress-label", id: "sg-progress-label" }, `${res.counted_hours}/${res.required_hours} 小时`),
    el("div", {
      class: `sg-bar ${res.met ? "sg-bar-met" : ""}`, role: "progressbar", "aria-labelledby": "sg-progress-label",
      "aria-valuemin": "0", "aria-valuemax": String(res.required_hours), "aria-valuenow": String(Math.min(res.counted_hours, res.required_hours)),
      "aria-valuetext": `已计入${res.counted_hours}小时,共需${res.required_hours}小时`,
    }, el("span", { style: `width:${pct}%` })));
  const facts = el("dl", { class: "sg-facts" },
    el("dt", {}, "本登记有效期"), el("dd", {}, `${zhDate(res.period_start)} 至 ${zhDate(res.period_end)}`),
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
  return [progress, facts, warnings, table];
}

document.getElementById("sg-add-record").addEventListener("click", () => {
  const values = read(form);
  values.records.push(blankRecord());
  write(form, values);
  const rows = body.querySelectorAll("tr");
  rows[rows.length - 1].querySelector("select").focus();
  form.dispatchEvent(new Event("change"));
});

runTool({
  tool: "training",
  read,
  write,
  empty: { ...declaredForm.empty, records: [blankRecord()] },
  request,
  render,
});
