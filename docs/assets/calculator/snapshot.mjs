// The calculator's Python memory snapshot, for worker.mjs. A repeat visit restores Python
// from it instead of booting: the rules are already imported and the policy already read.
// `_makeSnapshot`/`_loadSnapshot` are experimental options of the pinned Pyodide, so every
// step here may fail, and each failure falls back to the normal boot (which then stores a
// fresh snapshot).
//
// - The snapshot is made in the worker right after the imports and a fixed warm-up
//   request, before the first request from the page is read: it never holds user input
//   (the heap is copied whole, freed memory included, so "after the first answer" would
//   not be safe). Making it there is cheap; a second worker would download and boot
//   Pyodide again on a phone's two cores.
// - It is keyed by the Pyodide version, the rules wheel's hash and the standard
//   library's hash (the key, from the build), and stored under one URL, so a new
//   release replaces the old snapshot instead of restoring it.
// - It is stored without its all-zero pages (see pack), uncompressed, with its SHA-256,
//   checked before Pyodide sees the bytes. Pyodide starts its wasm only once it has the
//   snapshot, so reading it back is on a repeat visit's critical path. Gzip
//   (CompressionStream) would store less but measured slower to compress and no faster
//   to read back, on the worker's own thread; bench/README.md has the figures (`make bench`).

const SNAPSHOT_CACHE = "shegong-snapshot";

export async function sha256hex(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class CorruptSnapshot extends Error {}


// Most of the heap is memory Python never touched: most of its pages are all zeros.
// The stored copy leaves them out ("SGS1", the heap's length, the page size, a bitmap of
// the pages kept, then those pages), which cuts what a repeat visit reads and hashes
// (bench/README.md has the sizes).
const PACK_MAGIC = 0x53475331; // "SGS1"
const PAGE = 4096;

function pack(bytes) {
  const total = bytes.length;
  const pages = Math.ceil(total / PAGE);
  const bitmap = new Uint8Array(Math.ceil(pages / 8));
  const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, total >> 2) : null;
  let size = 12 + bitmap.length;
  for (let p = 0; p < pages; p++) {
    const start = p * PAGE;
    const end = Math.min(start + PAGE, total);
    let used = false;
    if (words && end - start === PAGE) {
      for (let w = start >> 2, e = end >> 2; w < e; w++) if (words[w] !== 0) { used = true; break; }
    } else {
      for (let i = start; i < end; i++) if (bytes[i] !== 0) { used = true; break; }
    }
    if (used) {
      bitmap[p >> 3] |= 1 << (p & 7);
      size += end - start;
    }
  }
  const out = new Uint8Array(size);
  const head = new DataView(out.buffer);
  head.setUint32(0, PACK_MAGIC);
  head.setUint32(4, total);
  head.setUint32(8, PAGE);
  out.set(bitmap, 12);
  let off = 12 + bitmap.length;
  for (let p = 0; p < pages; p++) {
    if (bitmap[p >> 3] & (1 << (p & 7))) {
      const chunk = bytes.subarray(p * PAGE, Math.min((p + 1) * PAGE, total));
      out.set(chunk, off);
      off += chunk.length;
    }
  }
  return out;
}

function unpack(packed) {
  const head = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.length < 12 || head.getUint32(0) !== PACK_MAGIC) throw new CorruptSnapshot("corrupt");
  const total = head.getUint32(4);
  const page = head.getUint32(8);
  const pages = Math.ceil(total / page);
  const bitmap = packed.subarray(12, 12 + Math.ceil(pages / 8));
  const out = new Uint8Array(total); // zero-filled: the pages left out
  let off = 12 + bitmap.length;
  for (let p = 0; p < pages; p++) {
    if (bitmap[p >> 3] & (1 << (p & 7))) {
      const len = Math.min(page, total - p * page);
      if (off + len > packed.length) throw new CorruptSnapshot("corrupt");
      out.set(packed.subarray(off, off + len), p * page);
      off += len;
    }
  }
  if (off !== packed.length) throw new CorruptSnapshot("corrupt");
  return out;
}

/** The lockfile bookkeeping of loaded packages is a JS object the snapshot cannot carry,
 * so it is emptied while the snapshot is taken (the packages themselves are in the heap)
 * and put back: the one place that leans on Pyodide internals. */
