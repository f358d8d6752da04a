// 证件照检查: the rules check the photo's metadata (bytes, pixels, format); this page
// reads that metadata from the picked file and makes the fixed photo with the browser's
// own image code (createImageBitmap and a canvas). The photo never leaves the page: no
// request, no storage (its fields are declared saved=False); the previews are canvases,
// so the Content-Security-Policy needs no blob: or data: images. Every limit (the pixel
// size, the byte target, the file name) comes from the rules' answer.
import { runTool, el, saveFile } from "./ui.mjs";
import { answerFirst } from "./answer.mjs";

const form = document.getElementById("sg-form");
const fmt = (n) => n.toLocaleString("zh-CN");
// JPEG quality: start high, search down. Encoder settings, not rules.
const QUALITY_TOP = 0.95;
const QUALITY_FLOOR = 0.3;
const SEARCH_STEPS = 7;
const PREVIEW_MAX = 720; // the crop view's canvas width in pixels; the photo itself keeps its own

const state = { file: null, bitmap: null, target: null, frame: null, zoom: 1, seq: 0, blob: null, timer: null };

// --- the file picker, first in the form -------------------------------------------------

const picker = el("input", { type: "file", id: "sg-photo-file", accept: "image/*",
  "aria-describedby": "sg-photo-file-hint sg-photo-file-error" });
const pickError = el("p", { class: "sg-error", id: "sg-photo-file-error", hidden: true });
const pickBox = el("div", { class: "sg-field sg-photo-pick" },
  el("label", { for: "sg-photo-file" }, "选择照片"),
  picker,
  el("p", { class: "sg-hint", id: "sg-photo-file-hint" }, "照片只在这台设备上处理，不上传、不保存。选择后下面的大小、宽、高和格式会自动填写。"),
  pickError);
form.querySelector(".sg-field").before(pickBox);

// --- the crop editor and the result, after the rules' answer ----------------------------

const crop = el("canvas", { id: "sg-crop", class: "sg-crop", tabindex: "0", role: "img",
  "aria-label": "原图和裁剪框", "aria-describedby": "sg-crop-hint" });
const out = el("canvas", { id: "sg-photo-out", class: "sg-photo-out", role: "img", "aria-label": "裁剪压缩后的证件照" });
const originalCaption = el("figcaption", { id: "sg-photo-original-info" });
const outCaption = el("figcaption", { id: "sg-photo-out-info" });
const status = el("p", { id: "sg-photo-status", class: "sg-hint", role: "status" });
const download = el("button", { type: "button", id: "sg-photo-download", class: "md-button md-button--primary", disabled: true }, "下载");
const moves = [
  ["左移", "ArrowLeft"], ["右移", "ArrowRight"], ["上移", "ArrowUp"], ["下移", "ArrowDown"], ["放大", "+"], ["缩小", "-"],
];
const buttons = el("div", { class: "sg-crop-buttons", role: "group", "aria-label": "移动和缩放裁剪框" },
  moves.map(([label, key]) => {
    const b = el("button", { type: "button", class: "md-button", "data-key": key }, label);
    b.addEventListener("click", () => nudge(key, false));
    return b;
  }));
const editor = el("section", { id: "sg-photo-fix", class: "sg-photo-fix", "aria-labelledby": "sg-photo-fix-title", hidden: true },
  el("h2", { id: "sg-photo-fix-title" }, "裁剪并压缩"),
  el("p", { class: "sg-hint", id: "sg-crop-hint" },
    "拖动图片上的裁剪框，选择要保留的部分；也可以用 Tab 键选中图片后按方向键移动、按加号或减号缩放，或用下面的按钮。"),
  el("div", { class: "sg-photo-compare" },
    el("figure", { class: "sg-photo-figure" }, crop, originalCaption),
    el("figure", { class: "sg-photo-figure" }, out, outCaption)),
  buttons,
  status,
  download);
// Directly under the answer sentence: once a photo is chosen, the tool the reader came
// for is on the first screen, and the rules' checks follow it.
document.getElementById("sg-answer").after(editor);

// --- reading the picked file ------------------------------------------------------------

