// 登记期限: first-registration deadline, validity periods, re-registration windows.
import { runTool, el, zhDate, datesTable, icsButton, nextStepBlock } from "./ui.mjs";
import { timelineSvg } from "./timeline.mjs";

// Hours are read on each period's start (README, 哪一天的规定); null where no rule was
// in force yet.
const hoursText = (h) => (h === null || h === undefined ? "当时还没有继续教育学时的规定" : `${h} 小时`);

function periodHours(res) {
  const all = [...new Set(res.periods.map((p) => p.required_hours))];
  if (all.length > 1) return res.periods.map((p) => `第${p.index}个有效期 ${hoursText(p.required_hours)}`).join("；");
  return hoursText(all.length ? all[0] : res.required_hours);
}

// The last day to act: moved past a statutory holiday when the rules say so.
const firstLastDay = (res) => res.first_registration.holiday_extended_last_day || res.first_registration.last_day;
const reregLastDay = (p) => p.holiday_extended_last_day || p.reregistration_last_day;

// The rule values shown here come from the response, so they are the ones the rules used.

/** Whole months from one ISO date back to another's month: the re-registration window, as
 * the rules counted it (its opening day is the period's end minus the window). */
function monthsBetween(from, to) {
  const [fy, fm] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  return (ty - fy) * 12 + (tm - fm);
}

function windowLegend(res) {
  const p = res.periods[0];
  return p ? `再登记受理期(有效期满前${monthsBetween(p.reregistration_opens, p.end)}个月)` : "再登记受理期";
}

/** The SVG timeline: first-registration window, each period, re-registration windows, today. */
export function timeline(res) {
  const short = (iso) => zhDate(iso, { weekday: false });
  const firstLast = firstLastDay(res);
  const rows = [{ label: "首次登记受理期", short: "首次登记", from: res.passed_on, to: firstLast, kind: "first", mark: firstLast }];
  for (const p of res.periods) {
    rows.push({ label: `第${p.index}个登记有效期`, short: `第${p.index}个有效期`, from: p.start, to: p.end, kind: "period",
      window: [p.reregistration_opens, reregLastDay(p)] });
  }
  const desc = rows
    .map((r) => `${r.label}：${short(r.from)}至${short(r.to)}` +
      (r.window ? `，其中再登记受理期${short(r.window[0])}至${short(r.window[1])}` : ""))
    .join("；") + (res.today ? `；今天是${short(res.today)}。` : "。");
  const root = timelineSvg({
    rows: rows.map((r) => ({ ...r, text: `${r.short} 至${short(r.to)}` })),
    today: res.today, title: "登记时间线", desc, id: "sg-timeline",
  });

  const legend = el("ul", { class: "sg-legend" },
    el("li", {}, el("span", { class: "sg-key sg-key-bar", "aria-hidden": "true" }), "登记有效期 / 首次登记受理期"),
    el("li", {}, el("span", { class: "sg-key sg-key-window", "aria-hidden": "true" }), windowLegend(res)),
    el("li", {}, el("span", { class: "sg-key sg-key-today", "aria-hidden": "true" }), "今天"));
  return el("figure", { class: "sg-figure" }, root, el("figcaption", {}, legend));
}

function render(res) {
  const facts = el("dl", { class: "sg-facts" },
    el("dt", {}, "首次登记最晚"),
    el("dd", {}, zhDate(firstLastDay(res))),
    el("dt", {}, "每个有效期需要的继续教育"),
    el("dd", {}, periodHours(res)));
  if (res.periods.length) {
    const p = res.periods[0];
    facts.append(el("dt", {}, "第1次再登记受理期"),
      el("dd", {}, `${zhDate(p.reregistration_opens)} 至 ${zhDate(reregLastDay(p))}`));
  }
  return [
    nextStepBlock(res.next_step),
    facts,
    timeline(res),
    icsButton("添加到手机日历(.ics)", res.calendar),
    datesTable(res.dates),
    el("p", { class: "sg-hint" }, "期间按《民法典》第二百零一条至第二百零三条计算：开始的当日不计入，到期月的对应日为最后一日，最后一日是法定休假日的顺延。以当地民政部门通知为准。"),
  ];
}

runTool({ tool: "registration", render });