function makeSnapshot(pyodide) {
  const loaded = { ...pyodide.loadedPackages };
  for (const k of Object.keys(loaded)) delete pyodide.loadedPackages[k];
  try {
    return pyodide.makeMemorySnapshot();
  } finally {
    Object.assign(pyodide.loadedPackages, loaded);
  }
}

const why = (err) => (err && err.message ? err.message : String(err));

/** This build's snapshot: ``key`` from the build ("" for none), stored beside ``packagesURL``;
 * ``lap(name)`` records the worker's timings; ``post`` reports to the page. */
export class Snapshots {
  constructor(key, packagesURL, lap, post) {
    this.key = key;
    this.url = new URL("../snapshot", packagesURL).href;
    this.lap = lap;
    this.post = post;
    this.pending = null; // made, not yet stored
    this.forgotten = false; // 清除数据: nothing is stored from now on
  }

  /** The stored snapshot's bytes (a promise, started right away) if it was made for this
   * build, or why there is none. */
  async find() {
    if (!this.key || !("caches" in self) || !self.crypto || !crypto.subtle) return { why: "unsupported" };
    try {
      const res = await (await caches.open(SNAPSHOT_CACHE)).match(this.url);
      if (!res) return { why: "none" };
      if (res.headers.get("x-shegong-key") !== this.key) return { why: "mismatch" };
      if (res.headers.get("x-shegong-disabled")) return { why: "disabled" };
      const bytes = this.verifiedBytes(res);
      // Pyodide awaits it later; until then a rejection must not count as unhandled.
      bytes.catch(() => {});
      return { bytes, check: res.headers.get("x-shegong-check") };
    } catch (err) {
      return { why: "unreadable: " + why(err) };
    }
  }

  async verifiedBytes(res) {
    const packed = new Uint8Array(await res.arrayBuffer());
    this.lap("snapshot_read");
    if ((await sha256hex(packed)) !== res.headers.get("x-shegong-sha256")) throw new CorruptSnapshot("corrupt");
    const bytes = unpack(packed);
    this.lap("snapshot_verified");
    return bytes;
  }

  /** A good copy that this browser cannot restore would fail on every visit: a marker
   * stops this build from making snapshots here (a new build or 清除数据 removes it). */
  async disable() {
    try {
      await (await caches.open(SNAPSHOT_CACHE)).put(this.url, new Response("", {
        headers: { "x-shegong-key": this.key, "x-shegong-disabled": "restore failed" },
      }));
    } catch { /* then the next visit tries again */ }
  }

  async remove() {
    try { await (await caches.open(SNAPSHOT_CACHE)).delete(this.url); } catch { /* nothing stored */ }
  }

  /** 清除数据: a snapshot still waiting to be stored is dropped too. */
  forget() {
    this.forgotten = true;
    this.pending = null;
  }

  /** Made right after the warm-up answer ``warm``; returns how it went, for the page. */
  async make(pyodide, warm) {
    if (this.forgotten) return "清除数据";
    try {
      const t0 = performance.now();
      const bytes = makeSnapshot(pyodide);
      const make_ms = Math.round(performance.now() - t0);
      this.pending = { bytes, make_ms, check: await sha256hex(new TextEncoder().encode(warm)) };
      this.lap("snapshot_made");
      return "made";
    } catch (err) {
      return "failed: " + why(err);
    }
  }

  async store() {
    const snap = this.pending;
    this.pending = null;
    if (!snap || this.forgotten) {
      this.post({ type: "snapshot", stored: false, error: "清除数据" });
      return;
    }
    const t0 = performance.now();
    try {
      const packed = pack(snap.bytes);
      const res = new Response(packed, {
        headers: {
          "content-type": "application/octet-stream",
          "x-shegong-key": this.key,
          "x-shegong-sha256": await sha256hex(packed),
          "x-shegong-check": snap.check,
        },
      });
      const cache = await caches.open(SNAPSHOT_CACHE);
      if (!this.forgotten) await cache.put(this.url, res);
      if (this.forgotten) {
        await this.remove();
        this.post({ type: "snapshot", stored: false, error: "清除数据" });
        return;
      }
      this.post({ type: "snapshot", stored: true, bytes: snap.bytes.length, stored_bytes: packed.length,
        make_ms: snap.make_ms, store_ms: Math.round(performance.now() - t0) });
    } catch (err) {
      // A full disk or a private window: the calculator works, the next visit boots.
      this.post({ type: "snapshot", stored: false, error: why(err) });
    }
  }
}
