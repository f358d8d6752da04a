// 职称对应(天津): routes from a certificate, skill level or title, and when each opens.
import { runTool, el, zhDate, refs } from "./ui.mjs";
import { answerFirst } from "./answer.mjs";

const ELIGIBLE = {
  true: ["符合", "sg-yes"],
  false: ["暂不符合", "sg-no"],
  null: ["需补充信息", "sg-maybe"],
  // A route the notice makes conditional: never shown as open.
  condition: ["有前提条件", "sg-maybe"],
};

function render(res) {
  const list = el("ul", { class: "sg-outcomes" }, res.outcomes.map((o) => {
    const key = o.eligible === null && o.needs === "condition" ? "condition" : String(o.eligible);
    const [mark, cls] = ELIGIBLE[key] || ELIGIBLE.null;
    return el("li", { class: `sg-outcome ${cls}` },
      el("p", { class: "sg-outcome-head" },
        o.route_text, el("strong", {}, o.target_text || o.target),
        el("span", { class: "sg-badge" }, mark)),
      o.eligible_from ? el("p", {}, `最早从 ${zhDate(o.eligible_from)} 起满足年限。`) : null,
      el("p", {}, o.condition, " ", refs(o.sources)));
  }));
  // The key facts: the routes open now, and what they lead to.
  const open = res.outcomes.filter((o) => o.eligible === true).map((o) => [o.route_text, o.target_text || o.target, o.sources]);
  return answerFirst(res, { facts: open, rest: [list] });
}

runTool({ tool: "title", render });
