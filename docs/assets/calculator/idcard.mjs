// 身份证号检查: what the check found, and what to do next. The number itself is never
// kept (the field is declared saved=False) and the answer holds it only masked.
import { runTool, el, guideHref } from "./ui.mjs";
import { answerFirst } from "./answer.mjs";

function render(res) {
  // A problem the answer sentence already says is not said again below it.
  const left = res.problems.filter((p) => !res.summary.includes(p.message));
  const problems = left.length
    ? el("ul", { class: "sg-outcomes" }, left.map((p) => el("li", { class: "sg-outcome sg-no" }, el("p", {}, p.message))))
    : null;
  const guide = res.next_step.guide;
  const next = el("section", { class: `sg-outcome sg-next-step ${res.well_formed ? "sg-yes" : "sg-no"}`, "aria-labelledby": "sg-next-title" },
    el("h3", { id: "sg-next-title" }, "下一步"),
    el("p", {}, res.next_step.text),
    guide ? el("p", {}, "详见指南：", el("a", { href: guideHref(guide.path) }, guide.title), "。") : null);
  return answerFirst(res, {
    next,
    facts: [
      ["号码", el("span", { class: "sg-masked" }, res.masked)],
      ["检查结果", res.well_formed ? "格式正确" : "号码有误"],
      res.changes.length ? ["已自动转换", res.changes.join("、")] : null,
    ],
    rest: [problems],
  });
}

runTool({ tool: "idcard", render });
