"""The photo check: does a photo meet the upload rule of 全国社会工作信息系统?

The source article says the personal-information form takes "大小不超过500KB的一寸或两寸证件照".
Only the size limit is the system's rule.  What 一寸 and 两寸 measure, and the pixels at a
given resolution, are the usual convention (policy.json cites them as such): the answer
says so, and tells the worker to follow what the upload page says.

The check works on the photo's metadata only (bytes, pixel width and height, format),
which the page reads from the picked file; the photo itself never reaches Python.  The
answer also carries the target the page's own canvas code crops and compresses to, so
that every limit comes from policy.json through here.

Which date each value is read on (README, 哪一天的规定): all on the day asked about
(``today``), the day the photo would be uploaded.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from .explain import step
from .inputs import Reader, normalize
from .policy import Policy
from .questions import Field, Questions

MAX_KB = "photo.max_kb"
BYTES_PER_KB = "photo.bytes_per_kb"
FIT_PERCENT = "photo.fit_percent"
DPI = "photo.dpi"
WIDTH_MM = "photo.width_mm."
HEIGHT_MM = "photo.height_mm."
MM_PER_INCH = Fraction(254, 10)

# A shape within this share of the size's own is the same shape: one pixel of rounding
# on a small photo is not a wrong crop.  The site's tolerance, not a rule.
SHAPE_TOLERANCE = Fraction(1, 100)
FORMATS = ("JPEG", "PNG", "WebP", "GIF", "HEIC", "其他文件")
NOT_AN_IMAGE = "其他文件"
MAX_FILE_BYTES = 999_999_999  # an input check: nine digits
MAX_PIXELS = 100_000  # an input check: no camera makes a side this long


def sizes(policy: Policy) -> tuple[str, ...]:
    """The photo sizes policy.json gives both measures of (一寸, 两寸)."""
    return tuple(k[len(WIDTH_MM):] for k in policy.parameters if k.startswith(WIDTH_MM)
                 and HEIGHT_MM + k[len(WIDTH_MM):] in policy.parameters)


QUESTIONS = Questions(
    tool="photo",
    title="证件照检查",
    summary="证件照检查：照片的大小、尺寸和格式是否符合上传要求",
    fields=(
        Field("size", "choice", "照片规格", required=True, choices=sizes, default="一寸",
              hint="系统要求上传一寸或两寸证件照；下面的毫米和像素是常见规格，以系统上传页面的提示为准。"),
        Field("file_bytes", "integer", "文件大小（字节）", saved=False, schema={"maximum": MAX_FILE_BYTES},
              hint="选择照片后自动填写；也可以照手机相册里显示的大小填写。"),
        Field("width", "integer", "宽（像素）", saved=False, schema={"maximum": MAX_PIXELS},
              hint="选择照片后自动填写，已按拍摄方向转正。"),
        Field("height", "integer", "高（像素）", saved=False, schema={"maximum": MAX_PIXELS},
              hint="选择照片后自动填写，已按拍摄方向转正。"),
        Field("format", "choice", "文件格式", choices=FORMATS, blank="（不清楚）", saved=False,
              hint="选择照片后按文件内容自动填写。"),
        Field("today", "date", "按哪一天的规定检查", form=False, hint="留空就按今天。"),
    ),
    examples=(
        ("手机拍的原图", {"size": "一寸", "file_bytes": 3500000, "width": 3024, "height": 4032, "format": "JPEG"}),
        ("只看两寸照的要求", {"size": "两寸"}),
    ),
)


def pixels(mm: int, dpi: int) -> int:
    """A length in millimetres as pixels at ``dpi``, rounded half up."""
    return int(Fraction(mm) * dpi / MM_PER_INCH + Fraction(1, 2))


def target(policy: Policy, size: str, on: dt.date) -> dict[str, Any]:
    width_mm, height_mm = policy.value(WIDTH_MM + size, on=on), policy.value(HEIGHT_MM + size, on=on)
    dpi = policy.value(DPI, on=on)
    return {"size": size, "width_mm": width_mm, "height_mm": height_mm, "dpi": dpi,
            "width_px": pixels(width_mm, dpi), "height_px": pixels(height_mm, dpi),
            "file_name": f"证件照-{size}.jpg"}


def _format(r: Reader) -> str | None:
    value = normalize(r.obj.get("format"))
    if value is None or value == "":
        return None
    if isinstance(value, str):
        found = next((f for f in FORMATS if f.lower() == value.lower()), None)
        if found == NOT_AN_IMAGE:
            r.error("format", "所选文件不是图片：本页只能检查和处理照片（JPEG、PNG 等）。请从手机相册里选择证件照。")
            return None
        if found:
            return found
    r.bad("format", r.label("format"), f"无法识别。可填：{'、'.join(FORMATS[:-1])}。")
    return None


def _kb(n: int, per_kb: int) -> str:
    return f"{n / per_kb:,.1f}".removesuffix(".0") + "KB"


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request, questions=QUESTIONS, policy=policy)
    r.reject_unknown()
    today = r.read("today") or today
    size = r.read("size")
    file_bytes, width, height = r.read("file_bytes"), r.read("width"), r.read("height")
    fmt = _format(r)
    r.raise_if_errors()
    assert size is not None

    max_kb, per_kb = policy.value(MAX_KB, on=today), policy.value(BYTES_PER_KB, on=today)
    max_bytes = max_kb * per_kb
    fit_bytes = max_bytes * policy.value(FIT_PERCENT, on=today) // 100
    goal = target(policy, size, today)
    sources = {"rule": policy.cite(MAX_KB, on=today), "convention": policy.cite(WIDTH_MM + size, on=today)}
    checks = _checks(goal, sources, max_kb, max_bytes, per_kb, file_bytes, width, height, fmt)

    explanation = [
        step(f"照片大小不超过{max_kb}KB。", policy.cite(MAX_KB, on=today), MAX_KB),
        step(f"系统的上传要求没有说1KB是多少字节，本站按{per_kb}字节计算，即不超过{max_bytes:,}字节；"
             "按这个算法不超过上限的照片，按另一种算法也不超过。", policy.cite(BYTES_PER_KB, on=today), BYTES_PER_KB),
        step(f"本页压缩照片时以{fit_bytes:,}字节为目标（上限的{policy.value(FIT_PERCENT, on=today)}%），留出余量。",
             policy.cite(FIT_PERCENT, on=today), FIT_PERCENT),
        step(f"{size}照片通常宽{goal['width_mm']}毫米。", policy.cite(WIDTH_MM + size, on=today), WIDTH_MM + size),
        step(f"{size}照片通常高{goal['height_mm']}毫米。这是常见规格，不是系统的规定，以系统上传页面的提示为准。",
             policy.cite(HEIGHT_MM + size, on=today), HEIGHT_MM + size),
        step(f"按{goal['dpi']}dpi换算，{size}照片为{goal['width_px']}×{goal['height_px']}像素"
             f"（毫米÷{float(MM_PER_INCH)}×{goal['dpi']}，四舍五入）。", policy.cite(DPI, on=today), DPI),
    ]
    explanation += [step(c["text"], c["source"]) for c in checks]
    # Only the size limit is the system's rule (the source's 500KB); the shape, the pixels
    # and the format are the usual convention, so they advise and never decide.
    rule = [c for c in checks if c["required"]]
    ready = all(c["ok"] for c in rule) if rule else None
    advice = "；".join(c["short"] for c in checks if not c["ok"] and not c["required"])
    advice = f"另外建议：{advice}（常见规格，不是系统的规定），可以用下面的工具裁剪并转成 JPEG。" if advice else ""
    if ready is None:
        summary = f"填写或选择照片后检查：系统要求不超过{max_kb}KB。{advice}"
    elif ready:
        summary = f"照片不超过{max_kb}KB，符合系统的大小要求。{advice}"
    else:
        summary = f"照片超过{max_kb}KB，系统不接受：需要压缩，可以用下面的工具裁剪并压缩。{advice}"
    return {
        "ok": True,
        "tool": "photo",
        "target": goal,
        "max_bytes": max_bytes,
        "fit_bytes": fit_bytes,
        "file": {"bytes": file_bytes, "width": width, "height": height, "format": fmt},
        "checks": [{k: c[k] for k in ("code", "ok", "required", "text")} for c in checks],
        "ready": ready,
        "summary": summary,
        "explanation": explanation,
    }


def _checks(goal: dict[str, Any], sources: dict[str, str], max_kb: int, max_bytes: int, per_kb: int, file_bytes: int | None,
            width: int | None, height: int | None, fmt: str | None) -> list[dict[str, Any]]:
    """One check per metadata value given; ``short`` is the summary's words for a failure."""
    out = []
    source_rule, convention = sources["rule"], sources["convention"]
    if file_bytes is not None:
        ok = file_bytes <= max_bytes
        out.append({"code": "bytes", "ok": ok, "required": True, "source": source_rule,
                    "short": f"文件{_kb(file_bytes, per_kb)}，超过{max_kb}KB",
                    "text": f"文件大小{file_bytes:,}字节（约{_kb(file_bytes, per_kb)}），" + (
                        f"不超过{max_kb}KB。" if ok else f"超过{max_kb}KB，系统不接受，需要压缩。")})
    if width is not None and height is not None:
        w_mm, h_mm = goal["width_mm"], goal["height_mm"]
        off = abs(Fraction(width * h_mm, height * w_mm) - 1)
        shape = off <= SHAPE_TOLERANCE
        out.append({"code": "shape", "ok": shape, "required": False, "source": convention,
                    "short": f"宽高比不是{goal['size']}照片的{w_mm}:{h_mm}",
                    "text": f"照片{width}×{height}像素，" + (
                        f"宽高比与{goal['size']}照片（{w_mm}×{h_mm}毫米）相同。" if shape
                        else f"宽高比与{goal['size']}照片（{w_mm}×{h_mm}毫米）不同，需要裁剪。")})
        enough = width >= goal["width_px"] and height >= goal["height_px"]
        out.append({"code": "pixels", "ok": enough, "required": False, "source": convention,
                    "short": "像素不足",
                    "text": (f"像素不少于{goal['width_px']}×{goal['height_px']}，足够清晰。" if enough
                             else f"像素少于{goal['width_px']}×{goal['height_px']}：放大后可能不够清晰，最好换一张更大的照片。")})
    if fmt is not None:
        jpeg = fmt == "JPEG"
        out.append({"code": "format", "ok": jpeg, "required": False, "source": "本站输入检查",
                    "short": f"{fmt}格式",
                    "text": "JPEG 格式，证件照通常用这种格式。" if jpeg else (
                        f"{fmt}格式：系统接受哪些格式以上传页面的提示为准，证件照通常用 JPEG，下面的工具会转成 JPEG。"
                        + ("有些浏览器读不了 HEIC，可以先在手机相册里把照片导出为 JPEG。" if fmt == "HEIC" else ""))})
    return out
