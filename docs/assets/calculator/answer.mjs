// The answer-first layout every calculator's result shares (issue 25): under the answer
// sentence (#sg-answer, written by ui.mjs), the next step and the two or three dates or
// numbers that matter; then the tool's own tables; then one 依据 list, each citation of
// the response once, which the rows and steps point to by number (the response's own
// source ids, so the numbers are the same with 计算过程 open or closed).
import { el, refs } from "./ui.mjs";

/** The key facts: [[name, value, source ids?], ...]; a pair that is null, or has no
 * value, is left out. */
export function keyFacts(pairs, cls = "sg-key-facts") {
  const list = el("dl", { class: `sg-facts ${cls}` });
  for (const pair of pairs) {
    if (pair && pair[1] !== null && pair[1] !== undefined && pair[1] !== "") {
      list.append(el("dt", {}, pair[0]), el("dd", {}, pair[1], pair[2] ? " " : null, refs(pair[2])));
    }
  }
  return list;
}

/** What a checker may want and a reader can skip (every date, each record's reason),
 * collapsed under ``title``. */
export function more(title, ...parts) {
  const shown = parts.filter(Boolean);
  return shown.length ? el("details", { class: "sg-more-result" }, el("summary", {}, title), ...shown) : null;
}

/** 依据: the response's sources, each once, as the targets of the references. */
function sourcesList(sources) {
  if (!sources || !sources.length) return null;
  return el("section", { class: "sg-sources", id: "sg-sources", "aria-labelledby": "sg-sources-title" },
    el("h3", { id: "sg-sources-title" }, "依据"),
    el("ol", {}, sources.map((s) => el("li", { id: `sg-source-${s.id}` }, el("span", { class: "sg-source-no" }, `［${s.id}］`), s.text))));
}

/** A short line the rules give (the local-notice caveat), as a hint. */
export function note(text) {
  return text ? el("p", { class: "sg-hint sg-local-notice" }, text) : null;
}

/**
 * The result in reading order: the next step and the key facts first, the rest (tables,
 * timeline, calendar file), then 依据. ui.mjs adds 计算过程, collapsed, after it.
 */
export function answerFirst(res, { next = null, facts = [], rest = [] }) {
  return [next, keyFacts(facts), ...rest, sourcesList(res.sources)];
}
