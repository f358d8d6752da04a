// What a calculator page keeps on the device: the reader's inputs in localStorage, under
// one prefix (a key per tool), and 清除数据, which removes them and the engine's snapshot.
// Nothing typed leaves the device.

const PREFIX = "shegong:calculator:";

/** What ``tool`` kept here, or null (nothing kept, unreadable, or no storage). */
export function loadSaved(tool) {
  try {
    const text = localStorage.getItem(PREFIX + tool);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Keeps ``value`` for ``tool``; false where the browser refuses (private mode, full storage). */
export function keep(tool, value) {
  try {
    localStorage.setItem(PREFIX + tool, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function forget(tool) {
  try {
    localStorage.removeItem(PREFIX + tool);
  } catch { /* nothing was kept */ }
}

/** Keeps the form's values, except those declared never to be kept (an ID number, a
 * photo's details: data-form's "unsaved"); a tool with nothing else keeps nothing. */
export function save(tool, values, unsaved = []) {
  const kept = Object.fromEntries(Object.entries(values).filter(([k]) => !unsaved.includes(k)));
  if (Object.keys(values).length && !Object.keys(kept).length) forget(tool);
  else keep(tool, kept);
}

function removeInputs() {
  let tools = 0;
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (key && key.startsWith(PREFIX)) {
      localStorage.removeItem(key);
      tools++;
    }
  }
  return tools;
}

/** 清除数据, in order of what matters: the reader's inputs first, then the caches, each
 * step on its own so that one that throws (Cache Storage in older private windows) does
 * not stop the other. Returns what was removed and what could not be. */
export async function clearAll() {
  const api = window.shegongCalculator;
  const removed = [];
  const failed = [];
  try {
    const tools = removeInputs();
    removed.push(tools ? `本机保存的输入（${tools}个计算器）` : "本机保存的输入（原本没有）");
  } catch {
    failed.push("本机保存的输入（浏览器不允许访问本地存储）");
  }
  // The Python memory snapshot holds no input, but it is this site's data on the device.
  try {
    if (api && api.forgetSnapshot && (await api.forgetSnapshot())) removed.push("计算引擎的快照（不含你的输入）");
  } catch {
    failed.push("计算引擎的快照（浏览器不允许访问缓存；快照不含你的输入）");
  }
  return { removed, failed };
}

/** What 清除数据 says it did, in the form's #sg-cleared line. */
export function sayCleared({ removed, failed }) {
  const note = document.getElementById("sg-cleared");
  if (!note) return;
  note.textContent = `已清除：${removed.join("、") || "没有可清除的内容"}。` +
    (failed.length ? `未能清除：${failed.join("、")}。` : "");
  note.hidden = false;
}