/** The format the file's first bytes say, whatever its name claims. */
function sniff(b) {
  const ascii = (from, to) => String.fromCharCode(...b.slice(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "JPEG";
  if (b[0] === 0x89 && ascii(1, 4) === "PNG") return "PNG";
  if (ascii(0, 4) === "GIF8") return "GIF";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "WebP";
  if (ascii(4, 8) === "ftyp" && /^(hei|hev|mif|msf|avi)/.test(ascii(8, 12))) return "HEIC";
  return "其他文件";
}

function setField(name, value) {
  const c = form.elements.namedItem(name);
  if (c) c.value = value === null || value === undefined ? "" : String(value);
}

function showPickError(text) {
  pickError.textContent = text;
  pickError.hidden = !text;
  if (text) picker.setAttribute("aria-invalid", "true");
  else picker.removeAttribute("aria-invalid");
}

function forget() {
  if (state.bitmap) state.bitmap.close();
  Object.assign(state, { file: null, bitmap: null, frame: null, zoom: 1, blob: null });
  editor.hidden = true;
  download.disabled = true;
}

async function pick(file) {
  forget();
  showPickError("");
  if (!file) return;
  const format = sniff(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  let bitmap = null;
  if (format !== "其他文件") {
    try {
      // "from-image": turned the way the camera's EXIF orientation says, as a photo app shows it.
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      bitmap = null;
    }
  }
  setField("file_bytes", file.size);
  setField("format", format);
  setField("width", bitmap ? bitmap.width : "");
  setField("height", bitmap ? bitmap.height : "");
  if (format === "其他文件") {
    showPickError("这个文件不是图片，无法处理。请从手机相册里选择一张照片（JPEG 或 PNG）。");
  } else if (!bitmap) {
    showPickError(`这个浏览器读不了这张${format}照片。请在手机相册里把它导出为 JPEG，再选择导出的照片。`);
  } else {
    Object.assign(state, { file, bitmap, format });
    originalCaption.textContent = `原图：${fmt(file.size)} 字节，${bitmap.width}×${bitmap.height} 像素，${format}`;
    editor.hidden = false;
    refit();
  }
  form.dispatchEvent(new Event("sg-recompute"));
}

picker.addEventListener("change", () => pick(picker.files && picker.files[0]));
document.getElementById("sg-clear").addEventListener("click", () => {
  picker.value = "";
  showPickError("");
  forget();
});

// --- the frame: in the photo's own (oriented) pixels ---------------------------------------

function refit() {
  const { bitmap, target } = state;
  if (!bitmap || !target) return;
  const ratio = target.width_px / target.height_px;
  const fullW = Math.min(bitmap.width, bitmap.height * ratio);
  const w = fullW / state.zoom;
  const h = w / ratio;
  const old = state.frame;
  const cx = old ? old.x + old.w / 2 : bitmap.width / 2;
  const cy = old ? old.y + old.h / 2 : bitmap.height / 2;
  state.frame = clamp({ x: cx - w / 2, y: cy - h / 2, w, h });
  draw();
  schedule();
}

function clamp(f) {
  const { bitmap } = state;
  return { ...f, x: Math.min(Math.max(0, f.x), bitmap.width - f.w), y: Math.min(Math.max(0, f.y), bitmap.height - f.h) };
}

function nudge(key, big) {
  if (!state.frame) return false;
  const f = state.frame;
  const step = (big ? 0.1 : 0.02) * Math.max(state.bitmap.width, state.bitmap.height);
  const moved = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[key];
  if (moved) {
    state.frame = clamp({ ...f, x: f.x + moved[0], y: f.y + moved[1] });
    draw();
    schedule();
    return true;
  }
  if (key === "+" || key === "=" || key === "-") {
    state.zoom = Math.min(8, Math.max(1, state.zoom * (key === "-" ? 1 / 1.1 : 1.1)));
    refit();
    return true;
  }
  return false;
}

crop.addEventListener("keydown", (ev) => {
  if (nudge(ev.key, ev.shiftKey)) ev.preventDefault();
});

let drag = null;
crop.addEventListener("pointerdown", (ev) => {
  if (!state.frame) return;
  const scale = state.bitmap.width / crop.clientWidth;
  drag = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, frame: state.frame, scale };
  crop.setPointerCapture(ev.pointerId);
  ev.preventDefault();
});
crop.addEventListener("pointermove", (ev) => {
  if (!drag || ev.pointerId !== drag.id) return;
  state.frame = clamp({ ...drag.frame, x: drag.frame.x + (ev.clientX - drag.x) * drag.scale, y: drag.frame.y + (ev.clientY - drag.y) * drag.scale });
  draw();
  schedule();
});
const endDrag = (ev) => {
  if (drag && ev.pointerId === drag.id) drag = null;
};
crop.addEventListener("pointerup", endDrag);
crop.addEventListener("pointercancel", endDrag);

function draw() {
  const { bitmap, frame } = state;
  const scale = Math.min(1, PREVIEW_MAX / bitmap.width);
  crop.width = Math.round(bitmap.width * scale);
  crop.height = Math.round(bitmap.height * scale);
  const ctx = crop.getContext("2d");
  ctx.drawImage(bitmap, 0, 0, crop.width, crop.height);
  // Where the frame is, in the photo's pixels: for a test, as the canvas cannot be read by one.
  crop.dataset.frame = [frame.x, frame.y, frame.w, frame.h].map(Math.round).join(",");
  const [x, y, w, h] = [frame.x * scale, frame.y * scale, frame.w * scale, frame.h * scale];
  ctx.fillStyle = "rgba(0, 0, 0, 0.55)";
  ctx.fillRect(0, 0, crop.width, y);
  ctx.fillRect(0, y + h, crop.width, crop.height - y - h);
  ctx.fillRect(0, y, x, h);
  ctx.fillRect(x + w, y, crop.width - x - w, h);
  ctx.lineWidth = 3;
  ctx.strokeStyle = "#000";
  ctx.strokeRect(x, y, w, h);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = "#fff";
  ctx.strokeRect(x, y, w, h);
}

// --- the fixed photo: cropped, scaled, encoded as JPEG below the target --------------------

function schedule() {
  clearTimeout(state.timer);
  editor.dataset.busy = "";
  state.timer = setTimeout(make, 120);
}

const toBlob = (canvas, quality) => new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));

