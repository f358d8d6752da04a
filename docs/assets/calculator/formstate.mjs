// A calculator form's state: its declared fields (data-form, from the tool's QUESTIONS at
// build time), reading and writing them, where the values came from (a link, what the
// reader kept here, an example filled in on request), what is kept, which fields the
// reader has touched, and which required ones are still empty.

import { save, loadSaved } from "./storage.mjs";
import { controlFor, labelOf } from "./errors.mjs";

export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** What the tool's declaration (rendered into the form at build time) says: the fields,
 * the ones a link may fill in, the values after 清除数据, and the required ones. */
export function declared(form) {
  try {
    return JSON.parse(form.dataset.form || "{}");
  } catch {
    return {};
  }
}

export function readFields(form, names) {
  const out = {};
  for (const name of names) {
    const c = form.elements.namedItem(name);
    if (!c) continue;
    if (c.type === "checkbox") out[name] = c.checked;
    else if (c.type === "date" || c.type === "datetime-local") out[name] = dateValue(c);
    else out[name] = c.value;
  }
  return out;
}

/** A date field's value; an incomplete or impossible date (which the browser reads as "")
 * is sent as text, so that the rules say what is wrong. */
export function dateValue(control) {
  return control.value || (control.validity.badInput ? "日期不完整或不存在" : "");
}

export function writeFields(form, values) {
  for (const [name, v] of Object.entries(values || {})) {
    const c = form.elements.namedItem(name);
    if (!c || typeof v === "object") continue;
    if (c.type === "checkbox") c.checked = !!v;
    else c.value = v == null ? "" : String(v);
  }
}

/** Request fields: empty strings are left out, so the rules see "missing". */
export function compact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (v !== "" && v !== null && v !== undefined) out[k] = v;
  return out;
}

/** The form's spelling of a value a link may give another way (level=assistant): the
 * aliases the rules accept, declared with the field and put on its control at build time. */
function unalias(form, name, value) {
  const control = form.elements.namedItem(name);
  try {
    return JSON.parse((control && control.dataset && control.dataset.aliases) || "{}")[value.toLowerCase()] || value;
  } catch {
    return value;
  }
}

function paramsToValues(params, names, form) {
  const given = names.filter((name) => params.has(name));
  return given.length ? Object.fromEntries(given.map((n) => [n, unalias(form, n, params.get(n).trim())])) : null;
}

/** The fields whose value is still the example's (a list field: any of its items), leaving
 * out those where the example has the empty form's value (a default level, say). */
function exampleParts(values, example, empty = {}) {
  if (!example) return [];
  return Object.keys(values).filter((k) => {
    const v = values[k];
    const ex = example[k];
    if (Array.isArray(v)) return Array.isArray(ex) && v.some((item) => ex.some((e) => same(e, item)));
    return v !== "" && v !== undefined && same(v, ex) && !same(ex, empty[k]);
  });
}

/** ``values`` with the example's parts emptied: what may be kept as the reader's. */
function withoutExample(values, example, fields, empty = {}) {
  const out = { ...values };
  for (const k of fields) {
    out[k] = Array.isArray(values[k]) ? values[k].filter((item) => !example[k].some((e) => same(e, item))) : (empty[k] ?? "");
  }
  return out;
}

function note(id, cls) {
  const p = document.createElement("p");
  p.className = `sg-hint ${cls}`;
  p.id = id;
  p.setAttribute("role", "status");
  return p;
}

/** One form's state. ``opts``: the tool's options (runTool's), with data-form's declaration. */
export class FormState {
  constructor(form, opts) {
    this.form = form;
    this.opts = opts;
    this.touched = new Set();
    this.example = null; // the example last filled in, as the form reads it back
    this.writes = 0; // a write may rebuild form parts a render fills in (training's rows)
    this.onRestore = () => {};
  }

  read() {
    return this.opts.read ? this.opts.read(this.form) : readFields(this.form, this.opts.fields);
  }

  write(values) {
    (this.opts.write || writeFields)(this.form, values);
    this.writes++;
  }

