"""The one boundary: ``evaluate(request) -> response``, shared by the CLI and the browser.

A request is a JSON object (or its text) with a ``tool``; the response is a JSON-ready
dict with ``ok`` and ``explanation``, plus either the tool's fields or ``errors``.
Nothing here raises: bad input becomes ``errors``, and an unexpected failure becomes a
Chinese message marked ``internal_error`` rather than a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Callable

from . import batch, certificate, ics, idcard, photo, plan, registration, sheets, team, titles, training
from .explain import numbered
from .inputs import InputError, describe, printable
from .policy import Policy, load

# The tools: each rules module declares its questions (QUESTIONS) beside its evaluate().
RULES = (registration, training, titles, certificate, plan, idcard, photo)
QUESTIONS = {m.QUESTIONS.tool: m.QUESTIONS for m in RULES}
TOOLS: dict[str, Callable[[dict[str, Any], Policy, dt.date], dict[str, Any]]] = {
    m.QUESTIONS.tool: m.evaluate for m in RULES
}
TOOL_ZH = {tool: q.title for tool, q in QUESTIONS.items()}
# The tools with a page on the site (sitebuild.calculator_forms): these, and the team sheet (evaluate_sheet).
PAGES = {**QUESTIONS, team.QUESTIONS.tool: team.QUESTIONS}

# Input checks, not rules: a real request is a few levels deep and far shorter than this.
MAX_REQUEST_CHARS = 200_000
MAX_DEPTH = 32
MAX_ERRORS = 20

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[^\[\]{}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _failure(errors: list[dict[str, str]], tool: str | None = None, internal: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": False, "tool": tool, "errors": errors[:MAX_ERRORS], "explanation": []}
    if len(errors) > MAX_ERRORS:
        # A form marks every wrong field; past a screenful, the count says the rest.
        out["errors_omitted"] = len(errors) - MAX_ERRORS
    if internal:
        out["internal_error"] = True
    return out


def _nesting(text: str) -> int:
    """How deep the JSON text nests, counted without parsing it (parsing deep text recurses)."""
    depth = deepest = 0
    for ch in _BRACKETS.sub("", _STRING.sub('""', text)):
        depth += 1 if ch in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _lone_surrogate(value: Any, path: str = "") -> str | None:
    """The path of the first string (key or value) holding a lone surrogate, iteratively."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return where or "request"
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    return f"{where}.{printable(key)}".lstrip(".")
                stack.append((child, f"{where}.{key}".lstrip(".")))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
    return None


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse(request: Any) -> dict[str, Any]:
    """Bytes or text or an object, to a request object; raises InputError with one Chinese message."""
    if isinstance(request, (bytes, bytearray)):
        try:
            request = bytes(request).decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError([{"field": "request", "message": (
                f"请求不是 UTF-8 编码的文本（第{e.start + 1}个字节无法解码）。请以 UTF-8 保存后再提交 JSON 对象。")}]) from None
    if isinstance(request, str):
        # A byte-order mark is how some Windows editors save UTF-8; it is not part of the JSON.
        text = request[1:] if request.startswith("\ufeff") else request
        if not text.strip():
            raise InputError([{"field": "request", "message": (
                "请求是空的：没有收到任何内容。应为一个 JSON 对象，例如 {\"tool\": \"registration\", …}。")}])
        if len(text) > MAX_REQUEST_CHARS:
            raise InputError([{"field": "request", "message": f"请求过长（超过 {MAX_REQUEST_CHARS} 个字符）。"}])
        if _nesting(text) > MAX_DEPTH:
            raise InputError([{"field": "request", "message": f"请求嵌套过深（超过 {MAX_DEPTH} 层）。请求只需要一个对象，学习记录是其中的一层列表。"}])
        try:
            request = json.loads(text)
        except RecursionError:  # pragma: no cover - _nesting stops deep text before json does
            raise InputError([{"field": "request", "message": f"请求嵌套过深（超过 {MAX_DEPTH} 层）。"}]) from None
        except ValueError as e:
            where = f"第{e.lineno}行第{e.colno}列" if isinstance(e, json.JSONDecodeError) else "某处"
            raise InputError([{"field": "request", "message": (
                f"请求不是有效的 JSON（{where}有误）。应为一个 JSON 对象，例如 {{\"tool\": \"registration\", …}}。")}]) from None
    if _depth(request) > MAX_DEPTH:
        raise InputError([{"field": "request", "message": f"请求嵌套过深（超过 {MAX_DEPTH} 层）。"}])
    where = _lone_surrogate(request)
    if where is not None:
        raise InputError([{"field": where, "message": (
            f"「{where}」里有无法编码的字符（单独的代理项 \\ud800–\\udfff），不是有效的文本。请删掉这个字符后重新填写。")}])
    if not isinstance(request, dict):
        raise InputError([{"field": "request", "message": f"请求应为 JSON 对象，收到：{describe(request)}。"}])
    return request


