"""Draws the web app icons in docs/assets/calculator/icons/ (run once; the PNGs are committed)."""
import struct, zlib, sys
def png(path, w, h, rows):
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)
BG = (0x39, 0x49, 0xab); WHITE = (255, 255, 255); LINE = (0x9f, 0xa8, 0xda); GREEN = (0x2e, 0x7d, 0x32)
def in_rrect(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x <= x1 and y0 <= y <= y1): return False
    cx = min(max(x, x0 + r), x1 - r); cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
def color(u, v, maskable):
    # u, v in [0,1)
    if maskable:
        bg = True; s = 0.8; u = (u - 0.1) / s; v = (v - 0.1) / s
    else:
        bg = in_rrect(u, v, 0, 0, 1, 1, 0.18)
    if not bg and not maskable: return None
    if True:
        # check circle bottom-right
        if (u - 0.68) ** 2 + (v - 0.74) ** 2 <= 0.15 ** 2:
            # check mark strokes
            def near(ax, ay, bx, by, px, py, t):
                dx, dy = bx - ax, by - ay; L = dx * dx + dy * dy
                k = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / L))
                return (ax + k * dx - px) ** 2 + (ay + k * dy - py) ** 2 <= t * t
            if near(0.61, 0.745, 0.665, 0.80, u, v, 0.022) or near(0.665, 0.80, 0.755, 0.68, u, v, 0.022):
                return WHITE
            return GREEN
        if (u - 0.68) ** 2 + (v - 0.74) ** 2 <= 0.17 ** 2: return WHITE
        if not in_rrect(u, v, 0.24, 0.16, 0.76, 0.84, 0.05): return BG
        for ly in (0.30, 0.42, 0.54):
            if 0.32 <= u <= 0.68 and abs(v - ly) <= 0.025: return LINE
        return WHITE
    if (u - 0.68) ** 2 + (v - 0.74) ** 2 <= 0.17 ** 2: return WHITE
    return BG
def render(size, maskable):
    ss = 3; rows = []
    for y in range(size):
        row = []
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    c = color((x + (sx + .5) / ss) / size, (y + (sy + .5) / ss) / size, maskable)
                    if c:
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
            n = ss * ss
            a = acc[3] // n
            if a:
                row += [acc[0] * 255 // acc[3], acc[1] * 255 // acc[3], acc[2] * 255 // acc[3], a]
            else:
                row += [0, 0, 0, 0]
        rows.append(row)
    return rows
for size, mask, name in ((192, False, "icon-192.png"), (512, False, "icon-512.png"), (512, True, "maskable-512.png"), (180, True, "apple-touch-icon.png")):
    png(name, size, size, render(size, mask))
