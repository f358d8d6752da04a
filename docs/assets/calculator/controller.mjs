// The loop every calculator page runs: compute when the input changes (after a short
// pause), only the newest answer is shown, the result is marked busy meanwhile, a failed
// computation offers 重试, 清除数据 clears, and after the first answer the site is kept
// offline. What to send and how to show the answer are the page's (ui.mjs runTool for a
// form of declared fields, team.mjs for a spreadsheet).

import { ENGINE_FAILED, engineFailed, focusFirstError } from "./errors.mjs";
import { clearAll, sayCleared } from "./storage.mjs";
import { requestOffline, watchStatus } from "./status.mjs";

const api = window.shegongCalculator;
const PAUSE_MS = 150;

/**
 * page: {
 *   prepare() -> what to send, or {empty: words} when there is nothing to compute yet;
 *   send(prepared) -> Promise<response>;
 *   show(response, prepared, setAnswer): the answer, in #sg-result and #sg-answer;
 *   mark: the performance mark of the first answer shown.
 * }
 * Returns {run, schedule, cancel, show, setAnswer}.
 */
export function controller(page) {
  watchStatus();
  const ctl = new Controller(page);
  // Someone who never gets a result (bad input) still gets the offline copy.
  api.ready.then(() => setTimeout(() => ctl.keepOffline(), 3000), () => {});
  for (const name of ["run", "schedule", "cancel", "show", "setAnswer"]) ctl[name] = ctl[name].bind(ctl);
  return ctl;
}

class Controller {
  constructor(page) {
    this.page = page;
    this.result = document.getElementById("sg-result");
    this.answer = document.getElementById("sg-answer");
    this.seq = 0;
    this.timer = null;
    this.running = 0;
    this.offlineAsked = false;
    this.answered = false;
  }

  setAnswer(text, kind) {
    if (this.answer.textContent !== text) this.answer.textContent = text;
    this.answer.dataset.kind = kind;
  }

  // data-busy on the result while a computation is scheduled or running, so that a
  // test (or an assistive tool) can tell a settled answer from one about to change.
  markBusy() {
    if (this.timer !== null || this.running) this.result.dataset.busy = "";
    else delete this.result.dataset.busy;
  }

  show(state, nodes, words) {
    this.result.replaceChildren(...nodes);
    this.result.dataset.state = state;
    this.setAnswer(words, state);
  }

  keepOffline() {
    if (this.offlineAsked) return;
    this.offlineAsked = true;
    requestOffline();
  }

  async compute() {
    const prepared = this.page.prepare();
    const mine = ++this.seq;
    if (!prepared || prepared.empty !== undefined) {
      this.show("empty", [], prepared ? prepared.empty : "");
      return;
    }
    let response;
    try {
      response = await this.page.send(prepared);
    } catch (err) {
      if (mine !== this.seq) return;
      // The error itself (a Python traceback, say) goes to the console, never on the page.
      if (err) console.warn("shegong: the computation failed:", err);
      this.show("failed", [engineFailed(() => this.run())], ENGINE_FAILED);
      return;
    }
    if (mine !== this.seq) return; // a newer input has been sent meanwhile
    this.page.show(response, prepared, this.setAnswer);
    if (response.ok && !this.answered) {
      this.answered = true;
      performance.mark(this.page.mark || "shegong:first-result");
      // Only now keep the whole site offline, so that download never slows the start.
      this.keepOffline();
    }
  }

  async run() {
    clearTimeout(this.timer);
    this.timer = null;
    this.running++;
    this.markBusy();
    try {
      await this.compute();
    } finally {
      this.running--;
      this.markBusy();
    }
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), PAUSE_MS);
    this.markBusy();
  }

  /** Drops what is scheduled or on its way: a late answer is not shown. */
  cancel() {
    this.seq++;
    clearTimeout(this.timer);
    this.timer = null;
    this.markBusy();
  }
}

/** 清除数据: everything kept on the device goes, then ``reset()`` empties the page. */
export function onClear(reset) {
  const button = document.getElementById("sg-clear");
  if (!button) return;
  button.addEventListener("click", async () => {
    const done = clearAll();
    reset();
    try {
      history.replaceState(null, "", location.pathname);
    } catch { /* the form is cleared all the same */ }
    sayCleared(await done);
  });
}

/** After 计算, the answer's top at the top of the screen when it is not there already: on a
 * phone the button is at the form's end and the answer below the fold.  Focus follows
 * it (the button would be left under the fixed header, out of sight); a keyboard reader
 * goes on from the answer into the result.  No motion for readers who ask for none. */
function bringAnswerIntoView() {
  const answer = document.getElementById("sg-answer");
  const top = answer.getBoundingClientRect().top;
  if (top >= 0 && top < window.innerHeight / 3) return;
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  answer.setAttribute("tabindex", "-1");
  answer.focus({ preventScroll: true });
  answer.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
}

/** A form of declared fields (FormState): each change is computed after a pause; a field
 * left (focus out) counts as touched, so its error shows; 计算 computes now and focuses
 * the first error; 填入示例 fills in an example. */
export function listen(form, state, ctl) {
  const changed = (ev) => {
    if (ev.type === "input" || ev.type === "change") state.readerChanged();
    state.touch(ev.target);
    ctl.schedule();
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", (ev) => {
    const key = ev.target && ev.target.name && (ev.target.dataset.field || ev.target.name);
    if (key && !state.touched.has(key)) {
      state.touch(ev.target);
      ctl.schedule();
    }
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    // run() cancels the pending timer: the typing that led here is computed now, not again later.
    for (const c of form.elements) state.touch(c);
    state.readerChanged(); // 计算 confirms the link's values
    ctl.run().then(() => {
      const shown = document.getElementById("sg-result").dataset.state;
      if (shown === "errors") focusFirstError(form);
      else if (shown === "ok") bringAnswerIntoView();
    });
  });
  form.addEventListener("sg-recompute", () => ctl.run());
  for (const button of form.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => {
      state.fillExample(JSON.parse(button.dataset.example));
      ctl.run();
    });
  }
}