  /** The form starts with what the reader gave: a link's values, or what they kept here,
   * else nothing. An example is shown only when asked for (填入示例), and is said to be one. */
  start() {
    const fromParams = paramsToValues(new URLSearchParams(location.search), this.opts.params, this.form);
    const fromURL = fromParams && { ...this.opts.empty, ...fromParams };
    this.saved = loadSaved(this.opts.tool);
    // Before issue 22 a first visit saved the page's first example as the reader's input:
    // such a copy is not theirs, and is not brought back.
    if (this.saved && this.isOldExample(this.saved)) this.saved = null;
    // A link's values fill the form but are not saved over what the reader saved here,
    // until the reader changes something or confirms (计算); until then they can go back.
    this.linkOverSaved = !!(fromURL && this.saved);
    this.linkNote = this.linkOverSaved ? this.savedNote() : null;
    this.write(fromURL || this.saved || this.opts.empty);
  }

  isOldExample(kept) {
    const button = this.form.querySelector("[data-example]");
    if (!button) return false;
    this.write(JSON.parse(button.dataset.example));
    const shown = this.read();
    this.write(this.opts.empty);
    const unsaved = this.opts.unsaved || [];
    return same(kept, Object.fromEntries(Object.entries(shown).filter(([k]) => !unsaved.includes(k))));
  }

  savedNote() {
    const restore = document.createElement("button");
    Object.assign(restore, { type: "button", className: "md-button", id: "sg-restore", textContent: "恢复我保存的内容" });
    const p = note("sg-link-note", "sg-link-note");
    p.append("表格里是链接带来的内容，还没有保存；你之前在本机保存的内容仍然保留，改动表格后才会被替换。", " ", restore);
    restore.addEventListener("click", () => {
      this.readerChanged();
      history.replaceState(null, "", location.pathname);
      this.reset(this.saved);
      this.onRestore();
    });
    this.form.before(p);
    return p;
  }

  /** The reader changed something (or confirmed with 计算): a link's values are now theirs. */
  readerChanged() {
    if (!this.linkOverSaved) return;
    this.linkOverSaved = false;
    if (this.linkNote) this.linkNote.remove();
  }

  /** The form holds ``values`` that are nobody's typing yet (清除数据, restored ones). */
  reset(values) {
    this.example = null;
    this.write(values);
    this.touched.clear();
  }

  fillExample(values) {
    this.readerChanged();
    this.write(values);
    this.example = this.read();
    this.touched.clear();
  }

  touch(target) {
    if (target && target.name) this.touched.add(target.dataset.field || target.name);
  }

  /** The values now, kept (without the example's) unless a link's are shown over the reader's. */
  take() {
    const values = this.read();
    const fromExample = exampleParts(values, this.example, this.opts.empty);
    if (!this.linkOverSaved) save(this.opts.tool, withoutExample(values, this.example, fromExample, this.opts.empty), this.opts.unsaved);
    this.exampleNote(fromExample);
    return { values, fromExample };
  }

  /** A field nobody has filled in yet is not an error yet, only "still needed". */
  quiet(field) {
    const control = controlFor(this.form, field);
    if (!control || !("value" in control)) return false;
    return control.value === "" && !this.touched.has(field) && !(control.validity && control.validity.badInput);
  }

  missing(values) {
    const group = this.opts.group || [];
    const given = (f) => values[f] || (group.includes(f) && group.some((g) => values[g]));
    return (this.opts.required || []).filter((f) => !given(f));
  }

  exampleWords(fields) {
    return `用到了示例里的${fields.map((f) => `「${labelOf(this.form, f)}」`).join("、")}。改成你自己的，或点“清除数据”清空表格。`;
  }

  /** Above the form while any value in it is still the example's. */
  exampleNote(fields) {
    let p = document.getElementById("sg-example-form-note");
    if (!fields.length) {
      if (p) p.remove();
      return;
    }
    if (!p) this.form.prepend((p = note("sg-example-form-note", "sg-example-note")));
    const words = `表格里是示例，不是你的数据：${this.exampleWords(fields)}示例不会保存。`;
    if (p.textContent !== words) p.textContent = words;
  }
}
