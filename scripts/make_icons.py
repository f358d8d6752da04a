"""Draws the web app icons into docs/assets/calculator/icons/ (the PNGs are committed;
run again only to change the design): a white page with three lines on the site's
indigo, and a green check mark. ``python scripts/make_icons.py``"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "assets" / "calculator" / "icons"
ICONS = [(192, False, "icon-192.png"), (512, False, "icon-512.png"), (512, True, "maskable-512.png"),
         (180, True, "apple-touch-icon.png")]
INDIGO, WHITE, LINE, GREEN = (0x39, 0x49, 0xab), (255, 255, 255), (0x9f, 0xa8, 0xda), (0x2e, 0x7d, 0x32)
SUPERSAMPLE = 3


def write_png(path: Path, size: int, rows: list[list[int]]) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)

    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def in_rounded_rect(x, y, x0, y0, x1, y1, r) -> bool:
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx, cy = min(max(x, x0 + r), x1 - r), min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def near_segment(ax, ay, bx, by, px, py, t) -> bool:
    dx, dy = bx - ax, by - ay
    k = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return (ax + k * dx - px) ** 2 + (ay + k * dy - py) ** 2 <= t * t


def color(u: float, v: float, maskable: bool):
    """The colour at (u, v) in [0, 1)², or None outside the icon's rounded square.
    A maskable icon fills the square and keeps its drawing in the inner 80 %."""
    if maskable:
        u, v = (u - 0.1) / 0.8, (v - 0.1) / 0.8
    elif not in_rounded_rect(u, v, 0, 0, 1, 1, 0.18):
        return None
    if (u - 0.68) ** 2 + (v - 0.74) ** 2 <= 0.15 ** 2:
        if near_segment(0.61, 0.745, 0.665, 0.80, u, v, 0.022) or near_segment(0.665, 0.80, 0.755, 0.68, u, v, 0.022):
            return WHITE
        return GREEN
    if (u - 0.68) ** 2 + (v - 0.74) ** 2 <= 0.17 ** 2:
        return WHITE
    if not in_rounded_rect(u, v, 0.24, 0.16, 0.76, 0.84, 0.05):
        return INDIGO
    for line_y in (0.30, 0.42, 0.54):
        if 0.32 <= u <= 0.68 and abs(v - line_y) <= 0.025:
            return LINE
    return WHITE


def render(size: int, maskable: bool) -> list[list[int]]:
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SUPERSAMPLE):
                for sx in range(SUPERSAMPLE):
                    c = color((x + (sx + .5) / SUPERSAMPLE) / size, (y + (sy + .5) / SUPERSAMPLE) / size, maskable)
                    if c:
                        acc = [acc[0] + c[0], acc[1] + c[1], acc[2] + c[2], acc[3] + 255]
            alpha = acc[3] // SUPERSAMPLE ** 2
            row += [acc[0] * 255 // acc[3], acc[1] * 255 // acc[3], acc[2] * 255 // acc[3], alpha] if alpha else [0, 0, 0, 0]
        rows.append(row)
    return rows


if __name__ == "__main__":
    for size, maskable, name in ICONS:
        write_png(OUT / name, size, render(size, maskable))