def evaluate(request: Any, today: dt.date | None = None, policy: Policy | None = None) -> dict[str, Any]:
    """Answer one request.  ``today`` is used when the request gives none."""
    tool = None
    try:
        request = parse(request)
        tool = request.get("tool")
        accepted = "、".join(f"{k}（{v}）" for k, v in TOOL_ZH.items())
        if tool is None:
            return _failure([{"field": "tool", "message": f"缺少「计算器类型」（tool）。可填：{accepted}。"}])
        if not isinstance(tool, str) or tool.strip() not in TOOLS:
            return _failure([{"field": "tool", "message": f"「计算器类型」（tool）无法识别：{describe(tool)}。可填：{accepted}。"}])
        tool = tool.strip()
        return numbered(TOOLS[tool](request, policy or load(), today or dt.date.today()))
    except InputError as e:
        return _failure(e.errors, tool)
    except Exception as e:  # the safety net: a bug must still answer in Chinese
        return _failure(
            [{"field": "request", "message": f"计算时出现内部错误（{type(e).__name__}），这是本站的问题，请把输入反馈给维护者。"}],
            tool,
            internal=True,
        )


def evaluate_json(text: str, today: dt.date | None = None) -> str:
    """The browser's entry point: JSON text in, JSON text out (never raises)."""
    return json.dumps(evaluate(text, today), ensure_ascii=False)


# --- a team from a spreadsheet (shegong.batch): file bytes in, not a JSON request ----------
# Not a tool of RULES: it has no questions of its own, it asks the registration and
# training rules a question per row.  The team page and `python -m shegong batch` call
# these; the page passes the file's bytes and its local today.

EXPORTS = {"xlsx", "csv", "ics"}


def evaluate_sheet(data: bytes, filename: str = "", today: dt.date | None = None,
                   policy: Policy | None = None) -> dict[str, Any]:
    """Every worker of an .xlsx or .csv file; a file that cannot be read is one error."""
    try:
        return batch.evaluate(sheets.read(bytes(data), filename), policy or load(), today or dt.date.today())
    except InputError as e:
        return _failure(e.errors, "team")
    except Exception as e:  # the safety net, as in evaluate()
        return _failure([{"field": "file", "message": f"读取文件时出现内部错误（{type(e).__name__}），这是本站的问题，请反馈给维护者。"}],
                        "team", internal=True)


def evaluate_sheet_json(data: bytes, filename: str = "", today: str = "") -> str:
    """The browser's entry point for a spreadsheet: JSON text out (never raises)."""
    day = dt.date.fromisoformat(today) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", today or "") else None
    return json.dumps(evaluate_sheet(data, filename, day), ensure_ascii=False)


def export(response: dict[str, Any] | str, fmt: str) -> bytes:
    """A team's result as a file: .xlsx, .csv (UTF-8 with BOM), or .ics of every worker's windows."""
    if isinstance(response, str):
        response = json.loads(response)
    workers = response["workers"]
    if fmt == "xlsx":
        return sheets.write_xlsx(workers)
    if fmt == "csv":
        return sheets.write_csv(workers)
    if fmt == "ics":
        stamp = ics.stamp(dt.date.fromisoformat(response["today"]))
        return ics.calendar(list(batch.events(workers)), stamp, batch.CALENDAR_NAME).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}; one of {sorted(EXPORTS)}")
