// The SVG timeline drawn by 登记期限 and 我的时间表: one bar per row, a row's window
// inside its bar, a row's deadline mark, year ticks and today's line. The callers say
// what the rows are and describe them in words (the text alternative).

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

export const dayNumber = (iso) => {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
};

/**
 * rows: [{kind, text, from, to, window?: [from, to], mark?}] (ISO dates; ``text`` is the
 * label drawn above the bar); id: prefix of the title and description ids.
 */
export function timelineSvg({ rows, today, title, desc, id }) {
  const all = rows.flatMap((r) => [r.from, r.to]).concat(today ? [today] : []);
  const min = Math.min(...all.map(dayNumber));
  const max = Math.max(...all.map(dayNumber));
  const W = 400, side = 4, rowH = 48, top = 28;
  const H = top + rows.length * rowH + 22;
  const x = (iso) => side + ((dayNumber(iso) - min) / Math.max(1, max - min)) * (W - 2 * side);
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-title ${id}-desc`, class: "sg-timeline",
    preserveAspectRatio: "xMinYMin meet",
  }, svg("title", { id: `${id}-title` }, title), svg("desc", { id: `${id}-desc` }, desc));

  const years = all.map((iso) => Number(iso.slice(0, 4)));
  const y0 = Math.min(...years);
  const y1 = Math.max(...years) + 1;
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
    const est = [...r.text].length * 14;
    g.append(svg("text", { x: Math.max(0, Math.min(x(r.from), W - est)), y: yy + 10, class: "sg-tl-label" }, r.text));
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

  if (today) {
    const xt = x(today);
    root.append(svg("line", { x1: xt, x2: xt, y1: 4, y2: H - 18, class: "sg-tl-today" }));
    root.append(svg("text", {
      x: xt > W - 40 ? xt - 4 : xt + 4, y: 14, class: "sg-tl-today-label", "text-anchor": xt > W - 40 ? "end" : "start",
    }, "今天"));
  }
  return root;
}
