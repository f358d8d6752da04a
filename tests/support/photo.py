"""A photo for the 证件照 page, drawn in the page (no file on disk), and picking it."""

from __future__ import annotations

import base64

from support.browser import WAIT, settled, wait_for

MAKE = """async ([w, h, mime, noise]) => {
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    if (noise) {
        const img = g.createImageData(w, h);
        const d = img.data;
        let s = 12345;
        for (let i = 0; i < d.length; i++) { s = (s * 1103515245 + 12345) & 0x7fffffff; d[i] = i % 4 === 3 ? 255 : s & 255; }
        g.putImageData(img, 0, 0);
    } else {
        g.fillStyle = 'rgb(220,0,0)'; g.fillRect(0, 0, w / 2, h);
        g.fillStyle = 'rgb(0,0,220)'; g.fillRect(w / 2, 0, w / 2, h);
    }
    const blob = await c.convertToBlob({type: mime, quality: 0.95});
    const b = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < b.length; i += 65536) s += String.fromCharCode(...b.subarray(i, i + 65536));
    return btoa(s);
}"""


def make_image(page, w, h, mime="image/jpeg", noise=False) -> bytes:
    return base64.b64decode(page.evaluate(MAKE, [w, h, mime, noise]))


def pick(page, name, mime, data, state="ok"):
    page.set_input_files("#sg-photo-file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    wait_for(page, "n => document.querySelector('#sg-file_bytes').value === String(n)", arg=len(data), timeout=WAIT)
    settled(page, state)
    if state == "ok":
        wait_for(
            page, "() => { const e = document.querySelector('#sg-photo-fix');"
            " return !e.hidden && !('busy' in e.dataset) && !document.querySelector('#sg-photo-download').disabled; }",
            timeout=WAIT)
