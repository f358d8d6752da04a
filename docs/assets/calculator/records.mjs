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

/** The table in `form`: { read() -> rows, write(rows), counted(i, text) }. A row added or
 * removed is announced to the form as a "change", as typing would be. */
export function recordsTable(form) {
  const body = document.getElementById("sg-records-body");

  function changed() {
    form.dispatchEvent(new Event("change"));
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
      const rows = read();
      rows.splice(i, 1);
      write(rows);
      changed();
      const left = body.querySelectorAll("tr");
      const next = left[Math.min(i, left.length - 1)];
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

    return el("tr", { "data-index": String(i) },
      el("th", { scope: "row", class: "sg-cell sg-rownum" }, `第${n}条`),
      cell(`第${n}条的形式`, kind, err("kind")),
      cell(`第${n}条的日期`, date, err("date")),
      cell(`第${n}条的学时`, hours, err("hours")),
      statusCell,
      el("td", { class: "sg-cell" }, el("label", { class: "sg-check", for: approved.id }, approved, el("span", { class: "sg-cell-label-inline" }, "已审核通过"))),
      el("td", { class: "sg-cell sg-counted", "aria-live": "off" }, el("output", { id: id("counted"), for: `${kind.id} ${hours.id}` }, "")),
      el("td", { class: "sg-cell" }, remove),
    );
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
    body.replaceChildren(...(Array.isArray(records) ? records : []).map(rowFor));
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