/** The best quality whose JPEG fits ``limit`` bytes (a binary search), or null. */
async function encode(canvas, limit) {
  let blob = await toBlob(canvas, QUALITY_TOP);
  if (blob && blob.size <= limit) return { blob, quality: QUALITY_TOP };
  let lo = QUALITY_FLOOR;
  let hi = QUALITY_TOP;
  let best = null;
  blob = await toBlob(canvas, lo);
  if (!blob || blob.size > limit) return null;
  best = { blob, quality: lo };
  for (let i = 0; i < SEARCH_STEPS; i++) {
    const q = (lo + hi) / 2;
    blob = await toBlob(canvas, q);
    if (blob && blob.size <= limit) {
      best = { blob, quality: q };
      lo = q;
    } else hi = q;
  }
  return best;
}

async function make() {
  const { bitmap, frame, target } = state;
  if (!bitmap || !frame || !target) return;
  const mine = ++state.seq;
  out.width = target.width_px;
  out.height = target.height_px;
  const ctx = out.getContext("2d");
  // A PNG's transparent parts would turn black in a JPEG: white, as a photo studio's.
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(bitmap, frame.x, frame.y, frame.w, frame.h, 0, 0, out.width, out.height);
  const made = await encode(out, state.fit);
  if (mine !== state.seq) return;
  state.blob = null;
  if (!made) {
    status.textContent = "没能压缩到要求的大小，请换一张照片。";
    download.disabled = true;
  } else {
    state.blob = made.blob;
    const upscaled = frame.w < target.width_px;
    outCaption.textContent = `处理后：${fmt(made.blob.size)} 字节，${target.width_px}×${target.height_px} 像素，JPEG`;
    status.textContent = `已生成${target.size}证件照：${fmt(made.blob.size)} 字节（不超过 ${fmt(state.fit)} 字节，上限 ${fmt(state.max)} 字节），JPEG 质量 ${Math.round(made.quality * 100)}%。` +
      (upscaled ? "原图的这一部分像素不够，放大后可能不够清晰。" : "");
    download.textContent = `下载 ${target.file_name}`;
    download.disabled = false;
  }
  delete editor.dataset.busy;
}

download.addEventListener("click", () => {
  if (state.blob && state.target) saveFile(state.blob, state.target.file_name);
});

// --- the rules' answer ----------------------------------------------------------------------

function render(res) {
  const t = res.target;
  const changed = !state.target || state.target.width_px !== t.width_px || state.target.height_px !== t.height_px;
  Object.assign(state, { target: t, fit: res.fit_bytes, max: res.max_bytes });
  if (changed) {
    state.frame = null;
    refit();
  } else if (state.frame) schedule();
  const checks = res.checks.length
    ? el("ul", { class: "sg-checks" }, res.checks.map((c) =>
      el("li", { class: c.ok ? "sg-yes" : "sg-no" }, el("span", { class: "sg-badge" }, c.ok ? "符合" : "需处理"), c.text)))
    : null;
  return answerFirst(res, {
    facts: [
      ["规格", `${t.size}：${t.width_mm}×${t.height_mm} 毫米，按 ${t.dpi} dpi 为 ${t.width_px}×${t.height_px} 像素（常见规格，以系统提示为准）`],
      // Once a photo is chosen, the tool's own line under it says the limit with the size made.
      state.bitmap ? null : ["大小上限", `${fmt(res.max_bytes)} 字节；本页压缩到 ${fmt(res.fit_bytes)} 字节以内`],
    ],
    rest: [checks],
  });
}

runTool({ tool: "photo", render });
