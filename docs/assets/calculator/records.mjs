// The learning-records table, shared by 继续教育学时 (training) and 我的时间表 (plan): its
// rows, reading and writing them, and the request's records. The table's frame is
// rendered at build time from the declared `records` field (sitebuild/calculator_forms.py).
import { el, dateValue } from "./ui.mjs";

export const KINDS = [
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

export function blankRecord() {
  return { kind: "training", date: "", hours: "", status: true, approved: true };
}

/** A cell with a label that only phones show, the control and its error slot. */
function cell(label, control, error) {
  return el("td", { class: "sg-cell" }, el("label", { class: "sg-cell-label", for: control.id }, label), control, error);
}

/** The yes/no cell of a row, which follows the row's kind (and whether it counts hours). */
function statusCell(kind, status, hours) {
  const label = el("span", { class: "sg-status-label" });
  const none = el("span", { class: "sg-na" }, "不需要");
  const td = el("td", { class: "sg-cell" }, el("label", { class: "sg-check", for: status.id }, status, label), none);
  function sync() {
    const k = kind.value;
    const st = STATUS[k];
    label.textContent = st ? st[0] : "";
    status.hidden = !st;
    label.hidden = !st;
    none.hidden = !!st;
    none.textContent = k === "online" ? "按学习时间计" : "";
    hours.disabled = k === "degree";
    hours.placeholder = k === "degree" ? "一次性计" : "小时";
  }
  kind.addEventListener("change", sync);
  sync();
  return td;
}

/** Row i's controls, filled with ``rec``. */
function controls(rec, i) {
  const id = (k) => `sg-r${i}-${k}`;
  const attrs = (k) => ({ id: id(k), name: `records.${k}`, "data-field": `records[${i}].${k}` });
  const kind = el("select", { ...attrs("kind"), "aria-describedby": id("kind-error") }, KINDS.map(([v, t]) => el("option", { value: v }, t)));
  kind.value = rec.kind || "training";
  const date = el("input", { type: "date", ...attrs("date"), min: "1950-01-01", max: "2100-12-31", "aria-describedby": id("date-error") });
  date.value = rec.date || "";
  const hours = el("input", { type: "text", inputmode: "decimal", ...attrs("hours"), size: "5", autocomplete: "off", "aria-describedby": id("hours-error") });
  hours.value = rec.hours == null ? "" : String(rec.hours);
  const status = el("input", { type: "checkbox", ...attrs("status") });
  status.checked = rec.status !== false;
  const approved = el("input", { type: "checkbox", ...attrs("approved") });
  approved.checked = rec.approved !== false;
  return { kind, date, hours, status, approved };
}

/** Row i of the table; ``remove()`` is its 删除 button's. */
function rowFor(rec, i, remove) {
  const n = i + 1;
  const c = controls(rec, i);
  const button = el("button", { type: "button", class: "sg-remove", "aria-label": `删除第${n}条记录` }, "删除");
  button.addEventListener("click", remove);
  const err = (k) => el("p", { class: "sg-error", id: `sg-r${i}-${k}-error`, "data-error-for": `records[${i}].${k}`, hidden: true });
  return el("tr", { "data-index": String(i) },
    el("th", { scope: "row", class: "sg-cell sg-rownum" }, `第${n}条`),
    cell(`第${n}条的形式`, c.kind, err("kind")),
    cell(`第${n}条的日期`, c.date, err("date")),
    cell(`第${n}条的学时`, c.hours, err("hours")),
    statusCell(c.kind, c.status, c.hours),
    el("td", { class: "sg-cell" }, el("label", { class: "sg-check", for: c.approved.id }, c.approved, el("span", { class: "sg-cell-label-inline" }, "已审核通过"))),
    el("td", { class: "sg-cell sg-counted", "aria-live": "off" }, el("output", { id: `sg-r${i}-counted`, for: `${c.kind.id} ${c.hours.id}` }, "")),
    el("td", { class: "sg-cell" }, button),
  );
}

/** The table in `form`: { read() -> rows, write(rows), counted(i, text) }. A row added or
 * removed is announced to the form as a "change", as typing would be. */
export function recordsTable(form) {
  const body = document.getElementById("sg-records-body");
  const changed = () => form.dispatchEvent(new Event("change"));

  function remove(i) {
    const rows = read();
    rows.splice(i, 1);
    write(rows);
    changed();
    const left = body.querySelectorAll("tr");
    const next = left[Math.min(i, left.length - 1)];
    (next ? next.querySelector("select") : document.getElementById("sg-add-record")).focus();
  }

  function read() {
    return [...body.querySelectorAll("tr")].map((tr) => {
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
  }

  function write(records) {
    body.replaceChildren(...(Array.isArray(records) ? records : []).map((rec, i) => rowFor(rec, i, () => remove(i))));
  }

  /** What row i counts for, shown in its last column; rows past the records the rules
   * answered for are blank rows left out of the request. */
  function counted(i, text) {
    const out = document.getElementById(`sg-r${i}-counted`);
    if (out) out.textContent = text;
  }

  function answered(n) {
    body.querySelectorAll("tr").forEach((tr, i) => { if (i >= n) counted(i, "空行，不计入"); });
  }

  document.getElementById("sg-add-record").addEventListener("click", () => {
    const rows = read();
    rows.push(blankRecord());
    write(rows);
    const all = body.querySelectorAll("tr");
    all[all.length - 1].querySelector("select").focus();
    changed();
  });

  return { read, write, counted, answered };
}

/** A row with nothing typed in it (a row just added). */
export const isBlank = (r) => !r.date && r.hours === "";

/** The rows as the request's records: numbers as numbers, anything else as typed, so the
 * rules can name the mistake; each kind's own yes/no. Blank rows at the end (one just
 * added) are left out: the others keep their numbers. A blank row between filled ones is
 * sent, and the rules name it once. */
export function recordsRequest(rows) {
  let n = rows.length;
  while (n > 0 && isBlank(rows[n - 1])) n--;
  return rows.slice(0, n).map((r) => {
    const out = { kind: r.kind };
    if (r.date) out.date = r.date;
    if (r.kind !== "degree" && r.hours !== "") {
      out.hours = /^\d+(\.\d+)?$/.test(r.hours) ? Number(r.hours) : r.hours;
    }
    if (STATUS[r.kind]) out[STATUS[r.kind][1]] = r.status;
    out.approved = r.approved;
    return out;
  });
}
