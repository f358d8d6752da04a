// The error view of a calculator form: each error of a response next to the field it
// names (by the field's own label, which the rules' message already uses), the form's
// general error line, keyboard focus on the first one, and what a failed computation shows.

function errorSlot(form, field) {
  return form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
}

export function controlFor(form, field) {
  return form.querySelector(`[data-field="${CSS.escape(field)}"]`) || form.elements.namedItem(field);
}

/** A field's label as the form shows it, without its "（可不填）": the field is named, not its status. */
export function labelOf(form, field) {
  const c = controlFor(form, field);
  const label = c && c.id ? form.querySelector(`label[for="${c.id}"]`) : null;
  if (label) return label.textContent.trim().replace(/（可不填）$/, "");
  const group = form.querySelector(`[data-label-for="${CSS.escape(field)}"]`);
  return group ? group.textContent.trim() : field;
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  const general = form.querySelector(".sg-form-error");
  if (general) {
    general.textContent = "";
    general.hidden = true;
  }
}

function append(node, message) {
  node.textContent = node.textContent ? `${node.textContent} ${message}` : message;
  node.hidden = false;
}

/** Puts each error next to the field it names (or in the form's general line); leaves
 * out those ``isQuiet`` says are not errors yet. Returns the errors shown. */
export function showErrors(form, errors, isQuiet) {
  clearErrors(form);
  const shown = errors.filter((e) => !(isQuiet && isQuiet(e.field)));
  for (const e of shown) {
    const control = controlFor(form, e.field);
    if (control && control.setAttribute) control.setAttribute("aria-invalid", "true");
    append(errorSlot(form, e.field) || form.querySelector(".sg-form-error"), e.message);
  }
  return shown;
}

/** Keyboard focus on the first field marked wrong (or the form's general error). */
export function focusFirstError(form) {
  const first = form.querySelector("[aria-invalid='true']") || form.querySelector(".sg-form-error:not([hidden])");
  if (!first) return;
  if (!first.matches("input, select, textarea, button")) first.setAttribute("tabindex", "-1");
  first.focus();
}

/** The guides this page names (its #sg-guides), as links to append to a message. */
export function guideLinks() {
  const guides = document.getElementById("sg-guides");
  return guides ? [...guides.cloneNode(true).childNodes] : [];
}

export const ENGINE_FAILED = "计算引擎出错，这次没有算出结果。可以点“重试”，或先阅读指南。";

/** A 重试 button that calls ``retry``. */
export function retryButton(retry) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button sg-retry";
  button.textContent = "重试";
  button.addEventListener("click", retry);
  return button;
}

/** What a failed computation shows: Chinese words, 重试 and the page's guides. */
export function engineFailed(retry) {
  const box = document.createElement("div");
  box.className = "sg-engine-failed";
  const words = document.createElement("p");
  words.append(ENGINE_FAILED, " ", ...guideLinks());
  box.append(words, retryButton(retry));
  return box;
}
