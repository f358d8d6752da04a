// 登记期限: first-registration deadline, validity periods, re-registration windows.
import { runTool, el, zhDate, datesTable, icsButton, nextStepBlock } from "./ui.mjs";
import { timelineSvg } from "./timeline.mjs";
import { answerFirst, more, note } from "./answer.mjs";

// Hours are read on each period's start (README, 哪一天的规定); null where no rule was
// in force yet.
const hoursText = (h) => (h === null || h === undefined ? "当时还没有继续教育学时的规定" : `${h} 小时`);

function periodHours(res) {
  const all = [...new Set(res.periods.map((p) => p.required_hours))];
  if (all.length > 1) return res.periods.map((p) => `第${p.index}个有效期 ${hoursText(p.required_hours)}`).join("；");
  return hoursText(all.length ? all[0] : res.required_hours);
}

// Every date, window length and caveat here is the response's (the day to act by with any
// holiday move applied, the window in months, the local-notice line): this page lays
// them out and works none of them out.

function windowLegend(res) {
  const p = res.periods[0];
  return p ? `再登记受理期（有效期满前${p.reregistration_window_months}个月）` : "再登记受理期";
}

/** The SVG timeline: first-registration window, each period, re-registration windows, today. */
export function timeline(res) {
  const short = (iso) => zhDate(iso, { weekday: false });
  const firstLast = res.first_registration.deadline;
  const rows = [{ label: "首次登记受理期", short: "首次登记", from: res.passed_on, to: firstLast, kind: "first", mark: firstLast }];
  for (const p of res.periods) {
    rows.push({ label: `第${p.index}个登记有效期`, short: `第${p.index}个有效期`, from: p.start, to: p.end, kind: "period",
      window: [p.reregistration_opens, p.reregistration_deadline] });
  }
  const desc = rows
    .map((r) => `${r.label}：${short(r.from)}至${short(r.to)}` +
      (r.window ? `，其中再登记受理期${short(r.window[0])}至${short(r.window[1])}` : ""))
    .join("；") + (res.today ? `；今天是${short(res.today)}。` : "。");
  const root = timelineSvg({
    rows: rows.map((r) => ({ ...r, text: `${r.short} 至${short(r.to)}` })),
    today: res.today, title: "登记时间线", desc, id: "sg-timeline",
  });

  // One key per kind of bar drawn: the first-registration window is grey, periods blue.
  const legend = el("ul", { class: "sg-legend" },
    el("li", {}, el("span", { class: "sg-key sg-key-first", "aria-hidden": "true" }), "首次登记受理期"),
    res.periods.length ? [
      el("li", {}, el("span", { class: "sg-key sg-key-bar", "aria-hidden": "true" }), "登记有效期"),
      el("li", {}, el("span", { class: "sg-key sg-key-window", "aria-hidden": "true" }), windowLegend(res))] : null,
    el("li", {}, el("span", { class: "sg-key sg-key-today", "aria-hidden": "true" }), "今天"));
  return el("figure", { class: "sg-figure" }, root, el("figcaption", {}, legend));
}

/** The period the reader is in (the rules name it), else the first: its window matters now. */
const currentPeriod = (res) => res.periods.find((p) => p.index === res.stage.period) || res.periods[0];

function render(res) {
  const p = currentPeriod(res);
  return answerFirst(res, {
    next: nextStepBlock(res.next_step, res.summary),
    facts: [
      ["首次登记最晚", zhDate(res.first_registration.deadline)],
      p ? [`第${p.index}次再登记受理期`, `${zhDate(p.reregistration_opens)} 至 ${zhDate(p.reregistration_deadline)}`] : null,
      ["每个有效期需要的继续教育", periodHours(res)],
    ],
    rest: [
      timeline(res),
      icsButton("添加到手机日历（.ics）", res.calendar),
      note(res.local_notice),
      more("全部日期", datesTable(res.dates)),
    ],
  });
}

runTool({ tool: "registration", render });
