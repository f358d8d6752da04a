// 职称对应(天津): routes from a certificate, skill level or title, and when each opens.
import {
  runTool, readFields, writeFields, compact, el, zhDate,
  answerBlock, explanationBlock,
} from "./ui.mjs";

const FIELDS = ["from", "since", "series", "today"];
const ELIGIBLE = {
  true: ["符合", "sg-yes"],
  false: ["暂不符合", "sg-no"],
  null: ["需补充信息", "sg-maybe"],
};

function render(res) {
  const list = el("ul", { class: "sg-outcomes" }, res.outcomes.map((o) => {
    const [mark, cls] = ELIGIBLE[String(o.eligible)] || ELIGIBLE.null;
    return el("li", { class: `sg-outcome ${cls}` },
      el("p", { class: "sg-outcome-head" },
        el("strong", {}, o.target), "(", o.route_text || o.route, ")",
        el("span", { class: "sg-badge" }, mark)),
      o.eligible_from ? el("p", {}, `从 ${zhDate(o.eligible_from)} 起满足年限。`) : null,
      el("p", {}, o.condition),
      o.source ? el("p", { class: "sg-source" }, `依据:${o.source}`) : null);
  }));
  return [
    el("h2", { id: "sg-result-title" }, "结果"),
    answerBlock(res.summary),
    list,
    explanationBlock(res.explanation),
  ];
}

const form = document.getElementById("sg-form");
runTool({
  tool: "title",
  form,
  result: document.getElementById("sg-result"),
  read: (f) => readFields(f, FIELDS),
  write: writeFields,
  params: ["from", "since", "series"],
  example: JSON.parse(form.querySelector("[data-example]").dataset.example),
  empty: { from: "社会工作师", since: "", series: "", today: "" },
  required: (v) => ["from"].filter((k) => !v[k]),
  request: (v) => ({ tool: "title", ...compact(v) }),
  render,
});
