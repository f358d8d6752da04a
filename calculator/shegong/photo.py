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
from dataclasses import dataclass
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


@dataclass
class Facts:
    """The rules in force on ``today``, the photo as given, and each check: numbers and codes."""

    today: dt.date
    goal: dict[str, Any]  # target(): the size's millimetres and pixels
    max_kb: int
    per_kb: int
    fit_percent: int
    file_bytes: int | None
    width: int | None
    height: int | None
    fmt: str | None
    checks: list[tuple[str, bool, bool]]  # (code, ok, required: the system's rule, not the convention)

    @property
    def max_bytes(self) -> int:
        return self.max_kb * self.per_kb

    @property
    def fit_bytes(self) -> int:
        return self.max_bytes * self.fit_percent // 100

    @property
    def ready(self) -> bool | None:
        """Only the size limit is the system's rule; the convention advises and never decides."""
        rule = [ok for _code, ok, required in self.checks if required]
        return all(rule) if rule else None


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    return words(facts(request, policy, today), policy)


def facts(request: dict[str, Any], policy: Policy, today: dt.date) -> Facts:
    r = Reader(request, questions=QUESTIONS, policy=policy)
    r.reject_unknown()
    today = r.read("today") or today
    size = r.read("size")
    file_bytes, width, height = r.read("file_bytes"), r.read("width"), r.read("height")
    fmt = _format(r)
    r.raise_if_errors()
    assert size is not None
    f = Facts(today, target(policy, size, today), policy.value(MAX_KB, on=today), policy.value(BYTES_PER_KB, on=today),
              policy.value(FIT_PERCENT, on=today), file_bytes, width, height, fmt, [])
    if file_bytes is not None:
        f.checks.append(("bytes", file_bytes <= f.max_bytes, True))
    if width is not None and height is not None:
        off = abs(Fraction(width * f.goal["height_mm"], height * f.goal["width_mm"]) - 1)
        f.checks.append(("shape", off <= SHAPE_TOLERANCE, False))
        f.checks.append(("pixels", width >= f.goal["width_px"] and height >= f.goal["height_px"], False))
    if fmt is not None:
        f.checks.append(("format", fmt == "JPEG", False))
    return f


def words(f: Facts, policy: Policy) -> dict[str, Any]:
    checks = [{"code": code, "ok": ok, "required": required} | _check_words(f, code, ok, policy)
              for code, ok, required in f.checks]
    advice = "；".join(c["short"] for c in checks if not c["ok"] and not c["required"])
    advice = f"另外建议：{advice}（常见规格，不是系统的规定），可以用下面的工具裁剪并转成 JPEG。" if advice else ""
    if f.ready is None:
        summary = f"填写或选择照片后检查：系统要求不超过{f.max_kb}KB。{advice}"
    elif f.ready:
        summary = f"照片不超过{f.max_kb}KB，符合系统的大小要求。{advice}"
    else:
        summary = f"照片超过{f.max_kb}KB，系统不接受：需要压缩，可以用下面的工具裁剪并压缩。{advice}"
    return {
        "ok": True,
        "tool": "photo",
        "target": f.goal,
        "max_bytes": f.max_bytes,
        "fit_bytes": f.fit_bytes,
        "file": {"bytes": f.file_bytes, "width": f.width, "height": f.height, "format": f.fmt},
        "checks": [{k: c[k] for k in ("code", "ok", "required", "text")} for c in checks],
        "ready": f.ready,
        "summary": summary,
        "explanation": _rules_words(f, policy) + [step(c["text"], c["source"]) for c in checks],
    }


def _rules_words(f: Facts, policy: Policy) -> list[dict[str, Any]]:
    """The rules the checks use, each step citing its value."""
    on, goal, size = f.today, f.goal, f.goal["size"]
    return [
        step(f"照片大小不超过{f.max_kb}KB。", policy.cite(MAX_KB, on=on), MAX_KB),
        step(f"系统的上传要求没有说1KB是多少字节，本站按{f.per_kb}字节计算，即不超过{f.max_bytes:,}字节；"
             "按这个算法不超过上限的照片，按另一种算法也不超过。", policy.cite(BYTES_PER_KB, on=on), BYTES_PER_KB),
        step(f"本页压缩照片时以{f.fit_bytes:,}字节为目标（上限的{f.fit_percent}%），留出余量。",
             policy.cite(FIT_PERCENT, on=on), FIT_PERCENT),
        step(f"{size}照片通常宽{goal['width_mm']}毫米。", policy.cite(WIDTH_MM + size, on=on), WIDTH_MM + size),
        step(f"{size}照片通常高{goal['height_mm']}毫米。这是常见规格，不是系统的规定，以系统上传页面的提示为准。",
             policy.cite(HEIGHT_MM + size, on=on), HEIGHT_MM + size),
        step(f"按{goal['dpi']}dpi换算，{size}照片为{goal['width_px']}×{goal['height_px']}像素"
             f"（毫米÷{float(MM_PER_INCH)}×{goal['dpi']}，四舍五入）。", policy.cite(DPI, on=on), DPI),
    ]


def _check_words(f: Facts, code: str, ok: bool, policy: Policy) -> dict[str, Any]:
    """One check in words: ``text`` (its step), ``short`` (the summary's words for a failure) and its source."""
    goal, max_kb = f.goal, f.max_kb
    if code == "bytes":
        size = _kb(f.file_bytes, f.per_kb)
        return {"source": policy.cite(MAX_KB, on=f.today), "short": f"文件{size}，超过{max_kb}KB",
                "text": f"文件大小{f.file_bytes:,}字节（约{size}），" + (
                    f"不超过{max_kb}KB。" if ok else f"超过{max_kb}KB，系统不接受，需要压缩。")}
    convention = policy.cite(WIDTH_MM + goal["size"], on=f.today)
    if code == "shape":
        shape = f"{goal['size']}照片（{goal['width_mm']}×{goal['height_mm']}毫米）"
        return {"source": convention, "short": f"宽高比不是{goal['size']}照片的{goal['width_mm']}:{goal['height_mm']}",
                "text": f"照片{f.width}×{f.height}像素，" + (f"宽高比与{shape}相同。" if ok else f"宽高比与{shape}不同，需要裁剪。")}
    if code == "pixels":
        least = f"{goal['width_px']}×{goal['height_px']}"
        return {"source": convention, "short": "像素不足",
                "text": (f"像素不少于{least}，足够清晰。" if ok else f"像素少于{least}：放大后可能不够清晰，最好换一张更大的照片。")}
    return {"source": "本站输入检查", "short": f"{f.fmt}格式",
            "text": "JPEG 格式，证件照通常用这种格式。" if ok else (
                f"{f.fmt}格式：系统接受哪些格式以上传页面的提示为准，证件照通常用 JPEG，下面的工具会转成 JPEG。"
                + ("有些浏览器读不了 HEIC，可以先在手机相册里把照片导出为 JPEG。" if f.fmt == "HEIC" else ""))}
