// 身份证号检查: what the check found, and what to do next. The number itself is never
// kept (the field is declared saved=False) and the answer holds it only masked.
import { runTool, el, guideHref } from "./ui.mjs";

function render(res) {
  const facts = el("dl", { class: "sg-facts" },
    el("dt", {}, "号码"), el("dd", { class: "sg-masked" }, res.masked),
    el("dt", {}, "检查结果"), el("dd", {}, res.well_formed ? "格式正确" : "号码有误"));
  if (res.changes.length) facts.append(el("dt", {}, "已自动转换"), el("dd", {}, res.changes.join("、")));
  const problems = res.problems.length
    ? el("ul", { class: "sg-outcomes" }, res.problems.map((p) => el("li", { class: "sg-outcome sg-no" }, el("p", {}, p.message))))
    : null;
  const guide = res.next_step.guide;
  const next = el("section", { class: `sg-outcome ${res.well_formed ? "sg-yes" : "sg-no"}`, "aria-labelledby": "sg-next-title" },
    el("h3", { id: "sg-next-title" }, "下一步"),
    el("p", {}, res.next_step.text),
    guide ? el("p", {}, "详见指南：", el("a", { href: guideHref(guide.path) }, guide.title), "。") : null);
  return [facts, problems, next];
}

runTool({ tool: "idcard", render });
