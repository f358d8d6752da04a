// 登记期限: first-registration deadline, validity periods, re-registration windows.
import { runTool, el, zhDate, datesTable, icsButton } from "./ui.mjs";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

// Hours are read on each period's start (README, 哪一天的规定); null where no rule was
// in force yet.
const hoursText = (h) => (h === null || h === undefined ? "当时还没有继续教育学时的规定" : `${h} 小时`);

function periodHours(res) {
  const all = [...new Set(res.periods.map((p) => p.required_hours))];
  if (all.length > 1) return res.periods.map((p) => `第${p.index}个有效期 ${hoursText(p.required_hours)}`).join(";");
  return hoursText(all.length ? all[0] : res.required_hours);
}

// The last day to act: moved past a statutory holiday when the rules say so.
const firstLastDay = (res) => res.first_registration.holiday_extended_last_day || res.first_registration.last_day;
const reregLastDay = (p) => p.holiday_extended_last_day || p.reregistration_last_day;

const dayNumber = (iso) => {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
};

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

/** The rules' own sentence for a parameter (the explanation step that used it). */
/** The SVG timeline: first-registration window, each period, re-registration windows, today. */
export function timeline(res) {
  const rows = [];
  const firstLast = firstLastDay(res);
  rows.push({ label: "首次登记受理期", short: "首次登记", from: res.passed_on, to: firstLast, kind: "first", mark: firstLast });
  for (const p of res.periods) {
    rows.push({
      label: `第${p.index}个登记有效期`,
      short: `第${p.index}个有效期`,
      from: p.start,
      to: p.end,
      kind: "period",
      window: [p.reregistration_opens, reregLastDay(p)],
    });
  }
  const all = rows.flatMap((r) => [r.from, r.to]).concat(res.today ? [res.today] : []);
  const min = Math.min(...all.map(dayNumber));
  const max = Math.max(...all.map(dayNumber));
  const W = 400, left = 4, right = 4, rowH = 48, top = 28;
  const H = top + rows.length * rowH + 22;
  const span = Math.max(1, max - min);
  const x = (iso) => left + ((dayNumber(iso) - min) / span) * (W - left - right);

  const titleId = "sg-timeline-title";
  const descId = "sg-timeline-desc";
  const desc = rows
    .map((r) => `${r.label}:${zhDate(r.from, { weekday: false })}至${zhDate(r.to, { weekday: false })}` +
      (r.window ? `,其中再登记受理期${zhDate(r.window[0], { weekday: false })}至${zhDate(r.window[1], { weekday: false })}` : ""))
    .join(";") + (res.today ? `;今天是${zhDate(res.today, { weekday: false })}。` : "。");
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, class: "sg-timeline",
    preserveAspectRatio: "xMinYMin meet",
  }, svg("title", { id: titleId }, "登记时间线"), svg("desc", { id: descId }, desc));

  // Year ticks.
  const y0 = Number(rows[0].from.slice(0, 4));
  const y1 = Number(rows[rows.length - 1].to.slice(0, 4)) + 1;
  const every = y1 - y0 > 12 ? 2 : 1;
  for (let y = y0; y <= y1; y += every) {
    const iso = `${y}-01-01`;
    if (dayNumber(iso) < min || dayNumber(iso) > max) continue;
    const xx = x(iso);
    root.append(svg("line", { x1: xx, x2: xx, y1: top - 6, y2: H - 18, class: "sg-tl-grid" }));
    if (xx < W - 28) root.append(svg("text", { x: xx + 2, y: H - 6, class: "sg-tl-year" }, String(y)));
  }

  rows.forEach((r, i) => {
    const yy = top + i * rowH;
    const g = svg("g", { class: `sg-tl-row sg-tl-${r.kind}` });
    const label = `${r.short} 至${zhDate(r.to, { weekday: false })}`;
    const est = [...label].length * 14;
    g.append(svg("text", { x: Math.max(0, Math.min(x(r.from), W - est)), y: yy + 10, class: "sg-tl-label" }, label));
    g.append(svg("rect", { x: x(r.from), y: yy + 18, width: Math.max(2, x(r.to) - x(r.from)), height: 14, rx: 3, class: "sg-tl-bar" }));
    if (r.window) {
      g.append(svg("rect", {
        x: x(r.window[0]), y: yy + 16, width: Math.max(3, x(r.window[1]) - x(r.window[0])), height: 18, rx: 2,
        class: "sg-tl-window",
      }));
    }
    if (r.mark) g.append(svg("rect", { x: x(r.mark) - 2, y: yy + 14, width: 4, height: 22, class: "sg-tl-deadline" }));
    root.append(g);
  });

  if (res.today && dayNumber(res.today) >= min && dayNumber(res.today) <= max) {
    const xx = x(res.today);
    root.append(svg("line", { x1: xx, x2: xx, y1: 4, y2: H - 18, class: "sg-tl-today" }));
    root.append(svg("text", { x: xx > W - 40 ? xx - 4 : xx + 4, y: 14, class: "sg-tl-today-label", "text-anchor": xx > W - 40 ? "end" : "start" }, "今天"));
  }

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
    facts,
    timeline(res),
    icsButton("添加到手机日历(.ics)", res.calendar),
    datesTable(res.dates),
    el("p", { class: "sg-hint" }, "期间按《民法典》第二百零一条至第二百零三条计算:开始的当日不计入,到期月的对应日为最后一日,最后一日是法定休假日的顺延。以当地民政部门通知为准。"),
  ];
}

runTool({ tool: "registration", render });
